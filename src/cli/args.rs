//! What the user typed, as clap structs. Doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Compare policies over replications: means with 95 % intervals and paired differences.
    Compare(CompareArgs),
    /// Sweep scenario parameters (a grid of --vary values) × policies × replications.
    Sweep(SweepArgs),
    /// Combine shard folders (`--shard I/N`) into one result folder.
    Merge(MergeArgs),
    /// Find the smallest capacity (or, with --rate-max, the largest arrival rate) for which
    /// every --slo holds with 95 % confidence, by bisection with replications at each probe.
    Plan(PlanArgs),
    /// Print a readable log of a small run, one line per event, saying which policy took each
    /// decision and the numbers it compared (for teaching and debugging).
    Trace(TraceArgs),
    /// Draw the charts of a result folder into RESULTS_DIR/plots/ (a CSV of each chart's data
    /// beside it).
    Plot(PlotArgs),
    /// Write RESULTS_DIR/report.html (one self-contained page: tables, paired differences,
    /// charts, manifest) and report.md (Markdown for a wiki), and the charts in plots/.
    Report(ReportArgs),
    /// Convert a recorded trace (SWF, Alibaba 2018, WfCommons, a job/pod CSV) to schedsim's
    /// own trace CSV, one row per task, and print what was repaired or skipped. Scenarios read
    /// that file (`[trace] format = "schedsim"`) faster than the original.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Format of FILE: swf, alibaba-2018, wfcommons, csv (with --map) or schedsim.
    #[arg(value_name = "FORMAT", value_parser = parse_format)]
    pub format: schedsim::workload::trace::Format,
    /// The trace (SWF may be gzipped).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the schedsim trace CSV (whole or not at all).
    #[arg(short, long, value_name = "OUT.csv")]
    pub out: PathBuf,
    /// alibaba-2018: memory of one machine, which plan_mem is a percentage of (e.g. 64GiB).
    #[arg(long, value_name = "SIZE")]
    pub node_memory: Option<String>,
    /// csv: one entry of the column mapping, as in a scenario's [trace.columns]; repeat it,
    /// e.g. --map arrival=created --map duration=seconds --map cpu=cpu_m --map cpu_scale=0.001
    #[arg(long = "map", value_name = "KEY=VALUE")]
    pub map: Vec<String>,
    /// Only jobs arriving in [START, END), trace seconds.
    #[arg(long, value_name = "START,END")]
    pub window: Option<String>,
}

fn parse_format(text: &str) -> Result<schedsim::workload::trace::Format, String> {
    use serde::Deserialize;
    schedsim::workload::trace::Format::deserialize(toml::Value::String(text.to_string()))
        .map_err(|_| "expected one of swf, alibaba-2018, wfcommons, csv, schedsim".to_string())
}

/// Picture format of charts.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum ChartFormat {
    /// Scalable vector graphics (text drawn by the viewer).
    #[default]
    Svg,
    /// Bitmap, 800 × 480, text drawn with the font embedded in schedsim.
    Png,
}

#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A folder written by `run --out`, `compare`, `sweep` or `merge`.
    #[arg(value_name = "RESULTS_DIR")]
    pub dir: PathBuf,
    /// Picture format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ChartFormat,
    /// Logarithmic latency axis on the latency CDF (for long tails).
    #[arg(long)]
    pub log_x: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A folder written by `compare`, `sweep` or `merge`.
    #[arg(value_name = "RESULTS_DIR")]
    pub dir: PathBuf,
    /// Logarithmic latency axis on the latency CDF (for long tails).
    #[arg(long)]
    pub log_x: bool,
}

/// Options shared by `compare` and `sweep`.
#[derive(Debug, Args)]
pub struct ExperimentArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Replications per policy and point (default: the scenario's `replications`, else 10).
    /// Replication k uses seed + k under every policy (common random numbers).
    #[arg(long, short = 'r')]
    pub replications: Option<u64>,
    /// Output folder (default: results/<scenario name>/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores). Results are identical whatever the number.
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Keep the runs already in --out and run only the missing ones.
    #[arg(long)]
    pub resume: bool,
    /// Run only the grid cells with index ≡ I (mod N), e.g. `--shard 0/4`; combine the shard
    /// folders with `schedsim merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Change a scenario value by dotted path; repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Add replications until every headline metric's 95 % half-width is within this fraction
    /// of its mean (e.g. 0.05).
    #[arg(long, value_name = "FRACTION")]
    pub precision: Option<f64>,
    /// Most replications --precision may use.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub max_replications: u64,
    /// Estimate the warmup by MSER-5 from a pilot run, and use it for every run.
    #[arg(long)]
    pub auto_warmup: bool,
    /// Also draw the charts into OUT/plots/ (as `schedsim plot OUT`).
    #[arg(long)]
    pub plots: bool,
    /// Also write OUT/report.html and OUT/report.md with the charts (as `schedsim report
    /// OUT`).
    #[arg(long)]
    pub report: bool,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub common: ExperimentArgs,
    /// Policies to compare: a `[[policies]]` name, `default` (the scenario's `[policy]`), or
    /// inline like `queue=sjf,placement=least-loaded`; repeatable. Default: all of them. The
    /// first is the baseline of the paired differences.
    #[arg(long, value_name = "POLICY")]
    pub policy: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub common: ExperimentArgs,
    /// A scenario path and its values: a list (`cluster.nodes.worker.count=1,2,4,8`) or a
    /// range (`workflows.order.arrival.rate=10..100:10`); several make a grid.
    #[arg(long, required = true, value_name = "PATH=VALUES")]
    pub vary: Vec<String>,
    /// `all`, or policy names separated by commas (default: `default`, the scenario's
    /// `[policy]`).
    #[arg(long, default_value = "default")]
    pub policies: String,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard folders written by `--shard I/N`.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Where to write the merged files.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

/// Which policy set a single run uses: a named one, with single policies overridden.
#[derive(Debug, Default, Args)]
pub struct PolicyChoice {
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
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// The policy set to run.
    #[command(flatten)]
    pub choice: PolicyChoice,
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
    /// Also draw the latency CDF into OUT/plots/ (implies --trace-workflows; needs --out).
    #[arg(long, requires = "out")]
    pub plots: bool,
}

impl RunArgs {
    /// Default options for a scenario.
    pub fn for_scenario(scenario: PathBuf) -> Self {
        RunArgs {
            scenario,
            choice: PolicyChoice::default(),
            seed: None,
            sets: Vec::new(),
            out: None,
            json: false,
            trace_workflows: false,
            plots: false,
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
pub struct PlanArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A capacity parameter and its range, e.g. `cluster.nodes.payment.count=1..64`
    /// (`A..B` steps by 1; also `A..B:STEP` or a list `1,2,4,8`). Repeat it to plan several
    /// parameters together (needs --cost).
    #[arg(long, value_name = "PATH=RANGE")]
    pub vary: Vec<String>,
    /// Instead of --vary: the largest value of an arrival-rate path (e.g.
    /// `workflows.order.arrival.rate=10..400:10`) that the cluster sustains under the SLOs.
    #[arg(long, value_name = "PATH=RANGE", conflicts_with = "vary")]
    pub rate_max: Option<String>,
    /// An objective, `METRIC<=LIMIT` or `METRIC>=LIMIT` over a metric of summary.csv, e.g.
    /// `latency_p99<=2.0`; repeatable. It holds when the 95 % confidence bound on the
    /// unfavourable side is within the limit.
    #[arg(long, required = true, value_name = "EXPR")]
    pub slo: Vec<String>,
    /// Cost of a combination of several --vary parameters, e.g.
    /// `cluster.nodes.payment.count*3 + cluster.nodes.order.count`.
    #[arg(long, value_name = "EXPR")]
    pub cost: Option<String>,
    /// Policies to plan for: names of `[[policies]]`, `default`, `all`, or inline sets like
    /// `queue=sjf,placement=random`.
    #[arg(long, default_value = "default")]
    pub policies: String,
    /// Replications per probe (default: the scenario's `replications`, else 10).
    #[arg(long, short = 'r')]
    pub replications: Option<u64>,
    /// Change a scenario value by dotted path; repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Output folder for plan.csv, plan.svg and manifest.json (default:
    /// results/<scenario>-plan).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
}

/// How `trace` prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    /// One readable line per event.
    #[default]
    Text,
    /// The same as a CSV table (time, workflow, class, task, event, node, policy, detail).
    Csv,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Scenario file (TOML); keep it small (see --max-events).
    pub scenario: PathBuf,
    /// The policy set to trace.
    #[command(flatten)]
    pub choice: PolicyChoice,
    /// Seed of the run (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Change a scenario value by dotted path (`--set duration=60`); repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub sets: Vec<String>,
    /// Refuse runs that process more events than this: a trace is for reading.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub max_events: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TraceFormat::Text)]
    pub format: TraceFormat,
    /// Also draw the Gantt chart of the run (tasks on nodes over time) into this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub gantt: Option<PathBuf>,
    /// Run the scenario under two policies (names of its `[[policies]]`, `default`, or inline
    /// sets like `queue=sjf,placement=random`) on the same seed and print the first decision
    /// where they differ, with the state each saw.
    #[arg(long, num_args = 2, value_names = ["POLICY_A", "POLICY_B"])]
    pub compare: Option<Vec<String>>,
}

#[derive(Debug, Args)]
pub struct PoliciesArgs {
    /// Show only this policy.
    pub name: Option<String>,
}
