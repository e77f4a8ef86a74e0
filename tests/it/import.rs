//! Bringing a handbook as it is: reviews kept elsewhere, templates inferred from a folder of
//! files, and dates and edit links from git.

use crate::harness::TestSite;

const BUSINESS_TEMPLATE: &str = "+++\ntitle = \"Business review\"\nfolder = \"reviews/business\"\nmeeting = \"incident-review\"\n\n\
    [fields.teams]\ntype = \"list\"\nof = \"team\"\nrequired = true\n\n\
    [fields.tier]\ntype = \"enum\"\nvalues = [\"small\", \"large\"]\n\n\
    [fields.document]\ntype = \"url\"\nreplaces_body = true\n\n\
    [fields.metrics]\ntype = \"metrics\"\n\n\
    [[sections]]\nheading = \"Summary\"\nprompt = \"How well is it running?\"\n+++\n";

/// A review whose body is a link to a document kept elsewhere is a full archive entry: valid
/// without its sections, listed, faceted, searchable, and its page leads with the link. Its URL
/// is checked for form; a review without the link still needs its sections.
#[test]
fn a_review_kept_elsewhere_is_a_full_archive_entry() {
    let site = TestSite::fixture("basic");
    site.write("content/templates/business-review.md", BUSINESS_TEMPLATE);
    site.write(
        "content/reviews/business/2026-q1-payments.md",
        "+++\ntitle = \"Payments business review, 2026-Q1\"\nid = \"BR-1\"\ndate = 2026-04-20\nteams = [\"payments\"]\ntier = \"large\"\n\
         document = \"https://docs.example.com/payments/br-2026-q1\"\n\n\
         [[metrics]]\nname = \"Checkout availability\"\nunit = \"%\"\ngoal = 99.95\ndirection = \"up\"\nvalue = 99.97\n+++\n",
    );
    site.build().assert_success();
    let page = site.page("/reviews/business/2026-q1-payments/");
    assert!(
        page.contains("<p class=\"document-link\"><a href=\"https://docs.example.com/payments/br-2026-q1\">Read the full review on docs.example.com</a></p>"),
        "{page}"
    );
    let index = crate::harness::search_index(&site.out());
    let doc = index
        .document_at("/reviews/business/2026-q1-payments/")
        .expect("in the search index");
    let hits = index.search("business review 2026-Q1").expect("a search");
    assert!(hits.contains(&doc), "findable by its title");
    let facets = crate::harness::search_facets(&site.out(), "/reviews/business/2026-q1-payments/");
    for filter in [
        "team:payments",
        "tier:large",
        "kind:Business review",
        "year:2026",
    ] {
        assert!(
            facets.contains(&filter.to_string()),
            "filed under {filter}: {facets:?}"
        );
    }
    assert!(
        site.page("/search/").contains("data-facet=\"tier\""),
        "an enum field is a facet"
    );
    for listing in [
        "/templates/business-review/",
        "/teams/payments/",
        "/meetings/incident-review/",
    ] {
        assert!(
            site.page(listing)
                .contains("Payments business review, 2026-Q1"),
            "listed on {listing}"
        );
    }

    site.write(
        "content/reviews/business/2026-q1-payments.md",
        "+++\ntitle = \"Payments\"\nteams = [\"payments\"]\ndocument = \"docs.example.com/payments\"\n+++\n",
    );
    site.write(
        "content/reviews/business/2026-q2-payments.md",
        "+++\ntitle = \"Payments, Q2\"\nteams = [\"payments\"]\n+++\nNo link and no sections.\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        "content/reviews/business/2026-q1-payments.md:4:12: error: field `document` must be a URL such as https://docs.example.com/review (or a path on this site, /guides/x/), found \"docs.example.com/payments\"\n\
         content/reviews/business/2026-q1-payments.md:6:1: error: missing required section `## Summary`\n\
         = help: add a `## Summary` heading: How well is it running?\n\
         content/reviews/business/2026-q2-payments.md:6:1: error: missing required section `## Summary`\n\
         = help: add a `## Summary` heading: How well is it running?\n"
    );
}

/// A folder of 240 postmortems with YAML front matter, written before opsbook: `infer --write`
/// writes the template that claims it, every file validates, `check` passes, and the files are
/// reviews, listed on the template's page and filed under its enum and team facets.
#[test]
fn infer_turns_a_folder_of_yaml_files_into_reviews() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/teams/edge.md",
        "+++\ntitle = \"Edge\"\n\n[[members]]\nhandle = \"kofi\"\nname = \"Kofi Mensah\"\n+++\n",
    );
    let severities = ["SEV-1", "SEV-2", "SEV-3"];
    let teams = ["payments", "edge"];
    for n in 0..240 {
        let month = n % 12 + 1;
        let day = n % 27 + 1;
        let runbook = if n % 3 == 0 {
            format!("runbook: https://wiki.example.com/runbooks/{n}\n")
        } else {
            String::new()
        };
        site.write(
            &format!("content/postmortems/pm-{n:03}.md"),
            &format!(
                "---\ntitle: \"Postmortem {n}: queue stalled\"\ndate: 2025-{month:02}-{day:02}\n\
                 severity: {}\nteam: {}\nresponders: [{}, sam]\nauthor: person-{n}\n\
                 customer_impact: {}\nduration_minutes: {}\ncost_usd: {}\n\
                 started: 2025-{month:02}-{day:02}T0{}:15:00Z\n{runbook}\
                 lessons: \"{}\"\ntags: [queue, {}]\n---\n\n# What happened\n\nThe queue stalled.\n",
                severities[n % 3],
                teams[n % 2],
                teams[(n + 1) % 2],
                n % 2 == 0,
                10 + n,
                if n % 4 == 0 { format!("{}", n * 100) } else { format!("{}.5", n * 100) },
                n % 10,
                "We learned that long queues hide old jobs, and that an alert on queue length alone does not see them. ".repeat(2),
                if n % 2 == 0 { "deploys" } else { "ci" },
            ),
        );
    }
    let before = site.run(&["check"]);
    before.assert_success();

    let printed = site.run(&["infer", "postmortems"]);
    printed.assert_success();
    assert!(
        printed
            .stderr
            .contains("240 of 240 files in content/postmortems/ validate against this template."),
        "{}",
        printed.stderr
    );
    let template = &printed.stdout;
    for expected in [
        "folder = \"postmortems\"\n",
        "[fields.severity]\ntype = \"enum\"\nvalues = [\"SEV-1\", \"SEV-2\", \"SEV-3\"]\nrequired = true\n",
        "[fields.team]\ntype = \"team\"\nrequired = true\n",
        "[fields.responders]\ntype = \"list\"\nof = \"string\"\nrequired = true\n",
        "[fields.author]\ntype = \"string\"\nrequired = true\n",
        "[fields.customer_impact]\ntype = \"bool\"\nrequired = true\n",
        "[fields.duration_minutes]\ntype = \"int\"\nrequired = true\n",
        "[fields.cost_usd]\ntype = \"float\"\nrequired = true\n",
        "[fields.started]\ntype = \"datetime\"\nrequired = true\n",
        "[fields.runbook]\ntype = \"url\"\nhelp = \"Set in 80 of 240 files",
        "[fields.lessons]\ntype = \"text\"\nrequired = true\n",
        "[fields.tags]\ntype = \"list\"\nof = \"string\"\nrequired = true\n",
    ] {
        assert!(
            template.contains(expected),
            "missing {expected:?} in\n{template}"
        );
    }

    let written = site.run(&["infer", "content/postmortems", "--write"]);
    written.assert_success();
    assert_eq!(written.stdout.trim(), "content/templates/postmortems.md");
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/templates/postmortems.md")).unwrap(),
        *template,
        "--write saves what infer prints"
    );
    let checked = site.run(&["check"]);
    checked.assert_success();
    assert!(
        checked.stderr.contains("0 error(s), 0 warning(s)"),
        "{}",
        checked.stderr
    );
    let again = site.run(&["infer", "postmortems", "--write"]);
    again.assert_code(1);
    assert!(
        again
            .stderr
            .contains("content/templates/postmortems.md already exists; --force replaces it"),
        "{}",
        again.stderr
    );
    site.run(&["infer", "postmortems", "--write", "--force"])
        .assert_success();

    site.run(&["build", "--no-search"]).assert_success();
    // 240 reviews: the newest 100 on the template's page, the rest on two more.
    let listed: String = [
        "/templates/postmortems/",
        "/templates/postmortems/page/2/",
        "/templates/postmortems/page/3/",
    ]
    .iter()
    .map(|url| site.page(url))
    .collect();
    assert!(
        listed.contains("Postmortem 0: queue stalled")
            && listed.contains("Postmortem 239: queue stalled"),
        "the template lists its reviews"
    );
    site.build().assert_success();
    let facets = crate::harness::search_facets(&site.out(), "/postmortems/pm-007/");
    for filter in ["severity:SEV-2", "team:edge", "kind:Postmortem"] {
        assert!(
            facets.contains(&filter.to_string()),
            "filed under {filter}: {facets:?}"
        );
    }
}

/// A file that does not fit is counted and named with its first problem, at its line.
#[test]
fn infer_names_the_files_that_do_not_fit() {
    let site = TestSite::fixture("basic");
    for n in 0..6 {
        site.write(
            &format!("content/notes/n{n}.md"),
            &format!(
                "+++\ntitle = \"Note {n}\"\nrisk = \"{}\"\n+++\n",
                ["low", "high"][n % 2]
            ),
        );
    }
    site.write(
        "content/notes/odd.md",
        "+++\ntitle = \"Odd\"\nrisk = 3\n+++\n",
    );
    site.write("content/notes/broken.md", "+++\ntitle = \"Broken\n+++\n");
    let run = site.run(&["infer", "notes"]);
    run.assert_success();
    assert!(
        run.stdout
            .contains("[fields.risk]\ntype = \"string\"\nrequired = true\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.diagnostics(),
        "content/notes/broken.md:2:16: error: invalid TOML front matter: invalid basic string, expected `\"`\n\
         content/notes/odd.md:3:8: error: field `risk` must be a string, found an integer\n"
    );
    assert!(
        run.stderr
            .contains("6 of 8 files in content/notes/ validate against this template."),
        "{}",
        run.stderr
    );
    let nothing = site.run(&["infer", "no-such-folder"]);
    nothing.assert_code(1);
    assert!(
        nothing
            .stderr
            .contains("content/no-such-folder/ has no markdown files to infer a template from"),
        "{}",
        nothing.stderr
    );
}

/// A `git` on PATH that records each call in a log and runs the real one.
struct CountingGit {
    dir: tempfile::TempDir,
}

impl CountingGit {
    fn new() -> CountingGit {
        let real = std::process::Command::new("sh")
            .args(["-c", "command -v git"])
            .output()
            .expect("sh");
        let real = String::from_utf8_lossy(&real.stdout).trim().to_string();
        assert!(!real.is_empty(), "these tests need git");
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("git");
        let log = dir.path().join("calls.log");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{real}' \"$@\"\n",
                log.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        CountingGit { dir }
    }

    /// PATH with this `git` first.
    fn path(&self) -> std::ffi::OsString {
        let mut paths = vec![self.dir.path().to_path_buf()];
        paths.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(paths).unwrap()
    }

    /// How many times opsbook ran `git log`.
    fn logs(&self) -> usize {
        std::fs::read_to_string(self.dir.path().join("calls.log"))
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(" log "))
            .count()
    }
}

/// Runs git in the site with fixed names and dates.
fn git(site: &TestSite, args: &[&str], date: &str) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(site.root())
        .args(["-c", "user.name=Dana", "-c", "user.email=dana@example.com"])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        // The site's own repository, even when the tests run from inside a git hook.
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A handbook that is a git checkout: `opsbook build` with the counting git first on PATH.
fn build_with(site: &TestSite, counting: &CountingGit) -> crate::harness::Run {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.args(["build", "--no-search", "--root"])
        .arg(site.root())
        .env("PATH", counting.path())
        .env("NO_COLOR", "1");
    crate::harness::run(cmd)
}

/// In a git checkout each page shows the date of its file's last commit, from one `git log`
/// for the whole tree; `edit_url` adds "Edit this page". Outside a repository, or without git,
/// there is no date and no complaint.
#[test]
fn pages_show_their_last_commit_and_an_edit_link() {
    let site = TestSite::fixture("basic");
    site.write(
        "opsbook.toml",
        "title = \"Fixture\"\ntoday = \"2026-06-01\"\nedit_url = \"https://git.example.com/hb/edit/main/content\"\n",
    );
    let counting = CountingGit::new();
    let built = build_with(&site, &counting);
    built.assert_success();
    assert_eq!(built.diagnostics(), "", "not a repository: no complaint");
    let page = site.page("/incidents/2026-05-cache/");
    assert!(!page.contains("Last updated"), "{page}");
    assert!(
        page.contains("<a href=\"https://git.example.com/hb/edit/main/content/incidents/2026-05-cache.md\">Edit this page</a>"),
        "{page}"
    );

    git(
        &site,
        &["init", "-q", "-b", "main"],
        "2026-01-05T10:00:00+00:00",
    );
    git(&site, &["add", "."], "2026-01-05T10:00:00+00:00");
    git(
        &site,
        &["commit", "-qm", "Handbook"],
        "2026-01-05T10:00:00+00:00",
    );
    site.write(
        "content/incidents/2026-05-cache.md",
        &std::fs::read_to_string(site.root().join("content/incidents/2026-05-cache.md"))
            .unwrap()
            .replace("Caches emptied.", "Caches emptied twice."),
    );
    git(
        &site,
        &["commit", "-qam", "Cache: more"],
        "2026-03-20T16:30:00+01:00",
    );
    site.write("content/guides/new.md", "# Not committed yet\n");

    let before = counting.logs();
    build_with(&site, &counting).assert_success();
    assert_eq!(
        counting.logs() - before,
        1,
        "one git log for the whole tree"
    );
    let updated = |url: &str| {
        let page = site.page(url);
        page.split("Last updated <time datetime=\"")
            .nth(1)
            .and_then(|rest| rest.get(..10))
            .map(str::to_string)
    };
    assert_eq!(
        updated("/incidents/2026-05-cache/").as_deref(),
        Some("2026-03-20")
    );
    assert_eq!(
        updated("/incidents/2026-03-db-failover/").as_deref(),
        Some("2026-01-05")
    );
    assert_eq!(
        updated("/guides/new/"),
        None,
        "a file not committed yet has no date"
    );

    // No git at all: the build still works, without dates.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.args(["build", "--no-search", "--root"])
        .arg(site.root())
        .env("PATH", "/nonexistent")
        .env("NO_COLOR", "1");
    let without = crate::harness::run(cmd);
    without.assert_success();
    assert_eq!(without.diagnostics(), "");
    assert_eq!(updated("/incidents/2026-05-cache/"), None);
}

/// The preview server asks git once at start and again only when files come or go: never per
/// request, and not for an edit of a file's text.
#[test]
fn serve_reads_commit_dates_once_not_per_request() {
    let site = TestSite::fixture("basic");
    git(
        &site,
        &["init", "-q", "-b", "main"],
        "2026-01-05T10:00:00+00:00",
    );
    git(&site, &["add", "."], "2026-01-05T10:00:00+00:00");
    git(
        &site,
        &["commit", "-qm", "Handbook"],
        "2026-01-05T10:00:00+00:00",
    );
    let counting = CountingGit::new();
    let path = counting.path();
    let server = crate::server::Server::start_env(&site, &[], &[("PATH", path.as_os_str())]);
    server.wait_for(
        "/incidents/2026-05-cache/",
        "Last updated <time datetime=\"2026-01-05\">",
    );
    for page in [
        "/",
        "/incidents/2026-03-db-failover/",
        "/guides/plain/",
        "/teams/payments/",
    ] {
        assert_eq!(server.get(page).0, 200);
    }
    assert_eq!(counting.logs(), 1, "once at start");

    let cache = site.root().join("content/incidents/2026-05-cache.md");
    let text = std::fs::read_to_string(&cache).unwrap();
    site.write(
        "content/incidents/2026-05-cache.md",
        &text.replace("Caches emptied.", "Caches emptied. EDITED-TOKEN."),
    );
    server.wait_for("/incidents/2026-05-cache/", "EDITED-TOKEN");
    server.get("/incidents/2026-05-cache/");
    assert_eq!(counting.logs(), 1, "an edit is not a commit");

    site.write("content/guides/added.md", "# Added\n");
    server.wait_for("/guides/added/", "Added");
    assert_eq!(counting.logs(), 2, "a new file: read again");
}
