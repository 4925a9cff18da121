//! Coverage loss: what the scanner saw in the old version and cannot see in the new one. A
//! version that moves its code into a file syn cannot parse, a file over a cap, an entry the
//! archive reader skips, or a manifest the scanner cannot follow changes no counter; it must
//! still count as risk, because the scanner's blind spot is exactly where an attacker puts
//! what they want hidden.
//!
//! The rule is written once over [`LISTS`]: a coverage list of the report is one row there.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::Package;

/// One thing the scanner can no longer see.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CoverageLoss {
    /// Which coverage fact: a list of the report's `coverage` table (`approximate`,
    /// `not_analyzed`, `skipped`, `manifest_error`), or `files` when a package that had
    /// source files has none (the entry is then `3 -> 0`).
    pub list: String,
    /// The new entry, as the report writes it.
    pub entry: String,
}

/// A coverage list whose new entries are coverage loss.
struct List {
    /// The field under `packages.<package>.coverage`.
    name: &'static str,
    /// `(key, entry)` of a package: the key says which entries are the same across
    /// versions (a file that stays approximate with another syn error is not new, nor is an
    /// entry whose `name-version/` root moved with the version), the entry is shown.
    entries: fn(&Package) -> Vec<(String, String)>,
}

/// The path before `": "` in a `path: reason` entry.
fn path_key(entries: &[String]) -> Vec<(String, String)> {
    entries
        .iter()
        .map(|e| {
            let key = e.split_once(": ").map_or(e.as_str(), |(path, _)| path);
            (key.to_owned(), e.clone())
        })
        .collect()
}

/// Every coverage list of the report, one row each: a list added to `Coverage` is one row
/// here. `unreached` (files no target compiles) is not loss by itself, findings in those
/// files are: `Part::Unreached` is in `BLIND` (`mod.rs`), so a kind found there that was not
/// before is coverage loss.
const LISTS: &[List] = &[
    List {
        name: "skipped",
        entries: |p| {
            // Tarball entry names start with the `name-version/` root.
            let root = format!("{}-{}/", p.name, p.version);
            p.coverage
                .skipped
                .iter()
                .map(|s| {
                    let key = s.path.strip_prefix(&root).unwrap_or(&s.path);
                    (key.to_owned(), format!("{}: {}", s.path, s.reason))
                })
                .collect()
        },
    },
    List {
        name: "approximate",
        entries: |p| path_key(&p.coverage.approximate),
    },
    List {
        name: "not_analyzed",
        entries: |p| path_key(&p.coverage.not_analyzed),
    },
    List {
        name: "unread_modules",
        // entries carry no line numbers: the whole entry says which declaration it is
        entries: |p| {
            (p.coverage.unread_modules.iter())
                .map(|e| (e.clone(), e.clone()))
                .collect()
        },
    },
    List {
        name: "manifest_error",
        entries: |p| {
            p.coverage
                .manifest_error
                .iter()
                .map(|e| ("Cargo.toml".to_owned(), format!("Cargo.toml: {e}")))
                .collect()
        },
    },
];

/// The coverage `q` lost against `p`: every entry of a list whose key has more entries in
/// `q` than in `p` (counting, so that two entries sharing a key cannot hide behind one old
/// entry), and the source files falling to none.
pub(crate) fn lost(p: &Package, q: &Package) -> Vec<CoverageLoss> {
    let mut out = Vec::new();
    for list in LISTS {
        let mut before: BTreeMap<String, usize> = BTreeMap::new();
        for (key, _) in (list.entries)(p) {
            *before.entry(key).or_default() += 1;
        }
        for (key, entry) in (list.entries)(q) {
            match before.get_mut(&key) {
                Some(n) if *n > 0 => *n -= 1,
                _ => out.push(CoverageLoss {
                    list: list.name.to_owned(),
                    entry,
                }),
            }
        }
    }
    if p.coverage.files > 0 && q.coverage.files == 0 {
        out.push(CoverageLoss {
            list: FILES.to_owned(),
            entry: format!("{} -> 0", p.coverage.files),
        });
    }
    out
}

/// The coverage fact of a package whose source files fell to none: `files 3 -> 0`.
const FILES: &str = "files";

/// Entries shown per list in a headline.
const SHOWN: usize = 2;

/// `coverage lost: approximate src/a.rs; skipped x (and 2 more)`, `what` first.
pub(crate) fn headline(what: &str, lost: &[CoverageLoss]) -> String {
    let mut by_list: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for l in lost {
        by_list.entry(&l.list).or_default().push(&l.entry);
    }
    let parts: Vec<String> = by_list
        .iter()
        .map(|(list, entries)| {
            let shown: Vec<&str> = entries.iter().take(SHOWN).copied().collect();
            let more = entries.len().saturating_sub(SHOWN);
            let tail = if more > 0 {
                format!(" (and {more} more)")
            } else {
                String::new()
            };
            format!("{list} {}{tail}", shown.join(", "))
        })
        .collect();
    format!("{what}: {}", parts.join("; "))
}

/// `coverage lost (2 approximate, 1 skipped)`, `what` first: short, for the gate line.
pub(crate) fn gate(what: &str, lost: &[CoverageLoss]) -> String {
    let mut by_list: BTreeMap<&str, usize> = BTreeMap::new();
    for l in lost {
        *by_list.entry(&l.list).or_default() += 1;
    }
    let mut parts: Vec<String> = by_list
        .iter()
        .filter(|(l, _)| **l != FILES)
        .map(|(l, n)| format!("{n} {l}"))
        .collect();
    parts.extend(
        lost.iter()
            .filter(|l| l.list == FILES)
            .map(|l| format!("{FILES} {}", l.entry)),
    );
    format!("{what} ({})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::SkippedEntry;

    fn pkg(files: u64, approximate: &[&str], skipped: &[&str]) -> Package {
        let mut p = Package::default();
        p.coverage.files = files;
        p.coverage.approximate = approximate.iter().map(|s| (*s).to_owned()).collect();
        p.coverage.skipped = skipped
            .iter()
            .map(|s| SkippedEntry {
                path: (*s).to_owned(),
                reason: "symbolic link".to_owned(),
            })
            .collect();
        p
    }

    #[test]
    fn a_file_that_stays_approximate_is_not_new() {
        let old = pkg(2, &["src/a.rs: 1:1: expected `;`"], &[]);
        let new = pkg(2, &["src/a.rs: 9:4: unexpected token"], &[]);
        assert_eq!(lost(&old, &new), []);
    }

    #[test]
    fn new_entries_of_every_list_and_files_falling_to_none_are_lost() {
        let old = pkg(3, &["src/a.rs: 1:1: x"], &[]);
        let mut new = pkg(0, &["src/a.rs: 1:1: x", "src/b.rs: 2:2: y"], &["src/c.rs"]);
        new.coverage.manifest_error = Some("target `lib` points at a missing file".into());
        new.coverage.not_analyzed = vec!["src/d.rs: not UTF-8".into()];
        let lost = lost(&old, &new);
        assert_eq!(
            gate("coverage lost", &lost),
            "coverage lost (1 approximate, 1 manifest_error, 1 not_analyzed, 1 skipped, files 3 -> 0)"
        );
        let lists: Vec<String> = lost.into_iter().map(|l| l.list).collect();
        assert_eq!(
            lists,
            [
                "skipped",
                "approximate",
                "not_analyzed",
                "manifest_error",
                "files"
            ]
        );
    }

    #[test]
    fn a_skipped_entry_whose_root_moved_with_the_version_is_not_new() {
        let mut old = pkg(1, &[], &["pair-1.0.0/src/link.rs"]);
        (old.name, old.version) = ("pair".into(), "1.0.0".into());
        let mut new = pkg(
            1,
            &[],
            &["pair-1.0.1/src/link.rs", "pair-1.0.1/src/other.rs"],
        );
        (new.name, new.version) = ("pair".into(), "1.0.1".into());
        let lost = lost(&old, &new);
        assert_eq!(lost.len(), 1, "{lost:?}");
        assert_eq!(lost[0].entry, "pair-1.0.1/src/other.rs: symbolic link");
    }

    #[test]
    fn two_entries_cannot_hide_behind_one_old_key() {
        // A hostile path with ": " in it shares its key with an older entry.
        let old = pkg(1, &["src/x: 1:1: e"], &[]);
        let new = pkg(1, &["src/x: 1:1: e", "src/x: y.rs: 1:1: e"], &[]);
        assert_eq!(lost(&old, &new).len(), 1);
    }

    #[test]
    fn headlines_name_the_lists_and_cut_long_ones() {
        let lost = lost(
            &pkg(1, &[], &[]),
            &pkg(1, &["a: e", "b: e", "c: e"], &["s"]),
        );
        assert_eq!(
            headline("coverage lost", &lost),
            "coverage lost: approximate a: e, b: e (and 1 more); skipped s: symbolic link"
        );
        assert_eq!(
            gate("not fully analyzed", &lost),
            "not fully analyzed (3 approximate, 1 skipped)"
        );
    }
}
