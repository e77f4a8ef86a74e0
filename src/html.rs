//! Escaping for markup the crate writes by hand: HTML pages, Atom and sitemap XML, inline SVG.
//! One escaper for all three, so that text from content is treated the same wherever it lands.

/// Escapes text for HTML and XML text and attribute values. Control characters other than tab
/// and newlines are dropped: XML 1.0 forbids them, and in HTML they are never wanted.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_quotes_and_control_characters() {
        for (input, expect) in [
            ("a < b && c > d", "a &lt; b &amp;&amp; c &gt; d"),
            (r#"say "hi" it's"#, "say &quot;hi&quot; it&#39;s"),
            ("tab\tline\nend\r", "tab\tline\nend\r"),
            ("bell\u{7}esc\u{1b}[0m", "bellesc[0m"),
            ("/path/to?x=1", "/path/to?x=1"),
        ] {
            assert_eq!(escape(input), expect, "{input:?}");
        }
    }
}
