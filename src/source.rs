//! Reads the site from disk: `opsbook.toml`, every file under `content/`, and the theme. This is
//! the only stage of a build that reads files; everything after it works on `Sources`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use walkdir::WalkDir;

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::{Diagnostic, display_path};
use crate::error::Error;
use crate::history::History;
use crate::theme::Theme;

pub(crate) const CONTENT_DIR: &str = "content";

/// Files larger than this are refused: nobody writes a 16 MiB review, and reading one would
/// make every build slow.
pub(crate) const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One markdown file, with its text normalized (no BOM, `\n` line ends).
#[derive(Debug, Clone)]
pub struct Source {
    /// Path under `content/`, with `/` separators: `incidents/2026-03-db.md`.
    pub rel_path: String,
    /// Shared with the documents parsed from it and with `FileCache`.
    pub text: Arc<str>,
}

impl Source {
    /// The path diagnostics show: relative to the site root.
    pub fn display_path(&self) -> String {
        format!("{CONTENT_DIR}/{}", self.rel_path)
    }
}

/// A file under `content/` that is not markdown (an image, a PDF), copied as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    pub rel_path: String,
    pub bytes: Arc<[u8]>,
    /// Whether it sits in a hidden folder (`.gitbook/assets/`): published only if a page links
    /// to it, since hidden folders also hold editor and tool settings nobody meant to publish.
    pub hidden: bool,
}

/// Everything a build reads.
#[derive(Debug)]
pub(crate) struct Sources {
    pub config: Config,
    pub documents: Arc<Vec<Source>>,
    pub assets: Vec<Asset>,
    pub theme: Theme,
    /// Markdown files that could not be read or decoded (their problem is in `diagnostics`),
    /// with whatever text could be recovered: they stand in the site as stubs, so links to them
    /// are not reported as broken as well.
    pub unreadable: Vec<Source>,
    /// Problems found while reading (unreadable files, invalid UTF-8): reported with the others.
    pub diagnostics: Vec<Diagnostic>,
    /// The date of each document's last commit, when the site is in a git repository and the
    /// load asked for them (`Dates::Git`).
    pub history: Arc<History>,
}

/// Whether a load asks git for each document's last commit date (a build and the preview do;
/// `check`, `new` and `infer` do not need them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dates {
    Git,
    Skip,
}

/// What one walk of `content/` found. The documents are shared between the file cache and the
/// `Sources` of a build, so a rebuild of one edited file copies no list of 100,000 paths.
#[derive(Debug, Clone, Default)]
struct Walked {
    documents: Arc<Vec<Source>>,
    assets: Vec<Asset>,
    unreadable: Vec<Source>,
    diagnostics: Vec<Diagnostic>,
    history: Arc<History>,
}

/// Markdown files read by earlier loads, with the modification time and length they had then:
/// the preview server re-reads only what changed (at 10,000 pages, reading everything again
/// takes longer than the rest of a rebuild).
#[derive(Default)]
pub(crate) struct FileCache {
    files: HashMap<PathBuf, (Option<SystemTime>, u64, Arc<str>)>,
    /// The last load's documents, assets and problems, for a reload that knows what changed.
    last: Option<Walked>,
    /// Files whose contents are all that changed since the last load, when a watcher knows.
    pub edited: Option<Vec<PathBuf>>,
}

impl FileCache {
    fn get(&self, path: &Path, meta: Option<&std::fs::Metadata>) -> Option<Arc<str>> {
        let meta = meta?;
        let (modified, len, text) = self.files.get(path)?;
        (*modified == meta.modified().ok() && modified.is_some() && *len == meta.len())
            .then(|| Arc::clone(text))
    }

    /// The last load with the edited files read again, if only known markdown files' contents
    /// changed; `None` when anything else may have changed and the folder must be walked.
    fn reload_edited(&mut self, root: &Path) -> Option<Walked> {
        let edited = self.edited.take()?;
        // Taken, not cloned: the last build's `Sources` are gone, so the documents are changed
        // in place. (On any surprise the folder is walked again, which refills the cache.)
        let mut walked = self.last.take()?;
        let content = root.join(CONTENT_DIR);
        let documents = Arc::make_mut(&mut walked.documents);
        for path in &edited {
            let rel = display_path(path.strip_prefix(&content).ok()?);
            if !is_markdown(path) || !self.files.contains_key(path) {
                return None;
            }
            let slot = documents.iter_mut().find(|s| s.rel_path == rel)?;
            let meta = std::fs::metadata(path).ok()?;
            let bytes = read_limited(path).ok()?;
            let text: Arc<str> = decode(&slot.display_path(), bytes).ok()?.into();
            self.files.insert(
                path.clone(),
                (meta.modified().ok(), meta.len(), Arc::clone(&text)),
            );
            slot.text = text;
        }
        Some(walked)
    }
}

/// Reads the site at `root`, without commit dates.
pub(crate) fn load_sources(root: &Path) -> Result<Sources, Error> {
    load_sources_cached(root, None, Dates::Skip)
}

/// `load_sources`, taking unchanged markdown files from `cache` and refreshing it. With
/// `Dates::Git`, a load that walks the folder asks git for the commit dates once; a reload of
/// edited files only keeps the dates it had (an edit is not a commit).
pub(crate) fn load_sources_cached(
    root: &Path,
    mut cache: Option<&mut FileCache>,
    dates: Dates,
) -> Result<Sources, Error> {
    if let Some(cache) = cache.as_deref_mut()
        && let Some(walked) = cache.reload_edited(root)
    {
        let config = load_config(root)?;
        let theme = Theme::load(root, &config.theme)?;
        cache.last = Some(walked.clone());
        return Ok(Sources::new(config, theme, walked));
    }
    let mut fresh = FileCache::default();
    let config = load_config(root)?;
    let theme = Theme::load(root, &config.theme)?;
    let mut documents = Vec::new();
    let mut assets = Vec::new();
    let mut unreadable = Vec::new();
    let mut diagnostics = Vec::new();
    let content = root.join(CONTENT_DIR);
    if content.is_dir() {
        let root_real = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut walker = WalkDir::new(&content)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                // Hidden folders are walked for assets (GitBook keeps images in
                // `.gitbook/assets/`); hidden files and version control folders are not.
                e.depth() == 0
                    || !is_hidden(e.file_name())
                    || e.file_type().is_dir() && !is_vcs_folder(e.file_name())
            });
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err
                        .path()
                        .map(|p| display_path(p.strip_prefix(root).unwrap_or(p)))
                        .unwrap_or_else(|| CONTENT_DIR.to_string());
                    let message = if err.loop_ancestor().is_some() {
                        "symbolic link loop: this link points back to a folder that contains it"
                            .to_string()
                    } else {
                        format!(
                            "cannot read: {}",
                            err.io_error().map_or(err.to_string(), |e| e.to_string())
                        )
                    };
                    diagnostics.push(Diagnostic::error(path, message));
                    continue;
                }
            };
            // A symbolic link may point anywhere; publishing what lies outside the handbook
            // (a home folder, /etc) by accident is worse than refusing it.
            if entry.path_is_symlink() {
                let target = std::fs::canonicalize(entry.path()).unwrap_or_default();
                if !target.starts_with(&root_real) {
                    let shown =
                        display_path(entry.path().strip_prefix(root).unwrap_or(entry.path()));
                    diagnostics.push(Diagnostic::error(
                        shown,
                        format!("symbolic link to {}, outside the handbook; copy the files in, or remove the link", target.display()),
                    ));
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = display_path(entry.path().strip_prefix(&content).unwrap_or(entry.path()));
            let shown = format!("{CONTENT_DIR}/{rel}");
            let hidden = rel.split('/').any(|part| part.starts_with('.'));
            if hidden && is_markdown(entry.path()) {
                // Notes and templates of tools (`.github/PULL_REQUEST_TEMPLATE.md`) are not pages.
                continue;
            }
            let meta = match &cache {
                Some(_) if is_markdown(entry.path()) => entry.metadata().ok(),
                _ => None,
            };
            let remember = |fresh: &mut FileCache, text: &Arc<str>| {
                if let Some(meta) = &meta {
                    fresh.files.insert(
                        entry.path().to_path_buf(),
                        (meta.modified().ok(), meta.len(), Arc::clone(text)),
                    );
                }
            };
            if let Some(text) = cache
                .as_ref()
                .and_then(|c| c.get(entry.path(), meta.as_ref()))
            {
                remember(&mut fresh, &text);
                documents.push(Source {
                    rel_path: rel,
                    text,
                });
                continue;
            }
            match read_limited(entry.path()) {
                Err(message) => {
                    if is_markdown(entry.path()) {
                        unreadable.push(Source {
                            rel_path: rel,
                            text: "".into(),
                        });
                    }
                    diagnostics.push(Diagnostic::error(shown, message));
                }
                Ok(bytes) if is_markdown(entry.path()) => match decode(&shown, bytes) {
                    Ok(text) => {
                        let text: Arc<str> = text.into();
                        remember(&mut fresh, &text);
                        documents.push(Source {
                            rel_path: rel,
                            text,
                        });
                    }
                    Err(d) => {
                        // The readable part, for the stub to find the file's id in.
                        let bytes = std::fs::read(entry.path()).unwrap_or_default();
                        unreadable.push(Source {
                            rel_path: rel,
                            text: String::from_utf8_lossy(&bytes).into(),
                        });
                        diagnostics.push(d);
                    }
                },
                // A text file with no extension (a postmortem saved without `.md`) is a page too.
                Ok(bytes) if !hidden && entry.path().extension().is_none() && is_text(&bytes) => {
                    match decode(&shown, bytes) {
                        Ok(text) => documents.push(Source {
                            rel_path: rel,
                            text: text.into(),
                        }),
                        Err(d) => diagnostics.push(d),
                    }
                }
                Ok(bytes) => assets.push(Asset {
                    rel_path: rel,
                    bytes: bytes.into(),
                    hidden,
                }),
            }
        }
    }
    let history = match dates {
        Dates::Git => {
            let files: Vec<&str> = documents.iter().map(|s| s.rel_path.as_str()).collect();
            crate::history::last_commits(root, CONTENT_DIR, &files)
        }
        Dates::Skip => History::default(),
    };
    let walked = Walked {
        documents: Arc::new(documents),
        assets,
        unreadable,
        diagnostics,
        history: Arc::new(history),
    };
    if let Some(cache) = cache.as_mut() {
        fresh.last = Some(walked.clone());
        **cache = fresh;
    }
    Ok(Sources::new(config, theme, walked))
}

impl Sources {
    fn new(config: Config, theme: Theme, walked: Walked) -> Sources {
        Sources {
            config,
            documents: walked.documents,
            assets: walked.assets,
            unreadable: walked.unreadable,
            theme,
            diagnostics: walked.diagnostics,
            history: walked.history,
        }
    }
}

/// Reads `opsbook.toml`, or the defaults when there is none.
pub(crate) fn load_config(root: &Path) -> Result<Config, Error> {
    let path = root.join(CONFIG_FILE);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let text = decode(CONFIG_FILE, bytes).map_err(|d| Error::Content(vec![d]))?;
            Config::parse(&text).map_err(|d| Error::Content(vec![d]))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(err) => Err(Error::io(path, err)),
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// Folders of version control systems: never part of the site, not even as assets.
fn is_vcs_folder(name: &std::ffi::OsStr) -> bool {
    matches!(
        name.to_str(),
        Some(".git" | ".hg" | ".svn" | ".jj" | ".bzr")
    )
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn is_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok() && !bytes.contains(&0)
}

fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} MiB, larger than the {} MiB limit",
            meta.len() / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
}

/// UTF-8 text with the BOM dropped and CRLF turned into LF. Invalid UTF-8 and NUL bytes (a binary
/// file with a `.md` name) are errors at the first bad byte.
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            return Err(Diagnostic::error(
                path,
                format!("file is not valid UTF-8 (byte 0x{:02x})", bytes[valid]),
            )
            .at(&prefix, prefix.len())
            .with_suggestion("save the file as UTF-8"));
        }
    };
    if let Some(nul) = text.find('\0') {
        return Err(
            Diagnostic::error(path, "file contains a NUL byte; is it a binary file?")
                .at(&text, nul),
        );
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_normalizes_bom_and_crlf() {
        let text = decode(
            "a.md",
            b"\xef\xbb\xbf+++\r\ntitle = \"x\"\r\n+++\r\n".to_vec(),
        )
        .unwrap();
        assert_eq!(text, "+++\ntitle = \"x\"\n+++\n");
    }

    #[test]
    fn decode_rejects_invalid_utf8_at_its_line() {
        let err = decode("a.md", b"ok\nbad \xff here".to_vec()).unwrap_err();
        assert_eq!((err.line, err.column), (2, 5));
        assert!(err.message.contains("0xff"));
    }

    #[test]
    fn decode_rejects_nul() {
        assert!(
            decode("a.md", b"a\0b".to_vec())
                .unwrap_err()
                .message
                .contains("NUL")
        );
    }
}
