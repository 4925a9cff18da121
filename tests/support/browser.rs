//! Headless Chromium driven over the DevTools protocol on `--remote-debugging-pipe`: the
//! browser reads commands on fd 3 and writes replies and events on fd 4, as NUL-terminated
//! JSON. The two descriptors are named pipes opened by `sh`, so no unsafe `pre_exec` and no
//! WebSocket client are needed. Nothing is downloaded: this drives the distribution's browser.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::TestResult;

/// How long one command may take before the test gives up on the browser.
const REPLY_TIMEOUT: Duration = Duration::from_secs(60);

/// The browser binary: `$CHROMIUM`, else the first of the usual names on PATH.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// A running browser and one page attached in flat mode.
pub struct Browser {
    child: Child,
    input: File,
    replies: Receiver<Value>,
    next_id: u64,
    session: String,
    /// Every event seen so far, in order.
    pub events: Vec<Value>,
}

impl Browser {
    /// Starts the browser with a fresh profile under `work` and opens a blank page.
    pub fn start(exe: &Path, work: &Path) -> TestResult<Browser> {
        let profile = work.join("profile");
        std::fs::create_dir_all(&profile)?;
        let to_browser = work.join("cdp-in");
        let from_browser = work.join("cdp-out");
        for fifo in [&to_browser, &from_browser] {
            let _ = std::fs::remove_file(fifo);
            let ok = Command::new("mkfifo").arg(fifo).status()?.success();
            if !ok {
                return Err(format!("mkfifo {} failed", fifo.display()).into());
            }
        }
        let child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<"$CDP_IN" 4>"$CDP_OUT""#)
            .arg(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .env("CDP_IN", &to_browser)
            .env("CDP_OUT", &from_browser)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        // The shell opens the browser's input first, then its output: open them in that order.
        let input = std::fs::OpenOptions::new().write(true).open(&to_browser)?;
        let output = File::open(&from_browser)?;
        let (tx, replies) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(output);
            let mut buf = Vec::new();
            while let Ok(n) = reader.read_until(0, &mut buf) {
                if n == 0 {
                    break;
                }
                buf.pop_if(|b| *b == 0);
                if let Ok(v) = serde_json::from_slice::<Value>(&buf)
                    && tx.send(v).is_err()
                {
                    break;
                }
                buf.clear();
            }
        });
        let mut b = Browser {
            child,
            input,
            replies,
            next_id: 0,
            session: String::new(),
            events: Vec::new(),
        };
        let target = b.send(None, "Target.createTarget", json!({ "url": "about:blank" }))?;
        let target_id = target["targetId"].as_str().ok_or("no targetId")?.to_owned();
        let attached = b.send(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        )?;
        b.session = attached["sessionId"]
            .as_str()
            .ok_or("no sessionId")?
            .to_owned();
        Ok(b)
    }

    fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> TestResult<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg)?;
        bytes.push(0);
        self.input.write_all(&bytes)?;
        self.input.flush()?;
        let deadline = Instant::now() + REPLY_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self
                .replies
                .recv_timeout(left)
                .map_err(|e| format!("no reply to {method} from the browser: {e}"))?;
            if v["id"] == json!(id) {
                if let Some(err) = v.get("error") {
                    return Err(format!("{method} failed: {err}").into());
                }
                return Ok(v["result"].clone());
            }
            self.events.push(v);
        }
    }

    /// A command to the page.
    pub fn call(&mut self, method: &str, params: Value) -> TestResult<Value> {
        let session = self.session.clone();
        self.send(Some(&session), method, params)
    }

    /// Evaluates a JavaScript expression in the page and returns its value.
    pub fn eval(&mut self, expression: &str) -> TestResult<Value> {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        )?;
        if let Some(e) = r.get("exceptionDetails") {
            return Err(format!("`{expression}` threw: {e}").into());
        }
        Ok(r["result"]["value"].clone())
    }

    /// Waits for an event of the page by method name, up to `timeout`.
    pub fn wait_event(&mut self, method: &str, timeout: Duration) -> TestResult<Value> {
        if let Some(e) = self.events.iter().find(|e| e["method"] == method) {
            return Ok(e.clone());
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self
                .replies
                .recv_timeout(left)
                .map_err(|e| format!("no {method} event: {e}"))?;
            self.events.push(v.clone());
            if v["method"] == method {
                return Ok(v);
            }
        }
    }

    /// Console errors, uncaught exceptions and error log entries seen so far.
    pub fn errors(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| {
                let m = e["method"].as_str().unwrap_or("");
                m == "Runtime.exceptionThrown"
                    || m == "Runtime.consoleAPICalled"
                        && matches!(e["params"]["type"].as_str(), Some("error" | "assert"))
                    || m == "Log.entryAdded" && e["params"]["entry"]["level"] == "error"
            })
            .map(|e| e.to_string())
            .collect()
    }

    /// URLs the page asked for, other than the page itself and inline `data:` URLs.
    pub fn requests(&self, page: &str) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str())
            .filter(|u| *u != page && !u.starts_with("data:"))
            .map(str::to_owned)
            .collect()
    }

    /// The page's full height in CSS pixels.
    pub fn page_height(&mut self) -> TestResult<f64> {
        let metrics = self.call("Page.getLayoutMetrics", json!({}))?;
        Ok(metrics["cssContentSize"]["height"]
            .as_f64()
            .unwrap_or(900.0))
    }

    /// A PNG of the page from `top` down, `height` CSS pixels (less at the page's end).
    pub fn screenshot(&mut self, width: u32, top: u32, height: u32) -> TestResult<Vec<u8>> {
        let full = self.page_height()?;
        let height = (full - f64::from(top))
            .min(f64::from(height))
            .max(1.0)
            .ceil();
        let shot = self.call(
            "Page.captureScreenshot",
            json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": { "x": 0, "y": top, "width": width, "height": height, "scale": 1 },
            }),
        )?;
        base64_decode(shot["data"].as_str().ok_or("no screenshot data")?)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.send(None, "Browser.close", json!({}));
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Standard base64 (the screenshot's encoding).
fn base64_decode(text: &str) -> TestResult<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' => continue,
            _ => return Err(format!("not base64: {c}").into()),
        };
        acc = ((acc << 6) | u32::from(v)) & 0xffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Ok(out)
}
