//! Long lists a page at a time. A *list* is what a page shows of many documents or items: a
//! folder's documents, a playbook's archive, a template's reviews, a team's documents, the
//! incident catalogue, a tracker filter's items. It shows `page_size` entries (opsbook.toml);
//! page 1 is the list's own page (`/incidents/`), drawn by its owner's builder, and page n ≥ 2
//! is at that URL plus `page/n/` (`/incidents/page/2/`). The plan has a job for each later page.
//!
//! Every list is worked out once per build, in its order, in the catalog, so a page costs what
//! it shows: a slice of the list, never a walk over it.

use std::ops::Range;

use serde::Serialize;

use super::catalog::Catalog;
use super::templates::Renderer;
use super::tracker::{self, ItemFilter};
use super::tree::FolderId;
use super::views::{
    Ctx, DocTable, LinkView, ListingView, PageContext, PageView, SiteView, TeamGroup,
};
use crate::document::Kind;
use crate::error::Error;
use crate::links;
use crate::site::{DocId, Site};

/// The numbered links of a list shown a page at a time (`m::pagination` draws them). A list
/// that fits on one page has `pages == 1` and no links.
#[derive(Serialize, Debug, Default)]
pub(super) struct Pager {
    /// This page's number, from 1.
    pub page: usize,
    pub pages: usize,
    /// Entries in the whole list, and the first and last this page shows (from 1).
    pub total: usize,
    pub from: usize,
    pub to: usize,
    /// What the navigation is called: "Pages of the archive".
    pub label: String,
    /// The list's first page.
    pub list_url: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The first page, a window around this one and the last; a `gap` stands for the numbers
    /// left out between them.
    pub links: Vec<PagerLink>,
}

#[derive(Serialize, Debug, PartialEq)]
pub(super) struct PagerLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    pub gap: bool,
}

/// A list shown a page at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum List {
    /// A folder's documents (its listing, or its `_index.md`'s page).
    Folder(FolderId),
    /// The reviews held in a playbook's meeting.
    Archive(DocId),
    /// The reviews made from a template (by the template's document).
    MadeFrom(DocId),
    /// Everything naming a team (by team id), on the team's page.
    Team(String),
    Incidents,
    Items(ItemFilter),
}

/// Pages around the current one the numbered links show on each side.
const WINDOW: usize = 2;

impl List {
    /// Site-relative URL of the list's first page.
    pub fn url(&self, site: &Site, cat: &Catalog) -> String {
        match self {
            List::Folder(f) => cat.tree.folder(*f).url.clone(),
            List::Archive(i) | List::MadeFrom(i) => site[*i].doc.url.clone(),
            List::Team(id) => site
                .teams
                .get(id)
                .map_or_else(String::new, |t| site[t.doc].doc.url.clone()),
            List::Incidents => "/incidents/".into(),
            List::Items(filter) => filter.url(),
        }
    }

    /// How many entries the list has.
    pub fn len(&self, site: &Site, cat: &Catalog) -> usize {
        match self {
            List::Folder(f) => cat.folder_lists[f.index()].0.len(),
            List::Archive(i) => cat.archives.get(i).map_or(0, Vec::len),
            List::MadeFrom(i) => made_from(site, cat, *i).len(),
            List::Team(id) => cat.docs_by_team.get(id).map_or(0, Vec::len),
            List::Incidents => cat.incidents.len(),
            List::Items(filter) => tracker::positions(cat, filter).len(),
        }
    }
}

/// The reviews made from the template whose document is `i`, newest first.
pub(super) fn made_from<'c>(site: &Site, cat: &'c Catalog, i: DocId) -> &'c [DocId] {
    site.templates
        .iter()
        .position(|t| t.doc == i)
        .and_then(|t| cat.reviews_by_template.get(t))
        .map_or(&[], Vec::as_slice)
}

/// Every list of the site that takes more than one page, with its number of pages.
pub(super) fn lists(site: &Site, cat: &Catalog, filters: &[ItemFilter]) -> Vec<(List, usize)> {
    let size = site.config.page_size;
    let catalogue = !cat.incidents.is_empty();
    let mut all: Vec<List> = Vec::new();
    for (n, folder) in cat.tree.folders.iter().enumerate().skip(1) {
        // The catalogue takes the place of the incidents folder's listing; an `_index.md` that
        // is not a section page (the root's is the home page) lists nothing.
        let listed = folder.index.is_none_or(|i| site[i].kind == Kind::Section);
        if listed && !(catalogue && folder.path == "incidents") {
            all.push(List::Folder(FolderId::at(n)));
        }
    }
    all.extend(cat.archives.keys().map(|&i| List::Archive(i)));
    all.extend(site.templates.iter().map(|t| List::MadeFrom(t.doc)));
    all.extend(
        site.teams
            .keys()
            .filter(|id| cat.docs_by_team.contains_key(*id))
            .map(|id| List::Team(id.clone())),
    );
    if catalogue {
        all.push(List::Incidents);
    }
    all.extend(filters.iter().cloned().map(List::Items));
    all.into_iter()
        .filter_map(|list| {
            let pages = page_count(list.len(site, cat), size);
            (pages > 1).then_some((list, pages))
        })
        .collect()
}

/// Site-relative URL of page `n` of the list whose first page is at `list_url`.
pub(super) fn page_url(list_url: &str, n: usize) -> String {
    if n <= 1 {
        list_url.to_string()
    } else {
        format!("{list_url}page/{n}/")
    }
}

/// Pages a list of `len` entries takes (one even when empty).
pub(super) fn page_count(len: usize, size: usize) -> usize {
    len.div_ceil(size.max(1)).max(1)
}

/// The positions of page `n`'s entries (from 1) in a list of `len`.
pub(super) fn range(n: usize, len: usize, size: usize) -> Range<usize> {
    let start = n.saturating_sub(1).saturating_mul(size).min(len);
    start..start.saturating_add(size).min(len)
}

/// The page numbers a pager links, `None` for a gap: the first page, `WINDOW` pages on each
/// side of `page`, the last; a gap of a single number shows the number. None for one page.
fn numbers(page: usize, pages: usize) -> Vec<Option<usize>> {
    if pages <= 1 {
        return Vec::new();
    }
    let mut wanted: Vec<usize> = vec![1];
    wanted.extend(page.saturating_sub(WINDOW).max(2)..=(page + WINDOW).min(pages));
    wanted.push(pages);
    wanted.dedup();
    let mut out = Vec::new();
    let mut last = 0;
    for n in wanted {
        if n > last + 2 {
            out.push(None);
        } else if n == last + 2 {
            out.push(Some(last + 1));
        }
        out.push(Some(n));
        last = n;
    }
    out
}

impl Ctx<'_> {
    pub fn page_size(&self) -> usize {
        self.site.config.page_size.max(1)
    }

    /// The pager of page `page` of a list of `len` entries whose first page is at `list_url`
    /// (site-relative); `label` names its navigation.
    pub fn pager(&self, list_url: &str, page: usize, len: usize, label: &str) -> Pager {
        let pages = page_count(len, self.page_size());
        let page = page.clamp(1, pages);
        let shown = range(page, len, self.page_size());
        let link = |n: usize| self.url(&page_url(list_url, n));
        let links = numbers(page, pages)
            .into_iter()
            .map(|n| match n {
                Some(n) => PagerLink {
                    number: n,
                    url: link(n),
                    current: n == page,
                    gap: false,
                },
                None => PagerLink {
                    number: 0,
                    url: String::new(),
                    current: false,
                    gap: true,
                },
            })
            .collect();
        Pager {
            page,
            pages,
            total: len,
            from: if len == 0 { 0 } else { shown.start + 1 },
            to: shown.end,
            label: label.to_string(),
            list_url: link(1),
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
            links,
        }
    }

    /// The navigation of page `n` ≥ 2 of a list on the page of `owner` (a document, or a folder):
    /// the owner's breadcrumbs and sidebar, then "Page n"; no previous/next of the tree, since
    /// the pager is the page's previous/next.
    pub fn later_page_nav(
        &self,
        owner: super::tree::Entry,
        url: String,
        n: usize,
    ) -> super::views::PageNav {
        let mut nav = self.page_nav(owner);
        nav.crumbs.push(LinkView {
            title: format!("Page {n}"),
            url,
        });
        nav.prev = None;
        nav.next = None;
        nav
    }
}

/// Page `n` ≥ 2 of a list that belongs to a document: a playbook's archive, a template's
/// reviews, a team's documents. It shows the list under the document's title and links back
/// to it; the document's own text and charts stay on its page.
pub(super) fn render_later(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
    list: &List,
    n: usize,
) -> Result<String, Error> {
    let (site, cat) = (ctx.site, ctx.cat);
    let (owner, entries, heading, label): (DocId, &[DocId], &str, &str) = match list {
        List::Archive(i) => (
            *i,
            cat.archives.get(i).map_or(&[], Vec::as_slice),
            "Archive",
            "Pages of the archive",
        ),
        List::MadeFrom(i) => (
            *i,
            made_from(site, cat, *i),
            "Made from this template",
            "Pages of the reviews made from this template",
        ),
        List::Team(id) => {
            let Some(team) = site.teams.get(id) else {
                return Err(Error::Output(format!("no team {id}")));
            };
            (
                team.doc,
                cat.docs_by_team.get(id).map_or(&[], Vec::as_slice),
                "Everything naming the team",
                "Pages of everything naming the team",
            )
        }
        List::Folder(_) | List::Incidents | List::Items(_) => {
            return Err(Error::Output(format!("{list:?} has its own pages")));
        }
    };
    let doc = &site[owner].doc;
    let list_url = doc.url.clone();
    let pager = ctx.pager(&list_url, n, entries.len(), label);
    let shown = &entries[range(pager.page, entries.len(), ctx.page_size())];
    let owner_url = ctx.url(&list_url);
    let groups = match list {
        List::Team(_) => {
            let (incidents, others) = ctx.team_groups(shown, &owner_url);
            incidents.into_iter().chain(others).collect()
        }
        _ => vec![TeamGroup {
            label: heading.to_string(),
            id: "list".into(),
            table: ctx.doc_table(shown),
        }],
    };
    let url = ctx.url(&page_url(&list_url, pager.page));
    let mut page = PageView::titled(
        &format!("{}, page {} of {}", doc.title, pager.page, pager.pages),
        url.clone(),
    );
    page.kind = site[owner].kind;
    page.wide = true;
    page.nav = Some(ctx.later_page_nav(super::tree::Entry::Doc(owner), url, pager.page));
    let view = ListingView {
        owner: LinkView {
            title: doc.title.clone(),
            url: owner_url,
        },
        owner_label: match site[owner].kind {
            Kind::Playbook => "Meeting playbook".into(),
            kind => kind.label().to_string(),
        },
        heading: heading.to_string(),
        groups,
        pager,
    };
    renderer.render(
        "listing.html",
        &PageContext {
            site: site_view,
            page,
            extra: view,
        },
    )
}

impl Ctx<'_> {
    /// Documents naming a team as its page shows them: the incidents, and the other kinds by
    /// name, each group newest first, the team's own chip left out.
    pub fn team_groups(
        &self,
        docs: &[DocId],
        team_url: &str,
    ) -> (Option<TeamGroup>, Vec<TeamGroup>) {
        let mut incidents: Vec<DocId> = Vec::new();
        let mut others: std::collections::BTreeMap<String, Vec<DocId>> = Default::default();
        let mut incident_label = String::new();
        for &d in docs {
            let label = links::group_label(self.site, d);
            if self.cat.incident_set.contains(&d) {
                incident_label = label;
                incidents.push(d);
            } else {
                others.entry(label).or_default().push(d);
            }
        }
        let group = |label: String, items: &[DocId]| TeamGroup {
            id: format!("list-{}", crate::document::url_segment(&label)),
            table: DocTable::without_team(self.summaries(items), team_url),
            label,
        };
        let incidents = (!incidents.is_empty()).then(|| group(incident_label, &incidents));
        let others = others
            .into_iter()
            .map(|(label, items)| group(label, &items))
            .collect();
        (incidents, others)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_a_list_and_the_last_takes_the_rest() {
        assert_eq!(page_count(0, 100), 1);
        assert_eq!(page_count(100, 100), 1);
        assert_eq!(page_count(101, 100), 2);
        assert_eq!(range(1, 250, 100), 0..100);
        assert_eq!(range(3, 250, 100), 200..250);
        assert_eq!(range(4, 250, 100), 250..250);
        assert_eq!(page_url("/incidents/", 1), "/incidents/");
        assert_eq!(page_url("/incidents/", 2), "/incidents/page/2/");
    }

    #[test]
    fn the_pager_links_the_ends_and_a_window_around_the_page() {
        let shown = |page, pages| -> String {
            numbers(page, pages)
                .into_iter()
                .map(|n| n.map_or("…".to_string(), |n| n.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(shown(1, 1), "");
        assert_eq!(shown(1, 2), "1 2");
        assert_eq!(shown(1, 7), "1 2 3 … 7");
        assert_eq!(shown(4, 7), "1 2 3 4 5 6 7");
        assert_eq!(shown(5, 7), "1 2 3 4 5 6 7", "a gap of one is the number");
        assert_eq!(shown(50, 640), "1 … 48 49 50 51 52 … 640");
        assert_eq!(shown(640, 640), "1 … 638 639 640");
    }
}
