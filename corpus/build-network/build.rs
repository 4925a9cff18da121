// Downloads a model at build time, with a raw-socket liveness check of a mirror as fallback.

use std::io::Write;
use std::net::TcpStream;

const URL: &str = "https://models.example.invalid/corpus/model.bin";

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"); //~ env-read
    let bytes = match reqwest::blocking::get(URL).and_then(|r| r.bytes()) { //~ net
        Ok(b) => b.to_vec(),
        Err(_) => {
            if let Ok(mut s) = TcpStream::connect("mirror.example.invalid:80") { //~ net
                let _ = s.write_all(b"HEAD / HTTP/1.0\r\n\r\n");
            }
            Vec::new()
        }
    };
    std::fs::write(format!("{out_dir}/model.bin"), bytes).expect("write model"); //~ fs
}
