//! Service-level objectives: `latency_p99<=2.0`, `rejection_rate<=0.001`, `throughput>=25`.

use std::str::FromStr;

use crate::experiment::Estimate;
use crate::Summary;

/// `<=` or `>=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// The metric must be at most the limit.
    AtMost,
    /// The metric must be at least the limit.
    AtLeast,
}

/// One objective on a metric of [`Summary::METRICS`].
#[derive(Clone, Debug, PartialEq)]
pub struct Slo {
    /// Metric name.
    pub metric: String,
    /// Its position in [`Summary::METRICS`].
    pub index: usize,
    /// Direction.
    pub comparison: Comparison,
    /// The limit.
    pub limit: f64,
}

/// A malformed SLO.
#[derive(Debug, thiserror::Error)]
#[error("--slo {text}: {message}")]
pub struct SloError {
    /// The argument as typed.
    pub text: String,
    /// What is wrong and what would be right.
    pub message: String,
}

impl FromStr for Slo {
    type Err = SloError;

    /// `METRIC<=LIMIT` or `METRIC>=LIMIT`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |message: String| SloError { text: text.to_string(), message };
        let (metric, comparison, limit) = if let Some((m, l)) = text.split_once("<=") {
            (m, Comparison::AtMost, l)
        } else if let Some((m, l)) = text.split_once(">=") {
            (m, Comparison::AtLeast, l)
        } else {
            return Err(err(
                "expected METRIC<=LIMIT or METRIC>=LIMIT, e.g. latency_p99<=2.0".into()
            ));
        };
        let metric = metric.trim();
        let index = Summary::METRICS.iter().position(|m| *m == metric).ok_or_else(|| {
            let hint = crate::scenario::closest(metric, Summary::METRICS.iter().copied())
                .map(|s| format!(" — did you mean `{s}`?"))
                .unwrap_or_default();
            err(format!(
                "`{metric}` is not a metric{hint} (metrics: {})",
                Summary::METRICS.join(", ")
            ))
        })?;
        let limit: f64 = limit
            .trim()
            .parse()
            .ok()
            .filter(|l: &f64| l.is_finite())
            .ok_or_else(|| err(format!("`{}` is not a finite number", limit.trim())))?;
        Ok(Slo { metric: metric.to_string(), index, comparison, limit })
    }
}

impl Slo {
    /// The metric's value in one run.
    pub fn value(&self, s: &Summary) -> f64 {
        s.metrics()[self.index]
    }

    /// Whether the objective holds with confidence: the interval's bound on the unfavourable
    /// side is within the limit. An undefined estimate (NaN) does not hold.
    pub fn holds(&self, e: &Estimate) -> bool {
        let hw = if e.half_width.is_finite() { e.half_width } else { 0.0 };
        match self.comparison {
            Comparison::AtMost => e.mean + hw <= self.limit,
            Comparison::AtLeast => e.mean - hw >= self.limit,
        }
    }
}

impl std::fmt::Display for Slo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = match self.comparison {
            Comparison::AtMost => "<=",
            Comparison::AtLeast => ">=",
        };
        write!(f, "{}{op}{}", self.metric, self.limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_judges_by_the_unfavourable_bound() {
        let slo: Slo = "latency_p99 <= 2.0".parse().unwrap();
        assert_eq!(slo.comparison, Comparison::AtMost);
        let e = |mean, half_width| Estimate { mean, half_width, std: 0.0, n: 10 };
        assert!(slo.holds(&e(1.5, 0.4)));
        assert!(!slo.holds(&e(1.9, 0.2)), "the upper bound 2.1 is above the limit");
        assert!(!slo.holds(&e(f64::NAN, 0.0)));
        let slo: Slo = "throughput>=10".parse().unwrap();
        assert!(slo.holds(&e(11.0, 0.5)) && !slo.holds(&e(10.2, 0.5)));
        let bad = "latency_p98<=1".parse::<Slo>().unwrap_err().to_string();
        assert!(bad.contains("did you mean `latency_p99`?"), "{bad}");
        assert!("latency_p99<2".parse::<Slo>().is_err());
        assert!("latency_p99<=fast".parse::<Slo>().is_err());
    }
}
