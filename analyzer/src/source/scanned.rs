//! What the scan of one file hands the crate pass: its facts with every finding's gates, its
//! declarations and its templates, before the crate pass decides what is test code.

use risk_report::facts::{DepPath, FileFacts, Finding, Kind, Origin, Parse};

use crate::gates::{GateId, GateTable};
use crate::source::decls;
use crate::source::templates::{self, CrateTemplates};

/// The scan of one file before the crate pass decides what is test code.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scanned {
    /// The facts, every finding with `test = false`.
    pub facts: FileFacts,
    /// The gates findings sit under.
    pub gates: GateTable,
    /// Per finding (same order), the ids of its gates.
    pub gated: Vec<Vec<GateId>>,
    pub decls: decls::Decls,
    /// Paths into dependencies the crate pass found, with their gates (see
    /// [`FileFacts::dep_paths`]).
    pub dep_refs: Vec<(DepPath, Vec<GateId>)>,
    /// The file's code templates and macro names (see `templates.rs`).
    pub templates: templates::FileTemplates,
}

impl Scanned {
    /// The facts with each finding's `test` decided by `rules`.
    pub fn decided(mut self, rules: &crate::gates::TestRules) -> FileFacts {
        self.decide(rules);
        self.facts
    }

    /// Adds a finding the crate pass resolved (a path that leaves the file), under `gates`,
    /// unless an engine already found one of the same family there. Keeps the order.
    pub fn add_resolved(
        &mut self,
        line: u32,
        col: u32,
        kind: Kind,
        detail: String,
        gates: &[crate::gates::Gate],
    ) {
        let same_place =
            |f: &Finding| f.line == line && f.col == col && f.kind.family() == kind.family();
        if self.facts.findings.iter().any(same_place) {
            return;
        }
        let origin = match self.facts.parse {
            Parse::Fallback { .. } => Origin::Fallback,
            _ => Origin::Syntax,
        };
        let ids: Vec<GateId> = gates
            .iter()
            .filter_map(|g| self.gates.id(g.clone()))
            .collect();
        let finding = Finding {
            line,
            col,
            kind,
            detail: Some(detail),
            origin,
            test: false,
            emitted: false,
        };
        let at = self.facts.findings.partition_point(|f| *f < finding);
        self.facts.findings.insert(at, finding);
        self.gated.insert(at, ids);
    }

    /// Marks the findings inside the file's code templates as emitted, once the crate's
    /// `macro_rules!` and `#[macro_use]` are known (`krate`); the paths into dependencies
    /// written there are the users', and are dropped.
    pub fn mark_emitted(&mut self, krate: &CrateTemplates) {
        let t = &self.templates;
        if t.is_empty() {
            return;
        }
        for f in &mut self.facts.findings {
            f.emitted |= t.emitted(krate, f.line, f.col);
        }
        (self.dep_refs).retain(|(p, _)| !t.emitted(krate, p.line, p.col));
    }

    /// Sets each finding's `test`: true when one of its gates holds.
    pub fn decide(&mut self, rules: &crate::gates::TestRules) {
        let gates = &self.gates;
        let holds = |ids: &[GateId]| {
            ids.iter()
                .any(|&id| gates.get(id).is_some_and(|g| rules.holds(g)))
        };
        for (f, ids) in self.facts.findings.iter_mut().zip(&self.gated) {
            f.test = holds(ids);
        }
        let mut paths: Vec<DepPath> = (self.dep_refs.iter())
            .map(|(p, ids)| DepPath {
                test: holds(ids),
                ..p.clone()
            })
            .collect();
        paths.sort();
        paths.dedup();
        self.facts.dep_paths = paths;
    }

    /// Records a path into a dependency the crate pass found, under `gates`.
    pub fn add_dep_path(&mut self, path: DepPath, gates: &[crate::gates::Gate]) {
        let ids: Vec<GateId> = gates
            .iter()
            .filter_map(|g| self.gates.id(g.clone()))
            .collect();
        self.dep_refs.push((path, ids));
    }
}
