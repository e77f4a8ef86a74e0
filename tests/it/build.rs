//! Building sites: pages at the right URLs, linked as described, drafts left out.

use std::collections::HashSet;

use crate::harness::{TestSite, contents, files, ids_in, read_page, repo_root, run, urls_in};

#[test]
fn fixture_site_builds_every_kind_of_page() {
    let site = TestSite::fixture("basic");
    site.build().assert_success();

    let review = site.page("/incidents/2026-03-db-failover/");
    assert!(review.contains("<h1>Database failover stalled</h1>"));
    assert!(review.contains("SEV1"), "severity badge");
    assert!(
        review.contains("href=\"/teams/payments/\""),
        "teams link to their page"
    );
    assert!(review.contains("hl-"), "code is highlighted at build time");
    assert!(
        review.contains("href=\"/incidents/2026-05-cache/\">Cache eviction storm</a>"),
        "a wiki-link by id gets the target's title"
    );

    let playbook = site.page("/meetings/incident-review/");
    assert!(
        playbook.contains("href=\"/templates/incident-review/\""),
        "playbook lists its template"
    );
    assert!(
        playbook.contains("Database failover stalled") && playbook.contains("Cache eviction storm"),
        "and its archive"
    );
    let newest = playbook.find("Cache eviction storm").unwrap();
    let older = playbook.find("Database failover stalled").unwrap();
    assert!(newest < older, "archive is newest first");

    let template = site.page("/templates/incident-review/");
    assert!(
        template.contains("<code>severity</code>") && template.contains("enum (sev1, sev2, sev3)"),
        "field table"
    );
    assert!(template.contains("What happened."), "section prompts");
    assert!(template.contains("opsbook new incident-review"));

    let team = site.page("/teams/payments/");
    assert!(team.contains("Dana Okafor") && team.contains("@payments-oncall"));
    assert!(
        team.contains("Database failover stalled"),
        "team lists reviews naming it"
    );
    assert!(
        team.contains("Automate failover drills"),
        "and their open action items"
    );

    assert!(
        site.page("/guides/yaml-page/")
            .contains("<h1>A page in YAML</h1>")
    );
    let plain = site.page("/guides/plain/");
    assert!(plain.contains("<h1>Plain markdown page</h1>"));
    assert_eq!(
        plain.matches("Plain markdown page</h1>").count(),
        1,
        "the first heading is the title, shown once"
    );

    let catalogue = site.page("/incidents/");
    assert!(catalogue.contains("2026") && catalogue.contains("Cache eviction storm"));
    for page in [
        "/",
        "/guides/",
        "/action-items/",
        "/404.html",
        "/sitemap.xml",
        "/style.css",
        "/syntax.css",
    ] {
        site.page(page);
    }
    assert!(
        site.page("/sitemap.xml")
            .contains("<loc>/incidents/2026-03-db-failover/</loc>")
    );
}

#[test]
fn overdue_items_use_the_configured_today() {
    let site = TestSite::fixture("basic");
    site.build().assert_success();
    let items = site.page("/action-items/");
    // today = 2026-06-01 in the fixture: the open item due 2026-04-01 is overdue, the done one is not.
    let row = items
        .split("<tr")
        .find(|r| r.contains("Automate failover drills"))
        .unwrap();
    assert!(
        row.contains("is-overdue") && row.contains("overdue</span>"),
        "{row}"
    );
    let done = items
        .split("<tr")
        .find(|r| r.contains("Write the runbook"))
        .unwrap();
    assert!(!done.contains("is-overdue"), "{done}");
}

#[test]
fn related_shows_on_both_documents_and_backlinks_are_listed() {
    let site = TestSite::fixture("basic");
    site.build().assert_success();
    let first = site.page("/incidents/2026-03-db-failover/");
    let related = first
        .split("id=\"related\"")
        .nth(1)
        .expect("a Related section");
    assert!(
        related.contains("Cache eviction storm"),
        "INC-2026-002 names INC-2026-001 in `related`"
    );
    let guide = site.page("/teams/payments/");
    assert!(
        guide.contains("Referenced by") && guide.contains("A page in YAML"),
        "the YAML page links to the team"
    );
}

#[test]
fn drafts_never_reach_a_build_but_do_with_drafts_flag() {
    let site = TestSite::fixture("basic");
    let built = site.build();
    built.assert_success();
    assert!(
        built
            .stderr
            .contains("0 warning(s), 1 draft left out (--drafts includes it))"),
        "the build says what it left out: {}",
        built.stderr
    );
    for file in files(&site.out()) {
        let bytes = std::fs::read(site.out().join(&file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("SECRET-DRAFT-TOKEN") && !text.contains("Unfinished zebra write-up"),
            "draft leaked into {}",
            file.display()
        );
    }
    let with_drafts = site.run(&["build", "--drafts"]);
    with_drafts.assert_success();
    assert!(
        !with_drafts.stderr.contains("left out"),
        "{}",
        with_drafts.stderr
    );
    let draft = site.page("/incidents/2026-05-draft/");
    assert!(draft.contains("SECRET-DRAFT-TOKEN") && draft.contains("draft-banner"));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = TestSite::fixture("basic");
    site.build().assert_success();
    let before: Vec<_> = contents(&site.out());
    site.write(
        "content/incidents/2026-05-cache.md",
        "+++\ntitle = \"broken\n+++\n",
    );
    site.build().assert_code(1);
    let after: Vec<_> = contents(&site.out());
    assert_eq!(before.len(), after.len());
    assert!(before == after, "output changed after a failed build");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".opsbook"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder is left behind");
}

#[test]
fn usage_errors_exit_2_and_output_over_sources_is_refused() {
    let site = TestSite::fixture("basic");
    site.run(&["build", "--no-such-flag"]).assert_code(2);
    let root = site.root().to_str().unwrap().to_string();
    let run = site.run(&["build", "--out", &root]);
    run.assert_code(1);
    assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    assert!(site.root().join("content/teams/payments.md").exists());
}

#[test]
fn a_site_template_overrides_the_theme_file() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/page.html",
        "<!doctype html><title>{{ page.title }}</title><p>custom page: {{ page.title }}</p>",
    );
    site.build().assert_success();
    assert!(
        site.page("/guides/plain/")
            .contains("custom page: Plain markdown page")
    );
    assert!(
        site.page("/incidents/2026-03-db-failover/")
            .contains("SEV1"),
        "other templates stay"
    );
}

#[test]
fn a_folder_of_markdown_without_config_builds() {
    let site = TestSite::empty();
    site.write(
        "content/notes/first.md",
        "# First note\n\nSee [the second](second.md).\n",
    );
    site.write("content/notes/second.md", "Second, no heading.\n");
    site.build().assert_success();
    assert!(
        site.page("/notes/first/")
            .contains("href=\"/notes/second/\"")
    );
    assert!(site.page("/notes/second/").contains("<h1>Second</h1>"));
    assert!(site.page("/").contains("Handbook"));
}

/// The example handbook in `content/` builds, and every internal link and fragment in it
/// resolves to a file in the output and an id on that page.
#[test]
fn example_handbook_builds_with_every_link_resolving() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("site");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.args(["build", "--root"])
        .arg(repo_root())
        .arg("--out")
        .arg(&out);
    let run = run(cmd);
    assert_eq!(run.code, 0, "{}", run.stderr);

    for url in [
        "/",
        "/meetings/incident-review/",
        "/meetings/ops-review/",
        "/templates/incident-review/",
        "/teams/payments/",
        "/incidents/",
        "/incidents/2026-03-checkout-502s/",
        "/reviews/ops/",
        "/reviews/business/",
        "/specs/",
        "/action-items/",
        "/guides/impact-levels/",
        "/sitemap.xml",
        "/404.html",
    ] {
        read_page(&out, url);
    }
    let playbook = read_page(&out, "/meetings/incident-review/");
    for incident in ["INC-2026-004", "INC-2026-005", "INC-2025-031"] {
        assert!(
            playbook.contains(incident),
            "incident review playbook lists {incident}"
        );
    }

    let pages: Vec<_> = files(&out)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
        .collect();
    let mut ids_cache = std::collections::HashMap::new();
    let mut broken = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        for url in urls_in(&html) {
            if url.starts_with("http") || url.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = url
                .split_once('#')
                .map_or((url.as_str(), None), |(p, f)| (p, Some(f)));
            let target = if path.is_empty() {
                page.clone()
            } else if let Some(abs) = path.strip_prefix('/') {
                let p = out.join(abs);
                if abs.is_empty() || abs.ends_with('/') {
                    p.join("index.html")
                        .strip_prefix(&out)
                        .unwrap()
                        .to_path_buf()
                } else {
                    p.strip_prefix(&out).unwrap().to_path_buf()
                }
            } else {
                broken.push(format!("{}: relative link {url}", page.display()));
                continue;
            };
            if !out.join(&target).is_file() {
                broken.push(format!(
                    "{}: {url} (no file {})",
                    page.display(),
                    target.display()
                ));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let ids: &HashSet<String> = ids_cache.entry(target.clone()).or_insert_with(|| {
                    ids_in(&std::fs::read_to_string(out.join(&target)).unwrap_or_default())
                        .into_iter()
                        .collect()
                });
                if !ids.contains(fragment) {
                    broken.push(format!("{}: {url} (no id {fragment})", page.display()));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "broken links in the example handbook:\n{}",
        broken.join("\n")
    );

    // The handbook's draft incident (INC-2026-014) is nowhere: not its title, not its text. The
    // thorough leak checks (every kind of output, search index included) run on fixtures in
    // security.rs; this one makes sure the example reads like a real handbook and still holds.
    for file in files(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(out.join(&file)).unwrap()).into_owned();
        for draft_text in ["Deploy queue backlog", "worker lease timeout"] {
            assert!(
                !text.contains(draft_text),
                "the draft incident leaked into {}",
                file.display()
            );
        }
    }
}

/// A build killed half-way (a laptop lid closed, Ctrl-C, an OOM kill) leaves the previous site
/// complete: output is written beside it and swapped in only at the end.
#[test]
fn a_killed_build_leaves_the_previous_output_complete() {
    let site = TestSite::fixture("basic");
    site.build().assert_success();
    let before: Vec<_> = contents(&site.out());
    // Enough pages that the next build takes a while.
    for n in 0..1500 {
        site.write(
            &format!("content/bulk/page-{n}.md"),
            &format!(
                "# Page {n}\n\n{}\n",
                "Some words to index and render. ".repeat(200)
            ),
        );
    }
    for delay in [50u64, 300, 900] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"))
            .args(["build", "--quiet", "--root"])
            .arg(site.root())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let after: Vec<_> = contents(&site.out());
        // Either the old site, untouched, or (if the build finished first) the whole new one.
        let finished = after.iter().any(|(f, _)| f.starts_with("bulk"));
        if finished {
            assert!(
                after.len() > before.len() + 1500,
                "a finished build is complete"
            );
        } else {
            assert!(
                before == after,
                "killed after {delay} ms: the previous output changed"
            );
        }
    }
}

/// One search index at any size: every published document is in it exactly once, with its
/// title, and nothing else (listings, generated pages) is.
#[test]
fn every_document_is_in_the_one_search_index_once() {
    let site = TestSite::fixture("basic");
    for n in 0..40 {
        site.write(
            &format!("content/bulk/page-{n}.md"),
            &format!("# Bulk page {n}\n\nText {n}.\n"),
        );
    }
    site.build().assert_success();
    let index = crate::harness::search_index(&site.out());
    let docs = index.manifest.documents;
    let urls: std::collections::BTreeSet<String> = (0..docs as u32)
        .map(|d| {
            index.fragment(d).expect("every document has its fragment")["u"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(urls.len() as u64, docs, "no document twice");
    for n in 0..40 {
        assert!(
            urls.contains(&format!("/bulk/page-{n}/")),
            "page {n} indexed"
        );
    }
    assert!(urls.contains("/incidents/2026-03-db-failover/"));
    assert!(
        !urls.contains("/incidents/2026-05-draft/") && !urls.contains("/action-items/"),
        "no draft, no generated page: {urls:?}"
    );
    assert!(!site.out().join("pagefind").exists());
}

/// A business review's page reads as people write: numbers with thousands separators and their
/// unit, and team members by name (the handle kept in a title), in fields and action items.
#[test]
fn numbers_carry_separators_and_units_and_people_show_by_name() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/templates/business-review.md",
        "+++\ntitle = \"Business review\"\nfolder = \"reviews/business\"\n\n\
         [fields.teams]\ntype = \"list\"\nof = \"team\"\n\n\
         [fields.author]\ntype = \"string\"\n\n\
         [fields.headcount]\ntype = \"int\"\nunit = \"engineers\"\n\n\
         [fields.founded]\ntype = \"int\"\n\n\
         [fields.monthly_cost]\ntype = \"float\"\nunit = \"USD\"\n\n\
         [fields.metrics]\ntype = \"metrics\"\n\n\
         [fields.action_items]\ntype = \"action_items\"\n+++\n",
    );
    site.write(
        "content/reviews/business/q3.md",
        "+++\ntitle = \"Payments, Q3\"\ndate = 2026-05-20\nteams = [\"payments\"]\nauthor = \"dana\"\n\
         headcount = 4\nfounded = 2019\nmonthly_cost = 126400.0\n\n\
         [[metrics]]\nname = \"Cost per month\"\nunit = \"USD\"\ngoal = 120000\ndirection = \"down\"\nvalue = 126400\n\n\
         [[action_items]]\ntitle = \"Cut the peak capacity\"\nowner = \"dana\"\ndue = 2026-07-01\nstatus = \"open\"\n\n\
         [[action_items]]\ntitle = \"Ask finance\"\nowner = \"zed\"\ndue = 2026-07-01\nstatus = \"open\"\n+++\n\nText.\n",
    );
    site.build().assert_success();
    let page = site.page("/reviews/business/q3/");
    for expected in [
        "<dd>126,400 USD</dd>",
        "<dd>4 engineers</dd>",
        "<dd>2019</dd>",
        "<dd><span class=\"person\" title=\"@dana\">Dana Okafor</span></dd>",
        "126,400 USD</td>",
        "120,000 USD</td>",
        "<span class=\"person\" title=\"@dana\">Dana Okafor</span></td>",
        "<td data-label=\"Owner\">zed</td>",
    ] {
        assert!(page.contains(expected), "missing {expected}\nin:\n{page}");
    }
    // The tracker links an owner to their items, by name, the handle in the title.
    let tracker = site.page("/action-items/");
    assert!(
        tracker.contains("title=\"@dana\">Dana Okafor</a>"),
        "{tracker}"
    );
}

/// "On this page" lists the sections a page generates, not only the headings of its text, and
/// a team page puts what a leader needs first (open items, incidents) before its charts.
#[test]
fn on_this_page_lists_generated_sections_and_team_pages_lead_with_open_items() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/incidents/2026-05-cache.md",
        "+++\ntitle = \"Cache eviction storm\"\nid = \"INC-2026-002\"\ndate = 2026-05-02\nseverity = \"sev3\"\nteams = [\"payments\"]\n+++\n\n## Summary\n\nCaches emptied.\n\n## Timeline\n\nShort.\n",
    );
    site.build().assert_success();
    let toc = |html: &str| -> Vec<String> {
        let nav = html
            .split("aria-labelledby=\"toc-title\"")
            .nth(1)
            .and_then(|rest| rest.split("</nav>").next())
            .expect("an On this page list")
            .to_string();
        nav.split("<a href=\"#")
            .skip(1)
            .map(|a| a[..a.find('"').unwrap()].to_string())
            .collect()
    };
    let template = site.page("/templates/incident-review/");
    assert_eq!(toc(&template)[..3], ["fields", "sections", "made-from"]);
    let team = site.page("/teams/payments/");
    let ids = toc(&team);
    assert_eq!(
        ids[..3],
        ["open-items", "list-incidents", "members"],
        "{ids:?}"
    );
    assert!(ids.contains(&"incident-stats".to_string()), "{ids:?}");
    for id in &ids {
        assert!(team.contains(&format!(" id=\"{id}\"")), "#{id} exists");
    }
    let at = |id: &str| team.find(&format!(" id=\"{id}\"")).unwrap();
    assert!(at("open-items") < at("list-incidents") && at("list-incidents") < at("incident-stats"));
}

/// The article part of a page: what it says, without the site's navigation around it.
fn article(html: &str) -> &str {
    let start = html.find("<article").expect("an article");
    let end = html.rfind("</article>").expect("the article's end");
    &html[start..end]
}

/// The same facts are not shown twice on a page: a review's metrics and action items appear
/// once, under the author's own heading when the text has one; a section's index does not list
/// its pages by hand above the generated list.
#[test]
fn the_example_handbook_says_each_thing_once() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("site");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.args(["build", "--root"])
        .arg(repo_root())
        .arg("--out")
        .arg(&out);
    assert_eq!(run(cmd).code, 0);

    for url in [
        "/incidents/2026-03-checkout-502s/",
        "/incidents/2026-01-session-evictions/",
        "/reviews/business/2026-10-payments-q3/",
    ] {
        let page = read_page(&out, url);
        let body = article(&page);
        let tables = |class: &str| body.matches(&format!("<table class=\"{class}\"")).count();
        assert_eq!(tables("items"), 1, "{url}: its action items once");
        assert_eq!(
            body.matches("<table").count(),
            tables("items") + tables("metrics") + tables("chart-data"),
            "{url}: no hand-written table repeats them"
        );
        // Under the review's own Metrics or Action items heading when it has one.
        let own = |heading: &str| body.contains(&format!("<h2 id=\"{heading}\""));
        assert_eq!(
            body.contains("Tracked action items"),
            !own("action-items"),
            "{url}"
        );
        assert_eq!(
            body.contains("Metrics at a glance"),
            tables("metrics") > 0 && !own("metrics"),
            "{url}"
        );
    }
    let incident = read_page(&out, "/incidents/2026-03-checkout-502s/");
    let items = incident.find("<table class=\"items\"").unwrap();
    assert!(
        incident.find("<h2 id=\"action-items\"").unwrap() < items
            && items < incident.find("<h2 id=\"lessons-learned\"").unwrap()
    );
    let review = read_page(&out, "/reviews/business/2026-10-payments-q3/");
    assert_eq!(
        review.matches("<td>Checkout availability").count(),
        1,
        "one row per metric"
    );

    let index = read_page(&out, "/using-opsbook/");
    for page in [
        "getting-started",
        "content-model",
        "links",
        "theming",
        "publishing",
    ] {
        assert_eq!(
            article(&index)
                .matches(&format!("href=\"/using-opsbook/{page}/\""))
                .count(),
            1,
            "{page} is listed once"
        );
    }
}
