//! `cargo-risk-report`: parse the command line, run, print the outcome, exit 0, 1 (risk added,
//! when asked to gate) or 2 (error).

mod args;

use std::io::IsTerminal;
use std::process::ExitCode;

use cargo_risk_report::config::{CheckFormat, Command, Config, DiffFormat, Format};
use cargo_risk_report::locate::{self, Locator};
use cargo_risk_report::term::{self, Paint};
use cargo_risk_report::{
    Exit, cargo, check, delta, html, init, output, pipeline, sbom, scan, settings, show,
    source_delta,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use risk_report::diff::ReportDiff;
use risk_report::model::Report;

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
        Command::Diff(_) => Ok(config.scope.clone()),
        _ => settings::load(&config),
    };
    let result = settings.map_err(anyhow::Error::from).and_then(|scope| {
        config.scope = scope;
        run(&config)
    });
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            eprintln!("{} {e:#}", paint.red("error:"));
            Exit::Error.into()
        }
    }
}

fn run(config: &Config) -> anyhow::Result<Exit> {
    if let Some(problem) = pipeline::cache_dir_problem(config) {
        eprintln!("warning: {}", term::sanitize(&problem));
    }
    match &config.command {
        Command::Report => {
            let scanned = scan(config)?;
            let previous = previous_report(config, &scanned);
            let (written, new) = output::write_report(config, &scanned)?;
            if let Some(old) = previous {
                print_delta(config, &old, &new, &scanned.workspace_root);
            }
            summary(config, &scanned, &new, &written);
            Ok(Exit::Ok)
        }
        Command::Show(spec) => {
            let paint = Paint {
                enabled: term::stdout_color(config.color),
            };
            let text = show::show(config, spec, paint)?;
            output::write_stdout(&text)?;
            Ok(Exit::Ok)
        }
        Command::Diff(args) => {
            let locator = Locator::new(locate::cargo_home().as_deref(), Vec::new());
            let sources = |d: &ReportDiff, old: &Report, new: &Report| {
                source_delta::source_diffs(d, old, new, &locator)
            };
            let root = delta::default_root(config);
            let color = term::stdout_color(config.color);
            let (text, outcome) = delta::run(args, color, &root, &sources)?;
            output::write_stdout(&text)?;
            Ok(if args.fail_on_increase && outcome.adds_risk {
                Exit::RiskAdded
            } else {
                Exit::Ok
            })
        }
        Command::Update(cargo_args) => {
            let before = scan(config)?.report();
            let manifest = pipeline::Workspace::load(config)?.root_manifest();
            let said = cargo::update(config, &manifest, cargo_args)?;
            if !config.quiet {
                for line in said.lines() {
                    eprintln!("{}", term::sanitize(line));
                }
            }
            let scanned = scan(config)?;
            let (written, new) = output::write_report(config, &scanned)?;
            print_delta(config, &before, &new, &scanned.workspace_root);
            summary(config, &scanned, &new, &written);
            Ok(Exit::Ok)
        }
        Command::Check(args) => {
            let scanned = scan(config)?;
            let checked = check::run(config, args, &scanned, risk_policy::Date::today())?;
            let paint = Paint {
                enabled: args.format == CheckFormat::Text && term::stdout_color(config.color),
            };
            output::write_stdout(&term::paint_levels(&checked.text, paint))?;
            Ok(checked.exit)
        }
        Command::Init(args) => {
            let scanned = scan(config)?;
            let w = init::run(args, &scanned)?;
            if !config.quiet {
                eprintln!(
                    "Wrote {}: {} grants for {} packages. Review it, then run `cargo risk-report check`.",
                    w.path.display(),
                    w.grants,
                    w.packages
                );
            }
            Ok(Exit::Ok)
        }
        Command::Html(args) => {
            let note = |s: &str| {
                if !config.quiet {
                    eprintln!("note: {}", term::sanitize(s));
                }
            };
            let (path, n) = html::run(config, args, &note)?;
            if !config.quiet {
                let what = if n == 1 { "report" } else { "reports" };
                eprintln!("Dashboard of {n} {what} written to {}", path.display());
            }
            Ok(Exit::Ok)
        }
        Command::Sbom(args) => match &args.verify {
            Some(path) => {
                let v = sbom::verify(config, path)?;
                if v.differences.is_empty() {
                    if !config.quiet {
                        eprintln!(
                            "The lockfile and tarballs match {} ({} components).",
                            path.display(),
                            v.components
                        );
                    }
                    Ok(Exit::Ok)
                } else {
                    let mut text = format!(
                        "The lockfile and tarballs do not match {}:\n",
                        path.display()
                    );
                    for d in &v.differences {
                        text.push_str(&format!("  {}\n", term::sanitize(d)));
                    }
                    output::write_stdout(&risk_report::sanitize::ci_lines(&text))?;
                    // 1: the tool ran and found a difference, as for a risk gate.
                    Ok(Exit::RiskAdded)
                }
            }
            None => {
                let scanned = scan(config)?;
                let text = sbom::generate(config, &scanned)?;
                match &args.output {
                    Some(path) => {
                        output::write_atomically(path, text.as_bytes())?;
                        if !config.quiet {
                            eprintln!("SBOM written to {}", path.display());
                        }
                    }
                    None => output::write_stdout(&text)?,
                }
                Ok(Exit::Ok)
            }
        },
    }
}

/// The report this run is about to replace, when there is one to compare with. A report that
/// cannot be read (another schema version, hand-edited) is noted and otherwise ignored: it is
/// about to be replaced anyway.
fn previous_report(config: &Config, scanned: &pipeline::Scanned) -> Option<Report> {
    if config.format != Format::Toml {
        return None;
    }
    let path = config
        .output
        .clone()
        .unwrap_or_else(|| scanned.workspace_root.join(output::DEFAULT_FILE));
    if !path.is_file() {
        return None;
    }
    match delta::load(&delta::ReportRef::File(path)) {
        Ok(r) => Some(r),
        Err(e) => {
            if !config.quiet {
                eprintln!("note: no delta against the previous report: {e}");
            }
            None
        }
    }
}

/// The delta against the previous report, on stderr (stdout may carry the report itself),
/// marked with the workspace's policy and audits when it has them.
fn print_delta(config: &Config, old: &Report, new: &Report, root: &std::path::Path) {
    if config.quiet {
        return;
    }
    let mut d = risk_report::diff::diff(old, new);
    if let Err(e) = check::annotate_delta(&mut d, old, new, None, root) {
        eprintln!("note: the delta is not marked with the policy: {e}");
    }
    let mut out = Vec::new();
    let color = term::stderr_color(config.color);
    if delta::render_delta(&d, DiffFormat::Text, color, &Default::default(), &mut out).is_ok() {
        eprint!("{}", String::from_utf8_lossy(&out));
    }
}

fn summary(
    config: &Config,
    scanned: &pipeline::Scanned,
    report: &Report,
    written: &output::Written,
) {
    if !config.quiet {
        let paint = Paint {
            enabled: term::stderr_color(config.color),
        };
        eprint!("{}", output::summary(scanned, report, written, paint));
    }
}

fn scan(config: &Config) -> anyhow::Result<pipeline::Scanned> {
    let bar = progress_bar(config);
    let total = |n, done| {
        bar.set_length(n);
        bar.set_position(done);
        // Shown only from here: before, cargo metadata is running and there is no total.
        if wants_progress(config) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    };
    let progress = scan::Progress {
        total: &total,
        done: &|| bar.inc(1),
    };
    let scanned = pipeline::build_inputs(config, &progress)?;
    bar.finish_and_clear();
    if !config.quiet {
        for n in &scanned.notes {
            eprintln!("note: {}", term::sanitize(n));
        }
    }
    Ok(scanned)
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
