//! The module walk on crates built at test time: which files each target compiles, what
//! cannot be read is said, and nothing is skipped silently. (The adversarial corpus, through
//! the binary, is `tests/e2e/adversarial.rs`; these pin the walk's rules one by one.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use risk_analyzer::{Limits, scan_crate_dir, scan_crate_tarball};
use risk_report::facts::{CrateFacts, Role};
use testkit::{EntryType, Tarball};

const MANIFEST: &[u8] = b"[package]\nname = \"walk\"\nversion = \"1.0.0\"\nedition = \"2021\"\n";

fn scan(files: &[(&str, &str)]) -> CrateFacts {
    let mut tar = Tarball::new();
    tar.file("walk-1.0.0/Cargo.toml", MANIFEST);
    for (path, text) in files {
        tar.file(&format!("walk-1.0.0/{path}"), text.as_bytes());
    }
    scan_crate_tarball(&tar.gz(), Some("walk-1.0.0"), &Limits::default())
}

fn role(facts: &CrateFacts, path: &str) -> Option<Role> {
    facts.files.iter().find(|f| f.path == path).map(|f| f.role)
}

#[test]
fn a_module_that_is_a_link_is_said_to_be_unread() {
    let mut tar = Tarball::new();
    tar.file("walk-1.0.0/Cargo.toml", MANIFEST);
    tar.file("walk-1.0.0/src/lib.rs", b"mod evil;\npub fn f() {}\n");
    tar.link("walk-1.0.0/src/evil.rs", EntryType::Symlink, "/etc/passwd");
    let facts = scan_crate_tarball(&tar.gz(), Some("walk-1.0.0"), &Limits::default());
    assert!(
        facts
            .unread_modules
            .iter()
            .any(|u| u.starts_with("src/lib.rs: mod evil -> ") && u.contains("symbolic link")),
        "{:?}",
        facts.unread_modules
    );
}

#[test]
fn both_module_files_are_followed_and_a_missing_test_module_is_not_news() {
    let facts = scan(&[
        (
            "src/lib.rs",
            "mod both;\n#[cfg(test)]\nmod gone;\nmod missing;\n",
        ),
        ("src/both.rs", "pub fn a() {}\n"),
        ("src/both/mod.rs", "pub fn b() {}\n"),
    ]);
    assert_eq!(role(&facts, "src/both.rs"), Some(Role::Shipped));
    assert_eq!(role(&facts, "src/both/mod.rs"), Some(Role::Shipped));
    assert_eq!(
        facts.unread_modules,
        ["src/lib.rs: mod missing -> src/missing.rs or src/missing/mod.rs: not in the crate"]
    );
}

#[test]
fn paths_leaving_the_crate_are_said_and_followed_nowhere() {
    let facts = scan(&[("src/lib.rs", "#[path = \"../../../etc/x.rs\"]\nmod x;\n")]);
    assert_eq!(
        facts.unread_modules,
        ["src/lib.rs: mod x -> #[path = \"../../../etc/x.rs\"] -> points outside the crate"]
    );
}

#[test]
fn roles_are_the_best_of_the_targets_that_reach_a_file() {
    let facts = scan(&[
        ("src/lib.rs", "#[path = \"../shared.rs\"]\nmod shared;\n"),
        ("build.rs", "mod shared;\nmod only_build;\nfn main() {}\n"),
        ("shared.rs", "pub fn s() {}\n"),
        ("only_build.rs", "pub fn b() {}\n"),
        ("tests/it.rs", "mod common;\n"),
        ("tests/common/mod.rs", "pub fn c() {}\n"),
        ("tests/fixtures/broken.rs", "fn ("),
    ]);
    assert_eq!(role(&facts, "shared.rs"), Some(Role::Shipped));
    assert_eq!(role(&facts, "only_build.rs"), Some(Role::Build));
    assert_eq!(role(&facts, "tests/common/mod.rs"), Some(Role::Test));
    assert_eq!(
        role(&facts, "tests/fixtures/broken.rs"),
        Some(Role::Unreached)
    );
    // the build script can copy an unreached file in
    assert!(facts.unreached_may_compile);
}

#[test]
fn without_a_build_script_or_a_computed_path_unreached_files_cannot_compile() {
    let facts = scan(&[("src/lib.rs", "pub fn f() {}\n"), ("src/old.rs", "x")]);
    assert_eq!(role(&facts, "src/old.rs"), Some(Role::Unreached));
    assert!(!facts.unreached_may_compile);
    let computed = scan(&[
        (
            "src/lib.rs",
            "include!(concat!(env!(\"SOMEWHERE\"), \"/x.rs\"));\n",
        ),
        ("src/old.rs", "x"),
    ]);
    assert!(computed.unreached_may_compile);
}

#[test]
fn a_source_directory_records_its_set_aside_folders_and_reads_what_a_module_names() {
    let dir = std::env::temp_dir().join(format!("module-tree-{}/walk", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("Cargo.toml", std::str::from_utf8(MANIFEST).unwrap());
    write(
        "src/lib.rs",
        "#[path = \"../target/gen/net.rs\"]\nmod net;\n",
    );
    write(
        "target/gen/net.rs",
        "pub fn f() { let _ = std::net::TcpStream::connect(\"x:1\"); }\n",
    );
    write("target/other.rs", "pub fn g() { unsafe {} }\n");
    write(".git/hooks/x.rs", "fn x() {}\n");
    let facts = scan_crate_dir(&dir, &Limits::default());
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
    let skipped: Vec<&str> = facts.skipped.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(skipped, ["walk/.git", "walk/target"]);
    // the named file is read like any other; the rest of target/ is not read at all
    assert_eq!(role(&facts, "target/gen/net.rs"), Some(Role::Shipped));
    let net = facts.files.iter().find(|f| f.path == "target/gen/net.rs");
    assert_eq!(net.map(|f| f.findings.len()), Some(1));
    assert_eq!(role(&facts, "target/other.rs"), None);
}
