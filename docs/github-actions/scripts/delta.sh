#!/usr/bin/env bash
# The untrusted half of the PR workflow: it runs on the pull request's code with a read-only
# token. It reports the pull request's graph, finds or makes the base branch's report, writes
# the markdown delta to the job summary and into an artifact folder for the trusted half
# (comment.sh) to post, and exits with the delta's gate status.
#
# Environment:
#   BASE_SHA        the base branch commit the pull request is compared with (required)
#   HEAD_SHA        the pull request's head commit, recorded for comment.sh (required)
#   PR_NUMBER       the pull request's number, recorded for comment.sh (required)
#   OUT_DIR         the artifact folder to write (required)
#   REPORT          the committed report's path in the repository (default risk-report.toml)
#   CACHE_DIR       cargo-risk-report's results cache (--cache-dir), kept between runs
#   FAIL_ON_INCREASE  "true" (default) to exit 1 when the delta adds risk
#   GITHUB_STEP_SUMMARY  the job summary file (set by GitHub Actions)
#   RISK_REPORT     the tool (default: cargo-risk-report on PATH)
set -euo pipefail

base="${BASE_SHA:?}"
head_sha="${HEAD_SHA:?}"
pr="${PR_NUMBER:?}"
out="${OUT_DIR:?}"
report="${REPORT:-risk-report.toml}"
tool="${RISK_REPORT:-cargo-risk-report}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
common=(--quiet)
if [ -n "${CACHE_DIR:-}" ]; then
  common+=(--cache-dir "$CACHE_DIR")
fi

case "$pr" in '' | *[!0-9]*) echo "PR_NUMBER is not a number: $pr" >&2; exit 2 ;; esac
mkdir -p "$out"
work="$(mktemp -d)"
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
printf '%s\n' "$pr" >"$out/pr-number"
printf '%s\n' "$head_sha" >"$out/head-sha"
comment="$out/comment.md"

# The comment marker first, so the trusted half can find and update its own comment.
say() {
  { echo "<!-- cargo-risk-report -->"; echo "### Dependency risk"; echo; echo "$1"; } >"$comment"
  cat "$comment" >>"$summary"
}

if ! "$tool" "${common[@]}" --locked --output "$work/head.toml"; then
  say "The pull request's dependency graph could not be scanned; see the job log."
  exit 2
fi

note=""
if git cat-file -e "$base:$report" 2>/dev/null; then
  git show "$base:$report" >"$work/base.toml"
else
  # First pull request: no committed report on the base branch yet. Make one from the base
  # branch's own Cargo.lock, so the delta still shows what this pull request changes.
  git worktree add --detach --quiet "$work/base" "$base"
  if (cd "$work/base" && "$tool" "${common[@]}" --locked --output "$work/base.toml"); then
    note="_The base branch has no \`$report\` yet: this delta compares with a report made from its \`Cargo.lock\`. Commit the report to keep the history._"
  else
    say "The base branch has no \`$report\` and its dependency graph could not be scanned, so there is nothing to compare with yet. Commit \`$report\` (run \`cargo risk-report\`) to start."
    exit 0
  fi
fi

gate=()
if [ "${FAIL_ON_INCREASE:-true}" = "true" ]; then
  gate=(--fail-on-increase)
fi
set +e
"$tool" diff "$work/base.toml" "$work/head.toml" --format markdown "${gate[@]}" >"$work/delta.md"
status=$?
set -e
if [ "$status" -ge 2 ]; then
  say "The delta could not be computed; see the job log."
  exit "$status"
fi
{
  cat "$work/delta.md"
  if [ -n "$note" ]; then
    printf '\n%s\n' "$note"
  fi
} >"$comment"
cat "$comment" >>"$summary"
exit "$status"
