//! The TOML of grants: what `check` prints as "add this to allow it", and what `init` writes.
//! Names and strings are quoted and escaped here, so a hostile crate name cannot break out of
//! the snippet.

use std::collections::BTreeSet;

use risk_report::model::DepKind;
use semver::Version;

/// The semver-compatible range of a version, as a grant's `version`: `^1` for `1.4.2`, `^0.3`
/// for `0.3.7`, `=0.0.4` for `0.0.4`, and `=1.0.0-rc.1` for a pre-release (ranges skip
/// pre-releases). `None` for a version that is not semver: the grant then covers all versions.
pub fn compat_range(version: &str) -> Option<String> {
    let v = Version::parse(version).ok()?;
    Some(if !v.pre.is_empty() || (v.major == 0 && v.minor == 0) {
        format!("={v}")
    } else if v.major == 0 {
        format!("^0.{}", v.minor)
    } else {
        format!("^{}", v.major)
    })
}

/// A TOML basic string on one line, quoted and escaped (usable as a key too).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `grant.NAME`, with NAME quoted when it is not a bare key.
pub fn grant_key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        format!("grant.{name}")
    } else {
        format!("grant.{}", quote(name))
    }
}

/// `["fs", "net"]`.
pub fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(quote).collect();
    format!("[{}]", items.join(", "))
}

/// The `reached-as` line of a grant for a package reached only as `kinds`: `None` when it
/// ships (a normal dependency) or is not reached at all, so the grant is not limited.
pub fn reached_as(kinds: &BTreeSet<DepKind>) -> Option<String> {
    if kinds.is_empty() || kinds.contains(&DepKind::Normal) {
        return None;
    }
    let line = format!("reached-as = {}", list(kinds.iter().map(|k| k.code())));
    Some(format!("{line:<28}# covers it only while it does not ship"))
}

/// A grant covering the compatible range of `version` that allows `allow` (limited to how
/// the package is reached when it does not ship), with a reason to fill in.
pub fn grant_toml(
    name: &str,
    version: &str,
    kinds: &BTreeSet<DepKind>,
    allow: &BTreeSet<&str>,
) -> String {
    let mut s = format!("[[{}]]\n", grant_key(name));
    if let Some(range) = compat_range(version) {
        s.push_str(&format!("version = {}\n", quote(&range)));
    }
    s.push_str(&format!("allow = {}\n", list(allow.iter().copied())));
    if let Some(line) = reached_as(kinds) {
        s.push_str(&line);
        s.push('\n');
    }
    s.push_str(&format!(
        "reason = {}\n",
        quote(&format!("TODO: why {name} may do this"))
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compatible_ranges_follow_cargo() {
        assert_eq!(compat_range("1.4.2").as_deref(), Some("^1"));
        assert_eq!(compat_range("0.3.7").as_deref(), Some("^0.3"));
        assert_eq!(compat_range("0.0.4").as_deref(), Some("=0.0.4"));
        assert_eq!(compat_range("2.0.0-rc.1").as_deref(), Some("=2.0.0-rc.1"));
        assert_eq!(compat_range("not a version"), None);
    }

    #[test]
    fn the_snippet_parses_back_and_matches() -> Result<(), crate::file::PolicyError> {
        let allow: BTreeSet<&str> = ["net", "fs"].into();
        let text = grant_toml(
            "socket2",
            "0.6.1",
            &BTreeSet::from([DepKind::Normal]),
            &allow,
        );
        assert_eq!(
            text,
            "[[grant.socket2]]\nversion = \"^0.6\"\nallow = [\"fs\", \"net\"]\nreason = \"TODO: why socket2 may do this\"\n"
        );
        let p = crate::file::Policy::from_toml(&text)?;
        assert!(p.grants[0].version.matches("0.6.9"));
        assert!(!p.grants[0].version.matches("0.7.0"));
        let dev = grant_toml("glob", "0.3.1", &BTreeSet::from([DepKind::Dev]), &allow);
        assert!(
            dev.contains("reached-as = [\"dev\"]  "),
            "a dev-only package's grant ends when it ships:\n{dev}"
        );
        let p = crate::file::Policy::from_toml(&dev)?;
        assert!(p.grants[0].covers_reach(&BTreeSet::from([DepKind::Dev])));
        assert!(!p.grants[0].covers_reach(&BTreeSet::from([DepKind::Normal, DepKind::Dev])));
        Ok(())
    }

    #[test]
    fn odd_names_are_quoted() -> Result<(), crate::file::PolicyError> {
        let text = grant_toml("we\"ird]\n", "1.0.0", &BTreeSet::new(), &BTreeSet::new());
        assert!(text.starts_with("[[grant.\"we\\\"ird]\\n\"]]\n"), "{text}");
        let p = crate::file::Policy::from_toml(&text)?;
        assert_eq!(p.grants[0].krate, "we\"ird]\n");
        Ok(())
    }
}
