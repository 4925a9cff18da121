//! The dependency edges of the workspace, from `cargo metadata`: for the dashboard, a shortest
//! path from a workspace member to each package ("app -> reqwest -> hyper -> socket2"); for
//! the SBOM, each package's direct dependencies. Neither goes into the report file, whose rows
//! keep only `reached_from`: a path changes whenever an unrelated crate moves, and would make
//! the committed report noisy to diff.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use risk_report::model::DepKind;
use risk_report::sbom::{self, License};

use crate::plumbing::graph::Graph;

/// Edges between the packages of `cargo metadata`, by index into its package list.
#[derive(Debug, Clone, Default)]
pub struct Links {
    names: Vec<(String, String)>,
    /// `name@version`, or `name@version (source)` when a report needs it.
    keys: Vec<String>,
    members: Vec<usize>,
    /// By package, its license as the manifest states it.
    licenses: Vec<Option<License>>,
    /// Edges a build of the workspace follows: every edge of a member the walk starts from,
    /// and the normal and build edges of everything else (dev-dependencies of dependencies
    /// are never built).
    edges: Vec<BTreeSet<usize>>,
}

impl Links {
    /// Reads the edges of the graph (the part of `cargo metadata` the scope selects).
    /// Packages are keyed as the report keys them: `name@version`, with the source added when
    /// two packages share both.
    pub fn from_graph(graph: &Graph) -> Links {
        let names: Vec<(String, String)> = graph
            .packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone()))
            .collect();
        let mut shared: BTreeMap<&(String, String), usize> = BTreeMap::new();
        for n in &names {
            *shared.entry(n).or_default() += 1;
        }
        let keys = graph
            .packages
            .iter()
            .zip(&names)
            .map(|(p, n)| {
                let plain = format!("{}@{}", p.name, p.version);
                if shared[n] > 1 {
                    format!("{plain} ({})", p.source.label())
                } else {
                    plain
                }
            })
            .collect();
        let mut members: Vec<usize> = (0..graph.packages.len())
            .filter(|&i| graph.packages[i].root)
            .collect();
        members.sort_by(|&a, &b| names[a].cmp(&names[b]));
        let edges = graph
            .edges
            .iter()
            .enumerate()
            .map(|(from, to)| {
                let root = graph.packages[from].root;
                to.iter()
                    .filter(|(_, kind)| root || *kind != DepKind::Dev)
                    .map(|(t, _)| *t)
                    .collect()
            })
            .collect();
        let licenses = graph
            .packages
            .iter()
            .map(|p| match (&p.license, &p.license_file) {
                (Some(e), _) => Some(License::Expression(e.clone())),
                (None, Some(f)) => Some(License::File(f.clone())),
                (None, None) => None,
            })
            .collect();
        Links {
            names,
            keys,
            members,
            licenses,
            edges,
        }
    }

    /// By package key, a shortest path of crate names from a workspace member (members
    /// tried in name order, dependencies in name and version order, so the path is stable).
    pub fn shortest_paths(&self) -> BTreeMap<String, Vec<String>> {
        let mut parent: Vec<Option<usize>> = vec![None; self.names.len()];
        let mut seen = vec![false; self.names.len()];
        let mut queue = VecDeque::new();
        for &m in &self.members {
            seen[m] = true;
            queue.push_back(m);
        }
        while let Some(at) = queue.pop_front() {
            let mut next: Vec<usize> = self.edges[at].iter().copied().collect();
            next.sort_by(|&a, &b| self.names[a].cmp(&self.names[b]));
            for to in next {
                if !seen[to] {
                    seen[to] = true;
                    parent[to] = Some(at);
                    queue.push_back(to);
                }
            }
        }
        let mut out = BTreeMap::new();
        for (i, reached) in seen.iter().enumerate() {
            if !reached || self.members.contains(&i) {
                continue;
            }
            let mut path = vec![self.names[i].0.clone()];
            let mut at = i;
            while let Some(p) = parent[at] {
                path.push(self.names[p].0.clone());
                at = p;
            }
            path.reverse();
            out.insert(self.keys[i].clone(), path);
        }
        out
    }

    /// Direct dependencies by key, for the SBOM.
    pub fn keyed_edges(&self) -> BTreeMap<String, BTreeSet<String>> {
        self.edges
            .iter()
            .enumerate()
            .filter(|(_, to)| !to.is_empty())
            .map(|(from, to)| {
                let to = to.iter().map(|&t| self.keys[t].clone()).collect();
                (self.keys[from].clone(), to)
            })
            .collect()
    }

    /// What the SBOM needs of the graph: members, edges and licenses; `applications` are the
    /// members with a binary target (`name@version`).
    pub fn sbom_graph(&self, name: String, applications: BTreeSet<String>) -> sbom::Graph {
        let member_key = |m: usize| format!("{}@{}", self.names[m].0, self.names[m].1);
        sbom::Graph {
            name,
            members: self
                .members
                .iter()
                .map(|&m| self.names[m].clone())
                .collect(),
            edges: self.keyed_edges(),
            applications,
            licenses: self
                .licenses
                .iter()
                .enumerate()
                .filter_map(|(i, l)| {
                    let key = if self.members.contains(&i) {
                        member_key(i)
                    } else {
                        self.keys[i].clone()
                    };
                    Some((key, l.clone()?))
                })
                .collect(),
        }
    }
}
