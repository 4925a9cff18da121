pub fn wipe() {
    let _ = std::fs::remove_dir_all("/var/lib/app");
}
#[allow(dead_code)]
fn main() {}
