"""Which screen row each paragraph starts on, without wrapping the whole document.

Wrapping a 50 MB document just to size a scroll bar would cost seconds, and even one Python
step per paragraph costs tens of milliseconds at start-up. So rows are known at three grades:

- a *block* of 256 paragraphs starts with one coarse estimate made from its character count
  (O(1) from the line index);
- the first time anything inside a block is asked for, the block is *expanded* into one
  estimate per paragraph (its length over the width);
- a paragraph becomes *exact* when it is laid out.

A Fenwick tree over the blocks keeps the prefix sums, so "row y" <-> "paragraph i, row r"
costs O(log blocks + block size), and every refinement is a point update. Refinements only
happen where the reader looks; rows before a refined block never move.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import accumulate

BLOCK = 256


class RowMap:
    """Row counts per paragraph, estimated lazily, with prefix sums."""

    def __init__(self, starts: Sequence[int], text_length: int, width: int) -> None:
        self._starts = starts
        self._text_length = text_length
        self._width = max(1, width)
        n = len(starts)
        self._n = n
        blocks = (n + BLOCK - 1) // BLOCK
        sizes = [self._coarse(b) for b in range(blocks)]
        self._block_rows = array("q", sizes)
        self._local: list[array | None] = [None] * blocks  # per-paragraph rows, once expanded
        self._local_prefix: list[list[int] | None] = [None] * blocks
        prefix = [0, *accumulate(sizes)]
        self._tree = array("q", [0, *(prefix[i] - prefix[i - (i & -i)] for i in range(1, blocks + 1))])
        self._total = prefix[-1]

    # -- estimates ----------------------------------------------------------------------------

    def _end(self, index: int) -> int:
        """One past paragraph `index`'s newline (as if the last one had one too)."""
        return self._starts[index + 1] if index + 1 < self._n else self._text_length + 1

    def _coarse(self, block: int) -> int:
        """A block's rows from its size alone: its characters over the width, plus half a
        row per paragraph for the partial last rows, and at least one row per paragraph."""
        first = block * BLOCK
        last = min(self._n, first + BLOCK)
        count = last - first
        chars = self._end(last - 1) - self._starts[first] - count
        return max(count, (chars + count * (self._width // 2)) // self._width)

    def _expand(self, block: int) -> array:
        """Per-paragraph estimates of a block (done once), keeping the block's total right."""
        local = self._local[block]
        if local is None:
            first = block * BLOCK
            last = min(self._n, first + BLOCK)
            width = self._width
            rows = []
            for i in range(first, last):
                length = self._end(i) - self._starts[i] - 1
                rows.append((length - 1) // width + 1 if length > 0 else 1)
            local = self._local[block] = array("q", rows)
            self._add(block, sum(rows) - self._block_rows[block])
        return local

    def _prefix_in(self, block: int) -> list[int]:
        prefix = self._local_prefix[block]
        if prefix is None:
            prefix = self._local_prefix[block] = [0, *accumulate(self._expand(block))]
        return prefix

    # -- the tree ---------------------------------------------------------------------------------

    def _add(self, block: int, delta: int) -> None:
        if not delta:
            return
        self._block_rows[block] += delta
        self._total += delta
        i = block + 1
        tree = self._tree
        size = len(tree) - 1
        while i <= size:
            tree[i] += delta
            i += i & -i

    def _rows_before_block(self, block: int) -> int:
        total = 0
        i = block
        tree = self._tree
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    def _block_at(self, row: int) -> tuple[int, int]:
        """(block, row within it) for a document row below the total."""
        position = 0
        remaining = row
        size = len(self._tree) - 1
        step = 1 << size.bit_length()
        tree = self._tree
        while step:
            nxt = position + step
            if nxt <= size and tree[nxt] <= remaining:
                position = nxt
                remaining -= tree[nxt]
            step >>= 1
        return position, remaining

    # -- public ---------------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._n

    @property
    def total(self) -> int:
        return self._total

    def rows(self, index: int) -> int:
        return self._expand(index // BLOCK)[index % BLOCK]

    def set_exact(self, index: int, rows: int) -> int:
        """Record the true row count of a paragraph; returns the change in total rows."""
        block = index // BLOCK
        local = self._expand(block)
        delta = rows - local[index % BLOCK]
        if delta:
            local[index % BLOCK] = rows
            self._local_prefix[block] = None
            self._add(block, delta)
        return delta

    def first_row(self, index: int) -> int:
        """The row on which paragraph `index` starts."""
        block = index // BLOCK
        return self._rows_before_block(block) + self._prefix_in(block)[index % BLOCK]

    def locate(self, row: int) -> tuple[int, int]:
        """(paragraph, row within it) for a document row; clamped to the document."""
        if self._n == 0:
            return 0, 0
        while True:
            if row >= self._total:
                last = self._n - 1
                return last, self.rows(last) - 1
            block, within = self._block_at(max(0, row))
            if self._local[block] is None:
                self._expand(block)  # may change this block's size: look again
                continue
            prefix = self._prefix_in(block)
            # The last paragraph of the block whose first row is <= within.
            lo, hi = 0, len(prefix) - 2
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if prefix[mid] <= within:
                    lo = mid
                else:
                    hi = mid - 1
            return block * BLOCK + lo, within - prefix[lo]
