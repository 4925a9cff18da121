//! The crate trust policy over a risk report: which capabilities each crate is granted
//! (`risk-policy.toml`), the evaluator behind `cargo risk-report check`, the starting policy of
//! `init`, cargo-vet audits reused as they are, and typosquat checks on names.
//!
//! Depends on `risk-report` only (`analyzer -> report <- policy <- cli`); it reads no files and
//! no clock: the CLI passes texts and "today" in, so everything here is a pure function.

pub mod date;
pub mod delta;
pub mod eval;
pub mod export;
pub mod file;
pub mod init;
pub mod inputs;
pub mod render;
pub mod suggest;
pub mod typosquat;
pub mod verb;
pub mod vet;

pub use date::Date;
pub use eval::{Evaluation, evaluate};
pub use file::{DEFAULT_FILE, Policy, PolicyError, Verb};
pub use typosquat::Checker;
pub use vet::Audits;

#[cfg(test)]
mod eval_tests;
