"""Visual order against GNU FriBidi, the independent reference.

For each line of our hard cases (tests/data/bidi_cases.txt) and of the shared real-world
corpus, the reader's visual line must equal `fribidi --nopad --nobreak` after the
normalisation GUIDE.md describes: drop U+FEFF (FriBidi adds it after lam-alef), NFKC each
character (presentation forms back to letters; FriBidi leaves some unshaped), read a
ligature as its letters in visual order, and ignore bidi control characters (invisible;
we never draw them, nor ZWJ/ZWNJ, see the README). Harakat are kept in the comparison: a mark must follow its letter.

With CI set, a missing `fribidi` fails instead of skipping: the oracle is the point.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from corpus import IN_CI, article_lines, tweet_lines
from tui.core.layout.glyphs import INVISIBLE
from tui.core.layout.layout import BREAKING_SPACES, LayoutOptions, layout_paragraph

CASES = Path(__file__).parent / "data" / "bidi_cases.txt"
WIDE = LayoutOptions(width=1_000_000)

#: Deliberate differences, each explained in README "Where we differ from FriBidi".
_IGNORED = INVISIBLE


def hard_cases() -> list[str]:
    lines = CASES.read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not line.startswith("#")]


def all_cases() -> list[str]:
    return hard_cases() + article_lines() + tweet_lines()


def normalise(visual: str) -> str:
    out = []
    for char in visual:
        if char in _IGNORED:
            continue
        letters = unicodedata.normalize("NFKC", char)
        # A ligature sits in a right-to-left run: its letters read right to left.
        out.append(letters[::-1] if len(letters) > 1 and _is_arabic_ligature(char) else letters)
    return "".join(out)


def _is_arabic_ligature(char: str) -> bool:
    return 0xFB50 <= ord(char) <= 0xFDFF or 0xFE70 <= ord(char) <= 0xFEFF


def fribidi(lines: list[str]) -> list[str]:
    exe = shutil.which("fribidi")
    if exe is None:
        if IN_CI:
            pytest.fail("GNU FriBidi (`fribidi`, Debian libfribidi-bin) is required in CI")
        pytest.skip("fribidi not installed (apt-get install libfribidi-bin)")
    # Spaces that trail a line hang in the margin and are not drawn (README), so FriBidi
    # is given the line without them.
    visible = [line.rstrip("".join(BREAKING_SPACES)) for line in lines]
    result = subprocess.run(
        [exe, "--nopad", "--nobreak"],
        input="\n".join(visible) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    out = result.stdout.split("\n")
    assert out[-1] == ""
    return out[:-1]


def ours(line: str) -> str:
    rows = layout_paragraph(line, 0, WIDE)
    assert len(rows) == 1
    return rows[0].text


def test_the_case_file_is_big_enough():
    assert len(hard_cases()) >= 200


def test_visual_order_matches_fribidi():
    cases = all_cases()
    if IN_CI:
        assert len(cases) >= 400, "the shared corpus must be beside the repo in CI"
    expected = fribidi(cases)
    assert len(expected) == len(cases)
    failures = []
    for line, reference in zip(cases, expected):
        got = normalise(ours(line))
        want = normalise(reference)
        if got != want:
            failures.append(f"\n  logical: {line!r}\n  fribidi: {want!r}\n  hamish:  {got!r}")
    assert not failures, f"{len(failures)} of {len(cases)} lines differ:" + "".join(failures[:10])


def test_harakat_follow_their_letter():
    line = "يومًا على آلة حدباء (NATO)"
    visual = ours(line)
    assert "\u064b" in visual
    at = visual.index("\u064b")
    assert unicodedata.normalize("NFKC", visual[at - 1]) == "م"


TAB_CASES = [
    "a\tb مرحبا",
    "مرحبا\tبالعالم\tNATO 25%",
    "قال:\t(Reuters)\t١٥",
    "Name:\tسليم الحداد",
]


def test_tabs_follow_rule_l1_like_fribidi():
    """A tab is a segment separator: it goes to the paragraph level (L1). We draw it as four
    spaces; FriBidi prints the tab itself."""
    expected = fribidi(TAB_CASES)
    for line, reference in zip(TAB_CASES, expected):
        assert normalise(ours(line)) == normalise(reference.replace("\t", "    "))
