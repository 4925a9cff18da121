//! The one parallel driver: read, verify and scan every package on a rayon pool, then hand
//! the results back in input order (the caller sorts), so the thread count never shows.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use risk_analyzer::{Limits, Mode};
use risk_report::facts::CrateFacts;

use crate::plumbing::cache::{self, Cache};
use crate::plumbing::error::{Error, Mismatch};
use crate::plumbing::locate::Input;
use crate::plumbing::verify;

/// syn recurses on nesting depth, and a hostile crate can nest deeply: give every worker a
/// stack big enough that depth limits, not the stack, decide.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// One package to scan.
#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    pub version: String,
    pub input: Input,
}

/// What was read and found.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub facts: CrateFacts,
    /// The tarball's SHA-256 was computed and equals Cargo.lock's.
    pub verified: bool,
}

/// How packages are scanned.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub limits: Limits,
    pub mode: Mode,
    /// Where verified tarballs' results are cached; `None` scans everything.
    pub cache: Option<Cache>,
}

/// A scanned package, or the reason it was refused.
type Outcome = Result<Scanned, Mismatch>;

/// Where a progress display hears about the scan: `total(packages, already_done)` when the
/// number of packages is known (again once the graph is), `done()` after each one.
pub struct Progress<'a> {
    pub total: &'a dyn Fn(u64, u64),
    pub done: &'a (dyn Fn() + Sync),
}

impl std::fmt::Debug for Progress<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Builds the worker pool: `jobs` threads, or the machine's parallelism.
pub fn pool(jobs: Option<usize>) -> Result<rayon::ThreadPool, Error> {
    let threads = jobs
        .filter(|&n| n > 0)
        .or_else(|| std::thread::available_parallelism().ok().map(usize::from))
        .unwrap_or(1);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(WORKER_STACK)
        .thread_name(|i| format!("risk-scan-{i}"))
        .build()
        .map_err(Error::ThreadPool)
}

/// Scans every job (taking what `reuse` hands back: the scan ahead's results of the same
/// verified bytes);
/// results are in job order. Every tarball is verified before it is read; once one mismatch is
/// seen the remaining jobs are still verified (so the error lists all of them, whatever the
/// timing) but no longer scanned.
pub fn scan_all(
    pool: &rayon::ThreadPool,
    jobs: &[Job],
    options: &Options,
    progress: &Progress<'_>,
    reuse: &dyn Fn(&Job) -> Option<Scanned>,
) -> Result<Vec<Scanned>, Error> {
    let mut outcomes: Vec<Option<Outcome>> = jobs.iter().map(|job| reuse(job).map(Ok)).collect();
    let reused = outcomes.iter().filter(|t| t.is_some()).count();
    (progress.total)(jobs.len() as u64, reused as u64);
    let refused = AtomicBool::new(false);
    let left: Vec<usize> = largest_first(jobs)
        .into_iter()
        .filter(|&i| outcomes[i].is_none())
        .collect();
    let done: Vec<(usize, Outcome)> = pool.install(|| {
        left.into_iter()
            .par_bridge()
            .map(|i| {
                let out = scan_one(&jobs[i], options, &refused);
                (progress.done)();
                (i, out)
            })
            .collect()
    });
    for (i, out) in done {
        outcomes[i] = Some(out);
    }
    let mut scanned = Vec::with_capacity(outcomes.len());
    let mut mismatches = Vec::new();
    for o in outcomes.into_iter().flatten() {
        match o {
            Ok(s) => scanned.push(s),
            Err(m) => mismatches.push(m),
        }
    }
    if mismatches.is_empty() {
        Ok(scanned)
    } else {
        Err(Error::ChecksumMismatch(mismatches))
    }
}

/// Job indices, biggest tarball first (directories last): the workers take them in this
/// order, so the biggest crates start first and no worker is left alone with one at the end.
pub(crate) fn largest_first(jobs: &[Job]) -> Vec<usize> {
    let size = |job: &Job| match &job.input {
        Input::Tarball { candidates, .. } => candidates
            .first()
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(0, |m| m.len()),
        _ => 0,
    };
    let mut order: Vec<(u64, usize)> = jobs.iter().enumerate().map(|(i, j)| (size(j), i)).collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    order.into_iter().map(|(_, i)| i).collect()
}

/// Reads, verifies and scans one package (through the cache); nothing is scanned once
/// `refused` is set.
pub(crate) fn scan_one(job: &Job, options: &Options, refused: &AtomicBool) -> Outcome {
    let root = format!("{}-{}", job.name, job.version);
    let (limits, mode) = (&options.limits, options.mode);
    let (facts, verified) = match &job.input {
        Input::Tarball {
            candidates,
            checksum,
        } => match read_verified(&job.name, &job.version, candidates, checksum.as_deref()) {
            Ok(Read { bytes, verified }) => {
                if refused.load(Ordering::Relaxed) {
                    return Ok(Scanned {
                        facts: CrateFacts::default(),
                        verified,
                    });
                }
                // only bytes proven to be what Cargo.lock pins are looked up or stored
                let key = checksum
                    .as_deref()
                    .filter(|_| verified)
                    .map(|sha| cache::Key {
                        sha256: sha,
                        root: &root,
                        limits,
                    });
                let cache = options.cache.as_ref().zip(key);
                if let Some(facts) = cache.and_then(|(c, k)| c.get(&k)) {
                    (facts, verified)
                } else {
                    let facts = guarded(|| {
                        risk_analyzer::scan_crate_tarball_with(&bytes, Some(&root), limits, mode)
                    });
                    drop(bytes);
                    if let Some((c, k)) = cache {
                        c.put(&k, &facts);
                    }
                    (facts, verified)
                }
            }
            Err(ReadError::Mismatch(m)) => {
                refused.store(true, Ordering::Relaxed);
                return Err(m);
            }
            Err(ReadError::Io(path, e)) => (
                not_analyzed(format!("cannot read {}: {e}", file_name(&path))),
                false,
            ),
        },
        Input::Dir(dir) => {
            if refused.load(Ordering::Relaxed) {
                (CrateFacts::default(), false)
            } else {
                (
                    guarded(|| risk_analyzer::scan_crate_dir_with(dir, limits, mode)),
                    false,
                )
            }
        }
        Input::Missing => (
            not_analyzed("the .crate tarball was not found in the cargo cache".to_owned()),
            false,
        ),
    };
    let mut facts = facts;
    // The report keys rows by the graph's name and version; a crate that could not be read
    // at all still gets them.
    if facts.name.is_empty() {
        facts.name.clone_from(&job.name);
    }
    if facts.version.is_empty() {
        facts.version.clone_from(&job.version);
    }
    Ok(Scanned { facts, verified })
}

/// The bytes of a tarball and whether they were verified.
#[derive(Debug)]
pub struct Read {
    pub bytes: Vec<u8>,
    pub verified: bool,
}

#[derive(Debug)]
pub enum ReadError {
    Mismatch(Mismatch),
    Io(PathBuf, std::io::Error),
}

/// Reads the first candidate whose SHA-256 matches `checksum` (any candidate when Cargo.lock
/// pins none). A mismatch names the first candidate, the one cargo itself would use.
pub fn read_verified(
    name: &str,
    version: &str,
    candidates: &[PathBuf],
    checksum: Option<&str>,
) -> Result<Read, ReadError> {
    let mut first_mismatch = None;
    let mut first_io = None;
    for path in candidates {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                first_io.get_or_insert((path.clone(), e));
                continue;
            }
        };
        let Some(expected) = checksum else {
            return Ok(Read {
                bytes,
                verified: false,
            });
        };
        let (ok, actual) = verify::matches(&bytes, expected);
        if ok {
            return Ok(Read {
                bytes,
                verified: true,
            });
        }
        first_mismatch.get_or_insert(Mismatch {
            name: name.to_owned(),
            version: version.to_owned(),
            file: path.clone(),
            expected: expected.to_ascii_lowercase(),
            actual,
        });
    }
    if let Some(m) = first_mismatch {
        return Err(ReadError::Mismatch(m));
    }
    let (path, e) = first_io.unwrap_or_else(|| {
        (
            PathBuf::new(),
            std::io::Error::new(std::io::ErrorKind::NotFound, "no tarball"),
        )
    });
    Err(ReadError::Io(path, e))
}

/// Runs the analyzer so that a panic on one crate becomes a recorded fact about that crate
/// instead of ending the run.
fn guarded(scan: impl FnOnce() -> CrateFacts) -> CrateFacts {
    match catch_unwind(AssertUnwindSafe(scan)) {
        Ok(f) => f,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            not_analyzed(format!("the analyzer panicked: {msg}"))
        }
    }
}

fn not_analyzed(reason: String) -> CrateFacts {
    CrateFacts {
        not_analyzed: Some(reason),
        ..CrateFacts::default()
    }
}

/// Only the file name: the report holds no absolute paths.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
