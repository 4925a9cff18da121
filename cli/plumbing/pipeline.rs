//! From the graph to the report: the workspace (graph, checksums, where each package is), then
//! one `PackageInput` per package (verified and scanned) and the report built once from them.
//! The session (`session.rs`) decides when each is built, each at most once.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use risk_report::model::{PackageInput, Report, Settings};

use crate::plumbing::cache::Cache;
use crate::plumbing::cargo;
use crate::plumbing::error::Error;
use crate::plumbing::graph::{Graph, GraphPackage};
use crate::plumbing::locate::{Input, Locator};
use crate::plumbing::lockfile::Checksums;
use crate::plumbing::options::{CargoRun, Scope};
use crate::plumbing::paths::Links;
use crate::plumbing::scan::{self, Job, Progress};
use crate::plumbing::{audits, settings};

/// The graph and what Cargo.lock pins, before anything is read.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub graph: Graph,
    pub checksums: Checksums,
    pub lockfile: PathBuf,
    /// The graph came from the metadata cache: cargo has not looked for missing tarballs.
    pub cached_metadata: bool,
    /// Things the user should know that do not stop the run (a Cargo.lock cargo had to
    /// create, an exclusion that matches nothing).
    pub notes: Vec<String>,
}

impl Workspace {
    /// Runs `cargo metadata` (or asks the metadata cache in `cache`), applies `scope` to the
    /// graph and reads Cargo.lock, running `during` while cargo runs (not when the metadata
    /// cache answers); `during` is told when cargo has failed.
    pub fn load(
        cargo: CargoRun<'_>,
        scope: &Scope,
        cache: Option<&Cache>,
        during: Option<&dyn Fn(&AtomicBool)>,
    ) -> Result<Workspace, Error> {
        // cargo writes a Cargo.lock when there is none (unless --locked): say so afterwards.
        let lock_before = scope
            .manifest
            .as_deref()
            .and_then(Path::parent)
            .map(|d| d.join("Cargo.lock"))
            .filter(|l| !l.is_file());
        let (meta, cached_metadata) = cargo::metadata(cargo, cache, during)?;
        settings::confirm(scope, meta.workspace_root.as_std_path())?;
        let graph = Graph::from_metadata(&meta, scope);
        if !graph.unmatched_packages.is_empty() {
            let members: Vec<&str> = graph
                .packages
                .iter()
                .filter(|p| p.member)
                .map(|p| p.name.as_str())
                .collect();
            return Err(Error::Usage(format!(
                "-p {}: not a member of this workspace (its members: {})",
                graph.unmatched_packages.join(", "),
                members.join(", ")
            )));
        }
        let mut notes: Vec<String> = graph
            .unmatched_exclude
            .iter()
            .map(|e| format!("exclude `{e}` matches no package of the graph"))
            .collect();
        let lockfile = graph.workspace_root.join("Cargo.lock");
        if lock_before.is_some_and(|l| l == lockfile) && lockfile.is_file() {
            notes.push(format!(
                "there was no Cargo.lock: cargo created {} (commit it, so that the report stays reproducible)",
                lockfile.display()
            ));
        }
        let checksums = Checksums::read(&lockfile)?;
        Ok(Workspace {
            graph,
            checksums,
            lockfile,
            cached_metadata,
            notes,
        })
    }

    pub fn root_manifest(&self) -> PathBuf {
        self.graph.workspace_root.join("Cargo.toml")
    }

    /// The packages the report covers: everything reached from the members the walk starts
    /// from, plus those members (and the members they reach) on request.
    pub fn selected(&self, include_members: bool) -> Vec<&GraphPackage> {
        self.graph
            .packages
            .iter()
            .filter(|p| {
                let reached = !p.dep_kinds.is_empty();
                if p.member {
                    include_members && (p.root || reached)
                } else {
                    reached
                }
            })
            .collect()
    }

    pub fn checksum(&self, p: &GraphPackage) -> Option<&str> {
        let source = p.source_id.as_deref()?;
        self.checksums.get(&p.name, &p.version, source)
    }

    pub fn locator(&self) -> Locator {
        Locator::for_root(&self.graph.workspace_root)
    }

    /// Where to read each package from. Missing tarballs are fetched once with `cargo fetch`
    /// when the network is allowed; still missing, they are an error (the report never
    /// silently leaves a package out or reads cargo's editable unpacked copy instead).
    pub fn locate(
        &self,
        cargo: CargoRun<'_>,
        packages: &[&GraphPackage],
    ) -> Result<Vec<Input>, Error> {
        let locate_all = |loc: &Locator| -> Vec<Input> {
            packages
                .iter()
                .map(|p| loc.locate(p, self.checksum(p)))
                .collect()
        };
        let mut inputs = locate_all(&self.locator());
        let missing = |inputs: &[Input]| -> Vec<String> {
            packages
                .iter()
                .zip(inputs)
                .filter(|(_, i)| **i == Input::Missing)
                .map(|(p, _)| format!("{}@{}", p.name, p.version))
                .collect()
        };
        if missing(&inputs).is_empty() {
            return Ok(inputs);
        }
        if self.cached_metadata {
            // Run cargo as a cold run would: it downloads what it lacks (the graph is the
            // same, the cache's key said so) or fails with its own account of what is missing.
            cargo::metadata(cargo, None, None)?;
            inputs = locate_all(&self.locator());
            if missing(&inputs).is_empty() {
                return Ok(inputs);
            }
        }
        let offline = !cargo.flags.network_allowed();
        if !offline {
            cargo::fetch(cargo, &self.root_manifest())?;
            inputs = locate_all(&self.locator());
        }
        let still = missing(&inputs);
        if still.is_empty() {
            Ok(inputs)
        } else {
            Err(Error::MissingTarballs {
                crates: still,
                offline,
            })
        }
    }
}

/// Counts for the closing summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub packages: usize,
    /// Read from a tarball whose SHA-256 matched Cargo.lock.
    pub verified: usize,
    /// Read from a directory, or a tarball Cargo.lock pins no checksum for.
    pub unverified: usize,
    /// Could not be analyzed at all (overlaps the two above).
    pub not_analyzed: usize,
}

/// Everything scanned, sorted by (name, version, source).
#[derive(Debug, Clone)]
pub struct Scanned {
    pub workspace_root: PathBuf,
    pub inputs: Vec<PackageInput>,
    pub stats: Stats,
    /// The settings that shaped the scan, recorded in the report.
    pub settings: Settings,
    /// The graph's edges, for the inclusion paths of `check` and the SBOM.
    pub links: Links,
    /// Notes for stderr (see [`Workspace::notes`]).
    pub notes: Vec<String>,
    /// Every package scanned, in the graph's order, with where it was read from: what the
    /// commands that quote source lines open again (through the session's opener), without
    /// asking cargo a second time.
    pub located: Vec<(GraphPackage, Input)>,
    /// The workspace members with a binary target, as `name@version`: what the SBOM types
    /// as applications.
    pub applications: std::collections::BTreeSet<String>,
    /// The workspace's cargo-vet audits (`supply-chain/`), when it has them.
    pub audits: Option<risk_policy::Audits>,
    /// The report of what was scanned, built once: the settings that shaped it and the
    /// audits in each row. Every command reads this one (written, checked, exported).
    pub report: Report,
}

/// How the scan runs: the worker pool, the scan's caps, mode and results cache, the progress
/// display, and the results to take instead of scanning again (the scan ahead's).
pub struct Scanner<'a> {
    pub pool: &'a rayon::ThreadPool,
    pub options: &'a scan::Options,
    pub progress: &'a Progress<'a>,
    pub reuse: &'a dyn Fn(&Job) -> Option<scan::Scanned>,
}

impl std::fmt::Debug for Scanner<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("options", self.options)
            .finish_non_exhaustive()
    }
}

/// Verifies and scans `packages` (the ones of `ws` the report covers, located) and builds
/// every package's `PackageInput`, then the report once, with the settings of `scope` and the
/// workspace's audits in it.
pub fn scan(
    ws: &Workspace,
    packages: &[(GraphPackage, Input)],
    scope: &Scope,
    scanner: &Scanner<'_>,
) -> Result<Scanned, Error> {
    let jobs: Vec<Job> = packages
        .iter()
        .map(|(p, input)| Job {
            name: p.name.clone(),
            version: p.version.clone(),
            input: input.clone(),
        })
        .collect();
    let results = scan::scan_all(
        scanner.pool,
        &jobs,
        scanner.options,
        scanner.progress,
        scanner.reuse,
    )?;

    let mut stats = Stats {
        packages: jobs.len(),
        ..Stats::default()
    };
    let mut inputs: Vec<PackageInput> = packages
        .iter()
        .zip(results)
        .map(|((p, _), s)| {
            if s.facts.not_analyzed.is_some() {
                stats.not_analyzed += 1;
            }
            if s.verified {
                stats.verified += 1;
            } else {
                stats.unverified += 1;
            }
            PackageInput {
                name: p.name.clone(),
                version: p.version.clone(),
                source: p.source.clone(),
                checksum: ws.checksum(p).map(str::to_owned),
                checksum_verified: s.verified,
                dep_kinds: p.dep_kinds.clone(),
                reached_from: p.reached_from.clone(),
                workspace_member: p.member,
                facts: s.facts,
            }
        })
        .collect();
    inputs.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then_with(|| cmp_versions(&a.version, &b.version))
            .then_with(|| a.source.cmp(&b.source))
    });
    // the graph pass of name resolution: paths into dependencies' re-exports
    risk_analyzer::link::link_all(inputs.iter_mut().map(|i| &mut i.facts));
    let applications = ws
        .graph
        .packages
        .iter()
        .filter(|p| p.member && p.binary)
        .map(|p| format!("{}@{}", p.name, p.version))
        .collect();
    let root = ws.graph.workspace_root.clone();
    let audits = audits::load(&root)?;
    let mut report = Report::build(inputs.clone());
    report.settings = settings::record(scope);
    if let Some(a) = &audits {
        audits::annotate(&mut report, a);
    }
    Ok(Scanned {
        audits,
        report,
        applications,
        located: packages.to_vec(),
        links: Links::from_graph(&ws.graph),
        workspace_root: root,
        inputs,
        stats,
        settings: settings::record(scope),
        notes: ws.notes.clone(),
    })
}

/// Semver order (`1.9.0` before `1.10.0`), falling back to text for anything unparsable so
/// the order stays total.
pub fn cmp_versions(a: &str, b: &str) -> std::cmp::Ordering {
    use cargo_metadata::semver::Version;
    match (Version::parse(a), Version::parse(b)) {
        (Ok(x), Ok(y)) => x.cmp(&y).then_with(|| a.cmp(b)),
        _ => a.cmp(b),
    }
}
