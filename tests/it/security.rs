//! Nothing leaks and everything is escaped: drafts and private folders reach no output file
//! (the search index's files included), and hostile values come out as text.

use crate::harness::{TestSite, files};

/// Every output file as text (the search index's binary files hold their words as UTF-8 too).
fn all_output(site: &TestSite) -> Vec<(String, String)> {
    let out = site.out();
    files(&out)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(out.join(&f)).unwrap();
            (
                f.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect()
}

#[test]
fn drafts_and_private_folders_leak_nowhere() {
    let site = TestSite::fixture("basic");
    site.write(
        "opsbook.toml",
        "title = \"Fixture\"\ntoday = \"2026-06-01\"\nprivate = [\"hr\"]\n",
    );
    let secret_review = |title: &str, extra: &str| {
        format!(
            "+++\ntitle = \"{title} LEAKTOKEN\"\nid = \"INC-LEAKTOKEN-{}\"\ndate = 2026-05-30\nseverity = \"sev1\"\nteams = [\"payments\"]\nservices = [\"svc-LEAKTOKEN\"]\n{extra}\n[[action_items]]\ntitle = \"item LEAKTOKEN\"\nowner = \"owner-LEAKTOKEN\"\ndue = 2026-01-01\nstatus = \"open\"\n+++\n\n## Summary\n\nBody LEAKTOKEN links to [[INC-2026-001]].\n\n## Timeline\n\nLEAKTOKEN\n",
            title.len()
        )
    };
    site.write(
        "content/incidents/2026-05-secret-draft.md",
        &secret_review("Draft", "draft = true"),
    );
    site.write(
        "content/hr/secret.md",
        &secret_review("Private", "template = \"incident-review\""),
    );
    site.write(
        "content/hr/notes.md",
        "# HR notes LEAKTOKEN\n\nSalaries LEAKTOKEN.\n",
    );
    site.build().assert_success();

    let outputs = all_output(&site);
    assert!(
        outputs
            .iter()
            .any(|(f, _)| f.starts_with("search-index/frag/")),
        "the search index was checked too"
    );
    for (file, text) in &outputs {
        assert!(!text.contains("LEAKTOKEN"), "LEAKTOKEN leaked into {file}");
    }
    // The incident they link to shows no backlink from them, and counts exclude them.
    let target = site.page("/incidents/2026-03-db-failover/");
    assert!(
        !target.contains("Referenced by") || !target.contains("Draft"),
        "no backlink from a draft"
    );
    assert!(
        site.page("/incidents/").contains("<strong>2</strong>"),
        "two published incidents counted"
    );

    // check still validates what the build leaves out, as warnings.
    let checked = site.run(&["check"]);
    checked.assert_success();
}

#[test]
fn hostile_values_come_out_as_text() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/teams/payments.md",
        "+++\ntitle = \"Pay \\\"ments\\\" <b>team</b>\"\noncall = \"@pay'oncall\"\n\n[[members]]\nhandle = \"dana\"\nname = \"Dana & <i>Co</i>\"\n+++\n\nWe move money.\n",
    );
    site.write(
        "content/incidents/2026-05-cache.md",
        "+++\ntitle = \"<script>alert('title')</script>\"\nid = \"INC-2026-002\"\ndate = 2026-05-02\nseverity = \"sev3\"\nteams = [\"payments\"]\nsummary = \"</p><img src=x onerror=alert(1)>\"\n\n[[action_items]]\ntitle = \"<svg onload=alert(2)>\"\nowner = \"R&D <ops>\"\ndue = 2026-01-01\nstatus = \"open\"\n+++\n\n## Summary\n\nText.\n\n## Timeline\n\nText.\n",
    );
    site.build().assert_success();
    for (file, text) in all_output(&site) {
        if file.starts_with("search-index/") || file.ends_with(".js") {
            continue;
        }
        for bad in [
            "<script>alert(",
            "<img src=x onerror",
            "<svg onload",
            "<b>team</b>",
            "<i>Co</i>",
            "<ops>",
        ] {
            assert!(!text.contains(bad), "{bad} is live markup in {file}");
        }
    }
    let page = site.page("/incidents/2026-05-cache/");
    assert!(
        page.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"),
        "the title is text"
    );
    assert!(
        site.page("/action-items/").contains("R&amp;D &lt;ops&gt;"),
        "the owner is text"
    );
    let feed = std::fs::read_to_string(site.out().join("atom.xml")).unwrap();
    assert!(
        feed.contains("<title>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;</title>"),
        "{feed}"
    );
    let search = site.page("/search/");
    assert!(search.contains("data-team-names=\"{&quot;payments&quot;:&quot;Pay \\&quot;ments\\&quot; &lt;b&gt;team&lt;/b&gt;&quot;}\""), "JSON in an attribute is escaped: {search}");
}

#[test]
fn raw_html_in_markdown_follows_the_setting() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/guides/plain.md",
        "# Plain\n\n<div onclick=\"steal()\">x</div><script>alert(1)</script>\n\n<b>bold</b>\n",
    );
    site.build().assert_success();
    assert!(
        site.page("/guides/plain/")
            .contains("<script>alert(1)</script>"),
        "allow: the author's choice stays"
    );
    site.write(
        "opsbook.toml",
        "title = \"x\"\n[markdown]\nraw_html = \"sanitize\"\n",
    );
    site.build().assert_success();
    let page = site.page("/guides/plain/");
    assert!(
        !page.contains("alert(1)</script>")
            && !page.contains("onclick")
            && page.contains("<b>bold</b>"),
        "sanitize"
    );
    site.write(
        "opsbook.toml",
        "title = \"x\"\n[markdown]\nraw_html = \"escape\"\n",
    );
    site.build().assert_success();
    assert!(
        site.page("/guides/plain/")
            .contains("&lt;b&gt;bold&lt;/b&gt;"),
        "escape"
    );
}
