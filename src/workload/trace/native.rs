//! schedsim's own trace CSV: what `schedsim import` writes, and the fastest format for a
//! scenario to read (no repairs, no reordering: one pass, one job at a time).
//!
//! The header is exactly
//! `workflow,arrival,task,after,instances,cpu,memory,work,work_estimate,class,priority,recorded_wait`
//! and each row is one task:
//!
//! | column | meaning |
//! |---|---|
//! | `workflow` | the job's id; the rows of a job are contiguous |
//! | `arrival` | the job's arrival, trace seconds; jobs in non-decreasing arrival |
//! | `task` | the task's name, unique in its job, without whitespace |
//! | `after` | space-separated names of earlier tasks of the job it runs after (empty: none) |
//! | `instances` | identical instances, ≥ 1 |
//! | `cpu`, `memory` | cores and bytes per instance, ≥ 0 |
//! | `work`, `work_estimate` | recorded run time and the user's estimate, seconds (estimate may be empty) |
//! | `class`, `priority`, `recorded_wait` | the job's, on each of its rows (may be empty) |
//!
//! Numbers are written with Rust's shortest round-trip formatting, so that reading a written
//! job gives back exactly the same job. A row that breaks a rule above is an error with its
//! line: the file was not written by schedsim, or was edited.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::path::Path;
use std::sync::Arc;

use super::{open_input, JobStream, RepairReport, TraceError, TraceJob, TraceTask};

/// The columns, in order.
pub const COLUMNS: [&str; 12] = [
    "workflow",
    "arrival",
    "task",
    "after",
    "instances",
    "cpu",
    "memory",
    "work",
    "work_estimate",
    "class",
    "priority",
    "recorded_wait",
];

/// Writes jobs as schedsim trace CSV, a row per task.
///
/// ```
/// use schedsim::workload::trace::native::NativeWriter;
/// use schedsim::workload::trace::{TraceJob, TraceTask};
///
/// let job = TraceJob {
///     id: "j1".into(),
///     arrival: 12.5,
///     class: None,
///     priority: None,
///     recorded_wait: None,
///     tasks: vec![TraceTask {
///         name: "a".into(),
///         after: vec![],
///         instances: 2,
///         cpu: 0.5,
///         memory: 1e9,
///         work: 30.0,
///         estimate: None,
///     }],
/// };
/// let mut writer = NativeWriter::new(Vec::new());
/// writer.write(&job)?;
/// let text = String::from_utf8(writer.finish()?).unwrap();
/// assert_eq!(text.lines().nth(1), Some("j1,12.5,a,,2,0.5,1000000000,30,,,,"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct NativeWriter<W: Write> {
    csv: csv::Writer<W>,
    header_written: bool,
    /// Id and arrival of the last job written.
    last: Option<(String, f64)>,
}

impl<W: Write> NativeWriter<W> {
    /// A writer into `out`; the header is written with the first job (or by [`finish`] when
    /// there is none), so that creating a writer cannot fail.
    ///
    /// [`finish`]: NativeWriter::finish
    pub fn new(out: W) -> Self {
        NativeWriter {
            csv: csv::WriterBuilder::new().has_headers(false).from_writer(out),
            header_written: false,
            last: None,
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if !std::mem::replace(&mut self.header_written, true) {
            self.csv.write_record(COLUMNS)?;
        }
        Ok(())
    }

    /// Writes `job`'s rows.
    ///
    /// # Errors
    /// Writing fails, or the job could not be read back as it is: it arrives before the job
    /// written last or has its id (their rows would merge), has no task, a task name that is
    /// empty, repeated or holds whitespace, a task after a later one, or a value the reader
    /// refuses (non-finite numbers, negative sizes, 0 instances, an empty id or class).
    /// Nothing of the job is written then.
    pub fn write(&mut self, job: &TraceJob) -> io::Result<()> {
        check(job, self.last.as_ref())?;
        self.header()?;
        let arrival = job.arrival.to_string();
        let class = job.class.clone().unwrap_or_default();
        let priority = job.priority.map(|p| p.to_string()).unwrap_or_default();
        let wait = job.recorded_wait.map(|w| w.to_string()).unwrap_or_default();
        for t in &job.tasks {
            let after: Vec<&str> =
                t.after.iter().map(|&a| job.tasks[a as usize].name.as_str()).collect();
            self.csv.write_record([
                job.id.as_str(),
                &arrival,
                &t.name,
                &after.join(" "),
                &t.instances.to_string(),
                &t.cpu.to_string(),
                &t.memory.to_string(),
                &t.work.to_string(),
                &t.estimate.map(|e| e.to_string()).unwrap_or_default(),
                &class,
                &priority,
                &wait,
            ])?;
        }
        self.last = Some((job.id.clone(), job.arrival));
        Ok(())
    }

    /// Writes the header if no job was written, flushes, and returns the output.
    ///
    /// # Errors
    /// Writing or flushing fails.
    pub fn finish(mut self) -> io::Result<W> {
        self.header()?;
        self.csv.flush()?;
        self.csv.into_inner().map_err(|e| io::Error::new(e.error().kind(), e.error().to_string()))
    }
}

/// Why `job` cannot be written after the job `last`, if it cannot.
fn check(job: &TraceJob, last: Option<&(String, f64)>) -> io::Result<()> {
    let refuse = |why: String| {
        Err(io::Error::new(io::ErrorKind::InvalidInput, format!("job `{}`: {why}", job.id)))
    };
    if job.id.is_empty() {
        return refuse("an empty id".into());
    }
    if !job.arrival.is_finite() {
        return refuse(format!("arrival {} is not a finite number", job.arrival));
    }
    if let Some((id, arrival)) = last {
        if *id == job.id {
            return refuse(
                "has the id of the job written just before it: their rows would merge".into(),
            );
        }
        if job.arrival < *arrival {
            return refuse(format!(
                "arrives at {}, before the job written before it ({arrival})",
                job.arrival
            ));
        }
    }
    if job.tasks.is_empty() {
        return refuse("has no task".into());
    }
    if job.class.as_deref() == Some("") {
        return refuse("an empty class (write None)".into());
    }
    if !job.priority.is_none_or(f64::is_finite)
        || !job.recorded_wait.is_none_or(|w| w.is_finite() && w >= 0.0)
    {
        return refuse(
            "priority or recorded_wait is not a finite number (≥ 0 for the wait)".into(),
        );
    }
    let mut names = HashMap::new();
    for (i, t) in job.tasks.iter().enumerate() {
        if t.name.is_empty() || t.name.contains(char::is_whitespace) {
            return refuse(format!("task name `{}` is empty or holds whitespace", t.name));
        }
        if names.insert(t.name.as_str(), i).is_some() {
            return refuse(format!("task name `{}` is used twice", t.name));
        }
        if t.after.iter().any(|&a| a as usize >= i) {
            return refuse(format!(
                "task `{}` runs after a task listed after it (list parents first)",
                t.name
            ));
        }
        let size = |v: f64| v.is_finite() && v >= 0.0;
        if t.instances == 0
            || !size(t.cpu)
            || !size(t.memory)
            || !size(t.work)
            || !t.estimate.is_none_or(size)
        {
            return refuse(format!(
                "task `{}` needs instances ≥ 1 and finite cpu, memory, work and estimate ≥ 0",
                t.name
            ));
        }
    }
    Ok(())
}

/// Reads a schedsim trace CSV a job at a time.
pub struct NativeReader {
    /// Shared with each job's error closure (a clone per job costs a count, not a copy).
    path: Arc<Path>,
    csv: csv::Reader<Box<dyn BufRead + Send>>,
    /// The first row of the next job, read while finishing the previous one.
    pending: Option<csv::StringRecord>,
    last_arrival: f64,
    done: bool,
    /// Always empty: the format needs no repair.
    report: RepairReport,
}

impl NativeReader {
    /// Opens `path` (plain or gzipped) and checks its header.
    ///
    /// # Errors
    /// The file cannot be read or its first line is not the header.
    pub fn open(path: &Path) -> Result<NativeReader, TraceError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(open_input(path)?);
        let mut header = csv::StringRecord::new();
        let read = csv.read_record(&mut header).map_err(|e| read_error(path, &e))?;
        if !read || header.iter().ne(COLUMNS) {
            let found =
                if read { header.iter().collect::<Vec<_>>().join(",") } else { String::new() };
            return Err(TraceError::new(
                path,
                Some(1),
                format!(
                    "expected the schedsim trace header `{}`, found `{found}` — is this a file \
                     `schedsim import` wrote?",
                    COLUMNS.join(",")
                ),
            ));
        }
        Ok(NativeReader {
            path: Arc::from(path),
            csv,
            pending: None,
            last_arrival: f64::NEG_INFINITY,
            done: false,
            report: RepairReport::default(),
        })
    }

    /// The next row, or `None` at the end of the file.
    fn row(&mut self) -> Result<Option<csv::StringRecord>, TraceError> {
        if let Some(r) = self.pending.take() {
            return Ok(Some(r));
        }
        let mut r = csv::StringRecord::new();
        if !self.csv.read_record(&mut r).map_err(|e| read_error(&self.path, &e))? {
            return Ok(None);
        }
        if r.len() != COLUMNS.len() {
            return Err(TraceError::new(
                &self.path,
                line_of(&r),
                format!(
                    "expected {} fields ({}), found {}",
                    COLUMNS.len(),
                    COLUMNS.join(","),
                    r.len()
                ),
            ));
        }
        Ok(Some(r))
    }

    fn read_job(&mut self) -> Result<Option<TraceJob>, TraceError> {
        let Some(first) = self.row()? else { return Ok(None) };
        let path = self.path.clone();
        let fail =
            |r: &csv::StringRecord, message: String| TraceError::new(&path, line_of(r), message);
        if first[0].is_empty() {
            return Err(fail(&first, "workflow is empty".into()));
        }
        let job_fields = |r: &csv::StringRecord| -> Result<_, TraceError> {
            let arrival = number(r, 1).filter(|a| a.is_finite());
            let arrival = arrival
                .ok_or_else(|| fail(r, format!("arrival is `{}`, expected a number", &r[1])))?;
            let priority = optional(r, 10, |_| true).map_err(|m| fail(r, m))?;
            let wait = optional(r, 11, |w| w >= 0.0).map_err(|m| fail(r, m))?;
            Ok((arrival, (!r[9].is_empty()).then(|| r[9].to_string()), priority, wait))
        };
        let (arrival, class, priority, recorded_wait) = job_fields(&first)?;
        if arrival < self.last_arrival {
            return Err(fail(
                &first,
                format!(
                    "workflow {} arrives at {arrival}, before the workflow above it ({}): \
                     workflows must be in non-decreasing arrival",
                    &first[0], self.last_arrival
                ),
            ));
        }
        self.last_arrival = arrival;
        let mut job = TraceJob {
            id: first[0].to_string(),
            arrival,
            class,
            priority,
            recorded_wait,
            tasks: Vec::new(),
        };
        let mut names: HashMap<String, u32> = HashMap::new();
        let mut row = Some(first);
        while let Some(r) = row {
            if r[0] != job.id {
                self.pending = Some(r);
                break;
            }
            if !job.tasks.is_empty() {
                let (a, c, p, w) = job_fields(&r)?;
                if (a.to_bits(), &c, p.map(f64::to_bits), w.map(f64::to_bits))
                    != (
                        job.arrival.to_bits(),
                        &job.class,
                        job.priority.map(f64::to_bits),
                        job.recorded_wait.map(f64::to_bits),
                    )
                {
                    return Err(fail(
                        &r,
                        format!(
                            "arrival, class, priority or recorded_wait differ from the first row of \
                             workflow {}: they are the workflow's, the same on all its rows",
                            job.id
                        ),
                    ));
                }
            }
            let task = read_task(&r, &names).map_err(|m| fail(&r, m))?;
            if names.insert(task.name.clone(), job.tasks.len() as u32).is_some() {
                return Err(fail(
                    &r,
                    format!("task {} appears twice in workflow {}", task.name, job.id),
                ));
            }
            job.tasks.push(task);
            row = self.row()?;
        }
        Ok(Some(job))
    }
}

/// The task of row `r`, whose earlier tasks are `names`.
fn read_task(r: &csv::StringRecord, names: &HashMap<String, u32>) -> Result<TraceTask, String> {
    let name = &r[2];
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(format!("task `{name}` must be a name without whitespace"));
    }
    let after = r[3]
        .split_whitespace()
        .map(|a| {
            names.get(a).copied().ok_or_else(|| {
                format!(
                    "task {name} runs after `{a}`, which is no earlier task of workflow {}",
                    &r[0]
                )
            })
        })
        .collect::<Result<Vec<u32>, String>>()?;
    let size = |k: usize| {
        number(r, k)
            .filter(|v| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("{} is `{}`, expected a number ≥ 0", COLUMNS[k], &r[k]))
    };
    let instances = r[4]
        .parse::<u32>()
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| format!("instances is `{}`, expected a whole number ≥ 1", &r[4]))?;
    Ok(TraceTask {
        name: name.to_string(),
        after,
        instances,
        cpu: size(5)?,
        memory: size(6)?,
        work: size(7)?,
        estimate: optional(r, 8, |e| e >= 0.0)?,
    })
}

/// The number in column `k`.
fn number(r: &csv::StringRecord, k: usize) -> Option<f64> {
    r[k].parse().ok()
}

/// The number in column `k`, `None` when empty; an error when not a finite number that `ok`.
fn optional(r: &csv::StringRecord, k: usize, ok: fn(f64) -> bool) -> Result<Option<f64>, String> {
    if r[k].is_empty() {
        return Ok(None);
    }
    match number(r, k) {
        Some(v) if v.is_finite() && ok(v) => Ok(Some(v)),
        _ => Err(format!("{} is `{}`, expected a number or nothing", COLUMNS[k], &r[k])),
    }
}

/// The line row `r` starts on.
fn line_of(r: &csv::StringRecord) -> Option<u64> {
    r.position().map(|p| p.line())
}

/// A CSV-level failure (I/O, invalid UTF-8) as a trace error, with its line when known.
fn read_error(path: &Path, e: &csv::Error) -> TraceError {
    TraceError::new(path, e.position().map(|p| p.line()), format!("cannot read: {e}"))
}

impl Iterator for NativeReader {
    type Item = Result<TraceJob, TraceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let job = self.read_job();
        self.done = !matches!(job, Ok(Some(_)));
        job.transpose()
    }
}

impl JobStream for NativeReader {
    fn report(&self) -> &RepairReport {
        &self.report
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn task(name: &str, after: &[u32]) -> TraceTask {
        TraceTask {
            name: name.into(),
            after: after.to_vec(),
            instances: 1,
            cpu: 1.0,
            memory: 0.0,
            work: 1.0,
            estimate: None,
        }
    }

    fn job(id: &str, arrival: f64, tasks: Vec<TraceTask>) -> TraceJob {
        TraceJob { id: id.into(), arrival, class: None, priority: None, recorded_wait: None, tasks }
    }

    fn write(jobs: &[TraceJob]) -> tempfile::NamedTempFile {
        let mut w = NativeWriter::new(tempfile::NamedTempFile::new().unwrap());
        for j in jobs {
            w.write(j).unwrap();
        }
        w.finish().unwrap()
    }

    fn read(path: &Path) -> Result<Vec<TraceJob>, TraceError> {
        NativeReader::open(path)?.collect()
    }

    fn text(t: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), t).unwrap();
        f
    }

    const HEADER: &str = "workflow,arrival,task,after,instances,cpu,memory,work,work_estimate,class,priority,recorded_wait";

    #[test]
    fn writes_the_documented_layout() {
        let mut j = job("w,1", 3.0, vec![task("a", &[]), task("b", &[0]), task("c", &[0, 1])]);
        j.class = Some("batch".into());
        j.priority = Some(-2.5);
        j.recorded_wait = Some(0.1);
        j.tasks[2].estimate = Some(60.0);
        j.tasks[2].instances = 4;
        let f = write(&[j.clone()]);
        assert_eq!(
            std::fs::read_to_string(f.path()).unwrap(),
            format!(
                "{HEADER}\n\"w,1\",3,a,,1,1,0,1,,batch,-2.5,0.1\n\"w,1\",3,b,a,1,1,0,1,,batch,-2.5,0.1\n\
                 \"w,1\",3,c,a b,4,1,0,1,60,batch,-2.5,0.1\n"
            )
        );
        assert_eq!(read(f.path()).unwrap(), vec![j]);
        let empty = NativeWriter::new(Vec::new()).finish().unwrap();
        assert_eq!(String::from_utf8(empty).unwrap(), format!("{HEADER}\n"));
    }

    #[test]
    fn writer_refuses_what_would_not_read_back() {
        let mut w = NativeWriter::new(Vec::new());
        w.write(&job("a", 5.0, vec![task("t", &[])])).unwrap();
        for bad in [
            job("a", 6.0, vec![task("t", &[])]),
            job("b", 4.0, vec![task("t", &[])]),
            job("b", 6.0, vec![]),
            job("b", 6.0, vec![task("t u", &[])]),
            job("b", 6.0, vec![task("t", &[]), task("t", &[])]),
            job("b", 6.0, vec![task("t", &[1]), task("u", &[])]),
            job("b", f64::NAN, vec![task("t", &[])]),
        ] {
            let e = w.write(&bad).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{e}");
        }
    }

    #[test]
    fn reader_refuses_broken_files_with_the_line() {
        let e = read(text("task_name,instance_num\n").path()).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.starts_with("expected the schedsim trace header"), "{e}");
        let out_of_order = text(&format!("{HEADER}\nw1,10,a,,1,1,0,1,,,,\nw2,5,a,,1,1,0,1,,,,\n"));
        let e = read(out_of_order.path()).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("before the workflow above it (10)"), "{e}");
        let cases = [
            ("w1,0,a,b,1,1,0,1,,,,", "no earlier task"),
            ("w1,0,a,,0,1,0,1,,,,", "instances is `0`"),
            ("w1,0,a,,1,-1,0,1,,,,", "cpu is `-1`"),
            ("w1,0,a,,1,1,0,1,,,x,", "priority is `x`"),
            ("w1,0,a,,1,1,0,1,,", "expected 12 fields"),
            ("w1,0,a,,1,1,0,1,,,,\nw1,1,b,,1,1,0,1,,,,", "differ from the first row"),
            ("w1,0,a,,1,1,0,1,,,,\nw1,0,a,,1,1,0,1,,,,", "appears twice"),
        ];
        for (rows, what) in cases {
            let e = read(text(&format!("{HEADER}\n{rows}\n")).path()).unwrap_err();
            assert!(e.message.contains(what), "{rows}: {e}");
            assert!(e.line >= Some(2), "{rows}: {e}");
        }
        assert!(read(text("").path()).is_err());
        assert_eq!(read(text(&format!("{HEADER}\n")).path()).unwrap(), vec![]);
    }

    fn size() -> impl Strategy<Value = f64> {
        use proptest::num::f64::{NORMAL, POSITIVE, SUBNORMAL, ZERO};
        POSITIVE | NORMAL | SUBNORMAL | ZERO
    }

    fn any_job() -> impl Strategy<Value = TraceJob> {
        use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, ZERO};
        let task = (
            "[a-zA-Z0-9_.#,\"]{1,6}",
            proptest::collection::vec(any::<u32>(), 0..4),
            1u32..=u32::MAX,
            size(),
            size(),
            size(),
            proptest::option::of(size()),
        );
        (
            "[a-z0-9 ,\"]{1,8}",
            proptest::option::of("[a-zA-Z ,\"]{1,5}"),
            proptest::option::of(POSITIVE | NEGATIVE | NORMAL | ZERO),
            proptest::option::of(size()),
            proptest::collection::vec(task, 1..6),
        )
            .prop_map(|(id, class, priority, recorded_wait, tasks)| {
                let tasks = tasks
                    .into_iter()
                    .enumerate()
                    .map(|(i, (name, after, instances, cpu, memory, work, estimate))| {
                        let mut after: Vec<u32> = if i == 0 {
                            vec![]
                        } else {
                            after.into_iter().map(|a| a % i as u32).collect()
                        };
                        after.sort_unstable();
                        after.dedup();
                        TraceTask {
                            name: format!("{name}{i}"),
                            after,
                            instances,
                            cpu,
                            memory,
                            work,
                            estimate,
                        }
                    })
                    .collect();
                TraceJob { id, arrival: 0.0, class, priority, recorded_wait, tasks }
            })
    }

    proptest! {
        #[test]
        fn written_jobs_read_back_exactly(
            mut jobs in proptest::collection::vec(any_job(), 0..6),
            mut arrivals in proptest::collection::vec(
                proptest::num::f64::POSITIVE | proptest::num::f64::NEGATIVE | proptest::num::f64::NORMAL,
                6,
            ),
        ) {
            arrivals.sort_by(f64::total_cmp);
            for (i, (j, a)) in jobs.iter_mut().zip(arrivals).enumerate() {
                j.arrival = a;
                j.id = format!("{}{i}", j.id);
            }
            let f = write(&jobs);
            prop_assert_eq!(read(f.path()).unwrap(), jobs);
        }
    }
}
