//! Atom feeds of new reviews: one for the whole site (`/atom.xml`) and one per team
//! (`/teams/<id>/atom.xml`). Everything from content is XML-escaped.

use crate::archive;
use crate::document::Kind;
use crate::html::escape;
use crate::site::{DocId, Site};

/// How many of the newest reviews a feed carries.
const ENTRIES: usize = 50;

/// The feed of `reviews` (indices into the site, any order), newest first.
pub fn atom(site: &Site, title: &str, self_path: &str, reviews: &[DocId]) -> String {
    let base = site.config.base_path();
    let abs = |path: &str| site.config.absolute_url(&format!("{base}{path}"));
    let mut list: Vec<DocId> = reviews
        .iter()
        .copied()
        .filter(|&i| site[i].kind == Kind::Review)
        .collect();
    archive::sort_newest_first(site, &mut list);
    list.truncate(ENTRIES);
    let updated = list
        .iter()
        .filter_map(|&i| site[i].doc.date)
        .max()
        .unwrap_or(site.today);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    out.push_str(&format!("  <title>{}</title>\n", escape(title)));
    out.push_str(&format!(
        "  <id>{}</id>\n",
        escape(&feed_id(&abs(self_path)))
    ));
    out.push_str(&format!(
        "  <link rel=\"self\" href=\"{}\"/>\n",
        escape(&abs(self_path))
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" href=\"{}\"/>\n",
        escape(&abs("/"))
    ));
    out.push_str(&format!("  <updated>{updated}T00:00:00Z</updated>\n"));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(&site.config.title)
    ));
    out.push_str("  <generator>opsbook</generator>\n");
    for i in list {
        let record = &site[i];
        let doc = &record.doc;
        let url = abs(&doc.url);
        let date = doc.date.unwrap_or(site.today);
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", escape(&doc.title)));
        out.push_str(&format!("    <link href=\"{}\"/>\n", escape(&url)));
        out.push_str(&format!("    <id>{}</id>\n", escape(&feed_id(&url))));
        out.push_str(&format!("    <updated>{date}T00:00:00Z</updated>\n"));
        out.push_str(&format!(
            "    <category term=\"{}\"/>\n",
            escape(&site.kind_label(record))
        ));
        for team in archive::teams_of(record) {
            out.push_str(&format!(
                "    <category term=\"team:{}\"/>\n",
                escape(&team)
            ));
        }
        if let Some(sev) = archive::string_field(record, "severity") {
            out.push_str(&format!(
                "    <category term=\"severity:{}\"/>\n",
                escape(sev)
            ));
        }
        out.push_str(&format!(
            "    <summary>{}</summary>\n",
            escape(&doc.excerpt())
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// Atom ids must be absolute IRIs; a site without a host in `base_url` gets a stable URN.
fn feed_id(url: &str) -> String {
    if url.contains("://") {
        url.to_string()
    } else {
        format!("urn:opsbook:{}", url.trim_start_matches('/'))
    }
}
