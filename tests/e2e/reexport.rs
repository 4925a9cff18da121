//! Names resolved across crates: a library re-exports capability paths under its own names,
//! a second crate calls them through the library, and the report finds the calls in the second
//! crate's row, where they are written. A look-alike re-exports a harmless type.

use crate::support::{
    LocalRegistry, TestResult, cargo, dep, fresh_dir, krate, manifest, tool, write,
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
    let root = fresh_dir("reexport")?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    reg.publish(&krate("base", "1.0.0").file("src/lib.rs", BASE))?;
    reg.publish(
        &krate("user", "1.0.0")
            .deps(vec![dep("base")])
            .file("src/lib.rs", USER),
    )?;
    let home = root.join("home");
    write(&home.join("config.toml"), &reg.source_replacement())?;
    let app = root.join("app");
    write(&app.join("src/lib.rs"), "")?;
    write(
        &app.join("Cargo.toml"),
        &manifest(Some(("app", "0.1.0")), &[dep("user")], "\n[workspace]\n"),
    )?;
    cargo(&app, &home, &["generate-lockfile", "--offline"])?.ok()?;
    tool(&app, &home, &["--offline", "-q"])?.ok()?;
    let report = Report::from_toml(&std::fs::read_to_string(app.join("risk-report.toml"))?)?;
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
