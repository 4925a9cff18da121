//! The `cargo metadata` cache: a warm run (nothing changed) reads the graph cargo gave last
//! time instead of starting cargo, which is most of a warm run's time.
//!
//! An entry is only used when nothing that could change cargo's answer changed. Its **key** is
//! in two parts:
//!
//! - **The file name**: the SHA-256 of everything known before cargo runs: this tool's
//!   version, the current directory, `--manifest-path`, the pass-through flags (`--locked`,
//!   `--offline`, `--frozen`), the targets (all features are always asked for), the cargo
//!   program (its resolved path, canonical path, size and modification time: cheaper than
//!   `cargo --version`; when it is a rustup proxy, also rustup's `settings.toml` and the size
//!   and modification time of every installed toolchain's cargo), and the environment cargo
//!   and rustup read: every variable whose name starts with `CARGO` (except the jobserver's
//!   `CARGO_MAKEFLAGS`) or `RUSTUP_`, and `RUSTC`, `RUSTC_WRAPPER`,
//!   `RUSTC_WORKSPACE_WRAPPER`, `RUSTFLAGS`, `HOME` and `PATH`.
//! - **The watched files**, listed in the entry and re-hashed (SHA-256) on every run: the
//!   workspace's Cargo.lock (which pins every registry and git package, so their manifests
//!   cannot change), the workspace root's Cargo.toml, the Cargo.toml of every package whose
//!   source is a path (members and path dependencies, from the cached metadata itself), every
//!   `Cargo.toml`, `rust-toolchain` and `rust-toolchain.toml` in the ancestors of those folders
//!   and of the current one (present or absent: creating one can change the workspace root or
//!   the toolchain), and every cargo config file that could apply (`.cargo/config.toml` and
//!   `.cargo/config` in those ancestors and `$CARGO_HOME`, present or absent). Binary target
//!   discovery is watched too, since the SBOM's applications come from the cached targets:
//!   each path package's `src/main.rs` (present or absent) and the names in its `src/bin/`
//!   (one level of folders deep; a folder's fingerprint is the hash of that listing).
//!
//! Any doubt means running cargo as before and not storing: a workspace whose `members` or
//! `exclude` use globs (a new folder would join without any watched file changing), no
//! Cargo.lock, a watched file that cannot be read, a path that is not UTF-8. Other target
//! discovery (a new `examples/x.rs`, `tests/x.rs`) is not watched: nothing reads those.
//!
//! **Layout**: `DIR/metadata-v1/{key}.meta`: a magic line, `{length} {sha256}` of the rest,
//! the watched files as one JSON line, then cargo's JSON line as cargo printed it (parsed the
//! same way, so a hit gives the same `Metadata` and the same report). A truncated or corrupt
//! entry is a miss and is rewritten. Entries are written to a temporary file and renamed into
//! place, so concurrent runs only see whole entries.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use cargo_metadata::{Metadata, MetadataCommand};
use sha2::{Digest, Sha256};

use crate::plumbing::cargo_config;
use crate::plumbing::error::Error;
use crate::plumbing::options::CargoRun;

/// First line of every entry; bump it (and [`FOLDER`]) when the layout changes.
const MAGIC: &str = "cargo-risk-report-metadata 2";
const FOLDER: &str = "metadata-v1";

/// A watched file and the SHA-256 of its bytes, `None` when it must not exist.
type Watched = Vec<(PathBuf, Option<String>)>;

/// `cargo metadata`, as `cargo` says to run it, through the cache in `dir`, and whether it
/// came from the cache. `program` is the cargo `run` runs (part of the key); `run` returns the
/// metadata and the JSON line it was parsed from.
pub(crate) fn metadata(
    cargo: CargoRun<'_>,
    dir: &Path,
    program: &Path,
    run: impl FnOnce() -> Result<(Metadata, String), Error>,
) -> Result<(Metadata, bool), Error> {
    let Some(ctx) = Context::new(cargo, program) else {
        return run().map(|(meta, _)| (meta, false));
    };
    let path = dir.join(FOLDER).join(format!("{}.meta", ctx.key));
    if let Some(meta) = read_entry(&path) {
        return Ok((meta, true));
    }
    let (meta, raw) = run()?;
    if let Some(watched) = ctx.watched(&meta) {
        write_entry(&path, &watched, &raw);
    }
    Ok((meta, false))
}

/// What is known before cargo runs.
struct Context {
    /// Hex SHA-256 of the first part of the key.
    key: String,
    cwd: PathBuf,
    /// The folder cargo starts from: the manifest's, else the current one.
    start: PathBuf,
    cargo_home: Option<PathBuf>,
}

impl Context {
    fn new(cargo: CargoRun<'_>, program: &Path) -> Option<Context> {
        let cwd = std::env::current_dir().ok()?;
        let manifest = cargo.manifest_path.map(|p| cwd.join(p));
        let start = match &manifest {
            Some(m) => m.parent()?.to_path_buf(),
            None => cwd.clone(),
        };
        let mut h = KeyHasher::default();
        h.field(MAGIC);
        h.field(env!("CARGO_PKG_VERSION"));
        h.field(cwd.as_os_str());
        h.field(manifest.as_deref().map_or(OsStr::new(""), Path::as_os_str));
        h.field(cargo.flags.to_args().join(" "));
        h.field(if cargo.targets.is_empty() {
            "\0none".to_owned()
        } else {
            cargo.targets.join("\0")
        });
        cargo_identity(&mut h, program)?;
        for (name, value) in std::env::vars_os() {
            if env_matters(&name) {
                h.field(&name);
                h.field(&value);
            }
        }
        Some(Context {
            key: h.finish(),
            cwd,
            start,
            cargo_home: crate::plumbing::locate::cargo_home(),
        })
    }

    /// The files whose bytes the answer depends on, hashed now; `None` when in doubt.
    fn watched(&self, meta: &Metadata) -> Option<Watched> {
        let root = meta.workspace_root.as_std_path();
        let root_manifest = root.join("Cargo.toml");
        if !globless_members(&root_manifest)? {
            return None;
        }
        let mut files: Vec<PathBuf> = vec![root.join("Cargo.lock"), root_manifest];
        let mut dirs: Vec<PathBuf> = vec![self.cwd.clone(), self.start.clone(), root.into()];
        for p in meta.packages.iter().filter(|p| p.source.is_none()) {
            let manifest = p.manifest_path.as_std_path();
            files.push(manifest.to_path_buf());
            // The binary targets cargo discovers (the SBOM's applications come from them).
            if let Some(dir) = manifest.parent() {
                files.push(dir.join("src/main.rs"));
                files.push(dir.join("src/bin"));
                dirs.push(dir.to_path_buf());
            }
        }
        let starts: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
        files.extend(cargo_config::config_candidates(
            &starts,
            self.cargo_home.as_deref(),
        ));
        for dir in &dirs {
            for a in dir.ancestors() {
                for name in ["Cargo.toml", "rust-toolchain", "rust-toolchain.toml"] {
                    files.push(a.join(name));
                }
            }
        }
        let mut seen = BTreeMap::new();
        for f in files {
            if let std::collections::btree_map::Entry::Vacant(slot) = seen.entry(f) {
                let hash = fingerprint(slot.key())?;
                slot.insert(hash);
            }
        }
        // Without a lockfile nothing pins the registry packages.
        seen.get(&root.join("Cargo.lock"))?.as_ref()?;
        Some(seen.into_iter().collect())
    }
}

/// Whether the workspace's `members` and `exclude` name folders without globs (`None` when
/// the manifest cannot be read).
fn globless_members(root_manifest: &Path) -> Option<bool> {
    let text = std::fs::read_to_string(root_manifest).ok()?;
    let value: toml::Table = toml::from_str(&text).ok()?;
    let Some(ws) = value.get("workspace").and_then(toml::Value::as_table) else {
        return Some(true);
    };
    for list in ["members", "exclude"] {
        for item in ws
            .get(list)
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
        {
            let s = item.as_str()?;
            if s.contains(['*', '?', '[', ']']) {
                return Some(false);
            }
        }
    }
    Some(true)
}

/// Environment variables that can change what `cargo metadata` answers.
fn env_matters(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    (name.starts_with("CARGO") && name != "CARGO_MAKEFLAGS")
        || name.starts_with("__CARGO")
        || name.starts_with("RUSTUP_")
        || matches!(
            name,
            "RUSTC" | "RUSTC_WRAPPER" | "RUSTC_WORKSPACE_WRAPPER" | "RUSTFLAGS" | "HOME" | "PATH"
        )
}

/// Adds which cargo will run to the key: path, canonical path, size and mtime, and for a
/// rustup proxy rustup's settings and every toolchain's cargo. `None` when it is not found.
fn cargo_identity(h: &mut KeyHasher, program: &Path) -> Option<()> {
    let program = resolve_program(program)?;
    let canonical = std::fs::canonicalize(&program).ok()?;
    h.field(program.as_os_str());
    file_stamp(h, &canonical)?;
    let proxy = canonical
        .file_stem()
        .is_some_and(|s| s.to_string_lossy().starts_with("rustup"))
        || program
            .parent()
            .is_some_and(|d| d.join("rustup").exists() || d.join("rustup.exe").exists());
    if proxy {
        let rustup_home = std::env::var_os("RUSTUP_HOME")
            .map(PathBuf::from)
            .or_else(|| home::home_dir().map(|h| h.join(".rustup")))?;
        h.field(rustup_home.as_os_str());
        h.field(fingerprint(&rustup_home.join("settings.toml"))?.unwrap_or_default());
        let mut toolchains: Vec<PathBuf> = std::fs::read_dir(rustup_home.join("toolchains"))
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        toolchains.sort();
        for t in toolchains {
            let cargo = t.join("bin").join(program.file_name()?);
            if cargo.exists() {
                h.field(cargo.as_os_str());
                file_stamp(h, &cargo)?;
            }
        }
    }
    Some(())
}

/// Size and modification time of a file (following links).
fn file_stamp(h: &mut KeyHasher, path: &Path) -> Option<()> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    h.field(format!("{} {}", meta.len(), mtime.as_nanos()));
    Some(())
}

/// The program as the OS would find it: a path with a separator as is, else the first match
/// on `PATH`.
fn resolve_program(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 || program.is_absolute() {
        return program.is_file().then(|| program.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        let candidates = [
            dir.join(program),
            dir.join(program)
                .with_extension(std::env::consts::EXE_EXTENSION),
        ];
        candidates.into_iter().find(|c| c.is_file())
    })
}

/// The SHA-256 of a file, `None` inside when it does not exist; `None` outside when it cannot
/// be read (a folder, no permission).
fn fingerprint(path: &Path) -> Option<Option<String>> {
    if path.is_dir() {
        return listing(path).map(|names| Some(format!("dir {}", hex(&Sha256::digest(names)))));
    }
    match std::fs::read(path) {
        Ok(bytes) => Some(Some(hex(&Sha256::digest(&bytes)))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(None),
        Err(_) => None,
    }
}

/// The names under a folder, one level of subfolders deep (`src/bin/x.rs`,
/// `src/bin/x/main.rs`), sorted, NUL-separated.
fn listing(dir: &Path) -> Option<Vec<u8>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name();
        if entry.file_type().ok()?.is_dir() {
            for inner in std::fs::read_dir(entry.path()).ok()? {
                let mut n = name.clone();
                n.push("/");
                n.push(inner.ok()?.file_name());
                names.push(n);
            }
        } else {
            names.push(name);
        }
    }
    names.sort();
    let mut out = Vec::new();
    for n in names {
        out.extend_from_slice(n.as_encoded_bytes());
        out.push(0);
    }
    Some(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 over length-prefixed fields, so no two field lists hash alike.
#[derive(Default)]
struct KeyHasher(Sha256);

impl KeyHasher {
    fn field(&mut self, value: impl AsRef<OsStr>) {
        let bytes = value.as_ref().as_encoded_bytes();
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

/// The cached metadata, when the entry is whole and every watched file is as it was.
fn read_entry(path: &Path) -> Option<Metadata> {
    let bytes = std::fs::read(path).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (magic, rest) = text.split_once('\n')?;
    let (header, body) = rest.split_once('\n')?;
    let (len, sum) = header.split_once(' ')?;
    if magic != MAGIC || body.len() != len.parse::<usize>().ok()? {
        return None;
    }
    if hex(&Sha256::digest(body.as_bytes())) != sum {
        return None;
    }
    let (watched, raw) = body.split_once('\n')?;
    let watched: Watched = serde_json::from_str(watched).ok()?;
    for (file, hash) in &watched {
        if fingerprint(file)? != *hash {
            return None;
        }
    }
    MetadataCommand::parse(raw).ok()
}

/// Stores an entry; errors are ignored (the next run asks cargo again).
fn write_entry(path: &Path, watched: &Watched, raw: &str) {
    let Ok(watched) = serde_json::to_string(watched) else {
        return;
    };
    if raw.contains('\n') {
        return;
    }
    let body = format!("{watched}\n{raw}");
    let sum = hex(&Sha256::digest(body.as_bytes()));
    let bytes = format!("{MAGIC}\n{} {sum}\n{body}", body.len());
    let Some(dir) = path.parent() else {
        return;
    };
    let write = || -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(bytes.as_bytes())?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    };
    let _ = write();
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn globs_in_members_are_a_doubt() {
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("Cargo.toml");
        std::fs::write(&m, "[workspace]\nmembers = [\"a\", \"b/c\"]\n").unwrap();
        assert_eq!(globless_members(&m), Some(true));
        std::fs::write(&m, "[workspace]\nmembers = [\"crates/*\"]\n").unwrap();
        assert_eq!(globless_members(&m), Some(false));
        std::fs::write(&m, "[workspace]\nexclude = [\"x?\"]\n").unwrap();
        assert_eq!(globless_members(&m), Some(false));
        std::fs::write(&m, "[package]\nname = \"p\"\n").unwrap();
        assert_eq!(globless_members(&m), Some(true));
        assert_eq!(globless_members(&dir.path().join("none.toml")), None);
    }

    #[test]
    fn fingerprints_tell_absent_files_and_list_folders() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(fingerprint(&dir.path().join("nope")), Some(None));
        // a folder (`src/bin/`) is its listing: a new file, or one in a subfolder, changes it
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(bin.join("tool")).unwrap();
        let empty = fingerprint(&bin);
        std::fs::write(bin.join("tool/main.rs"), "").unwrap();
        let one = fingerprint(&bin);
        std::fs::write(bin.join("x.rs"), "").unwrap();
        let two = fingerprint(&bin);
        assert!(empty.as_ref().is_some_and(Option::is_some), "{empty:?}");
        assert!(empty != one && one != two && empty != two);
        assert_eq!(
            fingerprint(&bin),
            two,
            "the same listing, the same fingerprint"
        );
        let f = dir.path().join("f");
        std::fs::write(&f, "abc").unwrap();
        assert_eq!(
            fingerprint(&f),
            Some(Some(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".to_owned()
            ))
        );
    }

    #[test]
    fn key_fields_are_unambiguous() {
        let key = |fields: &[&str]| {
            let mut h = KeyHasher::default();
            for f in fields {
                h.field(f);
            }
            h.finish()
        };
        assert_ne!(key(&["ab", "c"]), key(&["a", "bc"]));
        assert_eq!(key(&["ab", "c"]), key(&["ab", "c"]));
    }
}
