//! Replayed trace jobs: each arrives with its own DAG, so its template is built when it
//! arrives and kept beside its workflow slot until it ends; task shapes unseen so far are
//! added to the run's shape table as they come.

use std::collections::HashMap;
use std::rc::Rc;

use super::{Event, Observer, Simulation};
use crate::engine::SimTime;
use crate::model::{millicores, Model, Shape, ShapeId, TaskTemplate, WorkflowClass};
use crate::workload::trace::TraceJob;
use crate::workload::Distribution;

/// The task shapes of a run: the model's, then those of replayed jobs.
#[derive(Clone, Debug, Default)]
pub(super) struct Shapes {
    /// Shape by id.
    pub list: Vec<Shape>,
    /// Whether some node of the shape's group is big enough for it.
    pub fits: Vec<bool>,
    ids: HashMap<Shape, ShapeId>,
}

impl Shapes {
    pub fn new(model: &Model) -> Self {
        let mut shapes = Shapes::default();
        for &s in &model.shapes {
            shapes.intern(model, s);
        }
        shapes
    }

    /// The id of `shape`, added if new.
    pub fn intern(&mut self, model: &Model, shape: Shape) -> ShapeId {
        *self.ids.entry(shape).or_insert_with(|| {
            self.list.push(shape);
            self.fits.push(model.groups[shape.group].iter().any(|&i| {
                model.nodes[i].cpu >= shape.cpu && model.nodes[i].memory >= shape.memory
            }));
            self.list.len() - 1
        })
    }
}

/// The template of a replayed job in `slot`, shared, for callers that change the simulation
/// while reading it (none for a workflow of a scenario class).
pub(super) fn job_of(jobs: &[Option<Rc<WorkflowClass>>], slot: u32) -> Option<Rc<WorkflowClass>> {
    jobs.get(slot as usize).cloned().flatten()
}

/// The template of the workflow in `slot` of class `class`: its own when it is a replayed job,
/// else its class's. A free function over the two fields, so that callers may change the
/// workflow slab while holding it.
pub(super) fn class_of<'a>(
    model: &'a Model,
    jobs: &'a [Option<Rc<WorkflowClass>>],
    slot: u32,
    class: u32,
) -> &'a WorkflowClass {
    match jobs.get(slot as usize) {
        Some(Some(job)) => job,
        _ => &model.classes[class as usize],
    }
}

impl<O: Observer> Simulation<'_, O> {
    /// Reads the next job of the trace and schedules its arrival; at the end of the trace (or
    /// past `duration`) schedules nothing.
    pub(super) fn schedule_trace_arrival(&mut self) {
        let Some(trace) = &self.model.trace else { return };
        let Some(feed) = self.feed.as_mut() else { return };
        match feed.next_job() {
            Ok(Some((t, job))) if t < self.model.duration => {
                let class = trace.class_of(job.class.as_deref()) as u32;
                self.pending_job = Some(job);
                self.events
                    .push(SimTime::from_secs(t.max(self.now.secs())), Event::Arrival { class });
            }
            Ok(_) => self.feed = None,
            Err(e) => {
                self.trace_error = Some(e.to_string());
                self.feed = None;
            }
        }
    }

    /// The template of a replayed job: a task of n instances becomes n tasks, followed by a
    /// join when other tasks wait for it.
    pub(super) fn job_template(&mut self, class: usize, job: &TraceJob) -> Rc<WorkflowClass> {
        let trace = self.model.trace.as_ref().expect("jobs come from a trace");
        let base = &self.model.classes[class];
        let mut tasks: Vec<TaskTemplate> = Vec::new();
        let mut has_successors = vec![false; job.tasks.len()];
        for t in &job.tasks {
            for &a in &t.after {
                has_successors[a as usize] = true;
            }
        }
        // What a successor of each trace task waits for: its one instance, or its join.
        let mut out: Vec<Option<usize>> = vec![None; job.tasks.len()];
        for k in topological(job) {
            let t = &job.tasks[k];
            let shape = Shape {
                group: trace.group,
                cpu: millicores(t.cpu).max(1),
                memory: t.memory.max(0.0).round() as u64,
            };
            let id = self.shapes.intern(self.model, shape);
            let after: Vec<usize> = t.after.iter().filter_map(|&a| out[a as usize]).collect();
            let first = tasks.len();
            let n = t.instances.max(1);
            for i in 0..n {
                let name = if n == 1 { t.name.clone() } else { format!("{}#{i}", t.name) };
                let work = Distribution::constant(t.work.max(0.0));
                let mut task = TaskTemplate::plain(name, id, shape, work);
                task.estimate = t.estimate.map(Distribution::constant);
                task.after = after.clone();
                tasks.push(task);
            }
            out[k] = if n == 1 {
                Some(first)
            } else if has_successors[k] {
                let name = format!("{}#join", t.name);
                let mut join = TaskTemplate::plain(name, id, shape, Distribution::constant(0.0));
                join.join = true;
                join.cpu = 0;
                join.memory = 0;
                join.after = (first..tasks.len()).collect();
                tasks.push(join);
                Some(tasks.len() - 1)
            } else {
                None
            };
        }
        for i in 0..tasks.len() {
            for j in 0..tasks[i].after.len() {
                let p = tasks[i].after[j];
                tasks[p].successors.push(i);
            }
        }
        Rc::new(WorkflowClass {
            name: base.name.clone(),
            priority: job.priority.unwrap_or(base.priority),
            deadline: None,
            arrival: base.arrival.clone(),
            steps: tasks.len(),
            tasks,
            abort_on_deadline: false,
            drain_on_abort: false,
        })
    }
}

/// The job's tasks, predecessors first (readers guarantee an acyclic DAG; a task on a cycle
/// that slipped through is appended last, its edges into the cycle ignored).
fn topological(job: &TraceJob) -> Vec<usize> {
    let n = job.tasks.len();
    let mut indegree: Vec<usize> = job.tasks.iter().map(|t| t.after.len()).collect();
    let mut successors = vec![Vec::new(); n];
    for (k, t) in job.tasks.iter().enumerate() {
        for &a in &t.after {
            successors[a as usize].push(k);
        }
    }
    let mut order: Vec<usize> = (0..n).filter(|&k| indegree[k] == 0).collect();
    let mut next = 0;
    while next < order.len() {
        let k = order[next];
        next += 1;
        for &s in &successors[k] {
            indegree[s] -= 1;
            if indegree[s] == 0 {
                order.push(s);
            }
        }
    }
    if order.len() < n {
        let mut seen = vec![false; n];
        for &k in &order {
            seen[k] = true;
        }
        order.extend((0..n).filter(|&k| !seen[k]));
    }
    order
}
