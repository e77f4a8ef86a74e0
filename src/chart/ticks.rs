//! Where the axes put their marks: "nice" value ticks (steps of 1, 2 or 5 times a power of
//! ten), whole-number ticks for counts, calendar ticks for dates, and the placement of labels
//! that would otherwise sit on top of each other.

use time::{Date, Month};

/// Value ticks: the axis range, widened to whole steps, and the ticks from `lo` to `hi`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Ticks {
    pub(super) lo: f64,
    pub(super) hi: f64,
    /// Decimals a tick label needs to tell neighbouring ticks apart.
    pub(super) decimals: usize,
    pub(super) values: Vec<f64>,
}

impl Ticks {
    /// A tick's label: as many decimals as the step needs, and no more.
    pub(super) fn label(&self, value: f64) -> String {
        let s = format!("{value:.*}", self.decimals);
        if s.trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            // "-0.00" and "-0" read as 0.
            return s.trim_start_matches('-').to_string();
        }
        s
    }
}

/// At most `intervals` + 1 ticks covering `lo..=hi`, a step of 1, 2 or 5 times a power of ten
/// apart. A range that cannot be divided (not finite, empty, beyond f64) keeps its two ends.
pub(super) fn nice(lo: f64, hi: f64, intervals: usize) -> Ticks {
    let ends = || Ticks {
        lo,
        hi,
        decimals: 2,
        values: vec![lo, hi],
    };
    let span = hi - lo;
    let intervals = intervals.max(1) as f64;
    if !(span.is_finite() && span > 0.0) {
        return ends();
    }
    let magnitude = 10f64.powf((span / intervals).log10().floor());
    let Some(step) = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|step| span / step <= intervals + 1e-9)
    else {
        return ends();
    };
    let (first, last) = ((lo / step).floor(), (hi / step).ceil());
    let count = last - first;
    let divided = step > 0.0 && step.is_finite() && (1.0..=20.0).contains(&count);
    if !divided {
        return ends();
    }
    let decimals = (-step.log10()).ceil().max(0.0) as usize;
    let round = |v: f64| {
        let scale = 10f64.powi(decimals as i32);
        let r = (v * scale).round() / scale;
        if r.is_finite() { r } else { v }
    };
    let values: Vec<f64> = (0..=count as usize)
        .map(|k| round((first + k as f64) * step))
        .collect();
    match (values.first(), values.last()) {
        // Rounding may leave the data a hair outside the end ticks: the axis still covers it.
        (Some(&first), Some(&last)) if first.is_finite() && last.is_finite() && last > first => {
            Ticks {
                lo: first.min(lo),
                hi: last.max(hi),
                decimals,
                values,
            }
        }
        _ => ends(),
    }
}

/// Ticks for counts: from 0, to at least `floor` (so one or two incidents do not fill the
/// chart), whole numbers only.
pub(super) fn counts(max: u64, floor: u64, intervals: usize) -> Ticks {
    let hi = max.max(floor).max(1) as f64;
    let mut ticks = nice(0.0, hi, intervals);
    if ticks.decimals > 0 {
        // A step below 1 between whole numbers: one tick per number instead.
        let top = hi.ceil();
        ticks = Ticks {
            lo: 0.0,
            hi: top,
            decimals: 0,
            values: (0..=top as u64).map(|v| v as f64).collect(),
        };
    }
    ticks
}

/// Calendar ticks between `first` and `last` (inclusive), at most `max` of them: every day,
/// week, month, quarter, half year or year, whichever is the finest that fits. Month ticks fall
/// on the 1st, year ticks on January 1st. Also says whether the labels need the day.
pub(super) fn dates(first: Date, last: Date, max: usize) -> (Vec<Date>, bool) {
    let max = max.max(2);
    if last <= first {
        return (vec![first], true);
    }
    let days = i64::from(last.to_julian_day() - first.to_julian_day());
    for step in [1, 7] {
        if days / step < max as i64 {
            let ticks = (0..=days / step)
                .filter_map(|k| first.checked_add(time::Duration::days(k * step)))
                .collect();
            return (ticks, true);
        }
    }
    let month_index = |d: Date| i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1;
    let (m0, m1) = (month_index(first), month_index(last));
    for step in [1, 2, 3, 6, 12, 24, 60, 120, 600] {
        // The first month start on or after `first` that is a multiple of the step.
        let mut m = if first.day() == 1 { m0 } else { m0 + 1 };
        m += (step - m.rem_euclid(step)) % step;
        let ticks: Vec<Date> = std::iter::successors(Some(m), |m| Some(m + step))
            .take_while(|&m| m <= m1)
            .take(max + 1)
            .filter_map(|m| {
                let year = i32::try_from(m.div_euclid(12)).ok()?;
                let month = Month::try_from(u8::try_from(m.rem_euclid(12) + 1).ok()?).ok()?;
                Date::from_calendar_date(year, month, 1).ok()
            })
            .collect();
        if ticks.len() <= max {
            return (ticks, false);
        }
    }
    (vec![first, last], true)
}

/// Spreads labels apart: `ys` (their wanted positions, any order) are moved as little as
/// possible so that any two are at least `gap` apart and all stay within `top..=bottom`.
/// Returns the new positions in the order given.
pub(super) fn spread(ys: &[f64], gap: f64, top: f64, bottom: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..ys.len()).collect();
    order.sort_by(|&a, &b| ys[a].total_cmp(&ys[b]));
    let mut placed: Vec<f64> = order.iter().map(|&i| ys[i].clamp(top, bottom)).collect();
    // Push down from the top, then up from the bottom: labels that fit keep their place, and a
    // crowd is packed evenly around where it wanted to be.
    for k in 1..placed.len() {
        placed[k] = placed[k].max(placed[k - 1] + gap);
    }
    if let Some(last) = placed.last_mut() {
        *last = last.min(bottom);
    }
    for k in (0..placed.len().saturating_sub(1)).rev() {
        placed[k] = placed[k].min(placed[k + 1] - gap);
    }
    let mut out = vec![0.0; ys.len()];
    for (slot, &i) in order.iter().enumerate() {
        out[i] = placed[slot];
    }
    out
}
