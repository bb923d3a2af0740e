//! A generic job or pod CSV (a Kubernetes export, a batch system's accounting, a
//! spreadsheet) read through a column mapping, [`CsvColumns`] (`[trace.columns]`).
//!
//! The first line is a header naming the columns; the mapping names the ones to read, and a
//! name absent from the header is an error on line 1 that lists the header's columns. Each
//! further row is one job of one task, named `task`:
//!
//! | job / task | from |
//! |---|---|
//! | `arrival` | `arrival`: seconds, or an RFC 3339 time in UTC (`2024-05-01T12:00:00Z`, seconds since 1970) |
//! | `work` | `duration` (seconds), or `end − start` (each seconds or RFC 3339) |
//! | `cpu` (cores) | `cpu` × `cpu_scale` (default 1); a Kubernetes quantity like `500m` is millicores whatever the scale |
//! | `memory` (bytes) | `memory` × `memory_unit` (`B`, `KB`, `MB`, `GB`, `TB` powers of 1000; `KiB`, `MiB`, `GiB`, `TiB` powers of 1024) or × `memory_scale`; a cell with its own unit (`512Mi`, `2GiB`) is read in that unit; 0 without the column |
//! | `id` | `id`; the line number without the column |
//! | `priority`, `class`, `estimate` | those columns, when mapped (an empty cell: none) |
//!
//! Cells are trimmed; `delimiter` sets the separator (`,` by default). Exports are often not
//! in arrival order, and a replay needs them in order: the reader reads the whole file, then
//! sorts the jobs by arrival, rows with the same arrival keeping their file order. That holds
//! one small job per row in memory, which a file of a few million rows affords.
//!
//! # Repairs
//!
//! A row whose required values (arrival, run time, cpu) cannot be read is skipped, and
//! counted under the first rule that applies:
//!
//! | rule | what is done |
//! |---|---|
//! | `missing_arrival`, `bad_arrival` | the arrival cell is empty / not a number or time: skipped |
//! | `missing_duration`, `bad_duration` | the duration cell is empty / not a number: skipped |
//! | `missing_start`, `bad_start`, `missing_end`, `bad_end` | the start or end cell is empty / not a number or time: skipped |
//! | `negative_duration` | `end < start`, or a duration < 0: skipped |
//! | `missing_cpu`, `bad_cpu` | the cpu cell is empty / not a number ≥ 0: skipped |
//! | `missing_memory`, `bad_memory` | the memory cell is empty / not a size: memory 0, kept |
//! | `bad_estimate`, `bad_priority` | not a number (an estimate must be > 0): none, kept |
//! | `missing_id` | the id cell is empty: the line number, kept |
//! | `out_of_order` | the row arrives before a row above it: moved to its place by the sort |
//!
//! A row with more or fewer fields than the header is an error with its line.

use std::path::Path;

use super::{
    column_index, csv_error, memory_factor, open_mapped_csv, parse_cpu, parse_memory, parse_time,
    positive_scale, CsvColumns, JobStream, RepairReport, TraceError, TraceJob, TraceTask,
};

/// Reads a mapped CSV: the whole file at open, then its jobs in arrival order.
pub struct CsvReader {
    jobs: std::vec::IntoIter<TraceJob>,
    report: RepairReport,
}

/// How the run time is read.
enum RunTime {
    Duration(usize),
    Span { start: usize, end: usize },
}

/// Column indices of the mapping.
struct Indices {
    arrival: usize,
    run: RunTime,
    cpu: usize,
    memory: Option<usize>,
    id: Option<usize>,
    priority: Option<usize>,
    class: Option<usize>,
    estimate: Option<usize>,
}

const TABLE: &str = "trace.columns";

impl CsvReader {
    /// Reads `path` (plain or gzipped) through `columns`.
    ///
    /// # Errors
    /// The file cannot be read, the mapping is incomplete or names a column the header lacks,
    /// or a row has not as many fields as the header.
    pub fn open(path: &Path, columns: &CsvColumns) -> Result<CsvReader, TraceError> {
        let fail = |line, message: String| TraceError::new(path, line, message);
        for (key, name) in [("arrival", &columns.arrival), ("cpu", &columns.cpu)] {
            if name.is_empty() {
                return Err(fail(None, format!("{TABLE}.{key} must name a column")));
            }
        }
        let cpu_scale = match columns.cpu_scale {
            Some(s) => positive_scale(path, TABLE, "cpu_scale", s)?,
            None => 1.0,
        };
        let memory_factor = memory_factor(path, TABLE, columns.memory_unit, columns.memory_scale)?;
        let (mut csv, header) = open_mapped_csv(path, columns.delimiter)?;
        let read_error = |e| csv_error(path, e);
        let index =
            |key: &str, name: &str| column_index(path, &header, &format!("{TABLE}.{key}"), name);
        let optional =
            |key: &str, name: &Option<String>| name.as_deref().map(|n| index(key, n)).transpose();
        let run = match (&columns.duration, &columns.start, &columns.end) {
            (Some(d), None, None) => RunTime::Duration(index("duration", d)?),
            (None, Some(s), Some(e)) => {
                RunTime::Span { start: index("start", s)?, end: index("end", e)? }
            }
            (Some(_), _, _) => {
                return Err(fail(
                    None,
                    format!("{TABLE}: set duration, or start and end, not both"),
                ))
            }
            _ => {
                return Err(fail(
                    None,
                    format!("{TABLE}: the run time needs a duration column, or both start and end"),
                ))
            }
        };
        let at = Indices {
            arrival: index("arrival", &columns.arrival)?,
            run,
            cpu: index("cpu", &columns.cpu)?,
            memory: optional("memory", &columns.memory)?,
            id: optional("id", &columns.id)?,
            priority: optional("priority", &columns.priority)?,
            class: optional("class", &columns.class)?,
            estimate: optional("estimate", &columns.estimate)?,
        };
        let mut report = RepairReport::default();
        let mut jobs = Vec::new();
        let mut latest = f64::NEG_INFINITY;
        let mut record = csv::StringRecord::new();
        while csv.read_record(&mut record).map_err(read_error)? {
            let line = record.position().map_or(0, |p| p.line());
            if record.len() != header.len() {
                return Err(fail(
                    Some(line),
                    format!(
                        "the row has {} fields, but the header has {}",
                        record.len(),
                        header.len()
                    ),
                ));
            }
            let Some(job) = read_row(&record, &at, line, cpu_scale, memory_factor, &mut report)
            else {
                continue;
            };
            if job.arrival < latest {
                report.add("out_of_order");
            }
            latest = latest.max(job.arrival);
            jobs.push(job);
        }
        jobs.sort_by(|a, b| a.arrival.total_cmp(&b.arrival));
        Ok(CsvReader { jobs: jobs.into_iter(), report })
    }
}

/// The job of one row, or `None` when a required value is missing (counted in `report`).
fn read_row(
    record: &csv::StringRecord,
    at: &Indices,
    line: u64,
    cpu_scale: f64,
    memory_factor: f64,
    report: &mut RepairReport,
) -> Option<TraceJob> {
    /// The value of a required cell, counting `missing` when empty and `bad` when `parse`
    /// refuses it.
    fn required(
        report: &mut RepairReport,
        cell: &str,
        [missing, bad]: [&'static str; 2],
        parse: impl Fn(&str) -> Option<f64>,
    ) -> Option<f64> {
        if cell.is_empty() {
            report.add(missing);
            return None;
        }
        let value = parse(cell);
        if value.is_none() {
            report.add(bad);
        }
        value
    }
    let duration = |c: &str| c.parse::<f64>().ok().filter(|v| v.is_finite());
    let arrival =
        required(report, &record[at.arrival], ["missing_arrival", "bad_arrival"], parse_time)?;
    let work = match at.run {
        RunTime::Duration(d) => {
            required(report, &record[d], ["missing_duration", "bad_duration"], duration)?
        }
        RunTime::Span { start, end } => {
            let s = required(report, &record[start], ["missing_start", "bad_start"], parse_time)?;
            let e = required(report, &record[end], ["missing_end", "bad_end"], parse_time)?;
            e - s
        }
    };
    if work < 0.0 {
        report.add("negative_duration");
        return None;
    }
    let cpu =
        required(report, &record[at.cpu], ["missing_cpu", "bad_cpu"], |c| parse_cpu(c, cpu_scale))?;
    let memory = match at.memory.map(|m| &record[m]) {
        None => 0.0,
        Some("") => {
            report.add("missing_memory");
            0.0
        }
        Some(cell) => parse_memory(cell, memory_factor).unwrap_or_else(|| {
            report.add("bad_memory");
            0.0
        }),
    };
    let mut optional = |index: Option<usize>, bad: &'static str, ok: fn(f64) -> bool| {
        let cell = &record[index?];
        if cell.is_empty() {
            return None;
        }
        let value = cell.parse::<f64>().ok().filter(|&v| v.is_finite() && ok(v));
        if value.is_none() {
            report.add(bad);
        }
        value
    };
    let estimate = optional(at.estimate, "bad_estimate", |v| v > 0.0);
    let priority = optional(at.priority, "bad_priority", |_| true);
    let id = match at.id.map(|i| &record[i]) {
        Some(id) if !id.is_empty() => id.to_string(),
        Some(_) => {
            report.add("missing_id");
            line.to_string()
        }
        None => line.to_string(),
    };
    Some(TraceJob {
        id,
        arrival,
        class: at.class.map(|c| record[c].to_string()).filter(|c| !c.is_empty()),
        priority,
        recorded_wait: None,
        tasks: vec![TraceTask {
            name: "task".into(),
            after: Vec::new(),
            instances: 1,
            cpu,
            memory,
            work,
            estimate,
        }],
    })
}

impl Iterator for CsvReader {
    type Item = Result<TraceJob, TraceError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.jobs.next().map(Ok)
    }
}

impl JobStream for CsvReader {
    fn report(&self) -> &RepairReport {
        &self.report
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::trace::tests::test_file as file;
    use crate::workload::trace::MemoryUnit;

    fn pods() -> CsvColumns {
        CsvColumns {
            arrival: "created".into(),
            start: Some("started".into()),
            end: Some("finished".into()),
            cpu: "cpu".into(),
            cpu_scale: Some(0.001),
            memory: Some("mem".into()),
            memory_unit: Some(MemoryUnit::MiB),
            id: Some("pod".into()),
            class: Some("ns".into()),
            priority: Some("prio".into()),
            estimate: Some("limit".into()),
            ..CsvColumns::default()
        }
    }

    fn job(id: &str, arrival: f64, cpu: f64, memory: f64, work: f64) -> TraceJob {
        TraceJob {
            id: id.into(),
            arrival,
            class: None,
            priority: None,
            recorded_wait: None,
            tasks: vec![TraceTask {
                name: "task".into(),
                after: vec![],
                instances: 1,
                cpu,
                memory,
                work,
                estimate: None,
            }],
        }
    }

    const PODS: &str = "\
pod, ns, created, started, finished, cpu, mem, prio, limit
a, web, 100, 110, 130, 500, 2, 1, 60
b, , 50, 50, 55, 250m, 512Ki, , 
, batch, 2024-01-01T00:00:10Z, 2024-01-01T00:00:10Z, 2024-01-01T00:01:10Z, 1000, , x, -5
d, web, , 1, 2, 100, 1, , 
e, web, soon, 1, 2, 100, 1, , 
f, web, 60, 70, , 100, 1, , 
g, web, 60, 70, 65, 100, 1, , 
h, web, 60, 70, 80, , 1, , 
i, web, 60, 70, 80, lots, 1, , 
j, web, 70, 70, 80, 100, plenty, , 
k, web, 100, 100, 101, 100, 1, , 
";

    #[test]
    fn reads_mapped_rows_sorted_with_repairs() {
        let f = file(PODS);
        let mut r = CsvReader::open(f.path(), &pods()).unwrap();
        let jobs: Vec<TraceJob> = r.by_ref().map(|j| j.unwrap()).collect();
        let mib = 1024.0 * 1024.0;
        let mut a = job("a", 100.0, 0.5, 2.0 * mib, 20.0);
        a.class = Some("web".into());
        a.priority = Some(1.0);
        a.tasks[0].estimate = Some(60.0);
        let mut j = job("j", 70.0, 0.1, 0.0, 10.0);
        j.class = Some("web".into());
        let mut k = job("k", 100.0, 0.1, mib, 1.0);
        k.class = Some("web".into());
        let mut third = job("4", 1_704_067_210.0, 1.0, 0.0, 60.0);
        third.class = Some("batch".into());
        assert_eq!(jobs, vec![job("b", 50.0, 0.25, 512.0 * 1024.0, 5.0), j, a, k, third]);
        let counts: Vec<(&str, u64)> = r.report().counts.iter().map(|(k, v)| (*k, *v)).collect();
        assert_eq!(
            counts,
            [
                ("bad_arrival", 1),
                ("bad_cpu", 1),
                ("bad_estimate", 1),
                ("bad_memory", 1),
                ("bad_priority", 1),
                ("missing_arrival", 1),
                ("missing_cpu", 1),
                ("missing_end", 1),
                ("missing_id", 1),
                ("missing_memory", 1),
                ("negative_duration", 1),
                ("out_of_order", 3),
            ]
        );
    }

    #[test]
    fn duration_column_and_tabs() {
        let f = file("t\tlen\tcores\n5\t2.5\t2\n1\t1\t1\n");
        let columns = CsvColumns {
            arrival: "t".into(),
            duration: Some("len".into()),
            cpu: "cores".into(),
            delimiter: Some('\t'),
            ..CsvColumns::default()
        };
        let jobs: Vec<TraceJob> =
            CsvReader::open(f.path(), &columns).unwrap().map(|j| j.unwrap()).collect();
        assert_eq!(jobs, vec![job("3", 1.0, 1.0, 0.0, 1.0), job("2", 5.0, 2.0, 0.0, 2.5)]);
    }

    #[test]
    fn mapping_errors_name_the_column() {
        let f = file(PODS);
        let mut columns = pods();
        columns.cpu = "cpu_request".into();
        let e = CsvReader::open(f.path(), &columns).err().unwrap();
        assert_eq!(e.line, Some(1));
        assert_eq!(
            e.message,
            "trace.columns.cpu = \"cpu_request\" is not a column of the header, whose columns \
             are: pod, ns, created, started, finished, cpu, mem, prio, limit"
        );
        let mut columns = pods();
        columns.end = None;
        let e = CsvReader::open(f.path(), &columns).err().unwrap();
        assert!(e.message.contains("needs a duration column, or both start and end"), "{e}");
        columns.duration = Some("finished".into());
        columns.end = Some("finished".into());
        assert!(CsvReader::open(f.path(), &columns).err().unwrap().message.contains("not both"));
        let mut columns = pods();
        columns.memory_scale = Some(2.0);
        assert!(CsvReader::open(f.path(), &columns).err().unwrap().message.contains("not both"));
        let mut columns = pods();
        columns.cpu_scale = Some(0.0);
        assert!(CsvReader::open(f.path(), &columns).is_err());
        let short = file("created,started,finished,cpu,mem\n1,2,3\n");
        let mut columns = pods();
        (columns.id, columns.class, columns.priority, columns.estimate) = (None, None, None, None);
        let e = CsvReader::open(short.path(), &columns).err().unwrap();
        assert_eq!(
            (e.line, e.message.as_str()),
            (Some(2), "the row has 3 fields, but the header has 5")
        );
        let empty = file("");
        assert!(CsvReader::open(empty.path(), &columns).err().unwrap().message.contains("empty"));
        let e = CsvReader::open(Path::new("/nonexistent.csv"), &columns).err().unwrap();
        assert!(e.to_string().starts_with("/nonexistent.csv: cannot read"));
    }

    #[test]
    fn columns_come_from_toml() {
        let c: CsvColumns = toml::from_str(
            "arrival = \"t\"\nduration = \"d\"\ncpu = \"c\"\nmemory = \"m\"\nmemory_unit = \"GiB\"\ndelimiter = \";\"",
        )
        .unwrap();
        assert_eq!(c.memory_unit, Some(MemoryUnit::GiB));
        assert_eq!(c.delimiter, Some(';'));
        let e =
            toml::from_str::<CsvColumns>("arrival = \"t\"\ncpu = \"c\"\ncpus = \"x\"").unwrap_err();
        assert!(e.to_string().contains("unknown field `cpus`"), "{e}");
        assert!(toml::from_str::<CsvColumns>("arrival = \"t\"\ncpu = \"c\"\nmemory_unit = \"Mb\"")
            .is_err());
    }
}
