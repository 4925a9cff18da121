//! A plain-text listing of one crate's facts, one finding a line: the reviewable form the
//! corpus checks in as `expected.txt`.
//!
//! The layout is line-oriented so that a change to a rule shows up in review as a few added or
//! removed lines.

use std::fmt::Write as _;

use crate::facts::{CrateFacts, Origin, Parse, Role};

/// Renders every fact of one crate.
pub fn render(facts: &CrateFacts) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; the `let _` keeps that explicit.
    let _ = write_all(&mut out, facts);
    out
}

fn write_all(out: &mut String, c: &CrateFacts) -> std::fmt::Result {
    writeln!(out, "crate {} {}", c.name, c.version)?;
    if let Some(why) = &c.not_analyzed {
        writeln!(out, "not-analyzed: {why}")?;
    }
    let m = &c.manifest;
    writeln!(
        out,
        "manifest: edition={} proc-macro={} links={} build={}",
        m.edition.as_deref().unwrap_or("-"),
        if m.proc_macro { "yes" } else { "no" },
        m.links.as_deref().unwrap_or("-"),
        m.build.as_deref().unwrap_or("-"),
    )?;
    if let Some(e) = &m.error {
        writeln!(out, "manifest-error: {e}")?;
    }
    for t in &m.targets {
        writeln!(out, "target {} {} {}", t.kind, t.name, t.path)?;
    }
    if !m.build_dependencies.is_empty() {
        let deps: Vec<&str> = m.build_dependencies.iter().map(String::as_str).collect();
        writeln!(out, "build-dependencies: {}", deps.join(", "))?;
    }
    if !m.dev_dependencies.is_empty() {
        let deps: Vec<&str> = m.dev_dependencies.iter().map(String::as_str).collect();
        writeln!(out, "dev-dependencies: {}", deps.join(", "))?;
    }
    if c.forbids_unsafe {
        writeln!(out, "forbids-unsafe")?;
    }
    if let Some(path) = &c.build_script.path {
        let kinds: Vec<&str> = c.build_script.kinds.iter().map(|k| k.code()).collect();
        writeln!(out, "build-script {path}: {}", kinds.join(", "))?;
        if !c.build_script.sets_cfg.is_empty() {
            writeln!(out, "  sets-cfg: {}", c.build_script.sets_cfg.join(", "))?;
        }
        for e in &c.build_script.evidence {
            writeln!(out, "  {e}")?;
        }
    }
    let v = &c.vcs;
    match (&v.present, &v.commit) {
        (false, _) => writeln!(out, "vcs: none")?,
        (true, Some(commit)) => writeln!(
            out,
            "vcs: git {commit}{}",
            if v.dirty { " dirty" } else { "" }
        )?,
        (true, None) => writeln!(out, "vcs: present, no commit")?,
    }
    for b in &c.binaries {
        let fixture = if b.fixture { " test-fixture" } else { "" };
        writeln!(
            out,
            "binary {} {} {} bytes{fixture}",
            b.path, b.format, b.bytes
        )?;
    }
    for s in &c.skipped {
        writeln!(out, "skipped {}: {}", s.path, s.reason)?;
    }
    for u in &c.unread_modules {
        writeln!(out, "unread {u}")?;
    }
    if c.unreached_may_compile {
        writeln!(out, "unreached-may-compile")?;
    }
    for e in &c.exports {
        writeln!(out, "export {} -> {}", e.path, e.target)?;
    }
    if !c.proc_macros.is_empty() {
        writeln!(out, "proc-macros: {}", c.proc_macros.join(", "))?;
    }
    for f in &c.files {
        let role = match f.role {
            Role::Shipped => "shipped",
            Role::Build => "build",
            Role::Test => "test",
            Role::Unreached => "unreached",
        };
        let parse = match &f.parse {
            Parse::Parsed => "parsed".to_string(),
            Parse::Fallback { error, lexer } => format!("fallback({lexer}) {error}"),
            Parse::NotAnalyzed { reason } => format!("not-analyzed {reason}"),
        };
        writeln!(out, "file {} {role} lines={} {parse}", f.path, f.lines)?;
        for x in &f.findings {
            write!(out, "  {}:{} {}", x.line, x.col, x.kind.code())?;
            if let Some(d) = &x.detail {
                write!(out, " {d}")?;
            }
            match x.origin {
                Origin::Syntax => {}
                Origin::MacroTokens => write!(out, " [macro-tokens]")?,
                Origin::Fallback => write!(out, " [approximate]")?,
                Origin::Reexport => write!(out, " [re-export]")?,
            }
            if x.test {
                write!(out, " [test]")?;
            }
            if x.emitted {
                write!(out, " [emitted]")?;
            }
            writeln!(out)?;
        }
    }
    let counts = c.counts();
    for (label, map) in [
        ("shipped", &counts.shipped),
        ("build", &counts.build),
        ("test", &counts.test),
        ("unreached", &counts.unreached),
        ("emits", &counts.emits),
    ] {
        if !map.is_empty() {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, n)| format!("{}={n}", k.code()))
                .collect();
            writeln!(out, "counts {label}: {}", parts.join(" "))?;
        }
    }
    Ok(())
}
