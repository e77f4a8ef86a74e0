//! The search index, built with Pagefind from the pages a build has written. The theme marks
//! each document's article with `data-pagefind-body` (headings with ids become result anchors;
//! listings, navigation and backlinks stay out) and writes the attributes `page_attributes`
//! gives: the result's title, kind, date, severity and id, and its facets (kind, team,
//! severity, year, status). Pagefind splits the index into fragments, so the browser downloads
//! only what a query needs.
//!
//! Why Pagefind: it is a maintained, well-tested indexer with chunked indexes and filters,
//! usable as a library; hand-made elasticlunr-style indexes (mdBook, Zola) ship one file the
//! browser downloads whole.

use std::collections::BTreeMap;
use std::path::Path;

use crate::archive;
use crate::config::Config;
use crate::document::Kind;
use crate::error::Error;
use crate::site::{DocId, Site};
use crate::value::Value;

/// The built-in facets, as (name, label) in the order the search page shows them.
pub(crate) const FACETS: &[(&str, &str)] = &[
    ("kind", "Kind"),
    ("team", "Team"),
    ("severity", "Severity"),
    ("year", "Year"),
    ("status", "Status"),
];

/// Output folder of the (first) index, under the site root.
pub(crate) const BUNDLE_DIR: &str = "pagefind";

/// Output folder of index `k` (from 0): `pagefind`, `pagefind-2`, `pagefind-3`, ...
pub fn bundle_dir(k: usize) -> String {
    if k == 0 {
        BUNDLE_DIR.to_string()
    } else {
        format!("{BUNDLE_DIR}-{}", k + 1)
    }
}

/// The files of one index, as (path under the output root, bytes).
pub(crate) type IndexFiles = Vec<(String, Vec<u8>)>;

/// How many indexes `documents` documents get, at most `per_index` in each.
pub(crate) fn index_count(documents: usize, per_index: usize) -> usize {
    documents.div_ceil(per_index.max(1)).max(1)
}

/// Indexes the site written in `root`, whose document pages are `documents` (output paths, in
/// order), and hands the files of each index to `emit` as (path under the output root, bytes).
///
/// Up to `per_index` documents share one index. Larger sites get several, built one after the
/// other so that Pagefind, which keeps a whole index in memory, never holds more than one:
/// each is built from a scratch folder of hard links to its pages (no page is copied).
pub(crate) fn build_indexes(
    root: &Path,
    documents: &[String],
    per_index: usize,
    language: &str,
    emit: &mut dyn FnMut(IndexFiles) -> Result<(), Error>,
) -> Result<(), Error> {
    use rayon::prelude::*;
    let per_index = per_index.max(1);
    if index_count(documents.len(), per_index) == 1 {
        return emit(build_index(root, language, BUNDLE_DIR)?);
    }
    let scratch_parent = root.parent().unwrap_or(root);
    for (k, chunk) in documents.chunks(per_index).enumerate() {
        let scratch = tempfile::Builder::new()
            .prefix(".opsbook-index-")
            .tempdir_in(scratch_parent)
            .map_err(|e| Error::io(scratch_parent, e))?;
        chunk.par_iter().try_for_each(|page| {
            let (from, to) = (root.join(page), scratch.path().join(page));
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
            // A copy where hard links are not supported.
            std::fs::hard_link(&from, &to)
                .or_else(|_| std::fs::copy(&from, &to).map(|_| ()))
                .map_err(|e| Error::io(&to, e))
        })?;
        emit(build_index(scratch.path(), language, &bundle_dir(k))?)?;
    }
    Ok(())
}

/// Every facet of the site, as (name, label): the built-in ones, then the front-matter keys
/// `[pages] facets` names (a key that is not a safe filter name, or repeats one, is skipped).
pub(crate) fn facet_list(config: &Config) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = FACETS
        .iter()
        .map(|&(name, label)| (name.to_string(), label.to_string()))
        .collect();
    for key in &config.pages.facets {
        let safe = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        if safe && !list.iter().any(|(name, _)| name == key) {
            let words = key.replace(['_', '-'], " ");
            let mut c = words.chars();
            let label = c
                .next()
                .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect());
            list.push((key.clone(), label));
        }
    }
    list
}

/// The values of a front-matter key as facet values: a string, a number, or a list of them.
fn front_values(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().flat_map(|n| front_values(&n.value)).collect(),
        Value::Table(_) => Vec::new(),
        other => {
            let s = other.display();
            let s = s.trim();
            if s.is_empty() {
                Vec::new()
            } else {
                vec![s.to_string()]
            }
        }
    }
}

/// The facets a document is filed under, by facet name.
pub(crate) fn facets(site: &Site, i: DocId) -> BTreeMap<String, Vec<String>> {
    let record = &site[i];
    let doc = &record.doc;
    let mut facets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for key in &site.config.pages.facets {
        if let Some(node) = doc.front.get(key) {
            let values = front_values(&node.value);
            if !values.is_empty() {
                facets.insert(key.clone(), values);
            }
        }
    }
    facets.insert("kind".into(), vec![site.kind_label(&site[i])]);
    // Team ids, not names: `/search/?team=payments` is the shareable form.
    let teams = archive::teams_of(record);
    if !teams.is_empty() {
        facets.insert("team".into(), teams);
    }
    if record.kind == Kind::Team {
        facets.insert("team".into(), vec![doc.id.clone()]);
    }
    if let Some(sev) = archive::string_field(record, "severity") {
        facets.insert("severity".into(), vec![sev.to_string()]);
    }
    if let Some(status) = archive::status_of(record) {
        facets.insert("status".into(), vec![status.to_string()]);
    }
    if let Some(date) = doc.date {
        facets.insert("year".into(), vec![date.year().to_string()]);
    }
    facets
}

/// What a page tells Pagefind about itself besides its text, as (attribute, `key:value`)
/// pairs that the theme writes as `data-pagefind-meta` and `data-pagefind-filter` attributes:
/// the result's title, kind, date, severity and id, and the facets it is filed under.
pub(crate) fn page_attributes(site: &Site, i: DocId) -> Vec<(&'static str, String)> {
    let record = &site[i];
    let doc = &record.doc;
    let mut meta = vec![
        ("title", doc.title.clone()),
        ("kind", site.kind_label(&site[i])),
    ];
    if let Some(date) = doc.date {
        meta.push(("date", date.to_string()));
    }
    if let Some(sev) = archive::string_field(record, "severity") {
        meta.push(("severity", sev.to_string()));
    }
    if doc.explicit_id {
        meta.push(("id", doc.id.clone()));
    }
    // A comma separates several pairs in one attribute; values never contain one.
    let pair = |key: &str, value: &str| format!("{key}:{}", value.replace(',', " "));
    let mut out: Vec<(&'static str, String)> = meta
        .iter()
        .map(|(key, value)| ("meta", pair(key, value)))
        .collect();
    for (facet, values) in facets(site, i) {
        for value in values {
            out.push(("filter", pair(&facet, &value)));
        }
    }
    out
}

/// Indexes the built pages in `dir` and returns the index's files as (path under the output
/// root, in folder `bundle`, bytes). Only pages whose theme marks a `data-pagefind-body` are indexed: documents, not
/// listings.
///
/// The pages are read back from disk because Pagefind's folder indexer is the one that parses
/// on every core; its in-memory `add_html_file` works one page at a time and looks each URL up
/// in a list, which is quadratic in the page count.
fn build_index(dir: &Path, language: &str, bundle: &str) -> Result<IndexFiles, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Output(format!("search index: cannot start its runtime: {e}")))?;
    let dir = dir.to_string_lossy().into_owned();
    let language = language.to_string();
    runtime.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .force_language(language)
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(search_error)?;
        index
            .add_directory(dir, Some("**/*.html".into()))
            .await
            .map_err(search_error)?;
        let files = index.get_files().await.map_err(search_error)?;

        Ok(files
            .into_iter()
            .filter_map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                let name = name
                    .trim_start_matches('/')
                    .trim_start_matches("pagefind/")
                    .to_string();
                // opsbook has its own search UI; Pagefind's prebuilt UIs are not shipped.
                let unused = name.contains("-ui.") || name == "pagefind-highlight.js";
                (!unused).then(|| (format!("{bundle}/{name}"), f.contents))
            })
            .collect())
    })
}

/// pagefind's API returns `anyhow::Error`; only its message is needed.
fn search_error(e: impl std::fmt::Display) -> Error {
    Error::Output(format!("search index: {e}"))
}
