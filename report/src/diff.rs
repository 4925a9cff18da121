//! The risk delta between two reports: what was added, removed or updated, and above all which
//! capabilities appeared. Renderers (`render::*`) only read a [`ReportDiff`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::facts::{BinaryFile, BuildKind, Kind};
use crate::model::{DepKind, Package, Report};

/// How serious a change is, for ordering and for CI gates. Ordered from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Nothing about the package's risk moved (a version bump with the same facts, or a
    /// removal).
    None,
    /// Counters moved, or risk went down, without new capabilities.
    Low,
    /// A new capability of a milder kind (fs, env, unsafe, embedded content, a probe build
    /// script), or more unsafe code.
    Medium,
    /// A new capability of a severe kind: network, process spawning, FFI, a native or
    /// networked build script, a proc macro, a shipped binary.
    High,
    /// Same name and version, different bytes or source: the registry or lockfile changed
    /// under you.
    Critical,
}

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
    Updated {
        from: String,
        to: String,
    },
    /// Same version, but something else about it changed (checksum, source, or the facts
    /// themselves, e.g. after an analyzer upgrade).
    Changed {
        version: String,
    },
}

/// One counter that moved, in one part of the package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CounterDelta {
    /// `shipped`, `build` or `test`.
    pub part: String,
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
    pub gained: BTreeSet<String>,
    pub lost: BTreeSet<String>,
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
    /// The package could not be analyzed on one side: its delta is unknown, not empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_analyzed: Option<String>,
    /// Policy violations of the new version, `deny net: not granted` (filled by the policy
    /// crate when a policy applies; renderers only print them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<String>,
    /// What cargo-vet audits say about the change (filled by the policy crate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<String>,
}

impl PackageDelta {
    /// True when this change adds risk (what the CI gate fails on).
    pub fn adds_risk(&self) -> bool {
        self.severity >= Severity::Medium
            || self
                .counters
                .iter()
                .any(|c| c.part != "test" && c.delta() > 0)
            || !self.embedded_added.is_empty()
            || !self.binaries_added.is_empty()
            || self.not_analyzed.is_some()
    }
}

/// The delta between two reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportDiff {
    pub added: usize,
    pub removed: usize,
    pub updated: usize,
    pub changed: usize,
    /// The two reports were made with different settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<SettingsChange>,
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

impl ReportDiff {
    pub fn is_empty(&self) -> bool {
        self.packages.is_empty() && self.settings.is_none()
    }

    /// True when any package change adds risk.
    pub fn adds_risk(&self) -> bool {
        self.packages.iter().any(PackageDelta::adds_risk)
    }

    /// The one-line total at the top of every rendering.
    pub fn headline(&self) -> String {
        if self.packages.is_empty() {
            return "Dependency risk: no change.".to_string();
        }
        let mut parts = Vec::new();
        let n = |count: usize, one: &str, many: &str| {
            format!("{count} {}", if count == 1 { one } else { many })
        };
        if self.added > 0 {
            parts.push(format!("+{}", n(self.added, "crate", "crates")));
        }
        if self.updated > 0 {
            parts.push(format!("{} updated", self.updated));
        }
        if self.removed > 0 {
            parts.push(format!("{} removed", self.removed));
        }
        if self.changed > 0 {
            parts.push(format!("{} changed in place", self.changed));
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
}

impl PackageDelta {
    /// `name 1.0.0`, `name 1.0.0 -> 1.1.0`.
    pub fn label(&self) -> String {
        match &self.change {
            Change::Added { version }
            | Change::Removed { version }
            | Change::Changed { version } => {
                format!("{} {version}", self.name)
            }
            Change::Updated { from, to } => format!("{} {from} -> {to}", self.name),
        }
    }
}

/// Compares two reports. Packages are matched by key first (same name and version), then the
/// remaining versions of one name are paired oldest to oldest as updates.
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
                let change = Change::Changed {
                    version: q.version.clone(),
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
            let change = Change::Updated {
                from: p.version.clone(),
                to: q.version.clone(),
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
    let added_n = count(|c| matches!(c, Change::Added { .. }));
    let removed_n = count(|c| matches!(c, Change::Removed { .. }));
    let updated_n = count(|c| matches!(c, Change::Updated { .. }));
    let changed_n = count(|c| matches!(c, Change::Changed { .. }));
    deltas.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.label().cmp(&b.label()))
    });
    ReportDiff {
        added: added_n,
        removed: removed_n,
        updated: updated_n,
        changed: changed_n,
        settings,
        packages: deltas,
    }
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
    let mut d = compare(
        &empty,
        q,
        Change::Added {
            version: q.version.clone(),
        },
    )
    .unwrap_or_else(|| {
        blank(
            q,
            Change::Added {
                version: q.version.clone(),
            },
        )
    });
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
        .cloned()
        .collect();
    d.lost = p
        .capabilities
        .difference(&q.capabilities)
        .cloned()
        .collect();
    for (part, a, b) in [
        ("shipped", &p.shipped, &q.shipped),
        ("build", &p.build, &q.build),
        ("test", &p.test, &q.test),
    ] {
        let kinds: BTreeSet<&Kind> = a.keys().chain(b.keys()).collect();
        for kind in kinds {
            let (old, new) = (
                a.get(kind).copied().unwrap_or(0),
                b.get(kind).copied().unwrap_or(0),
            );
            if old != new {
                d.counters.push(CounterDelta {
                    part: part.to_string(),
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
    d.binaries_added = q
        .binaries
        .iter()
        .filter(|b| !p.binaries.contains(b))
        .cloned()
        .collect();
    d.binaries_removed = p
        .binaries
        .iter()
        .filter(|b| !q.binaries.contains(b))
        .cloned()
        .collect();

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
        && p.not_analyzed == q.not_analyzed
        && p.dependency_kinds == q.dependency_kinds;
    if nothing && matches!(d.change, Change::Changed { .. }) {
        return None;
    }
    rate(&mut d, q);
    Some(d)
}

fn diff_list(a: &[String], b: &[String]) -> Vec<String> {
    a.iter().filter(|x| !b.contains(x)).cloned().collect()
}

/// Sets severity and headlines from what moved.
fn rate(d: &mut PackageDelta, q: &Package) {
    let mut found: Vec<(Severity, String)> = Vec::new();
    let new_build_kinds = d.build_kinds.as_ref().is_some_and(|(a, b)| !b.is_subset(a));
    if let Some((a, b)) = &d.checksum {
        found.push((
            Severity::Critical,
            format!(
                "same version, different checksum ({} -> {})",
                short(a.as_deref()),
                short(b.as_deref())
            ),
        ));
    }
    if let Some((a, b)) = &d.source {
        found.push((
            Severity::Critical,
            format!("same version, source changed ({a} -> {b})"),
        ));
    }
    if let Some(why) = &d.not_analyzed {
        found.push((Severity::Medium, format!("could not be analyzed: {why}")));
    }
    // Most telling first, within one severity: the order of the gained list is by rank.
    let rank = |cap: &str| {
        [
            "net",
            "process",
            "ffi",
            "binary",
            "proc-macro",
            "build-script",
            "fs",
            "env-write",
            "unsafe",
            "embed",
            "env-read",
        ]
        .iter()
        .position(|c| *c == cap)
        .unwrap_or(usize::MAX)
    };
    let mut gained: Vec<&String> = d.gained.iter().collect();
    gained.sort_by_key(|c| rank(c));
    for cap in gained {
        if cap == "build-script" && new_build_kinds {
            // "build script now compiles native code" says more.
            continue;
        }
        let (sev, text) = match cap.as_str() {
            "net" => (Severity::High, "now uses the network".to_string()),
            "process" => (Severity::High, "now spawns processes".to_string()),
            "ffi" => (Severity::High, "now calls C (FFI)".to_string()),
            "proc-macro" => (Severity::High, "now a proc macro".to_string()),
            "binary" => (Severity::High, "now ships a binary".to_string()),
            "build-script" => (Severity::High, "now has a build script".to_string()),
            "fs" => (Severity::Medium, "now uses the file system".to_string()),
            "env-write" => (Severity::Medium, "now writes the environment".to_string()),
            "env-read" => (
                Severity::Medium,
                "now reads environment variables".to_string(),
            ),
            "unsafe" => (Severity::Medium, "now uses unsafe code".to_string()),
            "embed" => (Severity::Medium, "now embeds files".to_string()),
            "hidden-text" => (
                Severity::High,
                "now hides text from reviewers (bidi controls or lookalike identifiers)"
                    .to_string(),
            ),
            other => (Severity::Medium, format!("now has {other}")),
        };
        found.push((sev, text));
    }
    if let Some((a, b)) = &d.build_kinds {
        for k in b.difference(a) {
            let (sev, text) = match k {
                BuildKind::Native => (Severity::High, "build script now compiles native code"),
                BuildKind::Network => (Severity::High, "build script now uses the network"),
                BuildKind::Process => (Severity::High, "build script now spawns processes"),
                BuildKind::Link => (Severity::Medium, "build script now links a native library"),
                BuildKind::Codegen => (Severity::Medium, "build script now generates code"),
                BuildKind::Probe => (Severity::Low, "build script now probes the compiler"),
                BuildKind::Other => (Severity::Medium, "build script now does something new"),
            };
            found.push((sev, text.to_string()));
        }
    }
    if !d.binaries_added.is_empty() && !d.gained.contains("binary") {
        found.push((
            Severity::High,
            format!("{} new binary file(s)", d.binaries_added.len()),
        ));
    }
    if !d.embedded_added.is_empty() && !d.gained.contains("embed") {
        found.push((
            Severity::Medium,
            match d.embedded_added.as_slice() {
                [one] => format!("embeds {one}"),
                many => format!("embeds {} new files", many.len()),
            },
        ));
    }
    let unsafe_up: i64 = d
        .counters
        .iter()
        .filter(|c| c.part != "test" && c.kind.family() == crate::facts::Family::Unsafe)
        .map(CounterDelta::delta)
        .sum();
    if unsafe_up > 0 && !d.gained.contains("unsafe") {
        found.push((Severity::Medium, format!("+{unsafe_up} unsafe")));
    }
    if found.is_empty() && (!d.counters.is_empty() || !d.lost.is_empty()) {
        found.push((
            Severity::Low,
            "counters moved, no new capability".to_string(),
        ));
    }
    if found.is_empty() && matches!(d.change, Change::Updated { .. }) {
        found.push((Severity::None, "no risk change".to_string()));
    }
    if found.is_empty() && q.dependency_kinds.is_empty() {
        found.push((Severity::None, "no risk change".to_string()));
    }
    // Stable: equal severities keep the rank order they were pushed in.
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    d.severity = found.first().map_or(Severity::None, |f| f.0);
    d.headlines = found.into_iter().map(|f| f.1).collect();
}

fn short(s: Option<&str>) -> String {
    s.map_or("none".to_string(), |s| s.chars().take(12).collect())
}
