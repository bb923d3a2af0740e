//! The future event list.

use std::cmp::Ordering;

use dary_heap::QuaternaryHeap;

use super::SimTime;

/// A priority queue of events ordered by `(time, sequence number)`.
///
/// Equal times pop in the order they were scheduled (the sequence number breaks the tie), which
/// makes every run a pure function of its inputs. Push and pop are O(log n); the heap is
/// 4-ary (`dary_heap`), which halves its depth: with one pending finish per busy core, a
/// large cluster's heap holds thousands of events and every level is a likely cache miss.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: QuaternaryHeap<Entry<E>>,
    next_seq: u64,
}

/// An event with its `(time, seq)` packed into one integer that orders the same way, so that
/// the heap compares one `u128` instead of a float and then a sequence number.
#[derive(Debug)]
struct Entry<E> {
    key: u128,
    event: E,
}

/// The bits of a time, mapped so that unsigned order is `f64::total_cmp` order (the sign bit
/// flipped for positive values, every bit for negative ones).
fn ordered_bits(time: SimTime) -> u64 {
    let bits = time.secs().to_bits();
    if bits >> 63 == 0 {
        bits | (1 << 63)
    } else {
        !bits
    }
}

fn time_of(key: u128) -> SimTime {
    let bits = (key >> 64) as u64;
    let bits = if bits >> 63 == 1 { bits & !(1 << 63) } else { !bits };
    SimTime::from_secs(f64::from_bits(bits))
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl<E> Eq for Entry<E> {}

impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for Entry<E> {
    /// Reversed, so that the max-heap pops the earliest `(time, seq)` first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue.
    pub fn new() -> Self {
        EventQueue { heap: QuaternaryHeap::new(), next_seq: 0 }
    }

    /// Schedules `event` at `time`, after every event already scheduled at the same time.
    pub fn push(&mut self, time: SimTime, event: E) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Entry { key: (ordered_bits(time) as u128) << 64 | seq as u128, event });
    }

    /// Removes and returns the earliest event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.heap.pop().map(|e| (time_of(e.key), e.event))
    }

    /// The time of the earliest event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.heap.peek().map(|e| time_of(e.key))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_and_fifo_on_ties() {
        let mut q = EventQueue::new();
        q.push(SimTime::from_secs(2.0), "late");
        q.push(SimTime::from_secs(1.0), "first");
        q.push(SimTime::from_secs(1.0), "second");
        q.push(SimTime::from_secs(0.5), "earliest");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        assert_eq!(order, ["earliest", "first", "second", "late"]);
    }

    #[test]
    fn packed_keys_order_and_round_trip_like_the_times() {
        let times = [0.0, 1e-300, 0.5, 1.0, 1.0 + f64::EPSILON, 3600.0, 1e300, f64::INFINITY];
        for w in times.windows(2) {
            let (a, b) = (SimTime::from_secs(w[0]), SimTime::from_secs(w[1]));
            assert!(ordered_bits(a) < ordered_bits(b), "{a:?} < {b:?}");
        }
        for t in times.into_iter().chain([-2.5]) {
            let key = (ordered_bits(SimTime::from_secs(t)) as u128) << 64 | 7;
            assert_eq!(time_of(key).secs().to_bits(), t.to_bits());
        }
        assert!(ordered_bits(SimTime::from_secs(-2.5)) < ordered_bits(SimTime::ZERO));
    }
}
