//! The plumbing's own vocabulary of a run, as plain data: what `config.rs` hands down, so
//! nothing under `plumbing/` reads the command-level configuration.

use std::path::{Path, PathBuf};

/// What the workspace plumbing needs to know of a run: where the workspace is, how to run
/// cargo, what the scan covers, where results are cached, how many threads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `--manifest-path`; `None` lets cargo search upwards from the current directory.
    pub manifest_path: Option<PathBuf>,
    pub cargo: CargoFlags,
    /// Worker threads; `None` means the machine's available parallelism.
    pub jobs: Option<usize>,
    pub quiet: bool,
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
}

impl Options {
    /// What running cargo needs of this run.
    pub fn cargo_run(&self) -> CargoRun<'_> {
        CargoRun {
            manifest_path: self.manifest_path.as_deref(),
            flags: self.cargo,
            targets: &self.scope.targets,
            quiet: self.quiet,
        }
    }
}

/// How cargo is run for the workspace: the few values `cargo metadata`, `cargo fetch`, the
/// metadata cache's key and the scan ahead read of a run.
#[derive(Debug, Clone, Copy)]
pub struct CargoRun<'a> {
    /// `--manifest-path`; `None` lets cargo search upwards from the current directory.
    pub manifest_path: Option<&'a Path>,
    pub flags: CargoFlags,
    /// The target triples the graph is restricted to (the scope's).
    pub targets: &'a [String],
    pub quiet: bool,
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
