//! Robustness: fallback modes, stack safety, determinism.

#![allow(clippy::unwrap_used)]

use risk_report::facts::{Kind, Origin, Parse};

use super::tests::scan;
use super::{MAX_CHAIN, MAX_NESTING, STACK_BYTES};

/// Runs `f` on a thread with the given stack.
fn on_stack<T: Send + 'static>(bytes: usize, f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(bytes)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// The default stack of `std::thread::spawn`.
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    on_stack(2 * 1024 * 1024, f)
}

fn just_under_limits() -> Vec<(&'static str, String)> {
    let n = MAX_NESTING - 8;
    vec![
        (
            "parens",
            format!(
                "fn f() {{ let x = {}unsafe {{ 1 }}{}; }}",
                "(".repeat(n),
                ")".repeat(n)
            ),
        ),
        (
            "brackets",
            format!(
                "fn f() {{ let x = {}unsafe {{ 1 }}{}; }}",
                "[".repeat(n),
                "]".repeat(n)
            ),
        ),
        (
            "blocks",
            format!(
                "fn f() {{ {}unsafe {{ 1 }}{} }}",
                "{".repeat(n),
                "}".repeat(n)
            ),
        ),
        (
            "types",
            format!(
                "type T = {}u8{}; fn f() {{ unsafe {{ }} }}",
                "Vec<".repeat(n),
                ">".repeat(n)
            ),
        ),
        (
            "unary",
            format!("fn f() {{ let x = {}unsafe {{ true }}; }}", "!".repeat(n)),
        ),
        (
            "binary",
            format!(
                "fn f() {{ let x = 1{} + unsafe {{ 1 }}; }}",
                " + 1".repeat(MAX_CHAIN / 2 - 8)
            ),
        ),
        (
            "methods",
            format!(
                "fn f() {{ let x = unsafe {{ y }}{}; }}",
                ".a()".repeat(MAX_CHAIN / 2 - 8)
            ),
        ),
        (
            "else-if",
            format!(
                "fn f() {{ if a {{}} {} else {{ unsafe {{}} }} }}",
                "else if a {} ".repeat(1000)
            ),
        ),
    ]
}

#[test]
fn deep_but_allowed_inputs_parse_in_a_worker_stack() {
    for (name, src) in just_under_limits() {
        let facts = on_stack(STACK_BYTES, move || scan(&src));
        assert_eq!(facts.parse, Parse::Parsed, "{name}");
        assert_eq!(facts.findings.len(), 1, "{name}");
        assert_eq!(facts.findings[0].kind, Kind::UnsafeBlock, "{name}");
    }
}

#[test]
fn ten_thousand_deep_nesting_does_not_crash() {
    for (open, close) in [("(", ")"), ("[", "]"), ("{", "}"), ("Vec<", ">")] {
        let n = 10_000;
        let src = format!(
            "fn f() {{ let x = {}unsafe {{ 1 }}{}; }}",
            open.repeat(n),
            close.repeat(n)
        );
        let facts = small_stack(move || scan(&src));
        match &facts.parse {
            Parse::Fallback { error, lexer } => {
                assert_eq!(error, &format!("nesting deeper than {MAX_NESTING}"));
                assert_eq!(lexer, "proc-macro2");
            }
            other => panic!("{open}: {other:?}"),
        }
        let unsafe_blocks: Vec<_> = facts
            .findings
            .iter()
            .filter(|f| f.kind == Kind::UnsafeBlock)
            .collect();
        assert_eq!(unsafe_blocks.len(), 1, "{open}");
        assert_eq!(unsafe_blocks[0].origin, Origin::Fallback);
    }
    // operator chains and prefix runs
    for src in [
        format!(
            "fn f() {{ let x = 1{}; unsafe {{}} }}",
            " + 1".repeat(10_000)
        ),
        format!(
            "fn f() {{ let x = y{}; unsafe {{}} }}",
            ".a()".repeat(10_000)
        ),
        format!("fn f() {{ let x = {}y; unsafe {{}} }}", "-".repeat(10_000)),
        format!(
            "fn f() {{ if a {{}} {} unsafe {{}} }}",
            "else if a {} ".repeat(10_000)
        ),
    ] {
        let facts = small_stack(move || scan(&src));
        assert!(
            matches!(facts.parse, Parse::Fallback { .. }),
            "{:?}",
            facts.parse
        );
        assert_eq!(
            facts
                .findings
                .iter()
                .filter(|f| f.kind == Kind::UnsafeBlock)
                .count(),
            1
        );
    }
}
