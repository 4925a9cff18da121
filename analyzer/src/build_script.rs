//! Classifying a build script into kinds, from its build-dependencies and its own code.
//!
//! The rules, in order of the evidence they use:
//! - a build-dependency listed in [`BUILD_DEPENDENCY_KINDS`] gives its kind (`cc` means native);
//! - network or process API findings in the build script's files mean `network` / `process`;
//! - a script that reads `OUT_DIR` in code (`env::var("OUT_DIR")`, `var_os`, `env!`, or a
//!   function of the script that wraps them) and makes a write-like fs call ([`WRITES`], `OpenOptions` with a write flag) is `codegen`, citing the
//!   first such call;
//! - `cargo:rustc-link-lib` / `rustc-link-search` output means `link`;
//! - `cargo:rustc-cfg=` output means `probe` (a script can be a probe and native at once);
//! - a build script none of these describe is `other`.

use crate::archive::Files;
use std::collections::BTreeSet;

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
pub fn classify(manifest: &ManifestFacts, files: &[FileFacts], contents: &Files) -> BuildScript {
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
    if let Some(why) = codegen(&build_files, contents) {
        give(BuildKind::Codegen, why);
    }

    let text: String = build_files
        .iter()
        .filter_map(|f| contents.get(&f.path))
        .map(|b| String::from_utf8_lossy(b))
        .collect::<Vec<_>>()
        .join("\n");
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

/// The last segments of a file-system path (a finding's detail) that write or create: a
/// file's contents, a copy, a link, a directory. Reads, stats and deletes are not codegen.
pub const WRITES: &[&str] = &[
    "write",
    "copy",
    "rename",
    "hard_link",
    "soft_link",
    "symlink",
    "symlink_file",
    "symlink_dir",
    "create_dir",
    "create_dir_all",
    "File::create",
    "File::create_new",
    "DirBuilder::new",
];

/// Paths that open a file with flags chosen after them: write-like only when the statement
/// sets a write flag (`.write(true)`, `.create(true)`, ...).
const OPENS: &[&str] = &["OpenOptions::new", "File::options"];

/// Whether the `::`-path `detail` ends with the segments of `tail`.
fn ends_with_segments(detail: &str, tail: &str) -> bool {
    detail == tail
        || detail
            .strip_suffix(tail)
            .is_some_and(|head| head.ends_with("::"))
}

/// `codegen` evidence: the script reads `OUT_DIR` in code and makes a write-like fs call;
/// the reason cites the first write (file order, then line) and the first read.
fn codegen(build_files: &[&FileFacts], contents: &Files) -> Option<String> {
    let env_calls = |f: &FileFacts| -> Vec<(u32, u32)> {
        (f.findings.iter())
            .filter(|x| x.kind == Kind::EnvRead)
            .filter(|x| {
                matches!(
                    x.detail.as_deref(),
                    Some("std::env::var" | "std::env::var_os")
                )
            })
            .map(|x| (x.line, x.col))
            .collect()
    };
    let texts: Vec<(&FileFacts, String)> = (build_files.iter())
        .filter_map(|f| {
            Some((
                *f,
                String::from_utf8_lossy(contents.get(&f.path)?).into_owned(),
            ))
        })
        .collect();
    let codes: Vec<(&FileFacts, crate::source::BuildCode<'_>)> = (texts.iter())
        .map(|(f, text)| (*f, crate::source::BuildCode::new(text)))
        .collect();
    // wrappers of the environment, wherever in the script's files they are defined
    let helpers: Vec<String> = (codes.iter())
        .flat_map(|(f, code)| code.env_helpers(&env_calls(f)))
        .collect();
    let read = codes.iter().find_map(|(f, code)| {
        let line = *code.out_dir_reads(&env_calls(f), &helpers).first()?;
        Some(format!("{}:{line}", f.path))
    });
    let write = codes.iter().find_map(|(f, code)| {
        let x = (f.findings.iter())
            .filter(|x| x.kind == Kind::Fs)
            .find(|x| {
                let detail = x.detail.as_deref().unwrap_or("");
                WRITES.iter().any(|w| ends_with_segments(detail, w))
                    || (OPENS.iter().any(|o| ends_with_segments(detail, o))
                        && code.opens_for_writing(x.line, x.col))
            })?;
        Some(format!(
            "{}:{} {}",
            f.path,
            x.line,
            x.detail.as_deref().unwrap_or("")
        ))
    });
    Some(format!("writes {} and reads OUT_DIR at {}", write?, read?))
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The kinds and evidence of a crate whose build script is made of `files` (path, text),
    /// the first being `build.rs`.
    fn classify_texts(files: &[(&str, &str)]) -> BuildScript {
        let manifest = ManifestFacts {
            build: Some(files[0].0.to_owned()),
            ..ManifestFacts::default()
        };
        let facts: Vec<FileFacts> = files
            .iter()
            .map(|(path, text)| {
                let mut f = crate::source::scan_source(path, text);
                f.role = Role::Build;
                f
            })
            .collect();
        let contents = files
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec().into()))
            .collect();
        classify(&manifest, &facts, &contents)
    }

    fn codegen_of(files: &[(&str, &str)]) -> Option<String> {
        let b = classify_texts(files);
        let why = b.evidence.iter().find_map(|e| e.strip_prefix("codegen: "));
        assert_eq!(b.kinds.contains(&BuildKind::Codegen), why.is_some());
        why.map(str::to_owned)
    }

    #[test]
    fn codegen_cites_the_write_not_an_earlier_read() {
        let script = "use std::{env, fs};\n\
            fn main() {\n\
            let t = fs::read_to_string(\"t.in\").unwrap();\n\
            let out = env::var_os(\"OUT_DIR\").unwrap();\n\
            fs::write(std::path::Path::new(&out).join(\"t.rs\"), t).unwrap();\n\
            }\n";
        assert_eq!(
            codegen_of(&[("build.rs", script)]).as_deref(),
            Some("writes build.rs:5 std::fs::write and reads OUT_DIR at build.rs:4")
        );
    }

    #[test]
    fn codegen_through_file_create_open_options_and_a_module() {
        let create = "fn main() {\n\
            let p = format!(\"{}/x.rs\", std::env::var(\"OUT_DIR\").unwrap());\n\
            std::fs::File::create(p).unwrap();\n\
            }\n";
        assert_eq!(
            codegen_of(&[("build.rs", create)]).as_deref(),
            Some("writes build.rs:3 std::fs::File::create and reads OUT_DIR at build.rs:2")
        );
        let open = "use std::fs::OpenOptions;\n\
            fn main() {\n\
            let d = env!(\"OUT_DIR\");\n\
            let _r = OpenOptions::new().read(true).open(\"in.txt\");\n\
            let _w = OpenOptions::new().create(true).write(true).open(d);\n\
            }\n";
        assert_eq!(
            codegen_of(&[("build.rs", open)]).as_deref(),
            Some("writes build.rs:5 std::fs::OpenOptions::new and reads OUT_DIR at build.rs:3")
        );
        let main = "mod gen;\nfn main() { gen::run(std::env::var(\"OUT_DIR\").unwrap()); }\n";
        let module = "pub fn run(d: String) {\n    std::fs::create_dir_all(d).unwrap();\n}\n";
        assert_eq!(
            codegen_of(&[("build.rs", main), ("build/gen.rs", module)]).as_deref(),
            Some("writes build/gen.rs:2 std::fs::create_dir_all and reads OUT_DIR at build.rs:2")
        );
    }

    #[test]
    fn codegen_through_a_wrapper_of_the_environment() {
        let main = "mod util;\nfn main() {\n    let out = util::env_var(\"OUT_DIR\");\n    std::fs::create_dir(out).ok();\n}\n";
        let util = "pub fn env_var(key: &str) -> std::ffi::OsString {\n    std::env::var_os(key).unwrap()\n}\n";
        assert_eq!(
            codegen_of(&[("build.rs", main), ("build/util.rs", util)]).as_deref(),
            Some("writes build.rs:4 std::fs::create_dir and reads OUT_DIR at build.rs:3")
        );
    }

    #[test]
    fn no_codegen_without_both_a_read_of_out_dir_and_a_write() {
        // OUT_DIR in a comment and a message, with a read
        let words = "// writes nothing under OUT_DIR\n\
            fn main() {\n\
            println!(\"cargo:warning=OUT_DIR unused\");\n\
            std::fs::read_to_string(\"a\").unwrap();\n\
            }\n";
        assert_eq!(codegen_of(&[("build.rs", words)]), None);
        // reads OUT_DIR, then only reads, stats and deletes
        let reads = "use std::fs;\n\
            fn main() {\n\
            let d = std::env::var(\"OUT_DIR\").unwrap();\n\
            fs::metadata(&d).unwrap();\n\
            fs::remove_file(\"stale\").ok();\n\
            fs::OpenOptions::new().read(true).open(&d).ok();\n\
            }\n";
        assert_eq!(codegen_of(&[("build.rs", reads)]), None);
        // writes, but OUT_DIR is only a string handed to no environment read
        let elsewhere = "fn main() {\n\
            let name = \"OUT_DIR\";\n\
            let d = std::env::var(\"TARGET_DIR\").unwrap();\n\
            std::fs::write(d, name).unwrap();\n\
            }\n";
        assert_eq!(codegen_of(&[("build.rs", elsewhere)]), None);
        // a local `var` is not the environment
        let local = "fn var(_: &str) -> String { String::new() }\n\
            fn main() { std::fs::write(var(\"OUT_DIR\"), \"\").unwrap(); }\n";
        assert_eq!(codegen_of(&[("build.rs", local)]), None);
    }

    #[test]
    fn write_tails_match_whole_segments() {
        assert!(ends_with_segments("std::fs::write", "write"));
        assert!(ends_with_segments("fs_err::File::create", "File::create"));
        assert!(!ends_with_segments("std::fs::overwrite", "write"));
        assert!(!ends_with_segments(
            "std::fs::MyFile::create",
            "File::create"
        ));
    }
}
