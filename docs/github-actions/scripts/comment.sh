#!/usr/bin/env bash
# The trusted half of the PR workflow: it runs from the base repository's default branch with
# a token that may write pull-request comments, and never runs the pull request's code. It
# reads the artifact delta.sh wrote (untrusted data: a fork controls it), checks that it
# belongs to the pull request it names, and creates or updates this tool's one comment there.
#
# Environment:
#   ARTIFACT_DIR  the downloaded artifact folder: pr-number, head-sha, comment.md (required)
#   REPO          owner/name of the base repository (required)
#   RUN_HEAD_SHA  the head commit of the workflow run that made the artifact (required)
#   BOT_LOGIN     the login the comment is posted as (default github-actions[bot])
#   GH_TOKEN      for gh
set -euo pipefail

dir="${ARTIFACT_DIR:?}"
repo="${REPO:?}"
run_sha="${RUN_HEAD_SHA:?}"
bot="${BOT_LOGIN:-github-actions[bot]}"
marker="<!-- cargo-risk-report -->"
max_bytes=65536

pr="$(head -c 32 "$dir/pr-number" | tr -d '[:space:]')"
sha="$(head -c 64 "$dir/head-sha" | tr -d '[:space:]')"
body="$dir/comment.md"
case "$pr" in '' | *[!0-9]*) echo "not a pull request number: $pr" >&2; exit 1 ;; esac
if ! [[ "$sha" =~ ^[0-9a-f]{40}$ ]]; then
  echo "not a commit: $sha" >&2
  exit 1
fi
if [ "$sha" != "$run_sha" ]; then
  echo "the artifact is for $sha, the run was for $run_sha: not posting" >&2
  exit 1
fi
if [ ! -f "$body" ] || [ "$(wc -c <"$body")" -gt "$max_bytes" ]; then
  echo "no comment, or one over $max_bytes bytes: not posting" >&2
  exit 1
fi
if [ "$(head -n 1 "$body")" != "$marker" ]; then
  echo "the comment does not start with $marker: not posting" >&2
  exit 1
fi

# The pull request must be the one this commit is the head of: a fork cannot aim its artifact
# at another pull request. A newer push makes this run stale: its own run will comment.
current="$(gh api "repos/$repo/pulls/$pr" | jq -r '.head.sha')"
if [ "$current" != "$sha" ]; then
  echo "pull request #$pr is at $current, not $sha: not posting a stale or foreign delta"
  exit 0
fi

# Our comment: written by the bot and starting with the marker. A comment by anyone else
# that quotes the marker is left alone.
id="$(gh api --paginate "repos/$repo/issues/$pr/comments" |
  jq -r --arg bot "$bot" --arg marker "$marker" \
    '.[] | select(.user.login == $bot and (.body | startswith($marker))) | .id' |
  head -n 1)"
if [ -n "$id" ]; then
  gh api -X PATCH "repos/$repo/issues/comments/$id" -F "body=@$body" >/dev/null
  echo "updated comment $id on #$pr"
else
  gh api -X POST "repos/$repo/issues/$pr/comments" -F "body=@$body" >/dev/null
  echo "commented on #$pr"
fi
