//! Link placeholders. Markdown is rendered before the link graph exists, so the `href` of a link
//! to another document (and the text of a wiki-link written without any) cannot be known yet.
//! `markdown` writes a numbered placeholder in their place and `links` fills it in; both go
//! through this module, so the encoding has one owner.
//!
//! The markers are characters from Unicode's private use area, which no author types: U+E000
//! around the number in an `href` (the HTML writer percent-encodes it as `%EE%80%80`) and U+E001
//! around it in text.

const HREF_RAW: char = '\u{E000}';
/// `HREF_RAW` as pulldown-cmark's HTML writer percent-encodes it inside an `href`.
const HREF: &str = "%EE%80%80";
const TEXT: char = '\u{E001}';

/// The destination written for link number `n`; the HTML writer turns it into `href(n)`.
pub(crate) fn href_raw(n: usize) -> String {
    format!("{HREF_RAW}{n}{HREF_RAW}")
}

/// How link `n`'s placeholder appears in a rendered `href`.
#[cfg(test)]
pub(crate) fn href(n: usize) -> String {
    format!("{HREF}{n}{HREF}")
}

/// The text written for wiki-link number `n`, replaced by its target's title.
pub(crate) fn text(n: usize) -> String {
    format!("{TEXT}{n}{TEXT}")
}

/// Which placeholder was found: the link's number, in an `href` or in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    Href(usize),
    Text(usize),
}

/// `html` with every placeholder replaced by what `fill` gives for it (already escaped by the
/// caller). A placeholder `fill` has nothing for, or a lone marker, is left as it is.
pub(crate) fn fill(html: &str, mut fill: impl FnMut(Slot) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        let next_href = rest.find(HREF);
        let next_text = rest.find(TEXT);
        let (pos, is_href) = match (next_href, next_text) {
            (Some(h), Some(t)) if t < h => (t, false),
            (Some(h), _) => (h, true),
            (None, Some(t)) => (t, false),
            (None, None) => break,
        };
        out.push_str(&rest[..pos]);
        let marker_len = if is_href { HREF.len() } else { TEXT.len_utf8() };
        let after = &rest[pos + marker_len..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        let closed = if is_href {
            after[digits..].starts_with(HREF)
        } else {
            after[digits..].starts_with(TEXT)
        };
        let slot = after[..digits].parse().ok().filter(|_| closed).map(|n| {
            if is_href {
                Slot::Href(n)
            } else {
                Slot::Text(n)
            }
        });
        match slot.and_then(&mut fill) {
            Some(replacement) => {
                out.push_str(&replacement);
                rest = &after[digits + marker_len..];
            }
            None => {
                out.push_str(&rest[pos..pos + marker_len]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str, expect: &str) {
        let filled = fill(html, |slot| match slot {
            Slot::Href(0) => Some("/a/".into()),
            Slot::Text(1) => Some("Title".into()),
            _ => None,
        });
        assert_eq!(filled, expect, "{html:?}");
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        check(
            &format!("<a href=\"{}\">{}</a>", href(0), text(1)),
            "<a href=\"/a/\">Title</a>",
        );
        check(&format!("x{}y", href(7)), &format!("x{}y", href(7)));
        check(
            "lone \u{E001} marker %EE%80%80",
            "lone \u{E001} marker %EE%80%80",
        );
        check("", "");
    }
}
