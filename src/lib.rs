//! opsbook turns an engineering organization's ops handbook (playbooks, templates and the
//! reviews filled in from them) into a static site. A build is a pipeline of typed stages;
//! only the first reads the disk and only the last writes it:
//!
//! 1. `source::load_sources`    opsbook.toml, content/ and the theme -> `Sources`
//! 2. `document::parse_document` each file: front matter + markdown, in one pass -> `Document`
//! 3. `site::assemble`          classify, validate reviews against their templates -> `Site`
//! 4. `links::build_graph`      resolve every link and reference, backlinks -> `LinkGraph`
//! 5. `render::render_site`     tera templates over view structs -> `OutputTree`
//!    `search::build_index`     Pagefind index from the same documents -> files in `OutputTree`
//! 6. `output::OutputTree::write` write to a temp folder, swap in on success
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

/// A successful build: the files, the warnings, and how long each stage took.
#[derive(Debug)]
pub struct Build {
    pub output: OutputTree,
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Parsed documents from earlier builds, keyed by path and the hash of the file's text, so a
/// rebuild parses (and highlights) only files that changed. The preview server keeps one.
#[derive(Default)]
pub struct ParseCache {
    entries: HashMap<String, (u64, markdown::RenderOptions, document::Document)>,
    /// A one-shot build keeps nothing: a copy of every document would double its memory.
    off: bool,
}

impl ParseCache {
    /// A cache that stores nothing, for builds that run once.
    pub fn off() -> ParseCache {
        ParseCache {
            entries: HashMap::new(),
            off: true,
        }
    }

    fn get(
        &self,
        source: &source::Source,
        options: markdown::RenderOptions,
    ) -> Option<document::Document> {
        let (hash, hl, doc) = self.entries.get(&source.rel_path)?;
        (*hash == content_hash(&source.text) && *hl == options).then(|| doc.clone())
    }
}

fn content_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Runs stages 1-5 and the search index: everything but writing. Fails with every content
/// error found.
pub fn build(options: &BuildOptions) -> Result<Build, Error> {
    build_cached(options, &mut ParseCache::off())
}

/// `build`, reusing and refreshing `cache`. The output equals a full build's.
pub fn build_cached(options: &BuildOptions, cache: &mut ParseCache) -> Result<Build, Error> {
    let validated = validate_site(options, cache)?;
    let mut timings = validated.timings.clone();
    let started = Instant::now();
    // Pagefind indexes on one thread; the pages render on the others meanwhile.
    let (output, index) = std::thread::scope(|scope| {
        let index = (options.search == Search::Index).then(|| {
            scope.spawn(|| {
                let started = Instant::now();
                validated
                    .search_index()
                    .map(|files| (files, started.elapsed()))
            })
        });
        let output = validated.render().map(|o| (o, started.elapsed()));
        let index = index.map(|handle| {
            handle
                .join()
                .unwrap_or_else(|_| Err(Error::Output("the search indexer panicked".into())))
        });
        (output, index)
    });
    let (mut output, render_time) = output?;
    timings.push(("render", render_time));
    if let Some(index) = index {
        let (files, search_time) = index?;
        for (path, bytes) in files {
            output.insert(path, bytes);
        }
        timings.push(("search (parallel)", search_time));
    }
    Ok(Build {
        output,
        warnings: validated.warnings,
        pages: validated.site.records.len(),
        timings,
    })
}

/// A site that passed validation (stages 1-4), ready to render and to index.
pub struct Validated {
    pub site: site::Site,
    pub graph: links::LinkGraph,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    theme: theme::Theme,
    assets: Vec<source::Asset>,
}

impl Validated {
    /// Stage 5: every page, the sitemap, the theme's static files and the content's assets.
    pub fn render(&self) -> Result<OutputTree, Error> {
        let mut output = render::render_site(&self.site, &self.graph, &self.theme)?;
        for asset in &self.assets {
            output.insert(asset.rel_path.clone(), asset.bytes.clone());
        }
        Ok(output)
    }

    /// The search index files, from the same parsed documents.
    pub fn search_index(&self) -> Result<Vec<(String, Vec<u8>)>, Error> {
        search::build_index(&self.site)
    }
}

/// Stages 1-4: load, parse, assemble and link. Fails with every error found.
pub fn validate_site(options: &BuildOptions, cache: &mut ParseCache) -> Result<Validated, Error> {
    let mut timings = Vec::new();
    let started = Instant::now();
    let sources = source::load_sources(&options.root)?;
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
    Ok(Validated {
        site,
        graph,
        warnings,
        timings,
        theme: sources.theme,
        assets: sources.assets,
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
pub fn build_to(options: &BuildOptions, out: &Path) -> Result<Build, Error> {
    output::check_output_dir(&options.root, out)?;
    let mut build = build(options)?;
    let started = Instant::now();
    build.output.write(out)?;
    build.timings.push(("write", started.elapsed()));
    Ok(build)
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
    let parsed: Vec<Result<document::Document, Diagnostic>> = sources
        .documents
        .par_iter()
        .map(|s| match cache.get(s, highlight) {
            Some(doc) => Ok(doc),
            None => document::parse_document(s, highlight),
        })
        .collect();
    let mut fresh = HashMap::with_capacity(if cache.off { 0 } else { parsed.len() });
    for (p, s) in parsed.iter().zip(&sources.documents).filter(|_| !cache.off) {
        if let Ok(doc) = p {
            fresh.insert(
                s.rel_path.clone(),
                (content_hash(&s.text), highlight, doc.clone()),
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
                docs.push(document::stub_document(source));
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
