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

use crate::source::lex::src::Src;

/// The macro bodies the fast path left out of syn's text (`plan::Lifted`), and the text both
/// passes read them from instead.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lifted<'a, 's> {
    pub src: &'a Src<'s>,
    /// Sorted by `open`, the offset of the body's opening delimiter in syn's text.
    pub bodies: &'a [crate::source::plan::Lifted],
}

impl<'a, 's> Lifted<'a, 's> {
    /// Where the text between `mac`'s delimiters is: in syn's text `src` (start and end
    /// offsets), or for a lifted body, in the planned text.
    pub fn body(&self, src: &'a Src<'s>, mac: &syn::Macro) -> (&'a Src<'s>, usize, usize) {
        match self.find(src, mac) {
            Some(b) => (self.src, b.start, b.end),
            None => {
                let ds = mac.delimiter.span();
                (
                    src,
                    src.span_offset(ds.open()) + 1,
                    src.span_offset(ds.close()),
                )
            }
        }
    }

    /// Whether `mac`'s body was lifted out of syn's text `src` (syn did not see it).
    pub fn lifted(&self, src: &Src<'s>, mac: &syn::Macro) -> bool {
        self.find(src, mac).is_some()
    }

    fn find(&self, src: &Src<'s>, mac: &syn::Macro) -> Option<&'a crate::source::plan::Lifted> {
        if self.bodies.is_empty() {
            return None;
        }
        let open = src.span_offset(mac.delimiter.span().open());
        let k = self.bodies.binary_search_by_key(&open, |b| b.open).ok()?;
        Some(&self.bodies[k])
    }
}
