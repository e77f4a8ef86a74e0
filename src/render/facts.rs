//! A plain page's own front matter, shown as facts: every key opsbook does not use itself
//! (`[pages] hidden` aside), its value as escaped HTML.

use super::format::format_number;
use super::views::{Ctx, FieldRow};
use crate::html::escape;
use crate::schema::field_label;
use crate::site::DocId;
use crate::value::Value;

/// Front-matter keys opsbook reads itself on a plain page, besides the schema's common keys.
const OWN_PAGE_KEYS: &[&str] = &["description"];

impl Ctx<'_> {
    /// The facts a plain page shows: every key of its front matter that opsbook does not use
    /// itself and `[pages] hidden` does not hide, in the order written.
    pub fn facts(&self, i: DocId) -> Vec<FieldRow> {
        let hidden = &self.site.config.pages.hidden;
        self.site[i]
            .doc
            .front
            .iter()
            .filter(|e| {
                !crate::schema::COMMON_KEYS.contains(&e.key.as_str())
                    && !OWN_PAGE_KEYS.contains(&e.key.as_str())
                    && !hidden.iter().any(|h| h == &e.key)
            })
            .map(|e| FieldRow {
                name: e.key.clone(),
                label: field_label(&e.key),
                html: front_html(&e.node.value),
            })
            .filter(|row| !row.html.is_empty())
            .collect()
    }
}

/// A front-matter value as escaped HTML: web addresses become links, dates `<time>`, lists
/// comma-separated, tables `key: value` pairs.
pub(super) fn front_html(value: &Value) -> String {
    match value {
        Value::String(s) => {
            let t = s.trim();
            if ["https://", "http://", "mailto:"]
                .iter()
                .any(|p| t.starts_with(p))
                && !t.contains(char::is_whitespace)
            {
                format!("<a href=\"{}\">{}</a>", escape(t), escape(t))
            } else if let Some(d) = crate::value::parse_date(t) {
                format!("<time datetime=\"{d}\">{d}</time>")
            } else {
                escape(t)
            }
        }
        Value::Integer(n) => n.to_string(),
        Value::Float(f) => format_number(*f),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Datetime(d) => match value.as_date() {
            Some(date) if d.time.is_none() => format!("<time datetime=\"{date}\">{date}</time>"),
            _ => escape(&d.to_string()),
        },
        Value::Array(items) => items
            .iter()
            .map(|n| front_html(&n.value))
            .filter(|h| !h.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        Value::Table(t) => t
            .iter()
            .map(|e| format!("{}: {}", escape(&e.key), front_html(&e.node.value)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Node;

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn values_are_escaped_and_only_web_addresses_become_links() {
        for (value, html) in [
            (
                s("<script>alert(1)</script>"),
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            (
                s("https://example.com/a?b=1&c=\"2\""),
                "<a href=\"https://example.com/a?b=1&amp;c=&quot;2&quot;\">https://example.com/a?b=1&amp;c=&quot;2&quot;</a>",
            ),
            (s("javascript:alert(1)"), "javascript:alert(1)"),
            (s("see https://example.com"), "see https://example.com"),
            (
                s("2024-02-29"),
                "<time datetime=\"2024-02-29\">2024-02-29</time>",
            ),
            (s("2024-02-30"), "2024-02-30"),
            (Value::Integer(3), "3"),
            (Value::Float(1.5), "1.5"),
            (Value::Bool(true), "yes"),
        ] {
            assert_eq!(front_html(&value), html);
        }
        let list = Value::Array(
            [s("a & b"), s(""), s("c")]
                .into_iter()
                .map(|value| Node { span: 0..0, value })
                .collect(),
        );
        assert_eq!(front_html(&list), "a &amp; b, c");
    }
}
