//! What the engines write while scanning one file: findings with the gates of the code each is
//! in, and the short one-line form of the source text a detail quotes.

use risk_report::facts::{Finding, Kind, Origin};

use crate::gates::{GateId, GateTable};

/// What the scan of one file collects.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub findings: Vec<Finding>,
    /// Per finding (same index), the gates of the code it is in.
    pub gated: Vec<Vec<GateId>>,
    pub gates: GateTable,
}

impl Out {
    pub fn push(
        &mut self,
        line: u32,
        col: u32,
        kind: Kind,
        detail: Option<String>,
        origin: Origin,
        gates: &[GateId],
    ) {
        self.findings.push(Finding {
            line,
            col,
            kind,
            detail,
            origin,
            test: false,
            emitted: false,
        });
        self.gated.push(gates.to_vec());
    }

    pub(super) fn clear(&mut self) {
        self.findings.clear();
        self.gated.clear();
    }
}

/// Macro tokens as a short one-line detail: whitespace runs collapsed, long text cut.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    let mut out = String::with_capacity(text.len().min(MAX + 3));
    for (n, word) in text.split_whitespace().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > MAX {
            let cut: String = out.chars().take(MAX).collect();
            return cut + "...";
        }
    }
    out
}
