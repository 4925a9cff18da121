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
    /// `--target`: restrict the graph to one platform. `None` keeps every platform, so the
    /// report does not depend on the machine it was made on.
    pub target: Option<String>,
    /// `--output`; `None` means `risk-report.toml` beside the workspace's Cargo.lock.
    pub output: Option<PathBuf>,
    pub format: Format,
    /// Report the workspace members themselves too.
    pub include_members: bool,
    /// `--cache-dir`; `None` means the user's cache folder.
    pub cache_dir: Option<PathBuf>,
    /// `--no-cache`: neither read nor write cached results.
    pub no_cache: bool,
    /// `--exhaustive` (hidden): syn parses every item of every file, and no cache is used.
    pub exhaustive: bool,
    pub command: Command,
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
}

/// How a delta is rendered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DiffFormat {
    #[default]
    Text,
    Markdown,
    Json,
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
