//! A trace's jobs on the simulation clock: the window, time and load scaling of `[trace]`.
//!
//! A job arriving at trace time `t` inside the window `[start, end)` arrives in the run at
//! `(t − start) × time_scale / max(load_scale, 1)`; its run times and estimates are
//! multiplied by `time_scale`. With `load_scale < 1` each job is kept with probability
//! `load_scale` (a fresh draw per replication). Without a window, `start` is the first job's
//! arrival, found when the scenario is loaded by [`scan`], which also reads every line once so
//! that a broken file is reported before any run starts.

use std::path::Path;

use rand::Rng;

use crate::engine::SimRng;
use crate::scenario::{ArrivalSpec, Window};
use crate::workload::trace::TraceJob;
use crate::workload::trace::{self, Format, ImportOptions, JobStream, RepairReport, TraceError};
use crate::workload::ArrivalProcess;

/// Where and how fast a trace is replayed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timing {
    /// Trace time that becomes time 0 of the run.
    pub origin: f64,
    /// Trace time at which replay stops (exclusive).
    pub end: f64,
    /// Simulated seconds per trace second.
    pub time_scale: f64,
    /// Load multiplier (see the module doc).
    pub load_scale: f64,
}

impl Timing {
    /// The timing of a trace whose first job arrives at `first` (trace time).
    pub fn new(window: Option<Window>, first: f64, time_scale: f64, load_scale: f64) -> Self {
        let (origin, end) = window.map_or((first, f64::INFINITY), |w| (w.start, w.end));
        Timing { origin, end, time_scale, load_scale }
    }

    /// The run time at which a job arriving at trace time `t` arrives.
    pub fn sim_time(&self, t: f64) -> f64 {
        (t - self.origin) * self.time_scale / self.load_scale.max(1.0)
    }

    /// Rescales a job's times to simulated seconds (arrival excluded).
    fn scale_job(&self, job: &mut TraceJob) {
        for task in &mut job.tasks {
            task.work *= self.time_scale;
            task.estimate = task.estimate.map(|e| e * self.time_scale);
        }
        job.recorded_wait = job.recorded_wait.map(|w| w * self.time_scale);
    }
}

/// What a whole pass over a trace found (at scenario load).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scan {
    /// Trace time of the first job in the window.
    pub first: f64,
    /// Run time of the last arrival in the window.
    pub last: f64,
    /// Jobs in the window.
    pub jobs: u64,
    /// Tasks of those jobs.
    pub tasks: u64,
    /// Task instances of those jobs.
    pub instances: u64,
    /// CPU-seconds they bring (Σ instances × cores × run time, simulated seconds).
    pub cpu_seconds: f64,
    /// The class values the jobs carry (a CSV class column, SWF queues), each replayed as a
    /// workflow class of its own.
    pub classes: std::collections::BTreeSet<String>,
    /// What the reader repaired or skipped.
    pub report: RepairReport,
}

/// Most class values a trace may carry: each becomes a workflow class of the results.
pub const MAX_CLASSES: usize = 256;

/// Most task instances one job may have: each is a task in memory while the job runs.
pub const MAX_JOB_INSTANCES: u64 = 10_000_000;

/// Reads a whole trace once: every line is checked, and the window's extent measured. Jobs
/// arriving at or after `duration` (run time; NaN: no limit) are read but not counted.
///
/// # Errors
/// The first problem of the file, with its line; a job of more than [`MAX_JOB_INSTANCES`]
/// instances; more than [`MAX_CLASSES`] class values.
pub fn scan(
    format: Format,
    path: &Path,
    options: &ImportOptions,
    window: Option<Window>,
    time_scale: f64,
    load_scale: f64,
    duration: f64,
) -> Result<Scan, TraceError> {
    let mut stream = trace::open(format, path, options)?;
    let mut scan = Scan::default();
    let mut timing = None;
    for job in stream.by_ref() {
        let mut job = job?;
        let timing =
            *timing.get_or_insert_with(|| Timing::new(window, job.arrival, time_scale, load_scale));
        if job.arrival < timing.origin {
            continue;
        }
        if job.arrival >= timing.end {
            break;
        }
        timing.scale_job(&mut job);
        let instances: u64 = job.tasks.iter().map(|t| u64::from(t.instances)).sum();
        if instances > MAX_JOB_INSTANCES {
            return Err(TraceError {
                path: path.to_path_buf(),
                line: None,
                message: format!(
                    "job `{}` has {instances} task instances; at most {MAX_JOB_INSTANCES} per job \
                     can be replayed",
                    job.id
                ),
            });
        }
        let t = timing.sim_time(job.arrival);
        if t >= duration {
            continue;
        }
        if let Some(class) = &job.class {
            if scan.classes.insert(class.clone()) && scan.classes.len() > MAX_CLASSES {
                return Err(TraceError {
                    path: path.to_path_buf(),
                    line: None,
                    message: format!(
                        "the jobs carry more than {MAX_CLASSES} class values (each would be a \
                         class of the results): map a coarser class column, or none"
                    ),
                });
            }
        }
        if scan.jobs == 0 {
            scan.first = job.arrival;
        }
        scan.jobs += 1;
        scan.last = t;
        scan.tasks += job.tasks.len() as u64;
        for task in &job.tasks {
            scan.instances += u64::from(task.instances);
            scan.cpu_seconds += f64::from(task.instances) * task.cpu * task.work;
        }
    }
    scan.report = stream.report().clone();
    Ok(scan)
}

/// Jobs of a trace in arrival order, on the run's clock.
pub struct Feed {
    stream: Box<dyn JobStream>,
    timing: Timing,
    thinning: SimRng,
    /// `wfcommons`: the one workflow, and when its instances arrive.
    repeat: Option<(TraceJob, ArrivalProcess)>,
    last: f64,
}

impl Feed {
    /// Opens the trace for one run; `first` is [`Scan::first`]. The random streams drive the
    /// `arrival` process (`wfcommons`) and the thinning of `load_scale < 1`.
    ///
    /// # Errors
    /// The file cannot be opened (it was read when the scenario was loaded).
    #[allow(clippy::too_many_arguments)]
    pub fn open(
        format: Format,
        path: &Path,
        options: &ImportOptions,
        window: Option<Window>,
        first: f64,
        time_scale: f64,
        load_scale: f64,
        arrival: Option<&ArrivalSpec>,
        [arrival_rng, thinning]: [SimRng; 2],
    ) -> Result<Feed, TraceError> {
        let mut stream = trace::open(format, path, options)?;
        let timing = Timing::new(window, first, time_scale, load_scale);
        let repeat = match arrival {
            Some(spec) => match stream.next() {
                Some(job) => {
                    let mut job = job?;
                    timing.scale_job(&mut job);
                    Some((job, ArrivalProcess::new(spec, arrival_rng)))
                }
                None => None,
            },
            None => None,
        };
        Ok(Feed { stream, timing, thinning, repeat, last: 0.0 })
    }

    /// The next job and its arrival time in the run, or `None` when the trace is over.
    ///
    /// # Errors
    /// A line that cannot be read (the file changed since the scenario was loaded).
    pub fn next_job(&mut self) -> Result<Option<(f64, TraceJob)>, TraceError> {
        if let Some((job, process)) = &mut self.repeat {
            return Ok(process.next_after(self.last).map(|t| {
                self.last = t;
                (t, job.clone())
            }));
        }
        for job in self.stream.by_ref() {
            let mut job = job?;
            if job.arrival < self.timing.origin {
                continue;
            }
            if job.arrival >= self.timing.end {
                return Ok(None);
            }
            if self.timing.load_scale < 1.0
                && self.thinning.random::<f64>() >= self.timing.load_scale
            {
                continue;
            }
            self.timing.scale_job(&mut job);
            return Ok(Some((self.timing.sim_time(job.arrival), job)));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_starts_the_clock_at_its_start() {
        let t = Timing::new(Some(Window { start: 100.0, end: 200.0 }), 5.0, 1.0, 1.0);
        assert_eq!((t.origin, t.end), (100.0, 200.0));
        assert_eq!(t.sim_time(100.0), 0.0);
        assert_eq!(t.sim_time(150.0), 50.0);
    }

    #[test]
    fn without_a_window_the_first_job_arrives_at_zero() {
        let t = Timing::new(None, 42.0, 1.0, 1.0);
        assert_eq!(t.sim_time(42.0), 0.0);
        assert_eq!(t.end, f64::INFINITY);
    }

    #[test]
    fn time_scale_stretches_and_load_scale_compresses() {
        let t = Timing::new(None, 0.0, 0.5, 1.0);
        assert_eq!(t.sim_time(10.0), 5.0);
        // 30 % more load: gaps shrink by 1.3; thinning (< 1) leaves the clock alone.
        let t = Timing::new(None, 0.0, 1.0, 1.3);
        assert_eq!(t.sim_time(13.0), 10.0);
        let t = Timing::new(None, 0.0, 1.0, 0.5);
        assert_eq!(t.sim_time(13.0), 13.0);
    }

    #[test]
    fn run_times_scale_with_time_not_with_load() {
        let mut job = TraceJob {
            id: "j".into(),
            arrival: 0.0,
            class: None,
            priority: None,
            recorded_wait: Some(8.0),
            tasks: vec![crate::workload::trace::TraceTask {
                name: "t".into(),
                after: vec![],
                instances: 1,
                cpu: 1.0,
                memory: 0.0,
                work: 10.0,
                estimate: Some(20.0),
            }],
        };
        Timing::new(None, 0.0, 0.5, 3.0).scale_job(&mut job);
        assert_eq!(
            (job.tasks[0].work, job.tasks[0].estimate, job.recorded_wait),
            (5.0, Some(10.0), Some(4.0))
        );
    }
}
