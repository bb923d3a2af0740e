//! Distributions of work and sizes, built from [`DistSpec`] and sampled with `rand_distr`.

use rand::Rng;
use rand_distr::{Distribution as _, Exp, Gamma, LogNormal, Normal, Pareto, Uniform, Weibull};

use crate::engine::SimRng;
use crate::scenario::DistSpec;

/// A validated distribution ready to sample, with its exact mean. Values are never negative.
#[derive(Clone, Debug)]
pub struct Distribution {
    kind: Kind,
    mean: f64,
}

#[derive(Clone, Debug)]
enum Kind {
    /// Always the same value.
    Constant(f64),
    /// Exponential.
    Exponential(Exp<f64>),
    /// Uniform on [min, max].
    Uniform(Uniform<f64>),
    /// Normal truncated at 0 by redrawing negative values.
    TruncatedNormal(Normal<f64>),
    /// Lognormal.
    LogNormal(LogNormal<f64>),
    /// Gamma.
    Gamma(Gamma<f64>),
    /// Weibull.
    Weibull(Weibull<f64>),
    /// Pareto type I.
    Pareto(Pareto<f64>),
    /// Uniform choice among observed values.
    Empirical(Vec<f64>),
}

impl Distribution {
    /// Always `value` (a recorded run time).
    pub fn constant(value: f64) -> Self {
        Distribution { kind: Kind::Constant(value), mean: value }
    }

    /// Builds the sampler; `spec` must have passed scenario validation.
    ///
    /// # Errors
    /// A message when the parameters are out of range (validation reports these first).
    pub fn new(spec: &DistSpec) -> Result<Self, String> {
        let bad = |e: &dyn std::fmt::Display| format!("invalid distribution {spec:?}: {e}");
        let kind = match spec {
            DistSpec::Constant { value } => Kind::Constant(*value),
            DistSpec::Exponential { mean } => {
                Kind::Exponential(Exp::new(1.0 / mean).map_err(|e| bad(&e))?)
            }
            DistSpec::Uniform { min, max } => {
                Kind::Uniform(Uniform::new_inclusive(min, max).map_err(|e| bad(&e))?)
            }
            DistSpec::Normal { mean, std } => {
                Kind::TruncatedNormal(Normal::new(*mean, *std).map_err(|e| bad(&e))?)
            }
            DistSpec::Lognormal { mean, cv } => {
                // For X = exp(N(mu, sigma²)): E[X] = exp(mu + sigma²/2), CV² = exp(sigma²) - 1.
                let sigma2 = (1.0 + cv * cv).ln();
                let mu = mean.ln() - sigma2 / 2.0;
                Kind::LogNormal(LogNormal::new(mu, sigma2.sqrt()).map_err(|e| bad(&e))?)
            }
            DistSpec::Gamma { mean, cv } => {
                let shape = 1.0 / (cv * cv);
                Kind::Gamma(Gamma::new(shape, mean / shape).map_err(|e| bad(&e))?)
            }
            DistSpec::Weibull { shape, scale } => {
                Kind::Weibull(Weibull::new(*scale, *shape).map_err(|e| bad(&e))?)
            }
            DistSpec::Pareto { scale, shape } => {
                Kind::Pareto(Pareto::new(*scale, *shape).map_err(|e| bad(&e))?)
            }
            DistSpec::Empirical { values } if !values.is_empty() => Kind::Empirical(values.clone()),
            DistSpec::Empirical { .. } => return Err(bad(&"no values")),
        };
        Ok(Distribution { kind, mean: exact_mean(spec) })
    }

    /// One draw.
    pub fn sample(&self, rng: &mut SimRng) -> f64 {
        match &self.kind {
            Kind::Constant(v) => *v,
            Kind::Exponential(d) => d.sample(rng),
            Kind::Uniform(d) => d.sample(rng),
            Kind::TruncatedNormal(d) => {
                // Validation keeps mean > 0, so at least half of the draws are accepted.
                loop {
                    let x = d.sample(rng);
                    if x >= 0.0 {
                        return x;
                    }
                }
            }
            Kind::LogNormal(d) => d.sample(rng),
            Kind::Gamma(d) => d.sample(rng),
            Kind::Weibull(d) => d.sample(rng),
            Kind::Pareto(d) => d.sample(rng),
            Kind::Empirical(values) => values[rng.random_range(0..values.len())],
        }
    }

    /// The exact mean (infinite for a Pareto with shape ≤ 1). Used by `sjf` as the expected
    /// work and for the offered load.
    pub fn mean(&self) -> f64 {
        self.mean
    }
}

/// The exact mean of a distribution spec.
fn exact_mean(spec: &DistSpec) -> f64 {
    use statrs::distribution::{Continuous, ContinuousCDF, Normal as StdNormal};
    use statrs::function::gamma::gamma;
    match spec {
        DistSpec::Constant { value } => *value,
        DistSpec::Exponential { mean }
        | DistSpec::Lognormal { mean, .. }
        | DistSpec::Gamma { mean, .. } => *mean,
        DistSpec::Uniform { min, max } => (min + max) / 2.0,
        DistSpec::Normal { mean, std } => {
            if *std == 0.0 {
                return *mean;
            }
            // Mean of N(mean, std²) conditioned on X ≥ 0.
            let z = StdNormal::standard();
            let alpha = -mean / std;
            mean + std * z.pdf(alpha) / (1.0 - z.cdf(alpha))
        }
        DistSpec::Weibull { shape, scale } => scale * gamma(1.0 + 1.0 / shape),
        DistSpec::Pareto { scale, shape } => {
            if *shape > 1.0 {
                shape * scale / (shape - 1.0)
            } else {
                f64::INFINITY
            }
        }
        DistSpec::Empirical { values } => values.iter().sum::<f64>() / values.len() as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Purpose, Streams};

    /// Sample mean within 4 standard errors of the exact mean, for every kind.
    #[test]
    fn sample_means_match_exact_means() {
        let specs = [
            DistSpec::Constant { value: 2.0 },
            DistSpec::Exponential { mean: 0.5 },
            DistSpec::Uniform { min: 1.0, max: 3.0 },
            DistSpec::Normal { mean: 0.5, std: 1.0 },
            DistSpec::Lognormal { mean: 2.0, cv: 0.5 },
            DistSpec::Gamma { mean: 3.0, cv: 2.0 },
            DistSpec::Weibull { shape: 1.5, scale: 2.0 },
            DistSpec::Pareto { scale: 1.0, shape: 3.5 },
            DistSpec::Empirical { values: vec![1.0, 2.0, 6.0] },
        ];
        let mut rng = Streams::new(7).stream(Purpose::Work, 0);
        for spec in &specs {
            let d = Distribution::new(spec).unwrap();
            let n = 200_000;
            let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
            assert!(xs.iter().all(|&x| x >= 0.0), "{spec:?} drew a negative value");
            let m = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
            let se = (var / n as f64).sqrt().max(1e-12);
            let exact = d.mean();
            assert!((m - exact).abs() < 4.0 * se, "{spec:?}: sample mean {m}, exact {exact}");
        }
    }

    #[test]
    fn lognormal_has_requested_cv() {
        let spec = DistSpec::Lognormal { mean: 1.0, cv: 0.8 };
        let d = Distribution::new(&spec).unwrap();
        let mut rng = Streams::new(3).stream(Purpose::Work, 0);
        let xs: Vec<f64> = (0..400_000).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        let sd = (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / xs.len() as f64).sqrt();
        assert!((sd / m - 0.8).abs() < 0.02, "cv {}", sd / m);
    }
}
