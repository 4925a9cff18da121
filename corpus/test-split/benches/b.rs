//! Benchmark without the test harness: test code.

use std::time::Instant;

fn main() {
    let start = Instant::now();
    for _ in 0..100 {
        let _ = std::fs::metadata("Cargo.toml"); //~ fs
    }
    println!("{:?}", start.elapsed());
}
