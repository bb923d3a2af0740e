//! The model's rules, checked once when a scenario is loaded, so that the simulator can trust
//! every value it reads.

use std::collections::{BTreeMap, BTreeSet};

use super::load::Seg;
use super::{
    ArrivalSpec, BackoffSpec, DistSpec, Mode, NodeSpec, OnDeadline, PolicySet, Problem,
    ReplayTimes, Scenario,
};
use crate::policy;

mod external;
use crate::workload::read_arrival_times;

/// Collects problems with their field path and line.
struct Checker<'a> {
    locate: &'a dyn Fn(&[Seg<'_>]) -> Option<usize>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn bad(&mut self, loc: &[Seg<'_>], field: String, message: impl Into<String>) {
        self.problems.push(Problem { field, line: (self.locate)(loc), message: message.into() });
    }

    /// Checks `value > 0` (finite).
    fn positive(&mut self, loc: &[Seg<'_>], field: &str, value: f64, why: &str) {
        if !(value.is_finite() && value > 0.0) {
            self.bad(
                loc,
                field.to_string(),
                format!("must be a number above 0, got {}{why}", num(value)),
            );
        }
    }

    /// Checks a CPU amount: the model counts whole millicores in integers, so a request must
    /// be at least one millicore and a node at most [`MAX_CORES`].
    fn cores(&mut self, loc: &[Seg<'_>], field: &str, value: f64, why: &str) {
        if !(MIN_CORES..=MAX_CORES).contains(&value) {
            self.bad(
                loc,
                field.to_string(),
                format!(
                    "must be between {MIN_CORES} (one millicore) and {MAX_CORES}, got {}{why}",
                    num(value)
                ),
            );
        }
    }

    /// Checks `value >= 0` (finite).
    fn non_negative(&mut self, loc: &[Seg<'_>], field: &str, value: f64) {
        if !(value.is_finite() && value >= 0.0) {
            self.bad(loc, field.to_string(), format!("must be 0 or more, got {}", num(value)));
        }
    }
}

/// A number as a person would write it: `1e308`, not three hundred digits.
fn num(value: f64) -> String {
    if value != 0.0 && !(1e-6..1e15).contains(&value.abs()) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

/// Smallest CPU amount: one millicore.
const MIN_CORES: f64 = 0.001;

/// Most cores one node kind may have.
const MAX_CORES: f64 = 1e6;

/// Most nodes a cluster may have in total: each is simulated, so a typo like
/// `count = 100000000` would exhaust memory rather than model a cluster.
const MAX_NODES: u64 = 1_000_000;

/// Most values (samples × (nodes + 1)) `sample_interval` may ask a run to keep over
/// `duration`: about 80 MB, far more than a chart can show.
pub const MAX_SAMPLE_VALUES: f64 = 1e7;

/// `sample_interval` must be positive and leave a number of samples that fits in memory.
fn check_sample_interval(c: &mut Checker<'_>, s: &Scenario, dt: f64) {
    use Seg::Key as K;
    let loc = [K("sample_interval")];
    if !(dt.is_finite() && dt > 0.0) {
        c.positive(&loc, "sample_interval", dt, " (seconds between two load samples)");
        return;
    }
    if !(s.duration.is_finite() && s.duration > 0.0) {
        return; // reported with duration
    }
    let values = (s.duration / dt + 1.0) * (s.node_count() as f64 + 1.0);
    if values > MAX_SAMPLE_VALUES {
        let least = s.duration * (s.node_count() as f64 + 1.0) / MAX_SAMPLE_VALUES;
        c.bad(
            &loc,
            "sample_interval".into(),
            format!(
                "{} s would keep {} load values ({} samples of {} nodes and the average); at \
                 most {MAX_SAMPLE_VALUES:e} fit: use {} s or more",
                num(dt),
                num(values.floor()),
                num((s.duration / dt).floor() + 1.0),
                s.node_count(),
                num(least)
            ),
        );
    }
}

/// Checks every rule; fills in data read from referenced files (replay times).
pub(super) fn check(
    s: &mut Scenario,
    locate: &dyn Fn(&[Seg<'_>]) -> Option<usize>,
) -> Vec<Problem> {
    let mut c = Checker { locate, problems: Vec::new() };
    use Seg::{Index as I, Key as K};

    if s.name.trim().is_empty() {
        c.bad(&[K("name")], "name".into(), "must not be empty");
    }
    external::resolve(&mut c, s);
    if s.duration.is_nan() {
        // Reported by `resolve`; keep the checks below from repeating it.
        s.duration = 1.0;
    }
    c.positive(&[K("duration")], "duration", s.duration, " (simulated seconds of arrivals)");
    c.non_negative(&[K("warmup")], "warmup", s.warmup);
    if s.warmup >= s.duration {
        c.bad(
            &[K("warmup")],
            "warmup".into(),
            format!(
                "must be less than duration ({}), got {}: nothing would be measured",
                s.duration, s.warmup
            ),
        );
    }
    if s.limits.max_in_flight == 0 {
        c.bad(
            &[K("limits"), K("max_in_flight")],
            "limits.max_in_flight".into(),
            "must be at least 1",
        );
    }
    if let Some(dt) = s.sample_interval {
        check_sample_interval(&mut c, s, dt);
    }
    if s.replications == Some(0) {
        c.bad(&[K("replications")], "replications".into(), "must be at least 1");
    }

    // Nodes.
    let nodes = &s.cluster.nodes;
    if nodes.is_empty() {
        c.bad(
            &[K("cluster")],
            "cluster.nodes".into(),
            "the cluster has no nodes: add at least one [[cluster.nodes]] with name, cpu and memory",
        );
    }
    let mut seen_nodes = BTreeSet::new();
    for (i, n) in nodes.iter().enumerate() {
        let at = |k| [K("cluster"), K("nodes"), I(i), K(k)];
        let f = |k: &str| format!("cluster.nodes.{}.{k}", n.name);
        if n.name.trim().is_empty() {
            c.bad(&at("name"), f("name"), "must not be empty");
        }
        if !seen_nodes.insert(n.name.as_str()) {
            c.bad(&at("name"), f("name"), "another node kind has the same name");
        }
        if n.count == 0 {
            c.bad(&at("count"), f("count"), "must be at least 1");
        }
        c.cores(&at("cpu"), &f("cpu"), n.cpu, " (cores)");
        if n.memory.0 == 0 {
            c.bad(&at("memory"), f("memory"), "must be above 0, e.g. \"8GiB\"");
        }
        c.positive(&at("speed"), &f("speed"), n.speed, " (work per second per core)");
        if n.speed.is_finite() && !(1e-6..=1e6).contains(&n.speed) {
            c.bad(
                &at("speed"),
                f("speed"),
                format!("must be between 1e-6 and 1e6 (work per second per core), got {}", n.speed),
            );
        }
        if let Some(w) = n.weight {
            c.positive(&at("weight"), &f("weight"), w, "");
        }
        check_node_failures(&mut c, i, n);
    }
    if s.node_count() > MAX_NODES {
        let i = nodes.iter().enumerate().max_by_key(|(_, n)| n.count).map_or(0, |(i, _)| i);
        c.bad(
            &[K("cluster"), K("nodes"), I(i), K("count")],
            format!("cluster.nodes.{}.count", nodes[i].name),
            format!(
                "the cluster has {} nodes; at most {MAX_NODES} can be simulated",
                s.node_count()
            ),
        );
    }
    // Fit is only judged against valid nodes; a bad node is reported once, above.
    let nodes_valid = !nodes.is_empty()
        && nodes.iter().all(|n| (MIN_CORES..=MAX_CORES).contains(&n.cpu) && n.memory.0 > 0);
    let pools: BTreeSet<&str> = nodes.iter().filter_map(|n| n.pool.as_deref()).collect();

    // Policies.
    check_policy_set(&mut c, &[K("policy")], "policy", &s.policy, s.cluster.mode);
    let mut seen_policies = BTreeSet::new();
    for (i, p) in s.policies.iter().enumerate() {
        let loc = [K("policies"), I(i)];
        if p.name == "default" || !seen_policies.insert(p.name.as_str()) {
            c.bad(
                &[K("policies"), I(i), K("name")],
                format!("policies.{}.name", p.name),
                "must be unique and not `default` (the name of [policy])",
            );
        }
        if let Some(set) = s.policy_named(&p.name) {
            check_policy_set(&mut c, &loc, &format!("policies.{}", p.name), &set, s.cluster.mode);
        }
    }

    // Workflows.
    if let Some(t) = &s.trace {
        if let Some(p) = t.pool.as_deref().filter(|p| !pools.contains(p)) {
            c.bad(
                &[K("trace"), K("pool")],
                "trace.pool".into(),
                format!(
                    "no node is in pool `{p}`; pools: {}",
                    pools.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            );
        }
        if s.workflows.iter().any(|w| w.name == t.class) {
            c.bad(
                &[K("trace"), K("class")],
                "trace.class".into(),
                format!(
                    "a [[workflows]] class is also named `{}`: name the trace's class differently",
                    t.class
                ),
            );
        }
    }
    if s.workflows.is_empty() && s.trace.is_none() {
        c.bad(
            &[],
            "workflows".into(),
            "no workflow classes: add at least one [[workflows]] or a [trace]",
        );
    }
    let mut seen_classes = BTreeSet::new();
    let base_dir = s.base_dir.clone();
    let duration = s.duration;
    for (w, wf) in s.workflows.iter_mut().enumerate() {
        let wname = wf.name.clone();
        let at = |k| [K("workflows"), I(w), K(k)];
        let f = |k: &str| format!("workflows.{wname}.{k}");
        if !seen_classes.insert(wname.clone()) {
            c.bad(&at("name"), f("name"), "another workflow class has the same name");
        }
        if !wf.priority.is_finite() {
            c.bad(&at("priority"), f("priority"), "must be a finite number");
        }
        if let Some(d) = wf.deadline {
            c.positive(&at("deadline"), &f("deadline"), d, " (seconds after arrival)");
        }
        if wf.on_deadline == OnDeadline::Abort && wf.deadline.is_none() {
            c.bad(
                &at("on_deadline"),
                f("on_deadline"),
                "`abort` needs a `deadline` (seconds after arrival) in the same workflow",
            );
        }
        check_arrival(&mut c, &at("arrival"), &f("arrival"), &mut wf.arrival, &base_dir, duration);
        if wf.tasks.is_empty() {
            c.bad(&at("tasks"), f("tasks"), "a workflow needs at least one [[workflows.tasks]]");
        }
        let names: BTreeMap<&str, usize> =
            wf.tasks.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
        if names.len() != wf.tasks.len() {
            c.bad(&at("tasks"), f("tasks"), "two tasks have the same name; names must be unique");
        }
        for (t, task) in wf.tasks.iter().enumerate() {
            let tat = |k| [K("workflows"), I(w), K("tasks"), I(t), K(k)];
            let tf = |k: &str| format!("workflows.{wname}.tasks.{}.{k}", task.name);
            c.cores(&tat("cpu"), &tf("cpu"), task.cpu, " (cores held while running)");
            check_dist(&mut c, &tat("work"), &tf("work"), &task.work);
            if let Some(estimate) = &task.work_estimate {
                check_dist(&mut c, &tat("work_estimate"), &tf("work_estimate"), estimate);
            }
            if !(0.0..=1.0).contains(&task.probability) {
                c.bad(
                    &tat("probability"),
                    tf("probability"),
                    format!("must be between 0 and 1, got {}", task.probability),
                );
            }
            check_task_orchestration(&mut c, &tat, &tf, task);
            if let Some(comp) = &task.compensate {
                let cat = |k| [K("workflows"), I(w), K("tasks"), I(t), K("compensate"), K(k)];
                let cf = |k: &str| format!("workflows.{wname}.tasks.{}.compensate.{k}", task.name);
                if comp.name.trim().is_empty() {
                    c.bad(&cat("name"), cf("name"), "must not be empty");
                }
                c.cores(&cat("cpu"), &cf("cpu"), comp.cpu, " (cores held while compensating)");
                check_dist(&mut c, &cat("work"), &cf("work"), &comp.work);
                let pool = comp.pool.as_ref().or(task.pool.as_ref());
                let what = format!("the compensation `{}`", comp.name);
                check_fit(
                    &mut c,
                    (&cat("pool"), &cf("pool")),
                    (&cat("cpu"), &cf("cpu")),
                    (&cat("memory"), &cf("memory")),
                    &what,
                    (comp.cpu, comp.memory.0, pool),
                    nodes,
                    &pools,
                    nodes_valid,
                );
            }
            for dep in &task.after {
                if !names.contains_key(dep.as_str()) {
                    let hint = super::closest(dep, names.keys().copied())
                        .map(|s| format!(" — did you mean `{s}`?"))
                        .unwrap_or_default();
                    c.bad(
                        &tat("after"),
                        tf("after"),
                        format!("`{dep}` is not a task of workflow `{wname}`{hint}"),
                    );
                } else if dep == &task.name {
                    c.bad(&tat("after"), tf("after"), "a task cannot wait for itself");
                }
            }
            check_fit(
                &mut c,
                (&tat("pool"), &tf("pool")),
                (&tat("cpu"), &tf("cpu")),
                (&tat("memory"), &tf("memory")),
                "the task",
                (task.cpu, task.memory.0, task.pool.as_ref()),
                nodes,
                &pools,
                nodes_valid,
            );
        }
        if let Some(cycle) = find_cycle(wf) {
            // Point at the `after` list of the first task on the cycle.
            let first = names.get(cycle[0].as_str()).copied().unwrap_or(0);
            c.bad(
                &[K("workflows"), I(w), K("tasks"), I(first), K("after")],
                format!("workflows.{wname}.tasks.{}.after", cycle[0]),
                format!(
                    "the `after` dependencies form a cycle: {} — a workflow must be a DAG",
                    cycle.join(" waits for ")
                ),
            );
        }
    }
    if let Some(m) = &s.monitor {
        let at = |k| [K("monitor"), K(k)];
        if s.cluster.mode != Mode::PerNode {
            c.bad(
                &[K("monitor")],
                "monitor".into(),
                "the monitor moves tasks queued at nodes, which only exist with \
                 [cluster] mode = \"per-node\" (in central mode tasks wait in one queue)",
            );
        }
        c.positive(&at("interval"), "monitor.interval", m.interval, " (seconds between looks)");
        if let Some(o) = m.overload {
            c.positive(&at("overload"), "monitor.overload", o, " (a load Lᵢ, e.g. 1.5)");
        }
        if let Err(message) = policy::build_placement(&m.target, Mode::PerNode) {
            c.bad(&at("target"), "monitor.target".into(), message);
        }
        if m.overload.is_none() && !m.work_stealing {
            c.bad(
                &[K("monitor")],
                "monitor".into(),
                "does nothing: set `overload` (migrate queued tasks off nodes above this load) \
                 and/or `work_stealing = true`",
            );
        }
    }
    c.problems
}

/// Checks that a request names a known pool and fits on at least one node that could run it.
#[allow(clippy::too_many_arguments)]
fn check_fit(
    c: &mut Checker<'_>,
    pool_at: (&[Seg<'_>], &str),
    cpu_at: (&[Seg<'_>], &str),
    memory_at: (&[Seg<'_>], &str),
    what: &str,
    (cpu, memory, pool): (f64, u64, Option<&String>),
    nodes: &[NodeSpec],
    pools: &BTreeSet<&str>,
    nodes_valid: bool,
) {
    match pool {
        Some(p) if !pools.contains(p.as_str()) => {
            let known: Vec<&str> = pools.iter().copied().collect();
            c.bad(
                pool_at.0,
                pool_at.1.to_string(),
                format!(
                    "no node has pool `{p}` (pools: {})",
                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                ),
            );
        }
        _ => {
            let candidates = nodes.iter().filter(|n| pool.is_none() || n.pool.as_ref() == pool);
            let fits = candidates.clone().any(|n| n.cpu >= cpu && n.memory.0 >= memory);
            if !fits && nodes_valid && cpu > 0.0 {
                let where_ =
                    pool.map_or("any node".to_string(), |p| format!("any node of pool `{p}`"));
                let max_cpu = candidates.clone().map(|n| n.cpu).fold(0.0, f64::max);
                let max_memory = candidates.map(|n| n.memory).max().unwrap_or_default();
                // Point at the request that is too large (cpu when both are).
                let (loc, field) = if max_cpu >= cpu { memory_at } else { cpu_at };
                c.bad(
                    loc,
                    field.to_string(),
                    format!(
                        "{what} (cpu {cpu}, memory {}) fits on no node: it is larger than \
                         {where_} (they offer at most cpu {max_cpu}, memory {max_memory})",
                        super::Bytes(memory)
                    ),
                );
            }
        }
    }
}

/// Most retries a task may declare: each is simulated, and a typo like `retries = 1e9` would
/// only make a failing workflow take forever.
const MAX_RETRIES: i64 = 1_000_000;

/// Failure, retry and backoff settings of one task.
fn check_task_orchestration<'a>(
    c: &mut Checker<'_>,
    tat: &dyn Fn(&'static str) -> [Seg<'a>; 5],
    tf: &dyn Fn(&str) -> String,
    task: &super::TaskSpec,
) {
    if let Some(failure) = &task.failure {
        let p = failure.probability;
        if !(0.0..=1.0).contains(&p) {
            let mut loc = tat("failure").to_vec();
            loc.push(Seg::Key("probability"));
            c.bad(
                &loc,
                tf("failure.probability"),
                format!("must be between 0 and 1 (a probability per attempt), got {p}"),
            );
        }
    }
    if !(0..=MAX_RETRIES).contains(&task.retries) {
        c.bad(
            &tat("retries"),
            tf("retries"),
            format!("must be between 0 and {MAX_RETRIES}, got {}", task.retries),
        );
    }
    if let Some(b) = &task.backoff {
        let sub = |k: &'static str| {
            let mut v = tat("backoff").to_vec();
            v.push(Seg::Key(k));
            v
        };
        match b {
            BackoffSpec::Constant { delay } => {
                c.non_negative(&sub("delay"), &tf("backoff.delay"), *delay)
            }
            BackoffSpec::Exponential { initial, factor, max } => {
                c.non_negative(&sub("initial"), &tf("backoff.initial"), *initial);
                if !(factor.is_finite() && *factor >= 1.0) {
                    c.bad(
                        &sub("factor"),
                        tf("backoff.factor"),
                        format!("must be 1 or more (growth per retry), got {factor}"),
                    );
                }
                if let Some(m) = max {
                    if !(m.is_finite() && m >= initial) {
                        c.bad(
                            &sub("max"),
                            tf("backoff.max"),
                            format!("must be at least initial ({initial}), got {m}"),
                        );
                    }
                }
            }
        }
    }
}

/// Random failures and scheduled outages of one node kind.
fn check_node_failures(c: &mut Checker<'_>, i: usize, n: &NodeSpec) {
    use Seg::{Index as I, Key as K};
    let f = |k: &str| format!("cluster.nodes.{}.{k}", n.name);
    if let Some(fl) = &n.failures {
        let at = |k| [K("cluster"), K("nodes"), I(i), K("failures"), K(k)];
        c.positive(&at("mtbf"), &f("failures.mtbf"), fl.mtbf, " (mean seconds between failures)");
        c.positive(&at("mttr"), &f("failures.mttr"), fl.mttr, " (mean seconds to repair)");
    }
    let names: Vec<String> = (0..n.count)
        .map(|k| if n.count > 1 { format!("{}-{k}", n.name) } else { n.name.clone() })
        .collect();
    for (o, outage) in n.outages.iter().enumerate() {
        let at = |k| [K("cluster"), K("nodes"), I(i), K("outages"), I(o), K(k)];
        if let Some(node) = &outage.node {
            if !names.contains(node) {
                let hint = super::closest(node, names.iter().map(String::as_str))
                    .map(|s| format!(" — did you mean `{s}`?"))
                    .unwrap_or_default();
                let listed = if names.len() <= 6 {
                    names.join(", ")
                } else {
                    format!("{} .. {}", names[0], names[names.len() - 1])
                };
                c.bad(
                    &at("node"),
                    f("outages.node"),
                    format!("`{node}` is not a node of kind `{}` ({listed}){hint}", n.name),
                );
            }
        }
        c.non_negative(&at("at"), &f("outages.at"), outage.at);
        c.positive(&at("duration"), &f("outages.duration"), outage.duration, " (seconds down)");
        if !(outage.at + outage.duration).is_finite() {
            c.bad(&at("duration"), f("outages.duration"), "the outage must end at a finite time");
        }
    }
}

fn check_policy_set(
    c: &mut Checker<'_>,
    loc: &[Seg<'_>],
    field: &str,
    set: &PolicySet,
    mode: Mode,
) {
    let mut at = loc.to_vec();
    for (key, result) in [
        ("queue", policy::build_queue(&set.queue, mode).map(|_| ())),
        ("placement", policy::build_placement(&set.placement, mode).map(|_| ())),
        ("admission", policy::build_admission(&set.admission).map(|_| ())),
    ] {
        if let Err(message) = result {
            at.push(Seg::Key(key));
            c.bad(&at, format!("{field}.{key}"), message);
            at.pop();
        }
    }
}

fn check_arrival(
    c: &mut Checker<'_>,
    loc: &[Seg<'_>],
    field: &str,
    arrival: &mut ArrivalSpec,
    base_dir: &std::path::Path,
    duration: f64,
) {
    let sub = |k: &'static str| {
        let mut v = loc.to_vec();
        v.push(Seg::Key(k));
        v
    };
    let f = |k: &str| format!("{field}.{k}");
    match arrival {
        ArrivalSpec::Poisson { rate } => {
            c.positive(&sub("rate"), &f("rate"), *rate, " (arrivals per second)")
        }
        ArrivalSpec::Periodic { interval, offset } => {
            c.positive(&sub("interval"), &f("interval"), *interval, " (seconds)");
            c.non_negative(&sub("offset"), &f("offset"), *offset);
        }
        ArrivalSpec::Bursty { rate_on, rate_off, mean_on, mean_off } => {
            c.non_negative(&sub("rate_on"), &f("rate_on"), *rate_on);
            c.non_negative(&sub("rate_off"), &f("rate_off"), *rate_off);
            if *rate_on + *rate_off <= 0.0 {
                c.bad(&sub("rate_on"), f("rate_on"), "rate_on or rate_off must be above 0");
            }
            c.positive(&sub("mean_on"), &f("mean_on"), *mean_on, " (seconds)");
            c.positive(&sub("mean_off"), &f("mean_off"), *mean_off, " (seconds)");
        }
        ArrivalSpec::Varying { rates, period } => {
            if rates.is_empty() || rates[0].0 != 0.0 {
                c.bad(&sub("rates"), f("rates"), "must start with a [0.0, rate] pair");
            }
            if rates.windows(2).any(|w| w[1].0 <= w[0].0) {
                c.bad(&sub("rates"), f("rates"), "start times must increase");
            }
            if rates.iter().any(|&(_, r)| !(r.is_finite() && r >= 0.0)) {
                c.bad(&sub("rates"), f("rates"), "rates must be 0 or more");
            }
            if rates.iter().all(|&(_, r)| r <= 0.0) {
                c.bad(&sub("rates"), f("rates"), "at least one rate must be above 0");
            }
            if let Some(p) = period {
                let last = rates.last().map_or(0.0, |r| r.0);
                if !(p.is_finite() && *p > last) {
                    c.bad(
                        &sub("period"),
                        f("period"),
                        format!("must be above the last start time ({last}), got {p}"),
                    );
                }
            }
        }
        ArrivalSpec::Diurnal { mean_rate, amplitude, period } => {
            c.positive(&sub("mean_rate"), &f("mean_rate"), *mean_rate, " (arrivals per second)");
            if !(0.0..=1.0).contains(amplitude) {
                c.bad(
                    &sub("amplitude"),
                    f("amplitude"),
                    format!("must be between 0 and 1, got {amplitude}"),
                );
            }
            c.positive(&sub("period"), &f("period"), *period, " (seconds per cycle)");
        }
        ArrivalSpec::Replay { path, times } => {
            let full = base_dir.join(&*path);
            match read_arrival_times(&full) {
                Ok(t) if t.iter().all(|&x| x > duration) => c.bad(
                    &sub("path"),
                    f("path"),
                    format!(
                        "{}: every arrival time is after duration ({duration})",
                        full.display()
                    ),
                ),
                Ok(t) => *times = ReplayTimes(t.into()),
                Err(e) => c.bad(&sub("path"), f("path"), e),
            }
        }
    }
}

fn check_dist(c: &mut Checker<'_>, loc: &[Seg<'_>], field: &str, d: &DistSpec) {
    let sub = |k: &'static str| {
        let mut v = loc.to_vec();
        v.push(Seg::Key(k));
        v
    };
    let f = |k: &str| format!("{field}.{k}");
    let before = c.problems.len();
    match d {
        DistSpec::Constant { value } => c.non_negative(&sub("value"), &f("value"), *value),
        DistSpec::Exponential { mean } => c.positive(&sub("mean"), &f("mean"), *mean, ""),
        DistSpec::Uniform { min, max } => {
            c.non_negative(&sub("min"), &f("min"), *min);
            if !(max.is_finite() && max >= min) {
                c.bad(&sub("max"), f("max"), format!("must be at least min ({min}), got {max}"));
            }
        }
        DistSpec::Normal { mean, std } => {
            c.positive(&sub("mean"), &f("mean"), *mean, " (the normal is truncated at 0)");
            c.non_negative(&sub("std"), &f("std"), *std);
        }
        DistSpec::Lognormal { mean, cv } | DistSpec::Gamma { mean, cv } => {
            c.positive(&sub("mean"), &f("mean"), *mean, "");
            c.positive(&sub("cv"), &f("cv"), *cv, " (coefficient of variation)");
        }
        DistSpec::Weibull { shape, scale } | DistSpec::Pareto { shape, scale } => {
            c.positive(&sub("shape"), &f("shape"), *shape, "");
            c.positive(&sub("scale"), &f("scale"), *scale, "");
        }
        DistSpec::Empirical { values } => {
            if values.is_empty() {
                c.bad(&sub("values"), f("values"), "needs at least one value");
            }
            if values.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
                c.bad(&sub("values"), f("values"), "values must be 0 or more");
            }
        }
    }
    // Parameters that pass the rules above can still be out of the sampler's range (a cv so
    // large that its square overflows): refuse them here rather than when a run starts.
    if c.problems.len() == before {
        if let Err(e) = crate::workload::Distribution::new(d) {
            c.bad(loc, field.to_string(), format!("{e}; use parameters of a sensible size"));
        }
    }
}

/// A cycle in the `after` graph, as task names, if there is one (depth-first search).
fn find_cycle(wf: &super::WorkflowSpec) -> Option<Vec<String>> {
    let index: BTreeMap<&str, usize> =
        wf.tasks.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; wf.tasks.len()];
    let mut stack: Vec<usize> = Vec::new();
    fn visit(
        v: usize,
        wf: &super::WorkflowSpec,
        index: &BTreeMap<&str, usize>,
        state: &mut [u8],
        stack: &mut Vec<usize>,
    ) -> Option<Vec<String>> {
        state[v] = 1;
        stack.push(v);
        for dep in &wf.tasks[v].after {
            let Some(&u) = index.get(dep.as_str()) else { continue };
            if state[u] == 1 {
                let from = stack.iter().position(|&x| x == u).unwrap_or(0);
                let mut names: Vec<String> =
                    stack[from..].iter().rev().map(|&x| wf.tasks[x].name.clone()).collect();
                names.push(wf.tasks[v].name.clone());
                names.reverse();
                return Some(names);
            }
            if state[u] == 0 {
                if let Some(c) = visit(u, wf, index, state, stack) {
                    return Some(c);
                }
            }
        }
        stack.pop();
        state[v] = 2;
        None
    }
    (0..wf.tasks.len()).find_map(|v| {
        if state[v] == 0 {
            visit(v, wf, &index, &mut state, &mut stack)
        } else {
            None
        }
    })
}
