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



@dataclass(frozen=True)
class Levels:
    """Resolved embedding levels of one paragraph, one per code point (as bytes), and each
    code point's original bidi class as a one-letter code (see `class_codes`)."""

    levels: bytes
    classes: str
    base_level: int

    @property
    def rtl(self) -> bool:
        return self.base_level % 2 == 1


#: One letter per bidi class, so a paragraph's classes are one string that `str.translate`
#: builds and regular expressions scan at C speed.
_CODE = {
    "L": "L", "R": "R", "AL": "A", "EN": "E", "ES": "S", "ET": "T", "AN": "N", "CS": "C",
    "NSM": "M", "BN": "b", "B": "P", "S": "G", "WS": "W", "ON": "O",
    "LRE": "x", "RLE": "x", "LRO": "x", "RLO": "x", "PDF": "x",
    "LRI": "i", "RLI": "i", "FSI": "i", "PDI": "i",
}


class _ClassTable(dict):
    """code point -> class letter, filled on first sight of each character."""

    def __missing__(self, code_point: int) -> str:
        value = self[code_point] = _CODE.get(unicodedata.bidirectional(chr(code_point)) or "L", "L")
        return value


_CLASS_TABLE = _ClassTable()


def class_codes(text: str) -> str:
    """One class letter per code point of `text`."""
    return text.translate(_CLASS_TABLE)


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


#: Anything that sends a paragraph to the full engine (L letters; explicit embeddings,
#: overrides and isolates; BN such as ZWNJ; paragraph separators).
_NOT_SIMPLE_RTL = re.compile("[LxibP]")
_NOT_SIMPLE_LTR = re.compile("[RANxibP]")
_W1 = re.compile("([^M])(M+)")
_W2 = re.compile("(?<=A)[^ARE]*E[^AR]*")
_W4_EN = re.compile("(?<=E)[SC](?=E)")
_W4_AN = re.compile("(?<=N)C(?=N)")
_W5 = re.compile("(?<=E)T+|T+(?=E)")
#: Class letter -> level in a simple right-to-left paragraph: numbers 2, the rest 1.
_RTL_LEVEL = bytes(2 if chr(i) in "EN" else 1 for i in range(256))


def _simple_levels(codes: str, rtl: bool) -> bytes | None:
    """Levels without the engine for the two commonest paragraphs, or None.

    A right-to-left paragraph with no left-to-right letter and no explicit controls: every
    strong character is R/AL and numbers count as R, so N0-N2 resolve every neutral to R
    (level 1) and only numbers rise to level 2. What remains is which separators and
    terminators join a number (W1-W6), done here on the class letters. A left-to-right
    paragraph with no right-to-left letter, no Arabic digit and no controls is level 0
    throughout. tests/test_bidi_engine.py checks both against the engine on random text.
    """
    if not rtl:
        return None if _NOT_SIMPLE_LTR.search(codes) else bytes(len(codes))
    if _NOT_SIMPLE_RTL.search(codes):
        return None
    types = codes
    if "M" in types:  # W1: a mark takes the type before it (sos is R)
        stripped = types.lstrip("M")
        types = "R" * (len(types) - len(stripped)) + stripped
        types = _W1.sub(lambda m: m.group(1) * (1 + len(m.group(2))), types)
    if "E" in types:
        types = _W2.sub(lambda m: m.group().replace("E", "N"), types)  # W2 (W3 is implicit)
        types = _W4_EN.sub("E", types)  # W4
        types = _W5.sub(lambda m: "E" * len(m.group()), types)  # W5
    if "N" in types:
        types = _W4_AN.sub("N", types)
    return types.encode("ascii").translate(_RTL_LEVEL)


def resolve_levels(text: str, rtl: bool | None = None) -> Levels:
    """Resolved levels for one paragraph; `rtl` forces the base direction (None: rule P2)."""
    if not text:
        return Levels(b"", "", 1 if rtl else 0)
    if rtl is not None:
        codes = class_codes(text)
        simple = _simple_levels(codes, rtl)
        if simple is not None:
            return Levels(simple, codes, 1 if rtl else 0)
    return engine_levels(text, rtl)


def engine_levels(text: str, rtl: bool | None = None) -> Levels:
    """Levels from python-bidi's engine (the full algorithm, any text)."""
    if not text:
        return Levels(b"", "", 1 if rtl else 0)
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
        classes.append(_CODE.get(byte_classes[index], "L"))
        code = ord(char)
        index += 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    if index != len(byte_levels) or index != len(byte_classes):
        raise RuntimeError("python-bidi debug output changed shape; pin python-bidi 0.6.x")
    base = int(para_levels[0]) if para_levels else (1 if rtl else 0)
    return Levels(bytes(levels), "".join(classes), base)


def line_levels(levels: Levels, start: int, end: int) -> bytearray:
    """Levels of the line `[start, end)` of a paragraph after rule L1.

    Whitespace and isolate controls before a segment/paragraph separator or at the end of
    the line go to the paragraph level. Characters that rule X9 removed (embedding controls,
    BN) are retained, as UAX #9 section 5.2 allows, at the level of the character before
    them, and are reset together with the whitespace they sit in, as python-bidi's engine
    does (tests/test_bidi_engine.py holds us to it for every visible character).
    """
    out = bytearray(levels.levels[start:end])
    codes = levels.classes[start:end]
    base = levels.base_level
    if not _L1_SPECIAL.search(codes):  # the common case: only trailing spaces matter
        trailing = len(codes) - len(codes.rstrip("W"))
        if trailing:
            out[len(out) - trailing :] = bytes([base]) * trailing
        return out
    reset_from: int | None = None
    previous = base
    for i, kind in enumerate(codes):
        if kind in "GP":
            for j in range(i if reset_from is None else reset_from, i + 1):
                out[j] = base
            reset_from = None
        elif kind in "Wi":
            if reset_from is None:
                reset_from = i
        elif kind in "xb":
            if reset_from is None:
                reset_from = i
            out[i] = previous
        else:
            reset_from = None
        previous = out[i]
    if reset_from is not None:
        for j in range(reset_from, len(out)):
            out[j] = base
    return out


_L1_SPECIAL = re.compile("[GPixb]")


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
