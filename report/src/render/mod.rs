//! Renderers of a [`crate::diff::ReportDiff`]: terminal text, GitHub markdown, JSON, SARIF, and
//! of reports: the HTML dashboard. They only read the data they are given; every
//! crate-derived string goes through [`crate::sanitize`].

pub mod html;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod source;
pub mod text;

use crate::diff::PackageDelta;

/// `+3 unsafe-block, -1 fs` over shipped and build code, for one-line summaries.
pub(crate) fn counter_summary(d: &PackageDelta) -> String {
    let parts: Vec<String> = d
        .counters
        .iter()
        .filter(|c| c.part.gates())
        .map(|c| format!("{:+} {}{}", c.delta(), c.kind.code(), c.part.suffix()))
        .collect();
    parts.join(", ")
}

/// `+3` unsafe-family findings over shipped and build code, or `-` when they did not move.
pub(crate) fn unsafe_cell(d: &PackageDelta) -> String {
    let n: i64 = d
        .counters
        .iter()
        .filter(|c| c.part.gates() && c.kind.family() == crate::facts::Family::Unsafe)
        .map(|c| c.delta())
        .sum();
    if n == 0 {
        "-".to_string()
    } else {
        format!("{n:+}")
    }
}

/// `probe -> native` for a build-script kind change.
pub(crate) fn build_kinds_summary(d: &PackageDelta) -> Option<String> {
    let (a, b) = d.build_kinds.as_ref()?;
    let show = |s: &std::collections::BTreeSet<crate::facts::BuildKind>| {
        if s.is_empty() {
            "none".to_string()
        } else {
            s.iter().map(|k| k.code()).collect::<Vec<_>>().join("+")
        }
    };
    Some(format!("{} -> {}", show(a), show(b)))
}

/// Long lists (embedded files, binaries) are cut in renderings; the JSON keeps them whole.
pub(crate) const LIST_LIMIT: usize = 10;

/// `Policy: 2 changes violate it (1 denied).`, when a policy marked the delta with violations.
pub(crate) fn policy_summary(diff: &crate::diff::ReportDiff) -> Option<String> {
    let marked = diff.packages.iter().filter(|d| !d.violations.is_empty());
    let (n, denied) = marked.fold((0, 0), |(n, denied), d| {
        let deny = d.violations.iter().any(|v| v.starts_with("deny "));
        (n + 1, denied + usize::from(deny))
    });
    (n > 0).then(|| {
        let changes = if n == 1 {
            "change violates"
        } else {
            "changes violate"
        };
        format!("Policy: {n} {changes} it ({denied} denied).")
    })
}
