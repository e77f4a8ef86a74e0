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
//!
//! - `line`: `trend`, `sparkline` and `multi_line`, the charts of values over time.
//! - `bars`: `stacked_bars`, counts per period.
//! - `svg`: the plot frame and the SVG elements all charts draw with.
//! - `ticks`: where the axes put their marks (nice values, counts, dates) and how labels that
//!   would collide are moved apart.
//! - `words`: the text alternatives and the number and date formats they share.

mod bars;
mod line;
mod svg;
#[cfg(test)]
mod tests;
mod ticks;
mod words;

use time::Date;

pub use bars::stacked_bars;
pub use line::{multi_line, sparkline, trend};

/// One value of a metric on a date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub date: Date,
    pub value: f64,
}

/// One metric to chart over time: its name, unit, values and goal.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    pub title: &'a str,
    pub unit: &'a str,
    pub points: &'a [Point],
    pub goal: Option<f64>,
    pub better: Better,
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
pub(super) const FONT: f64 = 11.0;

/// Average advance of one character at `FONT`, to keep labels inside the chart and apart.
pub(super) const CHAR_W: f64 = 6.2;

/// Least vertical distance between two labels, so that they do not overlap.
pub(super) const LABEL_GAP: f64 = 13.0;

/// Height of one legend row.
pub(super) const LEGEND_ROW: f64 = 16.0;

/// Space between the x-axis labels and the first legend row.
pub(super) const LEGEND_GAP: f64 = 8.0;
