//! `sbom`: the CycloneDX SBOM of the workspace's report, and `sbom --verify`: whether the
//! lockfile and the tarballs still match a given SBOM exactly.

use std::collections::BTreeMap;
use std::path::Path;

use risk_report::sbom::{self, Pin};

use crate::config::Config;
use crate::plumbing::error::{Error, FileProblem};
use crate::plumbing::locate::Input;
use crate::plumbing::pipeline::Scanned;
use crate::plumbing::scan::{ReadError, read_verified};
use crate::plumbing::session::Session;

/// SBOMs over this size are refused before parsing.
const MAX_SBOM_BYTES: u64 = 256 * 1024 * 1024;

/// The SBOM of what was scanned, as pretty JSON ending in a newline.
pub fn generate(config: &Config, scanned: &Scanned) -> Result<String, Error> {
    let report = &scanned.report;
    let graph = scanned.links.sbom_graph(
        scanned
            .workspace_root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "workspace".to_owned()),
        scanned.applications.clone(),
    );
    let bom = sbom::cyclonedx(report, &graph, env!("CARGO_PKG_VERSION"));
    let mut text = serde_json::to_string_pretty(&bom).map_err(|e| Error::Output {
        path: config.output.clone().unwrap_or_default(),
        source: std::io::Error::other(e),
    })?;
    text.push('\n');
    Ok(text)
}

/// What `--verify` found: every difference, one line each; empty when the SBOM matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verified {
    pub components: usize,
    pub differences: Vec<String>,
}

/// Compares the session's graph (lockfile pins, and the SHA-256 of every tarball the report
/// would cover) with `path`.
pub fn verify(session: &Session, path: &Path) -> Result<Verified, Error> {
    let expected = read_sbom(path)?;
    let ws = session.workspace()?;
    let packages = session.packages()?;

    let mut shared: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (p, _) in packages {
        *shared.entry((&p.name, &p.version)).or_default() += 1;
    }
    let mut now = BTreeMap::new();
    let mut tarballs = Vec::new();
    for (p, input) in packages {
        let key = if shared[&(p.name.as_str(), p.version.as_str())] > 1 {
            format!("{}@{} ({})", p.name, p.version, p.source.label())
        } else {
            format!("{}@{}", p.name, p.version)
        };
        let pinned = ws.checksum(p).map(str::to_ascii_lowercase);
        if let Input::Tarball {
            candidates,
            checksum: Some(sum),
        } = input
        {
            match read_verified(&p.name, &p.version, candidates, Some(sum)) {
                Ok(_) => {}
                Err(ReadError::Mismatch(m)) => tarballs.push(format!(
                    "tarball differs from Cargo.lock: {} {}: {} has SHA-256 {}, Cargo.lock pins {}",
                    m.name,
                    m.version,
                    m.file.display(),
                    m.actual,
                    m.expected
                )),
                Err(ReadError::Io(file, e)) => {
                    return Err(Error::Read {
                        path: file,
                        source: e,
                    });
                }
            }
        }
        now.insert(
            key,
            Pin {
                name: p.name.clone(),
                version: p.version.clone(),
                sha256: pinned,
            },
        );
    }
    let mut differences: Vec<String> = sbom::compare(&expected, &now)
        .iter()
        .map(ToString::to_string)
        .collect();
    differences.extend(tarballs);
    Ok(Verified {
        components: now.len(),
        differences,
    })
}

fn read_sbom(path: &Path) -> Result<BTreeMap<String, Pin>, Error> {
    let bad = |problem: FileProblem| Error::BadSbom {
        what: path.display().to_string(),
        problem,
    };
    let meta = std::fs::metadata(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    if meta.len() > MAX_SBOM_BYTES {
        return Err(bad(FileProblem::TooLarge {
            bytes: meta.len(),
            limit: MAX_SBOM_BYTES,
        }));
    }
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(FileProblem::NotJson(e)))?;
    sbom::pins_of_sbom(&value).map_err(|e| bad(e.into()))
}
