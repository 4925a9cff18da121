//! Module scoping of the import map, and `extern` blocks declared inside macro bodies.

#![allow(clippy::unwrap_used)]

use risk_report::facts::{Kind, Origin, Parse};

use super::tests::{details, of, scan};

/// (line, detail) of every finding of `kind`.
fn lines(text: &str, kind: Kind) -> Vec<(u32, String)> {
    of(text, kind)
        .into_iter()
        .map(|f| (f.line, f.detail.unwrap_or_default()))
        .collect()
}

fn at(line: u32, detail: &str) -> (u32, String) {
    (line, detail.to_string())
}

#[test]
fn a_module_sees_its_own_imports() {
    let src = "mod a {\n    use std::fs;\n    fn g() { fs::read(\"x\"); }\n}\n";
    assert_eq!(lines(src, Kind::Fs), vec![at(3, "std::fs::read")]);
    let renamed = "mod a { use std::env::var as get; fn g() { get(\"HOME\"); } }";
    assert_eq!(details(renamed, Kind::EnvRead), vec!["std::env::var"]);
}

#[test]
fn a_parent_import_does_not_leak_into_a_child_module() {
    // the corpus lookalike: a module's own `Command` is not the imported one
    let src = "\
use std::process::Command;
mod shell {
    pub struct Command(pub String);
    impl Command {
        pub fn new(line: &str) -> Command { Command(line.to_string()) }
    }
    pub fn run() { Command::new(\"ls\"); }
}
pub fn spawn() { Command::new(\"ls\"); }
";
    assert_eq!(
        lines(src, Kind::Process),
        vec![at(9, "std::process::Command::new")]
    );
    let plain =
        "use std::fs::read; use std::fs; mod a { fn g() { read(\"x\"); fs::read(\"x\"); } }";
    assert_eq!(details(plain, Kind::Fs), Vec::<String>::new());
}

#[test]
fn a_child_import_does_not_leak_into_its_parent() {
    let src = "mod a { use std::fs::read; } fn g() { read(\"x\"); }";
    assert_eq!(details(src, Kind::Fs), Vec::<String>::new());
}

#[test]
fn sibling_modules_resolve_apart() {
    let src = "\
mod a {
    use std::fs::read;
    pub fn g() { read(\"x\"); }
}
mod b {
    use tokio::fs::read;
    pub async fn g() { read(\"x\").await; }
}
mod c {
    pub fn read(_: &str) {}
    pub fn g() { read(\"x\"); }
}
";
    assert_eq!(
        lines(src, Kind::Fs),
        vec![at(3, "std::fs::read"), at(7, "tokio::fs::read")]
    );
}

#[test]
fn nested_modules_each_see_only_their_own_imports() {
    let src = "\
use std::env;
mod a {
    use std::fs;
    mod b {
        use std::net::TcpStream;
        fn g() { TcpStream::connect(\"x\"); fs::read(\"x\"); env::var(\"x\"); }
    }
    fn h() { fs::read(\"y\"); TcpStream::connect(\"y\"); env::var(\"y\"); }
}
fn k() { env::var(\"z\"); fs::read(\"z\"); TcpStream::connect(\"z\"); }
";
    let facts = scan(src);
    assert_eq!(facts.parse, Parse::Parsed);
    let found: Vec<(u32, Kind)> = facts.findings.iter().map(|f| (f.line, f.kind)).collect();
    assert_eq!(
        found,
        vec![(6, Kind::Net), (8, Kind::Fs), (10, Kind::EnvRead)]
    );
}

#[test]
fn use_super_glob_sees_the_parent_scope_and_stays_local() {
    // the `mod tests { use super::*; }` idiom: the parent's imports and globs come through
    let tests_mod = "\
use std::fs;
use std::env::*;
fn f() {}
#[cfg(test)]
mod tests {
    use super::*;
    fn t() { fs::write(\"x\", \"y\"); var(\"HOME\"); f(); }
}
";
    assert_eq!(lines(tests_mod, Kind::Fs), vec![at(7, "std::fs::write")]);
    assert_eq!(
        lines(tests_mod, Kind::EnvRead),
        vec![at(7, "std::env::var")]
    );
    assert!(of(tests_mod, Kind::Fs)[0].test);
    // the child's own names and items shadow what the glob brings
    let shadowed = "\
use std::fs;
mod a {
    use super::*;
    mod fs { pub fn read(_: &str) {} }
    fn g() { fs::read(\"x\"); }
}
";
    assert_eq!(details(shadowed, Kind::Fs), Vec::<String>::new());
    // the parent's local items come through as local: its `mod fs` hides nothing external
    let parent_local = "\
mod fs { pub fn read(_: &str) {} }
mod a { use super::*; fn g() { fs::read(\"x\"); } }
";
    assert_eq!(details(parent_local, Kind::Fs), Vec::<String>::new());
    // `super` is never taken for a crate: nothing to glob outside the file
    let alone = "mod a { use super::*; fn g() { read(\"x\"); fs::read(\"x\"); } }";
    assert_eq!(details(alone, Kind::Fs), Vec::<String>::new());
    // two levels up, and a glob chained through a glob
    let deep = "\
use std::fs;
mod a {
    use super::*;
    mod b { use super::super::*; fn g() { fs::read(\"x\"); } }
    mod c { use super::*; fn g() { fs::read(\"y\"); } }
}
";
    assert_eq!(
        lines(deep, Kind::Fs),
        vec![at(4, "std::fs::read"), at(5, "std::fs::read")]
    );
}

#[test]
fn use_super_name_follows_the_parent_import() {
    let src = "use std::fs; mod a { use super::fs; fn g() { fs::read(\"x\"); } }";
    assert_eq!(details(src, Kind::Fs), vec!["std::fs::read"]);
    let renamed = "use std::process::Command as Cmd; mod a { use super::Cmd as C; fn g() { C::new(\"ls\"); } }";
    assert_eq!(
        details(renamed, Kind::Process),
        vec!["std::process::Command::new"]
    );
    let local = "mod fs { pub fn read() {} } mod a { use super::fs; fn g() { fs::read(); } }";
    assert_eq!(details(local, Kind::Fs), Vec::<String>::new());
}

#[test]
fn extern_crates_are_seen_from_every_module() {
    let src = "extern crate tokio as tk; mod a { async fn g() { tk::fs::read(\"x\").await; } }";
    assert_eq!(details(src, Kind::Fs), vec!["tokio::fs::read"]);
    let through_use = "extern crate std as s; mod a { use s::fs; fn g() { fs::read(\"x\"); } }";
    assert_eq!(details(through_use, Kind::Fs), vec!["std::fs::read"]);
}

#[test]
fn macro_bodies_resolve_in_their_module() {
    let src = "\
use std::process::Command;
mod shell {
    pub struct Command;
    items! { fn g() { Command::new(); } }
}
items! { fn h() { Command::new(); } }
";
    let found = of(src, Kind::Process);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].line, found[0].origin), (6, Origin::MacroTokens));
}

#[test]
fn extern_fns_declared_in_macro_bodies_are_ffi() {
    // the corpus case: declaration and call in one macro body
    let same = "\
items! {
    extern \"C\" { fn abs(x: i32) -> i32; }
    pub fn magnitude(x: i32) -> i32 { unsafe { abs(x) } }
}
";
    let found = of(same, Kind::Ffi);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].line, 3);
    assert_eq!(found[0].detail.as_deref(), Some("extern fn abs"));
    assert_eq!(found[0].origin, Origin::MacroTokens);
    // declared in a macro, called in parsed code after it, or before it
    let outside = "\
fn before() -> i32 { unsafe { labs(1) } }
items! { unsafe extern \"C\" { fn labs(x: i64) -> i64; } }
fn after() -> i32 { unsafe { labs(2) } }
";
    assert_eq!(
        lines(outside, Kind::Ffi),
        vec![at(1, "extern fn labs"), at(3, "extern fn labs")]
    );
    // in the module the macro is invoked in, not elsewhere
    let scoped = "\
mod c { items! { extern \"C\" { fn abs(x: i32) -> i32; } } fn f() { unsafe { abs(1) }; } }
fn g() { unsafe { abs(2) }; }
";
    assert_eq!(lines(scoped, Kind::Ffi), vec![at(1, "extern fn abs")]);
    // not an extern block: a safe `extern "C" fn` definition, a `$name` fragment
    let not_blocks = "\
items! { extern \"C\" fn cb() {} }
macro_rules! decl { ($n:ident) => { extern \"C\" { fn $n(); } } }
fn g() { cb(); n(); }
";
    assert_eq!(lines(not_blocks, Kind::Ffi), vec![]);
}

#[test]
fn fallback_files_keep_one_scope_per_module() {
    // as in a file syn takes: a module sees its own imports, not its parent's
    let src = "\
use std::fs;
mod a { fn g() { fs::read(\"x\"); } }
mod b { use std::fs; fn h() { fs::read(\"y\"); } }
unsafe fn broken() { let = unsafe { fs::write(\"z\", \"\") }; }
";
    let facts = scan(src);
    assert!(matches!(facts.parse, Parse::Fallback { .. }));
    let found: Vec<u32> = (facts.findings.iter())
        .filter(|f| f.kind == Kind::Fs)
        .map(|f| f.line)
        .collect();
    assert_eq!(found, [3, 4]);
}

#[test]
fn globs_of_child_modules_see_the_child_scope() {
    // `mod imp { pub use std::fs::read; } pub use self::imp::*;`, also written `imp::*`
    for glob in ["self::imp::*", "imp::*"] {
        let src = format!(
            "mod imp {{ pub use std::fs::read; }}\nuse {glob};\nfn g() {{ read(\"x\"); }}\n"
        );
        assert_eq!(
            lines(&src, Kind::Fs),
            vec![at(3, "std::fs::read")],
            "{glob}"
        );
    }
    // every cfg variant of the module is seen; its local items stay local (tokio's
    // `mod doc { pub(super) mod windows_sys { .. } } use self::doc::*;`)
    let variants = "\
#[cfg(windows)]
mod doc { pub(super) mod windows_sys { pub(crate) use windows_sys::Win32::Foundation::*; } }
#[cfg(not(windows))]
mod doc {}
use self::doc::*;
fn g() { windows_sys::CloseHandle(0); }
";
    assert_eq!(details(variants, Kind::Ffi), Vec::<String>::new());
    // a sibling through `super::sys::*`, and globs that name no module here
    let sibling = "\
mod sys { pub use libc::getpid; }
mod a { use super::sys::*; fn g() { getpid(); } }
enum E { A } use self::E::*; use crate::*;
fn h() { getpid(); }
";
    assert_eq!(lines(sibling, Kind::Ffi), vec![at(2, "libc::getpid")]);
    // globs in a cycle terminate
    let cycle = "use a::*; mod a { use super::*; fn g() { read(\"x\"); } } fn h() { read(\"y\"); }";
    assert_eq!(details(cycle, Kind::Fs), Vec::<String>::new());
}
