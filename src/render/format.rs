//! How numbers and spans of time read on a page: `126,400`, `1.5`, `3 h 5 min`, "2 metrics".

/// A number as people write it: no `.0` on whole numbers, at most three decimals, and a comma
/// between thousands from five digits up (`126,400`; `2026` and `1500` stay as they are, as
/// style guides have it and so that years read as years).
pub(super) fn format_number(f: f64) -> String {
    let plain = if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        let s = format!("{f:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    group_thousands(&plain)
}

/// `126400.5` -> `126,400.5`, `-12000` -> `-12,000`; under five digits, or not a plain number
/// (`1e-7`), unchanged.
pub(super) fn group_thousands(number: &str) -> String {
    let (sign, rest) = number.strip_prefix('-').map_or(("", number), |r| ("-", r));
    let (whole, fraction) = rest.split_once('.').map_or((rest, ""), |(w, f)| (w, f));
    if whole.len() < 5 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return number.to_string();
    }
    let mut out = String::with_capacity(number.len() + whole.len() / 3);
    out.push_str(sign);
    for (n, digit) in whole.chars().enumerate() {
        if n > 0 && (whole.len() - n) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// "1 metric", "3 metrics".
pub(super) fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A span of minutes in words: `45 min`, `3 h 5 min`.
pub(super) fn minutes_in_words(minutes: i64) -> String {
    if minutes < 120 {
        format!("{minutes} min")
    } else {
        format!("{} h {} min", minutes / 60, minutes % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_trailing_zeros() {
        for (n, expect) in [
            (3.0, "3"),
            (-2.0, "-2"),
            (1.5, "1.5"),
            (0.1234, "0.123"),
            (99.95, "99.95"),
            (2026.0, "2026"),
            (9999.5, "9999.5"),
            (126400.0, "126,400"),
            (-12000.25, "-12,000.25"),
            (1234567.0, "1,234,567"),
            (1e16, "10,000,000,000,000,000"),
        ] {
            assert_eq!(format_number(n), expect, "{n}");
        }
    }

    #[test]
    fn minutes_read_as_hours_past_two() {
        for (m, expect) in [
            (0, "0 min"),
            (119, "119 min"),
            (120, "2 h 0 min"),
            (185, "3 h 5 min"),
        ] {
            assert_eq!(minutes_in_words(m), expect);
        }
    }
}
