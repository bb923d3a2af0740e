//! Simulate an M/M/2 queue from a scenario written inline, and compare with theory.

use schedsim::{run_once, RunOptions, Scenario};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let scenario = Scenario::from_toml(
        r#"
        name = "mm2"
        duration = 5000.0
        warmup = 500.0

        [[cluster.nodes]]
        name = "server"
        count = 2
        cpu = 1
        memory = "1GiB"

        [[workflows]]
        name = "job"
        arrival = { kind = "poisson", rate = 1.5 }
        [[workflows.tasks]]
        name = "serve"
        cpu = 1
        work = { kind = "exponential", mean = 1.0 }
        "#,
        "inline.toml".as_ref(),
        &[],
    )?;
    let result = run_once(&scenario, &scenario.policy, scenario.seed, RunOptions::default())?;
    let s = &result.summary;
    let theory = schedsim::theory::mmc_response(1.5, 1.0, 2);
    println!("mean latency {:.3} s (M/M/2 theory {theory:.3} s)", s.latency_mean);
    println!("utilization {:.3}, p99 latency {:.3} s", s.utilization, s.latency_p99);
    Ok(())
}
