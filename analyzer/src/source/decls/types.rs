//! What the declarations of one file are made of: the types the crate pass reads (the module
//! walk, `crate_paths.rs`, the test rules).

use crate::gates::{Alias, Gate};
use crate::source::attrs::{PathAttr, PathOverride};

/// A module or file name as written, or one a macro supplies.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Name {
    Literal(String),
    /// `mod $name;` in a macro body.
    Computed,
}

/// An inline module around a declaration: `mod name { .. }`, with its path overrides.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Inline {
    pub name: Name,
    pub paths: Vec<PathOverride>,
}

/// `mod name;`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModDecl {
    /// The `macro_rules!` whose body it is in: it declares a module where the macro is
    /// invoked.
    pub in_macro: Option<String>,
    pub name: Name,
    /// Inline modules it sits in, outermost first: they change the folder it is looked for in.
    pub inline: Vec<Inline>,
    /// Its `#[path]` overrides, in order.
    pub paths: Vec<PathOverride>,
    /// The gates of the code it sits in and its own: when one holds, what it names is test
    /// code.
    pub gates: Vec<Gate>,
}

/// What an `include!` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IncludeArg {
    /// A literal path, relative to the folder of the including file.
    Relative(String),
    /// `concat!(env!("CARGO_MANIFEST_DIR"), "..")`: relative to the crate root.
    CrateRoot(String),
    /// A path under `OUT_DIR`: code the build script generates, as written.
    OutDir(String),
    /// Any other computed path, as written.
    Computed(String),
}

/// `include!(..)`: a file spliced in as items or an expression of the module it is in. Its
/// own `mod` items resolve from its folder (rustc sets the module folder to it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Include {
    pub in_macro: Option<String>,
    pub arg: IncludeArg,
    /// The inline modules around it: the included items belong to the innermost.
    pub inline: Vec<Inline>,
    pub gates: Vec<Gate>,
}

/// `name!(..)`: where a `macro_rules!` of the crate that declares modules expands them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Invocation {
    pub in_macro: Option<String>,
    pub name: String,
    pub inline: Vec<Inline>,
    pub gates: Vec<Gate>,
}

/// What a module of the file holds that a path from elsewhere in the crate can reach: the
/// crate pass builds its index of the crate's modules from these (see `crate::crate_paths`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModItem {
    /// The inline modules it is in, outermost first (`[]`: the file's own module).
    pub inline: Vec<String>,
    pub kind: ItemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ItemKind {
    /// `use a::b as alias;` (also `pub use`, and `type alias = a::b;`).
    Use {
        alias: String,
        segs: Vec<String>,
        anchored: bool,
        /// `pub use` / `pub type` (not `pub(crate)`): seen by other crates.
        public: bool,
    },
    /// `use a::b::*;`.
    Glob {
        segs: Vec<String>,
        anchored: bool,
        /// `pub use` (not `pub(crate)`): seen by other crates.
        public: bool,
    },
    /// A function of an `extern` block.
    Foreign { name: String },
    /// An inline module.
    Module { name: String },
    /// An item the module defines at its top level (see `exported::definitions`).
    Def { name: String, ns: Ns },
}

/// A path whose resolution leaves the file: it starts with `crate`, `self` or `super`, or
/// with a name a `use` of this file binds to such a path, or an out-of-line module. The crate
/// pass resolves it against the crate's modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LocalRef {
    /// Where it starts: a byte offset into the file as read (see [`Decls::base`]), turned
    /// into a line and column only when the path resolves to something.
    pub at: RefAt,
    pub segs: Vec<String>,
    /// Called (`p(..)`), not only named.
    pub callee: bool,
    pub inline: Vec<String>,
    pub gates: Vec<Gate>,
    /// A lone called name no `use` of the file binds: only a glob of the crate's own modules
    /// can supply it, and it counts only as a function of the crate's `extern` blocks
    /// (followed into another crate's glob, it could read `Some(..)` or a parameter's call
    /// as that crate's function: that is not done).
    pub glob_only: bool,
}

/// Where a [`LocalRef`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefAt {
    /// A byte offset into the scanned text.
    Offset(u32),
    /// 1-based line and column (in characters).
    LineCol(u32, u32),
}

/// Everything the crate pass reads of one file before deciding roles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Decls {
    /// Bytes of the file before the scanned text starts (a byte-order mark, a shebang line):
    /// a [`RefAt::Offset`] plus this is an offset into the file.
    pub base: u32,
    /// What the file's modules hold (outside macro bodies).
    pub items: Vec<ModItem>,
    /// Paths that leave the file.
    pub refs: Vec<LocalRef>,
    pub mods: Vec<ModDecl>,
    pub includes: Vec<Include>,
    /// Macro invocations, once per name and place.
    pub invocations: Vec<Invocation>,
    /// Some declaration sits deeper than [`MAX_INLINE_DEPTH`] inline modules: not followed.
    pub too_deep: bool,
    /// Every name a `use`, an `extern crate` or a `mod` binds.
    pub aliases: Vec<Alias>,
    /// `#![forbid(unsafe_code)]` at the top of the file.
    pub forbids_unsafe: bool,
    /// `extern crate self as NAME;`: names by which the crate's own paths start.
    pub self_names: Vec<String>,
    /// The file's `#[macro_export]` macros.
    pub exported_macros: Vec<ExportedMacro>,
}

/// Whether `p` is a literal path override (the others are computed).
pub(crate) fn literal(p: &PathOverride) -> Option<&str> {
    match &p.value {
        PathAttr::Literal(s) => Some(s),
        PathAttr::Computed => None,
    }
}

/// The namespaces a name takes in a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    /// Types, traits, modules.
    Type,
    /// Functions, constants, statics.
    Value,
    /// Unit and tuple structs.
    Both,
}

impl Ns {
    pub fn types(self) -> bool {
        matches!(self, Ns::Type | Ns::Both)
    }

    pub fn values(self) -> bool {
        matches!(self, Ns::Value | Ns::Both)
    }

    /// The namespaces of both.
    pub fn with(self, other: Ns) -> Ns {
        if self == other { self } else { Ns::Both }
    }
}

/// A `#[macro_export]` `macro_rules!` of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExportedMacro {
    pub name: String,
    /// Its body, from the opening delimiter to the closing one, as (line, column) positions
    /// (1-based, columns in characters, as findings have them).
    pub open: (u32, u32),
    pub close: (u32, u32),
    /// The `$crate::` paths its body writes: segments (`$crate` first), and whether called.
    pub paths: Vec<(Vec<String>, bool)>,
}

impl ExportedMacro {
    /// Whether (line, col) sits in its body.
    pub fn contains(&self, line: u32, col: u32) -> bool {
        self.open < (line, col) && (line, col) < self.close
    }
}
