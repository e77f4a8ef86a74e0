//! Rendering: the site and its link graph become an `OutputTree` of HTML pages, the sitemap,
//! the 404 page and the theme's static files. Templates get small borrowed-or-owned view structs
//! (never the model), built here; every string from content is escaped by tera unless it is
//! HTML this module produced itself.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::archive;
use crate::chart;
use crate::document::Kind;
use crate::error::{Error, tera_message};
use crate::links::{self, LinkGraph};
use crate::output::OutputTree;
use crate::schema::{Direction, FieldValue, ItemStatus, Metric};
use crate::site::{Drafts, Site};
use crate::theme::Theme;

/// URLs of pages the generator makes itself; links to them are valid.
pub const GENERATED_URLS: &[&str] = &[
    "/",
    "/incidents/",
    "/action-items/",
    "/search/",
    "/atom.xml",
    "/sitemap.xml",
    "/404.html",
    "/teams/",
    "/meetings/",
    "/templates/",
];

/// The compiled theme templates.
pub struct Renderer {
    tera: Tera,
    /// Template name -> where it came from, for error messages.
    origins: HashMap<String, String>,
}

impl Renderer {
    pub fn new(theme: &Theme) -> Result<Renderer, Error> {
        let mut tera = Tera::default();
        let mut files = Vec::new();
        for file in &theme.templates {
            let text = String::from_utf8(file.bytes.clone()).map_err(|_| Error::Theme {
                name: file.name.clone(),
                path: file.origin.clone(),
                message: "template is not valid UTF-8".into(),
            })?;
            files.push((file.name.clone(), text));
        }
        let origins: HashMap<String, String> = theme
            .templates
            .iter()
            .map(|f| (f.name.clone(), f.origin.clone()))
            .collect();
        tera.add_raw_templates(files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| {
                let name = theme_error_name(&e);
                Error::Theme {
                    path: origins.get(&name).cloned().unwrap_or_else(|| name.clone()),
                    name,
                    message: tera_message(&e),
                }
            })?;
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default also escapes `/`, which turns every URL into `&#x2F;` soup.
        tera.set_escape_fn(escape);
        Ok(Renderer { tera, origins })
    }

    fn render(&self, name: &str, context: &Context) -> Result<String, Error> {
        self.tera.render(name, context).map_err(|e| Error::Theme {
            name: name.to_string(),
            path: self
                .origins
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.to_string()),
            message: tera_message(&e),
        })
    }
}

fn theme_error_name(err: &tera::Error) -> String {
    let text = err.to_string();
    text.split('\'').nth(1).unwrap_or("theme").to_string()
}

// ---------------------------------------------------------------------------------------------
// View structs: what templates see.

#[derive(Serialize)]
struct SiteView {
    title: String,
    description: String,
    /// Path prefix of every internal URL (`""` or `/handbook`).
    base: String,
    language: String,
    nav: Vec<LinkView>,
    drafts: bool,
    today: String,
    /// How many search indexes the browser merges (see `search::build_indexes`).
    search_indexes: usize,
}

#[derive(Serialize, Clone)]
struct LinkView {
    title: String,
    url: String,
}

/// One document as it appears in a list.
#[derive(Serialize, Clone)]
struct DocSummary {
    title: String,
    url: String,
    id: Option<String>,
    date: Option<String>,
    label: String,
    severity: Option<String>,
    status: Option<String>,
    teams: Vec<LinkView>,
    summary: String,
    draft: bool,
}

#[derive(Serialize)]
struct Group {
    label: String,
    items: Vec<DocSummary>,
}

#[derive(Serialize)]
struct TocItem {
    level: u8,
    id: String,
    text: String,
}

#[derive(Serialize)]
struct FieldRow {
    name: String,
    label: String,
    /// Rendered, escaped HTML.
    html: String,
}

#[derive(Serialize)]
struct ItemView {
    title: String,
    owner: Option<String>,
    due: Option<String>,
    status: ItemStatus,
    overdue: bool,
    /// Rendered link to a related document, if any.
    link: Option<LinkView>,
    source: Option<DocSummary>,
}

#[derive(Serialize)]
struct MetricView {
    name: String,
    unit: String,
    team: Option<String>,
    current: Option<String>,
    goal: Option<String>,
    direction: Direction,
    /// `up`, `down` or `flat`, from the last two points.
    trend: Option<&'static str>,
    on_track: Option<bool>,
    points: usize,
    /// A sparkline of the metric's history up to this review (SVG), if it has two points or more.
    spark: String,
}

/// A chart with its data as a table, for readers who cannot see it.
#[derive(Serialize)]
struct ChartView {
    title: String,
    svg: String,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// The page being rendered, whatever its kind.
#[derive(Serialize)]
struct PageView {
    kind: Kind,
    title: String,
    url: String,
    id: Option<String>,
    date: Option<String>,
    draft: bool,
    summary: Option<String>,
    source_path: String,
    content: String,
    toc: Vec<TocItem>,
    label: String,
    severity: Option<String>,
    status: Option<String>,
    teams: Vec<LinkView>,
    fields: Vec<FieldRow>,
    action_items: Vec<ItemView>,
    metrics: Vec<MetricView>,
    timings: Vec<FieldRow>,
    related: Vec<DocSummary>,
    backlinks: Vec<Group>,
    template: Option<LinkView>,
    meeting: Option<LinkView>,
    /// Pagefind attributes, as (`meta` or `filter`, `key:value`); empty on pages that are
    /// not indexed.
    search: Vec<SearchAttr>,
}

#[derive(Serialize)]
struct SearchAttr {
    attr: &'static str,
    value: String,
}

fn search_attrs(site: &Site, i: usize) -> Vec<SearchAttr> {
    crate::search::page_attributes(site, i)
        .into_iter()
        .map(|(attr, value)| SearchAttr { attr, value })
        .collect()
}

#[derive(Serialize)]
struct SchemaFieldView {
    name: String,
    ty: String,
    required: bool,
    help: String,
}

#[derive(Serialize)]
struct SectionView {
    heading: String,
    prompt: String,
    required: bool,
}

// ---------------------------------------------------------------------------------------------

/// Indexes the renderer needs across pages, computed once per build and owned, so the preview
/// server can keep them and render any single page on request.
pub struct Catalog {
    base: String,
    /// Reviews of each template, newest first.
    reviews_by_template: Vec<Vec<usize>>,
    /// Documents that name each team in a team field, newest first.
    docs_by_team: HashMap<String, Vec<usize>>,
    incidents: Vec<usize>,
    incident_set: HashSet<usize>,
    /// Every metric gathered across reviews.
    metrics: Vec<archive::MetricSeries>,
}

impl Catalog {
    fn new(site: &Site) -> Catalog {
        let mut reviews_by_template = vec![Vec::new(); site.templates.len()];
        let mut docs_by_team: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in site.records.iter().enumerate() {
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
        Catalog {
            base: site.config.base_path(),
            reviews_by_template,
            docs_by_team,
            incident_set: incidents.iter().copied().collect(),
            incidents,
            metrics: archive::metric_series(site),
        }
    }
}

/// What every render function reads: the model, its link graph and the catalog.
struct Ctx<'a> {
    site: &'a Site,
    graph: &'a LinkGraph,
    cat: &'a Catalog,
}

impl<'a> Ctx<'a> {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.cat.base, path)
    }

    fn doc_link(&self, i: usize) -> LinkView {
        let doc = &self.site.records[i].doc;
        LinkView {
            title: doc.title.clone(),
            url: self.url(&doc.url),
        }
    }

    fn team_link(&self, id: &str) -> LinkView {
        match self.site.teams.get(id) {
            Some(team) => LinkView {
                title: team.name.clone(),
                url: self.url(&self.site.records[team.doc].doc.url),
            },
            None => LinkView {
                title: id.to_string(),
                url: String::new(),
            },
        }
    }

    fn label(&self, i: usize) -> String {
        let record = &self.site.records[i];
        match record.kind {
            Kind::Review => self
                .site
                .template_of(record)
                .map_or_else(|| "Review".into(), |t| t.label.clone()),
            kind => kind.label().to_string(),
        }
    }

    fn summary(&self, i: usize) -> DocSummary {
        let record = &self.site.records[i];
        let doc = &record.doc;
        DocSummary {
            title: doc.title.clone(),
            url: self.url(&doc.url),
            id: doc.explicit_id.then(|| doc.id.clone()),
            date: doc.date.map(|d| d.to_string()),
            label: self.label(i),
            severity: archive::string_field(record, "severity").map(str::to_string),
            status: archive::string_field(record, "status")
                .or_else(|| archive::string_field(record, "stage"))
                .or_else(|| archive::string_field(record, "outcome"))
                .map(str::to_string),
            teams: archive::teams_of(record)
                .iter()
                .map(|t| self.team_link(t))
                .collect(),
            summary: doc.excerpt(),
            draft: doc.draft,
        }
    }

    fn summaries(&self, list: &[usize]) -> Vec<DocSummary> {
        list.iter().map(|&i| self.summary(i)).collect()
    }

    /// A field value as escaped HTML, with references turned into links.
    fn field_html(&self, value: &FieldValue) -> String {
        match value {
            FieldValue::String(s) => escape(s),
            FieldValue::Int(i) => i.to_string(),
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
            FieldValue::Team(r) => {
                let link = self.team_link(&r.target);
                format!(
                    "<a href=\"{}\">{}</a>",
                    escape(&link.url),
                    escape(&link.title)
                )
            }
            FieldValue::Page(r) => {
                let (target, anchor) = r
                    .target
                    .split_once('#')
                    .map_or((r.target.as_str(), None), |(t, a)| (t, Some(a)));
                match self.graph.lookup(target) {
                    Some(i) => {
                        let link = self.doc_link(i);
                        let href = match anchor {
                            Some(a) => format!("{}#{a}", link.url),
                            None => link.url,
                        };
                        format!("<a href=\"{}\">{}</a>", escape(&href), escape(&link.title))
                    }
                    None => escape(&r.target),
                }
            }
            FieldValue::List(items) => items
                .iter()
                .map(|v| self.field_html(v))
                .collect::<Vec<_>>()
                .join(", "),
            FieldValue::ActionItems(items) => format!("{} action item(s)", items.len()),
            FieldValue::Metrics(items) => format!("{} metric(s)", items.len()),
        }
    }

    fn item_view(&self, row: &archive::ActionRow<'_>, with_source: bool) -> ItemView {
        let item = row.item;
        ItemView {
            title: item.title.clone(),
            owner: item.owner.clone(),
            due: item.due.map(|d| d.to_string()),
            status: item.status,
            overdue: row.overdue,
            link: item
                .link
                .as_ref()
                .and_then(|l| self.graph.lookup(&l.target))
                .map(|i| self.doc_link(i)),
            source: with_source.then(|| self.summary(row.source)),
        }
    }

    fn fill_links(&self, i: usize) -> String {
        self.graph.fill_html(self.site, i, &self.cat.base)
    }

    /// The history of metric `m` (the `n`th of review `i`) up to the review's date, as a sparkline.
    fn sparkline(&self, i: usize, n: usize, m: &Metric) -> String {
        let record = &self.site.records[i];
        let teams = archive::teams_of(record);
        let team = m
            .team
            .as_ref()
            .map(|t| t.target.clone())
            .or_else(|| (teams.len() == 1).then(|| teams[0].clone()));
        let Some(series) = self
            .cat
            .metrics
            .iter()
            .find(|s| s.team == team && s.name == m.name)
        else {
            return String::new();
        };
        let until = record.doc.date;
        let points: Vec<chart::Point> = series
            .points
            .iter()
            .filter(|(d, _)| until.is_none_or(|u| *d <= u))
            .map(|&(date, value)| chart::Point { date, value })
            .collect();
        if points.len() < 2 {
            return String::new();
        }
        chart::sparkline(
            &format!("spark-{n}"),
            &m.name,
            &m.unit,
            &points,
            m.goal,
            better(m.direction),
        )
    }

    fn metric_chart(&self, id: &str, series: &archive::MetricSeries) -> ChartView {
        let points: Vec<chart::Point> = series
            .points
            .iter()
            .map(|&(date, value)| chart::Point { date, value })
            .collect();
        let title = match &series.team {
            Some(t) => format!("{} ({})", series.name, self.team_link(t).title),
            None => series.name.clone(),
        };
        ChartView {
            svg: chart::trend(
                id,
                &title,
                &series.unit,
                &points,
                series.goal,
                better(series.direction),
            ),
            title,
            columns: vec![
                "Date".into(),
                format!("Value{}", unit_suffix(&series.unit)),
                "Goal".into(),
            ],
            rows: series
                .points
                .iter()
                .map(|(d, v)| {
                    vec![
                        d.to_string(),
                        format_number(*v),
                        series.goal.map(format_number).unwrap_or_default(),
                    ]
                })
                .collect(),
        }
    }

    /// One chart per metric name across the given reviews, one line per team.
    fn metric_name_charts(&self, reviews: &BTreeSet<usize>) -> Vec<ChartView> {
        let mut by_name: BTreeMap<&str, Vec<&archive::MetricSeries>> = BTreeMap::new();
        for s in self
            .cat
            .metrics
            .iter()
            .filter(|s| s.sources.iter().any(|r| reviews.contains(r)))
        {
            by_name.entry(s.name.as_str()).or_default().push(s);
        }
        by_name
            .into_iter()
            .enumerate()
            .map(|(n, (name, list))| {
                let series: Vec<(String, Vec<chart::Point>)> = list
                    .iter()
                    .map(|s| {
                        let label = s
                            .team
                            .as_deref()
                            .map_or_else(|| "all".to_string(), |t| self.team_link(t).title);
                        (
                            label,
                            s.points
                                .iter()
                                .map(|&(date, value)| chart::Point { date, value })
                                .collect(),
                        )
                    })
                    .collect();
                let unit = list.first().map_or("", |s| s.unit.as_str());
                let mut dates: Vec<time::Date> = list
                    .iter()
                    .flat_map(|s| s.points.iter().map(|p| p.0))
                    .collect();
                dates.sort();
                dates.dedup();
                let mut columns = vec!["Date".to_string()];
                columns.extend(series.iter().map(|(label, _)| label.clone()));
                let rows = dates
                    .iter()
                    .map(|d| {
                        let mut row = vec![d.to_string()];
                        row.extend(list.iter().map(|s| {
                            s.points
                                .iter()
                                .find(|p| p.0 == *d)
                                .map(|p| format_number(p.1))
                                .unwrap_or_default()
                        }));
                        row
                    })
                    .collect();
                ChartView {
                    svg: chart::multi_line(&format!("trend-{n}"), name, unit, &series),
                    title: name.to_string(),
                    columns,
                    rows,
                }
            })
            .collect()
    }

    /// Incidents per month by severity, as stacked bars, for the given incidents.
    fn incident_chart(&self, id: &str, incidents: &[usize]) -> Option<ChartView> {
        let levels = archive::severity_levels(self.site);
        let stacks = archive::incidents_per_month(self.site, incidents, &levels, 12);
        if stacks.is_empty() {
            return None;
        }
        let mut columns = vec!["Month".to_string()];
        columns.extend(levels.iter().cloned());
        let rows = stacks
            .iter()
            .map(|s| {
                std::iter::once(s.label.clone())
                    .chain(s.segments.iter().map(|(_, c)| c.to_string()))
                    .collect()
            })
            .collect();
        Some(ChartView {
            svg: chart::stacked_bars(id, "Incidents per month by severity", &stacks),
            title: "Incidents per month by severity".into(),
            columns,
            rows,
        })
    }

    /// Median time to detect and to resolve per quarter, as a table.
    fn response_table(&self, incidents: &[usize]) -> Option<ChartView> {
        let quarters = archive::response_times(self.site, incidents);
        if quarters.is_empty() {
            return None;
        }
        let minutes = |m: Option<i64>| {
            m.map_or_else(
                || "—".to_string(),
                |m| {
                    if m < 120 {
                        format!("{m} min")
                    } else {
                        format!("{} h {} min", m / 60, m % 60)
                    }
                },
            )
        };
        Some(ChartView {
            title: "Median time to detect and to resolve".into(),
            svg: String::new(),
            columns: vec![
                "Quarter".into(),
                "Incidents with timestamps".into(),
                "Median time to detect".into(),
                "Median time to resolve".into(),
            ],
            rows: quarters
                .into_iter()
                .map(|(q, n, d, r)| vec![q, n.to_string(), minutes(d), minutes(r)])
                .collect(),
        })
    }

    fn nav(&self) -> Vec<LinkView> {
        let mut nav = Vec::new();
        let has = |kind: Kind| self.site.records.iter().any(|r| r.kind == kind);
        if has(Kind::Playbook) {
            nav.push(LinkView {
                title: "Meetings".into(),
                url: self.url("/meetings/"),
            });
        }
        if has(Kind::Template) {
            nav.push(LinkView {
                title: "Templates".into(),
                url: self.url("/templates/"),
            });
        }
        if !self.cat.incidents.is_empty() {
            nav.push(LinkView {
                title: "Incidents".into(),
                url: self.url("/incidents/"),
            });
        }
        let mut folders: BTreeSet<&str> = BTreeSet::new();
        for r in &self.site.records {
            if let Some(top) = r.doc.folder.split('/').next().filter(|f| !f.is_empty()) {
                folders.insert(top);
            }
        }
        for folder in folders {
            if ["meetings", "templates", "teams", "incidents"].contains(&folder) {
                continue;
            }
            nav.push(LinkView {
                title: self.section_title(folder),
                url: self.url(&format!("/{}/", markdown_segment_path(folder))),
            });
        }
        if has(Kind::Team) {
            nav.push(LinkView {
                title: "Teams".into(),
                url: self.url("/teams/"),
            });
        }
        if self.site.records.iter().any(|r| {
            r.fields
                .0
                .iter()
                .any(|(_, v)| matches!(v, FieldValue::ActionItems(_)))
        }) {
            nav.push(LinkView {
                title: "Action items".into(),
                url: self.url("/action-items/"),
            });
        }
        nav
    }

    /// A folder's title: its `_index.md` title, the label of the template that claims it, or its name.
    fn section_title(&self, folder: &str) -> String {
        if let Some(r) = self
            .site
            .records
            .iter()
            .find(|r| r.doc.is_index() && r.doc.folder == folder)
        {
            return r.doc.title.clone();
        }
        if let Some(t) = self
            .site
            .templates
            .iter()
            .find(|t| t.folder.as_deref() == Some(folder))
        {
            return links::plural(&t.label);
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
}

fn markdown_segment_path(folder: &str) -> String {
    folder
        .split('/')
        .map(crate::document::url_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// Escapes text for HTML and XML text and attribute values (pages, feeds, SVG). Control
/// characters other than tab and newlines are dropped: XML 1.0 forbids them.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        let s = format!("{f:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn better(direction: Direction) -> chart::Better {
    match direction {
        Direction::Up => chart::Better::Up,
        Direction::Down => chart::Better::Down,
    }
}

fn unit_suffix(unit: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!(" ({unit})")
    }
}

fn metric_view(m: &Metric, spark: String) -> MetricView {
    let current = m.current();
    let trend = if m.series.len() >= 2 {
        let (a, b) = (
            m.series[m.series.len() - 2].1,
            m.series[m.series.len() - 1].1,
        );
        Some(if b > a {
            "up"
        } else if b < a {
            "down"
        } else {
            "flat"
        })
    } else {
        None
    };
    let on_track = match (current, m.goal) {
        (Some(c), Some(g)) => Some(match m.direction {
            Direction::Up => c >= g,
            Direction::Down => c <= g,
        }),
        _ => None,
    };
    MetricView {
        name: m.name.clone(),
        unit: m.unit.clone(),
        team: m.team.as_ref().map(|t| t.target.clone()),
        current: current.map(format_number),
        goal: m.goal.map(format_number),
        direction: m.direction,
        trend,
        on_track,
        points: m.series.len(),
        spark,
    }
}

/// Pages the renderer makes.
#[derive(Debug, Clone)]
enum Job {
    Document(usize),
    /// A folder without an `_index.md`.
    Section(String),
    Incidents,
    ActionItems,
    /// The home page of a site without `content/_index.md`.
    Home,
    Search,
    NotFound,
    Sitemap,
    /// The site's Atom feed.
    Feed,
    /// A team's Atom feed, by team id.
    TeamFeed(String),
    /// The theme's static file with this index.
    Static(usize),
    SyntaxCss,
    /// The content asset with this index.
    Asset(usize),
}

/// Every file of the site and how to make it, decided before anything is rendered: a full
/// build renders them all, in parallel and straight to disk; the preview server renders only
/// the ones a browser asks for.
pub struct Plan {
    renderer: Arc<Renderer>,
    catalog: Catalog,
    site_view: SiteView,
    /// Output path (`a/b/index.html`) -> what makes it.
    jobs: BTreeMap<String, Job>,
}

/// Where rendered files go, one call per file, from many threads at once.
pub type Sink<'a> = dyn Fn(&str, Vec<u8>) -> Result<(), Error> + Sync + 'a;

/// What a plan renders from: the validated model, its links, the theme and the content's assets.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub graph: &'a LinkGraph,
    pub theme: &'a Theme,
    pub assets: &'a [crate::source::Asset],
}

impl Plan {
    /// `renderer`: the theme's compiled templates (see `Renderer::new`).
    pub fn new(inputs: Inputs<'_>, renderer: Arc<Renderer>) -> Result<Plan, Error> {
        let Inputs {
            site,
            theme,
            assets,
            ..
        } = inputs;
        let catalog = Catalog::new(site);
        let mut jobs: BTreeMap<String, Job> = BTreeMap::new();
        for (i, r) in site.records.iter().enumerate() {
            jobs.insert(output_path(&r.doc.url), Job::Document(i));
        }
        let mut folders: BTreeSet<&str> = BTreeSet::new();
        let mut indexed: HashSet<&str> = HashSet::new();
        for r in &site.records {
            if r.doc.is_index() {
                indexed.insert(r.doc.folder.as_str());
            }
            let mut folder = r.doc.folder.as_str();
            while !folder.is_empty() {
                folders.insert(folder);
                folder = folder.rsplit_once('/').map_or("", |(p, _)| p);
            }
        }
        let catalogue = !catalog.incidents.is_empty();
        for folder in folders {
            let replaced = indexed.contains(folder) || (folder == "incidents" && catalogue);
            if !replaced {
                let url = format!("/{}/", markdown_segment_path(folder));
                jobs.insert(output_path(&url), Job::Section(folder.to_string()));
            }
        }
        if catalogue {
            // The catalogue takes the place of the incidents folder's section page.
            jobs.insert("incidents/index.html".into(), Job::Incidents);
        }
        if !site.records.iter().any(|r| r.kind == Kind::Home) {
            jobs.insert("index.html".into(), Job::Home);
        }
        jobs.insert("action-items/index.html".into(), Job::ActionItems);
        jobs.insert("search/index.html".into(), Job::Search);
        jobs.insert("404.html".into(), Job::NotFound);
        jobs.insert("sitemap.xml".into(), Job::Sitemap);
        jobs.insert("atom.xml".into(), Job::Feed);
        for team in site.teams.values() {
            let url = &site.records[team.doc].doc.url;
            jobs.insert(
                format!("{}atom.xml", url.trim_start_matches('/')),
                Job::TeamFeed(team.id.clone()),
            );
        }
        for (n, file) in theme.static_files.iter().enumerate() {
            jobs.insert(file.name.clone(), Job::Static(n));
        }
        jobs.insert("syntax.css".into(), Job::SyntaxCss);
        for (n, asset) in assets.iter().enumerate() {
            jobs.insert(asset.rel_path.clone(), Job::Asset(n));
        }
        let ctx = Ctx {
            site,
            graph: inputs.graph,
            cat: &catalog,
        };
        let site_view = SiteView {
            title: site.config.title.clone(),
            description: site.config.description.clone(),
            base: catalog.base.clone(),
            language: site.config.language.clone(),
            nav: ctx.nav(),
            drafts: site.drafts == Drafts::Include,
            today: site.today.to_string(),
            search_indexes: crate::search::index_count(
                jobs.values()
                    .filter(|j| matches!(j, Job::Document(_)))
                    .count(),
                site.config.search.pages_per_index,
            ),
        };
        Ok(Plan {
            renderer,
            catalog,
            site_view,
            jobs,
        })
    }

    /// Output paths of the documents' pages, in order: what the search index covers.
    pub fn document_paths(&self) -> Vec<String> {
        self.jobs
            .iter()
            .filter(|(_, job)| matches!(job, Job::Document(_)))
            .map(|(path, _)| path.clone())
            .collect()
    }

    /// Every output path, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.jobs.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    pub fn contains(&self, path: &str) -> bool {
        self.jobs.contains_key(path)
    }

    /// The bytes of one output file; `None` if the site has no such file.
    pub fn render(&self, inputs: Inputs<'_>, path: &str) -> Option<Result<Vec<u8>, Error>> {
        let job = self.jobs.get(path)?;
        Some(self.run(inputs, job))
    }

    /// Renders every file on all cores, handing each to `sink` as soon as it is made, so a
    /// build never holds the whole site in memory.
    pub fn render_all(&self, inputs: Inputs<'_>, sink: &Sink<'_>) -> Result<(), Error> {
        self.jobs
            .par_iter()
            .try_for_each(|(path, job)| sink(path, self.run(inputs, job)?))
    }

    fn run(&self, inputs: Inputs<'_>, job: &Job) -> Result<Vec<u8>, Error> {
        let Inputs {
            site,
            graph,
            theme,
            assets,
        } = inputs;
        let ctx = Ctx {
            site,
            graph,
            cat: &self.catalog,
        };
        let renderer = &self.renderer;
        let mut context = Context::new();
        context.insert("site", &self.site_view);
        let html = match job {
            Job::Document(i) => render_document(&ctx, renderer, *i, context),
            Job::Section(folder) => render_section(&ctx, renderer, folder, None, context),
            Job::Incidents => render_incidents(&ctx, renderer, context),
            Job::ActionItems => render_action_items(&ctx, renderer, context),
            Job::Home => render_home(
                &ctx,
                renderer,
                None,
                simple_page(&site.config.title, &ctx.url("/")),
                context,
            ),
            Job::Search => render_search(&ctx, renderer, context),
            Job::NotFound => {
                context.insert(
                    "page",
                    &simple_page("Page not found", &ctx.url("/404.html")),
                );
                renderer.render("404.html", &context)
            }
            Job::Sitemap => Ok(sitemap(&ctx, self.paths())),
            Job::Feed => {
                let all: Vec<usize> = (0..site.records.len()).collect();
                Ok(crate::feed::atom(
                    site,
                    &site.config.title,
                    "/atom.xml",
                    &all,
                ))
            }
            Job::TeamFeed(id) => {
                let Some(team) = site.teams.get(id) else {
                    return Ok(Vec::new());
                };
                let naming = self
                    .catalog
                    .docs_by_team
                    .get(id)
                    .map_or(&[][..], Vec::as_slice);
                let url = &site.records[team.doc].doc.url;
                let title = format!("{} · {}", team.name, site.config.title);
                Ok(crate::feed::atom(
                    site,
                    &title,
                    &format!("{url}atom.xml"),
                    naming,
                ))
            }
            Job::Static(n) => return Ok(theme.static_files[*n].bytes.clone()),
            Job::Asset(n) => return Ok(assets[*n].bytes.to_vec()),
            Job::SyntaxCss => Ok(crate::highlight::stylesheet(
                &site.config.highlight.light_theme,
                &site.config.highlight.dark_theme,
            )),
        };
        html.map(String::into_bytes)
    }
}

/// Renders every page of `site` into memory (tests and tools; builds stream with `Plan`).
pub fn render_site(inputs: Inputs<'_>) -> Result<OutputTree, Error> {
    let plan = Plan::new(inputs, Arc::new(Renderer::new(inputs.theme)?))?;
    let tree = std::sync::Mutex::new(OutputTree::default());
    plan.render_all(inputs, &|path, bytes| {
        tree.lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_string(), bytes);
        Ok(())
    })?;
    Ok(tree.into_inner().unwrap_or_else(|p| p.into_inner()))
}

fn simple_page(title: &str, url: &str) -> PageView {
    PageView {
        kind: Kind::Page,
        title: title.to_string(),
        url: url.to_string(),
        id: None,
        date: None,
        draft: false,
        summary: None,
        source_path: String::new(),
        content: String::new(),
        toc: Vec::new(),
        label: String::new(),
        severity: None,
        status: None,
        teams: Vec::new(),
        fields: Vec::new(),
        action_items: Vec::new(),
        metrics: Vec::new(),
        timings: Vec::new(),
        related: Vec::new(),
        backlinks: Vec::new(),
        template: None,
        meeting: None,
        search: Vec::new(),
    }
}

/// Output file for a URL: `/a/b/` -> `a/b/index.html`.
fn output_path(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

/// Fields shown in a review's header rather than in its field table.
const HEADER_FIELDS: &[&str] = &["severity", "status", "teams"];

fn render_document(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    i: usize,
    mut context: Context,
) -> Result<String, Error> {
    let site = ctx.site;
    let record = &site.records[i];
    let doc = &record.doc;
    let template = site.template_of(record);

    let mut page = simple_page(&doc.title, &ctx.url(&doc.url));
    page.kind = record.kind;
    page.id = doc.explicit_id.then(|| doc.id.clone());
    page.date = doc.date.map(|d| d.to_string());
    page.draft = doc.draft;
    page.summary = doc.summary.clone();
    page.source_path = doc.path.clone();
    page.content = ctx.fill_links(i);
    page.search = search_attrs(site, i);
    page.toc = doc
        .markdown
        .headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .map(|h| TocItem {
            level: h.level,
            id: h.id.clone(),
            text: h.text.clone(),
        })
        .collect();
    page.label = ctx.label(i);
    page.severity = archive::string_field(record, "severity").map(str::to_string);
    page.status = ctx.summary(i).status;
    page.teams = archive::teams_of(record)
        .iter()
        .map(|t| ctx.team_link(t))
        .collect();
    page.template = template.map(|t| ctx.doc_link(t.doc));
    page.meeting = template.and_then(|t| t.meeting).map(|m| ctx.doc_link(m));

    for (name, value) in &record.fields.0 {
        match value {
            FieldValue::ActionItems(_) => {}
            FieldValue::Metrics(metrics) => page.metrics.extend(
                metrics
                    .iter()
                    .enumerate()
                    .map(|(n, m)| metric_view(m, ctx.sparkline(i, n, m))),
            ),
            _ if record.kind == Kind::Review && HEADER_FIELDS.contains(&name.as_str()) => {}
            _ if record.kind == Kind::Team && name == "services" => {}
            _ => page.fields.push(FieldRow {
                name: name.clone(),
                label: field_label(name),
                html: ctx.field_html(value),
            }),
        }
    }
    page.action_items = archive::items_of(site, i, record)
        .iter()
        .map(|row| ctx.item_view(row, false))
        .collect();
    page.timings = timings(record);
    page.related = ctx.summaries(&ctx.graph.related[i]);

    // Lists a page already shows in full are left out of "Referenced by".
    let mut listed: BTreeSet<usize> = ctx.graph.related[i].iter().copied().collect();
    match record.kind {
        Kind::Playbook => {
            let templates: Vec<usize> = site
                .templates
                .iter()
                .enumerate()
                .filter(|(_, t)| t.meeting == Some(i))
                .map(|(t, _)| t)
                .collect();
            let mut archive_list: Vec<usize> = templates
                .iter()
                .flat_map(|&t| ctx.cat.reviews_by_template[t].iter().copied())
                .collect();
            archive::sort_newest_first(site, &mut archive_list);
            listed.extend(&archive_list);
            listed.extend(templates.iter().map(|&t| site.templates[t].doc));
            let template_views: Vec<DocSummary> = templates
                .iter()
                .map(|&t| ctx.summary(site.templates[t].doc))
                .collect();
            context.insert("templates", &template_views);
            context.insert("archive", &ctx.summaries(&archive_list));
            let reviews: BTreeSet<usize> = archive_list.iter().copied().collect();
            context.insert("trends", &ctx.metric_name_charts(&reviews));
        }
        Kind::Template => {
            if let Some(t) = site.templates.iter().position(|t| t.doc == i) {
                let tpl = &site.templates[t];
                listed.extend(&ctx.cat.reviews_by_template[t]);
                listed.extend(tpl.meeting);
                let fields: Vec<SchemaFieldView> = tpl
                    .schema
                    .fields
                    .iter()
                    .map(|f| SchemaFieldView {
                        name: f.name.clone(),
                        ty: f.ty.name(),
                        required: f.required,
                        help: f.help.clone(),
                    })
                    .collect();
                let sections: Vec<SectionView> = tpl
                    .schema
                    .sections
                    .iter()
                    .map(|s| SectionView {
                        heading: s.heading.clone(),
                        prompt: s.prompt.clone(),
                        required: s.required,
                    })
                    .collect();
                context.insert("schema_fields", &fields);
                context.insert("sections", &sections);
                context.insert("reviews", &ctx.summaries(&ctx.cat.reviews_by_template[t]));
                context.insert("template_id", &tpl.id);
                context.insert("folder", &tpl.folder);
                context.insert("template_meeting", &tpl.meeting.map(|m| ctx.doc_link(m)));
            }
        }
        Kind::Team => {
            let team = site.teams.values().find(|t| t.doc == i);
            let naming = team
                .and_then(|t| ctx.cat.docs_by_team.get(&t.id))
                .cloned()
                .unwrap_or_default();
            listed.extend(&naming);
            let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for &d in &naming {
                groups
                    .entry(links::group_label(site, d))
                    .or_default()
                    .push(d);
            }
            let groups: Vec<Group> = groups
                .into_iter()
                .map(|(label, items)| Group {
                    label,
                    items: ctx.summaries(&items),
                })
                .collect();
            let team_id = team.map(|t| t.id.as_str()).unwrap_or_default();
            let mut open_rows: Vec<archive::ActionRow<'_>> = archive::action_items(site)
                .into_iter()
                .filter(|row| {
                    row.item.status == ItemStatus::Open && row.teams.iter().any(|t| t == team_id)
                })
                .collect();
            archive::sort_items(&mut open_rows);
            let open: Vec<ItemView> = open_rows
                .iter()
                .map(|row| ctx.item_view(row, true))
                .collect();
            let incidents: Vec<usize> = naming
                .iter()
                .copied()
                .filter(|d| ctx.cat.incident_set.contains(d))
                .collect();
            context.insert("members", &team.map(|t| &t.members));
            context.insert("team_name", &team.map(|t| t.name.clone()));
            context.insert("oncall", &doc.front.str("oncall"));
            context.insert("channel", &doc.front.str("channel"));
            let services: Vec<String> = match record.fields.get("services") {
                Some(FieldValue::List(items)) => items.iter().map(|v| ctx.field_html(v)).collect(),
                _ => Vec::new(),
            };
            context.insert("services", &services);
            context.insert("groups", &groups);
            context.insert("open_items", &open);
            context.insert("incident_count", &incidents.len());
            let team_id = team.map(|t| t.id.clone());
            let charts: Vec<ChartView> = ctx
                .cat
                .metrics
                .iter()
                .filter(|s| s.team.is_some() && s.team == team_id)
                .enumerate()
                .map(|(n, s)| ctx.metric_chart(&format!("metric-{n}"), s))
                .collect();
            context.insert("charts", &charts);
            context.insert(
                "incident_chart",
                &ctx.incident_chart("team-incidents", &incidents),
            );
            context.insert("response_table", &ctx.response_table(&incidents));
        }
        Kind::Home => {
            return render_home(ctx, renderer, Some(i), page, context);
        }
        Kind::Section => {
            context.insert("page", &page);
            return render_section(ctx, renderer, &doc.folder, Some(i), context);
        }
        _ => {}
    }
    page.backlinks = backlink_groups(ctx, i, &listed);
    context.insert("page", &page);
    let template_name = match record.kind {
        Kind::Playbook => "playbook.html",
        Kind::Template => "template.html",
        Kind::Review => "review.html",
        Kind::Team => "team.html",
        _ => "page.html",
    };
    renderer.render(template_name, &context)
}

fn backlink_groups(ctx: &Ctx<'_>, i: usize, listed: &BTreeSet<usize>) -> Vec<Group> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for &b in &ctx.graph.backlinks[i] {
        if !listed.contains(&b) && !ctx.site.records[b].doc.is_index() {
            groups
                .entry(links::group_label(ctx.site, b))
                .or_default()
                .push(b);
        }
    }
    groups
        .into_iter()
        .map(|(label, mut items)| {
            archive::sort_newest_first(ctx.site, &mut items);
            Group {
                label,
                items: ctx.summaries(&items),
            }
        })
        .collect()
}

fn field_label(name: &str) -> String {
    let words = name.replace('_', " ");
    let mut c = words.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Time to detect and to resolve, for documents with `started`, `detected` and `resolved` datetimes.
fn timings(record: &crate::site::Record) -> Vec<FieldRow> {
    let at = |name: &str| match record.fields.get(name) {
        Some(FieldValue::Datetime(dt)) => Some(*dt),
        _ => None,
    };
    let mut rows = Vec::new();
    let span = |from: time::OffsetDateTime, to: time::OffsetDateTime| {
        let minutes = (to - from).whole_minutes();
        if minutes < 0 {
            return None;
        }
        Some(if minutes < 120 {
            format!("{minutes} min")
        } else {
            format!("{} h {} min", minutes / 60, minutes % 60)
        })
    };
    if let (Some(s), Some(d)) = (at("started"), at("detected"))
        && let Some(t) = span(s, d)
    {
        rows.push(FieldRow {
            name: "time_to_detect".into(),
            label: "Time to detect".into(),
            html: escape(&t),
        });
    }
    if let (Some(s), Some(r)) = (at("started"), at("resolved"))
        && let Some(t) = span(s, r)
    {
        rows.push(FieldRow {
            name: "time_to_resolve".into(),
            label: "Time to resolve".into(),
            html: escape(&t),
        });
    }
    rows
}

#[derive(Serialize)]
struct Subsection {
    title: String,
    url: String,
    count: usize,
}

fn render_section(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    folder: &str,
    index_doc: Option<usize>,
    mut context: Context,
) -> Result<String, Error> {
    let site = ctx.site;
    let url = format!("/{}/", markdown_segment_path(folder));
    if index_doc.is_none() {
        let mut page = simple_page(&ctx.section_title(folder), &ctx.url(&url));
        page.kind = Kind::Section;
        context.insert("page", &page);
    } else if let Some(i) = index_doc {
        let mut page = simple_page(&site.records[i].doc.title, &ctx.url(&url));
        page.kind = Kind::Section;
        page.content = ctx.fill_links(i);
        page.search = search_attrs(site, i);
        page.summary = site.records[i].doc.summary.clone();
        page.draft = site.records[i].doc.draft;
        context.insert("page", &page);
    }
    let mut children: Vec<usize> = site
        .records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.doc.folder == folder && !r.doc.is_index())
        .map(|(i, _)| i)
        .collect();
    let dated = children.iter().any(|&i| site.records[i].doc.date.is_some());
    if dated {
        archive::sort_newest_first(site, &mut children);
    } else {
        children.sort_by(|&a, &b| {
            let (da, db) = (&site.records[a].doc, &site.records[b].doc);
            da.weight
                .cmp(&db.weight)
                .then_with(|| da.title.to_lowercase().cmp(&db.title.to_lowercase()))
        });
    }
    let prefix = format!("{folder}/");
    let mut subs: BTreeMap<String, usize> = BTreeMap::new();
    for r in &site.records {
        if let Some(rest) = r.doc.folder.strip_prefix(&prefix) {
            let child = rest.split('/').next().unwrap_or(rest);
            *subs.entry(format!("{prefix}{child}")).or_default() += usize::from(!r.doc.is_index());
        }
    }
    let subsections: Vec<Subsection> = subs
        .into_iter()
        .map(|(f, count)| Subsection {
            title: ctx.section_title(&f),
            url: ctx.url(&format!("/{}/", markdown_segment_path(&f))),
            count,
        })
        .collect();
    context.insert("children", &ctx.summaries(&children));
    context.insert("subsections", &subsections);
    context.insert("dated", &dated);
    renderer.render("section.html", &context)
}

#[derive(Serialize)]
struct YearRow {
    year: i32,
    counts: Vec<usize>,
    total: usize,
    incidents: Vec<DocSummary>,
}

fn render_incidents(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    mut context: Context,
) -> Result<String, Error> {
    let site = ctx.site;
    let levels = archive::severity_levels(site);
    let years = archive::incidents_by_year(site, &ctx.cat.incidents, &levels);
    let rows: Vec<YearRow> = years
        .into_iter()
        .map(|(year, counts, total)| YearRow {
            year,
            counts,
            total,
            incidents: ctx
                .cat
                .incidents
                .iter()
                .filter(|&&i| site.records[i].doc.date.map(|d| d.year()) == Some(year))
                .map(|&i| ctx.summary(i))
                .collect(),
        })
        .collect();
    let undated: Vec<DocSummary> = ctx
        .cat
        .incidents
        .iter()
        .filter(|&&i| site.records[i].doc.date.is_none())
        .map(|&i| ctx.summary(i))
        .collect();
    let index = site
        .records
        .iter()
        .position(|r| r.doc.is_index() && r.doc.folder == "incidents");
    let mut page = simple_page(
        index.map_or("Incidents", |i| site.records[i].doc.title.as_str()),
        &ctx.url("/incidents/"),
    );
    page.kind = Kind::Section;
    if let Some(i) = index {
        page.content = ctx.fill_links(i);
        page.search = search_attrs(site, i);
        page.summary = site.records[i].doc.summary.clone();
    }
    let mut totals = vec![0; levels.len()];
    for row in &rows {
        for (t, c) in totals.iter_mut().zip(&row.counts) {
            *t += c;
        }
    }
    context.insert("page", &page);
    context.insert("levels", &levels);
    context.insert("years", &rows);
    context.insert("totals", &totals);
    context.insert("total", &ctx.cat.incidents.len());
    context.insert("undated", &undated);
    context.insert(
        "incident_chart",
        &ctx.incident_chart("all-incidents", &ctx.cat.incidents),
    );
    context.insert("response_table", &ctx.response_table(&ctx.cat.incidents));
    renderer.render("incidents.html", &context)
}

#[derive(Serialize)]
struct FacetView {
    name: &'static str,
    label: &'static str,
}

fn render_search(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    mut context: Context,
) -> Result<String, Error> {
    let mut page = simple_page("Search", &ctx.url("/search/"));
    page.kind = Kind::Section;
    let facets: Vec<FacetView> = crate::search::FACETS
        .iter()
        .map(|&(name, label)| FacetView { name, label })
        .collect();
    let names: BTreeMap<&str, &str> = ctx
        .site
        .teams
        .values()
        .map(|t| (t.id.as_str(), t.name.as_str()))
        .collect();
    context.insert("page", &page);
    context.insert("facets", &facets);
    context.insert(
        "team_names",
        &serde_json::to_string(&names).unwrap_or_else(|_| "{}".into()),
    );
    renderer.render("search.html", &context)
}

fn render_action_items(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    mut context: Context,
) -> Result<String, Error> {
    let rows = archive::action_items(ctx.site);
    let items: Vec<ItemView> = rows.iter().map(|r| ctx.item_view(r, true)).collect();
    let open = rows
        .iter()
        .filter(|r| r.item.status == ItemStatus::Open)
        .count();
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let unowned = rows
        .iter()
        .filter(|r| {
            r.item.status == ItemStatus::Open && (r.item.owner.is_none() || r.item.due.is_none())
        })
        .count();
    let mut page = simple_page("Action items", &ctx.url("/action-items/"));
    page.kind = Kind::Section;
    page.summary =
        Some("Every follow-up from every review: open ones first, overdue ones marked.".into());
    context.insert("page", &page);
    context.insert("items", &items);
    context.insert("open_count", &open);
    context.insert("overdue_count", &overdue);
    context.insert("unowned_count", &unowned);
    renderer.render("section.html", &context)
}

fn render_home(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    i: Option<usize>,
    mut page: PageView,
    mut context: Context,
) -> Result<String, Error> {
    let site = ctx.site;
    if let Some(i) = i {
        page.content = ctx.fill_links(i);
    }
    page.kind = Kind::Home;
    let of_kind = |kind: Kind| -> Vec<usize> {
        let mut list: Vec<usize> = site
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == kind)
            .map(|(i, _)| i)
            .collect();
        list.sort_by(|&a, &b| {
            let (da, db) = (&site.records[a].doc, &site.records[b].doc);
            da.weight
                .cmp(&db.weight)
                .then_with(|| da.title.cmp(&db.title))
        });
        list
    };
    let mut recent: Vec<usize> = site
        .records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == Kind::Review)
        .map(|(i, _)| i)
        .collect();
    archive::sort_newest_first(site, &mut recent);
    recent.truncate(8);
    let rows = archive::action_items(site);
    context.insert("page", &page);
    context.insert("playbooks", &ctx.summaries(&of_kind(Kind::Playbook)));
    context.insert("templates", &ctx.summaries(&of_kind(Kind::Template)));
    context.insert("teams", &ctx.summaries(&of_kind(Kind::Team)));
    context.insert("recent", &ctx.summaries(&recent));
    context.insert("incident_count", &ctx.cat.incidents.len());
    context.insert(
        "open_count",
        &rows
            .iter()
            .filter(|r| r.item.status == ItemStatus::Open)
            .count(),
    );
    context.insert("overdue_count", &rows.iter().filter(|r| r.overdue).count());
    renderer.render("index.html", &context)
}

/// The sitemap lists every page (`.../index.html`), from the plan's paths.
fn sitemap<'p>(ctx: &Ctx<'_>, paths: impl Iterator<Item = &'p str>) -> String {
    let site = ctx.site;
    let urls: Vec<String> = paths
        .filter(|p| *p == "index.html" || p.ends_with("/index.html"))
        .map(|p| format!("/{}", p.trim_end_matches("index.html")))
        .collect();
    let dates: HashMap<&str, String> = site
        .records
        .iter()
        .filter_map(|r| r.doc.date.map(|d| (r.doc.url.as_str(), d.to_string())))
        .collect();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut sorted: Vec<&String> = urls.iter().collect();
    sorted.sort();
    for url in sorted {
        let loc = site.config.absolute_url(&ctx.url(url));
        out.push_str("  <url><loc>");
        out.push_str(&escape(&loc));
        out.push_str("</loc>");
        if let Some(d) = dates.get(url.as_str()) {
            out.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
