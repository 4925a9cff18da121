//! What the rules look for, as sets of names and paths, built once from the taxonomy's table
//! and its rule words (`taxonomy::RULE_MACROS`, `RULE_KEYWORDS`, `SYSROOT`).

use foldhash::HashSet;
use std::sync::OnceLock;

use crate::taxonomy;

/// What the rules look for, as sets of names and paths (built once from the taxonomy).
pub(super) struct Rules {
    /// Crate roots a rule path starts with (`std`, `libc`, `tokio`, ...).
    pub roots: HashSet<&'static str>,
    /// Roots the taxonomy lists whole (`libc`, `nix`): any path under them counts.
    pub whole: HashSet<&'static str>,
    /// Every rule path (taxonomy entries, embedding and assembly macros), as segments.
    pub paths: Vec<Vec<&'static str>>,
    /// (root, second segment) of every rule path.
    pub pairs: HashSet<(&'static str, &'static str)>,
    /// Names that matter wherever they appear: keywords with rules, the items the import map
    /// is built from, macro names, and the transmute rule (on the last segment of any path).
    pub always: HashSet<&'static str>,
    /// [`Sieve`] of `always`, the roots and `static`.
    pub sieve: Sieve,
    /// Every rule path, and every capability method's carrier with and without the method
    /// (`std::os::unix::process::CommandExt::pre_exec`): what a path written from a root
    /// must agree with, segment by segment, to reach a rule ([`Rules::reaches_written`]).
    pub written: Vec<Vec<&'static str>>,
    /// Every capability method's name with the paths of the traits or types that carry it,
    /// split into segments ([`taxonomy::METHODS`]).
    pub carriers: Vec<(&'static str, Vec<Vec<&'static str>>)>,
    /// The taxonomy's data prefixes ([`taxonomy::DATA`]) with no rule path at or under them:
    /// every path under one names data, never a capability (`windows_sys::core::w!(..)`).
    pub data: Vec<Vec<&'static str>>,
}

pub(super) fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut paths: Vec<Vec<&'static str>> = taxonomy::TABLE
            .iter()
            .map(|e| e.prefix.split("::").collect())
            .collect();
        for root in taxonomy::SYSROOT {
            for m in taxonomy::RULE_MACROS {
                paths.push(vec![root, m]);
                paths.push(vec![root, "arch", m]);
            }
        }
        let whole = taxonomy::TABLE
            .iter()
            .filter(|e| !e.prefix.contains("::"))
            .map(|e| e.prefix)
            .collect();
        let mut always: HashSet<&'static str> = taxonomy::RULE_MACROS.into_iter().collect();
        always.extend(taxonomy::RULE_KEYWORDS);
        let roots: HashSet<&'static str> = paths.iter().map(|p| p[0]).collect();
        let mut sieve = Sieve::default();
        for name in always.iter().chain(&roots).chain(&["static"]) {
            sieve.add(name);
        }
        let data = taxonomy::data_prefixes()
            .iter()
            .filter(|d| {
                !paths
                    .iter()
                    .any(|p| p.len() >= d.len() && p[..d.len()] == d[..])
            })
            .cloned()
            .collect();
        let carriers = taxonomy::METHODS
            .iter()
            .map(|m| {
                let paths = m.carriers.iter().map(|c| c.split("::").collect()).collect();
                (m.name, paths)
            })
            .collect();
        let mut written = paths.clone();
        for m in taxonomy::METHODS {
            for c in m.carriers {
                let carrier: Vec<&'static str> = c.split("::").collect();
                written.push(carrier.iter().copied().chain([m.name]).collect());
                written.push(carrier);
            }
        }
        Rules {
            written,
            carriers,
            data,
            roots,
            whole,
            pairs: paths
                .iter()
                .filter(|p| p.len() > 1)
                .map(|p| (p[0], p[1]))
                .collect(),
            paths,
            always,
            sieve,
        }
    })
}

impl Rules {
    /// Whether a path starting with `segs` can name something a rule looks for: some rule
    /// path is a prefix of it, or it is a prefix of some rule path.
    /// A path under a data prefix reaches none.
    pub fn reaches(&self, segs: &[&str]) -> bool {
        !self.under_data(segs) && agrees(&self.paths, segs)
    }

    /// Whether a path written from a crate root, `segs` (every segment it has), can name
    /// something a rule looks for: it agrees with one of [`Rules::written`] on every segment
    /// both have, and is under no data prefix.
    pub fn reaches_written(&self, segs: &[&str]) -> bool {
        !self.under_data(segs) && agrees(&self.written, segs)
    }

    /// Whether `segs` starts with one of [`Rules::data`]: what it names is data.
    pub fn under_data(&self, segs: &[&str]) -> bool {
        self.data
            .iter()
            .any(|d| segs.len() >= d.len() && segs[..d.len()] == d[..])
    }
}

/// Whether one of `paths` agrees with `segs` on every segment both have.
fn agrees(paths: &[Vec<&'static str>], segs: &[&str]) -> bool {
    paths.iter().any(|p| {
        let n = p.len().min(segs.len());
        p[..n] == segs[..n]
    })
}

/// A 2048-bit set of (first byte, last byte, length) triples: a name whose triple is absent is
/// in none of the sets, which most identifiers are, and costs no hashing.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Sieve([u64; 32]);

impl Sieve {
    #[inline]
    fn bit(name: &str) -> usize {
        let b = name.as_bytes();
        let first = b.first().copied().unwrap_or(0) as usize;
        let last = b.last().copied().unwrap_or(0) as usize;
        (first * 131 + last * 31 + b.len() * 7) % 2048
    }

    pub fn add(&mut self, name: &str) {
        let b = Sieve::bit(name);
        self.0[b / 64] |= 1 << (b % 64);
    }

    #[inline]
    pub fn may_hold(&self, name: &str) -> bool {
        let b = Sieve::bit(name);
        self.0[b / 64] & (1 << (b % 64)) != 0
    }
}
