#!/usr/bin/env python3
"""Throughput of `zhclean.Cleaner.clean_batch` against `zhclean clean --jsonl` (issue 14's
target: the batch at least 70 % of the program's --jsonl throughput on one thread, and scaling
with threads).

    python3 benches/python_batch.py [--mb 20] [--rounds 3] [--zhclean target/release/zhclean]

The documents: every UTF-8 .txt file under fixtures/ (real exports: PDF, Word and OCR text,
Simplified and Traditional), taken in turn until --mb megabytes, as the "text" field of one
JSONL shard. The program cleans the shard (`--jobs N`, reading, parsing and writing included);
the module cleans the same texts already in a list (`threads=N`). Best of --rounds, wall time.
"""

import argparse
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

import zhclean

ROOT = pathlib.Path(__file__).resolve().parents[1]


def documents(limit: int):
    texts = []
    for path in sorted((ROOT / "fixtures").rglob("*.txt")):
        try:
            texts.append(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            continue
    assert texts, "no UTF-8 fixtures"
    out, size, i = [], 0, 0
    while size < limit:
        text = texts[i % len(texts)]
        out.append(text)
        size += len(text.encode("utf-8"))
        i += 1
    return out, size


def cpu_seconds():
    """CPU time of this process and of its finished children: user + system."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best(rounds, run):
    """The best wall time of `rounds` runs, and the CPU time of that run (the machine may be
    shared: CPU time says the cost per core whatever else runs)."""
    runs = []
    for _ in range(rounds):
        start, cpu = time.perf_counter(), cpu_seconds()
        run()
        runs.append((time.perf_counter() - start, cpu_seconds() - cpu))
    return min(runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--zhclean", default=str(ROOT / "target" / "release" / "zhclean"))
    args = parser.parse_args()

    texts, size = documents(int(args.mb * 1e6))
    mb = size / 1e6
    cleaner = zhclean.Cleaner()
    print(f"{len(texts)} documents, {mb:.1f} MB; {os.cpu_count()} CPUs; best of {args.rounds}")
    with tempfile.TemporaryDirectory() as tmp:
        shard = pathlib.Path(tmp) / "docs.jsonl"
        with shard.open("w", encoding="utf-8") as f:
            for i, text in enumerate(texts):
                f.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
        out = pathlib.Path(tmp) / "out.jsonl"
        # The same output: what the comparison means.
        cmd = [args.zhclean, "clean", "--jsonl", str(shard), "-o", str(out), "-q",
               "--progress", "never"]
        subprocess.run(cmd + ["--jobs", "1"], check=True)
        cleaned = [json.loads(line)["text"] for line in out.read_text("utf-8").splitlines()]
        if cleaner.clean_batch(texts, threads=1) != cleaned:
            sys.exit("clean_batch differs from the program's --jsonl output")

        print("| threads | `clean --jsonl --jobs N` | `clean_batch(threads=N)` | batch / program |")
        print("|---|---|---|---|")
        for n in args.threads:
            cli, cli_cpu = best(
                args.rounds, lambda: subprocess.run(cmd + ["--jobs", str(n)], check=True))
            py, py_cpu = best(args.rounds, lambda: cleaner.clean_batch(texts, threads=n))
            print(f"| {n} | {mb / cli:.1f} MB/s ({mb / cli_cpu:.1f} per CPU s) "
                  f"| {mb / py:.1f} MB/s ({mb / py_cpu:.1f} per CPU s) | {cli / py:.2f}× |")


if __name__ == "__main__":
    main()
