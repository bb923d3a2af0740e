//! The readable summary printed by `schedsim run`.

use std::fmt::Write;

use schedsim::metrics::{StopReason, Summary};
use schedsim::{Model, PolicySet, Scenario};

fn pct(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else {
        format!("{:.2} %", 100.0 * x)
    }
}

fn secs(x: f64) -> String {
    if x.is_nan() {
        "-".into()
    } else if x < 10.0 {
        format!("{x:.4}")
    } else {
        format!("{x:.2}")
    }
}

/// What failures, rollbacks and the load monitor did, for scenarios that have them.
fn orchestration(o: &mut String, model: &Model, s: &Summary) {
    let fails = model.classes.iter().flat_map(|c| &c.tasks).any(|t| t.fail_probability > 0.0);
    let outages = model.node_failures.iter().any(Option::is_some) || !model.outages.is_empty();
    if !(fails || outages || s.rollbacks > 0 || model.monitor.is_some()) {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "attempts  {} started: {} failed ({} retried), {} lost to node failures, {} cancelled; \
         {:.1} CPU-s wasted",
        s.attempts,
        s.task_failures,
        s.retries,
        s.tasks_lost,
        s.tasks_cancelled,
        s.wasted_cpu_seconds
    );
    if s.rollbacks > 0 || fails || model.classes.iter().any(|c| c.abort_on_deadline) {
        let _ = writeln!(
            o,
            "rollback  {} aborted ({} out of retries, {} at the deadline), {} failed; \
             {} compensations ({:.1} CPU-s), rollback latency mean {} p99 {} s",
            s.rollbacks,
            s.aborted_retries,
            s.aborted_deadline,
            s.failed,
            s.compensations,
            s.compensation_cpu_seconds,
            secs(s.rollback_latency_mean),
            secs(s.rollback_latency_p99)
        );
    }
    if outages {
        let _ = writeln!(
            o,
            "nodes     {} failures or outages began, mean availability {:.4}",
            s.node_failures, s.availability
        );
    }
    if model.monitor.is_some() {
        let _ = writeln!(
            o,
            "monitor   {} tasks migrated off overloaded nodes, {} stolen by idle nodes",
            s.migrations, s.steals
        );
    }
}

/// The summary table of one run.
pub fn run_summary(
    scenario: &Scenario,
    model: &Model,
    label: &str,
    policy: &PolicySet,
    seed: u64,
    s: &Summary,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "scenario  {}  (seed {seed})", scenario.name);
    if !scenario.description.is_empty() {
        let _ = writeln!(o, "          {}", scenario.description);
    }
    // With --queue/--placement/--admission the label is the policy set itself.
    if label == policy.to_string() {
        let _ = writeln!(o, "policy    {policy}");
    } else {
        let _ = writeln!(o, "policy    {label}: {policy}");
    }
    let _ = writeln!(
        o,
        "cluster   {} nodes, {} mode{}",
        model.nodes.len(),
        model.mode,
        match schedsim::policy::build_queue(&policy.queue, model.mode).map(|q| q.reservations()) {
            Ok(schedsim::policy::Reservations::Head | schedsim::policy::Reservations::All) => {
                ", backfill with reservations"
            }
            _ if model.backfill => ", backfill",
            _ => ", no backfill",
        }
    );
    let offered: Vec<String> =
        model.offered_load(scenario.duration).iter().map(|(g, x)| format!("{g} {x:.3}")).collect();
    let _ = writeln!(o, "offered   load {} (mean demand / capacity)", offered.join(", "));
    let ended = match s.stop_reason {
        StopReason::Drained => "all work drained",
        StopReason::Duration => "stopped at duration",
        StopReason::Unstable => "UNSTABLE: stopped at the in-flight limit",
        StopReason::TraceUnreadable => "STOPPED: a trace line could not be read",
    };
    let _ = writeln!(
        o,
        "window    {:.1} s .. {:.1} s ({ended}); {} events in {:.3} s",
        scenario.warmup, s.end_time, s.events, s.wall_seconds
    );

    let _ = writeln!(
        o,
        "\n{:<16}{:>10}{:>11}{:>10}{:>8}{:>11}{:>12}",
        "workflows", "arrived", "completed", "rejected", "failed", "in flight", "rejected %"
    );
    let _ = writeln!(
        o,
        "  {:<14}{:>10}{:>11}{:>10}{:>8}{:>11}{:>12}",
        "all",
        s.arrived,
        s.completed,
        s.rejected,
        s.failed,
        s.in_flight,
        pct(s.rejection_rate)
    );
    if s.classes.len() > 1 {
        for c in &s.classes {
            let _ = writeln!(
                o,
                "  {:<14}{:>10}{:>11}{:>10}{:>8}{:>11}{:>12}",
                c.name,
                c.arrived,
                c.completed,
                c.rejected,
                c.failed,
                c.in_flight,
                pct(c.rejection_rate)
            );
        }
    }
    if s.rejected > 0 {
        let r = &s.rejected_by;
        let _ = writeln!(
            o,
            "  rejected by: admission {}, queue full {}, unschedulable {}",
            r.admission, r.queue_full, r.unschedulable
        );
    }

    let _ = writeln!(
        o,
        "\n{:<16}{:>10}{:>10}{:>10}{:>10}{:>10}{:>15}",
        "latency (s)", "mean", "p50", "p95", "p99", "max", "deadline miss"
    );
    let _ = writeln!(
        o,
        "  {:<14}{:>10}{:>10}{:>10}{:>10}{:>10}{:>15}",
        "all",
        secs(s.latency_mean),
        secs(s.latency_p50),
        secs(s.latency_p95),
        secs(s.latency_p99),
        secs(s.latency_max),
        pct(s.deadline_miss_rate)
    );
    if s.classes.len() > 1 {
        for c in &s.classes {
            let _ = writeln!(
                o,
                "  {:<14}{:>10}{:>10}{:>10}{:>10}{:>10}{:>15}",
                c.name,
                secs(c.latency_mean),
                secs(c.latency_p50),
                secs(c.latency_p95),
                secs(c.latency_p99),
                secs(c.latency_max),
                pct(c.deadline_miss_rate)
            );
        }
    }
    let _ = writeln!(
        o,
        "  {:<14}{:>10}{:>10}{:>10}{:>10}{:>10}",
        "task wait",
        secs(s.wait_mean),
        secs(s.wait_p50),
        secs(s.wait_p95),
        secs(s.wait_p99),
        secs(s.wait_max)
    );
    if let Some(t) = &model.trace {
        let recorded = if s.recorded_wait_mean.is_nan() {
            String::new()
        } else {
            format!("; recorded mean wait in the trace {}", secs(s.recorded_wait_mean))
        };
        let _ = writeln!(
            o,
            "  {:<14}{:>10}   (bounded slowdown, 10 s floor){recorded}",
            "slowdown",
            format!("{:.3}", s.bounded_slowdown)
        );
        let scan = &t.scan;
        let jobs = match t.arrival {
            Some(_) => "one workflow replayed as a stream of instances,".to_string(),
            None => format!("{} jobs,", scan.jobs),
        };
        let _ = writeln!(
            o,
            "  trace: {jobs} {} tasks, {} instances{}{}",
            scan.tasks,
            scan.instances,
            if s.tasks_killed > 0 {
                format!("; {} tasks killed at their estimate", s.tasks_killed)
            } else {
                String::new()
            },
            if scan.report.counts.is_empty() {
                String::new()
            } else {
                format!(
                    "; repaired: {}",
                    scan.report
                        .counts
                        .iter()
                        .map(|(k, v)| format!("{k} {v}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
    }

    let _ = writeln!(
        o,
        "\nload      avg weighted {:.4}   utilization {:.4}   memory {:.4}   imbalance (CV) {:.4}",
        s.avg_weighted_load, s.utilization, s.memory_utilization, s.load_imbalance
    );
    let _ = writeln!(
        o,
        "queue     mean {:.3} tasks waiting, max {}   throughput {:.4} workflows/s",
        s.queue_mean, s.queue_max, s.throughput
    );

    orchestration(&mut o, model, s);

    // Availability only matters when nodes can fail.
    let outages = model.node_failures.iter().any(Option::is_some) || !model.outages.is_empty();
    let _ = writeln!(
        o,
        "\n{:<20}{:>10}{:>8}{:>8}{:>10}{:>12}{:>10}{}",
        "node",
        "pool",
        "weight",
        "load",
        "util",
        "memory",
        "tasks",
        if outages { format!("{:>10}{:>10}", "avail", "failures") } else { String::new() }
    );
    const MAX_NODES: usize = 24;
    for n in s.nodes.iter().take(MAX_NODES) {
        let _ = write!(
            o,
            "  {:<18}{:>10}{:>8.3}{:>8.3}{:>10.3}{:>12.3}{:>10}",
            n.name, n.pool, n.weight, n.load, n.utilization, n.memory_utilization, n.tasks_started
        );
        if outages {
            let _ = write!(o, "{:>10.4}{:>10}", n.availability, n.failures);
        }
        let _ = writeln!(o);
    }
    if s.nodes.len() > MAX_NODES {
        let _ = writeln!(
            o,
            "  ... {} more nodes (see nodes.csv with --out)",
            s.nodes.len() - MAX_NODES
        );
    }
    o
}

/// `text` broken into lines of at most `width` characters at spaces (a longer word keeps its
/// own line), joined by newlines.
pub fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.join("\n")
}
