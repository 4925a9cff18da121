//! End-to-end tests of the real binary on cargo projects made at test time, whose dependencies
//! come from a local registry of tiny crates packed here. No network, no `~/.cargo`: every
//! child process gets a private `CARGO_HOME`.
//!
//! `workspace`: one shared workspace fixture and what the report says about it.
//! `sources`: where tarballs come from (local registry, cargo cache, git, vendor) and what
//! happens when they are tampered with or gone. `errors`: the messages of a failed run.
//! `cache`: the results cache, and fast mode against `--exhaustive`.

#[path = "e2e/cache.rs"]
mod cache;
#[path = "e2e/errors.rs"]
mod errors;
#[path = "e2e/sources.rs"]
mod sources;
mod support;
#[path = "e2e/workspace.rs"]
mod workspace;
