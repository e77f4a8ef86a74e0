//! The SVG every chart is drawn with: the plot frame (data to viewBox coordinates), the root
//! element with its text alternative, axes, lines, points and labels. All text is escaped.

use std::fmt::Write as _;

use time::Date;

use super::ticks::{Ticks, dates};
use super::words::{date_label, num};
use super::{CHAR_W, FONT, Point};
use crate::html::escape;

/// The plot area and the mapping from data to viewBox coordinates.
pub(super) struct Frame {
    pub(super) left: f64,
    pub(super) right: f64,
    pub(super) top: f64,
    pub(super) bottom: f64,
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) d0: i32,
    pub(super) d1: i32,
}

impl Frame {
    pub(super) fn new(
        left: f64,
        right: f64,
        top: f64,
        bottom: f64,
        lo: f64,
        hi: f64,
        points: &[Point],
    ) -> Frame {
        let days = points.iter().map(|p| p.date.to_julian_day());
        Frame {
            left,
            right,
            top,
            bottom,
            lo,
            hi,
            d0: days.clone().min().unwrap_or(0),
            d1: days.max().unwrap_or(0),
        }
    }

    pub(super) fn x(&self, date: Date) -> f64 {
        if self.d1 <= self.d0 {
            return (self.left + self.right) / 2.0;
        }
        let t = (f64::from(date.to_julian_day()) - f64::from(self.d0))
            / (f64::from(self.d1) - f64::from(self.d0));
        self.left + t.clamp(0.0, 1.0) * (self.right - self.left)
    }

    pub(super) fn y(&self, value: f64) -> f64 {
        // Halved so that `hi - lo` cannot overflow to infinity for values near f64::MAX.
        let t = (value * 0.5 - self.lo * 0.5) / (self.hi * 0.5 - self.lo * 0.5);
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.5
        };
        self.bottom - t * (self.bottom - self.top)
    }
}

/// The finite points, oldest first (stable, so equal dates keep their order).
pub(super) fn clean(points: &[Point]) -> Vec<Point> {
    let mut points: Vec<Point> = points
        .iter()
        .copied()
        .filter(|p| p.value.is_finite())
        .collect();
    points.sort_by_key(|p| p.date);
    points
}

/// The value range to plot, never empty: a flat series is padded so it sits mid-chart.
pub(super) fn value_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold(None, |acc: Option<(f64, f64)>, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })?;
    if hi - lo > lo.abs().max(hi.abs()) * 1e-9 {
        return Some((lo, hi));
    }
    let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.05 };
    Some(((lo - pad).max(f64::MIN), (hi + pad).min(f64::MAX)))
}

pub(super) fn min_max(points: &[Point]) -> (f64, f64) {
    points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.value), hi.max(p.value))
        })
}

pub(super) fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR_W
}

/// Legend entries flowed left to right, wrapping: each entry's x and row, and the row count.
pub(super) fn legend_layout(
    names: &[&str],
    left: f64,
    right: f64,
    swatch: f64,
) -> (Vec<(f64, usize)>, usize) {
    let mut positions = Vec::with_capacity(names.len());
    let (mut x, mut row) = (left, 0);
    for name in names {
        let w = swatch + 6.0 + text_width(name) + 16.0;
        if x > left && x + w > right {
            x = left;
            row += 1;
        }
        positions.push((x, row));
        x += w;
    }
    let rows = if names.is_empty() { 0 } else { row + 1 };
    (positions, rows)
}

/// Ids go into an IDREF list (`aria-labelledby`), which splits on spaces: keep them to a safe set.
pub(super) fn sanitize_id(id: &str) -> String {
    let id: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() {
        "chart".to_string()
    } else {
        id
    }
}

pub(super) fn open(
    out: &mut String,
    id: &str,
    kind: &str,
    w: f64,
    h: f64,
    title: &str,
    desc: &str,
) {
    let id = sanitize_id(id);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" viewBox="0 0 {} {}" width="100%" font-size="{FONT}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        num(w),
        num(h),
        escape(title),
        escape(desc)
    );
}

/// The y axis: a grid line and a label at every tick (with the unit), and the two axes.
pub(super) fn y_axis(out: &mut String, f: &Frame, ticks: &Ticks, unit: &str) {
    for (k, &v) in ticks.values.iter().enumerate() {
        let y = f.y(v);
        if k > 0 {
            line(out, "chart-grid", (f.left, y), (f.right, y), "");
        }
        text(
            out,
            "chart-label",
            f.left - 6.0,
            y + 4.0,
            "end",
            &tick_label(ticks, v, unit),
        );
    }
    line(
        out,
        "chart-axis",
        (f.left, f.bottom),
        (f.right, f.bottom),
        "",
    );
    line(out, "chart-axis", (f.left, f.top), (f.left, f.bottom), "");
}

/// A y tick's label with the unit, e.g. `99.95 %`.
pub(super) fn tick_label(ticks: &Ticks, value: f64, unit: &str) -> String {
    let n = ticks.label(value);
    if unit.is_empty() {
        n
    } else {
        format!("{n} {unit}")
    }
}

/// The width the y axis's labels need.
pub(super) fn y_labels_width(ticks: &Ticks, unit: &str) -> f64 {
    ticks
        .values
        .iter()
        .map(|&v| text_width(&tick_label(ticks, v, unit)))
        .fold(0.0, f64::max)
}

/// Date ticks under the x axis: a tick mark and a label at each calendar tick that fits (see
/// `ticks::dates`), or one centred label when the chart covers a single day.
pub(super) fn date_axis(
    out: &mut String,
    f: &Frame,
    first: Date,
    last: Date,
    y: f64,
    monthly: bool,
) {
    if first == last {
        text(
            out,
            "chart-label",
            f.x(first),
            y,
            "middle",
            &date_label(first, monthly),
        );
        return;
    }
    // A label is about ten characters wide; leave room for a gap between two.
    let widest = text_width(&date_label(first, false)) + 16.0;
    let room = ((f.right - f.left) / widest).floor().max(2.0) as usize;
    let (dates, with_day) = dates(first, last, room);
    let with_day = with_day && !monthly;
    let mut last_end = f64::NEG_INFINITY;
    for d in dates {
        let x = f.x(d);
        let label = date_label(d, !with_day);
        let half = text_width(&label) / 2.0;
        // Labels stay inside the chart and apart from each other.
        let cx = x.clamp(f.left + half - 4.0, f.right + half.min(12.0) - half);
        if cx - half < last_end + 6.0 {
            continue;
        }
        line(out, "chart-axis", (x, f.bottom), (x, f.bottom + 4.0), "");
        text(out, "chart-label", cx, y, "middle", &label);
        last_end = cx + half;
    }
}

pub(super) fn line(
    out: &mut String,
    class: &str,
    (x1, y1): (f64, f64),
    (x2, y2): (f64, f64),
    extra: &str,
) {
    let _ = write!(
        out,
        r#"<line class="{class}" x1="{}" y1="{}" x2="{}" y2="{}"{extra}/>"#,
        num(x1),
        num(y1),
        num(x2),
        num(y2)
    );
}

/// The goal as a dashed line across the plot (`dash`: the SVG dash pattern); returns its y.
pub(super) fn goal_line(out: &mut String, f: &Frame, goal: f64, dash: &str) -> f64 {
    let y = f.y(goal);
    line(
        out,
        "chart-goal",
        (f.left, y),
        (f.right, y),
        &format!(r#" stroke-dasharray="{dash}""#),
    );
    y
}

/// The series as a line; nothing for a single point, which draws no line anyway.
pub(super) fn polyline(
    out: &mut String,
    class: &str,
    f: &Frame,
    points: &[Point],
    width: f64,
    title: Option<&str>,
) {
    if points.len() < 2 {
        return;
    }
    let coords: Vec<String> = points
        .iter()
        .map(|p| format!("{},{}", num(f.x(p.date)), num(f.y(p.value))))
        .collect();
    let _ = write!(
        out,
        r#"<polyline class="{class}" fill="none" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round" points="{}""#,
        num(width),
        coords.join(" ")
    );
    match title {
        Some(t) => {
            let _ = write!(out, "><title>{}</title></polyline>", escape(t));
        }
        None => out.push_str("/>"),
    }
}

pub(super) fn circle(out: &mut String, class: &str, cx: f64, cy: f64, r: f64) {
    let _ = write!(
        out,
        r#"<circle class="{class}" cx="{}" cy="{}" r="{}"/>"#,
        num(cx),
        num(cy),
        num(r)
    );
}

pub(super) fn text(out: &mut String, class: &str, x: f64, y: f64, anchor: &str, s: &str) {
    let _ = write!(
        out,
        r#"<text class="{class}" x="{}" y="{}" text-anchor="{anchor}">{}</text>"#,
        num(x),
        num(y),
        escape(s)
    );
}
