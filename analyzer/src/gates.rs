//! Test-only code, decided as cargo and rustc decide it.
//!
//! Code is test-only when something strips it from every build a user of the crate gets:
//! a `cfg` that only `cargo test` sets, or an attribute macro that only compiles when the
//! dev-dependencies are there. The scanners record, for every finding and every module
//! declaration, the [`Gate`]s of the code around it, without deciding; the crate pass then
//! builds one [`TestRules`] from what the whole crate shows (its manifest, its imports, what
//! its build script can print) and asks it whether each gate holds. A gate holds only when
//! it is proved:
//!
//! - `#[cfg(test)]` (and `cfg(doctest)`) unless the build script can set that name
//!   (`cargo:rustc-cfg=test`, or a name it builds at run time);
//! - `#[test]` and `#[bench]` unless some module imports another item under that name
//!   (`use evil::test;`: a glob cannot, rustc rejects the ambiguity with the prelude);
//! - `#[X::test]`, `#[X::anything]` and a bare name imported from `X` only where `X` is a
//!   dev-dependency and not also a normal or build dependency (a normal dependency can
//!   export an identity macro named `test`), and nothing in the crate binds the name `X` to
//!   something else.
//!
//! Tool attributes (`#[rustfmt::skip]`, `#[clippy::..]`) and built-in attributes are never
//! gates.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashMap;

use risk_report::facts::COMPUTED_CFG;

/// The `cfg` names a gate can need: bits of [`Gate::Cfg`].
pub(crate) const CFG_TEST: u8 = 1;
pub(crate) const CFG_DOCTEST: u8 = 2;

/// What makes a piece of code test-only, if it holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Gate {
    /// `#[cfg(pred)]` where `pred` holds only when one of these names ([`CFG_TEST`],
    /// [`CFG_DOCTEST`]) is set: test-only when no build script can set any of them.
    Cfg(u8),
    /// An attribute macro, by the segments of its path as written (`test`, `tokio::test`),
    /// and what its first segment is bound to in the module it is written in (see
    /// `Resolver::roots_of`): empty when nothing there binds it, `None` when the reader
    /// does not know the module's imports (then any import in the crate counts).
    Attr {
        segs: Vec<String>,
        bound: Option<Vec<String>>,
    },
}

impl Gate {
    /// An attribute gate whose module bindings are not known.
    pub fn attr(segs: Vec<String>) -> Gate {
        Gate::Attr { segs, bound: None }
    }
}

/// The gates of one file, numbered: findings and declarations carry the numbers.
#[derive(Debug, Clone, Default)]
pub(crate) struct GateTable {
    gates: Vec<Gate>,
    index: HashMap<Gate, GateId>,
}

/// A gate's number in its file's [`GateTable`].
pub(crate) type GateId = u16;

impl GateTable {
    /// The number of `gate`, added when new. A file with more distinct gates than ids gets
    /// `None` for the rest: its code then counts as not test-only, the safe side.
    pub fn id(&mut self, gate: Gate) -> Option<GateId> {
        if let Some(&k) = self.index.get(&gate) {
            return Some(k);
        }
        let k = GateId::try_from(self.gates.len()).ok()?;
        self.gates.push(gate.clone());
        self.index.insert(gate, k);
        Some(k)
    }

    pub fn get(&self, id: GateId) -> Option<&Gate> {
        self.gates.get(usize::from(id))
    }
}

/// The gates around the code being walked, each once however often it nests (a file of
/// fifty thousand nested `#[cfg(test)] fn`s holds one), so that what a finding copies stays
/// small: at most [`MAX_FINDING_GATES`], the outermost. Pushes and truncations nest.
#[derive(Debug, Default, Clone)]
pub(crate) struct GateStack {
    ids: Vec<GateId>,
    present: Vec<bool>,
}

/// Most gates a finding keeps: dropping one can only make code count as shipped.
pub(crate) const MAX_FINDING_GATES: usize = 64;

impl GateStack {
    /// A stack holding `ids`.
    pub fn of(ids: &[GateId]) -> GateStack {
        let mut s = GateStack::default();
        for &id in ids {
            s.push(id);
        }
        s
    }

    /// Adds `id` unless it is already there; returns whether it was added.
    pub fn push(&mut self, id: GateId) -> bool {
        let k = usize::from(id);
        if self.present.len() <= k {
            self.present.resize(k + 1, false);
        }
        if self.present[k] {
            return false;
        }
        self.present[k] = true;
        self.ids.push(id);
        true
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Drops what was pushed since the stack had `len` ids.
    pub fn truncate(&mut self, len: usize) {
        while self.ids.len() > len {
            if let Some(id) = self.ids.pop() {
                self.present[usize::from(id)] = false;
            }
        }
    }

    /// What a finding here keeps.
    pub fn ids(&self) -> &[GateId] {
        &self.ids[..self.ids.len().min(MAX_FINDING_GATES)]
    }
}

/// What binds a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Binder {
    /// `use`: every namespace, macros included.
    Use,
    /// `extern crate` and `mod`: the type namespace only (a path root, never an attribute).
    Item,
}

/// A name some item of a file binds, and the root it stands for (`self` for paths into the
/// crate and for its modules): what the crate's modules import, as the declarations of each
/// file (`source::decls`) read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alias {
    pub name: String,
    pub root: String,
    pub binder: Binder,
}

/// Roots a test attribute may come from besides dev-dependencies: `#[core::prelude::v1::test]`
/// is what `#[tokio::test]` expands to.
const STD_ROOTS: &[&str] = &["std", "core", "alloc", "test"];

/// Whether gates hold in one crate.
#[derive(Debug, Clone, Default)]
pub(crate) struct TestRules {
    /// `cfg` bits the build script can set.
    settable: u8,
    /// Dependencies code can name that only exist in test builds.
    dev_only: BTreeSet<String>,
    /// Every name some `use` of the crate binds (in every namespace, so attributes too),
    /// with the roots it is bound to (`self` for paths into the crate).
    imports: BTreeMap<String, BTreeSet<String>>,
    /// Every name a `use`, `extern crate` or `mod` binds as a path root, with its roots.
    roots: BTreeMap<String, BTreeSet<String>>,
}

impl TestRules {
    /// Rules for a crate whose dev-dependencies are `dev`, normal and build dependencies
    /// `normal`, whose modules bind `aliases`, and whose build script can set `sets_cfg`.
    pub fn new<'a>(
        dev: &BTreeSet<String>,
        normal: impl IntoIterator<Item = &'a String>,
        aliases: impl IntoIterator<Item = &'a Alias>,
        sets_cfg: &[String],
    ) -> TestRules {
        let mut dev_only = dev.clone();
        for n in normal {
            dev_only.remove(n);
        }
        // Only the names a gate can ask about are kept: `test`/`bench`, names some `use` binds
        // to a dev-only crate (with every root they have anywhere), and dev-only crate names
        // (as path roots).
        let aliases: Vec<&Alias> = aliases.into_iter().collect();
        let asked: BTreeSet<&str> = (aliases.iter())
            .filter(|a| a.binder == Binder::Use)
            .filter(|a| matches!(a.name.as_str(), "test" | "bench") || dev_only.contains(&a.root))
            .map(|a| a.name.as_str())
            .collect();
        let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut roots: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for a in aliases {
            if a.binder == Binder::Use && asked.contains(a.name.as_str()) {
                imports
                    .entry(a.name.clone())
                    .or_default()
                    .insert(a.root.clone());
            }
            if dev_only.contains(&a.name) {
                roots
                    .entry(a.name.clone())
                    .or_default()
                    .insert(a.root.clone());
            }
        }
        TestRules {
            settable: 0,
            dev_only,
            imports,
            roots,
        }
        .with_cfg(sets_cfg)
    }

    /// The same rules for a crate whose build script can set `sets_cfg`.
    pub fn with_cfg(mut self, sets_cfg: &[String]) -> TestRules {
        self.settable = 0;
        for name in sets_cfg {
            self.settable |= match name.as_str() {
                "test" => CFG_TEST,
                "doctest" => CFG_DOCTEST,
                COMPUTED_CFG => CFG_TEST | CFG_DOCTEST,
                _ => 0,
            };
        }
        self
    }

    /// True when code under `gate` is compiled in no build a user of the crate gets.
    pub fn holds(&self, gate: &Gate) -> bool {
        match gate {
            Gate::Cfg(bits) => *bits != 0 && bits & self.settable == 0,
            Gate::Attr { segs, bound } => {
                let Some(first) = segs.first() else {
                    return false;
                };
                let single = segs.len() == 1;
                // what the first segment stands for: the module's own bindings when known,
                // else every binding of the name anywhere in the crate
                let crate_wide = if single { &self.imports } else { &self.roots };
                let roots: Vec<&str> = match bound {
                    Some(b) => b.iter().map(String::as_str).collect(),
                    None => (crate_wide.get(first).into_iter().flatten())
                        .map(String::as_str)
                        .collect(),
                };
                let test_name = |name: &str| matches!(name, "test" | "bench");
                let last = segs.last().map_or("", String::as_str);
                if roots.is_empty() {
                    // unbound here: the prelude's `test`/`bench`, or the crate named `first`
                    return if single {
                        test_name(first)
                    } else if STD_ROOTS.contains(&first.as_str()) {
                        test_name(last)
                    } else {
                        self.dev_only.contains(first.as_str())
                    };
                }
                roots.iter().all(|r| {
                    self.dev_only.contains(*r) || (STD_ROOTS.contains(r) && test_name(last))
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(dev: &[&str], normal: &[&str], uses: &[(&str, &str)], cfg: &[&str]) -> TestRules {
        with_items(dev, normal, uses, &[], cfg)
    }

    /// `uses` are `use` bindings, `items` `mod` / `extern crate` ones, each (name, root).
    fn with_items(
        dev: &[&str],
        normal: &[&str],
        uses: &[(&str, &str)],
        items: &[(&str, &str)],
        cfg: &[&str],
    ) -> TestRules {
        let dev: BTreeSet<String> = dev.iter().map(|s| s.to_string()).collect();
        let normal: Vec<String> = normal.iter().map(|s| s.to_string()).collect();
        let cfg: Vec<String> = cfg.iter().map(|s| s.to_string()).collect();
        let alias = |binder| {
            move |&(name, root): &(&str, &str)| Alias {
                name: name.into(),
                root: root.into(),
                binder,
            }
        };
        let aliases: Vec<Alias> = (uses.iter().map(alias(Binder::Use)))
            .chain(items.iter().map(alias(Binder::Item)))
            .collect();
        TestRules::new(&dev, &normal, &aliases, &cfg)
    }

    fn attr(path: &str) -> Gate {
        Gate::attr(path.split("::").map(String::from).collect())
    }

    fn bound(path: &str, roots: &[&str]) -> Gate {
        Gate::Attr {
            segs: path.split("::").map(String::from).collect(),
            bound: Some(roots.iter().map(|r| r.to_string()).collect()),
        }
    }

    #[test]
    fn cfg_test_holds_unless_the_build_script_can_set_it() {
        let r = rules(&[], &[], &[], &[]);
        assert!(r.holds(&Gate::Cfg(CFG_TEST)));
        assert!(r.holds(&Gate::Cfg(CFG_TEST | CFG_DOCTEST)));
        assert!(!rules(&[], &[], &[], &["test"]).holds(&Gate::Cfg(CFG_TEST)));
        let computed = rules(&[], &[], &[], &["has_atomics", COMPUTED_CFG]);
        assert!(!computed.holds(&Gate::Cfg(CFG_DOCTEST)));
        // `any(test, doctest)` needs both to be unsettable
        let doctest = rules(&[], &[], &[], &["doctest"]);
        assert!(doctest.holds(&Gate::Cfg(CFG_TEST)));
        assert!(!doctest.holds(&Gate::Cfg(CFG_TEST | CFG_DOCTEST)));
    }

    #[test]
    fn attribute_gates_need_a_dev_only_dependency() {
        let r = rules(
            &["tokio", "rstest", "criterion"],
            &["criterion"],
            &[("rstest", "rstest")],
            &[],
        );
        assert!(r.holds(&attr("test")));
        assert!(r.holds(&attr("bench")));
        assert!(r.holds(&attr("tokio::test")));
        assert!(r.holds(&attr("core::prelude::v1::test")));
        assert!(r.holds(&attr("rstest")));
        // a normal dependency too: it could export an identity macro
        assert!(!r.holds(&attr("criterion::bench")));
        assert!(!r.holds(&attr("evil::test")));
        assert!(!r.holds(&attr("crate::test")));
        assert!(!r.holds(&attr("async_trait")));
        assert!(!r.holds(&attr("std::fs")));
    }

    #[test]
    fn a_rebound_name_is_no_longer_trusted() {
        let r = rules(&["tokio"], &["evil"], &[("test", "evil")], &[]);
        assert!(!r.holds(&attr("test")));
        assert!(r.holds(&attr("tokio::test")));
        let r = rules(&["tokio"], &["evil"], &[("tokio", "evil")], &[]);
        assert!(!r.holds(&attr("tokio::test")));
        let r = with_items(&["tokio"], &[], &[], &[("tokio", "self")], &[]);
        assert!(!r.holds(&attr("tokio::test")));
        // a module named `test` is a type, `#[test]` a macro: no clash
        let r = with_items(&[], &[], &[], &[("test", "self")], &[]);
        assert!(r.holds(&attr("test")));
        // imported from the dev-only crate itself: still test-only
        let r = rules(&["tokio"], &[], &[("test", "tokio")], &[]);
        assert!(r.holds(&attr("test")));
    }

    #[test]
    fn what_the_module_binds_decides_when_known() {
        // tokio re-exports its `test` macro in one module; `#[test]` elsewhere is the prelude's
        let r = rules(
            &["wasm_bindgen_test"],
            &["tokio_macros"],
            &[("test", "tokio_macros")],
            &[],
        );
        assert!(!r.holds(&attr("test")));
        assert!(r.holds(&bound("test", &[])));
        assert!(!r.holds(&bound("test", &["tokio_macros"])));
        assert!(r.holds(&bound("test", &["wasm_bindgen_test"])));
        assert!(!r.holds(&bound("test", &["self"])));
        // `use evil as tokio;` in this module
        let r = rules(&["tokio"], &["evil"], &[], &[]);
        assert!(r.holds(&bound("tokio::test", &[])));
        assert!(!r.holds(&bound("tokio::test", &["evil"])));
        assert!(!r.holds(&bound("tokio::test", &["self"])));
    }
}
