#!/usr/bin/env python3
"""The fault campaign: zhclean's release binary run as a user's worst day would run it.

Six sections, each a list of cases with a pass/fail verdict:

  fuzz         mutated corpus files through every command (clean from a file, standard input, a
               directory, an archive, --to tw, --jsonl, --in-place, --report; convert; check;
               diff; detect; detect --json)
  archives     zip-slip, symlink and hardlink members, duplicate names, bombs, deep nesting,
               corrupt central directory, encrypted members, non-UTF-8 member names
  signals      SIGINT / SIGTERM / SIGHUP mid-run, kill -9 then a second run, --skip-existing
  disk         a full file system (a 256 KiB tmpfs; ulimit -f when mounting is not allowed)
  concurrency  several runs into one output directory; a run reading what another writes
  paths        non-UTF-8 names, newlines in names, long names, a read-only output directory,
               output inside the input directory, input == output

Plain Python 3.11 standard library. Not part of CI or `cargo test`; see docs/FUZZING.md.

    cargo build --release
    python3 fuzz/campaign.py                       # everything, seed 1 (11 minutes on a busy 2-core machine)
    python3 fuzz/campaign.py --sections fuzz --inputs 300 --seed 7
    python3 fuzz/campaign.py --replay target/campaign/failures/fuzz-0123.txt
    python3 fuzz/campaign.py --reduce target/campaign/failures/fuzz-0123.txt   # idempotence

It exits 1 when any case fails, and writes the verdicts to WORK/campaign.md and WORK/cases.jsonl
(WORK defaults to target/campaign/); failing inputs are kept in WORK/failures/.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import gzip
import hashlib
import io
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIRS = [
    "fixtures/seeds",
    "fixtures/encodings",
    "fixtures/strip",
    "fixtures/reflow",
    "fixtures/polish",
    "fixtures/fuzz/archives",
    "fixtures/fuzz/regressions",
    "fixtures/exports",
]
TEMP_MARK = ".zhclean-tmp-"
SECTIONS = ["fuzz", "archives", "signals", "disk", "concurrency", "paths"]


# ---------------------------------------------------------------------------------------------
# Running the binary


@dataclass
class Run:
    args: list
    rc: int | None  # None: killed by the timeout
    signal: int | None  # the signal that killed it, when one did
    out: bytes
    err: bytes
    seconds: float
    max_rss_kib: int

    @property
    def text_err(self) -> str:
        return self.err.decode("utf-8", "replace")

    def describe(self) -> str:
        how = (
            "timed out"
            if self.rc is None
            else f"killed by signal {self.signal}" if self.signal else f"exit {self.rc}"
        )
        tail = self.text_err.strip().splitlines()[-3:]
        return f"{how} ({self.seconds:.1f} s): {' | '.join(tail)[:400]}"


class Binary:
    def __init__(self, path: Path, timeout: float):
        self.path = str(path)
        self.timeout = timeout

    def spawn(self, args, stdin=None, cwd=None, preexec=None) -> subprocess.Popen:
        """Starts zhclean in its own process group, stdout and stderr to files."""
        out = tempfile.TemporaryFile()
        err = tempfile.TemporaryFile()
        stdin_file = open(stdin, "rb") if isinstance(stdin, (str, Path)) else subprocess.DEVNULL
        proc = subprocess.Popen(
            [self.path, *map(_arg, args)],
            stdin=stdin_file,
            stdout=out,
            stderr=err,
            cwd=cwd,
            preexec_fn=preexec,
            start_new_session=True,
        )
        proc._campaign = (out, err, stdin_file, time.monotonic(), list(args))
        return proc

    def wait(self, proc: subprocess.Popen, timeout: float | None = None, sample=False) -> Run:
        """Waits for the run; kills it at the timeout. `sample`: its peak memory, read from
        /proc every 20 ms (the rusage of a child forked from this large Python process counts
        the parent's pages it had before exec)."""
        out, err, stdin_file, start, args = proc._campaign
        timed_out = threading.Event()
        peak = [0]
        ended = threading.Event()

        def watch():
            while not ended.wait(0.02):
                try:
                    with open(f"/proc/{proc.pid}/status") as f:
                        for line in f:
                            if line.startswith("VmHWM:"):
                                peak[0] = max(peak[0], int(line.split()[1]))
                except OSError:
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        if sample:
            watcher.start()

        def kill():
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout or self.timeout, kill)
        timer.start()
        _, status = os.waitpid(proc.pid, 0)
        ended.set()
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if stdin_file is not subprocess.DEVNULL:
            stdin_file.close()
        out.seek(0)
        err.seek(0)
        run = Run(
            args=args,
            rc=None if timed_out.is_set() else proc.returncode,
            signal=-proc.returncode if proc.returncode < 0 else None,
            out=out.read(),
            err=err.read(),
            seconds=time.monotonic() - start,
            max_rss_kib=peak[0],
        )
        out.close()
        err.close()
        return run

    def run(self, args, stdin=None, cwd=None, timeout=None, preexec=None, sample=False) -> Run:
        return self.wait(self.spawn(args, stdin, cwd, preexec), timeout, sample)


def _arg(a):
    return os.fsencode(a) if isinstance(a, (Path, bytes)) else str(a)


def survived(run: Run, allowed=(0, 1, 2)) -> str | None:
    """The verdict every run gets: no panic (101), no death by signal, no hang."""
    if run.rc is None:
        return "hang: " + run.describe()
    if run.signal:
        return "signal: " + run.describe()
    if run.rc == 101 or b"panicked" in run.err:
        return "panic: " + run.describe()
    if run.rc not in allowed:
        return "exit: " + run.describe()
    return None


def output_contract(data: bytes, final_newline=True) -> str | None:
    """What every cleaned output is: UTF-8, NFC, LF line endings, a final newline."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"output not UTF-8 (byte {e.start})"
    if "\r" in text:
        return "output holds a CR"
    if not unicodedata.is_normalized("NFC", text):
        return "output not NFC"
    if final_newline and text and not text.endswith("\n"):
        return "output lacks its final newline"
    return None


def alive(proc: subprocess.Popen) -> bool:
    """Whether the process still runs, without reaping it (Binary.wait reaps it)."""
    try:
        with open(f"/proc/{proc.pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


COMPATIBILITY = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f]")


def keeps_hanja(zh: Binary, output: bytes) -> bool:
    """Whether an output that is not NFC only keeps the CJK compatibility ideographs of a
    Japanese or Korean text (Korean Hanja such as U+F914 樂 differ by their reading; normalize
    keeps them there): kana or Hangul in it, or `detect` reading it as Japanese or Korean, and
    NFC between them."""
    text = output.decode("utf-8")
    if not all(unicodedata.is_normalized("NFC", part) for part in COMPATIBILITY.split(text)):
        return False
    if re.search("[\u3040-\u30ff\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]", text):
        return True
    with tempfile.NamedTemporaryFile(suffix=".txt") as f:
        f.write(output)
        f.flush()
        detected = zh.run(["detect", "--json", f.name])
    try:
        return json.loads(detected.out)["language"] != "zh"
    except (ValueError, KeyError):
        return False


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(root: Path) -> dict:
    """Every regular file under root (by relative path, as bytes) with its content."""
    found = {}
    for dirpath, _, files in os.walk(os.fsencode(root)):
        for name in files:
            full = os.path.join(dirpath, name)
            if os.path.isfile(full) and not os.path.islink(full):
                with open(full, "rb") as f:
                    found[os.path.relpath(full, os.fsencode(root))] = f.read()
    return found


def temps_left(root: Path) -> list:
    left = []
    for dirpath, dirs, files in os.walk(os.fsencode(root)):
        for name in files + dirs:
            if TEMP_MARK.encode() in name:
                left.append(os.fsdecode(os.path.join(dirpath, name)))
    return left


# ---------------------------------------------------------------------------------------------
# Verdicts


@dataclass
class Case:
    section: str
    name: str
    failures: list = field(default_factory=list)
    note: str = ""
    keep: Path | None = None  # the input to save when it fails

    def check(self, what: str, problem: str | None):
        if problem:
            self.failures.append(f"{what}: {problem}")

    @property
    def ok(self) -> bool:
        return not self.failures


class Ledger:
    def __init__(self, work: Path):
        self.work = work
        self.cases: list[Case] = []
        self.lock = threading.Lock()
        (work / "failures").mkdir(parents=True, exist_ok=True)
        self.log = open(work / "cases.jsonl", "w", encoding="utf-8")

    def add(self, case: Case):
        with self.lock:
            self.cases.append(case)
            if not case.ok and case.keep and case.keep.exists():
                dest = self.work / "failures" / f"{case.section}-{case.name}{case.keep.suffix}"
                shutil.copyfile(case.keep, dest)
            self.log.write(
                json.dumps(
                    {
                        "section": case.section,
                        "case": case.name,
                        "ok": case.ok,
                        "failures": case.failures,
                        "note": case.note,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
            self.log.flush()
            if not case.ok:
                print(f"FAIL {case.section}/{case.name}: {case.failures[0]}", flush=True)


# ---------------------------------------------------------------------------------------------
# Section 1: fuzzed inputs through every command

HAZARDS = [
    "\f",
    "\r",
    "\x00",
    "\ufeff",
    "\u200b",
    "\ufffd",
    "\ufa6e",
    "\ufa6f",
    "\ufada",
    "\U0002fa1e",
    "- 12 -\n",
    "第 3 页\n",
    "（zhōng wén）",
    "\u3000\u3000",
    "Ａ１",
    "\n\n\n",
    "𠀀𪚥",
    "が한",
    "\\par ",
    "　",
]
ENCODINGS = ["gbk", "gb18030", "big5", "utf-16-le", "utf-16-be", "utf-16", "utf-8-sig", "cp1252"]
BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x84\x31\x95\x33"]
MAX_INPUT = 1 << 20


def corpus_files() -> list[Path]:
    files = []
    for d in CORPUS_DIRS:
        for p in sorted((ROOT / d).rglob("*")):
            if p.is_file() and p.suffix not in (".snap", ".md", ".py", ".sh"):
                files.append(p)
    return files


class Mutator:
    def __init__(self, rng: random.Random, corpus: list[bytes]):
        self.rng = rng
        self.corpus = corpus

    def flip(self, b: bytes) -> bytes:
        b = bytearray(b or b"x")
        for _ in range(self.rng.randint(1, 1 + len(b) // 200)):
            i = self.rng.randrange(len(b))
            b[i] ^= 1 << self.rng.randrange(8) if self.rng.random() < 0.5 else self.rng.randrange(256)
        return bytes(b)

    def truncate(self, b: bytes) -> bytes:
        return b[: self.rng.randrange(len(b) + 1)]

    def splice(self, b: bytes) -> bytes:
        other = self.rng.choice(self.corpus)
        return b[: self.rng.randrange(len(b) + 1)] + other[self.rng.randrange(len(other) + 1) :]

    def reencode(self, b: bytes) -> bytes:
        text = b.decode("utf-8", "replace")
        return text.encode(self.rng.choice(ENCODINGS), self.rng.choice(["replace", "ignore"]))

    def bom(self, b: bytes) -> bytes:
        return self.rng.choice(BOMS) + b

    def nuls(self, b: bytes) -> bytes:
        if self.rng.random() < 0.3:  # UTF-16-like: a NUL after every byte of a stretch
            i = self.rng.randrange(len(b) + 1)
            j = min(len(b), i + self.rng.randint(1, 4000))
            return b[:i] + bytes(x for c in b[i:j] for x in (c, 0)) + b[j:]
        b = bytearray(b)
        for _ in range(self.rng.randint(1, 20)):
            b.insert(self.rng.randrange(len(b) + 1), 0)
        return bytes(b)

    def cr_lines(self, b: bytes) -> bytes:
        return b.replace(b"\r\n", b"\n").replace(b"\n", self.rng.choice([b"\r", b"\r\n", b"\r\r\n"]))

    def huge_line(self, b: bytes) -> bytes:
        one = b.replace(b"\r", b"").replace(b"\n", b"") or "中文".encode()
        return (one * (1 + (self.rng.randint(200_000, 900_000) // max(1, len(one)))))[:MAX_INPUT]

    def tiny_lines(self, b: bytes) -> bytes:
        text = b.decode("utf-8", "replace")
        out, i = [], 0
        while i < len(text):
            n = self.rng.randint(1, 3)
            out.append(text[i : i + n])
            i += n
        return "\n".join(out).encode("utf-8")

    def hazards(self, b: bytes) -> bytes:
        text = b.decode("utf-8", "surrogateescape")
        for _ in range(self.rng.randint(1, 12)):
            i = self.rng.randrange(len(text) + 1)
            text = text[:i] + self.rng.choice(HAZARDS) + text[i:]
        return text.encode("utf-8", "surrogateescape")

    def repeat(self, b: bytes) -> bytes:
        i = self.rng.randrange(len(b) + 1)
        j = min(len(b), i + self.rng.randint(1, 5000))
        return b[:i] + b[i:j] * self.rng.randint(2, 50) + b[j:]

    KINDS = [
        "flip",
        "truncate",
        "splice",
        "reencode",
        "bom",
        "nuls",
        "cr_lines",
        "huge_line",
        "tiny_lines",
        "hazards",
        "repeat",
    ]

    def mutate(self, b: bytes) -> tuple[bytes, str]:
        kinds = [self.rng.choice(self.KINDS) for _ in range(self.rng.choice([1, 1, 2, 3]))]
        for kind in kinds:
            b = getattr(self, kind)(b)[:MAX_INPUT]
        return b, "+".join(kinds)


ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")


def fuzz_inputs(seed: int, count: int, into: Path) -> list[tuple[Path, str]]:
    rng = random.Random(seed)
    sources = corpus_files()
    corpus = [p.read_bytes() for p in sources]
    mutator = Mutator(rng, corpus)
    made = []
    into.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        k = rng.randrange(len(sources))
        src, data = sources[k], corpus[k]
        suffix = next((s for s in ARCHIVE_SUFFIXES if src.name.endswith(s)), ".txt")
        if i < count // 10:  # a tenth of the inputs as the corpus has them
            how = "as-is"
        else:
            data, how = mutator.mutate(data)
        path = into / f"{i:04d}{suffix}"
        path.write_bytes(data)
        made.append((path, f"{src.relative_to(ROOT)} {how}"))
    return made


def fuzz_one(zh: Binary, path: Path, origin: str, scratch: Path) -> Case:
    case = Case("fuzz", path.stem.split(".")[0], note=origin, keep=path)
    before = sha(path)
    archive = path.name.endswith(ARCHIVE_SUFFIXES)
    work = scratch / path.stem
    work.mkdir(parents=True, exist_ok=True)
    out = work / ("out" if archive else "out.txt")

    run = zh.run(["clean", path, "-o", out, "-q"])
    case.check("clean FILE", survived(run, (0, 2)))
    outputs = tree(out) if archive and out.exists() else ({b"": out.read_bytes()} if out.exists() else {})
    if run.rc == 0 or outputs:
        for name, data in outputs.items():
            problem = output_contract(data)
            if problem == "output not NFC" and keeps_hanja(zh, data):
                problem = None
            case.check(f"clean FILE output {os.fsdecode(name)}", problem)
    if not archive and run.rc == 0:
        again = work / "again.txt"
        r2 = zh.run(["clean", out, "-o", again, "-q"])
        case.check("clean of the output", survived(r2, (0,)))
        if again.exists() and again.read_bytes() != out.read_bytes():
            case.check("idempotence", "cleaning the output changed it")
        r3 = zh.run(["check", out, "-q"])
        case.check("check of the output", survived(r3, (0,)) or (None if r3.rc == 0 else "exit 1"))
        r4 = zh.run(["clean", "-q"], stdin=path)
        case.check("clean < FILE", survived(r4, (0, 2)))
        if r4.rc == 0 and r4.out != out.read_bytes():
            case.check("clean < FILE", "standard input gives another output than the file")
    if archive:
        r = zh.run(["check", path, "-q"])
        case.check("check ARCHIVE", survived(r))
    else:
        tw = zh.run(["clean", "--to", "tw", path, "-q"])
        case.check("clean --to tw", survived(tw, (0, 2)))
        if tw.rc == 0:
            problem = output_contract(tw.out)
            if problem == "output not NFC" and keeps_hanja(zh, tw.out):
                problem = None
            case.check("clean --to tw output", problem)
            twf = work / "tw.txt"
            twf.write_bytes(tw.out)
            tw2 = zh.run(["clean", "--to", "tw", twf, "-q"])
            case.check("clean --to tw of its output", survived(tw2, (0,)))
            if tw2.rc == 0 and tw2.out != tw.out:
                case.check("idempotence --to tw", "cleaning the output changed it")
        # The input's number chooses the configuration (fuzz-0123.txt replays as 0123 ran).
        config = ["t2s", "s2t", "s2twp"][int(re.sub(r"\D", "", case.name) or 0) % 3]
        cv = zh.run(["convert", "-c", config, path, "-q"])
        case.check(f"convert -c {config}", survived(cv, (0, 2)))
        if cv.rc == 0:
            try:
                cv.out.decode("utf-8")
            except UnicodeDecodeError as e:
                case.check(f"convert -c {config}", f"output not UTF-8 (byte {e.start})")
        for cmd in (["check"], ["diff"], ["detect"]):
            r = zh.run([*cmd, path, "-q"])
            case.check(" ".join(cmd), survived(r))
    dj = zh.run(["detect", "--json", path])
    case.check("detect --json", survived(dj, (0, 2)))
    if dj.rc is not None and not dj.signal:
        # An archive gives one object per member.
        case.check("detect --json", one_object_per_input(dj.out, None if archive else 1))
    case.check("input unchanged", None if sha(path) == before else "the input file was modified")
    # What `clean FILE` wrote stays, for the batches to compare with; the rest goes.
    for leftover in work.iterdir():
        if case.ok and not (leftover == out and run.rc == 0 and not archive):
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    return case


def one_object_per_input(out: bytes, expected: int) -> str | None:
    lines = [l for l in out.split(b"\n") if l.strip()]
    if expected is not None and len(lines) != expected:
        return f"{len(lines)} JSON lines for {expected} inputs"
    for line in lines:
        try:
            if not isinstance(json.loads(line), dict):
                return "a line is not a JSON object"
        except ValueError:
            return "a line is not JSON"
    return None


def fuzz_batch(zh: Binary, batch: list[tuple[Path, str]], n: int, scratch: Path) -> list[Case]:
    """A batch of text inputs through the whole-directory paths: a directory with --report, an
    archive, --in-place on a copy, --jsonl. Each must give what `clean FILE` gives."""
    cases = []
    texts = [p for p, _ in batch if not p.name.endswith(ARCHIVE_SUFFIXES)]
    base = scratch / f"batch{n:03d}"
    src = base / "in"
    src.mkdir(parents=True)
    for p in texts:
        shutil.copyfile(p, src / p.name)
    single = {}  # what `clean FILE` wrote for each file, kept by fuzz_one
    for p in texts:
        written = scratch / p.stem / "out.txt"
        if written.exists():
            single[p.name.encode()] = written.read_bytes()

    case = Case("fuzz", f"batch{n:03d}-directory", note=f"{len(texts)} files")
    report = base / "report.jsonl"
    r = zh.run(["clean", src, "-o", base / "out", "--report", report, "-q"])
    case.check("clean DIR --report", survived(r, (0, 2)))
    got = tree(base / "out")
    for name, data in single.items():
        if got.get(name) != data:
            case.check(f"clean DIR {name.decode()}", "output differs from `clean FILE`")
    if report.exists():
        case.check("report", one_object_per_input(report.read_bytes(), len(texts)))
    else:
        case.check("report", "no report written")
    case.check("temp files", ", ".join(temps_left(base)) or None)
    cases.append(case)

    case = Case("fuzz", f"batch{n:03d}-archive")
    kind = [".zip", ".tar.gz", ".tar"][n % 3]
    archive = base / f"batch{kind}"
    pack(archive, {p.name: p.read_bytes() for p in texts})
    r = zh.run(["clean", archive, "-o", base / "aout", "-q"])
    case.check(f"clean {kind}", survived(r, (0, 2)))
    got = tree(base / "aout")
    for name, data in single.items():
        if got.get(name) != data:
            case.check(f"archive member {name.decode()}", "output differs from `clean FILE`")
    cases.append(case)

    case = Case("fuzz", f"batch{n:03d}-in-place")
    copy = base / "copy"
    shutil.copytree(src, copy)
    r = zh.run(["clean", "--in-place", copy, "-q"])
    case.check("clean --in-place", survived(r, (0, 2)))
    got = tree(copy)
    for name, data in single.items():
        if got.get(name) != data:
            case.check(f"--in-place {name.decode()}", "result differs from `clean FILE`")
    case.check("temp files", ", ".join(temps_left(copy)) or None)
    cases.append(case)

    case = Case("fuzz", f"batch{n:03d}-jsonl")
    suffix = [".jsonl", ".jsonl.gz", ".jsonl.zst"][n % 3]
    records = [
        json.dumps({"id": i, "text": p.read_bytes().decode("utf-8", "replace"), "n": [1, 2]}, ensure_ascii=n % 2 == 0)
        for i, p in enumerate(texts)
    ]
    data = ("\n".join(records) + "\n").encode()
    shard = base / f"shard{suffix}"
    if suffix == ".jsonl.gz":
        data = gzip.compress(data)
    elif suffix == ".jsonl.zst":
        data = subprocess.run(["zstd", "-q", "-c"], input=data, capture_output=True).stdout
    shard.write_bytes(data)
    outshard = base / f"clean{suffix}"
    r = zh.run(["clean", "--jsonl", shard, "-o", outshard, "-q"])
    # Exit 2 only for records named as not cleanable (a binary field is copied unchanged).
    case.check(f"clean --jsonl {suffix}", survived(r, (0, 2)))
    unnamed = [l for l in r.text_err.splitlines() if "cannot be cleaned" not in l]
    if r.rc == 2 and unnamed:
        case.check(f"clean --jsonl {suffix}", f"exit 2: {unnamed[0][:200]}")
    if r.rc in (0, 2):
        raw = outshard.read_bytes()
        if suffix == ".jsonl.gz":
            raw = gzip.decompress(raw)
        elif suffix == ".jsonl.zst":
            raw = subprocess.run(["zstd", "-q", "-d", "-c"], input=raw, capture_output=True).stdout
        lines = raw.decode("utf-8").split("\n")[:-1]
        # Records named as not cleanable (`FILE:LINE: ... copied unchanged`) are their input.
        copied = {
            int(m.group(1)) - 1
            for m in re.finditer(r":(\d+): [^\n]*copied unchanged", r.text_err)
        }
        if len(lines) != len(records):
            case.check("--jsonl", f"{len(lines)} records out for {len(records)} in")
        for i, line in enumerate(lines):
            try:
                rec = json.loads(line)
            except ValueError:
                case.check("--jsonl", f"record {i} is not JSON")
                continue
            if rec.get("id") != i or rec.get("n") != [1, 2]:
                case.check("--jsonl", f"record {i}: other fields changed")
            if i not in copied:
                problem = output_contract(rec.get("text", "").encode(), False)
                if problem == "output not NFC" and keeps_hanja(zh, rec.get("text", "").encode()):
                    problem = None
                case.check(f"--jsonl record {i}", problem)
        again = base / f"again{suffix}"
        r2 = zh.run(["clean", "--jsonl", outshard, "-o", again, "-q"])
        case.check("--jsonl of its output", survived(r2, (r.rc,)))
        if r2.rc == r.rc and again.read_bytes() != outshard.read_bytes():
            case.check("--jsonl idempotence", "cleaning the output changed it")
    cases.append(case)
    if all(c.ok for c in cases):
        shutil.rmtree(base, ignore_errors=True)
    return cases


def section_fuzz(zh: Binary, ledger: Ledger, args):
    scratch = args.work / "fuzz"
    shutil.rmtree(scratch, ignore_errors=True)
    inputs = fuzz_inputs(args.seed, args.inputs, scratch / "inputs")
    runs = scratch / "runs"
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(fuzz_one, zh, p, origin, runs) for p, origin in inputs]
        passed = []
        for done, f in enumerate(concurrent.futures.as_completed(futures), 1):
            case = f.result()
            ledger.add(case)
            if case.ok:
                passed.append(runs / case.keep.stem)
            if done % 200 == 0:
                print(f"  fuzz: {done}/{len(futures)} inputs", flush=True)
        # Then by hundreds, compared with what each input's own run wrote.
        batches = [
            pool.submit(fuzz_batch, zh, inputs[i : i + 100], i // 100, runs)
            for i in range(0, len(inputs), 100)
        ]
        for f in concurrent.futures.as_completed(batches):
            for case in f.result():
                ledger.add(case)
    for d in passed:
        shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Archives


def pack(path: Path, members: dict):
    """Writes members (name → bytes) as a zip, tar or tar.gz, by the path's name."""
    if path.name.endswith(".zip"):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members.items():
                z.writestr(name, data)
        return
    mode = "w:gz" if path.name.endswith((".tar.gz", ".tgz")) else "w"
    with tarfile.open(path, mode, format=tarfile.GNU_FORMAT) as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


TEXT = "第一章\n这是一段正文，用来检查归档的读取。\n第二段也在这里。\n".encode()


def zip_with_raw_names(path: Path, members: list[tuple[bytes, bytes]]):
    """A zip whose member names are raw bytes without the UTF-8 flag (as Chinese Windows writes
    them): written under ASCII placeholders of the same length, then patched."""
    holders = []
    with zipfile.ZipFile(path, "w") as z:
        for i, (raw, data) in enumerate(members):
            holder = (f"{i:02d}" + "x" * len(raw))[: len(raw)].encode()
            assert len(holder) == len(raw) >= 2
            holders.append((holder, raw))
            z.writestr(holder.decode(), data)
    blob = path.read_bytes()
    for holder, raw in holders:
        blob = blob.replace(holder, raw)
    path.write_bytes(blob)


def streamed_bomb(path: Path, kind: str, size: int, chunk: bytes):
    """A small file that expands to `size` bytes of `chunk` repeated."""
    block = chunk * ((1 << 20) // len(chunk))
    count = size // len(block)
    if kind == "zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            with z.open("bomb.txt", "w", force_zip64=True) as m:
                for _ in range(count):
                    m.write(block)
            z.writestr("after.txt", TEXT)
    elif kind in ("tar.gz", "tar"):
        raw = path.with_suffix(".rawtar")
        with tarfile.open(raw, "w", format=tarfile.GNU_FORMAT) as t:
            info = tarfile.TarInfo("bomb.txt")
            info.size = count * len(block)
            t.addfile(info, _Repeat(block, count))
            info = tarfile.TarInfo("after.txt")
            info.size = len(TEXT)
            t.addfile(info, io.BytesIO(TEXT))
        if kind == "tar":
            raw.rename(path)
        else:
            with open(raw, "rb") as src, gzip.open(path, "wb", 9) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            raw.unlink()
    elif kind in ("jsonl.gz", "jsonl.zst"):
        head, tail = b'{"text":"', b'"}\n{"text":"after"}\n'
        if kind == "jsonl.gz":
            with gzip.open(path, "wb", 9) as dst:
                dst.write(head)
                for _ in range(count):
                    dst.write(block)
                dst.write(tail)
        else:
            with open(path, "wb") as dst:
                z = subprocess.Popen(["zstd", "-q", "-c", "-3"], stdin=subprocess.PIPE, stdout=dst)
                z.stdin.write(head)
                for _ in range(count):
                    z.stdin.write(block)
                z.stdin.write(tail)
                z.stdin.close()
                z.wait()


class _Repeat:
    """`count` copies of `block`, read as a file (tarfile wants every read filled)."""

    def __init__(self, block, count):
        self.block, self.left, self.pos = block, len(block) * count, 0

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        parts = []
        while n > 0:
            part = self.block[self.pos : self.pos + n]
            parts.append(part)
            self.pos = (self.pos + len(part)) % len(self.block)
            self.left -= len(part)
            n -= len(part)
        return b"".join(parts)


def section_archives(zh: Binary, ledger: Ledger, args):
    base = args.work / "archives"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)

    def attack(name, archive: Path, expect_written: set, expect_refused: list, extra=None, cmd=None):
        case = Case("archives", name, keep=archive)
        out = base / f"{name}-out"
        r = zh.run(cmd or ["clean", archive, "-o", out, "-q"], timeout=300, sample=True)
        case.check("run", survived(r, (0, 1, 2) if cmd else (0, 2)))
        written = set(tree(out)) if out.exists() else set()
        for w in expect_written:
            if w.encode() not in written:
                case.check("written", f"{w} missing (have {sorted(x.decode('utf-8', 'replace') for x in written)})")
        for refused in expect_refused:
            if refused not in r.text_err:
                case.check("message", f"no word of {refused!r} in: {r.text_err.strip()[:300]}")
            if r.rc != 2:
                case.check("exit", f"exit {r.rc}, not 2, for a refused member")
        outside = [p for p in base.parent.rglob("evil*")] + [p for p in Path("/tmp").glob("evil*")]
        case.check("zip-slip", ", ".join(map(str, outside)) or None)
        for dirpath, dirs, files in os.walk(out):
            for n in dirs + files:
                if os.path.islink(os.path.join(dirpath, n)):
                    case.check("links", f"a link was written: {n}")
        case.check("temp files", ", ".join(temps_left(out)) if out.exists() else None)
        if extra:
            extra(case, r, out)
        ledger.add(case)
        return r

    slip = ["../evil1.txt", "/tmp/evil2.txt", "C:\\evil3.txt", "C:evil4.txt", "a/../../evil5.txt", "..\\evil6.txt"]
    for kind in ("zip", "tar", "tar.gz"):
        a = base / f"slip.{kind}"
        pack(a, {**{n: TEXT for n in slip}, "ok.txt": TEXT})
        attack(f"zip-slip-{kind}", a, {"ok.txt"}, ["refused"])

    # Symlinks and hardlinks in a tar: never written as links, never followed.
    a = base / "links.tar"
    with tarfile.open(a, "w", format=tarfile.GNU_FORMAT) as t:
        for name, target, typ in [
            ("passwd.txt", "/etc/passwd", tarfile.SYMTYPE),
            ("up.txt", "../../outside.txt", tarfile.SYMTYPE),
            ("hard.txt", "/etc/passwd", tarfile.LNKTYPE),
            ("hard2.txt", "ok.txt", tarfile.LNKTYPE),
        ]:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = typ, target
            t.addfile(info)
        info = tarfile.TarInfo("ok.txt")
        info.size = len(TEXT)
        t.addfile(info, io.BytesIO(TEXT))

    def no_passwd(case, r, out):
        for name, data in tree(out).items() if out.exists() else []:
            if b"root:" in data:
                case.check("links", f"{name!r} holds /etc/passwd")

    attack("tar-links", a, {"ok.txt"}, [], no_passwd)

    # Duplicate member names: both kept, or the second refused by name; never a silent loss.
    for kind in ("zip", "tar"):
        a = base / f"dup.{kind}"
        first, second = "第一份。\n".encode(), "第二份。\n".encode()
        if kind == "zip":
            with zipfile.ZipFile(a, "w") as z:
                z.writestr("same.txt", first)
                import warnings

                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    z.writestr("same.txt", second)
        else:
            with tarfile.open(a, "w") as t:
                for data in (first, second):
                    info = tarfile.TarInfo("same.txt")
                    info.size = len(data)
                    t.addfile(info, io.BytesIO(data))

        def both(case, r, out, first=first, second=second):
            contents = set(tree(out).values()) if out.exists() else set()
            for want in (first, second):
                if want not in contents and "same.txt" not in r.text_err:
                    case.check("duplicate", f"{want.decode().strip()} lost without a word")

        attack(f"duplicate-{kind}", a, set(), [], both)

    # Bombs: small files of huge expansion, refused or bounded (memory, time), with a message.
    gib = 1 << 30
    bombs = [
        ("zip", gib, b"\0"),
        ("zip", gib // 4, "中文的正文。".encode()),
        ("tar.gz", gib, b"\0"),
        ("tar.gz", gib // 4, "中文的正文。\n".encode()),
        ("jsonl.gz", gib // 4, "中文".encode()),
        ("jsonl.zst", gib // 4, "中文".encode()),
    ]
    for kind, size, chunk in bombs:
        what = "zeros" if chunk == b"\0" else "text"
        a = base / f"bomb-{size >> 20}m-{what}.{kind}"
        streamed_bomb(a, kind, size, chunk)
        small = a.stat().st_size

        def bounded(case, r, out, small=small, size=size):
            peak = f"peak {r.max_rss_kib >> 10} MiB" if r.max_rss_kib else "over before the first sample"
            case.note = f"{small} bytes → {size >> 20} MiB; exit {r.rc}, {r.seconds:.1f} s, {peak}"
            if r.max_rss_kib > 512 << 10:
                case.check("memory", f"peak {r.max_rss_kib >> 10} MiB")
            if r.rc == 2 and not r.text_err.strip():
                case.check("message", "exit 2 without a message")

        jsonl = kind.startswith("jsonl")
        cmd = ["check", "--jsonl", a, "-q"] if jsonl else ["check", a, "-q"]
        attack(f"bomb-{a.name}", a, set(), [], bounded, cmd=cmd)

    # Nesting: an archive in an archive, 30 deep.
    inner = TEXT
    name = "leaf.txt"
    for depth in range(30):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(name, inner)
            z.writestr(f"level{depth}.txt", TEXT)
        inner, name = buf.getvalue(), f"nest{depth}.zip"
    a = base / "nested.zip"
    a.write_bytes(inner)
    attack("nested-30", a, {"level29.txt"}, [])

    # A corrupt central directory, a truncated zip, a zip whose directory lies about offsets.
    good = base / "good.zip"
    pack(good, {"a.txt": TEXT, "b.txt": TEXT * 50})
    blob = good.read_bytes()
    cd = blob.rfind(b"PK\x01\x02")
    variants = {
        "cd-garbage": blob[:cd] + bytes(random.Random(1).randrange(256) for _ in range(len(blob) - cd)),
        "cd-flipped": blob[: cd + 20] + b"\xff\xff\xff\xff" + blob[cd + 24 :],
        "truncated": blob[: len(blob) * 2 // 3],
        "no-eocd": blob[: blob.rfind(b"PK\x05\x06")],
        "offset-lies": blob.replace(b"PK\x01\x02", b"PK\x01\x02", 1)[: cd + 42] + b"\x00\x00\x10\x00" + blob[cd + 46 :],
    }
    for label, data in variants.items():
        a = base / f"corrupt-{label}.zip"
        a.write_bytes(data)

        def said(case, r, out):
            if r.rc != 0 and not r.text_err.strip():
                case.check("message", "failed without a message")

        attack(f"corrupt-{label}", a, set(), [], said)

    # Encrypted members: refused by name, the others cleaned.
    enc = base / "enc"
    enc.mkdir()
    (enc / "secret.txt").write_bytes(TEXT)
    (enc / "open.txt").write_bytes(TEXT)
    a = base / "encrypted.zip"
    subprocess.run(["zip", "-q", "-P", "pw", str(a), "secret.txt"], cwd=enc, check=True)
    subprocess.run(["zip", "-q", str(a), "open.txt"], cwd=enc, check=True)
    attack("encrypted-zip", a, {"open.txt"}, ["encrypted"])

    # Non-UTF-8 member names: GBK without the flag, bytes valid in no encoding.
    a = base / "names.zip"
    zip_with_raw_names(a, [("中文名.txt".encode("gbk"), TEXT), (b"\xff\xfe\x80.txt", TEXT)])
    attack("zip-gbk-names", a, {"中文名.txt"}, [])
    a = base / "names.tar"
    with tarfile.open(a, "w", format=tarfile.GNU_FORMAT, encoding="utf-8", errors="surrogateescape") as t:
        for raw in ("中文名.txt".encode("gbk"), b"\xff\xfe\x80.txt"):
            info = tarfile.TarInfo(raw.decode("utf-8", "surrogateescape"))
            info.size = len(TEXT)
            t.addfile(info, io.BytesIO(TEXT))

    def two(case, r, out):
        n = len(tree(out)) if out.exists() else 0
        if n != 2:
            case.check("written", f"{n} outputs for 2 members")

    attack("tar-raw-names", a, set(), [], two)


# ---------------------------------------------------------------------------------------------
# Signals


def make_tree(root: Path, files: int, size: int, seed: int = 5):
    """A directory of Chinese text files of about `size` bytes each, in a few subdirectories."""
    rng = random.Random(seed)
    seeds = [p.read_bytes() for p in sorted((ROOT / "fixtures/seeds").iterdir())]
    for i in range(files):
        d = root / f"d{i % 4}"
        d.mkdir(parents=True, exist_ok=True)
        data = b""
        while len(data) < size:
            data += rng.choice(seeds)
        text = data[:size].decode("utf-8", "ignore")  # not cut inside a character
        (d / f"f{i:03d}.txt").write_bytes(text.encode() + b"\n")


def fresh_tree(args, section: str, files: int, size: int) -> tuple[Path, Path]:
    """A section's working directory, emptied, and a tree of `files` text files in it (`in`)."""
    base = args.work / section
    shutil.rmtree(base, ignore_errors=True)
    src = base / "in"
    make_tree(src, files, size)
    return base, src


def section_signals(zh: Binary, ledger: Ledger, args):
    base, src = fresh_tree(args, "signals", 120, 400_000)
    archive = base / "in.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(src.rglob("*.txt")):
            z.write(p, p.relative_to(src).as_posix())
    ref = {}
    for label, source in (("dir", src), ("zip", archive)):
        r = zh.run(["clean", source, "-o", base / f"ref-{label}", "-q", "-j", "2"], timeout=600)
        ref[label] = tree(base / f"ref-{label}")
        full_seconds = r.seconds
        print(f"  signals: a full run on the {label} takes {full_seconds:.1f} s", flush=True)

    def wait_for_progress(out: Path, proc, limit=60):
        """Until the run has written its first output (or made its first temp file)."""
        start = time.monotonic()
        while time.monotonic() - start < limit and alive(proc):
            if out.exists() and any(True for _ in out.rglob("*")):
                return
            time.sleep(0.05)

    for label, source in (("dir", src), ("zip", archive)):
        for signame in ("SIGINT", "SIGTERM", "SIGHUP"):
            sig = getattr(signal, signame)
            case = Case("signals", f"{signame}-{label}")
            out = base / f"{signame}-{label}"
            proc = zh.spawn(["clean", source, "-o", out, "-j", "2"])
            wait_for_progress(out, proc)
            time.sleep(0.1)
            os.kill(proc.pid, sig)
            r = zh.wait(proc, 120)
            case.note = f"{len(tree(out))} of {len(ref[label])} outputs written at the signal"
            if r.rc == 0:
                case.note = "the run ended before the signal"
            elif r.rc != 128 + sig:
                case.check("exit", f"{r.describe()}, not {128 + sig}")
            elif "--skip-existing" not in r.text_err:
                case.check("message", f"no word of --skip-existing: {r.text_err.strip()[-300:]}")
            case.check("temp files", ", ".join(temps_left(out)) or None)
            for name, data in tree(out).items():
                if ref[label].get(name) != data:
                    case.check("outputs", f"{name.decode()} is not complete")
            resume = zh.run(["clean", source, "-o", out, "--skip-existing", "-q"], timeout=600)
            case.check("resume", survived(resume, (0,)))
            if tree(out) != ref[label]:
                case.check("resume", "--skip-existing after the signal gives other outputs than one run")
            ledger.add(case)

        case = Case("signals", f"kill-9-{label}")
        out = base / f"kill9-{label}"
        proc = zh.spawn(["clean", source, "-o", out, "-j", "2"])
        wait_for_progress(out, proc)
        time.sleep(0.5)
        os.kill(proc.pid, signal.SIGKILL)
        zh.wait(proc, 60)
        case.note = f"{len(temps_left(out))} temp files after kill -9"
        again = zh.run(["clean", source, "-o", out, "--skip-existing", "-q"], timeout=600)
        case.check("second run", survived(again, (0,)))
        case.check("temp files after the second run", ", ".join(temps_left(out)) or None)
        if tree(out) != ref[label]:
            case.check("outputs", "the second run's outputs differ from one run's")
        ledger.add(case)

    # A signal while reading standard input that never ends.
    for signame in ("SIGINT", "SIGTERM"):
        sig = getattr(signal, signame)
        case = Case("signals", f"{signame}-stdin-fifo")
        fifo = base / f"fifo-{signame}"
        os.mkfifo(fifo)
        proc = zh.spawn(["clean", fifo, "-o", base / f"fifo-{signame}.txt"])
        writer = os.open(fifo, os.O_WRONLY)
        os.write(writer, "正文。\n".encode())
        time.sleep(0.5)
        os.kill(proc.pid, sig)
        r = zh.wait(proc, 30)
        os.close(writer)
        if r.rc != 128 + sig:
            case.check("exit", f"{r.describe()}, not {128 + sig}")
        case.check("temp files", ", ".join(temps_left(base)) or None)
        ledger.add(case)


# ---------------------------------------------------------------------------------------------
# Disk full


def section_disk(zh: Binary, ledger: Ledger, args):
    base, src = fresh_tree(args, "disk", 12, 60_000)
    big = base / "big.txt"
    big.write_bytes(b"".join(p.read_bytes() for p in sorted(src.rglob("*.txt"))))
    full = base / "full"
    full.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(full)], capture_output=True).returncode == 0
    preexec = None
    how = "a 256 KiB tmpfs"
    if not mounted:
        how = "ulimit -f 256 (mounting a tmpfs was refused)"

        def preexec():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (256 << 10, 256 << 10))

    try:
        ref = base / "ref"
        zh.run(["clean", src, "-o", ref, "-q"])
        reference = tree(ref)

        def fill(case_name, cmd, target_names, check_outputs_under=None, stdout_to=None):
            case = Case("disk", case_name, note=how)
            if stdout_to:
                with open(stdout_to, "wb") as sink:
                    proc = subprocess.Popen(
                        [zh.path, *map(_arg, cmd)], stdout=sink, stderr=subprocess.PIPE, preexec_fn=preexec
                    )
                    _, err = proc.communicate(timeout=zh.timeout)
                r = Run(cmd, proc.returncode, None if proc.returncode >= 0 else -proc.returncode, b"", err, 0, 0)
            else:
                r = zh.run(cmd, preexec=preexec)
            case.check("run", survived(r, (2,)))
            if r.rc == 0:
                case.check("exit", "exit 0 on a full disk")
            if not any(t in r.text_err for t in target_names):
                case.check("message", f"names no output path ({target_names[0]}): {r.text_err.strip()[:300]}")
            case.check("temp files", ", ".join(temps_left(full)) or None)
            if check_outputs_under:
                for name, data in tree(check_outputs_under).items():
                    if reference.get(name) != data:
                        case.check("half-written", f"{name.decode()} is not a complete output")
            ledger.add(case)
            for p in list(full.iterdir()):
                shutil.rmtree(p) if p.is_dir() else p.unlink()

        fill("file", ["clean", big, "-o", full / "out.txt", "-q"], [str(full / "out.txt"), "out.txt"])
        case_out = full / "out.txt"
        if case_out.exists():
            ledger.add(Case("disk", "file-no-half-output", [f"{case_out} left half-written"]))
        fill("directory", ["clean", src, "-o", full / "tree", "-q"], [str(full / "tree"), "tree/"], full / "tree")
        jl = base / "big.jsonl"
        jl.write_text(
            "".join(json.dumps({"text": p.read_text()}, ensure_ascii=False) + "\n" for p in sorted(src.rglob("*.txt"))),
            encoding="utf-8",
        )
        fill("jsonl", ["clean", "--jsonl", jl, "-o", full / "out.jsonl", "-q"], [str(full / "out.jsonl"), "out.jsonl"])
        fill("stdout", ["clean", big, "-q"], ["standard output", "stdout", "output"], stdout_to=full / "redirected.txt")
        # --in-place with no room for the temporary copy: the inputs stay as they were.
        case = Case("disk", "in-place", note=how)
        for p in sorted(src.rglob("*.txt"))[:3]:
            shutil.copyfile(p, full / p.name)
        filler = full / "filler"
        try:
            with open(filler, "wb") as f:
                while True:
                    f.write(b"\0" * 4096)
                    f.flush()
        except OSError:
            pass
        before = {p.name: p.read_bytes() for p in full.glob("f*.txt")}
        r = zh.run(["clean", "--in-place", *sorted(full.glob("f*.txt")), "-q"], preexec=preexec)
        case.check("run", survived(r, (0, 2)))
        for name, data in before.items():
            now = (full / name).read_bytes()
            if now != data and now != reference.get(next(k for k in reference if k.endswith(name.encode()))):
                case.check("in-place", f"{name} is neither the original nor its cleaned text")
        case.check("temp files", ", ".join(temps_left(full)) or None)
        ledger.add(case)
    finally:
        if mounted:
            subprocess.run(["umount", str(full)])


# ---------------------------------------------------------------------------------------------
# Concurrency


def section_concurrency(zh: Binary, ledger: Ledger, args):
    base, src = fresh_tree(args, "concurrency", 40, 150_000)
    zh.run(["clean", src, "-o", base / "ref", "-q"])
    reference = tree(base / "ref")

    for runs in (2, 3):
        case = Case("concurrency", f"{runs}-runs-one-output")
        out = base / f"shared{runs}"
        procs = [zh.spawn(["clean", src, "-o", out, "-q", "-j", "1"]) for _ in range(runs)]
        for p in procs:
            case.check("run", survived(zh.wait(p, 600), (0,)))
        if tree(out) != reference:
            case.check("outputs", "differ from one run's")
        case.check("temp files", ", ".join(temps_left(out)) or None)
        ledger.add(case)

    case = Case("concurrency", "skip-existing-races")
    out = base / "skip"
    procs = [zh.spawn(["clean", src, "-o", out, "-q", "-j", "1", "--skip-existing"]) for _ in range(3)]
    for p in procs:
        case.check("run", survived(zh.wait(p, 600), (0,)))
    if tree(out) != reference:
        case.check("outputs", "differ from one run's")
    ledger.add(case)

    # A run reading a directory while another writes into it: it sees whole files only.
    case = Case("concurrency", "read-while-written")
    mid = base / "mid"
    writer = zh.spawn(["clean", src, "-o", mid, "-q", "-j", "1"])
    seen = 0
    for i in range(20):
        time.sleep(0.2)
        out = base / f"reader{i}"
        r = zh.run(["clean", mid, "-o", out, "-q", "--hidden"] if i % 2 else ["clean", mid, "-o", out, "-q"])
        case.check("reader", survived(r, (0, 2)))
        for name, data in tree(out).items():
            seen += 1
            if TEMP_MARK.encode() in name:
                case.check("reader", f"read a temp file {name.decode()}" if i % 2 == 0 else None)
            elif reference.get(name) != data:
                case.check("reader", f"{name.decode()}: read a half-written file")
        if not alive(writer):
            break
    case.check("writer", survived(zh.wait(writer, 600), (0,)))
    case.note = f"{seen} outputs read while being written"
    ledger.add(case)

    # Two --in-place runs over one tree.
    case = Case("concurrency", "two-in-place")
    tree_copy = base / "inplace"
    shutil.copytree(src, tree_copy)
    procs = [zh.spawn(["clean", "--in-place", tree_copy, "-q", "-j", "1"]) for _ in range(2)]
    for p in procs:
        case.check("run", survived(zh.wait(p, 600), (0,)))
    if tree(tree_copy) != reference:
        case.check("outputs", "the tree is not the cleaned tree")
    case.check("temp files", ", ".join(temps_left(tree_copy)) or None)
    ledger.add(case)


# ---------------------------------------------------------------------------------------------
# Odd paths


def section_paths(zh: Binary, ledger: Ledger, args):
    base = args.work / "paths"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    text = "正文第一段。\n第二段。\n".encode()
    cleaned = zh.run(["clean", "-q"], stdin=_write(base / "plain.txt", text)).out

    names = {
        "non-utf8": "中文".encode("gbk") + b".txt",
        "invalid-bytes": b"\xff\xfe\x80.txt",
        "newline": b"a\nb.txt",
        "long": ("长" * 83).encode() + b".txt",
        "spaces-dash": b"-x .txt",
        "glob-chars": b"[a]*?.txt",
    }
    for label, raw in names.items():
        case = Case("paths", f"name-{label}")
        d = base / f"dir-{label}"
        d.mkdir()
        with open(os.path.join(os.fsencode(d), raw), "wb") as f:
            f.write(text)
        out = base / f"out-{label}"
        report = base / f"report-{label}.jsonl"
        r = zh.run(["clean", d, "-o", out, "--report", report, "-q"])
        case.check("clean DIR", survived(r, (0,)))
        got = tree(out) if out.exists() else {}
        if got.get(raw) != cleaned:
            case.check("output", f"no output under the same name (have {list(got)})")
        if report.exists():
            case.check("report", one_object_per_input(report.read_bytes(), 1))
        named = os.path.join(os.fsencode(d), raw)
        r = zh.run(["clean", named, "-q"])
        case.check("clean FILE", survived(r, (0,)))
        if r.rc == 0 and r.out != cleaned:
            case.check("clean FILE", "another output")
        r = zh.run(["detect", "--json", named])
        case.check("detect --json", survived(r, (0,)) or one_object_per_input(r.out, 1))
        ledger.add(case)

    # A read-only output directory: a clear error naming the output, exit 2.
    case = Case("paths", "read-only-output")
    ro = base / "ro"
    ro.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(ro)], capture_output=True).returncode == 0
    demote = None
    if not mounted:
        os.chmod(ro, 0o555)
        case.note = "chmod 555 and running as nobody (mounting refused)"
        if os.geteuid() == 0:

            def demote():
                os.setgid(65534)
                os.setuid(65534)

            os.chmod(base, 0o755)
            os.chmod(base / "plain.txt", 0o644)
    try:
        r = zh.run(["clean", base / "plain.txt", "-o", ro / "o.txt", "-q"], preexec=demote)
        case.check("run", survived(r, (2,)))
        if "ro/o.txt" not in r.text_err:
            case.check("message", f"does not name the output: {r.text_err.strip()[:300]}")
        r = zh.run(["clean", base / "dir-long", "-o", ro / "sub", "-q"], preexec=demote)
        case.check("run DIR", survived(r, (2,)))
        if "ro/sub" not in r.text_err:
            case.check("message DIR", f"does not name the output: {r.text_err.strip()[:300]}")
    finally:
        if mounted:
            subprocess.run(["umount", str(ro)])
    ledger.add(case)

    # Output inside the input directory: refused with a word, or the outputs are not read back as
    # inputs.
    case = Case("paths", "output-inside-input")
    d = base / "nest"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_bytes(text)
    (d / "sub" / "b.txt").write_bytes(text)
    for _ in range(2):
        r = zh.run(["clean", d, "-o", d / "out", "-q"])
        case.check("run", survived(r, (0, 2)))
    got = sorted(tree(d / "out")) if (d / "out").exists() else []
    refused = r.rc == 2 and "inside the input" in r.text_err
    case.note = f"exit {r.rc}: {r.text_err.strip()[:120]}"
    if not refused and got != [b"a.txt", b"sub/b.txt"]:
        case.check("outputs", f"{[g.decode() for g in got]}")
    if (d / "a.txt").read_bytes() != text:
        case.check("input", "modified")
    ledger.add(case)

    # Input == output: refused, or written as --in-place would; never a lost input.
    for label, cmd_of in (
        ("file", lambda p: ["clean", p, "-o", p, "-q"]),
        ("directory", lambda p: ["clean", p.parent, "-o", p.parent, "-q"]),
        ("convert", lambda p: ["convert", "-c", "t2s", p, "-o", p, "-q"]),
    ):
        case = Case("paths", f"input-is-output-{label}")
        d = base / f"same-{label}"
        d.mkdir()
        p = _write(d / "x.txt", text + "繁體。\n".encode())
        original = p.read_bytes()
        r = zh.run(cmd_of(p))
        case.check("run", survived(r, (0, 2)))
        now = p.read_bytes() if p.exists() else b""
        if now != original and (r.rc != 0 or not now.startswith(cleaned[:6])):
            case.check("input", f"the input became {now[:60]!r} (exit {r.rc})")
        if r.rc == 2 and not r.text_err.strip():
            case.check("message", "refused without a word")
        case.note = f"exit {r.rc}: {r.text_err.strip()[:120]}"
        ledger.add(case)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------------------------


def not_idempotent(zh: Binary, data: bytes) -> bool:
    """Whether cleaning `data` gives an output that a second cleaning changes."""
    with tempfile.NamedTemporaryFile(suffix=".txt") as f:
        f.write(data)
        f.flush()
        first = zh.run(["clean", "-q"], stdin=f.name)
    if first.rc != 0:
        return False
    with tempfile.NamedTemporaryFile(suffix=".txt") as f:
        f.write(first.out)
        f.flush()
        second = zh.run(["clean", "-q"], stdin=f.name)
    return second.rc == 0 and second.out != first.out


def reduce(zh: Binary, data: bytes, fails, budget: float = 300) -> bytes:
    """Removes ranges of `data` while `fails` still holds, halving the range down to one byte
    (ranges stay large enough that a level tries at most a few thousand cuts), for at most
    `budget` seconds."""
    start = time.monotonic()
    chunk = max(1, len(data) // 2)
    while chunk >= 1 and time.monotonic() - start < budget:
        if len(data) // chunk > 4000:
            chunk = len(data) // 4000
        i = 0
        while i < len(data) and time.monotonic() - start < budget:
            cut = data[:i] + data[i + chunk :]
            if fails(cut):
                data = cut
            else:
                i += chunk
        chunk //= 2
    return data


def write_summary(ledger: Ledger, args, seconds: float):
    lines = [
        f"# Fault campaign: seed {args.seed}, {args.inputs} fuzzed inputs",
        "",
        f"`python3 fuzz/campaign.py --seed {args.seed} --inputs {args.inputs} --sections {','.join(args.sections)}`"
        f" against `{args.binary}`: {seconds / 60:.1f} min.",
        "",
        "| section | cases | passed | failed |",
        "|---|---|---|---|",
    ]
    for section in SECTIONS:
        cases = [c for c in ledger.cases if c.section == section]
        if cases:
            failed = sum(not c.ok for c in cases)
            lines.append(f"| {section} | {len(cases)} | {len(cases) - failed} | {failed} |")
    lines += ["", "## Failures", ""]
    failing = [c for c in ledger.cases if not c.ok]
    for c in sorted(failing, key=lambda c: (c.section, c.name)):
        lines.append(f"- {c.section}/{c.name} ({c.note}): " + "; ".join(c.failures)[:600])
    if not failing:
        lines.append("None.")
    notes = [c for c in ledger.cases if c.note and c.section != "fuzz" and c.ok]
    if notes:
        lines += ["", "## Notes", ""] + [f"- {c.section}/{c.name}: {c.note}" for c in notes]
    (args.work / "campaign.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[4 : 6 + len(SECTIONS)]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", type=Path, default=ROOT / "target/release/zhclean")
    ap.add_argument("--work", type=Path, default=ROOT / "target/campaign")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--inputs", type=int, default=2400)
    ap.add_argument("--jobs", type=int, default=2, help="cases run at once")
    ap.add_argument("--timeout", type=float, default=60, help="seconds before a run is a hang")
    ap.add_argument("--sections", type=lambda s: s.split(","), default=SECTIONS)
    ap.add_argument("--replay", type=Path, help="one input through the fuzz section's commands")
    ap.add_argument(
        "--reduce",
        type=Path,
        help="shrink an input that a second cleaning changes; the result goes beside it as .min",
    )
    args = ap.parse_args()
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    zh = Binary(args.binary.resolve(), args.timeout)
    ledger = Ledger(args.work)
    start = time.monotonic()
    if args.reduce:
        data = args.reduce.read_bytes()
        if not not_idempotent(zh, data):
            print("cleaning it twice gives the same output: nothing to reduce")
            return 1
        small = reduce(zh, data, lambda d: not_idempotent(zh, d))
        out = args.reduce.with_name(args.reduce.name + ".min")
        out.write_bytes(small)
        print(f"{len(data)} → {len(small)} bytes: {out}")
        return 0
    if args.replay:
        scratch = args.work / "replay"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        copy = scratch / args.replay.name
        shutil.copyfile(args.replay, copy)
        case = fuzz_one(zh, copy, str(args.replay), scratch)
        print("pass" if case.ok else "\n".join(case.failures))
        return 0 if case.ok else 1
    for section in args.sections:
        if section not in SECTIONS:
            ap.error(f"no section {section}")
        t = time.monotonic()
        print(f"{section}…", flush=True)
        globals()[f"section_{section}"](zh, ledger, args)
        print(f"  {section}: {time.monotonic() - t:.0f} s", flush=True)
    write_summary(ledger, args, time.monotonic() - start)
    return 1 if any(not c.ok for c in ledger.cases) else 0


if __name__ == "__main__":
    sys.exit(main())
