//! The dependency graph from `cargo metadata`: which packages there are, where they come from,
//! and by which kinds of dependency edges they are reached from the workspace members.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use cargo_metadata::{DependencyKind, Metadata};
use risk_report::model::{DepKind, Source};

use crate::plumbing::options::{PackageSpec, Scope};

/// One package of the graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphPackage {
    pub name: String,
    pub version: String,
    pub source: Source,
    /// The source exactly as cargo spells it (`registry+https://...`), for the lockfile lookup;
    /// `None` for path packages.
    pub source_id: Option<String>,
    /// The directory holding the package's Cargo.toml (registry `src/`, a vendor folder, a git
    /// checkout or a path dependency).
    pub manifest_dir: PathBuf,
    pub member: bool,
    /// A member the walk starts from: every member unless `-p` names some, less the excluded.
    pub root: bool,
    /// How it is reached from the members; empty for a member nothing else depends on.
    pub dep_kinds: BTreeSet<DepKind>,
    /// The same, by the name of the member each path starts from.
    pub reached_from: BTreeMap<String, BTreeSet<DepKind>>,
    /// The manifest's `license` expression and `license-file`, for the SBOM.
    pub license: Option<String>,
    pub license_file: Option<String>,
    /// It has a binary target: a member with one is an application in the SBOM.
    pub binary: bool,
}

/// The packages of one workspace, in `cargo metadata` order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    pub workspace_root: PathBuf,
    pub packages: Vec<GraphPackage>,
    /// By package index, the dependency edges the scope keeps: none into an excluded
    /// package, no dev edge under `exclude-dev`.
    pub edges: Vec<Vec<(usize, DepKind)>>,
    /// `-p` names that are no workspace member, and `--exclude` specs that match no package.
    pub unmatched_packages: Vec<String>,
    pub unmatched_exclude: Vec<String>,
}

impl Graph {
    /// The graph of the part of the workspace `scope` selects: the walk starts from the
    /// members `-p` names (all by default) and never enters an excluded package, so what only
    /// an excluded package reaches is left out with it.
    pub fn from_metadata(meta: &Metadata, scope: &Scope) -> Graph {
        let root = meta.workspace_root.as_std_path();
        let index: BTreeMap<&str, usize> = meta
            .packages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.repr.as_str(), i))
            .collect();
        let members: BTreeSet<usize> = meta
            .workspace_members
            .iter()
            .filter_map(|id| index.get(id.repr.as_str()).copied())
            .collect();
        let matches = |spec: &PackageSpec, i: usize| {
            let p = &meta.packages[i];
            *p.name == spec.name
                && spec
                    .version
                    .as_deref()
                    .is_none_or(|v| p.version.to_string() == v)
        };
        let excluded: BTreeSet<usize> = (0..meta.packages.len())
            .filter(|&i| scope.exclude.iter().any(|e| matches(e, i)))
            .collect();
        let unmatched_exclude = scope
            .exclude
            .iter()
            .filter(|e| !(0..meta.packages.len()).any(|i| matches(e, i)))
            .map(ToString::to_string)
            .collect();
        let unmatched_packages = scope
            .packages
            .iter()
            .filter(|n| !members.iter().any(|&m| *meta.packages[m].name == **n))
            .cloned()
            .collect();
        let roots: BTreeSet<usize> = members
            .iter()
            .copied()
            .filter(|&m| {
                scope.packages.is_empty() || scope.packages.contains(&meta.packages[m].name)
            })
            .filter(|m| !excluded.contains(m))
            .collect();

        let mut edges = vec![Vec::new(); meta.packages.len()];
        for node in meta.resolve.iter().flat_map(|r| &r.nodes) {
            let Some(&from) = index.get(node.id.repr.as_str()) else {
                continue;
            };
            for dep in &node.deps {
                let Some(&to) = index.get(dep.pkg.repr.as_str()) else {
                    continue;
                };
                if excluded.contains(&to) {
                    continue;
                }
                // Before cargo 1.41 `dep_kinds` was absent; an edge then is a normal one.
                if dep.dep_kinds.is_empty() {
                    edges[from].push((to, DepKind::Normal));
                }
                for info in &dep.dep_kinds {
                    let kind = match info.kind {
                        DependencyKind::Build => DepKind::Build,
                        DependencyKind::Development => DepKind::Dev,
                        // Unknown future kinds are counted as normal: over-reporting reach is
                        // safer than hiding a package.
                        _ => DepKind::Normal,
                    };
                    // Only members' dev edges are ever followed: under exclude-dev, none is.
                    if kind == DepKind::Dev && scope.exclude_dev {
                        continue;
                    }
                    edges[from].push((to, kind));
                }
            }
        }
        let reach = reach_by_member(&roots, &edges);

        let packages = meta
            .packages
            .iter()
            .zip(reach)
            .enumerate()
            .map(|(i, (p, by_member))| {
                let manifest_dir = p
                    .manifest_path
                    .parent()
                    .map(|d| d.as_std_path().to_owned())
                    .unwrap_or_default();
                let source = match &p.source {
                    None => Source::Path(relative_to(root, &manifest_dir)),
                    Some(s) => classify_source(&s.repr),
                };
                GraphPackage {
                    binary: p
                        .targets
                        .iter()
                        .any(|t| t.kind.contains(&cargo_metadata::TargetKind::Bin)),
                    name: p.name.to_string(),
                    version: p.version.to_string(),
                    source,
                    source_id: p.source.as_ref().map(|s| s.repr.clone()),
                    manifest_dir,
                    member: members.contains(&i),
                    root: roots.contains(&i),
                    dep_kinds: by_member.values().flatten().copied().collect(),
                    reached_from: by_member
                        .into_iter()
                        .map(|(m, k)| (meta.packages[m].name.to_string(), k))
                        .collect(),
                    license: p.license.clone(),
                    license_file: p.license_file.as_ref().map(ToString::to_string),
                }
            })
            .collect();
        Graph {
            workspace_root: root.to_owned(),
            packages,
            edges,
            unmatched_packages,
            unmatched_exclude,
        }
    }
}

/// The report's name for a cargo source id.
pub fn classify_source(repr: &str) -> Source {
    const CRATES_IO: [&str; 2] = [
        "registry+https://github.com/rust-lang/crates.io-index",
        "sparse+https://index.crates.io/",
    ];
    if CRATES_IO.contains(&repr) {
        Source::CratesIo
    } else if repr.starts_with("git+") {
        Source::Git(repr.to_owned())
    } else if let Some(path) = repr.strip_prefix("path+") {
        // Not produced for packages today (path packages have no source), kept total.
        Source::Path(path.to_owned())
    } else {
        Source::Registry(repr.to_owned())
    }
}

/// The state of the walk: how the package being expanded was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Via {
    /// A workspace member, expanded as a root: only here are dev-dependencies followed.
    Member,
    Kind(DepKind),
}

/// For each package, the set of kinds by which it is reached from the members.
///
/// The rules: a member's normal, build and dev edges give normal, build and dev. Below that,
/// a normal edge keeps the kind it was reached by; a build edge gives build, except under dev,
/// which stays dev (the whole subtree exists only for tests). Dev edges of non-members are not
/// part of any build of the workspace and are not followed. A package reached several ways
/// gets every kind.
pub fn reach_kinds(
    members: &BTreeSet<usize>,
    edges: &[Vec<(usize, DepKind)>],
) -> Vec<BTreeSet<DepKind>> {
    reach_by_member(members, edges)
        .into_iter()
        .map(|by| by.into_values().flatten().collect())
        .collect()
}

/// [`reach_kinds`], split by the member each path starts from: for each package, member index
/// to the kinds by which that member reaches it.
pub fn reach_by_member(
    members: &BTreeSet<usize>,
    edges: &[Vec<(usize, DepKind)>],
) -> Vec<BTreeMap<usize, BTreeSet<DepKind>>> {
    let mut reach = vec![BTreeMap::<usize, BTreeSet<DepKind>>::new(); edges.len()];
    for &member in members {
        let mut seen = BTreeSet::new();
        let mut stack = vec![(member, Via::Member)];
        while let Some((node, via)) = stack.pop() {
            if !seen.insert((node, via)) {
                continue;
            }
            if let Via::Kind(k) = via {
                reach[node].entry(member).or_default().insert(k);
            }
            for &(to, edge) in &edges[node] {
                let next = match (via, edge) {
                    (Via::Member, e) => e,
                    (Via::Kind(_), DepKind::Dev) => continue,
                    (Via::Kind(DepKind::Dev), _) => DepKind::Dev,
                    (Via::Kind(_), DepKind::Build) => DepKind::Build,
                    (Via::Kind(k), DepKind::Normal) => k,
                };
                stack.push((to, Via::Kind(next)));
            }
        }
    }
    reach
}

/// `path` relative to `base`, `/`-separated, with `..` where it lies outside; `.` for `base`
/// itself. Never absolute: when no relative form exists (another drive), the last component.
pub fn relative_to(base: &Path, path: &Path) -> String {
    let base: Vec<Component<'_>> = base.components().collect();
    let target: Vec<Component<'_>> = path.components().collect();
    if base.first() != target.first() {
        return path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| ".".to_owned());
    }
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); base.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DepKind::{Build, Dev, Normal};

    fn set(k: &[DepKind]) -> BTreeSet<DepKind> {
        k.iter().copied().collect()
    }

    #[test]
    fn kinds_follow_the_edges_from_the_members() {
        // 0 app (member) -> 1 normal, 2 build, 3 dev
        // 1 -> 4 build (a normal package's build script dep), 1 -> 5 normal
        // 2 -> 6 normal (a build dep's dep stays build)
        // 3 -> 7 normal, 3 -> 8 build (everything under dev stays dev)
        // 5 -> 9 dev (a non-member's dev edge is not followed)
        // 3 -> 5 normal: 5 is both normal and dev
        let mut edges = vec![Vec::new(); 10];
        edges[0] = vec![(1, Normal), (2, Build), (3, Dev)];
        edges[1] = vec![(4, Build), (5, Normal)];
        edges[2] = vec![(6, Normal)];
        edges[3] = vec![(7, Normal), (8, Build), (5, Normal)];
        edges[5] = vec![(9, Dev)];
        let kinds = reach_kinds(&[0].into(), &edges);
        assert_eq!(kinds[0], set(&[]));
        assert_eq!(kinds[1], set(&[Normal]));
        assert_eq!(kinds[2], set(&[Build]));
        assert_eq!(kinds[3], set(&[Dev]));
        assert_eq!(kinds[4], set(&[Build]));
        assert_eq!(kinds[5], set(&[Normal, Dev]));
        assert_eq!(kinds[6], set(&[Build]));
        assert_eq!(kinds[7], set(&[Dev]));
        assert_eq!(kinds[8], set(&[Dev]));
        assert_eq!(kinds[9], set(&[]));
    }

    #[test]
    fn members_depending_on_members_and_cycles() {
        // 0 and 1 are members; 0 build-depends on 1; 1 normal-depends on 2; 2 <-> 3 cycle
        // through a dev edge of a member back to 2.
        let mut edges = vec![Vec::new(); 4];
        edges[0] = vec![(1, Build)];
        edges[1] = vec![(2, Normal), (3, Dev)];
        edges[2] = vec![(3, Normal)];
        edges[3] = vec![(2, Normal)];
        let kinds = reach_kinds(&[0, 1].into(), &edges);
        assert_eq!(kinds[0], set(&[]));
        assert_eq!(kinds[1], set(&[Build]));
        // 2 is normal through member 1, build through 0 -> 1, dev through 1 -> 3 -> 2.
        assert_eq!(kinds[2], set(&[Normal, Build, Dev]));
        assert_eq!(kinds[3], set(&[Normal, Build, Dev]));
    }

    #[test]
    fn reach_is_split_by_the_member_it_starts_from() {
        // members 0 and 1; 0 -> 2 normal; 1 -> 2 dev; 1 -> 3 build
        let mut edges = vec![Vec::new(); 4];
        edges[0] = vec![(2, Normal)];
        edges[1] = vec![(2, Dev), (3, Build)];
        let reach = reach_by_member(&[0, 1].into(), &edges);
        assert_eq!(reach[2], [(0, set(&[Normal])), (1, set(&[Dev]))].into());
        assert_eq!(reach[3], [(1, set(&[Build]))].into());
        assert!(reach[0].is_empty());
    }

    #[test]
    fn relative_paths_never_absolute() {
        let root = Path::new("/w/ws");
        assert_eq!(relative_to(root, Path::new("/w/ws")), ".");
        assert_eq!(relative_to(root, Path::new("/w/ws/crates/a")), "crates/a");
        assert_eq!(relative_to(root, Path::new("/w/other/b")), "../other/b");
        assert_eq!(relative_to(root, Path::new("/x")), "../../x");
    }

    #[test]
    fn sources_are_classified() {
        assert_eq!(
            classify_source("registry+https://github.com/rust-lang/crates.io-index"),
            Source::CratesIo
        );
        assert_eq!(
            classify_source("sparse+https://index.crates.io/"),
            Source::CratesIo
        );
        assert_eq!(
            classify_source("git+https://e.com/r.git?branch=x#abc"),
            Source::Git("git+https://e.com/r.git?branch=x#abc".into())
        );
        assert_eq!(
            classify_source("sparse+https://my.example/index/"),
            Source::Registry("sparse+https://my.example/index/".into())
        );
    }
}
