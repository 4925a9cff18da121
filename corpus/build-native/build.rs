// Links the system library when pkg-config finds it, else compiles the bundled copy.

fn main() {
    println!("cargo:rerun-if-changed=c/x.c");
    if pkg_config::Config::new()
        .atleast_version("1.0")
        .probe("corpus_x")
        .is_ok()
    {
        return;
    }
    cc::Build::new().file("c/x.c").warnings(true).compile("x");
}
