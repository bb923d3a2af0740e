//! Nodes and the read-only view of the cluster that policies get.

/// Index of a node in [`crate::model::Model::nodes`].
pub type NodeId = usize;

/// A node's fixed description.
#[derive(Clone, Debug)]
pub struct Node {
    /// Unique name (`worker-3`).
    pub name: String,
    /// Name of the node kind it was declared as (`worker`).
    pub kind: String,
    /// CPU capacity in millicores.
    pub cpu: u64,
    /// Memory capacity in bytes.
    pub memory: u64,
    /// Work per second per core.
    pub speed: f64,
    /// Weight in the average weighted load.
    pub weight: f64,
    /// Pool label.
    pub pool: Option<String>,
}

/// What is allocated on and queued at a node right now.
#[derive(Clone, Copy, Debug, Default)]
pub struct NodeLoad {
    /// Millicores held by running tasks.
    pub cpu_allocated: u64,
    /// Bytes held by running tasks.
    pub memory_allocated: u64,
    /// Millicores requested by tasks waiting in this node's queue (per-node mode).
    pub cpu_queued: u64,
    /// Bytes requested by tasks waiting in this node's queue (per-node mode).
    pub memory_queued: u64,
    /// Tasks running.
    pub running: u32,
    /// Tasks waiting in this node's queue.
    pub queued: u32,
}

impl NodeLoad {
    /// A task of `shape` joins the node's queue.
    pub fn add_queued(&mut self, shape: &super::Shape) {
        self.cpu_queued += shape.cpu;
        self.memory_queued += shape.memory;
        self.queued += 1;
    }

    /// A task of `shape` leaves the node's queue (starts, moves or is cancelled).
    pub fn remove_queued(&mut self, shape: &super::Shape) {
        self.cpu_queued -= shape.cpu;
        self.memory_queued -= shape.memory;
        self.queued -= 1;
    }
}

/// Read-only view of the cluster's nodes and their loads, given to policies.
#[derive(Clone, Copy)]
pub struct ClusterView<'a> {
    /// Fixed node descriptions.
    pub nodes: &'a [Node],
    /// Current loads, indexed like `nodes`.
    pub loads: &'a [NodeLoad],
}

impl ClusterView<'_> {
    /// Load Lᵢ = (CPU allocated + CPU requested by tasks queued at the node) / CPU capacity.
    pub fn load(&self, i: usize) -> f64 {
        let l = &self.loads[i];
        (l.cpu_allocated + l.cpu_queued) as f64 / self.nodes[i].cpu as f64
    }

    /// Utilization Uᵢ = CPU allocated / CPU capacity.
    pub fn utilization(&self, i: usize) -> f64 {
        self.loads[i].cpu_allocated as f64 / self.nodes[i].cpu as f64
    }

    /// Millicores neither allocated nor promised to the node's queue (negative when the queue
    /// asks for more than is free). In central mode nothing queues at nodes, so this is the
    /// free CPU.
    pub fn unreserved_cpu(&self, i: usize) -> i64 {
        let l = &self.loads[i];
        self.nodes[i].cpu as i64 - (l.cpu_allocated + l.cpu_queued) as i64
    }

    /// Bytes neither allocated nor promised to the node's queue.
    pub fn unreserved_memory(&self, i: usize) -> i64 {
        let l = &self.loads[i];
        self.nodes[i].memory as i64 - (l.memory_allocated + l.memory_queued) as i64
    }

    /// Whether a request of `cpu` millicores and `memory` bytes fits in the free resources
    /// now.
    pub fn fits(&self, i: usize, cpu: u64, memory: u64) -> bool {
        let (n, l) = (&self.nodes[i], &self.loads[i]);
        l.cpu_allocated + cpu <= n.cpu && l.memory_allocated + memory <= n.memory
    }
}
