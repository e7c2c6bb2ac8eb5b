"""Where the shared real-world corpus lives, for tests that use it when it is there.

The corpus (`../shared` beside the repository) is text written by others; it is read in
place, never copied into the repo. Tests that need it skip cleanly when it is absent
(a user's clone), except where CI requires it.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "karabakh-article.txt"
ARTICLES = SHARED / "corpus" / "saudinewsnet" / "articles"
TWEETS = SHARED / "corpus" / "clef2022-arabic" / "tweets.tsv"
IN_CI = bool(os.environ.get("CI"))


def article_lines() -> list[str]:
    """Every non-empty line of the 30 sample articles."""
    if not ARTICLES.is_dir():
        return []
    lines: list[str] = []
    for path in sorted(ARTICLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        lines.extend(line for line in text.split("\n") if line.strip())
    return lines


def tweet_lines(limit: int = 150) -> list[str]:
    """Non-empty lines of the tweets' text column, up to `limit` lines."""
    if not TWEETS.is_file():
        return []
    out: list[str] = []
    with TWEETS.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader, None)
        column = _text_column(header)
        for row in reader:
            if len(row) > column:
                out.extend(line for line in row[column].split("\n") if line.strip())
            if len(out) >= limit:
                break
    return out[:limit]


def _text_column(header: list[str] | None) -> int:
    if header:
        for i, name in enumerate(header):
            if name.strip().lower() in ("tweet_text", "text", "tweet"):
                return i
    return 1
