//! The run's settings as plain data: what `args` parses the command line into, and the only
//! thing the rest of the crate reads. Nothing here knows about clap.

use std::path::PathBuf;

pub use crate::plumbing::options::{CargoFlags, Options, PackageSpec, ScanFlags, Scope};

/// Everything one run needs to know.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// What the workspace plumbing reads: manifest, cargo flags, scope, cache, threads.
    pub options: Options,
    pub color: ColorChoice,
    /// `--output`; `None` means `risk-report.toml` beside the workspace's Cargo.lock.
    pub output: Option<PathBuf>,
    pub format: Format,
    pub command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// `--format`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// The canonical report file.
    #[default]
    Toml,
    /// JSON, on stdout unless `--output` is given.
    Json,
}

/// What to do once the graph is known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Command {
    /// Scan every package and write the report.
    #[default]
    Report,
    /// Print every finding of one package with its location and source line.
    Show(PackageSpec),
    /// Compare two reports.
    Diff(DiffArgs),
    /// Report, run `cargo update` with these arguments, report again, print the delta.
    Update(Vec<String>),
    /// Scan and apply the crate trust policy.
    Check(PolicyArgs),
    /// Write a starting policy granting what the graph uses today.
    Init(PolicyArgs),
    /// Write the HTML dashboard.
    Html(HtmlArgs),
    /// Write a CycloneDX SBOM, or verify the graph against one.
    Sbom(SbomArgs),
}

/// `html [REPORT...]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlArgs {
    /// Report files or `git:REV[:PATH]`, oldest first; empty means the workspace's report.
    pub reports: Vec<String>,
    /// Every committed version of the report, from `git log`.
    pub history: bool,
    /// `-o`; `None` means `risk-report.html` at the workspace root (the current directory
    /// outside a Cargo project).
    pub output: Option<PathBuf>,
    pub title: Option<String>,
}

/// `sbom`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SbomArgs {
    /// `-o`; `None` means stdout.
    pub output: Option<PathBuf>,
    /// `--verify SBOM`: compare the lockfile and tarballs with this SBOM instead.
    pub verify: Option<PathBuf>,
}

/// `check` and `init`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyArgs {
    /// The policy file; `None` means `risk-policy.toml` at the workspace root.
    pub policy: Option<PathBuf>,
    /// `init`: replace an existing policy file.
    pub force: bool,
    /// `init`: "allowed to exist" mode, a grant for every package.
    pub deny_unlisted: bool,
    /// `check --format`.
    pub format: CheckFormat,
    /// `check -D warnings`: warnings fail the check too.
    pub deny_warnings: bool,
}

/// How `check` prints its outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CheckFormat {
    #[default]
    Text,
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}

/// `diff OLD NEW`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffArgs {
    /// A report file or `git:REV[:PATH]`.
    pub old: String,
    pub new: String,
    pub format: DiffFormat,
    /// Exit 1 when the delta adds risk.
    pub fail_on_increase: bool,
    /// Show the risky code that changed, from both versions' tarballs.
    pub source: bool,
    /// The policy that marks violating changes; `None` uses `./risk-policy.toml` when present.
    pub policy: Option<PathBuf>,
}

/// How a delta is rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DiffFormat {
    #[default]
    Text,
    Markdown,
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}
