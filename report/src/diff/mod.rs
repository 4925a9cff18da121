//! The risk delta between two reports: what was added, removed, updated or downgraded, which
//! capabilities appeared, what the scanner can no longer see, and how packages are reached.
//! Renderers (`render::*`) only read a [`ReportDiff`].
//!
//! Unknown is risk: code that moves out of the scanner's sight (`coverage.rs`) and a package
//! that starts to ship (`reach.rs`) count toward the gate like a new capability, and every
//! change that trips the gate says why in [`PackageDelta::gate`] (`rate.rs`).

mod coverage;
mod rate;
mod reach;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::capability::Capability;
pub use crate::capability::Severity;
use crate::facts::{BinaryFile, BuildKind, Kind};
use crate::model::{DepKind, Package, Report};

pub use coverage::CoverageLoss;
pub use reach::Reach;

/// What happened to a package between the two reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    Added {
        version: String,
    },
    Removed {
        version: String,
    },
    /// A newer version replaced an older one.
    Updated {
        from: String,
        to: String,
    },
    /// An older version replaced a newer one.
    Downgraded {
        from: String,
        to: String,
    },
    /// Same version, different checksum or source: changed in place, under you.
    Changed {
        version: String,
    },
    /// Same version and bytes, but how the package is reached (dev-only to shipped, ...) or
    /// what the scanner says about it (after an analyzer upgrade) moved.
    SameVersion {
        version: String,
    },
}

impl Change {
    /// One or two words for tables and lists.
    pub fn word(&self) -> &'static str {
        match self {
            Change::Added { .. } => "added",
            Change::Removed { .. } => "removed",
            Change::Updated { .. } => "updated",
            Change::Downgraded { .. } => "downgraded",
            Change::Changed { .. } => "changed in place",
            Change::SameVersion { .. } => "same version",
        }
    }
}

/// Which part of a package a counter belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// Library and binary code.
    Shipped,
    /// The build script and its modules.
    Build,
    /// Tests, benches, examples, `#[cfg(test)]` code.
    Test,
    /// Rust files no target's module tree reaches.
    Unreached,
    /// Code templates: what the package emits into its users' code (see `Package::emits`).
    Emits,
}

impl Part {
    pub const ALL: &'static [Part] = &[
        Part::Shipped,
        Part::Build,
        Part::Test,
        Part::Unreached,
        Part::Emits,
    ];

    /// The package's counts for this part.
    pub fn counts(self, p: &Package) -> &BTreeMap<Kind, u64> {
        match self {
            Part::Shipped => &p.shipped,
            Part::Build => &p.build,
            Part::Test => &p.test,
            Part::Unreached => &p.unreached,
            Part::Emits => &p.emits,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Part::Shipped => "shipped",
            Part::Build => "build",
            Part::Test => "test",
            Part::Unreached => "unreached",
            Part::Emits => "emits",
        }
    }

    /// Whether an increase here adds risk (what the gate counts).
    pub fn gates(self) -> bool {
        match self {
            Part::Shipped | Part::Build => true,
            // what a proc macro emits shows in its users' `via`, not as its own risk
            Part::Test | Part::Unreached | Part::Emits => false,
        }
    }

    /// Findings in code the scanner reads but no target compiles: a kind found there that was
    /// not before is coverage loss (the code may be reached in a way the scanner does not
    /// follow: a build script copying it, a path it cannot compute), not only a counter.
    pub fn blind(self) -> bool {
        BLIND.contains(&self)
    }

    /// Appended to a counter in one-line summaries.
    pub fn suffix(self) -> &'static str {
        match self {
            Part::Shipped | Part::Test => "",
            Part::Build => " (build.rs)",
            Part::Unreached => " (unreached)",
            Part::Emits => " (emitted)",
        }
    }
}

/// The parts whose counts are [`Part::blind`].
const BLIND: &[Part] = &[Part::Unreached];

/// One counter that moved, in one part of the package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CounterDelta {
    pub part: Part,
    pub kind: Kind,
    pub old: u64,
    pub new: u64,
}

impl CounterDelta {
    pub fn delta(&self) -> i64 {
        self.new as i64 - self.old as i64
    }
}

/// Everything that moved for one package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageDelta {
    pub name: String,
    #[serde(flatten)]
    pub change: Change,
    pub severity: Severity,
    /// Human headlines, most severe first: "now uses the network", "build script now compiles
    /// native code".
    pub headlines: Vec<String>,
    /// Why this change fails `diff --fail-on-increase`, short (`+1 transmute`, `+net`,
    /// `coverage lost: approximate src/x.rs`); empty when it adds no risk.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gate: Vec<String>,
    pub gained: BTreeSet<Capability>,
    pub lost: BTreeSet<Capability>,
    pub counters: Vec<CounterDelta>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_kinds: Option<(BTreeSet<BuildKind>, BTreeSet<BuildKind>)>,
    pub embedded_added: Vec<String>,
    pub embedded_removed: Vec<String>,
    pub binaries_added: Vec<BinaryFile>,
    pub binaries_removed: Vec<BinaryFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<(Option<String>, Option<String>)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<(String, String)>,
    /// The package could not be analyzed on the new side: its delta is unknown, not empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_analyzed: Option<String>,
    /// What the scanner saw before and can no longer see (new coverage entries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coverage_lost: Vec<CoverageLoss>,
    /// How the package is reached, when that changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reach: Option<Reach>,
    /// Policy violations of the new version, `deny net: not granted` (filled by the policy
    /// crate when a policy applies; renderers only print them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<String>,
    /// What cargo-vet audits say about the change (filled by the policy crate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<String>,
}

impl PackageDelta {
    /// True when this change adds risk (what the CI gate fails on); [`PackageDelta::gate`]
    /// says why.
    pub fn adds_risk(&self) -> bool {
        !self.gate.is_empty()
    }

    /// `name 1.0.0`, `name 1.0.0 -> 1.1.0`.
    pub fn label(&self) -> String {
        match &self.change {
            Change::Added { version }
            | Change::Removed { version }
            | Change::Changed { version }
            | Change::SameVersion { version } => format!("{} {version}", self.name),
            Change::Updated { from, to } | Change::Downgraded { from, to } => {
                format!("{} {from} -> {to}", self.name)
            }
        }
    }

    /// The version on the new side (`None` for a removal).
    pub fn new_version(&self) -> Option<&str> {
        match &self.change {
            Change::Removed { .. } => None,
            Change::Added { version }
            | Change::Changed { version }
            | Change::SameVersion { version } => Some(version),
            Change::Updated { to, .. } | Change::Downgraded { to, .. } => Some(to),
        }
    }

    /// `memmap2 +1 transmute (moved both ways: -20 unsafe-block)`: the package and what trips
    /// the gate, for the one line at the top of a rendering.
    pub fn gate_line(&self) -> Option<String> {
        (!self.gate.is_empty()).then(|| format!("{} {}", self.name, self.gate.join(", ")))
    }
}

/// The delta between two reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDiff {
    pub added: usize,
    pub removed: usize,
    pub updated: usize,
    #[serde(default)]
    pub downgraded: usize,
    /// Same version, different checksum or source.
    pub changed: usize,
    /// Same version and bytes, reached or analyzed differently.
    #[serde(default)]
    pub same_version: usize,
    /// The two reports were made with different settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<SettingsChange>,
    /// The two reports were made by different rules of the scanner: (old, new) versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<(u32, u32)>,
    /// Sorted by severity (most severe first), then name.
    pub packages: Vec<PackageDelta>,
}

/// How the settings of two reports differ, and what of the delta that accounts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsChange {
    /// `exclude-dev: off -> on`, one per setting that differs.
    pub changes: Vec<String>,
    /// Packages only in the old report that the new settings leave out: not listed as removed.
    pub unlisted_old: usize,
    /// Packages only in the new report that the old settings left out: not listed as added.
    pub unlisted_new: usize,
}

/// The line renderers print when the reports come from different rules of the scanner.
pub fn rules_line((old, new): (u32, u32)) -> String {
    let known = |v: u32| {
        if v == 0 {
            "unrecorded".to_owned()
        } else {
            v.to_string()
        }
    };
    format!(
        "The reports were made by different rules of the scanner ({} -> {}): a package whose \
         version and bytes did not change can still show changes, from the scanner; they do not \
         fail the gate.",
        known(old),
        known(new)
    )
}

impl SettingsChange {
    /// The one line renderers print under the headline.
    pub fn line(&self) -> String {
        let mut line = format!(
            "The reports were made with different settings ({}).",
            self.changes.join("; ")
        );
        let mut unlisted = Vec::new();
        let n = |k: usize| format!("{k} {}", if k == 1 { "package" } else { "packages" });
        if self.unlisted_old > 0 {
            unlisted.push(format!("{} only in the old report", n(self.unlisted_old)));
        }
        if self.unlisted_new > 0 {
            unlisted.push(format!("{} only in the new report", n(self.unlisted_new)));
        }
        if !unlisted.is_empty() {
            line.push_str(&format!(
                " Not listed, as the settings account for them: {}.",
                unlisted.join(" and ")
            ));
        }
        line
    }
}

/// Most packages named in the gate line; the rest are counted.
const GATE_SHOWN: usize = 5;

impl ReportDiff {
    pub fn is_empty(&self) -> bool {
        self.packages.is_empty() && self.settings.is_none() && self.rules.is_none()
    }

    /// True when any package change adds risk.
    pub fn adds_risk(&self) -> bool {
        self.packages.iter().any(PackageDelta::adds_risk)
    }

    /// `adds risk: memmap2 +1 transmute; foo +net`: which packages trip the gate and with
    /// what, in one line; `None` when nothing does.
    pub fn gate_line(&self) -> Option<String> {
        let lines: Vec<String> = self
            .packages
            .iter()
            .filter_map(PackageDelta::gate_line)
            .collect();
        one_line("adds risk", &lines, GATE_SHOWN)
    }

    /// The one-line total at the top of every rendering.
    pub fn headline(&self) -> String {
        if self.packages.is_empty() {
            return "Dependency risk: no change.".to_string();
        }
        let mut parts = Vec::new();
        if self.added > 0 {
            let crates = if self.added == 1 { "crate" } else { "crates" };
            parts.push(format!("+{} {crates}", self.added));
        }
        for (n, what) in [
            (self.updated, "updated"),
            (self.downgraded, "downgraded"),
            (self.removed, "removed"),
            (self.changed, "changed in place"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        let same = |reached: bool| {
            self.packages
                .iter()
                .filter(|p| matches!(p.change, Change::SameVersion { .. }))
                .filter(|p| p.reach.is_some() == reached)
                .count()
        };
        for (n, what) in [
            (same(true), "reached differently"),
            (same(false), "re-analyzed"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        let mut line = format!("Dependency risk: {}.", parts.join(", "));
        let gains: Vec<String> = self
            .packages
            .iter()
            .filter(|p| p.severity >= Severity::Medium && !p.headlines.is_empty())
            .map(|p| format!("{} ({})", p.headlines[0], p.label()))
            .collect();
        // The headline stays one line: the three most severe gains, then a count.
        const SHOWN: usize = 3;
        if gains.is_empty() {
            line.push_str(" No new capabilities.");
        } else if gains.len() > SHOWN {
            let more = gains.len() - SHOWN;
            line.push_str(&format!(
                " New: {}; and {more} more.",
                gains[..SHOWN].join("; ")
            ));
        } else {
            line.push_str(&format!(" New: {}.", gains.join("; ")));
        }
        line
    }

    /// Sorts packages most severe first, then by name: after anything that changes
    /// severities (the policy's typosquat marks).
    pub fn sort(&mut self) {
        self.packages.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.label().cmp(&b.label()))
        });
    }
}

/// `what: a; b; c; and 2 more`: the first `shown` items of a list in one line; `None` for no
/// items. The gate's line and `check`'s denied line.
pub fn one_line(what: &str, items: &[String], shown: usize) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let mut line = format!("{what}: {}", items[..items.len().min(shown)].join("; "));
    if items.len() > shown {
        line.push_str(&format!("; and {} more", items.len() - shown));
    }
    Some(line)
}

/// Compares two reports. Packages are matched by key first (same name and version), then the
/// remaining versions of one name are paired oldest to oldest as updates (or downgrades).
///
/// When the reports were made with different settings, a package in only one of them is left
/// out of the list (and counted in [`ReportDiff::settings`]) when the other side's settings
/// alone can account for its absence, and dependency kinds that only `exclude-dev` changed
/// do not count as a change.
pub fn diff(old: &Report, new: &Report) -> ReportDiff {
    let mut by_name_old: BTreeMap<&str, Vec<&Package>> = BTreeMap::new();
    let mut by_name_new: BTreeMap<&str, Vec<&Package>> = BTreeMap::new();
    let mut deltas = Vec::new();
    let mut settings = (old.settings != new.settings).then(|| SettingsChange {
        changes: old.settings.changes(&new.settings),
        unlisted_old: 0,
        unlisted_new: 0,
    });
    let dev_setting_moved = old.settings.exclude_dev != new.settings.exclude_dev;
    for (key, p) in &old.packages {
        match new.packages.get(key) {
            Some(q) => {
                let version = q.version.clone();
                let in_place =
                    (p.checksum.is_some() && q.checksum.is_some() && p.checksum != q.checksum)
                        || p.source != q.source;
                let change = if in_place {
                    Change::Changed { version }
                } else {
                    Change::SameVersion { version }
                };
                let d = if dev_setting_moved {
                    compare(&without_dev(p), &without_dev(q), change)
                } else {
                    compare(p, q, change)
                };
                deltas.extend(d);
            }
            None => by_name_old.entry(p.name.as_str()).or_default().push(p),
        }
    }
    for (key, q) in &new.packages {
        if !old.packages.contains_key(key) {
            by_name_new.entry(q.name.as_str()).or_default().push(q);
        }
    }
    let names: BTreeSet<&str> = by_name_old
        .keys()
        .chain(by_name_new.keys())
        .copied()
        .collect();
    for name in names {
        let mut olds = by_name_old.remove(name).unwrap_or_default();
        let mut news = by_name_new.remove(name).unwrap_or_default();
        olds.sort_by(|a, b| version_order(&a.version, &b.version));
        news.sort_by(|a, b| version_order(&a.version, &b.version));
        let paired = olds.len().min(news.len());
        // Pair the newest old versions with the oldest new ones would mis-pair 1.x/2.x splits;
        // pairing in order keeps `a 1.0 + a 2.0 -> a 1.1 + a 2.1` as two updates.
        let skip_old = olds.len() - paired;
        for (p, q) in olds[skip_old..].iter().zip(news.iter()) {
            let (from, to) = (p.version.clone(), q.version.clone());
            let change = if version_order(&q.version, &p.version).is_lt() {
                Change::Downgraded { from, to }
            } else {
                Change::Updated { from, to }
            };
            deltas.extend(compare(p, q, change));
        }
        for p in &olds[..skip_old] {
            match &mut settings {
                Some(s) if new.settings.may_leave_out(&old.settings, p) => s.unlisted_old += 1,
                _ => deltas.push(removed(p)),
            }
        }
        for q in &news[paired..] {
            match &mut settings {
                Some(s) if old.settings.may_leave_out(&new.settings, q) => s.unlisted_new += 1,
                _ => deltas.push(added(q)),
            }
        }
    }
    let count = |f: fn(&Change) -> bool| deltas.iter().filter(|d| f(&d.change)).count();
    let mut d = ReportDiff {
        added: count(|c| matches!(c, Change::Added { .. })),
        removed: count(|c| matches!(c, Change::Removed { .. })),
        updated: count(|c| matches!(c, Change::Updated { .. })),
        downgraded: count(|c| matches!(c, Change::Downgraded { .. })),
        changed: count(|c| matches!(c, Change::Changed { .. })),
        same_version: count(|c| matches!(c, Change::SameVersion { .. })),
        settings,
        rules: (old.rules_version != new.rules_version)
            .then_some((old.rules_version, new.rules_version)),
        packages: deltas,
    };
    if d.rules.is_some() {
        // the same bytes scanned by other rules: what moved is the scanner, not the crate
        for p in &mut d.packages {
            if matches!(p.change, Change::SameVersion { .. }) {
                p.gate.clear();
            }
        }
    }
    d.sort();
    d
}

/// The package as a report made without dev-only packages would show it.
fn without_dev(p: &Package) -> Package {
    let mut p = p.clone();
    p.dependency_kinds.remove(&DepKind::Dev);
    p
}

/// Orders versions by their numeric parts, then as text; enough to pair versions of one name.
fn version_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |v: &str| -> (Vec<u64>, String) {
        let core = v.split(['-', '+']).next().unwrap_or(v);
        let nums = core.split('.').map(|n| n.parse().unwrap_or(0)).collect();
        (nums, v.to_string())
    };
    key(a).cmp(&key(b))
}

fn added(q: &Package) -> PackageDelta {
    let empty = Package {
        name: q.name.clone(),
        version: q.version.clone(),
        source: q.source.clone(),
        checksum: q.checksum.clone(),
        ..Package::default()
    };
    let change = || Change::Added {
        version: q.version.clone(),
    };
    let mut d = compare(&empty, q, change()).unwrap_or_else(|| blank(q, change()));
    d.checksum = None;
    d.source = None;
    if d.headlines.is_empty() || d.severity == Severity::None {
        // A new crate with no capability still brings new code and a new publisher.
        d.severity = d.severity.max(Severity::Low);
        d.headlines = vec!["new dependency, no capabilities".to_string()];
    }
    d
}

fn removed(p: &Package) -> PackageDelta {
    let mut d = blank(
        p,
        Change::Removed {
            version: p.version.clone(),
        },
    );
    d.lost = p.capabilities.clone();
    d.headlines.push("removed".to_string());
    d
}

fn blank(p: &Package, change: Change) -> PackageDelta {
    PackageDelta {
        name: p.name.clone(),
        change,
        severity: Severity::None,
        headlines: Vec::new(),
        gate: Vec::new(),
        gained: BTreeSet::new(),
        lost: BTreeSet::new(),
        counters: Vec::new(),
        build_kinds: None,
        embedded_added: Vec::new(),
        embedded_removed: Vec::new(),
        binaries_added: Vec::new(),
        binaries_removed: Vec::new(),
        checksum: None,
        source: None,
        not_analyzed: None,
        coverage_lost: Vec::new(),
        reach: None,
        violations: Vec::new(),
        audit: None,
    }
}

/// The delta of one package; `None` when nothing at all differs.
fn compare(p: &Package, q: &Package, change: Change) -> Option<PackageDelta> {
    let mut d = blank(q, change);
    let same_version = p.version == q.version;
    if same_version && p.checksum.is_some() && q.checksum.is_some() && p.checksum != q.checksum {
        d.checksum = Some((p.checksum.clone(), q.checksum.clone()));
    }
    if same_version && p.source != q.source {
        d.source = Some((p.source.clone(), q.source.clone()));
    }
    d.not_analyzed = q.not_analyzed.clone();
    d.gained = q
        .capabilities
        .difference(&p.capabilities)
        .copied()
        .collect();
    d.lost = p
        .capabilities
        .difference(&q.capabilities)
        .copied()
        .collect();
    for &part in Part::ALL {
        let (a, b) = (part.counts(p), part.counts(q));
        let kinds: BTreeSet<&Kind> = a.keys().chain(b.keys()).collect();
        for kind in kinds {
            let (old, new) = (
                a.get(kind).copied().unwrap_or(0),
                b.get(kind).copied().unwrap_or(0),
            );
            if old != new {
                d.counters.push(CounterDelta {
                    part,
                    kind: *kind,
                    old,
                    new,
                });
            }
        }
    }
    let kinds = |x: &Package| {
        x.build_script
            .as_ref()
            .map(|b| b.kinds.clone())
            .unwrap_or_default()
    };
    let (kp, kq) = (kinds(p), kinds(q));
    if kp != kq || p.build_script.is_some() != q.build_script.is_some() {
        d.build_kinds = Some((kp, kq));
    }
    d.embedded_added = diff_list(&q.embedded, &p.embedded);
    d.embedded_removed = diff_list(&p.embedded, &q.embedded);
    // the same file relabelled (a fixture by newer rules) is neither added nor removed
    let has = |list: &[BinaryFile], b: &BinaryFile| list.iter().any(|x| x.same_file(b));
    d.binaries_added = (q.binaries.iter())
        .filter(|b| !has(&p.binaries, b))
        .cloned()
        .collect();
    d.binaries_removed = (p.binaries.iter())
        .filter(|b| !has(&q.binaries, b))
        .cloned()
        .collect();
    if q.not_analyzed.is_none() {
        d.coverage_lost = coverage::lost(p, q);
        for c in d
            .counters
            .iter()
            .filter(|c| c.part.blind() && c.old == 0 && c.new > 0)
        {
            d.coverage_lost.push(CoverageLoss {
                list: c.part.code().to_owned(),
                entry: format!("{:+} {}", c.delta(), c.kind.code()),
            });
        }
    }
    d.reach = Reach::between(&p.dependency_kinds, &q.dependency_kinds, &q.capabilities);

    let nothing = d.checksum.is_none()
        && d.source.is_none()
        && d.gained.is_empty()
        && d.lost.is_empty()
        && d.counters.is_empty()
        && d.build_kinds.is_none()
        && d.embedded_added.is_empty()
        && d.embedded_removed.is_empty()
        && d.binaries_added.is_empty()
        && d.binaries_removed.is_empty()
        && d.coverage_lost.is_empty()
        && p.not_analyzed == q.not_analyzed
        && p.dependency_kinds == q.dependency_kinds;
    if nothing && matches!(d.change, Change::SameVersion { .. }) {
        return None;
    }
    rate::rate(&mut d, q);
    Some(d)
}

fn diff_list(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().filter(|x| !b.contains(x)).cloned().collect()
}

/// The dependency kinds as words, `normal, dev`.
pub fn kinds_text(kinds: &BTreeSet<DepKind>) -> String {
    let words: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
    words.join(", ")
}
