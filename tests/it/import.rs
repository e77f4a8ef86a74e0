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
    let article = page.split("data-pagefind-body").nth(1).unwrap_or_default();
    assert!(
        article.contains("Payments business review, 2026-Q1")
            && article.contains("Checkout availability"),
        "title and fields are in the indexed part of the page: {article}"
    );
    for filter in [
        "team:payments",
        "tier:large",
        "kind:Business review",
        "year:2026",
    ] {
        assert!(
            page.contains(&format!("data-pagefind-filter=\"{filter}\"")),
            "filed under {filter}: {page}"
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
