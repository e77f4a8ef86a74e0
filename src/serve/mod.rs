//! `opsbook serve`: build, serve the last good build from memory, watch the sources, rebuild
//! on change and tell open pages to reload. Three kinds of thread share one `Shared` value
//! (passed as an `Arc`, never a global): the HTTP loop, one thread per long-poll request, and
//! the builder, which the watcher wakes.

mod http;
mod watch;

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::output::OutputTree;
use crate::{BuildOptions, Drafts, ParseCache, Search};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub drafts: Drafts,
    pub open: bool,
    pub quiet: bool,
    pub color: bool,
}

/// What the server knows about the latest build.
pub struct State {
    /// Increases with every rebuild, failed or not.
    pub build: u64,
    /// The last good output; `None` until a build has succeeded.
    pub output: Option<Arc<OutputTree>>,
    /// The search index of the latest build that has one, by output path. Built after the pages,
    /// so an edit shows before its search index is ready.
    pub search: Option<Arc<HashMap<String, Vec<u8>>>>,
    /// Errors of the latest build; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
    /// For recent builds, the output files that changed in them.
    pub history: Vec<(u64, HashSet<String>)>,
}

impl State {
    /// Whether `page` (an output path) changed in any build after `since`.
    pub fn changed_since(&self, since: u64, page: &str) -> bool {
        match self.history.first() {
            Some((oldest, _)) if *oldest <= since + 1 => self
                .history
                .iter()
                .filter(|(b, _)| *b > since)
                .any(|(_, changed)| changed.contains(page) || changed.contains("*")),
            _ => true,
        }
    }
}

pub struct Shared {
    pub state: Mutex<State>,
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
            output: None,
            search: None,
            errors: Vec::new(),
            history: Vec::new(),
        }),
        rebuilt: Condvar::new(),
        options: options.clone(),
        base_path: crate::source::load_config(&options.root)
            .map(|c| c.base_path())
            .unwrap_or_default(),
    });
    let mut cache = ParseCache::default();
    rebuild(&shared, &mut cache);

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
        while watch::next_change(&changes.events).is_some() {
            // A watched folder created after start (say, templates/) is watched from now on.
            changes.watch_new_folders(&builder.options.root);
            rebuild(&builder, &mut cache);
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

/// Builds once and publishes the result to waiting pages.
fn rebuild(shared: &Arc<Shared>, cache: &mut ParseCache) {
    let started = Instant::now();
    let mut options = BuildOptions::new(&shared.options.root);
    options.drafts = shared.options.drafts;
    // The search index is built in the background afterwards: pages first.
    options.search = Search::Skip;
    let result = crate::validate_site(&options, cache).and_then(|v| {
        let output = v.render()?;
        Ok((v, output))
    });
    let took = started.elapsed();
    let mut state = shared.lock();
    state.build += 1;
    let build = state.build;
    match result {
        Ok((validated, output)) => {
            let new = Arc::new(output);
            let changed = match &state.output {
                Some(old) => changed_files(old, &new),
                None => ["*".to_string()].into_iter().collect(),
            };
            if !shared.options.quiet {
                for w in &validated.warnings {
                    eprint!("{}", w.render(shared.options.color));
                }
                let changed_note = if changed.contains("*") {
                    String::new()
                } else {
                    format!(", {} changed file(s)", changed.len())
                };
                eprintln!(
                    "[build {build}] {} pages{changed_note}, {} warning(s) in {:.0} ms",
                    validated.site.records.len(),
                    validated.warnings.len(),
                    ms(took)
                );
            }
            index_in_background(Arc::clone(shared), build, validated);
            state.output = Some(new);
            state.errors.clear();
            state.history.push((build, changed));
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
            state.history.push((build, HashSet::new()));
        }
    }
    let excess = state.history.len().saturating_sub(64);
    state.history.drain(..excess);
    drop(state);
    shared.rebuilt.notify_all();
}

const SEARCH_QUIET: Duration = Duration::from_secs(5);

/// Builds the search index off the request path; a newer build makes the result stale, and it is dropped.
fn index_in_background(shared: Arc<Shared>, build: u64, validated: crate::Validated) {
    let spawned = std::thread::Builder::new()
        .name("opsbook-search".into())
        .spawn(move || {
            // While the author is still typing, each save makes the last index stale: wait for a
            // quiet moment, and index only if no newer build came in meanwhile.
            std::thread::sleep(SEARCH_QUIET);
            if shared.lock().build != build {
                return;
            }
            let started = Instant::now();
            match validated.search_index() {
                Ok(files) => {
                    let mut state = shared.lock();
                    if state.build == build {
                        state.search = Some(Arc::new(files.into_iter().collect()));
                        if !shared.options.quiet {
                            eprintln!(
                                "[build {build}] search index ready in {:.0} ms",
                                ms(started.elapsed())
                            );
                        }
                    }
                }
                Err(e) => eprintln!("[build {build}] search index failed: {e}"),
            }
        });
    if let Err(e) = spawned {
        eprintln!("cannot start the search indexer: {e}");
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Output paths whose bytes differ between two builds, added and removed ones included.
fn changed_files(old: &OutputTree, new: &OutputTree) -> HashSet<String> {
    let mut changed: HashSet<String> = new
        .iter()
        .filter(|(p, b)| old.get(p) != Some(b.as_slice()))
        .map(|(p, _)| p.clone())
        .collect();
    changed.extend(
        old.iter()
            .filter(|(p, _)| new.get(p).is_none())
            .map(|(p, _)| p.clone()),
    );
    // A stylesheet change restyles every page.
    if changed
        .iter()
        .any(|p| p.ends_with(".css") || p.ends_with(".js"))
    {
        changed.insert("*".into());
    }
    changed
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
