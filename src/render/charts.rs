//! Charts and metric tables for pages: the archive's figures (`archive`) drawn as SVG (`chart`),
//! each with its data as a table beside it.

use std::collections::{BTreeMap, BTreeSet};

use super::format::{format_number, minutes_in_words};
use super::views::{ChartView, Ctx, MetricView};
use crate::archive;
use crate::chart;
use crate::schema::{Direction, Metric};
use crate::site::DocId;

impl Ctx<'_> {
    /// The history of metric `m` (the `n`th of review `i`) up to the review's date, as a sparkline.
    pub fn sparkline(&self, i: DocId, n: usize, m: &Metric) -> String {
        let record = &self.site[i];
        let teams = archive::teams_of(record);
        let team = m
            .team
            .as_ref()
            .map(|t| t.target.clone())
            .or_else(|| (teams.len() == 1).then(|| teams[0].clone()));
        let Some(series) = self
            .cat
            .metrics
            .iter()
            .find(|s| s.team == team && s.name == m.name)
        else {
            return String::new();
        };
        let until = record.doc.date;
        let points: Vec<chart::Point> = points(series)
            .filter(|p| until.is_none_or(|u| p.date <= u))
            .collect();
        if points.len() < 2 {
            return String::new();
        }
        chart::sparkline(
            &format!("spark-{n}"),
            &chart::Series {
                title: &m.name,
                unit: &m.unit,
                points: &points,
                goal: m.goal,
                better: better(m.direction),
            },
        )
    }

    /// One metric series as a trend chart with its goal.
    pub fn metric_chart(&self, id: &str, series: &archive::MetricSeries) -> ChartView {
        let title = match &series.team {
            Some(t) => format!("{} ({})", series.name, self.team_link(t).title),
            None => series.name.clone(),
        };
        ChartView {
            svg: chart::trend(
                id,
                &chart::Series {
                    title: &title,
                    unit: &series.unit,
                    points: &points(series).collect::<Vec<_>>(),
                    goal: series.goal,
                    better: better(series.direction),
                },
            ),
            title,
            columns: vec![
                "Date".into(),
                format!("Value{}", unit_suffix(&series.unit)),
                "Goal".into(),
            ],
            rows: series
                .points
                .iter()
                .map(|(d, v)| {
                    vec![
                        d.to_string(),
                        format_number(*v),
                        series.goal.map(format_number).unwrap_or_default(),
                    ]
                })
                .collect(),
        }
    }

    /// One chart per metric name across the given reviews, one line per team.
    pub fn metric_name_charts(&self, reviews: &BTreeSet<DocId>) -> Vec<ChartView> {
        let mut by_name: BTreeMap<&str, Vec<&archive::MetricSeries>> = BTreeMap::new();
        for s in self
            .cat
            .metrics
            .iter()
            .filter(|s| s.sources.iter().any(|r| reviews.contains(r)))
        {
            by_name.entry(s.name.as_str()).or_default().push(s);
        }
        by_name
            .into_iter()
            .enumerate()
            .map(|(n, (name, list))| {
                let series: Vec<(String, Vec<chart::Point>)> = list
                    .iter()
                    .map(|s| {
                        let label = s
                            .team
                            .as_deref()
                            .map_or_else(|| "all".to_string(), |t| self.team_link(t).title);
                        (label, points(s).collect())
                    })
                    .collect();
                let unit = list.first().map_or("", |s| s.unit.as_str());
                let dates: BTreeSet<time::Date> = list
                    .iter()
                    .flat_map(|s| s.points.iter().map(|p| p.0))
                    .collect();
                let mut columns = vec!["Date".to_string()];
                columns.extend(series.iter().map(|(label, _)| label.clone()));
                let rows = dates
                    .iter()
                    .map(|d| {
                        let mut row = vec![d.to_string()];
                        row.extend(list.iter().map(|s| {
                            s.points
                                .iter()
                                .find(|p| p.0 == *d)
                                .map(|p| format_number(p.1))
                                .unwrap_or_default()
                        }));
                        row
                    })
                    .collect();
                ChartView {
                    svg: chart::multi_line(&format!("trend-{n}"), name, unit, &series),
                    title: name.to_string(),
                    columns,
                    rows,
                }
            })
            .collect()
    }

    /// Incidents per month by severity, as stacked bars, for the given incidents.
    pub fn incident_chart(&self, id: &str, incidents: &[DocId]) -> Option<ChartView> {
        let levels = archive::severity_levels(self.site);
        let months = archive::incidents_per_month(self.site, incidents, &levels, 12);
        if months.is_empty() {
            return None;
        }
        let mut columns = vec!["Month".to_string()];
        columns.extend(levels.iter().cloned());
        let rows = months
            .iter()
            .map(|m| {
                std::iter::once(m.month.clone())
                    .chain(m.counts.iter().map(|(_, c)| c.to_string()))
                    .collect()
            })
            .collect();
        let stacks: Vec<chart::Stack> = months
            .into_iter()
            .map(|m| chart::Stack {
                label: m.month,
                segments: m.counts,
            })
            .collect();
        Some(ChartView {
            svg: chart::stacked_bars(id, "Incidents per month by severity", &stacks),
            title: "Incidents per month by severity".into(),
            columns,
            rows,
        })
    }

    /// Median time to detect and to resolve per quarter, as a table.
    pub fn response_table(&self, incidents: &[DocId]) -> Option<ChartView> {
        let quarters = archive::response_times(self.site, incidents);
        if quarters.is_empty() {
            return None;
        }
        let minutes = |m: Option<i64>| m.map_or_else(|| "—".to_string(), minutes_in_words);
        Some(ChartView {
            title: "Median time to detect and to resolve".into(),
            svg: String::new(),
            columns: vec![
                "Quarter".into(),
                "Incidents with timestamps".into(),
                "Median time to detect".into(),
                "Median time to resolve".into(),
            ],
            rows: quarters
                .into_iter()
                .map(|q| {
                    vec![
                        q.quarter,
                        q.incidents.to_string(),
                        minutes(q.median.to_detect),
                        minutes(q.median.to_resolve),
                    ]
                })
                .collect(),
        })
    }
}

fn points(series: &archive::MetricSeries) -> impl Iterator<Item = chart::Point> + '_ {
    series
        .points
        .iter()
        .map(|&(date, value)| chart::Point { date, value })
}

fn better(direction: Direction) -> chart::Better {
    match direction {
        Direction::Up => chart::Better::Up,
        Direction::Down => chart::Better::Down,
    }
}

fn unit_suffix(unit: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!(" ({unit})")
    }
}

/// A review's metric as a row of "Metrics at a glance", with its sparkline.
pub(super) fn metric_view(m: &Metric, spark: String) -> MetricView {
    let current = m.current();
    let trend = match m.series.as_slice() {
        [.., (_, a), (_, b)] => Some(if b > a {
            "up"
        } else if b < a {
            "down"
        } else {
            "flat"
        }),
        _ => None,
    };
    let on_track = match (current, m.goal) {
        (Some(c), Some(g)) => Some(match m.direction {
            Direction::Up => c >= g,
            Direction::Down => c <= g,
        }),
        _ => None,
    };
    MetricView {
        name: m.name.clone(),
        unit: m.unit.clone(),
        team: m.team.as_ref().map(|t| t.target.clone()),
        current: current.map(format_number),
        goal: m.goal.map(format_number),
        direction: m.direction,
        trend,
        on_track,
        points: m.series.len(),
        spark,
    }
}
