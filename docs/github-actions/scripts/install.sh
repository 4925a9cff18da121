#!/usr/bin/env bash
# Installs a pinned cargo-risk-report into $RISK_REPORT_ROOT/bin (and onto the job's PATH),
# with a toolchain of its own: the install runs outside the checkout with RUSTUP_TOOLCHAIN set,
# so a rust-toolchain.toml in the repository (which may pin a Rust older than the tool needs)
# does not apply. A cached install of the same version is kept as it is.
#
# Environment:
#   RISK_REPORT_VERSION    the version to install, e.g. 0.1.0 (required)
#   RISK_REPORT_GIT        install from this git repository at tag v$RISK_REPORT_VERSION;
#                          unset: from the crates registry
#   RISK_REPORT_TOOLCHAIN  the toolchain that builds it (default 1.95.0, its minimum)
#   RISK_REPORT_ROOT       where it goes (default $HOME/.cargo-risk-report)
set -euo pipefail

version="${RISK_REPORT_VERSION:?set RISK_REPORT_VERSION to the version to install}"
toolchain="${RISK_REPORT_TOOLCHAIN:-1.95.0}"
root="${RISK_REPORT_ROOT:-$HOME/.cargo-risk-report}"

publish_path() {
  if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$root/bin" >>"$GITHUB_PATH"
  fi
}

if [ -x "$root/bin/cargo-risk-report" ] &&
  [ "$("$root/bin/cargo-risk-report" --version 2>/dev/null)" = "cargo-risk-report $version" ]; then
  echo "cargo-risk-report $version is already installed in $root"
  publish_path
  exit 0
fi

if [ -n "${RISK_REPORT_GIT:-}" ]; then
  source_args=(--git "$RISK_REPORT_GIT" --tag "v$version" cargo-risk-report)
else
  source_args=(cargo-risk-report --version "=$version")
fi

# Outside the checkout: the repository's toolchain file and .cargo/config.toml stay out of it.
cd "${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
rustup toolchain install "$toolchain" --profile minimal --no-self-update
RUSTUP_TOOLCHAIN="$toolchain" cargo install --locked --root "$root" "${source_args[@]}"
publish_path
