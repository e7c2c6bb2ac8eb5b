"""An annotating session over one document: what the reader's keys do, without Textual.

It ties a document, its annotation file (`DocumentStore`), the label set, the annotator's
name and an undo history together. Every change goes to the store, which has it on disk
before `apply` returns; if the write fails the store keeps the change in memory and raises
`StoreWriteError`, and the session still records it (it happened, it is just not saved yet),
so the UI can say so and retry.

Annotations are the ones the store holds; spans are logical offsets (code points).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter

from .store.annotation import Annotation, StoreWriteError, new_annotation, toggle_label, with_labels, with_note
from .text.document import Document
from .store.history import Change, History
from .labels import LabelSet
from .store.store import DocumentStore

Span = tuple[int, int]


class Session:
    """Tag, note, undo and find annotations of one open document."""

    def __init__(self, doc: Document, store: DocumentStore, labels: LabelSet, annotator: str) -> None:
        self.doc = doc
        self.store = store
        self.labels = labels
        self.annotator = annotator
        self.history = History()
        self._placed: list[Annotation] | None = None
        self._starts: list[int] = []

    # -- reading ---------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def at(self, span: Span) -> Annotation | None:
        return self.store.at_span(*span)

    def annotations(self) -> list[Annotation]:
        """All annotations, orphans included, in document order."""
        return self.store.annotations()

    def orphans(self) -> list[Annotation]:
        return [a for a in self.store.annotations() if a.orphaned]

    def _index(self) -> list[Annotation]:
        if self._placed is None:
            self._placed = [a for a in self.store.annotations() if not a.orphaned]
            self._starts = [a.start for a in self._placed]
        return self._placed

    def overlapping(self, start: int, end: int) -> list[Annotation]:
        """Placed annotations that overlap `[start, end)`, in document order."""
        placed = self._index()
        # Sentence annotations do not nest, so looking back a few is enough; but a long
        # annotation may start well before: walk back while spans still reach `start`.
        i = bisect_left(self._starts, start)
        while i > 0 and placed[i - 1].end > start:
            i -= 1
        out = []
        for annotation in placed[i:]:
            if annotation.start >= end:
                break
            if annotation.end > start:
                out.append(annotation)
        return out

    def is_tagged(self, span: Span) -> bool:
        annotation = self.at(span)
        return annotation is not None and bool(annotation.labels)

    def tagged_count(self) -> int:
        """Placed annotations that carry at least one label."""
        return sum(1 for a in self._index() if a.labels)

    def label_counts(self) -> Counter[str]:
        """How many placed annotations carry each label."""
        counts: Counter[str] = Counter()
        for annotation in self._index():
            counts.update(annotation.labels)
        return counts

    def next_annotated(self, offset: int) -> Annotation | None:
        """The first placed annotation starting after `offset`."""
        placed = self._index()
        i = bisect_right(self._starts, offset)
        return placed[i] if i < len(placed) else None

    def previous_annotated(self, offset: int) -> Annotation | None:
        """The last placed annotation starting before `offset`."""
        placed = self._index()
        i = bisect_left(self._starts, offset)
        return placed[i - 1] if i > 0 else None

    # -- changing ---------------------------------------------------------------------------

    def toggle(self, span: Span, label: str) -> Annotation | None:
        """Add `label` to the sentence, or take it off if it is there. Returns the result
        (None when the sentence is left with no label and no note)."""
        before = self.at(span)
        if before is None:
            after = self._new(span, labels=(label,))
        else:
            after = toggle_label(before, label)
            if not after.labels and not after.note:
                after = None
        self._commit(Change(before, after))
        return after

    def clear(self, span: Span) -> bool:
        """Take every label off the sentence (a note stays). False if it had none."""
        before = self.at(span)
        if before is None or not before.labels:
            return False
        after = with_labels(before, ()) if before.note else None
        self._commit(Change(before, after))
        return True

    def set_note(self, span: Span, note: str) -> bool:
        """Set (or, with an empty note, remove) the sentence's note. False if nothing changed."""
        before = self.at(span)
        if before is None:
            if not note:
                return False
            after: Annotation | None = self._new(span, note=note)
        else:
            if before.note == note:
                return False
            after = with_note(before, note)
            if not after.labels and not after.note:
                after = None
        self._commit(Change(before, after))
        return True

    def undo(self) -> Change | None:
        """Undo the last change (on disk like any change). None if there is nothing to undo."""
        if self.read_only:
            raise StoreWriteError(self.store.read_only_reason or "the store is read-only")
        change = self.history.undo()
        if change is not None:
            self._apply(change)
        return change

    def redo(self) -> Change | None:
        if self.read_only:
            raise StoreWriteError(self.store.read_only_reason or "the store is read-only")
        change = self.history.redo()
        if change is not None:
            self._apply(change)
        return change

    def _new(self, span: Span, *, labels: tuple[str, ...] = (), note: str = "") -> Annotation:
        return new_annotation(
            self.doc.text,
            self.doc.fingerprint,
            self.doc.path.resolve() if self.doc.path.exists() else self.doc.path,
            span[0],
            span[1],
            labels=labels,
            note=note,
            annotator=self.annotator,
        )

    def _commit(self, change: Change) -> None:
        if self.read_only:
            raise StoreWriteError(self.store.read_only_reason or "the store is read-only")
        try:
            self._apply(change)
        finally:
            # A failed write still changed the store's memory (it retries): keep it undoable.
            if change.after is None or self.store.get(change.after.id) == change.after:
                self.history.record(change)

    def _apply(self, change: Change) -> None:
        try:
            self.store.apply(change)
        finally:
            self._placed = None
