//! The subcommands, one module each: parse nothing (the config is already plain data), ask
//! the plumbing for what they need, render, print. [`run`] dispatches; the report-writing
//! commands (`report`, `update`) live here, beside the scan with its progress bar that every
//! scanning command starts from.

pub mod check;
pub mod diff;
pub mod html;
pub mod init;
pub mod sbom;
pub mod show;

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use risk_report::model::Report;

use crate::config::{CheckFormat, Command, Config, DiffFormat, Format};
use crate::output;
use crate::plumbing::error::{Exit, with_causes};
use crate::plumbing::session::Session;
use crate::plumbing::{cache, cargo, pipeline, policy, reports, scan};
use crate::render::delta::render_delta;
use crate::term::{self, Paint};

/// Runs the command `config` holds; the scan settings are already in `config.options.scope`.
/// Every command that looks at the workspace reads it through one [`Session`].
pub fn run(config: &Config) -> anyhow::Result<Exit> {
    if let Some(problem) = cache::cache_dir_problem(&config.options) {
        eprintln!("warning: {}", term::sanitize(&problem));
    }
    let session = Session::new(&config.options);
    match &config.command {
        Command::Report => {
            let scanned = scan(config, &session)?;
            let previous = previous_report(config, scanned);
            let (written, new) = output::write_report(config, scanned)?;
            if let Some(old) = previous {
                print_delta(config, &old, &new, &scanned.workspace_root);
            }
            summary(config, scanned, &new, &written);
            Ok(Exit::Ok)
        }
        Command::Show(spec) => {
            let paint = Paint {
                enabled: term::stdout_color(config.color),
            };
            let text = show::show(&session, spec, paint)?;
            output::write_stdout(&text)?;
            Ok(Exit::Ok)
        }
        Command::Diff(args) => {
            // Reports and tarballs only: the session's opener, without the graph (no cargo).
            let color = term::stdout_color(config.color);
            let (text, outcome) = diff::run(args, color, &session.root(), session.opener())?;
            output::write_stdout(&text)?;
            Ok(if args.fail_on_increase && outcome.adds_risk {
                Exit::RiskAdded
            } else {
                Exit::Ok
            })
        }
        Command::Update(cargo_args) => {
            let before = scan(config, &session)?.report.clone();
            let manifest = session.workspace()?.root_manifest();
            let said = cargo::update(config.options.cargo, &manifest, cargo_args)?;
            if !config.options.quiet {
                for line in said.lines() {
                    eprintln!("{}", term::sanitize(line));
                }
            }
            // The workspace has changed: a new session reads it again.
            let after = Session::new(&config.options);
            let scanned = scan(config, &after)?;
            let (written, new) = output::write_report(config, scanned)?;
            print_delta(config, &before, &new, &scanned.workspace_root);
            summary(config, scanned, &new, &written);
            Ok(Exit::Ok)
        }
        Command::Check(args) => {
            let scanned = scan(config, &session)?;
            let checked = check::run(args, scanned, session.opener(), risk_policy::Date::today())?;
            let paint = Paint {
                enabled: args.format == CheckFormat::Text && term::stdout_color(config.color),
            };
            output::write_stdout(&term::paint_levels(&checked.text, paint))?;
            Ok(checked.exit)
        }
        Command::Init(args) => {
            let scanned = scan(config, &session)?;
            let w = init::run(args, scanned)?;
            if !config.options.quiet {
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
                if !config.options.quiet {
                    eprintln!("note: {}", term::sanitize(s));
                }
            };
            let (path, n) = html::run(config, args, &session, &note)?;
            if !config.options.quiet {
                let what = if n == 1 { "report" } else { "reports" };
                eprintln!("Dashboard of {n} {what} written to {}", path.display());
            }
            Ok(Exit::Ok)
        }
        Command::Sbom(args) => match &args.verify {
            Some(path) => {
                let v = sbom::verify(&session, path)?;
                if v.differences.is_empty() {
                    if !config.options.quiet {
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
                let scanned = scan(config, &session)?;
                let text = sbom::generate(config, scanned)?;
                match &args.output {
                    Some(path) => {
                        output::write_atomically(path, text.as_bytes())?;
                        if !config.options.quiet {
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

/// The report this run is about to replace, when there is one to compare with and a delta to
/// print (not under `--quiet`). A report that cannot be read (another schema version,
/// hand-edited) is noted and otherwise ignored: it is about to be replaced anyway.
fn previous_report(config: &Config, scanned: &pipeline::Scanned) -> Option<Report> {
    if config.format != Format::Toml || config.options.quiet {
        return None;
    }
    let path = config
        .output
        .clone()
        .unwrap_or_else(|| scanned.workspace_root.join(output::DEFAULT_FILE));
    if !path.is_file() {
        return None;
    }
    match reports::load(&reports::ReportRef::File(path)) {
        Ok(r) => Some(r),
        Err(e) => {
            if !config.options.quiet {
                eprintln!(
                    "note: no delta against the previous report: {}",
                    with_causes(&e)
                );
            }
            None
        }
    }
}

/// The delta against the previous report, on stderr (stdout may carry the report itself),
/// marked with the workspace's policy and audits when it has them.
fn print_delta(config: &Config, old: &Report, new: &Report, root: &std::path::Path) {
    if config.options.quiet {
        return;
    }
    let mut d = risk_report::diff::diff(old, new);
    if let Err(e) = policy::annotate_delta(&mut d, old, new, None, root) {
        eprintln!(
            "note: the delta is not marked with the policy: {}",
            with_causes(&e)
        );
    }
    let mut out = Vec::new();
    let color = term::stderr_color(config.color);
    if render_delta(&d, DiffFormat::Text, color, &Default::default(), &mut out).is_ok() {
        eprint!("{}", String::from_utf8_lossy(&out));
    }
}

fn summary(
    config: &Config,
    scanned: &pipeline::Scanned,
    report: &Report,
    written: &output::Written,
) {
    if !config.options.quiet {
        let paint = Paint {
            enabled: term::stderr_color(config.color),
        };
        eprint!("{}", output::summary(scanned, report, written, paint));
    }
}

/// The session's scan, with the progress bar and the notes on stderr.
fn scan<'s>(config: &Config, session: &'s Session) -> anyhow::Result<&'s pipeline::Scanned> {
    let bar = progress_bar(config);
    let shown = std::cell::Cell::new(false);
    let total = |n, done| {
        bar.set_length(n);
        bar.set_position(done);
        // Shown only from here: before, cargo metadata is running and there is no total.
        // Once: the total is told again when the graph is known, and a second stderr target
        // would draw below the first one's line, which no clear would then reach.
        if wants_progress(config) && !shown.replace(true) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    };
    let progress = scan::Progress {
        total: &total,
        done: &|| bar.inc(1),
    };
    let scanned = session.scan(&progress);
    // Cleared before anything else is printed, the error included.
    bar.finish_and_clear();
    let scanned = scanned?;
    if !config.options.quiet {
        for n in &scanned.notes {
            eprintln!("note: {}", term::sanitize(n));
        }
    }
    Ok(scanned)
}

/// A crates-done/total bar on stderr, only for a person watching a terminal.
fn wants_progress(config: &Config) -> bool {
    !config.options.quiet && std::io::stderr().is_terminal()
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
