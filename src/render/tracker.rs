//! The action-item tracker: every action item of the site once (see `archive::action_items`),
//! on `/action-items/` and on one static page per filter (a status, a team, an owner), so that
//! filtering needs no JavaScript and every filtered view has an address to share.
//!
//! Words: a *filter* picks items; the *filter bar* links every filter with its count; items
//! are shown in *groups* by state (open, with the overdue first; done; dropped).

use super::catalog::Catalog;
use super::templates::Renderer;
use super::views::{
    ActionItemsView, Ctx, FilterGroup, FilterLink, ItemGroup, PageContext, PageView, SiteView,
};
use crate::archive::ActionRow;
use crate::document::{Kind, url_segment};
use crate::error::Error;
use crate::schema::ItemStatus;
use crate::site::Site;

/// Which items a tracker page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ItemFilter {
    All,
    Status(State),
    /// By team id.
    Team(String),
    /// By owner handle.
    Owner(String),
}

/// An item's state as the tracker sorts it: open items split into overdue and not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Open,
    Overdue,
    Done,
    Dropped,
}

const STATES: [(State, &str, &str); 4] = [
    (State::Open, "open", "Open"),
    (State::Overdue, "overdue", "Overdue"),
    (State::Done, "done", "Done"),
    (State::Dropped, "dropped", "Dropped"),
];

impl State {
    fn of(row: &ActionRow<'_>) -> State {
        match row.item.status {
            ItemStatus::Open if row.overdue => State::Overdue,
            ItemStatus::Open => State::Open,
            ItemStatus::Done => State::Done,
            ItemStatus::Dropped => State::Dropped,
        }
    }

    fn slug(self) -> &'static str {
        STATES.iter().find(|s| s.0 == self).map_or("open", |s| s.1)
    }
}

impl ItemFilter {
    /// Site-relative URL of the filter's page.
    pub fn url(&self) -> String {
        match self {
            ItemFilter::All => "/action-items/".into(),
            ItemFilter::Status(s) => format!("/action-items/{}/", s.slug()),
            ItemFilter::Team(t) => format!("/action-items/team/{}/", url_segment(t)),
            ItemFilter::Owner(o) => format!("/action-items/owner/{}/", url_segment(o)),
        }
    }

    fn matches(&self, row: &ActionRow<'_>) -> bool {
        match self {
            ItemFilter::All => true,
            // "Open" includes the overdue ones: they are open too.
            ItemFilter::Status(State::Open) => row.item.status == ItemStatus::Open,
            ItemFilter::Status(s) => State::of(row) == *s,
            ItemFilter::Team(t) => row.teams.iter().any(|x| x == t),
            ItemFilter::Owner(o) => row.item.owner.as_deref() == Some(o.as_str()),
        }
    }
}

/// Owners the filter bar names, those with the most open items first; every owner still has a
/// page, linked from their items.
const BAR_OWNERS: usize = 40;

/// Every filter that selects at least one item: the tracker's pages.
pub(super) fn filters(site: &Site, cat: &Catalog) -> Vec<ItemFilter> {
    let mut out = vec![ItemFilter::All];
    let rows: Vec<ActionRow<'_>> = cat.items.iter().map(|it| it.row(site)).collect();
    for (state, _, _) in STATES {
        let f = ItemFilter::Status(state);
        if rows.iter().any(|r| f.matches(r)) {
            out.push(f);
        }
    }
    let mut teams: Vec<&String> = cat.items_by_team.keys().collect();
    teams.sort();
    out.extend(teams.into_iter().map(|t| ItemFilter::Team(t.clone())));
    out.extend(
        cat.items_by_owner
            .keys()
            .map(|o| ItemFilter::Owner(o.clone())),
    );
    out
}

/// The items a filter picks, as positions in the catalog's list, in the tracker's order.
pub(super) enum Picked<'c> {
    /// The first `n` positions: every item.
    All(usize),
    Some(&'c [usize]),
}

impl Picked<'_> {
    pub fn len(&self) -> usize {
        match self {
            Picked::All(n) => *n,
            Picked::Some(list) => list.len(),
        }
    }

    /// The positions at `range` of the picked ones.
    fn slice(&self, range: std::ops::Range<usize>) -> Vec<usize> {
        match self {
            Picked::All(_) => range.collect(),
            Picked::Some(list) => list[range].to_vec(),
        }
    }
}

/// The items `filter` picks, from the catalog's lists (no walk over every item).
pub(super) fn positions<'c>(cat: &'c Catalog, filter: &ItemFilter) -> Picked<'c> {
    let list = |l: Option<&'c Vec<usize>>| Picked::Some(l.map_or(&[], Vec::as_slice));
    match filter {
        ItemFilter::All => Picked::All(cat.items.len()),
        ItemFilter::Status(s) => {
            let at = STATES.iter().position(|x| x.0 == *s).unwrap_or(0);
            list(cat.items_by_state.get(at))
        }
        ItemFilter::Team(t) => list(cat.items_by_team.get(t)),
        ItemFilter::Owner(o) => list(cat.items_by_owner.get(o)),
    }
}

/// Page `page` of a tracker page: the items `filter` picks, grouped by state, under the filter
/// bar; the first page also counts them.
pub(super) fn render(
    ctx: &Ctx<'_>,
    renderer: &Renderer,
    site_view: &SiteView,
    filter: &ItemFilter,
    page: usize,
) -> Result<String, Error> {
    let site = ctx.site;
    let picked = positions(ctx.cat, filter);
    let pager = ctx.pager(&filter.url(), page, picked.len(), "Pages of action items");
    let range = super::paging::range(pager.page, picked.len(), ctx.page_size());
    let shown: Vec<ActionRow<'_>> = ctx.item_rows(picked.slice(range));
    // The counts read every item the filter picks: on the first page only.
    let stats = pager.page == 1;
    let counted: Vec<ActionRow<'_>> = if stats && pager.pages > 1 {
        ctx.item_rows(picked.slice(0..picked.len()))
    } else {
        Vec::new()
    };
    let all = if counted.is_empty() { &shown } else { &counted };
    let open = |r: &&ActionRow<'_>| r.item.status == ItemStatus::Open;
    let team_name = |id: &str| {
        site.teams
            .get(id)
            .map_or(id, |t| t.name.as_str())
            .to_string()
    };
    let (title, summary) = match filter {
        ItemFilter::All => (
            "Action items".to_string(),
            "Every follow-up from every review, each once: open ones first, overdue ones marked."
                .to_string(),
        ),
        ItemFilter::Status(s) => {
            let label = STATES.iter().find(|x| x.0 == *s).map_or("", |x| x.2);
            (
                format!("{label} action items"),
                "Follow-ups from every review in this state.".to_string(),
            )
        }
        ItemFilter::Team(t) => (
            format!("Action items: {}", team_name(t)),
            "Follow-ups owned by the team's members, or from its reviews when the owner is in no team."
                .to_string(),
        ),
        ItemFilter::Owner(o) => (
            format!("Action items owned by {o}"),
            "Every follow-up this person owns, from every review.".to_string(),
        ),
    };
    let mut groups = Vec::new();
    for (id, label, status) in [
        ("open", "Open", ItemStatus::Open),
        ("done", "Done", ItemStatus::Done),
        ("dropped", "Dropped", ItemStatus::Dropped),
    ] {
        let items: Vec<_> = shown
            .iter()
            .filter(|r| r.item.status == status)
            .map(|r| ctx.item_view(r, true))
            .collect();
        if !items.is_empty() {
            groups.push(ItemGroup {
                id: id.into(),
                label: label.into(),
                items,
            });
        }
    }

    let filters = filter_bar(ctx, filter);
    let view = ActionItemsView {
        filters,
        groups,
        stats,
        open_count: all.iter().filter(open).count(),
        overdue_count: all.iter().filter(|r| r.overdue).count(),
        unowned_count: all
            .iter()
            .filter(open)
            .filter(|r| r.item.owner.is_none() || r.item.due.is_none())
            .count(),
        total: picked.len(),
        filtered: *filter != ItemFilter::All,
        all_url: ctx.url("/action-items/"),
        pager,
    };
    let url = ctx.url(&super::paging::page_url(&filter.url(), view.pager.page));
    let title = if view.pager.page > 1 {
        format!("{title}, page {} of {}", view.pager.page, view.pager.pages)
    } else {
        title
    };
    let mut page = PageView::titled(&title, url);
    page.kind = Kind::Section;
    page.summary = Some(summary);
    renderer.render(
        "action-items.html",
        &PageContext {
            site: site_view,
            page,
            extra: view,
        },
    )
}

/// The filter bar: every status, every team, the owners with the most open items. It reads the
/// catalog's counts, so it costs the same on every page whatever the archive's size.
fn filter_bar(ctx: &Ctx<'_>, filter: &ItemFilter) -> Vec<FilterGroup> {
    let (site, cat) = (ctx.site, ctx.cat);
    let team_name = |id: &str| {
        site.teams
            .get(id)
            .map_or(id, |t| t.name.as_str())
            .to_string()
    };
    let link = |f: ItemFilter, title: String, count: usize| FilterLink {
        url: ctx.url(&f.url()),
        current: f == *filter,
        title,
        count,
    };
    // In `STATES` order.
    let states = cat.item_totals;
    let mut bar = vec![FilterGroup {
        label: "Status".into(),
        links: std::iter::once(link(ItemFilter::All, "All".into(), cat.items.len()))
            .chain(
                STATES
                    .iter()
                    .zip(states)
                    .filter(|(_, n)| *n > 0)
                    .map(|(&(s, _, label), n)| link(ItemFilter::Status(s), label.into(), n)),
            )
            .collect(),
        more: 0,
    }];
    if !cat.open_by_team.is_empty() {
        let mut links: Vec<FilterLink> = cat
            .open_by_team
            .iter()
            .map(|(id, &n)| link(ItemFilter::Team(id.clone()), team_name(id), n))
            .collect();
        links.sort_by(|a, b| a.title.cmp(&b.title));
        bar.push(FilterGroup {
            label: "Team (open)".into(),
            links,
            more: 0,
        });
    }
    if !cat.open_by_owner.is_empty() {
        let mut owners: Vec<(&String, usize)> =
            cat.open_by_owner.iter().map(|(o, &n)| (o, n)).collect();
        let more = owners.len().saturating_sub(BAR_OWNERS);
        if more > 0 {
            owners.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            owners.truncate(BAR_OWNERS);
            owners.sort_by(|a, b| a.0.cmp(b.0));
        }
        bar.push(FilterGroup {
            label: "Owner (open)".into(),
            links: owners
                .into_iter()
                .map(|(o, n)| link(ItemFilter::Owner(o.clone()), o.clone(), n))
                .collect(),
            more,
        });
    }
    bar
}
