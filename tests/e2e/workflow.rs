//! The GitHub workflow pair in `docs/github-actions/`: both files validated against the
//! published GitHub workflow schema (SchemaStore's, as `@action-validator/core` embeds it,
//! installed by `.ci/run`), what each stage may do, and its scripts run for real: `delta.sh`
//! with this tool on a git repository (first pull request, gate), `comment.sh` against a fake
//! `gh` on PATH that records every call (a fork's pull request, updating our own comment,
//! leaving someone else's alone, refusing an artifact aimed at another pull request).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{LocalRegistry, Out, TestResult, cargo, ci, fresh_dir, krate, skipped, write};

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/github-actions")
}

const WORKFLOWS: [&str; 2] = ["risk-report.yml", "risk-report-comment.yml"];

/// The validator `.ci/run` installs (`ACTION_VALIDATOR` overrides), or `None` outside CI.
fn validator() -> TestResult<Option<PathBuf>> {
    let dir = std::env::var_os("ACTION_VALIDATOR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/ci-tools/node_modules/@action-validator/core")
        });
    let node = Command::new("node").arg("--version").output();
    if dir.join("action_validator.js").is_file() && node.is_ok_and(|o| o.status.success()) {
        return Ok(Some(dir));
    }
    if ci() {
        return Err(format!(
            "CI: node and {} are needed to validate the workflows; .ci/run installs them",
            dir.display()
        )
        .into());
    }
    skipped(&format!(
        "GitHub workflow schema validation: no node or no {} (`bash .ci/run` installs it)",
        dir.display()
    ));
    Ok(None)
}

/// The schema errors of one workflow file, as JSON text; `[]` when it is valid.
fn schema_errors(validator: &Path, file: &Path) -> TestResult<String> {
    const SCRIPT: &str = "const v = require(process.argv[1]); \
        const src = require('fs').readFileSync(process.argv[2], 'utf8'); \
        console.log(JSON.stringify(v.validateWorkflow(src).errors));";
    let out = Command::new("node")
        .args(["-e", SCRIPT])
        .arg(validator.join("action_validator.js"))
        .arg(file)
        .output()?;
    if !out.status.success() {
        return Err(format!("node: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_owned())
}

#[test]
fn both_workflows_validate_against_the_published_schema() -> TestResult {
    let Some(validator) = validator()? else {
        return Ok(());
    };
    for name in WORKFLOWS {
        assert_eq!(
            schema_errors(&validator, &docs().join(name))?,
            "[]",
            "{name}"
        );
    }
    // The validator does reject a broken workflow.
    let dir = fresh_dir("workflow-schema")?;
    let broken = dir.join("broken.yml");
    let text = std::fs::read_to_string(docs().join(WORKFLOWS[0]))?
        .replace("runs-on: ubuntu-latest", "runs-onn: ubuntu-latest");
    write(&broken, &text)?;
    assert_ne!(schema_errors(&validator, &broken)?, "[]");
    Ok(())
}

#[test]
fn the_untrusted_stage_cannot_write_and_the_trusted_one_runs_no_pull_request_code() -> TestResult {
    let one = std::fs::read_to_string(docs().join(WORKFLOWS[0]))?;
    let two = std::fs::read_to_string(docs().join(WORKFLOWS[1]))?;
    assert!(
        one.contains("\npermissions:\n  contents: read\n\n"),
        "{one}"
    );
    assert!(
        !one.contains(": write"),
        "stage 1 holds no write permission"
    );
    assert!(!one.contains("GH_TOKEN") && !one.contains("gh api"));
    assert!(one.contains("pull_request:") && !one.contains("pull_request_target"));
    assert!(one.contains("concurrency:") && one.contains("cancel-in-progress: true"));
    assert!(
        one.contains("RISK_REPORT_VERSION: \"0.1.0\""),
        "a pinned version"
    );
    assert!(one.contains("uses: actions/cache@") && one.contains("cargo-risk-report-results"));
    assert!(one.contains("CACHE_DIR="));
    // Stage 2: triggered by stage 1's completion, from the default branch.
    assert!(two.contains("workflow_run:\n    workflows: [\"dependency risk\"]"));
    assert!(two.contains("pull-requests: write") && two.contains("concurrency:"));
    assert!(two.contains("ref: ${{ github.event.repository.default_branch }}"));
    assert!(
        !two.contains("head_sha }}\n          persist")
            && !two.contains("ref: ${{ github.event.workflow_run.head")
    );
    Ok(())
}

#[test]
fn install_runs_outside_the_checkout_with_its_own_toolchain() -> TestResult {
    let dir = fresh_dir("workflow-install")?;
    let bin = dir.join("bin");
    let log = dir.join("calls.log");
    for tool in ["rustup", "cargo"] {
        write(
            &bin.join(tool),
            &format!(
                "#!/usr/bin/env bash\nprintf '{tool} %s | pwd=%s toolchain=%s\\n' \"$*\" \"$PWD\" \"${{RUSTUP_TOOLCHAIN:-}}\" >> \"$FAKE_LOG\"\n"
            ),
        )?;
        make_executable(&bin.join(tool))?;
    }
    let checkout = dir.join("checkout");
    let temp = dir.join("runner-temp");
    std::fs::create_dir_all(&checkout)?;
    std::fs::create_dir_all(&temp)?;
    let out = script(
        "install.sh",
        &checkout,
        &bin,
        &[
            ("FAKE_LOG", log.as_os_str()),
            ("RISK_REPORT_VERSION", "0.1.0".as_ref()),
            (
                "RISK_REPORT_GIT",
                "https://example.invalid/risk.git".as_ref(),
            ),
            ("RISK_REPORT_ROOT", dir.join("tool").as_os_str()),
            ("RUNNER_TEMP", temp.as_os_str()),
            ("GITHUB_PATH", dir.join("github-path").as_os_str()),
        ],
    )?
    .ok()?;
    let calls = std::fs::read_to_string(&log)?;
    let temp = temp.display();
    assert_eq!(
        calls,
        format!(
            "rustup toolchain install 1.95.0 --profile minimal --no-self-update | pwd={temp} toolchain=\n\
             cargo install --locked --root {} --git https://example.invalid/risk.git --tag v0.1.0 cargo-risk-report | pwd={temp} toolchain=1.95.0\n",
            dir.join("tool").display()
        ),
        "{out:#?}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("github-path"))?,
        format!("{}\n", dir.join("tool/bin").display())
    );
    Ok(())
}

#[cfg(unix)]
fn make_executable(path: &Path) -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))?;
    Ok(())
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> TestResult {
    Ok(())
}

/// Runs one of the workflow's scripts with `bin` first on PATH and the given environment.
fn script(name: &str, dir: &Path, bin: &Path, env: &[(&str, &std::ffi::OsStr)]) -> TestResult<Out> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin.to_owned()];
    paths.extend(std::env::split_paths(&path));
    let mut cmd = Command::new("bash");
    cmd.arg(docs().join("scripts").join(name))
        .current_dir(dir)
        .env("PATH", std::env::join_paths(paths)?)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_PATH")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_TERM_COLOR");
    cmd.envs(env.iter().map(|(k, v)| (*k, *v)));
    let out = cmd.output()?;
    Ok(Out {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout)?,
        stderr: String::from_utf8(out.stderr)?,
    })
}

/// A fake `gh`: logs each call's arguments, answers `api repos/R/pulls/N` with `pull.json`
/// and the comment listing with `comments.json` from its folder, keeps the body of a write.
const FAKE_GH: &str = r#"#!/usr/bin/env bash
printf '%s\n' "$*" >> "$FAKE_GH_DIR/calls.log"
case "$*" in
  *"-X PATCH "* | *"-X POST "*)
    for a in "$@"; do
      case "$a" in body=@*) cp "${a#body=@}" "$FAKE_GH_DIR/posted.md" ;; esac
    done
    echo '{}' ;;
  "api --paginate repos/"*"/comments") cat "$FAKE_GH_DIR/comments.json" ;;
  "api repos/"*"/pulls/"*) cat "$FAKE_GH_DIR/pull.json" ;;
  *) echo "unexpected gh call: $*" >&2; exit 9 ;;
esac
"#;

const SHA: &str = "0123456789abcdef0123456789abcdef01234567";
const BODY: &str = "<!-- cargo-risk-report -->\n### Dependency risk: +1 crate. New: now uses the network (netty 1.0.0).\n";

/// The trusted stage against a fake `gh`: the artifact (PR 7 at [`SHA`]), the pull request's
/// current head and its comments as given; returns the script's output and gh's calls.
fn post(name: &str, pr_head: &str, comments: &str) -> TestResult<(Out, Vec<String>, PathBuf)> {
    let dir = fresh_dir(&format!("workflow-{name}"))?;
    let gh = dir.join("gh");
    write(&gh.join("gh"), FAKE_GH)?;
    make_executable(&gh.join("gh"))?;
    write(
        &gh.join("pull.json"),
        &format!("{{\"number\": 7, \"head\": {{\"sha\": \"{pr_head}\"}}}}"),
    )?;
    // Two pages, as `gh api --paginate` prints them.
    write(&gh.join("comments.json"), comments)?;
    let artifact = dir.join("artifact");
    write(&artifact.join("pr-number"), "7\n")?;
    write(&artifact.join("head-sha"), &format!("{SHA}\n"))?;
    write(&artifact.join("comment.md"), BODY)?;
    let out = script(
        "comment.sh",
        &dir,
        &gh,
        &[
            ("FAKE_GH_DIR", gh.as_os_str()),
            ("ARTIFACT_DIR", artifact.as_os_str()),
            ("REPO", "owner/repo".as_ref()),
            ("RUN_HEAD_SHA", SHA.as_ref()),
        ],
    )?;
    let calls = std::fs::read_to_string(gh.join("calls.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.replace(&artifact.display().to_string(), "ARTIFACT"))
        .collect();
    Ok((out, calls, gh))
}

fn jq_or_skip() -> bool {
    if Command::new("jq")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return true;
    }
    assert!(
        !ci(),
        "CI: jq is needed by comment.sh (GitHub's runners have it)"
    );
    skipped("the comment script's tests: no jq on PATH");
    false
}

#[test]
fn a_fork_pull_request_gets_a_new_comment() -> TestResult {
    if !jq_or_skip() {
        return Ok(());
    }
    let (out, calls, gh) = post("fork", SHA, "[]\n[]\n")?;
    let out = out.ok()?;
    assert_eq!(
        calls,
        [
            "api repos/owner/repo/pulls/7",
            "api --paginate repos/owner/repo/issues/7/comments",
            "api -X POST repos/owner/repo/issues/7/comments -F body=@ARTIFACT/comment.md",
        ],
        "{out:#?}"
    );
    assert_eq!(std::fs::read_to_string(gh.join("posted.md"))?, BODY);
    Ok(())
}

#[test]
fn our_own_comment_is_updated_and_someone_elses_is_left_alone() -> TestResult {
    if !jq_or_skip() {
        return Ok(());
    }
    let others =
        r#"[{"id": 11, "user": {"login": "mallory"}, "body": "<!-- cargo-risk-report -->\nfake"}]"#;
    let ours = r#"[{"id": 42, "user": {"login": "github-actions[bot]"}, "body": "<!-- cargo-risk-report -->\nold"}]"#;
    let plain = r#"[{"id": 5, "user": {"login": "github-actions[bot]"}, "body": "CI passed"}]"#;
    // Page one holds someone else's look-alike, page two ours.
    let (out, calls, _) = post("update", SHA, &format!("{others}\n{plain}\n{ours}\n"))?;
    out.ok()?;
    assert_eq!(
        calls.last().map(String::as_str),
        Some("api -X PATCH repos/owner/repo/issues/comments/42 -F body=@ARTIFACT/comment.md")
    );
    // Only someone else's: a new comment, theirs untouched.
    let (out, calls, _) = post("others", SHA, &format!("{others}\n"))?;
    out.ok()?;
    assert_eq!(
        calls.last().map(String::as_str),
        Some("api -X POST repos/owner/repo/issues/7/comments -F body=@ARTIFACT/comment.md")
    );
    assert!(
        !calls.iter().any(|c| c.contains("comments/11")),
        "{calls:?}"
    );
    Ok(())
}

#[test]
fn an_artifact_for_another_head_posts_nothing() -> TestResult {
    if !jq_or_skip() {
        return Ok(());
    }
    // The pull request moved on (or the artifact names a pull request it does not belong to).
    let (out, calls, _) = post("stale", &"f".repeat(40), "[]\n")?;
    let out = out.ok()?;
    assert_eq!(calls, ["api repos/owner/repo/pulls/7"], "{out:#?}");
    assert!(out.stdout.contains("not posting"), "{out:#?}");
    Ok(())
}

/// A git repository whose base commit depends on `plain` and whose head adds `netty` (the
/// network), with a local registry in `home`.
struct Repo {
    dir: PathBuf,
    home: PathBuf,
    base: String,
}

fn git(dir: &Path, args: &[&str]) -> TestResult<String> {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()?;
    if !out.status.success() {
        return Err(format!("git {args:?}: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8(out.stdout)?.trim().to_owned())
}

fn repo(name: &str, commit_report: bool) -> TestResult<Repo> {
    let root = fresh_dir(name)?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    reg.publish(&krate("plain", "1.0.0"))?;
    reg.publish(&krate("netty", "1.0.0").file(
        "src/lib.rs",
        "pub fn f() {\n    let _ = std::net::TcpStream::connect(\"127.0.0.1:9\");\n}\n",
    ))?;
    let home = root.join("home");
    write(&home.join("config.toml"), &reg.source_replacement())?;
    let dir = root.join("repo");
    let manifest = |deps: &str| {
        format!(
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n\n[dependencies]\n{deps}"
        )
    };
    write(&dir.join("Cargo.toml"), &manifest("plain = \"1\"\n"))?;
    write(&dir.join("src/lib.rs"), "")?;
    write(&dir.join(".gitignore"), "/target\n")?;
    cargo(&dir, &home, &["generate-lockfile", "--offline"])?.ok()?;
    git(&dir, &["init", "-q"])?;
    if commit_report {
        let bin = env!("CARGO_BIN_EXE_cargo-risk-report");
        let out = Command::new(bin)
            .args(["--offline", "-q"])
            .current_dir(&dir)
            .env("CARGO_HOME", &home)
            .env("XDG_CACHE_HOME", home.join("cache"))
            .output()?;
        assert!(out.status.success(), "{out:?}");
    }
    git(&dir, &["add", "-A"])?;
    git(&dir, &["commit", "-qm", "base"])?;
    let base = git(&dir, &["rev-parse", "HEAD"])?;
    write(
        &dir.join("Cargo.toml"),
        &manifest("netty = \"1\"\nplain = \"1\"\n"),
    )?;
    cargo(&dir, &home, &["generate-lockfile", "--offline"])?.ok()?;
    git(&dir, &["commit", "-qam", "add netty"])?;
    Ok(Repo { dir, home, base })
}

/// Runs `delta.sh` in the repository; returns its output, the comment and the job summary.
fn delta(r: &Repo, fail_on_increase: bool) -> TestResult<(Out, String, String)> {
    let out_dir = r.dir.join("../artifact");
    let summary = r.dir.join("../summary.md");
    let _ = std::fs::remove_file(&summary);
    let head = git(&r.dir, &["rev-parse", "HEAD"])?;
    let out = script(
        "delta.sh",
        &r.dir,
        Path::new("/nonexistent"),
        &[
            ("BASE_SHA", r.base.as_ref()),
            ("HEAD_SHA", head.as_ref()),
            ("PR_NUMBER", "7".as_ref()),
            ("OUT_DIR", out_dir.as_os_str()),
            ("CACHE_DIR", r.dir.join("../results").as_os_str()),
            ("GITHUB_STEP_SUMMARY", summary.as_os_str()),
            (
                "FAIL_ON_INCREASE",
                if fail_on_increase { "true" } else { "false" }.as_ref(),
            ),
            (
                "RISK_REPORT",
                env!("CARGO_BIN_EXE_cargo-risk-report").as_ref(),
            ),
            ("CARGO_HOME", r.home.as_os_str()),
            ("CARGO_NET_OFFLINE", "true".as_ref()),
        ],
    )?;
    assert_eq!(std::fs::read_to_string(out_dir.join("pr-number"))?, "7\n");
    assert_eq!(
        std::fs::read_to_string(out_dir.join("head-sha"))?,
        format!("{head}\n")
    );
    let comment = std::fs::read_to_string(out_dir.join("comment.md"))?;
    Ok((out, comment, std::fs::read_to_string(&summary)?))
}

#[test]
fn the_first_pull_request_compares_with_a_report_of_the_base_lockfile() -> TestResult {
    let r = repo("workflow-first", false)?;
    let (out, comment, summary) = delta(&r, true)?;
    assert_eq!(out.code, Some(1), "netty adds the network: {out:#?}");
    assert!(
        comment.starts_with("<!-- cargo-risk-report -->\n### Dependency risk: +1 crate."),
        "{comment}"
    );
    assert!(
        comment.contains("now uses the network (netty 1.0.0)"),
        "{comment}"
    );
    assert!(
        comment.contains("The base branch has no `risk-report.toml` yet"),
        "{comment}"
    );
    assert_eq!(summary, comment, "the job summary holds the same delta");
    assert!(
        git(&r.dir, &["worktree", "list"])?.lines().count() == 1,
        "the base worktree is removed"
    );
    Ok(())
}

#[test]
fn a_committed_base_report_is_the_baseline_and_the_gate_is_optional() -> TestResult {
    let r = repo("workflow-committed", true)?;
    let (out, comment, _) = delta(&r, false)?;
    let out = out.ok()?;
    assert!(
        comment.contains("now uses the network (netty 1.0.0)"),
        "{comment}"
    );
    assert!(!comment.contains("has no `risk-report.toml`"), "{comment}");
    assert!(out.stderr.is_empty(), "{out:#?}");
    Ok(())
}
