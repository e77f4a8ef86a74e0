//! What git knows about the content: the date of each file's last commit, for a page's "Last
//! updated". One `git log` over `content/` answers for the whole tree (newest commits first, so a
//! file's first appearance is its last commit), read as it streams and stopped as soon as every
//! file has its date: never one process per file. No git, a folder that is not a repository, or
//! git failing in any way gives no dates and no error: the dates are a courtesy, not content.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use time::Date;

/// The date of each file's last commit, by path under `content/` (`incidents/x.md`).
pub type History = HashMap<String, Date>;

/// Marks a commit's line in the log, before its date; file names follow it.
const COMMIT: char = '\u{1}';

/// The last commit dates of `files` (paths under `root/<content>/`) in the repository holding
/// `root`.
pub(crate) fn last_commits(root: &Path, content: &str, files: &[&str]) -> History {
    let mut dates = History::new();
    let mut wanted: HashSet<&str> = files.iter().copied().collect();
    if wanted.is_empty() {
        return dates;
    }
    let child = Command::new("git")
        .arg("-C")
        .arg(root)
        // Names as they are (UTF-8), not C-quoted; paths relative to `root`.
        .args([
            "-c",
            "core.quotePath=false",
            "log",
            "--relative",
            "--no-renames",
        ])
        .arg(format!("--format={COMMIT}%aI"))
        .args(["--name-only", "--", content])
        // The repository is the one holding `root`, whatever an outer git (a hook) has set.
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return dates;
    };
    if let Some(out) = child.stdout.take() {
        let prefix = format!("{content}/");
        let mut date = None;
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else {
                break;
            };
            if let Some(stamp) = line.strip_prefix(COMMIT) {
                date = crate::value::parse_date(stamp.get(..10).unwrap_or(""));
                continue;
            }
            let Some(rel) = line.strip_prefix(&prefix) else {
                continue;
            };
            if let Some(d) = date
                && wanted.remove(rel)
            {
                dates.insert(rel.to_string(), d);
                if wanted.is_empty() {
                    break;
                }
            }
        }
    }
    // Every file found: the rest of the history is not needed.
    let _ = child.kill();
    let _ = child.wait();
    dates
}
