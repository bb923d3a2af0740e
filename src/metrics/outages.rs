//! Node outage intervals, kept for charts (shading on the load-over-time and Gantt charts).

use crate::model::NodeId;

/// One interval during which a node was down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outage {
    /// Node index (as in [`crate::Model::nodes`]).
    pub node: NodeId,
    /// When it went down (s).
    pub start: f64,
    /// When it came back up (s), or the end of the run if it was still down then.
    pub end: f64,
}

/// Most outage intervals a run keeps for charts; beyond it they are only counted (a failure
/// rate that high shades the whole chart anyway, and memory must not grow with the run).
pub const MAX_OUTAGES: usize = 100_000;

/// Collects outage intervals from node down/up events.
#[derive(Clone, Debug)]
pub struct OutageLog {
    down_since: Vec<Option<f64>>,
    outages: Vec<Outage>,
    dropped: u64,
}

impl OutageLog {
    /// A log for `nodes` nodes, all up.
    pub fn new(nodes: usize) -> Self {
        OutageLog { down_since: vec![None; nodes], outages: Vec::new(), dropped: 0 }
    }

    /// Node `node` went down at `now` (it was up).
    pub fn down(&mut self, now: f64, node: NodeId) {
        self.down_since[node] = Some(now);
    }

    /// Node `node` came back up at `now`.
    pub fn up(&mut self, now: f64, node: NodeId) {
        if let Some(start) = self.down_since[node].take() {
            self.keep(Outage { node, start, end: now });
        }
    }

    fn keep(&mut self, outage: Outage) {
        if self.outages.len() < MAX_OUTAGES {
            self.outages.push(outage);
        } else {
            self.dropped += 1;
        }
    }

    /// The intervals of a run that ended at `end` (nodes still down end there), in the order
    /// they began (ties: node order), and how many were not kept.
    pub fn finish(mut self, end: f64) -> (Vec<Outage>, u64) {
        for node in 0..self.down_since.len() {
            if let Some(start) = self.down_since[node].take() {
                self.keep(Outage { node, start, end });
            }
        }
        self.outages.sort_by(|a, b| a.start.total_cmp(&b.start).then(a.node.cmp(&b.node)));
        (self.outages, self.dropped)
    }
}
