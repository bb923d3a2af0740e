//! Files a scenario points to beyond replay times: nodes from a CSV file or an SWF header,
//! and the `[trace]`, read once here so that a broken file is reported at load with its line.

use super::{Checker, Seg};
use crate::scenario::{Bytes, HeaderCluster, NodeSpec, Scenario};
use crate::workload::feed;
use crate::workload::trace::{nodes, swf, Format};

/// Memory of a node defined by an SWF header, which records none: large enough that memory
/// never limits a job (SWF jobs' memory is usually unknown).
const HEADER_NODE_MEMORY: u64 = 1 << 50;

/// Adds the nodes of `[cluster.nodes_csv]` and of an SWF header, checks `[trace]`, reads it,
/// and fills in `duration` from it when the file leaves it out.
pub(super) fn resolve(c: &mut Checker<'_>, s: &mut Scenario) {
    use Seg::Key as K;
    if let Some(spec) = s.cluster.nodes_csv.clone() {
        match nodes::read_nodes(&s.base_dir.join(&spec.path), &spec.columns) {
            Ok(rows) => {
                for (i, row) in rows.into_iter().enumerate() {
                    let name = row.name.unwrap_or_else(|| format!("node{}", i + 1));
                    let memory = Bytes(row.memory.round() as u64);
                    let speed = row.speed.unwrap_or(1.0);
                    s.cluster
                        .nodes
                        .push(node_kind(name, row.count, row.cpu, memory, speed, row.pool));
                }
            }
            Err(e) => c.bad(
                &[K("cluster"), K("nodes_csv"), K("path")],
                "cluster.nodes_csv".into(),
                e.to_string(),
            ),
        }
    }
    let Some(t) = s.trace.clone() else {
        if s.duration.is_nan() {
            c.bad(&[], "duration".into(), "missing key `duration` (simulated seconds of arrivals)");
        }
        return;
    };
    let at = |k| [K("trace"), K(k)];
    let before = c.problems.len();
    c.positive(
        &at("time_scale"),
        "trace.time_scale",
        t.time_scale,
        " (simulated seconds per trace second)",
    );
    c.positive(&at("load_scale"), "trace.load_scale", t.load_scale, " (load multiplier)");
    if let Some(w) = t.window {
        if !(w.start.is_finite() && w.end.is_finite() && w.start < w.end) {
            c.bad(
                &at("window"),
                "trace.window".into(),
                format!(
                    "start must be before end (trace seconds), got start = {} and end = {}",
                    w.start, w.end
                ),
            );
        }
    }
    let needs = |c: &mut Checker<'_>,
                 key: &'static str,
                 present: bool,
                 wanted: bool,
                 what: &str| {
        if present && !wanted {
            c.bad(&at(key), format!("trace.{key}"), format!("is only used by {what}; remove it"));
        }
    };
    needs(
        c,
        "node_memory",
        t.node_memory.is_some(),
        t.format == Format::Alibaba2018,
        "format = \"alibaba-2018\"",
    );
    needs(c, "columns", t.columns.is_some(), t.format == Format::Csv, "format = \"csv\"");
    needs(
        c,
        "arrival",
        t.arrival.is_some(),
        t.format == Format::Wfcommons,
        "format = \"wfcommons\"",
    );
    needs(c, "cluster", t.cluster.is_some(), t.format == Format::Swf, "format = \"swf\"");
    if t.format == Format::Alibaba2018 && t.node_memory.is_none_or(|m| m.0 == 0) {
        c.bad(
            &at("format"),
            "trace.node_memory".into(),
            "alibaba-2018 gives memory as a percentage of a machine's: set node_memory, e.g. \"64GiB\"",
        );
    }
    if t.format == Format::Csv && t.columns.is_none() {
        c.bad(
            &at("format"),
            "trace.columns".into(),
            "a csv trace needs a [trace.columns] table naming at least the arrival, duration (or start and end) and cpu columns",
        );
    }
    if t.arrival.is_some() {
        // One workflow, repeated: its instances' rate is the arrival process's.
        if t.window.is_some() {
            c.bad(&at("window"), "trace.window".into(), "a window selects recorded arrivals; with [trace].arrival the instances arrive by that process: remove window");
        }
        if t.load_scale != 1.0 {
            c.bad(&at("load_scale"), "trace.load_scale".into(), "with [trace].arrival, scale the load through the arrival process's rate instead: remove load_scale");
        }
    }
    if t.arrival.is_some() && s.duration.is_nan() {
        c.bad(
            &[],
            "duration".into(),
            "missing key `duration`: with [trace].arrival the instances arrive until duration",
        );
    }
    let path = s.base_dir.join(&t.path);
    if let (Some(kind), Format::Swf) = (t.cluster, t.format) {
        match swf::swf_header(&path) {
            Ok(h) => {
                let procs = h.max_procs.unwrap_or(0);
                let (count, cpu) = match (kind, h.max_nodes) {
                    (HeaderCluster::Nodes, Some(n)) if n > 0 => (n, procs as f64 / n as f64),
                    (HeaderCluster::Nodes, _) => (0, 0.0),
                    (HeaderCluster::OneNode, _) => (1, procs as f64),
                };
                if procs == 0 || count == 0 {
                    c.bad(
                        &at("cluster"),
                        "trace.cluster".into(),
                        format!(
                            "{} has no {} header line to define the cluster from: define [[cluster.nodes]] instead",
                            path.display(),
                            if procs == 0 { "MaxProcs" } else { "MaxNodes" }
                        ),
                    );
                } else {
                    let memory = Bytes(HEADER_NODE_MEMORY);
                    let kind =
                        node_kind("swf".into(), count as u32, cpu, memory, 1.0, t.pool.clone());
                    s.cluster.nodes.push(kind);
                }
            }
            Err(e) => c.bad(&at("path"), "trace.path".into(), e.to_string()),
        }
    }
    if c.problems.len() > before {
        return;
    }
    match feed::scan(
        t.format,
        &path,
        &t.import_options(),
        t.window,
        t.time_scale,
        t.load_scale,
        s.duration,
    ) {
        Ok(scan) if scan.jobs == 0 && t.arrival.is_none() => c.bad(
            &at("path"),
            "trace.path".into(),
            format!(
                "{} has no job{}",
                path.display(),
                if t.window.is_some() { " in the window" } else { "" }
            ),
        ),
        Ok(scan) => {
            for class in scan.classes.iter().filter(|&c| s.workflows.iter().any(|w| &w.name == c)) {
                c.bad(
                    &at("path"),
                    "trace.path".into(),
                    format!(
                        "the trace's jobs carry the class `{class}`, which a [[workflows]] class \
                         is also named: rename that workflow class"
                    ),
                );
            }
            if s.duration.is_nan() {
                // One second past the last arrival (arrivals at or after `duration` are
                // dropped), and past it however large the times.
                s.duration = (scan.last + 1.0).max(scan.last.next_up());
            }
            if let Some(spec) = s.trace.as_mut() {
                spec.scan = Some(scan);
            }
        }
        Err(e) => c.bad(&at("path"), "trace.path".into(), e.to_string()),
    }
}

/// A node kind read from a file: no weight of its own, labels, failures or outages.
fn node_kind(
    name: String,
    count: u32,
    cpu: f64,
    memory: Bytes,
    speed: f64,
    pool: Option<String>,
) -> NodeSpec {
    NodeSpec {
        name,
        count,
        cpu,
        memory,
        speed,
        pool,
        weight: None,
        labels: Default::default(),
        failures: None,
        outages: Vec::new(),
    }
}
