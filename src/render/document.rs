//! The page of one document: the shared `PageView` (header, body, fields, table of contents,
//! related documents and backlinks) and, per kind, what its template adds: a playbook's
//! archive, a template's schema, a team's members, items and charts.

use std::collections::{BTreeMap, BTreeSet};

use super::charts::metric_view;
use super::format::minutes_in_words;
use super::listing;
use super::templates::Renderer;
use super::tree::Entry;
use super::views::{
    BodyPart, Ctx, FieldRow, Group, ItemView, LinkView, PageContext, PageView, Plain, PlaybookView,
    SchemaFieldView, SectionView, SiteView, TeamView, TemplateView, TocItem,
};
use crate::archive;
use crate::document::Kind;
use crate::error::Error;
use crate::html::escape;
use crate::links;
use crate::schema::{FieldValue, ItemStatus, field_label};
use crate::site::{DocId, Record};

/// Fields shown in a review's header rather than in its field table.
const HEADER_FIELDS: &[&str] = &["severity", "status", "teams"];

pub(super) fn render(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
    i: DocId,
) -> Result<String, Error> {
    let record = &ctx.site[i];
    if record.kind == Kind::Section {
        return listing::section(ctx, renderer, site_view, &record.doc.folder, Some(i), 1);
    }
    let mut page = page_view(ctx, i);
    // Lists a page already shows in full, and what its header links (a review's template and
    // meeting, the teams it names), are left out of "Referenced by".
    let mut listed: BTreeSet<DocId> = ctx.graph.related(i).into_iter().collect();
    if let Some(t) = ctx.site.template_of(record) {
        listed.insert(t.doc);
        listed.extend(t.meeting);
    }
    listed.extend(
        archive::teams_of(record)
            .iter()
            .filter_map(|t| ctx.site.teams.get(t).map(|team| team.doc)),
    );
    macro_rules! finish {
        ($name:expr, $extra:expr) => {{
            page.backlinks = backlink_groups(ctx, i, &listed);
            if !page.related.is_empty() {
                page.toc.push(h2("related", "Related"));
            }
            if !page.backlinks.is_empty() {
                page.toc.push(h2("referenced-by", "Referenced by"));
            }
            let context = PageContext {
                site: site_view,
                page,
                extra: $extra,
            };
            renderer.render($name, &context)
        }};
    }
    match record.kind {
        // Each kind's generated sections join "On this page" where the template puts them.
        Kind::Playbook => {
            let view = playbook_view(ctx, i, &mut listed);
            let mut before = Vec::new();
            if !view.templates.is_empty() {
                before.push(h2("templates-used", "Templates for this meeting"));
            }
            let mut after = Vec::new();
            if !view.trends.is_empty() {
                after.push(h2("trends", "Trends across the archive"));
            }
            after.push(h2("archive", "Archive"));
            around(&mut page.toc, before, after);
            finish!("playbook.html", view)
        }
        Kind::Template => match template_view(ctx, i, &mut listed) {
            Some(view) => {
                let mut after = vec![h2("fields", "Fields")];
                if !view.sections.is_empty() {
                    after.push(h2("sections", "Sections"));
                }
                after.push(h2("made-from", "Made from this template"));
                around(&mut page.toc, Vec::new(), after);
                finish!("template.html", view)
            }
            None => finish!("template.html", Plain {}),
        },
        Kind::Team => {
            let view = team_view(ctx, i, &mut listed);
            // What a leader needs first: open items and incidents; then the team; charts last.
            let mut before = vec![h2("open-items", "Open action items")];
            if let Some(g) = &view.incidents {
                before.push(h2(&g.id, &g.label));
            }
            if view.members.is_some_and(|m| !m.is_empty()) {
                before.push(h2("members", "Members"));
            }
            let mut after: Vec<TocItem> = view.groups.iter().map(|g| h2(&g.id, &g.label)).collect();
            if !view.charts.is_empty() {
                after.push(h2("trends", "Metric trends"));
            }
            if view.incident_chart.is_some() || view.response_table.is_some() {
                after.push(h2("incident-stats", "Incident statistics"));
            }
            around(&mut page.toc, before, after);
            finish!("team.html", view)
        }
        Kind::Home => {
            // An `index.md` with no title of its own is the site's front page: the site's title.
            let doc = &record.doc;
            if doc.front.str("title").is_none() && doc.markdown.first_heading.is_none() {
                page.title.clone_from(&ctx.site.config.title);
            }
            listing::home(ctx, renderer, site_view, page)
        }
        Kind::Review => {
            place_tables(&mut page, record);
            let placed = |kind: &str| page.parts.iter().any(|p| p.then == Some(kind));
            let before = if page.metrics.is_empty() || placed("metrics") {
                Vec::new()
            } else {
                vec![h2("metrics-table", "Metrics at a glance")]
            };
            let after = if page.action_items.is_empty() || placed("action_items") {
                Vec::new()
            } else {
                vec![h2("tracked-items", "Tracked action items")]
            };
            around(&mut page.toc, before, after);
            finish!("review.html", Plain {})
        }
        Kind::Page | Kind::Section => finish!("page.html", Plain {}),
    }
}

/// What every document page shows, whatever its kind.
fn page_view(ctx: &Ctx<'_>, i: DocId) -> PageView {
    let site = ctx.site;
    let record = &site[i];
    let doc = &record.doc;
    let template = site.template_of(record);
    let mut page = PageView {
        kind: record.kind,
        id: doc.explicit_id.then(|| doc.id.clone()),
        date: doc.date.map(|d| d.to_string()),
        draft: doc.draft,
        summary: doc.summary.clone(),
        source_path: doc.path.clone(),
        content: ctx.body_html(i),
        toc: doc
            .markdown
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .map(|h| TocItem {
                level: h.level,
                id: h.id.clone(),
                text: h.text.clone(),
            })
            .collect(),
        label: site.kind_label(record),
        severity: archive::string_field(record, "severity").map(str::to_string),
        status: archive::status_of(record).map(str::to_string),
        teams: archive::teams_of(record)
            .iter()
            .map(|t| ctx.team_link(t))
            .collect(),
        template: template.map(|t| ctx.doc_link(t.doc)),
        meeting: template.and_then(|t| t.meeting).map(|m| ctx.doc_link(m)),
        action_items: archive::items_of(site, i, record)
            .iter()
            .map(|it| ctx.item_view(&it.row(site), false))
            .collect(),
        timings: timings(record),
        related: ctx.summaries(&ctx.graph.related(i)),
        updated: source_rel(&doc.path)
            .and_then(|rel| ctx.history.get(rel))
            .map(|d| d.to_string()),
        edit_url: source_rel(&doc.path).and_then(|rel| site.config.edit_link(rel)),
        nav: (record.kind != Kind::Home).then(|| ctx.page_nav(Entry::Doc(i))),
        wide: matches!(record.kind, Kind::Playbook | Kind::Template | Kind::Team),
        ..PageView::titled(&doc.title, ctx.url(&doc.url))
    };
    if record.kind == Kind::Page {
        page.fields = ctx.facts(i);
    }
    for (name, value) in &record.fields.0 {
        match value {
            FieldValue::Url(url) if page.document.is_none() && replaces_body(template, name) => {
                page.document = Some(LinkView {
                    title: format!("Read the {} on {}", document_noun(url), host_of(url)),
                    url: if url.starts_with('/') {
                        ctx.url(url)
                    } else {
                        url.clone()
                    },
                });
            }
            FieldValue::ActionItems(_) => {}
            FieldValue::Metrics(metrics) => page.metrics.extend(
                metrics
                    .iter()
                    .enumerate()
                    .map(|(n, m)| metric_view(m, ctx.sparkline(i, n, m))),
            ),
            _ if record.kind == Kind::Review && HEADER_FIELDS.contains(&name.as_str()) => {}
            _ if record.kind == Kind::Team && name == "services" => {}
            _ => page.fields.push(FieldRow {
                name: name.clone(),
                label: field_label(name),
                html: with_unit(ctx.field_html(value), value, unit_of(template, name)),
            }),
        }
    }
    page
}

/// A document's path under `content/` (`incidents/x.md`), from the path diagnostics show.
fn source_rel(path: &str) -> Option<&str> {
    path.strip_prefix(crate::source::CONTENT_DIR)?
        .strip_prefix('/')
}

/// Whether the template's field `name` is a link that may stand for the review's body.
fn replaces_body(template: Option<&crate::site::Template>, name: &str) -> bool {
    template.is_some_and(|t| {
        t.schema
            .fields
            .iter()
            .any(|f| f.name == name && f.replaces_body)
    })
}

/// `docs.example.com` from `https://docs.example.com/x`; "this site" for a site path.
fn host_of(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            host.rsplit_once('@').map_or(host, |(_, h)| h)
        }
        None => "this site",
    }
}

/// What the link opens, as readers say it: a PDF, a slide deck, or a document.
fn document_noun(url: &str) -> &'static str {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    if path.ends_with(".pdf") {
        "review (PDF)"
    } else if path.ends_with(".pptx") || path.ends_with(".key") || path.contains("/presentation/") {
        "review slides"
    } else {
        "full review"
    }
}

/// The `unit` a template declares for field `name` (`USD`), if any.
fn unit_of<'a>(template: Option<&'a crate::site::Template>, name: &str) -> &'a str {
    template
        .and_then(|t| t.schema.fields.iter().find(|f| f.name == name))
        .map_or("", |f| f.unit.as_str())
}

/// A number field's HTML with its unit after it: `126,400 USD`.
fn with_unit(html: String, value: &FieldValue, unit: &str) -> String {
    match value {
        FieldValue::Int(_) | FieldValue::Float(_) if !unit.is_empty() => {
            format!("{html} {}", escape(unit))
        }
        _ => html,
    }
}

fn playbook_view(ctx: &Ctx<'_>, i: DocId, listed: &mut BTreeSet<DocId>) -> PlaybookView {
    let site = ctx.site;
    let templates: Vec<usize> = site
        .templates
        .iter()
        .enumerate()
        .filter(|(_, t)| t.meeting == Some(i))
        .map(|(t, _)| t)
        .collect();
    let archive_list = ctx.cat.archives.get(&i).map_or(&[][..], Vec::as_slice);
    listed.extend(archive_list);
    listed.extend(templates.iter().map(|&t| site.templates[t].doc));
    let reviews: BTreeSet<DocId> = archive_list.iter().copied().collect();
    let url = &site[i].doc.url;
    PlaybookView {
        templates: templates
            .iter()
            .map(|&t| ctx.summary(site.templates[t].doc))
            .collect(),
        archive: ctx.doc_table(first_page(ctx, archive_list)),
        pager: ctx.pager(url, 1, archive_list.len(), "Pages of the archive"),
        trends: ctx.metric_name_charts(&reviews),
    }
}

/// The entries of a list's first page.
fn first_page<'l, T>(ctx: &Ctx<'_>, list: &'l [T]) -> &'l [T] {
    &list[..list.len().min(ctx.page_size())]
}

fn template_view(ctx: &Ctx<'_>, i: DocId, listed: &mut BTreeSet<DocId>) -> Option<TemplateView> {
    let t = ctx.site.templates.iter().position(|t| t.doc == i)?;
    let tpl = &ctx.site.templates[t];
    let reviews = &ctx.cat.reviews_by_template[t];
    listed.extend(reviews);
    listed.extend(tpl.meeting);
    Some(TemplateView {
        schema_fields: tpl
            .schema
            .fields
            .iter()
            .map(|f| SchemaFieldView {
                name: f.name.clone(),
                ty: f.ty.name(),
                required: f.required,
                help: f.help.clone(),
            })
            .collect(),
        sections: tpl
            .schema
            .sections
            .iter()
            .map(|s| SectionView {
                heading: s.heading.clone(),
                prompt: s.prompt.clone(),
                required: s.required,
            })
            .collect(),
        reviews: ctx.doc_table(first_page(ctx, reviews)),
        pager: ctx.pager(
            &ctx.site[i].doc.url,
            1,
            reviews.len(),
            "Pages of the reviews made from this template",
        ),
        template_id: tpl.id.clone(),
        folder: tpl.folder.clone(),
        template_meeting: tpl.meeting.map(|m| ctx.doc_link(m)),
    })
}

fn team_view<'a>(ctx: &Ctx<'a>, i: DocId, listed: &mut BTreeSet<DocId>) -> TeamView<'a> {
    let site = ctx.site;
    let record = &site[i];
    let team = site.teams.values().find(|t| t.doc == i);
    let team_id = team.map(|t| t.id.as_str()).unwrap_or_default();
    let team_url = ctx.url(&record.doc.url);
    let naming: &[DocId] = ctx.cat.docs_by_team.get(team_id).map_or(&[], Vec::as_slice);
    listed.extend(naming);
    // The newest documents naming the team; the rest are on the list's later pages.
    let (incident_group, groups) = ctx.team_groups(first_page(ctx, naming), &team_url);
    // The catalog's list is in the tracker's order already: open first, most overdue first.
    let team_items = ctx
        .cat
        .items_by_team
        .get(team_id)
        .map_or(&[][..], Vec::as_slice);
    let has_items = !team_items.is_empty();
    let open_items: Vec<ItemView> = team_items
        .iter()
        .filter_map(|&n| ctx.cat.items.get(n))
        .map(|it| it.row(site))
        .take_while(|row| row.item.status == ItemStatus::Open)
        .take(ctx.page_size())
        .map(|row| ctx.item_view(&row, true))
        .collect();
    let open_count = ctx.cat.open_by_team.get(team_id).copied().unwrap_or(0);
    let incidents: Vec<DocId> = naming
        .iter()
        .copied()
        .filter(|d| ctx.cat.incident_set.contains(d))
        .collect();
    let services: Vec<String> = match record.fields.get("services") {
        Some(FieldValue::List(items)) => items.iter().map(|v| ctx.field_html(v)).collect(),
        _ => Vec::new(),
    };
    let charts = ctx
        .cat
        .metrics
        .iter()
        .filter(|s| team.is_some() && s.team.as_deref() == Some(team_id))
        .enumerate()
        .map(|(n, s)| ctx.metric_chart(&format!("metric-{n}"), s))
        .collect();
    TeamView {
        members: team.map(|t| t.members.as_slice()),
        team_name: team.map(|t| t.name.clone()),
        oncall: record.doc.front.str("oncall"),
        channel: record.doc.front.str("channel"),
        services,
        incidents: incident_group,
        groups,
        pager: ctx.pager(
            &record.doc.url,
            1,
            naming.len(),
            "Pages of everything naming the team",
        ),
        open_items,
        open_count,
        items_url: team
            .filter(|_| has_items)
            .map(|t| ctx.url(&super::tracker::ItemFilter::Team(t.id.clone()).url())),
        incident_count: incidents.len(),
        charts,
        incident_chart: ctx.incident_chart("team-incidents", &incidents),
        response_table: ctx.response_table(&incidents),
    }
}

/// A review whose text has a section named like its metrics or action-items field
/// ("Metrics", "Action items", "Follow ups") gets that table there, under the author's heading,
/// instead of a second copy of the same numbers elsewhere on the page: `page.parts` holds the
/// body cut after those headings.
fn place_tables(page: &mut PageView, record: &Record) {
    let mut cuts: Vec<(usize, &'static str)> = Vec::new();
    for (kind, has, fallback) in [
        ("metrics", !page.metrics.is_empty(), "metrics"),
        (
            "action_items",
            !page.action_items.is_empty(),
            "action items",
        ),
    ] {
        if !has {
            continue;
        }
        let mut names: Vec<String> = record
            .fields
            .0
            .iter()
            .filter(|(_, v)| match kind {
                "metrics" => matches!(v, FieldValue::Metrics(_)),
                _ => matches!(v, FieldValue::ActionItems(_)),
            })
            .map(|(name, _)| field_label(name).to_lowercase())
            .collect();
        names.push(fallback.into());
        let heading = record
            .doc
            .markdown
            .headings
            .iter()
            .find(|h| h.level == 2 && names.contains(&h.text.trim().to_lowercase()));
        let cut = heading.and_then(|h| {
            let start = page.content.find(&format!("<h2 id=\"{}\"", h.id))?;
            let end = page.content[start..].find("</h2>")?;
            Some(start + end + "</h2>".len())
        });
        if let Some(at) = cut {
            cuts.push((at, kind));
        }
    }
    if cuts.is_empty() {
        return;
    }
    cuts.sort_unstable();
    let mut rest = page.content.as_str();
    let mut done = 0;
    for (at, kind) in cuts {
        let (head, tail) = rest.split_at(at - done);
        page.parts.push(BodyPart {
            html: head.to_string(),
            then: Some(kind),
        });
        done = at;
        rest = tail;
    }
    page.parts.push(BodyPart {
        html: rest.to_string(),
        then: None,
    });
}

fn h2(id: &str, text: &str) -> TocItem {
    TocItem {
        level: 2,
        id: id.to_string(),
        text: text.to_string(),
    }
}

/// Puts a page's generated sections around the headings of its text in "On this page".
fn around(toc: &mut Vec<TocItem>, before: Vec<TocItem>, after: Vec<TocItem>) {
    let body = std::mem::take(toc);
    toc.extend(before);
    toc.extend(body);
    toc.extend(after);
}

/// Documents "Referenced by" shows of each kind, the newest; the group says how many more.
const BACKLINKS_SHOWN: usize = 50;

/// "Referenced by": documents linking to `i`, grouped by kind, minus those the page lists
/// already; the newest `BACKLINKS_SHOWN` of each kind, and how many more.
fn backlink_groups(ctx: &Ctx<'_>, i: DocId, listed: &BTreeSet<DocId>) -> Vec<Group> {
    let mut groups: BTreeMap<String, Vec<DocId>> = BTreeMap::new();
    for &b in ctx.graph.backlinks[i].iter() {
        if !listed.contains(&b) && !ctx.site[b].doc.is_index() {
            groups
                .entry(links::group_label(ctx.site, b))
                .or_default()
                .push(b);
        }
    }
    groups
        .into_iter()
        .map(|(label, mut items)| {
            archive::sort_newest_first(ctx.site, &mut items);
            let shown = items.len().min(BACKLINKS_SHOWN);
            Group {
                label,
                items: ctx.summaries(&items[..shown]),
                more: items.len() - shown,
            }
        })
        .collect()
}

/// Time to detect and to resolve, for documents with `started`, `detected` and `resolved` datetimes.
fn timings(record: &Record) -> Vec<FieldRow> {
    let Some((_, times)) = archive::response_times_of(record) else {
        return Vec::new();
    };
    [
        ("time_to_detect", "Time to detect", times.to_detect),
        ("time_to_resolve", "Time to resolve", times.to_resolve),
    ]
    .into_iter()
    .filter_map(|(name, label, minutes)| {
        Some(FieldRow {
            name: name.into(),
            label: label.into(),
            html: escape(&minutes_in_words(minutes?)),
        })
    })
    .collect()
}
