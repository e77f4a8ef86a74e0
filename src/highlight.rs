//! Build-time syntax highlighting with syntect. Code is marked up with CSS classes (`hl-*`), and
//! one stylesheet carries the light and the dark palette, so pages need no JavaScript for it.
//! The syntax set is loaded once, on first use.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::html::escape;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Blocks larger than this are shown as plain text: highlighting them would cost more than it helps.
const MAX_BLOCK_BYTES: usize = 256 * 1024;
const MAX_LINE_BYTES: usize = 4096;
/// Some bundled grammars have pathological regexes; past this budget a block falls back to plain.
const TIME_BUDGET: Duration = Duration::from_millis(250);

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Renders a fenced code block as `<pre>`, highlighted when the language is known.
pub fn code_block(code: &str, lang: &str, enabled: bool) -> String {
    let lang = lang.split([',', ' ']).next().unwrap_or("").trim();
    let label = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape(lang))
    };
    let class = if lang.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{}\"", escape(lang))
    };
    let body = if enabled {
        highlight(code, lang).unwrap_or_else(|| escape(code))
    } else {
        escape(code)
    };
    format!("<pre class=\"code\"{label}><code{class}>{body}</code></pre>\n")
}

/// Whether `code_block` would highlight this block: its language is known and it is not too big.
pub fn can_highlight(code: &str, lang: &str) -> bool {
    code.len() <= MAX_BLOCK_BYTES && syntax(lang).is_some()
}

/// The grammar for a fence's language (`rust`, `sql,ignore`), by name, alias or extension.
fn syntax(lang: &str) -> Option<&'static syntect::parsing::SyntaxReference> {
    let lang = lang.split([',', ' ']).next().unwrap_or("").trim();
    if lang.is_empty() {
        return None;
    }
    let set = syntaxes();
    let lang = alias(lang);
    set.find_syntax_by_token(lang)
        .or_else(|| set.find_syntax_by_extension(lang))
}

/// Names people give a fence's language that syntect knows by another: SQL dialects, `shell`.
fn alias(lang: &str) -> &str {
    match lang.to_ascii_lowercase().as_str() {
        "postgres" | "postgresql" | "psql" | "pgsql" | "plpgsql" | "mysql" | "mariadb"
        | "sqlite" | "sqlite3" | "mssql" | "tsql" | "t-sql" | "plsql" | "bigquery" | "sparksql" => {
            "sql"
        }
        "shell" => "bash",
        "jsonc" | "json5" => "json",
        _ => lang,
    }
}

fn highlight(code: &str, lang: &str) -> Option<String> {
    if code.len() > MAX_BLOCK_BYTES {
        return None;
    }
    let set = syntaxes();
    let syntax = syntax(lang)?;
    let sql = syntax.name == "SQL";
    // What `ClassedHTMLGenerator` does, with a hook for SQL's aligned keywords.
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 3);
    let mut open_spans: isize = 0;
    let start = Instant::now();
    for line in LinesWithEndings::from(code) {
        if line.len() > MAX_LINE_BYTES || start.elapsed() > TIME_BUDGET {
            return None;
        }
        let ops = if sql {
            let (squeezed, removed) = squeeze_two_word_keywords(line);
            let mut ops = state.parse_line(&squeezed, set).ok()?;
            for (pos, _) in &mut ops {
                *pos += removed
                    .iter()
                    .filter(|(at, _)| *pos > *at)
                    .map(|(_, n)| n)
                    .sum::<usize>();
            }
            ops
        } else {
            state.parse_line(line, set).ok()?
        };
        let (spans, delta) =
            line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut stack).ok()?;
        open_spans += delta;
        html.push_str(&spans);
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

/// syntect's SQL grammar knows `GROUP BY` and `ORDER BY` only with one space between the words,
/// and aligned SQL (`GROUP  BY 1`) is common. The parser reads the line with such runs of
/// blanks squeezed to one; the page keeps the code as written. Returns the squeezed line and,
/// for each squeeze, (where its one blank is in the squeezed line, how many bytes went).
fn squeeze_two_word_keywords(line: &str) -> (std::borrow::Cow<'_, str>, Vec<(usize, usize)>) {
    static KEYWORDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(?:group|order|partition)([ \t]{2,})by\b").expect("a valid regex")
    });
    if !line.contains("  ") && !line.contains('\t') {
        return (std::borrow::Cow::Borrowed(line), Vec::new());
    }
    let mut out = String::with_capacity(line.len());
    let mut removed = Vec::new();
    let mut last = 0;
    for caps in KEYWORDS.captures_iter(line) {
        let Some(blanks) = caps.get(1) else {
            continue;
        };
        out.push_str(&line[last..blanks.start()]);
        removed.push((out.len(), blanks.len() - 1));
        out.push(' ');
        last = blanks.end();
    }
    if removed.is_empty() {
        return (std::borrow::Cow::Borrowed(line), removed);
    }
    out.push_str(&line[last..]);
    (std::borrow::Cow::Owned(out), removed)
}

/// The stylesheet for highlighted code: the light theme, and the dark one under
/// `prefers-color-scheme: dark`. Unknown theme names fall back to the defaults.
pub fn stylesheet(light: &str, dark: &str) -> String {
    let themes = ThemeSet::load_defaults();
    let pick = |name: &str, fallback: &str| {
        themes
            .themes
            .get(name)
            .or_else(|| themes.themes.get(fallback))
            .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
            .unwrap_or_default()
    };
    let light_css = pick(light, "InspiredGitHub");
    let dark_css = pick(dark, "base16-ocean.dark");
    format!(
        "/* Generated by opsbook from syntect themes `{light}` (light) and `{dark}` (dark). */\n{light_css}\n@media (prefers-color-scheme: dark) {{\n{dark_css}\n}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes() {
        let html = code_block("let x = 1;\n", "rust", true);
        assert!(html.contains("hl-"), "{html}");
        assert!(html.contains("data-lang=\"rust\""));
    }

    /// Aligned SQL keeps its spacing and its keywords: `GROUP  BY` is one keyword, as `GROUP BY`.
    #[test]
    fn aligned_sql_keywords_are_highlighted() {
        let code = "SELECT team, count(*)\nFROM   incidents\nGROUP  BY team\nORDER\t\tBY 2 DESC;\n-- GROUP  BY in a comment\n";
        // The first use of a grammar compiles its regexes, which in a debug build takes longer
        // than the time budget: warm it up one line at a time.
        for line in code.lines() {
            code_block(line, "sql", true);
        }
        let html = code_block(code, "sql", true);
        let keyword = "<span class=\"hl-keyword hl-other hl-DML hl-sql\">";
        for word in ["SELECT", "FROM", "GROUP  BY", "ORDER\t\tBY"] {
            assert!(
                html.contains(&format!("{keyword}{word}</span>")),
                "{word} is a keyword: {html}"
            );
        }
        assert!(
            html.contains("--</span> GROUP  BY in a comment"),
            "a comment stays a comment: {html}"
        );
        // The page shows the code exactly as written.
        let text = html
            .split('<')
            .map(|part| part.split_once('>').map_or(part, |(_, t)| t))
            .collect::<String>();
        assert!(
            text.contains("GROUP  BY team\nORDER\t\tBY 2 DESC;"),
            "{text}"
        );
    }

    #[test]
    fn dialect_names_highlight_as_sql() {
        for lang in ["postgresql", "psql", "MySQL", "sqlite"] {
            let html = code_block("SELECT 1;\n", lang, true);
            assert!(html.contains("hl-sql"), "{lang}: {html}");
            assert!(html.contains(&format!("data-lang=\"{lang}\"")), "{html}");
        }
    }

    #[test]
    fn unknown_language_and_markup_are_escaped() {
        let html = code_block("<script>alert(1)</script>\n", "nosuchlang", true);
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn huge_lines_fall_back_to_plain_text() {
        let line = "a".repeat(MAX_LINE_BYTES + 1);
        let html = code_block(&line, "js", true);
        assert!(!html.contains("hl-"));
    }
}
