//! The `cargo-risk-report` binary's library half: everything between a parsed [`Config`] and
//! the report's bytes. Argument parsing stays in the binary (`args.rs`); nothing here sees
//! clap.
//!
//! Three folders, depending one way (`commands -> render -> plumbing`, `render` for the
//! plumbing's types only; `plumbing` imports nothing above it):
//!
//! - [`commands`]: one module per subcommand, and [`commands::run`] that dispatches.
//! - [`render`]: renderers the commands share (the delta's formats, SARIF): functions of the
//!   data they are given, which the commands gather first (git, tarballs).
//! - [`plumbing`]: the workspace: cargo and its metadata cache, the graph, the lockfile,
//!   locating and verifying tarballs, the parallel scan and its results cache, reading
//!   reports, policies and audits.
//!
//! Beside them: [`config`] (the plain configuration `args` produces), [`term`] (colour,
//! sanitizing) and [`output`] (atomic writes, the report's forms, the closing summary).

pub mod commands;
pub mod config;
pub mod output;
pub mod plumbing;
pub mod render;
pub mod term;

pub use config::Config;
pub use plumbing::error::{Error, Exit};
