//! Bad input: every folder under `tests/fixtures/errors/` holds files laid over the `basic`
//! fixture. Each must fail the build with exit 1, leave no output, and print exactly the
//! diagnostics in its snapshot; `check` must report the same problems.

use crate::harness::{TestSite, fixtures};

#[test]
fn each_bad_input_fails_with_its_located_diagnostics() {
    insta::glob!("../fixtures/errors", "*", |case| {
        // The glob also yields the folder itself.
        if !case.is_dir() || case == fixtures().join("errors") {
            return;
        }
        let site = TestSite::fixture("basic");
        site.overlay(case);
        let run = site.build();
        assert_eq!(
            run.code,
            1,
            "{}: expected exit 1\n{}",
            case.display(),
            run.stderr
        );
        assert!(!site.out().exists(), "a failed build writes nothing");
        let diagnostics = run.diagnostics();
        assert!(
            !diagnostics.is_empty(),
            "no diagnostic printed:\n{}",
            run.stderr
        );
        for line in diagnostics.lines().filter(|l| !l.starts_with("= help")) {
            assert!(
                ["content/", "opsbook.toml", "templates/"]
                    .iter()
                    .any(|p| line.starts_with(p)),
                "every diagnostic names its file: {line}"
            );
        }
        insta::assert_snapshot!(diagnostics);

        let check = site.run(&["check"]);
        check.assert_code(1);
        assert_eq!(
            check.diagnostics(),
            diagnostics,
            "check reports what build reports"
        );
    });
}

#[test]
fn check_json_lists_every_problem_with_its_location() {
    let site = TestSite::fixture("basic");
    site.overlay(&fixtures().join("errors/broken-links"));
    let run = site.run(&["check", "--format", "json"]);
    run.assert_code(1);
    let problems: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    let problems = problems.as_array().unwrap();
    let got: Vec<(String, u64, u64)> = problems
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["line"].as_u64().unwrap(),
                p["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("content/guides/plain.md".to_string(), 3, 3),
            ("content/guides/plain.md".to_string(), 4, 23),
            ("content/guides/plain.md".to_string(), 5, 3),
        ]
    );
    assert_eq!(problems[1]["suggestion"], "did you mean `INC-2026-001`?");
    assert!(problems.iter().all(|p| p["severity"] == "error"));
}

#[test]
fn broken_links_can_be_downgraded_to_warnings() {
    let site = TestSite::fixture("basic");
    site.overlay(&fixtures().join("errors/broken-links"));
    site.write(
        "opsbook.toml",
        "title = \"x\"\n[links]\nbroken = \"warn\"\n",
    );
    let run = site.build();
    run.assert_success();
    assert_eq!(
        run.stderr.matches(": warning: ").count(),
        3,
        "{}",
        run.stderr
    );
}

#[test]
fn a_broken_config_is_an_error_at_its_line() {
    let site = TestSite::fixture("basic");
    site.write(
        "opsbook.toml",
        "title = \"x\"\n[links]\nbroken = \"sometimes\"\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.stderr.starts_with("opsbook.toml:3:10: error:"),
        "{}",
        run.stderr
    );
}
