//! opsbook turns an engineering organization's ops handbook (playbooks, templates and the
//! reviews filled in from them) into a static site. A build is a pipeline of typed stages;
//! only the first reads the disk and only the last writes it:
//!
//! 1. `source::load_sources`    opsbook.toml, content/ and the theme -> `Sources`
//! 2. `document::parse_document` each file: front matter + markdown, in one pass -> `Document`
//! 3. `site::assemble`          classify, validate reviews against their templates -> `Site`
//! 4. `links::build_graph`      resolve every link and reference, backlinks -> `LinkGraph`
//! 5. `render::Plan`            every output file and how to make it, rendered in parallel
//!    straight into `output::Staging` (`write_site`)
//! 6. `search::write_index`     the search index, from the same model, while pages render;
//!    `Staging::swap_in` then replaces the previous output
//!
//! Content problems are collected as `Diagnostic`s through all stages and reported together.

pub(crate) mod archive;
pub(crate) mod chart;
pub mod config;
pub(crate) mod diagnostic;
pub mod document;
pub(crate) mod error;
pub(crate) mod feed;
pub mod front_matter;
pub(crate) mod highlight;
pub(crate) mod history;
pub(crate) mod html;
mod incremental;
pub mod infer;
pub mod links;
pub mod markdown;
pub(crate) mod output;
pub(crate) mod pattern;
pub(crate) mod placeholder;
pub mod render;
pub mod scaffold;
pub(crate) mod schema;
pub mod search;
pub mod search_index;
pub mod serve;
pub mod site;
pub mod source;
pub mod theme;
pub(crate) mod value;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use time::Date;

pub use diagnostic::{Diagnostic, Severity};
pub use error::Error;
pub use incremental::ParseCache;
pub use output::OutputTree;
pub use site::Drafts;
pub use value::parse_date;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub drafts: Drafts,
    /// The date treated as today (overdue action items). `None`: `today` in opsbook.toml, else
    /// the real date.
    pub today: Option<Date>,
    pub search: Search,
}

/// Whether a build makes the search index (`serve` keeps its own, in memory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    Index,
    Skip,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            drafts: Drafts::Exclude,
            today: None,
            search: Search::Index,
        }
    }
}

/// A successful build: what was written, the warnings, and how long each stage took.
#[derive(Debug)]
pub struct Build {
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    /// Documents marked `draft = true` that the build left out.
    pub drafts_left_out: usize,
    /// Files written, search index included.
    pub files: usize,
    pub bytes: usize,
    pub timings: Vec<(&'static str, Duration)>,
}

/// A site that passed validation (stages 1-4), with its render plan: ready to render and to
/// index.
pub struct Validated {
    pub site: site::Site,
    pub graph: links::LinkGraph,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    theme: theme::Theme,
    assets: Vec<source::Asset>,
    history: std::sync::Arc<history::History>,
    plan: render::Plan,
    /// Problems found before validation (unreadable files, parse errors): kept so that an
    /// incremental rebuild reports them again.
    source_problems: Vec<Diagnostic>,
    /// How this build was made: in full, or from the last one (the preview server's edits).
    pub made: Made,
}

/// How a `Validated` was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    /// Every document parsed (or taken from the cache), validated and linked.
    Full,
    /// From the last good build, redoing only what the edits of these documents affect.
    Incremental(Vec<site::DocId>),
}

impl Validated {
    fn inputs(&self) -> render::Inputs<'_> {
        render::Inputs {
            site: &self.site,
            graph: &self.graph,
            theme: &self.theme,
            assets: &self.assets,
            history: &self.history,
        }
    }

    /// Every file the site has, and how to make each.
    pub fn plan(&self) -> &render::Plan {
        &self.plan
    }

    /// One output file (`incidents/index.html`), rendered now; `None` if there is no such file.
    pub fn render(&self, path: &str) -> Option<Result<Vec<u8>, Error>> {
        self.plan.render(self.inputs(), path)
    }

    /// Stage 5: renders every file on all cores and hands each to `sink` as it is made.
    pub fn render_all(&self, sink: &render::Sink<'_>) -> Result<(), Error> {
        self.plan.render_all(self.inputs(), sink)
    }

    /// The whole site in memory, search index left out.
    pub fn render_to_memory(&self) -> Result<OutputTree, Error> {
        render::render_site(self.inputs())
    }
}

/// Stages 1-4: load, parse, assemble and link. Fails with every error found.
///
/// With a warm `cache` (the preview server's), a rebuild after edits that only changed the
/// contents of some documents redoes only what those documents affect (`incremental`).
pub fn validate_site(options: &BuildOptions, cache: &mut ParseCache) -> Result<Validated, Error> {
    let mut timings = Vec::new();
    let started = Instant::now();
    let dirty = cache.dirty_since_previous(&options.root);
    let files = cache.files();
    let sources = source::load_sources_cached(&options.root, files, source::Dates::Git)?;
    timings.push(("load", started.elapsed()));
    if let (Some(previous), Some(dirty)) = (cache.previous(), dirty)
        && let Some(result) =
            incremental::revalidate(&previous, &dirty, &sources, options, cache, &mut timings)
    {
        return result;
    }
    let (site, graph, source_problems) = validate(
        sources.config.clone(),
        &sources,
        options,
        cache,
        &mut timings,
    )?;
    let warnings = warnings_or_errors(&source_problems, &site, &graph)?;
    let started = Instant::now();
    let renderer = cache.renderer(&sources.theme)?;
    timings.push(("templates", started.elapsed()));
    let started = Instant::now();
    let plan = render::Plan::new(
        render::Inputs {
            site: &site,
            graph: &graph,
            theme: &sources.theme,
            assets: &sources.assets,
            history: &sources.history,
        },
        renderer,
    );
    timings.push(("plan", started.elapsed()));
    Ok(Validated {
        site,
        graph,
        warnings,
        timings,
        theme: sources.theme,
        assets: sources.assets,
        history: sources.history,
        plan,
        source_problems,
        made: Made::Full,
    })
}

/// Every problem of a validated site, sorted: its warnings, or `Error::Content` with all of them
/// when any is an error. In the preview (`Drafts::Include`) a draft's problems are warnings.
fn warnings_or_errors(
    source_problems: &[Diagnostic],
    site: &site::Site,
    graph: &links::LinkGraph,
) -> Result<Vec<Diagnostic>, Error> {
    let mut all: Vec<Diagnostic> = source_problems
        .iter()
        .chain(site.all_problems())
        .chain(graph.all_problems())
        .cloned()
        .collect();
    if site.drafts == Drafts::Include {
        preview_drafts(site, &mut all);
    }
    if all.iter().any(Diagnostic::is_error) {
        sort_diagnostics(&mut all);
        return Err(Error::Content(all));
    }
    sort_diagnostics(&mut all);
    Ok(all)
}

/// The preview shows drafts, which are not published: what one still lacks is a warning (as
/// `check` says), so a fresh draft previews with its banner instead of failing the site.
fn preview_drafts(site: &site::Site, diagnostics: &mut [Diagnostic]) {
    let drafts: std::collections::HashSet<&str> = site
        .records
        .iter()
        .filter(|r| r.doc.draft)
        .map(|r| r.doc.path.as_str())
        .collect();
    for d in diagnostics
        .iter_mut()
        .filter(|d| d.is_error() && drafts.contains(d.path.as_str()))
    {
        d.severity = Severity::Warning;
        d.message = format!("draft: {}", d.message);
    }
}

/// Runs every validation of a build without rendering: all problems, errors and warnings.
/// Drafts are checked too, so an author sees what a draft still lacks, but their problems are
/// warnings: a draft is not published, so it cannot break the site.
pub fn check(options: &BuildOptions) -> Result<Vec<Diagnostic>, Error> {
    let sources = match source::load_sources(&options.root) {
        Ok(s) => s,
        Err(Error::Content(d)) => return Ok(d),
        Err(e) => return Err(e),
    };
    // Theme templates that do not compile fail a build; check says so too.
    render::Renderer::new(&sources.theme)?;
    let mut cache = ParseCache::default();
    // What `build` would report...
    let (site, graph, source_problems) = validate(
        sources.config.clone(),
        &sources,
        options,
        &mut cache,
        &mut Vec::new(),
    )?;
    let mut diagnostics = match warnings_or_errors(&source_problems, &site, &graph) {
        Ok(warnings) => warnings,
        Err(Error::Content(all)) => all,
        Err(other) => return Err(other),
    };
    if options.drafts == Drafts::Exclude {
        // ...plus the problems of what the build leaves out (drafts, private folders), from a
        // pass that includes everything (parsing is cached). They are warnings.
        let built: std::collections::HashSet<&str> =
            site.records.iter().map(|r| r.doc.path.as_str()).collect();
        let mut everything = options.clone();
        everything.drafts = Drafts::Unpublished;
        let (all_site, all_graph, all_sources) = validate(
            sources.config.clone(),
            &sources,
            &everything,
            &mut cache,
            &mut Vec::new(),
        )?;
        let all: Vec<Diagnostic> = all_sources
            .iter()
            .chain(all_site.all_problems())
            .chain(all_graph.all_problems())
            .cloned()
            .collect();
        let unpublished: std::collections::HashMap<&str, &str> = all_site
            .records
            .iter()
            .filter(|r| !built.contains(r.doc.path.as_str()))
            .map(|r| {
                (
                    r.doc.path.as_str(),
                    if r.doc.draft { "draft" } else { "private" },
                )
            })
            .collect();
        diagnostics.extend(all.into_iter().filter_map(|mut d| {
            let why = unpublished.get(d.path.as_str())?;
            d.severity = Severity::Warning;
            d.message = format!("{why}: {}", d.message);
            Some(d)
        }));
    }
    sort_diagnostics(&mut diagnostics);
    Ok(diagnostics)
}

/// Builds and writes to `out`, leaving the previous output untouched on any failure.
///
/// Pages go to disk as they are rendered (a 100,000-page site never sits in memory whole), and
/// the search index is made from the site model while they are (its files go to disk as they
/// are made too).
pub fn build_to(options: &BuildOptions, out: &Path) -> Result<Build, Error> {
    output::check_output_dir(&options.root, out)?;
    let mut validated = validate_site(options, &mut ParseCache::off())?;
    let warnings = std::mem::take(&mut validated.warnings);
    let mut timings = std::mem::take(&mut validated.timings);
    let pages = validated.site.records.len();
    let drafts_left_out = validated.site.drafts_left_out;
    let staging = output::Staging::beside(out)?;
    timings.extend(write_site(&validated, &staging, options.search)?);
    drop(validated);
    let (files, bytes) = (staging.files(), staging.bytes());
    let started = Instant::now();
    staging.swap_in(out)?;
    timings.push(("swap", started.elapsed()));
    Ok(Build {
        warnings,
        pages,
        drafts_left_out,
        files,
        bytes,
        timings,
    })
}

/// Stages 5 and 6 at once, on every core: every file of the site rendered into `staging`, and
/// with `Search::Index` the search index made from the same model beside it (not from the
/// written pages). Returns the time each took.
fn write_site(
    validated: &Validated,
    staging: &output::Staging,
    search: Search,
) -> Result<Vec<(&'static str, Duration)>, Error> {
    let started = Instant::now();
    let (rendered, indexed) = rayon::join(
        || {
            validated
                .render_all(&|path, bytes| staging.write(path, &bytes))
                .map(|()| ("render + write", started.elapsed()))
        },
        || {
            (search == Search::Index).then(|| {
                let started = Instant::now();
                search::write_index(&validated.site, &mut |path, bytes| {
                    staging.write(path, &bytes)
                })
                .map(|_| ("search index", started.elapsed()))
            })
        },
    );
    let mut timings = vec![rendered?];
    if let Some(indexed) = indexed {
        timings.push(indexed?);
    }
    Ok(timings)
}

/// Stages 2-4 in full: every document parsed (or taken from the cache), validated and linked.
/// Returns the site, its graph and the problems found before validation.
fn validate(
    config: config::Config,
    sources: &source::Sources,
    options: &BuildOptions,
    cache: &mut ParseCache,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<(site::Site, links::LinkGraph, Vec<Diagnostic>), Error> {
    let started = Instant::now();
    let highlight = markdown::RenderOptions {
        highlight: config.highlight.enabled,
        raw_html: config.markdown.raw_html,
    };
    let parsed: Vec<Result<std::sync::Arc<document::Document>, Diagnostic>> = sources
        .documents
        .par_iter()
        .map(|s| match cache.document(s, highlight) {
            Some(doc) => Ok(doc),
            None => document::parse_document(s, highlight).map(std::sync::Arc::new),
        })
        .collect();
    cache.keep_documents(&sources.documents, &parsed, highlight);
    let mut diagnostics = sources.diagnostics.clone();
    let mut docs = Vec::with_capacity(parsed.len());
    for (p, source) in parsed.into_iter().zip(sources.documents.iter()) {
        match p {
            Ok(doc) => docs.push(doc),
            Err(d) => {
                diagnostics.push(d);
                docs.push(std::sync::Arc::new(document::stub_document(source)));
            }
        }
    }
    // A file that could not even be read is in the site too, as a stub: its one error is enough.
    docs.extend(
        sources
            .unreadable
            .iter()
            .map(|s| std::sync::Arc::new(document::stub_document(s))),
    );
    timings.push(("parse", started.elapsed()));
    let today = build_date(options, &config);
    let started = Instant::now();
    let (site, _) = site::assemble(docs, config, today, options.drafts);
    timings.push(("validate", started.elapsed()));
    let started = Instant::now();
    let assets: Vec<String> = sources.assets.iter().map(|a| a.rel_path.clone()).collect();
    let (graph, _) = links::build_graph(&site, &assets);
    timings.push(("link", started.elapsed()));
    Ok((site, graph, diagnostics))
}

/// The date the build treats as today: the option, else `today` in opsbook.toml, else the date.
fn build_date(options: &BuildOptions, config: &config::Config) -> Date {
    options
        .today
        .or_else(|| value::parse_date(&config.today))
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
}

/// File order, then position: the order an author fixes them in.
fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
}
