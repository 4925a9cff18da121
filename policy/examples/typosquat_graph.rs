//! Measures the typosquat check on real graphs: for each `Cargo.lock` given, every registry
//! or git package is checked against the built-in list and the rest of that lockfile's
//! packages, as `check` and the delta do, and the flagged names are printed.
//!
//! `cargo run -p risk-policy --example typosquat_graph -- path/to/Cargo.lock...`
//!
//! With `--variants`, it measures the other side: how many typos of the built-in list's names
//! (a letter dropped, doubled, swapped with the next, replaced by a neighbouring key or by a
//! one-bit flip) are still flagged, by kind of typo and by where in the word it falls.

use std::collections::BTreeSet;

use risk_policy::Checker;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let checker = Checker::builtin();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--variants") {
        variants(&checker);
        return Ok(());
    }
    let mut total = 0;
    for path in args {
        let lock: toml::Table = toml::from_str(&std::fs::read_to_string(&path)?)?;
        // Workspace members and path packages have no `source`; the report leaves members out.
        let names: BTreeSet<String> = lock
            .get("package")
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
            .filter(|p| p.get("source").is_some())
            .filter_map(|p| p.get("name").and_then(toml::Value::as_str))
            .map(str::to_owned)
            .collect();
        let mut flagged = 0;
        for name in &names {
            let others = names.iter().map(String::as_str).filter(|n| n != name);
            let squats = checker.check(name, others);
            if !squats.is_empty() {
                flagged += 1;
                let near: Vec<String> = squats.iter().map(|s| s.describe()).collect();
                println!("  {name}: {}", near.join("; "));
            }
        }
        println!("{path}: {flagged} of {} names flagged", names.len());
        total += flagged;
    }
    println!("total flagged: {total}");
    Ok(())
}

const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

/// Keys beside `c` on its own row (enough to make substitution typos).
fn beside(c: char) -> Vec<char> {
    ROWS.iter()
        .filter_map(|row| {
            let keys: Vec<char> = row.chars().collect();
            let i = keys.iter().position(|&k| k == c)?;
            Some(
                [i.checked_sub(1), Some(i + 1)]
                    .into_iter()
                    .flatten()
                    .filter_map(move |j| keys.get(j).copied())
                    .collect::<Vec<_>>(),
            )
        })
        .flatten()
        .collect()
}

fn variants(checker: &Checker) {
    let names: Vec<&str> = risk_policy::typosquat::POPULAR_CRATES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    // (kind, at the start of a word) -> (flagged, generated)
    let mut tally: std::collections::BTreeMap<(&str, bool), (usize, usize)> = Default::default();
    for name in &names {
        let chars: Vec<char> = name.chars().collect();
        let word_start = |i: usize| i == 0 || matches!(chars[i - 1], '-' | '_');
        let mut out: Vec<(&str, usize, String)> = Vec::new();
        for i in 0..chars.len() {
            if !chars[i].is_ascii_lowercase() {
                continue;
            }
            let with = |f: &dyn Fn(&mut Vec<char>)| {
                let mut v = chars.clone();
                f(&mut v);
                v.into_iter().collect::<String>()
            };
            out.push((
                "drop",
                i,
                with(&|v| {
                    v.remove(i);
                }),
            ));
            out.push(("double", i, with(&|v| v.insert(i, chars[i]))));
            if i + 1 < chars.len() && chars[i + 1].is_ascii_lowercase() && chars[i] != chars[i + 1]
            {
                out.push(("swap", i, with(&|v| v.swap(i, i + 1))));
            }
            for k in beside(chars[i]) {
                out.push(("neighbour-key", i, with(&|v| v[i] = k)));
            }
            for bit in 0..7 {
                let c = char::from((chars[i] as u8) ^ (1 << bit));
                if c.is_ascii_lowercase() {
                    out.push(("bit-flip", i, with(&|v| v[i] = c)));
                }
            }
        }
        for (kind, i, variant) in out {
            if names.contains(&variant.as_str()) || variant.len() < 3 {
                continue;
            }
            let flagged = !checker.check(&variant, std::iter::empty()).is_empty();
            let t = tally.entry((kind, word_start(i))).or_default();
            t.0 += usize::from(flagged);
            t.1 += 1;
        }
    }
    let (mut f, mut n) = (0, 0);
    for ((kind, start), (flagged, all)) in &tally {
        let at = if *start {
            "word start"
        } else {
            "inside a word"
        };
        println!("{kind:>14} {at:>13}: {flagged:>6} of {all:>6} flagged");
        f += flagged;
        n += all;
    }
    println!("all typo variants: {f} of {n} flagged");
}
