#!/usr/bin/env python3
"""Writes the Han frequency tables of the repair stage from jieba's dictionary.

    python3 data/han/make.py PATH/TO/jieba/dict.txt

jieba 0.42.1 (MIT; PyPI `jieba`, file `jieba/dict.txt`) lists 349,046 words of general
Simplified Chinese with a frequency each (`WORD FREQ TAG` per line). From it:

    characters.tsv   CHAR<TAB>COUNT  the Han characters, commonest first: the summed frequency
                                     of the words each one is written in (the first 6,000)
    bigrams.tsv      PAIR<TAB>COUNT  two Han characters in a row inside a word, with the summed
                                     frequency of the words they stand in (the first 20,000)

Deterministic: the same dictionary gives the same files (ties by code point).
"""

import collections
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
CHARACTERS = 6000
BIGRAMS = 20000


def is_han(c):
    return "\u4e00" <= c <= "\u9fff"


def main():
    characters = collections.Counter()
    bigrams = collections.Counter()
    with open(sys.argv[1], encoding="utf-8") as dictionary:
        for line in dictionary:
            word, freq = line.split()[:2]
            freq = int(freq)
            for c in word:
                if is_han(c):
                    characters[c] += freq
            for a, b in zip(word, word[1:]):
                if is_han(a) and is_han(b):
                    bigrams[a + b] += freq
    for name, counter, keep in [
        ("characters.tsv", characters, CHARACTERS),
        ("bigrams.tsv", bigrams, BIGRAMS),
    ]:
        rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
        text = "".join(f"{key}\t{count}\n" for key, count in rows)
        (HERE / name).write_text(text, encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main()
