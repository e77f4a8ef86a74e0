//! The plan of a site: every output file mapped to the `Job` that makes it, decided before
//! anything is rendered. A build renders every job in parallel straight to disk; the preview
//! server renders only the jobs a browser asks for.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::catalog::{Catalog, folder_url};
use super::paging::{self, List};
use super::templates::Renderer;
use super::tracker::{self, ItemFilter};
use super::tree::{Entry, FolderId};
use super::views::{Ctx, LinkView, SiteView};
use super::{document, listing};
use crate::document::Kind;
use crate::error::Error;
use crate::html::escape;
use crate::links::LinkGraph;
use crate::output::OutputTree;
use crate::schema::FieldValue;
use crate::site::{DocId, Drafts, Site};
use crate::theme::Theme;

/// What makes one output file.
#[derive(Debug, Clone)]
enum Job {
    Document(DocId),
    /// A folder without an `_index.md`.
    Section(String),
    Incidents,
    ActionItems(ItemFilter),
    /// Page n ≥ 2 of a long list (page 1 is its owner's page).
    ListPage(List, usize),
    /// The home page of a site without `content/_index.md`.
    Home,
    Search,
    NotFound,
    /// `sitemap.xml` listing every page, or part `k` (from 0) of them when a sitemap index
    /// points at the parts.
    Sitemap(Option<usize>),
    /// `sitemap.xml` as an index of `n` parts, for sites past the protocol's 50,000 URLs a file.
    SitemapIndex(usize),
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

/// Every file of the site and how to make it.
pub struct Plan {
    renderer: Arc<Renderer>,
    /// Shared by successive plans of the preview server while edits leave what it is made
    /// from (dates, titles, fields, kinds) as it was; so is the header.
    catalog: Arc<Catalog>,
    site_view: Arc<SiteView>,
    /// Output path (`a/b/index.html`) -> what makes it. Shared by successive plans of the
    /// preview server while no file is added, removed or renamed.
    jobs: Arc<BTreeMap<String, Job>>,
}

/// Where rendered files go, one call per file, from many threads at once.
pub(crate) type Sink<'a> = dyn Fn(&str, Vec<u8>) -> Result<(), Error> + Sync + 'a;

/// What a plan renders from: the validated model, its links, the theme and the content's assets.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub graph: &'a LinkGraph,
    pub theme: &'a Theme,
    pub assets: &'a [crate::source::Asset],
    /// The date of each document's last commit, by path under `content/`.
    pub history: &'a crate::history::History,
}

impl Plan {
    /// `renderer`: the theme's compiled templates (see `Renderer::new`).
    pub fn new(inputs: Inputs<'_>, renderer: Arc<Renderer>) -> Plan {
        let Inputs {
            site,
            theme,
            assets,
            graph,
            ..
        } = inputs;
        let catalog = Catalog::new(site);
        let mut jobs: BTreeMap<String, Job> = BTreeMap::new();
        for (i, r) in site.iter() {
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
                jobs.insert(
                    output_path(&folder_url(folder)),
                    Job::Section(folder.to_string()),
                );
            }
        }
        if catalogue {
            // The catalogue takes the place of the incidents folder's section page.
            jobs.insert("incidents/index.html".into(), Job::Incidents);
        }
        if !site.records.iter().any(|r| r.kind == Kind::Home) {
            jobs.insert("index.html".into(), Job::Home);
        }
        jobs.insert("search/index.html".into(), Job::Search);
        jobs.insert("404.html".into(), Job::NotFound);
        jobs.insert("atom.xml".into(), Job::Feed);
        for team in site.teams.values() {
            let url = &site[team.doc].doc.url;
            jobs.insert(
                format!("{}atom.xml", url.trim_start_matches('/')),
                Job::TeamFeed(team.id.clone()),
            );
        }
        for (n, file) in theme.static_files.iter().enumerate() {
            jobs.insert(file.name.clone(), Job::Static(n));
        }
        jobs.insert("syntax.css".into(), Job::SyntaxCss);
        // Assets in hidden folders go out only when a page links to them.
        for (n, asset) in assets.iter().enumerate() {
            if !asset.hidden || graph.linked_assets.contains(&asset.rel_path) {
                jobs.insert(asset.rel_path.clone(), Job::Asset(n));
            }
        }
        add_derived(&mut jobs, derived_jobs(site, &catalog));
        Plan::with_jobs(inputs, catalog, renderer, Arc::new(jobs))
    }

    /// The plan of `inputs`, whose site has the same files as `before` (the one `prev` was made
    /// for), only the contents of the `changed` documents differ: the jobs are the same (unless
    /// the set of assets some page links to changed), and the catalog and the header too unless
    /// the edits changed what they are made from.
    pub fn update(
        prev: &Plan,
        before: (&Site, &LinkGraph),
        changed: &[DocId],
        inputs: Inputs<'_>,
    ) -> Plan {
        let renderer = Arc::clone(&prev.renderer);
        if before.1.linked_assets != inputs.graph.linked_assets {
            return Plan::new(inputs, renderer);
        }
        let same_facts = changed
            .iter()
            .all(|&i| Catalog::same_facts(&before.0[i], &inputs.site[i]));
        if same_facts {
            return Plan {
                renderer,
                catalog: Arc::clone(&prev.catalog),
                site_view: Arc::clone(&prev.site_view),
                jobs: Arc::clone(&prev.jobs),
            };
        }
        // The edits may have changed which tracker filters there are and how many pages a
        // list takes (a review naming another team, an item with a new owner): those jobs again.
        let catalog = Catalog::new(inputs.site);
        let derived = derived_jobs(inputs.site, &catalog);
        let before = prev.jobs.iter().filter(|(_, job)| job.is_derived());
        let same = before.clone().count() == derived.len()
            && before
                .zip(&derived)
                .all(|((pa, ja), (pb, jb))| pa == pb && ja.same_as(jb));
        let jobs = if same {
            Arc::clone(&prev.jobs)
        } else {
            let mut jobs: BTreeMap<String, Job> = prev
                .jobs
                .iter()
                .filter(|(_, job)| !job.is_derived() && !job.is_sitemap())
                .map(|(p, j)| (p.clone(), j.clone()))
                .collect();
            add_derived(&mut jobs, derived);
            Arc::new(jobs)
        };
        Plan::with_jobs(inputs, catalog, renderer, jobs)
    }

    fn with_jobs(
        inputs: Inputs<'_>,
        catalog: Catalog,
        renderer: Arc<Renderer>,
        jobs: Arc<BTreeMap<String, Job>>,
    ) -> Plan {
        let site = inputs.site;
        let ctx = Ctx {
            site,
            graph: inputs.graph,
            cat: &catalog,
            history: inputs.history,
        };
        let site_view = SiteView {
            title: site.config.title.clone(),
            description: site.config.description.clone(),
            base: catalog.base.clone(),
            language: site.config.language.clone(),
            nav: nav(&ctx),
            drafts: site.drafts == Drafts::Include,
            today: site.today.to_string(),
        };
        Plan {
            renderer,
            catalog: Arc::new(catalog),
            site_view: Arc::new(site_view),
            jobs,
        }
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

    /// The pages the sitemap lists: every page but the later pages of long lists, which are
    /// reached from their first page.
    fn sitemap_paths(&self) -> impl Iterator<Item = &str> {
        self.jobs
            .iter()
            .filter(|(path, job)| in_sitemap(path, job))
            .map(|(path, _)| path.as_str())
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
            history,
        } = inputs;
        let ctx = Ctx {
            site,
            graph,
            cat: &self.catalog,
            history,
        };
        let (renderer, view) = (self.renderer.as_ref(), &self.site_view);
        let text = match job {
            Job::Document(i) => document::render(&ctx, renderer, view, *i),
            Job::Section(folder) => listing::section(&ctx, renderer, view, folder, None, 1),
            Job::Incidents => listing::incidents(&ctx, renderer, view, 1),
            Job::ActionItems(filter) => tracker::render(&ctx, renderer, view, filter, 1),
            Job::ListPage(list, n) => match list {
                List::Folder(f) => {
                    let folder = &self.catalog.tree.folder(*f).path;
                    listing::section(&ctx, renderer, view, folder, None, *n)
                }
                List::Incidents => listing::incidents(&ctx, renderer, view, *n),
                List::Items(filter) => tracker::render(&ctx, renderer, view, filter, *n),
                List::Archive(_) | List::MadeFrom(_) | List::Team(_) => {
                    paging::render_later(&ctx, renderer, view, list, *n)
                }
            },
            Job::Home => {
                let page = super::views::PageView::titled(&site.config.title, ctx.url("/"));
                listing::home(&ctx, renderer, view, page)
            }
            Job::Search => listing::search(&ctx, renderer, view),
            Job::NotFound => listing::not_found(&ctx, renderer, view),
            Job::Sitemap(part) => Ok(sitemap(&ctx, self.sitemap_paths(), *part)),
            Job::SitemapIndex(parts) => Ok(sitemap_index(&ctx, *parts)),
            Job::Feed => {
                let all: Vec<DocId> = site.ids().collect();
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
                let url = &site[team.doc].doc.url;
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
        text.map(String::into_bytes)
    }
}

/// Renders every page of `site` into memory (tests and tools; builds stream with `Plan`).
pub fn render_site(inputs: Inputs<'_>) -> Result<OutputTree, Error> {
    let plan = Plan::new(inputs, Arc::new(Renderer::new(inputs.theme)?));
    let tree = std::sync::Mutex::new(OutputTree::default());
    plan.render_all(inputs, &|path, bytes| {
        tree.lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_string(), bytes);
        Ok(())
    })?;
    Ok(tree.into_inner().unwrap_or_else(|p| p.into_inner()))
}

impl Job {
    /// A job the catalog decides, which an edit to a document's fields may add or remove: a
    /// tracker filter's page, a later page of a list.
    fn is_derived(&self) -> bool {
        matches!(self, Job::ActionItems(_) | Job::ListPage(..))
    }

    fn is_sitemap(&self) -> bool {
        matches!(self, Job::Sitemap(_) | Job::SitemapIndex(_))
    }

    fn same_as(&self, other: &Job) -> bool {
        match (self, other) {
            (Job::ActionItems(a), Job::ActionItems(b)) => a == b,
            (Job::ListPage(a, n), Job::ListPage(b, m)) => a == b && n == m,
            _ => false,
        }
    }
}

/// The jobs the catalog decides, in path order: the tracker's filter pages and the later
/// pages of every long list. A document or generated page already at a path keeps it.
fn derived_jobs(site: &Site, catalog: &Catalog) -> Vec<(String, Job)> {
    let filters = tracker::filters(site, catalog);
    let mut out: BTreeMap<String, Job> = BTreeMap::new();
    for (list, pages) in paging::lists(site, catalog, &filters) {
        let url = list.url(site, catalog);
        for n in 2..=pages {
            out.entry(output_path(&paging::page_url(&url, n)))
                .or_insert_with(|| Job::ListPage(list.clone(), n));
        }
    }
    for filter in filters {
        // Two owners whose handles spell the same URL share the first one's page.
        out.entry(output_path(&filter.url()))
            .or_insert(Job::ActionItems(filter));
    }
    out.into_iter().collect()
}

/// Adds the derived jobs where no other job is, then the sitemap's, which count the pages.
fn add_derived(jobs: &mut BTreeMap<String, Job>, derived: Vec<(String, Job)>) {
    for (path, job) in derived {
        jobs.entry(path).or_insert(job);
    }
    let pages = jobs.iter().filter(|(p, j)| in_sitemap(p, j)).count();
    if pages <= SITEMAP_URLS {
        jobs.insert("sitemap.xml".into(), Job::Sitemap(None));
    } else {
        let parts = pages.div_ceil(SITEMAP_URLS);
        jobs.insert("sitemap.xml".into(), Job::SitemapIndex(parts));
        for k in 0..parts {
            jobs.insert(sitemap_part(k), Job::Sitemap(Some(k)));
        }
    }
}

/// Output file for a URL: `/a/b/` -> `a/b/index.html`.
fn output_path(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

/// The header's links: the generated catalogues the site has, then its top-level folders.
fn nav(ctx: &Ctx<'_>) -> Vec<LinkView> {
    let site = ctx.site;
    let mut nav = Vec::new();
    let mut push = |title: String, path: &str| {
        nav.push(LinkView {
            title,
            url: ctx.url(path),
        })
    };
    let has = |kind: Kind| site.records.iter().any(|r| r.kind == kind);
    if has(Kind::Playbook) {
        push("Meetings".into(), "/meetings/");
    }
    if has(Kind::Template) {
        push("Templates".into(), "/templates/");
    }
    if !ctx.cat.incidents.is_empty() {
        push("Incidents".into(), "/incidents/");
    }
    // Top-level folders in reading order (`weight` of their `_index.md`, then title).
    let tree = &ctx.cat.tree;
    for entry in &tree.folder(FolderId::ROOT).entries {
        if let Entry::Folder(f) = *entry {
            let folder = tree.folder(f);
            if !["meetings", "templates", "teams", "incidents"].contains(&folder.path.as_str()) {
                push(folder.title.clone(), &folder.url);
            }
        }
    }
    if has(Kind::Team) {
        push("Teams".into(), "/teams/");
    }
    let tracks_items = site.records.iter().any(|r| {
        r.fields
            .0
            .iter()
            .any(|(_, v)| matches!(v, FieldValue::ActionItems(_)))
    });
    if tracks_items {
        push("Action items".into(), "/action-items/");
    }
    nav
}

/// The sitemap protocol's limit of URLs in one file (its other limit, 50 MB, is far off: a URL
/// line is well under 1 KB).
const SITEMAP_URLS: usize = 50_000;

/// Whether an output path is a page (`.../index.html`).
fn is_page(path: &str) -> bool {
    path == "index.html" || path.ends_with("/index.html")
}

/// Whether the sitemap lists the output file of `job` at `path`.
fn in_sitemap(path: &str, job: &Job) -> bool {
    is_page(path) && !matches!(job, Job::ListPage(..))
}

/// Output path of sitemap part `k` (from 0): `sitemap-1.xml`, ...
fn sitemap_part(k: usize) -> String {
    format!("sitemap-{}.xml", k + 1)
}

/// A sitemap of the pages `paths` (`.../index.html`) in URL order; with `part`, only that
/// part's share of them.
fn sitemap<'p>(ctx: &Ctx<'_>, paths: impl Iterator<Item = &'p str>, part: Option<usize>) -> String {
    let site = ctx.site;
    let mut urls: Vec<String> = paths
        .filter(|p| is_page(p))
        .map(|p| format!("/{}", p.trim_end_matches("index.html")))
        .collect();
    urls.sort();
    if let Some(k) = part {
        urls = urls
            .into_iter()
            .skip(k * SITEMAP_URLS)
            .take(SITEMAP_URLS)
            .collect();
    }
    let dates: HashMap<&str, String> = site
        .records
        .iter()
        .filter_map(|r| r.doc.date.map(|d| (r.doc.url.as_str(), d.to_string())))
        .collect();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        let loc = site.config.absolute_url(&ctx.url(&url));
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

/// `sitemap.xml` for a site past 50,000 pages: an index of its parts.
fn sitemap_index(ctx: &Ctx<'_>, parts: usize) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for k in 0..parts {
        let loc = ctx
            .site
            .config
            .absolute_url(&ctx.url(&format!("/{}", sitemap_part(k))));
        out.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape(&loc)
        ));
    }
    out.push_str("</sitemapindex>\n");
    out
}
