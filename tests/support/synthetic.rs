//! Made-up reports for the dashboard tests: `n` packages with a spread of capabilities, one
//! of them named to break out of markup if anything rendered it as HTML.

use risk_report::facts::Kind;
use risk_report::model::Report;
use testkit::packages::{Package, spread};

/// A crate name no real registry allows, as a hostile report file could carry.
pub const HOSTILE: &str = "evil</script><img src=x onerror=\"window.__xss=1\">";

/// `n` packages: `n - 1` from [`testkit::packages::spread`] and one named [`HOSTILE`].
pub fn report(n: usize, step: usize) -> Report {
    let mut inputs = spread(n.saturating_sub(1), step);
    inputs.push(
        Package {
            findings: &[(Kind::Net, 1), (Kind::UnsafeBlock, 3)],
            ..Package::new(HOSTILE, "0.1.0")
        }
        .input(),
    );
    Report::build(inputs)
}
