//! Splits a file into front matter and body, and parses the front matter. TOML sits between
//! `+++` lines, YAML between `---` lines; a file with neither is all body. Byte offsets are kept
//! so every later error can point at the right line of the file.

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::value::{self, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
    None,
}

/// A file cut in two. Ranges are byte offsets into the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub format: Format,
    pub front: Range<usize>,
    pub body: Range<usize>,
}

/// Finds the front matter. An opening fence without a closing one is an error at the fence.
pub fn split(path: &str, text: &str) -> Result<Split, Diagnostic> {
    let (format, fence) = if is_fence(text, "+++") {
        (Format::Toml, "+++")
    } else if is_fence(text, "---") {
        (Format::Yaml, "---")
    } else {
        return Ok(Split {
            format: Format::None,
            front: 0..0,
            body: 0..text.len(),
        });
    };
    let front_start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut line_start = front_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        if text[line_start..line_end].trim_end() == fence {
            let body_start = (line_end + 1).min(text.len());
            return Ok(Split {
                format,
                front: front_start..line_start,
                body: body_start..text.len(),
            });
        }
        line_start = line_end + 1;
    }
    Err(Diagnostic::error(
        path,
        format!("front matter opened with `{fence}` is never closed"),
    )
    .at(text, 0)
    .with_suggestion(format!(
        "end the front matter with a line holding only `{fence}`"
    )))
}

fn is_fence(text: &str, fence: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    first.trim_end() == fence
}

/// Parses the front matter of `split` into a table whose spans point into `text`.
pub fn parse(path: &str, text: &str, split: &Split) -> Result<Table, Diagnostic> {
    let front = &text[split.front.clone()];
    match split.format {
        Format::None => Ok(Table::default()),
        Format::Toml => {
            let parsed = toml::de::DeTable::parse(front).map_err(|err| {
                let offset = split.front.start + err.span().map_or(0, |s| s.start);
                Diagnostic::error(
                    path,
                    format!("invalid TOML front matter: {}", err.message().trim()),
                )
                .at(text, offset)
            })?;
            Ok(value::from_toml(parsed.get_ref(), split.front.start))
        }
        Format::Yaml => parse_yaml(path, text, split),
    }
}

fn parse_yaml(path: &str, text: &str, split: &Split) -> Result<Table, Diagnostic> {
    let front = &text[split.front.clone()];
    if front.trim().is_empty() {
        return Ok(Table::default());
    }
    let parsed: serde_json::Value = serde_saphyr::from_str(front).map_err(|err| {
        let message = err.to_string();
        let offset =
            yaml_error_offset(&message, front).map_or(split.front.start, |o| o + split.front.start);
        let first_line = message.lines().next().unwrap_or("").trim().to_string();
        Diagnostic::error(path, format!("invalid YAML front matter: {first_line}")).at(text, offset)
    })?;
    let serde_json::Value::Object(map) = parsed else {
        return Err(Diagnostic::error(
            path,
            "YAML front matter must be a mapping of `key: value` lines",
        )
        .at(text, split.front.start));
    };
    let key_offset = |key: &str| -> Range<usize> {
        let mut pos = 0;
        for line in front.split_inclusive('\n') {
            let trimmed = line.trim_start_matches(['"', '\'']);
            if line.starts_with(key) || trimmed.starts_with(key) {
                let rest = &trimmed[key.len()..];
                if rest
                    .trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with(':')
                {
                    let start = split.front.start + pos;
                    return start..start + key.len();
                }
            }
            pos += line.len();
        }
        split.front.start..split.front.start
    };
    Ok(value::from_yaml(&map, &key_offset))
}

/// serde-saphyr reports positions as "line N column M" in its message; map that to an offset.
fn yaml_error_offset(message: &str, front: &str) -> Option<usize> {
    let at = message.find("line ")?;
    let rest = &message[at + 5..];
    let line: usize = rest
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    let column: usize = rest
        .find("column ")
        .and_then(|i| {
            rest[i + 7..]
                .split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(1);
    let line_start: usize = front
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    Some((line_start + column.saturating_sub(1)).min(front.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn check(text: &str, format: Format, front: &str, body: &str) {
        let s = split("a.md", text).unwrap();
        assert_eq!(s.format, format);
        assert_eq!(&text[s.front.clone()], front);
        assert_eq!(&text[s.body.clone()], body);
    }

    #[test]
    fn splits_the_three_forms() {
        check("+++\na = 1\n+++\n# Hi\n", Format::Toml, "a = 1\n", "# Hi\n");
        check("---\na: 1\n---\nbody", Format::Yaml, "a: 1\n", "body");
        check("# Just markdown\n", Format::None, "", "# Just markdown\n");
        check("+++\n+++\n", Format::Toml, "", "");
        // A thematic break later in the file is not front matter.
        check("text\n---\nmore\n", Format::None, "", "text\n---\nmore\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let err = split("a.md", "+++\ntitle = \"x\"\n# body\n").unwrap_err();
        assert_eq!((err.line, err.column), (1, 1));
        assert!(err.message.contains("never closed"));
    }

    #[test]
    fn toml_error_is_located_in_the_file() {
        let text = "+++\ntitle = \"x\"\ndate = 2026-13-01\n+++\n";
        let s = split("a.md", text).unwrap();
        let err = parse("a.md", text, &s).unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
    }

    #[test]
    fn yaml_values_and_key_lines() {
        let text = "---\ntitle: Hello\ntags: [a, b]\ncount: 3\n---\n";
        let s = split("a.md", text).unwrap();
        let t = parse("a.md", text, &s).unwrap();
        assert_eq!(t.str("title"), Some("Hello"));
        assert_eq!(t.get("count").unwrap().value, Value::Integer(3));
        let (line, _, _) = crate::diagnostic::locate(text, t.entry("tags").unwrap().key_span.start);
        assert_eq!(line, 3);
    }

    #[test]
    fn yaml_error_is_located() {
        let text = "---\ntitle: [unclosed\n---\n";
        let s = split("a.md", text).unwrap();
        let err = parse("a.md", text, &s).unwrap_err();
        assert!(err.line >= 2, "{err:?}");
    }
}
