// Generates a table of constants into OUT_DIR; src/lib.rs includes it.

use std::env;
use std::fmt::Write as _;
use std::fs;

fn main() {
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR"); //~ env-read
    let mut code = String::new();
    for (i, name) in ["ALPHA", "BETA", "GAMMA"].iter().enumerate() {
        writeln!(code, "pub const {name}: u32 = {i};").expect("write to a String");
    }
    fs::write(format!("{out_dir}/gen.rs"), code).expect("write gen.rs"); //~ fs
    println!("cargo:rerun-if-changed=build.rs");
}
