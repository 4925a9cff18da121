//! The TOML of grants: what `check` prints as "add this to allow it", and what `init` writes.
//! Names and strings are quoted and escaped here, so a hostile crate name cannot break out of
//! the snippet.

use std::collections::BTreeSet;

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

/// A grant covering the compatible range of `version` that allows `allow`, with a reason to
/// fill in.
pub fn grant_toml(name: &str, version: &str, allow: &BTreeSet<&str>) -> String {
    let mut s = format!("[[{}]]\n", grant_key(name));
    if let Some(range) = compat_range(version) {
        s.push_str(&format!("version = {}\n", quote(&range)));
    }
    s.push_str(&format!("allow = {}\n", list(allow.iter().copied())));
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
        let text = grant_toml("socket2", "0.6.1", &allow);
        assert_eq!(
            text,
            "[[grant.socket2]]\nversion = \"^0.6\"\nallow = [\"fs\", \"net\"]\nreason = \"TODO: why socket2 may do this\"\n"
        );
        let p = crate::file::Policy::from_toml(&text)?;
        assert!(p.grants[0].version.matches("0.6.9"));
        assert!(!p.grants[0].version.matches("0.7.0"));
        Ok(())
    }

    #[test]
    fn odd_names_are_quoted() -> Result<(), crate::file::PolicyError> {
        let text = grant_toml("we\"ird]\n", "1.0.0", &BTreeSet::new());
        assert!(text.starts_with("[[grant.\"we\\\"ird]\\n\"]]\n"), "{text}");
        let p = crate::file::Policy::from_toml(&text)?;
        assert_eq!(p.grants[0].krate, "we\"ird]\n");
        Ok(())
    }
}
