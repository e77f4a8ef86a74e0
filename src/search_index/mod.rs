//! opsbook's own static search index, built from plain data (`SearchDoc`s), not from written
//! HTML, and read by `themes/default/static/search.js`. `docs/search-index.md` describes the
//! format and the reasons for it; in brief, under `search-index/`:
//!
//! - `manifest.json`, the one name without a hash: counts, and the names of everything else;
//! - `dict/*.bin`: the sorted surface words seen, in shards of ~32 KB, each mapping a word to
//!   its stem's row (where its postings are, or for a rare stem the postings themselves) and the
//!   word's own frequency;
//! - `post/*.bin`: per stem, its surface forms and its (document, impact) postings, packed in
//!   files of ~16 KB (a long list is split into files of at most ~48 KB);
//! - `frag/<hash>/<doc>.json`: each document (title, url, kind, date, id, severity, sections),
//!   512 documents to a folder named by the hash of their fragments;
//! - `facets/*.json` and `facetdocs/*.bin`: facet values and each document's combination of them.
//!
//! Words: `tokenize` (UAX #29, ids whole and by parts). Impacts: a BM25 term weight with title
//! and heading bonuses, computed here so that the browser needs no norms. The builder
//! (`build_with`) streams: it holds the compact postings and emits fragments as they are made.
//! `LiveIndex` answers the same files from memory for `serve`, re-encoded after each change.

mod build;
mod dict;
pub mod format;
mod invert;
mod live;
mod prepare;
pub mod read;
#[cfg(test)]
mod tests;
pub mod tokenize;

pub use build::{build, build_with};
pub use invert::Sink;
pub use live::LiveIndex;

/// Folder of the index under the output root.
pub const INDEX_DIR: &str = "search-index";
/// The one file without a content hash in its name: it names all the others.
pub const MANIFEST: &str = "search-index/manifest.json";

/// One document to index: plain data, independent of the rest of opsbook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// Site-relative URL, `/incidents/x/` (the client prefixes the base path).
    pub url: String,
    pub title: String,
    /// What kind of document it is, as searchers say it: "Incident", "Playbook".
    pub kind: String,
    pub date: Option<String>,
    /// An explicit document id (`INC-2026-004`): a query for it finds this document first.
    pub id: Option<String>,
    pub severity: Option<String>,
    /// Facet name -> values (`team` -> [`payments`, `edge`]).
    pub facets: Vec<(String, Vec<String>)>,
    pub sections: Vec<SearchSection>,
}

/// A part of a document under one heading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchSection {
    /// `""` for the text before the first heading.
    pub heading: String,
    /// The heading's id, for `url#anchor`; `""` for the text before the first heading.
    pub anchor: String,
    pub text: String,
}

/// A facet the search page filters by, with its label and labels for its values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetDef {
    pub name: String,
    pub label: String,
    /// value -> label (`payments` -> `Payments team`); a value without one shows as itself.
    pub value_labels: Vec<(String, String)>,
}

/// How to index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexOptions {
    /// Language of the content (`en`, `de`, `en-GB`): picks the Snowball stemmer; a language
    /// without one is indexed by surface words only.
    pub language: String,
    /// Facets in the order the search page shows them. Facets that documents carry but that
    /// are not listed here follow, labelled by their name.
    pub facets: Vec<FacetDef>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            language: "en".into(),
            facets: Vec::new(),
        }
    }
}

/// What a build indexed and wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexStats {
    pub documents: usize,
    /// Words in the documents (UAX #29 words, not counting parts and compounds).
    pub words: u64,
    /// Distinct surface terms in the dictionary.
    pub terms: usize,
    pub stems: usize,
    pub postings: u64,
    pub files: usize,
    pub bytes: u64,
}
