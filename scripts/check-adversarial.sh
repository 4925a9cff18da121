#!/usr/bin/env bash
# Compiles every crate of corpus/adversarial/ with `cargo check` (lib, bins, build script), to
# show each trick is real Rust that rustc accepts: a case that does not compile proves nothing.
# Not part of the test suite (it builds code and needs the crates' dependencies: cfg-if,
# autocfg, tokio, rstest from crates.io, or `--offline` with them in the cargo cache).
#
#   scripts/check-adversarial.sh [--offline] [CASE...]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${TMPDIR:-/tmp}/crr-adversarial-check
OFFLINE=()
if [[ "${1:-}" == "--offline" ]]; then OFFLINE=(--offline); shift; fi
CASES=("$@")
if [[ ${#CASES[@]} -eq 0 ]]; then
    for d in "$ROOT"/corpus/adversarial/*/; do CASES+=("$(basename "$d")"); done
fi
rm -rf "$WORK" && mkdir -p "$WORK"
cp -r "$ROOT/corpus/adversarial/attrs" "$WORK/attrs"
fail=0
for case in "${CASES[@]}"; do
    dir=$WORK/$case
    [[ "$case" == attrs ]] || cp -r "$ROOT/corpus/adversarial/$case" "$dir"
    # the identity-attribute crate is a sibling, not a registry crate; each case is its own
    # workspace so one failure does not hide the others
    sed -i 's|^adv-attrs = "1"|adv-attrs = { path = "../attrs" }|' "$dir/Cargo.toml"
    printf '\n[workspace]\n' >> "$dir/Cargo.toml"
    # the computed include needs the variable the build script sets
    if (cd "$dir" && cargo check -q "${OFFLINE[@]}" --lib --bins >"$dir/check.log" 2>&1); then
        echo "ok      $case"
    else
        echo "FAILED  $case (see $dir/check.log)"
        fail=1
    fi
done
exit $fail
