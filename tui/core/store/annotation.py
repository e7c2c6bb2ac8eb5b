"""One annotation: a span of a document's text with labels, a note and who made it.

Offsets count Unicode code points in logical order, end exclusive, into the document text
whose SHA-256 is `document`. The span's own text (`exact`) and up to CONTEXT_CHARS code
points either side (`prefix`, `suffix`) are stored too, so the span can be found again after
the file is edited (see anchoring.py) and so an export means something without the file.

An annotation is immutable: a change makes a new value with `updated` set, which is what
undo (history.py) keeps. Records read from disk are validated field by field here, so a
damaged file is reported with the record and field at fault instead of failing later.

The store's errors are defined here rather than in store.py because `from_record` raises
them and store.py imports this module; store.py re-exports them.
"""

from __future__ import annotations

import getpass
import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from ..errors import HamishError

SCHEMA_VERSION = 1
CONTEXT_CHARS = 32

_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")


class StoreError(HamishError):
    """The annotation store cannot do what was asked; the message names the file."""


class StoreFormatError(StoreError):
    """A store file does not parse or has the wrong shape (the "corrupt" case).

    `path` is the file at fault (None while a record is validated on its own; the store
    fills it in). The file is never modified after this error.
    """

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class StoreTooNewError(StoreError):
    """A store file was written by a newer Hamish, with a schema this one does not know."""

    def __init__(self, path: Path, schema: int) -> None:
        super().__init__(
            f"{path}: was written by a newer Hamish (schema {schema}; this one reads up to {SCHEMA_VERSION})"
        )
        self.path = path
        self.schema = schema


class StoreWriteError(StoreError):
    """A change could not be written to disk (it may still be held in memory: see the message)."""


@dataclass(frozen=True)
class Annotation:
    id: str
    #: SHA-256 hex of the text the offsets refer to.
    document: str
    #: Absolute path of the document when annotated.
    path: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    labels: tuple[str, ...]
    note: str
    annotator: str
    #: ISO 8601 UTC with microseconds, e.g. "2026-11-24T08:30:00.123456+00:00".
    created: str
    updated: str
    #: Could not be re-anchored after the document changed: kept with its old offsets, never dropped.
    orphaned: bool = False
    schema: int = SCHEMA_VERSION

    def to_record(self) -> dict:
        """A JSON-ready dict (labels as a list); `from_record` reads it back."""
        return {
            "id": self.id,
            "document": self.document,
            "path": self.path,
            "start": self.start,
            "end": self.end,
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "labels": list(self.labels),
            "note": self.note,
            "annotator": self.annotator,
            "created": self.created,
            "updated": self.updated,
            "orphaned": self.orphaned,
            "schema": self.schema,
        }

    @classmethod
    def from_record(cls, record: object, where: str) -> Annotation:
        """Validate a stored record; `where` prefixes every error ("FILE: annotation 7")."""
        if not isinstance(record, dict):
            raise StoreFormatError(f"{where}: must be an object, not {_kind(record)}")

        def field(name: str, check, wanted: str, default: object = ...) -> object:
            if name not in record:
                if default is not ...:
                    return default
                raise StoreFormatError(f"{where}: field '{name}' is missing")
            value = record[name]
            if not check(value):
                raise StoreFormatError(f"{where}: field '{name}' must be {wanted}, not {value!r:.60}")
            return value

        def text(value: object) -> bool:
            return isinstance(value, str)

        def count(value: object) -> bool:
            return isinstance(value, int) and not isinstance(value, bool) and value >= 0

        def timestamp(value: object) -> bool:
            if not isinstance(value, str):
                return False
            try:
                return datetime.fromisoformat(value).tzinfo is not None
            except ValueError:
                return False

        schema = field("schema", lambda v: count(v) and v >= 1, "a positive integer", SCHEMA_VERSION)
        if schema > SCHEMA_VERSION:
            raise StoreFormatError(
                f"{where}: written by a newer Hamish (schema {schema}; this one reads up to {SCHEMA_VERSION})"
            )
        ident = field("id", lambda v: isinstance(v, str) and v.strip() != "", "a non-empty string")
        document = field("document", lambda v: isinstance(v, str) and bool(_FINGERPRINT.match(v)), "a SHA-256 hex digest")
        path = field("path", text, "a string")
        start = field("start", count, "a non-negative integer")
        end = field("end", count, "a non-negative integer")
        if end < start:
            raise StoreFormatError(f"{where}: field 'end' ({end}) must not be before 'start' ({start})")
        exact = field("exact", text, "a string")
        prefix = field("prefix", text, "a string")
        suffix = field("suffix", text, "a string")
        labels = field(
            "labels",
            lambda v: isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v),
            "a list of non-empty strings",
        )
        if len(set(labels)) != len(labels):
            raise StoreFormatError(f"{where}: field 'labels' repeats a label: {labels!r:.60}")
        note = field("note", text, "a string")
        annotator = field("annotator", text, "a string")
        created = field("created", timestamp, "an ISO 8601 time with a UTC offset")
        updated = field("updated", timestamp, "an ISO 8601 time with a UTC offset")
        orphaned = field("orphaned", lambda v: isinstance(v, bool), "true or false", False)
        # An orphan's offsets were clamped into a shorter text, so only a placed span must agree.
        if not orphaned and len(exact) != end - start:
            raise StoreFormatError(
                f"{where}: field 'exact' has {len(exact)} characters but the span {start}-{end} has {end - start}"
            )
        return cls(
            id=ident,
            document=document,
            path=path,
            start=start,
            end=end,
            exact=exact,
            prefix=prefix,
            suffix=suffix,
            labels=tuple(labels),
            note=note,
            annotator=annotator,
            created=created,
            updated=updated,
            orphaned=orphaned,
            schema=schema,
        )


def new_annotation(
    text: str,
    fingerprint: str,
    path: str | Path,
    start: int,
    end: int,
    *,
    labels: tuple[str, ...] | list[str] = (),
    note: str = "",
    annotator: str,
    now: str | None = None,
) -> Annotation:
    """A fresh annotation of `text[start:end]`, its context cut from `text`."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"span {start}-{end} is not a non-empty span of a {len(text)}-character text")
    stamp = now or utc_now()
    return Annotation(
        id=str(uuid.uuid4()),
        document=fingerprint,
        path=str(path),
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        labels=_unique(labels),
        note=note,
        annotator=annotator,
        created=stamp,
        updated=stamp,
    )


def with_labels(annotation: Annotation, labels: tuple[str, ...] | list[str], now: str | None = None) -> Annotation:
    """The annotation with these labels (order kept, repeats dropped) and `updated` now."""
    return replace(annotation, labels=_unique(labels), updated=now or utc_now())


def toggle_label(annotation: Annotation, label: str, now: str | None = None) -> Annotation:
    """The annotation with `label` added if absent, removed if present."""
    if label in annotation.labels:
        return with_labels(annotation, tuple(x for x in annotation.labels if x != label), now)
    return with_labels(annotation, annotation.labels + (label,), now)


def with_note(annotation: Annotation, note: str, now: str | None = None) -> Annotation:
    """The annotation with this note and `updated` now."""
    return replace(annotation, note=note, updated=now or utc_now())


def utc_now() -> str:
    """Now in UTC, ISO 8601 with microseconds always present (so strings sort as times)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def default_annotator() -> str:
    """The login name, or "unknown" where there is none (containers, odd platforms)."""
    try:
        name = getpass.getuser()
    except Exception:  # getuser raises KeyError, OSError or ImportError depending on platform
        return "unknown"
    return name or "unknown"


def _unique(labels: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(labels))


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", type(None): "null", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )
