"""Undo and redo of annotation changes, for one session.

Every edit is recorded as a `Change` from one annotation value to another (None on either
side for a creation or a deletion). Undoing hands back the inverse change, which the caller
applies to the store like any other (`DocumentStore.apply`), so undo is as durable as an
edit. A change whose write failed is still recorded: the store keeps it in memory and
retries, so the history must describe it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from .annotation import Annotation


@dataclass(frozen=True)
class Change:
    #: The annotation before the change; None if it did not exist.
    before: Annotation | None
    #: The annotation after the change; None if it was deleted.
    after: Annotation | None

    def __post_init__(self) -> None:
        if self.before is None and self.after is None:
            raise ValueError("a change needs an annotation before or after it")
        if self.before is not None and self.after is not None and self.before.id != self.after.id:
            raise ValueError("a change must keep the annotation's id")

    def inverse(self) -> Change:
        return Change(before=self.after, after=self.before)


class History:
    """Two stacks of changes; unbounded within a session."""

    def __init__(self) -> None:
        self._undo: list[Change] = []
        self._redo: list[Change] = []

    def record(self, change: Change) -> None:
        """Remember a change just made; a new change makes the undone ones unreachable."""
        self._undo.append(change)
        self._redo.clear()

    def undo(self) -> Change | None:
        """The change to apply to undo the last one (already inverted), or None."""
        if not self._undo:
            return None
        change = self._undo.pop()
        self._redo.append(change)
        return change.inverse()

    def redo(self) -> Change | None:
        """The change to apply to redo the last undone one, or None."""
        if not self._redo:
            return None
        change = self._redo.pop()
        self._undo.append(change)
        return change

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
