//! The errors a run can end with. Each message says what is wrong and what to do about it;
//! the binary prints it and exits with [`Exit::Error`].

use std::path::PathBuf;

/// The process exit codes: CI can tell "the tool could not run" (2) from "the tool ran and
/// objected" (1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// The tool ran and the delta adds risk (`diff --fail-on-increase`).
    RiskAdded = 1,
    Error = 2,
}

impl Exit {
    /// `check` found a denied policy violation (the same status as risk added: the tool ran
    /// and objected).
    pub const POLICY_DENIED: Exit = Exit::RiskAdded;
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}

/// A tarball whose SHA-256 is not the one Cargo.lock pins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub name: String,
    pub version: String,
    pub file: PathBuf,
    pub expected: String,
    pub actual: String,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "{} is not a Cargo project: no Cargo.toml was found there{}; run this inside a Cargo project or pass --manifest-path path/to/Cargo.toml",
        path.display(),
        if *manifest_given { "" } else { " or in any parent directory" }
    )]
    NotACargoProject { path: PathBuf, manifest_given: bool },

    #[error(
        "cargo was not found ({0}); install Rust with rustup, or set $CARGO to the cargo binary"
    )]
    CargoNotFound(std::io::Error),

    #[error(
        "Cargo.lock is missing or out of date and --locked/--frozen forbids changing it; run `cargo generate-lockfile` (or `cargo update`) and commit Cargo.lock, or drop --locked\n\ncargo said:\n{stderr}"
    )]
    LockfileNeedsUpdate { stderr: String },

    #[error(
        "{}\n\ncargo said:\n{stderr}",
        if *offline {
            "cargo needs .crate files that are not in its cache, and --offline/--frozen forbids downloading them. Run `cargo fetch` with network access (or without --offline), then try again."
        } else {
            "cargo could not download some .crate files. Check the network and the registry configuration (source replacement, local registries), then run `cargo fetch`."
        }
    )]
    CargoDownload { offline: bool, stderr: String },

    #[error("`cargo {command}` failed:\n{stderr}")]
    Cargo { command: String, stderr: String },

    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot parse {}", path.display())]
    Lockfile {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },

    #[error("{}", mismatch_message(.0))]
    ChecksumMismatch(Vec<Mismatch>),

    #[error(
        "{} not in the cargo cache or any local registry: {}.\n{}",
        if crates.len() == 1 { "this crate's .crate file is" } else { "these crates' .crate files are" },
        crates.join(", "),
        if *offline {
            "Run `cargo fetch` (with network access) and try again, or run without --offline/--frozen so cargo-risk-report can fetch them."
        } else {
            "`cargo fetch` did not bring them; check the registry configuration and the network, then run `cargo fetch`."
        }
    )]
    MissingTarballs { crates: Vec<String>, offline: bool },

    #[error("cannot write the report to {} (check that the directory exists and is writable, or choose another path with --output)", path.display())]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("no package `{spec}` in the dependency graph{}", did_you_mean(.candidates))]
    PackageNotFound {
        spec: String,
        candidates: Vec<String>,
    },

    #[error("`{name}` is ambiguous: the graph has {}; name one as `{name}@VERSION`", .versions.join(", "))]
    AmbiguousPackage { name: String, versions: Vec<String> },

    #[error("cannot read the report {what}")]
    BadReport {
        what: String,
        #[source]
        problem: FileProblem,
    },

    #[error("cannot read the report {what}")]
    Report {
        what: String,
        #[source]
        source: risk_report::model::ReadError,
    },

    #[error("cannot read the SBOM {what}")]
    BadSbom {
        what: String,
        #[source]
        problem: FileProblem,
    },

    #[error("{0}")]
    Usage(String),

    #[error("cannot read `{spec}` from git: {message}")]
    Git { spec: String, message: String },

    #[error("cannot read `{spec}` from git: cannot run git")]
    GitNotRun {
        spec: String,
        #[source]
        source: std::io::Error,
    },

    #[error("`cargo update` failed; Cargo.lock and the report are unchanged:\n{stderr}")]
    Update { stderr: String },

    #[error("cannot start the worker threads")]
    ThreadPool(#[source] rayon::ThreadPoolBuildError),

    #[error("no policy file at {}; run `cargo risk-report init` to write one that grants what the graph uses today, or pass --policy PATH", path.display())]
    PolicyMissing { path: PathBuf },

    #[error("{} already exists; pass --force to replace it, or --policy PATH to write elsewhere", path.display())]
    PolicyExists { path: PathBuf },

    #[error("cannot use the policy {}", path.display())]
    Policy {
        path: PathBuf,
        #[source]
        source: risk_policy::PolicyError,
    },

    #[error("cannot use the scan settings in {}: {message}", path.display())]
    Settings { path: PathBuf, message: String },

    #[error("cannot use the scan settings in {}", path.display())]
    SettingsFile {
        path: PathBuf,
        #[source]
        source: SettingsError,
    },

    #[error("cannot read the cargo-vet audits in {}", path.display())]
    Audits {
        path: PathBuf,
        #[source]
        source: risk_policy::vet::VetError,
    },
}

/// What is wrong with a report or SBOM file that was found: the cause of
/// [`Error::BadReport`] and [`Error::BadSbom`].
#[derive(Debug, thiserror::Error)]
pub enum FileProblem {
    #[error("it is {bytes} bytes, over the {limit}-byte limit")]
    TooLarge { bytes: u64, limit: u64 },
    /// The offset of the first byte that is not UTF-8.
    #[error("not UTF-8 (byte {0})")]
    NotUtf8(usize),
    #[error("no readable version of it in git history or the working tree")]
    NoReadableVersion,
    #[error("not JSON")]
    NotJson(#[source] serde_json::Error),
    #[error(transparent)]
    Sbom(#[from] risk_report::sbom::SbomError),
}

/// Why a manifest's scan settings table (`settings.rs`) cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The manifest itself does not parse; the parser's error is the cause.
    #[error("not valid TOML")]
    Syntax(#[source] toml::de::Error),
    /// Both tables, `[workspace.metadata.…]` and `[package.metadata.…]`, are set.
    #[error("both {0} and {1} are set; keep one")]
    BothSections(String, String),
    /// A key of the table is unknown or has the wrong type: the deserializer's message,
    /// reworded to name the table.
    #[error("{table}: {said}")]
    Table { table: String, said: String },
}

/// An error and its causes on one line, each said once: messages leave their cause to
/// `source()`, and a cause whose text the line already ends with is not repeated. Causes
/// are [`tidy`]: a parser's message quotes the file it read.
pub fn with_causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let said = tidy(&c.to_string());
        if !text.ends_with(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        cause = c.source();
    }
    text
}

/// A cause's message as printed: a parser's message quotes the offending line of the file,
/// so what a terminal would run is escaped, and lines are cut so that a one-line file of
/// 100 MB does not come back on stderr.
pub fn tidy(message: &str) -> String {
    const MAX: usize = 200;
    let lines: Vec<String> = message
        .lines()
        .map(|line| {
            let safe = risk_report::sanitize::terminal(line);
            if safe.chars().count() > MAX {
                safe.chars().take(MAX).collect::<String>() + "..."
            } else {
                safe
            }
        })
        .collect();
    lines.join("\n")
}

fn mismatch_message(all: &[Mismatch]) -> String {
    let mut s = String::from(
        "checksum mismatch: refusing to analyze a tarball that is not the one Cargo.lock pins",
    );
    for m in all {
        s.push_str(&format!(
            "\n  {} {}: {}\n    Cargo.lock: sha256 {}\n    file:       sha256 {}",
            m.name,
            m.version,
            m.file.display(),
            m.expected,
            m.actual
        ));
    }
    s.push_str(
        "\nThe cached file may be corrupt or tampered with: delete it, run `cargo fetch`, and compare again.",
    );
    s
}

fn did_you_mean(candidates: &[String]) -> String {
    if candidates.is_empty() {
        String::new()
    } else {
        format!("; packages with a similar name: {}", candidates.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mismatch_names_the_crate_the_file_and_both_digests() {
        let e = Error::ChecksumMismatch(vec![Mismatch {
            name: "foo".into(),
            version: "1.2.3".into(),
            file: PathBuf::from("/cache/foo-1.2.3.crate"),
            expected: "aa".repeat(32),
            actual: "bb".repeat(32),
        }]);
        let msg = e.to_string();
        for part in [
            "foo 1.2.3",
            "/cache/foo-1.2.3.crate",
            &"aa".repeat(32),
            &"bb".repeat(32),
        ] {
            assert!(msg.contains(part), "{part} missing from {msg}");
        }
    }

    #[test]
    fn missing_tarballs_are_listed_with_what_to_run() {
        let offline = Error::MissingTarballs {
            crates: vec!["a@1.0.0".into(), "b@2.0.0".into()],
            offline: true,
        }
        .to_string();
        assert!(offline.contains("a@1.0.0, b@2.0.0"), "{offline}");
        assert!(offline.contains("Run `cargo fetch`"), "{offline}");
        let online = Error::MissingTarballs {
            crates: vec!["a@1.0.0".into()],
            offline: false,
        }
        .to_string();
        assert!(online.contains("this crate's .crate file is"), "{online}");
        assert!(online.contains("did not bring them"), "{online}");
    }

    #[test]
    fn a_cause_is_kept_as_the_source_not_repeated_in_the_message() {
        use std::error::Error as _;
        let e = Error::Read {
            path: PathBuf::from("/r"),
            source: std::io::Error::other("the disk is on fire"),
        };
        assert_eq!(e.to_string(), "cannot read /r");
        assert_eq!(
            e.source().map(ToString::to_string).as_deref(),
            Some("the disk is on fire")
        );
        assert_eq!(with_causes(&e), "cannot read /r: the disk is on fire");
    }

    #[test]
    fn exit_codes_are_stable() {
        assert_eq!(Exit::Ok as u8, 0);
        assert_eq!(Exit::RiskAdded as u8, 1);
        assert_eq!(Exit::Error as u8, 2);
        assert_eq!(Exit::POLICY_DENIED as u8, 1);
    }
}
