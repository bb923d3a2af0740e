//! Alibaba cluster-trace-v2018 `batch_task` CSV: every `job_name` is one job, a workflow whose
//! DAG is spelled by its task names.
//!
//! Columns, with or without this header line: `task_name,instance_num,job_name,task_type,
//! status,start_time,end_time,plan_cpu,plan_mem`. A task named `M5_3_4` is task 5 and runs
//! after tasks 3 and 4 of its job (the leading letters carry no meaning); a `task_…` name is a
//! task with no dependencies. A row becomes one [`TraceTask`] with `instances = instance_num`,
//! `cpu = plan_cpu / 100` cores and `memory = plan_mem / 100 × node_memory` bytes per
//! instance (`plan_mem` is a percentage of one machine's memory, which the trace does not
//! record: the scenario's `node_memory` says it), `work = end_time − start_time`. The trace
//! has no submit time, so a job arrives at its earliest `start_time`. `task_type` and
//! `status` are not used: failed tasks held their resources too.
//!
//! The rows of a job are scattered over the file and the file is not in time order, so the
//! reader holds the rows in a compact table (one entry per row, not per instance), groups them
//! by job and yields the jobs in arrival order, ties by job name (byte order), so that the
//! same file always gives the same sequence. Tasks are ordered parents first; among tasks
//! that could go next, by task number, then name.
//!
//! # Repairs
//!
//! The trace has known defects. Each repair is counted in the [`RepairReport`] under its
//! rule; every row becomes a task unless a rule below says it is dropped.
//!
//! | rule | counts | what is done |
//! |---|---|---|
//! | `missing_job_name` | rows | the row has no `job_name`: dropped (it belongs to no job) |
//! | `missing_task_name` | rows | the row has no `task_name`: dropped (nothing can name it) |
//! | `job_without_start` | rows | no row of the job has a start time, so the job has no arrival: its rows are dropped |
//! | `truncated_name` | tasks | the trace cut the name at 50 characters or it ends in `_`: the trailing `_` is removed and, in a 50-character name that does not end in `_`, the last number (maybe cut short: `…_18_1` for `…_18_19`) is dropped; the dependencies past the cut are lost |
//! | `unparsed_name` | tasks | a name neither `<letters><number>_<number>…` nor `task_…`: an independent task |
//! | `duplicate_task` | tasks | a second task with the same number (or the same name) in the job: kept, renamed `<name>~2` (`~3`, …) if the name is taken; tasks that name the number wait for all of them |
//! | `self_dependency` | edges | a task names itself: the edge is dropped |
//! | `unknown_dependency` | edges | a task names a task number absent from the job: the edge is dropped |
//! | `duplicate_dependency` | edges | a task names the same task twice: kept once |
//! | `cyclic_dependency` | edges | the edge closes a cycle (found walking the tasks by number, parents first): dropped |
//! | `bad_instance_num` | tasks | `instance_num` empty, below 1 or not whole: 1 instance |
//! | `missing_cpu` | tasks | `plan_cpu` empty or ≤ 0: the job's median `plan_cpu` (the lower middle value), else the file's, else 100 (one core) |
//! | `missing_memory` | tasks | `plan_mem` empty or < 0: the job's median `plan_mem`, else the file's, else 0 |
//! | `missing_start_time` | tasks | `start_time` empty or 0 (the trace writes 0 for a task that never started): work 0, and the row does not count for the job's arrival |
//! | `missing_end_time` | tasks | `end_time` empty or 0 while the start is known (a task still running when the trace ended): work 0 |
//! | `negative_duration` | tasks | `end_time < start_time`: work 0 |
//! | `zero_duration` | tasks | `end_time = start_time` (under the trace's 1 s resolution): work 0, kept |
//!
//! Values that are not numbers at all (`plan_cpu = abc`) and rows without 9 fields are not
//! defects of this trace but signs of another file: they are errors, with their line. The
//! recorded start times often contradict the DAG (children starting before their parents
//! end); the replay follows the DAG and the durations, not the recorded starts.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{
    open_input, order_dag, tasks_in_order, JobStream, RepairReport, TraceError, TraceJob, TraceTask,
};

/// The columns, in the order the reader expects them.
const COLUMNS: [&str; 9] = [
    "task_name",
    "instance_num",
    "job_name",
    "task_type",
    "status",
    "start_time",
    "end_time",
    "plan_cpu",
    "plan_mem",
];

/// Length at which the trace cut long task names.
const CUT_AT: usize = 50;

/// `plan_cpu` of a task when neither its job nor the file gives one: one core.
const DEFAULT_PLAN_CPU: f64 = 100.0;

/// One row of the file, compact: times and sizes as read (`NaN` where the cell is empty), the
/// task name in the reader's name arena.
struct Row {
    job: u32,
    name_at: u32,
    name_len: u32,
    instances: f64,
    start: f64,
    end: f64,
    cpu: f64,
    memory: f64,
}

/// Reads a `batch_task` file; jobs come out in arrival order (see the module doc).
pub struct AlibabaReader {
    path: PathBuf,
    /// Bytes of one machine's memory (`plan_mem = 100`).
    node_memory: f64,
    /// All task names, end to end.
    names: String,
    rows: Vec<Row>,
    job_names: Vec<String>,
    /// Row indices grouped by job: job `j` has `by_job[job_start[j]..job_start[j + 1]]`.
    by_job: Vec<u32>,
    job_start: Vec<u32>,
    /// Jobs to yield, in order, with their arrival.
    order: Vec<(f64, u32)>,
    next: usize,
    /// File-wide medians of `plan_cpu` and `plan_mem`, for jobs that give none.
    file_cpu: f64,
    file_memory: f64,
    report: RepairReport,
}

impl AlibabaReader {
    /// Reads the table of `path`; `node_memory` is one machine's memory in bytes.
    ///
    /// # Errors
    /// The file cannot be read, `node_memory` is not above 0, a row has not 9 fields, a
    /// numeric cell is not a number, or the header is not the `batch_task` one.
    pub fn open(path: &Path, node_memory: f64) -> Result<AlibabaReader, TraceError> {
        if !(node_memory.is_finite() && node_memory > 0.0) {
            return Err(TraceError::new(
                path,
                None,
                format!("node_memory must be above 0 bytes, got {node_memory}"),
            ));
        }
        let mut reader = AlibabaReader {
            path: path.to_path_buf(),
            node_memory,
            names: String::new(),
            rows: Vec::new(),
            job_names: Vec::new(),
            by_job: Vec::new(),
            job_start: Vec::new(),
            order: Vec::new(),
            next: 0,
            file_cpu: f64::NAN,
            file_memory: f64::NAN,
            report: RepairReport::default(),
        };
        reader.read_table()?;
        reader.group();
        Ok(reader)
    }

    /// Reads every row into the compact table.
    fn read_table(&mut self) -> Result<(), TraceError> {
        let path = self.path.clone();
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(open_input(&path)?);
        let mut jobs: HashMap<String, u32> = HashMap::new();
        let mut record = csv::StringRecord::new();
        let mut first = true;
        loop {
            match csv.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map(|p| p.line());
                    return Err(TraceError::new(&path, line, format!("cannot read: {e}")));
                }
            }
            let line = record.position().map_or(0, |p| p.line());
            if record.len() != COLUMNS.len() {
                return Err(TraceError::new(
                    &path,
                    Some(line),
                    format!(
                        "expected {} comma-separated batch_task fields ({}), found {} — is \
                         this an Alibaba cluster-trace-v2018 batch_task file?",
                        COLUMNS.len(),
                        COLUMNS.join(","),
                        record.len()
                    ),
                ));
            }
            if std::mem::take(&mut first) && &record[0] == "task_name" {
                if record.iter().ne(COLUMNS) {
                    return Err(TraceError::new(
                        &path,
                        Some(line),
                        format!(
                            "the header is `{}`, expected `{}` (or no header, the columns \
                             in that order)",
                            record.iter().collect::<Vec<_>>().join(","),
                            COLUMNS.join(",")
                        ),
                    ));
                }
                continue;
            }
            let number = |i: usize| -> Result<f64, TraceError> {
                let cell = &record[i];
                if cell.is_empty() {
                    return Ok(f64::NAN);
                }
                match cell.parse::<f64>() {
                    Ok(v) if v.is_finite() => Ok(v),
                    Ok(_) => Ok(f64::NAN),
                    Err(_) => Err(TraceError::new(
                        &path,
                        Some(line),
                        format!("{} is `{cell}`, expected a number", COLUMNS[i]),
                    )),
                }
            };
            let (instances, start, end, cpu, memory) =
                (number(1)?, number(5)?, number(6)?, number(7)?, number(8)?);
            if record[2].is_empty() {
                self.report.add("missing_job_name");
                continue;
            }
            if record[0].is_empty() {
                self.report.add("missing_task_name");
                continue;
            }
            let job = match jobs.get(&record[2]) {
                Some(&j) => j,
                None => {
                    let j = u32::try_from(self.job_names.len()).map_err(|_| too_big(&path))?;
                    jobs.insert(record[2].to_string(), j);
                    self.job_names.push(record[2].to_string());
                    j
                }
            };
            let name_at = u32::try_from(self.names.len()).map_err(|_| too_big(&path))?;
            self.names.push_str(&record[0]);
            self.rows.push(Row {
                job,
                name_at,
                name_len: record[0].len() as u32,
                instances,
                start,
                end,
                cpu,
                memory,
            });
        }
        u32::try_from(self.rows.len()).map_err(|_| too_big(&path))?;
        Ok(())
    }

    /// Groups the rows by job (a counting sort, file order within a job), finds each job's
    /// arrival and the order to yield them in, and the file-wide fallback sizes.
    fn group(&mut self) {
        let jobs = self.job_names.len();
        let mut start = vec![0u32; jobs + 1];
        for row in &self.rows {
            start[row.job as usize + 1] += 1;
        }
        for j in 0..jobs {
            start[j + 1] += start[j];
        }
        let mut fill = start.clone();
        let mut by_job = vec![0u32; self.rows.len()];
        let mut arrival = vec![f64::INFINITY; jobs];
        for (i, row) in self.rows.iter().enumerate() {
            let j = row.job as usize;
            by_job[fill[j] as usize] = i as u32;
            fill[j] += 1;
            if recorded(row.start) {
                arrival[j] = arrival[j].min(row.start);
            }
        }
        let mut order = Vec::with_capacity(jobs);
        for (j, &t) in arrival.iter().enumerate() {
            if t.is_finite() {
                order.push((t, j as u32));
            } else {
                let rows = start[j + 1] - start[j];
                self.report.add_n("job_without_start", u64::from(rows));
            }
        }
        let names = &self.job_names;
        order.sort_by(|a, b| {
            a.0.total_cmp(&b.0).then_with(|| names[a.1 as usize].cmp(&names[b.1 as usize]))
        });
        let mut cpu: Vec<f64> = self.rows.iter().map(|r| r.cpu).filter(|&c| c > 0.0).collect();
        let mut mem: Vec<f64> = self.rows.iter().map(|r| r.memory).filter(|&m| m >= 0.0).collect();
        self.file_cpu = lower_median(&mut cpu).unwrap_or(DEFAULT_PLAN_CPU);
        self.file_memory = lower_median(&mut mem).unwrap_or(0.0);
        self.by_job = by_job;
        self.job_start = start;
        self.order = order;
    }

    /// Builds job `j`, arriving at `arrival`, repairing what needs it.
    fn build(&mut self, arrival: f64, j: u32) -> TraceJob {
        let rows: Vec<&Row> = self.by_job
            [self.job_start[j as usize] as usize..self.job_start[j as usize + 1] as usize]
            .iter()
            .map(|&i| &self.rows[i as usize])
            .collect();
        let report = &mut self.report;
        let parsed: Vec<(&str, ParsedName)> = rows
            .iter()
            .map(|r| {
                let name =
                    &self.names[r.name_at as usize..r.name_at as usize + r.name_len as usize];
                let p = parse_name(name);
                if p.cut {
                    report.add("truncated_name");
                }
                if p.unparsed {
                    report.add("unparsed_name");
                }
                (name, p)
            })
            .collect();

        // Task numbers and unique names, in file order.
        let mut by_number: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut taken: HashSet<String> = HashSet::new();
        let mut names: Vec<String> = Vec::with_capacity(rows.len());
        for (i, (name, p)) in parsed.iter().enumerate() {
            let seen = match p.number {
                Some(n) => {
                    let list = by_number.entry(n).or_default();
                    list.push(i);
                    list.len() > 1
                }
                None => taken.contains(*name),
            };
            if seen {
                report.add("duplicate_task");
            }
            let mut unique = name.to_string();
            let mut k = 2;
            while taken.contains(&unique) {
                unique = format!("{name}~{k}");
                k += 1;
            }
            taken.insert(unique.clone());
            names.push(unique);
        }

        // Preferred order: by task number (independent tasks last), then name.
        let mut preferred: Vec<usize> = (0..rows.len()).collect();
        preferred.sort_by(|&a, &b| {
            let key = |i: usize| (parsed[i].1.number.unwrap_or(u64::MAX), &names[i]);
            key(a).cmp(&key(b))
        });
        let mut rank = vec![0usize; rows.len()];
        for (at, &i) in preferred.iter().enumerate() {
            rank[i] = at;
        }
        let mut parents: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
        for (i, (_, p)) in parsed.iter().enumerate() {
            let list = &mut parents[rank[i]];
            for (k, &d) in p.after.iter().enumerate() {
                if Some(d) == p.number {
                    report.add("self_dependency");
                } else if p.after[..k].contains(&d) {
                    report.add("duplicate_dependency");
                } else if let Some(tasks) = by_number.get(&d) {
                    list.extend(tasks.iter().map(|&t| rank[t]));
                } else {
                    report.add("unknown_dependency");
                }
            }
        }
        let (order, cyclic) = order_dag(&mut parents);
        report.add_n("cyclic_dependency", cyclic);

        let mut job_cpu: Vec<f64> = rows.iter().map(|r| r.cpu).filter(|&c| c > 0.0).collect();
        let mut job_mem: Vec<f64> = rows.iter().map(|r| r.memory).filter(|&m| m >= 0.0).collect();
        let fill_cpu = lower_median(&mut job_cpu).unwrap_or(self.file_cpu);
        let fill_mem = lower_median(&mut job_mem).unwrap_or(self.file_memory);
        let node_memory = self.node_memory;
        let tasks = tasks_in_order(&order, &parents, |at, after| {
            let i = preferred[at];
            let r = rows[i];
            let instances = if r.instances >= 1.0
                && r.instances.fract() == 0.0
                && r.instances <= f64::from(u32::MAX)
            {
                r.instances as u32
            } else {
                report.add("bad_instance_num");
                1
            };
            let cpu = if r.cpu > 0.0 {
                r.cpu
            } else {
                report.add("missing_cpu");
                fill_cpu
            };
            let memory = if r.memory >= 0.0 {
                r.memory
            } else {
                report.add("missing_memory");
                fill_mem
            };
            let work = if !recorded(r.start) {
                report.add("missing_start_time");
                0.0
            } else if !recorded(r.end) {
                report.add("missing_end_time");
                0.0
            } else if r.end < r.start {
                report.add("negative_duration");
                0.0
            } else {
                if r.end == r.start {
                    report.add("zero_duration");
                }
                r.end - r.start
            };
            TraceTask {
                name: std::mem::take(&mut names[i]),
                after,
                instances,
                cpu: cpu / 100.0,
                memory: memory / 100.0 * node_memory,
                work,
                estimate: None,
            }
        });
        TraceJob {
            id: self.job_names[j as usize].clone(),
            arrival,
            class: None,
            priority: None,
            recorded_wait: None,
            tasks,
        }
    }
}

impl Iterator for AlibabaReader {
    type Item = Result<TraceJob, TraceError>;

    fn next(&mut self) -> Option<Self::Item> {
        let &(arrival, j) = self.order.get(self.next)?;
        self.next += 1;
        Some(Ok(self.build(arrival, j)))
    }
}

impl JobStream for AlibabaReader {
    fn report(&self) -> &RepairReport {
        &self.report
    }
}

/// A time the trace recorded: it writes 0 for a task that never started (or ended), and a
/// cell may be empty (`NaN` in the table).
fn recorded(time: f64) -> bool {
    time > 0.0
}

/// The table's indices are 32-bit: more than 4 billion rows or bytes of names is refused.
fn too_big(path: &Path) -> TraceError {
    TraceError::new(path, None, "more than 2³² rows or bytes of task names: split the file")
}

/// The lower of the middle values (an observed value, not a blend of two); `None` when empty.
fn lower_median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mid = (values.len() - 1) / 2;
    Some(*values.select_nth_unstable_by(mid, f64::total_cmp).1)
}

/// What a task name says.
#[derive(Debug, Default, PartialEq)]
struct ParsedName {
    /// The task's number; `None` for an independent task.
    number: Option<u64>,
    /// The numbers of the tasks it runs after, as written (after the cut's repair).
    after: Vec<u64>,
    /// The trace cut the name (rule `truncated_name`).
    cut: bool,
    /// The name is in no known form (rule `unparsed_name`).
    unparsed: bool,
}

/// Reads a task name: `<letters><number>(_<number>)*`, `task_…`, or anything else (see the
/// module doc for the cut names' repair).
fn parse_name(name: &str) -> ParsedName {
    if name.starts_with("task_") {
        return ParsedName::default();
    }
    let body = name.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let trimmed = body.trim_end_matches('_');
    let mut numbers = Vec::new();
    for part in trimmed.split('_') {
        match part.parse::<u64>() {
            Ok(n) if part.bytes().all(|b| b.is_ascii_digit()) => numbers.push(n),
            _ => return ParsedName { unparsed: true, ..ParsedName::default() },
        }
    }
    let ends_cut = trimmed.len() < body.len();
    let cut = ends_cut || name.len() == CUT_AT;
    if cut && !ends_cut && numbers.len() > 1 {
        numbers.pop();
    }
    let number = numbers.remove(0);
    ParsedName { number: Some(number), after: numbers, cut, unparsed: false }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::trace::tests::test_file as file;

    const HEADER: &str =
        "task_name,instance_num,job_name,task_type,status,start_time,end_time,plan_cpu,plan_mem";

    fn read_all(r: &mut AlibabaReader) -> Vec<TraceJob> {
        r.by_ref().map(|j| j.unwrap()).collect()
    }

    fn task(
        name: &str,
        after: &[u32],
        instances: u32,
        cpu: f64,
        memory: f64,
        work: f64,
    ) -> TraceTask {
        TraceTask {
            name: name.into(),
            after: after.to_vec(),
            instances,
            cpu,
            memory,
            work,
            estimate: None,
        }
    }

    #[test]
    fn names_give_numbers_and_dependencies() {
        let p = parse_name("M5_3_4");
        assert_eq!((p.number, p.after, p.cut, p.unparsed), (Some(5), vec![3, 4], false, false));
        assert_eq!(parse_name("R12").number, Some(12));
        assert_eq!(parse_name("task_Nzg3ODAw"), ParsedName::default());
        assert!(parse_name("MergeTask").unparsed);
        assert!(parse_name("M1_Stg4").unparsed);
        assert!(parse_name("M1__2").unparsed);
        let cut = parse_name("J3_1_2_");
        assert_eq!((cut.number, cut.after, cut.cut), (Some(3), vec![1, 2], true));
        // 50 characters, not ending in `_`: the last number may be cut short.
        let long = format!("R9_{}", "1_".repeat(23) + "2");
        assert_eq!(long.len(), CUT_AT);
        let p = parse_name(&long);
        assert!(p.cut);
        assert_eq!(p.after.len(), 23);
    }

    #[test]
    fn order_is_deterministic_and_medians_are_observed_values() {
        assert_eq!(lower_median(&mut [3.0, 1.0, 2.0, 4.0]), Some(2.0));
        assert_eq!(lower_median(&mut []), None);
    }

    /// Two jobs, out of order and interleaved, with every kind of defect.
    const SAMPLE: &str = "\
R3_1_2,2.0,j_b,1,Terminated,120,130,50.0,0.5
M1,1.0,j_b,1,Terminated,100,110,100.0,1.0
M2_1_1,,j_b,1,Terminated,105,104,,
task_x,3.0,j_a,1,Terminated,50,60,100.0,0.2
M7_7_9_4,1.0,j_a,1,Running,55,0,200.0,
M4_7,0,j_a,1,Waiting,0,0,,0.4
M4,1.0,j_a,1,Terminated,70,70,100.0,0.3
,1.0,j_a,1,Terminated,70,80,100.0,0.3
M1,1.0,,1,Terminated,70,80,100.0,0.3
M1,1.0,j_c,1,Waiting,0,0,,
J6_5_,1.5,j_a,1,Failed,80,90,100.0,0.2
";

    #[test]
    fn reads_sample_with_repairs() {
        for text in [format!("{HEADER}\n{SAMPLE}"), SAMPLE.to_string()] {
            let f = file(&text);
            let mut r = AlibabaReader::open(f.path(), 1000.0).unwrap();
            let jobs = read_all(&mut r);
            assert_eq!(jobs.len(), 2);
            let a = &jobs[0];
            assert_eq!((a.id.as_str(), a.arrival), ("j_a", 50.0));
            // By number: M4, M4_7 (both 4), J6_5_, M7_7_9_4, then task_x. M4_7 ↔ M7 is a
            // cycle: the walk reaches M4_7 first, so M7's edge back to it closes the cycle and
            // is dropped; M7 still waits for the other task 4.
            assert_eq!(
                a.tasks,
                vec![
                    task("M4", &[], 1, 1.0, 3.0, 0.0),
                    task("J6_5_", &[], 1, 1.0, 2.0, 10.0),
                    task("M7_7_9_4", &[0], 1, 2.0, 2.0, 0.0),
                    task("M4_7", &[2], 1, 1.0, 4.0, 0.0),
                    task("task_x", &[], 3, 1.0, 2.0, 10.0),
                ]
            );
            let b = &jobs[1];
            assert_eq!((b.id.as_str(), b.arrival), ("j_b", 100.0));
            assert_eq!(
                b.tasks,
                vec![
                    task("M1", &[], 1, 1.0, 10.0, 10.0),
                    task("M2_1_1", &[0], 1, 0.5, 5.0, 0.0),
                    task("R3_1_2", &[0, 1], 2, 0.5, 5.0, 10.0),
                ]
            );
            let expected: &[(&str, u64)] = &[
                ("bad_instance_num", 3),
                ("cyclic_dependency", 1),
                ("duplicate_dependency", 1),
                ("duplicate_task", 1),
                ("job_without_start", 1),
                ("missing_cpu", 2),
                ("missing_end_time", 1),
                ("missing_job_name", 1),
                ("missing_memory", 2),
                ("missing_start_time", 1),
                ("missing_task_name", 1),
                ("negative_duration", 1),
                ("self_dependency", 1),
                ("truncated_name", 1),
                ("unknown_dependency", 2),
                ("zero_duration", 1),
            ];
            let counts: Vec<(&str, u64)> =
                r.report().counts.iter().map(|(k, v)| (*k, *v)).collect();
            assert_eq!(counts, expected);
        }
    }

    #[test]
    fn other_files_are_refused_with_their_line() {
        let swf = file("; Version: 2.2\n1 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 -1 -1 -1 -1\n");
        let e = AlibabaReader::open(swf.path(), 1.0).err().unwrap();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("expected 9 comma-separated"), "{e}");
        let json = file("{\n  \"name\": \"montage\"\n}\n");
        assert_eq!(AlibabaReader::open(json.path(), 1.0).err().unwrap().line, Some(1));
        let header = file("task_name,instances,job_name,task_type,status,start,end,cpu,mem\n");
        let e = AlibabaReader::open(header.path(), 1.0).err().unwrap();
        assert!(e.message.contains("the header is"), "{e}");
        let text = file(format!("{HEADER}\nM1,1,j_1,1,Terminated,1,2,lots,0.1\n"));
        let e = AlibabaReader::open(text.path(), 1.0).err().unwrap();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("plan_cpu is `lots`"), "{e}");
        let e = AlibabaReader::open(Path::new("/nonexistent/batch_task.csv"), 1.0).err().unwrap();
        assert!(e.to_string().starts_with("/nonexistent/batch_task.csv: cannot read"), "{e}");
        let e = AlibabaReader::open(text.path(), 0.0).err().unwrap();
        assert!(e.message.contains("node_memory"), "{e}");
    }

    #[test]
    fn open_needs_node_memory() {
        let f = file(format!("{HEADER}\n"));
        let options = super::super::ImportOptions::default();
        let e = super::super::open(super::super::Format::Alibaba2018, f.path(), &options);
        assert!(e.err().unwrap().message.contains("set node_memory"));
    }

    #[test]
    fn real_file() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/traces/alibaba_v2018_batch_task_selected_DAGs.csv");
        if !path.exists() {
            eprintln!("skipped: {} is absent", path.display());
            return;
        }
        let clock = std::time::Instant::now();
        let mut r = AlibabaReader::open(&path, 1e11).unwrap();
        let jobs = read_all(&mut r);
        eprintln!(
            "read {} jobs of {} in {:.3} s ({})",
            jobs.len(),
            path.display(),
            clock.elapsed().as_secs_f64(),
            if cfg!(debug_assertions) { "with debug assertions" } else { "release" }
        );
        eprintln!("repairs: {:?}", r.report().counts);
        assert_eq!(jobs.len(), 2120);
        let tasks: usize = jobs.iter().map(|j| j.tasks.len()).sum();
        assert_eq!(tasks, 55_874);
        // The rows' instance_num sum, plus one for each of the 192 rows with none.
        let instances: u64 =
            jobs.iter().flat_map(|j| &j.tasks).map(|t| u64::from(t.instances)).sum();
        assert_eq!(instances, 3_131_376 + 192);
        assert_eq!(r.report().get("bad_instance_num"), 192);
        for job in &jobs {
            for (i, t) in job.tasks.iter().enumerate() {
                assert!(t.after.iter().all(|&a| (a as usize) < i), "{} {}", job.id, t.name);
                assert!(t.cpu > 0.0 && t.memory >= 0.0 && t.work >= 0.0);
            }
        }
        assert!(jobs.windows(2).all(|w| w[0].arrival <= w[1].arrival));
    }
}
