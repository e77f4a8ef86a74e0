//! Stacked bars: counts per period, split by category (incidents per month by severity).

use std::fmt::Write as _;

use super::svg::{Frame, legend_layout, open, text, text_width, y_axis, y_labels_width};
use super::ticks;
use super::words::num;
use super::{LEGEND_GAP, LEGEND_ROW, Stack};
use crate::html::escape;

/// The least top of a count axis.
const MIN_TOP: u64 = 4;

/// A stacked bar chart (~640x220): one bar per Stack in the given order, segments bottom-up in
/// the order given, each segment rect with class "chart-bar-<segment name>" if the name is
/// sev1..sev4 else chart-bar-other, and its own <title> child ("2026-03: 1 sev2") for hover; x labels
/// for every bar when there are at most 12 bars, otherwise every Nth so they do not overlap; a y
/// axis from 0 to at least `MIN_TOP` with whole-number ticks and grid lines, so one incident is a
/// short bar and not a full one; a legend row with the segment names. Text alternative sums per
/// bar.
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

    let ticks = ticks::counts(max, MIN_TOP, 4);
    let left = (y_labels_width(&ticks, "") + 10.0).clamp(24.0, 120.0);
    let (legend, rows) = legend_layout(&names, left, W - 12.0, 14.0);
    let height = H + rows as f64 * LEGEND_ROW + LEGEND_GAP;
    let frame = Frame {
        left,
        right: W - 12.0,
        top: 12.0,
        bottom: H - 28.0,
        lo: 0.0,
        hi: ticks.hi,
        d0: 0,
        d1: 0,
    };

    let mut out = String::new();
    open(&mut out, id, "bars", W, height, &summary, &desc);
    y_axis(&mut out, &frame, &ticks, "");

    let n = stacks.len();
    let slot = (frame.right - frame.left) / n as f64;
    let bar_w = (slot * 0.7).min(48.0);
    let scale = (frame.bottom - frame.top) / ticks.hi;
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

fn bar_class(name: &str) -> &'static str {
    match name.to_ascii_lowercase().as_str() {
        "sev1" => "chart-bar-sev1",
        "sev2" => "chart-bar-sev2",
        "sev3" => "chart-bar-sev3",
        "sev4" => "chart-bar-sev4",
        _ => "chart-bar-other",
    }
}
