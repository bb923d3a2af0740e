//! What the user typed, as clap structs. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// schedsim — simulate service orchestration and task scheduling on a cluster.
///
/// `schedsim SCENARIO.toml` runs the scenario once and prints its summary.
#[derive(Debug, Parser)]
#[command(name = "schedsim", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Scenario to run with default options (same as `schedsim run SCENARIO`).
    pub scenario: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one replication of a scenario and report load, latency and rejections.
    Run(RunArgs),
    /// Check scenario files and print every problem found.
    Validate(ValidateArgs),
    /// List the registered policies and their rules.
    Policies(PoliciesArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Use the scenario's `[[policies]]` entry with this name (`default` is `[policy]`).
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
    /// Override the queue discipline: a name (`sjf`) or a TOML table
    /// (`{kind = "sjf", true_work = true}`).
    #[arg(long, value_name = "Q")]
    pub queue: Option<String>,
    /// Override the placement policy (name or TOML table).
    #[arg(long, value_name = "P")]
    pub placement: Option<String>,
    /// Override the admission policy, e.g. `{kind = "load-threshold", limit = 0.9}`.
    #[arg(long, value_name = "A")]
    pub admission: Option<String>,
    /// Seed of the run (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Change a scenario value by dotted path, naming list entries by name; repeatable.
    /// Example: `--set workflows.order.arrival.rate=9.5 --set cluster.nodes.worker.count=12`.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Write summary.csv and nodes.csv (and workflows.csv with --trace-workflows) here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Keep one record per measured workflow and write workflows.csv (memory grows with the
    /// run).
    #[arg(long)]
    pub trace_workflows: bool,
}

impl RunArgs {
    /// Default options for a scenario.
    pub fn for_scenario(scenario: PathBuf) -> Self {
        RunArgs {
            scenario,
            policy: None,
            queue: None,
            placement: None,
            admission: None,
            seed: None,
            sets: Vec::new(),
            out: None,
            json: false,
            trace_workflows: false,
        }
    }
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files to check.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PoliciesArgs {
    /// Show only this policy.
    pub name: Option<String>,
}
