//! Build-time charts for the archive pages: pure functions from data to an inline SVG string, so
//! pages need no JavaScript. Colours come from the theme through `class` attributes (`chart-*`),
//! so its light and dark palettes apply; only geometry (sizes, dashes) is written inline.
//!
//! Every chart has `role="img"` and a text alternative that states its data in words: a
//! `<title>` (the summary, also the hover tooltip) and a `<desc>` (the values), both referenced by
//! `aria-labelledby`. Their ids start with the caller's `id`, which must be unique on the page.
//!
//! The functions never panic: nothing to draw gives an empty string, non-finite values are
//! skipped, and a single point or a flat series still renders (the value range is padded).

use crate::html::escape;
use std::fmt::Write as _;

use time::Date;

/// One value of a metric on a date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub date: Date,
    pub value: f64,
}

/// Which direction of a metric is good: `Up` for availability, `Down` for latency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Up,
    Down,
}

/// One bar of a stacked bar chart, e.g. label `2026-03`, segments `[("sev1", 0), ("sev2", 1)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stack {
    pub label: String,
    pub segments: Vec<(String, u32)>,
}

/// The root font size, in viewBox units; label widths are estimated from it.
const FONT: f64 = 11.0;
/// Average advance of one character at `FONT`, to keep labels inside the chart and apart.
const CHAR_W: f64 = 6.2;
/// Height of one legend row.
const LEGEND_ROW: f64 = 16.0;
/// Space between the x-axis labels and the first legend row.
const LEGEND_GAP: f64 = 8.0;

/// The cleaned points of one metric and what both line charts derive from them.
struct Prepared {
    points: Vec<Point>,
    first: Point,
    last: Point,
    goal: Option<f64>,
    lo: f64,
    hi: f64,
    monthly: bool,
    on_track: Option<bool>,
}

fn prepare(points: &[Point], goal: Option<f64>, better: Better) -> Option<Prepared> {
    let points = clean(points);
    let (first, last) = (*points.first()?, *points.last()?);
    let goal = goal.filter(|g| g.is_finite());
    let (lo, hi) = value_range(points.iter().map(|p| p.value).chain(goal))?;
    let monthly = is_monthly(&points);
    let on_track = goal.map(|g| meets(last.value, g, better));
    Some(Prepared {
        points,
        first,
        last,
        goal,
        lo,
        hi,
        monthly,
        on_track,
    })
}

/// "Title: 99.97 % on 2026-10-31, goal 99.95 %, on track": the chart's text alternative.
fn summary_line(
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

/// A line chart of one metric over time: the values as a polyline with points, the goal as a
/// dashed horizontal line labelled "goal N", the last value labelled, the line coloured
/// chart-on-track / chart-off-track depending on whether the last value meets the goal in the
/// `better` direction (no goal: chart-line). X axis: first and last date labels (YYYY-MM-DD or YYYY-MM);
/// Y axis: min and max labels with the unit. Size ~ 560x200.
pub fn trend(
    id: &str,
    title: &str,
    unit: &str,
    points: &[Point],
    goal: Option<f64>,
    better: Better,
) -> String {
    const W: f64 = 560.0;
    const H: f64 = 200.0;
    let Some(Prepared {
        points,
        first,
        last,
        goal,
        lo,
        hi,
        monthly,
        on_track,
    }) = prepare(points, goal, better)
    else {
        return String::new();
    };
    let mut summary = summary_line(title, "", unit, last, goal, on_track, monthly);
    push_count(&mut summary, &points, monthly);
    let desc = values_in_words(&points, unit, monthly);

    let (hi_label, lo_label) = (with_unit(hi, unit), with_unit(lo, unit));
    let last_label = with_unit(last.value, unit);
    let goal_label = goal.map(|g| format!("goal {}", with_unit(g, unit)));
    // Margins grow with the labels they hold, so long units are not clipped.
    let left = (text_width(&hi_label).max(text_width(&lo_label)) + 10.0).clamp(32.0, 160.0);
    let right_w = (text_width(&last_label).max(goal_label.as_deref().map_or(0.0, text_width))
        + 14.0)
        .clamp(24.0, 200.0);
    let frame = Frame::new(left, W - right_w, 12.0, H - 28.0, lo, hi, &points);

    let mut out = String::new();
    open(&mut out, id, "trend", W, H, &summary, &desc);
    axes(&mut out, &frame, &hi_label, &lo_label);
    date_labels(&mut out, &frame, first.date, last.date, H - 10.0, monthly);

    let (lx, ly) = (frame.x(last.date), frame.y(last.value));
    let mut last_y = ly + 4.0;
    if let (Some(g), Some(label)) = (goal, &goal_label) {
        let gy = frame.y(g);
        line(
            &mut out,
            "chart-goal",
            (frame.left, gy),
            (frame.right, gy),
            r#" stroke-dasharray="6 4""#,
        );
        let mut goal_y = gy + 4.0;
        // Both labels sit in the right margin: push them apart when they would overlap.
        if (goal_y - last_y).abs() < 12.0 {
            let mid = (goal_y + last_y) / 2.0;
            let (above, below) = (mid - 6.0, mid + 6.0);
            if last_y <= goal_y {
                (last_y, goal_y) = (above, below);
            } else {
                (last_y, goal_y) = (below, above);
            }
        }
        text(
            &mut out,
            "chart-label chart-goal-label",
            frame.right + 8.0,
            goal_y,
            "start",
            label,
        );
    }
    let class = match on_track {
        Some(true) => "chart-on-track",
        Some(false) => "chart-off-track",
        None => "chart-line",
    };
    polyline(&mut out, class, &frame, &points, 2.0, None);
    for (i, p) in points.iter().enumerate() {
        let is_last = i + 1 == points.len();
        let (class, r) = if is_last {
            ("chart-point chart-last", 4.0)
        } else {
            ("chart-point", 3.0)
        };
        circle(&mut out, class, frame.x(p.date), frame.y(p.value), r);
    }
    text(
        &mut out,
        "chart-label chart-last-label",
        lx + 8.0,
        last_y,
        "start",
        &last_label,
    );
    out.push_str("</svg>");
    out
}

/// A small sparkline (~120x32) for a table cell: polyline, last point emphasised, optional goal line;
/// on/off-track class like `trend`. Title: "<title>: last value ..., goal ..." .
pub fn sparkline(
    id: &str,
    title: &str,
    unit: &str,
    points: &[Point],
    goal: Option<f64>,
    better: Better,
) -> String {
    const W: f64 = 120.0;
    const H: f64 = 32.0;
    const PAD: f64 = 4.0;
    let Some(Prepared {
        points,
        first,
        last,
        goal,
        lo,
        hi,
        monthly,
        on_track,
    }) = prepare(points, goal, better)
    else {
        return String::new();
    };
    let summary = summary_line(title, "last value ", unit, last, goal, on_track, monthly);
    let (min, max) = min_max(&points);
    let mut desc = match points.len() {
        1 => "1 point".to_string(),
        n => format!(
            "{n} points from {} to {}",
            date_label(first.date, monthly),
            date_label(last.date, monthly)
        ),
    };
    if points.len() > 1 {
        let _ = write!(
            desc,
            ", lowest {}, highest {}",
            with_unit(min, unit),
            with_unit(max, unit)
        );
    }

    let frame = Frame::new(PAD, W - PAD, PAD, H - PAD, lo, hi, &points);
    let mut out = String::new();
    open(&mut out, id, "sparkline", W, H, &summary, &desc);
    if let Some(g) = goal {
        let gy = frame.y(g);
        line(
            &mut out,
            "chart-goal",
            (frame.left, gy),
            (frame.right, gy),
            r#" stroke-dasharray="3 2""#,
        );
    }
    let class = match on_track {
        Some(true) => "chart-on-track",
        Some(false) => "chart-off-track",
        None => "chart-line",
    };
    polyline(&mut out, class, &frame, &points, 1.5, None);
    circle(
        &mut out,
        "chart-point chart-last",
        frame.x(last.date),
        frame.y(last.value),
        2.5,
    );
    out.push_str("</svg>");
    out
}

/// A stacked bar chart (~640x220): one bar per Stack in the given order, segments bottom-up in
/// the order given, each segment rect with class "chart-bar-<segment name>" if the name is
/// sev1..sev4 else chart-bar-other, and its own <title> child ("2026-03: 1 sev2") for hover; x labels
/// for every bar when there are at most 12 bars, otherwise every Nth so they do not overlap; y axis with max count;
/// a legend row with the segment names. Text alternative sums per bar.
pub fn stacked_bars(id: &str, title: &str, stacks: &[Stack]) -> String {
    const W: f64 = 640.0;
    const H: f64 = 220.0;
    let (Some(first), Some(last)) = (stacks.first(), stacks.last()) else {
        return String::new();
    };
    // u64: a sum of u32 counts cannot overflow it.
    let totals: Vec<u64> = stacks
        .iter()
        .map(|s| s.segments.iter().map(|(_, c)| u64::from(*c)).sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    let sum: u64 = totals.iter().sum();
    let mut names: Vec<&str> = Vec::new();
    for (name, _) in stacks.iter().flat_map(|s| &s.segments) {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }

    let summary = if stacks.len() == 1 {
        format!("{title}: {sum} in total, {}", first.label)
    } else {
        format!("{title}: {sum} in total, {} to {}", first.label, last.label)
    };
    let desc = stacks
        .iter()
        .zip(&totals)
        .map(|(s, total)| {
            let parts: Vec<String> = s
                .segments
                .iter()
                .filter(|(_, c)| *c > 0)
                .map(|(name, c)| format!("{c} {name}"))
                .collect();
            if parts.is_empty() {
                format!("{}: {total}", s.label)
            } else {
                format!("{}: {total} ({})", s.label, parts.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ");

    let max_label = max.to_string();
    let left = (text_width(&max_label) + 10.0).clamp(24.0, 120.0);
    let (legend, rows) = legend_layout(&names, left, W - 12.0, 14.0);
    let height = H + rows as f64 * LEGEND_ROW + LEGEND_GAP;
    let frame = Frame {
        left,
        right: W - 12.0,
        top: 12.0,
        bottom: H - 28.0,
        lo: 0.0,
        hi: max as f64,
        d0: 0,
        d1: 0,
    };

    let mut out = String::new();
    open(&mut out, id, "bars", W, height, &summary, &desc);
    axes(&mut out, &frame, &max_label, "0");

    let n = stacks.len();
    let slot = (frame.right - frame.left) / n as f64;
    let bar_w = (slot * 0.7).min(48.0);
    let scale = if max > 0 {
        (frame.bottom - frame.top) / max as f64
    } else {
        0.0
    };
    // Every bar gets a label when they fit; otherwise every `step`-th, so none overlap.
    let widest = stacks
        .iter()
        .map(|s| text_width(&s.label))
        .fold(0.0, f64::max)
        + 6.0;
    let by_width = if slot > 0.0 {
        (widest / slot).ceil()
    } else {
        1.0
    };
    let step = n
        .div_ceil(12)
        .max(if by_width.is_finite() {
            by_width as usize
        } else {
            1
        })
        .max(1);
    for (i, stack) in stacks.iter().enumerate() {
        let cx = frame.left + slot * (i as f64 + 0.5);
        let mut y = frame.bottom;
        out.push_str("<g>");
        for (name, count) in stack.segments.iter().filter(|(_, c)| *c > 0) {
            let h = f64::from(*count) * scale;
            y -= h;
            let _ = write!(
                out,
                r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>"#,
                bar_class(name),
                num(cx - bar_w / 2.0),
                num(y),
                num(bar_w),
                num(h),
                escape(&format!("{}: {count} {name}", stack.label))
            );
        }
        out.push_str("</g>");
        if i % step == 0 {
            text(
                &mut out,
                "chart-label",
                cx,
                H - 12.0,
                "middle",
                &stack.label,
            );
        }
    }
    for ((x, row), name) in legend.iter().zip(&names) {
        let y = H + LEGEND_GAP + *row as f64 * LEGEND_ROW;
        let _ = write!(
            out,
            r#"<rect class="chart-swatch {}" x="{}" y="{}" width="10" height="10"/>"#,
            bar_class(name),
            num(*x),
            num(y - 9.0)
        );
        text(&mut out, "chart-label", x + 14.0, y, "start", name);
    }
    out.push_str("</svg>");
    out
}

/// Several series on one chart (for on-call load per team over time): one polyline per series,
/// each with class "chart-series chart-series-<n>" (n = 0..7, cycling) and a legend entry; same axes as `trend`.
pub fn multi_line(id: &str, title: &str, unit: &str, series: &[(String, Vec<Point>)]) -> String {
    const W: f64 = 560.0;
    const H: f64 = 200.0;
    // The colour index follows the input position, so a team keeps its colour when another
    // series happens to be empty.
    let series: Vec<(usize, &str, Vec<Point>)> = series
        .iter()
        .enumerate()
        .map(|(i, (name, points))| (i % 8, name.as_str(), clean(points)))
        .filter(|(_, _, points)| !points.is_empty())
        .collect();
    let all: Vec<Point> = series
        .iter()
        .flat_map(|(_, _, p)| p.iter().copied())
        .collect();
    let (Some(d0), Some(d1)) = (
        all.iter().map(|p| p.date).min(),
        all.iter().map(|p| p.date).max(),
    ) else {
        return String::new();
    };
    let Some((lo, hi)) = value_range(all.iter().map(|p| p.value)) else {
        return String::new();
    };
    let monthly = is_monthly(&all);

    let summary = if d0 == d1 {
        format!(
            "{title}: {} series on {}",
            series.len(),
            date_label(d0, monthly)
        )
    } else {
        format!(
            "{title}: {} series from {} to {}",
            series.len(),
            date_label(d0, monthly),
            date_label(d1, monthly)
        )
    };
    let desc = series
        .iter()
        .filter_map(|(_, name, points)| {
            let last = points.last()?;
            let (min, max) = min_max(points);
            let mut s = format!(
                "{name}: {} on {}",
                with_unit(last.value, unit),
                date_label(last.date, monthly)
            );
            if points.len() > 1 {
                let _ = write!(
                    s,
                    ", lowest {}, highest {}, {} points",
                    with_unit(min, unit),
                    with_unit(max, unit),
                    points.len()
                );
            }
            Some(s)
        })
        .collect::<Vec<_>>()
        .join("; ");

    let (hi_label, lo_label) = (with_unit(hi, unit), with_unit(lo, unit));
    let left = (text_width(&hi_label).max(text_width(&lo_label)) + 10.0).clamp(32.0, 160.0);
    let names: Vec<&str> = series.iter().map(|(_, name, _)| *name).collect();
    let (legend, rows) = legend_layout(&names, left, W - 16.0, 20.0);
    let height = H + rows as f64 * LEGEND_ROW + LEGEND_GAP;
    let frame = Frame::new(left, W - 16.0, 12.0, H - 28.0, lo, hi, &all);

    let mut out = String::new();
    open(&mut out, id, "multi", W, height, &summary, &desc);
    axes(&mut out, &frame, &hi_label, &lo_label);
    date_labels(&mut out, &frame, d0, d1, H - 10.0, monthly);
    for (n, name, points) in &series {
        let class = format!("chart-series chart-series-{n}");
        polyline(&mut out, &class, &frame, points, 2.0, Some(name));
        // A lone point draws no line; mark it so the series is not invisible.
        if let [p] = points.as_slice() {
            circle(
                &mut out,
                &format!("chart-point {class}"),
                frame.x(p.date),
                frame.y(p.value),
                3.0,
            );
        }
    }
    for ((x, row), (n, name, _)) in legend.iter().zip(&series) {
        let y = H + LEGEND_GAP + *row as f64 * LEGEND_ROW;
        line(
            &mut out,
            &format!("chart-series chart-series-{n}"),
            (*x, y - 4.0),
            (x + 16.0, y - 4.0),
            r#" stroke-width="2""#,
        );
        text(&mut out, "chart-label", x + 20.0, y, "start", name);
    }
    out.push_str("</svg>");
    out
}

/// The plot area and the mapping from data to viewBox coordinates.
struct Frame {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    lo: f64,
    hi: f64,
    d0: i32,
    d1: i32,
}

impl Frame {
    fn new(
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

    fn x(&self, date: Date) -> f64 {
        if self.d1 <= self.d0 {
            return (self.left + self.right) / 2.0;
        }
        let t = (f64::from(date.to_julian_day()) - f64::from(self.d0))
            / (f64::from(self.d1) - f64::from(self.d0));
        self.left + t.clamp(0.0, 1.0) * (self.right - self.left)
    }

    fn y(&self, value: f64) -> f64 {
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
fn clean(points: &[Point]) -> Vec<Point> {
    let mut points: Vec<Point> = points
        .iter()
        .copied()
        .filter(|p| p.value.is_finite())
        .collect();
    points.sort_by_key(|p| p.date);
    points
}

/// The value range to plot, never empty: a flat series is padded so it sits mid-chart.
fn value_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
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

fn min_max(points: &[Point]) -> (f64, f64) {
    points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.value), hi.max(p.value))
        })
}

fn meets(value: f64, goal: f64, better: Better) -> bool {
    match better {
        Better::Up => value >= goal,
        Better::Down => value <= goal,
    }
}

fn track_words(on: bool) -> &'static str {
    if on { "on track" } else { "off track" }
}

/// Monthly data (every date on the 1st) is labelled by month only.
fn is_monthly(points: &[Point]) -> bool {
    points.iter().all(|p| p.date.day() == 1)
}

fn date_label(date: Date, monthly: bool) -> String {
    let (y, m, d) = (date.year(), u8::from(date.month()), date.day());
    if monthly {
        format!("{y:04}-{m:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// "; 9 points from 2026-01-31" (or "; 1 point").
fn push_count(summary: &mut String, points: &[Point], monthly: bool) {
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

fn values_in_words(points: &[Point], unit: &str, monthly: bool) -> String {
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

fn with_unit(value: f64, unit: &str) -> String {
    if unit.is_empty() {
        num(value)
    } else {
        format!("{} {unit}", num(value))
    }
}

/// A compact number: at most 2 decimals, trailing zeros trimmed (0.1 + 0.2 -> "0.3"). Small
/// non-zero values keep two significant digits instead of collapsing to "0".
fn num(v: f64) -> String {
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

fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR_W
}

fn bar_class(name: &str) -> &'static str {
    match name.to_ascii_lowercase().as_str() {
        "sev1" => "chart-bar-sev1",
        "sev2" => "chart-bar-sev2",
        "sev3" => "chart-bar-sev3",
        "sev4" => "chart-bar-sev4",
        _ => "chart-bar-other",
    }
}

/// Legend entries flowed left to right, wrapping: each entry's x and row, and the row count.
fn legend_layout(names: &[&str], left: f64, right: f64, swatch: f64) -> (Vec<(f64, usize)>, usize) {
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
fn sanitize_id(id: &str) -> String {
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

fn open(out: &mut String, id: &str, kind: &str, w: f64, h: f64, title: &str, desc: &str) {
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

/// Grid lines at the top and middle, the two axes, and the top and bottom value labels.
fn axes(out: &mut String, f: &Frame, top_label: &str, bottom_label: &str) {
    let mid = (f.top + f.bottom) / 2.0;
    line(out, "chart-grid", (f.left, f.top), (f.right, f.top), "");
    line(out, "chart-grid", (f.left, mid), (f.right, mid), "");
    line(
        out,
        "chart-axis",
        (f.left, f.bottom),
        (f.right, f.bottom),
        "",
    );
    line(out, "chart-axis", (f.left, f.top), (f.left, f.bottom), "");
    text(
        out,
        "chart-label",
        f.left - 6.0,
        f.top + 4.0,
        "end",
        top_label,
    );
    text(
        out,
        "chart-label",
        f.left - 6.0,
        f.bottom + 4.0,
        "end",
        bottom_label,
    );
}

/// First and last date under the x axis; one centred label when they are the same day.
fn date_labels(out: &mut String, f: &Frame, first: Date, last: Date, y: f64, monthly: bool) {
    if first == last {
        text(
            out,
            "chart-label",
            f.x(first),
            y,
            "middle",
            &date_label(first, monthly),
        );
    } else {
        text(
            out,
            "chart-label",
            f.left,
            y,
            "start",
            &date_label(first, monthly),
        );
        text(
            out,
            "chart-label",
            f.right,
            y,
            "end",
            &date_label(last, monthly),
        );
    }
}

fn line(out: &mut String, class: &str, (x1, y1): (f64, f64), (x2, y2): (f64, f64), extra: &str) {
    let _ = write!(
        out,
        r#"<line class="{class}" x1="{}" y1="{}" x2="{}" y2="{}"{extra}/>"#,
        num(x1),
        num(y1),
        num(x2),
        num(y2)
    );
}

/// The series as a line; nothing for a single point, which draws no line anyway.
fn polyline(
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

fn circle(out: &mut String, class: &str, cx: f64, cy: f64, r: f64) {
    let _ = write!(
        out,
        r#"<circle class="{class}" cx="{}" cy="{}" r="{}"/>"#,
        num(cx),
        num(cy),
        num(r)
    );
}

fn text(out: &mut String, class: &str, x: f64, y: f64, anchor: &str, s: &str) {
    let _ = write!(
        out,
        r#"<text class="{class}" x="{}" y="{}" text-anchor="{anchor}">{}</text>"#,
        num(x),
        num(y),
        escape(s)
    );
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    /// A small well-formedness check: tags nest and balance, attributes are quoted and unique,
    /// and every `&` starts one of the entities `xml_escape` writes.
    fn check_xml(svg: &str) -> Result<(), String> {
        let mut stack: Vec<&str> = Vec::new();
        let mut roots = 0;
        let mut rest = svg;
        while let Some(i) = rest.find(['<', '&', '>']) {
            let tail = &rest[i..];
            if tail.starts_with('>') {
                return Err(format!(
                    "stray '>' before {:?}",
                    &tail[..tail.len().min(40)]
                ));
            }
            if tail.starts_with('&') {
                let end = tail.find(';').ok_or("unterminated entity")?;
                check_entity(&tail[..=end])?;
                rest = &tail[end + 1..];
                continue;
            }
            let end = tail.find('>').ok_or("unterminated tag")?;
            let tag = &tail[1..end];
            rest = &tail[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                match stack.pop() {
                    Some(open) if open == name => {}
                    other => return Err(format!("</{name}> closes {other:?}")),
                }
                continue;
            }
            let (body, self_closing) = match tag.strip_suffix('/') {
                Some(body) => (body, true),
                None => (tag, false),
            };
            let name = body.split_whitespace().next().ok_or("empty tag")?;
            check_attributes(&body[name.len()..])?;
            if stack.is_empty() {
                roots += 1;
            }
            if !self_closing {
                stack.push(name);
            }
        }
        if !rest.trim().is_empty() && stack.is_empty() {
            return Err(format!("text after the root: {rest:?}"));
        }
        match (stack.as_slice(), roots) {
            ([], 1) => Ok(()),
            ([], n) => Err(format!("{n} root elements")),
            (open, _) => Err(format!("unclosed: {open:?}")),
        }
    }

    fn check_entity(entity: &str) -> Result<(), String> {
        match entity {
            "&amp;" | "&lt;" | "&gt;" | "&quot;" | "&#39;" => Ok(()),
            other => Err(format!("unknown entity {other}")),
        }
    }

    fn check_attributes(mut attrs: &str) -> Result<(), String> {
        let mut seen = Vec::new();
        loop {
            attrs = attrs.trim_start();
            if attrs.is_empty() {
                return Ok(());
            }
            let eq = attrs
                .find('=')
                .ok_or(format!("attribute without value: {attrs}"))?;
            let name = &attrs[..eq];
            if name.is_empty() || name.contains(char::is_whitespace) || seen.contains(&name) {
                return Err(format!("bad or repeated attribute name {name:?}"));
            }
            seen.push(name);
            let value = attrs[eq + 1..]
                .strip_prefix('"')
                .ok_or(format!("unquoted {name}"))?;
            let close = value.find('"').ok_or(format!("unterminated {name}"))?;
            let mut v = &value[..close];
            if v.contains('<') {
                return Err(format!("'<' in attribute {name}"));
            }
            while let Some(i) = v.find('&') {
                let end = v[i..].find(';').ok_or("unterminated entity")?;
                check_entity(&v[i..=i + end])?;
                v = &v[i + end + 1..];
            }
            attrs = &value[close + 1..];
        }
    }

    fn assert_sane(svg: &str) {
        if let Err(e) = check_xml(svg) {
            panic!("{e}\n{svg}");
        }
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img""#) && svg.contains(r#"width="100%""#));
    }

    fn series(values: &[f64]) -> Vec<Point> {
        let start = date!(2026 - 01 - 31);
        values
            .iter()
            .enumerate()
            .map(|(i, &value)| Point {
                date: start.saturating_add(time::Duration::days(30 * i as i64)),
                value,
            })
            .collect()
    }

    const CASES: &[&[f64]] = &[
        &[1.0],
        &[0.0],
        &[5.0, 5.0, 5.0],
        &[99.9, 99.95, 99.97],
        &[1.0, f64::NAN, 3.0, f64::INFINITY, f64::NEG_INFINITY],
        &[f64::MAX, -f64::MAX],
        &[f64::MAX],
        &[1e-9, 2e-9],
        &[-3.0, 0.1 + 0.2, 12.5],
    ];

    #[test]
    fn the_checker_rejects_malformed_xml() {
        for bad in [
            "<svg><g></svg>",
            "<svg></g></svg>",
            "<svg><text>a < b</text></svg>",
            "<svg><text>a & b</text></svg>",
            r#"<svg class="a" class="b"></svg>"#,
            "<svg class=a></svg>",
            "<svg></svg><svg></svg>",
            "<svg><text>a > b</text></svg>",
        ] {
            assert!(check_xml(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check_xml(r#"<svg a="1"><g><title>x &amp; y</title></g><line/></svg>"#),
            Ok(())
        );
    }

    #[test]
    fn every_chart_is_well_formed() {
        for values in CASES {
            let points = series(values);
            for goal in [None, Some(2.0), Some(f64::NAN)] {
                for better in [Better::Up, Better::Down] {
                    assert_sane(&trend("t", "Availability", "%", &points, goal, better));
                    assert_sane(&sparkline("s", "Availability", "%", &points, goal, better));
                }
            }
            let many = vec![
                ("A".to_string(), points.clone()),
                ("B".to_string(), series(&[2.0, 3.0])),
            ];
            assert_sane(&multi_line("m", "Pages", "pages", &many));
        }
        for n in [1, 3, 12, 13, 40] {
            let stacks: Vec<Stack> = (0..n)
                .map(|i| Stack {
                    label: format!("2026-{:02}", i % 12 + 1),
                    segments: vec![
                        ("sev1".into(), i % 2),
                        ("sev2".into(), i),
                        ("other".into(), 0),
                    ],
                })
                .collect();
            assert_sane(&stacked_bars("b", "Incidents", &stacks));
        }
        let zeros = [Stack {
            label: "2026-01".into(),
            segments: vec![("sev1".into(), 0)],
        }];
        assert_sane(&stacked_bars("z", "Incidents", &zeros));
        let huge = [Stack {
            label: "x".into(),
            segments: vec![("sev1".into(), u32::MAX), ("sev2".into(), u32::MAX)],
        }];
        assert_sane(&stacked_bars("h", "Incidents", &huge));
    }

    #[test]
    fn one_circle_per_finite_point() {
        for values in CASES {
            let svg = trend(
                "t",
                "Latency",
                "ms",
                &series(values),
                Some(1.0),
                Better::Down,
            );
            let finite = values.iter().filter(|v| v.is_finite()).count();
            assert_eq!(svg.matches("<circle").count(), finite, "{values:?}");
        }
    }

    #[test]
    fn labels_are_escaped() {
        let evil = "<script>alert('x')</script> & \"co\"";
        let points = series(&[1.0, 2.0]);
        let stacks = [Stack {
            label: evil.into(),
            segments: vec![(evil.into(), 2)],
        }];
        let svgs = [
            trend(evil, evil, evil, &points, Some(1.5), Better::Up),
            sparkline(evil, evil, evil, &points, None, Better::Up),
            stacked_bars(evil, evil, &stacks),
            multi_line(evil, evil, evil, &[(evil.to_string(), points.clone())]),
        ];
        for svg in svgs {
            assert_sane(&svg);
            assert!(!svg.contains("<script"), "{svg}");
            assert!(
                svg.contains(
                    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"
                ),
                "{svg}"
            );
        }
    }

    #[test]
    fn nothing_to_draw_is_empty() {
        let nan = series(&[f64::NAN, f64::INFINITY]);
        for points in [Vec::new(), nan] {
            assert_eq!(trend("t", "x", "", &points, Some(1.0), Better::Up), "");
            assert_eq!(sparkline("s", "x", "", &points, None, Better::Up), "");
            assert_eq!(
                multi_line("m", "x", "", &[("a".into(), points.clone())]),
                ""
            );
        }
        assert_eq!(multi_line("m", "x", "", &[]), "");
        assert_eq!(stacked_bars("b", "x", &[]), "");
    }

    #[test]
    fn a_single_point_renders() {
        let points = series(&[42.0]);
        for svg in [
            trend("t", "Queue depth", "jobs", &points, None, Better::Down),
            sparkline("s", "Queue depth", "jobs", &points, None, Better::Down),
            multi_line("m", "Queue depth", "jobs", &[("a".into(), points.clone())]),
        ] {
            assert_sane(&svg);
            assert!(svg.contains("<circle"), "{svg}");
        }
    }

    #[test]
    fn track_class_follows_goal_and_direction() {
        // (last value, goal, better, expected class of the line)
        let cases = [
            (99.97, Some(99.95), Better::Up, "chart-on-track"),
            (99.90, Some(99.95), Better::Up, "chart-off-track"),
            (99.95, Some(99.95), Better::Up, "chart-on-track"),
            (120.0, Some(200.0), Better::Down, "chart-on-track"),
            (250.0, Some(200.0), Better::Down, "chart-off-track"),
            (250.0, None, Better::Down, "chart-line"),
            (250.0, Some(f64::NAN), Better::Down, "chart-line"),
        ];
        for (last, goal, better, class) in cases {
            let points = series(&[100.0, last]);
            for svg in [
                trend("t", "M", "", &points, goal, better),
                sparkline("s", "M", "", &points, goal, better),
            ] {
                assert!(
                    svg.contains(&format!(r#"<polyline class="{class}""#)),
                    "{class}: {svg}"
                );
                for other in ["chart-on-track", "chart-off-track"]
                    .into_iter()
                    .filter(|c| *c != class)
                {
                    assert!(!svg.contains(other), "{class}: {svg}");
                }
                assert_eq!(svg.contains("chart-goal"), goal.is_some_and(f64::is_finite));
            }
        }
    }

    #[test]
    fn text_alternative_states_the_data() {
        let values = [99.9, 99.92, 99.95, 99.93, 99.96, 99.94, 99.98, 99.99, 99.97];
        let points: Vec<Point> = values
            .iter()
            .enumerate()
            .map(|(i, &value)| Point {
                date: Date::from_calendar_date(2026, time::Month::January.nth_next(i as u8), 1)
                    .ok()
                    .and_then(|d| {
                        d.replace_day(time::util::days_in_month(d.month(), 2026))
                            .ok()
                    })
                    .expect("a valid month end"),
                value,
            })
            .collect();
        let svg = trend(
            "avail",
            "Checkout availability",
            "%",
            &points,
            Some(99.95),
            Better::Up,
        );
        assert!(
            svg.contains(r#"aria-labelledby="avail-title avail-desc""#),
            "{svg}"
        );
        assert!(
            svg.contains(
                r#"<title id="avail-title">Checkout availability: 99.97 % on 2026-09-30, goal 99.95 %, on track; 9 points from 2026-01-31</title>"#
            ),
            "{svg}"
        );
        assert!(
            svg.contains(r#"<desc id="avail-desc">2026-01-31: 99.9 %; 2026-02-28: 99.92 %;"#),
            "{svg}"
        );
        assert!(svg.contains(">goal 99.95 %</text>"), "{svg}");

        let spark = sparkline(
            "sp",
            "Checkout availability",
            "%",
            &points,
            Some(99.95),
            Better::Up,
        );
        assert!(spark.contains("Checkout availability: last value 99.97 % on 2026-09-30, goal 99.95 %, on track</title>"));

        let monthly = [Point {
            date: date!(2026 - 03 - 01),
            value: 2.0,
        }];
        assert!(
            trend("m", "Pages", "", &monthly, None, Better::Down)
                .contains(">Pages: 2 on 2026-03; 1 point</title>")
        );
    }

    #[test]
    fn stacked_bars_draw_one_rect_per_nonzero_segment() {
        let stacks = [
            Stack {
                label: "2026-01".into(),
                segments: vec![
                    ("sev1".into(), 0),
                    ("sev2".into(), 1),
                    ("sev3".into(), 2),
                    ("sev4".into(), 0),
                ],
            },
            Stack {
                label: "2026-02".into(),
                segments: vec![("sev1".into(), 1), ("sev2".into(), 0), ("misc".into(), 3)],
            },
            Stack {
                label: "2026-03".into(),
                segments: vec![("sev1".into(), 0)],
            },
        ];
        let svg = stacked_bars("inc", "Incidents", &stacks);
        assert_sane(&svg);
        assert_eq!(
            svg.matches(r#"<rect class="chart-bar-"#).count(),
            4,
            "{svg}"
        );
        assert!(svg.contains(r#"<rect class="chart-bar-other""#), "{svg}");
        assert!(svg.contains("<title>2026-01: 1 sev2</title>"), "{svg}");
        // One legend swatch per segment name, in order of first appearance.
        assert_eq!(svg.matches("chart-swatch").count(), 5, "{svg}");
        assert!(
            svg.contains(
                "2026-01: 3 (1 sev2, 2 sev3); 2026-02: 4 (1 sev1, 3 misc); 2026-03: 0</desc>"
            ),
            "{svg}"
        );
        assert!(
            svg.contains(">Incidents: 7 in total, 2026-01 to 2026-03</title>"),
            "{svg}"
        );
        // The y axis is labelled with the highest bar's count.
        assert!(svg.contains(r#"text-anchor="end">4</text>"#), "{svg}");
    }

    #[test]
    fn many_bars_get_sparse_labels() {
        let stacks: Vec<Stack> = (0..36)
            .map(|i| Stack {
                label: format!("{}-{:02}", 2024 + i / 12, i % 12 + 1),
                segments: vec![("sev2".into(), 1)],
            })
            .collect();
        let svg = stacked_bars("b", "Incidents", &stacks);
        let x_labels = svg.matches(r#"text-anchor="middle""#).count();
        assert!((2..=12).contains(&x_labels), "{x_labels}");
        let few = stacked_bars("b", "Incidents", &stacks[..12]);
        assert_eq!(few.matches(r#"text-anchor="middle""#).count(), 12);
    }

    #[test]
    fn multi_line_classes_cycle() {
        let all: Vec<(String, Vec<Point>)> = (0..10)
            .map(|i| (format!("team {i}"), series(&[1.0, f64::from(i)])))
            .collect();
        let svg = multi_line("load", "On-call pages", "pages", &all);
        assert_sane(&svg);
        assert_eq!(svg.matches("<polyline").count(), 10);
        // Lines and legend entries: series 0 and 8 share a colour.
        assert_eq!(
            svg.matches(r#"class="chart-series chart-series-0""#)
                .count(),
            4
        );
        assert!(svg.contains("chart-series-7") && !svg.contains("chart-series-8"));
        assert!(svg.contains(">team 9</text>"));
    }

    #[test]
    fn numbers_are_compact() {
        let cases = [
            (0.1 + 0.2, "0.3"),
            (99.97, "99.97"),
            (2.0, "2"),
            (-0.0, "0"),
            (-0.001, "-0.001"),
            (0.00123, "0.0012"),
            (1234.5678, "1234.57"),
            (1e-9, "1.0e-9"),
            (f64::NAN, "0"),
        ];
        for (v, want) in cases {
            assert_eq!(num(v), want, "{v}");
        }
    }

    #[test]
    fn ids_are_kept_to_a_safe_set() {
        let svg = trend("a b\"c", "T", "", &series(&[1.0]), None, Better::Up);
        assert!(
            svg.contains(r#"aria-labelledby="a-b-c-title a-b-c-desc""#),
            "{svg}"
        );
    }
}
