//! Capabilities reached through methods: found through the trait or type that carries them.

pub mod with_traits {
    use std::net::ToSocketAddrs;
    use std::os::unix::process::CommandExt;
    use std::process::Command;

    pub fn spawn_with_hook() {
        let mut cmd = Command::new("sh"); //~ process
        unsafe { //~ unsafe-block
            cmd.pre_exec(|| Ok(())); //~ process
        }
    }

    pub fn resolve(host: &str) -> usize {
        (host, 53)
            .to_socket_addrs() //~ net
            .map(|a| a.count())
            .unwrap_or(0)
    }
}

pub mod anonymous {
    use std::net::ToSocketAddrs as _;

    pub fn resolve(host: &str) -> bool {
        (host, 443).to_socket_addrs().is_ok() //~ net
    }
}

pub mod paths {
    use std::path::Path;

    pub fn probe(p: &str) -> bool {
        let path = Path::new(p);
        path.exists() || path.canonicalize().is_ok() //~ fs, fs
    }

    pub fn list(p: &Path) -> usize {
        p.read_dir().map(|d| d.count()).unwrap_or(0) //~ fs
    }
}

pub mod lookalikes {
    // no trait or type in scope: a method of that name is somebody else's
    pub struct Span;

    impl Span {
        pub fn metadata(&self) -> u8 {
            0
        }

        pub fn exists(&self) -> bool {
            true
        }
    }

    pub fn event(s: &Span) -> bool {
        s.metadata() == 0 && s.exists()
    }
}
