//! An ordinary module of the library, shipped with it; not a build script.

pub struct Builder {
    title: String,
}

impl Builder {
    pub fn new(title: &str) -> Builder {
        Builder { title: title.to_string() }
    }

    pub fn finish(self) -> String {
        format!("# {}\n", self.title)
    }

    /// Writes the rendered document: a shipped file-system capability.
    pub fn save(self, path: &str) -> std::io::Result<()> {
        std::fs::write(path, self.finish()) //~ fs
    }
}

/// A `main` in a library module is just a function.
pub fn main() {
    let author = std::env::var("USER").unwrap_or_default(); //~ env-read
    print!("{}", Builder::new(&author).finish());
}
