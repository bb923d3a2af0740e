//! The scheduler loop: arrivals, admission, queues, placement, task completion.
//!
//! [`Simulation::run`] pops events in `(time, seq)` order. An arrival samples the workflow's
//! work and branches (always, so every policy sees the same workload), asks admission, and
//! makes the root tasks ready. A ready task joins the central queue (central mode) or, chosen
//! by the placement policy, a node's queue (per-node mode). After every event the touched
//! queues are walked in rank order and every task that fits is started; without backfill the
//! walk stops at the first task that does not fit. A finishing task frees its resources and
//! readies its successors; the workflow completes when its last task is done.
//!
//! What goes wrong is handled in submodules: failed attempts, retries and saga rollback in
//! `orchestration`, node failures in `outages`, migration and work stealing in `monitor`.

mod backfill;
mod cluster_state;
mod jobs;
mod monitor;
mod node_index;
mod observer;
mod orchestration;
mod outages;
mod ready_queue;
mod sampler;
mod workflows;

use std::time::Instant;

use rand::Rng;

pub use observer::{
    Interruption, Move, NoObserver, Observer, PlacementReason, QueueId, TaskEvent, TaskKind,
};

use crate::engine::{EventQueue, Purpose, SimRng, SimTime, Streams};
use crate::metrics::{Recorder, RunEnd, StopReason, Summary, TimeSeries, WorkflowRecord};
use crate::model::WorkflowClass;
use crate::model::{ClusterView, GroupId, Model, NodeId, NodeLoad, Shape, ANY_NODE};
use crate::policy::{
    build_admission, build_placement, build_queue, Admission, AdmissionView, Placement,
    QueueDiscipline, RejectReason, Reservations, TaskView,
};
use crate::scenario::{Mode, PolicySet};
use crate::workload::feed::Feed;
use crate::workload::ArrivalProcess;
use cluster_state::ClusterState;
use jobs::{class_of, job_of, Shapes};
use node_index::NodeIndex;
use ready_queue::{QueueKey, QueuedTask, ReadyQueue};
use sampler::Sampler;
use workflows::{Slab, TaskState};

/// Something that happens at a point in simulated time.
#[derive(Clone, Copy, Debug)]
enum Event {
    /// The next workflow of a class arrives.
    Arrival { class: u32 },
    /// A task's attempt ends (finishes or fails); stale when the token no longer matches.
    Finish { wf: u32, task: u32, token: u64 },
    /// A failed task's backoff is over; stale when the token no longer matches.
    Retry { wf: u32, task: u32, token: u64 },
    /// A workflow with `on_deadline = "abort"` reaches its deadline.
    Deadline { wf: u32, id: u64 },
    /// A node fails (`random`: drawn from its MTBF) or a scheduled outage begins.
    NodeDown { node: u32, random: bool },
    /// A node is repaired or a scheduled outage ends.
    NodeUp { node: u32, random: bool },
    /// The load monitor looks at the nodes.
    Monitor,
    /// The clock reached `duration` and the run does not drain.
    Stop,
}

/// Options of one run beyond the scenario.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// Keep one record per measured workflow (grows with the run).
    pub trace_workflows: bool,
}

/// The result of one run.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// The figures.
    pub summary: Summary,
    /// One record per measured workflow, with [`RunOptions::trace_workflows`].
    pub workflows: Vec<WorkflowRecord>,
    /// Node loads sampled every `sample_interval` seconds, when the scenario sets it.
    pub timeseries: Option<TimeSeries>,
    /// Why the replayed trace stopped being readable during the run (its summary then says
    /// `stop_reason = "trace-unreadable"`); `None` normally.
    pub trace_error: Option<String>,
}

/// Per-class random streams and arrival process.
struct ClassRuntime {
    arrivals: ArrivalProcess,
    work: SimRng,
    branch: SimRng,
    /// Work estimates (`work_estimate`), drawn apart from the work.
    estimate: SimRng,
    /// Measured workflows admitted and not finished.
    in_flight_measured: u64,
}

/// One replication of a scenario under one policy set.
pub struct Simulation<'m, O: Observer = NoObserver> {
    model: &'m Model,
    now: SimTime,
    events: EventQueue<Event>,
    state: ClusterState,
    central: ReadyQueue,
    node_queues: Vec<ReadyQueue>,
    /// Queues touched since the last dispatch: the central one, and node queues (per-node).
    central_dirty: bool,
    dirty_nodes: Vec<NodeId>,
    node_dirty: Vec<bool>,
    workflows: Slab,
    classes: Vec<ClassRuntime>,
    queue_policy: Box<dyn QueueDiscipline>,
    placement: Box<dyn Placement>,
    /// Large pools' nodes in the placement rule's order (rules that declare one).
    node_index: Option<NodeIndex>,
    admission: Box<dyn Admission>,
    policy_rng: SimRng,
    streams: Streams,
    recorder: Recorder,
    observer: O,
    options: RunOptions,
    records: Vec<WorkflowRecord>,
    next_workflow_id: u64,
    next_seq: u64,
    in_flight: u64,
    waiting: u64,
    events_processed: u64,
    /// Next attempt token (0 means none).
    next_token: u64,
    /// Outages in progress per node (a node is up when 0).
    down: Vec<u32>,
    /// Up and down time streams of nodes with random failures.
    failure_rngs: Vec<SimRng>,
    /// Tasks in the central queue.
    central_len: u64,
    /// Ready tasks no up node can take (per-node mode), with their queue keys.
    parked: Vec<(QueueKey, QueuedTask)>,
    /// The group (pool) each node belongs to, for work stealing.
    node_group: Vec<GroupId>,
    /// The monitor's placement policy and its random stream.
    monitor_target: Option<(Box<dyn Placement>, SimRng)>,
    /// When the next load sample is due (infinite without `sample_interval`): the only cost
    /// sampling adds to the loop is comparing each event's time with it.
    next_sample: f64,
    /// The samples taken so far, with `sample_interval`.
    sampler: Option<Box<Sampler>>,
    /// Scratch buffers reused by every dispatch.
    candidates: Vec<NodeId>,
    /// The walk's waiting shapes: the first task of each, with its key.
    active_shapes: Vec<(QueueKey, QueuedTask)>,
    settle_stack: Vec<u32>,
    /// Task shapes: the model's, then those of replayed jobs.
    shapes: Shapes,
    /// The template of each slot's workflow when it is a replayed job.
    jobs: Vec<Option<std::rc::Rc<WorkflowClass>>>,
    /// The trace being replayed (until its last job).
    feed: Option<Feed>,
    /// The trace's next job, whose arrival is scheduled.
    pending_job: Option<crate::workload::trace::TraceJob>,
    /// A trace line that could not be read during the run.
    trace_error: Option<String>,
    /// Whom the central walk gives reservations (backfilling disciplines).
    reserving: Reservations,
    /// With reservations: the (slot, task) running on each node, whose estimated ends the
    /// walk books around. Empty otherwise, so other runs pay nothing for it.
    running_on: Vec<Vec<(u32, u32)>>,
    /// Reused buffers of the backfilling walk.
    backfill: backfill::Scratch,
}

impl<'m> Simulation<'m, NoObserver> {
    /// A run of `model` under `policy` with `seed`.
    ///
    /// # Errors
    /// A message when a policy name or parameter is invalid (scenario validation reports
    /// these first for policies written in the file).
    pub fn new(model: &'m Model, policy: &PolicySet, seed: u64) -> Result<Self, String> {
        Self::with_observer(model, policy, seed, NoObserver)
    }
}

impl<'m, O: Observer> Simulation<'m, O> {
    /// A run whose every event is reported to `observer`.
    ///
    /// # Errors
    /// As [`Simulation::new`].
    pub fn with_observer(
        model: &'m Model,
        policy: &PolicySet,
        seed: u64,
        observer: O,
    ) -> Result<Self, String> {
        let streams = Streams::new(seed);
        let classes = model
            .classes
            .iter()
            .enumerate()
            .map(|(k, c)| ClassRuntime {
                arrivals: ArrivalProcess::new(
                    &c.arrival,
                    streams.stream(Purpose::Arrivals, k as u64),
                ),
                work: streams.stream(Purpose::Work, k as u64),
                branch: streams.stream(Purpose::Branch, k as u64),
                estimate: streams.stream(Purpose::Estimate, k as u64),
                in_flight_measured: 0,
            })
            .collect();
        let n = model.nodes.len();
        let queue_policy = build_queue(&policy.queue, model.mode)?;
        let placement = build_placement(&policy.placement, model.mode)?;
        let reserving = queue_policy.reservations();
        // The backfilling walk books nodes itself and never asks the index.
        let node_index = match reserving {
            Reservations::None => NodeIndex::new(model, placement.order(), model.mode),
            _ => None,
        };
        let feed = match &model.trace {
            Some(t) => Some(
                Feed::open(
                    t.format,
                    &t.path,
                    &t.options,
                    t.window,
                    t.scan.first,
                    t.time_scale,
                    t.load_scale,
                    t.arrival.as_ref(),
                    [
                        streams.stream(Purpose::Arrivals, t.class as u64),
                        streams.keyed(Purpose::Arrivals, [t.class as u64, 1, 0]),
                    ],
                )
                .map_err(|e| e.to_string())?,
            ),
            None => None,
        };
        let monitor_target = match &model.monitor {
            Some(m) if m.overload.is_some() => Some((
                build_placement(&m.target, Mode::PerNode)?,
                streams.stream(Purpose::Policy, 1),
            )),
            _ => None,
        };
        let mut node_group = vec![ANY_NODE; n];
        for (g, members) in model.groups.iter().enumerate().skip(1) {
            for &i in members {
                node_group[i] = g;
            }
        }
        Ok(Simulation {
            model,
            now: SimTime::ZERO,
            events: EventQueue::new(),
            state: ClusterState::new(n),
            central: ReadyQueue::default(),
            node_queues: vec![
                ReadyQueue::default();
                if model.mode == Mode::PerNode { n } else { 0 }
            ],
            central_dirty: false,
            dirty_nodes: Vec::new(),
            node_dirty: vec![false; n],
            workflows: Slab::default(),
            classes,
            queue_policy,
            placement,
            node_index,
            admission: build_admission(&policy.admission)?,
            policy_rng: streams.stream(Purpose::Policy, 0),
            streams,
            recorder: Recorder::new(model),
            observer,
            options: RunOptions::default(),
            records: Vec::new(),
            next_workflow_id: 0,
            next_seq: 0,
            in_flight: 0,
            waiting: 0,
            events_processed: 0,
            next_token: 1,
            down: vec![0; n],
            failure_rngs: (0..n).map(|i| streams.stream(Purpose::Failure, i as u64)).collect(),
            parked: Vec::new(),
            central_len: 0,
            node_group,
            monitor_target,
            next_sample: if model.sample_interval.is_some() { 0.0 } else { f64::INFINITY },
            sampler: Sampler::new(model),
            candidates: Vec::with_capacity(n),
            active_shapes: Vec::new(),
            settle_stack: Vec::new(),
            shapes: Shapes::new(model),
            jobs: Vec::new(),
            feed,
            pending_job: None,
            trace_error: None,
            reserving,
            running_on: vec![Vec::new(); if reserving == Reservations::None { 0 } else { n }],
            backfill: backfill::Scratch::default(),
        })
    }

    /// Sets run options.
    pub fn options(mut self, options: RunOptions) -> Self {
        self.options = options;
        self
    }

    /// Runs to the end and returns the results (and the observer).
    pub fn run(mut self) -> (RunResult, O) {
        let wall = Instant::now();
        let duration = self.model.duration;
        let trace = self.model.trace.as_ref();
        for k in (0..self.classes.len()).filter(|&k| !trace.is_some_and(|t| t.has_class(k))) {
            self.schedule_arrival(k, 0.0);
        }
        self.schedule_trace_arrival();
        if !self.model.drain {
            self.events.push(SimTime::from_secs(duration), Event::Stop);
        }
        self.schedule_outages();
        if let (Some(m), Some(_)) = (&self.model.monitor, &self.monitor_target) {
            self.events.push(SimTime::from_secs(m.interval), Event::Monitor);
        }
        let mut stop = if self.model.drain { StopReason::Drained } else { StopReason::Duration };
        while let Some((time, event)) = self.events.pop() {
            debug_assert!(time >= self.now, "time went backwards");
            // Draining: once arrivals are over and nothing is in flight, what is left (node
            // repairs, monitor ticks, stale events) changes no result.
            if self.model.drain && time.secs() >= duration && self.in_flight == 0 {
                break;
            }
            if time.secs() > self.next_sample {
                self.take_samples(time.secs(), false);
            }
            self.now = time;
            self.events_processed += 1;
            match event {
                Event::Arrival { class } => self.on_arrival(class as usize),
                Event::Finish { wf, task, token } => self.on_finish(wf, task, token),
                Event::Retry { wf, task, token } => self.on_retry(wf, task, token),
                Event::Deadline { wf, id } => self.on_deadline(wf, id),
                Event::NodeDown { node, random } => self.on_node_down(node as usize, random),
                Event::NodeUp { node, random } => self.on_node_up(node as usize, random),
                Event::Monitor => self.on_monitor(),
                Event::Stop => break,
            }
            self.dispatch();
            if self.in_flight > self.model.max_in_flight {
                stop = StopReason::Unstable;
                break;
            }
            if self.trace_error.is_some() {
                stop = StopReason::TraceUnreadable;
                break;
            }
        }
        let end = match stop {
            StopReason::Drained => self.now.secs().max(duration),
            StopReason::Duration => duration,
            StopReason::Unstable | StopReason::TraceUnreadable => self.now.secs(),
        };
        let timeseries = self.finish_samples(end);
        let in_flight: Vec<u64> = self.classes.iter().map(|c| c.in_flight_measured).collect();
        if self.options.trace_workflows {
            for (_, wf) in self.workflows.live().filter(|(_, w)| w.measured) {
                let name = self.model.classes[wf.class as usize].name.clone();
                self.records.push(record(name, wf.id, wf.arrival, "in-flight"));
            }
            self.records.sort_unstable_by_key(|r| r.id);
        }
        let mut summary = self.recorder.summarize(
            self.model,
            RunEnd {
                end,
                loads: &self.state.loads,
                imbalance: self.state.imbalance(),
                waiting: self.waiting,
                in_flight: &in_flight,
                stop_reason: stop,
                events: self.events_processed,
            },
        );
        summary.wall_seconds = wall.elapsed().as_secs_f64();
        let conserved = summary.completed + summary.rejected + summary.failed + summary.in_flight;
        assert_eq!(summary.arrived, conserved, "conservation of workflows violated");
        let trace_error = self.trace_error;
        (RunResult { summary, workflows: self.records, timeseries, trace_error }, self.observer)
    }

    fn schedule_arrival(&mut self, class: usize, after: f64) {
        if let Some(t) = self.classes[class].arrivals.next_after(after) {
            if t < self.model.duration {
                self.events.push(SimTime::from_secs(t), Event::Arrival { class: class as u32 });
            }
        }
    }

    fn on_arrival(&mut self, c: usize) {
        let now = self.now.secs();
        let (job, recorded_wait) = if self.model.trace.as_ref().is_some_and(|t| t.has_class(c)) {
            let Some(job) = self.pending_job.take() else { return };
            self.schedule_trace_arrival();
            (Some(self.job_template(c, &job)), job.recorded_wait)
        } else {
            self.schedule_arrival(c, now);
            (None, None)
        };
        self.admit(c, job, recorded_wait);
    }

    /// A workflow of class `c` (with its own template when it is a replayed job, and the wait
    /// the trace recorded for it) arrives: its work is drawn, then admission decides.
    fn admit(
        &mut self,
        c: usize,
        job: Option<std::rc::Rc<WorkflowClass>>,
        recorded_wait: Option<f64>,
    ) {
        let now = self.now.secs();
        let measured = now >= self.model.warmup;
        let id = self.next_workflow_id;
        self.next_workflow_id += 1;

        // Sample the whole workflow before admission, so every policy draws the same numbers.
        let slot = self.workflows.alloc();
        let unschedulable = job
            .as_ref()
            .is_some_and(|j| j.tasks.iter().any(|t| !t.join && !self.shapes.fits[t.shape]));
        if job.is_some() || (slot as usize) < self.jobs.len() {
            if self.jobs.len() <= slot as usize {
                self.jobs.resize_with(slot as usize + 1, || None);
            }
            self.jobs[slot as usize] = job.clone();
        }
        let model = self.model;
        let class = job.as_deref().unwrap_or(&model.classes[c]);
        let runtime = &mut self.classes[c];
        let wf = self.workflows.get_mut(slot);
        wf.id = id;
        wf.class = c as u32;
        wf.arrival = now;
        wf.measured = measured;
        wf.open = class.steps as u32;
        for t in &class.tasks[..class.steps] {
            let work = t.work.sample(&mut runtime.work);
            let included = t.probability >= 1.0 || runtime.branch.random::<f64>() < t.probability;
            let estimate = match &t.estimate {
                Some(e) => e.sample(&mut runtime.estimate),
                None => t.work.mean(),
            };
            wf.tasks.push(workflows::TaskRun {
                work,
                estimate,
                preds_left: t.after.len() as u32,
                included,
                ready_at: now,
                ..Default::default()
            });
        }
        self.recorder.arrived(c, measured);

        let view = AdmissionView {
            weighted_load: self.state.weighted_load(),
            waiting_tasks: self.waiting,
            in_flight: self.in_flight,
        };
        let decision = if unschedulable {
            Some(RejectReason::Unschedulable)
        } else {
            self.admission.reject(&view)
        };
        if let Some(job) = &job {
            self.observer.job(now, id, job);
        }
        self.observer.admission(now, id, &view, decision);
        if let Some(reason) = decision {
            self.recorder.rejected(c, reason, measured);
            self.observer.arrival(now, id, c, Some(reason));
            if self.options.trace_workflows && measured {
                self.records.push(record(class.name.clone(), id, now, "rejected"));
            }
            self.free_slot(slot);
            return;
        }
        if let Some(w) = recorded_wait {
            self.recorder.recorded_wait(c, w, measured);
        }
        self.observer.arrival(now, id, c, None);
        self.in_flight += 1;
        if measured {
            self.classes[c].in_flight_measured += 1;
        }
        if let (true, Some(d)) = (class.abort_on_deadline, class.deadline) {
            self.events.push(self.now.after(d), Event::Deadline { wf: slot, id });
        }
        let mut skipped = std::mem::take(&mut self.settle_stack);
        for (t, template) in class.tasks[..class.steps].iter().enumerate() {
            if template.after.is_empty() {
                if self.workflows.get(slot).tasks[t].included {
                    self.make_ready(slot, t as u32);
                } else {
                    skipped.push(t as u32);
                }
            }
        }
        self.settle(slot, skipped);
    }

    /// Marks tasks in `done` (finished or skipped) as done, readies successors whose
    /// predecessors are all done (skipping those not included, transitively), and completes
    /// the workflow when nothing is left.
    fn settle(&mut self, slot: u32, mut done: Vec<u32>) {
        let now = self.now.secs();
        let model = self.model;
        let job = job_of(&self.jobs, slot);
        let class =
            job.as_deref().unwrap_or(&model.classes[self.workflows.get(slot).class as usize]);
        while let Some(t) = done.pop() {
            let wf = self.workflows.get_mut(slot);
            wf.open -= 1;
            let run = &mut wf.tasks[t as usize];
            // End of the task on the workflow's critical path of run times (no waiting).
            let path_end = match run.state {
                TaskState::Done if !class.tasks[t as usize].join => {
                    run.path + (now - run.started_at)
                }
                _ => run.path,
            };
            wf.critical_path = wf.critical_path.max(path_end);
            if !run.included {
                run.state = TaskState::Skipped;
                let id = wf.id;
                self.observer.skipped(now, id, t as usize);
            }
            for &s in &class.tasks[t as usize].successors {
                let task = &mut self.workflows.get_mut(slot).tasks[s];
                task.preds_left -= 1;
                task.path = task.path.max(path_end);
                if task.preds_left == 0 {
                    if class.tasks[s].join {
                        task.state = TaskState::Done;
                        done.push(s as u32);
                    } else if task.included {
                        self.make_ready(slot, s as u32);
                    } else {
                        done.push(s as u32);
                    }
                }
            }
        }
        self.settle_stack = done;
        if self.workflows.get(slot).open == 0 {
            self.complete(slot);
        }
    }

    fn complete(&mut self, slot: u32) {
        let now = self.now.secs();
        let wf = self.workflows.get(slot);
        let c = wf.class as usize;
        let class = &self.model.classes[c];
        let latency = now - wf.arrival;
        let missed = class.deadline.is_some_and(|d| latency > d);
        let (id, measured, arrival) = (wf.id, wf.measured, wf.arrival);
        let slowdown = (latency / wf.critical_path.max(BOUNDED_SLOWDOWN_FLOOR)).max(1.0);
        self.recorder.completed(c, latency, missed, measured);
        self.recorder.slowdown(c, slowdown, measured);
        if measured {
            self.classes[c].in_flight_measured -= 1;
            if self.options.trace_workflows {
                let mut r = record(class.name.clone(), id, arrival, "completed");
                r.finish = now;
                r.latency = latency;
                r.deadline_missed = missed;
                self.records.push(r);
            }
        }
        self.observer.completed(now, id, c);
        self.in_flight -= 1;
        self.free_slot(slot);
    }

    /// Frees a workflow's slot and, for a replayed job, its template.
    fn free_slot(&mut self, slot: u32) {
        self.workflows.release(slot);
        if let Some(job) = self.jobs.get_mut(slot as usize) {
            *job = None;
        }
    }

    fn task_view(&self, slot: u32, t: u32) -> TaskView {
        let wf = self.workflows.get(slot);
        let class = class_of(self.model, &self.jobs, slot, wf.class);
        let template = &class.tasks[t as usize];
        let run = &wf.tasks[t as usize];
        TaskView {
            class: wf.class as usize,
            priority: class.priority,
            arrival: wf.arrival,
            ready_at: run.ready_at,
            deadline: class.deadline.map_or(f64::INFINITY, |d| wf.arrival + d),
            expected_work: run.estimate,
            work: run.work,
            cpu: template.cpu,
            memory: template.memory,
        }
    }

    /// Makes a task ready now and puts it in a queue, behind the tasks already waiting with
    /// the same rank.
    fn make_ready(&mut self, slot: u32, t: u32) {
        let now = self.now.secs();
        let run = &mut self.workflows.get_mut(slot).tasks[t as usize];
        run.ready_at = now;
        let id = self.workflows.get(slot).id;
        self.observer.ready(now, id, t as usize);
        let view = self.task_view(slot, t);
        let key = QueueKey { rank: self.queue_policy.rank(&view), seq: self.next_seq };
        self.next_seq += 1;
        self.recorder.queue_changing(now, self.waiting);
        self.waiting += 1;
        self.enqueue(slot, t, key, PlacementReason::Ready);
    }

    /// Puts a ready task in the central queue or, chosen by the placement policy among the
    /// nodes that are up and big enough, a node's queue (parked when there is none).
    fn enqueue(&mut self, slot: u32, t: u32, key: QueueKey, why: PlacementReason) {
        let wf = self.workflows.get(slot);
        let template = &class_of(self.model, &self.jobs, slot, wf.class).tasks[t as usize];
        let queued = QueuedTask { wf: slot, task: t, shape: template.shape };
        let shape = self.shapes.list[template.shape];
        let (id, now) = (wf.id, self.now.secs());
        let run = &mut self.workflows.get_mut(slot).tasks[t as usize];
        run.key = key;
        run.state = TaskState::Queued;
        match self.model.mode {
            Mode::Central => {
                self.central.insert(key, queued);
                self.central_dirty = true;
                self.central_len += 1;
                self.observer.queued(
                    now,
                    id,
                    t as usize,
                    QueueId::Central,
                    key.rank,
                    self.central_len,
                );
            }
            Mode::PerNode => {
                // Every node that is up and big enough to ever run the task is a candidate.
                let nodes = &self.model.nodes;
                let down = &self.down;
                self.candidates.clear();
                let indexed = self.node_index.as_ref().is_some_and(|index| {
                    index.eligible(shape.group, shape.cpu, shape.memory, &mut self.candidates)
                });
                if !indexed {
                    self.candidates.extend(self.model.groups[shape.group].iter().filter(|&&i| {
                        down[i] == 0 && nodes[i].cpu >= shape.cpu && nodes[i].memory >= shape.memory
                    }));
                }
                if self.candidates.is_empty() {
                    run.state = TaskState::Parked;
                    self.parked.push((key, queued));
                    let waiting = self.parked.len() as u64;
                    self.observer.queued(now, id, t as usize, QueueId::Parked, key.rank, waiting);
                    return;
                }
                let view = self.task_view(slot, t);
                let cluster = ClusterView { nodes, loads: &self.state.loads };
                let node = self
                    .placement
                    .select(&view, &cluster, &self.candidates, &mut self.policy_rng)
                    .unwrap_or(self.candidates[0]);
                self.observer.placed(now, id, t as usize, node, &self.candidates, &cluster, why);
                self.workflows.get_mut(slot).tasks[t as usize].node = node as u32;
                self.update_node(node, |l| l.add_queued(&shape));
                self.node_queues[node].insert(key, queued);
                self.mark_node(node);
                let waiting = self.state.loads[node].queued as u64;
                self.observer.queued(now, id, t as usize, QueueId::Node(node), key.rank, waiting);
            }
        }
    }

    /// Takes a queued or parked task out of its queue (the caller decides where it goes).
    /// The queue is walked again: without backfill the task may have been the head that
    /// blocked the others.
    fn dequeue(&mut self, slot: u32, t: u32) -> QueuedTask {
        let wf = self.workflows.get(slot);
        let run = wf.tasks[t as usize];
        let shape_id = class_of(self.model, &self.jobs, slot, wf.class).tasks[t as usize].shape;
        let queued = QueuedTask { wf: slot, task: t, shape: shape_id };
        match (run.state, self.model.mode) {
            (TaskState::Parked, _) => {
                self.parked.retain(|(_, q)| !(q.wf == slot && q.task == t));
            }
            (_, Mode::Central) => {
                self.central.remove(&run.key, shape_id);
                self.central_len -= 1;
                self.central_dirty = true;
            }
            (_, Mode::PerNode) => {
                let node = run.node as usize;
                self.node_queues[node].remove(&run.key, shape_id);
                let shape = self.shapes.list[shape_id];
                self.update_node(node, |l| l.remove_queued(&shape));
                self.mark_node(node);
            }
        }
        queued
    }

    /// Changes node `i`'s load, integrating the metrics up to now first.
    fn update_node(&mut self, i: NodeId, change: impl FnOnce(&mut NodeLoad)) {
        let now = self.now.secs();
        let state = &self.state;
        self.recorder.advance(now, i, &state.loads[i], || state.imbalance());
        self.state.update(&self.model.nodes, i, change);
        self.reindex(i);
    }

    /// Tells the placement index that node `i`'s load or state changed.
    fn reindex(&mut self, i: NodeId) {
        if let Some(index) = &mut self.node_index {
            index.update(i, &self.model.nodes[i], &self.state.loads[i], self.down[i] == 0);
        }
    }

    /// Whether node `i` is up.
    fn up(&self, i: NodeId) -> bool {
        self.down[i] == 0
    }

    fn mark_node(&mut self, node: NodeId) {
        if !self.node_dirty[node] {
            self.node_dirty[node] = true;
            self.dirty_nodes.push(node);
        }
    }

    /// The event describing task `t` of the workflow in `slot` on `node` now.
    fn task_event(&self, slot: u32, t: u32, node: NodeId) -> TaskEvent {
        let wf = self.workflows.get(slot);
        let class = class_of(self.model, &self.jobs, slot, wf.class);
        let template = &class.tasks[t as usize];
        TaskEvent {
            time: self.now.secs(),
            workflow: wf.id,
            class: wf.class as usize,
            task: t as usize,
            node,
            cpu: template.cpu,
            memory: template.memory,
            kind: if (t as usize) < class.steps { TaskKind::Step } else { TaskKind::Compensation },
            attempt: wf.tasks[t as usize].attempts,
        }
    }

    /// Frees what a running task holds and returns the CPU-seconds it held.
    fn release(&mut self, slot: u32, t: u32) -> f64 {
        let now = self.now.secs();
        let wf = self.workflows.get_mut(slot);
        let class = class_of(self.model, &self.jobs, slot, wf.class);
        let template = &class.tasks[t as usize];
        let (cpu, memory) = (template.cpu, template.memory);
        if (t as usize) < class.steps {
            wf.running -= 1;
        }
        let run = &mut wf.tasks[t as usize];
        run.token = 0;
        let node = run.node as usize;
        if let Some(running) = self.running_on.get_mut(node) {
            let at =
                running.iter().position(|&r| r == (slot, t)).expect("a running task is listed");
            running.swap_remove(at);
        }
        let held = cpu as f64 / 1000.0 * (now - run.started_at);
        self.update_node(node, |l| {
            l.cpu_allocated -= cpu;
            l.memory_allocated -= memory;
            l.running -= 1;
        });
        match self.model.mode {
            Mode::Central => self.central_dirty = true,
            Mode::PerNode => self.mark_node(node),
        }
        held
    }

    /// The end of an attempt: success readies what follows; failure goes to
    /// [`Simulation::attempt_failed`]. Stale events (the attempt was lost or cancelled) are
    /// ignored.
    fn on_finish(&mut self, slot: u32, t: u32, token: u64) {
        let wf = self.workflows.get(slot);
        match wf.tasks.get(t as usize) {
            Some(run) if wf.live && run.token == token && run.state == TaskState::Running => {}
            _ => return,
        }
        let node = wf.tasks[t as usize].node as usize;
        let event = O::ENABLED.then(|| self.task_event(slot, t, node));
        let held = self.release(slot, t);
        if self.workflows.get(slot).tasks[t as usize].fails {
            if let Some(event) = &event {
                self.observer.interrupted(event, Interruption::Failed);
            }
            self.attempt_failed(slot, t, held);
            return;
        }
        if let Some(event) = &event {
            self.observer.finished(event);
        }
        let wf = self.workflows.get_mut(slot);
        let (class, measured) = (wf.class as usize, wf.measured);
        if t as usize >= class_of(self.model, &self.jobs, slot, class as u32).steps {
            wf.tasks[t as usize].state = TaskState::Done;
            self.recorder.compensated(class, held, measured);
            self.next_compensation(slot);
            return;
        }
        let run = &mut wf.tasks[t as usize];
        run.state = TaskState::Done;
        run.done_order = wf.finished;
        wf.finished += 1;
        if wf.aborted {
            // Draining after an abort: this step is done and will be compensated too.
            if wf.running == 0 {
                self.begin_rollback(slot);
            }
            return;
        }
        let mut done = std::mem::take(&mut self.settle_stack);
        done.push(t);
        self.settle(slot, done);
    }

    /// Walks every queue touched since the last dispatch and starts what fits.
    fn dispatch(&mut self) {
        if self.central_dirty {
            self.central_dirty = false;
            self.walk(None);
        }
        loop {
            while let Some(node) = self.dirty_nodes.pop() {
                self.node_dirty[node] = false;
                self.walk(Some(node));
            }
            // Idle nodes steal; a steal makes the thief's queue dirty, so walk again.
            if !self.steal_work() {
                break;
            }
        }
    }

    /// Node `n`'s queue, or the central one.
    fn queue(&mut self, only: Option<NodeId>) -> &mut ReadyQueue {
        match only {
            Some(n) => &mut self.node_queues[n],
            None => &mut self.central,
        }
    }

    /// Starts queued tasks in rank order wherever they fit: from `only`'s queue on `only`, or
    /// from the central queue on a node chosen by the placement policy among those where the
    /// task fits. Without backfill, stops at the first task that cannot start; with
    /// backfill, a task that cannot start blocks only its shape and the shapes it blocks (see
    /// [`Shape::blocks`]).
    fn walk(&mut self, only: Option<NodeId>) {
        let model = self.model;
        if only.is_some_and(|n| !self.up(n)) {
            return;
        }
        if only.is_none() && self.reserving != Reservations::None {
            let mut queue = std::mem::take(&mut self.central);
            self.walk_reserving(&mut queue, self.reserving);
            self.central = queue;
            return;
        }
        let cpu_free = |sim: &Self| match only {
            Some(n) => model.nodes[n].cpu - sim.state.loads[n].cpu_allocated,
            None => model.total_cpu - sim.state.cpu_allocated,
        };
        if cpu_free(self) == 0 {
            return;
        }
        let mut active = std::mem::take(&mut self.active_shapes);
        let queue = self.queue(only);
        active.clear();
        let first = |s| queue.first(s).map(|(k, t)| (*k, *t)).expect("shapes listed wait");
        active.extend(queue.waiting_shapes().map(first));
        while !active.is_empty() {
            if cpu_free(self) == 0 {
                break;
            }
            // The waiting shape whose first task comes first in service order.
            let i = (0..active.len()).min_by_key(|&i| active[i].0).expect("shapes are waiting");
            let task = active[i].1;
            let shape_id = task.shape;
            let shape = self.shapes.list[shape_id];
            let node = match only {
                Some(n) => ClusterView { nodes: &model.nodes, loads: &self.state.loads }
                    .fits(n, shape.cpu, shape.memory)
                    .then_some(n),
                None => self.choose_node(&task, &shape),
            };
            match node {
                Some(n) => {
                    let queue = self.queue(only);
                    queue.pop_first(shape_id);
                    match queue.first(shape_id) {
                        Some((key, next)) => active[i] = (*key, *next),
                        None => {
                            active.swap_remove(i);
                        }
                    }
                    if only.is_none() {
                        self.central_len -= 1;
                    }
                    self.start(&task, &shape, n, only.is_some());
                }
                None if !model.backfill => break,
                None => {
                    let shapes = &self.shapes.list;
                    active.retain(|(_, t)| !shape.blocks(&shapes[t.shape]));
                }
            }
        }
        self.active_shapes = active;
    }

    /// Central mode: the node the placement policy picks among those where `task` fits now.
    fn choose_node(&mut self, task: &QueuedTask, shape: &Shape) -> Option<NodeId> {
        let nodes = &self.model.nodes;
        let view = ClusterView { nodes, loads: &self.state.loads };
        let down = &self.down;
        self.candidates.clear();
        let indexed = self.node_index.as_ref().is_some_and(|index| {
            index.fitting(shape.group, shape.cpu, shape.memory, &view, &mut self.candidates)
        });
        if !indexed {
            self.candidates.extend(
                self.model.groups[shape.group]
                    .iter()
                    .filter(|&&i| down[i] == 0 && view.fits(i, shape.cpu, shape.memory)),
            );
        }
        if self.candidates.is_empty() {
            return None;
        }
        self.pick(task)
    }

    /// The node the placement policy picks among `self.candidates` (nodes where `task` can
    /// start now) for `task`; `None` leaves it waiting.
    fn pick(&mut self, task: &QueuedTask) -> Option<NodeId> {
        let view = ClusterView { nodes: &self.model.nodes, loads: &self.state.loads };
        let tv = self.task_view(task.wf, task.task);
        let node = self.placement.select(&tv, &view, &self.candidates, &mut self.policy_rng)?;
        let (id, now) = (self.workflows.get(task.wf).id, self.now.secs());
        let why = PlacementReason::Start;
        self.observer.placed(now, id, task.task as usize, node, &self.candidates, &view, why);
        Some(node)
    }

    /// Starts a task on a node and schedules the end of the attempt: its finish, or, when the
    /// attempt fails (a draw keyed by workflow, task and attempt), the failure.
    fn start(&mut self, task: &QueuedTask, shape: &Shape, node: NodeId, from_node_queue: bool) {
        let now = self.now.secs();
        let model = self.model;
        let wf = self.workflows.get_mut(task.wf);
        let (class_id, measured, id) = (wf.class as usize, wf.measured, wf.id);
        let class = class_of(model, &self.jobs, task.wf, class_id as u32);
        let template = &class.tasks[task.task as usize];
        let is_step = (task.task as usize) < class.steps;
        let run = &mut wf.tasks[task.task as usize];
        run.attempts += 1;
        let speed = model.nodes[node].speed;
        let mut duration = run.work / speed;
        // Only a stated estimate is a limit; the mean of the work is no one's promise.
        if model.kill_on_estimate && template.estimate.is_some() && run.estimate / speed < duration
        {
            // Stopped at its estimate, as a batch scheduler kills a job at its time limit.
            duration = run.estimate / speed;
            self.recorder.killed(class_id, measured);
        }
        let mut elapsed = duration;
        run.fails = false;
        if template.fail_probability > 0.0 {
            let key = [id, task.task as u64, run.attempts as u64];
            let mut rng = self.streams.keyed(Purpose::TaskFailure, key);
            if rng.random::<f64>() < template.fail_probability {
                run.fails = true;
                if !template.fail_at_end {
                    elapsed = duration * rng.random::<f64>();
                }
            }
        }
        run.state = TaskState::Running;
        run.node = node as u32;
        if let Some(running) = self.running_on.get_mut(node) {
            running.push((task.wf, task.task));
        }
        run.started_at = now;
        run.token = self.next_token;
        self.next_token += 1;
        let (token, wait) = (run.token, now - run.ready_at);
        if is_step {
            wf.running += 1;
            self.recorder.attempt(class_id, measured);
        }
        self.recorder.started(node, wait, now, measured);
        if O::ENABLED {
            let event = self.task_event(task.wf, task.task, node);
            self.observer.started(&event);
        }
        self.update_node(node, |l| {
            l.cpu_allocated += shape.cpu;
            l.memory_allocated += shape.memory;
            l.running += 1;
            if from_node_queue {
                l.remove_queued(shape);
            }
        });
        self.recorder.queue_changing(now, self.waiting);
        self.waiting -= 1;
        self.events
            .push(self.now.after(elapsed), Event::Finish { wf: task.wf, task: task.task, token });
    }
}

/// Run time below which bounded slowdown counts a workflow as this long, so that very short
/// jobs do not dominate the mean (the usual 10 s of the HPC literature).
pub const BOUNDED_SLOWDOWN_FLOOR: f64 = 10.0;

fn record(class: String, id: u64, arrival: f64, status: &'static str) -> WorkflowRecord {
    WorkflowRecord {
        id,
        class,
        arrival,
        status,
        finish: f64::NAN,
        latency: f64::NAN,
        deadline_missed: false,
    }
}
