fn main() {
    let name = ["te", "st"].concat();
    println!("cargo:rustc-cfg={}", name);
}
