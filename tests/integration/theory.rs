//! The simulator against exact queueing theory (fixed seeds, tolerance from the runs' own
//! confidence intervals).

use schedsim::theory;

use crate::util::{assert_matches_theory, replications, scenario};

/// A one-task workflow class on `c` one-core servers.
fn single_station(c: u32, rate: f64, work: &str, extra: &str) -> String {
    // Long enough for 99.9 % intervals within a few percent even at utilization 0.9.
    let duration = 40_000.0 / rate.min(1.0);
    format!(
        r#"
        name = "station"
        duration = {duration}
        warmup = 2000.0
        seed = 11
        {extra}
        [[cluster.nodes]]
        name = "server"
        count = {c}
        cpu = 1
        memory = "1GiB"
        [[workflows]]
        name = "job"
        arrival = {{ kind = "poisson", rate = {rate} }}
        [[workflows.tasks]]
        name = "serve"
        cpu = 1
        work = {work}
        "#
    )
}

const EXP1: &str = r#"{ kind = "exponential", mean = 1.0 }"#;

#[test]
fn mm1_mean_response_time() {
    let (lambda, mu) = (0.8, 1.0);
    let s = scenario(&single_station(1, lambda, EXP1, ""));
    let runs = replications(&s, 30);
    assert_matches_theory(
        &runs,
        "M/M/1 response",
        |r| r.latency_mean,
        theory::mm1_response(lambda, mu),
    );
    assert_matches_theory(&runs, "M/M/1 utilization", |r| r.utilization, lambda / mu);
    assert_matches_theory(&runs, "M/M/1 P(wait)", |r| r.wait_probability, lambda / mu);
}

#[test]
fn mmc_erlang_c_waiting_probability_and_mean_wait() {
    let (lambda, mu, c) = (7.2, 1.0, 8);
    let s = scenario(&single_station(c, lambda, EXP1, ""));
    let runs = replications(&s, 20);
    let a = lambda / mu;
    assert_matches_theory(&runs, "M/M/8 P(wait)", |r| r.wait_probability, theory::erlang_c(c, a));
    assert_matches_theory(
        &runs,
        "M/M/8 mean wait",
        |r| r.wait_mean,
        theory::mmc_wait(lambda, mu, c),
    );
    assert_matches_theory(&runs, "M/M/8 utilization", |r| r.utilization, a / c as f64);
    let lq = theory::erlang_c(c, a) * a / (c as f64 - a);
    assert_matches_theory(&runs, "M/M/8 mean queue length", |r| r.queue_mean, lq);
    for r in &runs {
        // Little's law on the run's own sample path: Lq = λ·Wq.
        let little = r.queue_mean / (lambda * r.wait_mean);
        assert!((little - 1.0).abs() < 0.03, "Little's law off by {little}");
    }
    // In central mode Lᵢ = Uᵢ, and equal weights make the weighted load the utilization.
    for r in &runs {
        assert!((r.avg_weighted_load - r.utilization).abs() < 1e-9);
    }
}

#[test]
fn mmc_per_node_random_splits_into_independent_mm1_queues() {
    // Random placement thins the Poisson stream: each of c servers is an M/M/1 at λ/c.
    let (lambda, mu, c) = (3.0, 1.0, 4);
    let extra = "[cluster]\nmode = \"per-node\"\n[policy]\nplacement = \"random\"";
    let s = scenario(&single_station(c, lambda, EXP1, extra));
    let runs = replications(&s, 20);
    let expected = theory::mm1_response(lambda / c as f64, mu);
    assert_matches_theory(&runs, "per-node random response", |r| r.latency_mean, expected);
    // Per-node load counts queued work: Lᵢ ≥ Uᵢ, strictly when queues form.
    for r in &runs {
        assert!(r.avg_weighted_load > r.utilization);
    }
}

#[test]
fn mmcc_blocking_is_erlang_b_via_load_threshold() {
    // M/M/c/c: reject while all c servers are busy (weighted load at 1.0).
    for (c, lambda) in [(5u32, 4.0), (10, 9.0)] {
        let extra = "[policy]\nadmission = { kind = \"load-threshold\", limit = 1.0 }";
        let s = scenario(&single_station(c, lambda, EXP1, extra));
        let runs = replications(&s, 20);
        let b = theory::erlang_b(c, lambda);
        assert_matches_theory(&runs, &format!("Erlang B c={c}"), |r| r.rejection_rate, b);
        for r in &runs {
            assert_eq!(r.rejected, r.rejected_by.admission);
            assert_eq!(r.wait_max, 0.0, "a loss system never queues");
        }
    }
}

#[test]
fn md1_mean_wait_is_pollaczek_khinchine() {
    let (lambda, mu) = (0.7, 1.0);
    let s = scenario(&single_station(1, lambda, r#"{ kind = "constant", value = 1.0 }"#, ""));
    let runs = replications(&s, 30);
    assert_matches_theory(&runs, "M/D/1 wait", |r| r.wait_mean, theory::md1_wait(lambda, mu));
}

#[test]
fn jackson_tandem_response_is_the_sum_of_station_response_times() {
    // The order tandem: four stages, two servers each, one pool per stage.
    let lambda = 10.0;
    let means = [0.10, 0.15, 0.12, 0.05];
    let names = ["create", "inventory", "payment", "confirm"];
    let mut text = String::from(
        r#"
        name = "tandem"
        duration = 5000.0
        warmup = 500.0
        seed = 5
        "#,
    );
    for n in names {
        text += &format!(
            "[[cluster.nodes]]\nname = \"{n}\"\ncount = 2\ncpu = 1\nmemory = \"1GiB\"\npool = \"{n}\"\n"
        );
    }
    text += &format!(
        "[[workflows]]\nname = \"order\"\narrival = {{ kind = \"poisson\", rate = {lambda} }}\n"
    );
    for (i, (n, m)) in names.iter().zip(means).enumerate() {
        let after = if i == 0 { String::new() } else { format!("\"{}\"", names[i - 1]) };
        text += &format!(
            "[[workflows.tasks]]\nname = \"{n}\"\ncpu = 1\npool = \"{n}\"\nafter = [{after}]\nwork = {{ kind = \"exponential\", mean = {m} }}\n"
        );
    }
    let s = scenario(&text);
    let runs = replications(&s, 20);
    let expected: f64 = means.iter().map(|m| theory::mmc_response(lambda, 1.0 / m, 2)).sum();
    assert_matches_theory(&runs, "Jackson tandem response", |r| r.latency_mean, expected);
}

#[test]
fn faster_nodes_shorten_service_by_their_speed() {
    // M/M/1 with speed 2: service rate doubles.
    let text = single_station(1, 0.8, EXP1, "")
        .replace("memory = \"1GiB\"", "memory = \"1GiB\"\nspeed = 2.0");
    let runs = replications(&scenario(&text), 30);
    assert_matches_theory(
        &runs,
        "M/M/1 at speed 2",
        |r| r.latency_mean,
        theory::mm1_response(0.8, 2.0),
    );
}
