//! Placeholders in a document's HTML for what the markdown stage cannot finish. Markdown is
//! rendered before the link graph exists, so the `href` of a link to another document (and the
//! text of a wiki-link written without any) is not known yet; and highlighting code is the
//! costliest part of a page, so it waits until the page is rendered (the preview server renders
//! only the pages people open). `markdown` writes a numbered placeholder in their place and
//! `links::LinkGraph::fill_html` fills them in; both go through this module, so the encoding has
//! one owner.
//!
//! The markers are characters from Unicode's private use area, which no author types: U+E000
//! around the number in an `href` (the HTML writer percent-encodes it as `%EE%80%80`), U+E001
//! around it in text and U+E002 around a code block's.

const HREF_RAW: char = '\u{E000}';
/// `HREF_RAW` as pulldown-cmark's HTML writer percent-encodes it inside an `href`.
const HREF: &str = "%EE%80%80";
const TEXT: &str = "\u{E001}";
const CODE: &str = "\u{E002}";

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

/// The HTML written for code block number `n`, replaced by the highlighted block.
pub(crate) fn code(n: usize) -> String {
    format!("{CODE}{n}{CODE}")
}

/// Which placeholder was found: a link's number, in an `href` or in text, or a code block's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    Href(usize),
    Text(usize),
    Code(usize),
}

/// `html` with every placeholder replaced by what `fill` gives for it (already escaped by the
/// caller). A placeholder `fill` has nothing for, or a lone marker, is left as it is.
pub(crate) fn fill(html: &str, mut fill: impl FnMut(Slot) -> Option<String>) -> String {
    type Kind = (&'static str, fn(usize) -> Slot);
    let kinds: [Kind; 3] = [(HREF, Slot::Href), (TEXT, Slot::Text), (CODE, Slot::Code)];
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    // The nearest marker of any kind, again after each one.
    while let Some((pos, marker, make)) = kinds
        .iter()
        .filter_map(|&(marker, make)| Some((rest.find(marker)?, marker, make)))
        .min_by_key(|(pos, _, _)| *pos)
    {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + marker.len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        let closed = after[digits..].starts_with(marker);
        let slot = after[..digits].parse().ok().filter(|_| closed).map(make);
        match slot.and_then(&mut fill) {
            Some(replacement) => {
                out.push_str(&replacement);
                rest = &after[digits + marker.len()..];
            }
            None => {
                out.push_str(marker);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `html` holds any placeholder, so that filling it could change it.
pub(crate) fn any(html: &str) -> bool {
    html.contains(HREF) || html.contains(TEXT) || html.contains(CODE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str, expect: &str) {
        let filled = fill(html, |slot| match slot {
            Slot::Href(0) => Some("/a/".into()),
            Slot::Text(1) => Some("Title".into()),
            Slot::Code(0) => Some("<pre>x</pre>".into()),
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
        check(
            &format!("<p>a</p>{}<p>b</p>", code(0)),
            "<p>a</p><pre>x</pre><p>b</p>",
        );
        check(&format!("x{}y", href(7)), &format!("x{}y", href(7)));
        check(&format!("x{}y", code(3)), &format!("x{}y", code(3)));
        check(
            "lone \u{E001} marker %EE%80%80",
            "lone \u{E001} marker %EE%80%80",
        );
        check("", "");
        assert!(any(&code(2)) && any(&text(0)) && !any("<p>plain</p>"));
    }
}
