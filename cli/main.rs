//! `cargo-risk-report`: parse the command line, run, print the outcome, exit 0 or 2.

mod args;

use std::io::IsTerminal;
use std::process::ExitCode;

use cargo_risk_report::config::{Command, Config};
use cargo_risk_report::term::{self, Paint};
use cargo_risk_report::{Exit, output, pipeline, show};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

fn main() -> ExitCode {
    let config = match args::parse(std::env::args_os()) {
        Ok(c) => c,
        Err(e) => {
            // Help and version are not errors; clap knows which is which.
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Error
            } else {
                Exit::Ok
            }
            .into();
        }
    };
    let paint = Paint {
        enabled: term::stderr_color(config.color),
    };
    match run(&config) {
        Ok(()) => Exit::Ok.into(),
        Err(e) => {
            eprintln!("{} {e:#}", paint.red("error:"));
            Exit::Error.into()
        }
    }
}

fn run(config: &Config) -> anyhow::Result<()> {
    match &config.command {
        Command::Report => report(config),
        Command::Show(spec) => {
            let paint = Paint {
                enabled: term::stdout_color(config.color),
            };
            let text = show::show(config, spec, paint)?;
            output::write_stdout(&text)?;
            Ok(())
        }
    }
}

fn report(config: &Config) -> anyhow::Result<()> {
    let bar = progress_bar(config);
    let on_total = |n| {
        bar.set_length(n);
        // Shown only from here: before, cargo metadata is running and there is no total.
        if wants_progress(config) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    };
    let scanned = pipeline::build_inputs(config, &on_total, &|| bar.inc(1))?;
    bar.finish_and_clear();
    let written = output::write_report(config, &scanned)?;
    if !config.quiet {
        let paint = Paint {
            enabled: term::stderr_color(config.color),
        };
        eprint!("{}", output::summary(&scanned, &written, paint));
    }
    Ok(())
}

/// A crates-done/total bar on stderr, only for a person watching a terminal.
fn wants_progress(config: &Config) -> bool {
    !config.quiet && std::io::stderr().is_terminal()
}

/// A crates-done/total bar on stderr, only for a person watching a terminal; it starts hidden
/// and is drawn once the total is known.
fn progress_bar(config: &Config) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
    let template = if term::stderr_color(config.color) {
        "{prefix:>10.green.bold} [{bar:30}] {pos}/{len} crates"
    } else {
        "{prefix:>10} [{bar:30}] {pos}/{len} crates"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix("Scanning");
    bar
}
