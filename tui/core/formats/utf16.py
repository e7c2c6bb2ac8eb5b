"""Offsets in code points (Python, Hamish) and in UTF-16 code units (JavaScript, browsers).

doccano and Label Studio run in a browser and count a JavaScript string's indices: UTF-16
code units, where a character outside the Basic Multilingual Plane (an emoji, 𝐀, 𓂀) counts
2. Hamish counts code points, where every character counts 1. Writing one for the other is
the "offsets shift after each emoji" bug, so every conversion goes through here.

Only astral characters differ, so a text remembers where they are (usually nowhere: then
both directions are the identity) and converts with a binary search.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetError(ValueError):
    """An offset that is outside the text, or falls between the two halves of a surrogate pair."""


class Utf16Offsets:
    """Converts offsets into one text between code points and UTF-16 code units."""

    def __init__(self, text: str) -> None:
        self.text = text
        #: Code-point offsets of the astral characters, ascending.
        self._astral = [match.start() for match in _ASTRAL.finditer(text)]
        #: Their UTF-16 offsets: each astral character before one shifts it by one more.
        self._astral16 = [offset + index for index, offset in enumerate(self._astral)]
        #: The text's length in UTF-16 code units (what JavaScript's `length` says).
        self.length16 = len(text) + len(self._astral)

    def to_utf16(self, offset: int) -> int:
        """The UTF-16 offset of code-point offset `offset` (0 ≤ offset ≤ len(text))."""
        if not 0 <= offset <= len(self.text):
            raise OffsetError(f"offset {offset} is outside the text (0-{len(self.text)} code points)")
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)

    def from_utf16(self, offset: int) -> int:
        """The code-point offset of UTF-16 offset `offset`; OffsetError if it is outside the
        text or splits a surrogate pair (no code-point offset is there)."""
        if not 0 <= offset <= self.length16:
            raise OffsetError(f"offset {offset} is outside the text (0-{self.length16} UTF-16 code units)")
        if not self._astral:
            return offset
        before = bisect_left(self._astral16, offset)  # astral characters starting before `offset`
        if before and self._astral16[before - 1] + 1 == offset:
            char = self.text[self._astral[before - 1]]
            raise OffsetError(f"offset {offset} falls inside the character {char!r} (U+{ord(char):04X}, 2 UTF-16 code units)")
        return offset - before


def utf16_length(text: str) -> int:
    """len() as JavaScript counts it."""
    return len(text) + len(_ASTRAL.findall(text))
