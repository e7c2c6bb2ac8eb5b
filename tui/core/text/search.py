"""Arabic-aware text search that reports exact spans of the original text.

Readers search for a word as they would type it: without harakat or tatweel, with a bare
alef for any hamza seat, ه for ة, ي for ى, Western digits for Eastern ones. The document may
be written any of those ways, or pasted from a PDF in presentation forms (ﻣﺮﺣﺒﺎ, ﻻ). So the
query and the text are both *folded* to one canonical spelling and compared with a plain
substring search; the user's query is never a regular expression, so `(.*` is just text.

Highlighting must cover the word as written, so folding keeps, for every folded character,
the offset of the original character it came from. A match is then mapped back to
`(start, end)` code-point offsets into the original text, widened at the end over the
harakat (and tatweel) riding on the last matched letter.

Folding is per character and context-free: the fold of a concatenation is the concatenation
of the folds. That is what lets a large document be folded in windows (see `CHUNK_CHARS`)
and lets a match that straddles two windows be found exactly once: every match is owned by
the window its first character lies in, and each window folds a little past its end so that
any match it owns fits.

Known limit: the text is not NFC-composed first, so a decomposed ؤ or ئ (a seat followed by
U+0654 HAMZA ABOVE, a mark that is ignored) folds to its bare seat, while the composed
letter keeps its hamza. Decomposed Arabic is rare in practice.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from functools import cached_property, lru_cache
from typing import NamedTuple

from ..layout.glyphs import INVISIBLE

#: Characters folded per window by `find_next` and `find_all`. Large enough that a window
#: costs a few milliseconds; module-level so tests can lower it to force window borders.
CHUNK_CHARS = 65536

TATWEEL = "\u0640"

#: Spelling variants readers do not distinguish when they search.
_LETTERS = {
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0622": "\u0627",  # آ -> ا
    "\u0671": "\u0627",  # ٱ (alef wasla) -> ا
    "\u0649": "\u064a",  # ى (alef maksura) -> ي
    "\u06cc": "\u064a",  # ی (Farsi yeh, common in Arabic typed on Persian keyboards) -> ي
    "\u0629": "\u0647",  # ة -> ه
    **{chr(0x0660 + d): str(d) for d in range(10)},  # ٠ … ٩
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # ۰ … ۹
}

#: Blocks whose combining marks are "Arabic combining marks" (ignored when searching).
_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)

#: Ignored outright, whatever their Unicode category (Quranic annotation signs included).
_IGNORED_RANGES = ((0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED))

#: Presentation forms: folded through their NFKC compatibility decomposition.
_PRESENTATION = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= code <= hi for lo, hi in ranges)


def _is_arabic_mark(char: str) -> bool:
    code = ord(char)
    if _in(code, _IGNORED_RANGES):
        return True
    return _in(code, _ARABIC_BLOCKS) and unicodedata.category(char) in ("Mn", "Mc", "Me")


@lru_cache(maxsize=None)
def _fold_char(char: str) -> str:
    """The folded spelling of one character: usually one character, "" for ignorables,
    several for ligatures (ﻻ -> لا)."""
    if char in INVISIBLE or char == TATWEEL or _is_arabic_mark(char):
        return ""
    if char in _LETTERS:
        return _LETTERS[char]
    if _in(ord(char), _PRESENTATION):
        decomposed = unicodedata.normalize("NFKC", char)
        if decomposed == char:
            return char  # e.g. ornate parentheses: no letters inside
        folded = "".join(_fold_char(c) for c in decomposed)
        # Isolated harakat forms (ﹰ = space + fathatan) are marks, not a space plus a mark.
        return "" if folded.isspace() else folded
    return char.casefold()


class _Tables(NamedTuple):
    #: str.translate table indexed by code point (a list: twice as fast as a dict).
    translate: list[int | str]
    #: Runs of characters folding to nothing, or (group 1) one character folding to several.
    special: re.Pattern[str]
    #: A run of harakat and tatweel, which belong to the letter before them.
    attached: re.Pattern[str]


#: Code points covered by the dense translate table: planes 0 and 1 hold every cased script
#: and every Arabic character; beyond it str.translate leaves characters unchanged.
_TABLE_SIZE = 0x20000


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Built once, on first use (about 50 ms), so importing the module at app start costs
    nothing."""
    candidates = set(INVISIBLE) | set(_LETTERS) | {TATWEEL}
    for lo, hi in _ARABIC_BLOCKS:
        candidates.update(chr(c) for c in range(lo, hi + 1))
    candidates.update(
        char
        for char in map(chr, range(_TABLE_SIZE))
        if not "\ud800" <= char <= "\udfff" and char.casefold() != char
    )
    translate: list[int | str] = list(range(_TABLE_SIZE))
    changed: dict[int, str] = {}
    for char in candidates:
        folded = _fold_char(char)
        if folded != char:
            translate[ord(char)] = changed[ord(char)] = folded
    deleted = sorted(c for c, f in changed.items() if f == "")
    expanded = sorted(c for c, f in changed.items() if len(f) > 1)
    attached = [c for c in deleted if chr(c) not in INVISIBLE]
    return _Tables(
        translate,
        re.compile(f"{_char_class(deleted)}+|({_char_class(expanded)})"),
        re.compile(f"{_char_class(attached)}*"),
    )


def _char_class(codes: list[int]) -> str:
    """A regex character class for sorted code points, written as ranges."""
    parts = []
    index = 0
    while index < len(codes):
        first = last = codes[index]
        while index + 1 < len(codes) and codes[index + 1] == last + 1:
            index += 1
            last = codes[index]
        parts.append(f"\\U{first:08x}" if first == last else f"\\U{first:08x}-\\U{last:08x}")
        index += 1
    return "[" + "".join(parts) + "]"


def fold(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, the offset in `text` it came from
    (len == len(folded)).

    One original character may produce several folded characters (ﻻ -> لا), and several
    original characters may produce none (harakat). The folded string comes from one
    str.translate; the offset map is built run by run, so Python only touches the rare
    characters whose fold is not exactly one character.
    """
    tables = _tables()
    offsets: list[int] = []
    extend = offsets.extend
    previous = 0
    for found in tables.special.finditer(text):
        at, after = found.span()
        extend(range(previous, at))
        if found.lastindex:  # one character folding to several
            extend([at] * len(tables.translate[ord(text[at])]))
        previous = after
    extend(range(previous, len(text)))
    return text.translate(tables.translate), offsets


def fold_query(query: str) -> str:
    """The query as it is compared with folded text (empty if it holds only ignorables)."""
    return query.translate(_tables().translate)


def find_all(
    text: str, query: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Every non-overlapping match inside text[start:end], as absolute original spans, in
    order (what gets highlighted)."""
    folded_query = fold_query(query)
    size = len(text)
    end = size if end is None else max(0, min(end, size))
    start = max(0, min(start, end))
    if not folded_query:
        return []
    return list(_matches(text, folded_query, start, end, end))


def find_next(
    text: str, query: str, offset: int, *, backward: bool = False, wrap: bool = True
) -> tuple[int, int] | None:
    """The first match starting after `offset` (or the last one starting before it,
    backward), wrapping around the document if `wrap`.

    "After" is strict, so passing the current match's start moves on (n / N never stick);
    pass -1 to include a match at offset 0. Overlapping occurrences are all reachable, as
    in vi. The text is folded window by window and the search stops at the first hit, so a
    nearby match in a huge document costs one window, not the whole text.
    """
    folded_query = fold_query(query)
    if not folded_query:
        return None
    size = len(text)
    if not backward:
        after = max(0, min(offset + 1, size))
        hit = next(_matches(text, folded_query, after, size, size), None)
        if hit is None and wrap:
            hit = next(_matches(text, folded_query, 0, after, size), None)
        return hit
    before = max(0, min(offset, size))
    hit = _last_match(text, folded_query, 0, before)
    if hit is None and wrap:
        hit = _last_match(text, folded_query, before, size)
    return hit


def _matches(text: str, query: str, low: int, high: int, limit: int) -> Iterator[tuple[int, int]]:
    """Non-overlapping matches of the folded `query` that start in text[low:high] and lie
    within text[low:limit], in order, folding one window at a time."""
    last_end = low
    start = low
    while start < high:
        own = min(start + CHUNK_CHARS, high)  # the window owns matches starting before `own`
        window = _Window(text, start, own, len(query) - 1, limit)
        at = _folded_length(text[start:last_end])  # a match from the last window may reach in
        hit = window.folded.find(query, at)
        while 0 <= hit < window.cut:
            span = window.span(hit, len(query))
            yield span
            last_end = span[1]
            at = bisect_left(window.offsets, last_end - start)
            hit = window.folded.find(query, at)
        start = own


def _last_match(text: str, query: str, low: int, high: int) -> tuple[int, int] | None:
    """The last occurrence of the folded `query` starting in text[low:high], folding
    windows from `high` backwards."""
    own = high
    while own > low:
        start = max(low, own - CHUNK_CHARS)
        window = _Window(text, start, own, len(query) - 1, len(text))
        hit = window.folded.rfind(query, 0, window.cut + len(query) - 1)  # starts before cut
        if hit >= 0:
            return window.span(hit, len(query))
        own = start
    return None


def _folded_length(text: str) -> int:
    return len(text.translate(_tables().translate)) if text else 0


class _Window:
    """text[start:stop] folded, where `stop` lies far enough past `own` to hold `need` more
    folded characters (or is `limit`), so every match starting before `own` fits inside.

    Most windows hold no match, so only the folded string is made up front (one
    str.translate); the offset map is built when a match has to be located.
    """

    def __init__(self, text: str, start: int, own: int, need: int, limit: int) -> None:
        table = _tables().translate
        head = text[start:own].translate(table)
        margin = need * 4 + 64  # four original characters per folded one, at first guess
        while True:
            stop = min(limit, own + margin)
            tail = text[own:stop].translate(table)
            if stop == limit or len(tail) >= need:
                break
            margin *= 4  # long runs of harakat or invisibles: fold further, never miss
        self.text, self.start, self.stop, self.limit = text, start, stop, limit
        self.folded = head + tail
        #: Folded index of the first character at or after `own`.
        self.cut = len(head)

    @cached_property
    def offsets(self) -> list[int]:
        return fold(self.text[self.start : self.stop])[1]

    def span(self, hit: int, length: int) -> tuple[int, int]:
        """The original span of a folded hit: from its first letter to after its last letter
        and the harakat and tatweel attached to it (never past `limit`)."""
        start = self.start + self.offsets[hit]
        end = self.start + self.offsets[hit + length - 1] + 1
        return start, _tables().attached.match(self.text, end, self.limit).end()
