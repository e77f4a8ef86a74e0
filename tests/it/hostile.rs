//! Hostile inputs made by the test itself (too big, too deep or too strange to keep as fixture
//! files). Each has an asserted outcome: it builds, or it fails with a diagnostic naming its
//! file; never a panic, a hang or a partial site.

use std::time::{Duration, Instant};

use crate::harness::{Run, TestSite};

/// Builds `site` and fails the test if the build takes unreasonably long (a hang) or dies
/// from a signal (a stack overflow or abort) instead of exiting.
fn build_within(site: &TestSite, limit: Duration) -> Run {
    let started = Instant::now();
    let run = site.build();
    assert!(
        started.elapsed() < limit,
        "the build took {:?}",
        started.elapsed()
    );
    assert!(
        run.code == 0 || run.code == 1,
        "the build crashed (exit {}):\n{}",
        run.code,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

#[test]
fn bom_crlf_empty_files_and_odd_names_build() {
    let site = TestSite::fixture("basic");
    site.write("content/guides/windows.md", "\u{feff}+++\r\ntitle = \"Saved on Windows\"\r\n+++\r\n\r\nLine one.\r\nSee [[teams/payments]].\r\n");
    site.write("content/guides/empty.md", "");
    site.write(
        "content/guides/Post mortem – Ünïcode ✓.md",
        "# Ünïcode title\n\nText.\n",
    );
    let run = build_within(&site, Duration::from_secs(60));
    run.assert_success();
    assert!(
        site.page("/guides/windows/")
            .contains("<h1>Saved on Windows</h1>")
    );
    assert!(
        site.page("/guides/empty/").contains("<h1>Empty</h1>"),
        "an empty file is a page titled by its name"
    );
    assert!(
        site.page("/guides/post-mortem-ünïcode/")
            .contains("Ünïcode title")
    );
}

#[test]
fn an_enormous_line_and_deep_nesting_build() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/guides/long-line.md",
        &format!("# Long\n\n{}\n", "word ".repeat(400_000)),
    );
    site.write(
        "content/guides/deep-quotes.md",
        &format!("# Deep\n\n{}deep\n", "> ".repeat(5_000)),
    );
    site.write(
        "content/guides/deep-lists.md",
        &format!(
            "# Lists\n\n{}",
            (0..2_000)
                .map(|n| format!("{}- item\n", "  ".repeat(n)))
                .collect::<String>()
        ),
    );
    site.write(
        "content/guides/code.md",
        &format!("# Code\n\n```js\n{}\n```\n", "x = [[[[".repeat(20_000)),
    );
    let run = build_within(&site, Duration::from_secs(120));
    run.assert_success();
    assert!(site.page("/guides/long-line/").len() > 2_000_000);
}

#[test]
fn deeply_nested_toml_is_an_error_not_a_stack_overflow() {
    let site = TestSite::fixture("basic");
    let depth = 5_000;
    site.write(
        "content/guides/nested.md",
        &format!(
            "+++\ntitle = \"x\"\nx = {}1{}\n+++\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    let run = build_within(&site, Duration::from_secs(60));
    // Either outcome is acceptable as long as it is an orderly one; an error must name the file.
    if run.code == 1 {
        assert!(
            run.stderr.contains("content/guides/nested.md"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_hundred_thousand_front_matter_keys_build_on_a_plain_page() {
    let site = TestSite::fixture("basic");
    let keys: String = (0..100_000).map(|n| format!("k{n} = {n}\n")).collect();
    site.write(
        "content/guides/keys.md",
        &format!("+++\ntitle = \"Many keys\"\n{keys}+++\n\nBody.\n"),
    );
    let run = build_within(&site, Duration::from_secs(120));
    run.assert_success();
}

#[test]
fn a_huge_file_is_refused_with_its_name() {
    let site = TestSite::fixture("basic");
    site.write("content/guides/huge.md", &"a".repeat(17 * 1024 * 1024));
    let run = build_within(&site, Duration::from_secs(60));
    run.assert_code(1);
    assert!(
        run.stderr.contains(
            "content/guides/huge.md: error: file is 17 MiB, larger than the 16 MiB limit"
        ),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_links_outside_the_root_are_not_followed_blindly() {
    let site = TestSite::fixture("basic");
    std::os::unix::fs::symlink("..", site.root().join("content/guides/loop")).unwrap();
    let run = build_within(&site, Duration::from_secs(60));
    run.assert_code(1);
    assert!(
        run.stderr.contains("content/guides/loop") && run.stderr.contains("symbolic link loop"),
        "{}",
        run.stderr
    );

    let site = TestSite::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "# Outside secret OUTSIDETOKEN\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("content/elsewhere")).unwrap();
    let run = build_within(&site, Duration::from_secs(60));
    run.assert_code(1);
    assert!(
        run.stderr.contains("content/elsewhere") && run.stderr.contains("outside the handbook"),
        "{}",
        run.stderr
    );
}
