// Nothing is generated into OUT_DIR here: the script reads a file of feature names and
// turns them into cfgs. Words are not reads: OUT_DIR in this comment, in a message, under
// a look-alike `var` and in a string the code never hands to the environment.

use std::env;
use std::fs::{self, OpenOptions};
use std::io::Read;

mod config {
    pub fn var(_name: &str) -> Option<String> {
        None
    }
}

fn main() {
    let profile = env::var("PROFILE").unwrap_or_default(); //~ env-read
    let _ignored = config::var("OUT_DIR");
    let label = "OUT_DIR";
    println!("cargo:warning=not using {label} (OUT_DIR) in {profile}");
    let features = fs::read_to_string("features.txt").unwrap_or_default(); //~ fs
    let mut extra = String::new();
    if let Ok(mut f) = OpenOptions::new().read(true).open("extra.txt") { //~ fs
        f.read_to_string(&mut extra).ok();
    }
    if features.lines().chain(extra.lines()).any(|name| name == "fast") {
        println!("cargo:rustc-cfg=has_fast");
    }
}
