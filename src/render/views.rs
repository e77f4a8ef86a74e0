//! What templates see: small owned view structs, built from the model by `Ctx`, and one context
//! struct per kind of page. Every string from content is escaped by tera when the template
//! prints it, except the `html` fields, which hold HTML this crate produced (and escaped) itself.

use serde::Serialize;

use super::catalog::Catalog;
use super::format::{count_of, format_number, group_thousands};
use super::paging::Pager;
use crate::archive;
use crate::document::Kind;
use crate::html::escape;
use crate::links::LinkGraph;
use crate::schema::field_label;
use crate::schema::{Direction, FieldValue, ItemStatus};
use crate::site::{DocId, Member, Site};

// ---------------------------------------------------------------------------------------------
// Shared pieces.

#[derive(Serialize)]
pub(super) struct SiteView {
    pub title: String,
    pub description: String,
    /// Path prefix of every internal URL (`""` or `/handbook`).
    pub base: String,
    pub language: String,
    pub nav: Vec<LinkView>,
    pub drafts: bool,
    pub today: String,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub(super) struct LinkView {
    pub title: String,
    pub url: String,
}

/// One document as it appears in a list.
#[derive(Serialize, Clone, Debug)]
pub(super) struct DocSummary {
    pub title: String,
    pub url: String,
    pub id: Option<String>,
    pub date: Option<String>,
    pub label: String,
    pub severity: Option<String>,
    pub status: Option<String>,
    pub teams: Vec<LinkView>,
    pub summary: String,
    pub draft: bool,
    /// HTML of the extra columns of a listing (`[pages] facets`), in `DocTable::extra` order.
    pub cells: Vec<String>,
}

/// Documents as a table, with only the columns that tell the rows apart: a column that is
/// empty everywhere, or the same on every row (the kind on a playbook's archive), is left out.
#[derive(Serialize, Default)]
pub(super) struct DocTable {
    pub docs: Vec<DocSummary>,
    pub date: bool,
    pub label: bool,
    /// Severity and status.
    pub state: bool,
    pub teams: bool,
    /// Labels of extra columns from front matter (`[pages] facets`); each row's `cells`.
    pub extra: Vec<String>,
}

impl DocTable {
    pub fn new(docs: Vec<DocSummary>) -> DocTable {
        let first = docs.first();
        DocTable {
            date: docs.iter().any(|d| d.date.is_some()),
            label: first.is_some_and(|f| docs.iter().any(|d| d.label != f.label)),
            state: docs
                .iter()
                .any(|d| d.severity.is_some() || d.status.is_some()),
            teams: first.is_some_and(|f| {
                docs.iter().any(|d| !d.teams.is_empty())
                    && (docs.len() == 1 || docs.iter().any(|d| d.teams != f.teams))
            }),
            extra: Vec::new(),
            docs,
        }
    }

    /// The same table on the page of team `url`: that team's own chip is left out of every row.
    pub fn without_team(mut docs: Vec<DocSummary>, url: &str) -> DocTable {
        for d in &mut docs {
            d.teams.retain(|t| t.url != url);
        }
        DocTable::new(docs)
    }
}

/// A group of "Referenced by": the newest of its documents, and how many more there are.
#[derive(Serialize)]
pub(super) struct Group {
    pub label: String,
    pub items: Vec<DocSummary>,
    pub more: usize,
}

#[derive(Serialize)]
pub(super) struct TocItem {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Serialize, Debug)]
pub(super) struct FieldRow {
    pub name: String,
    pub label: String,
    /// Rendered, escaped HTML.
    pub html: String,
}

#[derive(Serialize)]
pub(super) struct ItemView {
    pub title: String,
    /// The owner's name when a team file has one, else the handle as written.
    pub owner: Option<String>,
    /// The owner's handle, when `owner` shows a name instead.
    pub owner_handle: Option<String>,
    /// The tracker's page of the owner's items.
    pub owner_url: Option<String>,
    pub due: Option<String>,
    pub status: ItemStatus,
    pub overdue: bool,
    /// Rendered link to a related document, if any.
    pub link: Option<LinkView>,
    /// The reviews that list it, newest first, by id (or title); empty when not asked for.
    pub sources: Vec<LinkView>,
}

#[derive(Serialize)]
pub(super) struct MetricView {
    pub name: String,
    pub unit: String,
    pub team: Option<String>,
    pub current: Option<String>,
    pub goal: Option<String>,
    pub direction: Direction,
    /// `up`, `down` or `flat`, from the last two points.
    pub trend: Option<&'static str>,
    pub on_track: Option<bool>,
    pub points: usize,
    /// A sparkline of the metric's history up to this review (SVG), if it has two points or more.
    pub spark: String,
}

/// A chart with its data as a table, for readers who cannot see it.
#[derive(Serialize)]
pub(super) struct ChartView {
    pub title: String,
    pub svg: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A piece of a review's body and the table that follows it, if any.
#[derive(Serialize)]
pub(super) struct BodyPart {
    pub html: String,
    /// `metrics` or `action_items`: the table that goes after this piece.
    pub then: Option<&'static str>,
}

/// A page's navigation: breadcrumbs, the sidebar of its section, previous and next.
#[derive(Serialize, Default)]
pub(super) struct PageNav {
    /// Home, the folders down to the page, and the page itself (last).
    pub crumbs: Vec<LinkView>,
    pub sidebar: Option<Sidebar>,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
}

/// The sidebar: the section's landing page, then its entries.
#[derive(Serialize)]
pub(super) struct Sidebar {
    pub link: LinkView,
    /// Whether the page is the section's landing page.
    pub current: bool,
    pub items: Vec<NavItem>,
    pub more: Option<MoreLink>,
}

/// A page or a folder in the sidebar.
#[derive(Serialize)]
pub(super) struct NavItem {
    pub title: String,
    pub url: String,
    pub current: bool,
    pub folder: bool,
    /// A folder on the way to the current page: shown open.
    pub open: bool,
    /// Documents in a folder and below.
    pub count: usize,
    /// A folder's entries, when shown.
    pub children: Vec<NavItem>,
    pub more: Option<MoreLink>,
}

impl NavItem {
    pub fn link(link: LinkView) -> NavItem {
        NavItem {
            title: link.title,
            url: link.url,
            current: false,
            folder: false,
            open: false,
            count: 0,
            children: Vec::new(),
            more: None,
        }
    }
}

/// "All N pages in Folder": where a sidebar stops listing a large folder.
#[derive(Serialize)]
pub(super) struct MoreLink {
    pub url: String,
    pub title: String,
    pub count: usize,
}

/// The page being rendered, whatever its kind.
#[derive(Serialize, Default)]
pub(super) struct PageView {
    pub kind: Kind,
    pub title: String,
    pub url: String,
    pub id: Option<String>,
    pub date: Option<String>,
    pub draft: bool,
    pub summary: Option<String>,
    pub source_path: String,
    pub content: String,
    /// A review's body cut where its tables go: under the review's own "Metrics" or "Action
    /// items" heading, when it has one (see `document::place_tables`). Empty otherwise.
    pub parts: Vec<BodyPart>,
    pub toc: Vec<TocItem>,
    pub label: String,
    pub severity: Option<String>,
    pub status: Option<String>,
    pub teams: Vec<LinkView>,
    pub fields: Vec<FieldRow>,
    pub action_items: Vec<ItemView>,
    pub metrics: Vec<MetricView>,
    pub timings: Vec<FieldRow>,
    pub related: Vec<DocSummary>,
    pub backlinks: Vec<Group>,
    pub template: Option<LinkView>,
    pub meeting: Option<LinkView>,
    /// A review kept elsewhere: its link (a template field with `replaces_body`), shown at the
    /// top of the page.
    pub document: Option<LinkView>,
    /// The date of the file's last commit, when the site is a git checkout.
    pub updated: Option<String>,
    /// "Edit this page": `edit_url` from opsbook.toml and the file's path under `content/`.
    pub edit_url: Option<String>,
    /// A page of tables (a playbook's, template's or team's archive): the whole width is
    /// the article's, and its table of contents goes under its header.
    pub wide: bool,
    /// Breadcrumbs, sidebar, previous/next: pages of the content tree have them; the home page
    /// and generated pages (catalogues, the tracker, search) keep their own navigation.
    pub nav: Option<PageNav>,
}

impl PageView {
    /// A page with a title and a URL and nothing else yet.
    pub fn titled(title: &str, url: String) -> PageView {
        PageView {
            kind: Kind::Page,
            title: title.to_string(),
            url,
            ..PageView::default()
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One context per kind of page: the fields are the template's variables.

/// What every template gets: the site and the page, plus what its kind of page adds.
#[derive(Serialize)]
pub(super) struct PageContext<'a, Extra: Serialize> {
    pub site: &'a SiteView,
    pub page: PageView,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A page with nothing beyond `site` and `page`: a plain page, a review, the 404 page.
#[derive(Serialize)]
pub(super) struct Plain {}

/// `playbook.html`: the meeting's templates, every review held in it, metric trends.
#[derive(Serialize)]
pub(super) struct PlaybookView {
    pub templates: Vec<DocSummary>,
    /// The newest reviews held in the meeting: the archive's first page.
    pub archive: DocTable,
    /// The archive's pages; `pager.total` is every review held.
    pub pager: Pager,
    pub trends: Vec<ChartView>,
}

#[derive(Serialize)]
pub(super) struct SchemaFieldView {
    pub name: String,
    pub ty: String,
    pub required: bool,
    pub help: String,
}

#[derive(Serialize)]
pub(super) struct SectionView {
    pub heading: String,
    pub prompt: String,
    pub required: bool,
}

/// `template.html`: the schema as tables, and what was made from it.
#[derive(Serialize)]
pub(super) struct TemplateView {
    pub schema_fields: Vec<SchemaFieldView>,
    pub sections: Vec<SectionView>,
    /// The newest reviews made from it: the list's first page.
    pub reviews: DocTable,
    /// The list's pages; `pager.total` is every review made from it.
    pub pager: Pager,
    pub template_id: String,
    pub folder: Option<String>,
    pub template_meeting: Option<LinkView>,
}

/// `team.html`: members, services, open action items, charts and everything naming the team.
#[derive(Serialize)]
pub(super) struct TeamView<'a> {
    pub members: Option<&'a [Member]>,
    pub team_name: Option<String>,
    pub oncall: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub services: Vec<String>,
    /// The incidents among the newest documents naming the team (the first page of them).
    pub incidents: Option<TeamGroup>,
    /// The other kinds among them, by kind.
    pub groups: Vec<TeamGroup>,
    /// The pages of everything naming the team; `pager.total` counts it all.
    pub pager: Pager,
    /// The first `page_size` open action items, most overdue first.
    pub open_items: Vec<ItemView>,
    /// Every open action item of the team.
    pub open_count: usize,
    /// The tracker filtered to the team, when it has action items.
    pub items_url: Option<String>,
    pub incident_count: usize,
    pub charts: Vec<ChartView>,
    pub incident_chart: Option<ChartView>,
    pub response_table: Option<ChartView>,
}

#[derive(Serialize)]
pub(super) struct TeamGroup {
    pub label: String,
    /// An anchor for the group's heading.
    pub id: String,
    pub table: DocTable,
}

/// `index.html`: panels only for what the site has.
#[derive(Serialize)]
pub(super) struct HomeView {
    /// Counters, none of them zero of a kind the site lacks.
    pub stats: Vec<Stat>,
    pub playbooks: Vec<DocSummary>,
    pub templates: Vec<DocSummary>,
    pub teams: Vec<DocSummary>,
    /// The newest reviews, or on a site without reviews the newest dated pages.
    pub recent: DocTable,
    pub recent_reviews: bool,
    /// Every top-level folder.
    pub sections: Vec<Subsection>,
    /// Pages directly under `content/` (the first ones), and how many more there are.
    pub pages: Vec<DocSummary>,
    pub more_pages: usize,
}

/// A counter on the home page: "8 meetings".
#[derive(Serialize)]
pub(super) struct Stat {
    pub count: usize,
    pub label: String,
    /// Where the counted things are listed; empty for none.
    pub url: String,
    /// Something needs attention (overdue action items).
    pub alert: bool,
}

#[derive(Serialize)]
pub(super) struct Subsection {
    pub title: String,
    pub url: String,
    /// Documents in it and below.
    pub count: usize,
    /// Its `_index.md`'s summary, if any.
    pub summary: String,
    /// Its first pages, on a home page that has nothing else to show.
    pub pages: Vec<LinkView>,
}

/// `section.html` for a folder: its subfolders and documents.
#[derive(Serialize)]
pub(super) struct SectionListView {
    /// The documents of this page of the listing.
    pub children: DocTable,
    /// On the first page only.
    pub subsections: Vec<Subsection>,
    /// Whether the documents are dated (a table, newest first) or not (a list, by weight).
    pub dated: bool,
    pub pager: Pager,
}

/// `listing.html`: page 2 and later of a list that belongs to a document (a playbook's
/// archive, a template's reviews, a team's documents), without the document's own text.
#[derive(Serialize)]
pub(super) struct ListingView {
    /// The document the list belongs to, and what it is ("Meeting playbook").
    pub owner: LinkView,
    pub owner_label: String,
    /// What the list is: "Archive", "Made from this template".
    pub heading: String,
    /// The page's documents, in one group or by kind.
    pub groups: Vec<TeamGroup>,
    pub pager: Pager,
}

/// `section.html` for `/action-items/`.
#[derive(Serialize)]
pub(super) struct ActionItemsView {
    /// The filter bar: by status, team and owner.
    pub filters: Vec<FilterGroup>,
    /// This page of the items the filter picks: open (overdue first), done, dropped.
    pub groups: Vec<ItemGroup>,
    pub pager: Pager,
    /// Whether the counts below are shown: on the first page.
    pub stats: bool,
    pub open_count: usize,
    pub overdue_count: usize,
    pub unowned_count: usize,
    pub total: usize,
    /// Whether the page shows part of the items, and where all of them are.
    pub filtered: bool,
    pub all_url: String,
}

#[derive(Serialize)]
pub(super) struct FilterGroup {
    pub label: String,
    pub links: Vec<FilterLink>,
    /// How many more the bar leaves out (they are linked from their items).
    pub more: usize,
}

/// A link to one filtered page of the tracker.
#[derive(Serialize)]
pub(super) struct FilterLink {
    pub title: String,
    pub url: String,
    pub count: usize,
    /// The page being rendered.
    pub current: bool,
}

#[derive(Serialize)]
pub(super) struct ItemGroup {
    pub id: String,
    pub label: String,
    pub items: Vec<ItemView>,
}

/// A row of the catalogue's counts by year.
#[derive(Serialize)]
pub(super) struct YearRow {
    pub year: i32,
    pub counts: Vec<usize>,
    pub total: usize,
    /// Where the year's incidents start: a page of the catalogue and the year's heading.
    pub url: String,
}

/// A year's incidents on one page of the catalogue (or the undated ones).
#[derive(Serialize)]
pub(super) struct YearGroup {
    /// `year-2026`, or `undated`.
    pub id: String,
    pub label: String,
    /// Incidents of the year in the whole catalogue.
    pub total: usize,
    /// The year started on an earlier page.
    pub continued: bool,
    pub incidents: DocTable,
}

/// `incidents.html`: the incident catalogue.
#[derive(Serialize)]
pub(super) struct IncidentsView {
    pub levels: Vec<String>,
    /// The counts by year and severity (first page only).
    pub years: Vec<YearRow>,
    pub totals: Vec<usize>,
    pub total: usize,
    /// This page's incidents, newest first, by year.
    pub groups: Vec<YearGroup>,
    pub pager: Pager,
    pub incident_chart: Option<ChartView>,
    pub response_table: Option<ChartView>,
}

#[derive(Serialize)]
pub(super) struct FacetView {
    pub name: String,
    pub label: String,
}

/// `search.html`.
#[derive(Serialize)]
pub(super) struct SearchView {
    pub facets: Vec<FacetView>,
    /// Team id -> name, as JSON, for the team facet's labels.
    pub team_names: String,
}

// ---------------------------------------------------------------------------------------------
// Building views from the model.

/// What every page builder reads: the model, its link graph and the catalog.
pub(super) struct Ctx<'a> {
    pub site: &'a Site,
    pub graph: &'a LinkGraph,
    pub cat: &'a Catalog,
    /// The date of each document's last commit (empty outside a git repository).
    pub history: &'a crate::history::History,
}

impl Ctx<'_> {
    /// A site-relative path as a link from any page: the base path in front.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.cat.base, path)
    }

    pub fn doc_link(&self, i: DocId) -> LinkView {
        let doc = &self.site[i].doc;
        LinkView {
            title: doc.title.clone(),
            url: self.url(&doc.url),
        }
    }

    /// A link to a team's page by id; an unknown id (only in a broken build) has no URL.
    pub fn team_link(&self, id: &str) -> LinkView {
        match self.site.teams.get(id) {
            Some(team) => LinkView {
                title: team.name.clone(),
                url: self.url(&self.site[team.doc].doc.url),
            },
            None => LinkView {
                title: id.to_string(),
                url: String::new(),
            },
        }
    }

    pub fn summary(&self, i: DocId) -> DocSummary {
        let record = &self.site[i];
        let doc = &record.doc;
        DocSummary {
            title: doc.title.clone(),
            url: self.url(&doc.url),
            id: doc.explicit_id.then(|| doc.id.clone()),
            date: doc.date.map(|d| d.to_string()),
            label: self.site.kind_label(record),
            severity: archive::string_field(record, "severity").map(str::to_string),
            status: archive::status_of(record).map(str::to_string),
            teams: archive::teams_of(record)
                .iter()
                .map(|t| self.team_link(t))
                .collect(),
            summary: doc.excerpt(),
            draft: doc.draft,
            cells: Vec::new(),
        }
    }

    pub fn summaries(&self, list: &[DocId]) -> Vec<DocSummary> {
        list.iter().map(|&i| self.summary(i)).collect()
    }

    pub fn doc_table(&self, list: &[DocId]) -> DocTable {
        DocTable::new(self.summaries(list))
    }

    /// A listing's table with a column for each `[pages] facets` key its documents set.
    pub fn doc_table_with_facets(&self, list: &[DocId]) -> DocTable {
        let mut table = self.doc_table(list);
        let keys: Vec<&String> = self
            .site
            .config
            .pages
            .facets
            .iter()
            .filter(|k| {
                list.iter()
                    .any(|&i| self.site[i].doc.front.get(k).is_some())
            })
            .collect();
        for (row, &i) in table.docs.iter_mut().zip(list) {
            let front = &self.site[i].doc.front;
            row.cells = keys
                .iter()
                .map(|k| {
                    front
                        .get(k)
                        .map(|n| super::facts::front_html(&n.value))
                        .unwrap_or_default()
                })
                .collect();
        }
        table.extra = keys.iter().map(|k| field_label(k)).collect();
        table
    }

    /// A field value as escaped HTML, with references turned into links.
    pub fn field_html(&self, value: &FieldValue) -> String {
        match value {
            FieldValue::String(s) => match self.person(s) {
                Some((handle, name)) => format!(
                    "<span class=\"person\" title=\"@{}\">{}</span>",
                    escape(handle),
                    escape(name)
                ),
                None => escape(s),
            },
            FieldValue::Int(i) => group_thousands(&i.to_string()),
            FieldValue::Float(f) => format_number(*f),
            FieldValue::Bool(b) => if *b { "yes" } else { "no" }.into(),
            FieldValue::Date(d) => format!("<time datetime=\"{d}\">{d}</time>"),
            FieldValue::Datetime(dt) => {
                let utc = dt.to_offset(time::UtcOffset::UTC);
                format!(
                    "<time datetime=\"{}\">{} {:02}:{:02} UTC</time>",
                    utc.date(),
                    utc.date(),
                    utc.hour(),
                    utc.minute()
                )
            }
            FieldValue::Url(u) => format!("<a href=\"{}\">{}</a>", escape(u), escape(u)),
            FieldValue::Team(r) => link_html(&self.team_link(&r.target)),
            FieldValue::Page(r) => {
                let (target, anchor) = r
                    .target
                    .split_once('#')
                    .map_or((r.target.as_str(), None), |(t, a)| (t, Some(a)));
                match self.graph.lookup(target) {
                    Some(i) => {
                        let mut link = self.doc_link(i);
                        if let Some(a) = anchor {
                            link.url = format!("{}#{a}", link.url);
                        }
                        link_html(&link)
                    }
                    None => escape(&r.target),
                }
            }
            FieldValue::List(items) => items
                .iter()
                .map(|v| self.field_html(v))
                .collect::<Vec<_>>()
                .join(", "),
            FieldValue::ActionItems(items) => count_of(items.len(), "action item", "action items"),
            FieldValue::Metrics(items) => count_of(items.len(), "metric", "metrics"),
        }
    }

    /// A team member named by handle (`dana` or `@dana`): (handle, name), when a team file
    /// gives the member a name.
    pub fn person<'s>(&self, handle: &'s str) -> Option<(&'s str, &str)> {
        let handle = handle.trim().trim_start_matches('@');
        let name = self.cat.people.get(handle)?;
        Some((handle, name.as_str()))
    }

    /// The site's action items at these positions of the catalog's list, as rows.
    pub fn item_rows(
        &self,
        positions: impl IntoIterator<Item = usize>,
    ) -> Vec<archive::ActionRow<'_>> {
        positions
            .into_iter()
            .filter_map(|n| self.cat.items.get(n))
            .map(|it| it.row(self.site))
            .collect()
    }

    /// An action item as a row; `with_source` adds the review it comes from.
    pub fn item_view(&self, row: &archive::ActionRow<'_>, with_source: bool) -> ItemView {
        let item = row.item;
        let person = item.owner.as_deref().and_then(|o| self.person(o));
        ItemView {
            title: item.title.clone(),
            owner: person
                .map(|(_, name)| name.to_string())
                .or_else(|| item.owner.clone()),
            owner_handle: person.map(|(handle, _)| handle.to_string()),
            owner_url: item
                .owner
                .as_ref()
                .filter(|_| with_source)
                .map(|o| self.url(&super::tracker::ItemFilter::Owner(o.clone()).url())),
            due: item.due.map(|d| d.to_string()),
            status: item.status,
            overdue: row.overdue,
            link: item
                .link
                .as_ref()
                .and_then(|l| self.graph.lookup(&l.target))
                .map(|i| self.doc_link(i)),
            sources: if with_source {
                row.sources
                    .iter()
                    .map(|&i| {
                        let doc = &self.site[i].doc;
                        LinkView {
                            title: if doc.explicit_id {
                                doc.id.clone()
                            } else {
                                doc.title.clone()
                            },
                            url: self.url(&doc.url),
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    /// Document `i`'s body HTML with its links filled in.
    pub fn body_html(&self, i: DocId) -> String {
        self.graph.fill_html(self.site, i, &self.cat.base)
    }
}

fn link_html(link: &LinkView) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        escape(&link.url),
        escape(&link.title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::source::Source;

    /// A site made of `(path under content/, text)` files, validated and linked, and its catalog.
    fn site(files: &[(&str, &str)]) -> (Site, LinkGraph, Catalog) {
        let docs = files
            .iter()
            .map(|(path, text)| {
                let source = Source {
                    rel_path: (*path).into(),
                    text: (*text).into(),
                };
                crate::document::parse_document(&source, crate::markdown::RenderOptions::PLAIN)
                    .map(std::sync::Arc::new)
                    .expect("the test's files parse")
            })
            .collect();
        let today = time::macros::date!(2026 - 06 - 01);
        let (site, problems) =
            crate::site::assemble(docs, Config::default(), today, crate::Drafts::Exclude);
        let (graph, link_problems) = crate::links::build_graph(&site, &[]);
        assert!(
            problems.is_empty() && link_problems.is_empty(),
            "{problems:?} {link_problems:?}"
        );
        let catalog = Catalog::new(&site);
        (site, graph, catalog)
    }

    const TEMPLATE: &str = "+++\ntitle = \"Incident review\"\nfolder = \"incidents\"\nlabel = \"Incident\"\n[fields.severity]\ntype = \"enum\"\nvalues = [\"sev1\", \"sev2\"]\n[fields.teams]\ntype = \"list\"\nof = \"team\"\n[fields.status]\ntype = \"string\"\n[fields.runbook]\ntype = \"url\"\n[fields.follow_up]\ntype = \"page\"\n+++\n";
    const TEAM: &str = "+++\ntitle = \"Payments & Billing\"\nid = \"payments\"\n+++\n";
    const INCIDENT: &str = "+++\ntitle = \"Checkout <502s>\"\nid = \"INC-1\"\ndate = 2026-03-14\nseverity = \"sev2\"\nstatus = \"reviewed\"\nteams = [\"payments\"]\nrunbook = \"https://example.com/a?b=1&c=2\"\nfollow_up = \"guides/retries#backoff\"\n+++\nThe checkout API failed.\n";
    const GUIDE: &str = "+++\ntitle = \"Retries\"\n+++\n## Backoff\n";

    fn handbook() -> (Site, LinkGraph, Catalog) {
        site(&[
            ("templates/incident-review.md", TEMPLATE),
            ("teams/payments.md", TEAM),
            ("incidents/checkout.md", INCIDENT),
            ("guides/retries.md", GUIDE),
        ])
    }

    fn id_of(site: &Site, rel: &str) -> DocId {
        site.iter()
            .find(|(_, r)| r.doc.rel == rel)
            .map(|(i, _)| i)
            .expect("the document exists")
    }

    #[test]
    fn a_review_summary_names_its_kind_severity_status_and_teams() {
        let (site, graph, cat) = handbook();
        let ctx = Ctx {
            site: &site,
            graph: &graph,
            cat: &cat,
            history: &Default::default(),
        };
        let summary = ctx.summary(id_of(&site, "incidents/checkout"));
        assert_eq!(summary.title, "Checkout <502s>");
        assert_eq!(summary.url, "/incidents/checkout/");
        assert_eq!(summary.id.as_deref(), Some("INC-1"));
        assert_eq!(summary.date.as_deref(), Some("2026-03-14"));
        assert_eq!(summary.label, "Incident");
        assert_eq!(summary.severity.as_deref(), Some("sev2"));
        assert_eq!(summary.status.as_deref(), Some("reviewed"));
        assert_eq!(
            summary.teams,
            [LinkView {
                title: "Payments & Billing".into(),
                url: "/teams/payments/".into()
            }]
        );
        assert_eq!(summary.summary, "The checkout API failed.");
    }

    #[test]
    fn field_values_are_escaped_and_references_become_links() {
        let (site, graph, cat) = handbook();
        let ctx = Ctx {
            site: &site,
            graph: &graph,
            cat: &cat,
            history: &Default::default(),
        };
        let record = &site[id_of(&site, "incidents/checkout")];
        let html = |name: &str| ctx.field_html(record.fields.get(name).expect("the field is set"));
        assert_eq!(
            html("runbook"),
            "<a href=\"https://example.com/a?b=1&amp;c=2\">https://example.com/a?b=1&amp;c=2</a>"
        );
        assert_eq!(
            html("teams"),
            "<a href=\"/teams/payments/\">Payments &amp; Billing</a>"
        );
        assert_eq!(
            html("follow_up"),
            "<a href=\"/guides/retries/#backoff\">Retries</a>"
        );
        assert_eq!(html("severity"), "sev2");
    }

    /// Templates see a kind's fields at the top level, next to `site` and `page`.
    #[test]
    fn page_context_puts_a_kinds_fields_beside_site_and_page() {
        let site = SiteView {
            title: "Handbook".into(),
            description: String::new(),
            base: "/hb".into(),
            language: "en".into(),
            nav: Vec::new(),
            drafts: false,
            today: "2026-12-03".into(),
        };
        let context = PageContext {
            site: &site,
            page: PageView::titled("Incident review", "/hb/meetings/incident-review/".into()),
            extra: PlaybookView {
                templates: Vec::new(),
                archive: DocTable::default(),
                pager: Pager::default(),
                trends: Vec::new(),
            },
        };
        let value = serde_json::to_value(&context).expect("serializes");
        assert_eq!(value["site"]["base"], "/hb");
        assert_eq!(value["page"]["title"], "Incident review");
        assert_eq!(value["page"]["kind"], "page");
        assert!(value["archive"]["docs"].is_array() && value["trends"].is_array());
        let plain = serde_json::to_value(PageContext {
            site: &site,
            page: PageView::default(),
            extra: Plain {},
        })
        .expect("serializes");
        let keys: Vec<&String> = plain
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["page", "site"]);
    }
}
