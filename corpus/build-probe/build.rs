// Probes the compiler and tells rustc which cfgs to set. Nothing is generated or compiled.

fn main() {
    let ac = autocfg::new();
    ac.emit_has_type("i128");
    ac.emit_path_cfg("std::num::NonZeroU64", "has_nonzero");

    println!("cargo:rustc-check-cfg=cfg(has_i128)");
    println!("cargo:rustc-check-cfg=cfg(has_nonzero)");
    println!("cargo:rustc-check-cfg=cfg(corpus_linux)");

    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default(); //~ env-read
    if os == "linux" {
        println!("cargo:rustc-cfg=corpus_linux");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
