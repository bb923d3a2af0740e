//! Statistics across replications: Student-t intervals, aggregates, paired differences.

use statrs::distribution::{ContinuousCDF, StudentsT};

use super::RunRow;
use crate::Summary;

/// A mean with its 95 % confidence half-width (Student t).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Estimate {
    /// Sample mean.
    pub mean: f64,
    /// Half-width of the confidence interval.
    pub half_width: f64,
    /// Sample standard deviation.
    pub std: f64,
    /// Number of values.
    pub n: usize,
}

impl Estimate {
    /// The estimate of the mean of `values` at confidence level `level` (e.g. 0.95). NaN
    /// values are ignored; with fewer than two values the half-width is NaN.
    pub fn new(values: &[f64], level: f64) -> Estimate {
        let xs: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        let n = xs.len();
        if n == 0 {
            return Estimate { mean: f64::NAN, half_width: f64::NAN, std: f64::NAN, n };
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        if n < 2 {
            return Estimate { mean, half_width: f64::NAN, std: f64::NAN, n };
        }
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let std = var.sqrt();
        let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
            .map(|d| d.inverse_cdf(0.5 + level / 2.0))
            .unwrap_or(f64::NAN);
        Estimate { mean, half_width: t * std / (n as f64).sqrt(), std, n }
    }

    /// Whether `value` lies inside the interval.
    pub fn contains(&self, value: f64) -> bool {
        (value - self.mean).abs() <= self.half_width
    }
}

/// One metric of one (point, policy) across its replications.
#[derive(Clone, Debug)]
pub struct Aggregate {
    /// Point index.
    pub point: usize,
    /// Policy index.
    pub policy: usize,
    /// Metric name.
    pub metric: &'static str,
    /// The estimate (95 %).
    pub estimate: Estimate,
}

/// The difference (policy − baseline) of one metric, paired by replication.
#[derive(Clone, Debug)]
pub struct Paired {
    /// Point index.
    pub point: usize,
    /// Policy index (never the baseline, 0).
    pub policy: usize,
    /// Metric name.
    pub metric: &'static str,
    /// Estimate of the mean difference (95 %).
    pub estimate: Estimate,
}

impl Paired {
    /// Whether the 95 % interval of the difference excludes 0. Differences below 1e-9 are
    /// rounding noise (sums taken in another order), never significant.
    pub fn significant(&self) -> bool {
        let e = &self.estimate;
        e.half_width.is_finite() && e.mean.abs() > e.half_width && e.mean.abs() > 1e-9
    }
}

/// Mean, interval and std of every metric per (point, policy), in (point, policy, metric)
/// order. `rows` must be sorted by (point, policy, replication).
pub fn aggregate(rows: &[RunRow]) -> Vec<Aggregate> {
    let mut out = Vec::new();
    for group in rows.chunk_by(|a, b| (a.point, a.policy) == (b.point, b.policy)) {
        for (m, metric) in Summary::METRICS.iter().enumerate() {
            let values: Vec<f64> = group.iter().map(|r| r.values[m]).collect();
            out.push(Aggregate {
                point: group[0].point,
                policy: group[0].policy,
                metric,
                estimate: Estimate::new(&values, 0.95),
            });
        }
    }
    out
}

/// Paired differences of every policy against policy 0 at the same point, over the
/// replications both have (common random numbers make these far tighter than the
/// difference of two independent means). `rows` sorted as for [`aggregate`].
pub fn paired(rows: &[RunRow]) -> Vec<Paired> {
    let mut out = Vec::new();
    for point_rows in rows.chunk_by(|a, b| a.point == b.point) {
        let base: Vec<&RunRow> = point_rows.iter().filter(|r| r.policy == 0).collect();
        for group in point_rows.chunk_by(|a, b| a.policy == b.policy) {
            if group[0].policy == 0 {
                continue;
            }
            for (m, metric) in Summary::METRICS.iter().enumerate() {
                let diffs: Vec<f64> = group
                    .iter()
                    .filter_map(|r| {
                        let b = base.iter().find(|b| b.replication == r.replication)?;
                        Some(r.values[m] - b.values[m])
                    })
                    .collect();
                out.push(Paired {
                    point: group[0].point,
                    policy: group[0].policy,
                    metric,
                    estimate: Estimate::new(&diffs, 0.95),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_t_half_width() {
        // n = 5, sd = 1.5811: t(0.975, 4) = 2.7764 → hw = 2.7764 · 1.5811 / √5 = 1.9632.
        let e = Estimate::new(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.95);
        assert!((e.mean - 3.0).abs() < 1e-12);
        assert!((e.half_width - 1.9632).abs() < 1e-3, "{}", e.half_width);
    }
}
