//! A fixture-site harness: copy a site into a temp folder, change files, run `opsbook`, and look
//! at the result.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temp folder.
pub struct TestSite {
    dir: tempfile::TempDir,
}

/// What one `opsbook` run did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_success(&self) -> &Run {
        assert_eq!(self.code, 0, "expected success\nstderr:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "stderr:\n{}\nstdout:\n{}",
            self.stderr, self.stdout
        );
        self
    }

    /// The `path:line:col: severity: message` lines of the diagnostics, plus their help lines.
    pub fn diagnostics(&self) -> String {
        let mut out = String::new();
        for line in self.stderr.lines() {
            let trimmed = line.trim_start();
            let is_head = ["content/", "opsbook.toml", "themes/", "templates/"]
                .iter()
                .any(|p| line.starts_with(p));
            if is_head || trimmed.starts_with("= help:") {
                out.push_str(if is_head { line } else { trimmed });
                out.push('\n');
            }
        }
        out
    }
}

impl TestSite {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> TestSite {
        let site = TestSite::empty();
        copy_dir(&fixtures().join(name), site.root());
        site
    }

    pub fn empty() -> TestSite {
        TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// An empty site in memory (`/dev/shm`) where the system has one, for sites of tens of
    /// thousands of files, whose writing and removal would dominate a test on disk.
    pub fn empty_in_memory() -> TestSite {
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm).or_else(|_| tempfile::tempdir())
        } else {
            tempfile::tempdir()
        };
        TestSite {
            dir: dir.expect("temp dir"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Copies every file of `dir` over the site, replacing files with the same path.
    pub fn overlay(&self, dir: &Path) -> &TestSite {
        copy_dir(dir, self.root());
        self
    }

    pub fn write(&self, path: &str, text: &str) -> &TestSite {
        let p = self.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    /// `opsbook <args> --root <site>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_opsbook"));
        cmd.args(args)
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1");
        run(cmd)
    }

    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// A page of the last build, by URL path (`/incidents/x/`).
    #[track_caller]
    pub fn page(&self, url: &str) -> String {
        read_page(&self.out(), url)
    }
}

pub fn run(mut cmd: Command) -> Run {
    let output = cmd.output().expect("run opsbook");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[track_caller]
pub fn read_page(out: &Path, url: &str) -> String {
    let rel = url.trim_start_matches('/');
    let path = if rel.is_empty() || rel.ends_with('/') {
        out.join(rel).join("index.html")
    } else {
        out.join(rel)
    };
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("no page at {url} ({}): {e}", path.display()))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, as paths relative to it.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

/// Every file under `dir` with its bytes, to compare a folder before and after.
pub fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files(dir)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap()))
        .collect()
}

/// Every `href="..."` and `src="..."` value in an HTML page.
pub fn urls_in(html: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                urls.push(rest[..end].replace("&amp;", "&"));
                rest = &rest[end..];
            }
        }
    }
    urls
}

/// A later page of a long list (`/postmortems/page/2/`): the list's first page and the number.
pub fn later_page(url: &str) -> Option<(String, usize)> {
    let rest = url.strip_suffix('/')?;
    let (before, n) = rest.rsplit_once('/')?;
    let n: usize = n.parse().ok()?;
    let owner = before.strip_suffix("/page")?;
    (n >= 2).then(|| (format!("{owner}/"), n))
}

/// Every `id="..."` in an HTML page.
pub fn ids_in(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            ids.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    ids
}

/// The search index a build wrote under `out`, read back as the browser reads it.
pub fn search_index(out: &Path) -> opsbook::search_index::read::IndexReader {
    let dir = out.join(opsbook::search_index::INDEX_DIR);
    let files: Vec<(String, Vec<u8>)> = files(&dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (
                format!("{}/{}", opsbook::search_index::INDEX_DIR, f.display()),
                bytes,
            )
        })
        .collect();
    opsbook::search_index::read::IndexReader::new(&files).expect("a readable search index")
}

/// The facets (`facet:value`) the search index files the document at `url` under.
pub fn search_facets(out: &Path, url: &str) -> Vec<String> {
    let index = search_index(out);
    let doc = index
        .document_at(url)
        .unwrap_or_else(|| panic!("{url} is not in the search index"));
    index
        .facets_of(doc)
        .expect("its facets decode")
        .into_iter()
        .map(|(facet, value)| format!("{facet}:{value}"))
        .collect()
}
