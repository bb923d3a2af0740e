//! `plot` and `report`, and the `--plots` / `--report` flags of run, compare and sweep.

use std::path::Path;

use anyhow::Result;
use schedsim::report::charts::Format;
use schedsim::report::figures::{self, PlotOptions};
use schedsim::report::{html, results, write_atomic};

use super::args::{ChartFormat, PlotArgs, ReportArgs};
use super::{outln, InputError};

pub fn plot(a: PlotArgs) -> Result<()> {
    let format = match a.format {
        ChartFormat::Svg => Format::Svg,
        ChartFormat::Png => Format::Png,
    };
    draw(&a.dir, PlotOptions { format, log_x: a.log_x }, false)
}

pub fn report(a: ReportArgs) -> Result<()> {
    write_report(&a.dir, PlotOptions { format: Format::Svg, log_x: a.log_x })
}

/// Draws the charts of `dir` into `dir/plots/`; prints what was written (unless `quiet`) and
/// why a chart is missing. Nothing to draw at all is an input error.
pub fn draw(dir: &Path, opts: PlotOptions, quiet: bool) -> Result<()> {
    let results = results::load(dir)?;
    let (figures, notes) = figures::figures(&results, opts)?;
    if figures.is_empty() {
        return Err(InputError(format!(
            "{}: nothing to plot: {}",
            dir.display(),
            notes.join("; ")
        ))
        .into());
    }
    let written = figures::write_figures(dir, &figures, opts.format)?;
    for note in &notes {
        eprintln!("note: {note}");
    }
    if !quiet {
        outln!(
            "{} charts written to {} (each with its data as CSV)",
            written.len(),
            dir.join("plots").display()
        )?;
    }
    Ok(())
}

/// Writes `report.html`, `report.md` and the SVG charts of the experiment in `dir`.
pub fn write_report(dir: &Path, opts: PlotOptions) -> Result<()> {
    let results::Results::Experiment(experiment) = results::load(dir)? else {
        return Err(InputError(format!(
            "{}: a single run's folder (summary.csv); report compares policies, so give the \
             folder of `compare` or `sweep` (use `schedsim plot` for a run's charts)",
            dir.display()
        ))
        .into());
    };
    let opts = PlotOptions { format: Format::Svg, ..opts };
    let (figures, notes) = figures::experiment_figures(&experiment, opts)?;
    figures::write_figures(dir, &figures, Format::Svg)?;
    let page = html::report_html(&experiment, &figures, &notes);
    write_atomic(&dir.join("report.html"), page.as_bytes())?;
    let md = html::report_markdown(&experiment, &figures, &notes);
    write_atomic(&dir.join("report.md"), md.as_bytes())?;
    for note in &notes {
        eprintln!("note: {note}");
    }
    outln!(
        "report written to {} and {} ({} charts in {})",
        dir.join("report.html").display(),
        dir.join("report.md").display(),
        figures.len(),
        dir.join("plots").display()
    )?;
    Ok(())
}
