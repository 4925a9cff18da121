//! Every output is safe to show. One hostile crate, whose file names, source lines, embedded
//! paths, binary names, build-script path and `.cargo_vcs_info.json` carry escape sequences
//! (CSI, OSC ended by BEL, the one-byte CSI), bidi controls, new lines that start a CI
//! workflow command, the legacy `##[` command, markdown and HTML, goes through every
//! renderer: text, markdown, JSON and SARIF deltas, `diff --source` (text and markdown), the
//! dashboard, `show`, `check`, the report as JSON and the run's own stderr. The assertions are
//! on the bytes: what must not be there, and the escaped forms that prove the strings were
//! shown rather than dropped.

use std::path::PathBuf;

use risk_report::sanitize::is_bidi_control;
use testkit::{EntryType, Tarball};

use crate::support::{
    LocalRegistry, Out, TestResult, cargo, dep, fresh_dir, krate, manifest, sha256_hex, tool, write,
};

/// A file name (no `/`): escape, bidi, a new line that starts a workflow command, the legacy
/// command, a markdown link, HTML.
const FILE: &str =
    "\u{1b}[31m\u{202e}\n::error file=a,line=1::name ##[error]x [l](e.vil) <img src=x>.rs";
/// A file at the crate root whose name, printed at the start of a line, is a workflow command.
const ROOT_FILE: &str = "::warning file=a::root.rs";
/// A source line's tail (no new line: it is one line).
const LINE: &str = "\u{1b}]0;pwned\u{7}\u{9b}2J\u{2066}rtl ##[error]legacy [click](https://e.vil) **b** </details><script>alert(1)</script> `t` |c| @everyone";
/// An embedded file's name and a shipped binary's.
const EMBED: &str = "\u{1b}[2J\u{202e}[x](https://e.vil)<b>.bin";
const BINARY: &str = "\u{1b}[31m<img src=x>\u{202e}\n::error::bin.so";
/// The build script's path, from the manifest.
const BUILD: &str = "build\u{1b}]0;title\u{7}\u{202e}.rs";
/// `.cargo_vcs_info.json`'s `path_in_vcs`.
const VCS_PATH: &str = "\n::error::vcs\u{1b}[31m\u{202e}";

/// A Rust string literal for `s`.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn hostile_crate() -> TestResult<Vec<u8>> {
    let lib = format!(
        "#[path = {}]\nmod hidden;\n#[path = {}]\nmod rootcmd;\n\npub static BLOB: &[u8] = include_bytes!({});\n\npub fn run() {{\n    let _ = std::process::Command::new(\"sh\"); // {LINE}\n}}\n",
        lit(FILE),
        lit(&format!("../{ROOT_FILE}")),
        lit(&format!("../data/{EMBED}")),
    );
    let toml = format!(
        "[package]\nname = \"evil\"\nversion = \"1.0.1\"\nedition = \"2021\"\nbuild = {}\n\n[lib]\npath = \"src/lib.rs\"\n",
        toml::Value::from(BUILD)
    );
    let vcs = serde_json::json!({
        "git": { "sha1": "0123456789abcdef0123456789abcdef01234567", "dirty": true },
        "path_in_vcs": VCS_PATH,
    })
    .to_string();
    let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
    elf.resize(128, 0);
    let r = "evil-1.0.1";
    let mut t = Tarball::new();
    t.file(&format!("{r}/Cargo.toml"), toml.as_bytes())
        .file(&format!("{r}/.cargo_vcs_info.json"), vcs.as_bytes())
        .file(&format!("{r}/src/lib.rs"), lib.as_bytes())
        .file(
            &format!("{r}/src/{FILE}"),
            format!("pub fn g() -> Vec<u8> {{\n    std::fs::read(\"x\").unwrap_or_default() // {LINE}\n}}\n").as_bytes(),
        )
        .file(
            &format!("{r}/{ROOT_FILE}"),
            b"pub fn h() -> bool {\n    std::env::var(\"X\").is_ok()\n}\n",
        )
        .file(
            &format!("{r}/{BUILD}"),
            format!("fn main() {{\n    let _ = std::process::Command::new(\"cc\").status(); // {LINE}\n}}\n").as_bytes(),
        )
        .file(&format!("{r}/data/{EMBED}"), b"blob")
        .file(&format!("{r}/bin/{BINARY}"), &elf)
        .link(
            &format!("{r}/src/\u{1b}]0;x\u{7}.rs"),
            EntryType::Symlink,
            "/etc/passwd",
        );
    Ok(t.gz())
}

struct Project {
    dir: PathBuf,
    home: PathBuf,
}

/// `app` depends on `evil` 1.0.0 (plain), through a git index so that both versions'
/// tarballs land in the cargo cache for `--source`; then `evil` 1.0.1 comes out.
fn project(name: &str) -> TestResult<Project> {
    let root = fresh_dir(name)?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    reg.publish(&krate("evil", "1.0.0"))?;
    let p = Project {
        dir: root.join("app"),
        home: root.join("home"),
    };
    let url = reg.git_index()?;
    write(
        &p.home.join("config.toml"),
        &format!(
            "[source.crates-io]\nreplace-with = \"fixture\"\n[source.fixture]\nregistry = \"{url}\"\n"
        ),
    )?;
    write(
        &p.dir.join("Cargo.toml"),
        &manifest(Some(("app", "0.1.0")), &[dep("evil")], "\n[workspace]\n"),
    )?;
    write(&p.dir.join("src/lib.rs"), "")?;
    cargo(&p.dir, &p.home, &["generate-lockfile"])?.ok()?;
    tool(&p.dir, &p.home, &["-q", "-o", "old.toml"])?.ok()?;

    let bytes = hostile_crate()?;
    reg.publish_bytes(&krate("evil", "1.0.1"), &bytes)?;
    std::fs::remove_dir_all(reg.root.join("index/.git"))?;
    reg.git_index()?;
    cargo(&p.dir, &p.home, &["update"])?.ok()?;
    let lock = std::fs::read_to_string(p.dir.join("Cargo.lock"))?;
    assert!(
        lock.contains(&sha256_hex(&bytes)),
        "the hostile version is pinned"
    );
    Ok(p)
}

impl Project {
    fn run(&self, args: &[&str]) -> TestResult<Out> {
        tool(&self.dir, &self.home, args)
    }

    fn read(&self, path: &str) -> TestResult<String> {
        Ok(std::fs::read_to_string(self.dir.join(path))?)
    }
}

/// Characters that act on a terminal or reorder text: every control but new line and tab
/// (C0, DEL, C1), and bidi controls.
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| (c.is_control() && *c != '\n' && *c != '\t') || is_bidi_control(*c))
        .collect()
}

/// Lines a GitHub Actions runner would take for a workflow command.
fn workflow_commands(s: &str) -> Vec<&str> {
    s.lines()
        .filter(|l| l.trim_start().starts_with("::") || l.contains("##["))
        .collect()
}

/// Every string in a JSON value.
fn strings(v: &serde_json::Value) -> Vec<&str> {
    match v {
        serde_json::Value::String(s) => vec![s],
        serde_json::Value::Array(a) => a.iter().flat_map(strings).collect(),
        serde_json::Value::Object(o) => o.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

fn assert_terminal_safe(what: &str, s: &str) {
    assert_eq!(raw_controls(s), [], "{what}:\n{s}");
    assert_eq!(workflow_commands(s), Vec::<&str>::new(), "{what}:\n{s}");
}

/// No markup, link, image, mention or HTML tag can open.
fn assert_markdown_safe(what: &str, s: &str) {
    assert_terminal_safe(what, s);
    for bad in [
        "<img",
        "<script",
        "</details><",
        "<b>",
        "](https://e.vil)",
        "@everyone",
        "**b**",
    ] {
        assert!(!s.contains(bad), "{what}: {bad:?} reached it:\n{s}");
    }
}

/// Same data as the crate wrote, nothing raw a terminal acts on, no legacy command.
fn assert_json_safe(what: &str, s: &str) -> TestResult<serde_json::Value> {
    assert_terminal_safe(what, s);
    Ok(serde_json::from_str(s)?)
}

#[test]
fn one_hostile_crate_through_every_renderer() -> TestResult {
    let p = project("safe-output")?;
    let run = p.run(&["-o", "new.toml"])?.ok()?;
    assert_terminal_safe("the run's stderr", &run.stderr);

    // The text delta, with and without the source.
    let text = p.run(&["diff", "old.toml", "new.toml"])?.ok()?.stdout;
    assert_terminal_safe("text", &text);
    assert!(
        text.contains("embeds: include-bytes ../data/\\u{1b}[2J\\u{202e}"),
        "{text}"
    );
    assert!(
        text.contains("binary: bin/\\u{1b}[31m<img src=x>\\u{202e}\\u{a}::error::bin.so"),
        "{text}"
    );
    let source = p
        .run(&["diff", "old.toml", "new.toml", "--source"])?
        .ok()?
        .stdout;
    assert_terminal_safe("text --source", &source);
    let header = "     | --- src/\\u{1b}[31m\\u{202e}\\u{a}::error file=a,line=1::name #\\u{23}[error]x [l](e.vil) <img src=x>.rs (new file)";
    assert!(
        source.lines().any(|l| l == header),
        "the file name is one escaped line:\n{source}"
    );
    assert!(
        source.contains("\\u{1b}]0;pwned\\u{7}\\u{9b}2J\\u{2066}rtl"),
        "the source line is shown, escaped:\n{source}"
    );

    // The PR comment, with and without the source.
    let md = p
        .run(&["diff", "old.toml", "new.toml", "--format", "markdown"])?
        .ok()?
        .stdout;
    assert_markdown_safe("markdown", &md);
    let md_source = p
        .run(&[
            "diff", "old.toml", "new.toml", "--format", "markdown", "--source",
        ])?
        .ok()?
        .stdout;
    // Inside the code block, markup is inert; lines and their order must hold.
    assert_terminal_safe("markdown --source", &md_source);
    assert!(
        md_source
            .lines()
            .any(|l| l.starts_with("--- src/\\u{1b}[31m\\u{202e}\\u{a}::error")),
        "{md_source}"
    );
    let outside_code: String = md_source
        .split("```")
        .step_by(2)
        .collect::<Vec<_>>()
        .join("");
    assert_markdown_safe("markdown --source outside the code", &outside_code);

    // JSON and SARIF: the data, losslessly, and nothing raw.
    let json = p
        .run(&["diff", "old.toml", "new.toml", "--format", "json"])?
        .ok()?
        .stdout;
    let v = assert_json_safe("json", &json)?;
    assert!(
        json.contains("\\u001b") && json.contains("\\u202e"),
        "escaped, not dropped:\n{json}"
    );
    assert!(
        strings(&v).iter().any(|s| s.contains(BINARY)),
        "the data is the crate's, unchanged"
    );
    let sarif = p
        .run(&["diff", "old.toml", "new.toml", "--format", "sarif"])?
        .ok()?
        .stdout;
    let v = assert_json_safe("sarif", &sarif)?;
    let messages: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["message"]["text"].as_str())
        .collect();
    assert!(messages.len() > 3, "{sarif}");
    for m in &messages {
        assert_eq!(raw_controls(m), [], "{m}");
        let unescaped = m
            .char_indices()
            .filter(|(i, c)| matches!(c, '[' | ']') && !m[..*i].ends_with('\\'))
            .count();
        assert_eq!(unescaped, 0, "an embedded link could open: {m}");
    }
    assert!(
        messages
            .iter()
            .any(|m| m.contains("at src/U+001B\\[31mU+202EU+000A::error file=a,line=1::name ##\\[error\\]x \\[l\\](e.vil)")),
        "{messages:#?}"
    );
    let report_json = p.run(&["--format", "json", "-q"])?.ok()?.stdout;
    assert_json_safe("report json", &report_json)?;

    // The dashboard: the data element cannot be left, and shows the strings escaped.
    p.run(&["html", "new.toml", "-o", "risk.html"])?.ok()?;
    let page = p.read("risk.html")?;
    assert_eq!(raw_controls(&page), [], "the page");
    let start = page
        .find(r#"<script type="application/json" id="risk-data">"#)
        .ok_or("no data element")?;
    let data = &page[start..];
    let data = &data[data.find('>').ok_or("tag")? + 1..data.find("</script>").ok_or("end")?];
    assert!(!data.contains(['<', '>', '&']), "{data}");
    let v: serde_json::Value = serde_json::from_str(data)?;
    let shown = v["packages"].to_string();
    assert!(
        shown.contains("bin/\\\\u{1b}[31m<img src=x>\\\\u{202e}\\\\u{a}::error::bin.so"),
        "the binary's name, escaped for display:\n{shown}"
    );

    // `show` and `check`: every line a person or a CI runner reads.
    let show = p.run(&["show", "evil@1.0.1", "--offline"])?.ok()?.stdout;
    assert_terminal_safe("show", &show);
    assert!(show.contains("\\u{3a}:warning file=a::root.rs:"), "{show}");
    assert!(
        show.contains("src/\\u{1b}[31m\\u{202e}\\u{a}::error"),
        "{show}"
    );
    write(
        &p.dir.join("risk-policy.toml"),
        "[policy]\ndefault = \"deny\"\n",
    )?;
    let check = p.run(&["check", "--offline"])?;
    assert_eq!(check.code, Some(1), "{check:#?}");
    assert_terminal_safe("check", &check.stdout);
    assert!(
        check.stdout.contains(
            "         | let _ = std::process::Command::new(\"sh\"); // \\u{1b}]0;pwned\\u{7}"
        ),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stdout
            .contains("build script build\\u{1b}]0;title\\u{7}\\u{202e}.rs"),
        "{}",
        check.stdout
    );
    Ok(())
}

/// The fixture really is hostile: the raw strings are in the report the run wrote.
#[test]
fn the_report_keeps_the_hostile_strings_as_data() -> TestResult {
    let p = project("safe-output-data")?;
    p.run(&["-q", "-o", "new.toml"])?.ok()?;
    let report = risk_report::model::Report::from_toml(&p.read("new.toml")?)?;
    let evil = report
        .packages
        .values()
        .find(|q| q.name == "evil")
        .ok_or("evil is in the report")?;
    assert!(
        evil.binaries
            .iter()
            .any(|b| b.path == format!("bin/{BINARY}"))
    );
    assert_eq!(evil.provenance.path_in_vcs.as_deref(), Some(VCS_PATH));
    assert!(
        evil.build_script.as_ref().is_some_and(|b| b.path == BUILD),
        "{:?}",
        evil.build_script
    );
    Ok(())
}
