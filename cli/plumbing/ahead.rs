//! Scanning while `cargo metadata` runs. cargo takes a fifth of a second or more to resolve a
//! few hundred packages, and every registry package it will list is already pinned, with its
//! checksum, in Cargo.lock. So the workers start on the lockfile's tarballs at once, and the
//! scan that follows the graph takes each result whose name, version and verified SHA-256
//! match instead of scanning again.
//!
//! Nothing here decides what the report holds: a result is only reused for a package of the
//! graph whose tarball has the same checksum, and the facts of verified bytes do not depend on
//! where they were found. A guess that turns out wrong (another workspace's lockfile, a
//! lockfile cargo rewrites) costs time, never a fact. Mismatches are not kept: the scan after
//! the graph reads and reports them as it always does.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::plumbing::locate::{Input, Locator};
use crate::plumbing::lockfile::Checksums;
use crate::plumbing::options::CargoRun;
use crate::plumbing::scan::{self, Job, Progress, Scanned};

/// (name, version, SHA-256) of a verified tarball.
type Key = (String, String, String);

/// Results of the scan that ran beside `cargo metadata`.
#[derive(Debug, Default)]
pub struct Ahead {
    done: Mutex<HashMap<Key, Scanned>>,
}

impl Ahead {
    /// Scans every package the lockfile cargo will most likely use pins a checksum for, on
    /// `pool`, telling `progress` as the main scan does. Stops early once `stop` is set (cargo
    /// failed: the run ends with its error).
    pub fn run(
        &self,
        cargo: CargoRun<'_>,
        pool: &rayon::ThreadPool,
        options: &scan::Options,
        progress: &Progress<'_>,
        stop: &AtomicBool,
    ) {
        // Targets leave packages of other platforms out of the graph: most of the lockfile
        // (the `windows-sys` family, say) would be scanned for nothing
        if !cargo.targets.is_empty() {
            return;
        }
        let Some(lockfile) = lockfile_for(cargo.manifest_path) else {
            return;
        };
        let Ok(checksums) = Checksums::read(&lockfile) else {
            return;
        };
        let root = lockfile.parent().unwrap_or(Path::new("."));
        let locator = Locator::for_root(root);
        let jobs: Vec<Job> = checksums
            .pinned()
            .map(|(name, version, sum)| Job {
                name: name.to_owned(),
                version: version.to_owned(),
                input: Input::Tarball {
                    candidates: locator.tarballs(name, version),
                    checksum: Some(sum.to_owned()),
                },
            })
            .filter(
                |j| matches!(&j.input, Input::Tarball { candidates, .. } if !candidates.is_empty()),
            )
            .collect();
        (progress.total)(jobs.len() as u64, 0);
        let never = AtomicBool::new(false);
        pool.install(|| {
            scan::largest_first(&jobs)
                .into_iter()
                .par_bridge()
                .for_each(|i| {
                    let job = &jobs[i];
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    if let Ok(s) = scan::scan_one(job, options, &never)
                        && s.verified
                        && let Some(key) = key(job)
                        && let Ok(mut done) = self.done.lock()
                    {
                        done.insert(key, s);
                    }
                    (progress.done)();
                });
        });
    }

    /// The result for `job`, when it was scanned ahead from the same verified bytes.
    pub fn take(&self, job: &Job) -> Option<Scanned> {
        let key = key(job)?;
        self.done.lock().ok()?.remove(&key)
    }
}

/// The key of a job whose tarball has a pinned checksum.
fn key(job: &Job) -> Option<Key> {
    match &job.input {
        Input::Tarball {
            checksum: Some(sum),
            ..
        } => Some((
            job.name.clone(),
            job.version.clone(),
            sum.to_ascii_lowercase(),
        )),
        _ => None,
    }
}

/// The Cargo.lock nearest to where cargo starts (the manifest's folder, else the current
/// one): the workspace root's in every layout but nested workspaces, where a wrong guess only
/// costs time.
fn lockfile_for(manifest_path: Option<&Path>) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let start = match manifest_path {
        Some(m) => cwd.join(m).parent()?.to_path_buf(),
        None => cwd,
    };
    start
        .ancestors()
        .map(|d| d.join("Cargo.lock"))
        .find(|p| p.is_file())
}
