//! `unspin trends --format html`: one self-contained HTML file with the charts drawn as inline
//! SVG, so it opens offline, in any browser, with no script at all.
//!
//! What it draws depends on the grouping:
//! - by outlet: techniques per outlet as stacked bars (spans per 1,000 words), and each rated
//!   outlet's rate against its factuality rating;
//! - by month: the overall rate per month and the rates of the most frequent techniques, as lines;
//! - by outlet and month: one line per outlet (the eight with most documents);
//! - by technique: one bar per technique.
//!
//! Every report ends with the table of all rows and measures. Text from the database (outlet
//! names, months) is escaped wherever it is written.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::trends::{GroupBy, Row};
use crate::detect::Technique;

const WIDTH: f64 = 760.0;
/// Outlets drawn as lines, at most; the table has them all.
const MAX_LINES: usize = 8;
/// Bars drawn, at most; the table has them all.
const MAX_BARS: usize = 30;

/// A colour per technique, in [`Technique::ALL`] order, and one per line of a line chart.
const PALETTE: [&str; 14] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
    "#bab0ac", "#1f77b4", "#8c564b", "#17becf", "#7f7f7f",
];

/// The whole report. `title` heads it; `described` says what was counted (the database and
/// the filters), in plain words.
pub fn report(by: GroupBy, rows: &[Row], title: &str, described: &str) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p class=\"about\">{described}</p>\n",
        title = esc(title),
        described = esc(described)
    );
    if rows.is_empty() {
        html.push_str("<p>No documents match.</p>\n</body>\n</html>\n");
        return html;
    }
    match by {
        GroupBy::Outlet => {
            html.push_str(&stacked_bars(rows));
            html.push_str(&factuality_scatter(rows));
        }
        GroupBy::Month => html.push_str(&month_lines(rows)),
        GroupBy::OutletMonth => html.push_str(&outlet_lines(rows)),
        GroupBy::Technique => html.push_str(&technique_bars(rows)),
    }
    html.push_str(&table(by, rows));
    html.push_str(
        "<p class=\"about\">Spans are what the detector marked; rates are spans per 1,000 words. \
         Made by unspin; the same rows come as CSV or JSON with <code>--format csv|json</code>.</p>\n</body>\n</html>\n",
    );
    html
}

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}\
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}.about{color:#555}\
table{border-collapse:collapse;font-size:13px;margin-top:1em}th,td{padding:.25em .6em;border-bottom:1px solid #ddd}\
td.n{text-align:right;font-variant-numeric:tabular-nums}th{text-align:left;background:#f4f4f4}\
svg{display:block;max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif;fill:#333}\
.legend{display:flex;flex-wrap:wrap;gap:.3em 1em;font-size:12px;margin:.4em 0}\
.wide{overflow-x:auto}.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}";

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn name(key: Option<&str>) -> &str {
    match key {
        None | Some("") => "(unknown)",
        Some(k) => k,
    }
}

fn technique_colour(label: &str) -> &'static str {
    Technique::ALL
        .iter()
        .position(|t| t.label() == label)
        .map_or("#999", |i| PALETTE[i % PALETTE.len()])
}

fn legend(items: &[(String, &str)]) -> String {
    let mut out = String::from("<div class=\"legend\">");
    for (label, colour) in items {
        let _ = write!(out, "<span><i style=\"background:{colour}\"></i>{}</span>", esc(label));
    }
    out.push_str("</div>\n");
    out
}

/// A round step for an axis from 0 to `max` with about five ticks.
fn ticks(max: f64) -> Vec<f64> {
    if max.is_nan() || max <= 0.0 {
        return vec![0.0, 1.0];
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let n = (max / step).ceil() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

fn num(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// Height of a bar, the gap between bars, and the margin right of the longest (for its value).
const BAR: f64 = 18.0;
const BAR_GAP: f64 = 6.0;
const BAR_RIGHT: f64 = 60.0;

/// The frame of a horizontal bar chart: labels in a `left` margin, bars along a value axis from 0
/// to a round number past the largest value, its grid and values along the top.
struct BarFrame {
    left: f64,
    top: f64,
}

impl BarFrame {
    /// The frame for `bars` bars up to `max`, and the chart's opening SVG with its axis drawn.
    fn open(max: f64, left: f64, bars: usize, title: &str) -> (BarFrame, String) {
        let ticks = ticks(max);
        let frame = BarFrame { left, top: *ticks.last().unwrap_or(&1.0) };
        let height = 30.0 + bars as f64 * (BAR + BAR_GAP) + 20.0;
        let mut svg = svg_open(height, title);
        axis_x(&mut svg, &ticks, |v| frame.x(v), 20.0, height - 20.0);
        (frame, svg)
    }

    fn x(&self, value: f64) -> f64 {
        self.left + (WIDTH - self.left - BAR_RIGHT) * value / self.top
    }

    /// The top of bar `i`.
    fn y(&self, i: usize) -> f64 {
        30.0 + i as f64 * (BAR + BAR_GAP)
    }
}

/// Techniques per outlet: one bar per outlet (most documents first), a segment per technique.
fn stacked_bars(rows: &[Row]) -> String {
    let mut outlets: Vec<&Row> = rows.iter().collect();
    outlets.sort_by(|a, b| b.documents.cmp(&a.documents).then_with(|| a.outlet.cmp(&b.outlet)));
    outlets.truncate(MAX_BARS);
    let max = outlets.iter().map(|r| r.technique_rates.values().sum::<f64>()).fold(0.0, f64::max);
    let (frame, mut svg) = BarFrame::open(max, 180.0, outlets.len(), "Techniques per outlet, spans per 1,000 words");
    let (left, bar, x) = (frame.left, BAR, |v: f64| frame.x(v));
    for (i, row) in outlets.iter().enumerate() {
        let y = frame.y(i);
        let outlet = name(row.outlet.as_deref());
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + bar * 0.75,
            esc(&truncate(outlet, 26))
        );
        let mut at = 0.0;
        for (label, rate) in &row.technique_rates {
            if *rate <= 0.0 {
                continue;
            }
            let _ = write!(
                svg,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bar}\" fill=\"{}\"><title>{}: {} — {} per 1,000 words</title></rect>",
                x(at),
                x(at + rate) - x(at),
                technique_colour(label),
                esc(outlet),
                esc(label),
                num(*rate)
            );
            at += rate;
        }
        let _ = write!(svg, "<text x=\"{:.1}\" y=\"{}\">{}</text>", x(at) + 4.0, y + bar * 0.75, num(at));
    }
    svg.push_str("</svg>\n");
    let used: Vec<(String, &str)> = Technique::ALL
        .iter()
        .filter(|t| outlets.iter().any(|r| r.technique_rates.get(t.label()).is_some_and(|v| *v > 0.0)))
        .map(|t| (t.label().to_owned(), technique_colour(t.label())))
        .collect();
    format!("<h2>Techniques per outlet</h2>\n{}{svg}", legend(&used))
}

/// Each rated outlet as a dot: its rate across, its factuality rating down.
fn factuality_scatter(rows: &[Row]) -> String {
    const LEVELS: [&str; 3] = ["high", "mixed", "low"];
    let rated: Vec<&Row> = rows
        .iter()
        .filter(|r| r.factuality.as_deref().is_some_and(|f| LEVELS.contains(&f)))
        .collect();
    if rated.is_empty() {
        return "<h2>Factuality against technique rate</h2>\n<p>None of these outlets is in the shipped ratings.</p>\n"
            .into();
    }
    let max = rated.iter().map(|r| r.spans_per_1k_words).fold(0.0, f64::max);
    let ticks = ticks(max);
    let top = *ticks.last().unwrap_or(&1.0);
    let (left, right, band, upper) = (120.0, 30.0, 50.0, 30.0);
    let height = upper + band * LEVELS.len() as f64 + 30.0;
    let x = |v: f64| left + (WIDTH - left - right) * v / top;
    let mut svg = svg_open(height, "Outlet factuality against technique rate");
    axis_x(&mut svg, &ticks, x, upper - 6.0, height - 30.0);
    for (i, level) in LEVELS.iter().enumerate() {
        let y = upper + band * (i as f64 + 0.5);
        let _ = write!(svg, "<text x=\"{}\" y=\"{y:.1}\" text-anchor=\"end\">{level} factuality</text>", left - 8.0);
        for (k, row) in rated.iter().filter(|r| r.factuality.as_deref() == Some(level)).enumerate() {
            // Dots of one band are spread a little up and down so that equal rates stay visible.
            let dy = ((k % 5) as f64 - 2.0) * 5.0;
            let _ = write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"#4e79a7\" fill-opacity=\"0.7\"><title>{}: {} spans per 1,000 words, {} documents, bias {}</title></circle>",
                x(row.spans_per_1k_words),
                y + dy,
                esc(name(row.outlet.as_deref())),
                num(row.spans_per_1k_words),
                row.documents,
                esc(row.bias.as_deref().unwrap_or("unrated"))
            );
        }
    }
    let _ = writeln!(
        svg,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">spans per 1,000 words</text></svg>",
        x(top / 2.0),
        height - 4.0
    );
    format!(
        "<h2>Factuality against technique rate</h2>\n<p class=\"about\">{} of {} outlets are rated (Media Bias/Fact Check, as shipped).</p>\n{svg}",
        rated.len(),
        rows.len()
    )
}

/// One bar per technique.
fn technique_bars(rows: &[Row]) -> String {
    let max = rows.iter().map(|r| r.spans_per_1k_words).fold(0.0, f64::max);
    let shown = &rows[..rows.len().min(MAX_BARS)];
    let (frame, mut svg) = BarFrame::open(max, 260.0, shown.len(), "Spans per 1,000 words by technique");
    let (left, bar, x) = (frame.left, BAR, |v: f64| frame.x(v));
    for (i, row) in shown.iter().enumerate() {
        let y = frame.y(i);
        let label = name(row.technique.as_deref());
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{left}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bar}\" fill=\"{}\"><title>{}: {} per 1,000 words in {} documents</title></rect>\
             <text x=\"{:.1}\" y=\"{}\">{}</text>",
            left - 6.0,
            y + bar * 0.75,
            esc(label),
            x(row.spans_per_1k_words) - left,
            technique_colour(label),
            esc(label),
            num(row.spans_per_1k_words),
            row.documents,
            x(row.spans_per_1k_words) + 4.0,
            y + bar * 0.75,
            num(row.spans_per_1k_words)
        );
    }
    svg.push_str("</svg>\n");
    format!("<h2>Techniques</h2>\n{svg}")
}

/// Overall rate per month, and the rates of the five techniques with most spans.
fn month_lines(rows: &[Row]) -> String {
    let dated: Vec<&Row> = rows.iter().filter(|r| r.month.is_some()).collect();
    if dated.len() < 2 {
        return "<h2>By month</h2>\n<p>Too few dated months for a chart: see the table.</p>\n".into();
    }
    let months: Vec<String> = dated.iter().map(|r| r.month.clone().unwrap_or_default()).collect();
    let mut totals: BTreeMap<&str, f64> = BTreeMap::new();
    for r in &dated {
        for (t, v) in &r.technique_rates {
            *totals.entry(t.as_str()).or_default() += v * r.words as f64;
        }
    }
    let mut top: Vec<(&str, f64)> = totals.into_iter().filter(|(_, v)| *v > 0.0).collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1));
    top.truncate(5);
    let mut series = vec![("all techniques".to_owned(), "#222", dated.iter().map(|r| Some(r.spans_per_1k_words)).collect())];
    for (t, _) in &top {
        series.push((
            t.to_string(),
            technique_colour(t),
            dated.iter().map(|r| r.technique_rates.get(*t).copied()).collect(),
        ));
    }
    let items: Vec<(String, &str)> = series.iter().map(|(n, c, _)| (n.clone(), *c)).collect();
    format!(
        "<h2>Spans per 1,000 words by month</h2>\n{}{}",
        legend(&items),
        lines(&months, &series, "Spans per 1,000 words by month")
    )
}

/// One line per outlet (those with most documents) of its rate per month.
fn outlet_lines(rows: &[Row]) -> String {
    let mut months: Vec<String> = rows.iter().filter_map(|r| r.month.clone()).collect();
    months.sort();
    months.dedup();
    if months.len() < 2 {
        return "<h2>Outlets by month</h2>\n<p>Too few dated months for a chart: see the table.</p>\n".into();
    }
    // Per outlet: its documents, and its rate in each month.
    type PerMonth<'a> = (u64, BTreeMap<&'a str, f64>);
    let mut by_outlet: BTreeMap<&str, PerMonth> = BTreeMap::new();
    for r in rows {
        let e = by_outlet.entry(name(r.outlet.as_deref())).or_default();
        e.0 += r.documents;
        if let Some(m) = &r.month {
            e.1.insert(m.as_str(), r.spans_per_1k_words);
        }
    }
    let mut outlets: Vec<(&str, PerMonth)> = by_outlet.into_iter().collect();
    outlets.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(b.0)));
    let more = outlets.len().saturating_sub(MAX_LINES);
    outlets.truncate(MAX_LINES);
    let series: Vec<(String, &str, Vec<Option<f64>>)> = outlets
        .iter()
        .enumerate()
        .map(|(i, (o, (_, per)))| {
            (o.to_string(), PALETTE[i % PALETTE.len()], months.iter().map(|m| per.get(m.as_str()).copied()).collect())
        })
        .collect();
    let items: Vec<(String, &str)> = series.iter().map(|(n, c, _)| (n.clone(), *c)).collect();
    let note = if more > 0 {
        format!("<p class=\"about\">The {MAX_LINES} outlets with most documents; {more} more are in the table.</p>\n")
    } else {
        String::new()
    };
    format!(
        "<h2>Spans per 1,000 words by outlet and month</h2>\n{note}{}{}",
        legend(&items),
        lines(&months, &series, "Spans per 1,000 words by outlet and month")
    )
}

/// A line chart: `x` labels in order, each series a value (or a gap) per label.
fn lines(x_labels: &[String], series: &[(String, &str, Vec<Option<f64>>)], title: &str) -> String {
    let max = series.iter().flat_map(|s| s.2.iter().flatten()).copied().fold(0.0, f64::max);
    let ticks = ticks(max);
    let top = *ticks.last().unwrap_or(&1.0);
    let (left, right, upper, lower, height) = (50.0, 40.0, 15.0, 40.0, 300.0);
    let n = x_labels.len().max(2) as f64 - 1.0;
    let x = |i: usize| left + (WIDTH - left - right) * i as f64 / n;
    let y = |v: f64| height - lower - (height - lower - upper) * v / top;
    let mut svg = svg_open(height, title);
    for t in &ticks {
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#e5e5e5\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            WIDTH - right,
            y(*t),
            y(*t),
            left - 6.0,
            y(*t) + 4.0,
            num(*t)
        );
    }
    // Month labels, thinned to about twelve.
    let every = x_labels.len().div_ceil(12).max(1);
    for (i, label) in x_labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x(i),
            height - lower + 18.0,
            esc(label)
        );
    }
    for (label, colour, values) in series {
        // A gap in the values breaks the line.
        let mut path = String::new();
        let mut pen_down = false;
        for (i, v) in values.iter().enumerate() {
            match v {
                Some(v) => {
                    let _ = write!(path, "{}{:.1},{:.1} ", if pen_down { "L" } else { "M" }, x(i), y(*v));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = write!(svg, "<path d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>", path.trim_end());
        for (i, v) in values.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    svg,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"><title>{}, {}: {}</title></circle>",
                    x(i),
                    y(*v),
                    esc(label),
                    esc(&x_labels[i]),
                    num(*v)
                );
            }
        }
    }
    svg.push_str("</svg>\n");
    svg
}

fn svg_open(height: f64, title: &str) -> String {
    format!(
        "<svg viewBox=\"0 0 {WIDTH} {height:.0}\" width=\"{WIDTH}\" height=\"{height:.0}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(title)
    )
}

/// Vertical grid lines with their values along the top.
fn axis_x(svg: &mut String, ticks: &[f64], x: impl Fn(f64) -> f64, top: f64, bottom: f64) {
    for t in ticks {
        let _ = write!(
            svg,
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{top}\" y2=\"{bottom:.1}\" stroke=\"#e5e5e5\"/><text x=\"{0:.1}\" y=\"{1}\" text-anchor=\"middle\">{2}</text>",
            x(*t),
            top - 6.0,
            num(*t)
        );
    }
}

fn truncate(s: &str, chars: usize) -> String {
    if s.chars().count() <= chars {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(chars - 1).collect::<String>())
    }
}

/// Every row and measure.
fn table(by: GroupBy, rows: &[Row]) -> String {
    let pct = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |x| format!("{:.1}%", x * 100.0));
    let keys: &[&str] = match by {
        GroupBy::Outlet => &["outlet"],
        GroupBy::Month => &["month"],
        GroupBy::OutletMonth => &["outlet", "month"],
        GroupBy::Technique => &["technique"],
    };
    let rated = matches!(by, GroupBy::Outlet | GroupBy::OutletMonth);
    let mut out = String::from("<h2>All rows</h2>\n<div class=\"wide\"><table>\n<thead><tr>");
    for k in keys {
        let _ = write!(out, "<th>{k}</th>");
    }
    for h in ["documents", "words", "spans", "spans / 1k words", "sentences in spans", "claims", "unattributed", "subjective"] {
        let _ = write!(out, "<th>{h}</th>");
    }
    if rated {
        out.push_str("<th>factuality</th><th>bias</th><th>state media</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for k in keys {
            let v = match *k {
                "outlet" => row.outlet.as_deref(),
                "month" => row.month.as_deref(),
                _ => row.technique.as_deref(),
            };
            let _ = write!(out, "<td>{}</td>", esc(name(v)));
        }
        let _ = write!(
            out,
            "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.2}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            row.documents,
            row.words,
            row.spans,
            row.spans_per_1k_words,
            pct(Some(row.sentence_share)),
            row.claims,
            pct(row.unattributed_share),
            pct(row.subjective_share)
        );
        if rated {
            for v in [&row.factuality, &row.bias, &row.state_media] {
                let _ = write!(out, "<td>{}</td>", esc(v.as_deref().unwrap_or("–")));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(outlet: &str, month: Option<&str>, rates: &[(&str, f64)], words: u64) -> Row {
        let technique_rates: BTreeMap<String, f64> = rates.iter().map(|(t, v)| (t.to_string(), *v)).collect();
        Row {
            outlet: Some(outlet.to_owned()),
            month: month.map(str::to_owned),
            technique: None,
            documents: 3,
            words,
            sentences: 10,
            spans: 4,
            spans_per_1k_words: technique_rates.values().sum(),
            technique_rates,
            sentence_share: 0.25,
            claims: 2,
            unattributed: 1,
            unattributed_share: Some(0.5),
            subjective_share: None,
            factuality: Some("mixed".into()),
            bias: Some("right".into()),
            state_media: None,
        }
    }

    #[test]
    fn outlet_reports_draw_a_segment_per_technique_and_escape_names() {
        let rows = vec![
            row("a<script>.example", None, &[("Loaded_Language", 4.0), ("Doubt", 1.5)], 1000),
            row("b.example", None, &[("Loaded_Language", 2.0)], 2000),
        ];
        let html = report(GroupBy::Outlet, &rows, "Outlets & techniques", "db: x.sqlite");
        assert!(!html.contains("<script"), "names are escaped");
        assert!(html.contains("a&lt;script&gt;.example"));
        assert!(html.contains("Outlets &amp; techniques"));
        // Three non-zero segments, each with its tooltip.
        assert_eq!(html.matches("per 1,000 words</title></rect>").count(), 3);
        assert!(html.contains("Loaded_Language — 4.00 per 1,000 words"));
        // Both outlets are rated "mixed": two dots.
        assert_eq!(html.matches("<circle").count(), 2);
        assert!(html.contains("<td>mixed</td><td>right</td><td>–</td>"));
        assert!(!html.contains("http://") || html.matches("http://").count() == html.matches("xmlns=").count(), "nothing loaded from elsewhere");
    }

    #[test]
    fn month_reports_draw_lines_with_gaps_where_a_month_has_no_value() {
        let rows = vec![
            row("x", Some("2026-01"), &[("Doubt", 1.0)], 1000),
            row("x", Some("2026-02"), &[("Doubt", 2.0), ("Slogans", 1.0)], 1000),
            row("x", Some("2026-03"), &[("Doubt", 4.0)], 1000),
        ];
        let html = report(GroupBy::Month, &rows, "t", "d");
        // All techniques, Doubt and Slogans: three series.
        assert_eq!(html.matches("<path").count(), 3);
        // Slogans has one month only: one point, no line segment.
        assert!(html.contains("Slogans, 2026-02: 1.00"));
        assert!(!html.contains("Slogans, 2026-01"));
        assert!(html.contains(">2026-03</text>"));
    }

    #[test]
    fn empty_results_say_so() {
        let html = report(GroupBy::Technique, &[], "t", "d");
        assert!(html.contains("No documents match."));
        assert!(!html.contains("<svg"));
    }

    #[test]
    fn axis_ticks_are_round_and_cover_the_maximum() {
        assert_eq!(ticks(7.3), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(ticks(0.0), vec![0.0, 1.0]);
        let t = ticks(123.0);
        assert!(*t.last().unwrap() >= 123.0 && t.len() <= 7, "{t:?}");
    }
}
