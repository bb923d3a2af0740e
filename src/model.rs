//! The simulated world built from a validated scenario: nodes, pools and workflow templates.

mod cluster;
mod workflow;

pub use cluster::{ClusterView, Node, NodeId, NodeLoad};
pub use workflow::{Backoff, TaskTemplate, WorkflowClass};

use std::path::PathBuf;

use crate::scenario::{ArrivalSpec, Window};
use crate::scenario::{
    BackoffSpec, Cancel, FailurePoint, Mode, OnDeadline, PolicySpec, ReplayTimes, Scenario,
};
use crate::workload::feed::Scan;
use crate::workload::trace::{Format, ImportOptions};
use crate::workload::Distribution;

/// Group of nodes a task may run on: [`ANY_NODE`] or a pool.
pub type GroupId = usize;

/// The group of all nodes, for tasks not pinned to a pool.
pub const ANY_NODE: GroupId = 0;

/// Index of a task [`Shape`] in [`Model::shapes`].
pub type ShapeId = usize;

/// What a task asks for: where it may run and how much it holds. Tasks of one shape are
/// interchangeable for fitting, which lets queues skip all of them at once when one does not
/// fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    /// Nodes it may run on.
    pub group: GroupId,
    /// Millicores.
    pub cpu: u64,
    /// Bytes.
    pub memory: u64,
}

impl Shape {
    /// Whether a task of shape `other` cannot fit wherever one of `self` does not: same
    /// nodes, at least as much CPU and memory.
    pub fn blocks(&self, other: &Shape) -> bool {
        self.group == other.group && other.cpu >= self.cpu && other.memory >= self.memory
    }
}

/// Everything a run needs that does not change during the run.
#[derive(Clone, Debug)]
pub struct Model {
    /// The nodes, in scenario order (kinds expanded by `count`).
    pub nodes: Vec<Node>,
    /// Millicores of the whole cluster.
    pub total_cpu: u64,
    /// Pool names; pool `k` is group `k + 1`.
    pub pools: Vec<String>,
    /// Node ids per group: group 0 is every node, group k + 1 the nodes of pool k.
    pub groups: Vec<Vec<NodeId>>,
    /// The workflow classes.
    pub classes: Vec<WorkflowClass>,
    /// Distinct task shapes over all classes.
    pub shapes: Vec<Shape>,
    /// Dispatch mode.
    pub mode: Mode,
    /// Whether later tasks may start while the head of a queue waits.
    pub backfill: bool,
    /// Seconds of arrivals.
    pub duration: f64,
    /// Arrivals before this are not measured.
    pub warmup: f64,
    /// Finish the work in flight after `duration`.
    pub drain: bool,
    /// Admitted, unfinished workflows above which the run stops as unstable.
    pub max_in_flight: u64,
    /// Random failures (mtbf, mttr) of each node, indexed like `nodes`.
    pub node_failures: Vec<Option<(f64, f64)>>,
    /// Scheduled outages: (node, start, duration), in scenario order.
    pub outages: Vec<(NodeId, f64, f64)>,
    /// The load monitor (per-node mode).
    pub monitor: Option<Monitor>,
    /// Seconds between two load samples (`timeseries.csv`); none: no sampling.
    pub sample_interval: Option<f64>,
    /// The replayed trace, when the scenario has one.
    pub trace: Option<TraceModel>,
    /// Stop a task at its work estimate.
    pub kill_on_estimate: bool,
}

/// A trace to replay: its jobs arrive as workflows of class [`TraceModel::class`], or of the
/// class their class column names ([`TraceModel::classes`]).
#[derive(Clone, Debug)]
pub struct TraceModel {
    /// The workflow class of jobs without a class of their own (`[trace].class`).
    pub class: usize,
    /// The workflow class of each class value the trace's jobs carry (a CSV class column, an
    /// SWF queue), each its own class in the results.
    pub classes: std::collections::BTreeMap<String, usize>,
    /// File format.
    pub format: Format,
    /// The file (resolved against the scenario's folder).
    pub path: PathBuf,
    /// Reader options.
    pub options: ImportOptions,
    /// Window, time and load scaling.
    pub window: Option<Window>,
    /// Simulated seconds per trace second.
    pub time_scale: f64,
    /// Load multiplier.
    pub load_scale: f64,
    /// How instances of a one-workflow trace arrive (`wfcommons`).
    pub arrival: Option<ArrivalSpec>,
    /// Nodes the trace's tasks may run on.
    pub group: GroupId,
    /// What the load-time pass over the file found.
    pub scan: Scan,
}

/// The load monitor's settings.
#[derive(Clone, Debug)]
pub struct Monitor {
    /// Seconds between looks.
    pub interval: f64,
    /// Load above which queued tasks are migrated; none means no migration.
    pub overload: Option<f64>,
    /// Placement policy choosing where migrated tasks go.
    pub target: PolicySpec,
    /// Idle nodes steal queued work.
    pub work_stealing: bool,
}

/// Longest retry delay when a backoff sets no `max` (about 30 years): exponential growth
/// would otherwise overflow to an infinite time.
pub const MAX_BACKOFF: f64 = 1e9;

/// Millicores from cores, rounding to the nearest millicore.
pub fn millicores(cores: f64) -> u64 {
    (cores * 1000.0).round() as u64
}

impl TraceModel {
    /// Whether workflow class `c` is one of the trace's.
    pub fn has_class(&self, c: usize) -> bool {
        c >= self.class && c < self.class + self.classes.len()
    }

    /// The workflow class of a job whose class column says `class`.
    pub fn class_of(&self, class: Option<&str>) -> usize {
        class.and_then(|c| self.classes.get(c)).copied().unwrap_or(self.class)
    }
}

impl Model {
    /// Builds the model of a scenario that passed validation.
    ///
    /// # Errors
    /// A message if a value that validation should have refused slips through.
    pub fn new(s: &Scenario) -> Result<Model, String> {
        let mut pools: Vec<String> = Vec::new();
        for n in &s.cluster.nodes {
            if let Some(p) = &n.pool {
                if !pools.contains(p) {
                    pools.push(p.clone());
                }
            }
        }
        let group_of_pool = |pool: &Option<String>| -> GroupId {
            pool.as_ref()
                .and_then(|p| pools.iter().position(|q| q == p))
                .map_or(ANY_NODE, |k| k + 1)
        };

        let capacity_mean = {
            let total: f64 = s.cluster.nodes.iter().map(|n| n.count as f64 * n.cpu * n.speed).sum();
            total / s.node_count().max(1) as f64
        };
        let mut nodes = Vec::new();
        let mut groups = vec![Vec::new(); pools.len() + 1];
        let mut node_failures = Vec::new();
        let mut outages = Vec::new();
        for spec in &s.cluster.nodes {
            let first = nodes.len();
            for k in 0..spec.count {
                let id = nodes.len();
                let name =
                    if spec.count > 1 { format!("{}-{k}", spec.name) } else { spec.name.clone() };
                groups[ANY_NODE].push(id);
                let pool = spec.pool.as_ref().map(|_| group_of_pool(&spec.pool));
                if let Some(g) = pool {
                    groups[g].push(id);
                }
                nodes.push(Node {
                    name,
                    kind: spec.name.clone(),
                    cpu: millicores(spec.cpu),
                    memory: spec.memory.0,
                    speed: spec.speed,
                    weight: spec.weight.unwrap_or(spec.cpu * spec.speed / capacity_mean),
                    pool: spec.pool.clone(),
                });
                node_failures.push(spec.failures.as_ref().map(|f| (f.mtbf, f.mttr)));
            }
            for o in &spec.outages {
                for (id, node) in nodes.iter().enumerate().skip(first) {
                    if o.node.as_ref().is_none_or(|n| *n == node.name) {
                        outages.push((id, o.at, o.duration));
                    }
                }
            }
        }

        let mut classes = Vec::new();
        let mut shapes: Vec<Shape> = Vec::new();
        for wf in &s.workflows {
            let index = |name: &str| wf.tasks.iter().position(|t| t.name == name);
            let mut tasks = Vec::new();
            let mut shape_of = |pool: &Option<String>, cpu: f64, memory: u64| {
                let shape = Shape { group: group_of_pool(pool), cpu: millicores(cpu), memory };
                shapes.iter().position(|x| *x == shape).unwrap_or_else(|| {
                    shapes.push(shape);
                    shapes.len() - 1
                })
            };
            for t in &wf.tasks {
                let after: Vec<usize> = t.after.iter().filter_map(|a| index(a)).collect();
                let (fail_probability, fail_at_end) = t
                    .failure
                    .as_ref()
                    .map_or((0.0, false), |f| (f.probability, f.at == FailurePoint::End));
                tasks.push(TaskTemplate {
                    shape: shape_of(&t.pool, t.cpu, t.memory.0),
                    name: t.name.clone(),
                    cpu: millicores(t.cpu),
                    memory: t.memory.0,
                    work: Distribution::new(&t.work)?,
                    group: group_of_pool(&t.pool),
                    probability: t.probability,
                    after,
                    successors: Vec::new(),
                    fail_probability,
                    fail_at_end,
                    retries: u32::try_from(t.retries).map_err(|_| "retries out of range")?,
                    backoff: match t.backoff {
                        None => Backoff::None,
                        Some(BackoffSpec::Constant { delay }) => Backoff::Constant(delay),
                        Some(BackoffSpec::Exponential { initial, factor, max }) => {
                            Backoff::Exponential {
                                initial,
                                factor,
                                max: max.unwrap_or(MAX_BACKOFF),
                            }
                        }
                    },
                    compensation: None,
                    estimate: t.work_estimate.as_ref().map(Distribution::new).transpose()?,
                    join: false,
                });
            }
            for i in 0..tasks.len() {
                for j in tasks[i].after.clone() {
                    tasks[j].successors.push(i);
                }
            }
            let steps = tasks.len();
            for (i, t) in wf.tasks.iter().enumerate() {
                let Some(c) = &t.compensate else { continue };
                let pool = c.pool.clone().or_else(|| t.pool.clone());
                tasks[i].compensation = Some(tasks.len());
                let shape = Shape {
                    group: group_of_pool(&pool),
                    cpu: millicores(c.cpu),
                    memory: c.memory.0,
                };
                let id = shape_of(&pool, c.cpu, c.memory.0);
                let work = Distribution::new(&c.work)?;
                tasks.push(TaskTemplate::plain(c.name.clone(), id, shape, work));
            }
            classes.push(WorkflowClass {
                name: wf.name.clone(),
                priority: wf.priority,
                deadline: wf.deadline,
                arrival: wf.arrival.clone(),
                tasks,
                steps,
                abort_on_deadline: wf.on_deadline == OnDeadline::Abort,
                drain_on_abort: wf.cancel == Cancel::Drain,
            });
        }

        let trace = match &s.trace {
            Some(t) => {
                let scan = t.scan.clone().ok_or("the trace was not read at load")?;
                let first = classes.len();
                let mut named = std::collections::BTreeMap::new();
                let mut names = vec![t.class.clone()];
                names.extend(scan.classes.iter().filter(|c| **c != t.class).cloned());
                for name in names {
                    named.insert(name.clone(), classes.len());
                    classes.push(WorkflowClass {
                        name: name.clone(),
                        priority: t.priority,
                        deadline: None,
                        // The trace's own arrival times, or (one-workflow traces) the process its
                        // instances arrive by.
                        arrival: t.arrival.clone().unwrap_or(ArrivalSpec::Replay {
                            path: PathBuf::new(),
                            times: ReplayTimes(Vec::new().into()),
                        }),
                        tasks: Vec::new(),
                        steps: 0,
                        abort_on_deadline: false,
                        drain_on_abort: false,
                    });
                }
                Some(TraceModel {
                    class: first,
                    classes: named,
                    format: t.format,
                    path: s.base_dir.join(&t.path),
                    options: t.import_options(),
                    window: t.window,
                    time_scale: t.time_scale,
                    load_scale: t.load_scale,
                    arrival: t.arrival.clone(),
                    group: group_of_pool(&t.pool),
                    scan,
                })
            }
            None => None,
        };

        Ok(Model {
            trace,
            kill_on_estimate: s.kill_on_estimate,
            total_cpu: nodes.iter().map(|n| n.cpu).sum(),
            nodes,
            pools,
            groups,
            classes,
            shapes,
            mode: s.cluster.mode,
            backfill: s.cluster.backfill,
            duration: s.duration,
            warmup: s.warmup,
            drain: s.drain,
            max_in_flight: s.limits.max_in_flight,
            node_failures,
            outages,
            monitor: s.monitor.as_ref().map(|m| Monitor {
                interval: m.interval,
                overload: m.overload,
                target: m.target.clone(),
                work_stealing: m.work_stealing,
            }),
            sample_interval: s.sample_interval,
        })
    }

    /// Offered load of each group: the CPU-seconds per second that arrivals bring to its tasks,
    /// divided by its capacity (Σ cores × speed). Above 1 a group cannot keep up. An estimate
    /// from mean rates and mean work, counting the work of failed attempts and retries: it
    /// ignores memory, fragmentation, node outages and compensations.
    pub fn offered_load(&self, duration: f64) -> Vec<(String, f64)> {
        let mut demand = vec![0.0; self.groups.len()];
        for c in &self.classes {
            let rate = c.mean_rate(duration);
            for t in &c.tasks[..c.steps] {
                demand[t.group] += rate * t.probability * t.cpu as f64 / 1000.0
                    * t.work.mean()
                    * t.expected_attempt_work();
            }
        }
        let capacity = |g: &Vec<NodeId>| -> f64 {
            g.iter().map(|&i| self.nodes[i].cpu as f64 / 1000.0 * self.nodes[i].speed).sum()
        };
        if let Some(t) = &self.trace {
            demand[t.group] += match t.arrival {
                // The one workflow's CPU-seconds, brought at the instances' rate.
                Some(_) => t.scan.cpu_seconds * self.classes[t.class].mean_rate(duration),
                // Thinning keeps that share of the jobs.
                None => t.scan.cpu_seconds * t.load_scale.min(1.0) / duration,
            };
        }
        let mut out = Vec::new();
        // Unpinned tasks may use any node, so they share the whole cluster with the pools.
        let total: f64 = demand.iter().sum();
        out.push(("cluster".to_string(), total / capacity(&self.groups[ANY_NODE])));
        for (k, pool) in self.pools.iter().enumerate() {
            if demand[k + 1] > 0.0 {
                out.push((pool.clone(), demand[k + 1] / capacity(&self.groups[k + 1])));
            }
        }
        out
    }
}
