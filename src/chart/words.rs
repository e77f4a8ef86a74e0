//! Charts in words: the summaries and value lists of their text alternatives, and the number
//! and date formats their labels share.

use std::fmt::Write as _;

use time::Date;

use super::{Better, Point};

/// "Title: 99.97 % on 2026-10-31, goal 99.95 %, on track": the chart's text alternative.
pub(super) fn summary_line(
    title: &str,
    lead: &str,
    unit: &str,
    last: Point,
    goal: Option<f64>,
    on_track: Option<bool>,
    monthly: bool,
) -> String {
    let mut summary = format!(
        "{title}: {lead}{} on {}",
        with_unit(last.value, unit),
        date_label(last.date, monthly)
    );
    if let (Some(g), Some(on)) = (goal, on_track) {
        let _ = write!(
            summary,
            ", goal {}, {}",
            with_unit(g, unit),
            track_words(on)
        );
    }
    summary
}

pub(super) fn meets(value: f64, goal: f64, better: Better) -> bool {
    match better {
        Better::Up => value >= goal,
        Better::Down => value <= goal,
    }
}

pub(super) fn track_words(on: bool) -> &'static str {
    if on { "on track" } else { "off track" }
}

/// Monthly data (every date on the 1st) is labelled by month only.
pub(super) fn is_monthly(points: &[Point]) -> bool {
    points.iter().all(|p| p.date.day() == 1)
}

pub(super) fn date_label(date: Date, monthly: bool) -> String {
    let (y, m, d) = (date.year(), u8::from(date.month()), date.day());
    if monthly {
        format!("{y:04}-{m:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// "; 9 points from 2026-01-31" (or "; 1 point").
pub(super) fn push_count(summary: &mut String, points: &[Point], monthly: bool) {
    match points {
        [] => {}
        [_] => summary.push_str("; 1 point"),
        [first, ..] => {
            let _ = write!(
                summary,
                "; {} points from {}",
                points.len(),
                date_label(first.date, monthly)
            );
        }
    }
}

pub(super) fn values_in_words(points: &[Point], unit: &str, monthly: bool) -> String {
    points
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                date_label(p.date, monthly),
                with_unit(p.value, unit)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub(super) fn with_unit(value: f64, unit: &str) -> String {
    if unit.is_empty() {
        num(value)
    } else {
        format!("{} {unit}", num(value))
    }
}

/// A compact number: at most 2 decimals, trailing zeros trimmed (0.1 + 0.2 -> "0.3"). Small
/// non-zero values keep two significant digits instead of collapsing to "0".
pub(super) fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let abs = v.abs();
    let s = if abs == 0.0 || abs >= 0.005 {
        format!("{v:.2}")
    } else if abs >= 1e-6 {
        // Digits after the point for two significant ones: 0.0012 -> 4.
        let decimals = (-abs.log10()).floor() as usize + 2;
        format!("{v:.decimals$}")
    } else {
        return format!("{v:.1e}");
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}
