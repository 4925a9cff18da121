//! From the bytes of one crate to its risk facts.
//!
//! Input is a `.crate` tarball held in memory (or a source directory for git and path
//! dependencies); output is a [`risk_report::facts::CrateFacts`]. Nothing is written to disk,
//! nothing from the crate is executed. Leaf functions (`source::scan_source`) are pure; the
//! one parallel driver is [`krate::scan_unpacked`].

pub mod archive;
pub mod binary;
pub mod build_script;
pub mod krate;
pub mod manifest;
pub mod source;
pub mod taxonomy;
pub mod vcs;

pub use archive::{Limits, Unpacked};
pub use krate::{
    scan_crate_dir, scan_crate_dir_with, scan_crate_tarball, scan_crate_tarball_with,
    scan_unpacked, scan_unpacked_with,
};
pub use source::Mode;
