#!/usr/bin/env bash
# Proof that a change to zhclean changes no output of any command: runs two binaries over the
# same inputs and reports every byte that differs.
#
#   benches/same_output_all.sh BASE_BIN NEW_BIN
#
# BASE_BIN is a build of the commit the change started from, NEW_BIN a build of the change.
# The inputs: every file under fixtures/ (seeds, exports inputs and references, encodings,
# rule fixtures, the fuzz regressions, pending findings and archives, and repair/ when there
# is one), read as one tree, and a generated archive (examples/make-corpus, ZHCLEAN_SAME_MB
# megabytes, 10 by default; 0 leaves it out). Each binary runs, over each input tree:
#   clean (default rules, --blank-line, and without --archives), every seed cleaned from
#   standard input to standard output, convert with each config `convert --help` lists,
#   check, diff, diff --stat, detect and detect --json.
# Compared: every output file and report (JSON lines sorted), and each run's standard output,
# standard error and exit status. Both binaries run in the same directory, so paths in the
# messages are the same; one file at a time (--jobs 1), so the order of messages is too.
# Exit status: 0 identical, 1 some difference (listed, with the first lines of each diff),
# 2 a usage error.
#
# Writes only to a temporary directory, removed on exit (ZHCLEAN_SAME_KEEP=1 keeps it).

set -euo pipefail

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; }

[[ $# -eq 2 ]] || { usage >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
base=$(absolute "$1") new=$(absolute "$2")
for binary in "$base" "$new"; do
    [[ -x $binary ]] || { echo "same_output_all.sh: $binary is not an executable" >&2; exit 2; }
done
megabytes=${ZHCLEAN_SAME_MB:-10}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zhclean-same-all.XXXXXX")
if [[ ${ZHCLEAN_SAME_KEEP:-} == 1 ]]; then
    echo "same_output_all.sh: keeping $tmp" >&2
else
    trap 'rm -rf "$tmp"' EXIT
fi

# The inputs, copied so that both binaries read the same paths (and nothing can write into
# the repository).
mkdir -p "$tmp/in"
cp -R "$repo/fixtures" "$tmp/in/fixtures"
trees=(fixtures)
if [[ $megabytes != 0 ]]; then
    (cd "$repo" && cargo build --release --quiet --example make-corpus)
    "$repo/target/release/examples/make-corpus" "$tmp/in/corpus" "$megabytes" >/dev/null
    trees+=(corpus)
fi

# The conversion configs, from the base binary's help ("t2s, tw2s, ... (a .json suffix ...").
configs=$("$base" convert --help | tr '\n' ' ' | sed -n 's/.*OpenCC configuration: \([a-z0-9, ]*\)(.*/\1/p' | tr -d ',')
[[ -n $configs ]] || { echo "same_output_all.sh: no configs found in convert --help" >&2; exit 2; }

# run NAME ARGS...: runs the binary under test in $tmp/in, its standard output, standard error
# and exit status saved as run/NAME.{stdout,stderr,status}.
run() {
    local name=$1
    shift
    local status=0
    (cd "$tmp/in" && "$zhclean" "$@") >"$tmp/run/$name.stdout" 2>"$tmp/run/$name.stderr" \
        </dev/null || status=$?
    echo "$status" >"$tmp/run/$name.status"
}

# outputs BINARY: every run of the binary, into $tmp/run.
outputs() {
    zhclean=$1
    rm -rf "$tmp/run"
    mkdir -p "$tmp/run"
    local tree config seed common=(--jobs 1 --progress never)
    for tree in "${trees[@]}"; do
        run "$tree.clean" clean "${common[@]}" --archives "$tree" -o "../run/$tree.clean.out" \
            --report "../run/$tree.clean.report.jsonl"
        run "$tree.clean-blank-line" clean "${common[@]}" --archives --blank-line "$tree" \
            -o "../run/$tree.clean-blank-line.out" --report "../run/$tree.clean-blank-line.report.jsonl"
        run "$tree.clean-no-archives" clean "${common[@]}" "$tree" \
            -o "../run/$tree.clean-no-archives.out" --report "../run/$tree.clean-no-archives.report.jsonl"
        for config in $configs; do
            run "$tree.convert-$config" convert "${common[@]}" --archives -c "$config" "$tree" \
                -o "../run/$tree.convert-$config.out" --report "../run/$tree.convert-$config.report.jsonl"
        done
        run "$tree.check" check "${common[@]}" --archives "$tree"
        run "$tree.diff" diff "${common[@]}" --archives --color never "$tree"
        run "$tree.diff-stat" diff "${common[@]}" --archives --color never --stat "$tree"
        run "$tree.detect" detect "${common[@]}" --archives "$tree"
        run "$tree.detect-json" detect "${common[@]}" --archives --json "$tree"
    done
    for seed in "$tmp"/in/fixtures/seeds/*; do
        seed=$(basename "$seed")
        (cd "$tmp/in" && "$zhclean" clean <"fixtures/seeds/$seed") \
            >"$tmp/run/stdin.$seed.stdout" 2>"$tmp/run/stdin.$seed.stderr" || true
    done
    # The order of a report's lines is the order files finished in.
    find "$tmp/run" -name '*.jsonl' -exec sort -o {} {} \;
}

outputs "$base"
mv "$tmp/run" "$tmp/base"
outputs "$new"
mv "$tmp/run" "$tmp/new"

files=$(find "$tmp/base" -type f | wc -l)
runs=$(find "$tmp/base" -name '*.status' | wc -l)
if diff -r -q "$tmp/base" "$tmp/new" >"$tmp/differences"; then
    echo "same_output_all.sh: identical: $runs runs, $files files (outputs, reports, stdout," \
        "stderr, exit status), byte for byte"
else
    cat "$tmp/differences"
    # The first lines of the first five differing files (the whole list is above).
    sed -n 's/^Files \(.*\) and \(.*\) differ$/\1 \2/p' "$tmp/differences" >"$tmp/differing"
    head -5 "$tmp/differing" | while read -r a b; do
        echo "--- ${a#"$tmp/"}"
        diff "$a" "$b" >"$tmp/one-diff" || true
        head -10 "$tmp/one-diff"
    done
    echo "same_output_all.sh: $(wc -l <"$tmp/differences") differences (above)" >&2
    exit 1
fi
