//! The session of one run: built once from the options, it is what every command that looks
//! at the workspace asks for what it needs, and it builds each part at most once: the
//! workspace (the graph with its edges and Cargo.lock's pins: `cargo metadata` at most once,
//! not at all when the metadata cache answers), the packages the report covers with where
//! each is read from, the scan and the report built from it (audits in), and the one
//! [`Opener`] every command opens a package with (the results cache first, the same locator
//! and caps as the scan).

use std::cell::OnceCell;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use crate::plumbing::ahead::Ahead;
use crate::plumbing::cache::{Cache, cache_for};
use crate::plumbing::error::Error;
use crate::plumbing::graph::GraphPackage;
use crate::plumbing::locate::{Input, Locator};
use crate::plumbing::open::Opener;
use crate::plumbing::options::Options;
use crate::plumbing::pipeline::{self, Scanned, Scanner, Workspace};
use crate::plumbing::reports;
use crate::plumbing::scan::{self, Progress};

/// One run's view of the workspace; each part is built on first use and kept.
#[derive(Debug)]
pub struct Session {
    options: Options,
    /// The results cache of this run (`None` with `--no-cache`, `--exhaustive`, or a
    /// `--cache-dir` that cannot be used).
    cache: Option<Cache>,
    workspace: OnceCell<Workspace>,
    packages: OnceCell<Vec<(GraphPackage, Input)>>,
    scanned: OnceCell<Scanned>,
    opener: OnceCell<Opener>,
}

impl Session {
    /// A session over the workspace `options` name; nothing is read yet.
    pub fn new(options: &Options) -> Session {
        Session {
            cache: cache_for(options),
            options: options.clone(),
            workspace: OnceCell::new(),
            packages: OnceCell::new(),
            scanned: OnceCell::new(),
            opener: OnceCell::new(),
        }
    }

    /// The workspace root by cargo's rule, found without running cargo; the current directory
    /// outside a Cargo project. What commands that only read reports (`diff`) start from.
    pub fn root(&self) -> PathBuf {
        reports::default_root(self.options.manifest_path.as_deref())
    }

    /// The graph (packages and edges) and what Cargo.lock pins.
    pub fn workspace(&self) -> Result<&Workspace, Error> {
        self.workspace_with(None)
    }

    /// [`Session::workspace`], running `during` while cargo runs when it is not loaded yet.
    fn workspace_with(&self, during: Option<&dyn Fn(&AtomicBool)>) -> Result<&Workspace, Error> {
        if let Some(ws) = self.workspace.get() {
            return Ok(ws);
        }
        let ws = Workspace::load(
            self.options.cargo_run(),
            &self.options.scope,
            self.cache.as_ref(),
            during,
        )?;
        Ok(self.workspace.get_or_init(|| ws))
    }

    /// Where to read each of `packages` (packages of [`Session::workspace`]'s graph) from;
    /// missing tarballs are fetched once (see [`Workspace::locate`]).
    pub fn locate(&self, packages: &[&GraphPackage]) -> Result<Vec<Input>, Error> {
        self.workspace()?.locate(self.options.cargo_run(), packages)
    }

    /// The packages the report covers, in the graph's order, each with where it is read from.
    pub fn packages(&self) -> Result<&[(GraphPackage, Input)], Error> {
        if let Some(p) = self.packages.get() {
            return Ok(p);
        }
        let selected = self
            .workspace()?
            .selected(self.options.scope.include_members);
        let located = self.locate(&selected)?;
        let packages = selected.into_iter().cloned().zip(located).collect();
        Ok(self.packages.get_or_init(|| packages))
    }

    /// Every package verified and scanned, and the report built from them, with `progress`
    /// told how far the scan is. While `cargo metadata` runs (when the graph is not loaded
    /// yet), the lockfile's tarballs are scanned ahead (`ahead.rs`).
    pub fn scan(&self, progress: &Progress<'_>) -> Result<&Scanned, Error> {
        if let Some(s) = self.scanned.get() {
            return Ok(s);
        }
        let pool = scan::pool(self.options.jobs)?;
        let options = scan::Options {
            limits: self.options.scope.limits,
            mode: if self.options.exhaustive {
                risk_analyzer::Mode::Exhaustive
            } else {
                risk_analyzer::Mode::Fast
            },
            cache: self.cache.clone(),
        };
        let ahead = Ahead::default();
        let during = |stop: &AtomicBool| {
            ahead.run(self.options.cargo_run(), &pool, &options, progress, stop)
        };
        let ws = self.workspace_with(Some(&during))?;
        let packages = self.packages()?;
        let scanner = Scanner {
            pool: &pool,
            options: &options,
            progress,
            reuse: &|job| ahead.take(job),
        };
        let scanned = pipeline::scan(ws, packages, &self.options.scope, &scanner)?;
        Ok(self.scanned.get_or_init(|| scanned))
    }

    /// The one package opener of this run: the scan's caps and results cache, and its
    /// locator (the cargo cache and the local registries the workspace's cargo configuration
    /// names), rooted where the graph says once it is loaded, else at [`Session::root`].
    pub fn opener(&self) -> &Opener {
        self.opener.get_or_init(|| {
            let locator = match self.workspace.get() {
                Some(ws) => ws.locator(),
                None => Locator::for_root(&self.root()),
            };
            Opener::new(locator, self.options.scope.limits, self.cache.clone())
        })
    }
}
