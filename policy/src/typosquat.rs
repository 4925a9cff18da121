//! Names that look like another crate's name: one edit, one adjacent swap, a `-`/`_` (or case)
//! change, or one bit flip away from a widely used crate or from another package of the graph.
//!
//! Pure string work over the built-in list `data/popular-crates.txt`. Noise control, each rule
//! documented in `docs/policy.md`: exact matches and family members (`serde` / `serde_json`:
//! one name extends the other by a `-`/`_` segment) are never flagged, a name on the popular
//! list is never the squat, digit-for-digit changes (`sha1` / `sha2`) are version families,
//! and plain edits need four characters (`log` / `lot` is too short to mean anything), while
//! swaps and bit flips count from three.

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
                if (x ^ y).count_ones() == 1 && shorter >= 3 {
                    return Some(Closeness::BitFlip);
                }
                if x == b'-' || y == b'-' {
                    return (shorter >= 4).then_some(Closeness::Separator);
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
        Some(if long[at] == b'-' {
            Closeness::Separator
        } else {
            Closeness::Edit
        })
    } else {
        None
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
