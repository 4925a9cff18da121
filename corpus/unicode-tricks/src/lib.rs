//! Trojan Source (CVE-2021-42574): bidi controls make the text a reviewer sees differ from
//! what the compiler reads. rustc denies them by default, but not in dependencies (cargo caps
//! their lints), so they must show in the report.

pub mod idents;

/// The "commenting-out" attack: on screen the `return` looks like part of the comment.
pub fn is_admin(user: &str) -> bool {
    let admin = false;
    /*‮ } ⁦if admin⁩ ⁦ begin admins only */ //~ bidi-control
    if admin {
        return true;
    }
    user == "root"
}

/// The "stretched string" attack: the check compares against a string that does not read as
/// what it is.
pub fn check(access_level: &str) -> bool {
    access_level != "user‮ ⁦// Check if admin⁩ ⁦" //~ bidi-control
}

/// A control inside a plain line comment is still a finding.
pub fn in_line_comment() {
    let _x = 1; // ⁧not what it seems‬ //~ bidi-control
}

/// Negatives: the marks LRM, RLM and ALM (\u{200e}, \u{200f}, \u{61c}) do not reorder text,
/// and escapes in strings are ASCII text until the program runs.
pub fn negatives() -> (&'static str, &'static str) {
    ("\u{202e} escaped", "right-to-left mark ‏ in a string")
}
