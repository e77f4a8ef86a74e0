//! Content problems as values: a `Diagnostic` names a file, a line and a column, says what is
//! wrong and, where it can, what would be right. Builds collect them all and report them at once.

use std::fmt;
use std::path::Path;

use serde::Serialize;

/// How bad a problem is. Errors fail `build` and `check`; warnings are printed and the build goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem at one place in one file. `line` and `column` count from 1; 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators, as the author sees it in their editor.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// The text of the offending line, shown under the message with a caret.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            column: 0,
            message: message.into(),
            suggestion: None,
            source_line: None,
        }
    }

    /// Places the diagnostic at a byte offset of `text`, the whole file it is about.
    pub fn at(mut self, text: &str, offset: usize) -> Diagnostic {
        let (line, column, source_line) = locate(text, offset);
        self.line = line;
        self.column = column;
        self.source_line = Some(source_line.to_string());
        self
    }

    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Diagnostic {
        self.suggestion = Some(suggestion.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic for a terminal: `path:line:col: error: message`, the source line,
    /// a caret under the column, and the suggestion.
    pub fn render(&self, color: bool) -> String {
        let (red, yellow, blue, bold, reset) = if color {
            ("\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "", "", "")
        };
        let (label, tint) = match self.severity {
            Severity::Error => ("error", red),
            Severity::Warning => ("warning", yellow),
        };
        let mut out = format!(
            "{bold}{}{reset}: {bold}{tint}{label}{reset}{bold}: {}{reset}\n",
            self.location(),
            self.message
        );
        if let Some(source) = &self.source_line
            && self.line > 0
        {
            let gutter = self.line.to_string().len();
            let shown: String = source.chars().take(200).collect();
            let caret_pad: String = shown
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!(
                "{blue}{:gutter$} |{reset}\n{blue}{} |{reset} {}\n{blue}{:gutter$} |{reset} {caret_pad}{tint}^{reset}\n",
                "", self.line, shown, ""
            ));
        }
        if let Some(suggestion) = &self.suggestion {
            out.push_str(&format!("  {blue}= help:{reset} {suggestion}\n"));
        }
        out
    }

    /// `path:line:column`, or just `path` for problems with the whole file.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.path.clone()
        } else {
            format!("{}:{}:{}", self.path, self.line, self.column)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " ({s})")?;
        }
        Ok(())
    }
}

/// Line (1-based), column (1-based, in characters) and the line's text for a byte offset.
pub fn locate(text: &str, offset: usize) -> (usize, usize, &str) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[..line_start].bytes().filter(|&b| b == b'\n').count() + 1;
    let column = text[line_start..offset].chars().count() + 1;
    (line, column, &text[line_start..line_end])
}

/// Displays a path the way diagnostics show it: relative, with forward slashes.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The closest candidate to `word`, if any is close enough to be what the author meant.
/// Edit distance, not prefix similarity: `incidents/nope` must not suggest `incidents/2026-05-cache`.
pub fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    // `sev5` is not a typo of `sev1`, nor `INC-2026-004` of `INC-2026-005`: a different number is
    // a different thing, so candidates that differ only in digits are not suggested.
    let only_digits_differ = |c: &str| {
        c.len() == word.len()
            && c.chars()
                .zip(word.chars())
                .all(|(a, b)| a == b || (a.is_ascii_digit() && b.is_ascii_digit()))
    };
    candidates
        .filter(|c| !only_digits_differ(c))
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_lines_and_characters() {
        let text = "a = 1\nbé = x\n";
        assert_eq!(locate(text, 0), (1, 1, "a = 1"));
        assert_eq!(locate(text, 6), (2, 1, "bé = x"));
        // 'x' is after a two-byte character: column counts characters, not bytes.
        assert_eq!(locate(text, 12), (2, 6, "bé = x"));
        assert_eq!(locate(text, 999).0, 3);
    }

    #[test]
    fn render_shows_source_and_caret() {
        let d = Diagnostic::error("content/a.md", "unknown team `pay`")
            .at("+++\nteams = [\"pay\"]\n+++\n", 13)
            .with_suggestion("did you mean `payments`?");
        let shown = d.render(false);
        assert!(
            shown.starts_with("content/a.md:2:10: error: unknown team `pay`\n"),
            "{shown}"
        );
        assert!(shown.contains("2 | teams = [\"pay\"]\n"), "{shown}");
        assert!(shown.contains("  |          ^\n"), "{shown}");
        assert!(
            shown.contains("= help: did you mean `payments`?"),
            "{shown}"
        );
    }
}
