//! Worked examples: a tiny state per family on which `schedsim policies NAME` calls the policy
//! itself, so the example printed next to a rule is what the code does, not what a comment
//! says it does.
//!
//! Each family trait has an `example()` with a default state (a queue of four tasks, three
//! equal nodes, four arrivals); a policy overrides it to show what makes it different or to
//! give its required parameters. [`Worked`] is the example computed: the state as a table and
//! one decision per step.

use std::fmt::Write as _;

use crate::engine::{Purpose, SimRng, Streams};
use crate::model::{ClusterView, Node, NodeId, NodeLoad};

use super::{Admission, AdmissionView, Placement, QueueDiscipline, RejectReason, TaskView};

const GIB: f64 = (1u64 << 30) as f64;

/// A task of a queue example. Times are seconds; work is seconds at speed 1.
#[derive(Clone, Debug)]
pub struct ExampleTask {
    /// Short label shown in the service order (`a`, `b`, ...).
    pub label: &'static str,
    /// Workflow class name.
    pub class: &'static str,
    /// Class priority (higher is more important).
    pub priority: f64,
    /// When its workflow arrived.
    pub arrival: f64,
    /// When the task became ready (the queue's FCFS order).
    pub ready_at: f64,
    /// Absolute deadline of its workflow, if any.
    pub deadline: Option<f64>,
    /// Mean of its work distribution.
    pub expected_work: f64,
    /// The work actually sampled.
    pub work: f64,
    /// Requested cores.
    pub cpu: f64,
    /// Requested memory in GiB.
    pub memory_gib: f64,
}

impl ExampleTask {
    /// The task as a queue discipline sees it (class index `class`).
    pub fn view(&self, class: usize) -> TaskView {
        TaskView {
            class,
            priority: self.priority,
            arrival: self.arrival,
            ready_at: self.ready_at,
            deadline: self.deadline.unwrap_or(f64::INFINITY),
            expected_work: self.expected_work,
            work: self.work,
            cpu: (self.cpu * 1000.0).round() as u64,
            memory: (self.memory_gib * GIB).round() as u64,
        }
    }
}

/// A queue to rank: the tasks in the order they joined it.
#[derive(Clone, Debug)]
pub struct QueueExample {
    /// The policy's parameters as the inside of a TOML inline table (`""`: defaults).
    pub params: &'static str,
    /// The waiting tasks, in the order they became ready.
    pub tasks: Vec<ExampleTask>,
}

impl QueueExample {
    /// Four tasks that differ in every attribute a discipline may look at.
    pub fn standard() -> Self {
        let task = |label, class, priority, arrival, ready_at, deadline, expected_work, work| {
            ExampleTask {
                label,
                class,
                priority,
                arrival,
                ready_at,
                deadline,
                expected_work,
                work,
                cpu: 1.0,
                memory_gib: 0.5,
            }
        };
        QueueExample {
            params: "",
            tasks: vec![
                task("a", "batch", 0.0, 0.0, 0.0, None, 8.0, 6.0),
                task("b", "web", 2.0, 1.0, 1.0, Some(3.0), 0.5, 1.5),
                task("c", "report", 1.0, 0.5, 2.0, Some(4.0), 0.3, 0.2),
                task("d", "web", 2.0, 2.5, 2.5, Some(4.5), 0.5, 0.4),
            ],
        }
    }

    /// The same queue with the policy's parameters.
    pub fn with_params(self, params: &'static str) -> Self {
        QueueExample { params, ..self }
    }

    /// Indices of the tasks in service order: ascending rank, equal ranks in queue order (as
    /// the simulator's queues serve them).
    pub fn serve(&self, policy: &dyn QueueDiscipline) -> Vec<(usize, f64)> {
        let mut ranked: Vec<(usize, f64)> =
            self.tasks.iter().enumerate().map(|(i, t)| (i, policy.rank(&t.view(i)))).collect();
        ranked.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        ranked
    }
}

/// A node of a placement example.
#[derive(Clone, Debug)]
pub struct ExampleNode {
    /// Node name.
    pub name: &'static str,
    /// Cores.
    pub cpu: f64,
    /// Memory in GiB.
    pub memory_gib: f64,
    /// Work per second per core.
    pub speed: f64,
    /// Cores held by running tasks.
    pub cpu_used: f64,
    /// GiB held by running tasks.
    pub memory_used_gib: f64,
}

/// A cluster and identical tasks to place one after another (each placed task holds its
/// request on its node, so later decisions see it).
#[derive(Clone, Debug)]
pub struct PlacementExample {
    /// The policy's parameters as the inside of a TOML inline table (`""`: defaults).
    pub params: &'static str,
    /// The nodes, in node-id order.
    pub nodes: Vec<ExampleNode>,
    /// Cores each task requests.
    pub task_cpu: f64,
    /// GiB each task requests.
    pub task_memory_gib: f64,
    /// How many tasks to place.
    pub tasks: usize,
}

impl PlacementExample {
    /// The issue's example: three 10-core nodes with loads 0.10, 0.20, 0.15 (average 0.15),
    /// and three 1-core tasks.
    pub fn standard() -> Self {
        let node = |name, used: f64| ExampleNode {
            name,
            cpu: 10.0,
            memory_gib: 16.0,
            speed: 1.0,
            cpu_used: used,
            memory_used_gib: 2.0 * used,
        };
        PlacementExample {
            params: "",
            nodes: vec![node("node-0", 1.0), node("node-1", 2.0), node("node-2", 1.5)],
            task_cpu: 1.0,
            task_memory_gib: 1.0,
            tasks: 3,
        }
    }

    /// Nodes of different sizes, one of them full: where the fit rules (first, best, spread,
    /// bin-pack) part ways.
    pub fn mixed_sizes() -> Self {
        let node = |name, cpu, memory_gib, cpu_used, memory_used_gib| ExampleNode {
            name,
            cpu,
            memory_gib,
            speed: 1.0,
            cpu_used,
            memory_used_gib,
        };
        PlacementExample {
            params: "",
            nodes: vec![
                node("small", 2.0, 4.0, 2.0, 1.0),
                node("medium", 4.0, 8.0, 2.5, 2.0),
                node("large", 8.0, 32.0, 2.0, 8.0),
            ],
            task_cpu: 1.0,
            task_memory_gib: 2.0,
            tasks: 2,
        }
    }

    /// Two slow nodes and a fast one (three times the speed) with the same cores: where load
    /// per unit of capacity differs from load.
    pub fn mixed_speeds() -> Self {
        let node = |name, speed, cpu_used| ExampleNode {
            name,
            cpu: 2.0,
            memory_gib: 4.0,
            speed,
            cpu_used,
            memory_used_gib: cpu_used,
        };
        PlacementExample {
            params: "",
            nodes: vec![node("slow-0", 1.0, 0.5), node("slow-1", 1.0, 1.0), node("fast", 3.0, 1.0)],
            task_cpu: 1.0,
            task_memory_gib: 0.5,
            tasks: 2,
        }
    }

    /// The same cluster with the policy's parameters.
    pub fn with_params(self, params: &'static str) -> Self {
        PlacementExample { params, ..self }
    }

    /// The nodes as the simulator describes them: weights by its default rule, cpu × speed
    /// over the cluster mean.
    pub fn model_nodes(&self) -> Vec<Node> {
        let n = self.nodes.len().max(1) as f64;
        let mean = self.nodes.iter().map(|x| x.cpu * x.speed).sum::<f64>() / n;
        self.nodes
            .iter()
            .map(|x| Node {
                name: x.name.to_string(),
                kind: x.name.to_string(),
                cpu: (x.cpu * 1000.0).round() as u64,
                memory: (x.memory_gib * GIB).round() as u64,
                speed: x.speed,
                weight: x.cpu * x.speed / mean,
                pool: None,
            })
            .collect()
    }

    /// What is allocated on each node before the first task.
    pub fn loads(&self) -> Vec<NodeLoad> {
        self.nodes
            .iter()
            .map(|x| NodeLoad {
                cpu_allocated: (x.cpu_used * 1000.0).round() as u64,
                memory_allocated: (x.memory_used_gib * GIB).round() as u64,
                ..NodeLoad::default()
            })
            .collect()
    }

    /// The task as a placement sees it.
    pub fn task(&self) -> TaskView {
        ExampleTask {
            label: "t",
            class: "job",
            priority: 0.0,
            arrival: 0.0,
            ready_at: 0.0,
            deadline: None,
            expected_work: 1.0,
            work: 1.0,
            cpu: self.task_cpu,
            memory_gib: self.task_memory_gib,
        }
        .view(0)
    }

    /// The random stream a placement gets: the simulator's policy stream for seed 1.
    pub fn rng() -> SimRng {
        Streams::new(1).stream(Purpose::Policy, 0)
    }

    /// Places the tasks one after another as the central queue does: the candidates are the
    /// nodes where the task fits now, and a placed task holds its request. Each step gives
    /// the candidates, the loads before the decision, and the choice (`None`: no node fits,
    /// or the policy declined).
    pub fn place(&self, policy: &mut dyn Placement) -> Vec<PlacementStep> {
        let nodes = self.model_nodes();
        let mut loads = self.loads();
        let task = self.task();
        let mut rng = Self::rng();
        let mut steps = Vec::new();
        for _ in 0..self.tasks {
            let view = ClusterView { nodes: &nodes, loads: &loads };
            let candidates: Vec<NodeId> =
                (0..nodes.len()).filter(|&i| view.fits(i, task.cpu, task.memory)).collect();
            let before: Vec<f64> = (0..nodes.len()).map(|i| view.load(i)).collect();
            let choice = if candidates.is_empty() {
                None
            } else {
                policy.select(&task, &view, &candidates, &mut rng)
            };
            if let Some(i) = choice {
                loads[i].cpu_allocated += task.cpu;
                loads[i].memory_allocated += task.memory;
                loads[i].running += 1;
            }
            steps.push(PlacementStep { candidates, loads: before, choice });
        }
        steps
    }
}

/// One decision of a placement example.
#[derive(Clone, Debug)]
pub struct PlacementStep {
    /// Nodes where the task fitted.
    pub candidates: Vec<NodeId>,
    /// Every node's load Lᵢ before the decision.
    pub loads: Vec<f64>,
    /// The node chosen.
    pub choice: Option<NodeId>,
}

/// Arrivals to admit or reject: what admission control sees at each.
#[derive(Clone, Debug)]
pub struct AdmissionExample {
    /// The policy's parameters as the inside of a TOML inline table (`""`: defaults).
    pub params: &'static str,
    /// The state at each arrival.
    pub states: Vec<AdmissionView>,
}

impl AdmissionExample {
    /// Four arrivals at rising load and queue length.
    pub fn standard() -> Self {
        let state = |weighted_load, waiting_tasks, in_flight| AdmissionView {
            weighted_load,
            waiting_tasks,
            in_flight,
        };
        AdmissionExample {
            params: "",
            states: vec![
                state(0.50, 0, 5),
                state(0.85, 12, 20),
                state(0.90, 40, 31),
                state(0.97, 150, 60),
            ],
        }
    }

    /// The same arrivals with the policy's parameters.
    pub fn with_params(self, params: &'static str) -> Self {
        AdmissionExample { params, ..self }
    }

    /// The decision at each arrival.
    pub fn decide(&self, policy: &dyn Admission) -> Vec<Option<RejectReason>> {
        self.states.iter().map(|s| policy.reject(s)).collect()
    }
}

/// A family's example, as the registry keeps it.
#[derive(Clone, Debug)]
pub enum Example {
    /// A queue to rank.
    Queue(QueueExample),
    /// A cluster to place tasks on.
    Placement(PlacementExample),
    /// Arrivals to admit or reject.
    Admission(AdmissionExample),
}

impl Example {
    /// The policy's parameters in the example (inside of a TOML inline table).
    pub fn params(&self) -> &'static str {
        match self {
            Example::Queue(e) => e.params,
            Example::Placement(e) => e.params,
            Example::Admission(e) => e.params,
        }
    }
}

/// A worked example, computed by the policy.
#[derive(Clone, Debug)]
pub struct Worked {
    /// The state, as a small table (several lines).
    pub state: String,
    /// One line per decision, in order.
    pub decisions: Vec<String>,
}

fn reason(r: Option<RejectReason>) -> &'static str {
    match r {
        None => "admit",
        Some(RejectReason::Admission) => "reject (reason: admission)",
        Some(RejectReason::QueueFull) => "reject (reason: queue_full)",
        Some(RejectReason::Unschedulable) => "reject (reason: unschedulable)",
    }
}

fn deadline(d: Option<f64>) -> String {
    d.map_or_else(|| "none".to_string(), |d| format!("{d:.1}"))
}

impl Worked {
    /// Ranks the queue with `policy`.
    pub fn queue(example: &QueueExample, policy: &dyn QueueDiscipline) -> Worked {
        let order = example.serve(policy);
        let mut state = String::from(
            "task  class   priority  arrived  ready  deadline  E[work]  work  cpu  rank\n",
        );
        for (i, t) in example.tasks.iter().enumerate() {
            let rank = order.iter().find(|(j, _)| *j == i).map_or(f64::NAN, |(_, r)| *r);
            let _ = writeln!(
                state,
                "{:<5} {:<7} {:>8.1}  {:>7.1}  {:>5.1}  {:>8}  {:>7.2}  {:>4.2}  {:>3}  {:>4}",
                t.label,
                t.class,
                t.priority,
                t.arrival,
                t.ready_at,
                deadline(t.deadline),
                t.expected_work,
                t.work,
                t.cpu,
                fmt_rank(rank),
            );
        }
        let labels: Vec<&str> = order.iter().map(|(i, _)| example.tasks[*i].label).collect();
        Worked {
            state,
            decisions: vec![format!(
                "served in the order {} (lowest rank first, ties in queue order)",
                labels.join(", ")
            )],
        }
    }

    /// Places the example's tasks with `policy`.
    pub fn placement(example: &PlacementExample, policy: &mut dyn Placement) -> Worked {
        let nodes = example.model_nodes();
        let loads = example.loads();
        let view = ClusterView { nodes: &nodes, loads: &loads };
        let mut state =
            String::from("node     cores  used  GiB  used  speed  weight wᵢ  load Lᵢ  Lᵢ / wᵢ\n");
        for (i, x) in example.nodes.iter().enumerate() {
            let _ = writeln!(
                state,
                "{:<8} {:>5}  {:>4}  {:>3}  {:>4}  {:>5}  {:>9.2}  {:>7.2}  {:>7.2}",
                x.name,
                x.cpu,
                x.cpu_used,
                x.memory_gib,
                x.memory_used_gib,
                x.speed,
                nodes[i].weight,
                view.load(i),
                view.load(i) / nodes[i].weight,
            );
        }
        let n = nodes.len() as f64;
        let weighted: f64 = (0..nodes.len()).map(|i| nodes[i].weight * view.load(i)).sum::<f64>();
        let _ = writeln!(state, "average weighted load Σ wᵢ·Lᵢ / N = {:.2}", weighted / n);
        let _ = write!(
            state,
            "{} tasks of {} core(s) and {} GiB arrive one after another; the candidates are the \
             nodes where a task fits now (central queue), and a placed task holds its request",
            example.tasks, example.task_cpu, example.task_memory_gib
        );
        let decisions = example
            .place(policy)
            .iter()
            .enumerate()
            .map(|(k, step)| {
                let loads: Vec<String> = step
                    .loads
                    .iter()
                    .enumerate()
                    .map(|(i, l)| format!("{} {l:.2}", nodes[i].name))
                    .collect();
                let fits: Vec<&str> =
                    step.candidates.iter().map(|&i| nodes[i].name.as_str()).collect();
                let choice = step.choice.map_or("none (waits)", |i| nodes[i].name.as_str());
                format!(
                    "task {}: loads {}; fits on {} → {choice}",
                    k + 1,
                    loads.join(", "),
                    if fits.is_empty() { "none".to_string() } else { fits.join(", ") }
                )
            })
            .collect();
        Worked { state, decisions }
    }

    /// Asks `policy` at each of the example's arrivals.
    pub fn admission(example: &AdmissionExample, policy: &dyn Admission) -> Worked {
        let decisions = example
            .states
            .iter()
            .zip(example.decide(policy))
            .enumerate()
            .map(|(k, (s, d))| {
                format!(
                    "arrival {}: weighted load {:.2}, {} tasks waiting, {} in flight → {}",
                    k + 1,
                    s.weighted_load,
                    s.waiting_tasks,
                    s.in_flight,
                    reason(d)
                )
            })
            .collect();
        Worked {
            state: "four workflows arrive, each at a busier moment than the last".to_string(),
            decisions,
        }
    }
}

fn fmt_rank(r: f64) -> String {
    if r.is_infinite() {
        if r > 0.0 { "∞" } else { "-∞" }.to_string()
    } else {
        // `+ 0.0` turns −0 (the rank of a zero score negated) into 0.
        format!("{:.2}", r + 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::admission::LoadThreshold;
    use crate::policy::placement::LeastLoaded;
    use crate::policy::queue::Fcfs;
    use crate::policy::Policy;

    #[test]
    fn the_standard_cluster_is_the_issues_example() {
        let ex = PlacementExample::standard();
        let steps = ex.place(&mut LeastLoaded);
        assert_eq!(steps[0].loads, vec![0.1, 0.2, 0.15]);
        // 0.10 is the least loaded; then node-2 (0.15); then a tie at 0.20 goes to node-0.
        let choices: Vec<_> = steps.iter().map(|s| s.choice).collect();
        assert_eq!(choices, vec![Some(0), Some(2), Some(0)]);
    }

    #[test]
    fn full_nodes_are_not_candidates() {
        let steps = PlacementExample::mixed_sizes().place(&mut LeastLoaded);
        assert_eq!(steps[0].candidates, vec![1, 2], "the small node is full");
    }

    #[test]
    fn fcfs_serves_in_queue_order_and_threshold_rejects_at_the_limit() {
        let order: Vec<usize> =
            QueueExample::standard().serve(&Fcfs).into_iter().map(|(i, _)| i).collect();
        assert_eq!(order, vec![0, 1, 2, 3]);
        let p = LoadThreshold::new(toml::from_str("limit = 0.9").unwrap());
        let d = AdmissionExample::standard().decide(&p);
        assert_eq!(
            d,
            vec![None, None, Some(RejectReason::Admission), Some(RejectReason::Admission)]
        );
    }
}
