//! Every shipped scenario's results, pinned (issue 8): each policy set of each file in
//! `scenarios/`, `scenarios/teaching/` and `scenarios/traces/` is run once at the file's seed
//! and every scalar metric of its summary is compared with the snapshot in
//! `tests/integration/snapshots/`. An optimisation must not change a single figure; a change
//! of behaviour shows up as a diff to review (`INSTA_UPDATE=always cargo test snapshots`
//! rewrites them, then `git diff` shows what moved).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use schedsim::experiment::resolve_policy;
use schedsim::{Model, Scenario, Simulation, Summary};

fn shipped() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = Vec::new();
    for dir in [root.clone(), root.join("teaching"), root.join("traces")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn shipped_scenarios_keep_their_results() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let files = shipped();
    assert!(files.len() >= 18, "found only {} scenarios", files.len());
    for path in files {
        let s = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let model = Model::new(&s).unwrap();
        let mut text = String::new();
        let names =
            std::iter::once("default".to_string()).chain(s.policies.iter().map(|p| p.name.clone()));
        for name in names {
            let set = resolve_policy(&s, Some(&name)).unwrap();
            let summary = Simulation::new(&model, &set, s.seed).unwrap().run().0.summary;
            for (metric, value) in Summary::METRICS.iter().zip(summary.metrics()) {
                writeln!(text, "{name}.{metric} = {value}").unwrap();
            }
        }
        let id = path.strip_prefix(&root).unwrap().with_extension("");
        let id = id.to_string_lossy().replace('/', "__");
        insta::assert_snapshot!(id, text);
    }
}
