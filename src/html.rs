//! Escaping for markup the crate writes by hand: HTML pages, Atom and sitemap XML, inline SVG.
//! One escaper for all three, so that text from content is treated the same wherever it lands;
//! and the one encoder of file paths in URLs (assets, edit links).

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

/// A file's path as a URL path: every byte outside the unreserved set and `/` percent-encoded,
/// so `.gitbook/assets/image (1).png` is a valid link.
pub(crate) fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `PM%202019.md` -> `PM 2019.md`: a link's path as the file is named. A `%` not followed by
/// two hex digits stays as it is.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or(""), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
