//! Renderers the commands share: the delta in each format, and SARIF.

pub mod delta;
pub mod sarif;
