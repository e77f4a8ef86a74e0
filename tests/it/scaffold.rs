//! `opsbook init`, `opsbook new`, completions and the generated reference pages.

use crate::harness::{TestSite, files, repo_root, run, urls_in};

#[test]
fn init_creates_a_handbook_that_builds_and_checks_clean() {
    let site = TestSite::empty();
    let dir = site.root().join("hb");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.arg("init").arg(&dir);
    run(cmd).assert_success();
    for file in [
        "opsbook.toml",
        "README.md",
        "content/teams/platform.md",
        "content/templates/incident-review.md",
        "content/meetings/ops-review.md",
        "content/specs/ci-cache-cleanup.md",
    ] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    let config = std::fs::read_to_string(dir.join("opsbook.toml")).unwrap();
    assert!(
        config.contains("# base_url = \"/\"") && config.contains("# broken = \"error\""),
        "every setting is there, commented:\n{config}"
    );

    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.args(["build", "--root"]).arg(&dir);
    run(cmd).assert_success();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.args(["check", "--root"]).arg(&dir);
    let checked = run(cmd);
    checked.assert_success();
    assert!(
        checked.stderr.contains("0 error(s), 0 warning(s)"),
        "{}",
        checked.stderr
    );
    assert!(
        std::fs::read_to_string(dir.join("public/incidents/2026-01-ci-disk-full/index.html"))
            .unwrap()
            .contains("SEV4")
    );

    // A second init into the same folder is refused, and leaves it alone.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.arg("init").arg(&dir);
    let again = run(cmd);
    again.assert_code(1);
    assert!(again.stderr.contains("not empty"), "{}", again.stderr);
}

#[test]
fn new_writes_a_draft_that_builds_and_that_check_explains() {
    let site = TestSite::fixture("basic");
    let created = site.run(&["new", "incident-review", "Checkout latency spike"]);
    created.assert_success();
    let rel = created.stdout.trim().to_string();
    assert!(
        rel.starts_with("content/incidents/") && rel.ends_with("-checkout-latency-spike.md"),
        "{rel}"
    );
    let text = std::fs::read_to_string(site.root().join(&rel)).unwrap();
    // The fixture's highest id is INC-2026-003 (a draft): the next one follows it.
    assert!(
        text.contains("id = \"INC-") && text.contains("draft = true"),
        "{text}"
    );
    assert!(
        text.contains("severity = \"\"  # required: enum (sev1, sev2, sev3)"),
        "{text}"
    );
    assert!(
        text.contains("## Summary\n\n<!-- What happened. -->") && text.contains("## Timeline"),
        "{text}"
    );

    site.build().assert_success();
    let checked = site.run(&["check"]);
    checked.assert_success();
    let d = checked.diagnostics();
    assert!(
        d.contains(&format!("{rel}:"))
            && d.contains("warning: draft: required field `severity` is empty"),
        "{d}"
    );
    assert!(
        d.contains("warning: draft: section `## Summary` is empty"),
        "{d}"
    );

    let unknown = site.run(&["new", "incident-reveiw", "x"]);
    unknown.assert_code(1);
    assert!(
        unknown.stderr.contains("did you mean `incident-review`?"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn next_ids_follow_the_template_scheme() {
    let site = TestSite::fixture("basic");
    let year = time::OffsetDateTime::now_utc().year();
    site.write("content/incidents/x.md", &format!("+++\ntitle = \"x\"\nid = \"INC-{year}-041\"\nseverity = \"sev3\"\nteams = [\"payments\"]\n+++\n\n## Summary\n\nx\n\n## Timeline\n\nx\n"));
    let created = site.run(&["new", "incident-review", "Next one"]);
    created.assert_success();
    let text = std::fs::read_to_string(site.root().join(created.stdout.trim())).unwrap();
    assert!(text.contains(&format!("id = \"INC-{year}-042\"")), "{text}");
}

#[test]
fn completions_are_printed_for_each_shell() {
    let site = TestSite::empty();
    for shell in ["bash", "zsh", "fish"] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
        cmd.args(["completions", shell]);
        let out = run(cmd);
        out.assert_success();
        assert!(
            out.stdout.contains("opsbook") && out.stdout.contains("serve"),
            "{shell}"
        );
    }
    drop(site);
}

/// The settings and CLI pages of the documentation are generated; they must match the code.
#[test]
fn generated_reference_pages_are_up_to_date() {
    for (what, file) in [
        ("settings", "content/using-opsbook/settings.md"),
        ("cli", "content/using-opsbook/cli.md"),
    ] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
        cmd.args(["reference", what]);
        let generated = run(cmd).stdout;
        let committed = std::fs::read_to_string(repo_root().join(file)).unwrap();
        assert!(
            generated == committed,
            "{file} is stale: run `cargo run -- reference {what} > {file}`"
        );
    }
}

#[test]
fn feeds_are_well_formed_atom() {
    let site = TestSite::fixture("basic");
    site.build().assert_success();
    for feed in ["atom.xml", "teams/payments/atom.xml"] {
        let xml = std::fs::read_to_string(site.out().join(feed)).unwrap();
        assert!(
            xml.starts_with("<?xml")
                && xml.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            "{feed}"
        );
        assert_balanced(&xml);
        assert!(
            xml.contains("<title>Database failover stalled</title>")
                && xml.contains("<updated>2026-05-02T00:00:00Z</updated>"),
            "{xml}"
        );
        assert!(!xml.contains("zebra"), "drafts stay out of feeds");
    }
}

/// Every opened tag is closed in order (a small well-formedness check for generated XML).
pub fn assert_balanced(xml: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        let close = rest[open..]
            .find('>')
            .map(|c| open + c)
            .expect("unclosed tag");
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        let name = tag.split_whitespace().next().unwrap_or("").to_string();
        if let Some(name) = name.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

/// With a sub-path `base_url`, every internal link, asset and the search bundle live under it.
#[test]
fn a_sub_path_base_url_prefixes_every_internal_link() {
    let site = TestSite::fixture("basic");
    site.write(
        "opsbook.toml",
        "title = \"Fixture\"\nbase_url = \"https://intranet.example.com/handbook/\"\n",
    );
    site.build().assert_success();
    let out = site.out();
    let mut bad = Vec::new();
    for page in files(&out)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
    {
        let html = std::fs::read_to_string(out.join(&page)).unwrap();
        assert!(
            html.contains("data-base=\"/handbook\""),
            "the search script learns the base path"
        );
        for url in urls_in(&html) {
            if url.starts_with('#') || url.starts_with("https://") || url.starts_with("mailto:") {
                continue;
            }
            match url.strip_prefix("/handbook/") {
                Some(rest) => {
                    let path = rest.split('#').next().unwrap_or("");
                    let file = if path.is_empty() || path.ends_with('/') {
                        out.join(path).join("index.html")
                    } else {
                        out.join(path)
                    };
                    if !file.is_file() {
                        bad.push(format!("{}: {url} does not exist", page.display()));
                    }
                }
                None => bad.push(format!("{}: {url} is outside /handbook/", page.display())),
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains(
            "<loc>https://intranet.example.com/handbook/incidents/2026-03-db-failover/</loc>"
        ),
        "{sitemap}"
    );
    assert!(out.join("search-index/manifest.json").is_file());
}

/// `opsbook new incident` (the label, not the id) is answered with the template to use.
#[test]
fn new_suggests_the_template_an_author_meant() {
    let site = TestSite::fixture("basic");
    let before = files(&site.root().join("content"));
    for word in ["incident", "incidents", "Incident"] {
        let run = site.run(&["new", word, "Checkout latency"]);
        run.assert_code(1);
        assert!(
            run.stderr.contains(&format!(
                "no template `{word}`; did you mean `incident-review`?"
            )),
            "{word}: {}",
            run.stderr
        );
    }
    assert_eq!(
        files(&site.root().join("content")),
        before,
        "nothing is written"
    );
}

/// A second `new` with a title that is already a file refuses, names the file and leaves it as
/// it was: the first draft may already hold an hour of writing.
#[test]
fn new_never_replaces_or_duplicates_an_existing_review() {
    let site = TestSite::fixture("basic");
    let first = site.run(&[
        "new",
        "incident-review",
        "Checkout latency",
        "--date",
        "2026-06-02",
    ]);
    first.assert_success();
    let rel = first.stdout.trim().to_string();
    assert_eq!(rel, "content/incidents/2026-06-checkout-latency.md");
    site.write(
        &rel,
        "+++\ntitle = \"Checkout latency\"\n+++\nAn hour of writing.\n",
    );
    let again = site.run(&[
        "new",
        "incident-review",
        "Checkout latency",
        "--date",
        "2026-06-20",
    ]);
    again.assert_code(1);
    assert!(
        again.stderr.contains(
            "error: content/incidents/2026-06-checkout-latency.md already exists (\"Checkout latency\"); open it to carry on, or choose another title or date (--date)"
        ),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join(&rel)).unwrap(),
        "+++\ntitle = \"Checkout latency\"\n+++\nAn hour of writing.\n"
    );
    assert!(
        !site
            .root()
            .join("content/incidents/2026-06-checkout-latency-2.md")
            .exists()
    );
}

/// A template may say how its reviews are named (`file_name`, `title_format`): the weekly ops
/// review is `reviews/ops/2026-w49.md`, "Weekly ops review, 2026-W49", like the ones before it.
#[test]
fn new_follows_the_templates_naming() {
    let site = TestSite::empty();
    let dir = site.root().join("hb");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.arg("init").arg(&dir);
    run(cmd).assert_success();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.args([
        "new",
        "ops-review",
        "Week 49",
        "--date",
        "2026-12-03",
        "--root",
    ])
    .arg(&dir);
    let created = run(cmd);
    created.assert_success();
    assert_eq!(created.stdout.trim(), "content/reviews/ops/2026-w49.md");
    assert!(
        created.stderr.contains(
            "`ops-review` names its reviews itself: titled \"Weekly ops review, 2026-W49\"."
        ),
        "{}",
        created.stderr
    );
    let text = std::fs::read_to_string(dir.join("content/reviews/ops/2026-w49.md")).unwrap();
    assert!(
        text.starts_with(
            "+++\ntitle = \"Weekly ops review, 2026-W49\"\nid = \"OPS-2026-W49\"\ndate = 2026-12-03\n"
        ),
        "{text}"
    );
    // No title needed, and the same week again is refused.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.args(["new", "ops-review", "--date", "2026-12-04", "--root"])
        .arg(&dir);
    let again = run(cmd);
    again.assert_code(1);
    assert!(
        again
            .stderr
            .contains("content/reviews/ops/2026-w49.md already exists"),
        "{}",
        again.stderr
    );
    // A template whose names need a title says so.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.args(["new", "incident-review", "--root"]).arg(&dir);
    let untitled = run(cmd);
    untitled.assert_code(1);
    assert!(
        untitled
            .stderr
            .contains("a `incident-review` review needs a title"),
        "{}",
        untitled.stderr
    );
}

/// A naming pattern with a placeholder opsbook does not know is an error at the template.
#[test]
fn an_unknown_naming_placeholder_is_an_error_at_the_template() {
    let site = TestSite::fixture("basic");
    let template =
        std::fs::read_to_string(site.root().join("content/templates/incident-review.md")).unwrap();
    site.write(
        "content/templates/incident-review.md",
        &template.replacen(
            "label = \"Incident\"\n",
            "label = \"Incident\"\nfile_name = \"{year}-{mnth}-{slug}\"\n",
            1,
        ),
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        "content/templates/incident-review.md:6:13: error: `file_name` has an unknown placeholder `{mnth}`\n= help: did you mean `{month}`?\n"
    );
}

/// Every command that reads a handbook explains `--root` in its help.
#[test]
fn root_is_explained_under_every_command() {
    for command in ["build", "serve", "check", "new"] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
        cmd.args([command, "--help"]);
        let help = run(cmd);
        help.assert_success();
        let line = help
            .stdout
            .lines()
            .skip_while(|l| !l.trim_start().starts_with("--root"))
            .take(2)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            line.contains("The handbook's root folder"),
            "opsbook {command} --help: {line}\n{}",
            help.stdout
        );
    }
}

/// The "Next:" line `init` prints works when pasted into a shell, even for a folder with a space
/// in its name and a binary that is not on PATH. (Pasted with `check` for `serve`, which would
/// not return.)
#[test]
fn inits_next_line_works_when_pasted() {
    let site = TestSite::empty();
    let dir = site.root().join("our handbook");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.arg("init").arg(&dir).env("PATH", "/usr/bin:/bin");
    let init = run(cmd);
    init.assert_success();
    let next = init
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("Next: "))
        .unwrap_or_else(|| panic!("no Next: line in\n{}", init.stderr));
    assert!(
        next.ends_with(&format!(" serve --root '{}'", dir.display())),
        "{next}"
    );
    let pasted = next.replace(" serve --root ", " check --root ");
    let mut shell = std::process::Command::new("sh");
    shell.args(["-c", &pasted]).env("NO_COLOR", "1");
    let checked = run(shell);
    checked.assert_success();
    assert!(
        checked.stderr.contains("0 error(s), 0 warning(s)"),
        "{}",
        checked.stderr
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(
        readme.contains("cargo install --path . --locked")
            && !readme.contains("](https://github.com/)"),
        "{readme}"
    );
}
