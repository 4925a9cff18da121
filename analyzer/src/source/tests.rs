//! Rule-by-rule tests on small inline sources: syn mode, resolution and test code.

#![allow(clippy::unwrap_used)]

use risk_report::facts::{FileFacts, Finding, Kind, Origin, Parse};

use super::scan_source;

pub(super) fn scan(text: &str) -> FileFacts {
    scan_source("src/lib.rs", text)
}

/// (kind, detail) of every finding, in order.
pub(super) fn kinds(text: &str) -> Vec<(Kind, Option<String>)> {
    scan(text)
        .findings
        .into_iter()
        .map(|f| (f.kind, f.detail))
        .collect()
}

pub(super) fn of(text: &str, kind: Kind) -> Vec<Finding> {
    scan(text)
        .findings
        .into_iter()
        .filter(|f| f.kind == kind)
        .collect()
}

pub(super) fn details(text: &str, kind: Kind) -> Vec<String> {
    of(text, kind)
        .into_iter()
        .map(|f| f.detail.unwrap_or_default())
        .collect()
}

fn parsed(text: &str) -> FileFacts {
    let facts = scan(text);
    assert_eq!(facts.parse, Parse::Parsed, "{text}");
    facts
}

#[test]
fn unsafe_block_position_and_origin() {
    let f = parsed("fn f() {\n    let x = unsafe { 1 };\n}\n");
    assert_eq!(f.findings.len(), 1);
    let u = &f.findings[0];
    assert_eq!(
        (u.kind, u.line, u.col, u.origin, u.test),
        (Kind::UnsafeBlock, 2, 13, Origin::Syntax, false)
    );
}

#[test]
fn unsafe_in_strings_comments_and_docs_is_not_unsafe() {
    let src = r##"
        /// unsafe { x }
        //! unsafe fn
        // unsafe { }
        /* unsafe { /* nested unsafe */ } */
        fn f() -> &'static str { let _r = r#"unsafe { }"#; "unsafe { }" }
        #[doc = "unsafe impl"]
        struct S;
    "##;
    assert_eq!(kinds(src), vec![]);
}
