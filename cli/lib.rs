//! The `cargo-risk-report` binary's library half: arguments, the cargo graph, tarballs, the cache.
