//! Environment reads and writes in every spelling the analyzer must resolve.

pub mod glob;
pub mod lookalike;

use std::env;
use std::env as e;
use std::env::{remove_var, set_var as put, var_os};
use std::ffi::OsString;

pub fn home() -> Option<String> {
    env::var("HOME").ok() //~ env-read
}

pub fn path() -> Option<OsString> {
    var_os("PATH") //~ env-read
}

pub fn all() -> Vec<(String, String)> {
    e::vars().collect() //~ env-read
}

pub fn all_os() -> usize {
    ::std::env::vars_os().count() //~ env-read
}

pub fn many(keys: &[&str]) -> Vec<Result<String, env::VarError>> {
    keys.iter().map(env::var).collect() //~ env-read
}

pub fn configure() {
    put("RUST_LOG", "debug"); //~ env-write
    remove_var("RUST_BACKTRACE"); //~ env-write
    std::env::set_var("LANG", "C"); //~ env-write
}

pub fn chdir(dir: &str) -> std::io::Result<()> {
    e::set_current_dir(dir) //~ env-write
}

pub fn swap(key: &str) -> Option<String> {
    let old = env::var(key).ok(); env::remove_var(key); //~ env-read, env-write
    old
}

/// Compile-time macros and non-variable reads: none of these is a finding.
pub fn build_info() -> (&'static str, Option<&'static str>, &'static str, usize) {
    let version = env!("CARGO_PKG_VERSION");
    let profile = option_env!("PROFILE");
    let args = env::args().count();
    (version, profile, env::consts::OS, args)
}
