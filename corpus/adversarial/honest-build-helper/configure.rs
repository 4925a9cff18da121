pub fn probe() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let _ = std::process::Command::new(rustc).arg("--version").output();
}
