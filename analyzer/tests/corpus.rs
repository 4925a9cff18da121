//! The corpus: every folder of `corpus/` is packed into a `.crate`-shaped tarball in memory,
//! scanned, and checked two ways:
//! - against the `//~ code` markers in its sources (every finding has a marker on its line,
//!   every marker a finding), and
//! - against its checked-in `expected.txt`, the full reviewable listing of its facts.
//!
//! `UPDATE_EXPECT=1 cargo test -p risk-analyzer --test corpus` rewrites the `expected.txt`
//! files; review the diff like code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use risk_analyzer::{Limits, scan_crate_tarball};
use risk_report::facts::{CrateFacts, Parse};
use risk_report::facts_text;

/// `(line, code)` pairs of the `//~` markers in a source text.
fn markers(text: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some((_, codes)) = line.split_once("//~") {
            for code in codes.split(',') {
                let code = code.trim();
                if !code.is_empty() {
                    out.push((i as u32 + 1, code.to_string()));
                }
            }
        }
    }
    out.sort();
    out
}

fn check_markers(
    case: &Path,
    files: &BTreeMap<String, Vec<u8>>,
    facts: &CrateFacts,
) -> Vec<String> {
    let mut problems = Vec::new();
    for file in &facts.files {
        let text = String::from_utf8_lossy(&files[&file.path]);
        let want = markers(&text);
        let mut got: Vec<(u32, String)> = file
            .findings
            .iter()
            .map(|f| (f.line, f.kind.code().to_string()))
            .collect();
        got.sort();
        if want != got {
            let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
            let extra: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
            problems.push(format!(
                "{}/{}: markers without a finding {missing:?}; findings without a marker {extra:?}",
                case.display(),
                file.path
            ));
        }
    }
    problems
}

#[test]
fn corpus_matches_markers_and_expected_facts() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let cases = testkit::corpus_cases();
    assert!(
        cases.len() >= 10,
        "the corpus has only {} cases",
        cases.len()
    );
    let mut problems = Vec::new();
    for case in &cases {
        let files = testkit::read_tree(case, &["expected.txt"]);
        let (root, gz) = testkit::pack_crate(&files);
        let facts = scan_crate_tarball(&gz, Some(&root), &Limits::default());
        assert!(
            facts.not_analyzed.is_none(),
            "{}: {:?}",
            case.display(),
            facts.not_analyzed
        );
        problems.extend(check_markers(case, &files, &facts));

        let rendered = facts_text::render(&facts);
        let expected_path = case.join("expected.txt");
        if update {
            std::fs::write(&expected_path, &rendered).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != rendered {
            problems.push(format!(
                "{}: facts differ from expected.txt (UPDATE_EXPECT=1 to rewrite, then review)\n{}",
                case.display(),
                testkit::line_diff(&expected, &rendered)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn every_rs_file_of_the_corpus_is_parsed_or_deliberately_broken() {
    for case in testkit::corpus_cases() {
        let files = testkit::read_tree(&case, &["expected.txt"]);
        let (root, gz) = testkit::pack_crate(&files);
        let facts = scan_crate_tarball(&gz, Some(&root), &Limits::default());
        let broken = case
            .file_name()
            .unwrap()
            .to_string_lossy()
            .contains("broken")
            || case.file_name().unwrap().to_string_lossy().contains("2015");
        for f in &facts.files {
            if !broken {
                assert_eq!(f.parse, Parse::Parsed, "{}/{}", case.display(), f.path);
            }
        }
    }
}

#[test]
fn one_thread_and_many_threads_give_the_same_facts() {
    let cases = testkit::corpus_cases();
    let packed: Vec<(String, Vec<u8>)> = cases
        .iter()
        .map(|c| testkit::pack_crate(&testkit::read_tree(c, &["expected.txt"])))
        .collect();
    let scan_all = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            packed
                .iter()
                .map(|(root, gz)| scan_crate_tarball(gz, Some(root), &Limits::default()))
                .collect::<Vec<_>>()
        })
    };
    assert_eq!(scan_all(1), scan_all(4));
}
