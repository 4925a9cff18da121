//! Risky words as data, names and comments.

/* unsafe impl Send for Everything {}
   std::process::Command::new("rm").arg("-rf").spawn() */

#[derive(Debug, Default)]
pub struct Audit {
    pub unsafe_blocks: u32,
    pub include_bytes: u32,
    pub set_var_calls: u32,
}

pub fn unsafe_label(a: &Audit) -> String {
    // include_bytes!("../secret.key") would embed a key; this is a comment.
    format!("unsafe {{ }} x{}", a.unsafe_blocks)
}

pub fn patterns() -> [&'static str; 5] {
    [
        "std::fs::read",
        r#"TcpStream::connect("10.0.0.1:4444")"#,
        "Command::new(\"sh\")",
        "std::env::set_var(\"LD_PRELOAD\", \"x.so\")",
        "include_bytes!(\"payload.bin\")",
    ]
}

pub fn set_var(audit: &mut Audit) {
    audit.set_var_calls += 1;
}

/// Calls the local `set_var` above: not `std::env::set_var`.
pub fn count_one() -> Audit {
    let mut audit = Audit::default();
    set_var(&mut audit);
    audit
}
