// The real build script, named by `build = "tools/gen.rs"`: generates the version table.

use std::env;
use std::fs;

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR"); //~ env-read
    let version = env::var("CARGO_PKG_VERSION").unwrap_or_default(); //~ env-read
    let code = format!("pub const BUILT_VERSION: &str = {version:?};\n");
    fs::write(format!("{out}/version.rs"), code).expect("write version.rs"); //~ fs
    println!("cargo:rerun-if-changed=tools/gen.rs");
}
