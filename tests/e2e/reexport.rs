//! Names resolved across crates: a library re-exports capability paths under its own names,
//! a second crate calls them through the library, and the report finds the calls in the second
//! crate's row, where they are written. A look-alike re-exports a harmless type. The same
//! through a renamed dependency and an `extern crate` alias, through globs (and a look-alike
//! whose own items shadow the glob), and through exported `macro_rules!` invoked by the user.

use crate::support::{
    Dep, Krate, LocalRegistry, TestResult, cargo, dep, fresh_dir, krate, manifest, tool, write,
};
use risk_report::model::Report;

const BASE: &str = "\
pub use std::net::TcpStream as Stream;
pub mod io {
    pub use std::fs as files;
}
pub use std::collections::HashMap as Map;
";

const USER: &str = "\
use base::io::files;

pub fn dial() -> bool {
    base::Stream::connect(\"198.51.100.7:443\").is_ok()
}

pub fn read() -> usize {
    files::read(\"/etc/hostname\").map(|b| b.len()).unwrap_or(0)
}

pub fn map() -> usize {
    let m: base::Map<u8, u8> = base::Map::new();
    m.len()
}
";

#[test]
fn calls_through_a_dependency_s_re_exports_are_the_caller_s() -> TestResult {
    let base = krate("base", "1.0.0").file("src/lib.rs", BASE);
    let user = krate("user", "1.0.0")
        .deps(vec![dep("base")])
        .file("src/lib.rs", USER);
    let report = report_of("reexport", &[base, user], &[dep("user")])?;
    let base = &report.packages["base@1.0.0"];
    assert_eq!(
        base.reexports.get("Stream").map(String::as_str),
        Some("std::net::TcpStream")
    );
    assert_eq!(
        base.reexports.get("io::files").map(String::as_str),
        Some("std::fs")
    );
    // base itself calls nothing
    assert!(base.shipped.is_empty(), "{:?}", base.shipped);
    let user = &report.packages["user@1.0.0"];
    let count = |code: &str| {
        (user.shipped.iter())
            .find(|(k, _)| k.code() == code)
            .map_or(0, |(_, n)| *n)
    };
    assert_eq!((count("net"), count("fs")), (1, 1), "{:?}", user.shipped);
    let caps: Vec<&str> = user.capabilities.iter().map(|c| c.code()).collect();
    assert!(caps.contains(&"net") && caps.contains(&"fs"), "{caps:?}");
    Ok(())
}

/// Publishes `crates` to a fresh local registry, makes an app depending on `app_deps`, runs
/// the tool offline and reads the report.
fn report_of(name: &str, crates: &[Krate], app_deps: &[Dep]) -> TestResult<Report> {
    let root = fresh_dir(name)?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    for k in crates {
        reg.publish(k)?;
    }
    let home = root.join("home");
    write(&home.join("config.toml"), &reg.source_replacement())?;
    let app = root.join("app");
    write(&app.join("src/lib.rs"), "")?;
    write(
        &app.join("Cargo.toml"),
        &manifest(Some(("app", "0.1.0")), app_deps, "\n[workspace]\n"),
    )?;
    cargo(&app, &home, &["generate-lockfile", "--offline"])?.ok()?;
    tool(&app, &home, &["--offline", "-q"])?.ok()?;
    Ok(Report::from_toml(&std::fs::read_to_string(
        app.join("risk-report.toml"),
    )?)?)
}

/// `code=n` of a package's shipped counts.
fn shipped(report: &Report, package: &str) -> Vec<String> {
    (report.packages[package].shipped.iter())
        .map(|(k, n)| format!("{}={n}", k.code()))
        .collect()
}

/// `name: caps` of a package's `via`.
fn via(report: &Report, package: &str) -> Vec<String> {
    (report.packages[package].via.iter())
        .map(|(name, caps)| {
            let caps: Vec<&str> = caps.iter().map(|c| c.code()).collect();
            format!("{name}: {}", caps.join(", "))
        })
        .collect()
}

const DIAL: &str =
    "pub fn dial() -> bool {\n    b::Stream::connect(\"198.51.100.7:443\").is_ok()\n}\n";

#[test]
fn renamed_dependencies_and_extern_crate_aliases_reach_the_package() -> TestResult {
    let base = krate("base", "1.0.0").file("src/lib.rs", BASE);
    // a package really named `b`, whose `Stream` is a map
    let b = krate("b", "1.0.0").file(
        "src/lib.rs",
        "pub use std::collections::HashMap as Stream;\n",
    );
    let renamed = krate("renamed", "1.0.0")
        .deps(vec![dep("b").package("base")])
        .file("src/lib.rs", DIAL);
    // the alias is in the extern prelude: a module of the crate calls through it
    let aliased = krate("aliased", "1.0.0")
        .deps(vec![dep("base")])
        .file("src/lib.rs", "extern crate base as b;\npub mod net;\n")
        .file("src/net.rs", DIAL);
    let lookalike = krate("lookalike", "1.0.0").deps(vec![dep("b")]).file(
        "src/lib.rs",
        "pub fn map() -> usize {\n    b::Stream::<u8, u8>::new().len()\n}\n",
    );
    let report = report_of(
        "reexport-renamed",
        &[base, b, renamed, aliased, lookalike],
        &[dep("renamed"), dep("aliased"), dep("lookalike")],
    )?;
    assert_eq!(shipped(&report, "renamed@1.0.0"), ["net=1"]);
    assert_eq!(shipped(&report, "aliased@1.0.0"), ["net=1"]);
    assert!(shipped(&report, "lookalike@1.0.0").is_empty());
    Ok(())
}

const GLOBS: &str = "\
pub use std::net::*;
pub mod sys {
    pub use std::process::*;
}
";

/// A look-alike: the glob is there, but the crate's own `TcpStream` (with an inherent
/// `connect`) and `sys::Command` shadow it, as rustc resolves them.
const SHADOWED: &str = "\
pub use std::net::*;
/// A stream of its own.
#[derive(Debug)]
pub struct TcpStream;
impl TcpStream {
    pub fn connect(_: &str) -> Result<TcpStream, ()> {
        Ok(TcpStream)
    }
}
pub mod sys {
    pub use std::process::*;
    pub use self::imp::Command;
    mod imp {
        pub struct Command;
        impl Command {
            pub fn new(_: &str) -> Command {
                Command
            }
        }
    }
}
";

const GLOB_USER: &str = "\
pub fn dial() -> bool {
    base::TcpStream::connect(\"198.51.100.7:443\").is_ok()
}

pub fn spawn() {
    let _ = base::sys::Command::new(\"sh\");
}
";

#[test]
fn glob_re_exports_reach_the_caller_unless_the_module_shadows_them() -> TestResult {
    let base = krate("base", "1.0.0").file("src/lib.rs", GLOBS);
    let user = krate("user", "1.0.0")
        .deps(vec![dep("base")])
        .file("src/lib.rs", GLOB_USER);
    let report = report_of("reexport-globs", &[base, user], &[dep("user")])?;
    let base = &report.packages["base@1.0.0"];
    assert_eq!(
        base.reexports.get("*").map(String::as_str),
        Some("std::net")
    );
    assert_eq!(
        base.reexports.get("sys::*").map(String::as_str),
        Some("std::process")
    );
    assert_eq!(shipped(&report, "user@1.0.0"), ["net=1", "process=1"]);

    let base = krate("base", "1.0.0").file("src/lib.rs", SHADOWED);
    let user = krate("user", "1.0.0")
        .deps(vec![dep("base")])
        .file("src/lib.rs", GLOB_USER);
    let report = report_of("reexport-shadowed", &[base, user], &[dep("user")])?;
    assert!(shipped(&report, "user@1.0.0").is_empty());
    let caps = &report.packages["user@1.0.0"].capabilities;
    assert!(caps.is_empty(), "{caps:?}");
    Ok(())
}

const MACROS: &str = "\
pub use std::net::TcpStream as Stream;

#[macro_export]
macro_rules! dial {
    ($a:expr) => {
        $crate::Stream::connect($a)
    };
}

#[macro_export]
macro_rules! shell {
    () => {
        ::std::process::Command::new(\"sh\")
    };
}

/// A look-alike: an exported macro that only builds a map.
#[macro_export]
macro_rules! map {
    () => {
        ::std::collections::HashMap::<u8, u8>::new()
    };
}
";

#[test]
fn exported_macros_put_their_capabilities_into_the_invoking_crate() -> TestResult {
    let base = krate("base", "1.0.0").file("src/lib.rs", MACROS);
    let qualified = krate("qualified", "1.0.0").deps(vec![dep("base")]).file(
        "src/lib.rs",
        "pub fn f() -> bool {\n    base::dial!(\"198.51.100.7:443\").is_ok()\n}\n",
    );
    let imported = krate("imported", "1.0.0").deps(vec![dep("base")]).file(
        "src/lib.rs",
        "use base::shell;\n\npub fn f() {\n    let _ = shell!();\n}\n",
    );
    let macro_use = krate("macro-use", "1.0.0").deps(vec![dep("base")]).file(
        "src/lib.rs",
        "#[macro_use]\nextern crate base;\n\npub fn f() -> bool {\n    dial!(\"198.51.100.7:443\").is_ok()\n}\n",
    );
    let lookalike = krate("lookalike", "1.0.0").deps(vec![dep("base")]).file(
        "src/lib.rs",
        "pub fn f() -> usize {\n    base::map!().len()\n}\n",
    );
    let report = report_of(
        "reexport-macros",
        &[base, qualified, imported, macro_use, lookalike],
        &[
            dep("qualified"),
            dep("imported"),
            dep("macro-use"),
            dep("lookalike"),
        ],
    )?;
    // base counts its own transcribers' findings as before
    assert_eq!(shipped(&report, "base@1.0.0"), ["process=1"]);
    assert!(via(&report, "base@1.0.0").is_empty());
    assert_eq!(via(&report, "qualified@1.0.0"), ["base: net"]);
    assert_eq!(via(&report, "imported@1.0.0"), ["base: process"]);
    assert_eq!(via(&report, "macro-use@1.0.0"), ["base: net"]);
    assert!(via(&report, "lookalike@1.0.0").is_empty());
    let caps = |p: &str| -> Vec<&str> {
        (report.packages[p].capabilities.iter())
            .map(|c| c.code())
            .collect()
    };
    assert_eq!(caps("qualified@1.0.0"), ["net"]);
    assert_eq!(caps("imported@1.0.0"), ["process"]);
    assert!(caps("lookalike@1.0.0").is_empty());
    Ok(())
}
