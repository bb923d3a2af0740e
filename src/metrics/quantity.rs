//! A recorded quantity in seconds: exact count, mean and max, quantiles from a histogram.

use hdrhistogram::Histogram;

/// Histogram resolution: values are stored in microseconds.
const TICKS_PER_SECOND: f64 = 1e6;

/// Count, sum and max kept exactly; quantiles within 0.1 % (three significant digits).
#[derive(Clone, Debug)]
pub struct Quantity {
    hist: Histogram<u64>,
    count: u64,
    sum: f64,
    max: f64,
}

impl Default for Quantity {
    fn default() -> Self {
        Quantity {
            hist: Histogram::new(3).expect("3 significant digits is a valid precision"),
            count: 0,
            sum: 0.0,
            max: 0.0,
        }
    }
}

impl Quantity {
    /// Records one value (seconds, ≥ 0).
    pub fn record(&mut self, seconds: f64) {
        let ticks = (seconds * TICKS_PER_SECOND).round().max(0.0) as u64;
        // The histogram resizes itself to any u64, so recording cannot fail.
        let _ = self.hist.record(ticks);
        self.count += 1;
        self.sum += seconds;
        self.max = self.max.max(seconds);
    }

    /// Adds every value recorded in `other`.
    pub fn merge(&mut self, other: &Quantity) {
        // Both histograms auto-resize, so adding cannot fail.
        let _ = self.hist.add(&other.hist);
        self.count += other.count;
        self.sum += other.sum;
        self.max = self.max.max(other.max);
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Mean (NaN when empty).
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        }
    }

    /// Largest value (NaN when empty).
    pub fn max(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.max
        }
    }

    /// The q-quantile, 0 ≤ q ≤ 1 (NaN when empty).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        let v = self.hist.median_equivalent(self.hist.value_at_quantile(q));
        (v as f64 / TICKS_PER_SECOND).min(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_a_thousandth() {
        let mut q = Quantity::default();
        for i in 1..=10_000 {
            q.record(i as f64 / 1000.0);
        }
        assert_eq!(q.count(), 10_000);
        assert!((q.mean() - 5.0005).abs() < 1e-9);
        assert!((q.quantile(0.5) - 5.0).abs() / 5.0 < 1e-3);
        assert!((q.quantile(0.99) - 9.9).abs() / 9.9 < 1e-3);
        assert_eq!(q.max(), 10.0);
        assert!(Quantity::default().mean().is_nan());
    }
}
