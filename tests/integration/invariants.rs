//! Invariants on randomized scenarios (proptest): conservation of workflows, capacity never
//! exceeded, time never goes back, no task starts before its predecessors are done, and with
//! failures: nothing starts on a down node, no step of an aborted workflow starts, and
//! compensations run in reverse completion order.

use std::collections::HashMap;

use proptest::prelude::*;
use schedsim::metrics::AbortReason;
use schedsim::model::Model;
use schedsim::sim::{Observer, TaskEvent, TaskKind};
use schedsim::{Scenario, Simulation};

/// Checks every event of a run against the model.
struct Checker<'m> {
    model: &'m Model,
    now: f64,
    cpu: Vec<u64>,
    memory: Vec<u64>,
    /// (workflow, task) → (class, time it was done), for tasks finished or skipped.
    done: HashMap<(u64, usize), f64>,
    class_of: HashMap<u64, usize>,
    down: Vec<bool>,
    aborted: HashMap<u64, f64>,
    /// Finish time of the step whose compensation ran last, per workflow.
    last_compensated: HashMap<u64, f64>,
    violations: Vec<String>,
}

impl<'m> Checker<'m> {
    fn new(model: &'m Model) -> Self {
        Checker {
            model,
            now: 0.0,
            cpu: vec![0; model.nodes.len()],
            memory: vec![0; model.nodes.len()],
            done: HashMap::new(),
            class_of: HashMap::new(),
            down: vec![false; model.nodes.len()],
            aborted: HashMap::new(),
            last_compensated: HashMap::new(),
            violations: Vec::new(),
        }
    }

    fn tick(&mut self, t: f64) {
        if t < self.now {
            self.violations.push(format!("time went back from {} to {t}", self.now));
        }
        self.now = t;
    }

    fn preds_done(&mut self, time: f64, workflow: u64, task: usize, what: &str) {
        let Some(&class) = self.class_of.get(&workflow) else {
            self.violations.push(format!("workflow {workflow} {what} before it arrived"));
            return;
        };
        for &p in &self.model.classes[class].tasks[task].after {
            match self.done.get(&(workflow, p)) {
                Some(&t) if t <= time => {}
                _ => self.violations.push(format!(
                    "t={time}: workflow {workflow} task {task} {what} before predecessor {p} was done"
                )),
            }
        }
    }
}

impl Observer for Checker<'_> {
    fn arrival(
        &mut self,
        time: f64,
        workflow: u64,
        class: usize,
        rejected: Option<schedsim::policy::RejectReason>,
    ) {
        self.tick(time);
        if rejected.is_none() {
            self.class_of.insert(workflow, class);
        }
    }
    fn ready(&mut self, time: f64, workflow: u64, task: usize) {
        self.tick(time);
        self.preds_done(time, workflow, task, "became ready");
    }
    fn skipped(&mut self, time: f64, workflow: u64, task: usize) {
        self.tick(time);
        self.preds_done(time, workflow, task, "was skipped");
        self.done.insert((workflow, task), time);
    }
    fn started(&mut self, e: &TaskEvent) {
        self.tick(e.time);
        self.preds_done(e.time, e.workflow, e.task, "started");
        self.cpu[e.node] += e.cpu;
        self.memory[e.node] += e.memory;
        let node = &self.model.nodes[e.node];
        if self.cpu[e.node] > node.cpu || self.memory[e.node] > node.memory {
            self.violations.push(format!("t={}: node {} over capacity", e.time, node.name));
        }
        if self.down[e.node] {
            self.violations
                .push(format!("t={}: a task started on down node {}", e.time, node.name));
        }
        let class = self.class_of[&e.workflow];
        match e.kind {
            TaskKind::Step if self.aborted.contains_key(&e.workflow) => self
                .violations
                .push(format!("t={}: a step of aborted workflow {} started", e.time, e.workflow)),
            TaskKind::Step => {}
            TaskKind::Compensation => {
                let tasks = &self.model.classes[class].tasks;
                let step = tasks.iter().position(|t| t.compensation == Some(e.task)).unwrap();
                match self.done.get(&(e.workflow, step)) {
                    None => self.violations.push(format!(
                        "t={}: workflow {} compensates step {step}, which never finished",
                        e.time, e.workflow
                    )),
                    Some(&finished) => {
                        let last = self.last_compensated.insert(e.workflow, finished);
                        if last.is_some_and(|l| finished > l) {
                            self.violations.push(format!(
                                "t={}: workflow {} compensates out of reverse order",
                                e.time, e.workflow
                            ));
                        }
                    }
                }
            }
        }
        let group = self.model.classes[class].tasks[e.task].group;
        if !self.model.groups[group].contains(&e.node) {
            self.violations
                .push(format!("t={}: task ran outside its pool on {}", e.time, node.name));
        }
    }
    fn finished(&mut self, e: &TaskEvent) {
        self.tick(e.time);
        self.cpu[e.node] -= e.cpu;
        self.memory[e.node] -= e.memory;
        self.done.insert((e.workflow, e.task), e.time);
    }
    fn interrupted(&mut self, e: &TaskEvent, _why: schedsim::sim::Interruption) {
        self.tick(e.time);
        self.cpu[e.node] -= e.cpu;
        self.memory[e.node] -= e.memory;
    }
    fn completed(&mut self, time: f64, workflow: u64, _class: usize) {
        self.tick(time);
        self.done.retain(|(w, _), _| *w != workflow);
        self.class_of.remove(&workflow);
        if self.aborted.contains_key(&workflow) {
            self.violations.push(format!("t={time}: aborted workflow {workflow} completed"));
        }
    }
    fn aborted(&mut self, time: f64, workflow: u64, _class: usize, _why: AbortReason) {
        self.tick(time);
        self.aborted.insert(workflow, time);
    }
    fn failed(&mut self, time: f64, workflow: u64, _class: usize) {
        self.tick(time);
        self.done.retain(|(w, _), _| *w != workflow);
        self.class_of.remove(&workflow);
        self.last_compensated.remove(&workflow);
        if self.aborted.remove(&workflow).is_none() {
            self.violations.push(format!("t={time}: workflow {workflow} failed without an abort"));
        }
    }
    fn node_down(&mut self, time: f64, node: usize) {
        self.tick(time);
        self.down[node] = true;
    }
    fn node_up(&mut self, time: f64, node: usize) {
        self.tick(time);
        self.down[node] = false;
    }
}

/// Failures and the orchestrator's answers, switched on at random.
#[derive(Debug, Clone)]
struct Chaos {
    fail_probability: f64,
    retries: u32,
    backoff: &'static str,
    compensate: bool,
    abort_on_deadline: bool,
    drain_on_abort: bool,
    node_failures: bool,
    outage: bool,
    overload: Option<f64>,
    stealing: bool,
}

fn chaos() -> impl Strategy<Value = Chaos> {
    (
        prop::sample::select(vec![0.0, 0.0, 0.1, 0.5, 1.0]),
        0u32..=3,
        prop::sample::select(vec![
            "",
            "backoff = { kind = \"constant\", delay = 0.3 }",
            "backoff = { kind = \"exponential\", initial = 0.1, factor = 3.0, max = 2.0 }",
        ]),
        any::<bool>(),
        (any::<bool>(), any::<bool>()),
        (any::<bool>(), any::<bool>()),
        (prop::option::of(prop::sample::select(vec![0.5, 1.0, 1.5, 3.0])), any::<bool>()),
    )
        .prop_map(
            |(
                fail_probability,
                retries,
                backoff,
                compensate,
                (abort, drain),
                (nf, outage),
                (o, st),
            )| {
                Chaos {
                    fail_probability,
                    retries,
                    backoff,
                    compensate,
                    abort_on_deadline: abort,
                    drain_on_abort: drain,
                    node_failures: nf,
                    outage,
                    overload: o,
                    stealing: st,
                }
            },
        )
}

#[derive(Debug, Clone)]
struct NodeKind {
    count: u32,
    cpu: f64,
    memory_gib: u32,
    speed: f64,
    pool: Option<&'static str>,
}

#[derive(Debug, Clone)]
struct TaskGen {
    cpu: f64,
    memory_mib: u32,
    pool: Option<&'static str>,
    after: Vec<bool>,
    probability: f64,
    work: &'static str,
}

fn node_kind() -> impl Strategy<Value = NodeKind> {
    (
        1u32..=3,
        prop::sample::select(vec![0.5, 1.0, 2.0, 4.0]),
        1u32..=8,
        prop::sample::select(vec![0.5, 1.0, 2.0]),
        prop::sample::select(vec![None, Some("a"), Some("b")]),
    )
        .prop_map(|(count, cpu, memory_gib, speed, pool)| NodeKind {
            count,
            cpu,
            memory_gib,
            speed,
            pool,
        })
}

fn task_gen() -> impl Strategy<Value = TaskGen> {
    (
        prop::sample::select(vec![0.25, 0.5, 1.0, 2.0]),
        prop::sample::select(vec![0u32, 256, 1024]),
        prop::sample::select(vec![None, Some("a"), Some("b")]),
        prop::collection::vec(any::<bool>(), 5),
        prop::sample::select(vec![1.0, 1.0, 0.5]),
        prop::sample::select(vec![
            r#"{ kind = "exponential", mean = 1.0 }"#,
            r#"{ kind = "constant", value = 0.5 }"#,
            r#"{ kind = "constant", value = 0.0 }"#,
            r#"{ kind = "lognormal", mean = 0.8, cv = 2.0 }"#,
            r#"{ kind = "uniform", min = 0.1, max = 2.0 }"#,
        ]),
    )
        .prop_map(|(cpu, memory_mib, pool, after, probability, work)| TaskGen {
            cpu,
            memory_mib,
            pool,
            after,
            probability,
            work,
        })
}

/// A random valid scenario: task sizes and pools are repaired to fit some node.
fn scenario_text(
    nodes: &[NodeKind],
    workflows: &[(f64, Vec<TaskGen>)],
    central: bool,
    backfill: bool,
    drain: bool,
    policy: (&str, &str, &str),
    chaos: &Chaos,
) -> String {
    let mut t = format!(
        "name = \"random\"\nduration = 60.0\nwarmup = 10.0\nseed = 3\ndrain = {drain}\n\
         [limits]\nmax_in_flight = 500\n\
         [cluster]\nmode = \"{}\"\nbackfill = {backfill}\n",
        if central { "central" } else { "per-node" }
    );
    for (i, n) in nodes.iter().enumerate() {
        t += &format!(
            "[[cluster.nodes]]\nname = \"n{i}\"\ncount = {}\ncpu = {}\nmemory = \"{}GiB\"\nspeed = {}\n",
            n.count, n.cpu, n.memory_gib, n.speed
        );
        if let Some(p) = n.pool {
            t += &format!("pool = \"{p}\"\n");
        }
        if chaos.node_failures {
            t += "failures = { mtbf = 15.0, mttr = 2.0 }\n";
        }
        if chaos.outage && i == 0 {
            t += "outages = [{ at = 20.0, duration = 5.0 }]\n";
        }
    }
    if !central && (chaos.overload.is_some() || chaos.stealing) {
        t += &format!("[monitor]\ninterval = 0.5\nwork_stealing = {}\n", chaos.stealing);
        if let Some(o) = chaos.overload {
            t += &format!("overload = {o}\n");
        }
    }
    t += &format!(
        "[policy]\nqueue = {}\nplacement = \"{}\"\nadmission = {}\n",
        policy.0, policy.1, policy.2
    );
    for (w, (rate, tasks)) in workflows.iter().enumerate() {
        t += &format!("[[workflows]]\nname = \"w{w}\"\npriority = {w}\ndeadline = 5.0\narrival = {{ kind = \"poisson\", rate = {rate} }}\n");
        if chaos.abort_on_deadline {
            t += "on_deadline = \"abort\"\n";
        }
        if chaos.drain_on_abort {
            t += "cancel = \"drain\"\n";
        }
        for (i, task) in tasks.iter().enumerate() {
            // Keep the pool only if some node has it; shrink the task to fit its group.
            let pool = task.pool.filter(|p| nodes.iter().any(|n| n.pool == Some(*p)));
            let group: Vec<&NodeKind> =
                nodes.iter().filter(|n| pool.is_none() || n.pool == pool).collect();
            let max_cpu = group.iter().map(|n| n.cpu).fold(0.0, f64::max);
            let cpu = task.cpu.min(max_cpu);
            let mem_cap = group
                .iter()
                .filter(|n| n.cpu >= cpu)
                .map(|n| n.memory_gib * 1024)
                .max()
                .unwrap_or(0);
            let memory = task.memory_mib.min(mem_cap);
            let after: Vec<String> =
                (0..i).filter(|&j| task.after[j]).map(|j| format!("\"t{j}\"")).collect();
            t += &format!(
                "[[workflows.tasks]]\nname = \"t{i}\"\ncpu = {cpu}\nmemory = \"{memory}MiB\"\nwork = {}\nafter = [{}]\nprobability = {}\n",
                task.work,
                after.join(", "),
                task.probability
            );
            if let Some(p) = pool {
                t += &format!("pool = \"{p}\"\n");
            }
            // Every other task may fail; compensations have the task's size, so they fit.
            if i % 2 == 0 && chaos.fail_probability > 0.0 {
                t += &format!(
                    "failure = {{ probability = {} }}\nretries = {}\n{}\n",
                    chaos.fail_probability, chaos.retries, chaos.backoff
                );
            }
            if chaos.compensate {
                t += &format!(
                    "compensate = {{ name = \"undo{i}\", cpu = {cpu}, memory = \"{memory}MiB\", work = {{ kind = \"exponential\", mean = 0.2 }} }}\n"
                );
            }
        }
    }
    t
}

fn policy() -> impl Strategy<Value = (bool, (&'static str, &'static str, &'static str))> {
    (
        any::<bool>(),
        prop::sample::select(vec!["\"fcfs\"", "\"sjf\"", "{ kind = \"sjf\", true_work = true }", "\"priority\"", "\"edf\"", "{ kind = \"weighted-priority\", weights = { priority = 1.0, age = 0.5, work = -1.0 } }"]),
        prop::sample::select(vec!["round-robin", "random", "least-loaded", "weighted-least-loaded", "power-of-two", "first-fit", "best-fit", "spread", "bin-pack", "resource-score"]),
        prop::sample::select(vec!["\"always\"", "{ kind = \"load-threshold\", limit = 0.8 }", "{ kind = \"queue-limit\", limit = 10 }"]),
    )
        .prop_map(|(central, q, p, a)| {
            // Fit-based placements are central-only: in per-node mode use least-loaded.
            let central_only = matches!(p, "first-fit" | "best-fit" | "bin-pack");
            (central, (q, if central_only && !central { "least-loaded" } else { p }, a))
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_scenarios_keep_every_invariant(
        nodes in prop::collection::vec(node_kind(), 1..=3),
        workflows in prop::collection::vec((0.2f64..4.0, prop::collection::vec(task_gen(), 1..=5)), 1..=2),
        (central, policy) in policy(),
        backfill in any::<bool>(),
        drain in any::<bool>(),
        seed in 0u64..1000,
        chaos in chaos(),
    ) {
        let text = scenario_text(&nodes, &workflows, central, backfill, drain, policy, &chaos);
        let scenario = Scenario::from_toml(&text, "random.toml".as_ref(), &[])
            .unwrap_or_else(|e| panic!("generated an invalid scenario: {e}\n{text}"));
        let model = Model::new(&scenario).unwrap();
        let sim = Simulation::with_observer(&model, &scenario.policy, seed, Checker::new(&model)).unwrap();
        let (result, checker) = sim.run();
        prop_assert!(checker.violations.is_empty(), "{:?}\n{text}", &checker.violations[..checker.violations.len().min(5)]);
        let s = &result.summary;
        prop_assert_eq!(s.arrived, s.completed + s.rejected + s.failed + s.in_flight);
        prop_assert!(s.failed <= s.rollbacks);
        prop_assert!(s.retries <= s.task_failures);
        prop_assert!((0.0..=1.0).contains(&s.availability));
        if drain && s.stable {
            prop_assert_eq!(s.in_flight, 0);
            // Everything drained: nothing is still allocated.
            prop_assert!(checker.cpu.iter().all(|&c| c == 0));
        }
        prop_assert!(s.utilization.is_nan() || (0.0..=1.0 + 1e-9).contains(&s.utilization));
        for n in &s.nodes {
            prop_assert!(n.utilization <= 1.0 + 1e-9 && n.load >= n.utilization - 1e-9);
        }
    }
}
