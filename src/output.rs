//! Where built files go: `Staging`, a fresh temporary folder beside the output that pages are
//! written into as they are rendered and that is swapped in only when every file is written (so
//! a failed build never leaves a half-written site), and `OutputTree`, a site in memory for
//! tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::Error;

/// Every file of the built site, by path relative to the output folder (`a/b/index.html`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OutputTree {
    files: BTreeMap<String, Vec<u8>>,
}

impl OutputTree {
    pub fn insert(&mut self, path: String, bytes: Vec<u8>) {
        self.files.insert(path, bytes);
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        self.files.iter()
    }

    /// Total size in bytes.
    pub fn size(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }

    /// Writes the tree to `out`, replacing what was there only once everything is written.
    pub fn write(&self, out: &Path) -> Result<(), Error> {
        let staging = Staging::beside(out)?;
        self.files
            .par_iter()
            .try_for_each(|(path, bytes)| staging.write(path, bytes))?;
        staging.swap_in(out)
    }
}

/// A fresh folder beside the output that a build writes into, file by file as pages are
/// rendered, and that replaces the output only when the whole build succeeded. Dropped
/// without `swap_in` (a failed build), it is deleted and the previous output stays as it was.
pub struct Staging {
    dir: tempfile::TempDir,
    files: AtomicUsize,
    bytes: AtomicUsize,
}

impl Staging {
    pub fn beside(out: &Path) -> Result<Staging, Error> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let dir = tempfile::Builder::new()
            .prefix(".opsbook-build-")
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, e))?;
        Ok(Staging {
            dir,
            files: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
        })
    }

    /// Writes one file (`a/b/index.html`), making its folders. Safe to call from many threads.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Error> {
        let target = self.dir.path().join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&target, bytes).map_err(|e| Error::io(&target, e))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len(), Ordering::Relaxed);
        Ok(())
    }

    /// Files written so far.
    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Bytes written so far.
    pub fn bytes(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Replaces `out` with the staged files.
    pub fn swap_in(self, out: &Path) -> Result<(), Error> {
        swap_in(self.dir, out)
    }
}

/// Moves the finished staging folder to `out`; the previous output is removed only afterwards.
fn swap_in(staging: tempfile::TempDir, out: &Path) -> Result<(), Error> {
    let staged = staging.keep();
    if out.exists() {
        let old = out.with_file_name(format!(
            ".{}.old-{}",
            out.file_name()
                .map_or("public".into(), |n| n.to_string_lossy()),
            std::process::id()
        ));
        std::fs::rename(out, &old).map_err(|e| Error::io(out, e))?;
        if let Err(e) = std::fs::rename(&staged, out) {
            // Put the previous site back before reporting.
            let _ = std::fs::rename(&old, out);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(Error::io(out, e));
        }
        remove_tree(&old)?;
    } else {
        std::fs::rename(&staged, out).map_err(|e| Error::io(out, e))?;
    }
    Ok(())
}

/// Removes a previous output folder, its files in parallel: a 20,000-file site takes seconds to
/// delete one file at a time.
fn remove_tree(dir: &Path) -> Result<(), Error> {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// Refuses output folders whose replacement would delete the sources: the site root itself, a
/// folder that contains it, or one inside `content/`.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Error> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Normalize `.` and `..` without touching the disk (the output may not exist yet).
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        out
    };
    let (root, out_abs) = (abs(root), abs(out));
    let root = root.canonicalize().unwrap_or(root);
    let content = root.join(crate::source::CONTENT_DIR);
    if root.starts_with(&out_abs) || out_abs.starts_with(&content) || out_abs == root {
        return Err(Error::Output(format!(
            "refusing to write the site to {}: replacing it would delete the handbook's sources; choose a folder such as {}",
            out.display(),
            root.join("public").display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_replaces_previous_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut a = OutputTree::default();
        a.insert("old.html".into(), b"old".to_vec());
        a.write(&out).unwrap();
        let mut b = OutputTree::default();
        b.insert("x/index.html".into(), b"new".to_vec());
        b.write(&out).unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(std::fs::read(out.join("x/index.html")).unwrap(), b"new");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no staging or old folders are left behind"
        );
    }

    #[test]
    fn refuses_to_overwrite_sources() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_output_dir(dir.path(), dir.path()).is_err());
        assert!(check_output_dir(dir.path(), &dir.path().join("content/x")).is_err());
        assert!(check_output_dir(&dir.path().join("site"), dir.path()).is_err());
        assert!(check_output_dir(dir.path(), &dir.path().join("public")).is_ok());
    }
}
