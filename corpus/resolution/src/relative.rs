use std::process::Command;

pub fn spawn_through_self() {
    let _ = self::Command::new("sh").status(); //~ process
}

pub mod inner {
    use std::fs;

    pub fn read_through_super() {
        let _ = super::Command::new("true").status(); //~ process
    }

    pub fn read_through_self() -> Vec<u8> {
        self::fs::read("/etc/hostname").unwrap_or_default() //~ fs
    }

    pub mod deeper {
        pub fn two_up() {
            let _ = super::super::Command::new("id").output(); //~ process
        }
    }
}

type Runner = std::process::Command;

pub fn spawn_through_alias() {
    let _ = Runner::new("ls").status(); //~ process
}

pub struct Command;

pub mod shadow {
    // `self::Command` here is nothing the module has: no finding
    pub struct Command;

    impl Command {
        pub fn new(_: &str) -> Command {
            Command
        }
    }

    pub fn local() {
        let _ = self::Command::new("x");
    }
}

pub fn shadow_by_value() {
    // a function named `std` lives in the value namespace: `std::` still names the crate
    fn std() {}
    std();
    let _ = std::fs::read("/etc/shadow"); //~ fs
}

pub mod shadowed {
    // a module named `std` does hide the crate in this module
    mod std {
        pub mod fs {
            pub fn read(_: &str) {}
        }
    }

    pub fn local() {
        std::fs::read("x");
    }
}
