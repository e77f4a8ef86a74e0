//! Templates as schemas. A template's front matter declares typed fields and required sections;
//! `Schema::validate` checks a review's front matter and headings against it and turns the raw
//! table into typed `Fields`. Playbooks and teams are checked by built-in schemas the same way.
//!
//! - `define`: a `Schema` from a template's front matter, and the built-in schemas.
//! - `validate`: a document's front matter and headings checked against a schema.

mod define;
mod validate;

pub use validate::Checker;
pub(crate) use validate::{ACTION_ITEM_KEYS, METRIC_KEYS, is_url};

use std::ops::Range;

use time::{Date, OffsetDateTime};

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
    /// What a number field counts, shown after its value: `USD`, `ms`, `engineers`.
    pub unit: String,
    /// A `url` field that may stand for the review's body: a review kept elsewhere (a shared
    /// document, a PDF) sets it, and its template's sections are then not required.
    pub replaces_body: bool,
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

/// The datetime fields of an incident's timeline, in the order things happen: validation checks
/// that order, and the archive measures time to detect (started -> detected) and to resolve
/// (started -> resolved) from them.
pub const STARTED: &str = "started";
pub const DETECTED: &str = "detected";
pub const RESOLVED: &str = "resolved";

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
    "file_name",
    "title_format",
    "fields",
    "sections",
];

/// A field name as a label: `time_to_detect` -> `Time to detect`.
pub fn field_label(name: &str) -> String {
    let words = name.replace('_', " ");
    let mut c = words.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Typed, validated field values of one document, in template order.
#[derive(Debug, Clone, Default, PartialEq)]
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

#[derive(Debug, Clone, PartialEq)]
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

#[derive(Debug, Clone, PartialEq)]
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

#[derive(Debug, Clone, PartialEq)]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::suggest;
    use crate::front_matter;
    use crate::value::Table;

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
        let review = "+++\ntitle = \"x\"\nseverity = \"sev1\"\nteams = [\"payments\"]\n[[action_items]]\ntitle = \"a\"\nowner = \"dana\"\ndue = 2026-04-01\nstatus = \"open\"\n+++\n";
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
    fn a_timeline_out_of_order_is_an_error_at_the_later_field() {
        let t = "+++\ntitle = \"Incident review\"\n[fields.started]\ntype = \"datetime\"\n[fields.detected]\ntype = \"datetime\"\n[fields.resolved]\ntype = \"datetime\"\n+++\n";
        let mut c = Checker {
            path: "t.md",
            text: t,
            diagnostics: vec![],
        };
        let schema = Schema::from_template(&table(t), &mut c);
        let check = |review: &str| {
            let mut c = Checker {
                path: "r.md",
                text: review,
                diagnostics: vec![],
            };
            schema.validate(&table(review), &[], &mut c);
            c.diagnostics
                .iter()
                .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
                .collect::<Vec<_>>()
        };
        let in_order = "+++\nstarted = 2026-03-14T09:00:00Z\ndetected = 2026-03-14T09:00:00Z\nresolved = 2026-03-14T09:41:00Z\n+++\n";
        assert_eq!(check(in_order), Vec::<String>::new());
        let reversed = "+++\nstarted = 2026-03-14T09:00:00Z\ndetected = 2026-03-14T08:10:00Z\nresolved = 2026-03-14T08:41:00Z\n+++\n";
        assert_eq!(
            check(reversed),
            [
                "3:12 `detected` (2026-03-14 08:10 UTC) is earlier than `started` (2026-03-14 09:00 UTC)",
                "4:12 `resolved` (2026-03-14 08:41 UTC) is earlier than `started` (2026-03-14 09:00 UTC)",
            ]
        );
        let before_detected = "+++\nstarted = 2026-03-14T09:00:00Z\ndetected = 2026-03-14T10:00:00+01:00\nresolved = 2026-03-14T09:30:00+01:00\n+++\n";
        assert_eq!(
            check(before_detected),
            [
                "4:12 `resolved` (2026-03-14 08:30 UTC) is earlier than `started` (2026-03-14 09:00 UTC)"
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
    fn field_names_become_labels() {
        for (name, expect) in [
            ("time_to_detect", "Time to detect"),
            ("severity", "Severity"),
            ("", ""),
            ("énergie", "Énergie"),
        ] {
            assert_eq!(field_label(name), expect);
        }
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
