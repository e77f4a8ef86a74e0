//! The site's search index, from the parsed model: each document's plain text by section (its
//! title, headings with their ids, body; no navigation or generated lists), its meta (title,
//! kind, date, id, severity) and the facets it is filed under (kind, team, severity, year,
//! status, and every other enum field a template declares). `search_index` owns the index
//! itself: its words, its ranking, its files and the browser's side; this module only says
//! what goes in.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::archive;
use crate::config::Config;
use crate::document::Kind;
use crate::error::Error;
use crate::schema::{FieldType, FieldValue};
use crate::search_index::{FacetDef, IndexOptions, IndexStats, SearchDoc, SearchSection};
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

/// How the site's index is made: its language's stemmer, and its facets with their labels
/// (teams by name).
pub(crate) fn options(site: &Site) -> IndexOptions {
    IndexOptions {
        language: site.config.language.clone(),
        facets: facet_list(site)
            .into_iter()
            .map(|(name, label)| FacetDef {
                value_labels: if name == "team" {
                    site.teams
                        .values()
                        .map(|t| (t.id.clone(), t.name.clone()))
                        .collect()
                } else {
                    Vec::new()
                },
                name,
                label,
            })
            .collect(),
    }
}

/// Document `i` as the index takes it.
pub(crate) fn document(site: &Site, i: DocId) -> SearchDoc {
    let record = &site[i];
    let doc = &record.doc;
    SearchDoc {
        url: doc.url.clone(),
        title: doc.title.clone(),
        kind: site.kind_label(record),
        date: doc.date.map(|d| d.to_string()),
        id: doc.explicit_id.then(|| doc.id.clone()),
        severity: archive::string_field(record, "severity").map(str::to_string),
        facets: facets(site, i).into_iter().collect(),
        sections: doc
            .markdown
            .sections()
            .into_iter()
            .map(|(heading, text)| SearchSection {
                heading: heading.map(|h| h.text.clone()).unwrap_or_default(),
                anchor: heading.map(|h| h.id.clone()).unwrap_or_default(),
                text: text.to_string(),
            })
            .chain(
                Some(field_text(site, record))
                    .filter(|t| !t.is_empty())
                    .map(|text| SearchSection {
                        heading: String::new(),
                        anchor: String::new(),
                        text,
                    }),
            )
            .collect(),
    }
}

/// A document's own fields as words to find it by: text values (services, a link's address),
/// team names, its action items' titles and owners, its metrics' names. They come last, after
/// the body, so excerpts prefer the author's prose. (Lists of other documents stay out.)
fn field_text(site: &Site, record: &crate::site::Record) -> String {
    fn add(site: &Site, value: &FieldValue, out: &mut Vec<String>) {
        match value {
            FieldValue::String(s) | FieldValue::Url(s) => out.push(s.clone()),
            FieldValue::Int(_)
            | FieldValue::Float(_)
            | FieldValue::Bool(_)
            | FieldValue::Date(_)
            | FieldValue::Datetime(_)
            | FieldValue::Page(_) => {}
            FieldValue::Team(r) => out.push(
                site.teams
                    .get(&r.target)
                    .map_or_else(|| r.target.clone(), |t| t.name.clone()),
            ),
            FieldValue::List(items) => items.iter().for_each(|v| add(site, v, out)),
            FieldValue::ActionItems(items) => {
                for item in items {
                    out.push(item.title.clone());
                    out.extend(item.owner.clone());
                }
            }
            FieldValue::Metrics(metrics) => out.extend(metrics.iter().map(|m| m.name.clone())),
        }
    }
    let mut out = Vec::new();
    for (_, value) in &record.fields.0 {
        add(site, value, &mut out);
    }
    out.join(". ")
}

/// The documents in the order results tie in: newest first.
pub(crate) fn order(site: &Site) -> Vec<DocId> {
    let mut order: Vec<DocId> = site.ids().collect();
    archive::sort_newest_first(site, &mut order);
    order
}

/// Indexes every document of `site` and hands each index file to `sink` as it is made (path
/// under the output root, bytes). Documents are turned into `SearchDoc`s on every core, a batch
/// at a time, so the whole site's text is never copied at once.
pub(crate) fn write_index(
    site: &Site,
    sink: &mut crate::search_index::Sink<'_, Error>,
) -> Result<IndexStats, Error> {
    const BATCH: usize = 512;
    let order = order(site);
    let docs = order.chunks(BATCH).flat_map(|chunk| {
        chunk
            .par_iter()
            .map(|&i| document(site, i))
            .collect::<Vec<_>>()
    });
    crate::search_index::build_with(docs, &options(site), sink)
}

/// The search page's facets, as (name, label): the fixed ones, then every other enum field a
/// template declares (a change record's `tier`), by name. Team fields of any name feed `team`.
pub(crate) fn facet_list(site: &Site) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = FACETS
        .iter()
        .map(|(name, label)| (name.to_string(), label.to_string()))
        .collect();
    let mut extra: Vec<&str> = site
        .templates
        .iter()
        .flat_map(|t| &t.schema.fields)
        .filter(|f| is_enum(&f.ty) && is_extra_facet(&f.name))
        .map(|f| f.name.as_str())
        .collect();
    extra.sort_unstable();
    extra.dedup();
    out.extend(
        extra
            .into_iter()
            .map(|name| (name.to_string(), crate::schema::field_label(name))),
    );
    for (name, label) in page_facets(&site.config) {
        if !out.iter().any(|(n, _)| *n == name) {
            out.push((name, label));
        }
    }
    out
}

/// The front-matter keys `[pages] facets` names, as (name, label); a key that is not a safe
/// filter name is skipped.
fn page_facets(config: &Config) -> Vec<(String, String)> {
    config
        .pages
        .facets
        .iter()
        .filter(|key| {
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
        .map(|key| {
            (
                key.clone(),
                crate::schema::field_label(&key.replace('-', "_")),
            )
        })
        .collect()
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

fn is_enum(ty: &FieldType) -> bool {
    match ty {
        FieldType::Enum(_) => true,
        FieldType::List(of) => is_enum(of),
        _ => false,
    }
}

/// An enum field that is a facet of its own: not one the fixed facets already cover.
fn is_extra_facet(name: &str) -> bool {
    !FACETS.iter().any(|(f, _)| *f == name) && !archive::STATUS_FIELDS.contains(&name)
}

/// The facets a document is filed under, by facet name.
pub(crate) fn facets(site: &Site, i: DocId) -> BTreeMap<String, Vec<String>> {
    let record = &site[i];
    let doc = &record.doc;
    let mut facets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, _) in page_facets(&site.config) {
        if let Some(node) = doc.front.get(&key) {
            let values = front_values(&node.value);
            if !values.is_empty() {
                facets.insert(key, values);
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
    if let Some(template) = site.template_of(record) {
        for def in template
            .schema
            .fields
            .iter()
            .filter(|f| is_enum(&f.ty) && is_extra_facet(&f.name))
        {
            let values: Vec<String> = match record.fields.get(&def.name) {
                Some(FieldValue::String(v)) => vec![v.clone()],
                Some(FieldValue::List(items)) => items
                    .iter()
                    .filter_map(|v| match v {
                        FieldValue::String(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            if !values.is_empty() {
                facets.insert(def.name.clone(), values);
            }
        }
    }
    facets
}
