//! Validation: a document's front matter and `##` headings against its schema, giving typed
//! `Fields`; every problem becomes a located diagnostic.

use std::ops::Range;

use super::{
    ActionItem, Direction, FieldType, FieldValue, Fields, ItemStatus, Metric, Reference, Schema,
};
use crate::diagnostic::{Diagnostic, suggest};
use crate::value::{Node, Table, Value};

/// Where diagnostics go while validating one file.
pub struct Checker<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    pub fn error(&mut self, span: &Range<usize>, message: impl Into<String>) {
        let d = Diagnostic::error(self.path, message).at(self.text, span.start);
        self.diagnostics.push(d);
    }

    pub(super) fn error_with(
        &mut self,
        span: &Range<usize>,
        message: impl Into<String>,
        hint: String,
    ) {
        let d = Diagnostic::error(self.path, message)
            .at(self.text, span.start)
            .with_suggestion(hint);
        self.diagnostics.push(d);
    }
}

/// Whether the `##` section at `headings[n]` has no text before the next one (HTML comments,
/// such as the prompts `opsbook new` writes, do not count). Heading offsets are file offsets.
fn section_is_empty(text: &str, headings: &[(String, usize)], n: usize) -> bool {
    let start = headings[n].1.min(text.len());
    let start = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = headings
        .get(n + 1)
        .map_or(text.len(), |h| h.1.min(text.len()))
        .max(start);
    let mut body = &text[start..end];
    let mut rest = String::new();
    while let Some(open) = body.find("<!--") {
        rest.push_str(&body[..open]);
        body = body[open..]
            .find("-->")
            .map_or("", |close| &body[open + close + 3..]);
    }
    rest.push_str(body);
    rest.trim().is_empty()
}

impl Schema {
    /// Checks `table` (a document's front matter) and its `##` headings; returns typed fields.
    pub fn validate(
        &self,
        table: &Table,
        headings: &[(String, usize)],
        check: &mut Checker<'_>,
    ) -> Fields {
        let mut fields = Vec::new();
        for entry in table.iter() {
            let key = entry.key.as_str();
            if let Some(def) = self.fields.iter().find(|f| f.name == key) {
                let empty = match &entry.node.value {
                    Value::String(s) => s.trim().is_empty(),
                    Value::Array(items) => items.is_empty(),
                    _ => false,
                };
                if def.required && empty {
                    // `opsbook new` writes these placeholders: say what is still to fill in.
                    check.error_with(
                        &entry.node.span,
                        format!("required field `{key}` is empty"),
                        format!(
                            "fill in `{key}` ({}){}",
                            def.ty.name(),
                            if def.help.is_empty() {
                                String::new()
                            } else {
                                format!(": {}", def.help)
                            }
                        ),
                    );
                } else if let Some(value) = check_value(&def.ty, &entry.node, key, check) {
                    fields.push((key.to_string(), value));
                }
            } else if self.common.contains(&key) {
                check_common(key, &entry.node, check);
            } else if self.strict && !self.broken_fields.iter().any(|b| b == key) {
                let known = self
                    .fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .chain(self.common.iter().copied());
                let hint = match suggest(key, known) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!(
                        "the template declares: {}",
                        self.fields
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                check.error_with(&entry.key_span, format!("unknown field `{key}`"), hint);
            }
        }
        let fm_start = table.0.first().map_or(0, |e| e.key_span.start);
        for def in self.fields.iter().filter(|f| f.required) {
            if table.get(&def.name).is_none() {
                let mut hint = format!(
                    "add `{} = {}` to the front matter",
                    def.name,
                    def.ty.example()
                );
                if !def.help.is_empty() {
                    hint.push_str(": ");
                    hint.push_str(&def.help);
                }
                check.error_with(
                    &(fm_start..fm_start),
                    format!("missing required field `{}` ({})", def.name, def.ty.name()),
                    hint,
                );
            }
        }
        check_timeline(table, &fields, check);
        // A review kept elsewhere (its `replaces_body` link is set) need not repeat the sections.
        let elsewhere = self.fields.iter().filter(|f| f.replaces_body).any(|f| {
            fields
                .iter()
                .any(|(n, v)| *n == f.name && matches!(v, FieldValue::Url(_)))
        });
        if !elsewhere {
            self.check_sections(headings, check);
        }
        // Keep the template's order, so pages show fields the way the template lists them.
        fields.sort_by_key(|(name, _)| self.fields.iter().position(|f| &f.name == name));
        Fields(fields)
    }

    fn check_sections(&self, headings: &[(String, usize)], check: &mut Checker<'_>) {
        let end = check.text.len();
        for section in self.sections.iter().filter(|s| s.required) {
            let found = headings
                .iter()
                .position(|(h, _)| h.trim().eq_ignore_ascii_case(section.heading.trim()));
            if let Some(n) = found {
                if section_is_empty(check.text, headings, n) {
                    let d = Diagnostic::error(
                        check.path,
                        format!("section `## {}` is empty", section.heading),
                    )
                    .at(check.text, headings[n].1)
                    .with_suggestion(section.prompt.clone())
                    .with_severity(crate::diagnostic::Severity::Warning);
                    check.diagnostics.push(d);
                }
            } else {
                check.error_with(
                    &(end..end),
                    format!("missing required section `## {}`", section.heading),
                    format!("add a `## {}` heading: {}", section.heading, section.prompt),
                );
            }
        }
    }
}

/// An incident cannot be detected or resolved before it started, nor resolved before it was
/// detected: such a timeline is a typo (a wrong day, a missing offset) that would make its
/// response times meaningless.
fn check_timeline(table: &Table, fields: &[(String, FieldValue)], check: &mut Checker<'_>) {
    use super::{DETECTED, RESOLVED, STARTED};
    let at = |name: &str| {
        fields.iter().find_map(|(n, v)| match v {
            FieldValue::Datetime(dt) if n == name => Some(*dt),
            _ => None,
        })
    };
    for later in [DETECTED, RESOLVED] {
        // One error per field: the first earlier time it precedes.
        let Some((earlier, from, to)) = [STARTED, DETECTED]
            .into_iter()
            .take_while(|e| *e != later)
            .find_map(|earlier| {
                let (from, to) = (at(earlier)?, at(later)?);
                (to < from).then_some((earlier, from, to))
            })
        else {
            continue;
        };
        if let Some(node) = table.get(later) {
            let utc = |dt: time::OffsetDateTime| {
                let dt = dt.to_offset(time::UtcOffset::UTC);
                format!("{} {:02}:{:02} UTC", dt.date(), dt.hour(), dt.minute())
            };
            check.error_with(
                &node.span,
                format!(
                    "`{later}` ({}) is earlier than `{earlier}` ({})",
                    utc(to),
                    utc(from)
                ),
                format!("check the day and the offset: an incident is {STARTED}, then {DETECTED}, then {RESOLVED}"),
            );
        }
    }
}

fn check_common(key: &str, node: &Node, check: &mut Checker<'_>) {
    let ok = match key {
        "title" | "id" | "slug" | "template" | "summary" => matches!(node.value, Value::String(_)),
        "draft" => matches!(node.value, Value::Bool(_)),
        "weight" => matches!(node.value, Value::Integer(_)),
        "date" => node.value.as_date().is_some(),
        "related" => match &node.value {
            Value::Array(items) => items.iter().all(|i| matches!(i.value, Value::String(_))),
            _ => false,
        },
        _ => true,
    };
    if !ok {
        let expected = match key {
            "draft" => "true or false",
            "weight" => "an integer",
            "date" => "a date such as 2026-03-14",
            "related" => "a list of ids or paths, e.g. [\"INC-2026-009\"]",
            _ => "a string",
        };
        check.error(
            &node.span,
            format!(
                "`{key}` must be {expected}, found {}",
                describe(&node.value)
            ),
        );
    }
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{}\"", s.chars().take(40).collect::<String>()),
        other => other.type_name().to_string(),
    }
}

/// Checks one value against its declared type.
fn check_value(
    ty: &FieldType,
    node: &Node,
    name: &str,
    check: &mut Checker<'_>,
) -> Option<FieldValue> {
    let mismatch = |check: &mut Checker<'_>, expected: &str| {
        check.error(
            &node.span,
            format!(
                "field `{name}` must be {expected}, found {}",
                describe(&node.value)
            ),
        );
        None
    };
    match (ty, &node.value) {
        (FieldType::String | FieldType::Text, Value::String(s)) => {
            Some(FieldValue::String(s.clone()))
        }
        (FieldType::String | FieldType::Text, _) => mismatch(check, "a string"),
        (FieldType::Int, Value::Integer(i)) => Some(FieldValue::Int(*i)),
        (FieldType::Int, _) => mismatch(check, "an integer"),
        (FieldType::Float, Value::Float(f)) => Some(FieldValue::Float(*f)),
        (FieldType::Float, Value::Integer(i)) => Some(FieldValue::Float(*i as f64)),
        (FieldType::Float, _) => mismatch(check, "a number"),
        (FieldType::Bool, Value::Bool(b)) => Some(FieldValue::Bool(*b)),
        (FieldType::Bool, _) => mismatch(check, "true or false"),
        (FieldType::Date, v) => match v.as_date() {
            Some(d) => Some(FieldValue::Date(d)),
            None => mismatch(check, "a date such as 2026-03-14"),
        },
        (FieldType::Datetime, v) => match v.as_datetime() {
            Some(d) => Some(FieldValue::Datetime(d)),
            None => mismatch(check, "a date and time such as 2026-03-14T09:30:00Z"),
        },
        (FieldType::Enum(values), Value::String(s)) => {
            if values.contains(s) {
                Some(FieldValue::String(s.clone()))
            } else {
                let hint = match suggest(s, values.iter().map(String::as_str)) {
                    Some(v) => format!("did you mean `{v}`?"),
                    None => format!("expected one of: {}", values.join(", ")),
                };
                check.error_with(
                    &node.span,
                    format!(
                        "field `{name}` is `{s}`, which is not one of: {}",
                        values.join(", ")
                    ),
                    hint,
                );
                None
            }
        }
        (FieldType::Enum(values), _) => mismatch(check, &format!("one of {}", values.join(", "))),
        (FieldType::Url, Value::String(s)) => {
            if is_url(s) {
                Some(FieldValue::Url(s.clone()))
            } else {
                mismatch(
                    check,
                    "a URL such as https://docs.example.com/review (or a path on this site, /guides/x/)",
                )
            }
        }
        (FieldType::Url, _) => mismatch(check, "a URL"),
        (FieldType::Team, Value::String(s)) => Some(FieldValue::Team(Reference {
            target: s.clone(),
            span: node.span.clone(),
        })),
        (FieldType::Team, _) => mismatch(check, "a team id"),
        (FieldType::Page, Value::String(s)) => Some(FieldValue::Page(Reference {
            target: s.clone(),
            span: node.span.clone(),
        })),
        (FieldType::Page, _) => mismatch(check, "a document id or path"),
        (FieldType::List(of), Value::Array(items)) => Some(FieldValue::List(
            items
                .iter()
                .filter_map(|item| check_value(of, item, name, check))
                .collect(),
        )),
        // A single value where a list is expected is a common slip; accept it as a list of one.
        (FieldType::List(of), _) => {
            check_value(of, node, name, check).map(|v| FieldValue::List(vec![v]))
        }
        (FieldType::ActionItems, Value::Array(items)) => Some(FieldValue::ActionItems(
            items
                .iter()
                .filter_map(|item| action_item(item, name, check))
                .collect(),
        )),
        (FieldType::ActionItems, _) => mismatch(check, "a list of tables: `[[action_items]]`"),
        (FieldType::Metrics, Value::Array(items)) => Some(FieldValue::Metrics(
            items
                .iter()
                .filter_map(|item| metric(item, name, check))
                .collect(),
        )),
        (FieldType::Metrics, _) => mismatch(check, &format!("a list of tables: `[[{name}]]`")),
    }
}

/// Whether `s` has the form of a URL: a scheme and a host (`https://docs.example.com/x`), a
/// `mailto:` address, or a path on this site (`/guides/x/`). Checked, never fetched.
pub(crate) fn is_url(s: &str) -> bool {
    if s.is_empty() || s.chars().any(char::is_whitespace) {
        return false;
    }
    if let Some(address) = s.strip_prefix("mailto:") {
        return address.split_once('@').is_some_and(|(who, host)| {
            !who.is_empty() && host.contains('.') && !host.starts_with('.')
        });
    }
    if s.starts_with('/') {
        return !s.starts_with("//");
    }
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("");
    scheme_ok
        && !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || "-._[]".contains(c))
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-'])
}

pub(crate) const ACTION_ITEM_KEYS: &[&str] = &["title", "owner", "due", "status", "link"];

fn action_item(node: &Node, name: &str, check: &mut Checker<'_>) -> Option<ActionItem> {
    let Value::Table(t) = &node.value else {
        check.error(
            &node.span,
            format!("each entry of `{name}` must be a table with title, owner, due and status"),
        );
        return None;
    };
    unknown_keys(t, ACTION_ITEM_KEYS, name, check);
    let Some(title) = t.str("title") else {
        check.error(&node.span, format!("an entry of `{name}` has no `title`"));
        return None;
    };
    let due = match t.get("due") {
        None => None,
        Some(n) => match n.value.as_date() {
            Some(d) => Some(d),
            None => {
                check.error(&n.span, format!("`due` of action item \"{title}\" must be a date such as 2026-04-01, found {}", describe(&n.value)));
                None
            }
        },
    };
    let status = match t.get("status") {
        None => {
            // An item whose state nobody wrote down would count as open for ever.
            check.error_with(
                &node.span,
                format!("action item \"{title}\" has no `status`"),
                "add status = \"open\", \"done\" or \"dropped\"".into(),
            );
            ItemStatus::Open
        }
        Some(n) => match n.value {
            Value::String(ref s) if s == "open" => ItemStatus::Open,
            Value::String(ref s) if s == "done" => ItemStatus::Done,
            Value::String(ref s) if s == "dropped" => ItemStatus::Dropped,
            _ => {
                check.error_with(
                    &n.span,
                    format!("`status` of action item \"{title}\" must be open, done or dropped, found {}", describe(&n.value)),
                    "use status = \"open\", \"done\" or \"dropped\"".into(),
                );
                ItemStatus::Open
            }
        },
    };
    let link = t.get("link").and_then(|n| match &n.value {
        Value::String(s) if s.contains("://") => None,
        Value::String(s) => Some(Reference {
            target: s.clone(),
            span: n.span.clone(),
        }),
        _ => None,
    });
    Some(ActionItem {
        title: title.to_string(),
        owner: t
            .str("owner")
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string),
        due,
        status,
        link,
    })
}

pub(crate) const METRIC_KEYS: &[&str] = &[
    "name",
    "unit",
    "goal",
    "direction",
    "team",
    "value",
    "series",
];

fn number(node: &Node) -> Option<f64> {
    match node.value {
        Value::Integer(i) => Some(i as f64),
        Value::Float(f) if f.is_finite() => Some(f),
        _ => None,
    }
}

fn metric(node: &Node, name: &str, check: &mut Checker<'_>) -> Option<Metric> {
    let Value::Table(t) = &node.value else {
        check.error(&node.span, format!("each entry of `{name}` must be a table with name, unit, goal, direction and value or series"));
        return None;
    };
    unknown_keys(t, METRIC_KEYS, name, check);
    let Some(metric_name) = t.str("name") else {
        check.error(&node.span, format!("an entry of `{name}` has no `name`"));
        return None;
    };
    let num = |key: &str, check: &mut Checker<'_>| -> Option<f64> {
        let n = t.get(key)?;
        let v = number(n);
        if v.is_none() {
            check.error(
                &n.span,
                format!(
                    "`{key}` of metric \"{metric_name}\" must be a number, found {}",
                    describe(&n.value)
                ),
            );
        }
        v
    };
    let goal = num("goal", check);
    let value = num("value", check);
    let direction = match t.str("direction") {
        None | Some("up") => Direction::Up,
        Some("down") => Direction::Down,
        Some(other) => {
            let span = t
                .get("direction")
                .map_or(node.span.clone(), |n| n.span.clone());
            check.error(&span, format!("`direction` of metric \"{metric_name}\" must be \"up\" or \"down\", found \"{other}\""));
            Direction::Up
        }
    };
    let mut series = Vec::new();
    if let Some(n) = t.get("series") {
        match &n.value {
            Value::Array(points) => {
                for p in points {
                    let point = match &p.value {
                        Value::Table(pt) => pt.get("date").and_then(|d| d.value.as_date()).zip(pt.get("value").and_then(number)),
                        Value::Array(pair) if pair.len() == 2 => pair[0].value.as_date().zip(number(&pair[1])),
                        _ => None,
                    };
                    match point {
                        Some(pt) => series.push(pt),
                        None => check.error(&p.span, format!("a point of metric \"{metric_name}\" must be `{{ date = 2026-01-31, value = 12.5 }}`")),
                    }
                }
                series.sort_by_key(|p| p.0);
            }
            _ => check.error(&n.span, format!("`series` of metric \"{metric_name}\" must be a list of `{{ date = ..., value = ... }}`")),
        }
    }
    let team = t.get("team").and_then(|n| match &n.value {
        Value::String(s) => Some(Reference {
            target: s.clone(),
            span: n.span.clone(),
        }),
        _ => None,
    });
    Some(Metric {
        name: metric_name.to_string(),
        unit: t.str("unit").unwrap_or_default().to_string(),
        goal,
        direction,
        team,
        value,
        series,
    })
}

fn unknown_keys(t: &Table, allowed: &[&str], name: &str, check: &mut Checker<'_>) {
    for e in t.iter() {
        if !allowed.contains(&e.key.as_str()) {
            let hint = suggest(&e.key, allowed.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| format!("entries of `{name}` take: {}", allowed.join(", ")));
            check.error_with(
                &e.key_span,
                format!("unknown key `{}` in `{name}`", e.key),
                hint,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_url;

    #[test]
    fn urls_are_checked_for_form() {
        for good in [
            "https://docs.example.com/review",
            "http://wiki.internal:8080/a?b=1#c",
            "https://user@host.example/x",
            "/guides/on-call/",
            "mailto:ops@example.com",
        ] {
            assert!(is_url(good), "{good}");
        }
        for bad in [
            "",
            "docs.example.com/review",
            "https://",
            "https:///path",
            "https://exa mple.com/",
            "//cdn.example.com/x",
            "mailto:nobody",
            "see the doc",
        ] {
            assert!(!is_url(bad), "{bad}");
        }
    }
}
