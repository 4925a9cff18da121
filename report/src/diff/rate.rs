//! Severity, headlines and the gate's reasons of one package change, all from the same facts,
//! so the gate never fails without saying why and never says what it does not count.

use std::collections::BTreeSet;

use crate::capability::{Capability, Severity};
use crate::diff::{Change, CounterDelta, PackageDelta, coverage};
use crate::facts::Family;
use crate::model::Package;

/// `text` with the packages whose macros alone give `q` capability `cap`
/// ([`Package::only_via`]): `gained network access (via base)`.
fn with_via(text: &str, q: &Package, cap: Capability) -> String {
    match q.only_via(cap).as_slice() {
        [] => text.to_owned(),
        names => format!("{text} (via {})", names.join(", ")),
    }
}

/// Decreases named beside the increases of a package whose counters moved both ways.
const DOWNS_SHOWN: usize = 3;

/// Sets severity, headlines and gate reasons from what moved.
pub(super) fn rate(d: &mut PackageDelta, q: &Package) {
    let mut found: Vec<(Severity, String)> = Vec::new();
    let mut gate: Vec<String> = Vec::new();
    if let Some((a, b)) = &d.checksum {
        found.push((
            Severity::Critical,
            format!(
                "same version, different checksum ({} -> {})",
                short(a.as_deref()),
                short(b.as_deref())
            ),
        ));
        gate.push("checksum changed".to_owned());
    }
    if let Some((a, b)) = &d.source {
        found.push((
            Severity::Critical,
            format!("same version, source changed ({a} -> {b})"),
        ));
        gate.push("source changed".to_owned());
    }
    // Unknown is risk: a package or code the scanner cannot see counts like a capability.
    if let Some(why) = &d.not_analyzed {
        found.push((Severity::High, format!("could not be analyzed: {why}")));
        gate.push("not analyzed".to_owned());
    }
    if !d.coverage_lost.is_empty() {
        // A new crate did not lose coverage: it arrives with code nobody could read.
        let what = match d.change {
            Change::Added { .. } => "not fully analyzed",
            Change::Removed { .. }
            | Change::Updated { .. }
            | Change::Downgraded { .. }
            | Change::Changed { .. }
            | Change::SameVersion { .. } => "coverage lost",
        };
        found.push((Severity::High, coverage::headline(what, &d.coverage_lost)));
        gate.push(coverage::gate(what, &d.coverage_lost));
    }
    if let Some(reach) = &d.reach {
        let rated = reach.rate();
        found.push((rated.severity, rated.headline));
        gate.extend(rated.gate);
    }

    // Most telling first, within one severity: the gained list in rank order.
    let mut gained: Vec<Capability> = d.gained.iter().copied().collect();
    gained.sort_by_key(|c| c.rank());
    let new_kinds: BTreeSet<_> = d
        .build_kinds
        .as_ref()
        .map(|(a, b)| b.difference(a).copied().collect())
        .unwrap_or_default();
    for &cap in &gained {
        let said_better = new_kinds.iter().any(|k| k.severity() >= cap.severity());
        if cap == Capability::BuildScript && said_better {
            // "build script now compiles native code" says more.
            continue;
        }
        found.push((cap.severity(), with_via(cap.info().headline, q, cap)));
    }
    gate.extend(gained.iter().map(|c| with_via(&format!("+{c}"), q, *c)));
    for k in &new_kinds {
        let (severity, text) = k.gained();
        found.push((severity, text.to_owned()));
        if severity >= Severity::Medium {
            gate.push(format!("build script +{}", k.code()));
        }
    }
    let shipped = d.binaries_added.iter().filter(|b| !b.fixture).count();
    if shipped > 0 && !d.gained.contains(&Capability::Binary) {
        let text = format!("{shipped} new binary file(s)");
        found.push((Severity::High, text.clone()));
        gate.push(format!("+{text}"));
    }
    // A test fixture is built for nobody: shown, not gated (what uses it, a build script or
    // an `include_bytes!`, is rated on its own, and names it, which makes it no fixture).
    let fixtures = d.binaries_added.len() - shipped;
    if fixtures > 0 {
        found.push((
            Severity::Low,
            format!("{fixtures} new binary test fixture(s)"),
        ));
    }
    if !d.embedded_added.is_empty() && !d.gained.contains(&Capability::Embed) {
        let text = match d.embedded_added.as_slice() {
            [one] => format!("embeds {one}"),
            many => format!("embeds {} new files", many.len()),
        };
        found.push((Severity::Medium, text.clone()));
        gate.push(text);
    }

    let counts = |c: &&CounterDelta| c.part.gates() && !c.part.blind();
    let ups: Vec<&CounterDelta> = d
        .counters
        .iter()
        .filter(counts)
        .filter(|c| c.delta() > 0 && !d.gained.contains(&c.kind.capability()))
        .collect();
    let downs: Vec<&CounterDelta> = d
        .counters
        .iter()
        .filter(counts)
        .filter(|c| c.delta() < 0)
        .collect();
    let unsafe_up: i64 = d
        .counters
        .iter()
        .filter(counts)
        .filter(|c| c.kind.family() == Family::Unsafe)
        .map(CounterDelta::delta)
        .sum();
    if unsafe_up > 0 && !d.gained.contains(&Capability::Unsafe) {
        found.push((Severity::Medium, format!("+{unsafe_up} unsafe")));
    }
    if !ups.is_empty() {
        let mut text: Vec<String> = ups
            .iter()
            .map(|c| format!("{:+} {}{}", c.delta(), c.kind.code(), c.part.suffix()))
            .collect();
        if !downs.is_empty() {
            // The net change can look like less risk ("-29 unsafe"): say both directions.
            let mut shown: Vec<String> = downs
                .iter()
                .take(DOWNS_SHOWN)
                .map(|c| format!("{} {}{}", c.delta(), c.kind.code(), c.part.suffix()))
                .collect();
            if downs.len() > DOWNS_SHOWN {
                shown.push("...".to_owned());
            }
            text.push(format!("(moved both ways: {})", shown.join(" ")));
        }
        gate.push(text.join(" "));
    }
    if found.is_empty() {
        let fallback = match (ups.is_empty(), downs.is_empty()) {
            (false, false) => Some("counters moved both ways, no new capability"),
            (false, true) => Some("counters rose, no new capability"),
            (true, false) => Some("counters fell, no new capability"),
            (true, true) if !d.counters.is_empty() || !d.lost.is_empty() => {
                Some("counters moved, no new capability")
            }
            (true, true) => None,
        };
        if let Some(text) = fallback {
            found.push((Severity::Low, text.to_owned()));
        }
    }
    let versioned = matches!(d.change, Change::Updated { .. } | Change::Downgraded { .. });
    if found.is_empty() && (versioned || q.dependency_kinds.is_empty()) {
        found.push((Severity::None, "no risk change".to_string()));
    }
    // Stable: equal severities keep the rank order they were pushed in.
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    d.severity = found.first().map_or(Severity::None, |f| f.0);
    d.headlines = found.into_iter().map(|f| f.1).collect();
    d.gate = gate;
}

fn short(s: Option<&str>) -> String {
    s.map_or("none".to_string(), |s| s.chars().take(12).collect())
}
