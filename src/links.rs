//! The link graph. Every reference in the site, whether a markdown link to a `.md` file, a
//! wiki-link `[[id]]`, a `#anchor`, or a front-matter reference (team ids, `related`, page fields,
//! action-item links), is resolved here to a document, checked, and recorded as a backlink. A
//! reference that does not resolve becomes a diagnostic at its own line and column, with a
//! suggestion when a close match exists.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use crate::diagnostic::suggest;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, Kind};
use crate::html::{escape, percent_decode};
use crate::markdown::LinkKind;
use crate::placeholder::{self, Slot};
use crate::schema::{FieldValue, Reference};
use crate::site::{DocId, PerDoc, Site};

/// Where one body link goes, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Another document (or this one), with an optional heading id.
    Document { doc: DocId, anchor: Option<String> },
    /// A site-relative URL that is not a document: an asset or a generated page.
    Url(String),
    /// Could not be resolved; the link keeps what the author wrote.
    Broken(String),
}

/// Lookup tables for resolving references by id, slug or path.
pub struct Index {
    by_path: HashMap<String, DocId>,
    by_name: HashMap<String, Vec<DocId>>,
    urls: HashSet<String>,
    assets: HashSet<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolveError {
    NotFound { suggestion: Option<String> },
    Ambiguous(Vec<DocId>),
}

impl Index {
    pub fn new(site: &Site, assets: &[String]) -> Index {
        let mut by_path = HashMap::new();
        let mut by_name: HashMap<String, Vec<DocId>> = HashMap::new();
        let mut urls: HashSet<String> = HashSet::new();
        for (i, r) in site.iter() {
            let doc = &r.doc;
            by_path.insert(doc.rel.clone(), i);
            if doc.is_index() {
                by_path.insert(doc.folder.clone(), i);
            }
            if !doc.is_index() {
                let stem = doc.rel.rsplit('/').next().unwrap_or(&doc.rel);
                let names = [doc.id.as_str(), doc.slug.as_str(), stem];
                for (n, name) in names.iter().enumerate() {
                    if !names[..n].contains(name) {
                        by_name.entry((*name).to_string()).or_default().push(i);
                    }
                }
            }
            urls.insert(doc.url.clone());
            // Folder URLs, up to the first one already known (its parents are known too).
            let mut folder = doc.url.trim_end_matches('/');
            while let Some((parent, _)) = folder.rsplit_once('/') {
                if !urls.insert(format!("{parent}/")) {
                    break;
                }
                folder = parent;
            }
        }
        for fixed in crate::site::GENERATED_URLS {
            urls.insert((*fixed).to_string());
        }
        Index {
            by_path,
            by_name,
            urls,
            assets: assets.iter().cloned().collect(),
        }
    }

    /// Resolves an id, slug or content path (with or without `.md`).
    pub fn resolve(&self, target: &str) -> Result<DocId, ResolveError> {
        let t = target.trim().trim_start_matches('/').trim_end_matches('/');
        let t = t.strip_suffix(".md").unwrap_or(t);
        if let Some(&i) = self.by_path.get(t) {
            return Ok(i);
        }
        match self.by_name.get(t).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(many) if !many.is_empty() => Err(ResolveError::Ambiguous(many.to_vec())),
            _ => Err(ResolveError::NotFound {
                suggestion: suggest(
                    t,
                    self.by_name
                        .keys()
                        .map(String::as_str)
                        .chain(self.by_path.keys().map(String::as_str)),
                )
                .map(str::to_string),
            }),
        }
    }

    fn resolve_path(&self, path: &str) -> Option<DocId> {
        self.by_path.get(path.trim_end_matches('/')).copied()
    }

    fn suggest_path(&self, path: &str) -> Option<String> {
        suggest(path, self.by_path.keys().map(String::as_str)).map(str::to_string)
    }
}

/// The resolved graph: targets of every body link, and who references whom.
pub struct LinkGraph {
    /// Shared by successive builds of the preview server while no document is added, removed
    /// or renamed.
    pub index: Arc<Index>,
    /// Per document, what its links and references resolved to.
    pub docs: PerDoc<Arc<DocLinks>>,
    /// Per document, the documents that reference it (sorted, without itself).
    pub backlinks: PerDoc<Arc<[DocId]>>,
    /// Per document, the documents that name it in their `related` list (sorted).
    pub related_by: PerDoc<Arc<[DocId]>>,
    /// Assets some page links to, by path under `content/`.
    pub linked_assets: HashSet<String>,
}

/// One document's links and references, resolved.
#[derive(Debug, Default)]
pub struct DocLinks {
    /// The target of each body link, in `Markdown::links` order.
    pub targets: Vec<Target>,
    /// Documents it references (links, wiki-links, front-matter references), with repeats.
    pub refs: Vec<DocId>,
    /// The documents its `related` list names (sorted, without itself).
    pub related: Vec<DocId>,
    /// Its broken links and references.
    pub problems: Vec<Diagnostic>,
}

impl LinkGraph {
    /// Document `i`'s body HTML with the placeholders of the markdown stage filled in: real URLs
    /// (prefixed with `base`), wiki-link titles and highlighted code.
    pub fn fill_html(&self, site: &Site, i: DocId, base: &str) -> String {
        let doc = &site[i].doc;
        let targets = &self.docs[i].targets;
        let html = &doc.markdown.html;
        if !placeholder::any(html) {
            return html.clone();
        }
        placeholder::fill(html, |slot| match slot {
            Slot::Href(n) => targets.get(n).map(|t| escape(&href(site, base, i, t))),
            Slot::Text(n) => targets.get(n).map(|t| escape(&link_title(site, t))),
            Slot::Code(n) => doc
                .markdown
                .code_blocks
                .get(n)
                .map(|b| crate::highlight::code_block(&b.code, &b.lang, true)),
        })
    }

    /// Document `i`'s related documents: those its `related` list names and those that name it
    /// in theirs (`related` shows on both).
    pub fn related(&self, i: DocId) -> Vec<DocId> {
        let mut all: Vec<DocId> = self.docs[i]
            .related
            .iter()
            .chain(self.related_by[i].iter())
            .copied()
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// Resolves a front-matter reference the link stage has already checked.
    pub fn lookup(&self, target: &str) -> Option<DocId> {
        self.index.resolve(target).ok()
    }

    /// Every broken link and reference, document by document.
    pub fn all_problems(&self) -> impl Iterator<Item = &Diagnostic> {
        self.docs.0.iter().flat_map(|d| &d.problems)
    }
}

/// Resolves every reference in `site`. Broken ones are reported with the severity the site's
/// `[links] broken` setting asks for.
pub fn build_graph(site: &Site, assets: &[String]) -> (LinkGraph, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let index = Index::new(site, assets);
    let docs: Vec<Arc<DocLinks>> = site
        .ids()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|i| Arc::new(resolve(site, &index, i)))
        .collect();
    let docs = PerDoc(docs);
    let graph = LinkGraph {
        linked_assets: linked_assets(&index, &docs),
        backlinks: reverse(&docs, |d| &d.refs),
        related_by: reverse(&docs, |d| &d.related),
        index: Arc::new(index),
        docs,
    };
    let problems = graph.all_problems().cloned().collect();
    (graph, problems)
}

/// The graph of `site`, a site that differs from `before` (whose graph is `prev`) only in the
/// contents of the `changed` documents, with no document added, removed or renamed: only what
/// those documents link to is resolved again, and the links into them when their headings
/// changed. Equal to `build_graph(site, ..)` (the preview server's incremental rebuild; tested).
pub(crate) fn relink(prev: &LinkGraph, before: &Site, site: &Site, changed: &[DocId]) -> LinkGraph {
    use rayon::prelude::*;
    let mut again: BTreeSet<DocId> = changed.iter().copied().collect();
    for &d in changed {
        let ids = |s: &Site| -> Vec<String> {
            s[d].doc
                .markdown
                .headings
                .iter()
                .map(|h| h.id.clone())
                .collect()
        };
        if ids(before) != ids(site) {
            // Anchors into it may have broken or been mended.
            again.extend(prev.backlinks[d].iter().copied());
        }
    }
    let again: Vec<DocId> = again.into_iter().collect();
    let fresh: Vec<Arc<DocLinks>> = again
        .par_iter()
        .map(|&i| Arc::new(resolve(site, &prev.index, i)))
        .collect();
    let mut docs = prev.docs.clone();
    let mut backlinks = prev.backlinks.clone();
    let mut related_by = prev.related_by.clone();
    let mut assets_touched = false;
    for (&source, links) in again.iter().zip(fresh) {
        let old = &prev.docs[source];
        update_reverse(&mut backlinks, source, &old.refs, &links.refs);
        update_reverse(&mut related_by, source, &old.related, &links.related);
        let links_assets = |l: &DocLinks| l.targets.iter().any(|t| matches!(t, Target::Url(_)));
        assets_touched |= links_assets(old) || links_assets(&links);
        docs[source] = links;
    }
    LinkGraph {
        linked_assets: if assets_touched {
            linked_assets(&prev.index, &docs)
        } else {
            prev.linked_assets.clone()
        },
        index: Arc::clone(&prev.index),
        docs,
        backlinks,
        related_by,
    }
}

/// Document `i`'s body links, `related` list and front-matter references, resolved.
fn resolve(site: &Site, index: &Index, i: DocId) -> DocLinks {
    let record = &site[i];
    let mut resolver = Resolver {
        site,
        index,
        doc: &record.doc,
        severity: site.config.links.broken.severity(),
        diagnostics: Vec::new(),
        refs: Vec::new(),
    };
    let targets: Vec<Target> = record
        .doc
        .markdown
        .links
        .iter()
        .map(|link| resolver.body_link(i, link))
        .collect();
    for reference in &record.related {
        resolver.reference(reference, "related document");
    }
    resolver.fields(&record.fields.0);
    let mut related: Vec<DocId> = record
        .related
        .iter()
        .filter_map(|r| index.resolve(split_anchor(&r.target).0).ok())
        .filter(|&t| t != i)
        .collect();
    related.sort_unstable();
    related.dedup();
    DocLinks {
        targets,
        refs: resolver.refs,
        related,
        problems: resolver.diagnostics,
    }
}

/// The assets some document links to.
fn linked_assets(index: &Index, docs: &PerDoc<Arc<DocLinks>>) -> HashSet<String> {
    let mut linked = HashSet::new();
    for target in docs.0.iter().flat_map(|d| &d.targets) {
        if let Target::Url(url) = target {
            let rel = percent_decode(url.trim_start_matches('/'));
            if index.assets.contains(&rel) {
                linked.insert(rel);
            }
        }
    }
    linked
}

/// Per document, the documents whose `targets` list names it (sorted, without itself).
fn reverse(
    docs: &PerDoc<Arc<DocLinks>>,
    targets: impl Fn(&DocLinks) -> &Vec<DocId>,
) -> PerDoc<Arc<[DocId]>> {
    let mut lists: Vec<Vec<DocId>> = vec![Vec::new(); docs.0.len()];
    for (n, links) in docs.0.iter().enumerate() {
        let source = DocId::new(n);
        for &target in targets(links) {
            if target != source {
                lists[target.index()].push(source);
            }
        }
    }
    lists
        .into_iter()
        .map(|mut list| {
            list.sort_unstable();
            list.dedup();
            Arc::from(list)
        })
        .collect()
}

/// A reverse index after `source`'s list of targets went from `old` to `new`.
fn update_reverse(reverse: &mut PerDoc<Arc<[DocId]>>, source: DocId, old: &[DocId], new: &[DocId]) {
    let old: BTreeSet<DocId> = old.iter().copied().filter(|&t| t != source).collect();
    let new: BTreeSet<DocId> = new.iter().copied().filter(|&t| t != source).collect();
    for &t in old.difference(&new) {
        reverse[t] = reverse[t]
            .iter()
            .copied()
            .filter(|&b| b != source)
            .collect();
    }
    for &t in new.difference(&old) {
        let mut list = reverse[t].to_vec();
        if let Err(at) = list.binary_search(&source) {
            list.insert(at, source);
        }
        reverse[t] = Arc::from(list);
    }
}

struct Resolver<'a> {
    site: &'a Site,
    index: &'a Index,
    doc: &'a Document,
    severity: Severity,
    diagnostics: Vec<Diagnostic>,
    /// Documents this one references.
    refs: Vec<DocId>,
}

impl Resolver<'_> {
    fn report(&mut self, offset: usize, message: String, suggestion: Option<String>) {
        let mut d = Diagnostic::error(&self.doc.path, message)
            .at(&self.doc.text, offset)
            .with_severity(self.severity);
        if let Some(s) = suggestion {
            d = d.with_suggestion(s);
        }
        self.diagnostics.push(d);
    }

    fn body_link(&mut self, this: DocId, link: &crate::markdown::Link) -> Target {
        let offset = self.doc.body_offset + link.offset;
        let shown: &str = if link.text.is_empty() {
            &link.dest
        } else {
            &link.text
        };
        match link.kind {
            LinkKind::Wiki { .. } => {
                let (target, anchor) = split_anchor(&link.dest);
                let label = || format!("[[{}]]", link.dest);
                match self.index.resolve(target) {
                    Ok(doc) => self.with_anchor(doc, anchor, offset, label),
                    Err(err) => {
                        self.resolve_error(
                            err,
                            offset,
                            &format!("broken wiki-link {}", label()),
                            target,
                        );
                        Target::Broken(link.dest.clone())
                    }
                }
            }
            LinkKind::Markdown => {
                let (path, anchor) = split_anchor(&link.dest);
                let path = path
                    .strip_suffix('/')
                    .filter(|p| p.to_ascii_lowercase().ends_with(".md"))
                    .unwrap_or(path);
                if path.is_empty() {
                    return self.with_anchor(this, anchor, offset, || format!("link \"{shown}\""));
                }
                let Some(rel) = self.join(path) else {
                    self.report(
                        offset,
                        format!(
                            "broken link \"{shown}\" to `{}`: it climbs out of content/",
                            link.dest
                        ),
                        None,
                    );
                    return Target::Broken(link.dest.clone());
                };
                let rel_doc = rel.strip_suffix(".md").unwrap_or(&rel).to_string();
                match self.index.resolve_path(&rel_doc) {
                    Some(doc) => {
                        self.with_anchor(doc, anchor, offset, || format!("link \"{shown}\""))
                    }
                    None => {
                        let suggestion = self.index.suggest_path(&rel_doc).map(|p| {
                            let target_doc = &self.site[self.index.by_path[&p]].doc;
                            format!(
                                "did you mean `{}`?",
                                relative_md(&self.doc.folder, &target_doc.rel)
                            )
                        });
                        self.report(
                            offset,
                            format!(
                                "broken link \"{shown}\" to `{}`: no file content/{rel}",
                                link.dest
                            ),
                            suggestion,
                        );
                        Target::Broken(link.dest.clone())
                    }
                }
            }
            LinkKind::Asset => {
                let (path, _) = split_anchor(&link.dest);
                let path = path.split('?').next().unwrap_or(path);
                match self.join(path) {
                    Some(rel) if self.index.assets.contains(&rel) => {
                        Target::Url(format!("/{}", crate::html::percent_encode_path(&rel)))
                    }
                    Some(rel)
                        if self
                            .index
                            .urls
                            .contains(&format!("/{}/", rel.trim_end_matches('/')))
                            || rel.is_empty() =>
                    {
                        let url = if rel.is_empty() {
                            "/".to_string()
                        } else {
                            format!("/{}/", rel.trim_end_matches('/'))
                        };
                        let anchor = link
                            .dest
                            .split_once('#')
                            .map(|(_, a)| format!("#{a}"))
                            .unwrap_or_default();
                        Target::Url(format!("{url}{anchor}"))
                    }
                    Some(rel) if self.index.urls.contains(&format!("/{rel}")) => {
                        Target::Url(format!("/{rel}"))
                    }
                    joined => {
                        let suggestion = joined.and_then(|rel| {
                            let found =
                                suggest(&rel, self.index.assets.iter().map(String::as_str))?;
                            Some(format!(
                                "did you mean `{}`?",
                                relative_path(&self.doc.folder, found)
                            ))
                        });
                        self.report(
                            offset,
                            format!(
                                "broken link to `{}`: no such file under content/",
                                link.dest
                            ),
                            suggestion,
                        );
                        Target::Broken(link.dest.clone())
                    }
                }
            }
        }
    }

    /// Joins a link path to this document's folder, as a code host would read it.
    fn join(&self, path: &str) -> Option<String> {
        let path = percent_decode(path);
        let mut parts: Vec<&str> = if path.starts_with('/') {
            Vec::new()
        } else {
            self.doc
                .folder
                .split('/')
                .filter(|s| !s.is_empty())
                .collect()
        };
        for part in path.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                p => parts.push(p),
            }
        }
        Some(parts.join("/"))
    }

    fn with_anchor(
        &mut self,
        doc: DocId,
        anchor: Option<&str>,
        offset: usize,
        // Formatted only for an error message: most links resolve.
        label: impl FnOnce() -> String,
    ) -> Target {
        self.refs.push(doc);
        let mut anchor = anchor.map(str::to_string);
        if let Some(written) = anchor.clone() {
            let target = &self.site[doc].doc;
            let headings = &target.markdown.headings;
            // Links written for other renderers differ from GitHub's ids in two ways: they keep
            // the heading's capitals (`#Birthday-gift-budget`), or, from GitLab or MkDocs (which
            // squeeze `Swoop - Overriding` to one hyphen), have fewer hyphens. Browsers match
            // ids exactly, so such a link is pointed at the heading it means, with a warning.
            let loose_written = loose_anchor(&written);
            let mut loose = headings
                .iter()
                .filter(|h| loose_anchor(&h.id) == loose_written);
            let near = match (headings.iter().any(|h| h.id == written), loose.next()) {
                (false, Some(h)) if loose.next().is_none() => Some(h),
                _ => None,
            };
            if let Some(heading) = near {
                let how = if written.to_lowercase() == heading.id {
                    "only when case is ignored"
                } else {
                    "only when case and repeated hyphens are ignored (as GitLab and MkDocs write ids)"
                };
                let d = Diagnostic::error(
                    &self.doc.path,
                    format!(
                        "anchor `#{written}` in {} matches the heading `#{}` of {} {how}; linked to `#{}`",
                        label(),
                        heading.id,
                        target.path,
                        heading.id
                    ),
                )
                .at(&self.doc.text, offset)
                .with_severity(Severity::Warning)
                .with_suggestion(format!("write `#{}`", heading.id));
                self.diagnostics.push(d);
                anchor = Some(heading.id.clone());
            } else if !target.stub && !headings.iter().any(|h| h.id == written) {
                let anchor = written.as_str();
                let ids = target.markdown.headings.iter().map(|h| h.id.as_str());
                let suggestion = suggest(anchor, ids).map(|s| format!("did you mean `#{s}`?"));
                let suggestion = suggestion.or_else(|| {
                    let all: Vec<&str> = target
                        .markdown
                        .headings
                        .iter()
                        .map(|h| h.id.as_str())
                        .collect();
                    (!all.is_empty()).then(|| format!("headings there: #{}", all.join(", #")))
                });
                self.report(
                    offset,
                    format!(
                        "broken anchor `#{anchor}` in {}: {} has no heading with that id",
                        label(),
                        target.path
                    ),
                    suggestion,
                );
            }
        }
        Target::Document { doc, anchor }
    }

    fn resolve_error(&mut self, err: ResolveError, offset: usize, what: &str, target: &str) {
        match err {
            ResolveError::NotFound { suggestion } => {
                self.report(
                    offset,
                    format!("{what}: no document has the id, slug or path `{target}`"),
                    suggestion.map(|s| format!("did you mean `{s}`?")),
                );
            }
            ResolveError::Ambiguous(candidates) => {
                let paths: Vec<String> = candidates
                    .iter()
                    .map(|&c| self.site[c].doc.rel.clone())
                    .collect();
                self.report(
                    offset,
                    format!(
                        "{what} is ambiguous: `{target}` matches {}",
                        paths
                            .iter()
                            .map(|p| format!("content/{p}.md"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                    Some(format!("write the path instead, e.g. `{}`", paths[0])),
                );
            }
        }
    }

    fn reference(&mut self, reference: &Reference, what: &str) {
        let (target, anchor) = split_anchor(&reference.target);
        match self.index.resolve(target) {
            Ok(doc) => {
                self.with_anchor(doc, anchor, reference.span.start, || {
                    format!("{what} `{}`", reference.target)
                });
            }
            Err(err) => self.resolve_error(
                err,
                reference.span.start,
                &format!("unknown {what}"),
                target,
            ),
        }
    }

    fn team(&mut self, reference: &Reference) {
        match self.site.teams.get(&reference.target) {
            Some(team) => self.refs.push(team.doc),
            None => {
                let suggestion = suggest(
                    &reference.target,
                    self.site.teams.keys().map(String::as_str),
                )
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| {
                    let ids: Vec<&str> = self.site.teams.keys().map(String::as_str).collect();
                    Some(if ids.is_empty() {
                        "add the team as content/teams/<id>.md".to_string()
                    } else {
                        format!("teams are: {}", ids.join(", "))
                    })
                });
                // An unknown team is a schema error, never downgraded to a warning.
                let d = Diagnostic::error(
                    &self.doc.path,
                    format!("unknown team `{}`", reference.target),
                )
                .at(&self.doc.text, reference.span.start);
                self.diagnostics.push(match suggestion {
                    Some(s) => d.with_suggestion(s),
                    None => d,
                });
            }
        }
    }

    fn fields(&mut self, fields: &[(String, FieldValue)]) {
        for (_, value) in fields {
            self.field(value);
        }
    }

    fn field(&mut self, value: &FieldValue) {
        match value {
            FieldValue::Team(r) => self.team(r),
            FieldValue::Page(r) => self.reference(r, "page reference"),
            FieldValue::List(items) => items.iter().for_each(|v| self.field(v)),
            FieldValue::ActionItems(items) => {
                for item in items {
                    if let Some(link) = &item.link {
                        self.reference(link, "action item link");
                    }
                }
            }
            FieldValue::Metrics(metrics) => {
                for m in metrics {
                    if let Some(team) = &m.team {
                        self.team(team);
                    }
                }
            }
            _ => {}
        }
    }
}

fn split_anchor(dest: &str) -> (&str, Option<&str>) {
    match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor).filter(|a| !a.is_empty())),
        None => (dest, None),
    }
}

/// `../incidents/x.md` from `folder` to the document at `rel` (both under content/).
fn relative_md(folder: &str, rel: &str) -> String {
    format!("{}.md", relative_path(folder, rel))
}

/// `../img/x.png` from `folder` to the file at `rel` (both under content/).
fn relative_path(folder: &str, rel: &str) -> String {
    let from: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = rel.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to[common..]);
    out.join("/")
}

fn href(site: &Site, base: &str, this: DocId, target: &Target) -> String {
    match target {
        Target::Document { doc, anchor } if *doc == this => {
            format!("#{}", anchor.as_deref().unwrap_or(""))
        }
        Target::Document { doc, anchor } => {
            let url = format!("{base}{}", site[*doc].doc.url);
            match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url,
            }
        }
        Target::Url(url) => format!("{base}{url}"),
        Target::Broken(dest) => dest.clone(),
    }
}

fn link_title(site: &Site, target: &Target) -> String {
    match target {
        Target::Document {
            doc,
            anchor: Some(anchor),
        } => {
            let doc = &site[*doc].doc;
            match doc.markdown.headings.iter().find(|h| &h.id == anchor) {
                Some(h) => format!("{} › {}", doc.title, h.text),
                None => doc.title.clone(),
            }
        }
        Target::Document { doc, .. } => site[*doc].doc.title.clone(),
        Target::Url(url) => url.clone(),
        Target::Broken(dest) => dest.clone(),
    }
}

/// Which document kinds count as a group in "Referenced by".
pub(crate) fn group_label(site: &Site, doc: DocId) -> String {
    let record = &site[doc];
    match record.kind {
        Kind::Review => site
            .template_of(record)
            .map_or("Reviews".into(), |t| plural(&t.label)),
        Kind::Playbook => "Playbooks".into(),
        Kind::Template => "Templates".into(),
        Kind::Team => "Teams".into(),
        _ => "Pages".into(),
    }
}

pub(crate) fn plural(label: &str) -> String {
    if label.ends_with('s') {
        label.to_string()
    } else {
        format!("{label}s")
    }
}

/// An anchor with case and runs of hyphens folded: `#Executive-Swoop---Wants-Information` and
/// MkDocs's `#executive-swoop-wants-information` are the same heading.
fn loose_anchor(anchor: &str) -> String {
    let mut out = String::with_capacity(anchor.len());
    for c in anchor.chars().flat_map(char::to_lowercase) {
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(relative_md("incidents", "incidents/a"), "a.md");
        assert_eq!(
            relative_md("reviews/ops", "incidents/a"),
            "../../incidents/a.md"
        );
        assert_eq!(relative_md("", "guides/x"), "guides/x.md");
    }

    #[test]
    fn asset_paths_become_valid_urls() {
        use crate::html::percent_encode_path;
        assert_eq!(
            percent_encode_path(".gitbook/assets/image (1).png"),
            ".gitbook/assets/image%20%281%29.png"
        );
        assert_eq!(percent_encode_path("img/é.png"), "img/%C3%A9.png");
        assert_eq!(
            percent_decode(&percent_encode_path("a b/ü.pdf")),
            "a b/ü.pdf"
        );
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("PM%202019.md"), "PM 2019.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
