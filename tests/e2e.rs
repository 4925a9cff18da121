//! End-to-end tests of the real binary on cargo projects made at test time, whose dependencies
//! come from a local registry of tiny crates packed here. No network, no `~/.cargo`: every
//! child process gets a private `CARGO_HOME`.
//!
//! `workspace`: one shared workspace fixture and what the report says about it. `settings`:
//! the scan settings on that fixture (flags, `[workspace.metadata.risk-report]`, the report's
//! record of them, and a delta between reports made with different ones).
//! `sources`: where tarballs come from (local registry, cargo cache, git, vendor) and what
//! happens when they are tampered with or gone. `errors`: the messages of a failed run.
//! `delta`: `diff`, `update` and the delta printed against a previous report. `gate`: corpus
//! pairs for each coverage loss and dependency-kind change through `--fail-on-increase`.
//! `snapshot`: the whole report of a project built from corpus crates.
//! `policy`: `check` and `init` against risk-policy.toml. `trust`: cargo-vet audits and
//! typosquats, in the report, `check` and the delta.
//! `exports`: the SBOM (CycloneDX-validated, verified round trip), SARIF and the dashboard of a
//! real workspace; `browser`: the dashboard in headless Chromium.
//! `workflow`: the GitHub workflow pair's schema and scripts (fake `gh`).
//! `adversarial`: the adversarial corpus, each crate's hidden capability found.
//! `attack`: a benign-to-malicious update through `diff --fail-on-increase` and `check`.
//! `files`: file modes, killed runs' temp files, an unusable `--cache-dir`.
//! `hostile`: hostile crates and hostile report files. `safe_output`: one hostile crate
//! through every renderer, asserting on the bytes. `cache`: the results cache, and fast
//! mode against `--exhaustive`.

#[path = "e2e/adversarial.rs"]
mod adversarial;
#[path = "e2e/attack.rs"]
mod attack;
#[path = "e2e/browser.rs"]
mod browser;
#[path = "e2e/cache.rs"]
mod cache;
#[path = "e2e/delta.rs"]
mod delta;
#[path = "e2e/emits.rs"]
mod emits;
#[path = "e2e/errors.rs"]
mod errors;
#[path = "e2e/exports.rs"]
mod exports;
#[path = "e2e/files.rs"]
mod files;
#[path = "e2e/gate.rs"]
mod gate;
#[path = "e2e/hostile.rs"]
mod hostile;
#[path = "e2e/invocations.rs"]
mod invocations;
#[path = "e2e/policy.rs"]
mod policy;
#[path = "e2e/reexport.rs"]
mod reexport;
#[path = "e2e/safe_output.rs"]
mod safe_output;
#[path = "e2e/settings.rs"]
mod settings;
#[path = "e2e/snapshot.rs"]
mod snapshot;
#[path = "e2e/sources.rs"]
mod sources;
mod support;
#[path = "e2e/terminal.rs"]
mod terminal;
#[path = "e2e/trust.rs"]
mod trust;
#[path = "e2e/workflow.rs"]
mod workflow;
#[path = "e2e/workspace.rs"]
mod workspace;
