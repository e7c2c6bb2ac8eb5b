"""A loaded document and its one cheap index: where each line (bidi paragraph) starts.

Opening a document costs one decode and one scan for newlines; nothing else is computed
until it is needed. Layout and shaping happen per paragraph when that paragraph is on
screen, and sentences per block (see sentence_index.py).
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_right
from functools import cached_property
from pathlib import Path

from .loading import LoadedText, PartialText, load_head, load_text, normalise_newlines

#: How many characters of the first line make the title.
_TITLE_CHARS = 120


class Document:
    """The normalised text of one file plus its paragraph (line) index."""

    def __init__(self, loaded: LoadedText, pending: PartialText | None = None) -> None:
        self.path: Path = loaded.path
        self.text: str = loaded.text
        self.encoding: str = loaded.encoding
        self.line_starts, self._soft = _line_starts(self.text)
        self._pending = pending

    @classmethod
    def open(cls, path: str | Path) -> Document:
        return cls(load_text(path))

    @classmethod
    def open_exact(cls, path: str | Path) -> Document:
        """A UTF-8 file taken exactly as written, a leading U+FEFF included (brat's DOC.txt:
        brat counts every character, so a "BOM" there is text). Anything else opens as usual."""
        from .loading import read_bytes

        path = Path(path)
        data = read_bytes(path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return cls.open(path)
        return cls(LoadedText(path, normalise_newlines(text), "utf-8", False))

    @classmethod
    def open_progressively(cls, path: str | Path) -> Document:
        """Open with only the head of a large file decoded (see loading.load_head); call
        `finish_loading` once the first screen is up. Small files open complete."""
        loaded = load_head(path)
        if isinstance(loaded, PartialText):
            return cls(loaded.head, pending=loaded)
        return cls(loaded)

    @property
    def complete(self) -> bool:
        """False while only the head of a large file is loaded."""
        return self._pending is None

    def finish_loading(self) -> None:
        """Decode the rest of a progressively opened file. Offsets already handed out stay
        valid: the head is a prefix of the whole text. Raises LoadError on a bad byte."""
        if self._pending is None:
            return
        whole = self._pending.finish()
        self._pending = None
        self.text = whole.text
        self.encoding = whole.encoding
        self.line_starts, self._soft = _line_starts(self.text)
        self.__dict__.pop("fingerprint", None)

    @classmethod
    def from_text(cls, text: str, path: str | Path = "<memory>") -> Document:
        """A document from text already in memory (tests, stdin)."""
        from .loading import normalise_newlines

        return cls(LoadedText(Path(path), normalise_newlines(text), "utf-8", False))

    @property
    def paragraph_count(self) -> int:
        return len(self.line_starts)

    def ends_softly(self, index: int) -> bool:
        """True if paragraph `index` is a cut of an over-long line, not ended by a newline."""
        return index in self._soft

    def paragraph_span(self, index: int) -> tuple[int, int]:
        """Offsets `[start, end)` of paragraph `index`, its newline excluded."""
        start = self.line_starts[index]
        if index + 1 < len(self.line_starts):
            return start, self.line_starts[index + 1] - (0 if index in self._soft else 1)
        end = len(self.text)
        if end > start and self.text.endswith("\n"):
            end -= 1  # the file's final newline ends the last line, it is not in it
        return start, end

    def paragraph_text(self, index: int) -> str:
        start, end = self.paragraph_span(index)
        return self.text[start:end]

    def paragraph_at(self, offset: int) -> int:
        """The paragraph holding `offset` (a newline belongs to the paragraph it ends)."""
        return max(0, bisect_right(self.line_starts, offset) - 1)

    @cached_property
    def fingerprint(self) -> str:
        """SHA-256 of the normalised text (UTF-8): identifies this exact text."""
        if self._pending is not None:
            raise RuntimeError("fingerprint asked for before the document finished loading")
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @cached_property
    def title(self) -> str:
        """The first non-empty line (Markdown heading marks removed), else the file name."""
        for index in range(min(self.paragraph_count, 50)):
            line = self.paragraph_text(index).strip().lstrip("#").strip()
            if line:
                return line[:_TITLE_CHARS] + ("…" if len(line) > _TITLE_CHARS else "")
        return self.path.name


#: Lines longer than this are cut into display segments (see `_line_starts`).
SEGMENT_CHARS = 16_384
#: How far back from a segment's limit a cut looks for a space.
_CUT_WINDOW = 2_048


def _line_starts(text: str) -> tuple[array, set[int]]:
    """Start offset of every line (a final newline does not open an empty last line), and
    which of them are *soft*: a line over SEGMENT_CHARS is cut into segments (at a space
    near each limit where there is one, never before a combining mark), so that laying out
    or segmenting a 20 MB line costs only the segment on screen. Soft segments are display
    units only: the text and every offset are untouched."""
    starts = array("q", [0])
    soft: set[int] = set()
    find = text.find
    previous = 0
    at = find("\n")
    while True:
        end = at if at != -1 else len(text)
        if end - previous > SEGMENT_CHARS:
            _cut(text, previous, end, starts, soft)
        if at == -1:
            break
        starts.append(at + 1)
        previous = at + 1
        at = find("\n", at + 1)
    if len(starts) > 1 and starts[-1] == len(text):
        starts.pop()
    return starts, soft


def _cut(text: str, start: int, end: int, starts: array, soft: set[int]) -> None:
    """Add soft segment starts inside the over-long line `[start, end)`."""
    import unicodedata

    position = start
    while end - position > SEGMENT_CHARS:
        limit = position + SEGMENT_CHARS
        space = text.rfind(" ", limit - _CUT_WINDOW, limit)
        cut = space + 1 if space > position else limit
        while cut < end and unicodedata.category(text[cut]).startswith("M"):
            cut += 1
        soft.add(len(starts) - 1)
        starts.append(cut)
        position = cut
