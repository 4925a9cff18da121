#!/usr/bin/env bash
# Benchmark: cargo-risk-report against plain baselines on three real dependency graphs.
#
#   scripts/bench.sh [small] [medium] [large]      (default: all three)
#
# Environment: RUNS (timed runs per measurement, default 5; cold runs use RUNS too),
# BENCH_DIR (work folder, default ${TMPDIR:-/tmp}/crr-bench), JOBS (threads, default: all).
#
# Sets up each graph with `cargo generate-lockfile` + `cargo fetch` (network allowed here,
# unlike the tests), then prints, per graph, the median wall time of:
#   inflate-only   every tarball read and inflated in memory (examples/inflate_only.rs)
#   lex-all        that plus the scanner's lexer over every .rs file (examples/lex_all.rs):
#                  less inflate-only, the floor of reading every byte once
#   parse-all      inflate-only plus `syn::parse_file` on every .rs file, all cores (parse_all.rs),
#                  with the system allocator: the baseline the ratios are against
#   parse-all+jemalloc  the same pass with the allocator the tool uses (jemalloc), so the
#                  second ratio leaves the allocator out
#   cold           the tool with an empty cache (all threads, or JOBS)
#   cold-j1        the same on one thread: how the cold scan scales
#   warm           the tool again, nothing changed (every entry a cache hit)
#   bumped         one crate's cache entry deleted before each run: that crate's scan + the
#                  warm run (the crate: the first of BUMP_CANDIDATES that can be bumped)
#   bumped-lock    what `cargo update` of that one crate really costs: each run finds
#                  Cargo.lock switched between two lockfiles (made once with
#                  `cargo update -p CRATE@V --precise` one patch version back) and neither
#                  version's entry cached, so cargo metadata runs again (its cache is keyed by
#                  Cargo.lock) while the new tarball is scanned
#   exhaustive     the tool with --exhaustive (syn parses every item; no cache)
#   cargo-metadata `cargo metadata` alone, which every run but a warm one starts with
#   rustinel       `cargo rustinel check --offline` (cargo-rustinel 0.1.1, a shallower
#                  scanner that reads the sources cargo unpacked), installed once into
#                  $BENCH_DIR/rustinel with `cargo install --locked`; skipped with a message
#                  when it cannot be installed (RUSTINEL=0 skips it too)
# and the peak RSS and CPU seconds (user + system) of cold, warm and exhaustive runs
# (/usr/bin/time), the ratios against
# parse-all, the inflated-MB rate, and whether the cold, warm and exhaustive reports are
# byte-identical. The runs are interleaved (one of each measurement per round), and the cold
# run's ratio to the parse-all run of its own round is printed too: on a shared machine the
# ratio of medians taken minutes apart drifts more than the paired one.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/crr-bench}
RUNS=${RUNS:-5}
JOBS_ARG=()
if [[ -n "${JOBS:-}" ]]; then JOBS_ARG=(-j "$JOBS"); fi
GRAPHS=("$@")
if [[ ${#GRAPHS[@]} -eq 0 ]]; then GRAPHS=(small medium large); fi
CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
# the crates a bump may move, first that works (typical mid-size crates, not windows-sys)
BUMP_CANDIDATES=${BUMP_CANDIDATES:-"syn serde_json regex-automata memchr libc tokio"}

deps_of() {
    case "$1" in
        small) cat <<'EOF'
serde = { version = "1", features = ["derive"] }
serde_json = "1"
regex = "1"
anyhow = "1"
clap = { version = "4", features = ["derive"] }
EOF
        ;;
        medium) cat <<'EOF'
tokio = { version = "1", features = ["full"] }
reqwest = { version = "0.12", features = ["json"] }
axum = "0.8"
tower-http = { version = "0.6", features = ["full"] }
sqlx = { version = "0.8", features = ["postgres", "sqlite", "runtime-tokio"] }
clap = { version = "4", features = ["derive"] }
serde = { version = "1", features = ["derive"] }
tracing = "0.1"
chrono = "0.4"
uuid = { version = "1", features = ["v4"] }
EOF
        ;;
        large) cat <<'EOF'
cargo = "0.98"
EOF
        ;;
        *) echo "unknown graph $1" >&2; exit 2 ;;
    esac
}

# A project depending on the graph's crates, its lockfile and its tarballs; `crates/` holds
# links to every registry tarball of Cargo.lock, for the baselines.
setup() {
    local g=$1 dir=$WORK/$1
    mkdir -p "$dir/src" "$dir/crates"
    if [[ ! -f $dir/Cargo.lock ]]; then
        printf '[package]\nname = "bench-%s"\nversion = "0.1.0"\nedition = "2024"\n\n[dependencies]\n' "$g" >"$dir/Cargo.toml"
        deps_of "$g" >>"$dir/Cargo.toml"
        : >"$dir/src/lib.rs"
        (cd "$dir" && cargo generate-lockfile -q)
    fi
    # an interrupted run may have left the bumped lockfile in place
    if [[ -f $dir/Cargo.lock.a ]]; then cp "$dir/Cargo.lock.a" "$dir/Cargo.lock"; fi
    (cd "$dir" && cargo fetch -q)
    # the one-crate bump: Cargo.lock.b has the first of BUMP_CANDIDATES that cargo can move
    # one patch version back (the newest version of it in the graph); `bump` says which
    if [[ ! -f $dir/Cargo.lock.a ]]; then
        cp "$dir/Cargo.lock" "$dir/Cargo.lock.a"
        local name ver prev
        for name in $BUMP_CANDIDATES; do
            ver=$(awk -v n="name = \"$name\"" '$0 == n {getline; gsub(/"/, "", $3); print $3}' \
                "$dir/Cargo.lock.a" | sort -V | tail -1)
            [[ $ver =~ ^[0-9]+\.[0-9]+\.[0-9]+$ && ${ver##*.} -gt 0 ]] || continue
            prev=${ver%.*}.$((${ver##*.} - 1))
            if (cd "$dir" && cargo update -q -p "$name@$ver" --precise "$prev" 2>/dev/null &&
                cargo fetch -q); then
                cp "$dir/Cargo.lock" "$dir/Cargo.lock.b"
                echo "$name $ver $prev" >"$dir/bump"
                break
            fi
            cp "$dir/Cargo.lock.a" "$dir/Cargo.lock"
        done
        cp "$dir/Cargo.lock.a" "$dir/Cargo.lock"
    fi
    rm -f "$dir"/crates/*.crate
    awk '/^name = /{n=$3} /^version = /{v=$3} /^source = "registry/{gsub(/"/,"",n); gsub(/"/,"",v); print n"-"v".crate"}' \
        "$dir/Cargo.lock" | while read -r f; do
        for c in "$CARGO_HOME"/registry/cache/*/"$f"; do
            [[ -f $c ]] && ln -sf "$c" "$dir/crates/$f" && break
        done
    done
}

# Wall seconds of one run of CMD after PREPARE, read off bash's own clock (EPOCHREALTIME), so
# nothing but CMD's processes is timed. The measurements of a graph are interleaved, one run
# of each per round, so a noisy neighbour slows all of them alike and the ratios hold.
once() {
    eval "$1" >/dev/null 2>&1
    local s=$EPOCHREALTIME e
    if ! eval "$2" >/dev/null 2>&1; then
        echo "bench: failed: $2" >&2
        : >"$WORK/.failed" # this runs in a command substitution: the caller stops
        exit 1
    fi
    e=$EPOCHREALTIME
    awk -v s="$s" -v e="$e" 'BEGIN {printf "%.4f", e - s}'
}

# the median of the numbers given
median() {
    printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

usage() { # "PEAK_KB CPU_SECONDS" of one run of CMD
    /usr/bin/time -f '%M %U %S' -o "$WORK/.rss" bash -c "$1" >/dev/null 2>&1
    tail -1 "$WORK/.rss" | awk '{printf "%d %.2f", $1, $2 + $3}'
}

# cargo-rustinel for the comparison column, installed once into the work folder
RUSTINEL_BIN=""
if [[ ${RUSTINEL:-1} != 0 ]]; then
    if [[ ! -x $WORK/rustinel/bin/cargo-rustinel ]]; then
        mkdir -p "$WORK"
        cargo install -q --locked cargo-rustinel --version 0.1.1 --root "$WORK/rustinel" \
            >"$WORK/rustinel-install.log" 2>&1 || true
    fi
    if [[ -x $WORK/rustinel/bin/cargo-rustinel ]]; then
        RUSTINEL_BIN=$WORK/rustinel/bin/cargo-rustinel
    else
        echo "bench: cargo-rustinel could not be installed (see $WORK/rustinel-install.log); no rustinel column" >&2
    fi
fi

cd "$ROOT"
mkdir -p "$WORK"
rm -f "$WORK/.failed"
# the jemalloc baseline in a target folder of its own (the feature would rebuild the analyzer)
CARGO_TARGET_DIR=$WORK/target-jemalloc cargo build --release -q -p risk-analyzer \
    --example parse_all --features bench-jemalloc
cargo build --release -q --bin cargo-risk-report
cargo build --release -q -p risk-analyzer --example inflate_only --example lex_all --example parse_all
BIN=$ROOT/target/release/cargo-risk-report
EX=$ROOT/target/release/examples
PARSE_JE=$WORK/target-jemalloc/release/examples/parse_all

for g in "${GRAPHS[@]}"; do
    setup "$g"
    dir=$WORK/$g
    cache=$dir/cache
    packages=$(grep -c '^name = ' "$dir/Cargo.lock")
    tool="$BIN risk-report --manifest-path $dir/Cargo.toml --offline -q ${JOBS_ARG[*]:-}"
    # the bumped crate: its entry alone dropped ("bumped"), or the lockfile switched
    # ("bumped-lock", dropping the entries of every tarball the two lockfiles disagree on)
    bump="true" lock_bump="" bump_label="none"
    if [[ -f $dir/bump ]]; then
        read -r bname bfrom bto <"$dir/bump"
        bump_label="$bname $bfrom"
        sha=$(sha256sum "$(readlink -f "$dir/crates/$bname-$bfrom.crate")" | cut -c1-64)
        bump="rm -f $cache/r*/${sha:0:2}/$sha.facts"
        changed=$({ diff <(grep '^checksum' "$dir/Cargo.lock.a" | sort) \
            <(grep '^checksum' "$dir/Cargo.lock.b" | sort) || true; } |
            sed -n 's/^[<>] checksum = "\([0-9a-f]*\)"/\1/p')
        lock_changed=$(wc -l <<<"$changed")
        lock_bump=$(awk -v c="$cache" '{printf "rm -f %s/r*/%s/%s.facts; ", c, substr($1, 1, 2), $1}' <<<"$changed")
        lock_bump+="if cmp -s $dir/Cargo.lock $dir/Cargo.lock.a; then cp $dir/Cargo.lock.b $dir/Cargo.lock; else cp $dir/Cargo.lock.a $dir/Cargo.lock; fi"
    fi
    mb=$("$EX/parse_all" "$dir/crates" | sed -n 's/.*files, \([0-9.]*\) MB.*/\1/p')

    names=(inflate lex parse parse_je meta cold cold1 warm bump full)
    if [[ -n $lock_bump ]]; then names+=(lock); fi
    if [[ -n $RUSTINEL_BIN ]]; then names+=(rustinel); fi
    declare -A T=()
    for _ in $(seq "$RUNS"); do
        if [[ -f $dir/Cargo.lock.a ]]; then cp "$dir/Cargo.lock.a" "$dir/Cargo.lock"; fi
        T[inflate]+=" $(once true "$EX/inflate_only $dir/crates")"
        T[lex]+=" $(once true "$EX/lex_all $dir/crates")"
        T[parse]+=" $(once true "$EX/parse_all $dir/crates")"
        T[parse_je]+=" $(once true "$PARSE_JE $dir/crates")"
        T[meta]+=" $(once true "cargo metadata --manifest-path $dir/Cargo.toml --offline --format-version 1")"
        T[cold]+=" $(once "rm -rf $cache" "$tool --cache-dir $cache -o $dir/cold.toml")"
        T[cold1]+=" $(once "rm -rf $cache" "$tool -j 1 --cache-dir $cache -o $dir/cold-j1.toml")"
        if [[ -n $RUSTINEL_BIN ]]; then
            # exit 1 is rustinel's FAIL decision (a finding over its policy), not an error
            T[rustinel]+=" $(once true "cd $dir && { $RUSTINEL_BIN rustinel check --offline --no-timestamp --lockfile $dir/Cargo.lock; [[ \$? -le 1 ]]; }")"
        fi
        T[warm]+=" $(once true "$tool --cache-dir $cache -o $dir/warm.toml")"
        T[bump]+=" $(once "$bump" "$tool --cache-dir $cache -o $dir/bumped.toml")"
        T[full]+=" $(once true "$tool --exhaustive -o $dir/exhaustive.toml")"
        # last: it leaves the other lockfile in place, which the next round puts back
        if [[ -n $lock_bump ]]; then
            T[lock]+=" $(once "$lock_bump" "$tool --cache-dir $cache -o $dir/bumped-lock.toml")"
        fi
    done
    if [[ -f $dir/Cargo.lock.a ]]; then cp "$dir/Cargo.lock.a" "$dir/Cargo.lock"; fi
    if [[ -e $WORK/.failed ]]; then exit 1; fi
    declare -A M=()
    for n in "${names[@]}"; do
        # shellcheck disable=SC2086 # the runs' times, one word each
        M[$n]=$(median ${T[$n]})
    done
    # the cold run against parse-all of the same round: the median and range of those ratios
    read -r -a cold_runs <<<"${T[cold]}"
    read -r -a parse_runs <<<"${T[parse]}"
    paired=()
    for k in "${!cold_runs[@]}"; do
        paired+=("$(awk -v a="${cold_runs[$k]}" -v b="${parse_runs[$k]}" 'BEGIN {printf "%.3f", a / b}')")
    done
    paired_range=$(printf '%s\n' "${paired[@]}" | sort -g | awk 'NR==1{lo=$1} {hi=$1} END {printf "%.2f-%.2f", lo, hi}')
    t_inflate=${M[inflate]} t_lex=${M[lex]} t_parse=${M[parse]} t_parse_je=${M[parse_je]} t_meta=${M[meta]}
    t_cold=${M[cold]} t_warm=${M[warm]} t_bump=${M[bump]} t_full=${M[full]} t_lock=${M[lock]:-}
    t_cold1=${M[cold1]} t_rustinel=${M[rustinel]:-}
    read -r m_cold c_cold <<<"$(usage "rm -rf $cache && $tool --cache-dir $cache -o $dir/cold.toml")"
    read -r m_warm c_warm <<<"$(usage "$tool --cache-dir $cache -o $dir/warm.toml")"
    read -r m_full c_full <<<"$(usage "$tool --exhaustive -o $dir/exhaustive.toml")"
    same="identical"
    for r in warm bumped exhaustive cold-j1; do
        cmp -s "$dir/cold.toml" "$dir/$r.toml" || same="DIFFERENT ($r)"
    done

    ratio() { awk -v a="$1" -v b="$t_parse" 'BEGIN {printf "%.2f", a / b}'; }
    echo "== $g: $packages packages, $mb MB of .rs inflated; medians of $RUNS runs, seconds"
    printf '  inflate-only    %6.2f\n' "$t_inflate"
    printf '  lex-all         %6.2f   (lexing alone: %.2f)\n' "$t_lex" "$(awk -v a="$t_lex" -v b="$t_inflate" 'BEGIN {print a - b}')"
    printf '  parse-all       %6.2f   (1.00)\n' "$t_parse"
    printf '  parse-all+jemalloc %6.2f\n' "$t_parse_je"
    printf '  cold            %6.2f   (%s of parse-all, %s of parse-all+jemalloc, %.0f MB/s)  peak %d MB, cpu %s s\n' "$t_cold" "$(ratio "$t_cold")" "$(awk -v a="$t_cold" -v b="$t_parse_je" 'BEGIN {printf "%.2f", a / b}')" "$(awk -v a="$mb" -v b="$t_cold" 'BEGIN {print a / b}')" $((m_cold / 1024)) "$c_cold"
    printf '                           (cold / parse-all of the same round: median %.2f, range %s)\n' "$(median "${paired[@]}")" "$paired_range"
    printf '  cold-j1         %6.2f   (one thread: cold is %.2f of it)\n' "$t_cold1" "$(awk -v a="$t_cold" -v b="$t_cold1" 'BEGIN {print a / b}')"
    if [[ -n $t_rustinel ]]; then
        printf '  rustinel        %6.2f   (cargo rustinel check --offline: cold is %.2f of it)\n' "$t_rustinel" "$(awk -v a="$t_cold" -v b="$t_rustinel" 'BEGIN {print a / b}')"
    fi
    printf '  warm            %6.2f   (%s of parse-all)  peak %d MB, cpu %s s\n' "$t_warm" "$(ratio "$t_warm")" $((m_warm / 1024)) "$c_warm"
    printf '  bumped          %6.2f   (%s: its entry dropped, its scan + warm)\n' "$t_bump" "$bump_label"
    if [[ -n $t_lock ]]; then
        printf '  bumped-lock     %6.2f   (Cargo.lock switched %s <-> %s, %d tarballs differ: + cargo metadata)\n' "$t_lock" "$bfrom" "$bto" "$lock_changed"
    fi
    printf '  exhaustive      %6.2f   (%s of parse-all)  peak %d MB, cpu %s s\n' "$t_full" "$(ratio "$t_full")" $((m_full / 1024)) "$c_full"
    printf '  cargo-metadata  %6.2f   (every run but a warm one)\n' "$t_meta"
    echo "  reports (cold, warm, bumped, exhaustive, cold-j1): $same"
done
