//! Markdown to HTML in one pass over pulldown-cmark's events, collecting on the way what later
//! stages need: heading ids (for anchors and the table of contents), outbound links with their
//! byte offsets (for the link graph and its diagnostics), and plain text (for summaries and
//! search). Links to other documents cannot be resolved yet, so their `href` (and a wiki-link's
//! default text) are left as numbered placeholders that `links::LinkGraph::fill_html` replaces
//! (the encoding lives in `placeholder`).

use std::collections::HashSet;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::config::RawHtml;
use crate::highlight;
use crate::placeholder;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    /// Byte offset of the heading in the body.
    pub offset: usize,
    /// Where the text under this heading starts in `Markdown::text`.
    pub text_start: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](other.md#anchor)`, `[text](#anchor)` or `[text](/path/page.md)`.
    Markdown,
    /// `[[target]]` or `[[target|text]]`.
    Wiki { has_text: bool },
    /// A link or image to a file that is not a document: `![x](../img/a.png)`.
    Asset,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    /// The destination as written.
    pub dest: String,
    /// The link text as written (empty for images and wiki-links without text).
    pub text: String,
    /// Byte offset of the link in the body.
    pub offset: usize,
}

/// A rendered body with everything the later stages need from it.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    /// Text of the first `#` heading, the title of a page without front matter.
    pub first_heading: Option<String>,
    /// Plain text of the body, for summaries and the search index.
    pub text: String,
    /// Code blocks to highlight when the page is rendered, in order; `html` holds a placeholder
    /// for each (see `placeholder`).
    pub code_blocks: Vec<CodeBlock>,
}

/// A fenced code block in a language the highlighter knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    pub lang: String,
    pub code: String,
}

impl Markdown {
    /// The body's plain text cut at its headings: (heading, text under it). The text before the
    /// first heading comes first, with no heading.
    pub fn sections(&self) -> Vec<(Option<&Heading>, &str)> {
        let mut out = Vec::with_capacity(self.headings.len() + 1);
        let first_start = self.headings.first().map_or(self.text.len(), |h| {
            h.text_start.saturating_sub(h.text.len() + 1)
        });
        out.push((None, self.text.get(..first_start).unwrap_or("")));
        for (n, h) in self.headings.iter().enumerate() {
            let end = self.headings.get(n + 1).map_or(self.text.len(), |next| {
                next.text_start.saturating_sub(next.text.len() + 1)
            });
            out.push((
                Some(h),
                self.text
                    .get(h.text_start..end.max(h.text_start))
                    .unwrap_or(""),
            ));
        }
        out
    }
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_DEFINITION_LIST
}

/// Whether a destination leaves the site (a scheme, a protocol-relative URL).
pub(crate) fn is_external(dest: &str) -> bool {
    let lower = dest.trim().to_ascii_lowercase();
    lower.starts_with("//")
        || lower.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

fn is_document_link(dest: &str) -> bool {
    let path = dest.split('#').next().unwrap_or("");
    let path = path.split('?').next().unwrap_or("");
    // MkDocs sites often write `other.md/#anchor`.
    let path = path.strip_suffix('/').unwrap_or(path).to_ascii_lowercase();
    path.is_empty() || path.ends_with(".md")
}

/// MkDocs admonitions (`!!! note "Title"` followed by an indented block) become block quotes
/// that start with the title in bold, so imported handbooks read well. Every line keeps its
/// byte length, so offsets (and the line and column of every later diagnostic) stay exact.
pub(crate) fn rewrite_admonitions(body: &str) -> std::borrow::Cow<'_, str> {
    if !body.contains("!!!") && !body.contains("???") {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut inside = false;
    let mut in_fence = false;
    for line in body.split_inclusive('\n') {
        let (text, newline) = line.strip_suffix('\n').map_or((line, ""), |t| (t, "\n"));
        if text.trim_start().starts_with("```") || text.trim_start().starts_with("~~~") {
            in_fence = !in_fence;
        }
        let header = (!in_fence).then(|| admonition_header(text)).flatten();
        if let Some(replacement) = header {
            out.push_str(&replacement);
            inside = true;
        } else if inside && text.starts_with("    ") {
            out.push_str(">   ");
            out.push_str(&text[4..]);
        } else if inside && text.trim().is_empty() {
            out.push_str(text);
        } else {
            inside = false;
            out.push_str(text);
        }
        out.push_str(newline);
    }
    std::borrow::Cow::Owned(out)
}

/// `!!! tip "Title"` -> `> **Title**` padded to the same length; `!!! note` -> `> *Note*`.
fn admonition_header(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("!!!")
        .or_else(|| line.strip_prefix("???+"))
        .or_else(|| line.strip_prefix("???"))?;
    let rest = rest.trim();
    let (kinds, title) = match rest.find('"') {
        Some(q) => (
            &rest[..q],
            rest[q + 1..].trim_end().strip_suffix('"').map(str::trim),
        ),
        None => (rest, None),
    };
    let kind = kinds.split_whitespace().next()?;
    let shown = match title {
        Some("") => return Some(format!("{:<width$}", ">", width = line.len())),
        Some(t) => format!("> **{t}**"),
        None => {
            let mut c = kind.chars();
            format!(
                "> *{}*",
                c.next()
                    .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
            )
        }
    };
    (shown.len() <= line.len()).then(|| format!("{shown:<width$}", width = line.len()))
}

/// How markdown becomes HTML: the site's settings that matter to this stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RenderOptions {
    pub highlight: bool,
    pub raw_html: RawHtml,
}

impl RenderOptions {
    pub const PLAIN: RenderOptions = RenderOptions {
        highlight: false,
        raw_html: RawHtml::Allow,
    };
}

/// Renders `body`.
pub fn render(body: &str, options: RenderOptions) -> Markdown {
    let highlight = options.highlight;
    let body = rewrite_admonitions(body);
    let body = body.as_ref();
    let mut out = Markdown::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut used_ids = HashSet::new();

    // Heading being collected: (index of its Start event in `events`, level, text, explicit id, offset).
    let mut heading: Option<(usize, u8, String, Option<String>, usize)> = None;
    // Code block being collected: (language, code).
    let mut code: Option<(String, String)> = None;
    // Wiki-link without text being collected: its placeholder replaces the inner text.
    let mut wiki_placeholder: Option<usize> = None;
    // Text of the link being collected, for diagnostics.
    let mut link_text: Option<(usize, String)> = None;

    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        if let Some((_, ref mut text)) = code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().unwrap_or_default();
                    out.text.push_str(&text);
                    out.text.push('\n');
                    let html = if highlight && highlight::can_highlight(&text, &lang) {
                        // Highlighting is most of what parsing a page would cost: it waits for
                        // the page to be rendered (the preview renders only pages people open).
                        out.code_blocks.push(CodeBlock { lang, code: text });
                        placeholder::code(out.code_blocks.len() - 1)
                    } else {
                        highlight::code_block(&text, &lang, false)
                    };
                    events.push(Event::Html(html.into()));
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(lang) => lang.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((
                    events.len(),
                    level as u8,
                    String::new(),
                    id.map(|i| i.to_string()),
                    range.start,
                ));
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, lvl, text, explicit, offset)) = heading.take() {
                    let text = text.trim().to_string();
                    let id = unique_id(explicit.unwrap_or_else(|| slugify(&text)), &mut used_ids);
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[start] {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    events.push(Event::Html(
                        format!(" <a class=\"heading-anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a>").into(),
                    ));
                    if lvl == 1 && out.first_heading.is_none() {
                        out.first_heading = Some(text.clone());
                    }
                    out.text.push_str(&text);
                    out.text.push('\n');
                    out.headings.push(Heading {
                        level: lvl,
                        text,
                        text_start: out.text.len(),
                        id,
                        offset,
                    });
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let Some((kind, dest)) = outbound(&tag) else {
                    events.push(Event::Start(tag));
                    continue;
                };
                let n = out.links.len();
                out.links.push(Link {
                    kind,
                    dest,
                    text: String::new(),
                    offset: range.start,
                });
                if matches!(tag, Tag::Link { .. }) {
                    if kind == (LinkKind::Wiki { has_text: false }) {
                        wiki_placeholder = Some(n);
                    }
                    link_text = Some((n, String::new()));
                }
                events.push(Event::Start(retarget(tag, placeholder::href_raw(n).into())));
            }
            Event::End(TagEnd::Link) => {
                if let Some((n, text)) = link_text.take() {
                    out.links[n].text = text;
                }
                if let Some(n) = wiki_placeholder.take() {
                    events.push(Event::Text(placeholder::text(n).into()));
                }
                events.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Table(alignments)) => {
                events.push(Event::Html("<div class=\"table-wrap\">".into()));
                events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>".into()));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, _, text, _, _)) = &mut heading {
                    text.push_str(t);
                } else {
                    out.text.push_str(t);
                }
                if let Some((_, text)) = &mut link_text {
                    text.push_str(t);
                }
                // The wiki-link's own text is the raw target: drop it for the title placeholder.
                if wiki_placeholder.is_none() {
                    events.push(event);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                out.text.push(' ');
                events.push(event);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                out.text.push(' ');
                events.push(event);
            }
            Event::Html(html) | Event::InlineHtml(html) if options.raw_html == RawHtml::Escape => {
                out.text.push_str(&html);
                events.push(Event::Text(html));
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = if options.raw_html == RawHtml::Sanitize {
        sanitize(&html)
    } else {
        html
    };
    out
}

/// What a link or image points at, if it stays in the site: its kind and destination.
/// External links and empty images are left alone.
fn outbound(tag: &Tag<'_>) -> Option<(LinkKind, String)> {
    let (link_type, dest) = match tag {
        Tag::Link {
            link_type,
            dest_url,
            ..
        } => (Some(*link_type), dest_url.to_string()),
        Tag::Image { dest_url, .. } => (None, dest_url.to_string()),
        _ => return None,
    };
    let kind = match link_type {
        Some(LinkType::WikiLink { has_pothole }) => LinkKind::Wiki {
            has_text: has_pothole,
        },
        _ if is_external(&dest) || dest.is_empty() && link_type.is_none() => return None,
        Some(_) if is_document_link(&dest) => LinkKind::Markdown,
        _ => LinkKind::Asset,
    };
    Some((kind, dest))
}

/// The same link or image, pointing at `dest` instead.
fn retarget<'a>(tag: Tag<'a>, dest: CowStr<'a>) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            title,
            id,
            ..
        } => Tag::Link {
            link_type,
            dest_url: dest,
            title,
            id,
        },
        Tag::Image {
            link_type,
            title,
            id,
            ..
        } => Tag::Image {
            link_type,
            dest_url: dest,
            title,
            id,
        },
        other => other,
    }
}

/// Removes active content (scripts, event handlers, `javascript:` URLs, iframes) from rendered
/// HTML, keeping what opsbook itself generates: heading ids, classes, highlighted code and the
/// link placeholders (relative URLs) that the link stage fills in later.
fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["class", "id", "aria-label", "data-lang"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .link_rel(None)
        .clean(html)
        .to_string()
}

/// A heading's id as GitHub makes it (and github-slugger, which Docusaurus and Astro use): the
/// text in lower case, every character dropped except letters, marks, digits, `_`, `-` and
/// spaces, then each space turned into `-`. Nothing is collapsed or trimmed, so
/// `Loop & Tie` is `loop--tie`; emoji go, letters of any script stay (`Über Äpfel` is
/// `über-äpfel`). Repeats are numbered by `unique_id`. A heading with nothing left (only
/// emoji or punctuation) gets `section`: GitHub gives it an empty id, which HTML does not allow.
pub(crate) fn slugify(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut slug = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            ' ' => slug.push('-'),
            '-' | '_' => slug.push(c),
            c if c.is_ascii_alphanumeric() => slug.push(c),
            c if !c.is_ascii() && is_word_char(c) => slug.push(c),
            _ => {}
        }
    }
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
}

/// A non-ASCII character GitHub keeps in heading ids: Ruby's `\p{Word}` (letters, marks,
/// decimal digits, connector punctuation), plus anything alphabetic.
fn is_word_char(c: char) -> bool {
    static WORD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}]$").expect("a valid class")
    });
    c.is_alphabetic() || WORD.is_match(c.encode_utf8(&mut [0; 4]))
}

fn unique_id(id: String, used: &mut HashSet<String>) -> String {
    if used.insert(id.clone()) {
        return id;
    }
    (1..)
        .map(|n| format!("{id}-{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Heading text -> GitHub's id, for each rule of github-slugger's fixtures that a handbook
    /// meets: punctuation, `&`, repeated and edge spaces and dashes, emoji, other scripts.
    #[test]
    fn slugs_are_githubs() {
        for (text, id) in [
            ("Contributing factors", "contributing-factors"),
            (
                "Agenda, Scheduling & Scaling!",
                "agenda-scheduling--scaling",
            ),
            ("Loop & Tie", "loop--tie"),
            ("heading with a - dash", "heading-with-a---dash"),
            (
                "heading with an _ underscore",
                "heading-with-an-_-underscore",
            ),
            (
                "exchange.bind_headers(exchange, routing [, bindCallback])",
                "exchangebind_headersexchange-routing--bindcallback",
            ),
            ("What's next? (Q3)", "whats-next-q3"),
            (
                "apostrophe’s should be trimmed",
                "apostrophes-should-be-trimmed",
            ),
            ("en–dash and em—dash", "endash-and-emdash"),
            ("😄 unicode emoji", "-unicode-emoji"),
            ("🚀 Launch 🎉", "-launch-"),
            ("Über Äpfel", "über-äpfel"),
            ("Ünïcode wörks", "ünïcode-wörks"),
            ("Привет non-latin 你好", "привет-non-latin-你好"),
            ("I ♥ unicode", "i--unicode"),
            ("v2.3.1 — 100% done", "v231--100-done"),
            ("a_ ‿ b", "a_-‿-b"),
            ("???", "section"),
        ] {
            assert_eq!(slugify(text), id, "{text}");
        }
    }

    #[test]
    fn headings_get_ids_and_duplicates_are_numbered() {
        let md = render(
            "# Title\n## Notes\n## Notes\n## Custom {#sev1}\n",
            RenderOptions::PLAIN,
        );
        let ids: Vec<_> = md.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["title", "notes", "notes-1", "sev1"]);
        // github-slugger's repetition fixtures: a number already taken moves on.
        let echoes = render(
            "## echo\n## echo\n## echo 1\n## echo-1\n## echo\n",
            RenderOptions::PLAIN,
        );
        let ids: Vec<_> = echoes.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["echo", "echo-1", "echo-1-1", "echo-1-2", "echo-2"]);
        assert!(md.html.contains("<h2 id=\"sev1\">Custom"), "{}", md.html);
        let cut = render(
            "Intro text.\n\n## One\n\nFirst.\n\n## Two\n\nSecond.\n",
            RenderOptions::PLAIN,
        );
        let sections: Vec<(Option<&str>, &str)> = cut
            .sections()
            .into_iter()
            .map(|(h, t)| (h.map(|h| h.id.as_str()), t.trim()))
            .collect();
        assert_eq!(
            sections,
            [
                (None, "Intro text."),
                (Some("one"), "First."),
                (Some("two"), "Second.")
            ]
        );
        assert_eq!(md.first_heading.as_deref(), Some("Title"));
    }

    #[test]
    fn links_are_collected_with_offsets_and_placeholders() {
        let body = "See [the db](../incidents/db.md#timeline), [[INC-1]] and [[x|X]].\n`[[not a link]]` [web](https://e.com) ![i](img.png)\n";
        let md = render(body, RenderOptions::PLAIN);
        let got: Vec<_> = md
            .links
            .iter()
            .map(|l| (l.kind, l.dest.as_str(), l.offset))
            .collect();
        assert_eq!(
            got,
            [
                (LinkKind::Markdown, "../incidents/db.md#timeline", 4),
                (LinkKind::Wiki { has_text: false }, "INC-1", 43),
                (LinkKind::Wiki { has_text: true }, "x", 57),
                (LinkKind::Asset, "img.png", 104),
            ]
        );
        assert!(
            md.html
                .contains(&format!("href=\"{}\"", placeholder::href(0))),
            "{}",
            md.html
        );
        assert!(md.html.contains(&placeholder::text(1)), "{}", md.html);
        assert!(md.html.contains("<code>[[not a link]]</code>"));
        assert!(md.html.contains("href=\"https://e.com\""));
    }

    #[test]
    fn code_blocks_are_highlighted_and_kept_out_of_links() {
        let md = render(
            "```rust\nlet a = \"[[x]]\";\n```\n",
            RenderOptions {
                highlight: true,
                ..RenderOptions::PLAIN
            },
        );
        assert!(md.links.is_empty());
        // Highlighting waits for the page to be rendered: the block is kept, with a placeholder.
        assert_eq!(md.html.trim(), placeholder::code(0));
        assert_eq!(
            md.code_blocks,
            [CodeBlock {
                lang: "rust".into(),
                code: "let a = \"[[x]]\";\n".into()
            }]
        );
        let block = &md.code_blocks[0];
        let html = highlight::code_block(&block.code, &block.lang, true);
        assert!(
            html.contains("<pre class=\"code\" data-lang=\"rust\">") && html.contains("hl-"),
            "{html}"
        );
        // A language the highlighter does not know is plain text at once.
        let plain = render(
            "```nosuchlang\n<b>\n```\n",
            RenderOptions {
                highlight: true,
                ..RenderOptions::PLAIN
            },
        );
        assert!(
            plain.code_blocks.is_empty() && plain.html.contains("&lt;b&gt;"),
            "{}",
            plain.html
        );
    }

    #[test]
    fn admonitions_become_quotes_of_the_same_length() {
        let body = "Intro\n\n!!! tip \"Flexible Structure\"\n    Roles can be combined.\n\n!!! note\n    Plain.\n\nAfter [x](a.md)\n";
        let rewritten = rewrite_admonitions(body);
        assert_eq!(rewritten.len(), body.len());
        for (a, b) in rewritten.lines().zip(body.lines()) {
            assert_eq!(a.len(), b.len(), "{a:?} / {b:?}");
        }
        let md = render(body, RenderOptions::PLAIN);
        assert!(
            md.html
                .contains("<blockquote>\n<p><strong>Flexible Structure</strong>"),
            "{}",
            md.html
        );
        assert!(md.html.contains("<em>Note</em>"), "{}", md.html);
        assert!(
            !md.html.contains("<pre"),
            "no code block from the indentation: {}",
            md.html
        );
        assert_eq!(
            md.links[0].offset,
            body.find("[x]").unwrap(),
            "offsets are unchanged"
        );
    }

    #[test]
    fn raw_html_can_be_kept_sanitized_or_escaped() {
        let body = "<div class=\"note\" onclick=\"x()\">Hi <script>alert(1)</script></div>\n\n[[x]] and <b>bold</b>\n";
        let allow = render(body, RenderOptions::PLAIN);
        assert!(allow.html.contains("<script>") && allow.html.contains("onclick"));
        let with = |raw_html| {
            render(
                body,
                RenderOptions {
                    raw_html,
                    ..RenderOptions::PLAIN
                },
            )
        };
        let clean = with(RawHtml::Sanitize);
        assert!(
            !clean.html.contains("<script") && !clean.html.contains("onclick"),
            "{}",
            clean.html
        );
        assert!(
            clean.html.contains("<b>bold</b>") && clean.html.contains(&placeholder::href(0)),
            "{}",
            clean.html
        );
        let escaped = with(RawHtml::Escape);
        assert!(
            escaped.html.contains("&lt;script&gt;") && !escaped.html.contains("<b>"),
            "{}",
            escaped.html
        );
    }

    #[test]
    fn external_detection() {
        assert!(is_external("https://x.y"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn.x/y"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("#anchor"));
    }
}
