//! The `cargo-risk-report` binary's library half: everything between a parsed [`Config`] and
//! the report's bytes. Argument parsing stays in the binary (`args.rs`); nothing here sees
//! clap.
//!
//! The flow, one module per step:
//! [`cargo`] runs `cargo metadata`, [`graph`] turns it into packages with their sources and
//! dependency kinds, [`lockfile`] reads the pinned checksums, [`cargo_config`] and [`locate`]
//! find each package's tarball (or directory), [`scan`] verifies and scans them in parallel
//! ([`ahead`] starts on the lockfile's tarballs while cargo metadata runs),
//! [`pipeline`] ties these into `PackageInput`s, and [`output`] writes the report atomically.
//! [`show`] is the audit view of one package. [`check`] and [`init`] apply and write the crate
//! trust policy (the `risk-policy` crate), [`audits`] reads cargo-vet's `supply-chain/`.
//! [`cache`] keeps each verified tarball's facts; [`meta_cache`] keeps `cargo metadata`'s answer
//! while nothing it depends on changes. [`settings`] reads the scan settings of the workspace's
//! Cargo.toml and puts the flags over them.

pub mod ahead;
pub mod audits;
pub mod cache;
pub mod cargo;
pub mod cargo_config;
pub mod check;
pub mod config;
pub mod delta;
pub mod error;
pub mod graph;
pub mod html;
pub mod init;
pub mod locate;
pub mod lockfile;
pub mod meta_cache;
pub mod output;
pub mod paths;
pub mod pipeline;
pub mod sarif;
pub mod sbom;
pub mod scan;
pub mod settings;
pub mod show;
pub mod source_delta;
pub mod term;
pub mod verify;

pub use config::Config;
pub use error::{Error, Exit};
