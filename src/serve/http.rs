//! The HTTP side of `serve`, on tiny_http: files of the last good build, rendered in memory on
//! request (so no request can read the disk), the live-reload client, and the long-poll
//! endpoint it calls. Live reload uses long-polling on the same port: tiny_http buffers
//! streamed bodies, so Server-Sent Events would arrive only when the stream ends.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

use super::Shared;
use crate::diagnostic::Diagnostic;
use crate::error::Error;

const RELOAD_JS: &str = include_str!("reload.js");
/// How long a long-poll request waits for a new build before answering 204.
const POLL_WAIT: Duration = Duration::from_secs(25);
/// Ports tried after the requested one when it is busy.
const PORT_ATTEMPTS: u16 = 10;

/// Binds `ip:port`, or the next free port after it, and says which it took.
pub fn bind(ip: IpAddr, port: u16) -> Result<(Server, u16), Error> {
    let mut last_err = String::new();
    for candidate in port..port.saturating_add(PORT_ATTEMPTS) {
        match Server::http((ip, candidate)) {
            Ok(server) => {
                if candidate != port {
                    eprintln!("port {port} is in use; serving on port {candidate} instead");
                }
                let actual = server.server_addr().to_ip().map_or(candidate, |a| a.port());
                return Ok((server, actual));
            }
            Err(e) => last_err = e.to_string(),
        }
        if port == 0 {
            break;
        }
    }
    Err(Error::Output(format!(
        "cannot listen on {ip}:{port} (or the {} ports after it): {last_err}; pass --port to choose another",
        PORT_ATTEMPTS - 1
    )))
}

/// Answers requests until the server stops. Each request gets its own thread: long-poll requests
/// wait for minutes, and a browser opens a dozen connections at once.
pub fn run(server: Server, shared: Arc<Shared>) {
    for request in server.incoming_requests() {
        let shared = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("opsbook-http".into())
            .spawn(move || handle(request, &shared));
        if let Err(e) = spawned {
            eprintln!("cannot start a request thread: {e}");
        }
    }
}

fn handle(request: Request, shared: &Shared) {
    let response = respond(&request, shared);
    let _ = request.respond(response);
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn respond(request: &Request, shared: &Shared) -> Reply {
    let head = match request.method() {
        Method::Get => false,
        Method::Head => true,
        _ => return text(405, "method not allowed\n").with_header(header("Allow", "GET, HEAD")),
    };
    let url = request.url();
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let reply = match path {
        "/__opsbook/reload.js" => with_type(
            Response::from_data(RELOAD_JS.as_bytes().to_vec()),
            "text/javascript; charset=utf-8",
        ),
        "/__opsbook/reload" => long_poll(query, shared),
        _ => static_file(path, shared),
    };
    let reply = reply.with_header(header("Cache-Control", "no-cache"));
    if head {
        let status = reply.status_code();
        let headers = reply.headers().to_vec();
        let length = reply.data_length();
        let mut empty = Response::from_data(Vec::new()).with_status_code(status);
        for h in headers {
            empty.add_header(h);
        }
        if let Some(len) = length {
            empty.add_header(header("Content-Length", &len.to_string()));
        }
        return empty;
    }
    reply
}

/// Maps a request path to an output file. Anything that could climb out of the site (`..`,
/// encoded slashes or dots, backslashes, NUL) is refused before any lookup.
pub(crate) fn resolve_path(path: &str) -> Result<String, u16> {
    let decoded = percent_decode(path).ok_or(400u16)?;
    if decoded.contains('\\') || decoded.contains('\0') || !decoded.starts_with('/') {
        return Err(400);
    }
    // An encoded `/` (`%2f`) would otherwise hide a segment boundary from the check below.
    if path.to_ascii_lowercase().contains("%2f") || path.to_ascii_lowercase().contains("%5c") {
        return Err(400);
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Err(400),
            s => parts.push(s),
        }
    }
    Ok(parts.join("/"))
}

/// The output path a request path names, with the site's `base_url` path removed.
enum Target {
    Key(String),
    /// The site root without the base path: redirect there.
    ToBase,
    /// Outside the base path.
    Outside,
}

fn target(path: &str, base_path: &str) -> Result<Target, u16> {
    let key = resolve_path(path)?;
    // The site lives under the path of `base_url`, as it will when published.
    let base = base_path.trim_start_matches('/');
    Ok(if base.is_empty() {
        Target::Key(key)
    } else if key == base || key.starts_with(&format!("{base}/")) {
        Target::Key(key[base.len()..].trim_start_matches('/').to_string())
    } else if key.is_empty() {
        Target::ToBase
    } else {
        Target::Outside
    })
}

/// The output file a page URL shows: `x/` and `x` -> `x/index.html` (when that exists).
fn page_file(key: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
    if key.is_empty() {
        return Some("index.html".into());
    }
    [key.to_string(), format!("{key}/index.html")]
        .into_iter()
        .find(|candidate| exists(candidate))
}

fn static_file(path: &str, shared: &Shared) -> Reply {
    let key = match target(path, &shared.base_path) {
        Ok(Target::Key(key)) => key,
        Ok(Target::ToBase) => {
            return text(302, "moved\n")
                .with_header(header("Location", &format!("{}/", shared.base_path)));
        }
        Ok(Target::Outside) => {
            return text(
                404,
                "not found: this site is served under its base_url path\n",
            );
        }
        Err(code) => return text(code, "bad request path\n"),
    };
    let state = shared.lock();
    let build = state.build;
    let Some(site) = state.site.clone() else {
        let errors = state.errors.clone();
        drop(state);
        return error_page(&errors, build);
    };
    drop(state);
    if key.starts_with(&format!("{}/", crate::search_index::INDEX_DIR)) {
        let answer = super::search::lock(&shared.search).file(&key);
        return match answer {
            super::search::Answer::File(bytes) => file_response(&key, &bytes, build, 200),
            super::search::Answer::NotFound => text(404, "not found\n"),
            super::search::Answer::NotReady => text(503, "the search index is still being made\n")
                .with_header(header("Retry-After", "1")),
        };
    }
    let exists = |file: &str| site.validated.plan().contains(file);
    let Some(file) = page_file(&key, exists) else {
        return match site.file("404.html") {
            Some(Ok(bytes)) => file_response("404.html", &bytes, build, 404),
            _ => text(404, "not found\n"),
        };
    };
    if file != key && !key.is_empty() && !path.ends_with('/') {
        // `/incidents/x` -> `/incidents/x/`, so relative links on the page resolve.
        return text(301, "moved\n").with_header(header("Location", &format!("{path}/")));
    }
    let bytes = match site.file(&file) {
        Some(Ok(bytes)) => bytes,
        Some(Err(e)) => {
            return error_page(&[Diagnostic::error("opsbook", e.to_string())], build);
        }
        None => return text(404, "not found\n"),
    };
    if content_type(&file).starts_with("text/html") {
        shared.lock().remember(&file, Some(&bytes));
    }
    file_response(&file, &bytes, build, 200)
}

fn file_response(name: &str, bytes: &[u8], build: u64, status: u16) -> Reply {
    let ty = content_type(name);
    let body = if ty.starts_with("text/html") {
        inject_client(bytes, build)
    } else {
        bytes.to_vec()
    };
    with_type(Response::from_data(body), ty).with_status_code(StatusCode(status))
}

/// Adds the live-reload client to an HTML page.
fn inject_client(html: &[u8], build: u64) -> Vec<u8> {
    let tag =
        format!("<script src=\"/__opsbook/reload.js\" data-build=\"{build}\" defer></script>");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

/// `GET /__opsbook/reload?build=N&page=/x/`: answers as soon as a build newer than N exists
/// (or after `POLL_WAIT` with 204), saying whether the page changed and what errors there are.
fn long_poll(query: &str, shared: &Shared) -> Reply {
    let param = |name: &str| {
        query.split('&').find_map(|kv| {
            kv.split_once('=')
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| percent_decode(v).unwrap_or_default())
        })
    };
    let since: u64 = param("build").and_then(|b| b.parse().ok()).unwrap_or(0);
    let page = param("page").unwrap_or_else(|| "/".into());
    // `now=1`: the page has just loaded and wants the current state without waiting.
    let now = param("now").is_some_and(|v| v == "1");
    let deadline = Instant::now() + POLL_WAIT;
    let mut state = shared.lock();
    while state.build <= since && !now {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Response::from_data(Vec::new()).with_status_code(StatusCode(204));
        }
        state = shared
            .rebuilt
            .wait_timeout(state, left)
            .map(|(s, _)| s)
            .unwrap_or_else(|p| p.into_inner().0);
    }
    let build = state.build;
    let site = state.site.clone();
    let failed = !state.errors.is_empty();
    drop(state);
    // Render the page as it is now, outside the lock: other requests go on meanwhile.
    let (file, now_bytes) = match (target(&page, &shared.base_path), &site) {
        (Ok(Target::Key(key)), Some(site)) => {
            let file = page_file(&key, |f| site.validated.plan().contains(f))
                .unwrap_or_else(|| format!("{key}/index.html"));
            let bytes = site.file(&file).and_then(Result::ok);
            (file, bytes)
        }
        _ => ("*".to_string(), None),
    };
    let mut state = shared.lock();
    // A build that finished meanwhile may have changed the page again: reload to be safe.
    let reload = since > 0
        && state.errors.is_empty()
        && (state.build != build
            || state.changed_since(since, &file, now_bytes.as_deref().map(Vec::as_slice)));
    if !failed && state.build == build {
        state.remember(&file, now_bytes.as_deref().map(Vec::as_slice));
    }
    let body = serde_json::json!({
        "build": state.build,
        "reload": reload,
        // Whether a build ever succeeded: without one there is no "last good version" to show.
        "served": state.site.is_some(),
        "errors": state.errors.iter().map(diagnostic_json).collect::<Vec<_>>(),
    });
    with_type(
        Response::from_data(body.to_string().into_bytes()),
        "application/json",
    )
}

fn diagnostic_json(d: &Diagnostic) -> serde_json::Value {
    serde_json::json!({
        "location": d.location(),
        "severity": d.severity,
        "message": d.message,
        "source": d.source_line,
        "line": d.line,
        "column": d.column,
        "suggestion": d.suggestion,
    })
}

/// Shown for every URL while no build has succeeded yet.
fn error_page(errors: &[Diagnostic], build: u64) -> Reply {
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed · opsbook</title></head><body><main><h1>The handbook does not build yet</h1><p>Fix these and the page reloads by itself.</p><pre>",
    );
    for d in errors {
        html.push_str(&crate::html::escape(&d.render(false)));
    }
    html.push_str("</pre></main></body></html>");
    let body = inject_client(html.as_bytes(), build);
    with_type(Response::from_data(body), "text/html; charset=utf-8")
        .with_status_code(StatusCode(500))
}

pub(crate) fn content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|_| Header::from_bytes("X-Invalid", "1").expect("static header"))
}

fn with_type(response: Reply, ty: &str) -> Reply {
    response.with_header(header("Content-Type", ty))
}

fn text(status: u16, body: &str) -> Reply {
    with_type(
        Response::from_data(body.as_bytes().to_vec()),
        "text/plain; charset=utf-8",
    )
    .with_status_code(StatusCode(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_in_any_encoding_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/..%2fetc",
            "/a%5c..%5cb",
            "/a\\..\\b",
            "/%00",
            "/%zz",
            "/./a",
            "/%c0%ae%c0%ae/",
        ] {
            assert!(resolve_path(bad).is_err(), "{bad} must be refused");
        }
    }

    #[test]
    fn ordinary_paths_map_to_output_keys() {
        assert_eq!(resolve_path("/").unwrap(), "");
        assert_eq!(resolve_path("/incidents/x/").unwrap(), "incidents/x");
        assert_eq!(resolve_path("/style.css").unwrap(), "style.css");
        assert_eq!(resolve_path("/a%20b/").unwrap(), "a b");
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.wasm"), "application/wasm");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
    }
}
