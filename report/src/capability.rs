//! The capability vocabulary: what a package is able to do, as one typed table.
//!
//! Every place that speaks of capabilities (the report's `capabilities` lists, the delta's
//! headlines and severities, SARIF levels, the dashboard's data, `init`'s groups, `check`'s
//! evidence, the policy's names) reads [`Capability::info`]. Matches on [`Capability`] are
//! exhaustive, so adding one is a compile error everywhere it must be thought about.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

/// How serious a change is, for ordering and for CI gates. Ordered from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Nothing about the package's risk moved (a version bump with the same facts, or a
    /// removal).
    None,
    /// Counters moved, or risk went down, without new capabilities.
    Low,
    /// A new capability of a milder kind (fs, env, unsafe, embedded content), more unsafe
    /// code, a build script that now generates code or links a library.
    Medium,
    /// A new capability of a severe kind (network, processes, FFI, build-time code, shipped
    /// binaries, hidden text), a native or networked build script, or code the scanner can no
    /// longer see.
    High,
    /// Same name and version, different bytes or source: the registry or lockfile changed
    /// under you.
    Critical,
}

impl Severity {
    /// The kebab-case name (`high`), as in JSON and the dashboard.
    pub fn code(self) -> &'static str {
        match self {
            Severity::None => "none",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// What a package is able to do, from its shipped and build-script code and its manifest.
/// Serialized as its kebab-case code; ordered (and hashed) by that code, so a set of
/// capabilities writes the same bytes as the set of their names and can be asked
/// `contains("net")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    Net,
    Process,
    Ffi,
    Binary,
    ProcMacro,
    BuildScript,
    HiddenText,
    Fs,
    EnvWrite,
    Unsafe,
    Embed,
    EnvRead,
}

/// The groups `init` sorts grants into, riskiest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    BuildTime,
    NetworkAndProcesses,
    Native,
    HiddenText,
    Unsafe,
    FilesAndEnvironment,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::BuildTime => "Code that runs when you build: build scripts and proc macros",
            Group::NetworkAndProcesses => "Network and process spawning",
            Group::Native => "Native code: FFI and shipped binaries",
            Group::HiddenText => "Text that hides code from reviewers",
            Group::Unsafe => "Unsafe code",
            Group::FilesAndEnvironment => "File system, environment and embedded files",
        }
    }
}

/// One row of the capability table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    /// The stable kebab-case code, as reports and policies write it.
    pub code: &'static str,
    /// A short label for charts and filters: `network`.
    pub label: &'static str,
    /// One line saying what it means, for docs, SARIF rules and policies.
    pub describe: &'static str,
    /// The delta's headline when a package gains it: `now uses the network`.
    pub headline: &'static str,
    /// How serious gaining it is.
    pub severity: Severity,
    /// Common and mostly harmless: a starting policy warns about it instead of denying it.
    pub routine: bool,
    /// Where `init` puts a crate that has it.
    pub group: Group,
}

impl Capability {
    /// Every capability, most telling first: the rank order of headlines, charts and tables.
    pub const ALL: &'static [Capability] = &[
        Capability::Net,
        Capability::Process,
        Capability::Ffi,
        Capability::Binary,
        Capability::ProcMacro,
        Capability::BuildScript,
        Capability::HiddenText,
        Capability::Fs,
        Capability::EnvWrite,
        Capability::Unsafe,
        Capability::Embed,
        Capability::EnvRead,
    ];

    /// The table.
    pub fn info(self) -> Info {
        use Severity::{High, Medium};
        let row = |code, label, describe, headline, severity, routine, group| Info {
            code,
            label,
            describe,
            headline,
            severity,
            routine,
            group,
        };
        match self {
            Capability::Net => row(
                "net",
                "network",
                "network API",
                "now uses the network",
                High,
                false,
                Group::NetworkAndProcesses,
            ),
            Capability::Process => row(
                "process",
                "process spawning",
                "spawns processes",
                "now spawns processes",
                High,
                false,
                Group::NetworkAndProcesses,
            ),
            Capability::Ffi => row(
                "ffi",
                "FFI / C calls",
                "calls C or loads libraries",
                "now calls C (FFI)",
                High,
                false,
                Group::Native,
            ),
            Capability::Binary => row(
                "binary",
                "ships binaries",
                "ships executables or libraries in the tarball",
                "now ships a binary",
                High,
                false,
                Group::Native,
            ),
            Capability::ProcMacro => row(
                "proc-macro",
                "proc macro",
                "a proc macro: runs inside the compiler",
                "now a proc macro",
                High,
                false,
                Group::BuildTime,
            ),
            Capability::BuildScript => row(
                "build-script",
                "build script",
                "runs a build script when you build",
                "now has a build script",
                High,
                false,
                Group::BuildTime,
            ),
            Capability::HiddenText => row(
                "hidden-text",
                "hidden text",
                "bidi controls or look-alike identifiers that hide code from reviewers",
                "now hides text from reviewers (bidi controls or lookalike identifiers)",
                High,
                false,
                Group::HiddenText,
            ),
            Capability::Fs => row(
                "fs",
                "file system",
                "file system API",
                "now uses the file system",
                Medium,
                false,
                Group::FilesAndEnvironment,
            ),
            Capability::EnvWrite => row(
                "env-write",
                "writes env",
                "sets environment variables or the current directory",
                "now writes the environment",
                Medium,
                false,
                Group::FilesAndEnvironment,
            ),
            Capability::Unsafe => row(
                "unsafe",
                "unsafe code",
                "unsafe code (any unsafe-family finding)",
                "now uses unsafe code",
                Medium,
                false,
                Group::Unsafe,
            ),
            Capability::Embed => row(
                "embed",
                "embeds files",
                "include_bytes! / include_str! / include!",
                "now embeds files",
                Medium,
                true,
                Group::FilesAndEnvironment,
            ),
            Capability::EnvRead => row(
                "env-read",
                "reads env",
                "reads environment variables (common and mostly harmless)",
                "now reads environment variables",
                Medium,
                true,
                Group::FilesAndEnvironment,
            ),
        }
    }

    pub fn code(self) -> &'static str {
        self.info().code
    }

    pub fn severity(self) -> Severity {
        self.info().severity
    }

    /// Position in [`Capability::ALL`]: 0 is the most telling.
    pub fn rank(self) -> usize {
        Capability::ALL
            .iter()
            .position(|c| *c == self)
            .unwrap_or(Capability::ALL.len())
    }

    pub fn from_code(code: &str) -> Option<Capability> {
        Capability::ALL.iter().copied().find(|c| c.code() == code)
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Ord for Capability {
    fn cmp(&self, other: &Self) -> Ordering {
        self.code().cmp(other.code())
    }
}

impl PartialOrd for Capability {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Hash for Capability {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.code().hash(state);
    }
}

/// Order, equality and hash all follow the code, as `Borrow` requires.
impl Borrow<str> for Capability {
    fn borrow(&self) -> &str {
        self.code()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn codes_are_unique_and_serde_agrees() -> Result<(), serde_json::Error> {
        let mut seen = BTreeSet::new();
        for &c in Capability::ALL {
            assert!(seen.insert(c.code()), "duplicate {c}");
            assert_eq!(serde_json::to_string(&c)?, format!("\"{c}\""));
            assert_eq!(Capability::from_code(c.code()), Some(c));
            let back: Capability = serde_json::from_str(&format!("\"{c}\""))?;
            assert_eq!(back, c);
        }
        assert_eq!(seen.len(), Capability::ALL.len());
        Ok(())
    }

    #[test]
    fn sets_order_by_code_and_answer_by_name() {
        let set: BTreeSet<Capability> = Capability::ALL.iter().copied().collect();
        let names: Vec<&str> = set.iter().map(|c| c.code()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert!(set.contains("net") && !set.contains("network"));
    }

    #[test]
    fn ranks_follow_the_table() {
        for (i, c) in Capability::ALL.iter().enumerate() {
            assert_eq!(c.rank(), i);
        }
        // The most telling capabilities are also the most severe ones.
        let severities: Vec<Severity> = Capability::ALL.iter().map(|c| c.severity()).collect();
        let mut sorted = severities.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(severities, sorted);
    }
}
