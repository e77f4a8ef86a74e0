//! A parsed document: one markdown file with its front matter read, its body rendered and its
//! place in the site (id, slug, URL) worked out. `parse_document` is a pure function of the file's
//! text; what kind of document it is (playbook, review, ...) is settled later by `site`, once the
//! templates are known.

use std::sync::Arc;

use time::Date;

use crate::diagnostic::Diagnostic;
use crate::front_matter;
use crate::markdown::{self, Markdown};
use crate::source::Source;
use crate::value::{Table, Value};

/// What a document is in the handbook.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `content/_index.md`: the home page's text.
    Home,
    /// A folder's `_index.md`.
    Section,
    /// How a meeting runs (`content/meetings/`).
    Playbook,
    /// A fill-in document kind and its schema (`content/templates/`).
    Template,
    /// A filled-in template (an incident review, a business review, ...).
    Review,
    Team,
    #[default]
    Page,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Home => "Home",
            Kind::Section => "Section",
            Kind::Playbook => "Playbook",
            Kind::Template => "Template",
            Kind::Review => "Review",
            Kind::Team => "Team",
            Kind::Page => "Page",
        }
    }
}

/// One markdown file, parsed.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path shown in diagnostics: `content/incidents/2026-03-db.md`.
    pub path: String,
    /// The file's text, kept so later stages can place their diagnostics.
    pub text: Arc<str>,
    /// Offset of the body in `text`.
    pub body_offset: usize,
    /// Path under `content/` without the extension: `incidents/2026-03-db`.
    pub rel: String,
    /// The folder under `content/`: `incidents`, `reviews/ops`, or `` for the root.
    pub folder: String,
    /// Last URL segment: the front matter's `slug`, else the file name.
    pub slug: String,
    /// The front matter's `id`, else the slug.
    pub id: String,
    /// Whether the id was written in the front matter (explicit ids must be unique).
    pub explicit_id: bool,
    /// Site-relative URL with a trailing slash: `/incidents/2026-03-db/`.
    pub url: String,
    pub title: String,
    pub date: Option<Date>,
    pub draft: bool,
    pub summary: Option<String>,
    pub weight: i64,
    pub kind: Kind,
    pub front: Table,
    pub markdown: Markdown,
    /// A file whose front matter could not be read: kept only so links to it do not fail too.
    pub stub: bool,
}

impl Document {
    /// The file name without extension is an index page: `_index` or `index`.
    pub fn is_index(&self) -> bool {
        let stem = self.rel.rsplit('/').next().unwrap_or("");
        stem == "_index" || stem == "index"
    }

    /// A short description for listings: the summary, else the start of the text.
    pub fn excerpt(&self) -> String {
        if let Some(s) = &self.summary {
            return s.clone();
        }
        const MAX_CHARS: usize = 180;
        let title = self.title.as_str();
        // Only the start of the text is needed (listings show thousands of excerpts): words
        // until, with the title taken off, more than MAX_CHARS characters are left.
        let enough = title.len() + 4 * MAX_CHARS;
        let mut text = String::new();
        for word in self.markdown.text.split_whitespace() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(word);
            if text.len() > enough {
                break;
            }
        }
        let text = text.strip_prefix(title).unwrap_or(&text).trim();
        truncate(text, MAX_CHARS)
    }
}

pub(crate) fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// Parses one source file. Errors are returned, not printed: the caller collects them.
pub fn parse_document(
    source: &Source,
    options: markdown::RenderOptions,
) -> Result<Document, Diagnostic> {
    let path = source.display_path();
    let text = &source.text;
    let split = front_matter::split(&path, text)?;
    let front = front_matter::parse(&path, text, &split)?;
    let mut markdown = markdown::render(&text[split.body.clone()], options);

    let rel = strip_markdown_extension(&source.rel_path).to_string();
    let (folder, stem) = rel.rsplit_once('/').unwrap_or(("", &rel));
    let is_index = stem == "_index" || stem == "index";
    let slug = match front.str("slug") {
        Some(s) if !s.trim().is_empty() => url_segment(s),
        _ if is_index => url_segment(folder.rsplit('/').next().unwrap_or("")),
        _ => url_segment(stem),
    };
    let kind = match folder.split('/').next().unwrap_or("") {
        _ if is_index && folder.is_empty() => Kind::Home,
        _ if is_index => Kind::Section,
        "meetings" if !folder.contains('/') => Kind::Playbook,
        "templates" if !folder.contains('/') => Kind::Template,
        "teams" if !folder.contains('/') => Kind::Team,
        _ => Kind::Page,
    };
    let id = match front.str("id") {
        Some(id) if !id.trim().is_empty() => id.trim().to_string(),
        _ => slug.clone(),
    };
    let folder_url: String = folder
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| format!("/{}", url_segment(s)))
        .collect();
    let url = if is_index {
        let parent = folder_url.rsplit_once('/').map_or("", |(p, _)| p);
        if folder.is_empty() {
            "/".to_string()
        } else {
            format!("{parent}/{slug}/")
        }
    } else if kind == Kind::Team {
        format!("/teams/{}/", url_segment(&id))
    } else {
        format!("{folder_url}/{slug}/")
    };

    let title = match front.str("title") {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => markdown.first_heading.clone().unwrap_or_else(|| {
            humanize(if is_index {
                folder.rsplit('/').next().unwrap_or("")
            } else {
                stem
            })
        }),
    };
    // A body that opens with the title as `# Title` would show it twice under the page's own title.
    if markdown.first_heading.as_deref() == Some(title.as_str())
        && markdown.html.starts_with("<h1")
        && let Some(end) = markdown.html.find("</h1>")
    {
        markdown.html.replace_range(..end + "</h1>".len(), "");
    }
    let date = front.get("date").and_then(|n| n.value.as_date());
    let draft = front.bool("draft").unwrap_or(false);
    let summary = front
        .str("summary")
        .map(str::to_string)
        .or_else(|| front.str("description").map(str::to_string));
    let weight = match front.get("weight").map(|n| &n.value) {
        Some(Value::Integer(w)) => *w,
        _ => 0,
    };
    Ok(Document {
        path,
        text: Arc::clone(text),
        body_offset: split.body.start,
        folder: folder.to_string(),
        rel,
        slug,
        explicit_id: front.str("id").is_some(),
        id,
        url,
        title,
        date,
        draft,
        summary,
        weight,
        kind,
        front,
        markdown,
        stub: false,
    })
}

/// Stands in for a file that failed to parse, so that links to it are not reported as broken
/// as well. Its id is recovered from an `id = "..."` or `id: ...` line where there is one.
pub(crate) fn stub_document(source: &Source) -> Document {
    let id = source.text.lines().take(200).find_map(|line| {
        let rest = line.trim().strip_prefix("id")?.trim_start();
        let value = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))?;
        let value = value.trim().trim_matches(['"', '\'']);
        (!value.is_empty()).then(|| value.to_string())
    });
    let mut text = String::new();
    if let Some(id) = &id {
        text = format!("+++\nid = {}\n+++\n", toml::Value::String(id.clone()));
    }
    let stand_in = Source {
        rel_path: source.rel_path.clone(),
        text: text.into(),
    };
    let mut doc = parse_document(&stand_in, markdown::RenderOptions::PLAIN)
        .unwrap_or_else(|_| unreachable_stub(&stand_in));
    doc.stub = true;
    doc.path = source.display_path();
    doc
}

fn unreachable_stub(source: &Source) -> Document {
    // An empty body always parses; this keeps the function total without a panic.
    parse_document(
        &Source {
            rel_path: source.rel_path.clone(),
            text: "".into(),
        },
        markdown::RenderOptions::PLAIN,
    )
    .unwrap_or_else(|_| Document {
        path: source.display_path(),
        text: "".into(),
        body_offset: 0,
        rel: source.rel_path.clone(),
        folder: String::new(),
        slug: String::new(),
        id: String::new(),
        explicit_id: false,
        url: String::new(),
        title: String::new(),
        date: None,
        draft: true,
        summary: None,
        weight: 0,
        kind: Kind::Page,
        front: Table::default(),
        markdown: Markdown::default(),
        stub: true,
    })
}

/// `a/b.md` -> `a/b`; a name without a markdown extension stays whole (`PM-1 v1.2 notes`).
pub(crate) fn strip_markdown_extension(path: &str) -> &str {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".md") {
        &path[..path.len() - 3]
    } else if lower.ends_with(".markdown") {
        &path[..path.len() - 9]
    } else {
        path
    }
}

/// A URL path segment from a file or folder name: lowercase letters, digits, `.`, `_` and `-`.
/// Names that already are such segments stay as they are.
pub(crate) fn url_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.trim().chars() {
        if c.is_alphanumeric() || c == '.' || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if dash && name.ends_with('-') {
        out.push('-');
    }
    out
}

/// `2026-03-db-failover` -> `2026 03 db failover`, `on-call` -> `On call`.
fn humanize(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(rel: &str, text: &str) -> Document {
        parse_document(
            &Source {
                rel_path: rel.into(),
                text: text.into(),
            },
            markdown::RenderOptions::PLAIN,
        )
        .unwrap()
    }

    #[test]
    fn urls_mirror_the_content_tree() {
        assert_eq!(
            parse("incidents/2026-03-db.md", "x").url,
            "/incidents/2026-03-db/"
        );
        assert_eq!(parse("_index.md", "x").url, "/");
        assert_eq!(parse("reviews/ops/_index.md", "x").url, "/reviews/ops/");
        assert_eq!(parse("a/b.md", "+++\nslug = \"c\"\n+++\n").url, "/a/c/");
        assert_eq!(
            parse("teams/pay.md", "+++\nid = \"payments\"\n+++\n").url,
            "/teams/payments/"
        );
        assert_eq!(parse("PM 1 - Foo Bar.md", "x").url, "/pm-1-foo-bar/");
    }

    #[test]
    fn titles_come_from_front_matter_then_heading_then_file_name() {
        assert_eq!(parse("a.md", "+++\ntitle = \"T\"\n+++\n# H\n").title, "T");
        let d = parse("a.md", "# Heading title\n\ntext\n");
        assert_eq!(d.title, "Heading title");
        assert!(
            !d.markdown.html.contains("<h1"),
            "the title is not shown twice"
        );
        assert_eq!(parse("on-call_rota.md", "no heading").title, "On call rota");
        assert_eq!(
            parse("y.md", "---\ntitle: From YAML\n---\n").title,
            "From YAML"
        );
    }

    #[test]
    fn kinds_come_from_the_folder() {
        assert_eq!(parse("meetings/x.md", "").kind, Kind::Playbook);
        assert_eq!(parse("templates/x.md", "").kind, Kind::Template);
        assert_eq!(parse("teams/x.md", "").kind, Kind::Team);
        assert_eq!(parse("guides/x.md", "").kind, Kind::Page);
        assert_eq!(parse("guides/_index.md", "").kind, Kind::Section);
        assert_eq!(parse("_index.md", "").kind, Kind::Home);
    }
}
