//! `show NAME[@VERSION]`: every finding of one package with its location and source line,
//! read from the same verified tarball as the report. Locations live here so the committed
//! report stays quiet to diff.

use std::fmt::Write as _;

use risk_analyzer::Unpacked;
use risk_report::facts::{CrateFacts, Parse, Role};

use crate::config::PackageSpec;
use crate::plumbing::error::Error;
use crate::plumbing::graph::GraphPackage;
use crate::plumbing::open::Opened;
use crate::plumbing::pipeline::cmp_versions;
use crate::plumbing::session::Session;
use crate::term::{Paint, sanitize};

/// Longest source line printed, in characters: minified or generated code can have lines of
/// megabytes.
const MAX_LINE: usize = 200;

/// Finds the package in the session's graph, reads and verifies it through the session's
/// opener (its facts from the results cache first) and renders every finding.
pub fn show(session: &Session, spec: &PackageSpec, paint: Paint) -> Result<String, Error> {
    let matches = find(&session.workspace()?.graph.packages, spec)?;
    let inputs = session.locate(&matches)?;
    let mut out = String::new();
    for (pkg, input) in matches.iter().zip(inputs) {
        let (opened, verified) = session.opener().read(pkg, input)?;
        render(&mut out, pkg, &opened, verified, paint);
    }
    // Lines start with crate file names: none may read as a CI workflow command.
    Ok(risk_report::sanitize::ci_lines(&out))
}

/// The graph packages `spec` names: one version, or every source of that version.
fn find<'a>(
    packages: &'a [GraphPackage],
    spec: &PackageSpec,
) -> Result<Vec<&'a GraphPackage>, Error> {
    let same_name: Vec<&GraphPackage> = packages.iter().filter(|p| p.name == spec.name).collect();
    let chosen: Vec<&GraphPackage> = match &spec.version {
        Some(v) => same_name
            .iter()
            .copied()
            .filter(|p| &p.version == v)
            .collect(),
        None => same_name.clone(),
    };
    if chosen.is_empty() {
        let wanted = spec.name.replace('_', "-").to_lowercase();
        let mut candidates: Vec<String> = packages
            .iter()
            .filter(|p| {
                let n = p.name.replace('_', "-").to_lowercase();
                n.contains(&wanted) || wanted.contains(&n) && n.len() > 2
            })
            .map(|p| format!("{}@{}", p.name, p.version))
            .collect();
        candidates.sort();
        candidates.dedup();
        return Err(Error::PackageNotFound {
            spec: spec.to_string(),
            candidates,
        });
    }
    let mut versions: Vec<&str> = chosen.iter().map(|p| p.version.as_str()).collect();
    versions.sort_by(|a, b| cmp_versions(a, b));
    versions.dedup();
    if versions.len() > 1 {
        return Err(Error::AmbiguousPackage {
            name: spec.name.clone(),
            versions: versions.into_iter().map(str::to_owned).collect(),
        });
    }
    Ok(chosen)
}

fn render(
    out: &mut String,
    pkg: &GraphPackage,
    opened: &Result<Opened, String>,
    verified: bool,
    paint: Paint,
) {
    let provenance = if verified {
        paint.green("sha256 verified")
    } else {
        paint.yellow("unverified")
    };
    let _ = writeln!(
        out,
        "{} {} ({}, {provenance})",
        paint.bold(&sanitize(&pkg.name)),
        sanitize(&pkg.version),
        sanitize(&pkg.source.label()),
    );
    match opened {
        Ok(o) => render_facts(out, &o.facts, &o.unpacked, paint),
        Err(e) => {
            let _ = writeln!(out, "  {}: {}", paint.red("not analyzed"), sanitize(e));
        }
    }
}

/// The findings, file by file, each with the line it points at.
pub fn render_facts(out: &mut String, facts: &CrateFacts, unpacked: &Unpacked, paint: Paint) {
    if let Some(reason) = &facts.not_analyzed {
        let _ = writeln!(out, "  {}: {}", paint.red("not analyzed"), sanitize(reason));
    }
    if !facts.build_script.kinds.is_empty() {
        let kinds: Vec<&str> = facts.build_script.kinds.iter().map(|k| k.code()).collect();
        let _ = writeln!(out, "  build script: {}", kinds.join(", "));
        for e in &facts.build_script.evidence {
            let _ = writeln!(out, "    {}", sanitize(e));
        }
    }
    if facts.manifest.proc_macro {
        let _ = writeln!(out, "  proc-macro crate");
    }
    let mut total = 0usize;
    for file in &facts.files {
        let path = sanitize(&file.path);
        match &file.parse {
            Parse::Parsed => {}
            Parse::Fallback { error, .. } => {
                let _ = writeln!(
                    out,
                    "{path}: {} {}",
                    paint.yellow("did not parse, findings approximate:"),
                    sanitize(error)
                );
            }
            Parse::NotAnalyzed { reason } => {
                let _ = writeln!(
                    out,
                    "{path}: {} {}",
                    paint.red("not analyzed:"),
                    sanitize(reason)
                );
            }
        }
        let lines: Vec<&str> = unpacked
            .files
            .get(&file.path)
            .map(|b| std::str::from_utf8(b).unwrap_or_default().lines().collect())
            .unwrap_or_default();
        for f in &file.findings {
            total += 1;
            let mut tags = Vec::new();
            match file.role {
                Role::Shipped => {}
                Role::Build => tags.push("build"),
                Role::Test => tags.push("test"),
                Role::Unreached => tags.push("unreached"),
            }
            if f.test && file.role != Role::Test {
                tags.push("test");
            }
            let tags = if tags.is_empty() {
                String::new()
            } else {
                paint.dim(&format!(" [{}]", tags.join(", ")))
            };
            let detail = f
                .detail
                .as_deref()
                .map(|d| format!(" {}", sanitize(d)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{path}:{}:{}: {}{detail}{tags}",
                f.line,
                f.col,
                paint.bold(f.kind.code())
            );
            if let Some(text) = (f.line as usize).checked_sub(1).and_then(|i| lines.get(i)) {
                let text: String = text.trim_end().chars().take(MAX_LINE).collect();
                let _ = writeln!(
                    out,
                    "{} {}",
                    paint.dim(&format!("{:>6} |", f.line)),
                    sanitize(&text)
                );
            }
        }
    }
    for b in &facts.binaries {
        let _ = writeln!(
            out,
            "{}: binary file ({}, {} bytes){}",
            sanitize(&b.path),
            sanitize(&b.format),
            b.bytes,
            if b.fixture { ", test fixture" } else { "" }
        );
    }
    for s in &facts.skipped {
        let _ = writeln!(
            out,
            "{}: skipped: {}",
            sanitize(&s.path),
            sanitize(&s.reason)
        );
    }
    let _ = writeln!(out, "  {total} findings in {} files", facts.files.len());
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::PathBuf;

    use risk_report::model::Source;

    use super::*;

    fn p(name: &str, version: &str) -> GraphPackage {
        GraphPackage {
            binary: false,
            name: name.into(),
            version: version.into(),
            source: Source::CratesIo,
            source_id: None,
            manifest_dir: PathBuf::new(),
            member: false,
            root: false,
            dep_kinds: BTreeSet::new(),
            reached_from: Default::default(),
            license: None,
            license_file: None,
        }
    }

    #[test]
    fn findings_print_with_location_code_detail_and_sanitized_line() {
        use risk_report::facts::{FileFacts, Finding, Kind, Origin};
        let mut unpacked = Unpacked::default();
        unpacked.files.insert(
            "src/lib.rs".into(),
            b"fn a() {}\n    let p = unsafe { *x }; // \x1b[2J\n"
                .to_vec()
                .into(),
        );
        let facts = CrateFacts {
            files: vec![FileFacts {
                path: "src/lib.rs".into(),
                lines: 2,
                findings: vec![
                    Finding {
                        line: 2,
                        col: 13,
                        kind: Kind::UnsafeBlock,
                        detail: None,
                        origin: Origin::Syntax,
                        test: false,
                        emitted: false,
                    },
                    Finding {
                        line: 9,
                        col: 1,
                        kind: Kind::Fs,
                        detail: Some("std::fs::read".into()),
                        origin: Origin::Syntax,
                        test: true,
                        emitted: false,
                    },
                ],
                ..FileFacts::default()
            }],
            ..CrateFacts::default()
        };
        let mut out = String::new();
        render_facts(&mut out, &facts, &unpacked, Paint { enabled: false });
        assert_eq!(
            out,
            "src/lib.rs:2:13: unsafe-block\n     2 |     let p = unsafe { *x }; // \\u{1b}[2J\n\
             src/lib.rs:9:1: fs std::fs::read [test]\n  2 findings in 1 files\n"
        );
    }

    #[test]
    fn finds_by_name_and_version() {
        let all = vec![p("syn", "1.0.0"), p("syn", "2.0.0"), p("serde", "1.0.0")];
        let spec = PackageSpec::parse;
        assert_eq!(find(&all, &spec("serde")).map(|v| v.len()).ok(), Some(1));
        assert_eq!(
            find(&all, &spec("syn@2.0.0"))
                .map(|v| v[0].version.clone())
                .ok(),
            Some("2.0.0".into())
        );
        let err = find(&all, &spec("syn"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("1.0.0, 2.0.0") && err.contains("syn@VERSION"),
            "{err}"
        );
        let err = find(&all, &spec("ser"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("serde@1.0.0"), "{err}");
    }
}
