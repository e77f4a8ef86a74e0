//! Front-matter values with their place in the file. TOML and YAML both become a `Table` of
//! `Node`s, so validation and error messages do not care which format the author wrote.

use std::ops::Range;

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A value and the byte range (in the whole file) it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Range<usize>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    /// A TOML date, time or datetime, kept as written.
    Datetime(toml::value::Datetime),
    Array(Vec<Node>),
    Table(Table),
}

/// An ordered table: key, the key's span, and the value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table(pub Vec<Entry>);

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub node: Node,
}

impl Table {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.0.iter().find(|e| e.key == key).map(|e| &e.node)
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.0.iter().find(|e| e.key == key)
    }

    pub fn str(&self, key: &str) -> Option<&str> {
        match self.get(key).map(|n| &n.value) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.get(key).map(|n| &n.value) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.0.iter()
    }
}

impl Value {
    /// The word used in "expected X, found Y" messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Bool(_) => "a boolean",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "a list",
            Value::Table(_) => "a table",
        }
    }

    /// A short, human rendering of a scalar for messages and plain-text output.
    pub fn display(&self) -> String {
        match self {
            Value::String(s) => s.clone(),
            Value::Integer(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Datetime(d) => d.to_string(),
            Value::Array(items) => items
                .iter()
                .map(|n| n.value.display())
                .collect::<Vec<_>>()
                .join(", "),
            Value::Table(_) => "{…}".into(),
        }
    }

    /// The value as a date: a TOML date (or the date part of a datetime) or a `YYYY-MM-DD` string.
    pub fn as_date(&self) -> Option<Date> {
        match self {
            Value::Datetime(d) => {
                let date = d.date?;
                Date::from_calendar_date(
                    i32::from(date.year),
                    Month::try_from(date.month).ok()?,
                    date.day,
                )
                .ok()
            }
            Value::String(s) => parse_date(s),
            _ => None,
        }
    }

    /// The value as an instant: a TOML datetime or an RFC 3339 string. No offset means UTC.
    pub fn as_datetime(&self) -> Option<OffsetDateTime> {
        match self {
            Value::Datetime(d) => {
                let date = self.as_date()?;
                let time = d
                    .time
                    .and_then(|t| Time::from_hms(t.hour, t.minute, t.second.unwrap_or(0)).ok())?;
                let offset = match d.offset {
                    Some(toml::value::Offset::Custom { minutes }) => {
                        UtcOffset::from_whole_seconds(i32::from(minutes) * 60).ok()?
                    }
                    _ => UtcOffset::UTC,
                };
                Some(PrimitiveDateTime::new(date, time).assume_offset(offset))
            }
            Value::String(s) => {
                let parsed: toml::value::Datetime = s.trim().replace(' ', "T").parse().ok()?;
                Value::Datetime(parsed).as_datetime()
            }
            _ => None,
        }
    }
}

/// Parses `YYYY-MM-DD`, rejecting impossible dates such as 2026-02-30.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let mut parts = s.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.get(..2)?.parse().ok()?;
    if s.len() != 10 {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// Builds a `Table` from TOML's spanned parse tree. `base` is the offset of the front matter in
/// the file, so spans point into the file.
pub fn from_toml(table: &toml::de::DeTable<'_>, base: usize) -> Table {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(key, value)| Entry {
            key: key.get_ref().to_string(),
            key_span: shift(key.span(), base),
            node: node_from_toml(value, base),
        })
        .collect();
    // Keep the order the author wrote, so diagnostics and field tables follow the file.
    entries.sort_by_key(|e| e.key_span.start);
    Table(entries)
}

fn node_from_toml(value: &toml::Spanned<toml::de::DeValue<'_>>, base: usize) -> Node {
    use toml::de::DeValue;
    let span = shift(value.span(), base);
    let value = match value.get_ref() {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            match i64::from_str_radix(digits.trim_start_matches('+'), i.radix()) {
                Ok(n) => Value::Integer(n),
                Err(_) => Value::Float(digits.parse().unwrap_or(f64::NAN)),
            }
        }
        DeValue::Float(f) => Value::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Datetime(*d),
        DeValue::Array(items) => {
            Value::Array(items.iter().map(|v| node_from_toml(v, base)).collect())
        }
        DeValue::Table(t) => Value::Table(from_toml(t, base)),
    };
    Node { span, value }
}

fn shift(span: Range<usize>, base: usize) -> Range<usize> {
    span.start + base..span.end + base
}

/// Builds a `Table` from a parsed YAML mapping. YAML parsers give no spans per value here, so
/// every node points at the line of its top-level key (found by `key_offset`).
pub fn from_yaml(
    map: &serde_json::Map<String, serde_json::Value>,
    key_offset: &dyn Fn(&str) -> Range<usize>,
) -> Table {
    Table(
        map.iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(key, value)| {
                let span = key_offset(key);
                Entry {
                    key: key.clone(),
                    key_span: span.clone(),
                    node: node_from_json(value, &span),
                }
            })
            .collect(),
    )
}

fn node_from_json(value: &serde_json::Value, span: &Range<usize>) -> Node {
    use serde_json::Value as J;
    let value = match value {
        J::Null => Value::String(String::new()),
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => Value::String(s.clone()),
        J::Array(items) => Value::Array(items.iter().map(|v| node_from_json(v, span)).collect()),
        J::Object(map) => Value::Table(Table(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| Entry {
                    key: k.clone(),
                    key_span: span.clone(),
                    node: node_from_json(v, span),
                })
                .collect(),
        )),
    };
    Node {
        span: span.clone(),
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_checked_for_existence() {
        assert!(parse_date("2026-03-14").is_some());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-3-14").is_none());
        assert!(parse_date("yesterday").is_none());
    }

    #[test]
    fn toml_spans_point_into_the_file() {
        let front = "title = \"x\"\nsev = 2\n";
        let parsed = toml::de::DeTable::parse(front).unwrap();
        let table = from_toml(parsed.get_ref(), 4);
        let sev = table.entry("sev").unwrap();
        assert_eq!(sev.key_span.start, 4 + 12);
        assert_eq!(sev.node.value, Value::Integer(2));
    }
}
