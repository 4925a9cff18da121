//! What a person at a terminal sees: the progress bar ends cleared before the next line is
//! printed (run under a pseudo-terminal with `script`, the screen replayed from the bytes).

use std::path::Path;
use std::process::Command;

use crate::support::{LocalRegistry, TestResult, cargo, dep, fresh_dir, krate, manifest, write};

/// A workspace with `n` registry dependencies, its lockfile written; returns (project, home).
fn project(name: &str, n: usize) -> TestResult<(std::path::PathBuf, std::path::PathBuf)> {
    let root = fresh_dir(name)?;
    let reg = LocalRegistry::new(root.join("registry"))?;
    let names: Vec<&'static str> = (0..n)
        .map(|i| &*Box::leak(format!("dep{i:02}").into_boxed_str()))
        .collect();
    for name in &names {
        reg.publish(&krate(name, "1.0.0").file("src/lib.rs", "pub fn f() { unsafe {} }\n"))?;
    }
    let p = root.join("p");
    let deps: Vec<_> = names.iter().map(|n| dep(n)).collect();
    write(
        &p.join("Cargo.toml"),
        &manifest(Some(("p", "0.1.0")), &deps, "\n[workspace]\n"),
    )?;
    write(&p.join("src/lib.rs"), "")?;
    write(&p.join(".cargo/config.toml"), &reg.source_replacement())?;
    let home = root.join("home");
    cargo(&p, &home, &["generate-lockfile", "--offline"])?.ok()?;
    Ok((p, home))
}

/// Single-quoted for `sh`.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Runs the tool in `dir` with its stderr and stdout on a pseudo-terminal; the bytes the
/// terminal received, or `None` when `script` (util-linux) is not installed.
fn on_a_terminal(dir: &Path, home: &Path, args: &[&str]) -> TestResult<Option<String>> {
    let mut line = quote(env!("CARGO_BIN_EXE_cargo-risk-report"));
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    let out = match Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(dir)
        .env("CARGO_HOME", home)
        .env("XDG_CACHE_HOME", home.join("results-cache"))
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .env_remove("CARGO_TERM_COLOR")
        .env_remove("CARGO_TARGET_DIR")
        .output()
    {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    Ok(Some(String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// The screen a terminal shows after these bytes: enough of a VT100 for what indicatif and
/// console send (cursor up/down/column, erase line, erase below), colours dropped.
fn screen(bytes: &str) -> Vec<String> {
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = bytes.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => col = 0,
            '\n' => {
                row += 1;
                col = 0;
            }
            '\u{1b}' => {
                if chars.peek() != Some(&'[') {
                    chars.next();
                    continue;
                }
                chars.next();
                let mut params = String::new();
                let mut end = ' ';
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() || d == '~' {
                        end = d;
                        break;
                    }
                    params.push(d);
                }
                let n: usize = params.trim_start_matches('?').parse().unwrap_or(0);
                while lines.len() <= row {
                    lines.push(Vec::new());
                }
                match end {
                    'A' => row = row.saturating_sub(n.max(1)),
                    'B' => row += n.max(1),
                    'G' => col = n.saturating_sub(1),
                    'K' if n == 2 => lines[row].clear(),
                    'K' => lines[row].truncate(col),
                    'J' => {
                        lines[row].truncate(col);
                        lines.truncate(row + 1);
                    }
                    _ => {}
                }
            }
            c if c.is_control() => {}
            c => {
                while lines.len() <= row {
                    lines.push(Vec::new());
                }
                let line = &mut lines[row];
                while line.len() < col {
                    line.push(' ');
                }
                if col < line.len() {
                    line[col] = c;
                } else {
                    line.push(c);
                }
                col += 1;
            }
        }
    }
    lines
        .into_iter()
        .map(|l| l.into_iter().collect::<String>().trim_end().to_owned())
        .collect()
}

#[test]
fn the_progress_bar_is_cleared_before_the_summary() -> TestResult {
    let (p, home) = project("terminal-progress", 24)?;
    let out = p.join("risk-report.toml").to_string_lossy().into_owned();
    let cache = p.join("cache").to_string_lossy().into_owned();
    let Some(bytes) = on_a_terminal(
        &p,
        &home,
        &[
            "--offline",
            "--color",
            "never",
            "-o",
            &out,
            "--cache-dir",
            &cache,
        ],
    )?
    else {
        crate::support::skipped("the progress bar on a terminal: no `script` (util-linux)");
        return Ok(());
    };
    assert!(
        bytes.contains("Scanning ["),
        "the bar was never drawn, so this test shows nothing: {bytes:?}"
    );
    let shown = screen(&bytes);
    assert!(
        shown.iter().all(|l| !l.contains("Scanning [")),
        "a progress bar is left on the screen:\n{}",
        shown.join("\n")
    );
    assert!(
        shown.iter().any(|l| l.starts_with("Scanned 24 packages")),
        "the summary starts its own line:\n{}",
        shown.join("\n")
    );
    Ok(())
}

#[test]
fn the_screen_replay_follows_cursor_moves() {
    // a bar, redrawn, cleared with cursor-up and erase, then a message
    let s = screen("bar 1/2\r\u{1b}[2Kbar 2/2\n\u{1b}[1A\r\u{1b}[JDone\n");
    assert_eq!(s, vec!["Done".to_owned()]);
    // a second bar drawn where the first left the cursor: clearing it leaves the first
    let s = screen("bar 1/2\u{1b}[2Kbar 2/2\r\u{1b}[2K");
    assert_eq!(s, vec![String::new()]);
    let s = screen("bar 1/2bar 2/2\u{1b}[7G\u{1b}[K\nDone");
    assert_eq!(s, vec!["bar 1/".to_owned(), "Done".to_owned()]);
}
