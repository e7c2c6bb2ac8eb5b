"""The Unicode Bidirectional Algorithm (UAX #9) as a terminal needs it.

Why not just `bidi.get_display`? python-bidi 0.6's Rust engine resolves levels correctly,
bracket pairs (rule N0) included, but its output does not mirror brackets (L4), does not
keep combining marks after their base (L3), and gives no map back to logical offsets. The
legacy pure-Python `bidi.algorithm` mirrors but does not pair brackets. So we take the
*resolved levels* from the Rust engine (the one part it gets fully right), and do the line
rules ourselves: L1 (trailing whitespace to the paragraph level), L2 (reverse runs), L3
(marks stay after their base: we reverse whole clusters) and L4 (mirroring, with
python-bidi's own mirror table). GNU FriBidi is the oracle in tests/test_bidi_oracle.py.

The levels come from `get_display(..., debug=True)`, which prints the engine's `BidiInfo`
(one level per UTF-8 byte). That dump is not a public API, so python-bidi is pinned to
0.6.x and tests/test_bidi_engine.py checks, on random strings, that our reordering equals
`get_display` wherever mirroring does not apply. If a release changes the dump, that test
fails loudly instead of the screen going wrong quietly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import bidi
from bidi.mirror import MIRRORED

_LEVEL = re.compile(r"Level\(\s*(\d+)")
_CLASS = re.compile(r"\b([A-Z]{1,3}),")

#: Paragraph separators inside a line would make the engine start a new paragraph (and
#: `get_display` mangles multi-paragraph input); for level resolution they count as spaces.
_PARAGRAPH_SEPARATORS = {
    ord(c): " " for c in "\x1c\x1d\x1e\x85\u2029\n\r"
}

#: Classes that L1 resets to the paragraph level when they trail a line or precede S/B.
_L1_WHITESPACE = frozenset({"WS", "FSI", "LRI", "RLI", "PDI"})
#: Classes rule X9 removes; we keep them (section 5.2) at their neighbour's level.
_X9_REMOVED = frozenset({"BN", "LRE", "RLE", "LRO", "RLO", "PDF"})


@dataclass(frozen=True)
class Levels:
    """Resolved embedding levels of one paragraph, one per code point."""

    levels: tuple[int, ...]
    classes: tuple[str, ...]
    base_level: int

    @property
    def rtl(self) -> bool:
        return self.base_level % 2 == 1


def first_strong_direction(text: str) -> bool | None:
    """Rules P2/P3: True for right-to-left, False for left-to-right, None if no strong
    character (isolates are skipped, as UAX #9 says)."""
    depth = 0
    for char in text:
        if char in "\u2066\u2067\u2068":
            depth += 1
            continue
        if char == "\u2069":
            depth = max(0, depth - 1)
            continue
        if depth:
            continue
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return None


def resolve_levels(text: str, rtl: bool | None = None) -> Levels:
    """Resolved levels for one paragraph; `rtl` forces the base direction (None: rule P2)."""
    if not text:
        return Levels((), (), 1 if rtl else 0)
    safe = text.translate(_PARAGRAPH_SEPARATORS)
    base_dir = None if rtl is None else ("R" if rtl else "L")
    dump = bidi.get_display(safe, base_dir=base_dir, debug=True)
    # Find the sections from the end: the dump starts with the text itself, which may
    # contain anything, including the words we search for.
    para_at = dump.rindex("paragraphs: [")
    levels_at = dump.rindex("levels: [", 0, para_at)
    classes_at = dump.rindex("original_classes: [", 0, levels_at)
    byte_levels = _LEVEL.findall(dump, levels_at, para_at)
    byte_classes = _CLASS.findall(dump, classes_at, levels_at)
    para_levels = _LEVEL.findall(dump, para_at)
    levels: list[int] = []
    classes: list[str] = []
    index = 0
    for char in safe:
        levels.append(int(byte_levels[index]))
        classes.append(byte_classes[index])
        code = ord(char)
        index += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    if index != len(byte_levels) or index != len(byte_classes):
        raise RuntimeError("python-bidi debug output changed shape; pin python-bidi 0.6.x")
    base = int(para_levels[0]) if para_levels else (1 if rtl else 0)
    return Levels(tuple(levels), tuple(classes), base)


def line_levels(levels: Levels, start: int, end: int) -> list[int]:
    """Levels of the line `[start, end)` of a paragraph after rule L1.

    Whitespace and isolate controls before a segment/paragraph separator or at the end of
    the line go to the paragraph level. Characters that rule X9 removed (embedding controls,
    BN) are retained, as UAX #9 section 5.2 allows, at the level of the character before
    them, and are reset together with the whitespace they sit in, as python-bidi's engine
    does (tests/test_bidi_engine.py holds us to it for every visible character).
    """
    out = list(levels.levels[start:end])
    classes = levels.classes
    base = levels.base_level
    reset_from: int | None = None
    previous = base
    for i in range(end - start):
        kind = classes[start + i]
        if kind in ("S", "B"):
            for j in range(i if reset_from is None else reset_from, i + 1):
                out[j] = base
            reset_from = None
        elif kind in _L1_WHITESPACE:
            if reset_from is None:
                reset_from = i
        elif kind in _X9_REMOVED:
            if reset_from is None:
                reset_from = i
            out[i] = previous
        else:
            reset_from = None
        previous = out[i]
    if reset_from is not None:
        for j in range(reset_from, end - start):
            out[j] = base
    return out


def visual_order(levels: Sequence[int]) -> list[int]:
    """Rule L2: the logical indices of `levels` in visual (left-to-right) order."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min(levels) | 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        n = len(order)
        while i < n:
            if levels[order[i]] >= level:
                j = i
                while j < n and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def mirror(char: str) -> str:
    """Rule L4: the mirrored glyph of a character drawn in a right-to-left run."""
    return MIRRORED.get(char, char)
