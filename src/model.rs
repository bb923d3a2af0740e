//! The simulated world built from a validated scenario: nodes, pools and workflow templates.

mod cluster;
mod workflow;

pub use cluster::{ClusterView, Node, NodeId, NodeLoad};
pub use workflow::{TaskTemplate, WorkflowClass};

use crate::scenario::{Mode, Scenario};
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

/// Millicores from cores, rounding to the nearest millicore.
pub fn millicores(cores: f64) -> u64 {
    (cores * 1000.0).round() as u64
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
        for spec in &s.cluster.nodes {
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
            }
        }

        let mut classes = Vec::new();
        let mut shapes: Vec<Shape> = Vec::new();
        for wf in &s.workflows {
            let index = |name: &str| wf.tasks.iter().position(|t| t.name == name);
            let mut tasks = Vec::new();
            for t in &wf.tasks {
                let after: Vec<usize> = t.after.iter().filter_map(|a| index(a)).collect();
                let shape = Shape {
                    group: group_of_pool(&t.pool),
                    cpu: millicores(t.cpu),
                    memory: t.memory.0,
                };
                let shape_id = shapes.iter().position(|x| *x == shape).unwrap_or_else(|| {
                    shapes.push(shape);
                    shapes.len() - 1
                });
                tasks.push(TaskTemplate {
                    shape: shape_id,
                    name: t.name.clone(),
                    cpu: millicores(t.cpu),
                    memory: t.memory.0,
                    work: Distribution::new(&t.work)?,
                    group: group_of_pool(&t.pool),
                    probability: t.probability,
                    after,
                    successors: Vec::new(),
                });
            }
            for i in 0..tasks.len() {
                for j in tasks[i].after.clone() {
                    tasks[j].successors.push(i);
                }
            }
            classes.push(WorkflowClass {
                name: wf.name.clone(),
                priority: wf.priority,
                deadline: wf.deadline,
                arrival: wf.arrival.clone(),
                tasks,
            });
        }

        Ok(Model {
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
        })
    }

    /// Offered load of each group: the CPU-seconds per second that arrivals bring to its tasks,
    /// divided by its capacity (Σ cores × speed). Above 1 a group cannot keep up. An estimate
    /// from mean rates and mean work: it ignores memory and fragmentation.
    pub fn offered_load(&self, duration: f64) -> Vec<(String, f64)> {
        let mut demand = vec![0.0; self.groups.len()];
        for c in &self.classes {
            let rate = c.mean_rate(duration);
            for t in &c.tasks {
                demand[t.group] += rate * t.probability * t.cpu as f64 / 1000.0 * t.work.mean();
            }
        }
        let capacity = |g: &Vec<NodeId>| -> f64 {
            g.iter().map(|&i| self.nodes[i].cpu as f64 / 1000.0 * self.nodes[i].speed).sum()
        };
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
