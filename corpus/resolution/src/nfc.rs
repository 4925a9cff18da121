//! rustc compares identifiers after NFC normalization: a name imported in one spelling and
//! used in the other is the same name.

use std::process::Command as Lancé;

pub fn launch() {
    let _ = Lancé::new("sh"); //~ process
}
