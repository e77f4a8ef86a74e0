//! opsbook's own search index in a real browser (phase A, before it replaces Pagefind in
//! `build` and `serve`): the example handbook fixture is built without Pagefind, indexed with
//! `search_index::build` from its parsed documents, served as static files on 127.0.0.1, and
//! `tests/browser/own-search.mjs` searches it with Debian's chromium.

#[path = "it/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::path::{Path, PathBuf};
use std::process::Command;

use opsbook::search_index::{self, FacetDef, IndexOptions, SearchDoc, SearchSection};
use opsbook::{BuildOptions, ParseCache, Search};

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn tools_ready() -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node = Command::new("node").arg("--version").output().is_ok();
    let playwright = browser_dir().join("node_modules/playwright-core").exists();
    if Path::new(&chromium).exists() && node && playwright {
        return true;
    }
    let message = format!(
        "browser test tools missing (chromium {chromium}: {}, node: {node}, playwright-core: {playwright})",
        Path::new(&chromium).exists()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    eprintln!("SKIPPED: {message}");
    false
}

/// The site's documents as the index takes them (phase B moves this into the build).
fn search_docs(root: &Path) -> (Vec<SearchDoc>, IndexOptions) {
    let validated = opsbook::validate_site(&BuildOptions::new(root), &mut ParseCache::off())
        .unwrap_or_else(|e| panic!("{e}"));
    let site = &validated.site;
    let options = IndexOptions {
        language: site.config.language.clone(),
        facets: opsbook::search::FACETS
            .iter()
            .map(|&(name, label)| FacetDef {
                name: name.into(),
                label: label.into(),
                value_labels: if name == "team" {
                    site.teams
                        .values()
                        .map(|t| (t.id.clone(), t.name.clone()))
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect(),
    };
    let docs = (0..site.records.len())
        .map(|i| {
            let record = &site.records[i];
            let doc = &record.doc;
            SearchDoc {
                url: doc.url.clone(),
                title: doc.title.clone(),
                kind: opsbook::search::kind_label(site, i),
                date: doc.date.map(|d| d.to_string()),
                id: doc.explicit_id.then(|| doc.id.clone()),
                severity: opsbook::archive::string_field(record, "severity").map(str::to_string),
                facets: opsbook::search::facets(site, i)
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                sections: doc
                    .markdown
                    .sections()
                    .into_iter()
                    .map(|(h, text)| SearchSection {
                        heading: h.map(|h| h.text.clone()).unwrap_or_default(),
                        anchor: h.map(|h| h.id.clone()).unwrap_or_default(),
                        text: text.to_string(),
                    })
                    .collect(),
            }
        })
        .collect();
    (docs, options)
}

/// Serves `root` on 127.0.0.1 (a static host: files only, `dir/` -> `dir/index.html`).
fn serve(root: PathBuf) -> u16 {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .expect("port");
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = request.url().split('?').next().unwrap_or("/").to_string();
            let mut file = root.join(path.trim_start_matches('/'));
            if path.ends_with('/') {
                file = file.join("index.html");
            }
            let response = match (path.contains(".."), std::fs::read(&file)) {
                (false, Ok(bytes)) => {
                    let kind = match file.extension().and_then(|e| e.to_str()) {
                        Some("html") => "text/html; charset=utf-8",
                        Some("js") => "text/javascript",
                        Some("css") => "text/css",
                        Some("json") => "application/json",
                        Some("svg") => "image/svg+xml",
                        _ => "application/octet-stream",
                    };
                    tiny_http::Response::from_data(bytes).with_header(
                        tiny_http::Header::from_bytes("Content-Type", kind).expect("header"),
                    )
                }
                _ => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    port
}

#[test]
fn own_index_finds_filters_restores_and_fails_clearly() {
    if !tools_ready() {
        return;
    }
    let site = harness::TestSite::fixture("basic");
    let out = tempfile::tempdir().expect("temp dir");
    let site_dir = out.path().join("site");
    let mut options = BuildOptions::new(site.root());
    options.search = Search::Skip;
    opsbook::build_to(&options, &site_dir).unwrap_or_else(|e| panic!("{e}"));
    let (docs, index_options) = search_docs(site.root());
    for (path, bytes) in search_index::build(docs, &index_options) {
        let file = site_dir.join(&path);
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(file, bytes).expect("write");
    }
    let port = serve(site_dir);
    let output = Command::new("node")
        .arg(browser_dir().join("own-search.mjs"))
        .arg(format!("http://127.0.0.1:{port}"))
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "own-search.mjs failed\n{stdout}\n{stderr}"
    );
    eprint!("{stdout}");
}
