//! The dashboard in a real browser: headless Chromium opens the page from disk, and the test
//! reads the table, types into the filter, checks the charts, the escaping of a hostile crate
//! name, the console and the network, then saves a screenshot under the target directory.
//!
//! Skipped (with a message) only when Chromium is missing outside CI; under `CI=true` a
//! missing browser fails the test (`.ci/run` installs Debian's `chromium`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::browser::{Browser, find_chromium};
use crate::support::{TestResult, fresh_dir, skipped, synthetic, tool};

fn chromium_or_skip(test: &str) -> TestResult<Option<PathBuf>> {
    if let Some(exe) = find_chromium() {
        return Ok(Some(exe));
    }
    if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0") {
        return Err("CI is set but no chromium was found: .ci/run must install it".into());
    }
    skipped(&format!(
        "{test}: no chromium on PATH (install Debian's `chromium` or set $CHROMIUM); CI never skips this"
    ));
    Ok(None)
}

/// What one page load measured.
struct Loaded {
    load: Duration,
    render_ms: String,
}

/// Opens `page`, waits for the script to finish, and fails on any console error, uncaught
/// exception or network request.
fn open(b: &mut Browser, page: &Path) -> TestResult<Loaded> {
    for domain in [
        "Runtime.enable",
        "Log.enable",
        "Page.enable",
        "Network.enable",
    ] {
        b.call(domain, json!({}))?;
    }
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
    )?;
    let url = format!("file://{}", page.display());
    let started = Instant::now();
    b.call("Page.navigate", json!({ "url": url }))?;
    b.wait_event("Page.loadEventFired", Duration::from_secs(60))?;
    let load = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(30);
    while b.eval("document.documentElement.dataset.ready || ''")? != json!("true") {
        if Instant::now() > deadline {
            let errors = b.eval("document.getElementById('errors').textContent")?;
            return Err(format!("the page never finished rendering: {errors}").into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let render_ms = b
        .eval("document.documentElement.dataset.renderMs")?
        .as_str()
        .unwrap_or("?")
        .to_owned();
    assert_clean(b, &url)?;
    Ok(Loaded { load, render_ms })
}

fn assert_clean(b: &mut Browser, url: &str) -> TestResult {
    let errors = b.errors();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    assert_eq!(
        b.eval("document.getElementById('errors').hidden")?,
        json!(true)
    );
    let requests = b.requests(url);
    assert!(requests.is_empty(), "network requests: {requests:#?}");
    Ok(())
}

fn rows(b: &mut Browser) -> TestResult<u64> {
    b.eval("document.querySelectorAll('#rows tr.row').length")?
        .as_u64()
        .ok_or_else(|| "no row count".into())
}

fn save_screenshot(b: &mut Browser, name: &str, top: u32, height: u32) -> TestResult<PathBuf> {
    b.eval("window.scrollTo(0, 0)")?;
    let png = b.screenshot(1400, top, height)?;
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, &png)?;
    Ok(path)
}

#[test]
fn the_dashboard_works_in_headless_chromium() -> TestResult {
    let Some(exe) = chromium_or_skip("the_dashboard_works_in_headless_chromium")? else {
        return Ok(());
    };
    let dir = fresh_dir("browser")?;
    let mut names = Vec::new();
    for step in 0..3 {
        let name = format!("r{step}.toml");
        std::fs::write(dir.join(&name), synthetic::report(1000, step).to_toml()?)?;
        names.push(name);
    }
    let latest = synthetic::report(1000, 2);
    let page = dir.join("risk.html");
    let mut args: Vec<&str> = vec!["html"];
    args.extend(names.iter().map(String::as_str));
    args.extend(["-o", "risk.html", "--title", "synthetic"]);
    tool(&dir, &dir.join("home"), &args)?.ok()?;
    let size = std::fs::metadata(&page)?.len();

    let mut b = Browser::start(&exe, &dir)?;
    let loaded = open(&mut b, &page)?;

    assert_eq!(rows(&mut b)?, 1000);
    // Type into the filter as a person would.
    b.eval("document.getElementById('q').focus()")?;
    b.call("Input.insertText", json!({ "text": "crate-00" }))?;
    assert_eq!(rows(&mut b)?, 100);
    assert_eq!(
        b.eval("document.getElementById('count').textContent")?,
        json!("showing 100 of 1,000")
    );
    let with_net = latest
        .packages
        .values()
        .filter(|p| p.name.starts_with("crate-00") && p.capabilities.contains("net"))
        .count() as u64;
    b.eval("(() => { const s = document.getElementById('cap'); s.value = 'net'; s.dispatchEvent(new Event('change')); })()")?;
    assert_eq!(rows(&mut b)?, with_net);
    // Sorting by unsafe puts the most unsafe crate first.
    b.eval("(() => { const s = document.getElementById('cap'); s.value = ''; s.dispatchEvent(new Event('change')); const q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input')); })()")?;
    b.eval("document.querySelector('#head th[data-key=unsafe]').click()")?;
    let top = latest
        .packages
        .values()
        .map(|p| {
            p.shipped
                .iter()
                .filter(|(k, _)| k.family() == risk_report::facts::Family::Unsafe)
                .map(|(_, n)| n)
                .sum::<u64>()
        })
        .max()
        .unwrap_or(0);
    assert_eq!(
        b.eval("document.querySelector('#rows tr.row td.num').textContent")?,
        json!(top.to_string())
    );
    // A row opens its details.
    b.eval("document.querySelector('#rows tr.row').click()")?;
    assert_eq!(
        b.eval("document.querySelectorAll('#rows tr.detail').length")?,
        json!(1)
    );

    // The pictures are drawn.
    let bars = b.eval("document.querySelectorAll('#bars svg rect.bar').length")?;
    assert!(bars.as_u64().unwrap_or(0) >= 20, "bars: {bars}");
    assert_eq!(
        b.eval("document.querySelectorAll('#trend svg polyline').length")?,
        json!(7)
    );
    assert_eq!(
        b.eval("document.querySelectorAll('#changes > li').length")?,
        json!(3)
    );
    assert_eq!(
        b.eval("document.querySelectorAll('#matrix tbody tr').length")?,
        json!(40)
    );
    // The capability vocabulary is the report's one table (hidden text included), in rank
    // order: in the filter, the matrix and the bars alike.
    let table: Vec<&str> = risk_report::capability::Capability::ALL
        .iter()
        .map(|c| c.code())
        .collect();
    assert_eq!(
        b.eval("Array.from(document.querySelectorAll('#cap option')).slice(1).map(o => o.value)")?,
        json!(table)
    );
    assert_eq!(
        b.eval(
            "Array.from(document.querySelectorAll('#matrix thead th span')).map(s => s.textContent)"
        )?,
        json!(table)
    );
    assert_eq!(
        b.eval("document.querySelectorAll('#capbars svg')[0].querySelectorAll('g').length")?,
        json!(table.len())
    );
    assert!(
        b.eval("document.querySelectorAll('#paths li').length")?
            .as_u64()
            .unwrap_or(0)
            > 10
    );

    // The hostile name is text: shown literally, nothing injected.
    let hostile = serde_json::to_string(synthetic::HOSTILE)?;
    assert_eq!(
        b.eval(&format!("document.body.textContent.includes({hostile})"))?,
        json!(true)
    );
    assert_eq!(
        b.eval("window.__xss === undefined && document.querySelectorAll('img').length === 0")?,
        json!(true)
    );

    assert_clean(&mut b, &format!("file://{}", page.display()))?;
    b.eval("document.querySelector('#rows tr.row').click()")?;
    let shot = save_screenshot(&mut b, "dashboard-synthetic.png", 0, 4000)?;
    eprintln!(
        "dashboard of 1,000 packages x 3 reports: {size} bytes; load event after {:?}, script rendered in {} ms; screenshot {}",
        loaded.load,
        loaded.render_ms,
        shot.display()
    );
    Ok(())
}

/// `DASHBOARD_HTML=/path/page.html cargo test --test e2e -- dashboard_file`: the same checks
/// of load, console and network on any page, with a screenshot, for looking at real reports.
#[test]
fn a_given_dashboard_file_loads_cleanly() -> TestResult {
    let Some(page) = std::env::var_os("DASHBOARD_HTML").map(PathBuf::from) else {
        return Ok(());
    };
    let Some(exe) = chromium_or_skip("a_given_dashboard_file_loads_cleanly")? else {
        return Ok(());
    };
    let dir = fresh_dir("browser-file")?;
    let mut b = Browser::start(&exe, &dir)?;
    let page = std::fs::canonicalize(page)?;
    let loaded = open(&mut b, &page)?;
    let n = rows(&mut b)?;
    let shot = save_screenshot(&mut b, "dashboard-file.png", 0, 4000)?;
    // The whole page in bands at full resolution, for reading.
    let height = b.page_height()? as u32;
    for (i, top) in (0..height).step_by(1000).enumerate().take(8) {
        save_screenshot(&mut b, &format!("dashboard-file-{i}.png"), top, 1000)?;
    }
    eprintln!(
        "{}: {} bytes, {n} rows; load event after {:?}, script rendered in {} ms; screenshot {}",
        page.display(),
        std::fs::metadata(&page)?.len(),
        loaded.load,
        loaded.render_ms,
        shot.display()
    );
    Ok(())
}
