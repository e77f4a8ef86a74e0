//! The preview server over real HTTP on 127.0.0.1: pages, types, redirects, traversal refused,
//! edits and errors reaching the browser, and incremental builds equal to full ones.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::TestSite;
use crate::server::Server;

#[test]
fn pages_are_served_with_the_right_types_and_redirects() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let (status, head, body) = server.get("/incidents/2026-03-db-failover/");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8")
            && head.contains("Cache-Control: no-cache"),
        "{head}"
    );
    assert!(
        body.contains("Database failover stalled") && body.contains("/__opsbook/reload.js"),
        "the page carries the reload client"
    );

    let (status, head, _) = server.get("/style.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"));
    let (status, head, _) = server.get("/incidents/2026-03-db-failover");
    assert_eq!(status, 301);
    assert!(
        head.contains("Location: /incidents/2026-03-db-failover/"),
        "{head}"
    );
    let (status, _, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the site's own 404 page");
    let (status, head, body) =
        server.raw("HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 200);
    assert!(body.is_empty() && head.contains("Content-Length"), "{head}");
    let (status, _, _) =
        server.raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 405);
}

#[test]
fn no_request_path_reads_outside_the_site() {
    let site = TestSite::fixture("basic");
    site.write(
        "opsbook.toml",
        "title = \"Fixture\"\n# SECRET-CONFIG-TOKEN\n",
    );
    let server = Server::start(&site);
    let root = site.root().display().to_string();
    for path in [
        "/../opsbook.toml",
        "/%2e%2e/opsbook.toml",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/..%2fopsbook.toml",
        "/incidents/..%2f..%2fopsbook.toml",
        "/..\\opsbook.toml",
        "/%5c..%5copsbook.toml",
        "//etc/passwd",
        &format!("/{root}/opsbook.toml"),
        "/content/incidents/2026-03-db-failover.md",
        "/%00",
        "/%c0%ae%c0%ae/opsbook.toml",
    ] {
        let (status, _, body) = server.get(path);
        assert_ne!(status, 200, "{path} must not be served");
        assert!(
            !body.contains("SECRET-CONFIG-TOKEN") && !body.contains("root:x:0"),
            "{path} leaked a file"
        );
    }
}

#[test]
fn an_edit_shows_up_and_broken_content_keeps_the_server_up_with_errors() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let page = "/incidents/2026-05-cache/";
    let file = "content/incidents/2026-05-cache.md";
    let original = std::fs::read_to_string(site.root().join(file)).unwrap();

    site.write(
        file,
        &original.replace("Caches emptied.", "Caches emptied. EDIT-TOKEN-1."),
    );
    server.wait_for(page, "EDIT-TOKEN-1");

    // Break it: the last good page stays, and the reload endpoint reports the error.
    let before = server.build_number();
    site.write(
        file,
        &original.replace("severity = \"sev3\"", "severity = \"sev9\""),
    );
    let (status, _, body) = server.get(&format!("/__opsbook/reload?build={before}&page={page}"));
    assert_eq!(
        status, 200,
        "the long poll answers when the failed build is done"
    );
    let news: serde_json::Value = serde_json::from_str(&body).unwrap();
    let errors = news["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(
        errors[0]["location"],
        "content/incidents/2026-05-cache.md:5:12"
    );
    assert!(errors[0]["message"].as_str().unwrap().contains("sev9"));
    assert_eq!(news["reload"], false);
    let (status, _, body) = server.get(page);
    assert_eq!(status, 200);
    assert!(
        body.contains("EDIT-TOKEN-1"),
        "the last good build is still served"
    );

    // Fix it: errors clear and the page reloads with the new text.
    let broken = server.build_number();
    site.write(
        file,
        &original.replace("Caches emptied.", "Caches emptied. EDIT-TOKEN-2."),
    );
    let (_, _, body) = server.get(&format!("/__opsbook/reload?build={broken}&page={page}"));
    let news: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(news["errors"].as_array().unwrap().len(), 0, "{body}");
    assert_eq!(news["reload"], true, "the edited page must reload");
    server.wait_for(page, "EDIT-TOKEN-2");
}

#[test]
fn a_page_that_did_not_change_is_not_told_to_reload() {
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let before = server.build_number();
    // Both pages are open in a browser, loaded at this build.
    for page in ["/teams/payments/", "/guides/plain/"] {
        assert_eq!(server.get(page).0, 200, "{page}");
    }
    site.write(
        "content/guides/plain.md",
        "# Plain markdown page\n\nChanged text.\n",
    );
    let (_, _, body) = server.get(&format!(
        "/__opsbook/reload?build={before}&page=/teams/payments/"
    ));
    let news: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(news["reload"], false, "{body}");
    let (_, _, body) = server.get(&format!(
        "/__opsbook/reload?build={before}&page=/guides/plain/"
    ));
    let news: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(news["reload"], true, "{body}");
}

#[test]
fn a_busy_port_moves_to_the_next_free_one() {
    let site = TestSite::fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut buf = [0u8; 256];
    while !seen.contains("Serving") && Instant::now() < deadline {
        match stderr.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.contains(&format!("port {port} is in use")), "{seen}");
}

/// An incremental rebuild (parse cache warm, one file edited) writes exactly what a full build does.
#[test]
fn incremental_build_equals_full_build() {
    let site = TestSite::fixture("basic");
    let options = opsbook::BuildOptions::new(site.root());
    let mut cache = opsbook::ParseCache::default();
    opsbook::validate_site(&options, &mut cache).unwrap();
    let file = "content/incidents/2026-05-cache.md";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    site.write(
        file,
        &text.replace(
            "Caches emptied.",
            "Caches emptied, then refilled. See [[INC-2026-001]].",
        ),
    );
    site.write(
        "content/guides/new.md",
        "# A new guide\n\nLinks to [[teams/payments]].\n",
    );
    let incremental = opsbook::validate_site(&options, &mut cache)
        .unwrap()
        .render_to_memory()
        .unwrap();
    let full = opsbook::validate_site(&options, &mut opsbook::ParseCache::off())
        .unwrap()
        .render_to_memory()
        .unwrap();
    assert!(
        incremental == full,
        "incremental output differs from a full build"
    );
    assert!(
        String::from_utf8_lossy(incremental.get("teams/payments/index.html").unwrap())
            .contains("A new guide"),
        "backlinks updated"
    );
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Hundreds of concurrent connections, malformed requests and slow clients: the server keeps
/// answering, never serves outside its folder, and its memory stays flat.
#[test]
fn the_server_survives_a_flood_of_bad_and_slow_requests() {
    use std::io::Write;
    use std::net::TcpStream;
    let site = TestSite::fixture("basic");
    let server = Server::start(&site);
    let port = server.port;
    let before = rss_kb(server.pid());
    let bad: Vec<String> = vec![
        "BREW / HTTP/1.1\r\nHost: x\r\n\r\n".into(),
        "GET /%zz%/ HTTP/1.1\r\nHost: x\r\n\r\n".into(),
        "GET /..%2f..%2fetc/passwd HTTP/1.1\r\nHost: x\r\n\r\n".into(),
        "GET http://evil/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n".into(),
        format!(
            "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
            "a".repeat(64 * 1024)
        ),
        "\r\n\r\n\r\n".into(),
        "GET / HTTP/9.9\r\n\r\n".into(),
        "GET /\u{0}/ HTTP/1.1\r\nHost: x\r\n\r\n".into(),
    ];
    // Slow clients: half a request, then silence, held open through the flood.
    let slow: Vec<TcpStream> = (0..20)
        .filter_map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
            s.write_all(b"GET / HTTP/1.1\r\nHost: slo").ok()?;
            Some(s)
        })
        .collect();
    for round in 0..3 {
        let handles: Vec<_> = (0..200)
            .map(|n| {
                let request = bad[n % bad.len()].clone();
                std::thread::spawn(move || {
                    if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
                        s.set_read_timeout(Some(Duration::from_secs(10))).ok();
                        let _ = s.write_all(request.as_bytes());
                        let mut buf = Vec::new();
                        let _ = s.read_to_end(&mut buf);
                        let text = String::from_utf8_lossy(&buf).into_owned();
                        assert!(!text.contains("root:x:0"), "served /etc/passwd");
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().expect("client thread");
        }
        let (status, _, body) = server.get("/incidents/2026-03-db-failover/");
        assert_eq!(status, 200, "round {round}: the server stopped answering");
        assert!(body.contains("Database failover stalled"));
    }
    drop(slow);
    let after = rss_kb(server.pid());
    assert!(
        after < before + 64 * 1024,
        "memory grew from {before} KB to {after} KB"
    );
}

/// Regression: a review fresh from `opsbook new` answered HTTP 500 on every URL in `serve`,
/// because its empty required fields and sections were errors there (and warnings in `check`).
#[test]
fn a_new_draft_previews_with_its_banner_and_no_errors() {
    let hb = TestSite::empty();
    let init = crate::harness::run({
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_opsbook"));
        cmd.arg("init").arg(hb.root());
        cmd
    });
    init.assert_success();
    let created = hb.run(&["new", "incident-review", "Login API timed out"]);
    created.assert_success();
    let rel = created.stdout.trim().to_string();
    let url = format!(
        "/{}/",
        rel.trim_start_matches("content/").trim_end_matches(".md")
    );

    let server = Server::start(&hb);
    let (status, _, body) = server.get(&url);
    assert_eq!(status, 200, "{url}: {body}");
    assert!(
        body.contains("Login API timed out") && body.contains("class=\"draft-banner\""),
        "the draft shows with its banner"
    );
    let (status, _, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        home.contains("Login API timed out"),
        "listed in the preview"
    );
    // What the page's reload client asks: no errors, so no overlay.
    let (status, _, news) = server.get("/__opsbook/reload?build=0&page=/&now=1");
    assert_eq!(status, 200);
    let news: serde_json::Value = serde_json::from_str(&news).expect("JSON");
    assert_eq!(news["errors"], serde_json::json!([]), "{news}");
    assert_eq!(news["served"], true);

    // A published build still leaves it out, and `check` names what it lacks.
    hb.build().assert_success();
    assert!(!hb.out().join(url.trim_start_matches('/')).exists());
}
