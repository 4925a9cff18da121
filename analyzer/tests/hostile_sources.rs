//! Hostile source files, built at test time: odd encodings, huge lines, nesting tens of
//! thousands deep on a 2 MiB stack, macro soup. The scan always finishes, never aborts the
//! process, and says how it read the file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use risk_analyzer::source::scan_source;
use risk_analyzer::{Limits, Mode, scan_crate_tarball};
use risk_report::facts::{FileFacts, Kind, Parse};
use testkit::Tarball;

/// `std::thread::spawn`'s default stack: the scanner must not need the big worker stacks
/// for input it refuses to hand to syn.
const SMALL_STACK: usize = 2 * 1024 * 1024;

fn on_small_stack(src: String) -> FileFacts {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || scan_source("src/lib.rs", &src))
        .unwrap()
        .join()
        .expect("the scan overflowed or panicked")
}

fn count(f: &FileFacts, kind: Kind) -> usize {
    f.findings.iter().filter(|x| x.kind == kind).count()
}

fn timed(what: &str, src: String) -> FileFacts {
    let started = Instant::now();
    let facts = on_small_stack(src);
    eprintln!(
        "{what}: {:?} ({:?})",
        started.elapsed(),
        parse_label(&facts)
    );
    facts
}

fn parse_label(f: &FileFacts) -> &'static str {
    match f.parse {
        Parse::Parsed => "parsed",
        Parse::Fallback { .. } => "fallback",
        Parse::NotAnalyzed { .. } => "not analyzed",
    }
}

#[test]
fn nesting_fifty_thousand_deep_on_a_small_stack() {
    let n = 50_000;
    for (open, close) in [
        ("(", ")"),
        ("[", "]"),
        ("{", "}"),
        ("Vec<", ">"),
        ("m!(", ")"),
    ] {
        let src = format!(
            "fn f() {{ let x = {}unsafe {{ 1 }}{}; }}\n",
            open.repeat(n),
            close.repeat(n)
        );
        let facts = timed(&format!("{n} x {open}"), src);
        assert!(matches!(facts.parse, Parse::Fallback { .. }), "{open}");
        assert_eq!(count(&facts, Kind::UnsafeBlock), 1, "{open}");
    }
    // blocks as statements, and nested modules and closures
    let blocks = format!(
        "fn f() {{ {}unsafe {{}}{} }}",
        "{ ".repeat(n),
        "} ".repeat(n)
    );
    let mods = format!(
        "{}unsafe fn g() {{}}{}",
        "mod m { ".repeat(n),
        "}".repeat(n)
    );
    let closures = format!("fn f() {{ let c = {}unsafe {{}}; }}", "|| ".repeat(n));
    for (what, src) in [("blocks", blocks), ("mods", mods), ("closures", closures)] {
        let facts = timed(what, src);
        assert_eq!(
            count(&facts, Kind::UnsafeBlock) + count(&facts, Kind::UnsafeFn),
            1,
            "{what}"
        );
    }
}

/// Macro invocations nested fifty thousand deep, their bodies items syn leaves to the token
/// scan: the fast path reads each token of them a bounded number of times (it walked every
/// body again for each body around it: 20 000 deep took 70-130 s, now tens of milliseconds).
#[test]
fn macro_bodies_fifty_thousand_deep() {
    let n = 50_000;
    let nest = |open: &str, middle: &str, close: &str| {
        format!("{}{middle}{}", open.repeat(n), close.repeat(n))
    };
    let cases = [
        ("m!(fn a() {}", nest("m!(fn a() {} ", "unsafe {}", ")"), 1),
        ("m!{fn a() {}", nest("m!{fn a() {} ", "unsafe {}", "}"), 1),
        (
            "m!(fn a(); std::fs",
            nest("m!(fn a(); ", "std::fs::read(\"x\")", ")"),
            1,
        ),
        (
            "mod m { m!{",
            nest("mod m { m!{ fn a() {} ", "unsafe fn g() {}", "} }"),
            1,
        ),
    ];
    for (what, src, expected) in cases {
        let facts = timed(what, src);
        let found = facts
            .findings
            .iter()
            .filter(|f| matches!(f.kind, Kind::UnsafeBlock | Kind::UnsafeFn | Kind::Fs))
            .count();
        assert_eq!(found, expected, "{what}: {:?}", facts.findings);
    }
}

/// `extern` blocks inside `extern` blocks, and `use` items inside the groups of `use` items
/// (which the tree reader gives up on): the fast path read every nested one again to the end
/// of the outermost (100 000 deep, a fast and an exhaustive scan together, release: 63 s
/// and 532 s), now each token once.
#[test]
fn nested_extern_blocks_and_uses_fifty_thousand_deep() {
    let n = 50_000;
    let externs = format!("{}fn f();{}", "extern \"C\" { ".repeat(n), "}".repeat(n));
    let facts = timed("extern in extern", externs);
    assert_eq!(count(&facts, Kind::ExternBlock), n);
    let uses = format!(
        "{}env{}\nfn f() {{ unsafe {{}} }}\n",
        "use std::{fs, ".repeat(n),
        "}".repeat(n) + ";"
    );
    let facts = timed("use in use", uses);
    assert_eq!(count(&facts, Kind::UnsafeBlock), 1);
}

/// `use` groups nested fifty thousand deep with no segment between them: the fast path's
/// tree reader recursed once per group, unbounded, and overflowed the stack (aborting the
/// run); it now gives up past a depth and the file goes to the token scan.
#[test]
fn use_groups_fifty_thousand_deep() {
    let n = 50_000;
    for open in ["{", "{self, ", "{a::b, "] {
        let src = format!(
            "use std::{}fs{};\nfn f() {{ unsafe {{}} }}\n",
            open.repeat(n),
            "}".repeat(n)
        );
        let facts = timed(open, src);
        assert!(matches!(facts.parse, Parse::Fallback { .. }), "{open}");
        assert_eq!(count(&facts, Kind::UnsafeBlock), 1, "{open}");
    }
}

/// Recursion in syn without a single bracket: each of these overflowed a 2 MiB stack (and
/// the 64 MiB workers too, at this depth) before the pre-check counted it.
#[test]
fn bracket_free_recursion_fifty_thousand_deep() {
    let n = 50_000;
    let cases = [
        (
            "closures |a|",
            format!("fn f() {{ let c = {}unsafe {{}}; }}", "|a| ".repeat(n)),
        ),
        (
            "move ||",
            format!("fn f() {{ let c = {}unsafe {{}}; }}", "move || ".repeat(n)),
        ),
        (
            "return",
            format!("fn f() {{ {}unsafe {{}}; }}", "return ".repeat(n)),
        ),
        (
            "&mut",
            format!("fn f() {{ let c = {}unsafe {{}}; }}", "&mut ".repeat(n)),
        ),
        (
            "*const",
            format!(
                "fn f() {{ let t: {}u8 = unsafe {{}}; }}",
                "*const ".repeat(n)
            ),
        ),
        (
            "fn() ->",
            format!(
                "fn f() {{ let t: {}u8 = unsafe {{}}; }}",
                "fn() -> ".repeat(n)
            ),
        ),
        (
            "a = b = ..",
            format!("fn f() {{ {}unsafe {{}}; }}", "a = ".repeat(n)),
        ),
        (
            ".. .. x",
            format!("fn f() {{ let c = {}unsafe {{}}; }}", ".. ".repeat(n)),
        ),
        (
            "let chains",
            format!(
                "fn f() {{ if {}x {{ unsafe {{}} }} }}",
                "let a = ".repeat(n)
            ),
        ),
        (
            "a @ b @ ..",
            format!(
                "fn f() {{ match x {{ {}_ => {{ unsafe {{}} }} }} }}",
                "a @ ".repeat(n)
            ),
        ),
        (
            "box patterns",
            format!(
                "fn f() {{ match x {{ {}_ => {{ unsafe {{}} }} }} }}",
                "box ".repeat(n)
            ),
        ),
        (
            "return {x} +",
            format!("fn f() {{ {}unsafe {{}}; }}", "return {x} + ".repeat(n)),
        ),
    ];
    for (what, src) in cases {
        let facts = timed(what, src);
        assert!(matches!(facts.parse, Parse::Fallback { .. }), "{what}");
        assert_eq!(count(&facts, Kind::UnsafeBlock), 1, "{what}");
    }
    // In an item or a statement no rule looks into, the depth costs nothing: the rest is
    // parsed without it (in both modes).
    let item = format!(
        "type T = {}u8;\nfn f() {{ unsafe {{}} }}",
        "*const ".repeat(n)
    );
    let statement = format!("fn f() {{ let c = {}x; unsafe {{}} }}", "|a| ".repeat(n));
    for src in [item, statement] {
        for mode in [Mode::Fast, Mode::Exhaustive] {
            let facts = risk_analyzer::source::scan_source_with("src/lib.rs", &src, mode);
            assert_eq!(facts.parse, Parse::Parsed, "{mode:?}");
            assert_eq!(count(&facts, Kind::UnsafeBlock), 1, "{mode:?}");
        }
    }
}

#[test]
fn operator_and_method_chains_a_hundred_thousand_long() {
    let n = 100_000;
    let cases = [
        (
            "1 + 1 + ...",
            format!("fn f() {{ let x = 1{}; unsafe {{}} }}", "+1".repeat(n)),
        ),
        (
            "a.b().c()...",
            format!("fn f() {{ let x = y{}; unsafe {{}} }}", ".a()".repeat(n)),
        ),
        (
            "x as T as ...",
            format!("fn f() {{ let x = y{}; unsafe {{}} }}", " as u8".repeat(n)),
        ),
        (
            "a && b && ...",
            format!("fn f() {{ let x = a{}; unsafe {{}} }}", "&&a".repeat(n)),
        ),
        (
            "a = b = ...",
            format!("fn f() {{ a{}; unsafe {{}} }}", "=a".repeat(n)),
        ),
        (
            "a? ? ...",
            format!("fn f() {{ let x = a{}; unsafe {{}} }}", "?".repeat(n)),
        ),
        (
            "x[0][0]...",
            format!("fn f() {{ let x = a{}; unsafe {{}} }}", "[0]".repeat(n)),
        ),
        (
            "f()()...",
            format!("fn f() {{ let x = a{}; unsafe {{}} }}", "()".repeat(n)),
        ),
        (
            "else if ...",
            format!(
                "fn f() {{ if a {{}}{} unsafe {{}} }}",
                " else if a {}".repeat(n)
            ),
        ),
    ];
    for (what, src) in cases {
        let facts = timed(what, src);
        assert_eq!(count(&facts, Kind::UnsafeBlock), 1, "{what}");
    }
}

#[test]
fn bom_crlf_and_nul_bytes() {
    let bom = scan_source("src/a.rs", "\u{feff}fn f() {\n    unsafe {}\n}\n");
    assert_eq!(bom.parse, Parse::Parsed);
    assert_eq!((bom.findings[0].line, bom.findings[0].col), (2, 5));

    let crlf = scan_source("src/b.rs", "fn f() {\r\n    unsafe {}\r\n}\r\n// \r\r\r\n");
    assert_eq!(crlf.parse, Parse::Parsed);
    assert_eq!((crlf.findings[0].line, crlf.findings[0].col), (2, 5));

    // NUL in a string is fine for rustc and for us; NUL in code is a syntax error.
    let nul_str = scan_source("src/c.rs", "fn f() { let s = \"\0\"; unsafe {} }\n");
    assert_eq!(nul_str.parse, Parse::Parsed);
    let nul_code = scan_source("src/d.rs", "fn f() { \0 unsafe {} }\0\0\0\n");
    assert!(matches!(nul_code.parse, Parse::Fallback { .. }));
    assert_eq!(count(&nul_code, Kind::UnsafeBlock), 1);
    let all_nul = scan_source("src/e.rs", &"\0".repeat(10_000));
    assert!(all_nul.findings.is_empty());
    // the fast path blanks comments, but never an unclosed one: still a syntax error
    for open in ["/* open", "/* /* nested */ still open", "/*/"] {
        let text = format!("/// doc\nfn f() {{ unsafe {{}} }}\n{open}\n");
        let facts = scan_source("src/f.rs", &text);
        assert!(matches!(facts.parse, Parse::Fallback { .. }), "{open}");
        assert_eq!(count(&facts, Kind::UnsafeBlock), 1);
    }
}

#[test]
fn invalid_utf8_is_a_file_not_analyzed_with_the_offset() {
    let gz = Tarball::new()
        .file(
            "odd-1.0.0/Cargo.toml",
            b"[package]\nname = \"odd\"\nversion = \"1.0.0\"\n",
        )
        .file(
            "odd-1.0.0/src/lib.rs",
            b"fn f() {}\n// caf\xe9 in Latin-1\n",
        )
        .gz();
    let facts = scan_crate_tarball(&gz, Some("odd-1.0.0"), &Limits::default());
    assert_eq!(
        facts.files[0].parse,
        Parse::NotAnalyzed {
            reason: "not valid UTF-8 (first bad byte at offset 16)".into()
        }
    );
}

#[test]
fn one_long_line_scans_in_linear_time() {
    // 100 MB is measured by hand (see the README); a few MB here keep the test quick in debug
    // builds, where syn takes about 4 s per MB of statements.
    let size = 1 << 20;
    let stmt = "unsafe { std::fs::read(\"x\") }; ";
    let body = stmt.repeat(size / stmt.len());
    let facts = timed(
        "1 MB of statements on one line",
        format!("fn f() {{ {body} }}"),
    );
    assert_eq!(count(&facts, Kind::UnsafeBlock), size / stmt.len());
    assert_eq!(facts.lines, 1);

    let size = 8 << 20;
    let string = format!(
        "const S: &str = \"{}\"; fn f() {{ unsafe {{}} }}",
        "a".repeat(size)
    );
    let facts = timed("8 MB string literal", string);
    assert_eq!(count(&facts, Kind::UnsafeBlock), 1);

    let comment = format!(
        "// {}\nfn f() {{ unsafe {{}} }}",
        "\u{202e}x".repeat(size / 4)
    );
    let facts = timed("8 MB comment full of bidi controls", comment);
    assert_eq!(count(&facts, Kind::BidiControl), 1);
    assert_eq!(count(&facts, Kind::UnsafeBlock), 1);

    let idents = format!("fn f() {{ {} }}", "\u{430}b; ".repeat((256 << 10) / 6));
    let facts = timed("256 KB of one lookalike identifier", idents);
    assert_eq!(count(&facts, Kind::ConfusableIdent), 1);
}

#[test]
fn macro_soup_finishes() {
    let soup = [
        "macro_rules! m { ($($t:tt)*) => { m!{$($t)* $($t)*} } } m!{ unsafe {} }".to_string(),
        format!(
            "fn f() {{ {} }}",
            "m!{ $ $ $ ( ) * + ? # [ ] ".repeat(5_000)
        ),
        format!("fn f() {{ {}", "a!(b![c!{".repeat(3_000)),
        format!(
            "macro_rules! x {{ {} }}",
            "($a:expr) => { unsafe { $a } }; ".repeat(5_000)
        ),
        "fn f() { include!(concat!(env!(\"OUT_DIR\"), include_str!(\"x\"), \"}\")); }".into(),
        "#[cfg_attr(a, cfg_attr(b, no_mangle))] ".repeat(2_000) + "fn f() {}",
        "m! { r#\"unterminated }".into(),
        "quote! { #(#x)* #unsafe { } ##### }".into(),
        format!("fn f() {{ {} }}", "'a: loop { break 'a; } ".repeat(10_000)),
    ];
    for (i, src) in soup.into_iter().enumerate() {
        let facts = timed(&format!("macro soup {i}"), src);
        assert!(!matches!(facts.parse, Parse::NotAnalyzed { .. }), "{i}");
    }
}

/// The first `cargo fuzz run source` crash: `extern{}` reported at line 0. That was the fuzz
/// build itself (proc-macro2 keeps no span locations under `cfg(fuzzing)`), not the scanner;
/// kept as a regression test of real positions for the input.
#[test]
fn fuzz_regression_extern_without_abi() {
    for src in ["extern{}", "extern {}", "fn f() { unsafe{} }\nextern{}"] {
        let facts = scan_source("src/lib.rs", src);
        for f in &facts.findings {
            assert!(f.line >= 1 && f.col >= 1, "{src:?}: {f:?}");
        }
    }
}

#[test]
fn files_over_the_caps_are_token_scanned_or_not_analyzed() {
    use risk_analyzer::source::{MAX_SCAN_BYTES, MAX_SYN_BYTES};
    let stmt = "unsafe { 1 }; ";
    let big = format!(
        "fn f() {{ {} }}",
        stmt.repeat(MAX_SYN_BYTES / stmt.len() + 1)
    );
    let facts = timed("just over the syntax-tree cap", big);
    match &facts.parse {
        Parse::Fallback { error, lexer } => {
            assert_eq!(error, "larger than the 4 MiB syntax-tree cap");
            assert_eq!(lexer, "plain");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        count(&facts, Kind::UnsafeBlock),
        MAX_SYN_BYTES / stmt.len() + 1
    );
    let huge = "a".repeat(MAX_SCAN_BYTES + 1);
    let facts = scan_source("src/huge.rs", &huge);
    assert_eq!(
        facts.parse,
        Parse::NotAnalyzed {
            reason: "larger than the 16 MiB scan cap (16777217 bytes)".into()
        }
    );
}

/// The module walk's reader on deep nesting: inline modules each declaring a module file,
/// attributed items each holding one, macro bodies each invoking the next. Memory and time
/// stay linear (a chain copied per declaration was quadratic: 50 000 inline modules took
/// gigabytes), and what is too deep to follow is said, never silently dropped.
#[test]
fn module_declarations_fifty_thousand_deep() {
    let n = 50_000;
    let inline = format!("{}mod x;{}", "pub mod a { mod x; ".repeat(n), "}".repeat(n));
    let attributed = format!(
        "{}#[path = \"x.rs\"] mod x;{}",
        "#[cfg(test)] fn f() { ".repeat(n),
        "}".repeat(n)
    );
    let macros = format!(
        "{}{}",
        "macro_rules! m { () => { mod x; n!(); ".repeat(n),
        "} }".repeat(n)
    );
    for (what, lib) in [
        ("inline", inline),
        ("attributed", attributed),
        ("macros", macros),
    ] {
        let started = Instant::now();
        let mut tar = Tarball::new();
        tar.file(
            "deep-1.0.0/Cargo.toml",
            b"[package]\nname = \"deep\"\nversion = \"1.0.0\"\n",
        );
        tar.file("deep-1.0.0/src/lib.rs", lib.as_bytes());
        tar.file("deep-1.0.0/src/x.rs", b"pub fn f() {}\n");
        tar.file("deep-1.0.0/src/a/x.rs", b"pub fn f() {}\n");
        let facts = scan_crate_tarball(&tar.gz(), Some("deep-1.0.0"), &Limits::default());
        eprintln!("{what}: {:?}", started.elapsed());
        assert!(facts.not_analyzed.is_none(), "{what}");
        if what == "inline" {
            // the first levels are followed, the rest is said to be too deep
            let role = |p: &str| facts.files.iter().find(|f| f.path == p).map(|f| f.role);
            assert_eq!(role("src/a/x.rs"), Some(risk_report::facts::Role::Shipped));
            assert!(
                facts.unread_modules.iter().any(|u| u.contains("too deep")),
                "{:?}",
                facts.unread_modules
            );
        }
    }
}

/// Findings under fifty thousand nested gates, the same one or all different: each finding
/// keeps a few gate numbers (a copy of the whole stack per finding was quadratic memory),
/// gates are numbered in constant time, and the test flags still come out right.
#[test]
fn gated_findings_fifty_thousand_deep() {
    let n = 50_000;
    let same = format!(
        "{}{}",
        "#[cfg(test)] fn f() { unsafe {} ".repeat(n),
        "}".repeat(n)
    );
    let facts = timed("same gate", same);
    assert_eq!(count(&facts, Kind::UnsafeBlock), n);
    assert!(facts.findings.iter().all(|f| f.test));
    let distinct: String = (0..n)
        .map(|k| format!("#[attr{k}] fn f() {{ unsafe {{}} "))
        .collect::<String>()
        + &"}".repeat(n);
    let facts = timed("distinct gates", distinct);
    assert_eq!(count(&facts, Kind::UnsafeBlock), n);
    // attributes from nowhere: not provably test code
    assert!(facts.findings.iter().all(|f| !f.test));
}

/// Macros of the file that splice their arguments are expanded where invoked: one that
/// doubles its input on every step, or calls itself for ever, stops at the expansion depth and
/// the file's token budget, and what the first expansions build is still found.
#[test]
fn self_doubling_macros_stop() {
    let doubling =
        "macro_rules! d { ($($t:tt)*) => { d!($($t)* $($t)*); std::$($t)*::read(\"x\"); } }\n\
                    fn f() { d!(fs); }\n"
            .to_string();
    let facts = timed("doubling", doubling);
    assert!(
        facts
            .findings
            .iter()
            .any(|f| f.detail.as_deref() == Some("std::fs::read")),
        "{:?}",
        facts.findings
    );
    let wide = format!(
        "macro_rules! w {{ ($($t:tt)*) => {{ w!($($t)* $($t)* $($t)* $($t)*); }} }}\nfn f() {{ w!({}); }}\n",
        "x ".repeat(10_000)
    );
    let facts = timed("wide", wide);
    assert!(matches!(facts.parse, Parse::Parsed));
}
