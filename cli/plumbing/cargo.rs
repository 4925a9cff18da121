//! Running cargo: `cargo metadata` for the graph and `cargo fetch` for missing tarballs, with
//! the user's pass-through flags, and cargo's failures turned into actionable errors.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use cargo_metadata::{Metadata, MetadataCommand};

use crate::plumbing::cache::Cache;
use crate::plumbing::error::Error;
use crate::plumbing::options::{CargoFlags, CargoRun};

/// The cargo binary: `$CARGO` when cargo runs us as a subcommand, else `cargo` on PATH.
pub(crate) fn cargo_program() -> PathBuf {
    std::env::var_os("CARGO")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("cargo"))
}

/// Runs `cargo metadata` for the whole graph, and says whether the answer came from the
/// metadata cache. Every feature is enabled so that the graph holds every package the
/// lockfile pins, whatever features the members enable by default; every platform is kept
/// unless `--target` asks for one. With a results `cache` (none with `--no-cache` or
/// `--exhaustive`), the answer comes from the metadata cache in it when nothing it depends on
/// changed (`meta_cache.rs`); without one, cargo is always asked (which also downloads the
/// tarballs it lacks, or says which are missing). `during` runs on this thread while cargo
/// runs (not when the cache answers); the flag it gets is set as soon as cargo has failed.
pub fn metadata(
    run: CargoRun<'_>,
    cache: Option<&Cache>,
    during: Option<&dyn Fn(&AtomicBool)>,
) -> Result<(Metadata, bool), Error> {
    if let Some(path) = run.manifest_path
        && !path.is_file()
    {
        return Err(Error::NotACargoProject {
            path: path.to_owned(),
            manifest_given: true,
        });
    }
    match cache {
        Some(cache) => {
            crate::plumbing::meta_cache::metadata(run, cache.dir(), &cargo_program(), || {
                run_metadata(run, during)
            })
        }
        None => run_metadata(run, during).map(|(meta, _)| (meta, false)),
    }
}

/// Runs `cargo metadata` (and `during` meanwhile); returns the parsed graph and the JSON line
/// it was parsed from.
fn run_metadata(
    run: CargoRun<'_>,
    during: Option<&dyn Fn(&AtomicBool)>,
) -> Result<(Metadata, String), Error> {
    let mut cmd = MetadataCommand::new();
    cmd.cargo_path(cargo_program());
    cmd.features(cargo_metadata::CargoOpt::AllFeatures);
    if let Some(path) = run.manifest_path {
        cmd.manifest_path(path);
    }
    let mut other = run.flags.to_args();
    for target in run.targets {
        other.push("--filter-platform".to_owned());
        other.push(target.clone());
    }
    cmd.other_options(other);
    let result = match during {
        None => exec(&cmd),
        Some(during) => {
            let failed = AtomicBool::new(false);
            std::thread::scope(|s| {
                let cargo = s.spawn(|| {
                    let result = exec(&cmd);
                    failed.store(result.is_err(), Ordering::Relaxed);
                    result
                });
                during(&failed);
                cargo
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
        }
    };
    result.map_err(|e| classify_metadata_error(e, run))
}

/// `MetadataCommand::exec`, keeping the JSON line.
fn exec(cmd: &MetadataCommand) -> Result<(Metadata, String), cargo_metadata::Error> {
    let output = cmd.cargo_command().output()?;
    if !output.status.success() {
        return Err(cargo_metadata::Error::CargoMetadata {
            stderr: String::from_utf8(output.stderr)?,
        });
    }
    let stdout = String::from_utf8(output.stdout)?;
    let line = stdout
        .lines()
        .find(|line| line.starts_with('{'))
        .ok_or(cargo_metadata::Error::NoJson)?;
    Ok((MetadataCommand::parse(line)?, line.to_owned()))
}

/// The error for a run outside any Cargo project, naming where cargo looked (the
/// `--manifest-path` given, else the current directory).
pub fn not_a_project(manifest_path: Option<&Path>) -> Error {
    Error::NotACargoProject {
        path: manifest_path
            .map(Path::to_owned)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default(),
        manifest_given: manifest_path.is_some(),
    }
}

fn classify_metadata_error(e: cargo_metadata::Error, run: CargoRun<'_>) -> Error {
    match e {
        cargo_metadata::Error::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
            Error::CargoNotFound(io)
        }
        cargo_metadata::Error::CargoMetadata { stderr } => {
            let stderr = stderr.trim().to_owned();
            if stderr.contains("could not find `Cargo.toml`") {
                not_a_project(run.manifest_path)
            } else if stderr.contains("--locked was passed")
                || stderr.contains("--frozen was passed")
                || stderr.contains("cannot create the lock file")
                || stderr.contains("lock file") && stderr.contains("needs to be updated")
            {
                Error::LockfileNeedsUpdate { stderr }
            } else if stderr.contains("failed to download")
                || stderr.contains("but --offline was specified")
            {
                // `cargo metadata` downloads every tarball it lacks (it needs the manifests),
                // so this, not our own search, is where missing tarballs usually show up.
                Error::CargoDownload {
                    offline: !run.flags.network_allowed(),
                    stderr,
                }
            } else {
                Error::Cargo {
                    command: "metadata".to_owned(),
                    stderr,
                }
            }
        }
        other => Error::Cargo {
            command: "metadata".to_owned(),
            stderr: other.to_string(),
        },
    }
}

/// Runs `cargo fetch` once, to bring tarballs that are not in the cache.
pub fn fetch(run: CargoRun<'_>, manifest: &Path) -> Result<(), Error> {
    let mut cmd = Command::new(cargo_program());
    cmd.arg("fetch").arg("--manifest-path").arg(manifest);
    cmd.args(run.flags.to_args());
    for target in run.targets {
        cmd.arg("--target").arg(target);
    }
    if run.quiet {
        cmd.arg("--quiet");
    }
    let out = cmd.output().map_err(|io| {
        if io.kind() == std::io::ErrorKind::NotFound {
            Error::CargoNotFound(io)
        } else {
            Error::Cargo {
                command: "fetch".to_owned(),
                stderr: io.to_string(),
            }
        }
    })?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Error::Cargo {
            command: "fetch".to_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        })
    }
}

/// Runs `cargo update ARGS` on the workspace; returns cargo's own account of what moved.
pub fn update(flags: CargoFlags, manifest: &Path, args: &[String]) -> Result<String, Error> {
    let mut cmd = Command::new(cargo_program());
    cmd.arg("update").arg("--manifest-path").arg(manifest);
    if !flags.network_allowed() {
        cmd.arg("--offline");
    }
    cmd.args(args);
    let out = cmd.output().map_err(|io| {
        if io.kind() == std::io::ErrorKind::NotFound {
            Error::CargoNotFound(io)
        } else {
            Error::Update {
                stderr: io.to_string(),
            }
        }
    })?;
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    if out.status.success() {
        Ok(stderr)
    } else {
        Err(Error::Update { stderr })
    }
}
