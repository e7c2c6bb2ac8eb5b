"""Which screen row each paragraph starts on, without wrapping the whole document.

Wrapping a 50 MB document just to size a scroll bar would cost seconds. Instead every
paragraph starts with an estimate (its length over the width) and becomes exact the first
time it is laid out. A Fenwick tree keeps the prefix sums, so moving between "row y" and
"paragraph i, row r" costs O(log n) and an estimate becomes exact in O(log n).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from itertools import accumulate


class RowMap:
    """Row counts per paragraph with prefix sums."""

    def __init__(self, counts: Iterable[int]) -> None:
        self._rows = array("q", counts)
        self._exact = bytearray(len(self._rows))
        n = len(self._rows)
        # Fenwick node i holds the sum of the (i & -i) rows ending at i: built from prefix
        # sums in one pass instead of n tree updates.
        prefix = [0, *accumulate(self._rows)]
        self._tree = array("q", [0, *(prefix[i] - prefix[i - (i & -i)] for i in range(1, n + 1))])
        self._total = prefix[-1]

    @classmethod
    def estimate(cls, starts: Sequence[int], text_length: int, width: int) -> RowMap:
        """Rows from line starts (each line's length in code points over the width, at least
        one): cheap enough to redo on every resize of a 50 MB document."""
        width = max(1, width)
        ends = [*starts[1:], text_length + 1]
        return cls([(e - s - 2) // width + 1 if e - s > 1 else 1 for s, e in zip(starts, ends)])

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def total(self) -> int:
        return self._total

    def rows(self, index: int) -> int:
        return self._rows[index]

    def is_exact(self, index: int) -> bool:
        return bool(self._exact[index])

    def set_exact(self, index: int, rows: int) -> int:
        """Record the true row count of a paragraph; returns the change in total rows."""
        self._exact[index] = 1
        delta = rows - self._rows[index]
        if delta:
            self._rows[index] = rows
            self._total += delta
            i = index + 1
            tree = self._tree
            n = len(tree) - 1
            while i <= n:
                tree[i] += delta
                i += i & -i
        return delta

    def first_row(self, index: int) -> int:
        """The row on which paragraph `index` starts (sum of the rows before it)."""
        total = 0
        i = index
        tree = self._tree
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    def locate(self, row: int) -> tuple[int, int]:
        """(paragraph, row within it) for a document row; clamped to the document."""
        n = len(self._rows)
        if n == 0:
            return 0, 0
        if row >= self._total:
            return n - 1, self._rows[n - 1] - 1
        row = max(0, row)
        position = 0
        remaining = row
        step = 1 << n.bit_length()
        tree = self._tree
        while step:
            nxt = position + step
            if nxt <= n and tree[nxt] <= remaining:
                position = nxt
                remaining -= tree[nxt]
            step >>= 1
        return position, remaining
