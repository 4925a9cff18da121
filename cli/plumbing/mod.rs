//! The workspace plumbing, below every command: nothing here imports from outside this
//! folder. The flow of a scan:
//! [`cargo`] runs `cargo metadata` (through [`meta_cache`]), [`graph`] turns it into packages
//! with their sources and dependency kinds, [`lockfile`] reads the pinned checksums,
//! [`cargo_config`] and [`locate`] find each package's tarball (or directory), [`verify`]
//! checks it, [`scan`] verifies and scans them in parallel through the results [`cache`]
//! ([`ahead`] starts on the lockfile's tarballs while cargo metadata runs), and [`pipeline`]
//! ties these into `PackageInput`s and the report; [`session`] builds each of these at most
//! once per run, for every command that looks at the workspace. [`settings`] reads the scan
//! settings of the workspace's Cargo.toml and puts the flags over them ([`options`] is the
//! plumbing's view of a run); [`paths`] takes the graph's edges. Beside the scan: [`open`]
//! reads one package's files for the commands that quote source lines (one opener per run,
//! the session's), [`source_delta`] the risky code that changed between two versions,
//! [`reports`] reads reports (files, `git:REV[:PATH]`), [`policy`] and [`audits`] the
//! workspace's trust policy and cargo-vet audits, [`evidence`] what SARIF results point at
//! (lockfile lines, located packages' facts). [`error`] holds the errors.

pub mod ahead;
pub mod audits;
pub mod cache;
pub mod cargo;
pub mod cargo_config;
pub mod error;
pub mod evidence;
pub mod graph;
pub mod locate;
pub mod lockfile;
pub mod meta_cache;
pub mod open;
pub mod options;
pub mod paths;
pub mod pipeline;
pub mod policy;
pub mod reports;
pub mod scan;
pub mod session;
pub mod settings;
pub mod source_delta;
pub mod verify;
