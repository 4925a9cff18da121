//! Process spawning in every spelling the analyzer must resolve.

pub mod glob;
pub mod lookalike;

use std::io;
use std::process as proc_;
use std::process::{Command, Output};

pub fn git_head() -> io::Result<Output> {
    Command::new("git") //~ process
        .args(["rev-parse", "HEAD"])
        .output()
}

pub fn renamed_module() -> io::Result<proc_::ExitStatus> {
    proc_::Command::new("sh").arg("-c").arg("true").status() //~ process
}

pub fn fully_qualified() -> io::Result<std::process::Child> {
    ::std::process::Command::new("sleep").arg("1").spawn() //~ process
}

pub fn fn_as_value(programs: &[&str]) -> Vec<Command> {
    programs.iter().map(Command::new).collect() //~ process
}

pub async fn tokio_spawn() -> io::Result<std::process::ExitStatus> {
    tokio::process::Command::new("ls").status().await //~ process
}

pub async fn async_std_spawn() -> io::Result<async_std::process::Output> {
    async_std::process::Command::new("uname").output().await //~ process
}

/// Configuring a command handed in is a method call on a value: no finding.
pub fn quiet(cmd: &mut Command) -> &mut Command {
    cmd.env_clear().current_dir("/")
}

/// Terminating the current process is not spawning: no finding on either line.
pub fn bail(code: i32) -> ! {
    if code < 0 {
        std::process::abort();
    }
    proc_::exit(code)
}
