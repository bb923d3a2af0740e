//! The command line: raw arguments (clap), turned into library calls.

mod args;
mod commands;
mod experiments;
mod import;
mod plan;
mod plots;
mod table;
mod trace;

use clap::Parser;

use args::{Cli, Command};

/// `print!` that returns an error instead of panicking when stdout is closed
/// (`schedsim run ... | head`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)
    }};
}

/// `println!` that returns an error instead of panicking when stdout is closed.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)
    }};
}

pub(crate) use {out, outln};

/// Whether the error is a closed stdout (the reader went away): not a failure.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Marks errors caused by the user's input (bad scenario, bad flag value): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Exit code for an error: 2 for input errors, 1 for everything else.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    let input = e.chain().any(|c| {
        c.is::<InputError>()
            || c.is::<schedsim::ScenarioError>()
            || c.is::<schedsim::RunError>()
            || c.is::<schedsim::experiment::ExperimentError>()
            || c.is::<schedsim::experiment::PlanError>()
            || c.is::<schedsim::experiment::VaryError>()
            || c.is::<schedsim::planner::PlanError>()
            || c.is::<schedsim::planner::SloError>()
            || c.is::<schedsim::planner::CostError>()
            || c.is::<schedsim::report::results::ResultsError>()
            || c.downcast_ref::<schedsim::report::charts::ChartError>()
                .is_some_and(|e| matches!(e, schedsim::report::charts::ChartError::TooLarge { .. }))
    });
    if input {
        2
    } else {
        1
    }
}

/// Parses the command line and runs the command.
pub fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match (cli.command, cli.scenario) {
        (Some(Command::Run(args)), _) => commands::run(args),
        (Some(Command::Validate(args)), _) => commands::validate(args),
        (Some(Command::Policies(args)), _) => commands::policies(args),
        (Some(Command::Compare(args)), _) => experiments::compare(args),
        (Some(Command::Sweep(args)), _) => experiments::sweep(args),
        (Some(Command::Merge(args)), _) => experiments::merge(args),
        (Some(Command::Trace(args)), _) => trace::trace(args),
        (Some(Command::Plan(args)), _) => plan::plan(args),
        (Some(Command::Plot(args)), _) => plots::plot(args),
        (Some(Command::Report(args)), _) => plots::report(args),
        (Some(Command::Import(args)), _) => import::import(args),
        (None, Some(scenario)) => commands::run(args::RunArgs::for_scenario(scenario)),
        (None, None) => {
            use clap::CommandFactory;
            Cli::command().print_help()?;
            Ok(())
        }
    }
}
