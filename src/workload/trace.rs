//! Recorded workloads: reading job traces (SWF, Alibaba 2018 `batch_task`, WfCommons JSON,
//! a generic job/pod CSV with a column mapping, and schedsim's own trace CSV) as a stream of
//! [`TraceJob`]s in arrival order, and node CSVs that define a cluster.
//!
//! Every reader turns its format into the same small job type, so the simulator replays any
//! of them the same way. Readers stream: they hold one job at a time (Alibaba, whose rows are
//! not in arrival order, holds its compact row table instead, never its expanded instances;
//! a mapped CSV, often unsorted, holds its one-task jobs to sort them).
//! What a reader had to repair is counted per rule in a [`RepairReport`], never dropped
//! silently; each reader's module lists its rules. Any file may be gzipped.
//!
//! | format | reader | a job is |
//! |---|---|---|
//! | [`Format::Swf`] | [`swf`] | a line: one task of `cpu` processors |
//! | [`Format::Alibaba2018`] | [`alibaba`] | a `job_name`: a DAG spelled by task names |
//! | [`Format::Wfcommons`] | [`wfcommons`] | the file's one workflow, arriving at 0 |
//! | [`Format::Csv`] | [`csv_jobs`] | a row, through [`CsvColumns`] |
//! | [`Format::Schedsim`] | [`native`] | a run of rows with one `workflow` ([`native::NativeWriter`] writes them) |

pub mod alibaba;
pub mod csv_jobs;
pub mod native;
pub mod nodes;
pub mod swf;
pub mod wfcommons;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use serde::{Deserialize, Serialize};

/// One task of a recorded job.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceTask {
    /// Its name within the job (unique in the job).
    pub name: String,
    /// Tasks it runs after: indices into [`TraceJob::tasks`]; the DAG is acyclic.
    pub after: Vec<u32>,
    /// Identical instances that run in parallel (Alibaba's `instance_num`); 1 elsewhere. The
    /// task is done when all of them are.
    pub instances: u32,
    /// Cores each instance holds.
    pub cpu: f64,
    /// Bytes each instance holds.
    pub memory: f64,
    /// Recorded run time of each instance, in trace seconds (before `time_scale`).
    pub work: f64,
    /// The user's run-time estimate (SWF requested time), in trace seconds.
    pub estimate: Option<f64>,
}

/// One recorded job: a workflow instance with its own DAG.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceJob {
    /// Job id as written in the trace.
    pub id: String,
    /// Arrival (submit) time in trace seconds.
    pub arrival: f64,
    /// Class column (CSV) or queue, used to group results; `None`: the trace's one class.
    pub class: Option<String>,
    /// Priority column, when mapped.
    pub priority: Option<f64>,
    /// The wait the real scheduler achieved (SWF field 3), for comparison with a replay.
    pub recorded_wait: Option<f64>,
    /// Its tasks.
    pub tasks: Vec<TraceTask>,
}

/// A trace file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Standard Workload Format (Parallel Workloads Archive), plain or `.gz`.
    Swf,
    /// Alibaba cluster-trace-v2018 `batch_task` CSV.
    #[serde(rename = "alibaba-2018")]
    Alibaba2018,
    /// WfCommons WfFormat JSON (1.4, 1.5): one workflow.
    Wfcommons,
    /// A job or pod CSV read through a column mapping ([`CsvColumns`]).
    Csv,
    /// schedsim's own trace CSV (what `schedsim import` writes).
    Schedsim,
}

/// Column mapping of a generic job/pod CSV (`[trace.columns]`): each `String` names a column
/// of the file's header (see [`csv_jobs`] for what a row becomes and what is skipped).
///
/// ```toml
/// [trace.columns]
/// arrival = "submitted"       # seconds, or an RFC 3339 UTC time ("2024-05-01T12:00:00Z")
/// start = "started"           # either `duration`, or both `start` and `end`
/// end = "finished"
/// cpu = "cpu_request"
/// cpu_scale = 0.001           # millicores in the file; a cell like "500m" needs no scale
/// memory = "mem_request"
/// memory_unit = "MiB"         # a cell like "512Mi" carries its own unit
/// id = "pod"
/// class = "namespace"
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CsvColumns {
    /// Arrival (submit) time: seconds, or an RFC 3339 time in UTC.
    pub arrival: String,
    /// Run time in seconds (instead of `start` and `end`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// Start time (with `end`): seconds or RFC 3339; run time = end − start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// End time (with `start`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// Cores the job holds.
    pub cpu: String,
    /// Cores per unit of the `cpu` column (1 when absent; 0.001 for millicores).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_scale: Option<f64>,
    /// Memory the job holds (0 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    /// Unit of the `memory` column's plain numbers (bytes when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_unit: Option<MemoryUnit>,
    /// Bytes per unit of the `memory` column, for units [`MemoryUnit`] lacks (instead of
    /// `memory_unit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_scale: Option<f64>,
    /// Job id (the line number when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Priority (a number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// Class, to group results by (e.g. a namespace or queue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// The user's run-time estimate, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<String>,
    /// Field separator, one ASCII character (`,` when absent; `"\t"` for TSV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<char>,
}

/// Column mapping of a node CSV (`[cluster.nodes_csv]`): one row per node, or per node kind
/// with a `count` column (see [`nodes`]).
///
/// ```toml
/// [cluster.nodes_csv]
/// path = "nodes.csv"
/// columns = { cpu = "cores", memory = "ram", memory_unit = "GiB", count = "n", name = "kind" }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NodeColumns {
    /// Cores of one node.
    pub cpu: String,
    /// Cores per unit of the `cpu` column (1 when absent; 0.001 for millicores).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_scale: Option<f64>,
    /// Memory of one node.
    pub memory: String,
    /// Unit of the `memory` column's plain numbers (bytes when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_unit: Option<MemoryUnit>,
    /// Bytes per unit of the `memory` column (instead of `memory_unit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_scale: Option<f64>,
    /// How many such nodes (1 when absent or empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<String>,
    /// Name of the node kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Pool the nodes belong to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// Relative speed (1 when absent or empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<String>,
    /// Field separator, one ASCII character (`,` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<char>,
}

/// A unit for a memory column's plain numbers: powers of 1000 (`KB`, `MB`, ...) or of 1024
/// (`KiB`, `MiB`, ...), as in the scenario file's sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum MemoryUnit {
    /// Bytes.
    B,
    /// 1000 bytes.
    KB,
    /// 1000² bytes.
    MB,
    /// 1000³ bytes.
    GB,
    /// 1000⁴ bytes.
    TB,
    /// 1024 bytes.
    KiB,
    /// 1024² bytes.
    MiB,
    /// 1024³ bytes.
    GiB,
    /// 1024⁴ bytes.
    TiB,
}

impl MemoryUnit {
    /// Bytes in one unit.
    pub fn bytes(self) -> f64 {
        match self {
            MemoryUnit::B => 1.0,
            MemoryUnit::KB => 1e3,
            MemoryUnit::MB => 1e6,
            MemoryUnit::GB => 1e9,
            MemoryUnit::TB => 1e12,
            MemoryUnit::KiB => 1024.0,
            MemoryUnit::MiB => 1024f64.powi(2),
            MemoryUnit::GiB => 1024f64.powi(3),
            MemoryUnit::TiB => 1024f64.powi(4),
        }
    }
}

/// Format options a reader needs beyond the file.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Bytes of one machine's memory: Alibaba's `plan_mem` is a percentage of it.
    pub node_memory: Option<f64>,
    /// The mapping of a generic CSV.
    pub columns: Option<CsvColumns>,
}

/// Counts of what a reader repaired or skipped, per documented rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepairReport {
    /// Rule name → how many times it applied.
    pub counts: BTreeMap<&'static str, u64>,
}

impl RepairReport {
    /// How many times `rule` applied (0 when it never did).
    pub fn get(&self, rule: &str) -> u64 {
        self.counts.get(rule).copied().unwrap_or(0)
    }

    /// Counts one more application of `rule`.
    fn add(&mut self, rule: &'static str) {
        self.add_n(rule, 1);
    }

    /// Counts `n` more applications of `rule` (none recorded when `n` is 0, so that a report
    /// lists only what happened).
    fn add_n(&mut self, rule: &'static str, n: u64) {
        if n > 0 {
            *self.counts.entry(rule).or_insert(0) += n;
        }
    }
}

/// A trace that cannot be read: the file, the line when there is one, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, when the problem is on one.
    pub line: Option<u64>,
    /// What is wrong and what would be right.
    pub message: String,
}

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl TraceError {
    /// An error in `path`, on `line` when there is one.
    fn new(path: &Path, line: Option<u64>, message: impl Into<String>) -> TraceError {
        TraceError { path: path.to_path_buf(), line, message: message.into() }
    }
}

impl std::error::Error for TraceError {}

/// A stream of jobs in arrival order.
pub trait JobStream: Iterator<Item = Result<TraceJob, TraceError>> + Send {
    /// What was repaired or skipped so far (complete once the stream is exhausted).
    fn report(&self) -> &RepairReport;
}

/// Opens a trace for reading, jobs in arrival order.
///
/// Every format may be gzipped (recognised by its first bytes, not its name).
///
/// # Errors
/// The file cannot be opened, is not in `format` (found on its first lines; a later broken
/// line is an error of the stream, with its line), or the options it needs are missing:
/// `node_memory` for Alibaba, `columns` for a CSV.
pub fn open(
    format: Format,
    path: &Path,
    options: &ImportOptions,
) -> Result<Box<dyn JobStream>, TraceError> {
    Ok(match format {
        Format::Swf => Box::new(swf::SwfReader::open(path)?),
        Format::Alibaba2018 => {
            let memory = options.node_memory.ok_or_else(|| {
                TraceError::new(
                    path,
                    None,
                    "alibaba-2018 gives plan_mem as a percentage of a machine's memory: set \
                     node_memory (e.g. \"96GiB\")",
                )
            })?;
            Box::new(alibaba::AlibabaReader::open(path, memory)?)
        }
        Format::Wfcommons => Box::new(wfcommons::WfcommonsReader::open(path)?),
        Format::Csv => {
            let columns = options.columns.as_ref().ok_or_else(|| {
                TraceError::new(
                    path,
                    None,
                    "a csv trace needs a column mapping ([trace.columns]) naming at least the \
                     arrival, duration (or start and end) and cpu columns",
                )
            })?;
            Box::new(csv_jobs::CsvReader::open(path, columns)?)
        }
        Format::Schedsim => Box::new(native::NativeReader::open(path)?),
    })
}

/// Opens `path` for buffered reading, through a gzip decoder when it starts with gzip's magic
/// bytes (so `trace.swf.gz` and a renamed file both work; concatenated members are read on).
fn open_input(path: &Path) -> Result<Box<dyn BufRead + Send>, TraceError> {
    let cannot = |e: std::io::Error| TraceError::new(path, None, format!("cannot read: {e}"));
    let file = File::open(path).map_err(cannot)?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    if reader.fill_buf().map_err(cannot)?.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(reader))))
    } else {
        Ok(Box::new(reader))
    }
}

/// Orders a job's tasks so that each comes after the tasks it runs after, dropping the edges
/// that close a cycle.
///
/// `parents[i]` lists the tasks task `i` runs after (no self-edges, no repeats); the index
/// order is the caller's preferred order. Cycles are broken by a depth-first walk that starts
/// from the tasks in index order and follows parents in their listed order: an edge to a task
/// still on the walk's path closes a cycle and is removed from `parents`. The order returned
/// is then the topological order that, among the ready tasks, always takes the lowest index
/// (Kahn's algorithm with a min-heap), so an acyclic job keeps its own order where it can.
/// Returns `order` (position → original index) and how many edges were dropped.
/// O((n + e) log n).
fn order_dag(parents: &mut [Vec<usize>]) -> (Vec<usize>, u64) {
    const WHITE: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let n = parents.len();
    let mut state = vec![WHITE; n];
    let mut dropped = 0;
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if state[root] != WHITE {
            continue;
        }
        state[root] = ON_PATH;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (task, at) = *top;
            if at == parents[task].len() {
                state[task] = DONE;
                stack.pop();
                continue;
            }
            top.1 += 1;
            let parent = parents[task][at];
            match state[parent] {
                WHITE => {
                    state[parent] = ON_PATH;
                    stack.push((parent, 0));
                }
                ON_PATH => {
                    // Marked now, removed below, so that positions in the list stay valid.
                    parents[task][at] = usize::MAX;
                    dropped += 1;
                }
                _ => {}
            }
        }
    }
    let mut children = vec![Vec::new(); n];
    let mut waiting = vec![0usize; n];
    for (task, list) in parents.iter_mut().enumerate() {
        list.retain(|&p| p != usize::MAX);
        waiting[task] = list.len();
        for &p in list.iter() {
            children[p].push(task);
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> =
        (0..n).filter(|&t| waiting[t] == 0).map(Reverse).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(task)) = ready.pop() {
        order.push(task);
        for &c in &children[task] {
            waiting[c] -= 1;
            if waiting[c] == 0 {
                ready.push(Reverse(c));
            }
        }
    }
    (order, dropped)
}

/// Builds a job's tasks in `order` (from [`order_dag`]), `after` as positions in that order,
/// ascending; `make(i, after)` turns original task `i` into a task.
fn tasks_in_order(
    order: &[usize],
    parents: &[Vec<usize>],
    mut make: impl FnMut(usize, Vec<u32>) -> TraceTask,
) -> Vec<TraceTask> {
    let mut position = vec![0u32; order.len()];
    for (at, &i) in order.iter().enumerate() {
        position[i] = at as u32;
    }
    order
        .iter()
        .map(|&i| {
            let mut after: Vec<u32> = parents[i].iter().map(|&p| position[p]).collect();
            after.sort_unstable();
            make(i, after)
        })
        .collect()
}

/// A mapped CSV file (job or node CSV) opened for reading: its reader, positioned after the
/// header, and the header.
type MappedCsv = (csv::Reader<Box<dyn BufRead + Send>>, csv::StringRecord);

/// Opens a CSV file read through a column mapping and reads its header line.
fn open_mapped_csv(path: &Path, delimiter: Option<char>) -> Result<MappedCsv, TraceError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(delimiter_byte(path, delimiter)?)
        .from_reader(open_input(path)?);
    let mut header = csv::StringRecord::new();
    if !csv.read_record(&mut header).map_err(|e| csv_error(path, e))? {
        return Err(TraceError::new(
            path,
            None,
            "the file is empty: expected a header naming the columns",
        ));
    }
    Ok((csv, header))
}

/// A CSV read error of `path`, with its line when known.
fn csv_error(path: &Path, e: csv::Error) -> TraceError {
    let line = e.position().map(|p| p.line());
    TraceError::new(path, line, format!("cannot read: {e}"))
}

/// The field separator `delimiter` names, as the byte the CSV reader wants.
fn delimiter_byte(path: &Path, delimiter: Option<char>) -> Result<u8, TraceError> {
    match delimiter {
        None => Ok(b','),
        Some(c) if c.is_ascii() && c != '"' && c != '\n' && c != '\r' => Ok(c as u8),
        Some(c) => Err(TraceError::new(
            path,
            None,
            format!("delimiter {c:?} must be one ASCII character other than a quote or newline"),
        )),
    }
}

/// The index of the column mapped by `key` (e.g. `trace.columns.cpu`) to `name` in `header`.
///
/// # Errors
/// The header has no such column: the error, on line 1, names it and lists the header's.
fn column_index(
    path: &Path,
    header: &csv::StringRecord,
    key: &str,
    name: &str,
) -> Result<usize, TraceError> {
    header.iter().position(|h| h == name).ok_or_else(|| {
        let have: Vec<&str> = header.iter().collect();
        TraceError::new(
            path,
            Some(1),
            format!(
                "{key} = \"{name}\" is not a column of the header, whose columns are: {}",
                have.join(", ")
            ),
        )
    })
}

/// Bytes per plain number of a memory column: `memory_unit` or `memory_scale` (bytes when
/// neither is set).
fn memory_factor(
    path: &Path,
    table: &str,
    unit: Option<MemoryUnit>,
    scale: Option<f64>,
) -> Result<f64, TraceError> {
    match (unit, scale) {
        (Some(_), Some(_)) => Err(TraceError::new(
            path,
            None,
            format!("{table}: set memory_unit or memory_scale, not both"),
        )),
        (Some(u), None) => Ok(u.bytes()),
        (None, Some(s)) => positive_scale(path, table, "memory_scale", s),
        (None, None) => Ok(1.0),
    }
}

/// `scale` when it is a finite number above 0.
fn positive_scale(path: &Path, table: &str, key: &str, scale: f64) -> Result<f64, TraceError> {
    if scale.is_finite() && scale > 0.0 {
        Ok(scale)
    } else {
        Err(TraceError::new(path, None, format!("{table}.{key} must be above 0, got {scale}")))
    }
}

/// A finite number ≥ 0 written plainly.
fn plain_number(cell: &str) -> Option<f64> {
    cell.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)
}

/// Cores in a CPU cell: a plain number times `scale`, or a Kubernetes quantity in millicores
/// (`"500m"`, whose unit is explicit, so `scale` does not apply).
fn parse_cpu(cell: &str, scale: f64) -> Option<f64> {
    match plain_number(cell) {
        Some(v) => Some(v * scale),
        None => cell.strip_suffix('m').and_then(plain_number).map(|v| v / 1000.0),
    }
}

/// Bytes in a memory cell: a plain number times `factor`, or a size with its own unit
/// (`"512Mi"`, `"2GiB"`, `"1.5G"`; the units of the scenario file's sizes).
fn parse_memory(cell: &str, factor: f64) -> Option<f64> {
    match plain_number(cell) {
        Some(v) => Some(v * factor),
        None => crate::scenario::Bytes::parse(cell).ok().map(|b| b.0 as f64),
    }
}

/// Seconds in a time cell: a plain number, or an RFC 3339 time in UTC from 1970 on
/// (`2024-05-01T12:00:00Z`, `2024-05-01 12:00:00.5`) as seconds since the Unix epoch.
fn parse_time(cell: &str) -> Option<f64> {
    if let Ok(v) = cell.parse::<f64>() {
        return v.is_finite().then_some(v);
    }
    let t = humantime::parse_rfc3339_weak(cell).ok()?;
    Some(t.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs_f64())
}

#[cfg(test)]
mod tests {
    /// A temporary file holding `contents`, for the readers' tests.
    pub(crate) fn test_file(contents: impl AsRef<[u8]>) -> tempfile::NamedTempFile {
        use std::io::Write;
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(contents.as_ref()).unwrap();
        f
    }

    use super::*;

    #[test]
    fn order_dag_keeps_the_preferred_order_and_breaks_cycles() {
        // 0 after 2, 1 free, 2 free: 1 and 2 are ready at once; the lower index goes first.
        let mut parents = vec![vec![2], vec![], vec![]];
        assert_eq!(order_dag(&mut parents), (vec![1, 2, 0], 0));
        // 0 → 1 → 2 → 0 (each after the next): walking from 0, 2's edge back to 0 closes it.
        let mut parents = vec![vec![1], vec![2], vec![0]];
        assert_eq!(order_dag(&mut parents), (vec![2, 1, 0], 1));
        assert_eq!(parents, vec![vec![1], vec![2], vec![]]);
        // Two cycles through one task.
        let mut parents = vec![vec![1, 2], vec![0], vec![0]];
        let (order, dropped) = order_dag(&mut parents);
        assert_eq!((order, dropped), (vec![1, 2, 0], 2));
        let tasks = tasks_in_order(&[1, 2, 0], &parents, |i, after| TraceTask {
            name: i.to_string(),
            after,
            instances: 1,
            cpu: 1.0,
            memory: 0.0,
            work: 0.0,
            estimate: None,
        });
        let after: Vec<(&str, Vec<u32>)> =
            tasks.iter().map(|t| (t.name.as_str(), t.after.clone())).collect();
        assert_eq!(after, [("1", vec![]), ("2", vec![]), ("0", vec![0, 1])]);
    }

    #[test]
    fn cells_with_units() {
        assert_eq!(parse_cpu("2", 1.0), Some(2.0));
        assert_eq!(parse_cpu("250", 0.001), Some(0.25));
        assert_eq!(parse_cpu("250m", 5.0), Some(0.25));
        assert_eq!(parse_cpu("-1", 1.0), None);
        assert_eq!(parse_cpu("many", 1.0), None);
        assert_eq!(parse_memory("2", MemoryUnit::KiB.bytes()), Some(2048.0));
        assert_eq!(parse_memory("1e3", 1.0), Some(1000.0));
        assert_eq!(parse_memory("512Mi", 1.0), Some(512.0 * 1024.0 * 1024.0));
        assert_eq!(parse_memory("1.5GB", 7.0), Some(1.5e9));
        assert_eq!(parse_memory("lots", 1.0), None);
        assert_eq!(parse_time("12.5"), Some(12.5));
        assert_eq!(parse_time("1970-01-01T00:01:00Z"), Some(60.0));
        assert_eq!(parse_time("1970-01-01 00:00:01.5"), Some(1.5));
        assert_eq!(parse_time("1969-12-31T23:59:00Z"), None);
        assert_eq!(parse_time("tomorrow"), None);
    }

    #[test]
    fn open_reports_missing_options_and_unreadable_files() {
        let dir = tempfile::tempdir().unwrap();
        let e = open(Format::Csv, dir.path(), &ImportOptions::default()).err().unwrap();
        assert!(e.message.contains("needs a column mapping"), "{e}");
        let e = open(Format::Swf, &dir.path().join("none.swf"), &ImportOptions::default());
        let e = e.err().unwrap();
        assert_eq!(e.path, dir.path().join("none.swf"));
        assert!(e.message.starts_with("cannot read"), "{e}");
        // A directory opens on Linux, but cannot be read.
        assert!(open(Format::Schedsim, dir.path(), &ImportOptions::default()).is_err());
        let json = dir.path().join("w.json");
        std::fs::write(&json, "{\"workflow\": {\"tasks\": []}}\n").unwrap();
        let mut swf = open(Format::Swf, &json, &ImportOptions::default()).unwrap();
        let e = swf.next().unwrap().unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}:1: expected 18 whitespace-separated SWF fields, found 3 — is this an SWF file?",
                json.display()
            )
        );
        let mut wf = open(Format::Wfcommons, &json, &ImportOptions::default()).unwrap();
        assert_eq!(wf.next().unwrap().unwrap().tasks, vec![]);
        assert!(wf.next().is_none());
    }
}
