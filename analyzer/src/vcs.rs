//! `.cargo_vcs_info.json`: the commit a tarball was packaged from and whether it was dirty.
//!
//! The file is written by `cargo package` but is just bytes in the tarball, so it is read
//! loosely: a field that is missing or of the wrong type is left empty and the rest is kept.
//! Its presence is itself a fact (absence means the crate was not packaged from a clean VCS
//! checkout, or not by cargo), so `present` is true as soon as the file exists, even if it
//! does not parse.

use risk_report::facts::VcsInfo;
use serde_json::Value;

/// Reads the file's contents when the tarball has one.
pub fn read_vcs_info(bytes: Option<&[u8]>) -> VcsInfo {
    let Some(bytes) = bytes else {
        return VcsInfo::default();
    };
    let mut info = VcsInfo {
        present: true,
        ..VcsInfo::default()
    };
    let Ok(json) = serde_json::from_slice::<Value>(bytes) else {
        return info;
    };
    let git = json.get("git");
    info.commit = git
        .and_then(|g| g.get("sha1"))
        .and_then(Value::as_str)
        .filter(|sha| is_object_id(sha))
        .map(str::to_owned);
    info.dirty = git
        .and_then(|g| g.get("dirty"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    info.path_in_vcs = json
        .get("path_in_vcs")
        .and_then(Value::as_str)
        .map(str::to_owned);
    info
}

/// A git object id (SHA-1 or SHA-256, hex). Anything else is not a commit we can point at, and
/// keeping it would put arbitrary crate-supplied text in the report's provenance column.
fn is_object_id(s: &str) -> bool {
    matches!(s.len(), 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn absent_file() {
        assert_eq!(read_vcs_info(None), VcsInfo::default());
        assert!(!read_vcs_info(None).present);
    }

    #[test]
    fn clean_commit_with_path() {
        let json = format!(r#"{{"git":{{"sha1":"{SHA}"}},"path_in_vcs":"crates/foo"}}"#);
        let info = read_vcs_info(Some(json.as_bytes()));
        assert_eq!(
            info,
            VcsInfo {
                present: true,
                commit: Some(SHA.into()),
                dirty: false,
                path_in_vcs: Some("crates/foo".into()),
            }
        );
    }

    #[test]
    fn dirty_commit_at_repo_root() {
        let json = format!(r#"{{"git":{{"sha1":"{SHA}","dirty":true}},"path_in_vcs":""}}"#);
        let info = read_vcs_info(Some(json.as_bytes()));
        assert!(info.present && info.dirty);
        assert_eq!(info.commit.as_deref(), Some(SHA));
        assert_eq!(info.path_in_vcs.as_deref(), Some(""));
    }

    #[test]
    fn malformed_json_is_present_but_empty() {
        for bytes in [&b"{\"git\": {"[..], b"", b"\xff\xfe", b"[1,2,3]", b"null"] {
            let info = read_vcs_info(Some(bytes));
            assert_eq!(
                info,
                VcsInfo {
                    present: true,
                    ..VcsInfo::default()
                },
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn wrong_types_and_non_hex_commits_are_dropped_field_by_field() {
        let json = br#"{"git":{"sha1":"\u001b[31mnot-a-sha","dirty":"yes"},"path_in_vcs":"p"}"#;
        let info = read_vcs_info(Some(json));
        assert!(info.present);
        assert_eq!(info.commit, None);
        assert!(!info.dirty);
        assert_eq!(info.path_in_vcs.as_deref(), Some("p"));
    }
}
