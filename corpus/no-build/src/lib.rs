//! No build script. A library that prints cargo instructions is not one either.

/// Prints what a build script would, for a helper crate that build scripts call.
pub fn emit_link(lib: &str) {
    println!("cargo:rustc-link-lib={lib}");
    println!("cargo:rustc-cfg=corpus_helper");
}

pub fn out_dir_hint() -> &'static str {
    "set OUT_DIR and call cc::Build::new() from your own build.rs"
}
