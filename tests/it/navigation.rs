//! Navigation for any tree of pages: every page of a section links its siblings through the
//! sidebar, breadcrumbs name the path, previous/next follow the sidebar, and the home page links
//! every section without counting kinds the site lacks. Checked on imported handbooks (the
//! shared corpora, when this machine has them) and on trees generated here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::harness::{TestSite, copy_dir, files, later_page, read_page, urls_in};

/// Most entries a sidebar shows of one folder (`render::nav::OPEN_LIMIT`).
const OPEN_LIMIT: usize = 50;

/// The part of `html` from `start` up to the first `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let at = html.find(start)?;
    let rest = &html[at..];
    Some(&rest[..rest.find(end)?])
}

/// Every page of a built site, by URL (`/a/b/`), with its HTML.
fn pages(out: &Path) -> BTreeMap<String, String> {
    files(out)
        .into_iter()
        .filter(|f| f.ends_with("index.html") && !f.starts_with("search-index"))
        .map(|f| {
            let dir = f
                .parent()
                .unwrap_or(Path::new(""))
                .to_string_lossy()
                .into_owned();
            let url = if dir.is_empty() {
                "/".to_string()
            } else {
                format!("/{}/", dir.replace('\\', "/"))
            };
            let html = std::fs::read_to_string(out.join(&f)).unwrap();
            (url, html)
        })
        .collect()
}

/// The breadcrumbs a page at `url` has: Home, each folder down, the page.
fn crumbs_of(url: &str) -> Vec<String> {
    let mut want = vec!["/".to_string()];
    let mut path = String::from("/");
    for segment in url.trim_matches('/').split('/') {
        path.push_str(segment);
        path.push('/');
        want.push(path.clone());
    }
    want
}

fn parent(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(0) | None => "/".into(),
        Some(i) => format!("{}/", &trimmed[..i]),
    }
}

/// Checks the navigation of every page of the site built in `out`; returns how many pages have
/// a sidebar.
fn check_navigation(out: &Path) -> usize {
    let pages = pages(out);
    let with_sidebar: BTreeMap<&String, &String> = pages
        .iter()
        .filter(|(_, html)| html.contains("<nav class=\"sidebar\""))
        .collect();
    for (url, html) in &with_sidebar {
        let sidebar = between(html, "<nav class=\"sidebar\"", "</nav>").unwrap();
        if let Some((owner, _)) = later_page(url) {
            // A list's later page: its owner's place in the tree, then the page.
            assert!(
                sidebar.contains(&format!("href=\"{owner}\" aria-current=\"page\"")),
                "{url}: the sidebar marks the list's first page\n{sidebar}"
            );
            let crumbs = between(html, "aria-label=\"Breadcrumb\"", "</nav>")
                .unwrap_or_else(|| panic!("{url}: breadcrumbs"));
            let mut want = crumbs_of(&owner);
            want.push(url.to_string());
            assert_eq!(urls_in(crumbs), want, "{url}: breadcrumbs name the list");
            continue;
        }
        assert!(
            sidebar.contains(&format!("href=\"{url}\" aria-current=\"page\"")),
            "{url}: the sidebar marks the page itself\n{sidebar}"
        );
        // Breadcrumbs: Home, each folder down, the page.
        let crumbs = between(html, "aria-label=\"Breadcrumb\"", "</nav>")
            .unwrap_or_else(|| panic!("{url}: breadcrumbs"));
        let want = crumbs_of(url);
        assert_eq!(urls_in(crumbs), want, "{url}: breadcrumbs name the path");
        assert!(crumbs.contains(&format!("href=\"{url}\" aria-current=\"page\"")));
        // Siblings: the other pages of the same folder. A folder's landing page is checked from
        // its pages' side: its own sidebar is its section's.
        let folder = parent(url);
        if with_sidebar.keys().any(|u| parent(u) == **url) {
            continue;
        }
        let siblings: Vec<&String> = with_sidebar
            .keys()
            .copied()
            .filter(|u| *u != *url && parent(u) == folder && **u != folder)
            .filter(|u| later_page(u).is_none())
            .collect();
        let links: BTreeSet<String> = urls_in(sidebar).into_iter().collect();
        if siblings.len() < OPEN_LIMIT {
            for s in &siblings {
                assert!(
                    links.contains(*s),
                    "{url}: the sidebar links its sibling {s}"
                );
            }
        } else {
            // A large folder: the pages around this one, and the listing of them all.
            let linked = siblings.iter().filter(|s| links.contains(**s)).count();
            assert!(
                (OPEN_LIMIT - 2..=OPEN_LIMIT).contains(&linked),
                "{url}: {linked} of {} siblings",
                siblings.len()
            );
            let more = between(sidebar, "<li class=\"nav-more\">", "</li>")
                .unwrap_or_else(|| panic!("{url}: a link to the whole folder"));
            assert!(more.contains(&format!("href=\"{folder}\"")), "{more}");
        }
        // Previous/next within the section (pages at the root have theirs among themselves).
        let pager = between(html, "<nav class=\"pager\"", "</nav>");
        if folder != "/" && !siblings.is_empty() {
            assert!(pager.is_some(), "{url}: previous/next");
        }
    }
    // The home page links every section and every page at the root, and counts nothing the
    // site lacks.
    let home = &pages["/"];
    let main = between(home, "<main", "</main>").unwrap();
    let home_links: BTreeSet<String> = urls_in(main).into_iter().collect();
    for url in with_sidebar.keys() {
        let top = format!("/{}/", url.trim_matches('/').split('/').next().unwrap());
        if pages.contains_key(&top) {
            assert!(home_links.contains(&top), "the home page links {top}");
        }
    }
    if let Some(stats) = between(home, "<ul class=\"stats\">", "</ul>") {
        assert!(!stats.contains("<strong>0</strong>"), "{stats}");
    }
    with_sidebar.len()
}

/// A handbook from `../shared/corpora/` (or `$OPSBOOK_CORPORA`). These are real handbooks kept
/// beside the repository, not in it, so the test that reads them is `#[ignore]`d: run it with
/// `cargo test --test it imported_handbooks -- --ignored`. Asked for and absent is a failure.
fn corpus(name: &str) -> PathBuf {
    let root = std::env::var("OPSBOOK_CORPORA").unwrap_or_else(|_| "../shared/corpora".into());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(root).join(name);
    assert!(
        dir.is_dir(),
        "no corpus at {} (set OPSBOOK_CORPORA to the folder holding {name})",
        dir.display()
    );
    dir
}

const IMPORTED: &str = "title = \"Imported\"\n[links]\nbroken = \"warn\"\n";

/// PagerDuty's MkDocs handbook and DFDS's folder of postmortems, as they are.
#[test]
#[ignore = "reads ../shared/corpora, outside the repository: run with --ignored"]
fn imported_handbooks_get_navigation_on_every_page() {
    {
        let dir = corpus("pagerduty-incident-response-docs");
        let site = TestSite::empty();
        site.write("opsbook.toml", IMPORTED);
        copy_dir(&dir.join("docs"), &site.root().join("content"));
        site.build().assert_success();
        assert!(check_navigation(&site.out()) > 30);
        let deep = site.page("/training/incident_commander/");
        let sidebar = between(&deep, "<nav class=\"sidebar\"", "</nav>").unwrap();
        assert!(sidebar.contains("href=\"/training/courses/incident_response/\""));
        let home = site.page("/");
        assert!(
            home.contains("<h1>Imported</h1>"),
            "an untitled index.md takes the site's title"
        );
    }
    {
        let dir = corpus("dfds-postmortems");
        // As a folder of the handbook, and as the whole handbook.
        for at in ["content/postmortems", "content"] {
            let site = TestSite::empty();
            site.write("opsbook.toml", IMPORTED);
            copy_dir(&dir, &site.root().join(at));
            site.build().assert_success();
            assert!(check_navigation(&site.out()) >= 40, "{at}");
        }
    }
}

/// A top-level folder of 220 postmortems in YAML front matter, with no `_index.md`: a section
/// like any other, linked from the home page and the header; its pages show their own keys, and
/// the keys `[pages] facets` names become search filters and listing columns.
#[test]
fn a_folder_of_220_postmortems_is_a_section_with_facts_and_facets() {
    let site = TestSite::empty();
    site.write(
        "opsbook.toml",
        "title = \"Postmortems\"\n[pages]\nfacets = [\"company\", \"categories\"]\n",
    );
    for n in 0..220 {
        let company = ["Acme", "Globex", "Initech"][n % 3];
        site.write(
            &format!("content/postmortems/pm-{n:03}.md"),
            &format!(
                "---\ntitle: \"Outage {n:03}: <b>queue</b> & cache\"\ncompany: {company}\ncategories: [config-change, cloud]\nsource: https://example.com/pm/{n}?a=1&b=2\nlayout: post\nreported: 2024-02-{:02}\n---\n\n# Outage {n:03}\n\nWhat happened.\n",
                n % 28 + 1
            ),
        );
    }
    site.build().assert_success();
    // The 220 pages and the folder's listing, in three pages of 100.
    assert_eq!(check_navigation(&site.out()), 223);

    let home = site.page("/");
    let header = between(&home, "<nav class=\"site-nav\"", "</nav>").unwrap();
    assert!(header.contains("href=\"/postmortems/\""), "{header}");
    let stats = between(&home, "<ul class=\"stats\">", "</ul>").unwrap();
    assert!(
        stats.contains("<strong>220</strong> pages in 1 section"),
        "{stats}"
    );
    for kind in ["meeting", "template", "incident", "action item", "team"] {
        assert!(
            !home.contains(kind),
            "nothing about {kind}s on a site without them"
        );
    }

    // Each document once across the listing's pages (the sidebar and previous/next aside).
    let listing: String = [
        "/postmortems/",
        "/postmortems/page/2/",
        "/postmortems/page/3/",
    ]
    .iter()
    .map(|url| {
        between(&site.page(url), "<article", "</article>")
            .unwrap()
            .to_string()
    })
    .collect();
    for n in 0..220 {
        let link = format!("href=\"/postmortems/pm-{n:03}/\"");
        assert_eq!(
            listing.matches(&link).count(),
            1,
            "{link} once across the listing's pages"
        );
    }
    assert!(
        listing.contains("<th scope=\"col\">Company</th>")
            && listing.contains("<th scope=\"col\">Categories</th>")
    );
    assert!(
        listing.contains("<td>Globex</td>") && listing.contains("<td>config-change, cloud</td>")
    );

    let page = site.page("/postmortems/pm-007/");
    let facts = between(&page, "<dl class=\"facts\">", "</dl>").expect("a facts list");
    assert!(facts.contains("<dt>Company</dt><dd>Globex</dd>"), "{facts}");
    assert!(facts.contains("<dd>config-change, cloud</dd>"), "{facts}");
    assert!(
        facts.contains("<a href=\"https://example.com/pm/7?a=1&amp;b=2\">https://example.com/pm/7?a=1&amp;b=2</a>"),
        "{facts}"
    );
    assert!(
        facts.contains("<time datetime=\"2024-02-08\">2024-02-08</time>"),
        "{facts}"
    );
    assert!(
        !facts.contains("Layout"),
        "another generator's setting is left out: {facts}"
    );
    assert!(
        !facts.contains("Title"),
        "opsbook's own keys are not repeated: {facts}"
    );
    assert!(
        page.contains("&lt;b&gt;queue&lt;&#x2F;b&gt; &amp; cache")
            || page.contains("&lt;b&gt;queue&lt;/b&gt; &amp; cache")
    );
    let facets = crate::harness::search_facets(&site.out(), "/postmortems/pm-007/");
    assert!(
        facets.contains(&"company:Globex".to_string())
            && facets.contains(&"categories:config-change".to_string()),
        "{facets:?}"
    );
    let search = site.page("/search/");
    assert!(
        search.contains("data-facet=\"company\"") && search.contains("data-facet=\"categories\"")
    );

    // A page in the middle of the folder: the fifty around it, and a link to all 220.
    let sidebar = between(&page, "<nav class=\"sidebar\"", "</nav>")
        .unwrap()
        .to_string();
    assert!(urls_in(&sidebar).len() <= OPEN_LIMIT + 3, "{sidebar}");
    assert!(sidebar.contains("All 220 pages in Postmortems"));
}

/// The sidebar is the folder tree of the section in reading order (`weight`, then title), the
/// folders on the way to the page open and the others closed; previous/next follow it.
#[test]
fn the_sidebar_follows_weight_then_title_and_opens_the_current_folder() {
    let site = TestSite::empty();
    site.write("opsbook.toml", "title = \"Tree\"\n");
    for (path, front) in [
        ("handbook/_index.md", "title = \"Handbook\""),
        ("handbook/zeta.md", "title = \"Zeta\"\nweight = 1"),
        ("handbook/alpha.md", "title = \"Alpha\"\nweight = 2"),
        ("handbook/beta.md", "title = \"beta\"\nweight = 2"),
        (
            "handbook/oncall/_index.md",
            "title = \"On call\"\nweight = 3",
        ),
        ("handbook/oncall/pager.md", "title = \"Pager\""),
        ("handbook/oncall/deep/rotations.md", "title = \"Rotations\""),
        ("handbook/hiring/loop.md", "title = \"Loop\"\nweight = 9"),
        ("about.md", "title = \"About\""),
    ] {
        site.write(
            &format!("content/{path}"),
            &format!("+++\n{front}\n+++\n\nText.\n"),
        );
    }
    site.build().assert_success();
    check_navigation(&site.out());

    let page = site.page("/handbook/oncall/pager/");
    let sidebar = between(&page, "<nav class=\"sidebar\"", "</nav>").unwrap();
    let order: Vec<String> = urls_in(sidebar);
    // A folder without an `_index.md` has weight 0, like a page without one.
    assert_eq!(
        order,
        [
            "/handbook/",
            "/handbook/hiring/",
            "/handbook/hiring/loop/",
            "/handbook/zeta/",
            "/handbook/alpha/",
            "/handbook/beta/",
            "/handbook/oncall/",
            "/handbook/oncall/deep/",
            "/handbook/oncall/deep/rotations/",
            "/handbook/oncall/pager/",
        ],
        "{sidebar}"
    );
    assert!(
        sidebar.contains("<details open><summary>On call</summary>"),
        "{sidebar}"
    );
    assert!(
        sidebar.contains("<details><summary>Hiring</summary>"),
        "{sidebar}"
    );
    let pager = between(&page, "<nav class=\"pager\"", "</nav>").unwrap();
    assert_eq!(
        urls_in(pager),
        ["/handbook/oncall/deep/rotations/"],
        "the last page: no next"
    );
    let alpha = site.page("/handbook/alpha/");
    let pager = between(&alpha, "<nav class=\"pager\"", "</nav>").unwrap();
    assert_eq!(urls_in(pager), ["/handbook/zeta/", "/handbook/beta/"]);
    // A page at the root lists the root's pages and sections.
    let about = site.page("/about/");
    let root = between(&about, "<nav class=\"sidebar\"", "</nav>").unwrap();
    assert!(
        root.contains("href=\"/handbook/\"")
            && root.contains("href=\"/about/\" aria-current=\"page\"")
    );
    // The generated pages keep their own navigation.
    for url in ["/", "/search/", "/action-items/"] {
        let html = read_page(&site.out(), url);
        assert!(!html.contains("<nav class=\"sidebar\""), "{url}");
    }
}

/// The example handbook, its own "Using opsbook" guide included.
#[test]
fn the_example_handbook_has_navigation_on_every_page() {
    let site = TestSite::empty();
    copy_dir(
        &crate::harness::repo_root().join("content"),
        &site.root().join("content"),
    );
    std::fs::copy(
        crate::harness::repo_root().join("opsbook.toml"),
        site.root().join("opsbook.toml"),
    )
    .unwrap();
    site.build().assert_success();
    assert!(check_navigation(&site.out()) > 60);
    let guide = site.page("/using-opsbook/links/");
    let sidebar = between(&guide, "<nav class=\"sidebar\"", "</nav>").unwrap();
    for page in [
        "getting-started",
        "content-model",
        "templates-and-fields",
        "theming",
        "publishing",
        "settings",
        "cli",
    ] {
        assert!(
            sidebar.contains(&format!("href=\"/using-opsbook/{page}/\"")),
            "{page}"
        );
    }
    let pager = between(&guide, "<nav class=\"pager\"", "</nav>").unwrap();
    assert_eq!(
        urls_in(pager),
        [
            "/using-opsbook/templates-and-fields/",
            "/using-opsbook/theming/"
        ],
        "previous/next in the guide's reading order (weight)"
    );
}
