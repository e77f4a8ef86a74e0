//! The code map's rules, checked on the source tree (ARCHITECTURE.md explains them): module
//! imports follow the pipeline down and never form a cycle, no file grows past what a reader
//! takes in at once, `main.rs` stays a dispatcher, and markup has one escaper.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest a file of `src/` may be, its `#[cfg(test)]` module left out.
const MAX_LINES: usize = 800;
const MAX_MAIN_LINES: usize = 80;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/`, as (path relative to `src/`, text).
fn rust_files() -> Vec<(String, String)> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("src/ is readable")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, base, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(base).expect("under src/");
                let text = std::fs::read_to_string(&path).expect("source is UTF-8");
                out.push((rel.to_string_lossy().replace('\\', "/"), text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&src(), &src(), &mut out);
    out
}

/// The code of a file without its `#[cfg(test)]` module and without comments.
fn code(text: &str) -> String {
    let until_tests = text
        .find("#[cfg(test)]\nmod tests {")
        .map_or(text, |at| &text[..at]);
    until_tests
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a file belongs to: `render/plan.rs` -> `render`, `html.rs` -> `html`.
fn module_of(rel: &str) -> String {
    rel.split('/')
        .next()
        .unwrap_or(rel)
        .trim_end_matches(".rs")
        .to_string()
}

/// The top-level modules a piece of code names through `crate::` paths, `use crate::{a, b}`
/// groups included. A name that is not a module is an item of `lib.rs`.
fn crate_references(code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = after.strip_prefix('{') {
            // `use crate::{a::X, b, c::{d, e}}`: the first segment of each top-level element.
            let mut depth = 0;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => return true,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    false
                })
                .map_or(group.len(), |(i, _)| i);
            let mut parts = Vec::new();
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group[..end].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        parts.push(&group[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            parts.push(&group[start..end]);
            parts
        } else {
            vec![after]
        };
        for name in names {
            let first: String = name
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !first.is_empty() {
                found.insert(if modules.contains(&first) {
                    first
                } else {
                    "lib".to_string()
                });
            }
        }
        rest = after;
    }
    found
}

/// The module graph: top-level module -> the modules its code refers to (itself left out).
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = rust_files();
    let modules: BTreeSet<String> = files
        .iter()
        .map(|(rel, _)| module_of(rel))
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in &files {
        let from = module_of(rel);
        let refs = crate_references(&code(text), &modules);
        let entry = graph.entry(from.clone()).or_default();
        entry.extend(refs.into_iter().filter(|to| *to != from));
    }
    graph
}

/// A cycle in `graph`, as the modules along it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

#[test]
fn module_imports_form_no_cycle() {
    let graph = module_graph();
    // The check sees the edges it must: render uses archive, serve uses the pipeline in lib.rs.
    assert!(graph["render"].contains("archive"), "{graph:?}");
    assert!(graph["serve"].contains("lib"), "{graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "modules import each other in a circle: {}\nMove the shared name to the module that owns the idea (see ARCHITECTURE.md).",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let modules: BTreeSet<String> = ["a", "b", "c"].map(String::from).into();
    let mut graph = BTreeMap::new();
    graph.insert(
        "a".to_string(),
        crate_references("use crate::b::X;", &modules),
    );
    graph.insert(
        "b".to_string(),
        crate_references("use crate::{c::{Y, Z}, Thing};", &modules),
    );
    graph.insert("c".to_string(), crate_references("crate::a::f()", &modules));
    assert_eq!(graph["b"], ["c", "lib"].map(String::from).into());
    assert_eq!(
        find_cycle(&graph),
        Some(["a", "b", "c", "a"].map(String::from).to_vec())
    );
    graph.insert("c".to_string(), BTreeSet::new());
    assert_eq!(find_cycle(&graph), None);
}

#[test]
fn files_stay_short_and_main_is_a_dispatcher() {
    let mut long = Vec::new();
    for (rel, text) in rust_files() {
        let without_tests = text
            .find("#[cfg(test)]\nmod tests {")
            .map_or(text.as_str(), |at| &text[..at]);
        let lines = without_tests.lines().count();
        // A test module in a file of its own is all tests.
        let limit = if rel == "main.rs" {
            MAX_MAIN_LINES
        } else if rel.ends_with("/tests.rs") {
            usize::MAX
        } else {
            MAX_LINES
        };
        if lines > limit {
            long.push(format!("src/{rel}: {lines} lines (at most {limit})"));
        }
    }
    assert!(long.is_empty(), "split these files:\n{}", long.join("\n"));
}

#[test]
fn markup_has_one_escaper() {
    let escapers: Vec<String> = rust_files()
        .into_iter()
        .filter(|(_, text)| code(text).contains("fn escape("))
        .map(|(rel, _)| rel)
        .collect();
    assert_eq!(
        escapers,
        ["html.rs"],
        "escape HTML, XML and SVG with html::escape"
    );
}
