// Generates a table of constants into OUT_DIR; src/lib.rs includes it.

use std::env;
use std::fmt::Write as _;
use std::fs;

fn main() {
    // the names come from a data file: a read, before the write the codegen rule cites
    let names = fs::read_to_string("data/names.txt").expect("read data/names.txt"); //~ fs
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR"); //~ env-read
    let mut code = String::new();
    for (i, name) in names.lines().enumerate() {
        writeln!(code, "pub const {name}: u32 = {i};").expect("write to a String");
    }
    fs::write(format!("{out_dir}/gen.rs"), code).expect("write gen.rs"); //~ fs
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=data/names.txt");
}
