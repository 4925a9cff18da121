//! Identifiers built from lookalike letters: `pаypal` below has a Cyrillic `а`.

pub struct Session;

/// Looks like a call of `paypal`, but is a different function.
pub fn pаypal(_s: &Session) -> bool { //~ confusable-ident
    true
}

pub fn paypal(_s: &Session) -> bool {
    false
}

pub fn login(s: &Session) -> bool {
    pаypal(s) // second use of the same identifier: already reported
}

/// All-Cyrillic letters that read as ASCII `соре`: a whole-script lookalike.
pub const СОРЕ: u8 = 1; //~ confusable-ident

/// Fullwidth Latin reads as `fs` too.
pub fn ｆｓ() {} //~ confusable-ident

/// Mixed scripts without a full lookalike: Latin with Greek.
pub fn getπ() -> f64 { //~ confusable-ident
    3.14
}

/// Negatives: accented Latin, all-Cyrillic and Greek words with letters of their own,
/// Japanese, and lookalikes in strings and comments.
pub fn café() {}
pub fn привет() {}
pub fn πλ() {}
pub fn 数値() {}
pub fn text() -> &'static str {
    // pаypal in a comment is not an identifier
    "pаypal"
}
