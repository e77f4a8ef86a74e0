//! The preview server's incremental rebuild against the full one: after every edit of a random
//! sequence (contents, front matter, links and anchors, added, removed and renamed files, broken
//! and mended front matter, a template changed), the site the preview would serve is exactly the
//! one a full build makes.

use std::sync::Arc;

use opsbook::{BuildOptions, Drafts, Made, ParseCache};

use crate::harness::TestSite;

/// A small deterministic generator (xorshift): the same sequence on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The fixture plus guides that link to each other by anchor, so heading edits matter.
fn site() -> TestSite {
    let site = TestSite::fixture("basic");
    for n in 0..4 {
        site.write(
            &format!("content/guides/g{n}.md"),
            &format!(
                "+++\ntitle = \"Guide {n}\"\n+++\n\n## Part A\n\nSee [the next](g{}.md#part-a) and [[INC-2026-001]].\n\n## Part B\n\nMore.\n",
                (n + 1) % 4
            ),
        );
    }
    site
}

/// Markdown files of the site, as paths under the root, sorted.
fn documents(site: &TestSite) -> Vec<String> {
    let mut files: Vec<String> = crate::harness::files(&site.root().join("content"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| format!("content/{}", p.to_string_lossy()))
        .collect();
    files.sort();
    files
}

/// One random edit; returns the file it changed when only that file's contents changed (what a
/// watcher reports), or `None` for anything structural.
fn edit(site: &TestSite, rng: &mut Rng, step: usize) -> Option<String> {
    let docs = documents(site);
    let pick = docs[rng.below(docs.len())].clone();
    let path = site.root().join(&pick);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    match rng.below(10) {
        // Contents: a paragraph, a link to another document, a heading, a wiki-link with an anchor.
        0 | 1 => {
            site.write(&pick, &format!("{text}\nWord{step} in a new paragraph.\n"));
            Some(pick)
        }
        2 => {
            let other = &docs[rng.below(docs.len())];
            let rel = other.trim_start_matches("content/");
            site.write(&pick, &format!("{text}\nSee [another](/{rel}).\n"));
            Some(pick)
        }
        3 => {
            let heading = ["Part A", "Part C", "Summary", "Timeline"][rng.below(4)];
            let edited = if text.contains(&format!("## {heading}\n")) {
                text.replacen(&format!("## {heading}\n"), "## Renamed part\n", 1)
            } else {
                format!("{text}\n## {heading}\n\nText.\n")
            };
            site.write(&pick, &edited);
            Some(pick)
        }
        4 => {
            let anchor = ["part-a", "part-b", "summary", "nowhere"][rng.below(4)];
            site.write(&pick, &format!("{text}\nSee [[guides/g1#{anchor}]].\n"));
            Some(pick)
        }
        // Front matter: a title, a severity, broken and mended.
        5 => {
            let edited = if text.contains("title = \"") {
                text.replacen("title = \"", &format!("title = \"T{step} "), 1)
            } else {
                format!("# Title {step}\n\n{text}")
            };
            site.write(&pick, &edited);
            Some(pick)
        }
        6 => {
            let edited = if text.contains("+++ broken") {
                text.replacen("+++ broken", "+++", 1)
            } else if text.starts_with("+++\n") {
                text.replacen("+++\n", "+++ broken\n", 1)
            } else if text.contains("severity = \"sev1\"") {
                text.replacen("severity = \"sev1\"", "severity = \"sev9\"", 1)
            } else {
                text.replacen("severity = \"sev9\"", "severity = \"sev1\"", 1)
            };
            site.write(&pick, &edited);
            Some(pick)
        }
        // Structure: a new file, a removal, a rename, a template change.
        7 => {
            site.write(
                &format!("content/guides/new-{step}.md"),
                &format!(
                    "# New {step}\n\nLinks to [[{}]].\n",
                    pick.trim_start_matches("content/").trim_end_matches(".md")
                ),
            );
            None
        }
        8 => {
            if docs.len() > 8 && !pick.contains("templates/") && !pick.contains("teams/") {
                let _ = std::fs::remove_file(&path);
            } else {
                let to = path.with_file_name(format!("renamed-{step}.md"));
                let _ = std::fs::rename(&path, to);
            }
            None
        }
        _ => {
            let template = "content/templates/incident-review.md";
            let text = std::fs::read_to_string(site.root().join(template)).unwrap_or_default();
            let field = format!("[fields.extra{step}]\ntype = \"string\"\n\n");
            site.write(
                template,
                &text.replacen("[fields.severity]", &format!("{field}[fields.severity]"), 1),
            );
            Some(template.to_string())
        }
    }
}

#[test]
fn random_edits_give_what_a_full_build_gives() {
    let site = site();
    let mut options = BuildOptions::new(site.root());
    options.drafts = Drafts::Include;
    let mut cache = ParseCache::default();
    let first = opsbook::validate_site(&options, &mut cache).expect("the fixture builds");
    cache.remember(Arc::new(first));
    let mut rng = Rng(0x5eed_0b5e_55ed_u64);
    let (mut incremental, mut failed) = (0, 0);
    // The content of the last good build: after a failed one, the next step may go back to it,
    // as an author undoes a mistake (otherwise one broken link would fail every later build).
    let mut good = crate::harness::contents(&site.root().join("content"));
    let mut broken = false;
    for step in 0..200 {
        let changed = if broken && rng.below(2) == 0 {
            let content = site.root().join("content");
            std::fs::remove_dir_all(&content).expect("remove content/");
            for (path, bytes) in &good {
                let to = content.join(path);
                std::fs::create_dir_all(to.parent().expect("a folder")).expect("mkdir");
                std::fs::write(to, bytes).expect("write");
            }
            None
        } else {
            edit(&site, &mut rng, step)
        };
        let paths = changed.map(|rel| vec![site.root().join(rel)]);
        cache.edited(paths.as_deref());
        let rebuilt = opsbook::validate_site(&options, &mut cache);
        let full = opsbook::validate_site(&options, &mut ParseCache::off());
        match (rebuilt, full) {
            (Ok(rebuilt), Ok(full)) => {
                incremental += usize::from(matches!(rebuilt.made, Made::Incremental(_)));
                assert_eq!(rebuilt.warnings, full.warnings, "step {step}: warnings");
                let (a, b) = (
                    rebuilt.render_to_memory().unwrap(),
                    full.render_to_memory().unwrap(),
                );
                if a != b {
                    let differing: Vec<&String> = a
                        .iter()
                        .chain(b.iter())
                        .map(|(p, _)| p)
                        .filter(|p| a.get(p) != b.get(p))
                        .collect();
                    panic!(
                        "step {step}: the incremental build differs from a full one in {differing:?}"
                    );
                }
                cache.remember(Arc::new(rebuilt));
                good = crate::harness::contents(&site.root().join("content"));
                broken = false;
            }
            (Err(opsbook::Error::Content(a)), Err(opsbook::Error::Content(b))) => {
                failed += 1;
                broken = true;
                assert_eq!(a, b, "step {step}: the same problems");
            }
            (a, b) => panic!(
                "step {step}: incremental {:?}, full {:?}",
                a.map(|v| v.made.clone()),
                b.map(|v| v.made.clone())
            ),
        }
    }
    // The sequence exercises both paths and both outcomes.
    assert!(incremental >= 40, "{incremental} incremental rebuilds");
    assert!(failed >= 5, "{failed} failed builds");
}
