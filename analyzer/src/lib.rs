//! From the bytes of one crate to its risk facts.
//!
//! Input is a `.crate` tarball held in memory (or a source directory for git and path
//! dependencies); output is a [`risk_report::facts::CrateFacts`]. Nothing is written to disk,
//! nothing from the crate is executed. Leaf functions (`source::scan_source`) are pure; the
//! one parallel driver is [`krate::scan_unpacked`].

/// Version of the rules: bump it in the same commit as any change that can alter the facts
/// of some crate (a new finding kind, a taxonomy entry, a parser fix...). Cached results are
/// keyed by it, so a bump makes every cached crate be scanned again. See CONTRIBUTING.md.
pub const RULES_VERSION: u32 = 18;

pub mod archive;
pub mod binary;
pub mod build_script;
mod crate_paths;
mod gates;
pub mod krate;
pub mod link;
pub mod manifest;
mod modtree;
pub mod source;
pub mod taxonomy;
pub mod vcs;

pub use archive::{Limits, Unpacked};
pub use krate::{
    scan_crate_dir, scan_crate_dir_with, scan_crate_tarball, scan_crate_tarball_with,
    scan_unpacked, scan_unpacked_with,
};
pub use source::Mode;
