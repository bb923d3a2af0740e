//! Exact results of queueing theory, which the simulator is tested against.
//!
//! λ is the arrival rate, μ the service rate of one server, c the number of servers,
//! a = λ/μ the offered load in Erlangs and ρ = a/c the utilization.

/// Erlang B: probability that an arrival finds all `c` servers busy in the M/M/c/c loss
/// system with offered load `a` Erlangs (stable recursion B(k) = a·B(k−1) / (k + a·B(k−1))).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (k as f64 + a * b))
}

/// Erlang C: probability that an arrival waits in M/M/c with offered load `a` < c.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let b = erlang_b(c, a);
    let rho = a / c as f64;
    b / (1.0 - rho + rho * b)
}

/// M/M/c mean waiting time in queue: C(c, a) / (cμ − λ).
pub fn mmc_wait(lambda: f64, mu: f64, c: u32) -> f64 {
    erlang_c(c, lambda / mu) / (c as f64 * mu - lambda)
}

/// M/M/c mean response time (wait + service).
pub fn mmc_response(lambda: f64, mu: f64, c: u32) -> f64 {
    mmc_wait(lambda, mu, c) + 1.0 / mu
}

/// M/M/1 mean response time 1/(μ − λ).
pub fn mm1_response(lambda: f64, mu: f64) -> f64 {
    1.0 / (mu - lambda)
}

/// M/D/1 mean waiting time (Pollaczek–Khinchine with zero service variance):
/// ρ / (2μ(1 − ρ)).
pub fn md1_wait(lambda: f64, mu: f64) -> f64 {
    let rho = lambda / mu;
    rho / (2.0 * mu * (1.0 - rho))
}

/// Smallest number of servers for which the M/M/c mean wait is at most `max_wait`.
pub fn mmc_servers_for_wait(lambda: f64, mu: f64, max_wait: f64) -> u32 {
    let mut c = (lambda / mu).floor() as u32 + 1;
    while mmc_wait(lambda, mu, c) > max_wait {
        c += 1;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_values() {
        // Erlang B(10, 5) = 0.018385; Erlang C(2, 1) = 1/3.
        assert!((erlang_b(10, 5.0) - 0.018385).abs() < 1e-6);
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        assert!((mm1_response(0.5, 1.0) - 2.0).abs() < 1e-12);
        // M/M/1 is M/M/c with c = 1.
        assert!((mmc_response(0.7, 1.0, 1) - mm1_response(0.7, 1.0)).abs() < 1e-12);
        assert!((md1_wait(0.5, 1.0) - 0.5).abs() < 1e-12);
    }
}
