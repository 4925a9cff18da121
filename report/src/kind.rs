//! The finding and build-script vocabularies: each kind of finding with its code, family and
//! the capability it counts toward, and the kinds a build script can be.
//!
//! This module sits below `facts` (which stores kinds) and above `capability` (which it maps
//! kinds to), so the dependency between the vocabularies points one way.

use serde::{Deserialize, Serialize};

use crate::capability::{Capability, Severity};

/// One kind of finding. The kebab-case name (see [`Kind::code`]) is the stable code used in
/// reports, diffs and policies: never rename one, only add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    // unsafe code and low-level linkage
    UnsafeBlock,
    UnsafeFn,
    UnsafeImpl,
    UnsafeTrait,
    ExternBlock,
    StaticMut,
    NoMangle,
    ExportName,
    LinkAttr,
    LinkSection,
    InlineAsm,
    Transmute,
    // embedded content
    IncludeBytes,
    IncludeStr,
    Include,
    // API use, by capability
    Fs,
    Net,
    Process,
    EnvRead,
    EnvWrite,
    Ffi,
    // text that reads differently from what the compiler sees
    BidiControl,
    ConfusableIdent,
}

/// The families kinds are grouped in, in reports and docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    Unsafe,
    Embed,
    Api,
    /// Text that hides code from a reviewer: bidi controls, lookalike identifiers.
    Hiding,
}

/// One row of the finding-code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    /// The stable kebab-case code.
    pub code: &'static str,
    pub family: Family,
    /// The capability it counts toward in a package's `capabilities` (and in policies).
    pub capability: Capability,
    /// One line for docs, `show` and SARIF rules.
    pub describe: &'static str,
}

impl Kind {
    /// Every kind, in code order.
    pub const ALL: &'static [Kind] = &[
        Kind::UnsafeBlock,
        Kind::UnsafeFn,
        Kind::UnsafeImpl,
        Kind::UnsafeTrait,
        Kind::ExternBlock,
        Kind::StaticMut,
        Kind::NoMangle,
        Kind::ExportName,
        Kind::LinkAttr,
        Kind::LinkSection,
        Kind::InlineAsm,
        Kind::Transmute,
        Kind::IncludeBytes,
        Kind::IncludeStr,
        Kind::Include,
        Kind::Fs,
        Kind::Net,
        Kind::Process,
        Kind::EnvRead,
        Kind::EnvWrite,
        Kind::Ffi,
        Kind::BidiControl,
        Kind::ConfusableIdent,
    ];

    /// The table: one exhaustive match, every other question about a kind reads it.
    pub fn info(self) -> KindInfo {
        use Capability as C;
        use Family::{Api, Embed, Hiding, Unsafe};
        let row = |code, family, capability, describe| KindInfo {
            code,
            family,
            capability,
            describe,
        };
        match self {
            Kind::UnsafeBlock => row("unsafe-block", Unsafe, C::Unsafe, "`unsafe { .. }` block"),
            Kind::UnsafeFn => row(
                "unsafe-fn",
                Unsafe,
                C::Unsafe,
                "`unsafe fn` (free function, method or trait method)",
            ),
            Kind::UnsafeImpl => row("unsafe-impl", Unsafe, C::Unsafe, "`unsafe impl`"),
            Kind::UnsafeTrait => row("unsafe-trait", Unsafe, C::Unsafe, "`unsafe trait`"),
            Kind::ExternBlock => row(
                "extern-block",
                Unsafe,
                C::Unsafe,
                "`extern \"ABI\" { .. }` block declaring foreign items",
            ),
            Kind::StaticMut => row("static-mut", Unsafe, C::Unsafe, "`static mut` item"),
            Kind::NoMangle => row(
                "no-mangle",
                Unsafe,
                C::Unsafe,
                "`#[no_mangle]` / `#[unsafe(no_mangle)]` attribute",
            ),
            Kind::ExportName => row(
                "export-name",
                Unsafe,
                C::Unsafe,
                "`#[export_name]` attribute",
            ),
            Kind::LinkAttr => row(
                "link-attr",
                Unsafe,
                C::Unsafe,
                "`#[link(..)]` attribute (links a native library)",
            ),
            Kind::LinkSection => row(
                "link-section",
                Unsafe,
                C::Unsafe,
                "`#[link_section]` attribute",
            ),
            Kind::InlineAsm => row(
                "inline-asm",
                Unsafe,
                C::Unsafe,
                "`asm!` / `global_asm!` / `naked_asm!` inline assembly",
            ),
            Kind::Transmute => row(
                "transmute",
                Unsafe,
                C::Unsafe,
                "`transmute` / `transmute_copy` call",
            ),
            Kind::IncludeBytes => row(
                "include-bytes",
                Embed,
                C::Embed,
                "`include_bytes!`: a file embedded as bytes",
            ),
            Kind::IncludeStr => row(
                "include-str",
                Embed,
                C::Embed,
                "`include_str!`: a file embedded as a string",
            ),
            Kind::Include => row(
                "include",
                Embed,
                C::Embed,
                "`include!`: a file spliced in as Rust code",
            ),
            Kind::Fs => row("fs", Api, C::Fs, "file system API"),
            Kind::Net => row("net", Api, C::Net, "network API"),
            Kind::Process => row("process", Api, C::Process, "process spawning API"),
            Kind::EnvRead => row("env-read", Api, C::EnvRead, "environment variable read"),
            Kind::EnvWrite => row(
                "env-write",
                Api,
                C::EnvWrite,
                "environment write (set_var, remove_var, set_current_dir)",
            ),
            Kind::Ffi => row(
                "ffi",
                Api,
                C::Ffi,
                "call into C bindings (libc, windows-sys, winapi, nix) or dynamic loading",
            ),
            Kind::BidiControl => row(
                "bidi-control",
                Hiding,
                C::HiddenText,
                "bidirectional control character (Trojan Source, CVE-2021-42574), in code, a string or a comment",
            ),
            Kind::ConfusableIdent => row(
                "confusable-ident",
                Hiding,
                C::HiddenText,
                "identifier with lookalike or mixed-script letters (a Cyrillic `а` among Latin ones)",
            ),
        }
    }

    /// The stable kebab-case code.
    pub fn code(self) -> &'static str {
        self.info().code
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.code() == code)
    }

    pub fn family(self) -> Family {
        self.info().family
    }

    /// The capability this kind counts toward in a package's `capabilities` (and in
    /// policies).
    pub fn capability(self) -> Capability {
        self.info().capability
    }

    /// One line for docs and `show`.
    pub fn describe(self) -> &'static str {
        self.info().describe
    }

    /// The kinds that count toward `capability`; empty for the capabilities that come from
    /// the manifest or the tarball (build script, proc macro, binary).
    pub fn counting_toward(capability: Capability) -> Vec<Kind> {
        (Kind::ALL.iter().copied())
            .filter(|k| k.capability() == capability)
            .collect()
    }
}

/// The kinds a build script can be; a script can be several at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BuildKind {
    /// Detects the compiler version, target or features (autocfg, rustc_version,
    /// version_check, or only `cargo:rustc-cfg` output).
    Probe,
    /// Writes generated files into `OUT_DIR`: reads `OUT_DIR` in code and makes a write-like
    /// fs call, or uses a code generator as a build-dependency.
    Codegen,
    /// Compiles native code (cc, cmake, bindgen, pkg-config, vcpkg, ...).
    Native,
    /// Links a native library (`cargo:rustc-link-lib` / `rustc-link-search`).
    Link,
    /// Uses the network.
    Network,
    /// Spawns processes.
    Process,
    /// A build script none of the rules above describe.
    Other,
}

impl BuildKind {
    /// Every kind, in code order.
    pub const ALL: &'static [BuildKind] = &[
        BuildKind::Probe,
        BuildKind::Codegen,
        BuildKind::Native,
        BuildKind::Link,
        BuildKind::Network,
        BuildKind::Process,
        BuildKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            BuildKind::Probe => "probe",
            BuildKind::Codegen => "codegen",
            BuildKind::Native => "native",
            BuildKind::Link => "link",
            BuildKind::Network => "network",
            BuildKind::Process => "process",
            BuildKind::Other => "other",
        }
    }

    /// How serious it is for a build script to start doing this, and the delta's headline.
    pub fn gained(self) -> (Severity, &'static str) {
        match self {
            BuildKind::Native => (Severity::High, "build script now compiles native code"),
            BuildKind::Network => (Severity::High, "build script now uses the network"),
            BuildKind::Process => (Severity::High, "build script now spawns processes"),
            BuildKind::Link => (Severity::Medium, "build script now links a native library"),
            BuildKind::Codegen => (Severity::Medium, "build script now generates code"),
            BuildKind::Other => (Severity::Medium, "build script now does something new"),
            BuildKind::Probe => (Severity::Low, "build script now probes the compiler"),
        }
    }

    pub fn severity(self) -> Severity {
        self.gained().0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_counts_toward_a_capability_with_kinds() {
        for k in Kind::ALL {
            assert!(Kind::counting_toward(k.capability()).contains(k), "{k:?}");
        }
        for c in [
            Capability::BuildScript,
            Capability::ProcMacro,
            Capability::Binary,
        ] {
            assert!(Kind::counting_toward(c).is_empty(), "{c}");
        }
    }
}
