//! Facts that span pages, worked out once per build: which reviews each template has, which
//! documents name each team, the incidents, every metric series, every action item (once), and
//! the folder tree (what each folder is called, its pages in reading order). The plan owns one, so the preview server can
//! render any single page on request without walking the whole site again.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::tree::Tree;
use crate::archive;
use crate::schema::ItemStatus;
use crate::site::{DocId, Record, Site};

pub(super) struct Catalog {
    /// Path prefix of every internal URL (`""` or `/handbook`).
    pub base: String,
    /// Reviews of each template (by template index), newest first.
    pub reviews_by_template: Vec<Vec<DocId>>,
    /// Documents that name each team in a team field, newest first.
    pub docs_by_team: HashMap<String, Vec<DocId>>,
    /// Incident reviews, newest first.
    pub incidents: Vec<DocId>,
    pub incident_set: HashSet<DocId>,
    /// Every metric gathered across reviews.
    pub metrics: Vec<archive::MetricSeries>,
    /// Team members' names by handle, for pages that name people by handle.
    pub people: HashMap<String, String>,
    /// The content's folders and their pages, for navigation and section listings.
    pub tree: Tree,
    /// Every action item, each once, in the tracker's order.
    pub items: Vec<archive::TrackedItem>,
    /// Positions in `items` of each team's and each owner's items.
    pub items_by_team: HashMap<String, Vec<usize>>,
    pub items_by_owner: BTreeMap<String, Vec<usize>>,
    /// Open items of each team and each owner, for the tracker's filter bar.
    pub open_by_team: HashMap<String, usize>,
    pub open_by_owner: BTreeMap<String, usize>,
    /// Items open (overdue ones included), overdue, done and dropped.
    pub item_totals: [usize; 4],
    /// Positions in `items` of the items in each of those four states, in the tracker's order.
    pub items_by_state: [Vec<usize>; 4],
    /// Each folder's documents as its listing shows them (by `FolderId`): newest first when
    /// any is dated, else in reading order; and whether any is dated.
    pub folder_lists: Vec<(Vec<DocId>, bool)>,
    /// Each playbook's archive: the reviews of every template for its meeting, newest first.
    pub archives: HashMap<DocId, Vec<DocId>>,
    /// Dated incidents by year, in `incidents` order: (year, position of its first, count).
    pub incident_years: Vec<(i32, usize, usize)>,
}

impl Catalog {
    /// Whether a catalog made with `old` holds just what one made with `new` would: what lists,
    /// counts, charts and the navigation read of a document is the same.
    pub fn same_facts(old: &Record, new: &Record) -> bool {
        let (a, b) = (&old.doc, &new.doc);
        old.kind == new.kind
            && old.template == new.template
            && old.fields == new.fields
            && a.title == b.title
            && a.date == b.date
            && a.weight == b.weight
            && a.draft == b.draft
    }

    pub fn new(site: &Site) -> Catalog {
        let mut reviews_by_template = vec![Vec::new(); site.templates.len()];
        let mut docs_by_team: HashMap<String, Vec<DocId>> = HashMap::new();
        for (i, r) in site.iter() {
            if let Some(t) = r.template {
                reviews_by_template[t].push(i);
            }
            for team in archive::teams_of(r) {
                docs_by_team.entry(team).or_default().push(i);
            }
        }
        for list in reviews_by_template
            .iter_mut()
            .chain(docs_by_team.values_mut())
        {
            archive::sort_newest_first(site, list);
        }
        let incidents = archive::incidents(site);
        let items = archive::action_items(site);
        let mut items_by_team: HashMap<String, Vec<usize>> = HashMap::new();
        let mut items_by_owner: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut open_by_team: HashMap<String, usize> = HashMap::new();
        let mut open_by_owner: BTreeMap<String, usize> = BTreeMap::new();
        let mut item_totals = [0; 4];
        let mut items_by_state: [Vec<usize>; 4] = Default::default();
        for (n, it) in items.iter().enumerate() {
            let item = it.item(site);
            let open = usize::from(item.status == ItemStatus::Open);
            let states = [
                item.status == ItemStatus::Open,
                it.overdue,
                item.status == ItemStatus::Done,
                item.status == ItemStatus::Dropped,
            ];
            for (s, is) in states.into_iter().enumerate() {
                if is {
                    item_totals[s] += 1;
                    items_by_state[s].push(n);
                }
            }
            for team in &it.teams {
                items_by_team.entry(team.clone()).or_default().push(n);
                *open_by_team.entry(team.clone()).or_default() += open;
            }
            if let Some(owner) = &item.owner {
                items_by_owner.entry(owner.clone()).or_default().push(n);
                *open_by_owner.entry(owner.clone()).or_default() += open;
            }
        }
        let tree = Tree::new(site, |folder| folder_name(site, folder));
        let folder_lists = tree
            .folders
            .iter()
            .map(|folder| {
                let mut docs: Vec<DocId> = folder.documents().collect();
                let dated = docs.iter().any(|&i| site[i].doc.date.is_some());
                if dated {
                    archive::sort_newest_first(site, &mut docs);
                }
                (docs, dated)
            })
            .collect();
        let mut archives: HashMap<DocId, Vec<DocId>> = HashMap::new();
        for (t, template) in site.templates.iter().enumerate() {
            if let Some(meeting) = template.meeting {
                archives
                    .entry(meeting)
                    .or_default()
                    .extend(&reviews_by_template[t]);
            }
        }
        for list in archives.values_mut() {
            archive::sort_newest_first(site, list);
        }
        let mut incident_years: Vec<(i32, usize, usize)> = Vec::new();
        for (n, &i) in incidents.iter().enumerate() {
            let Some(year) = site[i].doc.date.map(|d| d.year()) else {
                continue;
            };
            match incident_years.last_mut() {
                Some(last) if last.0 == year => last.2 += 1,
                _ => incident_years.push((year, n, 1)),
            }
        }
        Catalog {
            items,
            items_by_state,
            folder_lists,
            archives,
            incident_years,
            items_by_team,
            items_by_owner,
            open_by_team,
            open_by_owner,
            item_totals,
            base: site.config.base_path(),
            reviews_by_template,
            docs_by_team,
            incident_set: incidents.iter().copied().collect(),
            incidents,
            metrics: archive::metric_series(site),
            people: site
                .teams
                .values()
                .flat_map(|t| &t.members)
                .filter(|m| m.name != m.handle)
                .map(|m| (m.handle.clone(), m.name.clone()))
                .collect(),
            tree,
        }
    }
}

/// What a folder without an `_index.md` is called: the site's title for the root, the label
/// of the template that claims it, or its name. (A folder's `_index.md` title comes first:
/// `Tree` has it.)
fn folder_name(site: &Site, folder: &str) -> String {
    if folder.is_empty() {
        return site.config.title.clone();
    }
    if let Some(t) = site
        .templates
        .iter()
        .find(|t| t.folder.as_deref() == Some(folder))
    {
        return crate::links::plural(&t.label);
    }
    let name = folder
        .rsplit('/')
        .next()
        .unwrap_or(folder)
        .replace(['-', '_'], " ");
    let mut c = name.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// A folder's URL path: each segment as document URLs spell it (`Post Mortems` -> `post-mortems`).
pub(super) fn folder_url(folder: &str) -> String {
    let segments: Vec<String> = folder
        .split('/')
        .map(crate::document::url_segment)
        .collect();
    format!("/{}/", segments.join("/"))
}
