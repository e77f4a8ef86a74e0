//! Pages that list documents rather than show one: the home page, folder sections, the incident
//! catalogue, the action-item tracker, the search page and the 404 page.

use std::collections::BTreeMap;

use super::paging::{Pager, page_url, range};
use super::templates::Renderer;
use super::tree::{Entry, FolderId};
use super::views::{
    Ctx, DocTable, FacetView, HomeView, IncidentsView, PageContext, PageView, Plain, SearchView,
    SectionListView, SiteView, Stat, Subsection, YearGroup, YearRow,
};
use crate::archive;
use crate::document::Kind;
use crate::error::Error;
use crate::schema::ItemStatus;
use crate::site::DocId;

/// Root pages the home page lists before it sends readers to search.
const HOME_PAGES: usize = 50;
/// Pages a section's card lists on the home page of a site of plain pages.
const SECTION_PAGES: usize = 6;

/// The home page: `page` is `content/_index.md`'s page, or a bare one titled after the site.
/// It shows what the site has and nothing it lacks: counters and panels for the kinds of
/// document present, every section, the pages at the root, and the newest reviews (or, on a
/// site with no reviews, the newest dated pages).
pub(super) fn home(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
    mut page: PageView,
) -> Result<String, Error> {
    let site = ctx.site;
    let tree = &ctx.cat.tree;
    page.kind = Kind::Home;
    let of_kind = |kind: Kind| -> Vec<DocId> {
        let mut list: Vec<DocId> = site
            .iter()
            .filter(|(_, r)| r.kind == kind)
            .map(|(i, _)| i)
            .collect();
        list.sort_by(|&a, &b| {
            let (da, db) = (&site[a].doc, &site[b].doc);
            da.weight
                .cmp(&db.weight)
                .then_with(|| da.title.cmp(&db.title))
        });
        list
    };
    let playbooks = of_kind(Kind::Playbook);
    let templates = of_kind(Kind::Template);
    let teams = of_kind(Kind::Team);
    let mut recent = of_kind(Kind::Review);
    let reviews = recent.len();
    if recent.is_empty() {
        // A plain folder of markdown: its newest dated pages instead.
        recent = site
            .iter()
            .filter(|(_, r)| r.kind == Kind::Page && r.doc.date.is_some())
            .map(|(i, _)| i)
            .collect();
    }
    archive::sort_newest_first(site, &mut recent);
    recent.truncate(8);
    let rows = ctx.item_rows(0..ctx.cat.items.len());
    let url = |path: &str| ctx.url(path);
    let mut stats = Vec::new();
    let mut stat = |count: usize, one: &str, many: &str, path: &str| {
        if count > 0 {
            stats.push(Stat {
                count,
                label: if count == 1 { one } else { many }.to_string(),
                url: url(path),
                alert: false,
            });
        }
    };
    stat(playbooks.len(), "meeting", "meetings", "/meetings/");
    stat(templates.len(), "template", "templates", "/templates/");
    let incidents = ctx.cat.incidents.len();
    stat(
        incidents,
        "incident review",
        "incident reviews",
        "/incidents/",
    );
    stat(teams.len(), "team", "teams", "/teams/");
    if !rows.is_empty() {
        let open = rows
            .iter()
            .filter(|r| r.item.status == ItemStatus::Open)
            .count();
        let overdue = rows.iter().filter(|r| r.overdue).count();
        let noun = if open == 1 { "item" } else { "items" };
        stats.push(Stat {
            count: open,
            label: if overdue > 0 {
                format!("open action {noun}, {overdue} overdue")
            } else {
                format!("open action {noun}")
            },
            url: ctx.url("/action-items/"),
            alert: overdue > 0,
        });
    }
    let root = tree.folder(FolderId::ROOT);
    let plain = playbooks.is_empty() && templates.is_empty() && reviews == 0 && teams.is_empty();
    let mut sections: Vec<Subsection> = root
        .entries
        .iter()
        .filter_map(|e| match *e {
            Entry::Folder(f) => {
                let folder = tree.folder(f);
                Some(Subsection {
                    title: folder.title.clone(),
                    url: ctx.url(&folder.url),
                    count: folder.count,
                    summary: folder
                        .index
                        .and_then(|i| site[i].doc.summary.clone())
                        .unwrap_or_default(),
                    pages: Vec::new(),
                })
            }
            Entry::Doc(_) => None,
        })
        .collect();
    if plain {
        // Nothing but folders of pages: each section card lists its first pages.
        for (s, f) in sections
            .iter_mut()
            .zip(root.entries.iter().filter_map(|e| match *e {
                Entry::Folder(f) => Some(f),
                Entry::Doc(_) => None,
            }))
        {
            s.pages = tree
                .folder(f)
                .documents()
                .map(|i| ctx.doc_link(i))
                .take(SECTION_PAGES)
                .collect();
        }
    }
    let root_pages: Vec<DocId> = root.documents().collect();
    if plain {
        let pages = root.count;
        stats.push(Stat {
            count: pages,
            label: format!(
                "{} in {} section{}",
                if pages == 1 { "page" } else { "pages" },
                sections.len(),
                if sections.len() == 1 { "" } else { "s" }
            ),
            url: String::new(),
            alert: false,
        });
    }
    let view = HomeView {
        stats,
        playbooks: ctx.summaries(&playbooks),
        templates: ctx.summaries(&templates),
        teams: ctx.summaries(&teams),
        recent: ctx.doc_table(&recent),
        recent_reviews: reviews > 0,
        sections,
        pages: ctx.summaries(&root_pages[..root_pages.len().min(HOME_PAGES)]),
        more_pages: root_pages.len().saturating_sub(HOME_PAGES),
    };
    renderer.render("index.html", &context(site_view, page, view))
}

/// Page `n` of a folder's listing. The first page is its `_index.md` (document `index`), if it
/// has one, then its subfolders and the first documents; later pages are documents only.
pub(super) fn section(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
    folder: &str,
    index: Option<DocId>,
    n: usize,
) -> Result<String, Error> {
    let site = ctx.site;
    let tree = &ctx.cat.tree;
    let Some(f) = tree.by_path(folder) else {
        return Err(Error::Output(format!(
            "no folder {folder} in the content tree"
        )));
    };
    let node = tree.folder(f);
    let (docs, dated) = &ctx.cat.folder_lists[f.index()];
    let label = format!("Pages of {}", node.title);
    let pager = ctx.pager(&node.url, n, docs.len(), &label);
    if pager.page > 1 {
        return section_later(ctx, renderer, site_view, f, pager);
    }
    let url = ctx.url(&node.url);
    let mut page = match index {
        Some(i) => {
            let doc = &site[i].doc;
            PageView {
                content: ctx.body_html(i),
                summary: doc.summary.clone(),
                draft: doc.draft,
                ..PageView::titled(&doc.title, url)
            }
        }
        None => PageView::titled(&node.title, url),
    };
    page.kind = Kind::Section;
    page.nav = Some(ctx.page_nav(Entry::Folder(f)));
    // The folder's documents in reading order; a dated folder reads newest first.
    let children =
        ctx.doc_table_with_facets(&docs[super::paging::range(1, docs.len(), ctx.page_size())]);
    // Pages with facets of their own read best as a table too.
    let dated = *dated || !children.extra.is_empty();
    let view = SectionListView {
        pager,
        children,
        subsections: node
            .entries
            .iter()
            .filter_map(|e| match *e {
                Entry::Folder(sub) => {
                    let sub = tree.folder(sub);
                    Some(Subsection {
                        title: sub.title.clone(),
                        url: ctx.url(&sub.url),
                        count: sub.count,
                        summary: String::new(),
                        pages: Vec::new(),
                    })
                }
                Entry::Doc(_) => None,
            })
            .collect(),
        dated,
    };
    renderer.render("section.html", &context(site_view, page, view))
}

/// Page 2 or later of a folder's listing: its documents, under the folder's breadcrumbs.
fn section_later(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
    f: FolderId,
    pager: Pager,
) -> Result<String, Error> {
    let node = ctx.cat.tree.folder(f);
    let (docs, dated) = &ctx.cat.folder_lists[f.index()];
    let url = ctx.url(&page_url(&node.url, pager.page));
    let mut page = PageView::titled(
        &format!("{}, page {} of {}", node.title, pager.page, pager.pages),
        url.clone(),
    );
    page.kind = Kind::Section;
    page.nav = Some(ctx.later_page_nav(Entry::Folder(f), url, pager.page));
    let children = ctx.doc_table_with_facets(&docs[range(pager.page, docs.len(), ctx.page_size())]);
    let view = SectionListView {
        dated: *dated || !children.extra.is_empty(),
        children,
        subsections: Vec::new(),
        pager,
    };
    renderer.render("section.html", &context(site_view, page, view))
}

/// Page `n` of `/incidents/`: every incident, newest first, by year. The first page also
/// counts them by year and severity (each year linked to where its list starts) and charts the
/// last twelve months.
pub(super) fn incidents(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
    n: usize,
) -> Result<String, Error> {
    let site = ctx.site;
    let all = &ctx.cat.incidents;
    let size = ctx.page_size();
    let pager = ctx.pager(
        "/incidents/",
        n,
        all.len(),
        "Pages of the incident catalogue",
    );
    let first = pager.page == 1;
    let shown = range(pager.page, all.len(), size);
    // This page's incidents by year: the catalogue is newest first, so each year is a run.
    let mut groups: Vec<YearGroup> = Vec::new();
    for at in shown.clone() {
        let i = all[at];
        let year = site[i].doc.date.map(|d| d.year());
        let (id, label) = match year {
            Some(y) => (format!("year-{y}"), y.to_string()),
            None => ("undated".to_string(), "Undated".to_string()),
        };
        if groups.last().is_none_or(|g| g.id != id) {
            let run = ctx.cat.incident_years.iter().find(|r| Some(r.0) == year);
            let (start, total) = run.map_or_else(
                || {
                    let dated: usize = ctx.cat.incident_years.iter().map(|r| r.2).sum();
                    (dated, all.len() - dated)
                },
                |r| (r.1, r.2),
            );
            groups.push(YearGroup {
                id,
                label,
                total,
                continued: start < shown.start,
                incidents: DocTable::default(),
            });
        }
        if let Some(g) = groups.last_mut() {
            g.incidents.docs.push(ctx.summary(i));
        }
    }
    for g in &mut groups {
        g.incidents = DocTable::new(std::mem::take(&mut g.incidents.docs));
    }
    let index = site
        .records
        .iter()
        .position(|r| r.doc.is_index() && r.doc.folder == "incidents")
        .map(DocId::new);
    let title = index.map_or("Incidents", |i| site[i].doc.title.as_str());
    let url = ctx.url(&page_url("/incidents/", pager.page));
    let mut page = if first {
        PageView::titled(title, url)
    } else {
        PageView::titled(
            &format!("{title}, page {} of {}", pager.page, pager.pages),
            url,
        )
    };
    page.kind = Kind::Section;
    let mut view = IncidentsView {
        levels: Vec::new(),
        years: Vec::new(),
        totals: Vec::new(),
        total: all.len(),
        groups,
        pager,
        incident_chart: None,
        response_table: None,
    };
    if first {
        if let Some(i) = index {
            page.content = ctx.body_html(i);
            page.summary = site[i].doc.summary.clone();
        }
        let levels = archive::severity_levels(site);
        view.years = archive::incidents_by_year(site, all, &levels)
            .into_iter()
            .map(|(year, counts, total)| {
                let start = ctx
                    .cat
                    .incident_years
                    .iter()
                    .find(|r| r.0 == year)
                    .map_or(0, |r| r.1);
                let on = start / size + 1;
                YearRow {
                    year,
                    counts,
                    total,
                    url: format!("{}#year-{year}", ctx.url(&page_url("/incidents/", on))),
                }
            })
            .collect();
        view.totals = vec![0; levels.len()];
        for row in &view.years {
            for (t, c) in view.totals.iter_mut().zip(&row.counts) {
                *t += c;
            }
        }
        view.levels = levels;
        view.incident_chart = ctx.incident_chart("all-incidents", all);
        view.response_table = ctx.response_table(all);
    }
    renderer.render("incidents.html", &context(site_view, page, view))
}

/// `/search/`: the search form with a checkbox list per facet.
pub(super) fn search(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
) -> Result<String, Error> {
    let mut page = PageView::titled("Search", ctx.url("/search/"));
    page.kind = Kind::Section;
    let names: BTreeMap<&str, &str> = ctx
        .site
        .teams
        .values()
        .map(|t| (t.id.as_str(), t.name.as_str()))
        .collect();
    let view = SearchView {
        facets: crate::search::facet_list(ctx.site)
            .into_iter()
            .map(|(name, label)| FacetView { name, label })
            .collect(),
        team_names: serde_json::to_string(&names).unwrap_or_else(|_| "{}".into()),
    };
    renderer.render("search.html", &context(site_view, page, view))
}

pub(super) fn not_found(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
) -> Result<String, Error> {
    let page = PageView::titled("Page not found", ctx.url("/404.html"));
    renderer.render("404.html", &context(site_view, page, Plain {}))
}

fn context<'a, E: serde::Serialize>(
    site: &'a SiteView,
    page: PageView,
    extra: E,
) -> PageContext<'a, E> {
    PageContext { site, page, extra }
}
