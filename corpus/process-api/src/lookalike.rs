//! No process is spawned here. `Command::new("rm").arg("-rf")` in a doc is text.

use std::process::Command;

mod shell {
    /// A command of a little scripting language, not an OS process.
    pub struct Command(pub String);

    impl Command {
        pub fn new(line: &str) -> Command {
            Command(line.trim().to_string())
        }
    }
}

pub fn parse(line: &str) -> shell::Command {
    shell::Command::new(line)
}

/// `Command` imported above is only used as a type.
pub fn describe(cmd: &Command) -> String {
    format!("{:?}", cmd.get_program())
}

pub fn words() -> &'static str {
    // std::process::Command::new("curl") in a comment
    "tokio::process::Command::new(\"sh\")"
}
