"""Apply imported annotations to one document's store, all at once or not at all.

The rules:

- Same document, same span, same label: already there, skipped (counted as a duplicate),
  so importing a file twice changes nothing.
- A label that the span's existing annotation lacks is added to that annotation (one
  annotation per span, as the reader makes them), and its `updated` time is now.
- A span with no annotation yet becomes a new annotation (`new_annotation`: its exact text,
  prefix and suffix are cut from the document). It keeps the imported id, annotator and times
  where the file had them (a jsonl round trip is exact) and the id is not taken; otherwise
  it gets a fresh id, the importing annotator and now.
- Notes: an equal note, or an empty one, changes nothing; a different note is appended to the
  existing one after " | ", unless that part is already there. Both are kept because neither
  side can be known to be the better one, and " | " because it reads as a separator in every
  format Hamish exports (CSV and Markdown show it as is) and repeated imports stay idempotent.
- A jsonl orphan (kept with its old offsets) is added as an orphan unless its id is present.
- An annotation whose offsets do not match the document's text (or with no document, or
  for another version of it) is rejected and reported with its reason: never shifted.

Everything is checked first and written with one `put_many`, so a failure (a read-only
store, a full disk: StoreWriteError) leaves the store file as it was.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from ..store.annotation import Annotation, new_annotation, utc_now
from ..errors import HamishError
from ..store.store import DocumentStore
from .base import ExportDocument, ImportedAnnotation, merge_notes, normalise_time


class MergeError(HamishError):
    """The store and the document disagree: nothing was merged."""


@dataclass
class MergeReport:
    """What a merge did (or, for `mismatches`, refused to do)."""

    #: New annotations.
    added: int = 0
    #: Labels added to annotations that were already there.
    labels_added: int = 0
    #: Labels already on their span (and orphans already present): skipped.
    duplicates: int = 0
    #: Existing annotations whose note gained the imported one.
    notes_merged: int = 0
    #: "SOURCE: reason" for every imported annotation that was not applied.
    mismatches: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len(self.mismatches)

    def __add__(self, other: MergeReport) -> MergeReport:
        return MergeReport(
            self.added + other.added,
            self.labels_added + other.labels_added,
            self.duplicates + other.duplicates,
            self.notes_merged + other.notes_merged,
            self.mismatches + other.mismatches,
        )

    def summary(self) -> str:
        parts = [f"{self.added} annotation(s) added", f"{self.labels_added} label(s) added to existing ones"]
        if self.notes_merged:
            parts.append(f"{self.notes_merged} note(s) merged")
        parts.append(f"{self.duplicates} duplicate(s) skipped")
        parts.append(f"{self.rejected} mismatched rejected")
        return "imported: " + ", ".join(parts)


def merge(
    store: DocumentStore,
    doc: ExportDocument,
    imported: list[ImportedAnnotation],
    annotator: str,
    *,
    now: str | None = None,
) -> MergeReport:
    """Merge `imported` (all for `doc`) into `store` (the store of `doc`, opened with its
    current text). One write; StoreWriteError if it fails; nothing applied if anything here
    raises."""
    if store.fingerprint != doc.fingerprint:
        raise MergeError(f"{doc.path}: the store holds annotations of another version of this text; open it first")
    stamp = now or utc_now()
    report = MergeReport()
    text = doc.text
    by_span: dict[tuple[int, int], Annotation] = {}
    changed: dict[str, Annotation] = {}
    taken_ids = {a.id for a in store.annotations()}

    for item in imported:
        reason = _reason(item, doc)
        if reason is not None:
            report.mismatches.append(f"{item.source}: {reason}")
            continue
        if item.orphaned:
            if item.id is not None and item.id in taken_ids:
                report.duplicates += 1
                continue
            orphan = _orphan(item, doc, annotator, stamp)
            taken_ids.add(orphan.id)
            changed[orphan.id] = orphan
            report.added += 1
            continue
        span = (item.start, item.end)
        existing = by_span.get(span) or store.at_span(*span)
        if existing is None:
            created = (item.created and normalise_time(item.created)) or stamp
            updated = (item.updated and normalise_time(item.updated)) or created
            fresh = new_annotation(
                text,
                doc.fingerprint,
                doc.path,
                item.start,
                item.end,
                labels=item.labels,
                note=item.note,
                annotator=item.annotator if item.annotator is not None else annotator,
                now=created,
            )
            if item.id and item.id not in taken_ids:
                fresh = replace(fresh, id=item.id)
            fresh = replace(fresh, updated=updated)
            taken_ids.add(fresh.id)
            by_span[span] = changed[fresh.id] = fresh
            report.added += 1
            continue
        new_labels = tuple(label for label in item.labels if label not in existing.labels)
        report.duplicates += len(item.labels) - len(new_labels)
        note = merge_notes(existing.note, item.note)
        if not new_labels and note == existing.note:
            by_span[span] = existing
            continue
        report.labels_added += len(new_labels)
        if note != existing.note:
            report.notes_merged += 1
        updated = replace(existing, labels=existing.labels + new_labels, note=note, updated=stamp)
        by_span[span] = changed[updated.id] = updated

    if changed:
        store.put_many(list(changed.values()))
    return report


def _reason(item: ImportedAnnotation, doc: ExportDocument) -> str | None:
    """Why `item` cannot be applied to `doc`, or None."""
    if item.mismatch is not None:
        return item.mismatch
    if item.fingerprint is not None and item.fingerprint != doc.fingerprint:
        return f"belongs to another document ({item.path})"
    if any(not label.strip() for label in item.labels):
        return "has an empty label"
    if item.orphaned:
        return None if item.exact is not None else "an orphan without its text cannot be kept"
    if not 0 <= item.start < item.end <= len(doc.text):
        return f"span {item.start}-{item.end} is not inside the document ({len(doc.text)} characters)"
    if item.exact is not None and doc.text[item.start : item.end] != item.exact:
        return f"the document's text at {item.start}-{item.end} is not the imported span's"
    if not item.labels and not item.note:
        return "has neither a label nor a note"
    return None


def _orphan(item: ImportedAnnotation, doc: ExportDocument, annotator: str, stamp: str) -> Annotation:
    """A jsonl orphan as the store keeps orphans: old offsets, old text, old fingerprint."""
    created = (item.created and normalise_time(item.created)) or stamp
    return Annotation(
        id=item.id or str(uuid.uuid4()),
        document=item.recorded_document or doc.fingerprint,
        path=str(doc.path),
        start=item.start,
        end=item.end,
        exact=item.exact or "",
        prefix=item.prefix or "",
        suffix=item.suffix or "",
        labels=item.labels,
        note=item.note,
        annotator=item.annotator if item.annotator is not None else annotator,
        created=created,
        updated=(item.updated and normalise_time(item.updated)) or created,
        orphaned=True,
    )
