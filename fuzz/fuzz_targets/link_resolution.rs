//! Link resolution over a small site whose files come from the fuzzer: assembling, resolving
//! every link and reference, and rendering never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use opsbook::markdown::RenderOptions;
use opsbook::source::Source;
use std::sync::Arc;

const PATHS: &[&str] = &["incidents/a.md", "teams/pay.md", "templates/incident-review.md", "guides/b c.md", "_index.md"];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let docs: Vec<_> = text
        .split("\u{1e}")
        .zip(PATHS)
        .filter_map(|(body, path)| {
            let source = Source { rel_path: (*path).into(), text: body.replace('\0', "").into() };
            opsbook::document::parse_document(&source, RenderOptions::PLAIN).ok().map(Arc::new)
        })
        .collect();
    let today = time::Date::from_calendar_date(2026, time::Month::June, 1).expect("a date");
    let (site, _) = opsbook::site::assemble(docs, opsbook::config::Config::default(), today, opsbook::Drafts::Include);
    let (graph, _) = opsbook::links::build_graph(&site, &["img/a.png".to_string()]);
    for i in site.ids() {
        let _ = graph.fill_html(&site, i, "/base");
    }
    let theme = opsbook::theme::Theme::load(std::path::Path::new("/nonexistent"), "default").expect("built-in theme");
    let _ = opsbook::render::render_site(opsbook::render::Inputs { site: &site, graph: &graph, theme: &theme, assets: &[], history: &Default::default() });
});
