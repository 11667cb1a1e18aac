#!/usr/bin/env bash
# zhclean's Traditional → Simplified conversion against Debian's `opencc` command, side by side
# in the same run, on the same 100 MB Traditional file (the Traditional seed document repeated,
# as `cargo bench --bench convert` uses). Prints the MB/s of both, by wall-clock time and by CPU
# time (user + system; fairer on a busy machine), and the ratios, and how many output lines
# differ (zhclean's corrections in dicts/overrides change a few phrases on purpose).
#
# zhclean is timed as the whole process that reads the file, converts it line by line with the
# library's `Converter` (config t2s) and writes the result: the convert benchmark in file mode.
# Where the release binary has a `convert` command, `zhclean convert --config t2s FILE` (output
# on standard output) is timed too.
#
# Usage: benches/convert-vs-opencc.sh [SIZE_MB]   (default 100). Installs `opencc` (and `time`)
# with apt-get when absent, so run it as root or with those installed.
set -euo pipefail
cd "$(dirname "$0")/.."

size_mb="${1:-100}"
work=target/convert-vs-opencc
mkdir -p "$work"

install() {
    apt-get install -y "$@" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$@" >/dev/null; }
}
command -v opencc >/dev/null || install opencc
[ -x /usr/bin/time ] || install time

input="$work/traditional-${size_mb}mb.txt"
if [ ! -s "$input" ]; then
    seed=$(ls fixtures/seeds/002_*.txt)
    # The seed's paragraphs repeated to 1 MB, then that block repeated to the size.
    : > "$work/block.txt"
    while [ "$(stat -c %s "$work/block.txt")" -lt 1000000 ]; do
        grep -v '^[[:space:]]*$' "$seed" >> "$work/block.txt"
    done
    : > "$input"
    for _ in $(seq "$size_mb"); do cat "$work/block.txt"; done >> "$input"
fi
bytes=$(stat -c %s "$input")

cargo bench --bench convert --no-run --quiet 2>/dev/null
bench=$(cargo bench --bench convert --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\)).*/\1/p' | tail -1)

measure() { # label, command...: prints "label wall cpu"
    local label=$1
    shift
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null
    read -r wall user sys < "$work/time"
    echo "$label $wall $(awk "BEGIN { print $user + $sys }")"
}

read -r _ opencc_wall opencc_cpu < <(measure opencc opencc -c t2s -i "$input" -o "$work/opencc.txt")
read -r _ zh_wall zh_cpu < <(measure zhclean env ZHCLEAN_BENCH_FILE="$input" \
    ZHCLEAN_BENCH_CONFIG=t2s ZHCLEAN_BENCH_OUT="$work/zhclean.txt" "$bench")

cli_wall=""
if cargo build --release --quiet 2>/dev/null && target/release/zhclean convert --help >/dev/null 2>&1; then
    read -r _ cli_wall cli_cpu < <(measure cli sh -c \
        "target/release/zhclean convert --config t2s '$input' > '$work/zhclean-cli.txt'")
fi

for output in opencc zhclean; do
    [ "$(stat -c %s "$work/$output.txt")" -gt 0 ] || { echo "$output wrote nothing" >&2; exit 1; }
done
rate() { awk "BEGIN { print $bytes / 1000000 / $1 }"; }
ratio() { awk "BEGIN { printf \"%.1f\", $1 / $2 }"; }
echo "input: $input ($bytes bytes)"
printf '%-28s wall %6.2f s = %7.1f MB/s   cpu %6.2f s = %7.1f MB/s\n' \
    "opencc -c t2s" "$opencc_wall" "$(rate "$opencc_wall")" "$opencc_cpu" "$(rate "$opencc_cpu")"
printf '%-28s wall %6.2f s = %7.1f MB/s   cpu %6.2f s = %7.1f MB/s\n' \
    "zhclean t2s (library path)" "$zh_wall" "$(rate "$zh_wall")" "$zh_cpu" "$(rate "$zh_cpu")"
if [ -n "$cli_wall" ]; then
    printf '%-28s wall %6.2f s = %7.1f MB/s   cpu %6.2f s = %7.1f MB/s\n' \
        "zhclean convert --config t2s" "$cli_wall" "$(rate "$cli_wall")" "$cli_cpu" "$(rate "$cli_cpu")"
    echo "zhclean convert is $(ratio "$opencc_wall" "$cli_wall")x as fast as opencc by wall-clock time, $(ratio "$opencc_cpu" "$cli_cpu")x by CPU time"
fi
echo "zhclean (library path) is $(ratio "$opencc_wall" "$zh_wall")x as fast as opencc by wall-clock time, $(ratio "$opencc_cpu" "$zh_cpu")x by CPU time"
echo "output lines differing from opencc: $(diff "$work/opencc.txt" "$work/zhclean.txt" | grep -c '^>' || true) of $(wc -l < "$input")"
