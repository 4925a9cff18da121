fn main() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    println!("cargo:rustc-env=ADV_PAYLOAD_DIR={dir}/payload");
}
