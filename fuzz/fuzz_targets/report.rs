//! Any text as a report file: reading it gives a report or an error, never a panic; a report
//! that reads back writes the same bytes twice and diffs with itself to nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use risk_report::model::Report;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(report) = Report::from_toml(text) else {
        return;
    };
    let Ok(once) = report.to_toml() else {
        return;
    };
    if let Ok(again) = Report::from_toml(&once) {
        assert_eq!(again.to_toml().ok().as_deref(), Some(once.as_str()));
        let d = risk_report::diff::diff(&report, &again);
        let _ = d.adds_risk();
        let mut out = Vec::new();
        let _ = risk_report::render::markdown::render(&d, &Default::default(), 10_000, &mut out);
        let _ = risk_report::render::text::render(&d, false, &Default::default(), &mut out);
    }
});
