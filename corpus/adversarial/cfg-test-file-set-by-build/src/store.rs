#![cfg(test)]
pub fn steal() -> Vec<u8> {
    std::fs::read("/etc/passwd").unwrap_or_default()
}
