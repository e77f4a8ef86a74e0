//! opsbook turns an engineering organization's ops handbook (playbooks, templates and the
//! reviews filled in from them) into a static site. A build is a pipeline of typed stages;
//! only the first reads the disk and only the last writes it:
//!
//! 1. `source::load_sources`    opsbook.toml, content/ and the theme -> `Sources`
//! 2. `document::parse_document` each file: front matter + markdown, in one pass -> `Document`
//! 3. `site::assemble`          classify, validate reviews against their templates -> `Site`
//! 4. `links::build_graph`      resolve every link and reference, backlinks -> `LinkGraph`
//! 5. `render::Plan`            every output file and how to make it, rendered in parallel
//!    straight into `output::Staging`
//! 6. `search::build_index`     Pagefind indexes the written pages; `Staging::swap_in` then
//!    replaces the previous output
//!
//! Content problems are collected as `Diagnostic`s through all stages and reported together.

pub mod archive;
pub mod chart;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod error;
pub mod feed;
pub mod front_matter;
pub mod highlight;
pub mod links;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod search_index;
pub mod serve;
pub mod site;
pub mod source;
pub mod theme;
pub mod value;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use time::Date;

pub use diagnostic::{Diagnostic, Severity};
pub use error::Error;
pub use output::OutputTree;
pub use site::Drafts;

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

/// Whether a build makes the search index. `serve` skips it and indexes in the background.
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
    /// Files written, search index included.
    pub files: usize,
    pub bytes: usize,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Files and parsed documents from earlier builds, so a rebuild reads and parses (and
/// highlights) only files that changed. The preview server keeps one; documents are shared
/// with the site built from them, not copied.
#[derive(Default)]
pub struct ParseCache {
    /// By path under `content/`: the text parsed, the options, the document.
    entries: HashMap<
        String,
        (
            std::sync::Arc<str>,
            markdown::RenderOptions,
            std::sync::Arc<document::Document>,
        ),
    >,
    files: source::FileCache,
    /// The theme's templates and their compiled form: compiling takes longer than the rest of
    /// a small rebuild.
    templates: Option<(Vec<theme::ThemeFile>, std::sync::Arc<render::Renderer>)>,
    /// A one-shot build keeps nothing: there is no second build to reuse it.
    off: bool,
}

impl ParseCache {
    /// Tells the next build which files' contents are all that changed since the last one (from
    /// a file watcher), so it re-reads only those; `None` makes it look at every file.
    pub fn edited(&mut self, paths: Option<&[PathBuf]>) {
        self.files.edited = paths.map(<[PathBuf]>::to_vec);
    }

    /// About how many bytes the cache holds: the files' text and the parsed documents' HTML and
    /// plain text (shared with the site being served, not copied).
    pub fn held_bytes(&self) -> usize {
        self.entries
            .values()
            .map(|(text, _, doc)| text.len() + doc.markdown.html.len() + doc.markdown.text.len())
            .sum()
    }

    /// A cache that stores nothing, for builds that run once.
    pub fn off() -> ParseCache {
        ParseCache {
            off: true,
            ..ParseCache::default()
        }
    }

    fn get(
        &self,
        source: &source::Source,
        options: markdown::RenderOptions,
    ) -> Option<std::sync::Arc<document::Document>> {
        let (text, hl, doc) = self.entries.get(&source.rel_path)?;
        // The file cache hands back the very same text for an unchanged file: no comparison.
        let same = std::sync::Arc::ptr_eq(text, &source.text) || **text == *source.text;
        (same && *hl == options).then(|| std::sync::Arc::clone(doc))
    }
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
    plan: render::Plan,
}

impl Validated {
    fn inputs(&self) -> render::Inputs<'_> {
        render::Inputs {
            site: &self.site,
            graph: &self.graph,
            theme: &self.theme,
            assets: &self.assets,
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
pub fn validate_site(options: &BuildOptions, cache: &mut ParseCache) -> Result<Validated, Error> {
    let mut timings = Vec::new();
    let started = Instant::now();
    let files = (!cache.off).then_some(&mut cache.files);
    let sources = source::load_sources_cached(&options.root, files)?;
    timings.push(("load", started.elapsed()));
    let (site, graph, diagnostics) = validate(
        sources.config.clone(),
        &sources,
        options,
        cache,
        &mut timings,
    )?;
    let (errors, mut warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diagnostics.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() {
        let mut all = errors;
        all.extend(warnings);
        sort_diagnostics(&mut all);
        return Err(Error::Content(all));
    }
    sort_diagnostics(&mut warnings);
    let started = Instant::now();
    let renderer = match &cache.templates {
        Some((files, renderer)) if *files == sources.theme.templates => renderer.clone(),
        _ => {
            let renderer = std::sync::Arc::new(render::Renderer::new(&sources.theme)?);
            if !cache.off {
                cache.templates = Some((sources.theme.templates.clone(), renderer.clone()));
            }
            renderer
        }
    };
    timings.push(("templates", started.elapsed()));
    let started = Instant::now();
    let plan = render::Plan::new(
        render::Inputs {
            site: &site,
            graph: &graph,
            theme: &sources.theme,
            assets: &sources.assets,
        },
        renderer,
    )?;
    timings.push(("plan", started.elapsed()));
    Ok(Validated {
        site,
        graph,
        warnings,
        timings,
        theme: sources.theme,
        assets: sources.assets,
        plan,
    })
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
    let (site, _, mut diagnostics) = validate(
        sources.config.clone(),
        &sources,
        options,
        &mut cache,
        &mut Vec::new(),
    )?;
    if options.drafts == Drafts::Exclude {
        // ...plus the problems of what the build leaves out (drafts, private folders), from a
        // pass that includes everything (parsing is cached). They are warnings.
        let built: std::collections::HashSet<&str> =
            site.records.iter().map(|r| r.doc.path.as_str()).collect();
        let mut everything = options.clone();
        everything.drafts = Drafts::Unpublished;
        let (all_site, _, all) = validate(
            sources.config.clone(),
            &sources,
            &everything,
            &mut cache,
            &mut Vec::new(),
        )?;
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
/// the search index is made afterwards from the written pages, once the site model is freed:
/// Pagefind's folder indexer reads and parses them on every core.
pub fn build_to(options: &BuildOptions, out: &Path) -> Result<Build, Error> {
    output::check_output_dir(&options.root, out)?;
    let validated = validate_site(options, &mut ParseCache::off())?;
    let staging = output::Staging::beside(out)?;
    let started = Instant::now();
    validated.render_all(&|path, bytes| staging.write(path, &bytes))?;
    let documents = validated.plan.document_paths();
    let Validated {
        site,
        warnings,
        mut timings,
        ..
    } = validated;
    timings.push(("render + write", started.elapsed()));
    let pages = site.records.len();
    let language = site.config.language.clone();
    let per_index = site.config.search.pages_per_index;
    drop(site);
    if options.search == Search::Index {
        let started = Instant::now();
        search::build_indexes(
            staging.path(),
            &documents,
            per_index,
            &language,
            &mut |files| {
                files
                    .par_iter()
                    .try_for_each(|(path, bytes)| staging.write(path, bytes))
            },
        )?;
        timings.push(("search index", started.elapsed()));
    }
    let (files, bytes) = (staging.files(), staging.bytes());
    let started = Instant::now();
    staging.swap_in(out)?;
    timings.push(("swap", started.elapsed()));
    Ok(Build {
        warnings,
        pages,
        files,
        bytes,
        timings,
    })
}

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
        .map(|s| match cache.get(s, highlight) {
            Some(doc) => Ok(doc),
            None => document::parse_document(s, highlight).map(std::sync::Arc::new),
        })
        .collect();
    let mut fresh = HashMap::with_capacity(if cache.off { 0 } else { parsed.len() });
    for (p, s) in parsed.iter().zip(&sources.documents).filter(|_| !cache.off) {
        if let Ok(doc) = p {
            fresh.insert(
                s.rel_path.clone(),
                (
                    std::sync::Arc::clone(&s.text),
                    highlight,
                    std::sync::Arc::clone(doc),
                ),
            );
        }
    }
    cache.entries = fresh;
    let mut diagnostics = sources.diagnostics.clone();
    let mut docs = Vec::with_capacity(parsed.len());
    for (p, source) in parsed.into_iter().zip(&sources.documents) {
        match p {
            Ok(doc) => docs.push(doc),
            Err(d) => {
                diagnostics.push(d);
                docs.push(std::sync::Arc::new(document::stub_document(source)));
            }
        }
    }
    timings.push(("parse", started.elapsed()));
    let today = options
        .today
        .or_else(|| value::parse_date(&config.today))
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    let started = Instant::now();
    let (site, site_diagnostics) = site::assemble(docs, config, today, options.drafts);
    diagnostics.extend(site_diagnostics);
    timings.push(("validate", started.elapsed()));
    let started = Instant::now();
    let assets: Vec<String> = sources.assets.iter().map(|a| a.rel_path.clone()).collect();
    let (graph, link_diagnostics) = links::build_graph(&site, &assets);
    diagnostics.extend(link_diagnostics);
    timings.push(("link", started.elapsed()));
    Ok((site, graph, diagnostics))
}

/// File order, then position: the order an author fixes them in.
fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
}
