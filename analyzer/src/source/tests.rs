//! Rule-by-rule tests on small inline sources: syn mode, resolution and test code.

#![allow(clippy::unwrap_used)]

use risk_report::facts::{FileFacts, Finding, Kind, Origin, Parse};

use super::scan_source;

pub(super) fn scan(text: &str) -> FileFacts {
    scan_source("src/lib.rs", text)
}

/// (kind, detail) of every finding, in order.
pub(super) fn kinds(text: &str) -> Vec<(Kind, Option<String>)> {
    scan(text)
        .findings
        .into_iter()
        .map(|f| (f.kind, f.detail))
        .collect()
}

pub(super) fn of(text: &str, kind: Kind) -> Vec<Finding> {
    scan(text)
        .findings
        .into_iter()
        .filter(|f| f.kind == kind)
        .collect()
}

pub(super) fn details(text: &str, kind: Kind) -> Vec<String> {
    of(text, kind)
        .into_iter()
        .map(|f| f.detail.unwrap_or_default())
        .collect()
}

fn parsed(text: &str) -> FileFacts {
    let facts = scan(text);
    assert_eq!(facts.parse, Parse::Parsed, "{text}");
    facts
}

#[test]
fn unsafe_block_position_and_origin() {
    let f = parsed("fn f() {\n    let x = unsafe { 1 };\n}\n");
    assert_eq!(f.findings.len(), 1);
    let u = &f.findings[0];
    assert_eq!(
        (u.kind, u.line, u.col, u.origin, u.test),
        (Kind::UnsafeBlock, 2, 13, Origin::Syntax, false)
    );
}

#[test]
fn unsafe_in_strings_comments_and_docs_is_not_unsafe() {
    let src = r##"
        /// unsafe { x }
        //! unsafe fn
        // unsafe { }
        /* unsafe { /* nested unsafe */ } */
        fn f() -> &'static str { let _r = r#"unsafe { }"#; "unsafe { }" }
        #[doc = "unsafe impl"]
        struct S;
    "##;
    assert_eq!(kinds(src), vec![]);
}

fn k(kind: Kind, detail: &str) -> (Kind, Option<String>) {
    (
        kind,
        if detail.is_empty() {
            None
        } else {
            Some(detail.to_string())
        },
    )
}

#[test]
fn unsafe_fns_impls_traits() {
    let src = r#"
        unsafe fn a() {}
        pub const unsafe extern "C" fn b() {}
        struct S;
        impl S { unsafe fn c(&self) {} fn safe(&self) {} }
        unsafe trait T { unsafe fn d(); unsafe fn e() {} fn f(); }
        unsafe impl T for S { unsafe fn d() {} }
        type P = unsafe fn(u8);
        fn g(_: unsafe extern "C" fn()) {}
    "#;
    let got: Vec<Kind> = parsed(src).findings.iter().map(|f| f.kind).collect();
    use Kind::*;
    assert_eq!(
        got,
        vec![
            UnsafeFn,
            UnsafeFn,
            UnsafeFn,
            UnsafeTrait,
            UnsafeFn,
            UnsafeFn,
            UnsafeImpl,
            UnsafeFn
        ]
    );
}

#[test]
fn extern_blocks_statics_and_foreign_fns() {
    let src = r#"
        extern "C" { fn strlen(p: *const u8) -> usize; static mut errno: i32; }
        unsafe extern "system" { pub unsafe fn GetLastError() -> u32; pub safe fn ok() -> u32; }
        extern { fn old(); }
        static mut COUNTER: u32 = 0;
        static FINE: u32 = 0;
        extern "C" fn callback() {}
        fn f(p: *const u8) -> usize { unsafe { strlen(p) } }
    "#;
    let f = parsed(src);
    let got: Vec<_> = f
        .findings
        .iter()
        .map(|f| (f.kind, f.detail.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            k(Kind::ExternBlock, "C"),
            k(Kind::StaticMut, ""),
            k(Kind::ExternBlock, "system"),
            k(Kind::ExternBlock, "C"),
            k(Kind::StaticMut, ""),
            k(Kind::UnsafeBlock, ""),
            k(Kind::Ffi, "extern fn strlen"),
        ]
    );
}

#[test]
fn linkage_attributes_in_all_forms() {
    let src = r#"
        #[no_mangle] pub extern "C" fn a() {}
        #[unsafe(no_mangle)] pub extern "C" fn b() {}
        #[export_name = "exp"] pub fn c() {}
        #[unsafe(export_name = "exp2")] pub fn d() {}
        #[link(name = "z", kind = "static")] extern "C" {}
        #[link_section = ".init_array"] static INIT: u8 = 0;
        #[cfg_attr(unix, no_mangle)] pub fn e() {}
        #[cfg_attr(all(), unsafe(link_section = ".x"), inline)] pub fn f() {}
        #[link_name = "not_a_link_attr"] fn g() {}
        #[inline] fn h() {}
    "#;
    let f = parsed(src);
    let got: Vec<_> = f
        .findings
        .iter()
        .map(|f| (f.kind, f.detail.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            k(Kind::NoMangle, ""),
            k(Kind::NoMangle, ""),
            k(Kind::ExportName, "exp"),
            k(Kind::ExportName, "exp2"),
            k(Kind::LinkAttr, "z"),
            k(Kind::ExternBlock, "C"),
            k(Kind::LinkSection, ".init_array"),
            k(Kind::NoMangle, ""),
            k(Kind::LinkSection, ".x"),
        ]
    );
    assert_eq!((f.findings[0].line, f.findings[0].col), (2, 9));
}

#[test]
fn inline_asm_bare_qualified_and_renamed() {
    let src = r#"
        use core::arch::asm as a;
        fn f() { unsafe { asm!("nop"); core::arch::asm!("nop"); ::std::arch::naked_asm!("ret"); a!("nop"); } }
        std::arch::global_asm!("");
        fn g() { my::asm!(""); }
    "#;
    assert_eq!(
        details(src, Kind::InlineAsm),
        vec![
            "asm",
            "core::arch::asm",
            "std::arch::naked_asm",
            "core::arch::asm",
            "std::arch::global_asm"
        ]
    );
}

#[test]
fn transmute_through_imports_and_mirrors() {
    let src = r#"
        use std::mem;
        use core::mem::transmute_copy as tc;
        fn f() {
            let a: u32 = unsafe { mem::transmute(1f32) };
            let b: u32 = unsafe { core::mem::transmute::<f32, u32>(1f32) };
            let c: u32 = unsafe { tc(&1f32) };
            let d = core::intrinsics::transmute;
            let e = std::mem::swap;
            let g = transmute(1);
        }
    "#;
    assert_eq!(
        details(src, Kind::Transmute),
        vec![
            "std::mem::transmute",
            "core::mem::transmute",
            "core::mem::transmute_copy",
            "core::intrinsics::transmute"
        ]
    );
}

#[test]
fn includes_with_literal_and_macro_arguments() {
    let src = r#"
        #![doc = include_str!("../README.md")]
        static DATA: &[u8] = include_bytes!("data.bin");
        static TEXT: &str = core::include_str!(r"a.txt");
        include!(concat!(env!("OUT_DIR"), "/x.rs"));
        fn f() { let x = std::include_bytes!(  "b.bin" ); }
    "#;
    let got = kinds(src);
    assert_eq!(
        got,
        vec![
            k(Kind::IncludeStr, "../README.md"),
            k(Kind::IncludeBytes, "data.bin"),
            k(Kind::IncludeStr, "a.txt"),
            k(Kind::Include, r#"concat!(env!("OUT_DIR"), "/x.rs")"#),
            k(Kind::IncludeBytes, "b.bin"),
        ]
    );
}

#[test]
fn plain_rename_group_glob_and_leading_colon_paths() {
    let src = r#"
        use std::fs as f;
        use std::{env, net::{TcpStream as T, UdpSocket}};
        use std::process::*;
        fn go() {
            f::read("x");
            ::std::fs::write("x", "y");
            env::var("HOME");
            env::set_var("A", "b");
            T::connect("a:1");
            let s = UdpSocket::bind;
            Command::new("ls");
            exit(0);
            std::env::args();
        }
    "#;
    assert_eq!(
        kinds(src),
        vec![
            k(Kind::Fs, "std::fs::read"),
            k(Kind::Fs, "std::fs::write"),
            k(Kind::EnvRead, "std::env::var"),
            k(Kind::EnvWrite, "std::env::set_var"),
            k(Kind::Net, "std::net::TcpStream::connect"),
            k(Kind::Net, "std::net::UdpSocket::bind"),
            k(Kind::Process, "std::process::Command::new"),
        ]
    );
}

#[test]
fn local_variables_and_modules_named_fs_are_not_the_file_system() {
    let local_mod = "mod fs { pub fn read() {} } fn g() { fs::read(); }";
    assert_eq!(kinds(local_mod), vec![]);
    let variable = "fn g(fs: Thing) { fs.read(); let x = fs; }";
    assert_eq!(kinds(variable), vec![]);
    let use_local =
        "mod sys { pub mod fs { pub fn read() {} } } use self::sys::fs; fn g() { fs::read(); }";
    assert_eq!(kinds(use_local), vec![]);
    let crate_path = "fn g() { crate::fs::read(); super::fs::read(); }";
    assert_eq!(kinds(crate_path), vec![]);
    let curl_var = "fn g() { let curl = 1; let y = curl; }";
    assert_eq!(kinds(curl_var), vec![]);
}

#[test]
fn types_and_use_items_do_not_count() {
    let src = r#"
        use std::net::TcpStream;
        use std::fs;
        struct S { s: TcpStream, f: std::fs::File }
        fn f(x: TcpStream) -> std::fs::File { todo!() }
        fn g() -> Vec<std::process::Command> { vec![] }
        fn h(x: impl std::net::ToSocketAddrs) {}
    "#;
    assert_eq!(kinds(src), vec![]);
}

#[test]
fn globs_count_only_items_inside_the_module() {
    let src = r#"
        use std::env::*;
        use std::fs::*;
        use libc::*;
        fn g() {
            var("HOME");
            File::open("x");
            let read = 1;
            let y = read;
            unknown_thing();
            Some(3);
            let z = O_RDONLY;
            open(p, 0);
        }
    "#;
    assert_eq!(
        kinds(src),
        vec![
            k(Kind::EnvRead, "std::env::var"),
            k(Kind::Fs, "std::fs::File::open"),
            k(Kind::Ffi, "libc::unknown_thing"),
            k(Kind::Ffi, "libc::open"),
        ]
    );
    // a local item shadows a glob
    assert_eq!(
        kinds("use std::env::*; fn var(_: &str) {} fn g() { var(\"x\"); }"),
        vec![]
    );
}

#[test]
fn third_party_wrappers_and_extern_crate_renames() {
    let src = r#"
        extern crate libc as c;
        use tokio::net::TcpListener;
        async fn g() {
            tokio::fs::read("x").await;
            TcpListener::bind("0:0").await;
            reqwest::get("http://x").await;
            c::getpid();
            let m = memmap2::Mmap::map(&f);
            duct::cmd!("ls").run();
            hyper::Client::new();
            tokio::spawn(async {});
        }
    "#;
    assert_eq!(
        kinds(src),
        vec![
            k(Kind::Fs, "tokio::fs::read"),
            k(Kind::Net, "tokio::net::TcpListener::bind"),
            k(Kind::Net, "reqwest::get"),
            k(Kind::Ffi, "libc::getpid"),
            k(Kind::Fs, "memmap2::Mmap::map"),
            k(Kind::Process, "duct::cmd"),
            k(Kind::Net, "hyper::Client::new"),
        ]
    );
}

#[test]
fn fn_values_count_and_struct_literals_and_constants_do_not() {
    let src = r#"
        use std::fs;
        fn g() {
            let o = std::fs::OpenOptions { };
            let v: Vec<_> = paths.iter().map(fs::read_to_string).collect();
            let flags = libc::O_RDONLY | libc::O_CREAT;
            let t = std::fs::File;
        }
    "#;
    // data and constants are mentions; a function taken as a value is a use
    assert_eq!(kinds(src), vec![k(Kind::Fs, "std::fs::read_to_string")]);
}

#[test]
fn println_args_are_syntax_and_opaque_macros_are_tokens() {
    let src = r#"
        use std::fs;
        fn g() {
            println!("{}", fs::read_to_string("x").unwrap());
            assert!(unsafe { f() });
            lazy_static! { static ref X: u8 = unsafe { std::env::var("A") }; }
        }
        macro_rules! m { () => { unsafe { $crate::x() } ; std::fs::read("a"); }; }
    "#;
    let f = parsed(src);
    let got: Vec<_> = f.findings.iter().map(|f| (f.kind, f.origin)).collect();
    assert_eq!(
        got,
        vec![
            (Kind::Fs, Origin::Syntax),
            (Kind::UnsafeBlock, Origin::Syntax),
            (Kind::UnsafeBlock, Origin::MacroTokens),
            (Kind::EnvRead, Origin::MacroTokens),
            (Kind::UnsafeBlock, Origin::MacroTokens),
            (Kind::Fs, Origin::MacroTokens),
        ]
    );
}

#[test]
fn cfg_test_and_test_functions_are_flagged() {
    let src = r#"
        fn shipped() { unsafe {} }
        #[cfg(test)]
        mod tests { fn t() { unsafe {} } }
        #[test] fn a() { unsafe {} }
        #[tokio::test] async fn b() { unsafe {} }
        #[cfg(all(test, unix))] fn c() { unsafe {} }
        #[cfg(not(test))] fn d() { unsafe {} }
        #[cfg(any(test, feature = "x"))] fn e() { unsafe {} }
        #[cfg(test)] mod out_of_line;
        #[cfg(test)] #[path = "t/helpers.rs"] mod helpers;
        mod shipped_mod;
    "#;
    let f = parsed(src);
    let flags: Vec<bool> = f.findings.iter().map(|f| f.test).collect();
    // `#[tokio::test]` is test code only where tokio is a dev-only dependency, which the
    // default rules know of none
    assert_eq!(flags, vec![false, true, true, false, true, false, false]);
    let scanned = super::scan("src/lib.rs", src, super::Mode::Fast);
    let mods: Vec<(String, usize)> = (scanned.decls.mods.iter())
        .map(|m| match &m.name {
            super::decls::Name::Literal(n) => (n.clone(), m.gates.len()),
            super::decls::Name::Computed => ("$".into(), m.gates.len()),
        })
        .collect();
    assert_eq!(
        mods,
        vec![
            ("out_of_line".to_string(), 1),
            ("helpers".to_string(), 1),
            ("shipped_mod".to_string(), 0)
        ]
    );
    let whole = parsed("#![cfg(test)]\nfn f() { unsafe {} }");
    assert!(whole.findings[0].test);
}

#[test]
fn bom_shebang_crlf_and_lines() {
    let src = "\u{feff}#!/usr/bin/env run\r\nfn f() {\r\n  unsafe {}\r\n}\r\n";
    let f = parsed(src);
    assert_eq!(f.lines, 4);
    assert_eq!(f.bytes, src.len() as u64);
    assert_eq!((f.findings[0].line, f.findings[0].col), (3, 3));
    let attr = parsed("#![allow(dead_code)]\nfn f() { unsafe {} }");
    assert_eq!(attr.findings[0].line, 2);
    let bom_only = parsed("\u{feff}fn f() { unsafe {} }");
    assert_eq!(bom_only.findings[0].col, 10);
}

#[test]
fn non_ascii_columns_are_in_characters() {
    let f = parsed("fn f() { let é = \"ü\"; unsafe {} }");
    assert_eq!(f.findings[0].col, 23);
}

#[test]
fn shebang_only_when_no_bracket_follows() {
    let code = |src: &str| {
        parsed(src)
            .findings
            .iter()
            .map(|f| f.kind)
            .collect::<Vec<_>>()
    };
    // a real shebang line is cut, whatever it holds
    assert!(code("#!/usr/bin/env x unsafe {}\nfn f() {}\n").is_empty());
    // `[` after whitespace or comments: an inner attribute, and the line is code
    assert_eq!(
        code("#!/**/[allow(unused)] fn f() { unsafe {} }\n"),
        vec![Kind::UnsafeBlock]
    );
    assert_eq!(
        code("#! // c\n [allow(unused)] fn f() { unsafe {} }\n"),
        vec![Kind::UnsafeBlock]
    );
    assert_eq!(
        code("#!/* a /* nested */ b */[allow(unused)] fn f() { unsafe {} }\n"),
        vec![Kind::UnsafeBlock]
    );
    // a doc comment is a token: what comes first is not `[`, so this is a shebang
    assert!(!super::prepare::next_is_bracket("/// doc\n[allow(unused)]"));
    assert!(!super::prepare::next_is_bracket(
        "/** doc */[allow(unused)]"
    ));
    assert!(super::prepare::next_is_bracket("/**/[allow(unused)]"));
    assert!(super::prepare::next_is_bracket(
        "//// plain\n[allow(unused)]"
    ));
}
