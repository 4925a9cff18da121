//! Classifying a build script into kinds, from its build-dependencies and its own code.
//!
//! The rules, in order of the evidence they use:
//! - a build-dependency listed in [`BUILD_DEPENDENCY_KINDS`] gives its kind (`cc` means native);
//! - network or process API findings in the build script's files mean `network` / `process`;
//! - a script that mentions `OUT_DIR` and writes files (an fs finding) is `codegen`;
//! - `cargo:rustc-link-lib` / `rustc-link-search` output means `link`;
//! - `cargo:rustc-cfg=` output means `probe` (a script can be a probe and native at once);
//! - a build script none of these describe is `other`.

use std::collections::{BTreeMap, BTreeSet};

use risk_report::facts::{
    BuildKind, BuildScript, COMPUTED_CFG, FileFacts, Kind, ManifestFacts, Role,
};

/// Build-dependencies that say what a build script does. Reviewed as data: add a row to teach
/// the classifier a new crate.
pub const BUILD_DEPENDENCY_KINDS: &[(&str, BuildKind)] = &[
    // compile or locate native code
    ("cc", BuildKind::Native),
    ("cmake", BuildKind::Native),
    ("bindgen", BuildKind::Native),
    ("pkg-config", BuildKind::Native),
    ("vcpkg", BuildKind::Native),
    ("cxx-build", BuildKind::Native),
    ("autotools", BuildKind::Native),
    ("nasm-rs", BuildKind::Native),
    ("system-deps", BuildKind::Native),
    ("metadeps", BuildKind::Native),
    ("openssl-src", BuildKind::Native),
    ("gcc", BuildKind::Native),
    // probe the compiler or target
    ("autocfg", BuildKind::Probe),
    ("rustc_version", BuildKind::Probe),
    ("version_check", BuildKind::Probe),
    ("rustversion", BuildKind::Probe),
    ("cfg_aliases", BuildKind::Probe),
    // generate code into OUT_DIR
    ("prost-build", BuildKind::Codegen),
    ("tonic-build", BuildKind::Codegen),
    ("lalrpop", BuildKind::Codegen),
    ("phf_codegen", BuildKind::Codegen),
    ("protobuf-codegen", BuildKind::Codegen),
    ("cbindgen", BuildKind::Codegen),
    ("built", BuildKind::Codegen),
    ("vergen", BuildKind::Codegen),
    ("windows-bindgen", BuildKind::Codegen),
];

/// Classifies the crate's build script; an empty [`BuildScript`] when it has none.
pub fn classify(
    manifest: &ManifestFacts,
    files: &[FileFacts],
    contents: &BTreeMap<String, Vec<u8>>,
) -> BuildScript {
    let Some(path) = manifest.build.clone() else {
        return BuildScript::default();
    };
    let mut found: Vec<(BuildKind, String)> = Vec::new();
    let mut give = |kind: BuildKind, why: String| found.push((kind, why));

    for dep in &manifest.build_dependencies {
        if let Some((_, kind)) = BUILD_DEPENDENCY_KINDS.iter().find(|(d, _)| d == dep) {
            give(*kind, format!("build-dependency {dep}"));
        }
    }

    let build_files: Vec<&FileFacts> = files.iter().filter(|f| f.role == Role::Build).collect();
    if build_files.is_empty() {
        give(BuildKind::Other, format!("{path} is not in the tarball"));
    }
    let first = |kind: Kind| {
        build_files.iter().find_map(|f| {
            f.findings.iter().find(|x| x.kind == kind).map(|x| {
                format!(
                    "{}:{} {}",
                    f.path,
                    x.line,
                    x.detail.as_deref().unwrap_or("")
                )
            })
        })
    };
    if let Some(at) = first(Kind::Net) {
        give(BuildKind::Network, at);
    }
    if let Some(at) = first(Kind::Process) {
        give(BuildKind::Process, at);
    }
    let fs_write = first(Kind::Fs);

    let text: String = build_files
        .iter()
        .filter_map(|f| contents.get(&f.path))
        .map(|b| String::from_utf8_lossy(b))
        .collect::<Vec<_>>()
        .join("\n");
    if text.contains("OUT_DIR")
        && let Some(at) = fs_write
    {
        give(
            BuildKind::Codegen,
            format!("writes under OUT_DIR ({})", at.trim_end()),
        );
    }
    if text.contains("rustc-link-lib") || text.contains("rustc-link-search") {
        give(
            BuildKind::Link,
            "prints cargo:rustc-link-lib/search".to_string(),
        );
    }
    if text.contains("rustc-cfg=") {
        give(BuildKind::Probe, "prints cargo:rustc-cfg".to_string());
    }
    if found.is_empty() {
        found.push((BuildKind::Other, "no rule matched".to_string()));
    }
    let kinds: BTreeSet<BuildKind> = found.iter().map(|(k, _)| *k).collect();
    let mut evidence: Vec<String> = found
        .iter()
        .map(|(k, why)| format!("{}: {why}", k.code()))
        .collect();
    evidence.sort();
    evidence.dedup();
    BuildScript {
        path: Some(path),
        kinds,
        evidence,
        sets_cfg: Vec::new(),
    }
}

/// Build-dependencies whose API sets `cfg` names the script passes them
/// (`autocfg::AutoCfg::emit_expression_cfg(.., "name")`, `cfg_aliases! { name: {..} }`).
const CFG_HELPERS: &[&str] = &["autocfg", "cfg_aliases", "rustc_version", "version_check"];

/// The `cfg` names the build script's code (`texts`, every file of its module tree) can set,
/// sorted: names printed literally (`cargo:rustc-cfg=NAME`, `cargo::rustc-cfg=NAME="v"`),
/// [`COMPUTED_CFG`] when it prints a directive or name it builds at run time
/// (`println!("cargo:rustc-cfg={}", name)`, `"cargo:{}"`), and `test` / `doctest` when it hands
/// those words to a helper that sets cfgs (see [`CFG_HELPERS`]).
pub fn sets_cfg<S: AsRef<str>>(
    texts: impl IntoIterator<Item = S>,
    build_dependencies: &BTreeSet<String>,
) -> Vec<String> {
    let helper = build_dependencies
        .iter()
        .any(|d| CFG_HELPERS.contains(&d.replace('-', "_").as_str()));
    let mut names = BTreeSet::new();
    for text in texts {
        let words = crate::source::cfg_words(text.as_ref());
        for lit in &words.literals {
            cfg_directives(lit, &mut names);
            if helper && matches!(lit.as_str(), "test" | "doctest") {
                names.insert(lit.clone());
            }
        }
        if helper {
            names.extend(
                words
                    .alias_keys
                    .into_iter()
                    .filter(|k| k == "test" || k == "doctest"),
            );
        }
    }
    names.into_iter().collect()
}

/// The `cfg` names one string literal of a build script sets when printed.
fn cfg_directives(lit: &str, names: &mut BTreeSet<String>) {
    const DIRECTIVE: &str = "rustc-cfg";
    for (at, _) in lit.match_indices(DIRECTIVE) {
        let rest = &lit[at + DIRECTIVE.len()..];
        let Some(rest) = rest.strip_prefix('=') else {
            if rest.is_empty() || rest.starts_with('{') {
                names.insert(COMPUTED_CFG.to_owned());
            }
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            names.insert(COMPUTED_CFG.to_owned());
        } else {
            names.insert(name);
        }
    }
    // a directive whose kind is filled in at run time: `cargo:{}`, `cargo::{}={}`, `rustc-{}`
    for prefix in ["cargo:", "cargo::", "rustc-"] {
        for (at, _) in lit.match_indices(prefix) {
            let rest = &lit[at + prefix.len()..];
            if rest.is_empty() || rest.starts_with('{') {
                names.insert(COMPUTED_CFG.to_owned());
            }
        }
    }
}
