//! Orchestration under failure: retries, saga rollback, node outages, migration and work
//! stealing (issue 3).

use schedsim::experiment::Estimate;
use schedsim::metrics::AbortReason;
use schedsim::model::{Model, NodeId};
use schedsim::sim::{Interruption, Move, Observer, TaskEvent, TaskKind};
use schedsim::{Scenario, Simulation, Summary};

use crate::util::{assert_matches_theory, replications, scenario};

/// What happened, as readable lines with exact times: `t=13.5 start comp_b on n`.
#[derive(Default)]
struct Log {
    lines: Vec<String>,
    names: Vec<Vec<String>>,
    nodes: Vec<String>,
    /// (workflow, task, attempt) of every failed attempt.
    failures: Vec<(u64, usize, u32)>,
    /// Tasks running now: (workflow, task) → node.
    running: std::collections::BTreeMap<(u64, usize), NodeId>,
    /// Tasks started on a node while it was down.
    started_on_down: Vec<String>,
    down: Vec<bool>,
    redistributed: usize,
}

impl Log {
    fn new(model: &Model) -> Self {
        Log {
            names: model
                .classes
                .iter()
                .map(|c| c.tasks.iter().map(|t| t.name.clone()).collect())
                .collect(),
            nodes: model.nodes.iter().map(|n| n.name.clone()).collect(),
            down: vec![false; model.nodes.len()],
            ..Log::default()
        }
    }

    fn task(&self, e: &TaskEvent) -> &str {
        &self.names[e.class][e.task]
    }
}

impl Observer for Log {
    fn started(&mut self, e: &TaskEvent) {
        let kind = match e.kind {
            TaskKind::Step => "start",
            TaskKind::Compensation => "compensate",
        };
        self.lines.push(format!("t={} {kind} {} on {}", e.time, self.task(e), self.nodes[e.node]));
        self.running.insert((e.workflow, e.task), e.node);
        if self.down[e.node] {
            self.started_on_down.push(format!("t={} {}", e.time, self.task(e)));
        }
    }
    fn finished(&mut self, e: &TaskEvent) {
        self.lines.push(format!("t={} finish {}", e.time, self.task(e)));
        self.running.remove(&(e.workflow, e.task));
    }
    fn interrupted(&mut self, e: &TaskEvent, why: Interruption) {
        self.lines.push(format!("t={} {why:?} {}", e.time, self.task(e)));
        self.running.remove(&(e.workflow, e.task));
        if why == Interruption::Failed {
            self.failures.push((e.workflow, e.task, e.attempt));
        }
    }
    fn retrying(&mut self, time: f64, _workflow: u64, _task: usize, delay: f64) {
        self.lines.push(format!("t={time} retry in {delay}"));
    }
    fn moved(&mut self, _time: f64, _wf: u64, _task: usize, _from: NodeId, _to: NodeId, why: Move) {
        if why == Move::Redistribution {
            self.redistributed += 1;
        }
    }
    fn aborted(&mut self, time: f64, _workflow: u64, _class: usize, why: AbortReason) {
        self.lines.push(format!("t={time} abort ({why:?})"));
    }
    fn failed(&mut self, time: f64, _workflow: u64, _class: usize) {
        self.lines.push(format!("t={time} workflow failed"));
    }
    fn completed(&mut self, time: f64, _workflow: u64, _class: usize) {
        self.lines.push(format!("t={time} workflow completed"));
    }
    fn node_down(&mut self, time: f64, node: NodeId) {
        self.lines.push(format!("t={time} {} down", self.nodes[node]));
        self.down[node] = true;
    }
    fn node_up(&mut self, time: f64, node: NodeId) {
        self.lines.push(format!("t={time} {} up", self.nodes[node]));
        self.down[node] = false;
    }
}

/// Runs the scenario's `[policy]` at its seed with a [`Log`].
fn logged(s: &Scenario) -> (Summary, Log) {
    let model = Model::new(s).unwrap();
    let sim = Simulation::with_observer(&model, &s.policy, s.seed, Log::new(&model)).unwrap();
    let (result, log) = sim.run();
    (result.summary, log)
}

// ---------------------------------------------------------------------------------------
// Retries

/// One exponential task per workflow on four one-core nodes; `task_extra` adds keys.
fn retry_scenario(task_extra: &str) -> Scenario {
    scenario(&format!(
        r#"name = "retry"
duration = 2000.0
warmup = 100.0
seed = 11
[[cluster.nodes]]
name = "n"
count = 4
cpu = 1
memory = "1GiB"
[[workflows]]
name = "job"
arrival = {{ kind = "poisson", rate = 2.0 }}
[[workflows.tasks]]
name = "work"
cpu = 1
work = {{ kind = "exponential", mean = 1.0 }}
{task_extra}
"#
    ))
}

#[test]
fn with_unlimited_retries_the_mean_number_of_attempts_is_one_over_one_minus_p() {
    let p = 0.3;
    let s = retry_scenario(&format!(
        "failure = {{ probability = {p}, at = \"end\" }}\nretries = 1000000"
    ));
    let runs = replications(&s, 20);
    for r in &runs {
        assert_eq!(r.failed, 0, "with unlimited retries nothing fails for good");
        assert_eq!(r.completed, r.arrived);
        assert_eq!(r.retries, r.task_failures);
        assert_eq!(r.attempts, r.completed + r.task_failures);
    }
    assert_matches_theory(
        &runs,
        "attempts per workflow",
        |r| r.attempts as f64 / r.completed as f64,
        1.0 / (1.0 - p),
    );
    // A failure at the end wastes the whole attempt: one core × its work (mean 1 s).
    assert_matches_theory(
        &runs,
        "wasted CPU-seconds per failed attempt (at end)",
        |r| r.wasted_cpu_seconds / r.task_failures as f64,
        1.0,
    );
}

#[test]
fn a_failure_at_a_uniform_point_wastes_half_the_attempt_on_average() {
    let s = retry_scenario("failure = { probability = 0.3 }\nretries = 1000000");
    let runs = replications(&s, 20);
    assert_matches_theory(
        &runs,
        "wasted CPU-seconds per failed attempt (uniform)",
        |r| r.wasted_cpu_seconds / r.task_failures as f64,
        0.5,
    );
}

#[test]
fn without_retries_the_failed_fraction_is_p() {
    let p = 0.3;
    let s = retry_scenario(&format!("failure = {{ probability = {p} }}"));
    let runs = replications(&s, 20);
    for r in &runs {
        assert_eq!(r.retries, 0);
        assert_eq!(r.failed, r.task_failures, "every failure aborts its workflow");
        assert_eq!(r.rollbacks, r.failed);
        assert_eq!(r.aborted_retries, r.failed);
        assert_eq!(r.arrived, r.completed + r.failed);
        assert_eq!(r.compensations, 0, "the only step failed: nothing to compensate");
    }
    assert_matches_theory(&runs, "failed fraction", |r| r.failed as f64 / r.arrived as f64, p);
}

#[test]
fn failures_are_the_same_under_every_policy() {
    // The draw is keyed by (workflow, task, attempt), so first attempts fail alike whatever
    // the placement did before.
    let s = retry_scenario("failure = { probability = 0.2 }\nretries = 3");
    let first_attempts = |placement: &str| {
        let mut s = s.clone();
        s.duration = 300.0;
        s.warmup = 0.0;
        s.policy.placement = schedsim::scenario::PolicySpec::named(placement);
        let (_, log) = logged(&s);
        let mut f: Vec<(u64, usize)> =
            log.failures.iter().filter(|f| f.2 == 1).map(|f| (f.0, f.1)).collect();
        f.sort_unstable();
        f
    };
    let a = first_attempts("random");
    assert!(a.len() > 50);
    assert_eq!(a, first_attempts("least-loaded"));
}

// ---------------------------------------------------------------------------------------
// Saga rollback

/// One workflow at t = 10 on one node: a (1 s) → b (2 s) → c (0.5 s), each compensated.
/// `c_extra` configures the last step.
fn saga(c_extra: &str, workflow_extra: &str) -> Scenario {
    scenario(&format!(
        r#"name = "saga"
duration = 15.0
seed = 1
[[cluster.nodes]]
name = "n"
cpu = 4
memory = "1GiB"
[[workflows]]
name = "order"
arrival = {{ kind = "periodic", interval = 10.0 }}
{workflow_extra}
[[workflows.tasks]]
name = "a"
cpu = 1
work = {{ kind = "constant", value = 1.0 }}
compensate = {{ name = "undo_a", cpu = 1, work = {{ kind = "constant", value = 0.125 }} }}
[[workflows.tasks]]
name = "b"
cpu = 1
after = ["a"]
work = {{ kind = "constant", value = 2.0 }}
compensate = {{ name = "undo_b", cpu = 1, work = {{ kind = "constant", value = 0.25 }} }}
[[workflows.tasks]]
name = "c"
cpu = 1
after = ["b"]
work = {{ kind = "constant", value = 0.5 }}
compensate = {{ name = "undo_c", cpu = 1, work = {{ kind = "constant", value = 0.5 }} }}
{c_extra}
"#
    ))
}

#[test]
fn a_third_step_that_always_fails_compensates_steps_two_then_one_at_exact_times() {
    let (s, log) = logged(&saga("failure = { probability = 1.0, at = \"end\" }", ""));
    assert_eq!(
        log.lines,
        [
            "t=10 start a on n",
            "t=11 finish a",
            "t=11 start b on n",
            "t=13 finish b",
            "t=13 start c on n",
            "t=13.5 Failed c",
            "t=13.5 abort (Retries)",
            "t=13.5 compensate undo_b on n",
            "t=13.75 finish undo_b",
            "t=13.75 compensate undo_a on n",
            "t=13.875 finish undo_a",
            "t=13.875 workflow failed",
        ]
    );
    assert_eq!((s.arrived, s.completed, s.failed, s.in_flight), (1, 0, 1, 0));
    assert_eq!((s.rollbacks, s.aborted_retries, s.compensations), (1, 1, 2));
    assert_eq!(s.compensation_cpu_seconds, 0.375);
    assert_eq!(s.rollback_latency_mean, 0.375);
    assert_eq!(s.wasted_cpu_seconds, 0.5);
    assert!(s.latency_mean.is_nan(), "a failed workflow has no latency");
}

#[test]
fn retries_wait_for_their_exponential_backoff_before_the_rollback() {
    let c = "failure = { probability = 1.0, at = \"end\" }\nretries = 2\n\
             backoff = { kind = \"exponential\", initial = 0.5, factor = 2.0 }";
    let (s, log) = logged(&saga(c, ""));
    let from_c: Vec<&str> =
        log.lines.iter().skip_while(|l| !l.contains("start c")).map(String::as_str).collect();
    assert_eq!(
        from_c,
        [
            "t=13 start c on n",
            "t=13.5 Failed c",
            "t=13.5 retry in 0.5",
            "t=14 start c on n",
            "t=14.5 Failed c",
            "t=14.5 retry in 1",
            "t=15.5 start c on n",
            "t=16 Failed c",
            "t=16 abort (Retries)",
            "t=16 compensate undo_b on n",
            "t=16.25 finish undo_b",
            "t=16.25 compensate undo_a on n",
            "t=16.375 finish undo_a",
            "t=16.375 workflow failed",
        ]
    );
    assert_eq!((s.attempts, s.retries, s.task_failures), (5, 2, 3));
}

/// a (1 s), then b (fails at its end after 0.5 s) beside c (2 s).
fn parallel_saga(cancel: &str) -> Scenario {
    let s = saga("", &format!("cancel = \"{cancel}\""));
    let mut text = toml::to_string(&s).unwrap();
    // b fails; c runs beside b instead of after it.
    text = text.replace("after = [\"b\"]", "after = [\"a\"]");
    let mut s = scenario(&text);
    let b = &mut s.workflows[0].tasks[1];
    b.work = schedsim::scenario::DistSpec::Constant { value: 0.5 };
    b.failure = Some(schedsim::scenario::FailureSpec {
        probability: 1.0,
        at: schedsim::scenario::FailurePoint::End,
    });
    s.workflows[0].tasks[2].work = schedsim::scenario::DistSpec::Constant { value: 2.0 };
    s
}

#[test]
fn an_immediate_abort_cancels_running_steps_and_compensates_only_finished_ones() {
    let (s, log) = logged(&parallel_saga("immediate"));
    let from_abort: Vec<&str> =
        log.lines.iter().skip_while(|l| !l.contains("Failed b")).map(String::as_str).collect();
    assert_eq!(
        from_abort,
        [
            "t=11.5 Failed b",
            "t=11.5 abort (Retries)",
            "t=11.5 Cancelled c",
            "t=11.5 compensate undo_a on n",
            "t=11.625 finish undo_a",
            "t=11.625 workflow failed",
        ]
    );
    assert_eq!(s.tasks_cancelled, 1);
    // b held one core for 0.5 s and c one core for 0.5 s before it was cancelled.
    assert_eq!(s.wasted_cpu_seconds, 1.0);
}

#[test]
fn a_draining_abort_lets_running_steps_finish_and_compensates_them_first() {
    let (s, log) = logged(&parallel_saga("drain"));
    let from_abort: Vec<&str> =
        log.lines.iter().skip_while(|l| !l.contains("Failed b")).map(String::as_str).collect();
    assert_eq!(
        from_abort,
        [
            "t=11.5 Failed b",
            "t=11.5 abort (Retries)",
            "t=13 finish c",
            "t=13 compensate undo_c on n",
            "t=13.5 finish undo_c",
            "t=13.5 compensate undo_a on n",
            "t=13.625 finish undo_a",
            "t=13.625 workflow failed",
        ]
    );
    assert_eq!(s.tasks_cancelled, 0);
    assert_eq!(s.rollback_latency_mean, 2.125);
}

#[test]
fn passing_the_deadline_with_abort_rolls_the_workflow_back() {
    let (s, log) = logged(&saga("", "deadline = 2.5\non_deadline = \"abort\""));
    let from_abort: Vec<&str> =
        log.lines.iter().skip_while(|l| !l.contains("abort")).map(String::as_str).collect();
    assert_eq!(
        from_abort,
        [
            "t=12.5 abort (Deadline)",
            "t=12.5 Cancelled b",
            "t=12.5 compensate undo_a on n",
            "t=12.625 finish undo_a",
            "t=12.625 workflow failed",
        ]
    );
    assert_eq!((s.failed, s.aborted_deadline, s.completed), (1, 1, 0));
    assert!(s.deadline_miss_rate.is_nan(), "nothing completed, so nothing missed");

    // With `continue` (the default) the same workflow completes late instead.
    let (s, _) = logged(&saga("", "deadline = 2.5"));
    assert_eq!((s.failed, s.completed, s.deadline_miss_rate), (0, 1, 1.0));
}

// ---------------------------------------------------------------------------------------
// Node outages

/// Two one-core nodes; every 2 s a workflow of four parallel 0.9 s tasks arrives, so each
/// node runs one task and has one waiting for 1.8 s of every 2. Node n-0 is down from
/// t = 100.25 (a workflow arrived at t = 100) for 10 s.
fn outage_scenario(mode: &str) -> Scenario {
    scenario(&format!(
        r#"name = "outage"
duration = 200.0
seed = 2
[cluster]
mode = "{mode}"
[[cluster.nodes]]
name = "n"
count = 2
cpu = 1
memory = "1GiB"
outages = [{{ node = "n-0", at = 100.25, duration = 10.0 }}]
[[workflows]]
name = "job"
arrival = {{ kind = "periodic", interval = 2.0 }}
[[workflows.tasks]]
name = "work"
cpu = 1
work = {{ kind = "constant", value = 0.9 }}
[[workflows.tasks]]
name = "work2"
cpu = 1
work = {{ kind = "constant", value = 0.9 }}
[[workflows.tasks]]
name = "work3"
cpu = 1
work = {{ kind = "constant", value = 0.9 }}
[[workflows.tasks]]
name = "work4"
cpu = 1
work = {{ kind = "constant", value = 0.9 }}
"#
    ))
}

#[test]
fn a_scheduled_outage_reschedules_the_tasks_running_on_the_node_and_all_complete() {
    for mode in ["central", "per-node"] {
        let s = outage_scenario(mode);
        let model = Model::new(&s).unwrap();
        // Which task runs on n-0 just before the outage?
        struct Before(Option<(u64, usize)>, std::collections::BTreeMap<(u64, usize), NodeId>);
        impl Observer for Before {
            fn started(&mut self, e: &TaskEvent) {
                if e.time < 100.25 {
                    self.1.insert((e.workflow, e.task), e.node);
                }
            }
            fn finished(&mut self, e: &TaskEvent) {
                self.1.remove(&(e.workflow, e.task));
            }
            fn node_down(&mut self, _time: f64, node: NodeId) {
                self.0 = self.1.iter().find(|(_, &n)| n == node).map(|(k, _)| *k);
            }
        }
        let sim =
            Simulation::with_observer(&model, &s.policy, s.seed, Before(None, Default::default()))
                .unwrap();
        let (_, before) = sim.run();
        let victim = before.0.expect("a task was running on n-0 when it went down");

        let (sum, log) = logged(&s);
        assert_eq!(sum.tasks_lost, 1, "{mode}: one task was running on n-0");
        assert_eq!(sum.completed, sum.arrived, "{mode}: every workflow completes");
        assert_eq!(sum.in_flight, 0);
        assert!(
            log.started_on_down.is_empty(),
            "{mode}: started on a down node: {:?}",
            log.started_on_down
        );
        let lost = format!("t=100.25 Lost {}", log.names[0][victim.1]);
        assert!(log.lines.contains(&lost), "{mode}: {lost}");
        assert!(log.lines.contains(&"t=100.25 n-0 down".to_string()));
        assert!(log.lines.contains(&"t=110.25 n-0 up".to_string()));
        // The lost task ran again (a second attempt) and finished.
        assert_eq!(sum.attempts, 4 * sum.completed + 1, "{mode}");
        assert!(log.running.is_empty());
        let n0 = &sum.nodes[0];
        assert_eq!(n0.failures, 1);
        assert!(
            (n0.availability - (1.0 - 10.0 / sum.window)).abs() < 1e-12,
            "{mode}: {}",
            n0.availability
        );
        assert_eq!(sum.nodes[1].availability, 1.0);
        assert!((sum.availability - (1.0 - 5.0 / sum.window)).abs() < 1e-12);
        if mode == "per-node" {
            // Work queued at n-0 when it went down was placed on n-1.
            assert!(log.redistributed > 0, "the queue at n-0 was redistributed");
        }
    }
}

#[test]
fn random_node_failures_follow_mtbf_and_mttr() {
    // Availability of a node with exponential up and down times is MTBF / (MTBF + MTTR).
    let s = scenario(
        r#"name = "flaky"
duration = 20000.0
seed = 4
[[cluster.nodes]]
name = "n"
count = 4
cpu = 2
memory = "1GiB"
failures = { mtbf = 100.0, mttr = 25.0 }
[[workflows]]
name = "job"
arrival = { kind = "poisson", rate = 1.0 }
[[workflows.tasks]]
name = "work"
cpu = 1
work = { kind = "exponential", mean = 1.0 }
"#,
    );
    let runs = replications(&s, 10);
    for r in &runs {
        assert_eq!(r.completed + r.in_flight, r.arrived);
        assert!(r.tasks_lost > 0);
    }
    assert_matches_theory(&runs, "availability", |r| r.availability, 100.0 / 125.0);
}

// ---------------------------------------------------------------------------------------
// Load monitor

#[test]
fn migration_lowers_tail_latency_and_imbalance_of_round_robin_on_unequal_nodes() {
    // Its [policy] is round robin.
    let mut on = Scenario::load(std::path::Path::new("scenarios/load-balancing.toml")).unwrap();
    let monitor = on.monitor.as_mut().unwrap();
    monitor.work_stealing = false;
    let mut off = on.clone();
    off.monitor = None;
    let (with, _) = logged(&on);
    let (without, _) = logged(&off);
    assert!(with.migrations > 0);
    assert_eq!(without.migrations, 0);
    assert!(
        with.latency_p99 < without.latency_p99,
        "p99 with migration {} vs without {}",
        with.latency_p99,
        without.latency_p99
    );
    assert!(
        with.load_imbalance < without.load_imbalance,
        "imbalance with migration {} vs without {}",
        with.load_imbalance,
        without.load_imbalance
    );
}

#[test]
fn work_stealing_reduces_mean_wait_of_random_placement() {
    let text = |stealing: &str| {
        format!(
            r#"name = "steal"
duration = 5000.0
warmup = 200.0
seed = 8
[cluster]
mode = "per-node"
[[cluster.nodes]]
name = "n"
count = 4
cpu = 1
memory = "1GiB"
{stealing}
[policy]
placement = "random"
[[workflows]]
name = "job"
arrival = {{ kind = "poisson", rate = 3.2 }}
[[workflows.tasks]]
name = "work"
cpu = 1
work = {{ kind = "exponential", mean = 1.0 }}
"#
        )
    };
    let with = replications(&scenario(&text("[monitor]\nwork_stealing = true")), 5);
    let without = replications(&scenario(&text("")), 5);
    let mean_wait = |runs: &[Summary]| {
        Estimate::new(&runs.iter().map(|r| r.wait_mean).collect::<Vec<_>>(), 0.95)
    };
    let (w, wo) = (mean_wait(&with), mean_wait(&without));
    assert!(with.iter().all(|r| r.steals > 0));
    // Random splitting makes each node an M/M/1 queue at ρ = 0.8 (mean wait 4 s); stealing
    // brings it close to one M/M/4 queue (0.75 s).
    assert!(
        w.mean + w.half_width < wo.mean - wo.half_width,
        "mean wait with stealing {w:?} vs without {wo:?}"
    );
    assert!(wo.contains(4.0), "without stealing each node is M/M/1: {wo:?}");
}

// ---------------------------------------------------------------------------------------
// Regressions found in review: a task leaving a queue must let the queue be walked again.

/// One arrival of each class at 20 + its offset (arrivals stop at 30).
fn once(name: &str, offset: f64, cpu: f64, work: f64, extra: &str) -> String {
    format!(
        "[[workflows]]\nname = \"{name}\"\narrival = {{ kind = \"periodic\", interval = 20.0, offset = {offset} }}\n{extra}\n\
         [[workflows.tasks]]\nname = \"{name}\"\ncpu = {cpu}\nwork = {{ kind = \"constant\", value = {work} }}\n"
    )
}

#[test]
fn aborting_the_blocking_head_of_a_strict_queue_lets_the_task_behind_it_start() {
    // One 2-core node without backfill: `long` holds a core until t = 30; `head` (2 cores)
    // blocks the queue from t = 21 until its deadline aborts it at t = 23; `small` (1 core,
    // t = 22) fits on the free core and must start then, not when `long` ends.
    let text = format!(
        "name = \"hol\"\nduration = 30.0\n[cluster]\nbackfill = false\n\
         [[cluster.nodes]]\nname = \"n\"\ncpu = 2\nmemory = \"1GiB\"\n{}{}{}",
        once("long", 0.0, 1.0, 10.0, ""),
        once("head", 1.0, 2.0, 1.0, "deadline = 2.0\non_deadline = \"abort\""),
        once("small", 2.0, 1.0, 1.0, ""),
    );
    let (s, log) = logged(&scenario(&text));
    assert!(log.lines.contains(&"t=23 abort (Deadline)".to_string()), "{:#?}", log.lines);
    assert!(log.lines.contains(&"t=23 start small on n".to_string()), "{:#?}", log.lines);
    assert_eq!((s.completed, s.failed), (2, 1));
}

#[test]
fn stealing_the_blocking_head_of_a_node_queue_lets_the_task_behind_it_start() {
    // Per-node round robin over v and t, no backfill. v runs `r` (1 core) until t = 120 and
    // queues `h` (2 cores) then `s` (1 core); t runs `x` until 25 and `z` until 25.1, then is
    // idle and steals the oldest task it can run, `h`. `s` fits on v's free core at once.
    let text = format!(
        "name = \"steal-head\"\nduration = 30.0\n[cluster]\nmode = \"per-node\"\nbackfill = false\n\
         [[cluster.nodes]]\nname = \"v\"\ncpu = 2\nmemory = \"1GiB\"\n\
         [[cluster.nodes]]\nname = \"t\"\ncpu = 2\nmemory = \"1GiB\"\n\
         [monitor]\nwork_stealing = true\n[policy]\nplacement = \"round-robin\"\n{}{}{}{}{}",
        once("r", 0.0, 1.0, 100.0, ""),
        once("x", 1.0, 2.0, 4.0, ""),
        once("h", 2.0, 2.0, 1.0, ""),
        once("z", 2.5, 1.0, 0.1, ""),
        once("s", 3.0, 1.0, 1.0, ""),
    );
    let (s, log) = logged(&scenario(&text));
    let start = |task: &str| {
        log.lines.iter().find(|l| l.contains(&format!("start {task} on"))).cloned().unwrap()
    };
    assert_eq!(start("h"), "t=25.1 start h on t", "{:#?}", log.lines);
    assert_eq!(start("s"), "t=25.1 start s on v", "{:#?}", log.lines);
    assert_eq!(s.steals, 1);
}
