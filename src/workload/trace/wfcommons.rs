//! WfCommons WfFormat JSON: one workflow instance, one job arriving at 0 (a scenario's
//! `[trace].arrival` repeats it).
//!
//! Two layouts are read:
//! - **1.5 and later**: `workflow.specification.tasks[]` gives each task's `id`, `parents`
//!   and `children`; `workflow.execution.tasks[]` gives, by `id`, `runtimeInSeconds`,
//!   `avgCPU` (% of one core), `coreCount` and `memoryInBytes`.
//! - **1.4 and earlier**: `workflow.tasks[]` (`workflow.jobs[]` before 1.3) holds both, tasks
//!   naming each other by `name` (or `id`); `runtimeInSeconds` (`runtime` before 1.4),
//!   `cores`, `avgCPU`, `memoryInBytes` (`memory`, in KB, before 1.4).
//!
//! A task becomes a [`TraceTask`] of one instance: `cpu = avgCPU / 100` cores (the cores it
//! kept busy on average), `memory = memoryInBytes`, `work = runtimeInSeconds`. Its name is its
//! `id` (1.5) or `name` (1.4). A dependency may be written on either end (a parent's
//! `children` or a child's `parents`); both count. Tasks are ordered parents first, in file
//! order where the DAG allows. The job's id is the file's `name`.
//!
//! # Repairs
//!
//! | rule | counts | what is done |
//! |---|---|---|
//! | `duplicate_task` | tasks | an id (1.4: name) already used: kept, renamed `<id>~2` (`~3`, …); tasks that name it wait for all of them |
//! | `unknown_parent` | edges | a parent that is no task of the file: dropped |
//! | `unknown_child` | edges | a child that is no task of the file: dropped |
//! | `self_dependency` | edges | a task is its own parent or child: dropped |
//! | `cyclic_dependency` | edges | the edge closes a cycle (walking tasks in file order, parents first): dropped |
//! | `missing_runtime` | tasks | no runtime (1.5: no execution record for the id): work 0 |
//! | `negative_runtime` | tasks | runtime < 0: work 0 |
//! | `missing_cpu` | tasks | no `avgCPU` above 0: the task's `coreCount`/`cores` when above 0, else 1 core |
//! | `missing_memory` | tasks | no `memoryInBytes` (or `memory`) ≥ 0: 0 bytes |
//!
//! A file that is not JSON is an error with the line; JSON without either layout is an error
//! saying what was expected. Numbers may also be written as strings (`"12.5"`).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::{Map, Value};

use super::{
    open_input, order_dag, tasks_in_order, JobStream, RepairReport, TraceError, TraceJob, TraceTask,
};

/// Reads a WfFormat file: a stream of one job.
pub struct WfcommonsReader {
    job: Option<TraceJob>,
    report: RepairReport,
}

/// A task as the file gives it, before its references are resolved.
struct RawTask {
    name: String,
    /// Other names references may use for it (1.4: its `id` beside its `name`).
    alias: Option<String>,
    parents: Vec<String>,
    children: Vec<String>,
    runtime: Option<f64>,
    avg_cpu: Option<f64>,
    cores: Option<f64>,
    memory: Option<f64>,
}

impl WfcommonsReader {
    /// Reads the whole workflow of `path` (plain or gzipped).
    ///
    /// # Errors
    /// The file cannot be read, is not JSON, or has neither WfFormat layout.
    pub fn open(path: &Path) -> Result<WfcommonsReader, TraceError> {
        let input = open_input(path)?;
        let root: Value = serde_json::from_reader(input).map_err(|e| {
            let line = (e.line() > 0).then_some(e.line() as u64);
            TraceError::new(path, line, format!("not WfCommons JSON: {e}"))
        })?;
        let not_wf = |what: &str| {
            TraceError::new(
                path,
                None,
                format!(
                    "{what} — is this a WfCommons WfFormat file? Expected \
                     workflow.specification.tasks (WfFormat 1.5) or workflow.tasks (1.4)"
                ),
            )
        };
        let workflow = root
            .get("workflow")
            .and_then(Value::as_object)
            .ok_or_else(|| not_wf("no `workflow` object"))?;
        let raw = if let Some(spec) = workflow.get("specification") {
            let tasks = spec
                .get("tasks")
                .and_then(Value::as_array)
                .ok_or_else(|| not_wf("workflow.specification has no `tasks` list"))?;
            let empty = Vec::new();
            let executed = workflow
                .get("execution")
                .and_then(|e| e.get("tasks"))
                .and_then(Value::as_array)
                .unwrap_or(&empty);
            let mut by_id: HashMap<&str, &Map<String, Value>> = HashMap::new();
            for t in executed.iter().filter_map(Value::as_object) {
                if let Some(id) = t.get("id").and_then(Value::as_str) {
                    by_id.entry(id).or_insert(t);
                }
            }
            let mut raw = Vec::with_capacity(tasks.len());
            for (k, t) in tasks.iter().enumerate() {
                let t = task_object(path, "workflow.specification.tasks", k, t)?;
                let name = text(t, "id").or_else(|| text(t, "name")).ok_or_else(|| {
                    TraceError::new(
                        path,
                        None,
                        format!("workflow.specification.tasks[{k}] has no `id`"),
                    )
                })?;
                let e = by_id.get(name.as_str());
                let get = |key: &str| e.and_then(|e| number(e, key));
                raw.push(RawTask {
                    parents: names(t, "parents"),
                    children: names(t, "children"),
                    runtime: get("runtimeInSeconds"),
                    avg_cpu: get("avgCPU"),
                    cores: get("coreCount").or_else(|| get("cores")),
                    memory: get("memoryInBytes"),
                    name,
                    alias: None,
                });
            }
            raw
        } else {
            let (key, tasks) = ["tasks", "jobs"]
                .iter()
                .find_map(|&k| workflow.get(k).and_then(Value::as_array).map(|t| (k, t)))
                .ok_or_else(|| not_wf("workflow has neither `specification` nor `tasks`"))?;
            let list = format!("workflow.{key}");
            let mut raw = Vec::with_capacity(tasks.len());
            for (k, t) in tasks.iter().enumerate() {
                let t = task_object(path, &list, k, t)?;
                let id = text(t, "id");
                let name = text(t, "name").or_else(|| id.clone()).ok_or_else(|| {
                    TraceError::new(path, None, format!("{list}[{k}] has neither `name` nor `id`"))
                })?;
                raw.push(RawTask {
                    alias: id.filter(|id| *id != name),
                    parents: names(t, "parents"),
                    children: names(t, "children"),
                    runtime: number(t, "runtimeInSeconds").or_else(|| number(t, "runtime")),
                    avg_cpu: number(t, "avgCPU"),
                    cores: number(t, "cores").or_else(|| number(t, "coreCount")),
                    memory: number(t, "memoryInBytes")
                        .or_else(|| number(t, "memory").map(|kb| kb * 1000.0)),
                    name,
                });
            }
            raw
        };
        let id = root
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_default();
        let mut report = RepairReport::default();
        let tasks = build(raw, &mut report);
        let job =
            TraceJob { id, arrival: 0.0, class: None, priority: None, recorded_wait: None, tasks };
        Ok(WfcommonsReader { job: Some(job), report })
    }
}

/// Resolves the references, orders the tasks and repairs their values.
fn build(raw: Vec<RawTask>, report: &mut RepairReport) -> Vec<TraceTask> {
    // Every name and alias → the tasks it names (several for a duplicated id).
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut taken: HashSet<String> = HashSet::new();
    let mut names = Vec::with_capacity(raw.len());
    for (i, t) in raw.iter().enumerate() {
        let list = by_name.entry(t.name.as_str()).or_default();
        list.push(i);
        if list.len() > 1 {
            report.add("duplicate_task");
        }
        if let Some(alias) = &t.alias {
            let list = by_name.entry(alias.as_str()).or_default();
            if !list.contains(&i) {
                list.push(i);
            }
        }
        let mut unique = t.name.clone();
        let mut k = 2;
        while taken.contains(&unique) {
            unique = format!("{}~{k}", t.name);
            k += 1;
        }
        taken.insert(unique.clone());
        names.push(unique);
    }
    // (parent, child) pairs as written, on either end.
    let mut written = Vec::new();
    for (i, t) in raw.iter().enumerate() {
        for p in &t.parents {
            match by_name.get(p.as_str()) {
                Some(list) => written.extend(list.iter().map(|&q| (q, i))),
                None => report.add("unknown_parent"),
            }
        }
        for c in &t.children {
            match by_name.get(c.as_str()) {
                Some(list) => written.extend(list.iter().map(|&q| (i, q))),
                None => report.add("unknown_child"),
            }
        }
    }
    let mut edges: HashSet<(usize, usize)> = HashSet::new();
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); raw.len()];
    for (parent, child) in written {
        if parent == child {
            report.add("self_dependency");
        } else if edges.insert((parent, child)) {
            parents[child].push(parent);
        }
    }
    let (order, cyclic) = order_dag(&mut parents);
    report.add_n("cyclic_dependency", cyclic);
    tasks_in_order(&order, &parents, |i, after| {
        let t = &raw[i];
        let work = match t.runtime {
            Some(r) if r >= 0.0 => r,
            Some(_) => {
                report.add("negative_runtime");
                0.0
            }
            None => {
                report.add("missing_runtime");
                0.0
            }
        };
        let cpu = match (t.avg_cpu, t.cores) {
            (Some(a), _) if a > 0.0 => a / 100.0,
            (_, Some(c)) if c > 0.0 => {
                report.add("missing_cpu");
                c
            }
            _ => {
                report.add("missing_cpu");
                1.0
            }
        };
        let memory = match t.memory {
            Some(m) if m >= 0.0 => m,
            _ => {
                report.add("missing_memory");
                0.0
            }
        };
        TraceTask {
            name: std::mem::take(&mut names[i]),
            after,
            instances: 1,
            cpu,
            memory,
            work,
            estimate: None,
        }
    })
}

/// Task `k` of `list`, which must be an object.
fn task_object<'a>(
    path: &Path,
    list: &str,
    k: usize,
    task: &'a Value,
) -> Result<&'a Map<String, Value>, TraceError> {
    task.as_object()
        .ok_or_else(|| TraceError::new(path, None, format!("{list}[{k}] is not an object: {task}")))
}

/// A string (or number) value, as text.
fn text(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A finite number, written as a number or a numeric string.
fn number(object: &Map<String, Value>, key: &str) -> Option<f64> {
    let v = match object.get(key)? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

/// The task names listed under `key` (absent: none).
fn names(object: &Map<String, Value>, key: &str) -> Vec<String> {
    let Some(Value::Array(list)) = object.get(key) else { return Vec::new() };
    list.iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

impl Iterator for WfcommonsReader {
    type Item = Result<TraceJob, TraceError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.job.take().map(Ok)
    }
}

impl JobStream for WfcommonsReader {
    fn report(&self) -> &RepairReport {
        &self.report
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::trace::tests::test_file as file;

    fn task(name: &str, after: &[u32], cpu: f64, memory: f64, work: f64) -> TraceTask {
        TraceTask {
            name: name.into(),
            after: after.to_vec(),
            instances: 1,
            cpu,
            memory,
            work,
            estimate: None,
        }
    }

    fn counts(r: &WfcommonsReader) -> Vec<(&'static str, u64)> {
        r.report().counts.iter().map(|(k, v)| (*k, *v)).collect()
    }

    #[test]
    fn reads_1_5_with_repairs() {
        let f = file(
            r#"{"name": "demo", "schemaVersion": "1.5", "workflow": {
              "specification": {"tasks": [
                {"id": "c", "parents": ["a", "b", "ghost"], "children": []},
                {"id": "a", "parents": [], "children": ["c", "nobody"]},
                {"id": "b", "parents": ["b", "d"], "children": []},
                {"id": "d", "parents": ["b"]},
                {"id": "a", "parents": []}
              ]},
              "execution": {"tasks": [
                {"id": "a", "runtimeInSeconds": 10.5, "avgCPU": 150, "memoryInBytes": 1000},
                {"id": "b", "runtimeInSeconds": -1, "coreCount": 4, "memoryInBytes": 2000},
                {"id": "c", "runtimeInSeconds": "3", "avgCPU": 50}
              ]}
            }}"#,
        );
        let mut r = WfcommonsReader::open(f.path()).unwrap();
        let job = r.next().unwrap().unwrap();
        assert!(r.next().is_none());
        assert_eq!((job.id.as_str(), job.arrival), ("demo", 0.0));
        // b ↔ d: the walk from c reaches a, a~2, b, then d, whose edge back to b closes the
        // cycle and is dropped.
        assert_eq!(
            job.tasks,
            vec![
                task("a", &[], 1.5, 1000.0, 10.5),
                task("d", &[], 1.0, 0.0, 0.0),
                task("b", &[1], 4.0, 2000.0, 0.0),
                task("a~2", &[], 1.5, 1000.0, 10.5),
                task("c", &[0, 2, 3], 0.5, 0.0, 3.0),
            ]
        );
        assert_eq!(
            counts(&r),
            [
                ("cyclic_dependency", 1),
                ("duplicate_task", 1),
                ("missing_cpu", 2),
                ("missing_memory", 2),
                ("missing_runtime", 1),
                ("negative_runtime", 1),
                ("self_dependency", 1),
                ("unknown_child", 1),
                ("unknown_parent", 1),
            ]
        );
    }

    #[test]
    fn reads_1_4_by_name() {
        let f = file(
            r#"{"name": "old", "schemaVersion": "1.4", "workflow": {"tasks": [
              {"name": "split_ID01", "id": "ID01", "runtimeInSeconds": 2, "cores": 2,
               "memoryInBytes": 10},
              {"name": "join_ID02", "id": "ID02", "parents": ["split_ID01"], "runtime": 4,
               "avgCPU": 25, "memory": 3},
              {"name": "tail", "parents": ["ID02"], "runtimeInSeconds": 1, "avgCPU": 100,
               "memoryInBytes": 0}
            ]}}"#,
        );
        let mut r = WfcommonsReader::open(f.path()).unwrap();
        let job = r.next().unwrap().unwrap();
        assert_eq!(
            job.tasks,
            vec![
                task("split_ID01", &[], 2.0, 10.0, 2.0),
                task("join_ID02", &[0], 0.25, 3000.0, 4.0),
                task("tail", &[1], 1.0, 0.0, 1.0),
            ]
        );
        assert_eq!(counts(&r), [("missing_cpu", 1)]);
    }

    #[test]
    fn other_files_are_refused() {
        let swf = file("; Version: 2.2\n1 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 -1 -1 -1 -1\n");
        let e = WfcommonsReader::open(swf.path()).err().unwrap();
        assert_eq!(e.line, Some(1));
        assert!(e.message.starts_with("not WfCommons JSON"), "{e}");
        let broken = file("{\"workflow\": {\n\"tasks\": [\n}");
        assert_eq!(WfcommonsReader::open(broken.path()).err().unwrap().line, Some(3));
        let other = file("{\"name\": \"x\", \"tasks\": []}");
        let e = WfcommonsReader::open(other.path()).err().unwrap();
        assert!(e.message.contains("no `workflow` object — is this a WfCommons"), "{e}");
        let no_id = file("{\"workflow\": {\"specification\": {\"tasks\": [{\"parents\": []}]}}}");
        let e = WfcommonsReader::open(no_id.path()).err().unwrap();
        assert!(e.message.contains("tasks[0] has no `id`"), "{e}");
    }

    #[test]
    fn real_file() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/traces/wfcommons_pegasus_montage-chameleon-2mass-01d-001.json");
        if !path.exists() {
            eprintln!("skipped: {} is absent", path.display());
            return;
        }
        let mut r = WfcommonsReader::open(&path).unwrap();
        let jobs: Vec<TraceJob> = r.by_ref().map(|j| j.unwrap()).collect();
        eprintln!("repairs: {:?}", r.report().counts);
        assert_eq!(jobs.len(), 1);
        let tasks = &jobs[0].tasks;
        assert_eq!(tasks.len(), 103);
        assert_eq!(tasks.iter().map(|t| t.after.len()).sum::<usize>(), 231);
        for (i, t) in tasks.iter().enumerate() {
            assert!(t.after.iter().all(|&a| (a as usize) < i));
            assert!(t.cpu > 0.0 && t.work > 0.0 && t.memory > 0.0, "{t:?}");
        }
        assert!(r.report().counts.is_empty());
    }
}
