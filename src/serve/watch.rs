//! Watches what a build reads (content/, themes/, templates/, static/ and opsbook.toml) and
//! turns bursts of file events into one "something changed". Editors that save by writing a
//! temp file and renaming it, or by deleting and re-creating, produce several events; they are
//! debounced into one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::error::Error;

/// Quiet time after the last event before a rebuild starts: one save's events arrive within
/// microseconds of each other, an editor's write-and-rename within a few milliseconds.
const DEBOUNCE: Duration = Duration::from_millis(10);
const WATCHED_DIRS: &[&str] = &["content", "themes", "templates", "static"];

pub(crate) struct Changes {
    /// Kept alive for as long as events are wanted.
    watcher: notify::RecommendedWatcher,
    watched: Vec<PathBuf>,
    pub events: Receiver<Event>,
}

/// A changed source file, and whether only its contents changed (it was not created, removed
/// or renamed): then a rebuild can re-read just that file.
pub(crate) struct Event {
    pub path: PathBuf,
    pub contents_only: bool,
}

impl Changes {
    pub fn watch_new_folders(&mut self, root: &Path) {
        for dir in WATCHED_DIRS {
            let path = root.join(dir);
            if path.is_dir()
                && !self.watched.contains(&path)
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.push(path);
            }
        }
    }
}

pub(crate) fn watch(root: &Path) -> Result<Changes, Error> {
    let (tx, rx) = channel();
    let root_owned = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading files during a build raises access events; only changes count.
        if let Ok(event) = event
            && is_change(&event.kind)
        {
            let contents_only = matches!(
                event.kind,
                notify::EventKind::Modify(notify::event::ModifyKind::Data(_))
            );
            for path in event.paths {
                if is_source(&root_owned, &path) {
                    let _ = tx.send(Event {
                        path,
                        contents_only,
                    });
                }
            }
        }
    })
    .map_err(|e| Error::io(root, std::io::Error::other(e.to_string())))?;
    // The root itself, not recursively: opsbook.toml, and the watched folders being created.
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::io(root, std::io::Error::other(e.to_string())))?;
    let mut changes = Changes {
        watcher,
        watched: Vec::new(),
        events: rx,
    };
    changes.watch_new_folders(root);
    Ok(changes)
}

fn is_change(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any | EventKind::Other => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) => false,
    }
}

fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        // Some backends report canonical paths; compare those too.
        return root
            .canonicalize()
            .ok()
            .and_then(|r| path.strip_prefix(r).ok().map(|rel| rel.to_path_buf()))
            .is_some_and(|rel| is_source_rel(&rel));
    };
    is_source_rel(rel)
}

fn is_source_rel(rel: &Path) -> bool {
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Editor swap and backup files are not sources.
    let noise = name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913";
    !noise && (first == "opsbook.toml" || WATCHED_DIRS.contains(&first.as_str()))
}

/// Blocks until a change arrives, then waits for the burst to settle. Returns the files whose
/// contents changed when that is all that happened, `Some(None)` for anything else (files
/// created, removed, renamed), and `None` when the watcher is gone.
pub(crate) fn next_change(events: &Receiver<Event>) -> Option<Option<Vec<PathBuf>>> {
    let first = events.recv().ok()?;
    let mut edited = first.contents_only.then(|| vec![first.path]);
    loop {
        match events.recv_timeout(DEBOUNCE) {
            Ok(event) => match (&mut edited, event.contents_only) {
                (Some(paths), true) => {
                    if !paths.contains(&event.path) {
                        paths.push(event.path);
                    }
                }
                _ => edited = None,
            },
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                return Some(edited);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_count() {
        assert!(is_source_rel(Path::new("content/a.md")));
        assert!(is_source_rel(Path::new("opsbook.toml")));
        assert!(is_source_rel(Path::new("themes/default/static/style.css")));
        assert!(!is_source_rel(Path::new("public/index.html")));
        assert!(!is_source_rel(Path::new("target/debug/x")));
        assert!(!is_source_rel(Path::new("content/.a.md.swp")));
    }
}
