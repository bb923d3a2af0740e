//! `report.html` (one self-contained page: inline CSS and SVG, no script, nothing fetched) and
//! `report.md` (the same tables in Markdown, charts linked from `plots/`).
//!
//! Both are pure functions of an experiment folder and its figures. "Best" follows each
//! metric's direction ([`Better`]): lowest mean latency, p99, rejection rate and weighted
//! load, highest throughput; whether it differs from the baseline is read from the paired
//! differences, never from overlapping intervals.

use std::fmt::Write as _;

use serde_json::Value;

use super::charts::{Better, MetricInfo, HEADLINE_INFO};
use super::figures::{scenario_name, Figure};
use super::results::{AggregateRow, Experiment, PairedRow};
use crate::model::Model;
use crate::scenario::Scenario;

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
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

/// Four significant digits; `–` for a missing value.
pub fn fmt(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 8) as usize;
    format!("{x:.digits$}")
}

fn estimate(a: Option<&AggregateRow>) -> String {
    match a {
        None => "–".into(),
        Some(a) if a.ci_low.is_finite() && a.ci_high.is_finite() => {
            format!("{} [{}, {}]", fmt(a.mean), fmt(a.ci_low), fmt(a.ci_high))
        }
        Some(a) => fmt(a.mean),
    }
}

/// How a significant difference reads for this metric.
fn verdict(m: &MetricInfo, p: &PairedRow) -> &'static str {
    match (p.significant, m.better, p.mean_diff < 0.0) {
        (false, _, _) => "",
        (true, Better::Lower, true) | (true, Better::Higher, false) => "better",
        (true, _, _) => "worse",
    }
}

/// The policy with the best mean of `m` at `point`.
fn best<'a>(e: &'a Experiment, point: &[String], m: &MetricInfo) -> Option<&'a AggregateRow> {
    let rows = e
        .aggregates
        .iter()
        .filter(|a| a.point == point && a.metric == m.name && a.mean.is_finite());
    match m.better {
        Better::Lower => rows.min_by(|a, b| a.mean.total_cmp(&b.mean)),
        Better::Higher => rows.max_by(|a, b| a.mean.total_cmp(&b.mean)),
    }
}

fn point_label(e: &Experiment, point: &[String]) -> String {
    e.manifest
        .layout
        .vary
        .iter()
        .zip(point)
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn paired_row<'a>(
    e: &'a Experiment,
    point: &[String],
    policy: &str,
    metric: &str,
) -> Option<&'a PairedRow> {
    e.paired.iter().find(|p| p.point == point && p.policy == policy && p.metric == metric)
}

/// One line on the best policy for `m` at `point`.
fn best_sentence(e: &Experiment, point: &[String], m: &MetricInfo) -> (String, String) {
    let Some(b) = best(e, point, m) else {
        return (m.label.to_string(), "no value".into());
    };
    let baseline = e.manifest.layout.policies.first().cloned().unwrap_or_default();
    let against = if b.policy == baseline {
        "the baseline".to_string()
    } else {
        match paired_row(e, point, &b.policy, m.name) {
            Some(p) if p.significant => {
                format!(
                    "significantly {} than {baseline} (paired 95 % CI excludes 0)",
                    verdict(m, p)
                )
            }
            Some(_) => format!("not significantly different from {baseline}"),
            None => String::new(),
        }
    };
    (m.label.to_string(), format!("{} — {} ({against})", b.policy, fmt(b.mean)))
}

/// A titled table: (heading, column names, rows).
type Table = (&'static str, Vec<&'static str>, Vec<Vec<String>>);

/// Cells to highlight: (row, column, CSS class).
type Marks = Vec<(usize, usize, &'static str)>;

/// The scenario summary's tables, from the resolved scenario in the manifest.
fn scenario_tables(scenario: &Value) -> Vec<Table> {
    let text = |v: Option<&Value>| match v {
        None | Some(Value::Null) => "–".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    let list = |v: Option<&Value>| v.and_then(Value::as_array).cloned().unwrap_or_default();
    let nodes: Vec<Vec<String>> = list(scenario.pointer("/cluster/nodes"))
        .iter()
        .map(|n| {
            vec![
                text(n.get("name")),
                n.get("count").map_or("1".into(), |c| c.to_string()),
                text(n.get("cpu")),
                text(n.get("memory")),
                text(n.get("speed")),
                text(n.get("pool")),
            ]
        })
        .collect();
    let workflows: Vec<Vec<String>> = list(scenario.get("workflows"))
        .iter()
        .map(|w| {
            let arrival = w.get("arrival").and_then(Value::as_object).map_or("–".into(), |a| {
                let kind = text(a.get("kind"));
                let params: Vec<String> = a
                    .iter()
                    .filter(|(k, _)| *k != "kind")
                    .map(|(k, v)| format!("{k} = {}", text(Some(v))))
                    .collect();
                format!("{kind} ({})", params.join(", "))
            });
            let tasks: Vec<String> =
                list(w.get("tasks")).iter().map(|t| text(t.get("name"))).collect();
            vec![
                text(w.get("name")),
                arrival,
                tasks.join(" → "),
                text(w.get("priority")),
                text(w.get("deadline")),
            ]
        })
        .collect();
    let mut tables = vec![
        ("Cluster", vec!["nodes", "count", "cpu (cores)", "memory", "speed", "pool"], nodes),
        (
            "Workflows",
            vec!["class", "arrivals (per s)", "tasks", "priority", "deadline (s)"],
            workflows,
        ),
    ];
    let offered = serde_json::from_value::<Scenario>(scenario.clone())
        .ok()
        .and_then(|s| Model::new(&s).ok().map(|m| m.offered_load(s.duration)));
    let rows = match offered {
        Some(loads) => loads.into_iter().map(|(g, x)| vec![g, fmt(x)]).collect(),
        None => vec![vec!["–".into(), "not computable from the manifest".into()]],
    };
    tables.push((
        "Offered load (mean demand / capacity; above 1 cannot keep up)",
        vec!["group", "offered load"],
        rows,
    ));
    tables
}

fn settings(e: &Experiment) -> Vec<(String, String)> {
    let s = &e.manifest.scenario;
    let l = &e.manifest.layout;
    let get = |k: &str| s.get(k).map_or("–".into(), |v| v.to_string());
    let seeds = match (e.manifest.seeds.first(), e.manifest.seeds.last()) {
        (Some(a), Some(b)) if a != b => format!("{a} … {b}"),
        (Some(a), _) => a.to_string(),
        _ => "–".into(),
    };
    let mut rows = vec![
        ("duration (s)".into(), get("duration")),
        ("warmup (s)".into(), e.manifest.warmup.to_string()),
        ("drain".into(), get("drain")),
        (
            "dispatch mode".into(),
            s.pointer("/cluster/mode").map_or("–".into(), |v| v.to_string().replace('"', "")),
        ),
        ("replications per policy and point".into(), l.replications.to_string()),
        ("seeds (common random numbers)".into(), seeds),
        ("baseline policy".into(), l.policies.first().cloned().unwrap_or_default()),
    ];
    if !l.vary.is_empty() {
        rows.push(("varied".into(), l.vary.join(", ")));
        rows.push(("points".into(), l.points.len().to_string()));
    }
    rows
}

const CSS: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif;
  margin: 0; color: #1a1a1a; background: #fff; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 2px solid #0072b2; padding-bottom: 0.2rem; margin-top: 2.2rem; }
nav a { margin-right: 1rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1.2rem; font-size: 0.92rem;
  display: block; overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.best { font-weight: bold; background: #e8f3fa; }
.sig { font-weight: bold; }
.note { color: #555; font-size: 0.9rem; }
figure { margin: 1.2rem 0 2rem; }
figure svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.9rem; color: #333; margin-top: 0.3rem; }
pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.8rem; }
";

/// The self-contained HTML report of an experiment with its figures (SVG, inlined).
pub fn report_html(e: &Experiment, figures: &[Figure], notes: &[String]) -> String {
    let l = &e.manifest.layout;
    let name = scenario_name(e);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>schedsim report: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        escape(&name)
    );
    let _ = writeln!(h, "<h1>schedsim report: {}</h1>", escape(&name));
    if let Some(d) = e.manifest.scenario.get("description").and_then(Value::as_str) {
        if !d.is_empty() {
            let _ = writeln!(h, "<p>{}</p>", escape(d));
        }
    }
    let _ = writeln!(
        h,
        "<p class=\"note\">schedsim {} · scenario <code>{}</code> · finished {}</p>",
        escape(&e.manifest.schedsim_version),
        escape(&e.manifest.scenario_path.display().to_string()),
        escape(&e.manifest.finished)
    );
    h.push_str(
        "<nav><a href=\"#scenario\">Scenario</a><a href=\"#comparison\">Comparison</a>\
         <a href=\"#paired\">Paired differences</a><a href=\"#best\">Best policy</a>\
         <a href=\"#charts\">Charts</a><a href=\"#manifest\">Manifest</a></nav>\n",
    );

    h.push_str("<section id=\"scenario\">\n<h2>Scenario</h2>\n<table>\n");
    for (k, v) in settings(e) {
        let _ = writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", escape(&k), escape(&v));
    }
    h.push_str("</table>\n");
    for (title, header, rows) in scenario_tables(&e.manifest.scenario) {
        let _ = writeln!(h, "<h3>{}</h3>", escape(title));
        html_table(&mut h, &header.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &rows, &[]);
    }
    h.push_str("<h3>Policies</h3>\n");
    let rows: Vec<Vec<String>> =
        e.manifest.policy_sets.iter().map(|(n, d)| vec![n.clone(), d.clone()]).collect();
    html_table(&mut h, &["policy".into(), "definition".into()], &rows, &[]);
    h.push_str("</section>\n");

    h.push_str(
        "<section id=\"comparison\">\n<h2>Policy comparison</h2>\n<p class=\"note\">Mean over \
         the replications [95 % Student-t confidence interval]. Bold: the best mean of the \
         column.</p>\n",
    );
    let header: Vec<String> = std::iter::once("policy".to_string())
        .chain(HEADLINE_INFO.iter().map(|m| format!("{} ({})", m.label, m.unit)))
        .collect();
    for point in &l.points {
        if !l.vary.is_empty() {
            let _ = writeln!(h, "<h3>{}</h3>", escape(&point_label(e, point)));
        }
        let mut rows = Vec::new();
        let mut marked = Vec::new();
        for (r, policy) in l.policies.iter().enumerate() {
            let mut row = vec![policy.clone()];
            for (c, m) in HEADLINE_INFO.iter().enumerate() {
                row.push(estimate(e.aggregate(point, policy, m.name)));
                if best(e, point, m).is_some_and(|b| &b.policy == policy) {
                    marked.push((r, c + 1, "best"));
                }
            }
            rows.push(row);
        }
        html_table(&mut h, &header, &rows, &marked);
    }
    h.push_str("</section>\n");

    let _ = writeln!(
        h,
        "<section id=\"paired\">\n<h2>Paired differences</h2>\n<p class=\"note\">Policy − \
         baseline (<code>{}</code>), replication by replication under the same seeds (common \
         random numbers): mean [95 % interval]. ★ marks a significant difference (the \
         interval excludes 0), with whether it is better or worse.</p>",
        escape(l.policies.first().map_or("", String::as_str))
    );
    for point in &l.points {
        if !l.vary.is_empty() {
            let _ = writeln!(h, "<h3>{}</h3>", escape(&point_label(e, point)));
        }
        let (rows, marked) = paired_rows(e, point);
        if rows.is_empty() {
            h.push_str("<p>Only one policy: nothing to compare.</p>\n");
        } else {
            html_table(&mut h, &header, &rows, &marked);
        }
    }
    h.push_str("</section>\n");

    h.push_str("<section id=\"best\">\n<h2>Best policy per metric</h2>\n");
    for point in &l.points {
        if !l.vary.is_empty() {
            let _ = writeln!(h, "<h3>{}</h3>", escape(&point_label(e, point)));
        }
        h.push_str("<ul>\n");
        for m in &HEADLINE_INFO {
            let (label, text) = best_sentence(e, point, m);
            let _ = writeln!(h, "<li><strong>{}</strong>: {}</li>", escape(&label), escape(&text));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");

    h.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
    for note in notes {
        let _ = writeln!(h, "<p class=\"note\">{}</p>", escape(note));
    }
    for f in figures {
        let svg = String::from_utf8_lossy(&f.chart.picture);
        let svg = svg.trim_start_matches(|c| c != '<');
        let svg = match svg.find("<svg") {
            Some(i) => &svg[i..],
            None => svg,
        };
        // Inline SVG in HTML needs no namespace declaration; leaving it out keeps the page
        // free of any URL at all.
        let svg = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
        let _ = writeln!(
            h,
            "<figure id=\"fig-{}\">\n{svg}\n<figcaption><strong>{}</strong>. {} Data: \
             <code>plots/{}.csv</code>.</figcaption>\n</figure>",
            escape(&f.stem),
            escape(&f.title),
            escape(&f.caption),
            escape(&f.stem)
        );
    }
    h.push_str("</section>\n");

    let manifest = serde_json::to_string_pretty(&e.manifest).unwrap_or_default();
    let _ = writeln!(
        h,
        "<section id=\"manifest\">\n<h2>Reproducibility manifest</h2>\n<p class=\"note\">The \
         command, the scenario's SHA-256 and the resolved scenario: the same command on the \
         same schedsim version reproduces every number.</p>\n<pre>{}</pre>\n</section>",
        escape(&manifest)
    );
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// The paired-difference table of `point`: rows and the cells to mark.
fn paired_rows(e: &Experiment, point: &[String]) -> (Vec<Vec<String>>, Marks) {
    let mut rows = Vec::new();
    let mut marked = Vec::new();
    for (r, policy) in e.manifest.layout.policies.iter().skip(1).enumerate() {
        let mut row = vec![format!("{policy} − {}", e.manifest.layout.policies[0])];
        for (c, m) in HEADLINE_INFO.iter().enumerate() {
            row.push(match paired_row(e, point, policy, m.name) {
                None => "–".into(),
                Some(p) => {
                    let v = verdict(m, p);
                    if !v.is_empty() {
                        marked.push((r, c + 1, "sig"));
                    }
                    let ci = if p.ci_low.is_finite() {
                        format!(" [{}, {}]", fmt(p.ci_low), fmt(p.ci_high))
                    } else {
                        String::new()
                    };
                    let star = if v.is_empty() { String::new() } else { format!(" ★ {v}") };
                    format!("{}{ci}{star}", fmt(p.mean_diff))
                }
            });
        }
        rows.push(row);
    }
    (rows, marked)
}

/// A table; `marked` lists (row, column, CSS class) cells.
fn html_table(
    h: &mut String,
    header: &[String],
    rows: &[Vec<String>],
    marked: &[(usize, usize, &str)],
) {
    h.push_str("<table>\n<thead><tr>");
    for c in header {
        let _ = write!(h, "<th>{}</th>", escape(c));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (r, row) in rows.iter().enumerate() {
        h.push_str("<tr>");
        for (c, cell) in row.iter().enumerate() {
            let class = marked.iter().find(|m| m.0 == r && m.1 == c).map(|m| m.2);
            let num = if c > 0 { "num" } else { "" };
            let classes = [num, class.unwrap_or("")].join(" ");
            let classes = classes.trim();
            if classes.is_empty() {
                let _ = write!(h, "<td>{}</td>", escape(cell));
            } else {
                let _ = write!(h, "<td class=\"{classes}\">{}</td>", escape(cell));
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
}

fn md_cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn md_table(m: &mut String, header: &[String], rows: &[Vec<String>]) {
    let _ =
        writeln!(m, "| {} |", header.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | "));
    let _ = writeln!(m, "|{}", "---|".repeat(header.len()));
    for row in rows {
        let _ =
            writeln!(m, "| {} |", row.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | "));
    }
    m.push('\n');
}

/// The Markdown report: the same tables, the charts linked from `plots/`.
pub fn report_markdown(e: &Experiment, figures: &[Figure], notes: &[String]) -> String {
    let l = &e.manifest.layout;
    let mut m = String::new();
    let _ = writeln!(m, "# schedsim report: {}\n", scenario_name(e));
    if let Some(d) = e.manifest.scenario.get("description").and_then(Value::as_str) {
        if !d.is_empty() {
            let _ = writeln!(m, "{d}\n");
        }
    }
    m.push_str("## Scenario\n\n");
    let rows: Vec<Vec<String>> = settings(e).into_iter().map(|(k, v)| vec![k, v]).collect();
    md_table(&mut m, &["setting".into(), "value".into()], &rows);
    for (title, header, rows) in scenario_tables(&e.manifest.scenario) {
        let _ = writeln!(m, "### {title}\n");
        md_table(&mut m, &header.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &rows);
    }
    m.push_str("### Policies\n\n");
    let rows: Vec<Vec<String>> =
        e.manifest.policy_sets.iter().map(|(n, d)| vec![n.clone(), d.clone()]).collect();
    md_table(&mut m, &["policy".into(), "definition".into()], &rows);

    let header: Vec<String> = std::iter::once("policy".to_string())
        .chain(HEADLINE_INFO.iter().map(|m| format!("{} ({})", m.label, m.unit)))
        .collect();
    m.push_str("## Policy comparison\n\nMean [95 % Student-t interval]; **bold**: best mean.\n\n");
    for point in &l.points {
        if !l.vary.is_empty() {
            let _ = writeln!(m, "### {}\n", point_label(e, point));
        }
        let rows: Vec<Vec<String>> = l
            .policies
            .iter()
            .map(|policy| {
                std::iter::once(policy.clone())
                    .chain(HEADLINE_INFO.iter().map(|mi| {
                        let cell = estimate(e.aggregate(point, policy, mi.name));
                        if best(e, point, mi).is_some_and(|b| &b.policy == policy) {
                            format!("**{cell}**")
                        } else {
                            cell
                        }
                    }))
                    .collect()
            })
            .collect();
        md_table(&mut m, &header, &rows);
    }
    let _ = writeln!(
        m,
        "## Paired differences\n\nPolicy − baseline (`{}`) under the same seeds; ★ = the 95 % \
         interval excludes 0.\n",
        l.policies.first().map_or("", String::as_str)
    );
    for point in &l.points {
        if !l.vary.is_empty() {
            let _ = writeln!(m, "### {}\n", point_label(e, point));
        }
        let (rows, _) = paired_rows(e, point);
        if rows.is_empty() {
            m.push_str("Only one policy: nothing to compare.\n\n");
        } else {
            md_table(&mut m, &header, &rows);
        }
    }
    m.push_str("## Best policy per metric\n\n");
    for point in &l.points {
        if !l.vary.is_empty() {
            let _ = writeln!(m, "### {}\n", point_label(e, point));
        }
        for mi in &HEADLINE_INFO {
            let (label, text) = best_sentence(e, point, mi);
            let _ = writeln!(m, "- **{label}**: {text}");
        }
        m.push('\n');
    }
    m.push_str("## Charts\n\n");
    for note in notes {
        let _ = writeln!(m, "_{note}_\n");
    }
    for f in figures {
        let _ = writeln!(
            m,
            "![{}](plots/{}.svg)\n\n{} Data: [plots/{}.csv](plots/{}.csv).\n",
            f.title, f.stem, f.caption, f.stem, f.stem
        );
    }
    let manifest = serde_json::to_string_pretty(&e.manifest).unwrap_or_default();
    let _ = writeln!(m, "## Reproducibility manifest\n\n```json\n{manifest}\n```");
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }

    #[test]
    fn four_significant_digits() {
        assert_eq!(fmt(0.123456), "0.1235");
        assert_eq!(fmt(12.3456), "12.35");
        assert_eq!(fmt(12345.6), "12346");
        assert_eq!(fmt(0.0), "0");
        assert_eq!(fmt(f64::NAN), "–");
    }
}
