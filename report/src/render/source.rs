//! The source-level delta of `diff --source`, as data: file names and source lines stay
//! separate strings until a renderer escapes them, so a file name holding a new line or an
//! escape sequence cannot add a line or recolour one.

use std::collections::BTreeMap;

/// Source deltas keyed by [`crate::diff::PackageDelta::label`].
pub type SourceDiffs = BTreeMap<String, SourceDelta>;

/// The risky code that changed in one package.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceDelta {
    pub files: Vec<SourceFile>,
    /// Lines left out past the limit.
    pub hidden: usize,
    /// Why there is no delta to show (a tarball is not at hand), when there is none.
    pub note: Option<String>,
}

/// One changed file: its hunks, each a run of lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    /// The file is new in this version.
    pub new_file: bool,
    pub hunks: Vec<Vec<SourceLine>>,
}

/// One line of a hunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    /// `+`, `-` or ` `.
    pub sign: char,
    /// 1-based, in the new file (in the old one for removed lines).
    pub number: usize,
    /// The line without its end.
    pub text: String,
}

impl SourceDelta {
    /// The lines of the delta, each crate string passed through `escape` (which must not
    /// let a string add or reorder lines): `--- path (changed)`, `+   12 code`, `...`.
    pub fn lines(&self, escape: fn(&str) -> String) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(note) = &self.note {
            out.push(format!("({})", escape(note)));
        }
        for f in &self.files {
            let what = if f.new_file { "new file" } else { "changed" };
            out.push(format!("--- {} ({what})", escape(&f.path)));
            for hunk in &f.hunks {
                for l in hunk {
                    out.push(format!("{}{:>5} {}", l.sign, l.number, escape(&l.text)));
                }
                out.push("       ...".to_owned());
            }
        }
        if self.hidden > 0 {
            out.push(format!("... {} more line(s) not shown", self.hidden));
        }
        out
    }
}
