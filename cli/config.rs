//! The run's settings as plain data: what `args` parses the command line into, and the only
//! thing the rest of the crate reads. Nothing here knows about clap.

use std::path::PathBuf;

/// Everything one run needs to know.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// `--manifest-path`; `None` lets cargo search upwards from the current directory.
    pub manifest_path: Option<PathBuf>,
    pub cargo: CargoFlags,
    /// Worker threads; `None` means the machine's available parallelism.
    pub jobs: Option<usize>,
    pub quiet: bool,
    pub color: ColorChoice,
    /// `--output`; `None` means `risk-report.toml` beside the workspace's Cargo.lock.
    pub output: Option<PathBuf>,
    pub format: Format,
    /// What the command line says about the scan.
    pub flags: ScanFlags,
    /// The scan settings in force: the flags over `[workspace.metadata.risk-report]` over the
    /// defaults (`settings::load`); until that file is read, the flags over the defaults.
    pub scope: Scope,
    /// `--cache-dir`; `None` means the user's cache folder.
    pub cache_dir: Option<PathBuf>,
    /// `--no-cache`: neither read nor write cached results.
    pub no_cache: bool,
    /// `--exhaustive` (hidden): syn parses every item of every file, and no cache is used.
    pub exhaustive: bool,
    pub command: Command,
}

/// The scan flags as given; empty or `None` means not given, so the settings file or the
/// default applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanFlags {
    /// `--target` (repeatable).
    pub targets: Vec<String>,
    /// `-p/--package` (repeatable): only these workspace members' dependencies.
    pub packages: Vec<String>,
    /// `--exclude` (repeatable): leave these packages out, with what only they reach.
    pub exclude: Vec<String>,
    /// `--exclude-dev`.
    pub exclude_dev: bool,
    /// `--include-members`.
    pub include_members: bool,
    pub max_entry_bytes: Option<u64>,
    pub max_total_bytes: Option<u64>,
    pub max_entries: Option<u64>,
}

/// What the scan covers and how it reads tarballs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// Restrict the graph to these target triples; empty keeps every platform, so the report
    /// does not depend on the machine it was made on.
    pub targets: Vec<String>,
    /// Only the dependencies of these workspace members; empty: every member.
    pub packages: Vec<String>,
    /// Packages left out, with whatever only they reach.
    pub exclude: Vec<PackageSpec>,
    /// Leave out what is reached only through dev-dependencies.
    pub exclude_dev: bool,
    /// Report the workspace members themselves too.
    pub include_members: bool,
    /// Caps on what one crate's tarball may make the analyzer read; what is over a cap is
    /// recorded as skipped.
    pub limits: risk_analyzer::Limits,
    /// The root manifest the settings were looked for in (`None` before `settings::load`).
    pub manifest: Option<PathBuf>,
}

/// The cargo flags passed through to `cargo metadata` and `cargo fetch`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CargoFlags {
    pub locked: bool,
    pub offline: bool,
    pub frozen: bool,
}

impl CargoFlags {
    /// Whether cargo may use the network (`--frozen` implies `--offline`).
    pub fn network_allowed(&self) -> bool {
        !(self.offline || self.frozen)
    }

    /// The flags as cargo spells them, in a fixed order.
    pub fn to_args(self) -> Vec<String> {
        let mut args = Vec::new();
        if self.locked {
            args.push("--locked".to_owned());
        }
        if self.offline {
            args.push("--offline".to_owned());
        }
        if self.frozen {
            args.push("--frozen".to_owned());
        }
        args
    }
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

/// `name` or `name@version`, as given to `show`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageSpec {
    pub name: String,
    pub version: Option<String>,
}

impl PackageSpec {
    pub fn parse(spec: &str) -> PackageSpec {
        match spec.split_once('@') {
            Some((name, version)) => PackageSpec {
                name: name.to_owned(),
                version: Some(version.to_owned()),
            },
            None => PackageSpec {
                name: spec.to_owned(),
                version: None,
            },
        }
    }
}

impl std::fmt::Display for PackageSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.version {
            Some(v) => write!(f, "{}@{v}", self.name),
            None => f.write_str(&self.name),
        }
    }
}
