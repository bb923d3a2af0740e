//! Node loads during a run, with the running sums that admission and metrics read.

use crate::model::{Node, NodeLoad};

/// Current load of every node, plus Σ wᵢLᵢ, Σ Lᵢ and Σ Lᵢ² kept up to date incrementally so
/// that the weighted load and the imbalance cost O(1) to read.
#[derive(Clone, Debug)]
pub struct ClusterState {
    /// Loads, indexed by node id.
    pub loads: Vec<NodeLoad>,
    sum_weighted: f64,
    sum: f64,
    sum_squares: f64,
    /// Updates since the sums were last recomputed from scratch.
    updates: u32,
    /// Millicores allocated over the whole cluster.
    pub cpu_allocated: u64,
}

/// Incremental sums drift by rounding; recompute them exactly this often.
const RESUM_EVERY: u32 = 1 << 14;

impl ClusterState {
    /// All nodes idle.
    pub fn new(n: usize) -> Self {
        ClusterState {
            loads: vec![NodeLoad::default(); n],
            sum_weighted: 0.0,
            sum: 0.0,
            sum_squares: 0.0,
            updates: 0,
            cpu_allocated: 0,
        }
    }

    fn load_of(node: &Node, l: &NodeLoad) -> f64 {
        (l.cpu_allocated + l.cpu_queued) as f64 / node.cpu as f64
    }

    /// Changes node `i` with `change` and updates the sums.
    pub fn update(&mut self, nodes: &[Node], i: usize, change: impl FnOnce(&mut NodeLoad)) {
        let node = &nodes[i];
        let before = self.loads[i];
        change(&mut self.loads[i]);
        let after = self.loads[i];
        self.cpu_allocated = self.cpu_allocated + after.cpu_allocated - before.cpu_allocated;
        let (l0, l1) = (Self::load_of(node, &before), Self::load_of(node, &after));
        self.updates += 1;
        if self.updates >= RESUM_EVERY {
            self.resum(nodes);
        } else {
            self.sum_weighted += node.weight * (l1 - l0);
            self.sum += l1 - l0;
            self.sum_squares += l1 * l1 - l0 * l0;
        }
    }

    fn resum(&mut self, nodes: &[Node]) {
        self.updates = 0;
        self.sum_weighted = 0.0;
        self.sum = 0.0;
        self.sum_squares = 0.0;
        for (node, l) in nodes.iter().zip(&self.loads) {
            let x = Self::load_of(node, l);
            self.sum_weighted += node.weight * x;
            self.sum += x;
            self.sum_squares += x * x;
        }
    }

    /// Average weighted load Σ wᵢ·Lᵢ / N now.
    pub fn weighted_load(&self) -> f64 {
        self.sum_weighted / self.loads.len() as f64
    }

    /// Coefficient of variation of Lᵢ across nodes now (0 when the cluster is idle).
    pub fn imbalance(&self) -> f64 {
        let n = self.loads.len() as f64;
        let mean = self.sum / n;
        if mean <= 1e-12 {
            return 0.0;
        }
        let var = (self.sum_squares / n - mean * mean).max(0.0);
        var.sqrt() / mean
    }
}
