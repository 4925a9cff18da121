//! The exact scan: which texts syn may see ([`depth`]), the import map filled from the syn
//! tree ([`collect`]), and the visitor ([`visit`], findings of origin `Syntax`), which hands
//! opaque macro bodies to the token engine.
//!
//! Stack safety: syn and its tree drop recurse once per nesting level, so a hostile file could
//! abort the process. [`depth::nesting_problem`] rejects deep files before syn sees them, and
//! every walk of our own is iterative or depth-bounded (`depth::MAX_VISIT_DEPTH`).

pub(crate) mod collect;
pub(crate) mod depth;
pub(crate) mod visit;
