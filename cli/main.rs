//! `cargo-risk-report`: parse the command line, run, print the outcome, exit 0, 1 (risk added,
//! when asked to gate) or 2 (error).

mod args;

use std::process::ExitCode;

use cargo_risk_report::config::Command;
use cargo_risk_report::plumbing::error::with_causes;
use cargo_risk_report::plumbing::settings;
use cargo_risk_report::term::{self, Paint};
use cargo_risk_report::{Exit, commands};

// See the reason beside the dependency in Cargo.toml.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let mut config = match args::parse(std::env::args_os()) {
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
    // Every command that looks at the workspace reads its scan settings first; `diff` only
    // reads reports.
    let settings = match &config.command {
        Command::Diff(_) => Ok(config.options.scope.clone()),
        _ => settings::load(
            config.options.manifest_path.as_deref(),
            &config.options.flags,
        ),
    };
    let result = settings.map_err(anyhow::Error::from).and_then(|scope| {
        config.options.scope = scope;
        commands::run(&config)
    });
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            eprintln!("{} {}", paint.red("error:"), with_causes(e.as_ref()));
            Exit::Error.into()
        }
    }
}
