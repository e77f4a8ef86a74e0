//! `opsbook serve`: validate, serve the last good build from memory (each page rendered when
//! first asked for), watch the sources, rebuild on change and tell open pages to reload. Three kinds of thread share one `Shared` value
//! (passed as an `Arc`, never a global): the HTTP loop, one thread per long-poll request, and
//! the builder, which the watcher wakes.

mod http;
mod search;
mod watch;

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::{BuildOptions, Drafts, ParseCache, Search};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: Drafts,
    pub open: bool,
    pub quiet: bool,
    /// Print each rebuild's stage timings.
    pub verbose: bool,
    pub color: bool,
}

/// The last good build, kept in memory and rendered page by page as browsers ask for pages:
/// after an edit only the pages someone is looking at are rendered again, so a rebuild costs
/// about the same at 10,000 pages as at 100.
pub(crate) struct LiveSite {
    /// Shared with the parse cache, which starts the next rebuild from it.
    pub validated: Arc<crate::Validated>,
    /// Files rendered so far in this build.
    rendered: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    /// Hash of the stylesheets and scripts: when they change, every page looks different.
    pub styles: u64,
}

impl LiveSite {
    fn new(validated: Arc<crate::Validated>) -> LiveSite {
        let mut live = LiveSite {
            validated,
            rendered: Mutex::new(HashMap::new()),
            styles: 0,
        };
        let styled: Vec<String> = live
            .validated
            .plan()
            .paths()
            .filter(|p| p.ends_with(".css") || p.ends_with(".js"))
            .map(str::to_string)
            .collect();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for path in styled {
            if let Some(Ok(bytes)) = live.file(&path) {
                std::hash::Hash::hash(&(path, bytes.as_slice()), &mut hasher);
            }
        }
        live.styles = std::hash::Hasher::finish(&hasher);
        live
    }

    /// The bytes of output file `path`, rendered on first request; `None` if there is none.
    pub fn file(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, Error>> {
        let lock = || self.rendered.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(bytes) = lock().get(path) {
            return Some(Ok(Arc::clone(bytes)));
        }
        let bytes = match self.validated.render(path)? {
            Ok(bytes) => Arc::new(bytes),
            Err(e) => return Some(Err(e)),
        };
        lock().insert(path.to_string(), Arc::clone(&bytes));
        Some(Ok(bytes))
    }
}

/// What the server knows about the latest build.
pub(crate) struct State {
    /// Increases with every rebuild, failed or not.
    pub build: u64,
    /// The last good build; `None` until a build has succeeded.
    pub site: Option<Arc<LiveSite>>,
    /// Errors of the latest build; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
    /// Per output path, the hash of the bytes a browser was given, by build number: what
    /// tells whether a page open since build N looks different now.
    pub sent: HashMap<String, Vec<(u64, u64)>>,
    /// The stylesheet hash of the site served at each recent build.
    pub styles: Vec<(u64, u64)>,
}

/// Builds remembered per page and for styles; a page open for longer reloads on any change.
const REMEMBERED_BUILDS: usize = 16;

impl State {
    /// Notes that `page` was served (or checked) at the current build with these bytes.
    pub fn remember(&mut self, page: &str, bytes: Option<&[u8]>) {
        let build = self.build;
        let seen = self.sent.entry(page.to_string()).or_default();
        seen.retain(|(b, _)| *b != build);
        seen.push((build, bytes.map_or(0, content_hash)));
        let excess = seen.len().saturating_sub(REMEMBERED_BUILDS);
        seen.drain(..excess);
    }

    /// Whether `page`, open in a browser since build `since`, now looks different: its bytes
    /// (`now`) or the site's styles changed, or `since` is too old to tell.
    pub fn changed_since(&self, since: u64, page: &str, now: Option<&[u8]>) -> bool {
        let styles_then = self.styles.iter().find(|(b, _)| *b == since);
        let styles_now = self.site.as_ref().map(|s| s.styles);
        if styles_then.map(|(_, h)| *h) != styles_now {
            return true;
        }
        let then = self
            .sent
            .get(page)
            .and_then(|seen| seen.iter().find(|(b, _)| *b == since));
        then.map(|(_, h)| *h) != Some(now.map_or(0, content_hash))
    }
}

fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

pub(crate) struct Shared {
    pub state: Mutex<State>,
    /// The search index, updated with every good build (its own lock: answering an index file
    /// may encode it, which must not hold up page requests).
    pub search: Arc<Mutex<search::LiveSearch>>,
    pub rebuilt: Condvar,
    pub options: ServeOptions,
    /// Path of `base_url` (`""` or `/handbook`), read once at start.
    pub base_path: String,
}

impl Shared {
    pub fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panicking request thread must not take the server down with it.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Runs the preview server until the process is stopped.
pub fn serve(options: ServeOptions) -> Result<(), Error> {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            build: 0,
            site: None,
            errors: Vec::new(),
            sent: HashMap::new(),
            styles: Vec::new(),
        }),
        search: Arc::default(),
        rebuilt: Condvar::new(),
        options: options.clone(),
        base_path: crate::source::load_config(&options.root)
            .map(|c| c.base_path())
            .unwrap_or_default(),
    });
    let mut cache = ParseCache::default();
    rebuild(&shared, &mut cache, None);

    let (server, port) = http::bind(options.bind, options.port)?;
    let url = format!("http://{}:{port}/", display_host(options.bind));
    if !options.quiet {
        eprintln!(
            "Serving {} at {url} (Ctrl-C to stop)",
            options.root.display()
        );
        if !options.bind.is_loopback() {
            eprintln!(
                "warning: listening on {}: other machines on the network can read this handbook",
                options.bind
            );
        }
    }
    if options.open {
        open_browser(&url);
    }
    let mut changes = watch::watch(&options.root)?;
    let builder = Arc::clone(&shared);
    std::thread::spawn(move || {
        while let Some(edited) = watch::next_change(&changes.events) {
            // A watched folder created after start (say, templates/) is watched from now on.
            changes.watch_new_folders(&builder.options.root);
            rebuild(&builder, &mut cache, edited.as_deref());
        }
    });
    http::run(server, shared);
    Ok(())
}

fn display_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) => v4.to_string(),
    }
}

/// Builds once and publishes the result to waiting pages. `edited`: the files whose contents
/// are all that changed, if the watcher knows.
fn rebuild(shared: &Arc<Shared>, cache: &mut ParseCache, edited: Option<&[PathBuf]>) {
    let started = Instant::now();
    let mut options = BuildOptions::new(&shared.options.root);
    options.drafts = shared.options.drafts;
    // The server keeps its own search index (`search.rs`).
    options.search = Search::Skip;
    cache.edited(edited);
    let result = crate::validate_site(&options, cache).map(|v| {
        let validated = Arc::new(v);
        cache.remember(Arc::clone(&validated));
        Arc::new(LiveSite::new(validated))
    });
    if let Ok(live) = &result {
        // Before the pages are told to reload: a word just saved is findable on the new page.
        let newest = Arc::clone(shared);
        search::updated(
            &shared.search,
            live,
            Box::new(move || newest.lock().site.clone()),
            shared.options.verbose,
        );
    }
    let took = started.elapsed();
    let cache_mb = cache.held_bytes() as f64 / 1e6;
    let mut old_site = None;
    let mut state = shared.lock();
    state.build += 1;
    let build = state.build;
    match result {
        Ok(live) => {
            if !shared.options.quiet {
                for w in &live.validated.warnings {
                    eprint!("{}", w.render(shared.options.color));
                }
                let stages = if shared.options.verbose {
                    let list: Vec<String> = live
                        .validated
                        .timings
                        .iter()
                        .map(|(stage, t)| format!("{stage} {:.1}", ms(*t)))
                        .collect();
                    let made = match live.validated.made {
                        crate::Made::Full => "full",
                        crate::Made::Incremental(_) => "incremental",
                    };
                    format!(" ({made}: {} ms; cache {cache_mb:.0} MB)", list.join(", "))
                } else {
                    String::new()
                };
                eprintln!(
                    "[build {build}] {} pages, {} warning(s) in {:.0} ms{stages}",
                    live.validated.site.records.len(),
                    live.validated.warnings.len(),
                    ms(took)
                );
            }
            state.styles.push((build, live.styles));
            // The old site is freed after the lock is released: at 10,000 pages that takes a while.
            old_site = state.site.replace(live);
            state.errors.clear();
        }
        Err(err) => {
            let errors = match err {
                Error::Content(d) => d,
                other => vec![Diagnostic::error("opsbook", other.to_string())],
            };
            for d in &errors {
                eprint!("{}", d.render(shared.options.color));
            }
            eprintln!(
                "[build {build}] failed with {} error(s) in {:.0} ms; still serving the last good build",
                errors.iter().filter(|d| d.is_error()).count(),
                ms(took)
            );
            state.errors = errors;
            // The site served is unchanged, and so are its styles.
            if let Some(styles) = state.site.as_ref().map(|s| s.styles) {
                state.styles.push((build, styles));
            }
        }
    }
    let excess = state.styles.len().saturating_sub(REMEMBERED_BUILDS);
    state.styles.drain(..excess);
    drop(state);
    shared.rebuilt.notify_all();
    drop(old_site);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not open a browser; visit {url}");
    }
}
