//! No environment access. `std::env::set_var("LD_PRELOAD", ..)` in a doc is text.

use std::collections::BTreeMap;

/// A configuration map that calls its entries "vars".
#[derive(Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    pub fn var(&self, key: &str) -> Option<&String> {
        self.vars.get(key)
    }

    pub fn set_var(&mut self, key: &str, value: &str) {
        self.vars.insert(key.to_string(), value.to_string());
    }
}

mod env {
    pub fn var(_key: &str) -> Option<String> {
        None
    }
}

pub fn local() -> Option<String> {
    let mut env = Env::default();
    env.set_var("HOME", "/tmp");
    env.var("HOME").cloned().or_else(|| self::env::var("HOME"))
}

pub fn words() -> &'static str {
    // env::remove_var("PATH") in a comment
    "std::env::var(\"AWS_SECRET_ACCESS_KEY\")"
}
