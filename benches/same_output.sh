#!/usr/bin/env bash
# Proof that a change to zhclean changes no output: cleans a fixed set of inputs with a binary
# and saves, or compares byte for byte with what was saved before.
#
#   benches/same_output.sh save DIR [BINARY]    write the outputs of BINARY into DIR
#   benches/same_output.sh check DIR [BINARY]   write them again into a temporary directory and
#                                               compare with DIR (exit 1 on any difference)
#
# BINARY defaults to target/release/zhclean (build it first). The inputs: a generated archive
# (examples/make-corpus, ZHCLEAN_SAME_MB megabytes, 30 by default: every kind of document the
# speed benchmark reads, in every encoding), every input of fixtures/exports (each profile a
# directory), and the seeds (fixtures/seeds); each cleaned with the default rules and with
# `--blank-line`. Compared: every output file, and the per-file reports (rule counts, Han
# characters removed per rule, facts such as the fitted width model), sorted by path.
# The figures of `cargo run --release --example export_score -- fixtures/exports` go into DIR
# too (export_score.txt) when that example is built: it links the library of this tree, not
# BINARY, so build it (`cargo build --release --example export_score`) from the same tree.
#
# Writes only to DIR (save) or to a temporary directory (check; removed on exit).

set -euo pipefail

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; }

[[ $# -ge 2 ]] || { usage >&2; exit 2; }
mode=$1 dir=$2
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
binary=${3:-$repo/target/release/zhclean}
[[ -x $binary ]] || { echo "same_output.sh: $binary is not an executable" >&2; exit 2; }
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
megabytes=${ZHCLEAN_SAME_MB:-30}

# outputs BINARY OUT: cleans every input set into OUT.
outputs() {
    local zhclean=$1 out=$2 corpus=$3 set flags name
    mkdir -p "$out"
    for flags in default blank-line; do
        local extra=()
        [[ $flags == blank-line ]] && extra=(--blank-line)
        for set in corpus exports seeds; do
            local input
            case $set in
                corpus) input=$corpus ;;
                exports) input=$repo/fixtures/exports ;;
                seeds) input=$repo/fixtures/seeds ;;
            esac
            name=$out/$set.$flags
            if [[ $set == exports ]]; then
                # The inputs only, not the references beside them.
                mkdir -p "$name"
                local file rel
                while IFS= read -r file; do
                    rel=${file#"$input"/}
                    mkdir -p "$name/$(dirname "$rel")"
                    "$zhclean" clean -q --jobs 1 "${extra[@]}" "$file" -o "$name/$rel" \
                        --report "$name/$rel.report.jsonl"
                done < <(find "$input" -name '*.txt' ! -name '*.expected.txt' | sort)
            else
                "$zhclean" clean -q --jobs 1 --progress never "${extra[@]}" "$input" -o "$name" \
                    --report "$name.report.jsonl"
                sort -o "$name.report.jsonl" "$name.report.jsonl"
            fi
        done
    done
    # Paths in the reports name the inputs and outputs; nothing else in them depends on where
    # they are.
    find "$out" -name '*.report.jsonl' -exec sed -i "s#$out#OUT#g; s#$corpus#CORPUS#g; s#$repo#REPO#g" {} +
    if [[ -x $repo/target/release/examples/export_score ]]; then
        (cd "$repo" && target/release/examples/export_score fixtures/exports) \
            >"$out/export_score.txt" 2>&1
    fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zhclean-same.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
(cd "$repo" && cargo build --release --quiet --example make-corpus)
"$repo/target/release/examples/make-corpus" "$tmp/corpus" "$megabytes" >/dev/null

case $mode in
    save)
        rm -rf "$dir"
        outputs "$binary" "$dir" "$tmp/corpus"
        echo "same_output.sh: saved $(find "$dir" -type f | wc -l) files in $dir"
        ;;
    check)
        outputs "$binary" "$tmp/now" "$tmp/corpus"
        if diff -r -q "$dir" "$tmp/now"; then
            echo "same_output.sh: identical: $(find "$dir" -type f | wc -l) files, byte for byte"
        else
            echo "same_output.sh: outputs differ (above)" >&2
            exit 1
        fi
        ;;
    *) usage >&2; exit 2 ;;
esac
