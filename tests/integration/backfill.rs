//! Backfilling with reservations: a case worked by hand, where EASY and conservative differ,
//! and the EASY guarantee (the head's reservation is never delayed) on random job sets.

use std::collections::HashMap;

use proptest::prelude::*;
use schedsim::model::{Model, NodeId};
use schedsim::sim::{Observer, TaskEvent};
use schedsim::{Scenario, Simulation};

use crate::util::scenario;

/// One 4-core node; four one-task jobs with exact estimates (constant work) arriving at
/// t = 10, 11, 12, 13:
///
/// | job | cpu | work |
/// |-----|-----|------|
/// | a   | 3   | 10   |
/// | b   | 3   | 5    |
/// | c   | 4   | 10   |
/// | d   | 1   | 20   |
///
/// `a` runs 10–20. `b` cannot start (1 core free) and is reserved at 20, leaving 1 core
/// spare then. Under EASY, `d` fits now and its 1 core is that spare core, so it runs 13–33;
/// `b` runs 20–25 as promised and `c`, needing all 4, waits for `d`: 33–43. Conservative also
/// reserves `c` at 25–35, which `d` would overlap, so `d` waits until 35: 35–55. Plain FCFS
/// without backfill gives the same order as conservative here. The reservation disciplines
/// ignore the cluster's `backfill` switch.
fn four_jobs(queue: &str) -> String {
    let mut text = format!(
        "name = \"four-jobs\"\nduration = 14.0\ndrain = true\n\
         [cluster]\nmode = \"central\"\n\
         [[cluster.nodes]]\nname = \"node\"\ncpu = 4\nmemory = \"8GiB\"\n\
         [policy]\nqueue = \"{queue}\"\nplacement = \"first-fit\"\n"
    );
    for (i, (name, cpu, work)) in
        [("a", 3, 10), ("b", 3, 5), ("c", 4, 10), ("d", 1, 20)].into_iter().enumerate()
    {
        text += &format!(
            "[[workflows]]\nname = \"{name}\"\narrival = {{ kind = \"periodic\", interval = 10.0, offset = {i}.0 }}\n\
             [[workflows.tasks]]\nname = \"run\"\ncpu = {cpu}\nwork = {{ kind = \"constant\", value = {work}.0 }}\n"
        );
    }
    text
}

fn latencies(queue: &str, backfill: bool) -> Vec<f64> {
    let text = four_jobs(queue).replace("[cluster]", &format!("[cluster]\nbackfill = {backfill}"));
    let s = scenario(&text);
    let model = Model::new(&s).unwrap();
    let (result, _) = Simulation::new(&model, &s.policy, 1).unwrap().run();
    result.summary.classes.iter().map(|c| c.latency_mean).collect()
}

#[test]
fn easy_backfills_what_does_not_delay_the_head() {
    // Latency = finish − arrival: a 20 − 10, b 25 − 11, c 43 − 12, d 33 − 13.
    assert_eq!(latencies("easy-backfill", false), vec![10.0, 14.0, 31.0, 20.0]);
}

#[test]
fn conservative_protects_every_reservation() {
    // c keeps its reservation at 25; d goes after it: a 10, b 14, c 35 − 12, d 55 − 13.
    assert_eq!(latencies("conservative-backfill", false), vec![10.0, 14.0, 23.0, 42.0]);
    // Strict FCFS gives the same order; FCFS that lets anything fitting jump ahead (the
    // cluster's `backfill = true`, no reservations) happens to match EASY here.
    assert_eq!(latencies("fcfs", false), vec![10.0, 14.0, 23.0, 42.0]);
    assert_eq!(latencies("fcfs", true), vec![10.0, 14.0, 31.0, 20.0]);
}

#[test]
fn backfilling_disciplines_refuse_per_node_mode() {
    let text = four_jobs("easy-backfill").replace("mode = \"central\"", "mode = \"per-node\"");
    let text = text.replace("first-fit", "least-loaded");
    let err = Scenario::from_toml(&text, "bf.toml".as_ref(), &[]).unwrap_err().to_string();
    assert!(err.contains("policy.queue") && err.contains("central"), "{err}");
}

/// Records each task's reservations and its start.
#[derive(Default)]
struct Reservations {
    /// (workflow, task) → reservation times, in the order they were made.
    reserved: HashMap<(u64, usize), Vec<f64>>,
    started: HashMap<(u64, usize), f64>,
}

impl Observer for Reservations {
    fn reserved(&mut self, _time: f64, workflow: u64, task: usize, _node: NodeId, at: f64) {
        self.reserved.entry((workflow, task)).or_default().push(at);
    }
    fn started(&mut self, e: &TaskEvent) {
        self.started.entry((e.workflow, e.task)).or_insert(e.time);
    }
}

/// A random job set on 1–2 nodes: one-task classes with constant work, so the estimates are
/// exact, and Poisson arrivals dense enough that a queue forms.
fn job_set(nodes: u32, cores: u32, jobs: &[(u32, u32, f64)]) -> String {
    let mut text = format!(
        "name = \"random-jobs\"\nduration = 40.0\ndrain = true\nseed = 5\n\
         [cluster]\nmode = \"central\"\n\
         [[cluster.nodes]]\nname = \"node\"\ncount = {nodes}\ncpu = {cores}\nmemory = \"8GiB\"\n\
         [policy]\nqueue = \"easy-backfill\"\nplacement = \"first-fit\"\n"
    );
    for (i, &(cpu, work, rate)) in jobs.iter().enumerate() {
        text += &format!(
            "[[workflows]]\nname = \"j{i}\"\narrival = {{ kind = \"poisson\", rate = {rate} }}\n\
             [[workflows.tasks]]\nname = \"run\"\ncpu = {}\nwork = {{ kind = \"constant\", value = {work}.0 }}\n",
            cpu.min(cores)
        );
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// With exact estimates EASY keeps its promise: a task's reservation never moves later,
    /// and it starts no later than its last reservation.
    #[test]
    fn easy_never_delays_the_head_reservation(
        nodes in 1u32..=2,
        cores in 2u32..=8,
        jobs in prop::collection::vec((1u32..=8, 1u32..=20, 0.05f64..0.6), 1..=4),
        seed in 0u64..1000,
    ) {
        let text = job_set(nodes, cores, &jobs);
        let s = Scenario::from_toml(&text, "random.toml".as_ref(), &[]).unwrap();
        let model = Model::new(&s).unwrap();
        let sim = Simulation::with_observer(&model, &s.policy, seed, Reservations::default()).unwrap();
        let (result, seen) = sim.run();
        prop_assert_eq!(result.summary.in_flight, 0);
        for (task, times) in &seen.reserved {
            for pair in times.windows(2) {
                prop_assert!(pair[1] <= pair[0] + 1e-9, "{task:?}: reservation moved from {} to {}\n{text}", pair[0], pair[1]);
            }
            let start = seen.started[task];
            let last = *times.last().unwrap();
            prop_assert!(start <= last + 1e-9, "{task:?} started at {start}, reserved for {last}\n{text}");
        }
    }
}

/// Estimates come from their own stream: adding `work_estimate` changes nothing for a
/// discipline that ignores it, and reorders SJF, which ranks by it.
#[test]
fn work_estimates_are_drawn_apart_from_the_work() {
    let text = |estimate: &str| {
        format!(
            "name = \"est\"\nduration = 2000.0\nseed = 3\n[cluster]\nmode = \"central\"\n\
             [[cluster.nodes]]\nname = \"n\"\ncount = 2\ncpu = 1\nmemory = \"1GiB\"\n\
             [policy]\nqueue = \"fcfs\"\n\
             [[workflows]]\nname = \"job\"\narrival = {{ kind = \"poisson\", rate = 1.6 }}\n\
             [[workflows.tasks]]\nname = \"run\"\ncpu = 1\nwork = {{ kind = \"exponential\", mean = 1.0 }}\n{estimate}"
        )
    };
    let run = |text: &str, queue: &str| {
        let s = scenario(&text.replace("queue = \"fcfs\"", &format!("queue = \"{queue}\"")));
        let model = Model::new(&s).unwrap();
        Simulation::new(&model, &s.policy, 3).unwrap().run().0.summary.metrics().map(f64::to_bits)
    };
    let plain = text("");
    let guessed = text("work_estimate = { kind = \"uniform\", min = 0.1, max = 3.0 }\n");
    assert_eq!(run(&plain, "fcfs"), run(&guessed, "fcfs"));
    // Without an estimate SJF sees equal means (FCFS order); a guess reorders it.
    assert_eq!(run(&plain, "sjf"), run(&plain, "fcfs"));
    assert_ne!(run(&guessed, "sjf"), run(&guessed, "fcfs"));
}
