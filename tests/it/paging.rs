//! Long lists a page at a time: every list (a folder, a meeting's archive, a template's reviews,
//! a team, the incident catalogue, the tracker) shows `page_size` entries, and its later pages
//! are reached from its first through numbered links, each entry on exactly one of them. At
//! archive scale (60,000 documents) no page grows past what a browser takes in at once, and the
//! sitemap splits into files of at most 50,000 URLs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

use crate::harness::{TestSite, files, later_page, read_page, urls_in};

/// The part of `html` from `start` up to the first `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let at = html.find(start)?;
    let rest = &html[at..];
    Some(&rest[..rest.find(end)? + end.len()])
}

/// The pager of a page, if its list takes more than one page.
fn pagination(html: &str) -> Option<&str> {
    between(html, "<nav class=\"pagination\"", "</nav>")
}

/// The number of the list page at `url` of the list whose first page is `first`.
fn number(first: &str, url: &str) -> usize {
    if url == first {
        return 1;
    }
    match later_page(url) {
        Some((owner, n)) if owner == first => n,
        _ => panic!("{url} is not a page of {first}"),
    }
}

/// The pages of the list whose first page is `first`, found from it through the pager's
/// numbered links alone, in page order. On the way, checks that each page marks itself as current, that
/// `rel="prev"` and `rel="next"` go to its neighbours, and that no page number is missing.
fn list_pages(out: &Path, first: &str) -> Vec<(String, String)> {
    let mut found: BTreeMap<usize, (String, String)> = BTreeMap::new();
    let mut todo = vec![first.to_string()];
    let mut last = 1;
    while let Some(url) = todo.pop() {
        let n = number(first, &url);
        if found.contains_key(&n) {
            continue;
        }
        let html = read_page(out, &url);
        if let Some(nav) = pagination(&html) {
            assert!(nav.contains("aria-label=\""), "{url}: a named navigation");
            assert!(
                nav.contains(&format!(
                    "href=\"{url}\" aria-label=\"Page {n}\" aria-current=\"page\""
                )),
                "{url}: marks itself\n{nav}"
            );
            // Only the numbered links: previous/next are checked below, not followed.
            for numbered in nav.split("<a href=\"").skip(1) {
                let (link, rest) = numbered.split_once('"').unwrap();
                if rest.starts_with(" aria-label=\"Page ") {
                    last = last.max(number(first, link));
                    todo.push(link.to_string());
                }
            }
            let rel = |r: &str| {
                nav.split(&format!("rel=\"{r}\" href=\""))
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .map(str::to_string)
            };
            let page = |k: usize| {
                if k == 1 {
                    first.to_string()
                } else {
                    format!("{first}page/{k}/")
                }
            };
            assert_eq!(rel("prev"), (n > 1).then(|| page(n - 1)), "{url}");
            assert_eq!(rel("next"), (n < last).then(|| page(n + 1)), "{url}");
        }
        found.insert(n, (url, html));
    }
    let numbers: Vec<usize> = found.keys().copied().collect();
    assert_eq!(
        numbers,
        (1..=last).collect::<Vec<_>>(),
        "{first}: every page reached"
    );
    found.into_values().collect()
}

/// The document tables of a page (`m::doc_table`), in order.
fn doc_tables(html: &str) -> Vec<&str> {
    html.split("<table class=\"doc-table\">")
        .skip(1)
        .filter_map(|t| t.split("</table>").next())
        .collect()
}

/// The links of a page's document tables to pages under `prefix` (team chips aside), in order.
fn doc_links(html: &str, prefix: &str) -> Vec<String> {
    doc_tables(html)
        .into_iter()
        .flat_map(urls_in)
        .filter(|u| u.starts_with(prefix) && !u.starts_with("/teams/"))
        .collect()
}

/// The dates of a document table's rows, in order.
fn dates(table: &str) -> Vec<String> {
    table
        .split("<td class=\"nowrap\"><time datetime=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// Every document of the list at `first` (links under `prefix`), across its pages, in order;
/// each page shows at most `size`, no document is listed twice, and every table is newest
/// first (with `across`, the whole list too).
#[track_caller]
fn listed(out: &Path, first: &str, prefix: &str, size: usize, across: bool) -> Vec<String> {
    let pages = list_pages(out, first);
    let mut all = Vec::new();
    let mut seen_dates = Vec::new();
    for (url, html) in &pages {
        let docs = doc_links(html, prefix);
        assert!(docs.len() <= size, "{url}: {} entries", docs.len());
        all.extend(docs);
        for table in doc_tables(html) {
            let dates = dates(table);
            assert!(
                dates.windows(2).all(|w| w[0] >= w[1]),
                "{url}: newest first {dates:?}"
            );
            seen_dates.extend(dates);
        }
    }
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "{first}: a document listed twice");
    assert!(
        !across || seen_dates.windows(2).all(|w| w[0] >= w[1]),
        "{first}: newest first across its pages {seen_dates:?}"
    );
    all
}

/// The basic fixture with `page_size = 5`, 23 more incidents over three years (each with two
/// action items owned by dana, and a link to the plain guide) and 60 dated notes linking it.
fn archive_site() -> TestSite {
    let site = TestSite::fixture("basic");
    site.write(
        "opsbook.toml",
        "title = \"Fixture Handbook\"\ntoday = \"2026-06-01\"\npage_size = 5\n",
    );
    for n in 0..23 {
        let year = 2024 + n % 3;
        let items: String = (0..2)
            .map(|k| {
                format!(
                    "\n[[action_items]]\ntitle = \"Fix {n}-{k}\"\nowner = \"dana\"\ndue = 2026-0{}-10\nstatus = \"{}\"\n",
                    k + 1,
                    ["open", "done", "dropped"][(n + k) % 3]
                )
            })
            .collect();
        site.write(
            &format!("content/incidents/gen-{n:02}.md"),
            &format!(
                "+++\ntitle = \"Generated incident {n:02}\"\nid = \"INC-{year}-{}\"\ndate = {year}-{:02}-{:02}\nseverity = \"sev{}\"\nteams = [\"payments\"]\n{items}+++\n\n## Summary\n\nSee [[guides/plain]].\n\n## Timeline\n\nShort.\n",
                100 + n,
                n % 12 + 1,
                n % 27 + 1,
                n % 3 + 1
            ),
        );
    }
    // Three ops reviews, the newest documents naming the team.
    site.write(
        "content/templates/ops-review.md",
        "+++\ntitle = \"Ops review\"\nfolder = \"reviews/ops\"\nlabel = \"Ops review\"\n[fields.teams]\ntype = \"list\"\nof = \"team\"\n+++\n\nWeekly numbers.\n",
    );
    for n in 0..3 {
        site.write(
            &format!("content/reviews/ops/week-{n}.md"),
            &format!(
                "+++\ntitle = \"Ops week {n}\"\ndate = 2026-12-2{n}\nteams = [\"payments\"]\n+++\n\nQuiet.\n"
            ),
        );
    }
    for n in 0..60 {
        site.write(
            &format!("content/notes/note-{n:02}.md"),
            &format!(
                "+++\ntitle = \"Note {n:02}\"\ndate = 2025-{:02}-{:02}\n+++\n\nLinks to [plain](../guides/plain.md).\n",
                n / 28 + 1,
                n % 28 + 1
            ),
        );
    }
    site.build().assert_success();
    site
}

/// Incident review pages of the archive site: the fixture's two published ones and 23 more.
const INCIDENTS: usize = 25;

#[test]
fn a_meetings_archive_is_paged_newest_first_without_the_playbooks_text() {
    let site = archive_site();
    let out = site.out();
    let first = site.page("/meetings/incident-review/");
    assert!(
        first.contains(&format!("<dt>Reviews held</dt><dd>{INCIDENTS}</dd>")),
        "the count is of the whole archive"
    );
    assert!(first.contains("Learn together") && first.contains("Templates for this meeting"));
    let all = listed(&out, "/meetings/incident-review/", "/incidents/", 5, true);
    assert_eq!(all.len(), INCIDENTS);
    let second = site.page("/meetings/incident-review/page/2/");
    assert!(
        second.contains("<h1>Incident review, page 2 of 5</h1>"),
        "{second}"
    );
    assert!(
        second.contains("<a href=\"/meetings/incident-review/\">Incident review</a>"),
        "a link back to the playbook"
    );
    let crumbs = between(&second, "aria-label=\"Breadcrumb\"", "</nav>").unwrap();
    assert_eq!(
        urls_in(crumbs),
        [
            "/",
            "/meetings/",
            "/meetings/incident-review/",
            "/meetings/incident-review/page/2/"
        ]
    );
    assert!(
        !second.contains("Learn together")
            && !second.contains("Templates for this meeting")
            && !second.contains("<svg"),
        "the playbook's own text and charts stay on its page"
    );
    // Later pages are reached from the first, not listed in the sitemap.
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>/meetings/incident-review/</loc>"));
    assert!(!sitemap.contains("/page/"), "{sitemap}");
}

#[test]
fn a_templates_reviews_are_paged() {
    let site = archive_site();
    let first = site.page("/templates/incident-review/");
    assert!(
        first.contains(&format!("<dt>Filled in</dt><dd>{INCIDENTS} times</dd>")),
        "{first}"
    );
    let all = listed(
        &site.out(),
        "/templates/incident-review/",
        "/incidents/",
        5,
        true,
    );
    assert_eq!(all.len(), INCIDENTS);
    let third = site.page("/templates/incident-review/page/3/");
    assert!(third.contains("Made from this template: 11–15 of 25, newest first."));
    assert!(
        !third.contains("<h2 id=\"fields\">"),
        "the schema stays on the template's page"
    );
}

#[test]
fn a_team_page_shows_its_newest_documents_and_its_most_urgent_open_items() {
    let site = archive_site();
    let out = site.out();
    let team = site.page("/teams/payments/");
    // 25 incidents and 3 ops reviews name the team; 5 a page, grouped by kind.
    let all = listed(&out, "/teams/payments/", "/", 5, false);
    assert_eq!(all.len(), INCIDENTS + 3, "{all:?}");
    assert_eq!(
        doc_links(&team, "/"),
        [
            "/incidents/gen-11/",
            "/incidents/gen-20/",
            "/reviews/ops/week-2/",
            "/reviews/ops/week-1/",
            "/reviews/ops/week-0/"
        ],
        "the newest five: incidents first, then the other kinds"
    );
    assert!(
        team.contains("<h2 id=\"list-ops-reviews\">Ops reviews</h2>"),
        "{team}"
    );
    assert!(team.contains("We move money.") && team.contains("<h2 id=\"members\">"));
    // Open items: 16 of the generated ones and the fixture's own; the first five shown, the
    // rest on the team's tracker page.
    let open = between(
        &team,
        "<section aria-labelledby=\"open-items\">",
        "</section>",
    )
    .unwrap();
    assert_eq!(open.matches("<tr class=\"item-open").count(), 5, "{open}");
    let count: usize = between(open, "<span class=\"count\">", "</span>")
        .and_then(|s| {
            s.trim_start_matches("<span class=\"count\">")
                .split('<')
                .next()
        })
        .and_then(|n| n.parse().ok())
        .expect("a count of open items");
    assert!(count > 5, "{open}");
    assert!(
        open.contains(&format!("The 5 most urgent of {count} open items."))
            && open.contains("href=\"/action-items/team/payments/\""),
        "{open}"
    );
    let later = site.page("/teams/payments/page/2/");
    assert!(later.contains("<h1>Payments, page 2 of 6</h1>"), "{later}");
    assert!(later.contains("Everything naming the team: 6–10 of 28, newest first."));
    assert!(
        later.contains("<h2 id=\"list-incidents\">Incidents</h2>"),
        "grouped by kind"
    );
    assert!(
        !later.contains("We move money.") && !later.contains("<svg") && !later.contains("Members"),
        "the team's own text, members and charts stay on its page"
    );
}

#[test]
fn the_incident_catalogue_is_paged_by_year_and_links_each_year_to_where_it_starts() {
    let site = archive_site();
    let out = site.out();
    let all = listed(&out, "/incidents/", "/incidents/", 5, true);
    assert_eq!(all.len(), INCIDENTS);
    let first = site.page("/incidents/");
    let table = between(&first, "<table class=\"counts\">", "</table>").unwrap();
    let links = urls_in(table);
    assert_eq!(links.len(), 3, "one link a year: {table}");
    for link in links {
        let (url, anchor) = link.split_once('#').unwrap();
        let page = read_page(&out, url);
        assert!(
            page.contains(&format!("<h2 id=\"{anchor}\">")),
            "{link}: the year's heading, not a continuation"
        );
        if let Some((owner, n)) = later_page(url) {
            let before = if n == 2 {
                owner
            } else {
                format!("{owner}page/{}/", n - 1)
            };
            assert!(
                !read_page(&out, &before).contains(&format!("id=\"{anchor}\"")),
                "{link}: the year starts on this page"
            );
        }
    }
    let second = site.page("/incidents/page/2/");
    assert!(second.contains("<h1>Incidents, page 2 of 5</h1>"));
    assert!(
        second.contains(", continued <span class=\"count\">"),
        "a year carried over from page 1"
    );
    assert!(
        !second.contains("By year and severity") && !second.contains("<svg"),
        "counts and charts stay on the first page"
    );
}

#[test]
fn a_tracker_filter_page_is_paged_and_counts_on_its_first_page() {
    let site = archive_site();
    let out = site.out();
    let pages = list_pages(&out, "/action-items/owner/dana/");
    // Two items for each generated incident, all owned by dana, plus the fixture's.
    let mut titles = Vec::new();
    for (url, html) in &pages {
        let rows: Vec<&str> = html.split("<td class=\"item-title\">").skip(1).collect();
        assert!(rows.len() <= 5, "{url}");
        titles.extend(
            rows.iter()
                .filter_map(|r| r.split('<').next())
                .map(str::to_string),
        );
        assert!(
            html.contains("<nav class=\"filters\""),
            "{url}: the filter bar on every page"
        );
    }
    for n in 0..23 {
        for k in 0..2 {
            let title = format!("Fix {n}-{k}");
            assert_eq!(
                titles.iter().filter(|t| t.trim() == title).count(),
                1,
                "{title} once across the pages"
            );
        }
    }
    let (_, first) = &pages[0];
    let total = format!("<strong>{}</strong> in all", titles.len());
    assert!(first.contains(&total), "the first page counts them all");
    let (_, second) = &pages[1];
    assert!(
        !second.contains("in all</li>"),
        "counts on the first page only"
    );
    assert!(second.contains("Action items owned by dana, page 2 of"));
}

#[test]
fn referenced_by_shows_the_newest_fifty_of_each_kind_and_how_many_more() {
    let site = archive_site();
    let plain = site.page("/guides/plain/");
    let backlinks = between(&plain, "<section class=\"backlinks\"", "</section>").unwrap();
    let groups: Vec<&str> = backlinks.split("<h3>").skip(1).collect();
    let notes = groups
        .iter()
        .find(|g| urls_in(g).iter().any(|u| u.starts_with("/notes/")))
        .expect("the notes' group");
    let links = urls_in(notes);
    assert_eq!(links.len(), 50, "{notes}");
    assert!(notes.contains("and 10 more"), "{notes}");
    // The newest: notes 10 to 59 (dated by number), not the first ten.
    assert!(links.contains(&"/notes/note-59/".to_string()));
    assert!(!links.contains(&"/notes/note-09/".to_string()));
    let incidents = groups
        .iter()
        .find(|g| g.starts_with("Incidents"))
        .expect("the incidents' group");
    assert_eq!(urls_in(incidents).len(), 23);
    assert!(
        !incidents.contains("more"),
        "a group under the cap is whole"
    );
}

/// The `page_size` setting: a site's own, and a mistake located.
#[test]
fn page_size_is_a_setting_and_zero_is_an_error() {
    let site = TestSite::fixture("basic");
    site.write("opsbook.toml", "title = \"x\"\npage_size = 0\n");
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.diagnostics().contains("opsbook.toml:2:1"),
        "{}",
        run.stderr
    );
    site.write("opsbook.toml", "title = \"x\"\npage_size = 1\n");
    site.build().assert_success();
    // Two incidents, one a page.
    assert!(site.out().join("incidents/page/2/index.html").is_file());
    assert!(!site.out().join("incidents/page/3/index.html").exists());
}

/// The preview server renders a list's later pages on request from the same plan as a build,
/// and an edit that adds an action item (an incremental rebuild) adds the page it needs, and
/// the new owner's tracker page.
#[test]
fn the_preview_serves_later_pages_and_adds_the_pages_an_edit_needs() {
    let site = TestSite::fixture("basic");
    site.write(
        "opsbook.toml",
        "title = \"Fixture\"\ntoday = \"2026-06-01\"\npage_size = 1\n",
    );
    let server = crate::server::Server::start(&site);
    let (status, _, body) = server.get("/incidents/page/2/");
    assert_eq!(status, 200);
    // The preview shows drafts: the fixture's draft incident is the third.
    assert!(body.contains("<h1>Incidents, page 2 of 3</h1>"), "{body}");
    // dana owns two items: two pages of one.
    assert_eq!(server.get("/action-items/owner/dana/page/2/").0, 200);
    assert_eq!(server.get("/action-items/owner/dana/page/3/").0, 404);
    assert_eq!(server.get("/action-items/owner/lee/").0, 404);

    let file = "content/incidents/2026-05-cache.md";
    let text = std::fs::read_to_string(site.root().join(file)).unwrap();
    let items = "\n[[action_items]]\ntitle = \"Warm the cache\"\nowner = \"dana\"\nstatus = \"open\"\n\n[[action_items]]\ntitle = \"Alert on evictions\"\nowner = \"lee\"\nstatus = \"open\"\n+++\n";
    // The items go at the end of the front matter, before its closing `+++`.
    site.write(file, &text.replacen("\n+++\n", &format!("\n{items}"), 1));
    server.wait_for("/action-items/owner/dana/page/3/", "page 3 of 3");
    server.wait_for("/action-items/owner/lee/", "Alert on evictions");
}

/// 60,000 documents in one folder: the sitemap becomes an index of files of at most 50,000
/// URLs, the folder's listing takes 600 pages that reach each other and list each document once,
/// newest first, and no HTML file is anywhere near a megabyte. Written and built in memory
/// where the system allows, without the search index, to stay quick: about 30 s here, most of
/// it the build, whose time is printed.
#[test]
fn sixty_thousand_documents_make_a_sitemap_index_and_a_listing_of_600_pages() {
    const DOCS: usize = 60_000;
    let site = TestSite::empty_in_memory();
    site.write("opsbook.toml", "title = \"Archive\"\n");
    site.write(
        "content/guides/runbook.md",
        "+++\ntitle = \"Runbook\"\n+++\n\nSteps.\n",
    );
    let folder = site.root().join("content/archive");
    std::fs::create_dir_all(&folder).unwrap();
    let date = |n: usize| {
        format!(
            "{}-{:02}-{:02}",
            2016 + n % 10,
            n / 10 % 12 + 1,
            n / 120 % 28 + 1
        )
    };
    for n in 0..DOCS {
        std::fs::write(
            folder.join(format!("r-{n:05}.md")),
            format!(
                "+++\ntitle = \"Review {n:05}\"\ndate = {}\n+++\n\nSee [[runbook]].\n",
                date(n)
            ),
        )
        .unwrap();
    }
    let started = Instant::now();
    site.run(&["build", "--no-search"]).assert_success();
    eprintln!("built {DOCS} documents in {:?}", started.elapsed());
    let out = site.out();

    // The sitemap: an index of parts, each within the protocol's limit, listing every
    // document once and no later page of a list.
    let index = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(index.contains("<sitemapindex"), "{index}");
    let parts: Vec<String> = index
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .map(str::to_string)
        .collect();
    assert_eq!(parts, ["/sitemap-1.xml", "/sitemap-2.xml"]);
    let mut urls: Vec<String> = Vec::new();
    for part in &parts {
        let xml = std::fs::read_to_string(out.join(part.trim_start_matches('/'))).unwrap();
        let count = xml.matches("<url>").count();
        assert!(count <= 50_000, "{part}: {count} URLs");
        urls.extend(
            xml.split("<loc>")
                .skip(1)
                .filter_map(|s| s.split("</loc>").next())
                .map(str::to_string),
        );
    }
    let documents: BTreeSet<&String> = urls
        .iter()
        .filter(|u| u.starts_with("/archive/r-"))
        .collect();
    assert_eq!(documents.len(), DOCS);
    assert!(urls.iter().all(|u| !u.contains("/page/")));

    // The folder's listing: 600 pages from the first, each document once, newest first.
    let all = listed(&out, "/archive/", "/archive/r-", 100, true);
    assert_eq!(all.len(), DOCS);
    let mut order: Vec<usize> = (0..DOCS).collect();
    order.sort_by(|&a, &b| date(b).cmp(&date(a)).then(a.cmp(&b)));
    let expected: Vec<String> = order
        .iter()
        .map(|n| format!("/archive/r-{n:05}/"))
        .collect();
    assert_eq!(all, expected, "newest first, then by title");

    // The runbook that every review links to names the newest fifty.
    let runbook = read_page(&out, "/guides/runbook/");
    assert!(runbook.contains("and 59950 more"));

    // No page near a megabyte; the listing's pages are small.
    let largest = files(&out)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "html"))
        .map(|f| (std::fs::metadata(out.join(&f)).unwrap().len(), f))
        .max()
        .unwrap();
    assert!(largest.0 < 1_000_000, "{largest:?}");
}
