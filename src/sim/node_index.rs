//! Nodes kept in the placement rule's order, so that a decision on a large pool costs
//! O(log N) instead of a look at every node.
//!
//! Only rules that declare a [`NodeOrder`] are indexed, and only in pools of at least
//! [`INDEX_MIN`] nodes: a small pool is scanned, which is as fast and lets a trace list every
//! candidate the rule compared.
//!
//! Within one capacity (CPU, memory and weight) every order is a function of a node's free
//! resources alone, so the pool is split by capacity and each part keeps its nodes in order.
//! A decision takes the best node of each part that can take the task and the policy's own
//! `select` picks among those few — the node a scan of every candidate would find.
//!
//! Two structures, by what the rule prefers:
//! - *the emptiest node* (least-loaded, spread) and *the first node* (first-fit, over the
//!   whole pool): a tree over the part in node order where each branch holds the best key
//!   below it and the most free CPU and memory below it. The search descends into the better
//!   branch first and skips branches where nothing fits or nothing beats what it found, so it
//!   usually walks one path.
//! - *the fullest node that fits* (best-fit, bin-pack): a B-tree by (key, node id), read from
//!   the first key that could fit; the tree's bounds would not prune here, since the fullest
//!   node below a branch is the one least likely to fit.
//!
//! Costs: an update is O(log N); a decision is O(K log N) for K capacities in the pool when
//! CPU decides whether a task fits. When memory binds instead (many nodes with CPU to spare
//! but too little memory), both searches may pass over those nodes one by one, and a pool
//! of many distinct capacities (a node CSV of unique machines) makes K large; both are
//! still never worse than the scan they replace by more than a constant.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{ClusterView, Model, Node, NodeId, NodeLoad};
use crate::policy::placement::NodeOrder;
use crate::scenario::Mode;

/// Pools smaller than this are scanned.
pub const INDEX_MIN: usize = 64;

/// A node's place in the order among nodes of its capacity (smaller first).
type Key = (i128, i128);

/// The placement order's index over every large pool.
#[derive(Debug)]
pub struct NodeIndex {
    order: NodeOrder,
    /// Each node's key in the B-trees (only the B-tree rules use it); `None` when down.
    key: Vec<Option<Key>>,
    /// Per group: its parts, or `None` when the group is scanned.
    pools: Vec<Option<Vec<Part>>>,
    /// Where each node is: (group, part, leaf of the part's tree), in at most two groups
    /// (every node, and its pool), inline so that an update touches no other allocation.
    member_of: Vec<[Option<Member>; 2]>,
}

/// A node's place in one indexed group: (group, part, leaf of the part's tree).
type Member = (u32, u32, u32);

/// The nodes of one capacity in a pool (for first fit: the whole pool).
#[derive(Debug)]
struct Part {
    /// CPU and memory of every node in the part; `None` when they differ.
    capacity: Option<(u64, u64)>,
    nodes: Order,
}

#[derive(Debug)]
enum Order {
    /// Keys that fit 64 bits (first-fit's constant, least-loaded's CPU in use).
    Tree(BestTree<i64>),
    /// Spread's key, a product of CPU and memory.
    WideTree(BestTree<i128>),
    Sorted(BTreeSet<(i128, i128, NodeId)>),
}

impl NodeIndex {
    /// The index for a rule ranking nodes by `order`, or `None` when nothing would be
    /// indexed (no order, or every pool small).
    pub fn new(model: &Model, order: Option<NodeOrder>, mode: Mode) -> Option<Self> {
        let order = order?;
        if order == NodeOrder::Id && mode != Mode::Central {
            return None;
        }
        let n = model.nodes.len();
        let sorted = in_b_trees(order);
        let mut member_of = vec![[None; 2]; n];
        let pools: Vec<Option<Vec<Part>>> = model
            .groups
            .iter()
            .enumerate()
            .map(|(g, members)| {
                if members.len() < INDEX_MIN {
                    return None;
                }
                // The part of each member, and each part's members in node order.
                let mut kinds: BTreeMap<(u64, u64, u64), usize> = BTreeMap::new();
                let mut parts: Vec<Vec<NodeId>> = Vec::new();
                for &i in members {
                    let node = &model.nodes[i];
                    let kind = match order {
                        NodeOrder::Id => (0, 0, 0),
                        _ => (node.cpu, node.memory, node.weight.to_bits()),
                    };
                    let p = *kinds.entry(kind).or_insert_with(|| {
                        parts.push(Vec::new());
                        parts.len() - 1
                    });
                    let slot = member_of[i].iter_mut().find(|m| m.is_none());
                    *slot.expect("a node is in at most two groups") =
                        Some((g as u32, p as u32, parts[p].len() as u32));
                    parts[p].push(i);
                }
                let parts = parts
                    .into_iter()
                    .map(|nodes| Part {
                        capacity: (order != NodeOrder::Id)
                            .then(|| (model.nodes[nodes[0]].cpu, model.nodes[nodes[0]].memory)),
                        nodes: match order {
                            _ if sorted => Order::Sorted(BTreeSet::new()),
                            NodeOrder::MostFree => Order::WideTree(BestTree::new(nodes)),
                            _ => Order::Tree(BestTree::new(nodes)),
                        },
                    })
                    .collect();
                Some(parts)
            })
            .collect();
        if pools.iter().all(Option::is_none) {
            return None;
        }
        let mut index = NodeIndex { order, key: vec![None; n], pools, member_of };
        let idle = NodeLoad::default();
        for (i, node) in model.nodes.iter().enumerate() {
            index.update(i, node, &idle, true);
        }
        Some(index)
    }

    /// Node `i` (described by `node`) now has load `load` and is up or down.
    pub fn update(&mut self, i: NodeId, node: &Node, load: &NodeLoad, up: bool) {
        let new = up.then(|| key(self.order, node, load));
        // What the trees check a task against: the free resources (-1 when down).
        let (cpu, memory) = match up {
            true => (
                node.cpu as i64 - load.cpu_allocated as i64,
                node.memory as i64 - load.memory_allocated as i64,
            ),
            false => (-1, -1),
        };
        for &(g, p, leaf) in self.member_of[i].iter().flatten() {
            let Some(parts) = &mut self.pools[g as usize] else { continue };
            match &mut parts[p as usize].nodes {
                // A least-loaded key is CPU in use minus capacity: it fits 64 bits.
                Order::Tree(tree) => {
                    tree.set(leaf as usize, new.map_or(i64::MAX, |k| k.0 as i64), cpu, memory);
                }
                Order::WideTree(tree) => {
                    tree.set(leaf as usize, new.map_or(i128::MAX, |k| k.0), cpu, memory);
                }
                Order::Sorted(set) => {
                    let old = self.key[i];
                    if new != old {
                        if let Some((a, b)) = old {
                            set.remove(&(a, b, i));
                        }
                        if let Some((a, b)) = new {
                            set.insert((a, b, i));
                        }
                    }
                }
            }
        }
        if in_b_trees(self.order) {
            self.key[i] = new;
        }
    }

    /// The parts of `group` whose nodes are big enough for `cpu` and `memory`, or `None`
    /// when the group is not indexed.
    fn parts_for(
        &self,
        group: usize,
        cpu: u64,
        memory: u64,
    ) -> Option<impl Iterator<Item = &Part>> {
        let parts = self.pools[group].as_ref()?;
        Some(parts.iter().filter(move |p| p.capacity.is_none_or(|(c, m)| c >= cpu && m >= memory)))
    }

    /// Central mode: into `out` (in node order), nodes of `group` where a task of `cpu`
    /// millicores and `memory` bytes fits now, among which the rule's choice is; an empty
    /// `out` means it fits nowhere. Returns `false`, leaving `out` alone, when the group is
    /// not indexed.
    pub fn fitting(
        &self,
        group: usize,
        cpu: u64,
        memory: u64,
        view: &ClusterView<'_>,
        out: &mut Vec<NodeId>,
    ) -> bool {
        let Some(parts) = self.parts_for(group, cpu, memory) else { return false };
        for part in parts {
            match &part.nodes {
                Order::Tree(tree) => out.extend(tree.best_with_room(cpu as i64, memory as i64)),
                Order::WideTree(tree) => {
                    out.extend(tree.best_with_room(cpu as i64, memory as i64));
                }
                Order::Sorted(set) => {
                    let (c, m) = part.capacity.expect("sorted parts have one capacity");
                    let (tc, tm, c, m) = (cpu as i128, memory as i128, c as i128, m as i128);
                    // No node with a smaller key can fit.
                    let from = match self.order {
                        NodeOrder::LeastFree => (tc * m + tm * c, i128::MIN, 0),
                        _ => (tc, i128::MIN, 0),
                    };
                    let mut in_order = set.range(from..).map(|&(_, _, i)| i);
                    out.extend(in_order.find(|&i| view.fits(i, cpu, memory)));
                }
            }
        }
        out.sort_unstable();
        true
    }

    /// Per-node mode: into `out` (in node order), the best node of each capacity in `group`
    /// big enough to ever run the task, among which the rule's choice is. Returns `false`
    /// when the group is not indexed.
    pub fn eligible(&self, group: usize, cpu: u64, memory: u64, out: &mut Vec<NodeId>) -> bool {
        let Some(parts) = self.parts_for(group, cpu, memory) else { return false };
        for part in parts {
            match &part.nodes {
                Order::Tree(tree) => out.extend(tree.best()),
                Order::WideTree(tree) => out.extend(tree.best()),
                Order::Sorted(set) => out.extend(set.first().map(|&(_, _, i)| i)),
            }
        }
        out.sort_unstable();
        true
    }
}

/// Whether `order` keeps its parts in B-trees (the rules that prefer the fullest node that
/// fits) rather than trees.
fn in_b_trees(order: NodeOrder) -> bool {
    matches!(order, NodeOrder::TightestCpu | NodeOrder::LeastFree)
}

/// Node `node`'s key under `order` at `load`: smaller is preferred, among nodes of its
/// capacity exactly as the rule's `select` compares them.
fn key(order: NodeOrder, node: &Node, load: &NodeLoad) -> Key {
    let (c, m) = (node.cpu as i128, node.memory as i128);
    let cpu_free = c - (load.cpu_allocated + load.cpu_queued) as i128;
    let mem_free = m - (load.memory_allocated + load.memory_queued) as i128;
    match order {
        NodeOrder::Id => (0, 0),
        NodeOrder::LeastLoad => (-cpu_free, 0),
        NodeOrder::MostFree => (-(cpu_free * m + mem_free * c), 0),
        NodeOrder::TightestCpu => (cpu_free, mem_free),
        NodeOrder::LeastFree => (cpu_free * m + mem_free * c, 0),
    }
}

/// Nodes in node order under a tree whose every branch holds the smallest (key, leaf) below
/// it and the most free CPU and memory below it (-1 for nodes that are down).
#[derive(Debug)]
struct BestTree<K> {
    members: Vec<NodeId>,
    /// Leaves start at `size`, a power of two; leaf `members.len()` and later are empty.
    size: usize,
    branches: Vec<Branch<K>>,
}

/// A key type of [`BestTree`], with the key of an empty leaf.
trait TreeKey: Copy + Ord + std::fmt::Debug {
    const EMPTY: Self;
}

impl TreeKey for i64 {
    const EMPTY: Self = i64::MAX;
}

impl TreeKey for i128 {
    const EMPTY: Self = i128::MAX;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Branch<K> {
    /// The smallest (key, leaf) below.
    best: (K, u32),
    /// The most free CPU and memory below.
    cpu: i64,
    memory: i64,
}

impl<K: TreeKey> BestTree<K> {
    fn new(members: Vec<NodeId>) -> Self {
        let size = members.len().next_power_of_two();
        let branches = (0..2 * size)
            .map(|at| Branch {
                best: (K::EMPTY, if at >= size { (at - size) as u32 } else { u32::MAX }),
                cpu: -1,
                memory: -1,
            })
            .collect();
        BestTree { members, size, branches }
    }

    fn set(&mut self, leaf: usize, key: K, cpu: i64, memory: i64) {
        let mut at = self.size + leaf;
        self.branches[at] = Branch { best: (key, leaf as u32), cpu, memory };
        while at > 1 {
            at /= 2;
            let (l, r) = (self.branches[2 * at], self.branches[2 * at + 1]);
            let joined = Branch {
                best: l.best.min(r.best),
                cpu: l.cpu.max(r.cpu),
                memory: l.memory.max(r.memory),
            };
            // Nothing above changes either.
            if self.branches[at] == joined {
                break;
            }
            self.branches[at] = joined;
        }
    }

    /// The up node with the smallest key (ties: first in node order).
    fn best(&self) -> Option<NodeId> {
        let root = &self.branches[1];
        (root.cpu >= 0).then(|| self.members[root.best.1 as usize])
    }

    /// The node with the smallest key among those with at least `cpu` and `memory` free.
    fn best_with_room(&self, cpu: i64, memory: i64) -> Option<NodeId> {
        let fits = |b: &Branch<K>| b.cpu >= cpu && b.memory >= memory;
        // Usually the best node overall can take the task.
        let leader = self.branches[1].best.1 as usize;
        if leader < self.members.len() && fits(&self.branches[self.size + leader]) {
            return Some(self.members[leader]);
        }
        let mut found: Option<(K, u32)> = None;
        // Depth-first: at most one pending branch per level (at most 32 levels) and the one
        // being looked at.
        let mut stack = [0u32; 34];
        let mut pending = 1;
        stack[0] = 1;
        while pending > 0 {
            pending -= 1;
            let at = stack[pending] as usize;
            let branch = &self.branches[at];
            if !fits(branch) || found.is_some_and(|f| branch.best >= f) {
                continue;
            }
            if at >= self.size {
                found = Some(branch.best);
                continue;
            }
            // The better branch is searched first (pushed last).
            let (l, r) = (2 * at, 2 * at + 1);
            let (first, second) =
                if self.branches[l].best <= self.branches[r].best { (l, r) } else { (r, l) };
            stack[pending] = second as u32;
            stack[pending + 1] = first as u32;
            pending += 2;
        }
        found.map(|(_, leaf)| self.members[leaf as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Purpose, Streams};
    use crate::model::Model;
    use crate::policy::{build_placement, TaskView};
    use crate::scenario::{PolicySpec, Scenario};
    use proptest::prelude::*;
    use rand::Rng;

    /// A central cluster of `n` nodes in three capacities, all in one pool.
    fn model(n: usize) -> Model {
        let text = format!(
            r#"
            name = "index"
            duration = 10.0
            [cluster]
            mode = "central"
            [[cluster.nodes]]
            name = "small"
            count = {a}
            cpu = 2
            memory = "4GiB"
            [[cluster.nodes]]
            name = "big"
            count = {b}
            cpu = 8
            memory = "16GiB"
            [[cluster.nodes]]
            name = "odd"
            count = {c}
            cpu = 3
            memory = "5GiB"
            [[workflows]]
            name = "w"
            arrival = {{ kind = "poisson", rate = 1.0 }}
            [[workflows.tasks]]
            name = "t"
            cpu = 1
            work = {{ kind = "constant", value = 1.0 }}
            "#,
            a = n / 2,
            b = n / 4,
            c = n - n / 2 - n / 4
        );
        let scenario =
            Scenario::from_toml(&text, std::path::Path::new("index.toml"), &[]).expect("valid");
        Model::new(&scenario).expect("valid model")
    }

    fn task(cpu: u64, memory: u64) -> TaskView {
        TaskView {
            class: 0,
            priority: 0.0,
            arrival: 0.0,
            ready_at: 0.0,
            deadline: f64::INFINITY,
            expected_work: 1.0,
            work: 1.0,
            cpu,
            memory,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// On random loads, the index offers the rule the node it would pick from every
        /// candidate, for every indexed rule, in both modes.
        #[test]
        fn index_picks_what_a_scan_picks(seed in 0u64..1_000_000, busy in 0.0f64..1.0) {
            let model = model(100);
            let mut rng = Streams::new(seed).stream(Purpose::Policy, 0);
            let mut loads = vec![NodeLoad::default(); model.nodes.len()];
            let mut up = vec![true; model.nodes.len()];
            for (i, node) in model.nodes.iter().enumerate() {
                let l = &mut loads[i];
                // Coarse steps make ties between nodes common.
                l.cpu_allocated = (node.cpu as f64 * busy * rng.random_range(0..=4) as f64 / 4.0) as u64 / 500 * 500;
                l.memory_allocated = (node.memory as f64 * rng.random_range(0..=4) as f64 / 4.0) as u64;
                l.cpu_queued = rng.random_range(0..3) * 1000;
                up[i] = rng.random::<f64>() > 0.05;
            }
            for name in ["first-fit", "least-loaded", "weighted-least-loaded", "spread", "best-fit", "bin-pack"] {
                for mode in [Mode::Central, Mode::PerNode] {
                    let Ok(mut policy) = build_placement(&PolicySpec::named(name), mode) else { continue };
                    let Some(mut index) = NodeIndex::new(&model, policy.order(), mode) else { continue };
                    let loads: Vec<NodeLoad> = loads.iter().map(|l| if mode == Mode::Central { NodeLoad { cpu_queued: 0, ..*l } } else { *l }).collect();
                    for (i, node) in model.nodes.iter().enumerate() {
                        index.update(i, node, &loads[i], up[i]);
                    }
                    let view = ClusterView { nodes: &model.nodes, loads: &loads };
                    for (cpu, memory) in [(500, 1 << 28), (1000, 1 << 30), (2500, 3 << 30), (6000, 1 << 31)] {
                        let all: Vec<NodeId> = (0..model.nodes.len()).filter(|&i| up[i] && match mode {
                            Mode::Central => view.fits(i, cpu, memory),
                            Mode::PerNode => model.nodes[i].cpu >= cpu && model.nodes[i].memory >= memory,
                        }).collect();
                        let mut offered = Vec::new();
                        let indexed = match mode {
                            Mode::Central => index.fitting(0, cpu, memory, &view, &mut offered),
                            Mode::PerNode => index.eligible(0, cpu, memory, &mut offered),
                        };
                        prop_assert!(indexed);
                        let t = task(cpu, memory);
                        let scan = if all.is_empty() { None } else { policy.select(&t, &view, &all, &mut rng) };
                        let fast = if offered.is_empty() { None } else { policy.select(&t, &view, &offered, &mut rng) };
                        prop_assert_eq!(scan, fast, "{} in {:?} mode, task {}m {}B", name, mode, cpu, memory);
                    }
                }
            }
        }
    }

    #[test]
    fn small_pools_are_not_indexed() {
        let model = model(20);
        let policy = build_placement(&PolicySpec::named("least-loaded"), Mode::Central).unwrap();
        assert!(NodeIndex::new(&model, policy.order(), Mode::Central).is_none());
    }

    #[test]
    fn best_with_room_skips_full_and_down_nodes() {
        let mut tree = BestTree::<i64>::new((10..15).collect());
        for leaf in 0..5 {
            tree.set(leaf, 0, 1000, 1000);
        }
        tree.set(0, 0, 0, 1000);
        tree.set(1, i64::MAX, -1, -1);
        tree.set(2, 0, 1000, 10);
        assert_eq!(tree.best_with_room(500, 500), Some(13));
        assert_eq!(tree.best_with_room(500, 5), Some(12));
        assert_eq!(tree.best_with_room(2000, 5), None);
        tree.set(4, -5, 1000, 1000);
        assert_eq!(tree.best_with_room(500, 500), Some(14), "a smaller key wins over node order");
        assert_eq!(tree.best(), Some(14));
    }

    /// Two groups (a pool and the whole cluster), equal capacities with different weights.
    fn pooled_model() -> Model {
        let text = r#"
            name = "index-pools"
            duration = 10.0
            [cluster]
            mode = "central"
            [[cluster.nodes]]
            name = "small"
            count = 40
            cpu = 2
            memory = "4GiB"
            pool = "p"
            [[cluster.nodes]]
            name = "fast"
            count = 30
            cpu = 2
            memory = "4GiB"
            speed = 2.0
            pool = "p"
            [[cluster.nodes]]
            name = "heavy"
            count = 20
            cpu = 2
            memory = "4GiB"
            weight = 0.7
            [[cluster.nodes]]
            name = "big"
            count = 25
            cpu = 8
            memory = "16GiB"
            [[cluster.nodes]]
            name = "odd"
            count = 15
            cpu = 3
            memory = "5GiB"
            weight = 1.3
            pool = "p"
            [[workflows]]
            name = "w"
            arrival = { kind = "poisson", rate = 1.0 }
            [[workflows.tasks]]
            name = "t"
            cpu = 1
            work = { kind = "constant", value = 1.0 }
            "#;
        let scenario = Scenario::from_toml(text, std::path::Path::new("index-pools.toml"), &[])
            .expect("valid");
        Model::new(&scenario).expect("valid model")
    }

    /// Nodes in two groups, weights that differ among equal capacities, memory queued in
    /// per-node mode, and a long random walk of load changes and outages (which would expose
    /// stale keys): after every step the index offers the rule the node a scan would pick.
    #[test]
    fn index_follows_a_random_walk_of_loads_and_outages_in_two_groups() {
        let model = pooled_model();
        assert_eq!(model.groups.len(), 2);
        for seed in 0..8u64 {
            for name in [
                "first-fit",
                "least-loaded",
                "weighted-least-loaded",
                "spread",
                "best-fit",
                "bin-pack",
            ] {
                for mode in [Mode::Central, Mode::PerNode] {
                    let Ok(mut policy) = build_placement(&PolicySpec::named(name), mode) else {
                        continue;
                    };
                    let Some(mut index) = NodeIndex::new(&model, policy.order(), mode) else {
                        continue;
                    };
                    let mut rng = Streams::new(seed).stream(Purpose::Policy, 0);
                    let n = model.nodes.len();
                    let mut loads = vec![NodeLoad::default(); n];
                    let mut up = vec![true; n];
                    for step in 0..400 {
                        let i = rng.random_range(0..n);
                        let node = &model.nodes[i];
                        let l = &mut loads[i];
                        match rng.random_range(0..4) {
                            0 => up[i] = !up[i],
                            _ => {
                                l.cpu_allocated = rng.random_range(0..=node.cpu / 250) * 250;
                                l.memory_allocated = rng.random_range(0..=4) * (node.memory / 4);
                                if mode == Mode::PerNode {
                                    l.cpu_queued = rng.random_range(0..3) * 500;
                                    l.memory_queued = rng.random_range(0..3) * (1 << 29);
                                }
                            }
                        }
                        index.update(i, node, &loads[i], up[i]);
                        let view = ClusterView { nodes: &model.nodes, loads: &loads };
                        for g in 0..2 {
                            for (cpu, memory) in [
                                (250, 1 << 27),
                                (500, 1 << 28),
                                (1000, 1 << 30),
                                (2500, 3 << 30),
                                (6000, 1 << 31),
                            ] {
                                let all: Vec<NodeId> = model.groups[g]
                                    .iter()
                                    .copied()
                                    .filter(|&i| {
                                        up[i]
                                            && match mode {
                                                Mode::Central => view.fits(i, cpu, memory),
                                                Mode::PerNode => {
                                                    model.nodes[i].cpu >= cpu
                                                        && model.nodes[i].memory >= memory
                                                }
                                            }
                                    })
                                    .collect();
                                let mut offered = Vec::new();
                                let indexed = match mode {
                                    Mode::Central => {
                                        index.fitting(g, cpu, memory, &view, &mut offered)
                                    }
                                    Mode::PerNode => index.eligible(g, cpu, memory, &mut offered),
                                };
                                assert!(indexed);
                                let t = task(cpu, memory);
                                let scan = if all.is_empty() {
                                    None
                                } else {
                                    policy.select(&t, &view, &all, &mut rng)
                                };
                                let fast = if offered.is_empty() {
                                    None
                                } else {
                                    policy.select(&t, &view, &offered, &mut rng)
                                };
                                assert_eq!(scan, fast, "{name} {mode:?} seed {seed} step {step} group {g} task {cpu}m {memory}B offered {offered:?}");
                            }
                        }
                    }
                }
            }
        }
    }
}
