//! The risk report: the data model the analyzer fills, the canonical report file, the diff
//! and the renderers. Parses no Rust and depends on no analyzer.

pub mod audit;
pub mod capability;
pub mod diff;
pub mod facts;
pub mod facts_text;
pub mod kind;
pub mod model;
pub mod render;
pub mod sanitize;
pub mod sbom;
