//! The markdown-to-page stage: any file parses into a document or a located diagnostic, with
//! every option combination, and never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use opsbook::config::RawHtml;
use opsbook::markdown::RenderOptions;
use opsbook::source::Source;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Ok(text) = opsbook::source::decode("content/x.md", rest.to_vec()) else { return };
    let raw_html = match flags % 3 {
        0 => RawHtml::Allow,
        1 => RawHtml::Sanitize,
        _ => RawHtml::Escape,
    };
    let options = RenderOptions { highlight: flags & 4 != 0, raw_html };
    let source = Source { rel_path: "incidents/x.md".into(), text: text.into() };
    if let Ok(doc) = opsbook::document::parse_document(&source, options) {
        for link in &doc.markdown.links {
            assert!(link.offset <= source.text.len());
        }
    }
});
