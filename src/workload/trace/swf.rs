//! Standard Workload Format (Parallel Workloads Archive), plain or gzipped: one job per line.
//!
//! Lines starting with `;` are header or comment lines (`; MaxProcs: 100` is read by
//! [`swf_header`]); blank lines are skipped. Every other line has 18 whitespace-separated
//! numbers, `-1` meaning unknown. A job becomes a [`TraceJob`] of one task named `task`:
//!
//! | job / task | from |
//! |---|---|
//! | `id` | field 1, job number, as written |
//! | `arrival` | field 2, submit time |
//! | `recorded_wait` | field 3, wait time, when ≥ 0 |
//! | `work` | field 4, run time |
//! | `cpu` (cores; one instance) | field 8, requested processors, or field 5 (allocated) when field 8 is not above 0 |
//! | `memory` (bytes) | field 10, requested memory (KB per processor), or field 7 (used) when not above 0; × 1024 × processors; 0 when neither is known |
//! | `estimate` | field 9, requested time, when above 0 |
//! | `class` | field 15, queue, as `q<number>` when ≥ 0 (so results can be grouped by queue); none otherwise |
//!
//! Failed and cancelled jobs (status 0, 5) that ran are replayed: they held their processors.
//!
//! # Repairs
//!
//! | rule | what is done |
//! |---|---|
//! | `no_run_time` | run time ≤ 0 or unknown (a job cancelled before it started): skipped |
//! | `no_processors` | neither requested nor allocated processors above 0: skipped |
//! | `no_submit_time` | submit time < 0: skipped |
//! | `out_of_order` | submitted before the job above it: its arrival is clamped to that job's, so arrivals never decrease |
//!
//! A line without 18 fields, or with a field that is not a number, is an error with its line:
//! the file is not SWF, or is damaged.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use super::{open_input, JobStream, RepairReport, TraceError, TraceJob, TraceTask};

/// What an SWF header says about the machine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SwfHeader {
    /// `; MaxProcs:` — processors of the whole machine.
    pub max_procs: Option<u64>,
    /// `; MaxNodes:` — its nodes.
    pub max_nodes: Option<u64>,
}

/// Reads the header lines (the `;` lines before the first job) of an SWF file, plain or
/// gzipped. A key that is absent, or whose value is not a whole number ≥ 0 (some logs write
/// `-1`), is `None`.
///
/// # Errors
/// The file cannot be read.
pub fn swf_header(path: &Path) -> Result<SwfHeader, TraceError> {
    let mut input = open_input(path)?;
    let mut header = SwfHeader::default();
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        number += 1;
        let n = input
            .read_until(b'\n', &mut line)
            .map_err(|e| TraceError::new(path, Some(number), format!("cannot read: {e}")))?;
        if n == 0 {
            break;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let Some(comment) = text.strip_prefix(';') else { break };
        if let Some((key, value)) = comment.split_once(':') {
            let value = value.trim().parse::<u64>().ok();
            match key.trim() {
                "MaxProcs" => header.max_procs = value,
                "MaxNodes" => header.max_nodes = value,
                _ => {}
            }
        }
    }
    Ok(header)
}

/// What each of the 18 fields is, for error messages.
const FIELDS: [&str; 18] = [
    "job number",
    "submit time",
    "wait time",
    "run time",
    "allocated processors",
    "average CPU time",
    "used memory",
    "requested processors",
    "requested time",
    "requested memory",
    "status",
    "user",
    "group",
    "application",
    "queue",
    "partition",
    "preceding job",
    "think time",
];

/// Reads an SWF file a job at a time.
pub struct SwfReader {
    path: PathBuf,
    input: Box<dyn BufRead + Send>,
    line: u64,
    buffer: Vec<u8>,
    /// Arrival of the last job yielded (for `out_of_order`).
    last: f64,
    /// An error was returned: the stream is over.
    done: bool,
    report: RepairReport,
}

impl SwfReader {
    /// Opens `path` (plain or gzipped).
    ///
    /// # Errors
    /// The file cannot be opened.
    pub fn open(path: &Path) -> Result<SwfReader, TraceError> {
        Ok(SwfReader {
            path: path.to_path_buf(),
            input: open_input(path)?,
            line: 0,
            buffer: Vec::new(),
            last: f64::NEG_INFINITY,
            done: false,
            report: RepairReport::default(),
        })
    }

    fn error(&self, message: String) -> TraceError {
        TraceError::new(&self.path, Some(self.line), message)
    }

    /// The next job, or `None` at the end of the file.
    fn read_job(&mut self) -> Result<Option<TraceJob>, TraceError> {
        loop {
            self.buffer.clear();
            self.line += 1;
            let n = self
                .input
                .read_until(b'\n', &mut self.buffer)
                .map_err(|e| self.error(format!("cannot read: {e}")))?;
            if n == 0 {
                return Ok(None);
            }
            let text = std::str::from_utf8(&self.buffer).map_err(|_| {
                self.error("not text (invalid UTF-8) — is this an SWF file?".into())
            })?;
            let text = text.trim();
            if text.is_empty() || text.starts_with(';') {
                continue;
            }
            let words: Vec<&str> = text.split_whitespace().collect();
            if words.len() != FIELDS.len() {
                return Err(self.error(format!(
                    "expected {} whitespace-separated SWF fields, found {} — is this an SWF file?",
                    FIELDS.len(),
                    words.len()
                )));
            }
            let mut f = [0.0; 18];
            for (k, word) in words.iter().enumerate() {
                f[k] = match word.parse::<f64>() {
                    Ok(v) if v.is_finite() => v,
                    _ => {
                        return Err(self.error(format!(
                            "field {} ({}) is `{word}`, expected a number — is this an SWF file?",
                            k + 1,
                            FIELDS[k]
                        )))
                    }
                };
            }
            let [_, submit, wait, run, allocated, _, used_memory, requested, requested_time, requested_memory, _, _, _, _, queue, _, _, _] =
                f;
            if run <= 0.0 {
                self.report.add("no_run_time");
                continue;
            }
            let processors = if requested > 0.0 { requested } else { allocated };
            if processors <= 0.0 {
                self.report.add("no_processors");
                continue;
            }
            if submit < 0.0 {
                self.report.add("no_submit_time");
                continue;
            }
            let arrival = if submit < self.last {
                self.report.add("out_of_order");
                self.last
            } else {
                submit
            };
            self.last = arrival;
            let kb = if requested_memory > 0.0 { requested_memory } else { used_memory.max(0.0) };
            return Ok(Some(TraceJob {
                id: words[0].to_string(),
                arrival,
                class: (queue >= 0.0).then(|| format!("q{queue}")),
                priority: None,
                recorded_wait: (wait >= 0.0).then_some(wait),
                tasks: vec![TraceTask {
                    name: "task".into(),
                    after: Vec::new(),
                    instances: 1,
                    cpu: processors,
                    memory: kb * 1024.0 * processors,
                    work: run,
                    estimate: (requested_time > 0.0).then_some(requested_time),
                }],
            }));
        }
    }
}

impl Iterator for SwfReader {
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

impl JobStream for SwfReader {
    fn report(&self) -> &RepairReport {
        &self.report
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::trace::tests::test_file as file;
    use std::io::Write;

    fn gzip(text: &str) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    }

    const SAMPLE: &str = "\
; Version: 2.2
; MaxNodes: 64
; MaxProcs: 128
;
  1   0  5  100  4 -1  -1  8  600  2048  1 1 1 -1 -1 -1 -1 -1
  2  10 -1   50  2 -1 512 -1   -1    -1  0 1 1 -1  3 -1 -1 -1

  3  20  0    0  1 -1  -1  1   60    -1  5 1 1 -1 -1 -1 -1 -1
  4   5  0   30  1 -1  -1  1   60    -1  1 1 1 -1 -1 -1 -1 -1
  5  30  0   30 -1 -1  -1 -1   60    -1  1 1 1 -1 -1 -1 -1 -1
  6  -1  0   30  1 -1  -1  1   60    -1  1 1 1 -1 -1 -1 -1 -1
  7  40  2  7.5  1 -1  -1  1   60    -1  1 1 1 -1 -1 -1 -1 -1
";

    fn job(
        id: &str,
        arrival: f64,
        wait: Option<f64>,
        cpu: f64,
        memory: f64,
        work: f64,
    ) -> TraceJob {
        TraceJob {
            id: id.into(),
            arrival,
            class: None,
            priority: None,
            recorded_wait: wait,
            tasks: vec![TraceTask {
                name: "task".into(),
                after: vec![],
                instances: 1,
                cpu,
                memory,
                work,
                estimate: Some(60.0),
            }],
        }
    }

    #[test]
    fn reads_jobs_plain_and_gzipped() {
        for bytes in [SAMPLE.as_bytes().to_vec(), gzip(SAMPLE)] {
            let f = file(&bytes);
            assert_eq!(
                swf_header(f.path()).unwrap(),
                SwfHeader { max_procs: Some(128), max_nodes: Some(64) }
            );
            let mut r = SwfReader::open(f.path()).unwrap();
            let jobs: Vec<TraceJob> = r.by_ref().map(|j| j.unwrap()).collect();
            let mut first = job("1", 0.0, Some(5.0), 8.0, 2048.0 * 1024.0 * 8.0, 100.0);
            first.tasks[0].estimate = Some(600.0);
            let mut second = job("2", 10.0, None, 2.0, 512.0 * 1024.0 * 2.0, 50.0);
            second.class = Some("q3".into());
            second.tasks[0].estimate = None;
            assert_eq!(
                jobs,
                vec![
                    first,
                    second,
                    job("4", 10.0, Some(0.0), 1.0, 0.0, 30.0),
                    job("7", 40.0, Some(2.0), 1.0, 0.0, 7.5),
                ]
            );
            let counts: Vec<(&str, u64)> =
                r.report().counts.iter().map(|(k, v)| (*k, *v)).collect();
            assert_eq!(
                counts,
                [
                    ("no_processors", 1),
                    ("no_run_time", 1),
                    ("no_submit_time", 1),
                    ("out_of_order", 1)
                ]
            );
        }
    }

    #[test]
    fn bad_lines_are_errors_with_their_line() {
        let f = file(b"; MaxProcs: 4\n1 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 -1 -1 -1 -1\n1 2 3\n");
        let mut r = SwfReader::open(f.path()).unwrap();
        assert!(r.next().unwrap().is_ok());
        let e = r.next().unwrap().unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(
            e.message,
            "expected 18 whitespace-separated SWF fields, found 3 — is this an SWF file?"
        );
        assert!(r.next().is_none(), "the stream ends at an error");

        let json = file(b"{\n  \"workflow\": {}\n}\n");
        let e = SwfReader::open(json.path()).unwrap().next().unwrap().unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("found 1 — is this an SWF file?"), "{e}");

        let csv = file(b"task_name,instance_num,job_name\n");
        assert_eq!(SwfReader::open(csv.path()).unwrap().next().unwrap().unwrap_err().line, Some(1));

        let word = file(b"1 0 0 ten 1 -1 -1 1 60 -1 1 1 1 -1 -1 -1 -1 -1\n");
        let e = SwfReader::open(word.path()).unwrap().next().unwrap().unwrap_err();
        assert!(e.message.starts_with("field 4 (run time) is `ten`"), "{e}");

        let e = SwfReader::open(Path::new("/nonexistent.swf")).err().unwrap();
        assert!(e.to_string().starts_with("/nonexistent.swf: cannot read"), "{e}");
        assert!(swf_header(Path::new("/nonexistent.swf")).is_err());
    }

    #[test]
    fn header_without_keys() {
        let f =
            file(b"; MaxProcs: -1\n1 0 0 10 1 -1 -1 1 60 -1 1 1 1 -1 -1 -1 -1 -1\n; MaxNodes: 3\n");
        assert_eq!(swf_header(f.path()).unwrap(), SwfHeader::default());
    }

    #[test]
    fn real_file() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/traces/KTH-SP2-1996-2.1-cln.swf.gz");
        if !path.exists() {
            eprintln!("skipped: {} is absent", path.display());
            return;
        }
        let header = swf_header(&path).unwrap();
        assert_eq!(header, SwfHeader { max_procs: Some(100), max_nodes: Some(100) });
        let mut r = SwfReader::open(&path).unwrap();
        let jobs: Vec<TraceJob> = r.by_ref().map(|j| j.unwrap()).collect();
        eprintln!("repairs: {:?}", r.report().counts);
        let skipped: u64 = r.report().counts.values().sum::<u64>() - r.report().get("out_of_order");
        assert_eq!(jobs.len() as u64 + skipped, 27_992);
        assert!(jobs.windows(2).all(|w| w[0].arrival <= w[1].arrival));
        assert!(jobs.iter().all(|j| j.tasks[0].cpu >= 1.0 && j.tasks[0].work > 0.0));
    }
}
