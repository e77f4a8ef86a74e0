//! The archive: the action-item tracker, metric trends drawn as SVG, incident statistics, and
//! an organization's own template working end to end with no code naming it.

use crate::harness::TestSite;
use crate::scaffold::assert_balanced;

/// A template the code has never heard of: an on-call handoff with metrics and action items.
fn with_handoff_template(site: &TestSite) {
    site.write(
        "content/templates/oncall-handoff.md",
        "+++\ntitle = \"On-call handoff\"\nfolder = \"handoffs\"\nmeeting = \"incident-review\"\nlabel = \"Handoff\"\n\n[fields.teams]\ntype = \"list\"\nof = \"team\"\nrequired = true\n\n[fields.load]\ntype = \"metrics\"\n\n[fields.follow_ups]\ntype = \"action_items\"\n\n[[sections]]\nheading = \"Notes\"\nprompt = \"What the next person should know.\"\n+++\n\nHand over every Thursday.\n",
    );
    for (n, (date, pages, due)) in [
        ("2026-05-07", 9, "2026-05-20"),
        ("2026-05-14", 4, "2026-07-01"),
        ("2026-05-21", 6, "2026-05-25"),
    ]
    .iter()
    .enumerate()
    {
        site.write(
            &format!("content/handoffs/{date}.md"),
            &format!(
                "+++\ntitle = \"Handoff {date}\"\ndate = {date}\nteams = [\"payments\"]\n\n[[load]]\nname = \"Pages\"\nunit = \"pages\"\ngoal = 5\ndirection = \"down\"\nvalue = {pages}\n\n[[follow_ups]]\ntitle = \"Follow-up {n}\"\nowner = \"dana\"\ndue = {due}\nstatus = \"{}\"\n+++\n\n## Notes\n\nQuiet week.\n",
                if n == 1 { "done" } else { "open" }
            ),
        );
    }
}

#[test]
fn a_template_unknown_to_the_code_works_end_to_end() {
    let site = TestSite::fixture("basic");
    with_handoff_template(&site);
    site.build().assert_success();

    let template = site.page("/templates/oncall-handoff/");
    assert!(
        template.contains("Handoff 2026-05-21") && template.contains("<code>load</code>"),
        "its reviews and fields are listed"
    );
    let playbook = site.page("/meetings/incident-review/");
    assert!(
        playbook.contains("Handoff 2026-05-07"),
        "its reviews join the meeting's archive"
    );

    // Its action items join the tracker; with today = 2026-06-01 two are open and overdue.
    let tracker = site.page("/action-items/");
    for n in 0..3 {
        assert!(
            tracker.contains(&format!("Follow-up {n}")),
            "item {n} in the tracker"
        );
    }
    let overdue_rows = tracker
        .split("<tr")
        .filter(|r| r.contains("is-overdue"))
        .count();
    // Fixture: "Automate failover drills" (due 2026-04-01) plus Follow-up 0 and 2.
    assert_eq!(overdue_rows, 3, "{tracker}");
    assert!(
        tracker.contains("<strong>3</strong> overdue"),
        "the overdue count"
    );
    let done = tracker
        .split("<tr")
        .find(|r| r.contains("Follow-up 1"))
        .unwrap();
    assert!(
        done.contains("item-done") && !done.contains("is-overdue"),
        "done items stay, greyed: {done}"
    );

    // Its metrics become a trend on the team page: one point per handoff, goal line, on/off track.
    let team = site.page("/teams/payments/");
    let svg = team
        .split("<svg")
        .nth(1)
        .map(|s| format!("<svg{}", &s[..s.find("</svg>").unwrap() + 6]))
        .expect("a chart");
    assert_balanced(&svg);
    assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
    assert!(
        svg.contains("role=\"img\"") && svg.contains("Pages"),
        "{svg}"
    );
    assert!(
        svg.contains("chart-off-track"),
        "6 pages against a goal of 5, lower is better: off track"
    );
    assert!(
        team.contains("Pages (Payments): the data"),
        "a table beside the chart"
    );
    // And a sparkline beside the metric on each handoff, once there is history.
    assert!(
        site.page("/handoffs/2026-05-21/")
            .contains("chart-sparkline")
    );
}

#[test]
fn the_incident_catalogue_counts_by_month_and_severity() {
    let site = TestSite::fixture("basic");
    site.build().assert_success();
    let catalogue = site.page("/incidents/");
    let svg = catalogue.split("<svg").nth(1).expect("a stacked bar chart");
    let svg = &svg[..svg.find("</svg>").unwrap()];
    // Two published incidents (the draft is left out): 2026-03 sev1 and 2026-05 sev3.
    assert_eq!(svg.matches("<rect class=\"chart-bar-").count(), 2, "{svg}");
    assert!(
        catalogue.contains("<th scope=\"row\">2026-03</th><td class=\"num\">1</td>"),
        "the data table"
    );
    assert!(
        !catalogue.contains("zebra"),
        "drafts stay out of counts and charts"
    );
}

/// Regression: "the last twelve months" ended at the newest incident, so a handbook whose last
/// incident was in January showed February to January in December.
#[test]
fn the_twelve_month_window_ends_at_the_build_date() {
    let site = TestSite::fixture("basic");
    let months = |site: &TestSite| -> Vec<String> {
        let catalogue = site.page("/incidents/");
        catalogue
            .split("<th scope=\"row\">")
            .skip(1)
            .filter_map(|row| row.split_once("</th>").map(|(m, _)| m.to_string()))
            .filter(|m| m.len() == 7 && m.as_bytes()[4] == b'-' && !m.contains('Q'))
            .collect()
    };
    // The fixture's build date is 2026-06-01; its incidents are from March and May.
    site.build().assert_success();
    let shown = months(&site);
    assert_eq!(
        shown.first().map(String::as_str),
        Some("2025-07"),
        "{shown:?}"
    );
    assert_eq!(
        shown.last().map(String::as_str),
        Some("2026-06"),
        "{shown:?}"
    );
    assert_eq!(shown.len(), 12);

    let config = std::fs::read_to_string(site.root().join("opsbook.toml")).unwrap();
    site.write(
        "opsbook.toml",
        &config.replace("today = \"2026-06-01\"", "today = \"2026-12-03\""),
    );
    site.build().assert_success();
    let shown = months(&site);
    assert_eq!(
        shown.first().map(String::as_str),
        Some("2026-01"),
        "{shown:?}"
    );
    assert_eq!(
        shown.last().map(String::as_str),
        Some("2026-12"),
        "{shown:?}"
    );
}

/// A later review that carries an item forward (same title, owner and due date) adds a source
/// to it, not a second row, and its status is the one that counts.
#[test]
fn an_item_two_reviews_list_is_counted_once() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/incidents/2026-05-cache.md",
        "+++\ntitle = \"Cache eviction storm\"\nid = \"INC-2026-002\"\ndate = 2026-05-02\nseverity = \"sev3\"\nteams = [\"payments\"]\n\n[[action_items]]\ntitle = \"automate  failover DRILLS\"\nowner = \"dana\"\ndue = 2026-04-01\nstatus = \"done\"\n\n[[action_items]]\ntitle = \"Automate failover drills\"\nowner = \"dana\"\ndue = 2026-07-01\nstatus = \"open\"\n+++\n\n## Summary\n\nCaches emptied.\n\n## Timeline\n\nShort.\n",
    );
    site.build().assert_success();
    let tracker = site.page("/action-items/");
    let rows: Vec<&str> = tracker
        .split("<tr")
        .filter(|r| {
            r.to_lowercase().contains("automate failover drills")
                || r.contains("automate  failover DRILLS")
        })
        .collect();
    // Due 2026-04-01 in both reviews: one item, from both. Due 2026-07-01: another item.
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let both = rows
        .iter()
        .find(|r| r.contains("2026-04-01"))
        .expect("the carried item");
    assert!(
        both.contains("href=\"/incidents/2026-05-cache/\">INC-2026-002</a>")
            && both.contains("href=\"/incidents/2026-03-db-failover/\">INC-2026-001</a>"),
        "both reviews are its sources, newest first: {both}"
    );
    assert!(
        both.find("INC-2026-002") < both.find("INC-2026-001"),
        "{both}"
    );
    // The newer review says it is done: it is, and so no longer open or overdue. Open: only
    // the one due in July.
    assert!(
        both.contains("item-done") && !both.contains("is-overdue"),
        "{both}"
    );
    assert!(tracker.contains("<strong>1</strong> open"), "{tracker}");
    assert!(tracker.contains("<strong>0</strong> overdue"), "{tracker}");
    let home = site.page("/");
    assert!(
        home.contains("<strong>1</strong> open action item"),
        "{home}"
    );
}

/// The tracker's filters are links to static pages (by status, team and owner), so they work
/// without JavaScript and each filtered view has an address.
#[test]
fn the_tracker_filters_by_status_team_and_owner_without_javascript() {
    let site = TestSite::fixture("basic");
    with_handoff_template(&site);
    site.build().assert_success();
    let tracker = site.page("/action-items/");
    let bar = tracker
        .split("aria-label=\"Filter action items\"")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .expect("a filter bar");
    for href in [
        "/action-items/open/",
        "/action-items/overdue/",
        "/action-items/done/",
        "/action-items/team/payments/",
        "/action-items/owner/dana/",
    ] {
        assert!(bar.contains(&format!("href=\"{href}\"")), "{href} in {bar}");
    }
    assert!(
        bar.contains("href=\"/action-items/\" aria-current=\"page\""),
        "{bar}"
    );
    // Overdue: the fixture's drill item and two handoff follow-ups, nothing else.
    let overdue = site.page("/action-items/overdue/");
    let rows = |html: &str| html.matches("<tr class=\"item-").count();
    assert_eq!(rows(&overdue), 3, "{overdue}");
    assert!(!overdue.contains("Write the runbook") && !overdue.contains("Follow-up 1"));
    assert!(overdue.contains("<h1>Overdue action items</h1>"));
    let done = site.page("/action-items/done/");
    assert!(done.contains("Write the runbook") && done.contains("Follow-up 1"));
    assert!(!done.contains("Automate failover drills"));
    let dana = site.page("/action-items/owner/dana/");
    assert_eq!(rows(&dana), rows(&tracker), "dana owns every item here");
    let team = site.page("/action-items/team/payments/");
    assert!(team.contains("<h1>Action items: Payments</h1>"), "{team}");
    // The team page links its share of the tracker.
    assert!(
        site.page("/teams/payments/")
            .contains("href=\"/action-items/team/payments/\"")
    );
}

/// The filter bar names the forty owners with the most open items; every owner keeps a page,
/// linked from the owner's items.
#[test]
fn the_tracker_bar_names_forty_owners_and_links_the_rest_from_their_items() {
    let site = TestSite::fixture("basic");
    let items: String = (0..45)
        .map(|n| format!("\n[[action_items]]\ntitle = \"Item {n}\"\nowner = \"owner{n:02}\"\ndue = 2026-09-01\nstatus = \"{}\"\n", if n < 40 { "open" } else { "done" }))
        .collect();
    site.write(
        "content/incidents/2026-05-cache.md",
        &format!("+++\ntitle = \"Cache eviction storm\"\nid = \"INC-2026-002\"\ndate = 2026-05-02\nseverity = \"sev3\"\nteams = [\"payments\"]\n{items}+++\n\n## Summary\n\nCaches emptied.\n\n## Timeline\n\nShort.\n"),
    );
    site.build().assert_success();
    let tracker = site.page("/action-items/");
    let bar = tracker
        .split("aria-label=\"Filter action items\"")
        .nth(1)
        .unwrap();
    let bar = &bar[..bar.find("</nav>").unwrap()];
    assert_eq!(
        bar.matches("href=\"/action-items/owner/").count(),
        40,
        "{bar}"
    );
    assert!(bar.contains("and 6 more, linked from their items"), "{bar}");
    assert!(
        !bar.contains("/owner/owner44/"),
        "done-only owners make way: {bar}"
    );
    let done = site.page("/action-items/done/");
    assert!(done.contains("<a href=\"/action-items/owner/owner44/\">owner44</a>"));
    assert!(
        site.page("/action-items/owner/owner44/")
            .contains("Item 44")
    );
}
