//! Templates as schemas. A template's front matter declares typed fields and required sections;
//! `Schema::validate` checks a review's front matter and headings against it and turns the raw
//! table into typed `Fields`. Playbooks and teams are checked by built-in schemas the same way.

use std::ops::Range;

use time::{Date, OffsetDateTime};

use crate::diagnostic::Diagnostic;
use crate::value::{Node, Table, Value};

/// The types a template field may declare.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    String,
    Text,
    Int,
    Float,
    Bool,
    Date,
    Datetime,
    Enum(Vec<String>),
    Url,
    /// A team id.
    Team,
    /// A reference to another document by id or path.
    Page,
    List(Box<FieldType>),
    ActionItems,
    Metrics,
}

impl FieldType {
    /// How the type is written in a template, e.g. `list of team`.
    pub fn name(&self) -> String {
        match self {
            FieldType::String => "string".into(),
            FieldType::Text => "text".into(),
            FieldType::Int => "int".into(),
            FieldType::Float => "float".into(),
            FieldType::Bool => "bool".into(),
            FieldType::Date => "date".into(),
            FieldType::Datetime => "datetime".into(),
            FieldType::Enum(values) => format!("enum ({})", values.join(", ")),
            FieldType::Url => "url".into(),
            FieldType::Team => "team".into(),
            FieldType::Page => "page".into(),
            FieldType::List(of) => format!("list of {}", of.name()),
            FieldType::ActionItems => "action_items".into(),
            FieldType::Metrics => "metrics".into(),
        }
    }

    /// A TOML value of this type, for hints and scaffolding.
    pub fn example(&self) -> String {
        match self {
            FieldType::String | FieldType::Text => "\"...\"".into(),
            FieldType::Int => "0".into(),
            FieldType::Float => "0.0".into(),
            FieldType::Bool => "false".into(),
            FieldType::Date => "2026-01-31".into(),
            FieldType::Datetime => "2026-01-31T09:00:00Z".into(),
            FieldType::Enum(values) => format!("\"{}\"", values.first().map_or("", String::as_str)),
            FieldType::Url => "\"https://...\"".into(),
            FieldType::Team => "\"team-id\"".into(),
            FieldType::Page => "\"document-id\"".into(),
            FieldType::List(of) => format!("[{}]", of.example()),
            FieldType::ActionItems | FieldType::Metrics => "[]".into(),
        }
    }

    fn scalar(name: &str) -> Option<FieldType> {
        Some(match name {
            "string" => FieldType::String,
            "text" => FieldType::Text,
            "int" | "integer" => FieldType::Int,
            "float" | "number" => FieldType::Float,
            "bool" | "boolean" => FieldType::Bool,
            "date" => FieldType::Date,
            "datetime" => FieldType::Datetime,
            "url" => FieldType::Url,
            "team" => FieldType::Team,
            "page" => FieldType::Page,
            "action_items" => FieldType::ActionItems,
            "metrics" => FieldType::Metrics,
            _ => return None,
        })
    }
}

pub const TYPE_NAMES: &[&str] = &[
    "string",
    "text",
    "int",
    "float",
    "bool",
    "date",
    "datetime",
    "enum",
    "url",
    "team",
    "page",
    "list",
    "action_items",
    "metrics",
];

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub name: String,
    pub ty: FieldType,
    pub required: bool,
    pub help: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SectionDef {
    pub heading: String,
    pub prompt: String,
    pub required: bool,
}

/// The schema a template declares for its reviews.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub fields: Vec<FieldDef>,
    /// Fields the template declares but gets wrong (an unknown type): already reported at the
    /// template, so reviews that use them are not told they are unknown as well.
    pub broken_fields: Vec<String>,
    pub sections: Vec<SectionDef>,
    /// Keys any document may carry besides the declared fields.
    pub common: &'static [&'static str],
    /// Whether undeclared keys are errors (reviews, playbooks, teams) or ignored (plain pages).
    pub strict: bool,
}

/// Keys every document may set.
pub const COMMON_KEYS: &[&str] = &[
    "title", "id", "slug", "template", "date", "draft", "summary", "related", "weight",
];

/// Keys only a template's own front matter may set, besides `fields` and `sections`.
pub const TEMPLATE_KEYS: &[&str] = &[
    "title",
    "id",
    "slug",
    "date",
    "draft",
    "summary",
    "related",
    "weight",
    "folder",
    "meeting",
    "label",
    "id_format",
    "fields",
    "sections",
];

/// Typed, validated field values of one document, in template order.
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, FieldValue)>);

impl Fields {
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// A reference to a team or document, with where it was written, resolved by the link stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub target: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub enum FieldValue {
    String(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(Date),
    Datetime(OffsetDateTime),
    Url(String),
    Team(Reference),
    Page(Reference),
    List(Vec<FieldValue>),
    ActionItems(Vec<ActionItem>),
    Metrics(Vec<Metric>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemStatus {
    Open,
    Done,
    Dropped,
}

#[derive(Debug, Clone)]
pub struct ActionItem {
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<Date>,
    pub status: ItemStatus,
    pub link: Option<Reference>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub name: String,
    pub unit: String,
    pub goal: Option<f64>,
    pub direction: Direction,
    pub team: Option<Reference>,
    pub value: Option<f64>,
    pub series: Vec<(Date, f64)>,
}

impl Metric {
    /// The current value: `value`, or the last point of the series.
    pub fn current(&self) -> Option<f64> {
        self.value.or_else(|| self.series.last().map(|p| p.1))
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

    fn error_with(&mut self, span: &Range<usize>, message: impl Into<String>, hint: String) {
        let d = Diagnostic::error(self.path, message)
            .at(self.text, span.start)
            .with_suggestion(hint);
        self.diagnostics.push(d);
    }
}

impl Schema {
    /// Reads `[fields.*]` and `[[sections]]` from a template's front matter.
    pub fn from_template(table: &Table, check: &mut Checker<'_>) -> Schema {
        let mut fields = Vec::new();
        let mut broken_fields = Vec::new();
        for entry in table.iter() {
            if !TEMPLATE_KEYS.contains(&entry.key.as_str()) {
                let hint = suggest(&entry.key, TEMPLATE_KEYS.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("template keys are: {}", TEMPLATE_KEYS.join(", ")));
                check.error_with(
                    &entry.key_span,
                    format!("unknown template key `{}`", entry.key),
                    hint,
                );
            }
        }
        match table.get("fields").map(|n| (&n.value, n)) {
            None => {}
            Some((Value::Table(defs), _)) => {
                for def in defs.iter() {
                    match field_def(&def.key, &def.node, check) {
                        Some(field) => fields.push(field),
                        None => broken_fields.push(def.key.clone()),
                    }
                }
            }
            Some((_, node)) => check.error(
                &node.span,
                "`fields` must be a table of field definitions, e.g. `[fields.severity]`",
            ),
        }
        let mut sections = Vec::new();
        match table.get("sections").map(|n| (&n.value, n)) {
            None => {}
            Some((Value::Array(items), _)) => {
                for item in items {
                    let Value::Table(t) = &item.value else {
                        check.error(
                            &item.span,
                            "each `[[sections]]` entry must be a table with `heading` and `prompt`",
                        );
                        continue;
                    };
                    let Some(heading) = t.str("heading") else {
                        check.error(&item.span, "a section needs `heading = \"...\"`");
                        continue;
                    };
                    sections.push(SectionDef {
                        heading: heading.to_string(),
                        prompt: t.str("prompt").unwrap_or_default().to_string(),
                        required: t.bool("required").unwrap_or(true),
                    });
                }
            }
            Some((_, node)) => check.error(
                &node.span,
                "`sections` must be an array of tables: `[[sections]]`",
            ),
        }
        Schema {
            fields,
            broken_fields,
            sections,
            common: COMMON_KEYS,
            strict: true,
        }
    }

    /// The schema of plain pages: only the common keys are typed, anything else is allowed so an
    /// imported handbook (MkDocs, Hugo) builds as it is.
    pub fn page() -> Schema {
        Schema {
            fields: Vec::new(),
            broken_fields: Vec::new(),
            sections: Vec::new(),
            common: COMMON_KEYS,
            strict: false,
        }
    }

    /// Playbooks (`content/meetings/`).
    pub fn playbook() -> Schema {
        let text = |name: &str, help: &str| FieldDef {
            name: name.into(),
            ty: FieldType::String,
            required: false,
            help: help.into(),
        };
        Schema {
            fields: vec![
                text(
                    "cadence",
                    "How often and how long, e.g. \"Weekly, 60 minutes\".",
                ),
                text("owner", "The role that runs the meeting."),
                text("attendees", "Who comes."),
            ],
            broken_fields: Vec::new(),
            sections: Vec::new(),
            common: COMMON_KEYS,
            strict: true,
        }
    }

    /// Teams (`content/teams/`).
    pub fn team() -> Schema {
        let field = |name: &str, ty: FieldType, help: &str| FieldDef {
            name: name.into(),
            ty,
            required: false,
            help: help.into(),
        };
        Schema {
            fields: vec![
                field("name", FieldType::String, "Display name, if not the title."),
                field("oncall", FieldType::String, "On-call alias."),
                field("channel", FieldType::String, "Where to reach the team."),
                field(
                    "services",
                    FieldType::List(Box::new(FieldType::String)),
                    "Services the team owns.",
                ),
                // Members are validated by `members` below: handle, name, role.
            ],
            broken_fields: Vec::new(),
            sections: Vec::new(),
            common: &[
                "title", "id", "slug", "date", "draft", "summary", "related", "weight", "members",
            ],
            strict: true,
        }
    }

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
        self.check_sections(headings, check);
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

fn field_def(name: &str, node: &Node, check: &mut Checker<'_>) -> Option<FieldDef> {
    let Value::Table(t) = &node.value else {
        check.error(
            &node.span,
            format!(
                "field `{name}` must be a table, e.g. `[fields.{name}]` with `type = \"string\"`"
            ),
        );
        return None;
    };
    let Some(type_name) = t.str("type") else {
        check.error_with(
            &node.span,
            format!("field `{name}` has no `type`"),
            format!("one of: {}", TYPE_NAMES.join(", ")),
        );
        return None;
    };
    let type_span = t.get("type").map_or(node.span.clone(), |n| n.span.clone());
    let parse_one = |type_name: &str, check: &mut Checker<'_>| -> Option<FieldType> {
        if type_name == "enum" {
            let values: Vec<String> = match t.get("values").map(|n| &n.value) {
                Some(Value::Array(items)) => items.iter().map(|n| n.value.display()).collect(),
                _ => Vec::new(),
            };
            if values.is_empty() {
                check.error(
                    &type_span,
                    format!("enum field `{name}` needs `values = [\"a\", \"b\"]`"),
                );
                return None;
            }
            return Some(FieldType::Enum(values));
        }
        match FieldType::scalar(type_name) {
            Some(ty) => Some(ty),
            None => {
                let hint = suggest(type_name, TYPE_NAMES.iter().copied())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("one of: {}", TYPE_NAMES.join(", ")));
                check.error_with(
                    &type_span,
                    format!("unknown field type `{type_name}`"),
                    hint,
                );
                None
            }
        }
    };
    let ty = if type_name == "list" {
        let of = t.str("of").unwrap_or("string");
        FieldType::List(Box::new(parse_one(of, check)?))
    } else {
        parse_one(type_name, check)?
    };
    Some(FieldDef {
        name: name.to_string(),
        ty,
        required: t.bool("required").unwrap_or(false),
        help: t.str("help").unwrap_or_default().to_string(),
    })
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
            if s.contains("://") || s.starts_with('/') || s.starts_with("mailto:") {
                Some(FieldValue::Url(s.clone()))
            } else {
                mismatch(check, "a URL such as https://example.com/")
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

const ACTION_ITEM_KEYS: &[&str] = &["title", "owner", "due", "status", "link"];

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
        None => ItemStatus::Open,
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

const METRIC_KEYS: &[&str] = &[
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
    use crate::front_matter;

    fn table(text: &str) -> Table {
        let s = front_matter::split("t.md", text).unwrap();
        front_matter::parse("t.md", text, &s).unwrap()
    }

    const TEMPLATE: &str = "+++\ntitle = \"Incident review\"\n[fields.severity]\ntype = \"enum\"\nvalues = [\"sev1\", \"sev2\"]\nrequired = true\n[fields.teams]\ntype = \"list\"\nof = \"team\"\n[fields.action_items]\ntype = \"action_items\"\n[[sections]]\nheading = \"Summary\"\nprompt = \"What happened\"\n+++\n";

    fn schema() -> Schema {
        let t = table(TEMPLATE);
        let mut c = Checker {
            path: "t.md",
            text: TEMPLATE,
            diagnostics: vec![],
        };
        let s = Schema::from_template(&t, &mut c);
        assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
        s
    }

    fn check(review: &str, headings: &[&str]) -> Vec<String> {
        let t = table(review);
        let mut c = Checker {
            path: "r.md",
            text: review,
            diagnostics: vec![],
        };
        let heads: Vec<(String, usize)> = headings.iter().map(|h| (h.to_string(), 2)).collect();
        schema().validate(&t, &heads, &mut c);
        c.diagnostics
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn a_valid_review_passes() {
        let review = "+++\ntitle = \"x\"\nseverity = \"sev1\"\nteams = [\"payments\"]\n[[action_items]]\ntitle = \"a\"\nowner = \"dana\"\ndue = 2026-04-01\n+++\n";
        assert_eq!(check(review, &["Summary"]), Vec::<String>::new());
    }

    #[test]
    fn each_mistake_is_reported_at_its_line() {
        let review = "+++\ntitle = \"x\"\nseverity = \"sev9\"\nteams = 3\nowner = \"me\"\n[[action_items]]\ntitle = \"a\"\ndue = \"soon\"\nstatus = \"closed\"\n+++\n";
        let got = check(review, &[]);
        assert_eq!(
            got,
            vec![
                "3:12 field `severity` is `sev9`, which is not one of: sev1, sev2",
                "4:9 field `teams` must be a team id, found an integer",
                "5:1 unknown field `owner`",
                "8:7 `due` of action item \"a\" must be a date such as 2026-04-01, found \"soon\"",
                "9:10 `status` of action item \"a\" must be open, done or dropped, found \"closed\"",
                "11:1 missing required section `## Summary`",
            ]
        );
    }

    #[test]
    fn missing_required_field() {
        let got = check("+++\ntitle = \"x\"\n+++\n", &["Summary"]);
        assert_eq!(
            got,
            vec!["2:1 missing required field `severity` (enum (sev1, sev2))"]
        );
    }

    #[test]
    fn suggestions_find_typos() {
        assert_eq!(
            suggest("paymnets", ["payments", "edge"].into_iter()),
            Some("payments")
        );
        assert_eq!(suggest("zzz", ["payments", "edge"].into_iter()), None);
    }
}
