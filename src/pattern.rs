//! Name patterns: the `{placeholders}` of a template's `id_format`, `file_name` and
//! `title_format`, which say how `opsbook new` names a review (`OPS-{year}-W{week}`,
//! `{year}-w{week}`, `Weekly ops review, {year}-W{week}`). `site` checks a template's patterns;
//! `scaffold` fills them.

use time::Date;

/// Placeholders every pattern may use, filled from the review's date: `{year}` (calendar year),
/// `{month}` and `{day}` (two digits), `{quarter}` (1-4) and `{week}` (ISO week, two digits).
pub(crate) const DATE: &[&str] = &["year", "month", "day", "quarter", "week"];

/// What else each pattern may use. `{seq}` (or `{seq:03}`, zero-padded) is the next free number
/// among existing ids; `{title}` is the title given to `opsbook new`, `{slug}` the same as a
/// file name, `{id}` the review's new id.
pub(crate) const ID_FORMAT: &[&str] = &["seq"];
pub(crate) const FILE_NAME: &[&str] = &["title", "slug", "id"];
pub(crate) const TITLE_FORMAT: &[&str] = &["title", "id"];

/// The names of the placeholders in `pattern`, in order (`{seq:03}` is `seq`).
pub(crate) fn placeholders(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        out.push(inner.split(':').next().unwrap_or(inner));
        rest = &rest[open + close + 1..];
    }
    out
}

/// The placeholders of `pattern` that are neither date placeholders nor in `extra`.
pub(crate) fn unknown<'a>(pattern: &'a str, extra: &[&str]) -> Vec<&'a str> {
    placeholders(pattern)
        .into_iter()
        .filter(|p| !DATE.contains(p) && !extra.contains(p))
        .collect()
}

/// Whether `pattern` uses placeholder `name`.
pub(crate) fn uses(pattern: &str, name: &str) -> bool {
    placeholders(pattern).contains(&name)
}

/// `pattern` with its date placeholders filled from `date`; other placeholders stay.
pub(crate) fn fill_date(pattern: &str, date: Date) -> String {
    pattern
        .replace("{year}", &date.year().to_string())
        .replace("{month}", &format!("{:02}", u8::from(date.month())))
        .replace("{day}", &format!("{:02}", date.day()))
        .replace(
            "{quarter}",
            &((u8::from(date.month()) - 1) / 3 + 1).to_string(),
        )
        .replace("{week}", &format!("{:02}", date.iso_week()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn date_placeholders_are_filled_and_others_kept() {
        assert_eq!(
            fill_date("OPS-{year}-W{week}", date!(2026 - 12 - 03)),
            "OPS-2026-W49"
        );
        assert_eq!(
            fill_date(
                "{year}-{month}-{day} Q{quarter} {slug}",
                date!(2026 - 03 - 07)
            ),
            "2026-03-07 Q1 {slug}"
        );
    }

    #[test]
    fn unknown_placeholders_are_found() {
        assert_eq!(placeholders("INC-{year}-{seq:03}"), ["year", "seq"]);
        assert_eq!(
            unknown("INC-{year}-{seq:03}", ID_FORMAT),
            Vec::<&str>::new()
        );
        assert_eq!(unknown("{yaer}-w{week}-{title}", FILE_NAME), ["yaer"]);
        assert!(uses("Weekly ops review, {year}-W{week}", "week"));
        assert!(!uses("Weekly ops review, {year}-W{week}", "title"));
    }
}
