//! What the archive knows across reviews: every action item with its state, the incidents and
//! their severities, the teams each review names. All are pure functions of the `Site`, and all
//! key off field types (`action_items`, `team`, an enum named `severity`), never off a template's
//! name, so an organization's own templates join in without code.

use time::Date;

use crate::document::Kind;
use crate::schema::{self, ActionItem, FieldValue, ItemStatus};
use crate::site::{DocId, Record, Site, Template};

/// Where an action item is written: the review, which of its fields, which entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemAt {
    pub doc: DocId,
    field: u32,
    index: u32,
}

/// One action item of the site and what the archive knows of it. It owns nothing of the site,
/// so the list can be worked out once per build and read by every page (`ActionRow` is the
/// borrowed form pages use).
#[derive(Debug, Clone)]
pub struct TrackedItem {
    /// The entry that speaks for the item: the newest review's.
    pub at: ItemAt,
    /// Every review that lists the item, newest first.
    pub sources: Vec<DocId>,
    pub teams: Vec<String>,
    pub overdue: bool,
}

/// One action item as a page shows it.
#[derive(Debug, Clone, Copy)]
pub struct ActionRow<'a> {
    /// The item as the newest review that lists it has it (its status, its link).
    pub item: &'a ActionItem,
    /// Every review that lists the item, newest first: the one `item` comes from, then any
    /// older ones.
    pub sources: &'a [DocId],
    pub teams: &'a [String],
    pub overdue: bool,
}

impl TrackedItem {
    /// The action item itself.
    pub fn item<'a>(&self, site: &'a Site) -> &'a ActionItem {
        let (_, value) = &site[self.at.doc].fields.0[self.at.field as usize];
        match value {
            FieldValue::ActionItems(items) => &items[self.at.index as usize],
            // `ItemAt`s are only made by `items_of`, for entries of an `action_items` field.
            _ => unreachable!("an ItemAt points at an action_items field"),
        }
    }

    pub fn row<'a>(&'a self, site: &'a Site) -> ActionRow<'a> {
        ActionRow {
            item: self.item(site),
            sources: &self.sources,
            teams: &self.teams,
            overdue: self.overdue,
        }
    }
}

/// Every action item in the site, each once: open ones first (most overdue first), then done
/// and dropped.
///
/// Reviews often carry an item forward (an ops review repeats an incident's follow-up). Two
/// entries are the same item when they have the same title (ignoring case and runs of
/// spaces), the same owner and the same due date: one row stands for both, with the status of
/// the newest review that lists it, the teams of all of them, and every review as a source. An
/// item whose due date moved is a new item: the archive cannot tell a new promise from a
/// postponed one.
pub fn action_items(site: &Site) -> Vec<TrackedItem> {
    use std::collections::HashMap;
    let mut all: Vec<TrackedItem> = site
        .iter()
        .flat_map(|(i, r)| items_of(site, i, r))
        .collect();
    // Newest review first, so the first row of each item is the one that speaks for it.
    all.sort_by(|a, b| {
        let (da, db) = (site[a.at.doc].doc.date, site[b.at.doc].doc.date);
        db.cmp(&da).then(a.at.doc.cmp(&b.at.doc))
    });
    let mut rows: Vec<TrackedItem> = Vec::new();
    let mut seen: HashMap<(String, Option<&str>, Option<Date>), usize> = HashMap::new();
    for row in all {
        let item = row.item(site);
        let key = (
            item.title
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
            item.owner.as_deref(),
            item.due,
        );
        match seen.get(&key) {
            Some(&at) => {
                let kept = &mut rows[at];
                if !kept.sources.contains(&row.at.doc) {
                    kept.sources.push(row.at.doc);
                }
                for team in row.teams {
                    if !kept.teams.contains(&team) {
                        kept.teams.push(team);
                    }
                }
            }
            None => {
                seen.insert(key, rows.len());
                rows.push(row);
            }
        }
    }
    sort_items(site, &mut rows);
    rows
}

/// The action items of one document.
/// An item belongs to its owner's team when the owner is a member of one; otherwise to every
/// team its review names.
pub fn items_of(site: &Site, i: DocId, record: &Record) -> Vec<TrackedItem> {
    let review_teams = teams_of(record);
    let mut rows = Vec::new();
    for (field, (_, value)) in record.fields.0.iter().enumerate() {
        if let FieldValue::ActionItems(items) = value {
            for (index, item) in items.iter().enumerate() {
                let owner_teams: Vec<String> = item
                    .owner
                    .as_deref()
                    .map(|owner| {
                        site.teams
                            .values()
                            .filter(|t| t.members.iter().any(|m| m.handle == owner))
                            .map(|t| t.id.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                let teams = if owner_teams.is_empty() {
                    review_teams.clone()
                } else {
                    owner_teams
                };
                rows.push(TrackedItem {
                    at: ItemAt {
                        doc: i,
                        field: field as u32,
                        index: index as u32,
                    },
                    sources: vec![i],
                    teams,
                    overdue: is_overdue(item, site.today),
                });
            }
        }
    }
    rows
}

/// Open first, then by due date (undated last), then by review.
pub fn sort_items(site: &Site, rows: &mut [TrackedItem]) {
    rows.sort_by_cached_key(|r| {
        let item = r.item(site);
        (item.status, item.due.is_none(), item.due, r.at.doc)
    });
}

pub fn is_overdue(item: &ActionItem, today: Date) -> bool {
    item.status == ItemStatus::Open && item.due.is_some_and(|due| due < today)
}

/// Team ids a document names in its fields, in order, without repeats.
pub fn teams_of(record: &Record) -> Vec<String> {
    fn walk(value: &FieldValue, out: &mut Vec<String>) {
        match value {
            FieldValue::Team(r) if !out.contains(&r.target) => out.push(r.target.clone()),
            FieldValue::List(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (_, value) in &record.fields.0 {
        walk(value, &mut out);
    }
    out
}

/// A template whose reviews are incidents: it declares an enum field named `severity`.
pub fn is_incident_template(template: &Template) -> bool {
    template
        .schema
        .fields
        .iter()
        .any(|f| f.name == "severity" && matches!(f.ty, crate::schema::FieldType::Enum(_)))
}

/// The severity values incidents may have, in the template's order (sev1 first).
pub fn severity_levels(site: &Site) -> Vec<String> {
    let mut levels: Vec<String> = Vec::new();
    for t in site.templates.iter().filter(|t| is_incident_template(t)) {
        for f in &t.schema.fields {
            if let (true, crate::schema::FieldType::Enum(values)) = (f.name == "severity", &f.ty) {
                for v in values {
                    if !levels.contains(v) {
                        levels.push(v.clone());
                    }
                }
            }
        }
    }
    levels
}

/// Every incident review, newest first.
pub fn incidents(site: &Site) -> Vec<DocId> {
    let mut list: Vec<DocId> = site
        .iter()
        .filter(|(_, r)| {
            r.kind == Kind::Review && site.template_of(r).is_some_and(is_incident_template)
        })
        .map(|(i, _)| i)
        .collect();
    sort_newest_first(site, &mut list);
    list
}

/// A string field's value, e.g. `severity` or `status`.
pub fn string_field<'a>(record: &'a Record, name: &str) -> Option<&'a str> {
    match record.fields.get(name) {
        Some(FieldValue::String(s)) => Some(s),
        _ => None,
    }
}

/// The fields that say where a review stands, in the order `status_of` reads them.
pub const STATUS_FIELDS: &[&str] = &["status", "stage", "outcome"];

/// Where a review stands, from the first of its `status`, `stage` or `outcome` fields.
pub fn status_of(record: &Record) -> Option<&str> {
    STATUS_FIELDS.iter().find_map(|f| string_field(record, f))
}

/// Sorts documents newest first; undated ones last, by title.
pub fn sort_newest_first(site: &Site, list: &mut [DocId]) {
    list.sort_by(|&a, &b| {
        let (da, db) = (&site[a].doc, &site[b].doc);
        db.date.cmp(&da.date).then_with(|| da.title.cmp(&db.title))
    });
}

/// Incident counts per year and severity: (year, counts in `levels` order, total), newest year first.
pub fn incidents_by_year(
    site: &Site,
    incidents: &[DocId],
    levels: &[String],
) -> Vec<(i32, Vec<usize>, usize)> {
    let mut years: Vec<(i32, Vec<usize>, usize)> = Vec::new();
    for &i in incidents {
        let record = &site[i];
        let Some(year) = record.doc.date.map(|d| d.year()) else {
            continue;
        };
        let pos = match years.iter().position(|(y, _, _)| *y == year) {
            Some(p) => p,
            None => {
                years.push((year, vec![0; levels.len()], 0));
                years.len() - 1
            }
        };
        if let Some(level) =
            string_field(record, "severity").and_then(|s| levels.iter().position(|l| l == s))
        {
            years[pos].1[level] += 1;
        }
        years[pos].2 += 1;
    }
    years.sort_by_key(|y| std::cmp::Reverse(y.0));
    years
}

/// One metric gathered across reviews: every dated value any review recorded for it.
#[derive(Debug, Clone)]
pub struct MetricSeries {
    pub team: Option<String>,
    pub name: String,
    pub unit: String,
    /// The goal of the newest review that states one.
    pub goal: Option<f64>,
    pub direction: crate::schema::Direction,
    /// Dated values, oldest first; a later review's value for the same date wins.
    pub points: Vec<(Date, f64)>,
    /// Reviews the values came from.
    pub sources: Vec<DocId>,
}

/// Every metric in the site, by (team, metric name), from fields typed `metrics`: each review
/// contributes its `series` and its current `value` (dated by the review).
pub fn metric_series(site: &Site) -> Vec<MetricSeries> {
    use std::collections::BTreeMap;
    let mut order: Vec<DocId> = site
        .ids()
        .filter(|&i| site[i].kind == Kind::Review)
        .collect();
    // Oldest first, so newer reviews overwrite values and goals.
    order.sort_by_key(|&i| site[i].doc.date);
    let mut all: BTreeMap<(Option<String>, String), MetricSeries> = BTreeMap::new();
    for i in order {
        let record = &site[i];
        let review_teams = teams_of(record);
        for (_, value) in &record.fields.0 {
            let FieldValue::Metrics(metrics) = value else {
                continue;
            };
            for m in metrics {
                // A metric without a team belongs to the review's team when it names exactly one.
                let team = m
                    .team
                    .as_ref()
                    .map(|t| t.target.clone())
                    .or_else(|| (review_teams.len() == 1).then(|| review_teams[0].clone()));
                let entry = all
                    .entry((team.clone(), m.name.clone()))
                    .or_insert_with(|| MetricSeries {
                        team,
                        name: m.name.clone(),
                        unit: m.unit.clone(),
                        goal: None,
                        direction: m.direction,
                        points: Vec::new(),
                        sources: Vec::new(),
                    });
                let mut points: BTreeMap<Date, f64> = entry.points.iter().copied().collect();
                for &(d, v) in &m.series {
                    points.insert(d, v);
                }
                if let (Some(v), Some(d)) = (m.value, record.doc.date)
                    && (m.series.is_empty() || m.series.last().is_some_and(|p| p.0 < d))
                {
                    points.insert(d, v);
                }
                entry.points = points.into_iter().collect();
                entry.goal = m.goal.or(entry.goal);
                entry.direction = m.direction;
                if !m.unit.is_empty() {
                    entry.unit = m.unit.clone();
                }
                entry.sources.push(i);
            }
        }
    }
    all.into_values().filter(|s| !s.points.is_empty()).collect()
}

/// How many incidents of each severity one month had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCounts {
    /// `2026-03`.
    pub month: String,
    /// (severity, count), in the order of the levels asked for.
    pub counts: Vec<(String, u32)>,
}

/// Incidents per month by severity for the `months` months up to the build date (`site.today`),
/// this month included; nothing when no incident is dated.
pub fn incidents_per_month(
    site: &Site,
    incidents: &[DocId],
    levels: &[String],
    months: usize,
) -> Vec<MonthCounts> {
    if !incidents.iter().any(|&i| site[i].doc.date.is_some()) {
        return Vec::new();
    }
    let month_index = |d: Date| d.year() * 12 + i32::from(u8::from(d.month())) - 1;
    let end = month_index(site.today);
    let start = end - months as i32 + 1;
    (start..=end)
        .map(|m| {
            let month = format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1);
            let mut counts = vec![0u32; levels.len()];
            for &i in incidents {
                let r = &site[i];
                if r.doc.date.map(month_index) == Some(m)
                    && let Some(level) =
                        string_field(r, "severity").and_then(|s| levels.iter().position(|l| l == s))
                {
                    counts[level] += 1;
                }
            }
            MonthCounts {
                month,
                counts: levels.iter().cloned().zip(counts).collect(),
            }
        })
        .collect()
}

/// How long one incident took to be noticed and to be fixed, in whole minutes, from its
/// `started`, `detected` and `resolved` datetime fields. A span that would be negative is
/// unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResponseTimes {
    pub to_detect: Option<i64>,
    pub to_resolve: Option<i64>,
}

/// When the incident started and its response times; `None` without a `started` datetime.
pub fn response_times_of(record: &Record) -> Option<(time::OffsetDateTime, ResponseTimes)> {
    let at = |name: &str| match record.fields.get(name) {
        Some(FieldValue::Datetime(dt)) => Some(*dt),
        _ => None,
    };
    let started = at(schema::STARTED)?;
    let minutes = |end: Option<time::OffsetDateTime>| {
        end.map(|e| (e - started).whole_minutes())
            .filter(|m| *m >= 0)
    };
    Some((
        started,
        ResponseTimes {
            to_detect: minutes(at(schema::DETECTED)),
            to_resolve: minutes(at(schema::RESOLVED)),
        },
    ))
}

/// Median response times of one quarter's incidents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarterResponse {
    /// `2026-Q1`.
    pub quarter: String,
    /// Incidents with a time to detect or to resolve.
    pub incidents: usize,
    pub median: ResponseTimes,
}

/// Median response times per quarter of the incidents' start, oldest quarter first.
pub fn response_times(site: &Site, incidents: &[DocId]) -> Vec<QuarterResponse> {
    use std::collections::BTreeMap;
    let mut quarters: BTreeMap<String, (Vec<i64>, Vec<i64>)> = BTreeMap::new();
    for &i in incidents {
        let Some((started, times)) = response_times_of(&site[i]) else {
            continue;
        };
        let q = format!(
            "{}-Q{}",
            started.year(),
            (u8::from(started.month()) - 1) / 3 + 1
        );
        let entry = quarters.entry(q).or_default();
        entry.0.extend(times.to_detect);
        entry.1.extend(times.to_resolve);
    }
    quarters
        .into_iter()
        .map(|(quarter, (mut detect, mut resolve))| QuarterResponse {
            quarter,
            incidents: detect.len().max(resolve.len()),
            median: ResponseTimes {
                to_detect: median(&mut detect),
                to_resolve: median(&mut resolve),
            },
        })
        .collect()
}

fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2
    } else {
        values[mid]
    })
}
