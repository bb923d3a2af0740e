//! Sampling every node's load each `sample_interval` seconds (see [`TimeSeries`]).
//!
//! No event is scheduled for a sample: the loop compares the time of each event it pops with
//! the next sample time (infinite when sampling is off, so a run without it pays one
//! comparison per event) and, when the event lies beyond it, records every sample due before
//! the event from the current state. The state between two events is constant, so that is
//! the state at each of those instants, after every event at exactly that time.

use super::{Move, Observer, Simulation};
use crate::metrics::{OutageLog, TimeSeries};
use crate::model::Model;
use crate::scenario::MAX_SAMPLE_VALUES;

/// What a sampling run keeps besides the samples themselves.
#[derive(Debug)]
pub(super) struct Sampler {
    series: TimeSeries,
    /// Index of the next sample.
    next: u64,
    /// Samples that fit in [`MAX_SAMPLE_VALUES`].
    max_samples: usize,
    /// Moves since the last sample.
    migrations: u64,
    steals: u64,
    /// Outage intervals.
    outages: OutageLog,
}

impl Sampler {
    /// A sampler when the model asks for one.
    pub(super) fn new(model: &Model) -> Option<Box<Sampler>> {
        let interval = model.sample_interval?;
        let names = model.nodes.iter().map(|n| n.name.clone()).collect();
        Some(Box::new(Sampler {
            series: TimeSeries::new(interval, names),
            next: 0,
            max_samples: (MAX_SAMPLE_VALUES / (model.nodes.len() as f64 + 1.0)) as usize,
            migrations: 0,
            steals: 0,
            outages: OutageLog::new(model.nodes.len()),
        }))
    }

    /// When the next sample is due (infinite once sampling stopped).
    pub(super) fn next_time(&self) -> f64 {
        if self.series.truncated {
            f64::INFINITY
        } else {
            self.next as f64 * self.series.interval
        }
    }

    /// A queued task moved between nodes.
    pub(super) fn moved(&mut self, why: Move) {
        match why {
            Move::Migration => self.migrations += 1,
            Move::Steal => self.steals += 1,
            Move::Redistribution => {}
        }
    }

    /// Node `node` went down at `now` (it was up).
    pub(super) fn node_down(&mut self, now: f64, node: usize) {
        self.outages.down(now, node);
    }

    /// Node `node` came back up at `now`.
    pub(super) fn node_up(&mut self, now: f64, node: usize) {
        self.outages.up(now, node);
    }
}

impl<O: Observer> Simulation<'_, O> {
    /// Records every sample due before `t` (at or before it with `inclusive`) from the current
    /// state, and moves the next sample time on.
    pub(super) fn take_samples(&mut self, t: f64, inclusive: bool) {
        let Some(s) = self.sampler.as_mut() else { return };
        let nodes = &self.model.nodes;
        loop {
            let tk = s.next_time();
            if tk > t || (tk == t && !inclusive) {
                break;
            }
            if s.series.len() >= s.max_samples {
                s.series.truncated = true;
                break;
            }
            let mut weighted = 0.0;
            for (node, l) in nodes.iter().zip(&self.state.loads) {
                let load = (l.cpu_allocated + l.cpu_queued) as f64 / node.cpu as f64;
                weighted += node.weight * load;
                s.series.loads.push(load);
            }
            s.series.times.push(tk);
            s.series.weighted.push(weighted / nodes.len() as f64);
            s.series.migrations.push(std::mem::take(&mut s.migrations));
            s.series.steals.push(std::mem::take(&mut s.steals));
            s.next += 1;
        }
        self.next_sample = s.next_time();
    }

    /// The samples up to the end of the run at `end`, outages still in progress ending there.
    pub(super) fn finish_samples(&mut self, end: f64) -> Option<TimeSeries> {
        self.take_samples(end, true);
        let s = self.sampler.take()?;
        let mut series = s.series;
        (series.outages, series.outages_dropped) = s.outages.finish(end);
        Some(series)
    }
}
