//! Names that look like another crate's name: one edit, one adjacent swap, a `-`/`_` (or case)
//! change, or one bit flip away from a widely used crate or from another package of the graph.
//!
//! Pure string work over the built-in list `data/popular-crates.txt`. Noise control, each rule
//! documented in `docs/policy.md`: exact matches and family members (`serde` / `serde_json`:
//! one name extends the other by a `-`/`_` segment) are never flagged, a name on the popular
//! list is never the squat, digit changes (`sha1` / `sha2`, `proc-macro-error` /
//! `proc-macro-error2`) are version families, and plain edits need four characters (`log` /
//! `lot` is too short to mean anything), while swaps and bit flips count from three. A typo
//! keeps the start of each word a reader sees: a letter added or dropped at the start of the
//! name or of a `-` part makes another word (`notify` / `inotify`, `unicode-xid` /
//! `unicode-id`), and there, or anywhere in a word under five letters, a replaced letter
//! counts only when its key is next to the right one (`log` / `lof`, not `diff` / `jiff` or
//! `rand` / `rend`). Bit flips in names of five or more characters count wherever they fall.

use std::collections::BTreeSet;
use std::fmt;

/// The built-in list of widely used crates.
pub const POPULAR_CRATES: &str = include_str!("../data/popular-crates.txt");

/// How two names are close.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Closeness {
    /// Same name but for `-` vs `_` or letter case.
    Separator,
    /// Two adjacent characters swapped.
    Swap,
    /// One character differing in a single bit (`serde` / `rerde`).
    BitFlip,
    /// One character inserted, removed or replaced.
    Edit,
}

impl fmt::Display for Closeness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Closeness::Separator => "a separator or case change",
            Closeness::Swap => "one adjacent swap",
            Closeness::BitFlip => "one bit flip",
            Closeness::Edit => "one edit",
        })
    }
}

/// One suspicious resemblance.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Squat {
    /// The name it resembles.
    pub near: String,
    pub how: Closeness,
    /// `near` is on the built-in list (else it is another package of the graph).
    pub popular: bool,
}

impl Squat {
    /// `one adjacent swap from `tokio` (a widely used crate)`.
    pub fn describe(&self) -> String {
        let whose = if self.popular {
            "a widely used crate"
        } else {
            "another package in the graph"
        };
        format!("{} from `{}` ({whose})", self.how, self.near)
    }
}

/// The typosquat checker: the popular list, parsed once.
#[derive(Debug, Clone)]
pub struct Checker {
    popular: BTreeSet<String>,
}

impl Default for Checker {
    fn default() -> Self {
        Checker::builtin()
    }
}

impl Checker {
    /// The checker over the built-in list.
    pub fn builtin() -> Checker {
        Checker::with_list(POPULAR_CRATES)
    }

    /// A checker over a list in the data file's format: one name a line, `#` comments.
    pub fn with_list(text: &str) -> Checker {
        let popular = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect();
        Checker { popular }
    }

    pub fn is_popular(&self, name: &str) -> bool {
        self.popular.contains(name)
    }

    /// What `name` resembles among the popular crates and `others` (the rest of the graph),
    /// sorted, one entry per resembled name.
    pub fn check<'a>(&self, name: &str, others: impl IntoIterator<Item = &'a str>) -> Vec<Squat> {
        if self.is_popular(name) {
            return Vec::new();
        }
        let mut found: BTreeSet<Squat> = BTreeSet::new();
        for p in &self.popular {
            if let Some(how) = closeness(name, p) {
                found.insert(Squat {
                    near: p.clone(),
                    how,
                    popular: true,
                });
            }
        }
        for other in others {
            if self.is_popular(other) || found.iter().any(|s| s.near == other) {
                continue;
            }
            if let Some(how) = closeness(name, other) {
                found.insert(Squat {
                    near: other.to_owned(),
                    how,
                    popular: false,
                });
            }
        }
        found.into_iter().collect()
    }
}

/// `-` and `_` are the same to crates.io, and so is letter case.
fn normalize(name: &str) -> Vec<u8> {
    name.bytes()
        .map(|b| {
            if b == b'_' {
                b'-'
            } else {
                b.to_ascii_lowercase()
            }
        })
        .collect()
}

/// `serde_json` extends `serde` by a separator-led segment: a family member, not a squat.
pub fn is_family(a: &str, b: &str) -> bool {
    let (a, b) = (normalize(a), normalize(b));
    let extends = |long: &[u8], short: &[u8]| {
        long.len() > short.len() && long.starts_with(short) && long[short.len()] == b'-'
    };
    extends(&a, &b) || extends(&b, &a)
}

/// How close `candidate` is to `target`, or `None` when they are the same name, a family, or
/// not close under the rules above.
pub fn closeness(candidate: &str, target: &str) -> Option<Closeness> {
    if candidate == target || is_family(candidate, target) {
        return None;
    }
    let (a, b) = (normalize(candidate), normalize(target));
    if a == b {
        return Some(Closeness::Separator);
    }
    let shorter = a.len().min(b.len());
    if a.len() == b.len() {
        let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        match diffs.as_slice() {
            [i] => {
                let (x, y) = (a[*i], b[*i]);
                if x.is_ascii_digit() && y.is_ascii_digit() {
                    return None;
                }
                if x == b'-' || y == b'-' {
                    return (shorter >= 4).then_some(Closeness::Separator);
                }
                let bit_flip = (x ^ y).count_ones() == 1;
                if bit_flip && a.len() >= LONG {
                    // A flipped bit comes from hardware, not a reader: where it falls, and
                    // which word it makes, does not matter.
                    return Some(Closeness::BitFlip);
                }
                // A reader knows a word by its first letter, and in a short word another
                // letter usually spells another word: there only a neighbouring key, the
                // slip of a typist, counts.
                let (start, len) = word_at(&a, *i);
                if (*i == start || len < LONG) && !keyboard_neighbours(x, y) {
                    return None;
                }
                if bit_flip && shorter >= 3 {
                    return Some(Closeness::BitFlip);
                }
                (shorter >= 4).then_some(Closeness::Edit)
            }
            [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i] => {
                (shorter >= 3).then_some(Closeness::Swap)
            }
            _ => None,
        }
    } else if a.len().abs_diff(b.len()) == 1 {
        let (long, short) = if a.len() > b.len() {
            (&a, &b)
        } else {
            (&b, &a)
        };
        let at = (0..short.len())
            .find(|&i| long[i] != short[i])
            .unwrap_or(short.len());
        if long[at + 1..] != short[at..] {
            return None;
        }
        if shorter < 4 {
            return None;
        }
        if long[at] == b'-' {
            return Some(Closeness::Separator);
        }
        // `proc-macro-error2` is the fork of `proc-macro-error` that took its name and a
        // number, as `sha1` / `sha2` are one family.
        if at == short.len() && long[at].is_ascii_digit() {
            return None;
        }
        // A letter before a word makes another word (`notify` / `inotify`, `anyhow` /
        // `manyhow`, `unicode-xid` / `unicode-id`), not a slip inside it.
        if word_at(long, at).0 == at {
            return None;
        }
        Some(Closeness::Edit)
    } else {
        None
    }
}

/// From this many characters a word (a name, or one of its `-`-separated parts) is long
/// enough that one changed letter still reads as the same word.
const LONG: usize = 5;

/// The start and length of the `-`-separated word of `name` holding index `i`.
fn word_at(name: &[u8], i: usize) -> (usize, usize) {
    let start = name[..i]
        .iter()
        .rposition(|&c| c == b'-')
        .map_or(0, |p| p + 1);
    let end = name[i..]
        .iter()
        .position(|&c| c == b'-')
        .map_or(name.len(), |p| i + p);
    (start, end - start)
}

/// Whether two characters are next to each other on a QWERTY keyboard: the slip a typist
/// makes. In a short word any other replaced letter usually spells another word (`rand` /
/// `rend`, `diff` / `jiff`).
fn keyboard_neighbours(x: u8, y: u8) -> bool {
    const ROWS: [&[u8]; 4] = [b"1234567890", b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    let at = |c: u8| {
        ROWS.iter()
            .enumerate()
            .find_map(|(r, row)| row.iter().position(|&k| k == c).map(|col| (r, col)))
    };
    let (Some((r1, c1)), Some((r2, c2))) = (at(x), at(y)) else {
        return false;
    };
    // Each row sits about half a key to the right of the one above it: a key touches the
    // two keys below it at its own column and the one to the left.
    let (upper, lower) = if r1 <= r2 { (c1, c2) } else { (c2, c1) };
    match r1.abs_diff(r2) {
        0 => c1.abs_diff(c2) == 1,
        1 => lower == upper || lower + 1 == upper,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_each_kind_of_near_miss() {
        let cases = [
            ("serde-json", "serde_json", Closeness::Separator),
            ("Serde", "serde", Closeness::Separator),
            ("serdejson", "serde_json", Closeness::Separator),
            ("tokoi", "tokio", Closeness::Swap),
            ("lgo", "log", Closeness::Swap),
            ("rerde", "serde", Closeness::BitFlip),
            ("lof", "log", Closeness::BitFlip),
            ("serdr", "serde", Closeness::Edit),
            ("serd", "serde", Closeness::Edit),
            ("reqwests", "reqwest", Closeness::Edit),
            ("rayyon", "rayon", Closeness::Edit),
        ];
        for (candidate, target, how) in cases {
            assert_eq!(
                closeness(candidate, target),
                Some(how),
                "{candidate} vs {target}"
            );
        }
    }

    #[test]
    fn leaves_alone_exact_families_digits_and_short_names() {
        for (candidate, target) in [
            ("serde", "serde"),
            ("serde_json", "serde"),
            ("serde", "serde_json"),
            ("tokio-util", "tokio"),
            ("sha1", "sha2"),
            ("blake2", "blake3"),
            ("url", "uri"),
            ("nom", "num"),
            ("log", "logs"),
            ("rand", "random"),
            ("hyper", "tower"),
        ] {
            assert_eq!(
                closeness(candidate, target),
                None,
                "{candidate} vs {target}"
            );
        }
    }

    #[test]
    fn established_pairs_of_real_graphs_are_not_flagged() {
        // Seen on ruff's and axum's graphs: two real crates whose names differ at the start
        // of a word, by a letter in a short word, or by a version digit.
        for (candidate, target) in [
            ("inotify", "notify"),
            ("jiff", "diff"),
            ("diff", "jiff"),
            ("manyhow", "anyhow"),
            ("proc-macro-error2", "proc-macro-error"),
            ("rend", "rand"),
            ("ron", "bon"),
            ("unicode-id", "unicode-xid"),
            ("ghash", "ahash"),
        ] {
            assert_eq!(
                closeness(candidate, target),
                None,
                "{candidate} vs {target}"
            );
        }
    }

    #[test]
    fn the_start_of_a_word_and_short_words_follow_their_rules() {
        // A bit flip in a long name counts even at the start; a neighbouring key in a
        // short word counts; a changed first letter of a later word does not.
        assert_eq!(closeness("rerde", "serde"), Some(Closeness::BitFlip));
        assert_eq!(
            closeness("serde-jsoo", "serde-json"),
            Some(Closeness::BitFlip)
        );
        assert_eq!(closeness("serde-jdon", "serde-json"), Some(Closeness::Edit));
        assert_eq!(closeness("serde-ason", "serde-json"), None);
        assert_eq!(closeness("serde-uson", "serde-json"), Some(Closeness::Edit));
        assert_eq!(closeness("yokio", "tokio"), Some(Closeness::Edit));
        assert_eq!(closeness("serde-jsan", "serde-json"), None);
        assert_eq!(closeness("xserde", "serde"), None);
        // A digit added in the middle is no version number.
        assert_eq!(closeness("to2kio", "tokio"), Some(Closeness::Edit));
        assert!(keyboard_neighbours(b'w', b'a') && keyboard_neighbours(b'f', b'g'));
        assert!(keyboard_neighbours(b'2', b'q') && keyboard_neighbours(b'b', b'h'));
        assert!(!keyboard_neighbours(b'a', b'e') && !keyboard_neighbours(b'j', b'd'));
        assert!(!keyboard_neighbours(b'q', b'z') && !keyboard_neighbours(b'-', b'a'));
    }

    #[test]
    fn popular_names_are_never_the_squat() {
        let c = Checker::with_list("# comment\nserde\nserde_json\nlibc\nlibm\n");
        assert!(c.check("libm", ["libc"]).is_empty());
        assert!(c.check("serde_json", ["serde"]).is_empty());
        let found = c.check("serde_jsn", std::iter::empty());
        assert_eq!(
            found,
            vec![Squat {
                near: "serde_json".into(),
                how: Closeness::Edit,
                popular: true
            }]
        );
        assert_eq!(
            found[0].describe(),
            "one edit from `serde_json` (a widely used crate)"
        );
    }

    #[test]
    fn graph_neighbours_count_too() {
        let c = Checker::with_list("");
        let found = c.check("internal-authz", ["internal-auths", "other"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].near, "internal-auths");
        assert!(!found[0].popular);
        assert!(c.check("itself", ["itself"]).is_empty());
    }

    #[test]
    fn the_builtin_list_is_sorted_unique_and_large_enough() {
        let names: Vec<&str> = POPULAR_CRATES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect();
        assert!(names.len() >= 300, "{}", names.len());
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            names, sorted,
            "keep data/popular-crates.txt sorted and unique"
        );
        assert!(names.iter().all(|n| {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        }));
        let c = Checker::builtin();
        for real in ["serde", "tokio", "syn", "rand", "libc", "regex", "clap"] {
            assert!(c.is_popular(real), "{real}");
        }
    }
}
