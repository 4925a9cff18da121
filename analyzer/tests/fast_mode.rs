//! The fast path changes nothing: over the whole corpus and over sources written to trip it,
//! `Mode::Fast` gives exactly the facts of `Mode::Exhaustive` (where syn parses every item).
//! `examples/fast_check.rs` runs the same comparison over real tarballs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use risk_analyzer::source::scan_source_with;
use risk_analyzer::{Limits, Mode, scan_crate_tarball_with};
use risk_report::facts::{FileFacts, Parse};

#[test]
fn fast_equals_exhaustive_over_the_corpus() {
    let cases = testkit::corpus_cases();
    assert!(cases.len() >= 10);
    for case in &cases {
        let files = testkit::read_tree(case, &["expected.txt"]);
        let (root, gz) = testkit::pack_crate(&files);
        let full = scan_crate_tarball_with(&gz, Some(&root), &Limits::default(), Mode::Exhaustive);
        let fast = scan_crate_tarball_with(&gz, Some(&root), &Limits::default(), Mode::Fast);
        assert_eq!(full, fast, "{}", case.display());
        assert_eq!(
            serde_json::to_string(&full).unwrap(),
            serde_json::to_string(&fast).unwrap()
        );
    }
}

/// Irrelevant items around, between and shadowing the things rules look at; files syn rejects
/// after, inside or between them; item-looking text in strings and macros; every way a name
/// reaches a rule (roots, imports, chains, globs, extern blocks, attributes).
const TRICKY: &[&str] = &[
    // an item declaring the name that shadows the glob import must stay
    "use std::fs::*;\npub struct File { a: u32 }\nfn f() { File::open(\"x\"); read(\"y\"); }\n",
    "use std::fs::*;\npub const read: u32 = 1;\nfn f() { read(\"y\"); }\n",
    "use libc::*;\npub type open = u32;\nfn f() { open(); }\n",
    "use std::env;\npub enum E { var, B = 2 }\nfn f() { env::var(\"x\"); E::var; }\n",
    "pub static mut X: u32 = 0;\npub static Y: u32 = 0;\n",
    "#[cfg(test)]\npub const T: u8 = 1;\n#[cfg(test)]\nmod tests;\n",
    "pub const A: u8 = 1;\nunsafe fn f() {}\npub const B: [u8; 2] = [1, 2];\n",
    // errors after, between and around irrelevant items
    "pub const A: u8 = 1;\nfn f( {}\n",
    "pub const A: u8 = 1;\n#![allow(x)]\npub const B: u8 = 2;\n",
    "pub const A: u8 = 1;\n//! inner doc after an item\n",
    "pub const A: u8 = 1;;\npub const B: u8 = 2;\n",
    "pub struct S { a: u32 };\n",
    "pub const A: u8 = 1\npub const B: u8 = 2;\n",
    "pub const A: u8 = \"unterminated;\n",
    "pub const A: u32 = 1 as u32 << 2;\n",
    "pub const A: u32 = 1 < 2 < 3;\n",
    "pub enum E { A = 1, B = }\n",
    // item-looking text where it is not an item
    "macro_rules! m { () => { pub const A: u8 = 1; } }\nm!();\n",
    "const S: &str = \"pub const A: u8 = 1; unsafe { }\";\n",
    "fn f() { pub const A: u8 = 1; unsafe {} }\n",
    "mod m { pub const A: u8 = 1; pub fn g() { unsafe {} } }\n",
    "extern \"C\" { pub static X: u32; }\npub static Y: u32 = 0;\n",
    // attributes rules read, next to irrelevant ones
    "#[no_mangle]\npub static X: u32 = 0;\n#[repr(C)]\npub struct S;\n",
    "#[link_section = \".x\"]\npub static X: u32 = 0;\n",
    "#[doc = include_str!(\"README.md\")]\npub struct S;\n",
    "#![doc = include_str!(\"README.md\")]\npub const A: u8 = 1;\n",
    "\u{feff}pub const A: u8 = 1;\n",
    "#!/usr/bin/env run\npub const A: u8 = 1;\n",
    "pub const A: &'static str = \"é\"; fn f() { unsafe {} }\n",
    "pub(crate) struct S(pub u8, [u16; 4]);\npub(super) union U { a: u32 }\n",
    "pub type F = Option<unsafe extern \"C\" fn()>;\nunsafe impl Send for X {}\n",
    "pub const A: u32 = { unsafe { 1 } };\n",
    "",
    // how names reach rules
    "use nix::sys::pthread::*;\nfn f() { pthread_self(); }\n",
    "fn a() -> std::fmt::Result { Ok(()) }\nfn b() { std::fs::read(\"x\"); }\n",
    "use std::os;\nuse os::unix::fs as ufs;\nfn f() { ufs::symlink(\"a\", \"b\"); }\n",
    "use std::fs;\nmod m { use super::fs as f; fn g() { f::read(\"x\"); } }\n",
    "extern \"C\" { fn __imp_x(); }\nfn f() { unsafe { __imp_x() } }\nfn g() { __imp_x(); }\n",
    "windows_link::link!(\"k.dll\" \"system\" fn F());\n#[link(name = \"k\")]\nextern {}\n#[cfg_attr(x, no_mangle)]\npub fn h() {}\n",
    "fn std() {}\nfn f() { std::fs::read(\"x\"); }\n",
    "use std::env;\nfn a(env: u8) -> u8 { env }\nfn b() { let _ = env::var; }\n",
    "use std::fs::*;\nfn read() {}\nfn f() { read(); }\n",
    "macro_rules! m { () => { use $crate::x::*; } }\nfn f() { read(); }\n",
    "fn f() { unsafe { mem::transmute::<u8, i8>(1) }; }\nfn g() { x::transmute(1); }\n",
    "extern crate std as s;\nfn f() { s::env::var(\"x\"); }\n",
    "use core::arch::*;\nfn f() { unsafe { asm!(\"nop\") } }\n",
    "fn f() { let x = 0..std::env::args().count(); x.env; }\n",
    // paths under a data prefix name no capability, unless the file rebinds the root
    "pub const A: windows_sys::core::PCWSTR = windows_sys::core::w!(\"x\");\nfn f() { windows_sys::Win32::Foundation::CloseHandle(0); }\n",
    "use nix as windows_sys;\nfn f() { windows_sys::core::x(); }\nfn g() { windows_sys::core::w!(\"x\"); }\n",
    "use windows_sys::core::*;\nfn f() { w(); GUID::from_u128(1); }\nfn g() { ::windows_sys::core::s!(\"x\"); }\n",
    "use windows_sys::core::PCWSTR as P;\nfn f() { P::new(); }\nfn g() { std::os::unix::net::UnixStream::pair(); }\nfn h() { std::os::unix::net::UnixStream::connect(\"x\"); }\n",
    "extern crate self as windows_sys;\nfn f() { windows_sys::core::x(); }\nfn g() { windows_sys::Win32::f(); }\n",
    "type W = windows_sys::core::PCWSTR;\nfn f() { W::new(); }\nfn g() { windows_sys::core(); windows_sys::core::<u8>::x(); }\n",
    // a root path is read to its last segment (`core::mem::size_of` reaches no rule)
    "fn a() { core::mem::size_of::<u8>(); }\nfn b() { core::mem::transmute::<u8, i8>(1); }\nfn c() { std::os::raw::c_int::from(1); }\nfn d() { std::os::unix::process::CommandExt::pre_exec(&mut c, h); }\n",
    "fn a() { std::os::unix::net::UnixStream::connect(\"x\"); }\nfn b() { std::os::unix::net::UnixStream::pair(); }\nfn c() { core::arch::x86_64::_mm_pause(); }\nfn d() { core::arch::asm!(\"nop\"); }\n",
    "fn a() { std::fs::File::open::<&str>(\"x\"); }\nfn b() { std::process::Command::new(\"x\"); }\nfn c() { std::env::var_os(\"X\"); }\nfn d() { std::mem::swap(&mut x, &mut y); }\nfn e() { let f = std::fs::read; }\n",
    "fn a() { <std::fs::File as std::io::Read>::read(f, b); }\nfn b() { std::os::fd::AsRawFd::as_raw_fd(&f); }\nfn c() { ::std::os::unix::fs::symlink(\"a\", \"b\"); }\n",
    // `use` that starts no use tree (`Token![use]`), and a macro fragment's `use` ends with
    // its group
    "struct S { a: Token![use], b: u8 }\nfn f(input: T) { let x = input.parse(); }\nfn g() { std::fs::read(\"x\"); }\n",
    "m!(use);\nfn f() { input(); }\nmacro_rules! n { () => { use $crate::x::y; } }\nfn h() { y(); }\n",
    "m! { [use $crate::a] }\nfn f() { a(); b(); }\nm!(r#use);\nmod use_x { fn g() { unsafe {} } }\n",
    // `use .. as _;` brings a trait into scope and binds no name
    "use std::os::unix::process::CommandExt as _;\nfn f(c: &mut Cmd) { c.pre_exec(h); }\nfn g(p: &str) { p.parse::<u8>(); }\n",
    "use crate::parse::discouraged::Speculative as _;\nfn f(x: T) { x.parse(); parse::y(); }\nfn g() { std::fs::read(\"x\"); }\n",
    "use std::fs as _;\nfn f() { fs::read(\"x\"); }\nuse std::io::{Read as _, Write as _};\nfn g(s: S) { s.read_dir(); }\n",
    // item boundaries the splitter must not misread
    "struct A<const N: usize>;\nimpl A<{ 1 }> { fn f() { unsafe {} } }\nconst X: u8 = if true { 1 } else { 2 };\nfn g() {}\n",
    "const F: fn() = || {};\nstatic mut G: u8 = 0;\n",
    "pub(crate) mod m { //! inner doc\n fn a() {} fn b() { unsafe {} } }\n",
    "#[cfg(test)]\nmod tests { fn a() {} fn b() { std::process::exit(1) } }\n",
    // type positions: only array lengths, const blocks, attributes and macros count
    "const X: [u8; std::env::args().count()] = [0; 3];\nconst Y: windows_sys::core::HRESULT = 0x8000_u32 as _;\n",
    "struct S { a: [u8; { unsafe { 1 } }], b: windows_sys::core::PCWSTR, #[doc = include_str!(\"r\")] c: u8 }\n",
    "type T = fn() -> m!(std::fs::read);\ntype U = unsafe extern \"C\" fn(libc::c_int);\n",
    "const C: Foo<{ libc::X }> = 1;\nstatic S: unsafe extern \"C\" fn() = f;\nstatic R: u8 = std::env::var;\n",
    "struct S<T = libc::c_int> { a: T }\nunion U { a: std::fs::File }\nstruct V(pub windows_sys::X, [u8; libc::N]);\n",
    "const _: () = { std::fs::read(\"x\"); };\nstatic mut M: libc::c_int = 0;\n",
    // impl and trait blocks are split item by item
    "impl S { fn a() {} fn b() { unsafe {} } const C: u8 = 1; type T = u8; }\nunsafe impl Send for S {}\n",
    "#[cfg(test)]\nimpl<const N: usize> A<{ N }> where [u8; N]: Sized { fn a() { std::fs::read(\"x\"); } fn b() {} }\n",
    "pub unsafe trait T { fn a(&self) {} unsafe fn b(&self); fn c() { std::env::var(\"x\"); } }\n",
    "impl S { m!(); fn env() {} }\nfn f() { use std::env; env::var(\"x\"); }\n",
    "impl S { #[no_mangle] fn a() {} #[unsafe(export_name = \"x\")] fn b() {} }\n",
    "auto trait A {}\ndefault impl<T> X for T { fn a() {} }\nimpl X for Y { fn f( {} }\n",
    // `unsafe(..)` attributes: only what they wrap counts
    "#[unsafe(method(x:))]\nfn a() {}\n#[unsafe(no_mangle)]\nfn b() {}\n#[cfg_attr(x, unsafe(export_name = \"c\"))]\nfn c() {}\n#[doc = unsafe { \"d\" }]\nfn d() {}\n",
    // extern blocks: functions become `fn NAME();`, the rest is cut or kept whole
    "#[link(name = \"x\")]\nextern \"C\" { fn a(); }\nfn f() { unsafe { a() } }\n",
    "extern \"C\" {\n    #[link_name = \"b\"]\n    pub fn a(x: *const libc::c_char) -> i32;\n    pub static S: u8;\n    pub type T;\n}\nfn f() { unsafe { a(0 as _) } }\n",
    "unsafe extern \"C\" { pub safe fn a(); pub unsafe fn b(); static mut M: u8; }\nfn f() { a(); unsafe { b() } }\n",
    "extern \"C\" { fn a<T>(x: [u8; std::env::args().count()]) -> T; fn std(); }\nfn f() { std::fs::read(\"x\"); }\n",
    "extern { fn a(...); fn b(x: u8, ...) -> u8; }\nfn f() { a(); }\n",
    "#[cfg(test)]\nextern \"C\" { m!(); fn a(); #[no_mangle] fn c(); }\nfn f() { a(); c(); }\n",
    "mod m { extern \"system\" { fn a(\n    x: u8,\n) -> u8; } pub fn g() { a(1); } }\n",
    // syn rejects an item no rule looks at / one a rule looks into
    "type F = Fn(u8) + Send;\nfn f() { std::env::var(\"x\"); }\n",
    "type F = Fn(u8) + Send + unsafe;\nfn f() { std::env::var(\"x\"); }\n",
    "fn ok() { unsafe {} }\nfn bad( { }\n",
    // opaque macro bodies (a top-level `fn NAME`): only paths the token scanner resolves count
    "link!(\"k.dll\" \"system\" fn f(x : *mut ::windows_sys::core::GUID) -> windows_sys::core::BOOL);\n",
    "link!(\"k\" fn f(x: libc::c_int) -> libc::c_int);\nm!(fn g(); libc::free);\n",
    "m!(fn f() -> std::fs::File; std::fs::read(\"x\"));\nm!(fn g() std::env::var);\n",
    "m!(r#fn as u8, S { f: std::fs::remove_file });\nm!(x as fn(u8) -> u8, S { f: std::fs::read });\n",
    "m!(fn f() -> std::fs::File; #[link(name = \"x\")] fn g(););\nm!(fn h() { unsafe {} });\n",
    "outer!(fn a(); inner!(fn b() -> std::fs::File; std::fs::read()););\n",
    "m!(use std::fs; fn f() -> fs::File);\nm! { fn f() -> T; static mut X: u8 = 0; }\n",
    "use std::fs as sys;\nm!(fn f() -> sys::File; let x: sys::File = sys::File::open(\"x\"););\n",
    "m!(fn f(); std::fs::read::<u8>);\nm!(fn f(); <std::fs::File as T>::open);\nm!(fn f(); x.std::fs);\n",
    "macro_rules! m { () => { link!(\"k\" fn f() -> std::fs::File); std::fs::read() } }\n",
    // opaque bodies inside opaque bodies: the outer walk decides the inner tokens
    "m!(fn a() -> std::fs::File; n!(fn b(x: libc::c_int); std::fs::read(\"x\")); libc::free);\n",
    "m!(fn a(); n!(fn b() -> std::fs::File; o!(fn c(); std::env::var)); fn d() -> std::fs::File);\n",
    "m! { fn a() -> T; n!(fn b(); static mut X: u8 = 0;) }\nm!(n!(fn c() -> std::fs::File); unsafe {});\n",
    "m!(fn a() {} n!(fn b() {} unsafe {} n!(fn c(); std::fs::read)));\nfn f() { m!(fn g(); unsafe {}) }\n",
    // the items of an opaque macro body, kept or cut one by one
    "m!(fn a(); #[cfg(test)] pub unsafe fn b(); fn c(); unsafe fn d(););\n",
    "m!(fn a(); type X = std::fs::File; const Y: std::fs::File = std::fs::File::open;);\n",
    "m!(pub fn a(); unsafe { x });\nm!(fn a(); static mut X: u8 = 0; fn b(););\n",
    "m!(#![cfg(test)] fn a(); unsafe fn b(););\nm!(fn a() {} unsafe fn b() {} fn c() { std::fs::read() });\n",
    "m!(fn a(); extern \"C\" { fn f(); } fn g() { f() });\nfn h() { unsafe { f() } }\n",
    "m!(fn a(); use std::fs; fn b() { fs::read() });\nm!(fn a(); #[no_mangle] fn b(); fn c(););\n",
    "impl S { m!(#[unsafe(method(a))] pub fn a(&self); #[unsafe(method(b))] pub unsafe fn b(););\n}\n",
    // comments are blanked, but not in macro bodies and attributes, nor unterminated ones
    "//! crate docs\n/// doc\nfn f() { /* c */ unsafe {} // t\n /** d */ std::fs::read(); }\n",
    "fn f() { let s = include_str!(concat!(/* c */ \"a\", \"b\")); }\n#[doc = include_str!(/* d */ \"x\")]\nfn g() {}\n",
    "fn f() { unsafe {} /// dangling\n}\nfn g() { std::env::var(\"x\"); }\n",
    "fn f() { unsafe {} }\n/* unterminated /* nested */\n",
    "fn f() { \0 unsafe {} }\n/// doc\nfn g() {}\n",
    "#[cfg(test) /* c */]\nfn f() { unsafe {} }\nm!(fn a(); /* x */ unsafe fn b(););\n",
    // written-out doc attributes, next to other attributes and in macro bodies
    "#![doc = \"crate\"]\n#[doc = \"x\"]\n#[cfg(test)]\nfn f() { #[doc = \"y\"] let a = std::fs::read(); }\n",
    "#[doc = include_str!(\"README.md\")]\nfn f() {}\n#[cfg_attr(test, doc = \"x\")]\nfn g() { unsafe {} }\n",
    "m!(#[doc = \"x\"] fn a(); unsafe fn b(););\nfn f() { unsafe {} #[doc = \"dangling\"] }\n",
    // bodies no expression list holds (a `;`, an item keyword outside brackets), lifted out of
    // syn's text, next to look-alikes syn parses as expressions
    "fn f() { let v = vec![std::fs::read(\"x\"); 2]; let w = vec![unsafe { g() }, 1]; }\n",
    "m!(pub struct S { f: std::fs::File });\nm!(pub(crate) fn a() { unsafe {} });\n",
    "extern_conformance!(unsafe impl Send for S {});\nm!(unsafe { std::fs::read(\"x\") });\n",
    "m!(f::<impl Fn()>(std::fs::read), x as unsafe fn());\nm!(r#pub, r#struct, r#type, unsafe {});\n",
    "m!(trait T { fn f(); } std::env::var);\nm!(mod a {} enum E { A } type X = std::fs::File;);\n",
    "m!(r#fn a; unsafe {});\nm!(unsafe r#impl X; std::fs::read);\nm!(x; extern \"C\" { fn f(); });\nfn g() { unsafe { f() } }\n",
    // lifted bodies whose extent the lexer must get right: brackets in raw strings, char
    // literals, lifetimes and nested comments
    "m! { fn a(); const S: &str = r#\"}\"#; std::fs::read(\"x\") }\nfn b() { std::env::var(\"k\"); }\n",
    "m! { fn a<'a>(x: &'a u8) -> char { '}' } unsafe fn b(); }\nfn c() { unsafe {} }\n",
    "m! { fn a(); /* } /* } */ { */ std::env::var(\"k\") }\nfn b() { std::fs::read(\"x\"); }\n",
    "m! { fn a(); b\"}\"; '\\''; \"\\\"}\"; std::process::Command::new(\"x\") }\nm!(fn c(); unsafe {});\n",
];

/// The facts of `src` as `src/lib.rs`, which both modes must give alike (`what` names the case
/// when they do not).
fn both_modes(src: &str, what: &str) -> FileFacts {
    let full = scan_source_with("src/lib.rs", src, Mode::Exhaustive);
    let fast = scan_source_with("src/lib.rs", src, Mode::Fast);
    assert_eq!(full, fast, "{what}");
    fast
}

/// (line, kind code) of each finding.
fn lines_and_kinds(facts: &FileFacts) -> Vec<(u32, &'static str)> {
    (facts.findings.iter())
        .map(|f| (f.line, f.kind.code()))
        .collect()
}

#[test]
fn fast_equals_exhaustive_on_tricky_sources() {
    for (i, src) in TRICKY.iter().enumerate() {
        both_modes(src, &format!("case {i}: {src}"));
    }
}

/// `use` groups nested without a segment between them (`{self, {..}}`), shallower and deeper
/// than the tree reader follows (then every name of the `use` counts): the same facts.
#[test]
fn fast_equals_exhaustive_on_nested_use_groups() {
    for depth in [1, 2, 31, 32, 33, 100] {
        for (open, close) in [("{", "}"), ("{self, ", "}"), ("{env, ", ", io}")] {
            let src = format!(
                "use std::{}fs as f{};\nfn g() {{ f::read(\"x\"); env::var(\"y\"); }}\n",
                open.repeat(depth),
                close.repeat(depth)
            );
            let full = both_modes(&src, &format!("{depth} x {open}"));
            assert!(
                full.findings.iter().any(|f| f.kind.code() == "fs"),
                "{depth} x {open}: {full:?}"
            );
        }
    }
}

/// The item declaring `File` is kept: without it, the glob import would turn `File::open` into
/// file-system use.
#[test]
fn shadowing_by_a_cut_item_is_kept() {
    let facts = scan_source_with("src/lib.rs", TRICKY[0], Mode::Fast);
    assert_eq!(
        lines_and_kinds(&facts),
        [(3, "fs")],
        "only `read` resolves: {facts:?}"
    );
}

/// Big generated inputs: thousands of irrelevant items around a few findings.
#[test]
fn fast_equals_exhaustive_on_generated_files() {
    let mut src = String::from("use std::fs::*;\n");
    for i in 0..2000 {
        src.push_str(&format!(
            "/// item {i}\n#[repr(C)]\n#[derive(Clone, Copy)]\npub struct S{i} {{ pub a: u32, pub b: [u8; {i}], pub c: *mut S{i} }}\n\
             pub const C{i}: i32 = -{i}i32 as i32 | (1 << 3);\npub type T{i} = Option<&'static [S{i}; 2]>;\n"
        ));
        if i % 500 == 0 {
            src.push_str(&format!(
                "impl Default for S{i} {{ fn default() -> Self {{ unsafe {{ core::mem::zeroed() }} }} }}\n\
                 fn f{i}() {{ read(\"x\"); C{i}; }}\n"
            ));
        }
    }
    let full = scan_source_with("src/gen.rs", &src, Mode::Exhaustive);
    let fast = scan_source_with("src/gen.rs", &src, Mode::Fast);
    assert_eq!(full, fast);
    assert_eq!(full.findings.len(), 8);
}

/// The fast path does cut: items without a name any rule looks at are blanked (lines and
/// columns kept), the others are left as written.
#[test]
fn irrelevant_items_are_blanked() {
    let src = "use std::fmt;\nfn a() -> fmt::Result { Ok(()) }\nfn b() { std::fs::read(\"x\"); }\nstruct S { x: u8 }\n";
    let fast = risk_analyzer::source::fast_path_text(src).expect("something to cut");
    let lines: Vec<&str> = fast.lines().collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0], "use std::fmt;");
    assert!(lines[1].trim().is_empty(), "{fast:?}");
    assert_eq!(lines[2], "fn b() { std::fs::read(\"x\"); }");
    assert!(lines[3].trim().is_empty(), "{fast:?}");
    assert_eq!(fast.len(), src.len());
}

/// Comments of kept code are blanked (doc comments are attributes to syn), lines kept.
#[test]
fn comments_of_kept_code_are_blanked() {
    let src = "/// doc\nfn f() { // why\n    std::fs::read(\"x\"); /* c */ }\n";
    let fast = risk_analyzer::source::fast_path_text(src).expect("something to cut");
    let lines: Vec<&str> = fast.lines().collect();
    assert_eq!(lines.len(), 3, "{fast:?}");
    assert!(lines[0].trim().is_empty(), "{fast:?}");
    assert_eq!(lines[1], "fn f() {");
    assert_eq!(lines[2].trim_end(), "    std::fs::read(\"x\");         }");
}

/// A macro body no expression list can hold goes to the token scanner whatever syn makes of
/// it, so syn is not shown it: `m! {}` stays in syn's text, the body in the text the scanner
/// reads, and its findings keep their lines.
#[test]
fn opaque_macro_bodies_are_lifted_out_of_syns_text() {
    let src = "fn f() {\n    unsafe { g() }\n}\nitems! {\n    pub struct S;\n    unsafe impl Send for S {}\n}\nfn h() { std::fs::read(\"x\"); }\n";
    let scanned = risk_analyzer::source::fast_path_text(src).expect("g() is cut");
    assert!(scanned.contains("unsafe impl Send for S {}"), "{scanned}");
    let syn = risk_analyzer::source::fast_syn_text(src).expect("a body is lifted");
    assert!(syn.contains("items! {\n}"), "{syn}");
    assert!(!syn.contains("Send"), "{syn}");
    let fast = both_modes(src, "lifted");
    assert_eq!(
        lines_and_kinds(&fast),
        [(2, "unsafe-block"), (6, "unsafe-impl"), (8, "fs")],
        "{fast:?}"
    );
    // an expression list stays syn's
    let exprs = "fn f() { assert!(unsafe { g() }, \"{}\", std::fs::read(\"x\").is_ok()); }\n";
    assert_eq!(risk_analyzer::source::fast_syn_text(exprs), None);
}

/// A lifted body nests deeper than syn may go: syn never sees it, the token scan reads it, and
/// both modes call the file parsed with the finding inside.
#[test]
fn deep_nesting_in_a_lifted_body_is_read_by_the_token_scan() {
    let deep = format!(
        "items! {{ fn a(); {}std::fs::read(\"x\"){} }}\nfn f() {{ unsafe {{}} }}\n",
        "(".repeat(300),
        ")".repeat(300)
    );
    let syn = risk_analyzer::source::fast_syn_text(&deep).expect("the body is lifted");
    assert!(!syn.contains("std::fs"), "{syn}");
    let fast = both_modes(&deep, "deep");
    assert_eq!(fast.parse, Parse::Parsed, "{fast:?}");
    assert_eq!(
        lines_and_kinds(&fast),
        [(1, "fs"), (2, "unsafe-block")],
        "{fast:?}"
    );
}

/// A `link!` line whose only rule name is a type the token scanner does not resolve is cut.
#[test]
fn opaque_macro_bodies_with_only_types_are_blanked() {
    let src = "fn f() { std::fs::read(\"x\"); }\nlink!(\"k\" \"system\" fn g(h: HANDLE) -> windows_sys::core::BOOL);\n";
    let fast = risk_analyzer::source::fast_path_text(src).expect("something to cut");
    let lines: Vec<&str> = fast.lines().collect();
    assert_eq!(lines[0], "fn f() { std::fs::read(\"x\"); }");
    assert!(lines[1].trim().is_empty(), "{fast:?}");
    let kept = "link!(\"k\" fn g() -> T; windows_sys::Win32::CloseHandle(0));\n";
    assert_eq!(risk_analyzer::source::fast_path_text(kept), None);
}

/// A path under a data prefix (`windows_sys::core`, string and GUID helpers of the bindings) is
/// cut; the same path through a root the file rebinds (`use nix as windows_sys;`) is kept.
#[test]
fn data_paths_are_blanked_unless_the_root_is_rebound() {
    let src = "pub const A: windows_sys::core::PCWSTR = windows_sys::core::w!(\"x\");\nfn f() { windows_sys::Win32::Foundation::CloseHandle(0); }\n";
    let fast = risk_analyzer::source::fast_path_text(src).expect("something to cut");
    let lines: Vec<&str> = fast.lines().collect();
    assert!(lines[0].trim().is_empty(), "{fast:?}");
    assert_eq!(
        lines[1],
        "fn f() { windows_sys::Win32::Foundation::CloseHandle(0); }"
    );
    let rebound = "use nix as windows_sys;\nfn f() { windows_sys::core::x(); }\n";
    assert_eq!(risk_analyzer::source::fast_path_text(rebound), None);
    let full = scan_source_with("src/lib.rs", rebound, Mode::Exhaustive);
    assert_eq!(full.findings.len(), 1, "{full:?}");
}

/// A path from a crate root counts by all its segments, not its first two: `core::mem::
/// size_of` is cut although `core::mem::transmute` is a rule path.
#[test]
fn root_paths_are_read_to_their_last_segment() {
    let src = "fn a() -> usize { core::mem::size_of::<u8>() }\nfn b() { std::os::unix::process::CommandExt::pre_exec(c, h); }\n";
    let fast = risk_analyzer::source::fast_path_text(src).expect("something to cut");
    let lines: Vec<&str> = fast.lines().collect();
    assert!(lines[0].trim().is_empty(), "{fast:?}");
    assert_eq!(
        lines[1],
        "fn b() { std::os::unix::process::CommandExt::pre_exec(c, h); }"
    );
}

/// A run of cut items is one newline in syn's text, and every finding still reports its line
/// in the file: from a span (the `unsafe` block), from a macro body the lexer reads
/// (`m!`), and from an expansion of the file's splicing macro, whose tokens come from its
/// definition and from the arguments of the invocation after the run.
#[test]
fn cut_runs_become_one_line_and_lines_are_reported_where_they_were() {
    let mut src = String::from("macro_rules! get { ($m:ident) => { std::env::$m(\"k\") }; }\n");
    for i in 0..100 {
        src.push_str(&format!("pub struct S{i} {{ a: u{} }}\n", 8 << (i % 4)));
    }
    src.push_str(
        "fn f() {\n    unsafe { g() }\n}\nfn h() {\n    m!(fn a() { std::env::var(\"k\"); });\n    std::fs::read(get!(var));\n}\n",
    );
    let fast = risk_analyzer::source::fast_path_text(&src).expect("something to cut");
    assert!(fast.lines().count() < 20, "{fast}");
    let lines = lines_and_kinds(&both_modes(&src, "runs"));
    for (line, kind) in [
        (1, "env-read"),
        (103, "unsafe-block"),
        (106, "env-read"),
        (107, "fs"),
    ] {
        assert!(lines.contains(&(line, kind)), "{kind} at {line}: {lines:?}");
    }
}

/// The body of an invocation inside a kept statement is blanked when neither it nor the
/// macro's path holds a name a rule looks at; one that does stays whole.
#[test]
fn inert_macro_bodies_in_kept_code_are_blanked() {
    let src = "fn f(d: &str) {\n    std::fs::read(format!(\"{d}/x\"));\n    std::fs::read(format!(\"{}\", std::env::var(\"k\").unwrap()));\n}\n";
    let fast = risk_analyzer::source::fast_path_text(src).expect("something to cut");
    let lines: Vec<&str> = fast.lines().collect();
    assert_eq!(
        lines[1].trim_end(),
        "    std::fs::read(format!(       ));",
        "{fast:?}"
    );
    assert_eq!(
        lines[2],
        "    std::fs::read(format!(\"{}\", std::env::var(\"k\").unwrap()));"
    );
    let fast = both_modes(src, "inert");
    assert_eq!(fast.findings.len(), 3, "{fast:?}");
}

mod generated {
    //! Files assembled from item templates: imports, relevant and irrelevant items, broken
    //! ones, modules, impl, trait and extern blocks, functions whose bodies are assembled from
    //! statement templates, in any order, with names drawn from a
    //! pool that mixes rule names (`std`, `fs`, `read`, `libc`, `env`, ...) with plain ones.
    //! Both modes must give the same facts.

    use proptest::prelude::*;
    use risk_analyzer::Mode;
    use risk_analyzer::source::scan_source_with;

    const NAMES: &[&str] = &[
        "std",
        "core",
        "fs",
        "read",
        "env",
        "var",
        "libc",
        "File",
        "Command",
        "x",
        "y",
        "S",
        "T",
        "transmute",
        "link",
        "net",
        "tokio",
        "open",
        "__x",
        "r#fn",
    ];

    const IMPORTS: &[&str] = &[
        "use std::fs;",
        "use std::fs::*;",
        "use std::env as {a};",
        "use std::{{fs::File, env}};",
        "use {a}::{b};",
        "use super::*;",
        "use super::{a};",
        "use nix::sys::*;",
        "use std::fmt;",
        "extern crate std as {a};",
        "use crate::{a}::{b} as {c};",
        "#[cfg(unix)] use std::{a}::{{self}};",
        "pub use {a}::{{self as {b}, {c}}};",
        "#[cfg(test)] use {{std::{a}, {b}}};",
    ];

    /// Items; `{a}`, `{b}`, `{c}` are filled from [`NAMES`].
    const ITEMS: &[&str] = &[
        "fn {a}() {{ {b}::{c}(\"x\"); }}",
        "fn {a}({b}: u8) -> u8 {{ {b} }}",
        "fn {a}() {{ let _ = {b}; {c}(); }}",
        "pub fn {a}() {{ unsafe {{ {b}() }} }}",
        "struct {a} {{ f: {b}::{c}, g: [u8; {b}::{c}] }}",
        "const {a}: {b}::{c} = {b}::{c}(1);",
        "static mut {a}: u8 = 0;",
        "type {a} = fn({b}::{c}) -> {c};",
        "impl {a} {{ fn {b}() {{}} fn {c}() {{ std::fs::read(\"x\"); }} }}",
        "unsafe impl Send for {a} {{}}",
        "trait {a} {{ fn {b}(&self) {{ {c}(); }} }}",
        "extern \"C\" {{ fn {a}(); #[link_name = \"q\"] fn {b}(x: {c}); }}",
        "#[link(name = \"{a}\")] extern {{ fn {b}(); }}",
        "#[no_mangle] pub fn {a}() {{}}",
        "#[unsafe(no_mangle)] pub fn {a}() {{}}",
        "#[cfg(test)] fn {a}() {{ {b}::{c}(); }}",
        "macro_rules! {a} {{ () => {{ {b}::{c}() }} }}",
        "{a}!({b}, {c});",
        "{a}! {{ \"k\" \"s\" fn {b}() }}",
        "{a}!(\"k\" \"s\" fn {b}(x : *mut ::{c}::fs::G) -> {c}::fs::B);",
        "{a}!(fn {b}() -> {c}::fs::File; {c}::{b}(\"x\"));",
        "{a}!(r#fn as u8, {b}::{c});",
        "{a}!(fn {b}(); #[{c}] fn q(); {b}::{c});",
        "{a}!(fn {b}(); pub unsafe fn {c}(); fn q() {{ {b}::{c}() }} type T = {c}::fs::F;);",
        "{a}!(#[unsafe(method({b}))] pub fn {b}(); #[cfg(test)] unsafe fn {c}(); static mut Z: u8 = 0;);",
        "{a}! {{ fn {b}() {{}} unsafe {{ {c}() }} extern \"C\" {{ fn {c}(); }} }}",
        "/// doc {a}\nfn {a}() {{ /* {b} */ {b}::{c}(); // {c}\n }}",
        "fn {a}() {{ include_str!(concat!(/* {b} */ \"{c}\")); }}",
        "#[{a}(/* {b} */ {c})] /** {a} */ fn {b}() {{}}",
        "#[doc = \"{a}\"] #[{b}] fn {c}() {{ #[doc = \"q\"] {a}::{b}() }}",
        "mod {a} {{ use super::*; fn f() {{ {b}::{c}(); }} }}",
        "#[cfg(test)] mod {a} {{ fn f() {{ unsafe {{}} }} }}",
        "mod {a};",
        "mod {a} {{ use super::{b} as q; fn f() {{ q::{c}(); }} }}",
        "fn {a}() {{ let = {b}; }}",
        "type {a} = Fn({b}) + Send;",
        "struct {a}<const N: usize>; impl {a}<{{ 1 }}> {{ fn f() {{ {b}::{c}(); }} }}",
        "const {a}: u8 = if true {{ 1 }} else {{ {b}::{c} }};",
        "fn {a}() {{ let r = 0..{b}::{c}(); r.{c}; }}",
        "/// doc\n#[doc = include_str!(\"{a}\")]\nfn {b}() {{}}",
    ];

    /// Statements of a function body, cut or kept one by one; `as`, `else` and `.` after a
    /// block, block-like statements followed by another, broken ones, local items.
    const STATEMENTS: &[&str] = &[
        "let {a} = {b}::{c}(1);",
        "{a}::{b}();",
        "let _ = unsafe {{ {a}() }} as u8;",
        "let Some({a}) = {b} else {{ return }};",
        "if {a} {{ {b}::{c}(); }} else {{ {c}(); }}",
        "if {a} {{ }} {b}::{c}();",
        "match {a} {{ {b} => {c}(), _ => {{}} }}",
        "unsafe {{ {a}::{b} }}.{c}();",
        "loop {{ break }} {a}();",
        "#[cfg(test)] let {a} = {b}::{c};",
        "#[cfg(test)] {a}::{b}();",
        "use {a}::{b};",
        "use std::fs as {a};",
        "fn {a}() {{ {b}::{c}(); }}",
        "struct {a}; impl {a} {{ fn f() {{ {b}(); }} }}",
        "{a}!({b}::{c});",
        "{a}! {{ {b}::{c}() }}",
        "{a}! {{ }} let {b} = {c};",
        "{a}! {{ let q = 1; {b}::{c}() }};",
        "macro_rules! {a} {{ () => {{ x; {b}::{c}() }} }}",
        "let {a} = || {{ {b}::{c}() }};",
        "let {a}: {b}::{c} = {c};",
        "{a} = {{ {b} }} - 1;",
        "let x = {a} {{ f: {b}::{c} }};",
        "{{ {a}::{b}(); }}",
        "{{ {a} }} {b}::{c}();",
        "{a}::{b}::<{{ 1 }}>();",
        "let = {a};",
        "let x = [{a}; {b}::{c}];",
        "'l: loop {{ break 'l {a}::{b}(); }}",
        "async {{ {a}::{b}() }}.await;",
        "extern \"C\" {{ fn {a}(); }}",
        "{a}::{b}()",
        "/* {a} */ {b}::{c}(); /// {a}\n",
        "const {{ {a}::{b} }};",
        "static mut {a}: u8 = 0;",
        "#![allow({a})]",
        "for {a} in {b}::{c}() {{ }}",
        "while let Some({a}) = {b}.{c}() {{ }}",
        "mod {a} {{ fn f() {{ {b}::{c}(); }} }}",
        "unsafe {{ }} {a}",
        "let {a} = {b} {{ }} as {c};",
        "return {a}::{b};",
    ];

    /// Functions whose bodies are assembled from [`STATEMENTS`]; `{body}` is the body.
    const FUNCTIONS: &[&str] = &[
        "fn {a}() {{ {body} }}",
        "pub unsafe fn {a}({b}: u8) -> u8 {{ {body} }}",
        "impl {a} {{ fn {b}(&self) {{ {body} }} const X: u8 = 1; }}",
        "trait {a} {{ fn {b}() {{ {body} }} }}",
        "#[cfg(test)] fn {a}() {{ #![allow(x)] {body} }}",
        "extern \"C\" fn {a}() {{ {body} }}",
        "mod {a} {{ async fn {b}() {{ {body} }} }}",
    ];

    fn fill(template: &str, names: &[usize; 3]) -> String {
        template
            .replace("{a}", NAMES[names[0]])
            .replace("{b}", NAMES[names[1]])
            .replace("{c}", NAMES[names[2]])
            .replace("{{", "{")
            .replace("}}", "}")
    }

    fn file() -> impl Strategy<Value = String> {
        let name = 0..NAMES.len();
        let names = [name.clone(), name.clone(), name];
        let import = (prop::sample::select(IMPORTS), names.clone()).prop_map(|(t, n)| fill(t, &n));
        let item = (prop::sample::select(ITEMS), names.clone()).prop_map(|(t, n)| fill(t, &n));
        let statement =
            (prop::sample::select(STATEMENTS), names.clone()).prop_map(|(t, n)| fill(t, &n));
        let function = (
            prop::sample::select(FUNCTIONS),
            names,
            prop::collection::vec(statement, 0..8),
            any::<bool>(),
        )
            .prop_map(|(t, n, body, one_line)| {
                let body = body.join(if one_line { " " } else { "\n" });
                fill(t, &n).replace("{body}", &body)
            });
        let part = prop_oneof![1 => import, 4 => item, 3 => function];
        (prop::collection::vec(part, 0..30), any::<bool>())
            .prop_map(|(parts, one_line)| parts.join(if one_line { " " } else { "\n" }))
    }

    proptest! {
        // A fixed seed, as in `generated.rs`: the same cases in every run.
        #![proptest_config(ProptestConfig {
            cases: 3000,
            failure_persistence: None,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x5eed_0002),
            ..ProptestConfig::default()
        })]

        #[test]
        fn fast_equals_exhaustive_on_generated_files(text in file()) {
            let full = scan_source_with("src/lib.rs", &text, Mode::Exhaustive);
            let fast = scan_source_with("src/lib.rs", &text, Mode::Fast);
            prop_assert_eq!(full, fast, "{}", text);
        }
    }
}
