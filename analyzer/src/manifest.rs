//! The crate's own (normalized) `Cargo.toml`: targets, build script, proc-macro, links.
//!
//! The manifest is read as a loose `toml::Table`, not a typed struct: a crate published by an
//! old or future cargo can carry fields we do not know or types we do not expect, and one odd
//! field must not cost us the build script or the proc-macro flag. Where the manifest is silent,
//! cargo's target auto-discovery rules are applied to the files the tarball actually holds.
//! Explicit target paths are kept even when the file is missing; the crate pass sees that.

use crate::archive::Files;
use std::collections::{BTreeMap, BTreeSet};

use risk_report::facts::{ManifestFacts, Target};
use toml::{Table, Value};

/// The name cargo gives every build-script target.
pub const BUILD_SCRIPT_TARGET: &str = "build-script-build";

/// Reads the manifest text (when there is one) against the crate's file list, applying
/// cargo's target auto-discovery where the manifest leaves it on.
///
/// When the manifest is missing or is not valid TOML, `error` says so and the rest holds what
/// auto-discovery finds; target names that come from the package name are then empty.
pub fn read_manifest(text: Option<&str>, files: &Files) -> ManifestFacts {
    let mut notes = Vec::new();
    let doc = match text {
        None => {
            notes.push("no Cargo.toml in the crate".to_owned());
            Table::new()
        }
        Some(text) => text.parse::<Table>().unwrap_or_else(|e| {
            let at = e
                .span()
                .map(|s| line_col(text, s.start))
                .unwrap_or_default();
            notes.push(format!("Cargo.toml{at}: {}", e.message().trim()));
            Table::new()
        }),
    };
    let mut reader = Reader {
        doc: &doc,
        files,
        notes,
    };
    let facts = reader.facts();
    ManifestFacts {
        error: (!reader.notes.is_empty()).then(|| reader.notes.join("; ")),
        ..facts
    }
}

/// `:line:col` (1-based, columns in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> String {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!(":{line}:{col}")
}

/// Target kinds that live in a folder of their own, with cargo's manifest key and auto flag.
const FOLDER_KINDS: &[(&str, &str, &str, &str)] = &[
    // (kind, array key, auto key, folder)
    ("example", "example", "autoexamples", "examples"),
    ("test", "test", "autotests", "tests"),
    ("bench", "bench", "autobenches", "benches"),
];

struct Reader<'a> {
    doc: &'a Table,
    files: &'a Files,
    notes: Vec<String>,
}

impl Reader<'_> {
    fn facts(&mut self) -> ManifestFacts {
        let package = self
            .doc
            .get("package")
            .or_else(|| self.doc.get("project"))
            .and_then(Value::as_table);
        let pkg_str = |key: &str| package.and_then(|p| p.get(key)).and_then(Value::as_str);
        let edition = pkg_str("edition").map(str::to_owned);
        let links = pkg_str("links").map(str::to_owned);
        let name = pkg_str("name").unwrap_or("").to_owned();
        let lib = self.doc.get("lib").and_then(Value::as_table);
        let proc_macro = lib.is_some_and(is_proc_macro);
        // Cargo's 2015 edition turns a kind's auto-discovery off once one target of that
        // kind is declared; later editions keep it on unless told otherwise.
        let legacy = matches!(edition.as_deref(), None | Some("2015"));
        let auto = |key: &str, explicit: bool| {
            package
                .and_then(|p| p.get(key))
                .and_then(Value::as_bool)
                .unwrap_or(!(legacy && explicit))
        };

        let mut targets = Vec::new();
        let build = self.build_script(package.and_then(|p| p.get("build")));
        if let Some(path) = &build {
            targets.push(target("build-script", BUILD_SCRIPT_TARGET, path));
        }
        if lib.is_some() || (auto("autolib", false) && self.has("src/lib.rs")) {
            let kind = if proc_macro { "proc-macro" } else { "lib" };
            let lib_name = lib
                .and_then(|l| l.get("name"))
                .and_then(Value::as_str)
                .map_or_else(|| name.replace('-', "_"), str::to_owned);
            if let Some(path) = self.explicit_path(lib, "[lib]", || "src/lib.rs".into()) {
                targets.push(target(kind, &lib_name, &path));
            }
        }

        let mut inferred_bins = self.discover("src/bin");
        if self.has("src/main.rs") {
            inferred_bins.insert(0, (name.clone(), "src/main.rs".to_owned()));
        }
        let bins = self.explicit("bin", "bin", |n| {
            let candidates = inferred_bins
                .iter()
                .filter(|(bin, _)| bin == n)
                .map(|(_, path)| path.clone())
                .chain([format!("src/{n}.rs"), "src/bin/main.rs".to_owned()]);
            let fallback = if *n == name {
                "src/main.rs".to_owned()
            } else {
                format!("src/bin/{n}.rs")
            };
            (candidates.collect(), fallback)
        });
        let auto_bins = auto("autobins", !bins.is_empty());
        merge(
            &mut targets,
            "bin",
            bins,
            auto_bins.then_some(inferred_bins),
        );

        for &(kind, key, auto_key, folder) in FOLDER_KINDS {
            let explicit = self.explicit(key, kind, |n| {
                let candidates = vec![format!("{folder}/{n}.rs"), format!("{folder}/{n}/main.rs")];
                (candidates, format!("{folder}/{n}.rs"))
            });
            let on = auto(auto_key, !explicit.is_empty());
            merge(
                &mut targets,
                kind,
                explicit,
                on.then(|| self.discover(folder)),
            );
        }
        targets.sort();
        targets.dedup();

        ManifestFacts {
            edition,
            links,
            proc_macro,
            build,
            targets,
            build_dependencies: self.dependency_names(DepTable::Build),
            dependencies: self.dependency_names(DepTable::Normal),
            dev_dependencies: self.dependency_names(DepTable::Dev),
            renamed: self.renamed_dependencies(),
            error: None,
        }
    }

    fn has(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// `build = "path"`, `build = false`, or cargo's `build.rs` default.
    fn build_script(&mut self, value: Option<&Value>) -> Option<String> {
        let files = self.files;
        let default = || {
            files
                .contains_key("build.rs")
                .then(|| "build.rs".to_owned())
        };
        match value {
            None | Some(Value::Boolean(true)) => default(),
            Some(Value::Boolean(false)) => None,
            Some(Value::String(path)) => self.inside("`package.build`", path),
            // Newer cargo accepts a list of build scripts; the facts model holds one, the first.
            Some(Value::Array(list)) => match list.first().and_then(Value::as_str) {
                Some(path) => self.inside("`package.build`", path),
                None => None,
            },
            Some(_) => {
                self.notes
                    .push("`package.build` is neither a path nor a boolean; ignored".into());
                default()
            }
        }
    }

    /// The normalized path when it stays inside the crate, else a note and `None`.
    fn inside(&mut self, what: &str, path: &str) -> Option<String> {
        let normal = normalize(path);
        if normal.is_none() {
            self.notes.push(format!(
                "{what} path {path:?} points outside the crate; ignored"
            ));
        }
        normal
    }

    /// The `path` of an explicit target table, or cargo's default for it.
    fn explicit_path(
        &mut self,
        table: Option<&Table>,
        what: &str,
        default: impl FnOnce() -> String,
    ) -> Option<String> {
        match table.and_then(|t| t.get("path")).and_then(Value::as_str) {
            Some(path) => self.inside(what, path),
            None => Some(default()),
        }
    }

    /// `[[key]]` tables as (name, path). `paths` gives, for a name, the candidate files cargo
    /// looks for in order and the path used when none exists.
    fn explicit(
        &mut self,
        key: &str,
        kind: &str,
        paths: impl Fn(&String) -> (Vec<String>, String),
    ) -> Vec<(String, String)> {
        let tables: Vec<&Table> = match self.doc.get(key) {
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_table).collect(),
            _ => Vec::new(),
        };
        let mut out = Vec::new();
        for t in tables {
            let given = t.get("path").and_then(Value::as_str);
            let name = match t.get("name").and_then(Value::as_str) {
                Some(name) => name.to_owned(),
                None => match given.and_then(stem) {
                    Some(name) => name,
                    None => {
                        self.notes
                            .push(format!("a `[[{key}]]` has no name; ignored"));
                        continue;
                    }
                },
            };
            let path = match given {
                Some(_) => self.explicit_path(
                    Some(t),
                    &format!("`[[{key}]]` {kind} {name:?}"),
                    String::new,
                ),
                None => {
                    let (candidates, fallback) = paths(&name);
                    Some(
                        candidates
                            .into_iter()
                            .find(|p| self.has(p))
                            .unwrap_or(fallback),
                    )
                }
            };
            if let Some(path) = path {
                out.push((name, path));
            }
        }
        out
    }

    /// Cargo's auto-discovery in one folder: `folder/*.rs` and `folder/*/main.rs`.
    fn discover(&self, folder: &str) -> Vec<(String, String)> {
        let prefix = format!("{folder}/");
        let mut found = Vec::new();
        for path in self.files.keys() {
            let Some(rest) = path.strip_prefix(&prefix) else {
                continue;
            };
            let name = match rest.split_once('/') {
                None => rest.strip_suffix(".rs"),
                Some((dir, "main.rs")) => Some(dir),
                Some(_) => None,
            };
            if let Some(name) = name.filter(|n| !n.is_empty()) {
                found.push((name.to_owned(), path.clone()));
            }
        }
        found
    }

    /// The names of one kind of dependency, whatever the table spelling or target: the real
    /// crate names of build dependencies (what the build-script rules look for), the names code
    /// uses (the table key, `-` as `_`) of normal and dev ones.
    fn dependency_names(&self, which: DepTable) -> BTreeSet<String> {
        (self.dependency_entries(&[which]))
            .map(|(key, package)| match which {
                DepTable::Build => package.to_owned(),
                DepTable::Normal | DepTable::Dev => key.replace('-', "_"),
            })
            .collect()
    }

    /// The dependencies of every table whose key is not the package's name
    /// (`b = { package = "base" }`): the name code uses (`-` as `_`) -> the package name.
    fn renamed_dependencies(&self) -> BTreeMap<String, String> {
        (self.dependency_entries(&[DepTable::Normal, DepTable::Build, DepTable::Dev]))
            .filter(|(key, package)| key != package)
            .map(|(key, package)| (key.replace('-', "_"), package.to_owned()))
            .collect()
    }

    /// (table key, package name) of each entry of the `which` dependency tables, whatever the
    /// table spelling or target.
    fn dependency_entries(&self, which: &[DepTable]) -> impl Iterator<Item = (&str, &str)> {
        let mut tables = vec![self.doc];
        if let Some(per_target) = self.doc.get("target").and_then(Value::as_table) {
            tables.extend(per_target.values().filter_map(Value::as_table));
        }
        let keys: Vec<&str> = (which.iter())
            .flat_map(|w| match w {
                DepTable::Normal => &["dependencies"][..],
                DepTable::Build => &["build-dependencies", "build_dependencies"],
                DepTable::Dev => &["dev-dependencies", "dev_dependencies"],
            })
            .copied()
            .collect();
        (tables.into_iter())
            .flat_map(move |table| {
                let keys = keys.clone();
                keys.into_iter()
                    .filter_map(move |key| table.get(key).and_then(Value::as_table))
            })
            .flatten()
            .map(|(name, spec)| {
                let package = (spec.as_table())
                    .and_then(|t| t.get("package"))
                    .and_then(Value::as_str)
                    .unwrap_or(name);
                (name.as_str(), package)
            })
    }
}

/// The three dependency tables of a manifest.
#[derive(Clone, Copy)]
enum DepTable {
    Normal,
    Build,
    Dev,
}

fn target(kind: &str, name: &str, path: &str) -> Target {
    Target {
        kind: kind.to_owned(),
        name: name.to_owned(),
        path: path.to_owned(),
    }
}

/// Explicit targets win; an inferred one is dropped when an explicit one has its name or its
/// path, as cargo does.
fn merge(
    targets: &mut Vec<Target>,
    kind: &str,
    explicit: Vec<(String, String)>,
    inferred: Option<Vec<(String, String)>>,
) {
    for (name, path) in inferred.unwrap_or_default() {
        if !explicit.iter().any(|(n, p)| *n == name || *p == path) {
            targets.push(target(kind, &name, &path));
        }
    }
    for (name, path) in explicit {
        targets.push(target(kind, &name, &path));
    }
}

fn is_proc_macro(lib: &Table) -> bool {
    let flag = |key: &str| lib.get(key).and_then(Value::as_bool).unwrap_or(false);
    let crate_type = |key: &str| match lib.get(key) {
        Some(Value::Array(types)) => types.iter().any(|t| t.as_str() == Some("proc-macro")),
        _ => false,
    };
    flag("proc-macro") || flag("proc_macro") || crate_type("crate-type") || crate_type("crate_type")
}

fn stem(path: &str) -> Option<String> {
    let file = path.rsplit(['/', '\\']).next()?;
    let stem = file.strip_suffix(".rs").unwrap_or(file);
    (!stem.is_empty()).then(|| stem.to_owned())
}

/// A manifest path as a crate-relative `/`-separated path, or `None` when it leaves the crate
/// (absolute, a drive, or more `..` than folders).
fn normalize(path: &str) -> Option<String> {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    if path.starts_with('/') || (bytes.len() >= 2 && bytes[1] == b':') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn files(paths: &[&str]) -> Files {
        paths
            .iter()
            .map(|p| ((*p).to_owned(), bytes::Bytes::new()))
            .collect()
    }

    fn t(kind: &str, name: &str, path: &str) -> Target {
        target(kind, name, path)
    }

    const PKG: &str = "[package]\nname = \"my-crate\"\nversion = \"1.0.0\"\nedition = \"2021\"\n";

    fn with(extra: &str) -> String {
        format!("{PKG}{extra}")
    }

    #[test]
    fn auto_discovery_finds_every_kind_of_target() {
        let fs = files(&[
            "Cargo.toml",
            "build.rs",
            "src/lib.rs",
            "src/main.rs",
            "src/bin/tool.rs",
            "src/bin/multi/main.rs",
            "src/bin/multi/helper.rs",
            "src/bin/deep/er/main.rs",
            "examples/demo.rs",
            "tests/it.rs",
            "tests/common/mod.rs",
            "tests/suite/main.rs",
            "benches/speed.rs",
            "src/util.rs",
        ]);
        let m = read_manifest(Some(PKG), &fs);
        assert_eq!(m.error, None);
        assert_eq!(m.edition.as_deref(), Some("2021"));
        assert_eq!(m.build.as_deref(), Some("build.rs"));
        assert!(!m.proc_macro);
        assert_eq!(
            m.targets,
            [
                t("bench", "speed", "benches/speed.rs"),
                t("bin", "multi", "src/bin/multi/main.rs"),
                t("bin", "my-crate", "src/main.rs"),
                t("bin", "tool", "src/bin/tool.rs"),
                t("build-script", "build-script-build", "build.rs"),
                t("example", "demo", "examples/demo.rs"),
                t("lib", "my_crate", "src/lib.rs"),
                t("test", "it", "tests/it.rs"),
                t("test", "suite", "tests/suite/main.rs"),
            ]
        );
    }

    #[test]
    fn autobins_false_keeps_only_explicit_bins() {
        let fs = files(&["src/main.rs", "src/bin/tool.rs", "src/bin/other.rs"]);
        let text = with("autobins = false\n[[bin]]\nname = \"tool\"\n");
        let m = read_manifest(Some(&text), &fs);
        assert_eq!(m.targets, [t("bin", "tool", "src/bin/tool.rs")]);
        // The same files with discovery on also find the rest.
        let m = read_manifest(Some(&with("[[bin]]\nname = \"tool\"\n")), &fs);
        let bins: Vec<&str> = m.targets.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(bins, ["my-crate", "other", "tool"]);
    }

    #[test]
    fn explicit_targets_use_cargo_default_paths_and_override_inferred() {
        let fs = files(&["src/main.rs", "src/bin/b/main.rs", "examples/ex/main.rs"]);
        let text = with(concat!(
            "[[bin]]\nname = \"my-crate\"\n",
            "[[bin]]\nname = \"b\"\n",
            "[[bin]]\nname = \"renamed\"\npath = \"./src/main.rs\"\n",
            "[[example]]\nname = \"ex\"\n",
            "[[test]]\nname = \"missing\"\n",
            "[lib]\nname = \"core_lib\"\npath = \"src\\\\core.rs\"\n",
        ));
        let m = read_manifest(Some(&text), &fs);
        assert_eq!(m.error, None);
        assert_eq!(
            m.targets,
            [
                t("bin", "b", "src/bin/b/main.rs"),
                t("bin", "my-crate", "src/main.rs"),
                t("bin", "renamed", "src/main.rs"),
                t("example", "ex", "examples/ex/main.rs"),
                t("lib", "core_lib", "src/core.rs"),
                t("test", "missing", "tests/missing.rs"),
            ]
        );
    }

    #[test]
    fn edition_2015_turns_discovery_off_once_a_target_is_declared() {
        let fs = files(&["src/bin/a.rs", "src/bin/b.rs", "examples/e.rs"]);
        let text = "[package]\nname = \"old\"\n[[bin]]\nname = \"a\"\n";
        let m = read_manifest(Some(text), &fs);
        assert_eq!(m.edition, None);
        assert_eq!(
            m.targets,
            [
                t("bin", "a", "src/bin/a.rs"),
                t("example", "e", "examples/e.rs")
            ]
        );
    }

    #[test]
    fn explicit_build_path() {
        let fs = files(&["tools/gen.rs", "build.rs"]);
        let m = read_manifest(Some(&with("build = \"tools/gen.rs\"\n")), &fs);
        assert_eq!(m.build.as_deref(), Some("tools/gen.rs"));
        assert_eq!(
            m.targets,
            [t("build-script", BUILD_SCRIPT_TARGET, "tools/gen.rs")]
        );
    }

    #[test]
    fn build_false_means_none_even_with_build_rs_present() {
        let fs = files(&["build.rs", "src/lib.rs"]);
        let m = read_manifest(Some(&with("build = false\n")), &fs);
        assert_eq!(m.build, None);
        assert_eq!(m.targets, [t("lib", "my_crate", "src/lib.rs")]);
        let m = read_manifest(Some(&with("build = true\n")), &fs);
        assert_eq!(m.build.as_deref(), Some("build.rs"));
        let m = read_manifest(Some(PKG), &files(&["src/lib.rs"]));
        assert_eq!(m.build, None);
    }

    #[test]
    fn build_path_escaping_the_crate_is_ignored_and_noted() {
        for path in [
            "../evil.rs",
            "/etc/build.rs",
            "C:\\\\build.rs",
            "a/../../x.rs",
        ] {
            let text = with(&format!("build = {path:?}\n"));
            let m = read_manifest(Some(&text), &files(&["build.rs"]));
            assert_eq!(m.build, None, "{path}");
            let error = m.error.unwrap();
            assert!(error.contains("outside the crate"), "{error}");
        }
        let m = read_manifest(Some(&with("build = \"x/../b.rs\"\n")), &files(&[]));
        assert_eq!(m.build.as_deref(), Some("b.rs"));
    }

    #[test]
    fn proc_macro_in_any_spelling() {
        for lib in [
            "proc-macro = true",
            "proc_macro = true",
            "crate-type = [\"proc-macro\"]",
        ] {
            let m = read_manifest(
                Some(&with(&format!("[lib]\n{lib}\n"))),
                &files(&["src/lib.rs"]),
            );
            assert!(m.proc_macro, "{lib}");
            assert_eq!(m.targets, [t("proc-macro", "my_crate", "src/lib.rs")]);
        }
        let m = read_manifest(Some(&with("[lib]\nproc-macro = false\n")), &files(&[]));
        assert!(!m.proc_macro);
    }

    #[test]
    fn build_dependencies_use_real_names_everywhere() {
        let text = with(concat!(
            "links = \"z\"\n",
            "[build-dependencies]\ncc = \"1\"\nmygen = { package = \"bindgen\", version = \"0.70\" }\n",
            "[build_dependencies]\nautocfg = \"1\"\n",
            "[target.'cfg(windows)'.build-dependencies]\nvcpkg = \"0.2\"\n",
            "[target.'cfg(unix)'.build-dependencies.pc]\npackage = \"pkg-config\"\nversion = \"0.3\"\n",
            "[dependencies]\nserde = \"1\"\n",
            "[dev-dependencies]\ntempfile = \"3\"\n",
        ));
        let m = read_manifest(Some(&text), &files(&[]));
        assert_eq!(m.links.as_deref(), Some("z"));
        let deps: Vec<&str> = m.build_dependencies.iter().map(String::as_str).collect();
        assert_eq!(deps, ["autocfg", "bindgen", "cc", "pkg-config", "vcpkg"]);
        let renamed: Vec<(&str, &str)> = (m.renamed.iter())
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(renamed, [("mygen", "bindgen"), ("pc", "pkg-config")]);
    }

    #[test]
    fn malformed_toml_reports_line_and_column_and_falls_back() {
        let text = "[package]\nname = \"x\"\nedition = = \"2021\"\n";
        let m = read_manifest(Some(text), &files(&["src/lib.rs", "build.rs"]));
        let error = m.error.unwrap();
        assert!(error.starts_with("Cargo.toml:3:11: "), "{error}");
        assert_eq!(m.edition, None);
        assert_eq!(m.build.as_deref(), Some("build.rs"));
        assert!(m.targets.contains(&t("lib", "", "src/lib.rs")));
    }

    #[test]
    fn missing_manifest_falls_back_to_discovery() {
        let m = read_manifest(None, &files(&["src/main.rs"]));
        assert_eq!(m.error.as_deref(), Some("no Cargo.toml in the crate"));
        assert_eq!(m.targets, [t("bin", "", "src/main.rs")]);
    }

    #[test]
    fn wrongly_typed_fields_do_not_fail_the_rest() {
        let text = concat!(
            "[package]\nname = \"odd\"\nedition = 2021\nlinks = [1]\nbuild = 7\n",
            "autobins = \"no\"\nfuture-field = { a = 1 }\n",
            "bin = \"not an array\"\n",
            "[lib]\nproc-macro = true\n",
            "[build-dependencies]\ncc = 1\n",
        );
        let m = read_manifest(Some(text), &files(&["build.rs", "src/lib.rs"]));
        assert_eq!(m.edition, None);
        assert_eq!(m.links, None);
        assert!(m.proc_macro);
        assert_eq!(m.build.as_deref(), Some("build.rs"));
        assert!(m.error.unwrap().contains("`package.build`"));
        assert!(m.build_dependencies.contains("cc"));
    }

    #[test]
    fn autolib_false_without_lib_table_has_no_lib() {
        let text = with("autolib = false\n");
        let m = read_manifest(Some(&text), &files(&["src/lib.rs"]));
        assert!(m.targets.is_empty());
    }
}
