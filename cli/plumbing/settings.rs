//! The scan settings file: `[workspace.metadata.risk-report]` in the workspace root's
//! Cargo.toml (`[package.metadata.risk-report]` in a single-package root), the place cargo
//! reserves for tools, so every cargo user knows where to look and CI and laptops read the
//! same settings. Keys: `targets`, `exclude`, `exclude-dev`, `max-entry-bytes`,
//! `max-total-bytes`, `max-entries`. A flag given on the command line wins over its key.
//!
//! The targets must be known before `cargo metadata` runs, so the root manifest is found the
//! way cargo finds it (the nearest ancestor manifest with a `[workspace]` that does not
//! exclude the package, or what `package.workspace` names); once cargo has answered,
//! [`confirm`] checks that cargo agrees, and a run whose settings would come from another file
//! stops with an error rather than report with the wrong ones.

use std::path::{Path, PathBuf};

use risk_analyzer::Limits;
use serde::Deserialize;

use crate::plumbing::error::{Error, SettingsError};
use crate::plumbing::options::{PackageSpec, ScanFlags, Scope};

/// The table's name under `metadata`.
pub const TABLE: &str = "risk-report";

/// The keys of the settings table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileSettings {
    pub targets: Option<Vec<String>>,
    pub exclude: Option<Vec<String>>,
    pub exclude_dev: Option<bool>,
    pub max_entry_bytes: Option<Size>,
    pub max_total_bytes: Option<Size>,
    pub max_entries: Option<u64>,
}

/// A byte count: an integer, or a string with a `K`/`M`/`G` suffix as the flags take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "toml::Value")]
pub struct Size(pub u64);

impl TryFrom<toml::Value> for Size {
    type Error = String;
    fn try_from(v: toml::Value) -> Result<Size, String> {
        match v {
            toml::Value::Integer(n) => u64::try_from(n)
                .map(Size)
                .map_err(|_| format!("{n} is not a size")),
            toml::Value::String(s) => parse_size(&s).map(Size),
            other => Err(format!(
                "{other} is not a size (a number or a string like \"64M\")"
            )),
        }
    }
}

/// `1048576`, `512K`, `64M`, `2G` (also `64MiB`, `64MB`: powers of 1024 either way).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (num, unit) = t.split_at(digits);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size (a number, optionally followed by K, M or G)"))?;
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("`{s}`: unknown size unit `{unit}` (use K, M or G)")),
    };
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("`{s}` is too large"))
}

/// The flags over the file's settings over the defaults.
pub fn resolve(flags: &ScanFlags, file: &FileSettings) -> Scope {
    let d = Limits::default();
    let pick = |flag: &[String], key: &Option<Vec<String>>| -> Vec<String> {
        if flag.is_empty() {
            key.clone().unwrap_or_default()
        } else {
            flag.to_vec()
        }
    };
    let mut targets = pick(&flags.targets, &file.targets);
    targets.sort();
    targets.dedup();
    let mut packages = flags.packages.clone();
    packages.sort();
    packages.dedup();
    let mut exclude: Vec<PackageSpec> = pick(&flags.exclude, &file.exclude)
        .iter()
        .map(|s| PackageSpec::parse(s))
        .collect();
    exclude.sort_by_key(ToString::to_string);
    exclude.dedup();
    Scope {
        targets,
        packages,
        exclude,
        exclude_dev: flags.exclude_dev || file.exclude_dev.unwrap_or(false),
        include_members: flags.include_members,
        limits: Limits {
            max_entry_bytes: flags
                .max_entry_bytes
                .or(file.max_entry_bytes.map(|s| s.0))
                .unwrap_or(d.max_entry_bytes),
            max_total_bytes: flags
                .max_total_bytes
                .or(file.max_total_bytes.map(|s| s.0))
                .unwrap_or(d.max_total_bytes),
            max_entries: flags
                .max_entries
                .or(file.max_entries)
                .unwrap_or(d.max_entries),
        },
        manifest: None,
    }
}

/// What the report records of a scope: the settings that shaped it.
pub fn record(scope: &Scope) -> risk_report::model::Settings {
    let d = Limits::default();
    let differs = |v: u64, default: u64| (v != default).then_some(v);
    risk_report::model::Settings {
        targets: scope.targets.clone(),
        packages: scope.packages.clone(),
        exclude: scope.exclude.iter().map(ToString::to_string).collect(),
        exclude_dev: scope.exclude_dev,
        include_members: scope.include_members,
        max_entry_bytes: differs(scope.limits.max_entry_bytes, d.max_entry_bytes),
        max_total_bytes: differs(scope.limits.max_total_bytes, d.max_total_bytes),
        max_entries: differs(scope.limits.max_entries, d.max_entries),
    }
}

/// The caps a report's facts were read with, from what it records of them: the inverse of
/// [`record`] (a cap it does not record is the default).
pub fn recorded_limits(settings: &risk_report::model::Settings) -> Limits {
    let d = Limits::default();
    Limits {
        max_entry_bytes: settings.max_entry_bytes.unwrap_or(d.max_entry_bytes),
        max_total_bytes: settings.max_total_bytes.unwrap_or(d.max_total_bytes),
        max_entries: settings.max_entries.unwrap_or(d.max_entries),
    }
}

/// The scope of this run: reads the settings of the workspace root cargo will use from
/// `manifest_path` (found without running cargo) and puts the `flags` over them.
pub fn load(manifest_path: Option<&Path>, flags: &ScanFlags) -> Result<Scope, Error> {
    let Some(root) = root_manifest(manifest_path).filter(|r| r.is_file()) else {
        // Not a Cargo project (or --manifest-path names no file): cargo says so when it runs.
        return Ok(resolve(flags, &FileSettings::default()));
    };
    let file = read(&root)?;
    let mut scope = resolve(flags, &file.unwrap_or_default());
    scope.manifest = Some(root);
    Ok(scope)
}

/// After `cargo metadata`: the settings came from the manifest of the workspace root cargo
/// reports, or, when the search above guessed another, neither file has settings.
pub fn confirm(scope: &Scope, workspace_root: &Path) -> Result<(), Error> {
    let Some(guessed) = &scope.manifest else {
        return Ok(());
    };
    let real = workspace_root.join("Cargo.toml");
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    };
    if same(guessed, &real) {
        return Ok(());
    }
    let has = |p: &Path| read(p).map(|s| s.is_some()).unwrap_or(true);
    if has(guessed) || has(&real) {
        return Err(Error::Settings {
            path: real.clone(),
            message: format!(
                "cargo's workspace root is {}, but the scan settings were looked for in {}; pass --manifest-path {} so both agree",
                workspace_root.display(),
                guessed.display(),
                real.display()
            ),
        });
    }
    Ok(())
}

/// The settings table of one manifest, `None` when it has none.
pub fn read(manifest: &Path) -> Result<Option<FileSettings>, Error> {
    let text = std::fs::read_to_string(manifest).map_err(|source| Error::Read {
        path: manifest.to_owned(),
        source,
    })?;
    parse(&text).map_err(|source| Error::SettingsFile {
        path: manifest.to_owned(),
        source,
    })
}

/// The settings table of a manifest's text.
pub fn parse(text: &str) -> Result<Option<FileSettings>, SettingsError> {
    let doc: toml::Table = toml::from_str(text).map_err(SettingsError::Syntax)?;
    let table = |section: &str| {
        doc.get(section)
            .and_then(|s| s.get("metadata"))
            .and_then(|m| m.get(TABLE))
            .cloned()
    };
    let (section, value) = match (table("workspace"), table("package")) {
        (Some(_), Some(_)) => {
            return Err(SettingsError::BothSections(
                format!("[workspace.metadata.{TABLE}]"),
                format!("[package.metadata.{TABLE}]"),
            ));
        }
        (Some(v), None) => ("workspace", v),
        (None, Some(v)) => ("package", v),
        (None, None) => return Ok(None),
    };
    value.try_into::<FileSettings>().map(Some).map_err(|e| {
        let said = e.to_string().trim().replace("\nin ", " in ");
        SettingsError::Table {
            table: format!("[{section}.metadata.{TABLE}]"),
            said,
        }
    })
}

/// The manifest cargo starts from: `--manifest-path`, else the nearest Cargo.toml above the
/// current directory; then the workspace root it belongs to.
pub fn root_manifest(manifest_path: Option<&Path>) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let start = match manifest_path {
        Some(m) => cwd.join(m),
        None => cwd
            .ancestors()
            .map(|d| d.join("Cargo.toml"))
            .find(|p| p.is_file())?,
    };
    Some(workspace_root_of(&start))
}

/// Cargo's rule: a manifest with `[workspace]` is its own root; `package.workspace` names
/// the root's folder; else the nearest ancestor manifest with a `[workspace]` whose
/// `exclude` does not cover the package; else the manifest itself.
fn workspace_root_of(manifest: &Path) -> PathBuf {
    let load = |p: &Path| -> Option<toml::Table> {
        toml::from_str(&std::fs::read_to_string(p).ok()?).ok()
    };
    let Some(doc) = load(manifest) else {
        return manifest.to_owned();
    };
    let dir = manifest.parent().unwrap_or(Path::new("."));
    if doc.contains_key("workspace") {
        return manifest.to_owned();
    }
    if let Some(ws) = doc
        .get("package")
        .and_then(|p| p.get("workspace"))
        .and_then(toml::Value::as_str)
    {
        return dir.join(ws).join("Cargo.toml");
    }
    for ancestor in dir.ancestors().skip(1) {
        let candidate = ancestor.join("Cargo.toml");
        let Some(root) = candidate.is_file().then(|| load(&candidate)).flatten() else {
            continue;
        };
        let Some(ws) = root.get("workspace") else {
            continue;
        };
        let excluded = ws
            .get("exclude")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(toml::Value::as_str)
            .any(|e| dir.starts_with(ancestor.join(e)));
        if !excluded {
            return candidate;
        }
    }
    manifest.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_read_from_either_section_and_checked() -> Result<(), SettingsError> {
        let ws = parse(
            "[workspace]\n[workspace.metadata.risk-report]\ntargets = [\"x86_64-unknown-linux-gnu\"]\nexclude = [\"criterion\"]\nexclude-dev = true\nmax-entry-bytes = \"1M\"\nmax-total-bytes = 4096\nmax-entries = 9\n",
        )?;
        assert_eq!(
            ws,
            Some(FileSettings {
                targets: Some(vec!["x86_64-unknown-linux-gnu".into()]),
                exclude: Some(vec!["criterion".into()]),
                exclude_dev: Some(true),
                max_entry_bytes: Some(Size(1 << 20)),
                max_total_bytes: Some(Size(4096)),
                max_entries: Some(9),
            })
        );
        let pkg =
            parse("[package]\nname = \"a\"\n[package.metadata.risk-report]\nexclude-dev = true\n")?;
        assert_eq!(pkg.and_then(|s| s.exclude_dev), Some(true));
        assert_eq!(parse("[package]\nname = \"a\"\n")?, None);
        let typo = parse("[workspace.metadata.risk-report]\nexclude_dev = true\n")
            .map_err(|e| e.to_string());
        assert!(
            typo.as_ref().is_err_and(
                |e| e.contains("exclude_dev") && e.contains("[workspace.metadata.risk-report]")
            ),
            "{typo:?}"
        );
        let both = parse(
            "[workspace.metadata.risk-report]\n[package]\nname = \"a\"\n[package.metadata.risk-report]\n",
        );
        assert!(both.is_err_and(|e| e.to_string().contains("keep one")));
        assert!(matches!(
            parse("[workspace\n"),
            Err(SettingsError::Syntax(_))
        ));
        assert!(parse("[workspace.metadata.risk-report]\nmax-entries = \"x\"\n").is_err());
        assert!(parse("[workspace.metadata.risk-report]\nmax-entry-bytes = \"12Q\"\n").is_err());
        Ok(())
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_the_defaults() {
        let file = FileSettings {
            targets: Some(vec!["b".into(), "a".into(), "b".into()]),
            exclude: Some(vec!["x@1.0.0".into()]),
            exclude_dev: Some(true),
            max_entries: Some(7),
            ..FileSettings::default()
        };
        let s = resolve(&ScanFlags::default(), &file);
        assert_eq!(s.targets, ["a", "b"]);
        assert_eq!(s.exclude, [PackageSpec::parse("x@1.0.0")]);
        assert!(s.exclude_dev);
        assert_eq!(s.limits.max_entries, 7);
        assert_eq!(s.limits.max_entry_bytes, Limits::default().max_entry_bytes);
        let flags = ScanFlags {
            targets: vec!["c".into()],
            exclude: vec!["y".into()],
            max_entries: Some(3),
            ..ScanFlags::default()
        };
        let s = resolve(&flags, &file);
        assert_eq!(s.targets, ["c"]);
        assert_eq!(s.exclude, [PackageSpec::parse("y")]);
        assert_eq!(s.limits.max_entries, 3);
        let recorded = record(&s);
        assert_eq!(recorded.max_entries, Some(3));
        assert_eq!(recorded.max_entry_bytes, None, "defaults are not recorded");
        assert!(record(&resolve(&ScanFlags::default(), &FileSettings::default())).is_default());
        assert_eq!(recorded_limits(&recorded), s.limits, "record and read back");
        assert_eq!(recorded_limits(&Default::default()), Limits::default());
    }

    #[test]
    fn the_root_is_found_as_cargo_finds_it() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let root = dir.path();
        let write = |p: &str, text: &str| -> std::io::Result<()> {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap_or(root))?;
            std::fs::write(path, text)
        };
        write(
            "Cargo.toml",
            "[workspace]\nmembers = [\"a\"]\nexclude = [\"out\"]\n",
        )?;
        write("a/Cargo.toml", "[package]\nname = \"a\"\n")?;
        write("out/b/Cargo.toml", "[package]\nname = \"b\"\n")?;
        write(
            "c/Cargo.toml",
            "[package]\nname = \"c\"\nworkspace = \"../d\"\n",
        )?;
        write("d/Cargo.toml", "[workspace]\n")?;
        for (manifest, want) in [
            ("a/Cargo.toml", "Cargo.toml"),
            ("Cargo.toml", "Cargo.toml"),
            ("out/b/Cargo.toml", "out/b/Cargo.toml"),
            ("c/Cargo.toml", "c/../d/Cargo.toml"),
        ] {
            assert_eq!(workspace_root_of(&root.join(manifest)), root.join(want));
        }
        Ok(())
    }
}
