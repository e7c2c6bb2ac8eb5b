"""Sentence-boundary evaluation: Hamish's splitter against pysbd and sentencex on real news.

    python bench/sentence_eval.py [--all-ends]

Gold: bench/data/sentence_gold.json holds, for the seed article and for hand-read SaudiNewsNet
articles in ../shared, the offsets where sentences end (code points into the file text after
CRLF -> LF). It holds no corpus text, so the script needs ../shared (beside the repo) and exits
quietly when it is absent, e.g. on a user's clone.

Every tool is run block by block (a block is text between blank lines), the way the reader calls
``split_sentences``. The ends of blocks are then free for every tool, so by default they are not
scored: the table measures the boundaries *inside* blocks, which is where the tools differ.
``--all-ends`` scores them too. pysbd and sentencex are optional: a tool that is not installed is
skipped with a message (``pip install pysbd sentencex`` to compare; neither is a dependency).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = REPO / "bench" / "data" / "sentence_gold.json"

sys.path.insert(0, str(REPO))
from tui.core.text.sentences import split_sentences  # noqa: E402

_IGNORABLE = re.compile(r"[\s\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")
_BLANK_LINE = re.compile(r"\n[ \t\u00a0\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]*\n")

Splitter = Callable[[str], list[str]]  # block text -> its sentences as strings


def stripped_end(text: str, start: int, end: int) -> int:
    """End offset of text[start:end] once trailing whitespace and bidi marks are dropped."""
    while end > start and _IGNORABLE.match(text[end - 1]):
        end -= 1
    return end


def blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) of the non-blank blocks of text, split at blank lines."""
    out, pos = [], 0
    for m in _BLANK_LINE.finditer(text):
        out.append((pos, m.start()))
        pos = m.end() - 1
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def ends_from_strings(block: str, sentences: list[str]) -> list[int]:
    """Locate a tool's sentence strings in the block, in order, and return their end offsets."""
    ends, cursor = [], 0
    for sentence in sentences:
        core = sentence.strip()
        if not core:
            continue
        at = block.find(core, cursor)
        if at < 0:  # a tool that rewrote whitespace: fall back to the sentence's last word
            tail = core.split()[-1]
            at = block.find(tail, cursor)
            if at < 0:
                continue
            core = tail
        cursor = at + len(core)
        ends.append(stripped_end(block, at, cursor))
    return ends


def ours(block: str) -> list[str]:
    return [block[s:e] for s, e in split_sentences(block)]


def load_tools() -> dict[str, Splitter]:
    tools: dict[str, Splitter] = {"hamish": ours}
    try:
        import pysbd

        segmenter = pysbd.Segmenter(language="ar", clean=False)
        tools["pysbd"] = lambda block: [str(s) for s in segmenter.segment(block)]
    except ImportError:
        print("pysbd is not installed: skipped (pip install pysbd to compare)")
    try:
        import sentencex

        tools["sentencex"] = lambda block: list(sentencex.segment("ar", block))
    except ImportError:
        print("sentencex is not installed: skipped (pip install sentencex to compare)")
    return tools


def predicted_ends(text: str, split: Splitter) -> set[int]:
    ends: set[int] = set()
    for s, e in blocks(text):
        block = text[s:e]
        ends.update(s + x for x in ends_from_strings(block, split(block)))
    return ends


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all-ends", action="store_true", help="also score the ends of blocks")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"{SHARED} is absent: nothing to evaluate (the gold refers to its articles).")
        return 0
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    tools = load_tools()
    totals = {name: [0, 0, 0] for name in tools}
    rows = []
    for name, entry in gold.items():
        path = SHARED / entry["path"]
        if not path.is_file():
            print(f"{entry['path']}: missing, skipped")
            continue
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        if hashlib.sha256(text.encode()).hexdigest() != entry["sha256"]:
            print(f"{entry['path']}: text changed since the gold was made, skipped")
            continue
        free = set() if args.all_ends else {stripped_end(text, s, e) for s, e in blocks(text)}
        truth = set(entry["ends"]) - free
        row = [name, len(truth)]
        for tool, split in tools.items():
            found = predicted_ends(text, split) - free
            tp, fp, fn = len(found & truth), len(found - truth), len(truth - found)
            for i, v in enumerate((tp, fp, fn)):
                totals[tool][i] += v
            row.append(prf(tp, fp, fn))
        rows.append(row)
    print_table(rows, totals, list(tools), args.all_ends)
    return 0


def print_table(rows: list, totals: dict, tools: list[str], all_ends: bool) -> None:
    scope = "all sentence ends" if all_ends else "sentence ends inside blocks (block ends are free)"
    print(f"\nBoundary precision / recall / F1 per article; scored: {scope}\n")
    header = f"{'article':<22}{'gold':>5}" + "".join(f"  {t + ' P/R/F1':>20}" for t in tools)
    print(header)
    print("-" * len(header))
    for name, n, *scores in rows:
        cells = "".join(f"  {p:>6.2f}{r:>6.2f}{f:>8.3f}" for p, r, f in scores)
        print(f"{name:<22}{n:>5}{cells}")
    print("-" * len(header))
    n_gold = sum(row[1] for row in rows)
    cells = ""
    for t in tools:
        tp, fp, fn = totals[t]
        p, r, f = prf(tp, fp, fn)
        cells += f"  {p:>6.2f}{r:>6.2f}{f:>8.3f}"
    print(f"{'overall (micro)':<22}{n_gold:>5}{cells}")
    print()
    for t in tools:
        tp, fp, fn = totals[t]
        print(f"{t:<10} TP {tp:>4}  FP {fp:>4}  FN {fn:>4}")


if __name__ == "__main__":
    sys.exit(main())
