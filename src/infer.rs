//! `opsbook infer`: a template read off a folder of existing files, so that a folder of
//! postmortems or reviews written before opsbook becomes a folder of validated reviews in one
//! step. Every file's front matter (TOML or YAML) is read; each key gets the type its values
//! share (date, datetime, int, float, bool, url, team, enum when a few values repeat, text when
//! they are long, a list of strings or teams, action items, metrics), is `required` when every
//! file sets it, and the template claims the folder. The template is then checked the way a
//! build would, and every file validated against it, so the count it reports is the real one.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::document::url_segment;
use crate::error::Error;
use crate::front_matter;
use crate::scaffold::Overwrite;
use crate::schema::{self, COMMON_KEYS, Checker, FieldType, Schema};
use crate::source::{CONTENT_DIR, Source};
use crate::value::{Table, Value};

/// An enum has at most this many values, each repeated: more distinct values are free text.
const MAX_ENUM_VALUES: usize = 12;
/// A string longer than this (or with a line break) makes a field `text`.
const LONG_TEXT: usize = 120;

/// What `infer` found.
#[derive(Debug)]
pub struct Inference {
    /// The folder under `content/`: `postmortems`, `reviews/ops`.
    pub folder: String,
    /// The template's id: its file name in `content/templates/`.
    pub template_id: String,
    /// The template file's text.
    pub template: String,
    /// Markdown files in the folder (index pages aside).
    pub files: usize,
    /// How many of them validate against the template.
    pub valid: usize,
    /// The first problem of each file that does not validate, or could not be read.
    pub problems: Vec<Diagnostic>,
}

/// A file of the folder with its front matter and its `##` headings (text, offset in the file).
type Parsed<'a> = (&'a Source, Table, Vec<(String, usize)>);

/// Everything seen of one front-matter key across the folder.
struct Key<'a> {
    name: &'a str,
    /// Files that give it a value that is not empty.
    filled: usize,
    values: Vec<&'a Value>,
}

/// Reads the front matter of every file in `content/<folder>` and infers the template that
/// claims it.
pub fn infer(root: &Path, folder: &str) -> Result<Inference, Error> {
    let folder = normalize_folder(root, folder);
    if folder.is_empty() || ["templates", "meetings", "teams"].contains(&folder.as_str()) {
        return Err(Error::Output(format!(
            "choose a folder of reviews under {CONTENT_DIR}/, such as `postmortems`; `{}` is not one",
            if folder.is_empty() { "." } else { &folder }
        )));
    }
    let sources = crate::source::load_sources(root)?;
    let prefix = format!("{folder}/");
    let in_folder = |rel: &str| {
        let stem = crate::document::strip_markdown_extension(rel);
        let name = stem.rsplit('/').next().unwrap_or(stem);
        rel.starts_with(&prefix) && name != "_index" && name != "index"
    };
    let files: Vec<&Source> = sources
        .documents
        .iter()
        .filter(|s| in_folder(&s.rel_path))
        .collect();
    let mut problems: Vec<Diagnostic> = sources
        .diagnostics
        .iter()
        .filter(|d| {
            d.path
                .strip_prefix(&format!("{CONTENT_DIR}/"))
                .is_some_and(&in_folder)
        })
        .cloned()
        .collect();
    let unreadable = problems.len();
    if files.is_empty() {
        return Err(Error::Output(format!(
            "{CONTENT_DIR}/{folder}/ has no markdown files to infer a template from"
        )));
    }
    let mut tables: Vec<Parsed<'_>> = Vec::with_capacity(files.len());
    for source in &files {
        let path = source.display_path();
        let parsed = front_matter::split(&path, &source.text)
            .and_then(|split| Ok((front_matter::parse(&path, &source.text, &split)?, split)));
        match parsed {
            Ok((table, split)) => {
                let body = &source.text[split.body.clone()];
                let headings = crate::markdown::render(body, crate::markdown::RenderOptions::PLAIN)
                    .headings
                    .into_iter()
                    .filter(|h| h.level == 2)
                    .map(|h| (h.text, split.body.start + h.offset))
                    .collect();
                tables.push((source, table, headings));
            }
            Err(d) => problems.push(d),
        }
    }
    let teams = team_ids(&sources.documents);
    let keys = collect_keys(tables.iter().map(|(_, t, _)| t));
    let template_id = url_segment(folder.rsplit('/').next().unwrap_or(&folder));
    let template = template_text(&folder, &keys, tables.len(), &teams);

    // Check the template as a build would, then every file against it.
    let template_path = format!("{CONTENT_DIR}/templates/{template_id}.md");
    let split = front_matter::split(&template_path, &template).map_err(content_error)?;
    let front = front_matter::parse(&template_path, &template, &split).map_err(content_error)?;
    let mut check = Checker {
        path: &template_path,
        text: &template,
        diagnostics: Vec::new(),
    };
    let schema = Schema::from_template(&front, &mut check);
    if !check.diagnostics.is_empty() {
        return Err(Error::Content(check.diagnostics));
    }
    let mut valid = 0;
    for (source, table, headings) in &tables {
        let path = source.display_path();
        let mut check = Checker {
            path: &path,
            text: &source.text,
            diagnostics: Vec::new(),
        };
        schema.validate(table, headings, &mut check);
        match check.diagnostics.into_iter().find(Diagnostic::is_error) {
            Some(first) => problems.push(first),
            None => valid += 1,
        }
    }
    problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    Ok(Inference {
        folder,
        template_id,
        template,
        files: files.len() + unreadable,
        valid,
        problems,
    })
}

/// Saves the template as `content/templates/<id>.md`. An existing file, or another template
/// that already claims the folder, is left alone unless `overwrite` allows it.
pub fn write_template(
    root: &Path,
    inference: &Inference,
    overwrite: Overwrite,
) -> Result<PathBuf, Error> {
    let dir = root.join(CONTENT_DIR).join("templates");
    let path = dir.join(format!("{}.md", inference.template_id));
    let shown = format!("{CONTENT_DIR}/templates/{}.md", inference.template_id);
    if overwrite == Overwrite::Refuse {
        if path.exists() {
            return Err(Error::Output(format!(
                "{shown} already exists; --force replaces it"
            )));
        }
        let sources = crate::source::load_sources(root)?;
        let claimed_by = sources.documents.iter().find(|s| {
            s.rel_path.starts_with("templates/")
                && front_matter::split("", &s.text)
                    .and_then(|split| front_matter::parse("", &s.text, &split))
                    .is_ok_and(|t| {
                        t.str("folder").map(|f| f.trim_matches('/')) == Some(&inference.folder)
                    })
        });
        if let Some(other) = claimed_by {
            return Err(Error::Output(format!(
                "{} already claims {CONTENT_DIR}/{}/; --force writes {shown} anyway",
                other.display_path(),
                inference.folder
            )));
        }
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    std::fs::write(&path, &inference.template).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

fn content_error(d: Diagnostic) -> Error {
    Error::Content(vec![d])
}

/// `content/postmortems/`, `/abs/root/content/postmortems` or `postmortems` -> `postmortems`.
fn normalize_folder(root: &Path, folder: &str) -> String {
    let path = Path::new(folder);
    let content = root.join(CONTENT_DIR);
    let rel = path
        .strip_prefix(&content)
        .or_else(|_| path.strip_prefix(CONTENT_DIR))
        .unwrap_or(path);
    crate::diagnostic::display_path(rel)
        .trim_matches('/')
        .trim_start_matches("./")
        .to_string()
}

/// Ids of the teams in `content/teams/`, so fields naming them become `team` fields.
fn team_ids(documents: &[Source]) -> BTreeSet<String> {
    documents
        .iter()
        .filter(|s| s.rel_path.starts_with("teams/") && !s.rel_path["teams/".len()..].contains('/'))
        .filter_map(|s| {
            crate::document::parse_document(s, crate::markdown::RenderOptions::PLAIN).ok()
        })
        .filter(|d| !d.is_index())
        .map(|d| d.id)
        .collect()
}

/// Every key the files set, besides those every document may set, most used first.
fn collect_keys<'a>(tables: impl Iterator<Item = &'a Table>) -> Vec<Key<'a>> {
    let mut keys: Vec<Key<'a>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for table in tables {
        for entry in table.iter() {
            if COMMON_KEYS.contains(&entry.key.as_str()) {
                continue;
            }
            let n = *index.entry(entry.key.as_str()).or_insert_with(|| {
                keys.push(Key {
                    name: &entry.key,
                    filled: 0,
                    values: Vec::new(),
                });
                keys.len() - 1
            });
            let empty = match &entry.node.value {
                Value::String(s) => s.trim().is_empty(),
                Value::Array(items) => items.is_empty(),
                _ => false,
            };
            if !empty {
                keys[n].filled += 1;
                keys[n].values.push(&entry.node.value);
            }
        }
    }
    // Most used first; ties in the order first seen.
    keys.sort_by_key(|k| std::cmp::Reverse(k.filled));
    keys
}

/// The type the values share, or why none fits.
fn infer_type(values: &[&Value], teams: &BTreeSet<String>) -> Result<FieldType, &'static str> {
    if values.is_empty() {
        return Ok(FieldType::String);
    }
    let all = |f: &dyn Fn(&Value) -> bool| values.iter().all(|v| f(v));
    if all(&|v| matches!(v, Value::Array(_))) {
        let items: Vec<&Value> = values
            .iter()
            .flat_map(|v| match v {
                Value::Array(items) => items.iter().map(|n| &n.value).collect(),
                _ => Vec::new(),
            })
            .collect();
        let tables: Vec<&Table> = items
            .iter()
            .filter_map(|v| match v {
                Value::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        if !tables.is_empty() && tables.len() == items.len() {
            let fits = |required: &str, allowed: &[&str]| {
                tables.iter().all(|t| {
                    t.get(required).is_some() && t.iter().all(|e| allowed.contains(&e.key.as_str()))
                })
            };
            return if fits("title", schema::ACTION_ITEM_KEYS) {
                Ok(FieldType::ActionItems)
            } else if fits("name", schema::METRIC_KEYS) {
                Ok(FieldType::Metrics)
            } else {
                Err("a list of tables that are neither action items nor metrics")
            };
        }
        if !items.iter().all(|v| matches!(v, Value::String(_))) {
            return Err("a list of mixed values");
        }
        let of = if !items.is_empty() && items.iter().all(|v| is_team(v, teams)) {
            FieldType::Team
        } else {
            FieldType::String
        };
        return Ok(FieldType::List(Box::new(of)));
    }
    if values
        .iter()
        .any(|v| matches!(v, Value::Array(_) | Value::Table(_)))
    {
        return Err("a table, or a list in some files and a single value in others");
    }
    if all(&|v| matches!(v, Value::Bool(_))) {
        return Ok(FieldType::Bool);
    }
    if all(&|v| matches!(v, Value::Integer(_))) {
        return Ok(FieldType::Int);
    }
    if all(&|v| matches!(v, Value::Integer(_) | Value::Float(_))) {
        return Ok(FieldType::Float);
    }
    if all(&|v| v.as_datetime().is_some()) {
        return Ok(FieldType::Datetime);
    }
    if all(&|v| v.as_date().is_some()) {
        return Ok(FieldType::Date);
    }
    let strings: Vec<&str> = values
        .iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    if strings.len() < values.len() {
        // Numbers in some files, words in others: a string, which the numbers then fail.
        return Ok(FieldType::String);
    }
    if strings.iter().all(|s| schema::is_url(s)) {
        return Ok(FieldType::Url);
    }
    if values.iter().all(|v| is_team(v, teams)) {
        return Ok(FieldType::Team);
    }
    if strings
        .iter()
        .any(|s| s.chars().count() > LONG_TEXT || s.contains('\n'))
    {
        return Ok(FieldType::Text);
    }
    let distinct: BTreeSet<&str> = strings.iter().copied().collect();
    let repeated = strings.len() >= 2 * distinct.len() && strings.len() >= 3;
    let short = distinct.iter().all(|s| s.chars().count() <= 40);
    if distinct.len() <= MAX_ENUM_VALUES && repeated && short {
        return Ok(FieldType::Enum(
            distinct.into_iter().map(str::to_string).collect(),
        ));
    }
    Ok(FieldType::String)
}

fn is_team(value: &Value, teams: &BTreeSet<String>) -> bool {
    matches!(value, Value::String(s) if teams.contains(s))
}

/// The template file, in the form of `content/templates/*.md`.
fn template_text(folder: &str, keys: &[Key<'_>], files: usize, teams: &BTreeSet<String>) -> String {
    let name = folder.rsplit('/').next().unwrap_or(folder);
    let title = humanize(name);
    let label = humanize(name.strip_suffix('s').unwrap_or(name));
    let mut out = String::from("+++\n");
    out.push_str(&format!("title = {}\n", toml_string(&title)));
    out.push_str(&format!(
        "summary = {}\n",
        toml_string(&format!(
            "The fields of the {} in {CONTENT_DIR}/{folder}/, as `opsbook infer` found them.",
            title.to_lowercase()
        ))
    ));
    out.push_str(&format!("folder = {}\n", toml_string(folder)));
    out.push_str(&format!("label = {}\n", toml_string(&label)));
    let mut skipped = Vec::new();
    for key in keys {
        let ty = match infer_type(&key.values, teams) {
            Ok(ty) => ty,
            Err(why) => {
                skipped.push((key.name, why));
                continue;
            }
        };
        out.push_str(&format!("\n[fields.{}]\n", toml_key(key.name)));
        match &ty {
            FieldType::List(of) => {
                out.push_str("type = \"list\"\n");
                out.push_str(&format!("of = \"{}\"\n", of.name()));
            }
            FieldType::Enum(values) => {
                out.push_str("type = \"enum\"\n");
                let values: Vec<String> = values.iter().map(|v| toml_string(v)).collect();
                out.push_str(&format!("values = [{}]\n", values.join(", ")));
            }
            other => out.push_str(&format!("type = \"{}\"\n", other.name())),
        }
        if key.filled == files {
            out.push_str("required = true\n");
        }
        let example = key
            .values
            .iter()
            .find_map(|v| match v {
                Value::String(s) if s.chars().count() <= 40 && !s.contains('\n') => Some(s.clone()),
                Value::Integer(_) | Value::Float(_) | Value::Bool(_) | Value::Datetime(_) => {
                    Some(v.display())
                }
                _ => None,
            })
            .filter(|_| !matches!(ty, FieldType::Enum(_)));
        out.push_str(&format!(
            "help = {}\n",
            toml_string(&format!(
                "Set in {} of {files} files{}.",
                key.filled,
                example.map_or_else(String::new, |e| format!(", for example `{e}`"))
            ))
        ));
    }
    if !skipped.is_empty() {
        out.push('\n');
        for (name, why) in &skipped {
            out.push_str(&format!(
                "# Not inferred: `{name}`, {why}. Declare it by hand; files that set it do not validate until then.\n"
            ));
        }
    }
    out.push_str("+++\n\n");
    out.push_str(&format!(
        "This template was inferred by `opsbook infer` from the front matter of the {files} files in \
         `{CONTENT_DIR}/{folder}/`, and claims that folder: its files are reviews, checked against \
         the fields above on every build. Review the types, write each field's `help`, add the \
         `meeting` these reviews belong to and the `[[sections]]` a review must have, and replace \
         this paragraph with guidance for authors.\n"
    ));
    out
}

/// `on-call_handoffs` -> `On call handoffs`.
fn humanize(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut c = words.trim().chars();
    c.next()
        .map_or_else(|| "Reviews".into(), |f| f.to_uppercase().chain(c).collect())
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML key: bare when it can be, quoted otherwise (`"Incident commander"`).
fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        key.to_string()
    } else {
        toml_string(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(values: &[Value]) -> Result<FieldType, &'static str> {
        let teams: BTreeSet<String> = ["payments".to_string(), "edge".to_string()].into();
        let refs: Vec<&Value> = values.iter().collect();
        infer_type(&refs, &teams)
    }

    fn strings(items: &[&str]) -> Vec<Value> {
        items.iter().map(|s| Value::String(s.to_string())).collect()
    }

    #[test]
    fn each_kind_of_value_gets_its_type() {
        assert_eq!(
            ty(&[Value::Bool(true), Value::Bool(false)]),
            Ok(FieldType::Bool)
        );
        assert_eq!(
            ty(&[Value::Integer(3), Value::Integer(4)]),
            Ok(FieldType::Int)
        );
        assert_eq!(
            ty(&[Value::Integer(3), Value::Float(4.5)]),
            Ok(FieldType::Float)
        );
        assert_eq!(
            ty(&strings(&["2026-03-14", "2026-04-01"])),
            Ok(FieldType::Date)
        );
        assert_eq!(
            ty(&strings(&[
                "2026-03-14T09:00:00Z",
                "2026-03-14 10:30:00+02:00"
            ])),
            Ok(FieldType::Datetime)
        );
        assert_eq!(
            ty(&strings(&["https://a.example/x", "https://b.example/"])),
            Ok(FieldType::Url)
        );
        assert_eq!(ty(&strings(&["payments", "edge"])), Ok(FieldType::Team));
        assert_eq!(
            ty(&strings(&["sev1", "sev2", "sev1", "sev2", "sev3", "sev1"])),
            Ok(FieldType::Enum(vec![
                "sev1".into(),
                "sev2".into(),
                "sev3".into()
            ]))
        );
        assert_eq!(
            ty(&strings(&["dana", "ravi", "sam"])),
            Ok(FieldType::String),
            "values that do not repeat are not an enum"
        );
        assert_eq!(ty(&strings(&[&"long ".repeat(30)])), Ok(FieldType::Text));
        let list = |items: &[&str]| {
            Value::Array(
                strings(items)
                    .into_iter()
                    .map(|value| crate::value::Node { span: 0..0, value })
                    .collect(),
            )
        };
        assert_eq!(
            ty(&[list(&["db", "failover"]), list(&["cdn"])]),
            Ok(FieldType::List(Box::new(FieldType::String)))
        );
        assert_eq!(
            ty(&[list(&["payments"]), list(&["edge", "payments"])]),
            Ok(FieldType::List(Box::new(FieldType::Team)))
        );
        assert!(ty(&[Value::Table(Table::default())]).is_err());
    }

    #[test]
    fn keys_that_are_not_bare_are_quoted() {
        assert_eq!(toml_key("time_to_detect"), "time_to_detect");
        assert_eq!(toml_key("Incident commander"), "\"Incident commander\"");
    }
}
