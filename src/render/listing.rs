//! Pages that list documents rather than show one: the home page, folder sections, the incident
//! catalogue, the action-item tracker, the search page and the 404 page.

use std::collections::BTreeMap;

use super::catalog::{folder_url, section_title};
use super::templates::Renderer;
use super::views::{
    ActionItemsView, Ctx, DocSummary, FacetView, HomeView, IncidentsView, ItemView, PageContext,
    PageView, Plain, SearchView, SectionListView, SiteView, Subsection, YearRow,
};
use crate::archive;
use crate::document::Kind;
use crate::error::Error;
use crate::schema::ItemStatus;
use crate::site::DocId;

/// The home page: `page` is `content/_index.md`'s page, or a bare one titled after the site.
pub(super) fn home(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
    mut page: PageView,
) -> Result<String, Error> {
    let site = ctx.site;
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
    let mut recent = of_kind(Kind::Review);
    archive::sort_newest_first(site, &mut recent);
    recent.truncate(8);
    let rows = archive::action_items(site);
    let view = HomeView {
        playbooks: ctx.summaries(&of_kind(Kind::Playbook)),
        templates: ctx.summaries(&of_kind(Kind::Template)),
        teams: ctx.summaries(&of_kind(Kind::Team)),
        recent: ctx.summaries(&recent),
        incident_count: ctx.cat.incidents.len(),
        open_count: rows
            .iter()
            .filter(|r| r.item.status == ItemStatus::Open)
            .count(),
        overdue_count: rows.iter().filter(|r| r.overdue).count(),
    };
    renderer.render("index.html", &context(site_view, page, view))
}

/// A folder's page: its `_index.md` (document `index`), if it has one, then its subfolders and
/// documents.
pub(super) fn section(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
    folder: &str,
    index: Option<DocId>,
) -> Result<String, Error> {
    let site = ctx.site;
    let url = ctx.url(&folder_url(folder));
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
        None => PageView::titled(&section_title(site, folder), url),
    };
    page.kind = Kind::Section;
    let mut children: Vec<DocId> = site
        .iter()
        .filter(|(_, r)| r.doc.folder == folder && !r.doc.is_index())
        .map(|(i, _)| i)
        .collect();
    let dated = children.iter().any(|&i| site[i].doc.date.is_some());
    if dated {
        archive::sort_newest_first(site, &mut children);
    } else {
        children.sort_by(|&a, &b| {
            let (da, db) = (&site[a].doc, &site[b].doc);
            da.weight
                .cmp(&db.weight)
                .then_with(|| da.title.to_lowercase().cmp(&db.title.to_lowercase()))
        });
    }
    let prefix = format!("{folder}/");
    let mut subs: BTreeMap<String, usize> = BTreeMap::new();
    for r in &site.records {
        if let Some(rest) = r.doc.folder.strip_prefix(&prefix) {
            let child = rest.split('/').next().unwrap_or(rest);
            *subs.entry(format!("{prefix}{child}")).or_default() += usize::from(!r.doc.is_index());
        }
    }
    let view = SectionListView {
        children: ctx.summaries(&children),
        subsections: subs
            .into_iter()
            .map(|(f, count)| Subsection {
                title: section_title(site, &f),
                url: ctx.url(&folder_url(&f)),
                count,
            })
            .collect(),
        dated,
    };
    renderer.render("section.html", &context(site_view, page, view))
}

/// `/incidents/`: every incident by year and severity, with the last twelve months charted.
pub(super) fn incidents(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
) -> Result<String, Error> {
    let site = ctx.site;
    let all = &ctx.cat.incidents;
    let levels = archive::severity_levels(site);
    let in_year = |year: Option<i32>| -> Vec<DocSummary> {
        all.iter()
            .filter(|&&i| site[i].doc.date.map(|d| d.year()) == year)
            .map(|&i| ctx.summary(i))
            .collect()
    };
    let years: Vec<YearRow> = archive::incidents_by_year(site, all, &levels)
        .into_iter()
        .map(|(year, counts, total)| YearRow {
            year,
            counts,
            total,
            incidents: in_year(Some(year)),
        })
        .collect();
    let index = site
        .records
        .iter()
        .position(|r| r.doc.is_index() && r.doc.folder == "incidents")
        .map(DocId::new);
    let mut page = PageView::titled(
        index.map_or("Incidents", |i| site[i].doc.title.as_str()),
        ctx.url("/incidents/"),
    );
    page.kind = Kind::Section;
    if let Some(i) = index {
        page.content = ctx.body_html(i);
        page.summary = site[i].doc.summary.clone();
    }
    let mut totals = vec![0; levels.len()];
    for row in &years {
        for (t, c) in totals.iter_mut().zip(&row.counts) {
            *t += c;
        }
    }
    let view = IncidentsView {
        levels,
        years,
        totals,
        total: all.len(),
        undated: in_year(None),
        incident_chart: ctx.incident_chart("all-incidents", all),
        response_table: ctx.response_table(all),
    };
    renderer.render("incidents.html", &context(site_view, page, view))
}

/// `/action-items/`: every follow-up from every review.
pub(super) fn action_items(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
) -> Result<String, Error> {
    let rows = archive::action_items(ctx.site);
    let items: Vec<ItemView> = rows.iter().map(|r| ctx.item_view(r, true)).collect();
    let open = |r: &&archive::ActionRow<'_>| r.item.status == ItemStatus::Open;
    let view = ActionItemsView {
        open_count: rows.iter().filter(open).count(),
        overdue_count: rows.iter().filter(|r| r.overdue).count(),
        unowned_count: rows
            .iter()
            .filter(open)
            .filter(|r| r.item.owner.is_none() || r.item.due.is_none())
            .count(),
        items,
    };
    let mut page = PageView::titled("Action items", ctx.url("/action-items/"));
    page.kind = Kind::Section;
    page.summary =
        Some("Every follow-up from every review: open ones first, overdue ones marked.".into());
    renderer.render("section.html", &context(site_view, page, view))
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
