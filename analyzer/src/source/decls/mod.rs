//! What one file tells the module walk (`crate::modtree`) and the test rules
//! (`crate::gates`): its out-of-line `mod` declarations, its `include!`s, the names its `use`
//! and `mod` items bind, and whether it forbids unsafe code.
//!
//! Read from the file's flat tokens, one engine for every file whether syn takes it or not,
//! and inside macro bodies too: `cfg_if! { if #[cfg(unix)] { mod unix; } }` declares `unix`
//! once expanded, and a `mod $name;` in a `macro_rules!` body declares a module whose name
//! only an invocation knows (recorded as computed). Every walk here is a loop over the tokens;
//! nothing recurses with the nesting.

//!
//! `types.rs` holds what a file declares, `reader.rs` the one walk over its tokens that reads it,
//! `exported.rs` what it shows other modules and crates besides its `use` items (the items each
//! module defines at its top level, which shadow globs, and its `#[macro_export]` macros).

mod exported;
mod reader;
mod types;

pub(crate) use crate::gates::Alias;
pub(crate) use reader::read;
#[cfg(test)]
pub(crate) use types::ModItem;
pub(crate) use types::{
    Decls, ExportedMacro, Include, IncludeArg, Inline, Invocation, ItemKind, LocalRef, ModDecl,
    Name, Ns, RefAt, literal,
};
