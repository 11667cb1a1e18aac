#!/usr/bin/env bash
# End-to-end comparison: zhclean's release binary on a generated archive of mixed documents, on
# single large files, against the opencc command-line tool, with start-up time and peak memory,
# checked against the project's targets. Prints a markdown report on standard output (progress
# goes to standard error).
#
#   benches/compare.sh            full run: a 1 GB archive, 100 MB files, 5 runs each (median;
#                                 15 of zhclean on the single files, a third of a second each)
#   benches/compare.sh --quick    a ~20 MB archive, ~5 MB files, 1 run each: for CI, well under a minute
#   benches/compare.sh --save     also write the report to benches/results/YYYY-MM-DD.md
#
# Settings (environment):
#   ZHCLEAN_BENCH_QUICK=1          the same as --quick
#   ZHCLEAN_BENCH_MB=1000          archive size in MB (10^6 bytes)
#   ZHCLEAN_BENCH_FILE_MB=100      size of each single-file input, in MB
#   ZHCLEAN_BENCH_RUNS=5           timed runs of each measurement (the median is reported)
#   ZHCLEAN_BENCH_FILE_RUNS=15     timed runs of zhclean on each single file: a run is short,
#                                  and five of them fit in one burst of the neighbours' load
#   ZHCLEAN_BENCH_STARTUP_RUNS=30  runs of the start-up measurement
#   ZHCLEAN_BENCH_JOBS=$(nproc)    N for the --jobs N run
#   ZHCLEAN_BENCH_BASELINE=BINARY  another zhclean binary (an earlier commit's, say) timed on the
#                                  archive (--jobs 1) and on the Simplified file
# Runs that are compared (--jobs 1 and --jobs N, this binary and the baseline) take turns, round
# by round, so that the report's ratios are of figures taken at the same moments.
#   TMPDIR                         where the temporary inputs and outputs go (needs ~2.5x the archive)
#
# Tools: cargo, GNU time (/usr/bin/time, installed with apt-get when missing), perl (with its
# core JSON::PP, for the JSONL shard), and for the
# comparison column Debian's `opencc` (installed with apt-get on a full run when it is missing;
# skipped when it cannot be).
# Writes only to its temporary directory (removed on exit) and, with --save, benches/results/.

set -euo pipefail
export LC_NUMERIC=C # decimal points in awk's figures and in $EPOCHREALTIME

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; }

quick=${ZHCLEAN_BENCH_QUICK:-0}
save=0
for arg in "$@"; do
    case $arg in
        --quick) quick=1 ;;
        --save) save=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "compare.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
    esac
done

if [[ $quick == 1 ]]; then
    archive_mb=${ZHCLEAN_BENCH_MB:-20}
    file_mb=${ZHCLEAN_BENCH_FILE_MB:-5}
    runs=${ZHCLEAN_BENCH_RUNS:-1}
    file_runs=${ZHCLEAN_BENCH_FILE_RUNS:-1}
    startup_runs=${ZHCLEAN_BENCH_STARTUP_RUNS:-10}
else
    archive_mb=${ZHCLEAN_BENCH_MB:-1000}
    file_mb=${ZHCLEAN_BENCH_FILE_MB:-100}
    runs=${ZHCLEAN_BENCH_RUNS:-5}
    file_runs=${ZHCLEAN_BENCH_FILE_RUNS:-15}
    startup_runs=${ZHCLEAN_BENCH_STARTUP_RUNS:-30}
fi
cpus=$(nproc)
jobs_n=${ZHCLEAN_BENCH_JOBS:-$cpus}
baseline=${ZHCLEAN_BENCH_BASELINE:-}
if [[ -n $baseline && ! -x $baseline ]]; then
    echo "compare.sh: ZHCLEAN_BENCH_BASELINE=$baseline is not an executable" >&2
    exit 2
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

say() { echo "compare.sh: $*" >&2; }

# apt_install PACKAGE: installs a Debian package, when this is a Debian machine and we are root.
apt_install() {
    command -v apt-get >/dev/null && [[ $(id -u) == 0 ]] || return 1
    say "installing Debian's $1"
    { apt-get install -y -qq "$1" || { apt-get update -qq && apt-get install -y -qq "$1"; }; } >&2
}

[[ -x /usr/bin/time ]] || apt_install time || true
for tool in cargo perl /usr/bin/time; do
    command -v "$tool" >/dev/null || { say "needs $tool"; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zhclean-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# --- 1. Build -------------------------------------------------------------------------------
say "building the release binary and the corpus generator"
cargo build --release --locked >&2
cargo build --release --locked --example make-corpus >&2
zhclean=$repo/target/release/zhclean
make_corpus=$repo/target/release/examples/make-corpus

# --- 2. Inputs ------------------------------------------------------------------------------
bytes_of() { find "$@" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d", s }'; }

# repeat_to OUT BYTES UNIT...: the concatenation of UNIT files, repeated until OUT has BYTES.
repeat_to() {
    local out=$1 want=$2 chunk=$tmp/chunk
    shift 2
    cat "$@" >"$chunk"
    while (($(bytes_of "$chunk") < 1000000)); do
        cat "$chunk" "$chunk" >"$chunk.2" && mv "$chunk.2" "$chunk"
    done
    : >"$out"
    while (($(bytes_of "$out") < want)); do cat "$chunk" >>"$out"; done
    rm -f "$chunk"
}

free_mb=$(df -Pm "$tmp" | awk 'NR == 2 { print $4 }')
need_mb=$((archive_mb * 5 / 2 + file_mb * 5))
if ((free_mb < need_mb)); then
    say "warning: $free_mb MB free in $tmp, about $need_mb MB needed (set TMPDIR elsewhere?)"
fi

say "generating a $archive_mb MB archive"
"$make_corpus" "$tmp/archive" "$archive_mb" >&2
archive_bytes=$(bytes_of "$tmp/archive")
archive_files=$(find "$tmp/archive" -type f | wc -l)

say "making the $file_mb MB single files"
# Seed 002 without its glued "(pinyin)" annotations: ordinary Traditional text, as opencc expects.
perl -CSD -pe 's/\([\p{Ll}\p{Mn}]+\)//g' fixtures/seeds/002_*.txt >"$tmp/traditional-unit.txt"
repeat_to "$tmp/traditional.txt" $((file_mb * 1000000)) "$tmp/traditional-unit.txt"
# The Simplified seeds cleaned once: text zhclean has nothing left to do to.
"$zhclean" clean -q fixtures/seeds/000_*.txt fixtures/seeds/001_*.txt fixtures/seeds/003_*.txt \
    >"$tmp/simplified-unit.txt"
repeat_to "$tmp/simplified.txt" $((file_mb * 1000000)) "$tmp/simplified-unit.txt"
traditional_bytes=$(bytes_of "$tmp/traditional.txt")
simplified_bytes=$(bytes_of "$tmp/simplified.txt")
# A 1 KB document for the start-up time: whole lines of the clean Simplified text.
LC_ALL=C awk '{ print; n += length($0) + 1; if (n >= 1000) exit }' "$tmp/simplified-unit.txt" \
    >"$tmp/small.txt"
small_bytes=$(bytes_of "$tmp/small.txt")

opencc_state=present
if ! command -v opencc >/dev/null; then
    opencc_state=missing
    if [[ $quick != 1 ]] && apt_install opencc; then
        opencc_state=present
    fi
    [[ $opencc_state == present ]] || say "opencc is not installed: its column is skipped"
fi

# --- 3. Measurements ------------------------------------------------------------------------
warm() { find "$@" -type f -exec cat {} + >/dev/null; }

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure RUNS OUTPUT COMMAND...: runs COMMAND RUNS times, removing OUTPUT before each run (and
# after the last); sets seconds (the median wall time), cpu_seconds (the median user + system
# time: on a shared machine it moves less than wall time), user_seconds (the median user time
# alone: the system time of a run over an archive is mostly the file system's, creating the
# files the run before it had deleted, and it moves by tens of percent from run to run) and peak_kb (the largest maximum
# resident set size, the figure `/usr/bin/time -v` reports as "Maximum resident set size").
measure() {
    local count=$1 output=$2 i start end kb user sys
    shift 2
    : >"$tmp/times"
    : >"$tmp/rss"
    : >"$tmp/cpu"
    : >"$tmp/user"
    for ((i = 0; i < count; i++)); do
        rm -rf "$output"
        start=${EPOCHREALTIME/[.,]/} # microseconds, without forking (bash 5)
        if ! /usr/bin/time -f '%M %U %S' -o "$tmp/rss.1" "$@" >/dev/null 2>"$tmp/stderr"; then
            say "failed: $*"
            cat "$tmp/stderr" >&2
            exit 1
        fi
        end=${EPOCHREALTIME/[.,]/}
        echo "$((end - start))" >>"$tmp/times"
        read -r kb user sys <<<"$(tail -n 1 "$tmp/rss.1")"
        echo "$kb" >>"$tmp/rss"
        awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }' >>"$tmp/cpu"
        echo "$user" >>"$tmp/user"
    done
    rm -rf "$output"
    seconds=$(median <"$tmp/times" | awk '{ printf "%.3f", $1 / 1e6 }')
    cpu_seconds=$(median <"$tmp/cpu" | awk '{ printf "%.3f", $1 }')
    user_seconds=$(median <"$tmp/user" | awk '{ printf "%.3f", $1 }')
    peak_kb=$(sort -n "$tmp/rss" | tail -n 1)
}

# measure_rounds RUNS OUTPUT NAME...: RUNS rounds, each running once every command NAME names
# (the array cmd_NAME), in an order that changes from round to round, so that all of them meet
# the same moments of a shared machine (its speed moves by tens of percent within minutes) and
# none always runs first: their ratios are then ratios of figures of the same moments. Sets,
# per NAME, s_NAME (the median wall time), cpu_NAME and kb_NAME, as `measure` does.
measure_rounds() {
    local count=$1 output=$2 round k n name
    shift 2
    local names=("$@")
    n=${#names[@]}
    for name in "${names[@]}"; do
        : >"$tmp/$name.times"
        : >"$tmp/$name.cpu"
        : >"$tmp/$name.user"
        : >"$tmp/$name.rss"
    done
    for ((round = 0; round < count; round++)); do
        for ((k = 0; k < n; k++)); do
            # An order and then the same backwards, turned by one every two rounds: over 2n
            # rounds each command runs first, and right after each other one, equally often.
            # (Turning alone, three commands always ran in the same cycle: the baseline came
            # after `--jobs 2` in four rounds of five.)
            if ((round % 2 == 0)); then
                name=${names[(round / 2 + k) % n]}
            else
                name=${names[(round / 2 + n - 1 - k) % n]}
            fi
            local -n command="cmd_$name"
            measure 1 "$output" "${command[@]}"
            unset -n command
            echo "$seconds" >>"$tmp/$name.times"
            echo "$cpu_seconds" >>"$tmp/$name.cpu"
            echo "$user_seconds" >>"$tmp/$name.user"
            echo "$peak_kb" >>"$tmp/$name.rss"
        done
    done
    for name in "${names[@]}"; do
        declare -g "s_$name=$(median <"$tmp/$name.times" | awk '{ printf "%.3f", $1 }')"
        declare -g "cpu_$name=$(median <"$tmp/$name.cpu" | awk '{ printf "%.3f", $1 }')"
        declare -g "user_$name=$(median <"$tmp/$name.user" | awk '{ printf "%.3f", $1 }')"
        declare -g "kb_$name=$(sort -n "$tmp/$name.rss" | tail -n 1)"
    done
}

# spawn_ms RUNS COMMAND...: the median wall time of COMMAND in milliseconds (no time wrapper).
spawn_ms() {
    local count=$1 i start end
    shift
    : >"$tmp/times"
    for ((i = 0; i < count; i++)); do
        start=${EPOCHREALTIME/[.,]/}
        "$@" >/dev/null 2>&1
        end=${EPOCHREALTIME/[.,]/}
        echo "$((end - start))" >>"$tmp/times"
    done
    median <"$tmp/times" | awk '{ printf "%.2f", $1 / 1e3 }'
}

mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# verdict VALUE OP LIMIT: PASS or MISS
verdict() {
    awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "PASS" : "MISS" }'
}

started=$(date -u '+%Y-%m-%d %H:%M UTC')
load=$(cut -d' ' -f1-3 /proc/loadavg)

jobs_list=()
((cpus >= 2)) && jobs_list+=(2)
((jobs_n > 2)) && jobs_list+=("$jobs_n")
archive_args=(clean "$tmp/archive" -o "$tmp/out" -q --progress never)
cmd_j1=("$zhclean" "${archive_args[@]}" --jobs 1)
archive_names=(j1)
for j in "${jobs_list[@]}"; do
    declare -n command="cmd_j$j"
    command=("$zhclean" "${archive_args[@]}" --jobs "$j")
    unset -n command
    archive_names+=("j$j")
done
if [[ -n $baseline ]]; then
    cmd_base_j1=("$baseline" "${archive_args[@]}" --jobs 1)
    archive_names+=(base_j1)
fi
say "clean, archive: --jobs 1, --jobs ${jobs_list[*]:-}${baseline:+, the baseline binary with --jobs 1}, in turn ($runs rounds)"
warm "$tmp/archive"
measure_rounds "$runs" "$tmp/out" "${archive_names[@]}"
j1_s=$s_j1 j1_cpu=$cpu_j1 j1_kb=$kb_j1
declare -A jn_s jn_cpu jn_kb
for j in "${jobs_list[@]}"; do
    s_name=s_j$j cpu_name=cpu_j$j kb_name=kb_j$j
    jn_s[$j]=${!s_name} jn_cpu[$j]=${!cpu_name} jn_kb[$j]=${!kb_name}
done
if [[ -n $baseline ]]; then
    base_j1_s=$s_base_j1 base_j1_cpu=$cpu_base_j1 base_j1_user=$user_base_j1
fi

say "clean --jsonl against the same documents as .txt files, --jobs 1, in turn ($runs rounds)"
# The archive's documents as UTF-8 text (cleaned once, so that nothing is left to decode), the
# first $file_mb MB of them: as .txt files, and as the "text" field of one JSONL shard.
"$zhclean" clean -q --progress never "$tmp/archive" -o "$tmp/docs" || :
mkdir -p "$tmp/docs-txt"
find "$tmp/docs" -type f -print0 | sort -z | perl -MJSON::PP -e '
    my ($dir, $limit) = @ARGV;
    my $json = JSON::PP->new->utf8->canonical;
    my ($i, $bytes) = (0, 0);
    local $/ = "\0";
    while ($bytes < $limit and defined(my $path = <STDIN>)) {
        chomp $path;
        open my $in, "<:raw", $path or die "$path: $!";
        my $raw = do { local $/; <$in> };
        my $text = $raw;
        utf8::decode($text) or die "$path: not UTF-8";
        open my $out, ">:raw", sprintf("%s/%06d.txt", $dir, $i) or die $!;
        print $out $raw;
        print $json->encode({ id => $i++, text => $text }), "\n";
        $bytes += length $raw;
    }
    # Read the rest of the list: a writer stopped by SIGPIPE fails the pipeline (pipefail),
    # which the full run meets, whose archive holds more than the first $limit bytes.
    1 while <STDIN>;' "$tmp/docs-txt" $((file_mb * 1000000)) >"$tmp/docs.jsonl"
docs_bytes=$(bytes_of "$tmp/docs-txt")
docs_files=$(find "$tmp/docs-txt" -type f | wc -l)
cmd_txt=("$zhclean" clean "$tmp/docs-txt" -o "$tmp/out" -q --progress never --jobs 1)
cmd_jsonl=("$zhclean" clean --jsonl "$tmp/docs.jsonl" -o "$tmp/out/docs.jsonl" -q --progress never --jobs 1)
warm "$tmp/docs-txt" "$tmp/docs.jsonl"
measure_rounds "$runs" "$tmp/out" txt jsonl

say "clean, clean Simplified file${baseline:+, in turn with the baseline binary} ($file_runs runs)"
warm "$tmp/simplified.txt"
cmd_simp=("$zhclean" clean "$tmp/simplified.txt" -o "$tmp/out.txt" -q)
simplified_names=(simp)
if [[ -n $baseline ]]; then
    cmd_base_simp=("$baseline" clean "$tmp/simplified.txt" -o "$tmp/out.txt" -q)
    simplified_names+=(base_simp)
fi
measure_rounds "$file_runs" "$tmp/out.txt" "${simplified_names[@]}"
simp_s=$s_simp simp_cpu=$cpu_simp simp_kb=$kb_simp
if [[ -n $baseline ]]; then
    base_simp_s=$s_base_simp base_simp_cpu=$cpu_base_simp
fi

say "clean, Traditional file ($file_runs runs)"
warm "$tmp/traditional.txt"
measure "$file_runs" "$tmp/out.txt" "$zhclean" clean "$tmp/traditional.txt" -o "$tmp/out.txt" -q
trad_s=$seconds trad_cpu=$cpu_seconds trad_kb=$peak_kb

say "convert t2s, Traditional file ($file_runs runs)"
measure "$file_runs" "$tmp/out.txt" "$zhclean" convert --config t2s "$tmp/traditional.txt" -o "$tmp/out.txt" -q
conv_s=$seconds conv_cpu=$cpu_seconds conv_kb=$peak_kb

same_output=""
if [[ $opencc_state == present ]]; then
    say "opencc -c t2s.json, Traditional file ($runs runs)"
    measure "$runs" "$tmp/opencc.txt" opencc -c t2s.json -i "$tmp/traditional.txt" -o "$tmp/opencc.txt"
    opencc_s=$seconds opencc_cpu=$cpu_seconds opencc_kb=$peak_kb
    # One more pair of outputs, kept, to say whether the two tools agree on this text.
    "$zhclean" convert --config t2s "$tmp/traditional-unit.txt" -o "$tmp/z.txt" -q
    opencc -c t2s.json -i "$tmp/traditional-unit.txt" -o "$tmp/o.txt"
    if cmp -s "$tmp/z.txt" "$tmp/o.txt"; then
        same_output="identical"
    else
        same_output="differ on $(diff "$tmp/z.txt" "$tmp/o.txt" | grep -c '^<') of $(wc -l <"$tmp/o.txt") lines"
    fi
fi

say "start-up, 1 KB file ($startup_runs runs)"
"$zhclean" clean -q "$tmp/small.txt" -o "$tmp/small.out" # a first run to load the binary
startup_ms=$(spawn_ms "$startup_runs" "$zhclean" clean -q "$tmp/small.txt" -o "$tmp/small.out")
spawn_baseline_ms=$(spawn_ms "$startup_runs" /bin/true)

# --- 4. Report ------------------------------------------------------------------------------
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
[[ -z $(git status --porcelain --untracked-files=no 2>/dev/null) ]] || commit="$commit (modified)"
cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mode=full
[[ $quick == 1 ]] && mode=quick
archive_desc="archive, $(mbps "$archive_bytes" 1) MB in $archive_files files"
trad_desc="Traditional UTF-8 file, $(mbps "$traditional_bytes" 1) MB"
simp_desc="clean Simplified UTF-8 file, $(mbps "$simplified_bytes" 1) MB"
times_of() { echo "$1 s wall, $2 s CPU"; }
dir_limit() { echo $((64 + 16 * $1)); }

report() {
    echo "## zhclean end-to-end figures, $started"
    echo
    echo "Machine: $cpus CPUs ($cpu_model), load average at start $load; commit $commit;"
    echo "$mode run: median of $runs run(s) each ($file_runs of zhclean on the single files; start-up: median of $startup_runs), page cache warm."
    echo "MB/s are megabytes (10^6 bytes) of input per second of wall time (CPU: user + system);"
    echo "memory is peak RSS in MiB."
    echo
    echo "| Measure | Input | Figure | Target | |"
    echo "| --- | --- | --- | --- | --- |"
    local j1_mbps
    j1_mbps=$(mbps "$archive_bytes" "$j1_s")
    echo "| \`clean --jobs 1\` | $archive_desc | $j1_mbps MB/s ($(times_of "$j1_s" "$j1_cpu")) | ≥ 100 MB/s | $(verdict "$j1_mbps" '>=' 100) |"
    for j in "${jobs_list[@]}"; do
        local s=${jn_s[$j]} speedup target=— result=""
        speedup=$(ratio "$j1_s" "$s")
        if [[ $j == 2 ]]; then target="≥ 1.7× \`--jobs 1\`" result=$(verdict "$speedup" '>=' 1.7); fi
        echo "| \`clean --jobs $j\` | same archive | $(mbps "$archive_bytes" "$s") MB/s ($(times_of "$s" "${jn_cpu[$j]}")), ${speedup}× \`--jobs 1\` | $target | $result |"
    done
    ((cpus >= 2)) || echo "| \`clean --jobs 2\` | — | not measured: 1 CPU | ≥ 1.7× \`--jobs 1\` | |"
    local txt_core jsonl_core per_core
    txt_core=$(mbps "$docs_bytes" "$cpu_txt")
    jsonl_core=$(mbps "$docs_bytes" "$cpu_jsonl")
    per_core=$(ratio "$cpu_txt" "$cpu_jsonl")
    echo "| \`clean --jsonl --jobs 1\` | $docs_files documents, $(mbps "$docs_bytes" 1) MB, as one JSONL shard | $jsonl_core MB/s per core ($(times_of "$s_jsonl" "$cpu_jsonl")); as .txt files $txt_core MB/s per core ($(times_of "$s_txt" "$cpu_txt")): ${per_core}× | ≥ 0.90× the files per core | $(verdict "$per_core" '>=' 0.90) |"
    local simp_mbps
    simp_mbps=$(mbps "$simplified_bytes" "$simp_s")
    echo "| \`clean\` | $simp_desc | $simp_mbps MB/s ($(times_of "$simp_s" "$simp_cpu")) | ≥ 300 MB/s | $(verdict "$simp_mbps" '>=' 300) |"
    echo "| \`clean\` | $trad_desc | $(mbps "$traditional_bytes" "$trad_s") MB/s ($(times_of "$trad_s" "$trad_cpu")) | — | |"
    local conv_mbps
    conv_mbps=$(mbps "$traditional_bytes" "$conv_s")
    echo "| \`convert --config t2s\` | same Traditional file | $conv_mbps MB/s ($(times_of "$conv_s" "$conv_cpu")) | — | |"
    if [[ $opencc_state == present ]]; then
        local opencc_mbps speedup
        opencc_mbps=$(mbps "$traditional_bytes" "$opencc_s")
        speedup=$(ratio "$opencc_s" "$conv_s")
        echo "| \`opencc -c t2s.json\` (Debian, $(opencc --version 2>&1 | grep -o '[0-9][0-9.]*' | head -n 1 || true)) | same Traditional file | $opencc_mbps MB/s ($(times_of "$opencc_s" "$opencc_cpu")), peak $(mib "$opencc_kb") MiB | — | |"
        echo "| \`convert\` ÷ \`opencc\` | same Traditional file | ${speedup}× | ≥ 20× | $(verdict "$speedup" '>=' 20) |"
    else
        echo "| \`opencc -c t2s.json\` | — | not installed: skipped | ≥ 20× slower than \`convert\` | |"
    fi
    if [[ -n $baseline ]]; then
        echo "| \`clean --jobs 1\`, baseline binary | same archive | $(mbps "$archive_bytes" "$base_j1_s") MB/s ($(times_of "$base_j1_s" "$base_j1_cpu")); this one $(ratio "$base_j1_s" "$j1_s")× as fast; user CPU alone (the file system's time left out) $user_j1 s against $base_j1_user s, $(ratio "$base_j1_user" "$user_j1")× as fast | — | |"
        echo "| \`clean\`, baseline binary | $simp_desc | $(mbps "$simplified_bytes" "$base_simp_s") MB/s ($(times_of "$base_simp_s" "$base_simp_cpu")); this one $(ratio "$base_simp_s" "$simp_s")× as fast | — | |"
    fi
    echo "| start-up, \`clean\` | $small_bytes-byte file | $startup_ms ms (spawning \`/bin/true\`: $spawn_baseline_ms ms) | ≤ 10 ms | $(verdict "$startup_ms" '<=' 10) |"
    local m
    m=$(mib "$simp_kb")
    echo "| peak memory, \`clean\` | $simp_desc | $m MiB | ≤ 64 MiB | $(verdict "$m" '<=' 64) |"
    m=$(mib "$trad_kb")
    echo "| peak memory, \`clean\` | $trad_desc | $m MiB | ≤ 64 MiB | $(verdict "$m" '<=' 64) |"
    m=$(mib "$conv_kb")
    echo "| peak memory, \`convert --config t2s\` | $trad_desc | $m MiB | ≤ 64 MiB | $(verdict "$m" '<=' 64) |"
    m=$(mib "$j1_kb")
    echo "| peak memory, \`clean --jobs 1\` | archive | $m MiB | ≤ $(dir_limit 1) MiB | $(verdict "$m" '<=' "$(dir_limit 1)") |"
    for j in "${jobs_list[@]}"; do
        m=$(mib "${jn_kb[$j]}")
        echo "| peak memory, \`clean --jobs $j\` | archive | $m MiB | ≤ $(dir_limit "$j") MiB | $(verdict "$m" '<=' "$(dir_limit "$j")") |"
    done
    echo
    if [[ -n $same_output ]]; then
        echo "On one copy of the Traditional text, \`zhclean convert\` and \`opencc\` outputs are $same_output."
    fi
    echo "Produced by \`benches/compare.sh$([[ $quick == 1 ]] && echo ' --quick')\`" \
        "(archive $archive_mb MB, single files $file_mb MB)."
    if [[ -n $baseline ]]; then
        echo "Baseline binary: \`$baseline\` ($("$baseline" --version 2>/dev/null || echo "version unknown"))."
    fi
}

report >"$tmp/report.md"
cat "$tmp/report.md"

if [[ $save == 1 ]]; then
    mkdir -p benches/results
    name=benches/results/$(date +%F)
    path=$name.md
    n=2
    while [[ -e $path ]]; do path=$name-$n.md n=$((n + 1)); done
    cp "$tmp/report.md" "$path"
    say "saved $path"
fi
