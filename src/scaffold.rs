//! Writing new files for authors: `opsbook new` (a review from its template, with every field
//! and section ready to fill in) and `opsbook init` (a small handbook that builds at once).

use std::path::{Path, PathBuf};

use time::Date;

use crate::diagnostic::suggest;
use crate::document::url_segment;
use crate::error::Error;
use crate::pattern;
use crate::schema::{FieldDef, FieldType};
use crate::site::{Drafts, Site};

/// A review `opsbook new` wrote.
#[derive(Debug)]
pub struct NewReview {
    pub path: PathBuf,
    pub title: String,
    /// Whether the template names its reviews itself (`title_format` without `{title}`), so a
    /// title given on the command line was not used.
    pub titled_by_template: bool,
}

/// Creates a draft review of `template_id`, dated `date`, titled `title` or as the template's
/// `title_format` says; returns where it went. An existing file is never replaced.
pub fn new_review(
    root: &Path,
    template_id: &str,
    title: Option<&str>,
    date: Date,
) -> Result<NewReview, Error> {
    let sources = crate::source::load_sources(root)?;
    let docs: Vec<_> = sources
        .documents
        .iter()
        .filter_map(|s| {
            crate::document::parse_document(s, crate::markdown::RenderOptions::PLAIN)
                .ok()
                .map(std::sync::Arc::new)
        })
        .collect();
    let (site, _) = crate::site::assemble(docs, sources.config, date, Drafts::Include);
    let Some(template) = site.templates.iter().find(|t| t.id == template_id) else {
        let ids: Vec<&str> = site.templates.iter().map(|t| t.id.as_str()).collect();
        let hint = match guess_template(&site, template_id) {
            Some(s) => format!("did you mean `{s}`?"),
            None if ids.is_empty() => "there are no templates in content/templates/".to_string(),
            None => format!("templates: {}", ids.join(", ")),
        };
        return Err(Error::Output(format!(
            "no template `{template_id}`; {hint}"
        )));
    };
    let Some(folder) = template.folder.clone() else {
        return Err(Error::Output(format!(
            "template `{template_id}` does not say where its reviews live; add `folder = \"...\"` to content/templates/{template_id}.md"
        )));
    };
    let title_format = template.title_format.as_deref().unwrap_or("{title}");
    let file_name = template
        .file_name
        .as_deref()
        .unwrap_or("{year}-{month}-{slug}");
    let needs_title = pattern::uses(title_format, "title")
        || pattern::uses(file_name, "title")
        || pattern::uses(file_name, "slug");
    let given = title.map(str::trim).filter(|t| !t.is_empty());
    if needs_title && given.is_none() {
        return Err(Error::Output(format!(
            "a `{template_id}` review needs a title: opsbook new {template_id} \"What happened\""
        )));
    }
    let given = given.unwrap_or_default();
    let id = template
        .id_format
        .as_deref()
        .map(|f| next_id(&site, f, date));
    let fill = |pattern: &str| {
        pattern::fill_date(pattern, date)
            .replace("{title}", given)
            .replace("{slug}", &url_segment(given))
            .replace("{id}", id.as_deref().unwrap_or_default())
    };
    let title = fill(title_format);
    let stem = fill(file_name);
    let stem = stem.trim().trim_matches('/');
    if stem.is_empty() || stem.contains(['/', '\\']) || stem.starts_with('.') {
        return Err(Error::Output(format!(
            "`file_name = \"{file_name}\"` in content/templates/{template_id}.md gives the file name `{stem}`; it must be a plain file name"
        )));
    }
    let dir = root.join(crate::source::CONTENT_DIR).join(&folder);
    let path = dir.join(format!("{stem}.md"));
    let shown = format!("{}/{folder}/{stem}.md", crate::source::CONTENT_DIR);
    if path.exists() {
        // Running `new` twice is a slip, not a request for a second review: the first one may
        // already hold an hour of writing, and a `-2` copy with a new id would split the record.
        let existing = site
            .records
            .iter()
            .find(|r| r.doc.path == shown)
            .map(|r| format!(" (\"{}\")", r.doc.title))
            .unwrap_or_default();
        return Err(Error::Output(format!(
            "{shown} already exists{existing}; open it to carry on, or choose another title{}",
            if pattern::DATE.iter().any(|p| pattern::uses(file_name, p)) {
                " or date (--date)"
            } else {
                ""
            }
        )));
    }
    let text = review_text(
        &title,
        id.as_deref(),
        date,
        &template.schema.fields,
        &template.schema.sections,
    );
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    // `create_new`: a file that appeared since the check above is not replaced either.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .map_err(|e| Error::io(&path, e))?;
    Ok(NewReview {
        path,
        title,
        titled_by_template: !pattern::uses(title_format, "title"),
    })
}

/// The template an author most likely meant by `word`: a close id (`incident-reveiw`), an id
/// that starts with it (`incident` for `incident-review`), or one whose label or folder it
/// names (`incident`, `incidents`, `postmortem` for a template labelled "Postmortem").
fn guess_template<'a>(site: &'a Site, word: &str) -> Option<&'a str> {
    let ids = || site.templates.iter().map(|t| t.id.as_str());
    if let Some(close) = suggest(word, ids()) {
        return Some(close);
    }
    let word = word.trim().to_lowercase();
    let singular = word.strip_suffix('s').unwrap_or(&word);
    let names = |t: &crate::site::Template| {
        let folder = t
            .folder
            .as_deref()
            .and_then(|f| f.rsplit('/').next())
            .unwrap_or_default()
            .to_lowercase();
        let label = t.label.to_lowercase();
        [
            t.id.starts_with(&format!("{singular}-")) || t.id.starts_with(&format!("{word}-")),
            label == word || label == singular,
            folder == word || folder.strip_suffix('s') == Some(singular),
        ]
    };
    site.templates
        .iter()
        .find(|t| names(t).into_iter().any(|hit| hit))
        .map(|t| t.id.as_str())
}

/// The front matter and body of a new review.
fn review_text(
    title: &str,
    id: Option<&str>,
    today: Date,
    fields: &[FieldDef],
    sections: &[crate::schema::SectionDef],
) -> String {
    let mut out = String::from("+++\n");
    out.push_str(&format!("title = {}\n", toml_string(title)));
    if let Some(id) = id {
        out.push_str(&format!("id = {}\n", toml_string(id)));
    }
    out.push_str(&format!("date = {today}\n"));
    out.push_str("draft = true  # remove when the review is ready to publish\n");
    let mut tables = Vec::new();
    for f in fields {
        let comment = field_comment(f);
        match (&f.ty, f.required) {
            (FieldType::ActionItems | FieldType::Metrics, _) => tables.push(f),
            (_, true) => out.push_str(&format!(
                "{} = {}  # required: {comment}\n",
                f.name,
                placeholder(&f.ty, today)
            )),
            (_, false) => {
                out.push_str(&format!("# {} = {}  # {comment}\n", f.name, f.ty.example()))
            }
        }
    }
    for f in tables {
        out.push_str(&format!(
            "\n# {}{}\n",
            f.name,
            if f.help.is_empty() {
                String::new()
            } else {
                format!(": {}", f.help)
            }
        ));
        match f.ty {
            FieldType::ActionItems => out.push_str(&format!(
                "# [[{}]]\n# title = \"...\"\n# owner = \"handle\"\n# due = {today}   # every item has an owner and a due date\n# status = \"open\"  # open | done | dropped\n",
                f.name
            )),
            _ => out.push_str(&format!(
                "# [[{}]]\n# name = \"...\"\n# unit = \"%\"\n# goal = 99.9\n# direction = \"up\"  # up: higher is better; down: lower is better\n# value = 0.0\n# series = [{{ date = {today}, value = 0.0 }}]\n",
                f.name
            )),
        }
    }
    out.push_str("+++\n");
    for s in sections {
        out.push_str(&format!(
            "\n## {}\n\n<!-- {}{} -->\n",
            s.heading,
            s.prompt,
            if s.required { "" } else { " (optional)" }
        ));
    }
    out
}

fn field_comment(f: &FieldDef) -> String {
    let mut c = f.ty.name();
    if !f.unit.is_empty() {
        c.push_str(", in ");
        c.push_str(&f.unit);
    }
    if !f.help.is_empty() {
        c.push_str(". ");
        c.push_str(&f.help);
    }
    c
}

/// A value that parses but that `check` still reports, so the author sees what is left to do.
fn placeholder(ty: &FieldType, today: Date) -> String {
    match ty {
        FieldType::List(_) => "[]".into(),
        FieldType::Int => "0".into(),
        FieldType::Float => "0.0".into(),
        FieldType::Bool => "false".into(),
        FieldType::Date => today.to_string(),
        FieldType::Datetime => format!("{today}T00:00:00Z"),
        _ => "\"\"".into(),
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The next id in `format`'s scheme: `INC-{year}-{seq:03}` -> `INC-2026-015` after `INC-2026-014`.
/// Placeholders: those of `pattern::DATE`, and `{seq}` or `{seq:0N}`.
pub(crate) fn next_id(site: &Site, format: &str, today: Date) -> String {
    let filled = pattern::fill_date(format, today);
    let taken = |id: &str| site.records.iter().any(|r| r.doc.id == id);
    let Some(start) = filled.find("{seq") else {
        let mut id = filled.clone();
        let mut n = 2;
        while taken(&id) {
            id = format!("{filled}-{n}");
            n += 1;
        }
        return id;
    };
    let end = filled[start..]
        .find('}')
        .map_or(filled.len(), |e| start + e + 1);
    let width: usize = filled[start..end]
        .trim_start_matches("{seq")
        .trim_start_matches(":")
        .trim_end_matches('}')
        .trim_start_matches('0')
        .parse()
        .unwrap_or(0);
    let (prefix, suffix) = (&filled[..start], &filled[end..]);
    let highest = site
        .records
        .iter()
        .filter_map(|r| {
            let middle = r.doc.id.strip_prefix(prefix)?.strip_suffix(suffix)?;
            (!middle.is_empty() && middle.bytes().all(|b| b.is_ascii_digit()))
                .then(|| middle.parse::<u64>().ok())?
        })
        .max()
        .unwrap_or(0);
    format!("{prefix}{:0width$}{suffix}", highest + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SectionDef;
    use time::macros::date;

    #[test]
    fn review_text_has_every_field_and_section() {
        let fields = vec![
            FieldDef {
                name: "severity".into(),
                ty: FieldType::Enum(vec!["sev1".into(), "sev2".into()]),
                required: true,
                help: "How bad.".into(),
                unit: String::new(),
                replaces_body: false,
            },
            FieldDef {
                name: "teams".into(),
                ty: FieldType::List(Box::new(FieldType::Team)),
                required: true,
                help: String::new(),
                unit: String::new(),
                replaces_body: false,
            },
            FieldDef {
                name: "services".into(),
                ty: FieldType::List(Box::new(FieldType::String)),
                required: false,
                help: String::new(),
                unit: String::new(),
                replaces_body: false,
            },
            FieldDef {
                name: "action_items".into(),
                ty: FieldType::ActionItems,
                required: false,
                help: String::new(),
                unit: String::new(),
                replaces_body: false,
            },
        ];
        let sections = vec![SectionDef {
            heading: "Summary".into(),
            prompt: "What happened.".into(),
            required: true,
        }];
        let text = review_text(
            "Checkout \"slow\"",
            Some("INC-2026-015"),
            date!(2026 - 11 - 23),
            &fields,
            &sections,
        );
        assert!(text.contains("title = 'Checkout \"slow\"'"), "{text}");
        assert!(
            text.contains("severity = \"\"  # required: enum (sev1, sev2). How bad."),
            "{text}"
        );
        assert!(text.contains("teams = []  # required"), "{text}");
        assert!(text.contains("# services = [\"...\"]"), "{text}");
        assert!(text.contains("# [[action_items]]"), "{text}");
        assert!(
            text.contains("## Summary\n\n<!-- What happened. -->"),
            "{text}"
        );
        assert!(text.contains("draft = true"));
        // It is valid TOML front matter.
        let split = crate::front_matter::split("x.md", &text).unwrap();
        crate::front_matter::parse("x.md", &text, &split).unwrap();
    }
}

/// The starter handbook `opsbook init` writes: (path in the new folder, contents).
const STARTER: &[(&str, &str)] = &[
    ("README.md", include_str!("starter/README.md")),
    ("content/_index.md", include_str!("starter/_index.md")),
    ("content/teams/platform.md", include_str!("starter/team.md")),
    (
        "content/templates/incident-review.md",
        include_str!("starter/incident-template.md"),
    ),
    (
        "content/templates/business-review.md",
        include_str!("starter/business-template.md"),
    ),
    (
        "content/templates/ops-review.md",
        include_str!("starter/ops-template.md"),
    ),
    (
        "content/templates/tech-spec.md",
        include_str!("starter/spec-template.md"),
    ),
    (
        "content/meetings/incident-review.md",
        include_str!("starter/meeting-incident-review.md"),
    ),
    (
        "content/meetings/business-review.md",
        include_str!("starter/meeting-business-review.md"),
    ),
    (
        "content/meetings/ops-review.md",
        include_str!("starter/meeting-ops-review.md"),
    ),
    (
        "content/meetings/tech-spec-review.md",
        include_str!("starter/meeting-tech-spec-review.md"),
    ),
    (
        "content/incidents/2026-01-ci-disk-full.md",
        include_str!("starter/incident.md"),
    ),
    (
        "content/reviews/business/2026-q1-platform.md",
        include_str!("starter/business.md"),
    ),
    (
        "content/reviews/ops/2026-w03.md",
        include_str!("starter/ops.md"),
    ),
    (
        "content/specs/ci-cache-cleanup.md",
        include_str!("starter/spec.md"),
    ),
];

/// Whether `init` may write into a folder that already has files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overwrite {
    Refuse,
    Allow,
}

/// Writes a small handbook that builds at once into `dir`; returns the files written.
pub fn init(dir: &Path, overwrite: Overwrite) -> Result<Vec<PathBuf>, Error> {
    if overwrite == Overwrite::Refuse
        && let Ok(mut entries) = std::fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(Error::Output(format!(
            "{} is not empty; choose an empty folder, or pass --force to write the starter files into it (files with the same names are replaced)",
            dir.display()
        )));
    }
    let title = dir
        .canonicalize()
        .ok()
        .and_then(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().replace(['-', '_'], " "))
        })
        .filter(|n| !n.trim().is_empty())
        .map_or_else(
            || "Engineering handbook".to_string(),
            |n| format!("{} handbook", capitalize(&n)),
        );
    let mut files = vec![(
        PathBuf::from(crate::config::CONFIG_FILE),
        crate::config::commented_toml(&title),
    )];
    files.extend(
        STARTER
            .iter()
            .map(|(p, text)| (PathBuf::from(p), (*text).to_string())),
    );
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(rel);
    }
    Ok(written)
}

fn capitalize(s: &str) -> String {
    let mut c = s.trim().chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}
