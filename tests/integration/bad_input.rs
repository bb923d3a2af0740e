//! Bad scenarios get one clear error naming the file, the line, the field and what would be
//! right; no input makes the loader or a short run panic.

use std::path::Path;

use proptest::prelude::*;
use schedsim::{run_once, Override, RunOptions, Scenario, ScenarioError};

/// A small valid scenario touching most keys. Tests break one thing in it.
const BASE: &str = r#"name = "tiny"
duration = 40.0
warmup = 4.0
seed = 3

[limits]
max_in_flight = 500

[cluster]
mode = "central"
backfill = true

[[cluster.nodes]]
name = "worker"
count = 2
cpu = 2
memory = "2GiB"
speed = 1.5
pool = "general"
failures = { mtbf = 600.0, mttr = 30.0 }

[[cluster.nodes]]
name = "big"
cpu = 4
memory = "8GiB"
weight = 2.0
outages = [{ node = "big", at = 10.0, duration = 5.0 }]

[policy]
queue = "fcfs"
placement = "least-loaded"
admission = "always"

[[policies]]
name = "alt"
queue = "sjf"
placement = "best-fit"

[[workflows]]
name = "order"
priority = 1
deadline = 5.0
on_deadline = "abort"
cancel = "drain"
arrival = { kind = "poisson", rate = 2.0 }

[[workflows.tasks]]
name = "create"
cpu = 1
memory = "256MiB"
work = { kind = "exponential", mean = 0.5 }
pool = "general"

[[workflows.tasks]]
name = "pay"
cpu = 0.5
work = { kind = "uniform", min = 0.1, max = 1.0 }
after = ["create"]
probability = 0.9
failure = { probability = 0.1, at = "end" }
retries = 2
backoff = { kind = "exponential", initial = 0.1, factor = 2.0, max = 1.0 }
compensate = { name = "refund", cpu = 0.5, memory = "128MiB", work = { kind = "constant", value = 0.1 } }

[[workflows.tasks]]
name = "confirm"
cpu = 1
work = { kind = "constant", value = 0.2 }
after = ["create", "pay"]

[[workflows]]
name = "batch"
arrival = { kind = "periodic", interval = 3.0 }

[[workflows.tasks]]
name = "crunch"
cpu = 2
memory = "1GiB"
work = { kind = "lognormal", mean = 2.0, cv = 0.5 }
"#;

/// `BASE` with the first `old` replaced by `new`.
fn base_with(old: &str, new: &str) -> String {
    assert!(BASE.contains(old), "test bug: `{old}` is not in BASE");
    BASE.replacen(old, new, 1)
}

/// 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("test bug: `{needle}` is not in the text"))
        + 1
}

/// The error message of loading `text` as `x.toml`; fails the test if it loads.
fn error_of(text: &str) -> String {
    match Scenario::from_toml(text, Path::new("x.toml"), &[]) {
        Ok(_) => panic!("the scenario should be refused:\n{text}"),
        Err(e) => e.to_string(),
    }
}

/// Asserts that `message` contains every one of `parts`.
fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "the message should mention `{part}`:\n{message}");
    }
}

#[test]
fn the_base_scenario_is_valid() {
    let s = Scenario::from_toml(BASE, Path::new("x.toml"), &[]).unwrap();
    assert_eq!(s.node_count(), 3);
    assert_eq!(s.workflows.len(), 2);
}

#[test]
fn unknown_key_is_named_with_its_line_and_the_closest_valid_key() {
    let text = base_with("cpu = 2\n", "cpus = 2\n");
    let msg = error_of(&text);
    let line = line_of(&text, "cpus = 2");
    assert_mentions(
        &msg,
        &[&format!("x.toml:{line}:"), "cluster.nodes.worker", "`cpus`", "did you mean `cpu`?"],
    );
}

#[test]
fn unknown_key_in_a_task_is_located_in_its_task() {
    let text = base_with("probability = 0.9", "probabilty = 0.9");
    let msg = error_of(&text);
    let line = line_of(&text, "probabilty");
    assert_mentions(
        &msg,
        &[&format!("x.toml:{line}:"), "workflows.order.tasks.pay", "did you mean `probability`?"],
    );
}

#[test]
fn wrong_type_names_the_field_and_the_expected_type() {
    let text = base_with("cpu = 2\n", "cpu = \"two\"\n");
    let msg = error_of(&text);
    let line = line_of(&text, "cpu = \"two\"");
    assert_mentions(
        &msg,
        &[&format!("x.toml:{line}:"), "cluster.nodes.worker.cpu", "\"two\"", "expected a number"],
    );
}

#[test]
fn missing_required_key_is_named_with_its_table() {
    let text = base_with("cpu = 4\n", "");
    let msg = error_of(&text);
    let line = line_of(&text, "name = \"big\"") - 1; // the [[cluster.nodes]] header
    assert_mentions(&msg, &[&format!("x.toml:{line}:"), "cluster.nodes.big", "missing key `cpu`"]);
}

#[test]
fn negative_arrival_rate_is_refused() {
    let text = base_with("rate = 2.0", "rate = -2.0");
    let msg = error_of(&text);
    let line = line_of(&text, "rate = -2.0");
    assert_mentions(
        &msg,
        &[&format!("x.toml:{line}:"), "workflows.order.arrival.rate", "above 0", "got -2"],
    );
}

#[test]
fn zero_arrival_rate_is_refused() {
    let text = base_with("rate = 2.0", "rate = 0.0");
    let msg = error_of(&text);
    let line = line_of(&text, "rate = 0.0");
    assert_mentions(
        &msg,
        &[&format!("x.toml:{line}:"), "workflows.order.arrival.rate", "above 0", "got 0"],
    );
}

#[test]
fn zero_periodic_interval_is_refused() {
    let text = base_with("interval = 3.0", "interval = 0");
    let msg = error_of(&text);
    let line = line_of(&text, "interval = 0");
    assert_mentions(&msg, &[&format!("x.toml:{line}:"), "workflows.batch.arrival.interval"]);
}

#[test]
fn warmup_equal_to_duration_is_refused() {
    let text = base_with("warmup = 4.0", "warmup = 40.0");
    let msg = error_of(&text);
    assert_mentions(&msg, &["x.toml:3:", "warmup", "less than duration (40)", "got 40"]);
}

#[test]
fn warmup_above_duration_is_refused() {
    let text = base_with("warmup = 4.0", "warmup = 100.0");
    let msg = error_of(&text);
    assert_mentions(&msg, &["x.toml:3:", "warmup", "less than duration (40)", "got 100"]);
}

#[test]
fn cyclic_dag_names_the_cycle() {
    let text = base_with("name = \"create\"\n", "name = \"create\"\nafter = [\"confirm\"]\n");
    let msg = error_of(&text);
    // Found from `create`, the cycle is reported at the `after` of the task that closes it.
    let line = line_of(&text, "after = [\"create\", \"pay\"]");
    assert_mentions(
        &msg,
        &[
            &format!("x.toml:{line}:"),
            "workflows.order.tasks.confirm.after",
            "cycle: confirm waits for create waits for confirm",
            "must be a DAG",
        ],
    );
    // One error for the one cycle, not one per task on it.
    assert_eq!(msg.lines().count(), 1, "{msg}");
}

#[test]
fn after_naming_a_missing_task_is_refused_with_a_suggestion() {
    let text = base_with("after = [\"create\"]", "after = [\"creat\"]");
    let msg = error_of(&text);
    let line = line_of(&text, "after = [\"creat\"]");
    assert_mentions(
        &msg,
        &[
            &format!("x.toml:{line}:"),
            "workflows.order.tasks.pay.after",
            "`creat` is not a task of workflow `order`",
            "did you mean `create`?",
        ],
    );
}

#[test]
fn task_that_fits_on_no_node_is_refused() {
    let text = base_with("cpu = 2\nmemory = \"1GiB\"", "cpu = 6\nmemory = \"1GiB\"");
    let msg = error_of(&text);
    let line = line_of(&text, "cpu = 6");
    assert_mentions(
        &msg,
        &[
            &format!("x.toml:{line}:"),
            "workflows.batch.tasks.crunch.cpu",
            "fits on no node",
            "at most cpu 4",
        ],
    );
}

#[test]
fn task_too_large_for_its_pool_points_at_the_memory_request() {
    let text = base_with("memory = \"256MiB\"", "memory = \"4GiB\"");
    let msg = error_of(&text);
    let line = line_of(&text, "memory = \"4GiB\"");
    assert_mentions(
        &msg,
        &[
            &format!("x.toml:{line}:"),
            "workflows.order.tasks.create.memory",
            "fits on no node",
            "pool `general`",
            "memory 2GiB",
        ],
    );
}

#[test]
fn unknown_policy_name_suggests_the_closest() {
    let text = base_with("queue = \"fcfs\"", "queue = \"sjff\"");
    let msg = error_of(&text);
    let line = line_of(&text, "queue = \"sjff\"");
    assert_mentions(
        &msg,
        &[&format!("x.toml:{line}:"), "policy.queue", "`sjff`", "did you mean `sjf`?", "known:"],
    );
}

#[test]
fn unknown_policy_in_a_named_alternative_is_located() {
    let text = base_with("placement = \"best-fit\"", "placement = \"best-fitt\"");
    let msg = error_of(&text);
    let line = line_of(&text, "best-fitt");
    assert_mentions(
        &msg,
        &[&format!("x.toml:{line}:"), "policies.alt.placement", "did you mean `best-fit`?"],
    );
}

#[test]
fn empty_cluster_is_refused() {
    let start = BASE.find("[[cluster.nodes]]").unwrap();
    let end = BASE.find("[policy]").unwrap();
    let text = format!("{}{}", &BASE[..start], &BASE[end..]);
    let text = text.replace("pool = \"general\"\n", "");
    let msg = error_of(&text);
    let line = line_of(&text, "[cluster]");
    assert_mentions(
        &msg,
        &[&format!("x.toml:{line}:"), "cluster.nodes", "no nodes", "[[cluster.nodes]]"],
    );
}

#[test]
fn pool_no_node_has_is_refused() {
    let text = base_with("pool = \"general\"\n\n[[workflows", "pool = \"payment\"\n\n[[workflows");
    let msg = error_of(&text);
    let line = line_of(&text, "pool = \"payment\"");
    assert_mentions(
        &msg,
        &[
            &format!("x.toml:{line}:"),
            "workflows.order.tasks.create.pool",
            "no node has pool `payment`",
            "pools: general",
        ],
    );
}

#[test]
fn failure_probability_outside_zero_one_is_refused() {
    let text = base_with("failure = { probability = 0.1", "failure = { probability = 1.5");
    let msg = error_of(&text);
    let line = line_of(&text, "probability = 1.5");
    assert_mentions(
        &msg,
        &[
            &format!("x.toml:{line}:"),
            "workflows.order.tasks.pay.failure.probability",
            "between 0 and 1",
            "got 1.5",
        ],
    );
}

#[test]
fn negative_retries_are_refused() {
    let text = base_with("retries = 2", "retries = -1");
    let msg = error_of(&text);
    let line = line_of(&text, "retries = -1");
    assert_mentions(
        &msg,
        &[&format!("x.toml:{line}:"), "workflows.order.tasks.pay.retries", "got -1"],
    );
}

#[test]
fn a_compensation_that_fits_on_no_node_is_refused() {
    let text = base_with("name = \"refund\", cpu = 0.5", "name = \"refund\", cpu = 5");
    let msg = error_of(&text);
    let line = line_of(&text, "name = \"refund\", cpu = 5");
    assert_mentions(
        &msg,
        &[
            &format!("x.toml:{line}:"),
            "workflows.order.tasks.pay.compensate.cpu",
            "the compensation `refund`",
            "fits on no node",
            "larger than any node (they offer at most cpu 4",
        ],
    );
}

#[test]
fn an_outage_naming_an_unknown_node_is_refused_with_a_suggestion() {
    let text = base_with("outages = [{ node = \"big\"", "outages = [{ node = \"bigg\"");
    let msg = error_of(&text);
    let line = line_of(&text, "node = \"bigg\"");
    assert_mentions(
        &msg,
        &[
            &format!("x.toml:{line}:"),
            "cluster.nodes.big.outages.node",
            "`bigg` is not a node of kind `big`",
            "did you mean `big`?",
        ],
    );
}

#[test]
fn an_outage_naming_a_node_of_another_kind_lists_the_kinds_nodes() {
    let text = base_with("outages = [{ node = \"big\"", "outages = [{ node = \"worker-1\"");
    let msg = error_of(&text);
    assert_mentions(&msg, &["`worker-1` is not a node of kind `big` (big)"]);
}

#[test]
fn zero_mttr_is_refused() {
    let text = base_with("mttr = 30.0", "mttr = 0.0");
    let msg = error_of(&text);
    let line = line_of(&text, "mttr = 0.0");
    assert_mentions(
        &msg,
        &[
            &format!("x.toml:{line}:"),
            "cluster.nodes.worker.failures.mttr",
            "above 0",
            "mean seconds to repair",
        ],
    );
}

#[test]
fn abort_on_deadline_without_a_deadline_is_refused() {
    let text = base_with("deadline = 5.0\n", "");
    let msg = error_of(&text);
    let line = line_of(&text, "on_deadline");
    assert_mentions(
        &msg,
        &[&format!("x.toml:{line}:"), "workflows.order.on_deadline", "needs a `deadline`"],
    );
}

#[test]
fn a_monitor_in_central_mode_is_refused() {
    let text = format!("{BASE}\n[monitor]\noverload = 1.5\n");
    let msg = error_of(&text);
    assert_mentions(&msg, &["monitor", "per-node"]);
}

#[test]
fn a_backoff_that_shrinks_is_refused() {
    let text = base_with("factor = 2.0", "factor = 0.5");
    let msg = error_of(&text);
    assert_mentions(&msg, &["workflows.order.tasks.pay.backoff.factor", "1 or more"]);
}

#[test]
fn missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-scenario.toml");
    let err = Scenario::load(&path).unwrap_err();
    assert!(matches!(err, ScenarioError::Io { .. }), "{err:?}");
    assert_mentions(&err.to_string(), &[&path.display().to_string(), "cannot read"]);
}

#[test]
fn unknown_arrival_kind_suggests_the_closest() {
    let text = base_with("kind = \"poisson\"", "kind = \"poison\"");
    let msg = error_of(&text);
    let line = line_of(&text, "\"poison\"");
    assert_mentions(
        &msg,
        &[
            &format!("x.toml:{line}:"),
            "workflows.order.arrival",
            "`poison`",
            "did you mean `poisson`?",
        ],
    );
}

#[test]
fn unknown_work_distribution_suggests_the_closest() {
    let text = base_with("kind = \"exponential\"", "kind = \"exponentail\"");
    let msg = error_of(&text);
    let line = line_of(&text, "exponentail");
    assert_mentions(
        &msg,
        &[&format!("x.toml:{line}:"), "tasks.create.work", "did you mean `exponential`?"],
    );
}

#[test]
fn unknown_mode_suggests_the_closest() {
    let text = base_with("mode = \"central\"", "mode = \"pernode\"");
    let msg = error_of(&text);
    let line = line_of(&text, "pernode");
    assert_mentions(&msg, &[&format!("x.toml:{line}:"), "cluster.mode", "`per-node`"]);
}

#[test]
fn central_only_placement_is_refused_in_per_node_mode() {
    let text = base_with("mode = \"central\"", "mode = \"per-node\"")
        .replace("placement = \"least-loaded\"", "placement = \"first-fit\"");
    let msg = error_of(&text);
    let line = line_of(&text, "placement = \"first-fit\"");
    assert_mentions(
        &msg,
        &[&format!("x.toml:{line}:"), "policy.placement", "`first-fit`", "per-node", "central"],
    );
    // The named alternative inherits nothing bad but uses best-fit, central-only too.
    let alt_line = line_of(&text, "placement = \"best-fit\"");
    assert_mentions(&msg, &[&format!("x.toml:{alt_line}:"), "policies.alt.placement"]);
}

#[test]
fn bad_override_names_the_missing_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny.toml");
    std::fs::write(&path, BASE).unwrap();
    let o: Override = "cluster.nodes.gpu.count=1".parse().unwrap();
    let err = Scenario::load_with(&path, &[o]).unwrap_err();
    assert!(matches!(err, ScenarioError::Override { .. }), "{err:?}");
    assert_mentions(
        &err.to_string(),
        &["--set cluster.nodes.gpu.count=1", "no entry named `gpu`", "worker", "big"],
    );
}

#[test]
fn override_without_equals_sign_is_refused() {
    let err = "duration".parse::<Override>().unwrap_err();
    assert_mentions(&err.to_string(), &["--set duration", "PATH=VALUE"]);
}

#[test]
fn override_with_wrong_type_names_the_field() {
    let o: Override = "workflows.order.arrival.rate=fast".parse().unwrap();
    let err = Scenario::from_toml(BASE, Path::new("x.toml"), &[o]).unwrap_err();
    let msg = err.to_string();
    assert_mentions(
        &msg,
        &["x.toml", "workflows.order.arrival", "\"fast\"", "expected a number", "--set"],
    );
    assert!(!msg.contains(":0:"), "no made-up line number: {msg}");
}

#[test]
fn override_breaking_a_rule_is_reported_like_the_file() {
    let o: Override = "workflows.order.arrival.rate=-3".parse().unwrap();
    let err = Scenario::from_toml(BASE, Path::new("x.toml"), &[o]).unwrap_err();
    assert_mentions(&err.to_string(), &["workflows.order.arrival.rate", "got -3"]);
}

#[test]
fn several_problems_in_one_file_are_all_reported() {
    let text = base_with("warmup = 4.0", "warmup = 50.0")
        .replace("rate = 2.0", "rate = -1.0")
        .replace("after = [\"create\"]", "after = [\"nobody\"]")
        .replace("queue = \"fcfs\"", "queue = \"lifo\"")
        .replace("interval = 3.0", "interval = 0.0");
    let err = Scenario::from_toml(&text, Path::new("x.toml"), &[]).unwrap_err();
    let ScenarioError::Invalid { problems, .. } = &err else { panic!("{err:?}") };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    for field in [
        "warmup",
        "policy.queue",
        "workflows.order.arrival.rate",
        "workflows.order.tasks.pay.after",
        "workflows.batch.arrival.interval",
    ] {
        assert!(fields.contains(&field), "missing a problem with {field}: {fields:?}");
    }
    // In file order, one line each, every one located.
    let lines: Vec<usize> = problems.iter().map(|p| p.line.expect("located")).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
    let msg = err.to_string();
    assert_eq!(msg.lines().count(), problems.len(), "{msg}");
    assert!(msg.lines().all(|l| l.starts_with("x.toml:")), "{msg}");
}

#[test]
fn not_toml_at_all_is_located() {
    let text = base_with("seed = 3", "seed = = 3");
    let msg = error_of(&text);
    assert_mentions(&msg, &["x.toml:4:"]);
}

// ---------------------------------------------------------------------------------------------
// Random mutations never panic.

/// Values substituted for a number of `BASE`.
const NUMBERS: &[&str] = &[
    "-1",
    "0",
    "1",
    "0.5",
    "1e308",
    "-1e308",
    "1e-300",
    "\"x\"",
    "nan",
    "inf",
    "-inf",
    "-0.0",
    "4294967296",
    "3",
    "100",
    "1e154",
    "1e-320",
    "0.0001",
];

/// Values substituted for a string of `BASE`.
const STRINGS: &[&str] = &[
    "\"\"",
    "\"x\"",
    "\"per-node\"",
    "\"first-fit\"",
    "\"spread\"",
    "\"edf\"",
    "\"poisson\"",
    "\"0B\"",
    "\"1TiB\"",
    "\"-1GiB\"",
    "1",
    "[]",
    "{}",
];

/// Byte ranges of the bare numbers (`= 2.0`, `= -1`) and of the quoted strings of `text`.
fn literals(text: &str) -> (Vec<std::ops::Range<usize>>, Vec<std::ops::Range<usize>>) {
    let bytes = text.as_bytes();
    let (mut numbers, mut strings) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = text[i + 1..].find('"').map_or(bytes.len(), |j| i + 1 + j + 1);
                strings.push(i..end);
                i = end;
            }
            b'0'..=b'9' | b'-' if i >= 2 && &bytes[i - 2..i] == b"= " => {
                let len = text[i..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c)))
                    .unwrap_or(text.len() - i);
                numbers.push(i..i + len);
                i += len;
            }
            _ => i += 1,
        }
    }
    (numbers, strings)
}

/// One random change to a text.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(usize),
    Number(usize, usize),
    String(usize, usize),
}

fn mutate(text: &str, m: &Mutation) -> String {
    let (numbers, strings) = literals(text);
    let replace = |ranges: &[std::ops::Range<usize>], which: usize, by: &str| {
        let r = ranges[which % ranges.len()].clone();
        format!("{}{by}{}", &text[..r.start], &text[r.end..])
    };
    match *m {
        Mutation::DeleteLine(n) => {
            let lines: Vec<&str> = text.lines().collect();
            let skip = n % lines.len();
            lines
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != skip)
                .map(|(_, l)| format!("{l}\n"))
                .collect()
        }
        Mutation::Number(at, v) => replace(&numbers, at, NUMBERS[v % NUMBERS.len()]),
        Mutation::String(at, v) => replace(&strings, at, STRINGS[v % STRINGS.len()]),
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, v)| Mutation::Number(a, v)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, v)| Mutation::String(a, v)),
    ]
}

#[test]
fn the_mutator_finds_the_literals() {
    let (numbers, strings) = literals(BASE);
    assert!(numbers.len() > 20, "{numbers:?}");
    assert!(strings.len() > 20, "{strings:?}");
    assert_eq!(&BASE[numbers[0].clone()], "40.0");
    assert_eq!(&BASE[strings[0].clone()], "\"tiny\"");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_scenarios_never_panic(first in mutation(), second in proptest::option::of(mutation())) {
        let mut text = mutate(BASE, &first);
        if let Some(m) = &second {
            text = mutate(&text, m);
        }
        let loaded = Scenario::from_toml(&text, Path::new("x.toml"), &[]);
        if let Ok(mut s) = loaded {
            // Keep the run short whatever the mutation did to the clock or the rates.
            s.duration = s.duration.min(40.0);
            if s.warmup >= s.duration {
                s.warmup = 0.0;
            }
            s.limits.max_in_flight = s.limits.max_in_flight.min(500);
            let names: Vec<String> = s.policies.iter().map(|p| p.name.clone()).collect();
            for name in std::iter::once("default".to_string()).chain(names) {
                let policy = s.policy_named(&name).unwrap();
                let run = run_once(&s, &policy, s.seed, RunOptions::default());
                prop_assert!(run.is_ok(), "a valid scenario must run: {:?}\n{text}", run.err());
            }
        } else if let Err(e) = loaded {
            // Every error names the file.
            let msg = e.to_string();
            prop_assert!(msg.contains("x.toml"), "{msg}");
        }
    }
}

#[test]
fn sample_interval_must_be_positive_and_leave_samples_that_fit() {
    for bad in ["0", "-1.5"] {
        let text = base_with("seed = 3\n", &format!("seed = 3\nsample_interval = {bad}\n"));
        let msg = error_of(&text);
        let line = line_of(&text, "sample_interval");
        assert_mentions(
            &msg,
            &[&format!("x.toml:{line}:"), "sample_interval", "above 0", &format!("got {bad}")],
        );
    }
    let text = base_with("seed = 3\n", "seed = 3\nsample_interval = 1e-9\n");
    let msg = error_of(&text);
    assert_mentions(&msg, &["sample_interval", "load values", "s or more"]);
    let ok = base_with("seed = 3\n", "seed = 3\nsample_interval = 0.5\n");
    Scenario::from_toml(&ok, Path::new("x.toml"), &[]).unwrap();
}
