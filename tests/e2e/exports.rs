//! The exports of a real workspace: the SBOM validated against the official CycloneDX schema
//! (through the CycloneDX Python library, which ships the schemas and a validator), the
//! `sbom --verify` round trip, `diff --format sarif` pointing into Cargo.lock, and the
//! dashboard of the workspace's report with dependency paths.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{
    LocalRegistry, Out, TestResult, cargo, ci, dep, fresh_dir, krate, manifest, pack, skipped,
    tool, write,
};

const NET_LIB: &str =
    "pub fn f() {\n    let _ = std::net::TcpStream::connect(\"127.0.0.1:9\");\n}\n";

/// `app -> netty -> inner`, `app -> plain`, `app -> buildy (build)`, `app -> testy (dev)`.
struct Fixture {
    reg: LocalRegistry,
    ws: PathBuf,
    home: PathBuf,
}

fn fixture(name: &str) -> TestResult<Fixture> {
    let root = fresh_dir(name)?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    for k in [
        krate("inner", "1.0.0").file("src/lib.rs", NET_LIB),
        krate("netty", "1.0.0").deps(vec![dep("inner")]),
        krate("testy", "1.0.0"),
    ] {
        reg.publish(&k)?;
    }
    // Licenses for the SBOM: an expression in the old `/` form, and a license file.
    for (name, license, extra) in [
        ("plain", "license = \"MIT/Apache-2.0\"\n", None),
        ("buildy", "license-file = \"COPYING\"\n", Some("COPYING")),
    ] {
        let mut files = vec![
            ("src/lib.rs", "pub fn f() {}\n".to_owned()),
            ("Cargo.toml", manifest(Some((name, "1.0.0")), &[], license)),
        ];
        files.extend(extra.map(|f| (f, "All rights reserved.\n".to_owned())));
        reg.publish_packed(name, "1.0.0", &pack(name, "1.0.0", &files)?, &[])?;
    }
    let ws = root.join("ws");
    write(
        &ws.join("Cargo.toml"),
        &manifest(
            Some(("app", "0.1.0")),
            &[
                dep("netty"),
                dep("plain"),
                dep("buildy").build(),
                dep("testy").dev(),
            ],
            "\n[workspace]\n",
        )
        .replacen(
            "edition = \"2021\"\n",
            "edition = \"2021\"\nlicense = \"Apache-2.0\"\n",
            1,
        ),
    )?;
    write(&ws.join("src/lib.rs"), "")?;
    write(&ws.join(".cargo/config.toml"), &reg.source_replacement())?;
    let home = root.join("home");
    cargo(&ws, &home, &["generate-lockfile", "--offline"])?.ok()?;
    Ok(Fixture { reg, ws, home })
}

/// Validates a CycloneDX 1.6 JSON file with the CycloneDX Python library's strict validator.
/// `Ok(false)` when the library is missing outside CI (the test then says it skipped).
fn cyclonedx_valid(path: &Path) -> TestResult<bool> {
    const SCRIPT: &str = r#"
import sys
try:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
except ImportError as e:
    print(f"missing: {e}")
    sys.exit(3)
with open(sys.argv[1], encoding="utf-8") as f:
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(f.read(), all_errors=True)
if errors:
    for e in errors:
        print(e)
    sys.exit(1)
print("valid CycloneDX 1.6")
"#;
    let out = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(path)
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) if !ci() => {
            skipped(&format!(
                "CycloneDX schema validation: cannot run python3 ({e})"
            ));
            return Ok(false);
        }
        Err(e) => return Err(format!("CI: python3 is needed to validate the SBOM: {e}").into()),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    match out.status.code() {
        Some(0) => Ok(true),
        Some(3) if !ci() => {
            skipped(&format!(
                "CycloneDX schema validation: {}; pip install 'cyclonedx-python-lib[json-validation]'",
                stdout.trim()
            ));
            Ok(false)
        }
        _ => Err(format!(
            "the SBOM does not validate against CycloneDX 1.6:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into()),
    }
}

fn verify(f: &Fixture, bom: &str) -> TestResult<Out> {
    tool(&f.ws, &f.home, &["sbom", "--offline", "--verify", bom])
}

#[test]
fn sbom_validates_and_verify_catches_a_changed_lockfile() -> TestResult {
    let f = fixture("sbom")?;
    tool(
        &f.ws,
        &f.home,
        &["sbom", "--offline", "-q", "-o", "bom.json"],
    )?
    .ok()?;
    let bom_path = f.ws.join("bom.json");
    let text = std::fs::read_to_string(&bom_path)?;
    let bom: Value = serde_json::from_str(&text)?;
    if cyclonedx_valid(&bom_path)? {
        eprintln!("bom.json validates against the CycloneDX 1.6 JSON schema");
    }

    let components = bom["components"].as_array().ok_or("no components")?;
    let find = |name: &str| components.iter().find(|c| c["name"] == name);
    let inner = find("inner").ok_or("no inner")?;
    assert_eq!(inner["purl"], "pkg:cargo/inner@1.0.0");
    assert_eq!(inner["scope"], "required");
    assert_eq!(
        inner["hashes"][0]["content"].as_str().map(str::len),
        Some(64)
    );
    let props: Vec<String> = inner["properties"]
        .as_array()
        .ok_or("no properties")?
        .iter()
        .map(|p| {
            format!(
                "{}={}",
                p["name"].as_str().unwrap_or(""),
                p["value"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        props.contains(&"cargo-risk-report:capability=net".to_owned()),
        "{props:?}"
    );
    assert!(
        props.contains(&"cargo-risk-report:shipped:net=1".to_owned()),
        "{props:?}"
    );
    assert_eq!(find("buildy").ok_or("no buildy")?["scope"], "optional");
    assert_eq!(find("testy").ok_or("no testy")?["scope"], "optional");
    assert_eq!(bom["metadata"]["component"]["name"], "app");
    // Typed by its targets (a library only), licensed as its manifest says.
    assert_eq!(bom["metadata"]["component"]["type"], "library");
    assert_eq!(
        bom["metadata"]["component"]["licenses"],
        serde_json::json!([{ "expression": "Apache-2.0" }])
    );
    assert_eq!(
        find("plain").ok_or("no plain")?["licenses"],
        serde_json::json!([{ "expression": "MIT OR Apache-2.0" }])
    );
    assert_eq!(
        find("buildy").ok_or("no buildy")?["licenses"],
        serde_json::json!([{ "license": { "name": "LicenseRef-file: COPYING" } }])
    );
    assert!(find("inner").is_some_and(|c| c.get("licenses").is_none()));
    // With a binary target the member is an application.
    write(&f.ws.join("src/main.rs"), "fn main() {}\n")?;
    let with_bin = tool(&f.ws, &f.home, &["sbom", "--offline", "-q"])?.ok()?;
    let with_bin: Value = serde_json::from_str(&with_bin.stdout)?;
    assert_eq!(with_bin["metadata"]["component"]["type"], "application");
    std::fs::remove_file(f.ws.join("src/main.rs"))?;
    let deps = bom["dependencies"].as_array().ok_or("no dependencies")?;
    let netty = deps
        .iter()
        .find(|d| d["ref"] == "netty@1.0.0")
        .ok_or("no netty edges")?;
    assert_eq!(netty["dependsOn"], serde_json::json!(["inner@1.0.0"]));
    // Deterministic: a second run gives the same bytes.
    let again = tool(&f.ws, &f.home, &["sbom", "--offline", "-q"])?.ok()?;
    assert_eq!(again.stdout, text);

    let ok = verify(&f, "bom.json")?.ok()?;
    assert!(ok.stderr.contains("match"), "{}", ok.stderr);

    // A hand-edited hash is named.
    let edited = text.replacen(
        inner["hashes"][0]["content"].as_str().ok_or("hash")?,
        &"0".repeat(64),
        1,
    );
    std::fs::write(f.ws.join("edited.json"), edited)?;
    let out = verify(&f, "edited.json")?;
    assert_eq!(out.code, Some(1), "{out:#?}");
    assert!(
        out.stdout.contains("SHA-256 differs: inner 1.0.0"),
        "{}",
        out.stdout
    );

    // A new version in the registry, and the lockfile moves to it.
    f.reg.publish(&krate("plain", "1.0.1"))?;
    cargo(&f.ws, &f.home, &["update", "-p", "plain", "--offline"])?.ok()?;
    let out = verify(&f, "bom.json")?;
    assert_eq!(out.code, Some(1), "{out:#?}");
    assert!(
        out.stdout
            .contains("version differs: plain 1.0.0 in the SBOM, 1.0.1 now"),
        "{}",
        out.stdout
    );
    let out = verify(&f, "missing.json")?.failed()?;
    assert!(out.stderr.contains("missing.json"), "{}", out.stderr);
    // What is wrong with a file that is there is said once, after the file's name.
    for (file, text, said) in [
        (
            "other.json",
            "{\"spdxVersion\": \"SPDX-2.3\"}",
            "not a CycloneDX JSON document",
        ),
        (
            "broken.json",
            "{\"bomFormat\": ",
            "not JSON: EOF while parsing",
        ),
    ] {
        std::fs::write(f.ws.join(file), text)?;
        let out = verify(&f, file)?.failed()?;
        let line = format!("cannot read the SBOM {file}: {said}");
        assert!(out.stderr.contains(&line), "{}", out.stderr);
        assert_eq!(out.stderr.matches(said).count(), 1, "{}", out.stderr);
    }
    Ok(())
}

#[test]
fn diff_as_sarif_points_at_the_lockfile_and_the_crate_line() -> TestResult {
    let f = fixture("sarif")?;
    tool(&f.ws, &f.home, &["--offline", "-q", "-o", "old.toml"])?.ok()?;
    // plain 1.0.1 starts using the network.
    f.reg
        .publish(&krate("plain", "1.0.1").file("src/lib.rs", NET_LIB))?;
    cargo(&f.ws, &f.home, &["update", "-p", "plain", "--offline"])?.ok()?;
    tool(&f.ws, &f.home, &["--offline", "-q"])?.ok()?;
    // The workspace is the root of its repository: the lockfile's URI is then `Cargo.lock`.
    let ok = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&f.ws)
        .status()?
        .success();
    assert!(ok, "git init");
    let out = tool(
        &f.ws,
        &f.home,
        &["diff", "old.toml", "risk-report.toml", "--format", "sarif"],
    )?
    .ok()?;
    let log: Value = serde_json::from_str(&out.stdout)?;
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().ok_or("no results")?;
    let net = results
        .iter()
        .find(|r| r["ruleId"] == "net")
        .ok_or_else(|| format!("no net result: {}", out.stdout))?;
    let lock = std::fs::read_to_string(f.ws.join("Cargo.lock"))?;
    let line = lock
        .lines()
        .position(|l| l == "name = \"plain\"")
        .ok_or("plain not in Cargo.lock")?
        + 1;
    let physical = &net["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "Cargo.lock");
    assert_eq!(physical["region"]["startLine"], line);
    let message = net["message"]["text"].as_str().unwrap_or("");
    assert!(message.contains("plain 1.0.0 -> 1.0.1"), "{message}");
    assert!(message.contains("src/lib.rs:2"), "{message}");
    Ok(())
}

#[test]
fn html_of_the_workspace_report_carries_dependency_paths() -> TestResult {
    let f = fixture("html")?;
    tool(&f.ws, &f.home, &["--offline", "-q"])?.ok()?;
    let out = tool(&f.ws, &f.home, &["html", "--offline", "-o", "dash.html"])?.ok()?;
    assert!(out.stderr.contains("dash.html"), "{}", out.stderr);
    let page = std::fs::read_to_string(f.ws.join("dash.html"))?;
    assert!(
        page.contains(r#""path":["app","netty","inner"]"#),
        "no path in the page"
    );
    assert!(page.contains("<title>ws · dependency risk</title>"));

    // --history: every committed version of the report, plus the working tree's.
    let git = |args: &[&str]| -> TestResult {
        let ok = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(&f.ws)
            .status()?
            .success();
        if ok {
            Ok(())
        } else {
            Err(format!("git {args:?}").into())
        }
    };
    git(&["init", "-q"])?;
    git(&["add", "risk-report.toml"])?;
    git(&["commit", "-qm", "first report"])?;
    f.reg
        .publish(&krate("plain", "1.0.1").file("src/lib.rs", NET_LIB))?;
    cargo(&f.ws, &f.home, &["update", "-p", "plain", "--offline"])?.ok()?;
    tool(&f.ws, &f.home, &["--offline", "-q"])?.ok()?;
    git(&["commit", "-qam", "plain 1.0.1"])?;
    let out = tool(
        &f.ws,
        &f.home,
        &["html", "--history", "--offline", "-o", "h.html"],
    )?
    .ok()?;
    assert!(
        out.stderr.contains("Dashboard of 2 reports"),
        "{}",
        out.stderr
    );
    let page = std::fs::read_to_string(f.ws.join("h.html"))?;
    assert!(page.contains("first report") && page.contains("plain 1.0.1"));
    assert!(
        page.contains("now uses the network"),
        "the change is annotated"
    );
    Ok(())
}
