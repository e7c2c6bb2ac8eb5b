"""Sentences of a document, found lazily block by block.

A block is a run of non-blank lines; sentences never cross a blank line, so a block can be
segmented on its own. Moving the cursor needs only the blocks around it, so a 50 MB file
shows its first screen without being segmented. Numbering ("sentence 3 of 21") needs a
count of everything before: `count_step` does that in slices (the app runs it on a worker
thread for large documents; small ones are counted at once).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from .document import Document
from .sentences import split_sentences

Span = tuple[int, int]
Block = tuple[int, int]  # first and last paragraph, inclusive

#: Documents up to this many characters are counted when the index is made.
EAGER_CHARS = 2_000_000
#: Segmented blocks kept in memory.
_CACHE_BLOCKS = 512


class SentenceIndex:
    """Sentence spans of one document, with navigation and (once counted) numbering."""

    def __init__(self, doc: Document, eager_chars: int = EAGER_CHARS) -> None:
        self.doc = doc
        self._cache: OrderedDict[int, list[Span]] = OrderedDict()
        self._before: dict[int, int] = {}  # block's first paragraph -> sentences before it
        self._count_from = 0  # paragraph where counting goes on
        self._counted = 0
        self._total: int | None = None
        # A document still loading (Document.open_progressively) is never counted: its
        # head's count would be shown as the whole document's.
        if doc.complete and len(doc.text) <= eager_chars:
            while not self.count_step(10_000):
                pass

    # -- blocks -----------------------------------------------------------------------

    def _blank(self, paragraph: int) -> bool:
        start, end = self.doc.paragraph_span(paragraph)
        return self.doc.text[start:end].isspace() or start == end

    def block_of(self, paragraph: int) -> Block | None:
        """The block holding `paragraph`, or None if that line is blank."""
        if self._blank(paragraph):
            return None
        # Blocks end at blank lines, and at the soft cuts of over-long lines (sentences do not
        # cross those: a 20 MB line is segmented a piece at a time, see document.py).
        doc = self.doc
        first = paragraph
        while first > 0 and not self._blank(first - 1) and not doc.ends_softly(first - 1):
            first -= 1
        last = paragraph
        count = doc.paragraph_count
        while last + 1 < count and not doc.ends_softly(last) and not self._blank(last + 1):
            last += 1
        return first, last

    def _block_after(self, paragraph: int) -> Block | None:
        """The first block starting at or after `paragraph`."""
        count = self.doc.paragraph_count
        while paragraph < count and self._blank(paragraph):
            paragraph += 1
        return self.block_of(paragraph) if paragraph < count else None

    def _block_before(self, paragraph: int) -> Block | None:
        """The last block ending at or before `paragraph`."""
        while paragraph >= 0 and self._blank(paragraph):
            paragraph -= 1
        return self.block_of(paragraph) if paragraph >= 0 else None

    def spans(self, block: Block) -> list[Span]:
        """Sentence spans of a block (cached)."""
        first, last = block
        cached = self._cache.get(first)
        if cached is not None:
            self._cache.move_to_end(first)
            return cached
        start = self.doc.line_starts[first]
        end = self.doc.paragraph_span(last)[1]
        spans = split_sentences(self.doc.text, start, end)
        self._cache[first] = spans
        if len(self._cache) > _CACHE_BLOCKS:
            self._cache.popitem(last=False)
        return spans

    def _nonempty_after(self, paragraph: int) -> Iterator[tuple[Block, list[Span]]]:
        block = self._block_after(paragraph)
        while block is not None:
            spans = self.spans(block)
            if spans:
                yield block, spans
            block = self._block_after(block[1] + 1)

    def _nonempty_before(self, paragraph: int) -> Iterator[tuple[Block, list[Span]]]:
        block = self._block_before(paragraph)
        while block is not None:
            spans = self.spans(block)
            if spans:
                yield block, spans
            block = self._block_before(block[0] - 1)

    # -- navigation ---------------------------------------------------------------------

    def first(self) -> Span | None:
        for _, spans in self._nonempty_after(0):
            return spans[0]
        return None

    def last(self) -> Span | None:
        for _, spans in self._nonempty_before(self.doc.paragraph_count - 1):
            return spans[-1]
        return None

    def at(self, offset: int) -> Span | None:
        """The sentence holding `offset`; else the next one after it; else the last one."""
        paragraph = self.doc.paragraph_at(offset)
        for _, spans in self._nonempty_after(paragraph):
            for span in spans:
                if offset < span[1]:
                    return span
        return self.last()

    def next(self, span: Span) -> Span | None:
        """The sentence after `span`, or None at the end."""
        for _, spans in self._nonempty_after(self.doc.paragraph_at(span[0])):
            for candidate in spans:
                if candidate[0] >= span[1]:
                    return candidate
        return None

    def previous(self, span: Span) -> Span | None:
        """The sentence before `span`, or None at the start."""
        for _, spans in self._nonempty_before(self.doc.paragraph_at(span[0])):
            for candidate in reversed(spans):
                if candidate[1] <= span[0]:
                    return candidate
        return None

    # -- numbering ------------------------------------------------------------------------

    def count_step(self, paragraphs: int) -> bool:
        """Count the sentences of the next `paragraphs` lines' worth of blocks; True when done."""
        if self._total is not None:
            return True
        if not self.doc.complete:
            return False
        stop = self._count_from + paragraphs
        while self._count_from < stop:
            block = self._block_after(self._count_from)
            if block is None:
                self._total = self._counted
                return True
            self._before[block[0]] = self._counted
            self._counted += len(self.spans(block))
            self._count_from = block[1] + 1
        return False

    @property
    def total(self) -> int | None:
        """How many sentences the document has, once counted."""
        return self._total

    @property
    def progress(self) -> float:
        """How far counting has come, 0 to 1."""
        if self._total is not None:
            return 1.0
        return self._count_from / max(1, self.doc.paragraph_count)

    def number(self, span: Span) -> int | None:
        """1-based number of a sentence, if counting has reached it."""
        block = self.block_of(self.doc.paragraph_at(span[0]))
        if block is None or block[0] not in self._before:
            return None
        return self._before[block[0]] + self.spans(block).index(span) + 1

    def all_spans(self) -> Iterator[Span]:
        """Every sentence in order (for `hamish sentences` and exporters)."""
        for _, spans in self._nonempty_after(0):
            yield from spans
