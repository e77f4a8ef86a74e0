//! The search index, built with Pagefind from the same parsed documents the pages come from.
//! Each document is handed to Pagefind as a small HTML record made from its parsed body (so
//! headings with ids become result anchors), its title, the front-matter values worth finding
//! (ids, services, owners) and its facets: kind, team, severity, year and status. Pagefind
//! splits the index into fragments, so the browser downloads only what a query needs.
//!
//! Why Pagefind: it is a maintained, well-tested indexer with chunked indexes and filters,
//! usable as a library; hand-made elasticlunr-style indexes (mdBook, Zola) ship one file the
//! browser downloads whole.

use std::collections::BTreeMap;

use crate::archive;
use crate::document::Kind;
use crate::error::Error;
use crate::render::escape;
use crate::schema::FieldValue;
use crate::site::Site;

/// The facets, as (name, label) in the order the search page shows them.
pub const FACETS: &[(&str, &str)] = &[
    ("kind", "Kind"),
    ("team", "Team"),
    ("severity", "Severity"),
    ("year", "Year"),
    ("status", "Status"),
];

/// Output folder of the index, under the site root.
pub const BUNDLE_DIR: &str = "pagefind";

/// The facets a document is filed under, by facet name.
pub fn facets(site: &Site, i: usize) -> BTreeMap<&'static str, Vec<String>> {
    let record = &site.records[i];
    let doc = &record.doc;
    let mut facets: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    facets.insert("kind", vec![kind_label(site, i)]);
    // Team ids, not names: `/search/?team=payments` is the shareable form.
    let teams = archive::teams_of(record);
    if !teams.is_empty() {
        facets.insert("team", teams);
    }
    if doc.kind == Kind::Team {
        facets.insert("team", vec![doc.id.clone()]);
    }
    if let Some(sev) = archive::string_field(record, "severity") {
        facets.insert("severity", vec![sev.to_string()]);
    }
    if let Some(status) = ["status", "stage", "outcome"]
        .iter()
        .find_map(|f| archive::string_field(record, f))
    {
        facets.insert("status", vec![status.to_string()]);
    }
    if let Some(date) = doc.date {
        facets.insert("year", vec![date.year().to_string()]);
    }
    facets
}

/// What kind of document this is, as searchers say it: "Incident", "Ops review", "Playbook".
pub fn kind_label(site: &Site, i: usize) -> String {
    let record = &site.records[i];
    match record.doc.kind {
        Kind::Review => site
            .template_of(record)
            .map_or_else(|| "Review".into(), |t| t.label.clone()),
        Kind::Home | Kind::Section => "Page".into(),
        kind => kind.label().to_string(),
    }
}

/// Front-matter values worth finding by search: ids, strings (services, owners, commanders).
fn findable_values(site: &Site, i: usize) -> Vec<String> {
    fn walk(value: &FieldValue, out: &mut Vec<String>) {
        match value {
            FieldValue::String(s) | FieldValue::Url(s) => out.push(s.clone()),
            FieldValue::List(items) => items.iter().for_each(|v| walk(v, out)),
            FieldValue::ActionItems(items) => {
                for item in items {
                    out.push(item.title.clone());
                    out.extend(item.owner.clone());
                }
            }
            FieldValue::Metrics(metrics) => out.extend(metrics.iter().map(|m| m.name.clone())),
            _ => {}
        }
    }
    let record = &site.records[i];
    let mut out = Vec::new();
    if record.doc.explicit_id {
        out.push(record.doc.id.clone());
    }
    for (_, value) in &record.fields.0 {
        walk(value, &mut out);
    }
    out
}

/// The HTML record Pagefind indexes for document `i`.
fn record_html(site: &Site, i: usize) -> String {
    let record = &site.records[i];
    let doc = &record.doc;
    let mut html = String::with_capacity(doc.markdown.html.len() + 512);
    html.push_str("<html lang=\"");
    html.push_str(&escape(&site.config.language));
    html.push_str("\"><body><main data-pagefind-body>");
    let mut meta = vec![("title", doc.title.clone()), ("kind", kind_label(site, i))];
    if let Some(date) = doc.date {
        meta.push(("date", date.to_string()));
    }
    if let Some(sev) = archive::string_field(record, "severity") {
        meta.push(("severity", sev.to_string()));
    }
    if doc.explicit_id {
        meta.push(("id", doc.id.clone()));
    }
    for (key, value) in meta {
        // Meta values travel in attributes, so they are not indexed twice.
        html.push_str(&format!(
            "<span data-pagefind-meta=\"{key}:{}\"></span>",
            escape(&value.replace(',', " "))
        ));
    }
    for (facet, values) in facets(site, i) {
        for value in values {
            html.push_str(&format!(
                "<span data-pagefind-filter=\"{facet}:{}\"></span>",
                escape(&value.replace(',', " "))
            ));
        }
    }
    html.push_str("<h1>");
    html.push_str(&escape(&doc.title));
    html.push_str("</h1>");
    if let Some(summary) = &doc.summary {
        html.push_str("<p>");
        html.push_str(&escape(summary));
        html.push_str("</p>");
    }
    let values = findable_values(site, i);
    if !values.is_empty() {
        html.push_str("<p>");
        html.push_str(&escape(&values.join(" · ")));
        html.push_str("</p>");
    }
    // Plain text per section, not the page's HTML: Pagefind parses far less, and headings with
    // ids still give results that link to the right section.
    for (heading, text) in doc.markdown.sections() {
        if let Some(h) = heading {
            let level = h.level.clamp(2, 6);
            html.push_str(&format!(
                "<h{level} id=\"{}\">{}</h{level}>",
                escape(&h.id),
                escape(&h.text)
            ));
        }
        html.push_str("<p>");
        html.push_str(&escape(text));
        html.push_str("</p>");
    }
    html.push_str("</main></body></html>");
    html
}

/// Builds the index; returns its files as (path under the output root, bytes).
pub fn build_index(site: &Site) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let records: Vec<(String, String)> = {
        use rayon::prelude::*;
        (0..site.records.len())
            .into_par_iter()
            .filter(|&i| !site.records[i].doc.stub)
            .map(|i| (site.records[i].doc.url.clone(), record_html(site, i)))
            .collect()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Output(format!("search index: cannot start its runtime: {e}")))?;
    let language = site.config.language.clone();
    runtime.block_on(async move {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .force_language(language)
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(search_error)?;
        for (url, html) in records {
            index
                .add_html_file(None, Some(url), html)
                .await
                .map_err(search_error)?;
        }
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
                (!unused).then(|| (format!("{BUNDLE_DIR}/{name}"), f.contents))
            })
            .collect())
    })
}

/// pagefind's API returns `anyhow::Error`; only its message is needed.
fn search_error(e: impl std::fmt::Display) -> Error {
    Error::Output(format!("search index: {e}"))
}
