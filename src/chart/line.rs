//! Charts of values over time: one metric with its goal (`trend`, `sparkline`) or several
//! series on one chart (`multi_line`).

use std::fmt::Write as _;

use super::svg::{
    Frame, circle, clean, date_axis, goal_line, legend_layout, line, min_max, open, polyline, text,
    text_width, value_range, y_axis, y_labels_width,
};
use super::ticks;
use super::words::{
    date_label, is_monthly, meets, push_count, summary_line, values_in_words, with_unit,
};
use super::{LABEL_GAP, LEGEND_GAP, LEGEND_ROW, Point, Series};

/// The cleaned points of one metric and what both line charts derive from them.
struct Prepared<'a> {
    title: &'a str,
    unit: &'a str,
    points: Vec<Point>,
    first: Point,
    last: Point,
    goal: Option<f64>,
    lo: f64,
    hi: f64,
    monthly: bool,
    on_track: Option<bool>,
}

fn prepare<'a>(series: &Series<'a>) -> Option<Prepared<'a>> {
    let points = clean(series.points);
    let (first, last) = (*points.first()?, *points.last()?);
    let goal = series.goal.filter(|g| g.is_finite());
    let (lo, hi) = value_range(points.iter().map(|p| p.value).chain(goal))?;
    let monthly = is_monthly(&points);
    let on_track = goal.map(|g| meets(last.value, g, series.better));
    Some(Prepared {
        title: series.title,
        unit: series.unit,
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

/// The line's class: `chart-on-track` or `chart-off-track` when there is a goal to meet.
fn track_class(on_track: Option<bool>) -> &'static str {
    match on_track {
        Some(true) => "chart-on-track",
        Some(false) => "chart-off-track",
        None => "chart-line",
    }
}

/// A line chart of one metric over time: the values as a polyline with points, the goal as a
/// dashed horizontal line labelled "goal N", the last value labelled, the line coloured
/// chart-on-track / chart-off-track depending on whether the last value meets the goal in the
/// `better` direction (no goal: chart-line); the last value's and the goal's labels never overlap.
/// X axis: calendar ticks (days, weeks, months, quarters or years, whichever fit); Y axis: nice
/// ticks (1-2-5 steps) with grid lines, labelled with the unit. Size ~ 560x200.
pub fn trend(id: &str, series: &Series<'_>) -> String {
    prepare(series).map_or_else(String::new, |p| draw_trend(id, &p))
}

fn draw_trend(id: &str, p: &Prepared<'_>) -> String {
    const W: f64 = 560.0;
    const H: f64 = 200.0;
    let (title, unit, points, goal) = (p.title, p.unit, &p.points, p.goal);
    let (first, last, monthly) = (p.first, p.last, p.monthly);
    let mut summary = summary_line(title, "", unit, last, goal, p.on_track, monthly);
    push_count(&mut summary, points, monthly);
    let desc = values_in_words(points, unit, monthly);

    let ticks = ticks::nice(p.lo, p.hi, 4);
    let last_label = with_unit(last.value, unit);
    let goal_label = goal.map(|g| format!("goal {}", with_unit(g, unit)));
    // Margins grow with the labels they hold, so long units are not clipped.
    let left = (y_labels_width(&ticks, unit) + 10.0).clamp(32.0, 160.0);
    let right_w = (text_width(&last_label).max(goal_label.as_deref().map_or(0.0, text_width))
        + 14.0)
        .clamp(24.0, 200.0);
    let frame = Frame::new(
        left,
        W - right_w,
        12.0,
        H - 28.0,
        ticks.lo,
        ticks.hi,
        points,
    );

    let mut out = String::new();
    open(&mut out, id, "trend", W, H, &summary, &desc);
    y_axis(&mut out, &frame, &ticks, unit);
    date_axis(&mut out, &frame, first.date, last.date, H - 10.0, monthly);

    let (lx, ly) = (frame.x(last.date), frame.y(last.value));
    // The last value and the goal are labelled in the right margin, moved apart when close.
    let goal_y = goal.map(|g| goal_line(&mut out, &frame, g, "6 4"));
    let wanted: Vec<f64> = std::iter::once(ly).chain(goal_y).map(|y| y + 4.0).collect();
    let placed = ticks::spread(&wanted, LABEL_GAP, frame.top + 4.0, H - 14.0);
    if let (Some(label), Some(&y)) = (&goal_label, placed.get(1)) {
        text(
            &mut out,
            "chart-label chart-goal-label",
            frame.right + 8.0,
            y,
            "start",
            label,
        );
    }
    let last_y = placed[0];
    let class = track_class(p.on_track);
    polyline(&mut out, class, &frame, points, 2.0, None);
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
pub fn sparkline(id: &str, series: &Series<'_>) -> String {
    let Some(p) = prepare(series) else {
        return String::new();
    };
    const W: f64 = 120.0;
    const H: f64 = 32.0;
    const PAD: f64 = 4.0;
    let (title, unit, points, first, last) = (p.title, p.unit, &p.points, p.first, p.last);
    let monthly = p.monthly;
    let summary = summary_line(
        title,
        "last value ",
        unit,
        last,
        p.goal,
        p.on_track,
        monthly,
    );
    let (min, max) = min_max(points);
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

    let frame = Frame::new(PAD, W - PAD, PAD, H - PAD, p.lo, p.hi, points);
    let mut out = String::new();
    open(&mut out, id, "sparkline", W, H, &summary, &desc);
    if let Some(g) = p.goal {
        goal_line(&mut out, &frame, g, "3 2");
    }
    let class = track_class(p.on_track);
    polyline(&mut out, class, &frame, points, 1.5, None);
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

    let ticks = ticks::nice(lo, hi, 4);
    let left = (y_labels_width(&ticks, unit) + 10.0).clamp(32.0, 160.0);
    let names: Vec<&str> = series.iter().map(|(_, name, _)| *name).collect();
    let (legend, rows) = legend_layout(&names, left, W - 16.0, 20.0);
    let height = H + rows as f64 * LEGEND_ROW + LEGEND_GAP;
    let frame = Frame::new(left, W - 16.0, 12.0, H - 28.0, ticks.lo, ticks.hi, &all);

    let mut out = String::new();
    open(&mut out, id, "multi", W, height, &summary, &desc);
    y_axis(&mut out, &frame, &ticks, unit);
    date_axis(&mut out, &frame, d0, d1, H - 10.0, monthly);
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
