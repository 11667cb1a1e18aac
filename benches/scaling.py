#!/usr/bin/env python3
"""Does each command's cost grow linearly with its input? For shapes of input that super-linear
steps feed on (many short lines, one huge line, page numbers, mojibake, runs of one character,
nested pinyin parentheses and converter markers, ...), the CPU time of every command on a
smaller and a larger input of that shape; a ratio well above the ratio of sizes is flagged.

    cargo build --release
    python3 benches/scaling.py [BINARY] [SMALL,LARGE]     # default: 1 MiB and 4 MiB

CPU time (user + system of the child), not wall time, so the machine's load moves the figures
less; a flagged case is worth a look with callgrind, not a verdict.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile

BINARY = sys.argv[1] if len(sys.argv) > 1 else "target/release/zhclean"
SIZES = [int(x) for x in (sys.argv[2] if len(sys.argv) > 2 else "1048576,4194304").split(",")]
TEXT = "这是一段正文，说明一些事情。我们认真学习，坚持发展经济，建设法治政府。"

COMMANDS = {
    "clean": ["clean"],
    "clean-tw": ["clean", "--to", "tw"],
    "convert": ["convert", "-c", "s2twp"],
    "check": ["check"],
    "diff": ["diff"],
    "detect": ["detect"],
    "jsonl": ["clean", "--jsonl"],
}


def fill(unit, size):
    data = unit.encode() if isinstance(unit, str) else unit
    return (data * (size // len(data) + 1))[:size]


def shapes(size):
    utf8_as_gbk = TEXT.encode("utf-8").decode("gbk", errors="replace")
    utf8_as_1252 = TEXT.encode("utf-8").decode("cp1252", errors="replace")
    return {
        "short-lines": fill("字\n", size),
        "one-huge-line": fill(TEXT, size),
        "huge-line-ascii": fill("a", size),
        "page-numbers": fill("正文一行，没有结束\n- 3 -\n第3页\n", size),
        "numbers-only": b"".join(f"{i}\n".encode() for i in range(1, size))[:size],
        "form-feeds": fill("正文一行\f", size),
        "mojibake-gbk": fill(utf8_as_gbk, size),
        "mojibake-1252": fill(utf8_as_1252, size),
        "mojibake-1252-lines": fill(utf8_as_1252 + "\n", size),
        "replacement": fill("\ufffd", size),
        "one-han": fill("啊", size),
        "spaces": fill(" ", size),
        "full-stops": fill("。", size),
        "nbsp": fill("\u00a0", size),
        "pinyin-deep": b"\xe4\xb8\xad(" * (size // 8) + b")" * (size // 8),
        "pinyin-many": fill("中(zhōng)", size),
        "pinyin-open": fill("中(zh", size),
        "markers": fill("[image: x]", size),
        "markers-nested": b"[image: " * (size // 16) + b"]" * (size // 16),
        "markers-open": fill("[bookmark: ", size),
        "brackets-open": fill("（", size),
        "combining": fill("e\u0301", size),
        "crs": fill("字\r", size),
        "gbk": fill(TEXT.encode("gbk"), size),
        "gbk-cut": fill(TEXT.encode("gbk")[1:], size),
        "doubled-lines": fill("同一行\n", size),
        "list-markers": fill("①\n", size),
        "footnotes": fill("正文[1]\n[1] 注释\n", size),
    }


def cpu_seconds(args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        [BINARY] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        print(f"  exit {result.returncode}: {' '.join(args)}", file=sys.stderr)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    seconds = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            for name, data in shapes(size).items():
                path = os.path.join(tmp, f"{name}.txt")
                with open(path, "wb") as f:
                    f.write(data)
                record = os.path.join(tmp, f"{name}.jsonl")
                with open(record, "w") as f:
                    text = data.decode("utf-8", errors="replace")
                    f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
                for command, args in COMMANDS.items():
                    source = record if command == "jsonl" else path
                    seconds[name, command, size] = cpu_seconds(args + [source])
    small, large = SIZES[0], SIZES[-1]
    grows = large / small
    print(f"| shape | command | {small >> 10} KiB | {large >> 10} KiB | ratio |")
    print("|---|---|---|---|---|")
    for name in shapes(16):
        for command in COMMANDS:
            a, b = seconds[name, command, small], seconds[name, command, large]
            ratio = b / max(a, 0.01)
            flag = " **super-linear?**" if ratio > 2 * grows and b > 0.3 else ""
            print(f"| {name} | {command} | {a:.2f} | {b:.2f} | {ratio:.1f}{flag} |")


if __name__ == "__main__":
    main()
