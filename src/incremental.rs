//! What the preview server keeps between builds, and the rebuild that uses it. `ParseCache`
//! holds the files read (by modification time and length), the documents parsed from them, the
//! compiled templates and the last good build. When a file watcher says that only the contents
//! of some markdown files changed since that build, `revalidate` makes the new build from it:
//! those documents are parsed, validated and linked again (with the links into them when their
//! headings changed), and every other document, record and resolved link is shared with the
//! last build, not recomputed. Anything else (a file added, removed or renamed; a document whose
//! id, URL, kind or template changed; a template, a team, the settings or the theme edited)
//! takes the full path. Both give the same site (tested by random edit sequences).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::document::{self, Document, Kind};
use crate::error::Error;
use crate::site::{self, DocId, Site};
use crate::source::{self, Source, Sources};
use crate::{BuildOptions, Validated, links, markdown, render, theme};

/// Files, parsed documents and the last good build, so a rebuild reads, parses and validates
/// only what changed. The preview server keeps one; documents are shared with the sites built
/// from them, not copied.
#[derive(Default)]
pub struct ParseCache {
    /// By path under `content/`: the text parsed, the options, the document.
    entries: HashMap<String, (Arc<str>, markdown::RenderOptions, Arc<Document>)>,
    files: source::FileCache,
    /// The theme's templates and their compiled form: compiling takes longer than the rest of
    /// a small rebuild.
    templates: Option<(Vec<theme::ThemeFile>, Arc<render::Renderer>)>,
    /// The last good build, which an incremental rebuild starts from.
    previous: Option<Arc<Validated>>,
    /// Markdown files (paths under `content/`) whose contents changed since `previous`, from
    /// the watcher's reports; `None` when anything else may have changed.
    dirty: Option<BTreeSet<String>>,
    /// A one-shot build keeps nothing: there is no second build to reuse it.
    off: bool,
}

impl ParseCache {
    /// Tells the next build which files' contents are all that changed since the last one (from
    /// a file watcher), so it re-reads only those; `None` makes it look at every file.
    pub fn edited(&mut self, paths: Option<&[PathBuf]>) {
        self.files.edited = paths.map(<[PathBuf]>::to_vec);
    }

    /// Remembers the build now being served, for the next rebuild to start from.
    pub fn remember(&mut self, build: Arc<Validated>) {
        if !self.off {
            self.previous = Some(build);
            self.dirty = Some(BTreeSet::new());
        }
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

    pub(crate) fn files(&mut self) -> Option<&mut source::FileCache> {
        (!self.off).then_some(&mut self.files)
    }

    pub(crate) fn previous(&self) -> Option<Arc<Validated>> {
        self.previous.clone()
    }

    /// Adds the watcher's latest report to what changed since the last good build, and returns
    /// it: the markdown files (under `content/`) whose contents changed, or `None` when
    /// something else may have (no report, or a file that is not a document under `content/`).
    pub(crate) fn dirty_since_previous(&mut self, root: &Path) -> Option<BTreeSet<String>> {
        let content = root.join(source::CONTENT_DIR);
        let reported: Option<Vec<String>> = self.files.edited.as_ref().and_then(|paths| {
            paths
                .iter()
                .map(|p| {
                    let rel = p.strip_prefix(&content).ok()?;
                    let rel = rel.to_str()?.replace('\\', "/");
                    rel.ends_with(".md").then_some(rel)
                })
                .collect()
        });
        match (self.dirty.as_mut(), reported) {
            (Some(dirty), Some(paths)) => dirty.extend(paths),
            _ => self.dirty = None,
        }
        self.dirty.clone()
    }

    /// The document parsed from `source` with `options` before, if its text is the same.
    pub(crate) fn document(
        &self,
        source: &Source,
        options: markdown::RenderOptions,
    ) -> Option<Arc<Document>> {
        let (text, hl, doc) = self.entries.get(&source.rel_path)?;
        // The file cache hands back the very same text for an unchanged file: no comparison.
        let same = Arc::ptr_eq(text, &source.text) || **text == *source.text;
        (same && *hl == options).then(|| Arc::clone(doc))
    }

    /// Keeps the documents just parsed from `sources` (in order) for the next build.
    pub(crate) fn keep_documents(
        &mut self,
        sources: &[Source],
        parsed: &[Result<Arc<Document>, crate::Diagnostic>],
        options: markdown::RenderOptions,
    ) {
        if self.off {
            return;
        }
        self.entries = sources
            .iter()
            .zip(parsed)
            .filter_map(|(s, p)| {
                let doc = p.as_ref().ok()?;
                Some((
                    s.rel_path.clone(),
                    (Arc::clone(&s.text), options, Arc::clone(doc)),
                ))
            })
            .collect();
    }

    /// The theme's templates, compiled (or as compiled for an earlier build with the same ones).
    pub(crate) fn renderer(
        &mut self,
        theme: &theme::Theme,
    ) -> Result<Arc<render::Renderer>, Error> {
        if let Some((files, renderer)) = &self.templates
            && *files == theme.templates
        {
            return Ok(Arc::clone(renderer));
        }
        let renderer = Arc::new(render::Renderer::new(theme)?);
        if !self.off {
            self.templates = Some((theme.templates.clone(), Arc::clone(&renderer)));
        }
        Ok(renderer)
    }
}

/// `previous` with the `dirty` documents (paths under `content/`) taken from `sources` again;
/// `None` when the change is not one this path handles, and the caller builds in full.
pub(crate) fn revalidate(
    previous: &Validated,
    dirty: &BTreeSet<String>,
    sources: &Sources,
    options: &BuildOptions,
    cache: &mut ParseCache,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Option<Result<Validated, Error>> {
    let before = &previous.site;
    let unchanged_setup = sources.config == before.config
        && crate::build_date(options, &sources.config) == before.today
        && options.drafts == before.drafts
        && sources.theme.templates == previous.theme.templates
        && sources.theme.static_files == previous.theme.static_files
        && same_assets(&sources.assets, &previous.assets)
        && sources.diagnostics.is_empty()
        && sources.unreadable.is_empty();
    if !unchanged_setup {
        return None;
    }
    let started = Instant::now();
    let options_md = markdown::RenderOptions {
        highlight: sources.config.highlight.enabled,
        raw_html: sources.config.markdown.raw_html,
    };
    let by_path: HashMap<&str, DocId> = dirty
        .iter()
        .map(|rel| {
            let path = format!("{}/{rel}", source::CONTENT_DIR);
            before
                .iter()
                .find(|(_, r)| r.doc.path == path)
                .map(|(i, _)| (rel.as_str(), i))
        })
        .collect::<Option<_>>()?;
    let mut changed: Vec<(DocId, Arc<Document>)> = Vec::with_capacity(dirty.len());
    for (rel, &i) in &by_path {
        let source = sources.documents.iter().find(|s| s.rel_path == *rel)?;
        let doc = document::parse_document(source, options_md).ok()?;
        let old = &before[i];
        if !same_identity(&old.doc, &doc) || matches!(old.kind, Kind::Template | Kind::Team) {
            return None;
        }
        let doc = Arc::new(doc);
        cache.entries.insert(
            source.rel_path.clone(),
            (Arc::clone(&source.text), options_md, Arc::clone(&doc)),
        );
        changed.push((i, doc));
    }
    timings.push(("parse", started.elapsed()));

    let started = Instant::now();
    let schemas = site::BuiltinSchemas::new();
    let mut records = before.records.clone();
    for (i, doc) in &changed {
        let record =
            site::validate_record(Arc::clone(doc), &before.templates, &before.claims, &schemas);
        // A document that a template now claims, or no longer does, changes its template's page.
        let old = &before[*i];
        if record.kind != old.kind || record.template != old.template {
            return None;
        }
        records[i.index()] = Arc::new(record);
    }
    let site = Site {
        config: before.config.clone(),
        records,
        templates: before.templates.clone(),
        claims: before.claims.clone(),
        teams: before.teams.clone(),
        problems: before.problems.clone(),
        today: before.today,
        drafts: before.drafts,
        drafts_left_out: before.drafts_left_out,
    };
    timings.push(("validate", started.elapsed()));

    let started = Instant::now();
    let ids: Vec<DocId> = changed.iter().map(|(i, _)| *i).collect();
    let graph = links::relink(&previous.graph, before, &site, &ids);
    timings.push(("link", started.elapsed()));

    let warnings = match crate::warnings_or_errors(&previous.source_problems, &site, &graph) {
        Ok(warnings) => warnings,
        Err(e) => return Some(Err(e)),
    };
    let started = Instant::now();
    let plan = render::Plan::update(
        &previous.plan,
        (before, &previous.graph),
        &ids,
        render::Inputs {
            site: &site,
            graph: &graph,
            theme: &previous.theme,
            assets: &previous.assets,
            history: &sources.history,
        },
    );
    timings.push(("plan", started.elapsed()));
    Some(Ok(Validated {
        site,
        graph,
        warnings,
        timings: std::mem::take(timings),
        theme: previous.theme.clone(),
        assets: previous.assets.clone(),
        history: Arc::clone(&sources.history),
        plan,
        source_problems: previous.source_problems.clone(),
        made: crate::Made::Incremental(ids),
    }))
}

/// Whether an edit left a document where it was, as what it was: same path, id, slug, URL,
/// kind and draft state. Anything that would move it in the site's indexes takes the full path.
fn same_identity(old: &Document, new: &Document) -> bool {
    !old.stub
        && !new.stub
        && old.rel == new.rel
        && old.id == new.id
        && old.explicit_id == new.explicit_id
        && old.slug == new.slug
        && old.url == new.url
        && old.kind == new.kind
        && old.draft == new.draft
}

fn same_assets(a: &[source::Asset], b: &[source::Asset]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.rel_path == y.rel_path
                && x.hidden == y.hidden
                && (Arc::ptr_eq(&x.bytes, &y.bytes) || x.bytes == y.bytes)
        })
}
