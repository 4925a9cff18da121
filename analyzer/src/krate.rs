//! The crate pass: files in, facts out, in parallel across files.
//!
//! This is the one place that does parallel work inside a crate; every function it calls on a
//! single file is pure, and results are sorted before they are returned, so the facts are the
//! same whatever the thread count.

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use rayon::prelude::*;
use risk_report::facts::{CrateFacts, FileFacts, ManifestFacts, Parse, Role};

use crate::archive::{self, ArchiveError, Limits, Unpacked};
use crate::source::Mode;
use crate::{binary, build_script, manifest, source, vcs};

/// Scans a `.crate` tarball held in memory. `expected_root` is `name-version` when known.
pub fn scan_crate_tarball(gz: &[u8], expected_root: Option<&str>, limits: &Limits) -> CrateFacts {
    scan_crate_tarball_with(gz, expected_root, limits, Mode::Fast)
}

/// [`scan_crate_tarball`] in a chosen [`Mode`].
pub fn scan_crate_tarball_with(
    gz: &[u8],
    expected_root: Option<&str>,
    limits: &Limits,
    mode: Mode,
) -> CrateFacts {
    match archive::read_crate_tarball(gz, expected_root, limits) {
        Ok(unpacked) => scan_unpacked_with(&unpacked, mode),
        Err(e) => not_analyzed(expected_root.unwrap_or_default(), e),
    }
}

/// Scans a crate's source directory (git and path dependencies, vendored sources).
pub fn scan_crate_dir(dir: &Path, limits: &Limits) -> CrateFacts {
    scan_crate_dir_with(dir, limits, Mode::Fast)
}

/// [`scan_crate_dir`] in a chosen [`Mode`].
pub fn scan_crate_dir_with(dir: &Path, limits: &Limits, mode: Mode) -> CrateFacts {
    match archive::read_crate_dir(dir, limits) {
        Ok(unpacked) => scan_unpacked_with(&unpacked, mode),
        Err(e) => {
            let root = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            not_analyzed(&root, e)
        }
    }
}

fn not_analyzed(root: &str, e: ArchiveError) -> CrateFacts {
    let (name, version) = split_root(root);
    CrateFacts {
        name,
        version,
        not_analyzed: Some(e.to_string()),
        ..CrateFacts::default()
    }
}

/// Splits `name-version` at the last `-` that starts a version (a digit), which is right for
/// every crate name (names may hold `-`, versions start with a digit).
fn split_root(root: &str) -> (String, String) {
    let mut at = None;
    for (i, _) in root.match_indices('-') {
        if root[i + 1..].starts_with(|c: char| c.is_ascii_digit()) {
            at = Some(i);
            break;
        }
    }
    match at {
        Some(i) => (root[..i].to_string(), root[i + 1..].to_string()),
        None => (root.to_string(), String::new()),
    }
}

/// Scans the files of one crate.
pub fn scan_unpacked(unpacked: &Unpacked) -> CrateFacts {
    scan_unpacked_with(unpacked, Mode::Fast)
}

/// [`scan_unpacked`] in a chosen [`Mode`].
pub fn scan_unpacked_with(unpacked: &Unpacked, mode: Mode) -> CrateFacts {
    let files = &unpacked.files;
    let manifest_text = files
        .get("Cargo.toml")
        .map(|b| String::from_utf8_lossy(b).into_owned());
    let mut manifest = manifest::read_manifest(manifest_text.as_deref(), files);
    note_missing_targets(&mut manifest, files);
    let (root_name, root_version) = split_root(&unpacked.root);
    let (name, version) =
        package_name_version(manifest_text.as_deref()).unwrap_or((root_name, root_version));

    let rs: Vec<(&String, &Vec<u8>)> = files.iter().filter(|(p, _)| p.ends_with(".rs")).collect();
    let mut scanned: Vec<FileFacts> = rs.par_iter().map(|(p, b)| scan_file(p, b, mode)).collect();
    scanned.sort_by(|a, b| a.path.cmp(&b.path));
    assign_roles(&mut scanned, &manifest);

    let build_script = build_script::classify(&manifest, &scanned, files);
    let binaries = files
        .iter()
        .filter_map(|(p, b)| binary::detect_binary(p, b))
        .collect();
    let mut skipped = unpacked.skipped.clone();
    skipped.sort();

    CrateFacts {
        name,
        version,
        manifest,
        build_script,
        files: scanned,
        binaries,
        skipped,
        vcs: vcs::read_vcs_info(files.get(".cargo_vcs_info.json").map(Vec::as_slice)),
        not_analyzed: None,
    }
}

/// A target whose file is not in the crate is a manifest problem worth seeing (cargo would
/// refuse to build it; a hostile crate may point one at a file it hides): appended to
/// `manifest.error`.
fn note_missing_targets(
    manifest: &mut ManifestFacts,
    files: &std::collections::BTreeMap<String, Vec<u8>>,
) {
    let missing: Vec<String> = manifest
        .targets
        .iter()
        .filter(|t| !files.contains_key(&t.path))
        .map(|t| {
            format!(
                "{} target `{}` points at `{}`, which is not in the crate",
                t.kind, t.name, t.path
            )
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let mut notes: Vec<String> = manifest.error.take().into_iter().collect();
    notes.extend(missing);
    manifest.error = Some(notes.join("; "));
}

/// `[package] name` and `version`, read leniently: the manifest module owns the full parse,
/// this only needs the identity and falls back to the tarball root when absent.
fn package_name_version(text: Option<&str>) -> Option<(String, String)> {
    let table: toml::Table = text?.parse().ok()?;
    let package = table.get("package")?.as_table()?;
    let name = package.get("name")?.as_str()?.to_string();
    let version = package.get("version")?.as_str()?.to_string();
    Some((name, version))
}

/// Scans one file, turning bytes that are not UTF-8 and scanner panics into recorded facts:
/// one bad file never aborts the crate, and never counts as zero findings.
fn scan_file(path: &str, bytes: &[u8], mode: Mode) -> FileFacts {
    scan_file_with(path, bytes, |p, t| source::scan_source_with(p, t, mode))
}

/// [`scan_file`] with the source scanner as a parameter, so that a test can hand it one that
/// panics (no input is known to make syn panic today; this proves the guard, not a bug).
fn scan_file_with(path: &str, bytes: &[u8], scan: impl Fn(&str, &str) -> FileFacts) -> FileFacts {
    let lines = bytes.split(|&b| b == b'\n').count() as u32;
    let not_analyzed = |reason: String| FileFacts {
        path: path.to_string(),
        bytes: bytes.len() as u64,
        lines,
        parse: Parse::NotAnalyzed { reason },
        ..FileFacts::default()
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return not_analyzed(format!(
                "not valid UTF-8 (first bad byte at offset {})",
                e.valid_up_to()
            ));
        }
    };
    match panic::catch_unwind(AssertUnwindSafe(|| scan(path, text))) {
        Ok(facts) => facts,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            not_analyzed(format!("scanner panicked: {msg}"))
        }
    }
}

/// Decides which files ship, which belong to the build script, which are test-only and which
/// no target uses.
fn assign_roles(files: &mut [FileFacts], manifest: &ManifestFacts) {
    let build_dir = manifest.build.as_deref().and_then(module_dir_of_root);
    let test_dirs: BTreeSet<String> = manifest
        .targets
        .iter()
        .filter(|t| matches!(t.kind.as_str(), "example" | "test" | "bench"))
        .filter_map(|t| module_dir_of_root(&t.path))
        .chain(["tests/", "benches/", "examples/"].map(String::from))
        .collect();
    let test_roots: BTreeSet<&str> = manifest
        .targets
        .iter()
        .filter(|t| matches!(t.kind.as_str(), "example" | "test" | "bench"))
        .map(|t| t.path.as_str())
        .collect();

    // Files declared by `#[cfg(test)] mod x;`, and everything below them.
    let mut test_modules: BTreeSet<String> = BTreeSet::new();
    let mut test_module_dirs: BTreeSet<String> = BTreeSet::new();
    for f in files.iter() {
        for m in &f.test_mods {
            for candidate in test_mod_candidates(&f.path, m) {
                if let Some(dir) = candidate.strip_suffix("mod.rs") {
                    test_module_dirs.insert(dir.to_string());
                } else if let Some(stem) = candidate.strip_suffix(".rs") {
                    test_module_dirs.insert(format!("{stem}/"));
                }
                test_modules.insert(candidate);
            }
        }
    }

    for f in files.iter_mut() {
        let p = f.path.as_str();
        f.role = if manifest.build.as_deref() == Some(p)
            || build_dir.as_deref().is_some_and(|d| p.starts_with(d))
        {
            Role::Build
        } else if test_roots.contains(p)
            || test_dirs.iter().any(|d| p.starts_with(d.as_str()))
            || test_modules.contains(p)
            || test_module_dirs.iter().any(|d| p.starts_with(d.as_str()))
        {
            Role::Test
        } else if manifest.build.is_none() && p == "build.rs" {
            // `build = false` with a `build.rs` left in the tarball: cargo compiles it for no
            // target, so its findings are kept but not counted as shipped.
            Role::Unused
        } else {
            Role::Shipped
        };
    }
}

/// For a target root not at the crate root (`build/main.rs`, `examples/demo/main.rs`), the
/// folder its modules live in; `None` for root-level files such as `build.rs`.
fn module_dir_of_root(path: &str) -> Option<String> {
    let (dir, _) = path.rsplit_once('/')?;
    Some(format!("{dir}/"))
}

/// Where the file for `mod name;` declared in `parent` can be, by rustc's rules.
fn test_mod_candidates(parent: &str, name: &str) -> Vec<String> {
    let parent_dir = parent.rsplit_once('/').map_or("", |(d, _)| d);
    let join = |dir: &str, rest: &str| {
        if dir.is_empty() {
            rest.to_string()
        } else {
            format!("{dir}/{rest}")
        }
    };
    if let Some(path) = name.strip_prefix("path:") {
        return vec![join(parent_dir, path)];
    }
    let file_name = parent.rsplit('/').next().unwrap_or(parent);
    let is_mod_root = matches!(file_name, "lib.rs" | "main.rs" | "mod.rs")
        || !parent.contains('/')
        || parent.starts_with("src/bin/") && parent.matches('/').count() == 2;
    let dir = if is_mod_root {
        parent_dir.to_string()
    } else {
        join(parent_dir, file_name.trim_end_matches(".rs"))
    };
    vec![
        join(&dir, &format!("{name}.rs")),
        join(&dir, &format!("{name}/mod.rs")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_scan_is_a_file_not_analyzed() {
        fn boom(_: &str, _: &str) -> FileFacts {
            panic!("syn fell over at 3:14")
        }
        fn boom_owned(_: &str, text: &str) -> FileFacts {
            panic!("{} bytes were too many", text.len())
        }
        // The default hook would print the panic: keep the test output clean.
        let hook = panic::take_hook();
        panic::set_hook(Box::new(|_| {}));
        let a = scan_file_with("src/a.rs", b"fn a() {}\n", boom);
        let b = scan_file_with("src/b.rs", b"xyz", boom_owned);
        panic::set_hook(hook);
        assert_eq!(
            a.parse,
            Parse::NotAnalyzed {
                reason: "scanner panicked: syn fell over at 3:14".into()
            }
        );
        assert_eq!((a.path.as_str(), a.bytes, a.lines), ("src/a.rs", 10, 2));
        assert!(a.findings.is_empty());
        assert_eq!(
            b.parse,
            Parse::NotAnalyzed {
                reason: "scanner panicked: 3 bytes were too many".into()
            }
        );
        // and the crate-level count says so: the file is listed, not counted as zero
        let facts = CrateFacts {
            files: vec![a],
            ..CrateFacts::default()
        };
        assert!(facts.counts().shipped.is_empty());
    }

    #[test]
    fn root_splits_at_the_version() {
        assert_eq!(
            split_root("foo-bar-1.2.3-rc.1"),
            ("foo-bar".into(), "1.2.3-rc.1".into())
        );
        assert_eq!(split_root("x-0.1.0"), ("x".into(), "0.1.0".into()));
        assert_eq!(split_root("noversion"), ("noversion".into(), String::new()));
    }

    #[test]
    fn test_module_candidates_follow_rustc() {
        assert_eq!(
            test_mod_candidates("src/lib.rs", "tests"),
            vec!["src/tests.rs".to_string(), "src/tests/mod.rs".to_string()]
        );
        assert_eq!(
            test_mod_candidates("src/a.rs", "t"),
            vec!["src/a/t.rs".to_string(), "src/a/t/mod.rs".to_string()]
        );
        assert_eq!(
            test_mod_candidates("src/a/mod.rs", "t"),
            vec!["src/a/t.rs".to_string(), "src/a/t/mod.rs".to_string()]
        );
        assert_eq!(
            test_mod_candidates("src/lib.rs", "path:testing/x.rs"),
            vec!["src/testing/x.rs".to_string()]
        );
    }
}
