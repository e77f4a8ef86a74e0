//! Every link form resolves to the right URL; every broken one is reported at its own line and
//! column with the link text and, when there is one, the right suggestion.

use crate::harness::TestSite;

/// The basic fixture plus one page with the given body.
fn site_with(body: &str) -> TestSite {
    let site = TestSite::fixture("basic");
    site.write("content/guides/links.md", body);
    site
}

#[test]
fn every_link_form_resolves_to_the_target_url() {
    let site = site_with(
        "# Links\n\n\
         [relative](../incidents/2026-03-db-failover.md)\n\
         [root-relative](/incidents/2026-05-cache.md#timeline)\n\
         [[INC-2026-001]] by id, [[2026-05-cache]] by slug, [[meetings/incident-review]] by path\n\
         [[teams/payments|the payments team]] with text, [[INC-2026-001#summary]] with an anchor\n\
         [same page](#second-heading) and [[guides/plain]]\n\n\
         ## Second heading\n\n\
         ![diagram](../img/flow.png) and [a generated page](/action-items/)\n",
    );
    site.write("content/img/flow.png", "not really a png");
    site.build().assert_success();
    let html = site.page("/guides/links/");
    for expected in [
        "<a href=\"/incidents/2026-03-db-failover/\">relative</a>",
        "<a href=\"/incidents/2026-05-cache/#timeline\">root-relative</a>",
        "<a href=\"/incidents/2026-03-db-failover/\">Database failover stalled</a> by id",
        "<a href=\"/incidents/2026-05-cache/\">Cache eviction storm</a> by slug",
        "<a href=\"/meetings/incident-review/\">Incident review</a> by path",
        "<a href=\"/teams/payments/\">the payments team</a>",
        "<a href=\"/incidents/2026-03-db-failover/#summary\">Database failover stalled › Summary</a>",
        "<a href=\"#second-heading\">same page</a>",
        "<a href=\"/guides/plain/\">Plain markdown page</a>",
        "src=\"/img/flow.png\"",
        "<a href=\"/action-items/\">a generated page</a>",
    ] {
        assert!(html.contains(expected), "missing {expected}\nin:\n{html}");
    }
    assert_eq!(
        std::fs::read(site.out().join("img/flow.png")).unwrap(),
        b"not really a png",
        "assets are copied"
    );
}

#[test]
fn links_in_code_are_left_alone() {
    let site = site_with(
        "# Code\n\n`[[no-such-page]]` and `[x](missing.md)`\n\n```markdown\n[[also-missing]]\n[y](gone.md)\n```\n",
    );
    site.build().assert_success();
    let html = site.page("/guides/links/");
    assert!(html.contains("<code>[[no-such-page]]</code>"), "{html}");
}

#[test]
fn three_broken_links_on_three_lines_give_three_located_errors() {
    let site = site_with(
        "# Broken\n\n\
         A [missing file](../incidents/nope.md) here.\n\
         Then [[INC-2026-01|a typo]].\n\
         And [a bad anchor](../incidents/2026-03-db-failover.md#timelime).\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        "content/guides/links.md:3:3: error: broken link \"missing file\" to `../incidents/nope.md`: no file content/incidents/nope.md\n\
         content/guides/links.md:4:6: error: broken wiki-link [[INC-2026-01]]: no document has the id, slug or path `INC-2026-01`\n\
         = help: did you mean `INC-2026-001`?\n\
         content/guides/links.md:5:5: error: broken anchor `#timelime` in link \"a bad anchor\": content/incidents/2026-03-db-failover.md has no heading with that id\n\
         = help: did you mean `#timeline`?\n"
    );
    // The source line and a caret under the column are shown too.
    assert!(
        run.stderr
            .contains("4 | Then [[INC-2026-01|a typo]].\n  |      ^"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_ambiguous_wiki_link_lists_the_candidates() {
    let site = site_with("# Ambiguous\n\nSee [[incident-review]].\n");
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        "content/guides/links.md:3:5: error: broken wiki-link [[incident-review]] is ambiguous: `incident-review` matches content/meetings/incident-review.md and content/templates/incident-review.md\n\
         = help: write the path instead, e.g. `meetings/incident-review`\n"
    );
}

#[test]
fn front_matter_references_are_checked_where_they_are_written() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/incidents/2026-05-cache.md",
        "+++\ntitle = \"Cache\"\nid = \"INC-2026-002\"\nseverity = \"sev3\"\nteams = [\"payments\", \"paymens\"]\nrelated = [\"INC-2026-009\"]\ndiscussed_in = \"guides/nope\"\n\n[[action_items]]\ntitle = \"x\"\nowner = \"dana\"\ndue = 2026-01-01\nlink = \"INC-2026-01\"\n+++\n\n## Summary\n\n## Timeline\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    let got = run.diagnostics();
    assert!(got.contains("content/incidents/2026-05-cache.md:5:22: error: unknown team `paymens`\n= help: did you mean `payments`?"), "{got}");
    assert!(got.contains("content/incidents/2026-05-cache.md:6:12: error: unknown related document: no document has the id, slug or path `INC-2026-009`\ncontent"), "a different number is not a typo: {got}");
    assert!(got.contains("content/incidents/2026-05-cache.md:7:16: error: unknown page reference: no document has the id, slug or path `guides/nope`"), "{got}");
    assert!(
        got.contains("content/incidents/2026-05-cache.md:13:8: error: unknown action item link"),
        "{got}"
    );
}

#[test]
fn backlinks_are_grouped_by_kind_with_titles() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/guides/links.md",
        "# A guide\n\nRead [[INC-2026-001]].\n",
    );
    site.write(
        "content/meetings/incident-review.md",
        "+++\ntitle = \"Incident review\"\n+++\n\nThe model review is [[INC-2026-001]].\n",
    );
    site.write(
        "content/meetings/postmortem-readout.md",
        "+++\ntitle = \"Postmortem readout\"\n+++\n\nRead [[INC-2026-001]] aloud.\n",
    );
    site.build().assert_success();
    let html = site.page("/incidents/2026-03-db-failover/");
    let backlinks = html
        .split("id=\"referenced-by\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("a Referenced by section");
    assert!(
        backlinks.contains("<h3>Pages</h3>") && backlinks.contains(">A guide</a>"),
        "{backlinks}"
    );
    assert!(
        backlinks.contains("<h3>Playbooks</h3>") && backlinks.contains(">Postmortem readout</a>"),
        "{backlinks}"
    );
    // Its own meeting, template and team are linked from its header: not repeated here.
    for own in [
        ">Incident review</a>",
        "<h3>Templates</h3>",
        "<h3>Teams</h3>",
    ] {
        assert!(!backlinks.contains(own), "{own} in {backlinks}");
    }
    let header = html
        .split("class=\"doc-header")
        .nth(1)
        .and_then(|rest| rest.split("</header>").next())
        .expect("a header");
    assert!(
        header.contains("href=\"/meetings/incident-review/\"")
            && header.contains("href=\"/templates/incident-review/\"")
            && header.contains("href=\"/teams/payments/\""),
        "{header}"
    );
    // INC-2026-002 names this one in `related`: it is listed under Related, not repeated here.
    assert!(!backlinks.contains("Cache eviction storm"), "{backlinks}");
}

/// Heading ids are GitHub's, so links written on a code host keep working: punctuation and emoji
/// dropped, each space a `-` (nothing collapsed), letters of any script kept, repeats numbered.
#[test]
fn heading_ids_are_githubs() {
    let site = site_with(
        "# Ids\n\n\
         ## Loop & Tie\n\n\
         ## What's next? (Q3)\n\n\
         ## 🚀 Launch day\n\n\
         ## Über Äpfel\n\n\
         ## Notes\n\n\
         ## Notes\n\n\
         ## `opsbook check` — in CI\n\n\
         ## Kept {#custom}\n\n\
         [tie](#loop--tie) [launch](#-launch-day) [äpfel](#über-äpfel) [second notes](#notes-1)\n",
    );
    site.build().assert_success();
    let html = site.page("/guides/links/");
    for id in [
        "loop--tie",
        "whats-next-q3",
        "-launch-day",
        "über-äpfel",
        "notes",
        "notes-1",
        "opsbook-check--in-ci",
        "custom",
    ] {
        assert!(
            html.contains(&format!("<h2 id=\"{id}\">")),
            "no heading with id {id}:\n{html}"
        );
    }
    assert!(html.contains("<a href=\"#über-äpfel\">äpfel</a>"), "{html}");
}

/// A fragment written with the heading's capitals (as some renderers keep them) still links to
/// the heading, with a warning that names the exact id.
#[test]
fn an_anchor_that_differs_only_in_case_resolves_with_a_warning() {
    let site = site_with(
        "# Budget\n\nSee [the budget](../guides/gifts.md#Birthday-gift-budget) and [[guides/gifts#BIRTHDAY-GIFT-BUDGET]].\n",
    );
    site.write(
        "content/guides/gifts.md",
        "# Gifts\n\n## Birthday gift budget\n\nFifty.\n",
    );
    let run = site.build();
    run.assert_success();
    assert_eq!(
        run.diagnostics(),
        "content/guides/links.md:3:5: warning: anchor `#Birthday-gift-budget` in link \"the budget\" matches the heading `#birthday-gift-budget` of content/guides/gifts.md only when case is ignored; linked to `#birthday-gift-budget`\n\
         = help: write `#birthday-gift-budget`\n\
         content/guides/links.md:3:63: warning: anchor `#BIRTHDAY-GIFT-BUDGET` in [[guides/gifts#BIRTHDAY-GIFT-BUDGET]] matches the heading `#birthday-gift-budget` of content/guides/gifts.md only when case is ignored; linked to `#birthday-gift-budget`\n\
         = help: write `#birthday-gift-budget`\n"
    );
    let html = site.page("/guides/links/");
    assert!(
        html.contains("<a href=\"/guides/gifts/#birthday-gift-budget\">the budget</a>"),
        "{html}"
    );
    assert!(
        html.contains(
            "href=\"/guides/gifts/#birthday-gift-budget\">Gifts › Birthday gift budget</a>"
        ),
        "{html}"
    );
}

/// MkDocs (Python-Markdown) collapses the hyphens GitHub keeps: a handbook moved from MkDocs
/// links `#executive-swoop-wants-information` to the heading GitHub calls
/// `#executive-swoop---wants-information`. The link goes to that heading, with a warning; an
/// anchor that matches two headings that way stays broken.
#[test]
fn an_anchor_written_for_mkdocs_resolves_with_a_warning() {
    let site = site_with(
        "# Swoop\n\nSee [it](../guides/ic.md#executive-swoop-wants-information) and [both](../guides/ic.md#a-b).\n",
    );
    site.write(
        "content/guides/ic.md",
        "# IC\n\n## Executive Swoop - Wants Information\n\nSay no.\n\n## A - B\n\n## A -- B\n",
    );
    site.write(
        "opsbook.toml",
        "title = \"Fixture Handbook\"\ntoday = \"2026-06-01\"\n[links]\nbroken = \"warn\"\n",
    );
    let run = site.build();
    run.assert_success();
    let diagnostics = run.diagnostics();
    assert!(
        diagnostics.contains(
            "content/guides/links.md:3:5: warning: anchor `#executive-swoop-wants-information` in link \"it\" matches the heading `#executive-swoop---wants-information` of content/guides/ic.md only when case and repeated hyphens are ignored (as GitLab and MkDocs write ids); linked to `#executive-swoop---wants-information`"
        ),
        "{diagnostics}"
    );
    assert!(
        diagnostics.contains("warning: broken anchor `#a-b` in link \"both\""),
        "{diagnostics}"
    );
    let html = site.page("/guides/links/");
    assert!(
        html.contains("<a href=\"/guides/ic/#executive-swoop---wants-information\">it</a>"),
        "{html}"
    );
}

/// Every file under content/ that is not markdown (an image, a PDF, a CSV, a file with no
/// extension) is copied to the same path, and links and images to it are checked like page
/// links. Hidden folders that hold assets (GitBook's `.gitbook/assets/`) work; what else hides
/// in hidden folders (editor settings, a `.git` folder, tool templates) is not published.
#[test]
fn assets_are_copied_and_checked_and_hidden_asset_folders_work() {
    let site = site_with(
        "# Assets\n\n\
         ![latency](img/latency.png) [the runbook](runbook.pdf) [raw data](../data/export.csv)\n\
         ![from GitBook](<.gitbook/assets/image (1).png>) [a binary](../data/dump)\n",
    );
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let files: [(&str, &[u8]); 7] = [
        ("content/guides/img/latency.png", png),
        (
            "content/guides/runbook.pdf",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        ),
        ("content/data/export.csv", b"week,pages\n2026-W45,15\n"),
        ("content/data/dump", b"\0\x01\x02"),
        ("content/guides/.gitbook/assets/image (1).png", png),
        ("content/guides/.gitbook/assets/unused.png", png),
        ("content/.obsidian/workspace.json", b"{\"open\": []}"),
    ];
    for (path, bytes) in files {
        let p = site.root().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    site.write("content/.git/config", "[core]\n");
    site.write(
        "content/.github/PULL_REQUEST_TEMPLATE.md",
        "# Describe your change\n",
    );
    site.build().assert_success();
    let out = site.out();
    for (path, bytes) in &files[..5] {
        let rel = path.trim_start_matches("content/");
        assert_eq!(
            std::fs::read(out.join(rel)).unwrap_or_default(),
            *bytes,
            "{rel} is copied as it is"
        );
    }
    for unpublished in [
        "guides/.gitbook/assets/unused.png",
        ".obsidian/workspace.json",
        ".git/config",
        ".github/pull_request_template/index.html",
        ".github/PULL_REQUEST_TEMPLATE/index.html",
    ] {
        assert!(
            !out.join(unpublished).exists(),
            "{unpublished} is published"
        );
    }
    let html = site.page("/guides/links/");
    for expected in [
        "src=\"/guides/img/latency.png\"",
        "href=\"/guides/runbook.pdf\"",
        "href=\"/data/export.csv\"",
        "src=\"/guides/.gitbook/assets/image%20%281%29.png\"",
        "href=\"/data/dump\"",
    ] {
        assert!(html.contains(expected), "missing {expected}\nin:\n{html}");
    }

    site.write(
        "content/guides/links.md",
        "# Assets\n\n![latency](img/latnecy.png)\n\n[gone](../data/missing.csv)\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_eq!(
        run.diagnostics(),
        "content/guides/links.md:3:1: error: broken link to `img/latnecy.png`: no such file under content/\n\
         = help: did you mean `img/latency.png`?\n\
         content/guides/links.md:5:1: error: broken link to `../data/missing.csv`: no such file under content/\n"
    );
}
