//! Schemas: read from a template's `[fields.*]` and `[[sections]]`, or built in for playbooks,
//! teams and plain pages.

use super::validate::Checker;
use super::{COMMON_KEYS, FieldDef, FieldType, Schema, SectionDef, TEMPLATE_KEYS, TYPE_NAMES};
use crate::diagnostic::suggest;
use crate::value::{Node, Table, Value};

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
        let text = |name: &str, help: &str| optional(name, FieldType::String, help);
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
        let field = optional;
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
    let replaces_body = t.bool("replaces_body").unwrap_or(false);
    if replaces_body && ty != FieldType::Url {
        let span = t
            .get("replaces_body")
            .map_or(node.span.clone(), |n| n.span.clone());
        check.error(
            &span,
            format!(
                "`replaces_body` is for a `url` field (the review kept elsewhere); `{name}` is {}",
                ty.name()
            ),
        );
    }
    Some(FieldDef {
        name: name.to_string(),
        required: t.bool("required").unwrap_or(false),
        help: t.str("help").unwrap_or_default().to_string(),
        unit: t.str("unit").unwrap_or_default().trim().to_string(),
        replaces_body: replaces_body && ty == FieldType::Url,
        ty,
    })
}

/// An optional field of a built-in schema.
fn optional(name: &str, ty: FieldType, help: &str) -> FieldDef {
    FieldDef {
        name: name.into(),
        ty,
        required: false,
        help: help.into(),
        unit: String::new(),
        replaces_body: false,
    }
}
