//! Example: excluded from shipped code like tests.

fn main() {
    let text = std::fs::read_to_string("README.md").unwrap_or_default(); //~ fs
    println!("{}", text.len());
}
