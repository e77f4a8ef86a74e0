//! Search relevance over the example handbook: queries people type (ids, titles, a heading's
//! words, other forms of a word, a prefix while typing, a quoted phrase, a filter) and the
//! documents they must find first, ranked as `search.js` ranks them (`IndexReader::results`).

use std::sync::OnceLock;

use opsbook::search_index::read::IndexReader;

use crate::harness::{TestSite, copy_dir, repo_root};

/// The example handbook, built once for every query.
fn handbook() -> &'static (TestSite, IndexReader) {
    static BUILT: OnceLock<(TestSite, IndexReader)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let site = TestSite::empty();
        copy_dir(&repo_root().join("content"), &site.root().join("content"));
        std::fs::copy(
            repo_root().join("opsbook.toml"),
            site.root().join("opsbook.toml"),
        )
        .expect("copy opsbook.toml");
        site.build().assert_success();
        let index = crate::harness::search_index(&site.out());
        (site, index)
    })
}

/// The URLs of the first `n` results of `query`.
fn top(query: &str, n: usize) -> Vec<String> {
    let (_, index) = handbook();
    index
        .results(query)
        .expect("the index answers")
        .into_iter()
        .take(n)
        .map(|d| url(index, d))
        .collect()
}

fn url(index: &IndexReader, doc: u32) -> String {
    index.fragment(doc).expect("a fragment")["u"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Each query with the document people expect first, and what the case shows.
const FIRST: &[(&str, &str, &str)] = &[
    (
        "INC-2026-004",
        "/incidents/2026-03-checkout-502s/",
        "an id, before pages that mention it",
    ),
    (
        "inc-2026-004",
        "/incidents/2026-03-checkout-502s/",
        "an id in lower case",
    ),
    (
        "INC-2026-010",
        "/incidents/2026-08-ingress-config/",
        "another id",
    ),
    (
        "BR-2026-007",
        "/reviews/business/2026-10-identity-q3/",
        "a review kept elsewhere, by its id",
    ),
    (
        "Checkout API returned 502s",
        "/incidents/2026-03-checkout-502s/",
        "a title",
    ),
    (
        "Daily payout batch delayed nine hours",
        "/incidents/2026-07-payout-delay/",
        "a whole title",
    ),
    ("hiring loop", "/guides/hiring-loop/", "a guide's title"),
    ("impact levels", "/guides/impact-levels/", "a guide's title"),
    ("work sample", "/guides/hiring-loop/", "a heading's words"),
    (
        "sev1",
        "/guides/impact-levels/",
        "a heading (`Sev1: outage`) over passing mentions",
    ),
    (
        "failed",
        "/incidents/2026-04-db-failover/",
        "another form of the title's `failed`",
    ),
    (
        "failing",
        "/incidents/2026-04-db-failover/",
        "a form that appears nowhere, by its stem",
    ),
    (
        "evicted",
        "/incidents/2026-01-session-evictions/",
        "`evicted` finds `evictions`",
    ),
    (
        "failover dri",
        "/specs/automated-failover-drills/",
        "a prefix while typing",
    ),
    (
        "surrog",
        "/incidents/2026-06-cdn-purge-storm/",
        "a rare word's prefix",
    ),
    (
        "\"connection pool\"",
        "/specs/connection-pool-autoscaling/",
        "a quoted phrase",
    ),
    (
        "connection pool",
        "/specs/connection-pool-autoscaling/",
        "two words, the title holding both",
    ),
    (
        "volatile-lru",
        "/incidents/2026-01-session-evictions/",
        "a hyphenated setting, whole",
    ),
    (
        "prod-eu-1",
        "/incidents/2026-05-node-ip-exhaustion/",
        "a cluster name",
    ),
    (
        "postgres 16",
        "/changes/postgres-16-upgrade/",
        "a word and a number",
    ),
    (
        "surrogate keys",
        "/incidents/2026-06-cdn-purge-storm/",
        "words from an action item",
    ),
    (
        "business review",
        "/templates/business-review/",
        "a template by its name",
    ),
    (
        "weekly ops review",
        "/templates/ops-review/",
        "the template over its many reviews",
    ),
    (
        "tech spec",
        "/templates/tech-spec/",
        "a template over the playbook that uses it",
    ),
    (
        "signing key rotation",
        "/incidents/2026-10-signing-key-rotation/",
        "three words, all in one title",
    ),
    ("DNS TTL", "/incidents/2026-02-dns-ttl/", "two short words"),
    (
        "CDN purge",
        "/incidents/2026-06-cdn-purge-storm/",
        "a team's incident by its subject",
    ),
    (
        "replica lag",
        "/incidents/2026-09-replica-lag-noise/",
        "the incident named for it",
    ),
    (
        "on-call rotation",
        "/guides/on-call/",
        "the guide over team pages",
    ),
    (
        "session store",
        "/incidents/2026-01-session-evictions/",
        "an incident over the spec it led to",
    ),
];

#[test]
fn queries_find_what_people_expect_first() {
    let mut wrong = Vec::new();
    for (query, expected, why) in FIRST {
        let found = top(query, 3);
        if found.first().map(String::as_str) != Some(*expected) {
            wrong.push(format!(
                "{query:?} ({why}): expected {expected}, found {found:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn phrases_need_their_words_in_order_and_nothing_else_is_found() {
    assert!(
        top("\"pool connection\"", 5).is_empty(),
        "words out of order"
    );
    assert!(top("quokka", 5).is_empty(), "a word no document has");
    assert!(
        top("\"Deploy queue backlog\"", 5).is_empty() && top("\"worker lease\"", 5).is_empty(),
        "the draft is not indexed"
    );
}

#[test]
fn a_filter_narrows_to_documents_filed_under_it() {
    let (_, index) = handbook();
    let filed = |doc: u32, facet: &str, value: &str| {
        index
            .facets_of(doc)
            .expect("facets decode")
            .iter()
            .any(|(f, v)| f == facet && v == value)
    };
    // "failover" across the archive, then only sev1 incidents, then only the storage team's.
    let all = index.results("failover").expect("results");
    let sev1: Vec<String> = all
        .iter()
        .filter(|&&d| filed(d, "severity", "sev1"))
        .map(|&d| url(index, d))
        .collect();
    assert!(all.len() > sev1.len() && !sev1.is_empty(), "{sev1:?}");
    assert_eq!(sev1[0], "/incidents/2026-04-db-failover/");
    let playbooks: Vec<String> = index
        .results("incident review")
        .expect("results")
        .into_iter()
        .filter(|&d| filed(d, "kind", "Playbook"))
        .map(|d| url(index, d))
        .collect();
    assert!(
        playbooks.iter().all(|u| u.starts_with("/meetings/")) && playbooks.len() >= 2,
        "{playbooks:?}"
    );
    assert_eq!(playbooks[0], "/meetings/incident-review/");
}
