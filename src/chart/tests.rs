use time::macros::date;

use super::bars::*;
use super::line::*;
use super::words::*;
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
                let metric = Series {
                    title: "Availability",
                    unit: "%",
                    points: &points,
                    goal,
                    better,
                };
                assert_sane(&trend("t", &metric));
                assert_sane(&sparkline("s", &metric));
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
            &Series {
                title: "Latency",
                unit: "ms",
                points: &series(values),
                goal: Some(1.0),
                better: Better::Down,
            },
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
        trend(
            evil,
            &Series {
                title: evil,
                unit: evil,
                points: &points,
                goal: Some(1.5),
                better: Better::Up,
            },
        ),
        sparkline(
            evil,
            &Series {
                title: evil,
                unit: evil,
                points: &points,
                goal: None,
                better: Better::Up,
            },
        ),
        stacked_bars(evil, evil, &stacks),
        multi_line(evil, evil, evil, &[(evil.to_string(), points.clone())]),
    ];
    for svg in svgs {
        assert_sane(&svg);
        assert!(!svg.contains("<script"), "{svg}");
        assert!(
            svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"),
            "{svg}"
        );
    }
}

#[test]
fn nothing_to_draw_is_empty() {
    let nan = series(&[f64::NAN, f64::INFINITY]);
    for points in [Vec::new(), nan] {
        assert_eq!(
            trend(
                "t",
                &Series {
                    title: "x",
                    unit: "",
                    points: &points,
                    goal: Some(1.0),
                    better: Better::Up
                }
            ),
            ""
        );
        assert_eq!(
            sparkline(
                "s",
                &Series {
                    title: "x",
                    unit: "",
                    points: &points,
                    goal: None,
                    better: Better::Up
                }
            ),
            ""
        );
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
    let metric = Series {
        title: "Queue depth",
        unit: "jobs",
        points: &points,
        goal: None,
        better: Better::Down,
    };
    for svg in [
        trend("t", &metric),
        sparkline("s", &metric),
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
        let metric = Series {
            title: "M",
            unit: "",
            points: &points,
            goal,
            better,
        };
        for svg in [trend("t", &metric), sparkline("s", &metric)] {
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
    let metric = Series {
        title: "Checkout availability",
        unit: "%",
        points: &points,
        goal: Some(99.95),
        better: Better::Up,
    };
    let svg = trend("avail", &metric);
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

    let spark = sparkline("sp", &metric);
    assert!(spark.contains(
        "Checkout availability: last value 99.97 % on 2026-09-30, goal 99.95 %, on track</title>"
    ));

    let monthly = [Point {
        date: date!(2026 - 03 - 01),
        value: 2.0,
    }];
    assert!(
        trend(
            "m",
            &Series {
                title: "Pages",
                unit: "",
                points: &monthly,
                goal: None,
                better: Better::Down
            }
        )
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
        svg.contains("2026-01: 3 (1 sev2, 2 sev3); 2026-02: 4 (1 sev1, 3 misc); 2026-03: 0</desc>"),
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
    let svg = trend(
        "a b\"c",
        &Series {
            title: "T",
            unit: "",
            points: &series(&[1.0]),
            goal: None,
            better: Better::Up,
        },
    );
    assert!(
        svg.contains(r#"aria-labelledby="a-b-c-title a-b-c-desc""#),
        "{svg}"
    );
}

/// The `y` of the first `<text>` with `class`.
fn label_y(svg: &str, class: &str) -> f64 {
    let at = svg
        .find(&format!(r#"<text class="{class}""#))
        .unwrap_or_else(|| panic!("no {class} in {svg}"));
    let y = &svg[at..];
    let y = &y[y.find(" y=\"").expect("a y") + 4..];
    y[..y.find('"').expect("closing quote")]
        .parse()
        .expect("a number")
}

/// The texts of the labels anchored `anchor` (y-axis ticks are `end`, x-axis dates `middle`).
fn labels(svg: &str, anchor: &str) -> Vec<String> {
    let marker = format!(r#"text-anchor="{anchor}">"#);
    svg.split(&marker)
        .skip(1)
        .map(|s| s[..s.find("</text>").expect("closed")].to_string())
        .collect()
}

#[test]
fn value_ticks_are_nice_and_cover_the_range() {
    use super::ticks::nice;
    for (lo, hi, want) in [
        (0.0, 10.0, &[0.0, 5.0, 10.0][..]),
        (99.89, 99.97, &[99.88, 99.9, 99.92, 99.94, 99.96, 99.98][..]),
        (1.75, 2.38, &[1.6, 1.8, 2.0, 2.2, 2.4][..]),
        (-3.0, 12.5, &[-5.0, 0.0, 5.0, 10.0, 15.0][..]),
        (410.0, 520.0, &[400.0, 450.0, 500.0, 550.0][..]),
    ] {
        assert_eq!(nice(lo, hi, 4).values, want, "{lo}..{hi}");
    }
    // Over many ranges: the ticks cover the data, are evenly spaced by 1, 2 or 5 times a power
    // of ten, are few, and their labels tell them apart.
    let mut lo = -1234.5;
    for k in 0..400 {
        let span = 10f64.powi(k % 9 - 4) * (1.0 + f64::from(k % 7));
        let ticks = nice(lo, lo + span, 4);
        let v = &ticks.values;
        assert!(ticks.lo <= lo && ticks.hi >= lo + span, "{lo} {span} {v:?}");
        assert!((3..=7).contains(&v.len()), "{lo} {span} {v:?}");
        let step = v[1] - v[0];
        let mantissa = step / 10f64.powf(step.log10().floor());
        assert!(
            [1.0, 2.0, 5.0, 10.0]
                .iter()
                .any(|m| (mantissa - m).abs() < 1e-6),
            "{step}"
        );
        let labels: Vec<String> = v.iter().map(|&x| ticks.label(x)).collect();
        let mut unique = labels.clone();
        unique.dedup();
        assert_eq!(unique, labels, "{lo} {span}");
        lo += 37.3;
    }
    // A range that cannot be divided keeps its ends.
    assert_eq!(nice(-f64::MAX, f64::MAX, 4).values, [-f64::MAX, f64::MAX]);
    assert_eq!(nice(1.0, 1.0, 4).values, [1.0, 1.0]);
}

#[test]
fn count_axes_start_at_zero_with_whole_ticks_and_room_above_one_or_two() {
    use super::ticks::counts;
    assert_eq!(counts(1, 4, 4).values, [0.0, 1.0, 2.0, 3.0, 4.0]);
    assert_eq!(counts(0, 4, 4).values, [0.0, 1.0, 2.0, 3.0, 4.0]);
    assert_eq!(counts(13, 4, 4).values, [0.0, 5.0, 10.0, 15.0]);
    assert_eq!(counts(7, 4, 4).values, [0.0, 2.0, 4.0, 6.0, 8.0]);
    let huge = counts(u64::from(u32::MAX) * 2, 4, 4);
    assert!(huge.values.iter().all(|v| v.fract() == 0.0), "{huge:?}");

    // One incident in a year draws a bar a quarter of the plot high, not a full one.
    let stacks: Vec<Stack> = (1..=12)
        .map(|m| Stack {
            label: format!("2026-{m:02}"),
            segments: vec![("sev2".into(), u32::from(m == 3))],
        })
        .collect();
    let svg = stacked_bars("one", "Incidents", &stacks);
    assert_sane(&svg);
    assert_eq!(labels(&svg, "end"), ["0", "1", "2", "3", "4"]);
    let height: f64 = {
        let rect = &svg[svg.find("<rect class=\"chart-bar-sev2\"").expect("a bar")..];
        let h = &rect[rect.find(" height=\"").expect("a height") + 9..];
        h[..h.find('"').expect("quote")].parse().expect("a number")
    };
    assert!(height < 50.0, "one of four: {height}");
    assert_eq!(svg.matches("class=\"chart-grid\"").count(), 4, "{svg}");
}

#[test]
fn date_ticks_fall_between_the_first_and_last_date() {
    use super::ticks::dates;
    let (ticks, with_day) = dates(date!(2025 - 04 - 30), date!(2026 - 10 - 20), 7);
    assert!(!with_day);
    assert_eq!(
        ticks,
        [
            date!(2025 - 07 - 01),
            date!(2025 - 10 - 01),
            date!(2026 - 01 - 01),
            date!(2026 - 04 - 01),
            date!(2026 - 07 - 01),
            date!(2026 - 10 - 01)
        ]
    );
    let (weeks, with_day) = dates(date!(2026 - 03 - 02), date!(2026 - 04 - 06), 7);
    assert!(with_day);
    assert_eq!(weeks.len(), 6);
    assert_eq!(weeks[1], date!(2026 - 03 - 09));
    let (years, _) = dates(date!(2000 - 01 - 01), date!(2026 - 01 - 01), 6);
    assert_eq!(years[0], date!(2000 - 01 - 01));
    assert!(years.len() <= 6 && years.len() >= 3, "{years:?}");
    assert_eq!(
        dates(date!(2026 - 01 - 01), date!(2026 - 01 - 01), 6)
            .0
            .len(),
        1
    );

    // A trend over eighteen months is labelled every quarter, not only at its ends.
    let points: Vec<Point> = (0..18)
        .map(|i| Point {
            date: date!(2025 - 04 - 30).saturating_add(time::Duration::days(30 * i)),
            value: 99.9 + 0.004 * i as f64,
        })
        .collect();
    let svg = trend(
        "t",
        &Series {
            title: "Availability",
            unit: "%",
            points: &points,
            goal: Some(99.95),
            better: Better::Up,
        },
    );
    assert_sane(&svg);
    let x = labels(&svg, "middle");
    assert!(x.len() >= 4, "{x:?}");
    assert!(x.contains(&"2026-01".to_string()), "{x:?}");
    let y = labels(&svg, "end");
    assert!(y.len() >= 4 && y.iter().all(|l| l.ends_with(" %")), "{y:?}");
}

#[test]
fn the_last_value_and_the_goal_are_labelled_apart() {
    use super::ticks::spread;
    for (last, goal) in [(1.78, 1.75), (1.75, 1.78), (1.75, 1.75), (2.38, 1.75)] {
        let points = series(&[2.38, 2.1, 1.9, last]);
        let svg = trend(
            "cost",
            &Series {
                title: "Cost per 1k transactions",
                unit: "USD",
                points: &points,
                goal: Some(goal),
                better: Better::Down,
            },
        );
        assert_sane(&svg);
        let gap = (label_y(&svg, "chart-label chart-last-label")
            - label_y(&svg, "chart-label chart-goal-label"))
        .abs();
        assert!(gap >= LABEL_GAP - 0.01, "{last} vs {goal}: {gap}");
    }
    let placed = spread(&[50.0, 52.0, 51.0, 150.0], 13.0, 0.0, 200.0);
    let mut sorted = placed.clone();
    sorted.sort_by(f64::total_cmp);
    assert!(
        sorted.windows(2).all(|w| w[1] - w[0] >= 13.0 - 1e-9),
        "{placed:?}"
    );
    assert_eq!(placed[3], 150.0, "a label with room keeps its place");
    let edge = spread(&[199.0, 200.0], 13.0, 0.0, 200.0);
    assert!(edge.iter().all(|y| (0.0..=200.0).contains(y)), "{edge:?}");
}
