//! The policy catalogue: `schedsim policies` and `schedsim policies NAME` come from the
//! registry, every policy documents its rule and parameters, and every worked example shows
//! what the policy really decides.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use schedsim::engine::SimRng;
use schedsim::model::{ClusterView, NodeId};
use schedsim::policy::{
    self, Entry, Example, Family, NoParams, Placement, Policy, PolicyInfo, RegisterError, TaskView,
};

fn policies(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("schedsim")
        .unwrap()
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .arg("policies")
        .args(args)
        .assert()
        .stderr(predicate::str::contains("panicked").not())
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

/// The registered policies but those this test binary registers itself: the `schedsim`
/// process it runs has only the built-in ones.
fn built_in() -> Vec<PolicyInfo> {
    policy::all().into_iter().filter(|p| !p.name.starts_with("test-")).collect()
}

/// Builds a policy of any family from a TOML table of parameters, through the registry.
fn builds(info: &PolicyInfo, params: &str) -> Result<(), String> {
    fn build_in<T: ?Sized>(
        entries: Vec<Entry<T>>,
        name: &str,
        t: &toml::Table,
    ) -> Result<(), String> {
        let entry = entries.into_iter().find(|e| e.info.name == name).expect("registered");
        entry.build(t).map(|_| ())
    }
    let table: toml::Table = toml::from_str(params).map_err(|e| e.to_string())?;
    match info.family {
        Family::Queue => build_in(policy::queues(), info.name, &table),
        Family::Placement => build_in(policy::placements(), info.name, &table),
        Family::Admission => build_in(policy::admissions(), info.name, &table),
    }
}

#[test]
fn every_policy_states_its_rule_explanation_modes_and_real_parameters() {
    let all = policy::all();
    assert!(all.len() >= 18, "the built-in policies are registered");
    for p in &all {
        assert!(!p.rule.trim().is_empty(), "{}: no rule", p.name);
        assert!(p.about.len() > 40, "{}: no explanation", p.name);
        assert!(!p.modes.is_empty(), "{}: no dispatch mode", p.name);
        for x in p.params {
            assert!(!x.meaning.trim().is_empty(), "{}.{}: no meaning", p.name, x.name);
            match x.default {
                // The documented default is a value the policy accepts ...
                Some(d) => builds(p, &format!("{} = {d}", x.name))
                    .unwrap_or_else(|e| panic!("{}: documented default {d} refused: {e}", p.name)),
                // ... and a required parameter really is required, and named in the error.
                None => {
                    let e = builds(p, "").expect_err(&format!("{}.{} is required", p.name, x.name));
                    assert!(
                        e.contains(x.name),
                        "{}: error does not name `{}`: {e}",
                        p.name,
                        x.name
                    );
                }
            }
        }
        if p.params.iter().all(|x| x.default.is_some()) {
            builds(p, "").unwrap_or_else(|e| panic!("{}: no parameters given: {e}", p.name));
        }
        // A key it does not document is refused, naming the ones it has.
        let e = builds(p, "no_such_key = 1").expect_err("unknown keys are refused");
        for x in p.params {
            assert!(e.contains(x.name), "{}: the error should list `{}`: {e}", p.name, x.name);
        }
    }
}

#[test]
fn the_list_shows_every_policy_with_rule_modes_and_parameters() {
    let out = stdout(&policies(&[]).success());
    for p in built_in() {
        let at = out.lines().position(|l| l.split_whitespace().next() == Some(p.name));
        let at = at.unwrap_or_else(|| panic!("`{}` is not listed:\n{out}", p.name));
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[at].contains(p.rule), "{}: rule missing: {}", p.name, lines[at]);
        let detail = lines[at + 1];
        let modes = if p.modes.len() == 1 { "central only" } else { "central, per-node" };
        assert!(detail.contains(&format!("modes: {modes}")), "{}: {detail}", p.name);
        for x in p.params {
            assert!(detail.contains(&x.signature()), "{}: {detail}", p.name);
        }
    }
}

/// What the policy decides on its example, computed here without the example runner:
/// one line fragment per decision, as `policies NAME` must print it.
fn decisions_by_hand(name: &str) -> Vec<String> {
    let entry_params = |e: &Example| -> toml::Table { toml::from_str(e.params()).unwrap() };
    if let Some(e) = policy::queues().into_iter().find(|e| e.info.name == name) {
        let Example::Queue(ex) = e.example() else { panic!("{name}: not a queue example") };
        let q = e.build(&entry_params(&Example::Queue(ex.clone()))).unwrap();
        let mut ranked: Vec<(f64, usize)> =
            ex.tasks.iter().enumerate().map(|(i, t)| (q.rank(&t.view(i)), i)).collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let labels: Vec<&str> = ranked.iter().map(|(_, i)| ex.tasks[*i].label).collect();
        return vec![format!("served in the order {}", labels.join(", "))];
    }
    if let Some(e) = policy::placements().into_iter().find(|e| e.info.name == name) {
        let Example::Placement(ex) = e.example() else { panic!("{name}: not a placement example") };
        let mut p = e.build(&entry_params(&Example::Placement(ex.clone()))).unwrap();
        // The first decision, on the untouched state.
        let nodes = ex.model_nodes();
        let loads = ex.loads();
        let view = ClusterView { nodes: &nodes, loads: &loads };
        let task = ex.task();
        let candidates: Vec<NodeId> =
            (0..nodes.len()).filter(|&i| view.fits(i, task.cpu, task.memory)).collect();
        let mut rng = schedsim::policy::PlacementExample::rng();
        let pick = p.select(&task, &view, &candidates, &mut rng).expect("a node is chosen");
        return vec![format!("task 1: "), format!("→ {}\n", nodes[pick].name)];
    }
    let e = policy::admissions().into_iter().find(|e| e.info.name == name).unwrap();
    let Example::Admission(ex) = e.example() else { panic!("{name}: not an admission example") };
    let a = e.build(&entry_params(&Example::Admission(ex.clone()))).unwrap();
    ex.states
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let d = match a.reject(s) {
                None => "admit".to_string(),
                Some(r) => format!(
                    "reject (reason: {})",
                    if r == policy::RejectReason::Admission { "admission" } else { "queue_full" }
                ),
            };
            format!(
                "arrival {}: weighted load {:.2}, {} tasks waiting, {} in flight → {d}\n",
                k + 1,
                s.weighted_load,
                s.waiting_tasks,
                s.in_flight
            )
        })
        .collect()
}

#[test]
fn every_worked_example_prints_what_the_policy_decides() {
    for p in built_in() {
        let a = policies(&[p.name]).success();
        let out = stdout(&a);
        assert!(out.starts_with(&format!("{} — {}", p.name, p.family.name())), "{out}");
        assert!(out.contains(&format!("Rule: {}", p.rule)), "{out}");
        assert!(out.contains("Worked example"), "{out}");
        for x in p.params {
            assert!(out.contains(&x.signature()), "{}: parameter `{}` not shown", p.name, x.name);
        }
        // The library's worked example is what is printed ...
        let (_, _, worked) = policy::worked_example(p.name).unwrap();
        assert!(!worked.decisions.is_empty());
        for d in &worked.decisions {
            assert!(out.contains(d.as_str()), "{}: decision `{d}` not printed:\n{out}", p.name);
        }
        // ... and it is what the policy decides when called directly.
        let by_hand = decisions_by_hand(p.name);
        if p.family == Family::Placement {
            let first =
                out.lines().find(|l| l.contains(&by_hand[0])).unwrap_or_else(|| panic!("{out}"));
            assert!(
                format!("{first}\n").ends_with(&by_hand[1]),
                "{}: `{first}` vs {:?}",
                p.name,
                by_hand[1]
            );
        } else {
            for d in by_hand {
                assert!(out.contains(d.trim_end()), "{}: `{d}` not in\n{out}", p.name);
            }
        }
    }
}

/// Decisions checked against the rule by hand, so the examples also teach the right thing.
#[test]
fn worked_examples_show_each_rule_doing_what_it_says() {
    let out = stdout(&policies(&["least-loaded"]).success());
    // The issue's example: loads 0.10, 0.20, 0.15, average 0.15 → the least loaded node.
    assert!(out.contains("average weighted load Σ wᵢ·Lᵢ / N = 0.15"), "{out}");
    assert!(out.contains("task 1: loads node-0 0.10, node-1 0.20, node-2 0.15;"), "{out}");
    assert!(out.contains("node-2 → node-0\n"), "{out}");
    let decided = |name: &str| policy::worked_example(name).unwrap().2.decisions;
    assert!(decided("fcfs")[0].contains("order a, b, c, d"));
    assert!(decided("sjf")[0].contains("order c, b, d, a"), "smallest expected work first");
    assert!(decided("priority")[0].contains("order b, d, c, a"), "class priority 2, 1, 0");
    assert!(decided("edf")[0].contains("order b, c, d, a"), "deadlines 3, 4, 4.5, none");
    // Aging: task a has waited longest and overtakes c, of higher priority.
    assert!(decided("weighted-priority")[0].contains("order b, d, a, c"));
    // Fast node: busier by Lᵢ, least loaded per unit of capacity.
    assert!(decided("weighted-least-loaded")[0].ends_with("→ fast"));
    assert!(decided("first-fit")[0].ends_with("→ medium"), "small is full");
    assert!(decided("best-fit")[0].ends_with("→ medium"), "tightest fit");
    assert!(decided("bin-pack")[0].ends_with("→ medium"));
    assert!(decided("spread")[0].ends_with("→ large"), "most room left");
    assert!(decided("resource-score")[0].ends_with("→ large"), "default weights spread");
    let admit: Vec<bool> =
        decided("load-threshold").iter().map(|d| d.ends_with("→ admit")).collect();
    assert_eq!(admit, [true, true, false, false], "limit 0.9: at 0.90 the door closes");
    let admit: Vec<bool> = decided("queue-limit").iter().map(|d| d.ends_with("→ admit")).collect();
    assert_eq!(admit, [true, true, true, false], "limit 100 waiting tasks");
}

#[test]
fn an_unknown_name_exits_2_with_a_suggestion() {
    let a = policies(&["power-of-too"]).code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("no policy named `power-of-too` — did you mean `power-of-two`?"), "{err}");
}

/// A policy defined outside the crate, as `docs/writing-a-policy.md` shows.
struct FewestTasks;

impl Policy for FewestTasks {
    const NAME: &'static str = "test-fewest-tasks";
    const RULE: &'static str = "argmin tasks running or queued on the node";
    const ABOUT: &'static str = "A test policy registered from outside the crate: counts \
                                 tasks and ignores their size.";
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        FewestTasks
    }
}

impl Placement for FewestTasks {
    fn select(
        &mut self,
        _: &TaskView,
        cluster: &ClusterView<'_>,
        candidates: &[NodeId],
        _: &mut SimRng,
    ) -> Option<NodeId> {
        candidates
            .iter()
            .copied()
            .min_by_key(|&n| cluster.loads[n].running + cluster.loads[n].queued)
    }
}

#[test]
fn a_policy_registered_from_outside_is_usable_by_name() {
    // Registration is per process and this test binary is one process: register once.
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| policy::register_placement::<FewestTasks>().unwrap());
    assert!(matches!(
        policy::register_placement::<FewestTasks>(),
        Err(RegisterError::NameTaken { name: "test-fewest-tasks", .. })
    ));
    assert!(policy::find("test-fewest-tasks").is_some());
    let s = schedsim::Scenario::from_toml(
        r#"
        name = "custom"
        duration = 200.0
        [cluster]
        mode = "per-node"
        [[cluster.nodes]]
        name = "n"
        count = 3
        cpu = 1
        memory = "1GiB"
        [policy]
        placement = "test-fewest-tasks"
        [[workflows]]
        name = "job"
        arrival = { kind = "poisson", rate = 2.0 }
        [[workflows.tasks]]
        name = "t"
        cpu = 1
        work = { kind = "exponential", mean = 1.0 }
        "#,
        Path::new("custom.toml"),
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let r = schedsim::run_once(&s, &s.policy, 1, Default::default()).unwrap();
    assert!(r.summary.completed > 300);
    let started: Vec<u64> = r.summary.nodes.iter().map(|n| n.tasks_started).collect();
    assert!(started.iter().all(|&k| k > 80), "every node gets work: {started:?}");
}

/// A placement policy called `$name` that takes the first candidate.
macro_rules! first_candidate {
    ($ty:ident, $name:expr) => {
        struct $ty;
        impl Policy for $ty {
            const NAME: &'static str = $name;
            const RULE: &'static str = "the first candidate";
            type Params = NoParams;
            fn new(_: NoParams) -> Self {
                $ty
            }
        }
        impl Placement for $ty {
            fn select(
                &mut self,
                _: &TaskView,
                _: &ClusterView<'_>,
                candidates: &[NodeId],
                _: &mut SimRng,
            ) -> Option<NodeId> {
                candidates.first().copied()
            }
        }
    };
}

#[test]
fn registering_a_bad_or_built_in_name_is_refused() {
    first_candidate!(Shadow, "least-loaded");
    let e = policy::register_placement::<Shadow>().unwrap_err();
    assert!(e.to_string().contains("placement policy named `least-loaded` already exists"), "{e}");
    first_candidate!(Bad, "Bad Name");
    assert!(matches!(policy::register_placement::<Bad>(), Err(RegisterError::BadName("Bad Name"))));
    assert!(policy::find("Bad Name").is_none());
}

#[test]
fn the_guide_shows_the_example_programs_policy_word_for_word_in_under_40_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let guide = std::fs::read_to_string(root.join("docs/writing-a-policy.md")).unwrap();
    let program = std::fs::read_to_string(root.join("examples/custom_policy.rs")).unwrap();
    let start = guide.find("```rust\n").expect("a Rust block") + "```rust\n".len();
    let block = &guide[start..start + guide[start..].find("```").unwrap()];
    assert!(program.contains(block), "docs/writing-a-policy.md's first block drifted");
    assert!(block.lines().count() < 40, "{} lines", block.lines().count());
    assert!(block.contains("impl Placement for MostFreeMemory"));
}
