//! Robustness: fallback modes, stack safety, determinism.

#![allow(clippy::unwrap_used)]

use risk_report::facts::{Kind, Origin, Parse};

use super::syn_engine::depth::MAX_VISIT_DEPTH;
use super::tests::scan;
use super::{MAX_NESTING, Mode, STACK_BYTES, scan_source_with};

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
                " + 1".repeat(MAX_VISIT_DEPTH as usize - 100)
            ),
        ),
        (
            "methods",
            format!(
                "fn f() {{ let x = unsafe {{ y }}{}; }}",
                ".a()".repeat(MAX_VISIT_DEPTH as usize / 2 - 100)
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
            "fn f() {{ let x = unsafe {{ 1 }}{}; }}",
            " + 1".repeat(10_000)
        ),
        format!(
            "fn f() {{ let x = unsafe {{ y }}{}; }}",
            ".a()".repeat(10_000)
        ),
        format!("fn f() {{ let x = {}unsafe {{ y }}; }}", "-".repeat(10_000)),
        format!(
            "fn f() {{ if a {{}} {}else {{ unsafe {{}} }} }}",
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

fn fallback_error(facts: &risk_report::facts::FileFacts) -> (String, String) {
    match &facts.parse {
        Parse::Fallback { error, lexer } => (error.clone(), lexer.clone()),
        other => panic!("expected a fallback, got {other:?}"),
    }
}

#[test]
fn syntax_error_goes_through_the_proc_macro2_fallback() {
    let src = r#"
use std::fs as f;
unsafe fn broken() { let = unsafe; }
fn g() {
    unsafe { f::read("x") };
    // unsafe { in a comment }
    let s = "unsafe { in a string }";
}
#[cfg(test)]
mod tests { fn t() { unsafe {} } }
#[cfg(test)] mod more;
"#;
    let facts = scan(src);
    let (error, lexer) = fallback_error(&facts);
    assert_eq!(lexer, "proc-macro2");
    assert!(error.starts_with("3:"), "{error}");
    let got: Vec<_> = facts
        .findings
        .iter()
        .map(|f| (f.kind, f.detail.as_deref(), f.origin, f.test, f.line))
        .collect();
    assert_eq!(
        got,
        vec![
            (Kind::UnsafeFn, None, Origin::Fallback, false, 3),
            (Kind::UnsafeBlock, None, Origin::Fallback, false, 5),
            (Kind::Fs, Some("std::fs::read"), Origin::Fallback, false, 5),
            (Kind::UnsafeBlock, None, Origin::Fallback, true, 10),
        ]
    );
}

#[test]
fn unlexable_file_goes_through_the_plain_lexer() {
    // an unbalanced delimiter makes proc-macro2 give up
    let src = r##"
use std::env;
/* nested /* unsafe {} */ still comment */
fn g() { let r = r#"unsafe { }"#; let c = '{'; let b = b"unsafe {"; let l: &'static str = "";
    unsafe { env::set_var("A", "1") }
    extern "C" { fn f(); }
    static mut X: u8 = 0;
    #[no_mangle] fn h() {}
"##;
    let facts = scan(src);
    let (_, lexer) = fallback_error(&facts);
    assert_eq!(lexer, "plain");
    let got: Vec<_> = facts
        .findings
        .iter()
        .map(|f| (f.kind, f.line, f.col, f.origin))
        .collect();
    assert_eq!(
        got,
        vec![
            (Kind::UnsafeBlock, 5, 5, Origin::Fallback),
            (Kind::EnvWrite, 5, 14, Origin::Fallback),
            (Kind::ExternBlock, 6, 5, Origin::Fallback),
            (Kind::StaticMut, 7, 5, Origin::Fallback),
            (Kind::NoMangle, 8, 5, Origin::Fallback),
        ]
    );
}

#[test]
fn edition_2015_bare_trait_objects() {
    // syn 3 rejects trait objects without `dyn`. This item holds no name a rule looks at, so
    // the rest of the file is parsed without it and its findings are exact.
    let src = "type F = Fn(u8) + Send;\nfn f() { unsafe {} }\n";
    for mode in [Mode::Fast, Mode::Exhaustive] {
        let facts = scan_source_with("x.rs", src, mode);
        assert_eq!(facts.parse, Parse::Parsed, "{mode:?}");
        let got = placed(&facts);
        assert_eq!(got, [(2, Kind::UnsafeBlock, Origin::Syntax)], "{mode:?}");
    }
    // When the rejected item does hold such a name (`unsafe`), the token scan takes the whole
    // file.
    let src = "fn g(x: Box<Fn(u8)>) { unsafe {} }\nfn f() { unsafe {} }\n";
    let facts = scan(src);
    let (error, lexer) = fallback_error(&facts);
    assert_eq!(
        (error.as_str(), lexer.as_str()),
        ("1:15: expected `,`", "proc-macro2")
    );
    let got = placed(&facts);
    assert_eq!(
        got,
        [
            (1, Kind::UnsafeBlock, Origin::Fallback),
            (2, Kind::UnsafeBlock, Origin::Fallback)
        ]
    );
}

#[test]
fn token_rules_in_fallback_mirror_syntax_rules() {
    let src = r#"
use std::{fs, net::TcpStream as T};
use libc::*;
mod local { }
fn f(x: T) -> T {
    unsafe fn inner() {}
    let p: unsafe fn() = inner;
    let s: &'static mut u8 = todo!();
    T::connect("a");
    fs::read("x");
    local::read();
    x.read();
    open(p);
    std::mem::transmute::<u8, i8>(1);
    include_bytes!("a.bin");
    core::arch::asm!("nop");
    unsafe impl Send for X {}
}
}
"#;
    let facts = scan(src);
    fallback_error(&facts);
    let got: Vec<_> = facts
        .findings
        .iter()
        .map(|f| (f.kind, f.detail.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Kind::UnsafeFn, None),
            (Kind::Net, Some("std::net::TcpStream::connect")),
            (Kind::Fs, Some("std::fs::read")),
            (Kind::Ffi, Some("libc::open")),
            (Kind::Transmute, Some("std::mem::transmute")),
            (Kind::IncludeBytes, Some("a.bin")),
            (Kind::InlineAsm, Some("core::arch::asm")),
            (Kind::UnsafeImpl, None),
        ]
    );
}

#[test]
fn findings_are_sorted_and_deterministic() {
    let src = r#"
use std::fs;
fn a() { unsafe { fs::read(fs::read("x")) }; }
#[no_mangle] extern "C" fn b() { let _ = (std::env::var("X"), unsafe { 1 }); }
"#;
    let first = scan(src);
    for _ in 0..3 {
        assert_eq!(scan(src), first);
    }
    let mut sorted = first.findings.clone();
    sorted.sort_by(|x, y| {
        (x.line, x.col, x.kind, &x.detail).cmp(&(y.line, y.col, y.kind, &y.detail))
    });
    assert_eq!(first.findings, sorted);
    assert_eq!(first.findings.len(), 6);
    // and the same from several threads at once
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let src = src.to_string();
            std::thread::spawn(move || scan(&src))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), first);
    }
}

#[test]
fn empty_and_odd_inputs() {
    for src in [
        "",
        "\n",
        "\u{feff}",
        "#!",
        "#!/bin/sh",
        "'",
        "\"",
        "r#\"",
        "/*",
        "b'",
        "'\\",
    ] {
        let facts = scan(src);
        assert!(facts.findings.is_empty(), "{src:?}");
    }
}

#[test]
fn cargo_script_frontmatter_is_not_a_parse_error() {
    let src = "---\n[dependencies]\nlibc = \"0.2\"\n---\n\nfn main() {\n    unsafe { libc::getpid(); }\n}\n";
    let facts = scan(src);
    assert_eq!(facts.parse, Parse::Parsed);
    let lines: Vec<(u32, Kind)> = facts.findings.iter().map(|f| (f.line, f.kind)).collect();
    assert_eq!(lines, [(7, Kind::UnsafeBlock), (7, Kind::Ffi)]);
    // An unclosed fence is left alone: syn decides.
    assert!(matches!(
        scan("---\nfn main() { unsafe {} }\n").parse,
        Parse::Fallback { .. }
    ));
}

#[test]
fn identifiers_starting_with_underscore_are_one_token() {
    // the plain lexer used to split `__x` into `_`, `_`, `x`, so a macro body never saw the
    // call to the extern function
    let src = "extern \"C\" { fn __x(); }\nfn f() { m!(@ __x()); let _ = 1; }\n";
    let facts = scan(src);
    let got = placed(&facts);
    assert_eq!(
        got,
        [
            (1, Kind::ExternBlock, Origin::Syntax),
            (2, Kind::Ffi, Origin::MacroTokens)
        ]
    );
}

#[test]
fn line_count_matches_str_lines() {
    for text in ["", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\n", "é\nü"] {
        assert_eq!(
            super::line_count(text) as usize,
            text.lines().count(),
            "{text:?}"
        );
    }
}

/// (line, kind, origin) of each finding.
fn placed(facts: &risk_report::facts::FileFacts) -> Vec<(u32, Kind, Origin)> {
    facts
        .findings
        .iter()
        .map(|f| (f.line, f.kind, f.origin))
        .collect()
}
