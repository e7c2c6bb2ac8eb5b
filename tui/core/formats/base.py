"""The types every format shares: what an exporter is given, what it reports, what an
importer returns, and the errors both raise.

Kept apart from `__init__.py` (the registry) so that each format module can import these
without importing every other format.

Offsets: Hamish counts Unicode code points into the normalised text (`\\r\\n` and `\\r`
read as `\\n`), end exclusive. A format that counts otherwise (doccano and Label Studio count
UTF-16 code units, as a browser does) converts on the way out and back (see utf16.py), and
every export says which unit it uses.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from ..store.annotation import Annotation
from ..store.durable import fsync_directory
from ..errors import HamishError
from ..labels import LabelSet

#: The offset units, as exports name them.
CODE_POINTS = "Unicode code points"
UTF16 = "UTF-16 code units"

#: The version of Hamish's own export metadata (the JSONL header, doccano/Label Studio meta).
EXPORT_VERSION = 1


class FormatError(HamishError):
    """An import file is malformed: the message names the file, the line (or JSON pointer)
    and the field at fault. Nothing of the file is applied."""

    def __init__(self, file: Path | str, where: str, problem: str) -> None:
        self.file = str(file)
        self.where = where
        self.problem = problem
        super().__init__(f"{file}: {where}: {problem}" if where else f"{file}: {problem}")


class ExportError(HamishError):
    """An export cannot be written (unknown format, unwritable path, wrong kind of target)."""


@dataclass(frozen=True)
class ExportDocument:
    """One document as the exporters see it."""

    #: The document file.
    path: Path
    #: Its normalised text: every offset indexes into this.
    text: str
    #: SHA-256 of `text` (UTF-8), as `Annotation.document` holds it.
    fingerprint: str
    #: In document order, orphans included. Exporters that need offsets skip orphans and
    #: count them (`ExportReport.skipped_orphans`); jsonl and markdown keep them.
    annotations: list[Annotation]


@dataclass
class ExportReport:
    """What an export wrote."""

    documents: int = 0
    #: Annotations written (one per annotation, however many labels it has).
    annotations: int = 0
    #: Orphaned annotations left out because their offsets mean nothing any more.
    skipped_orphans: int = 0
    #: Every file written, in the order written (empty when writing to a stream).
    files: list[Path] = field(default_factory=list)
    #: The unit the export's offsets count: CODE_POINTS or UTF16 (or a note, for markdown).
    offset_unit: str = CODE_POINTS
    format: str = ""

    def summary(self) -> str:
        """One line for the user."""
        orphans = f"; {self.skipped_orphans} orphaned left out" if self.skipped_orphans else ""
        return (
            f"exported {self.annotations} annotation(s) from {self.documents} document(s) "
            f"({self.format}, offsets in {self.offset_unit}{orphans})"
        )


@dataclass(frozen=True)
class ImportedAnnotation:
    """One annotation read from an import file, offsets already in code points.

    Nothing here has touched a store: `merge.merge` applies a list of these all at once.
    """

    #: Where it came from in the import file, for messages ("line 4", "T3", "/first/items/0").
    source: str
    #: The document reference the file gave (a path, or None where the file names none); the
    #: key that was passed to the `documents` look-up, so a caller can group by it.
    path: str | None
    #: Fingerprint of the document the look-up returned (None if it returned none).
    fingerprint: str | None
    start: int
    end: int
    labels: tuple[str, ...]
    note: str = ""
    annotator: str | None = None
    created: str | None = None
    updated: str | None = None
    #: The annotation's id where the format keeps one (jsonl, w3c); merge reuses it if free.
    id: str | None = None
    #: The span's text as the import file gives it (None if it gives none).
    exact: str | None = None
    #: Context kept by jsonl records (orphans need them; placed spans recompute them).
    prefix: str | None = None
    suffix: str | None = None
    #: A jsonl orphan: kept with its old offsets, imported as an orphan.
    orphaned: bool = False
    #: The fingerprint the file recorded for the text the offsets were made on (jsonl); an
    #: orphan keeps it, as the store does.
    recorded_document: str | None = None
    #: Why this annotation cannot be applied (its offsets do not match the document's text,
    #: or there is no document): reported, never shifted. None when it is fine.
    mismatch: str | None = None

    def problem(self) -> str:
        """The mismatch as a line for the user."""
        return f"{self.source}: {self.mismatch}"


#: Given the document reference an import file names (a path, or None when the file names
#: none), the document to check offsets against, or None if there is none. It may raise
#: HamishError (say, the file cannot be read): the importer reports that as a mismatch.
DocumentLookup = Callable[[str | None], "ExportDocument | None"]


@dataclass(frozen=True)
class Exporter:
    """A format that Hamish writes."""

    name: str
    #: CODE_POINTS or UTF16: what the written offsets count.
    offset_unit: str
    #: What the format is for, for pickers and --help.
    description: str
    #: write(documents, out, labels) -> ExportReport. Streams: record by record.
    write: Callable[..., ExportReport]
    #: True when `out` must be a directory (brat); the others take a file path or a stream.
    writes_directory: bool = False


@dataclass(frozen=True)
class Importer:
    """A format that Hamish reads back."""

    name: str
    #: read(path, documents) -> list[ImportedAnnotation]; raises FormatError.
    read: Callable[[Path, DocumentLookup], list[ImportedAnnotation]]
    #: True when files from other tools name no document (doccano, Label Studio), so the
    #: caller must name it (--doc); Hamish's own exports of these formats carry the path.
    #: brat finds DOC.txt beside DOC.ann.
    needs_document: bool = False


# --- helpers the formats share -------------------------------------------------------------

_ENCODER = json.JSONEncoder(ensure_ascii=False)
#: Characters that JSON leaves raw but that str.splitlines() (and JavaScript source, before
#: ES2019) treat as line breaks; control characters below U+0020 json escapes already.
_LINE_BREAKING = re.compile("[\x85\u2028\u2029]")


def encode_json(value: object) -> str:
    """Compact JSON with non-ASCII text as itself (Arabic stays readable, files stay small),
    except the three characters that would split a JSON line for a reader that splits on
    every Unicode line break: those are written as \\u escapes."""
    text = _ENCODER.encode(value)
    if _LINE_BREAKING.search(text):
        text = _LINE_BREAKING.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    return text



@contextmanager
def text_output(out: Path | TextIO, *, bom: bool = False) -> Iterator[TextIO]:
    """A text stream to write an export to.

    A Path is written through a temporary file in the same directory, fsynced and renamed
    over the target when the block ends without error: a failed or interrupted export never
    leaves half a file where a good one was. `newline=""`, so "\\n" is written as it is and
    offsets into written text stay true. A stream is used as it is (and not closed).
    """
    if not isinstance(out, Path):
        if bom:
            out.write("\ufeff")
        yield out
        return
    directory = out.parent if str(out.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise ExportError(f"{out}: cannot write: {_reason(exc)}") from None
    try:
        with open(handle, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, out)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise ExportError(f"{out}: cannot write: {_reason(exc)}") from None
        raise
    try:
        fsync_directory(directory)
    except OSError:
        pass  # the file is complete; only its survival of a power cut is in doubt


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def declared_labels(labels: LabelSet, seen: set[str] | dict[str, None]) -> list[str]:
    """The configured labels in order, then any other label an annotation used (sorted):
    what a format's label declaration (brat's annotation.conf, Label Studio's config) lists."""
    names = [label.name for label in labels]
    return names + sorted(name for name in seen if name not in names)


def canonical_label(name: str, labels: LabelSet | None) -> str:
    """`name` as the label set spells it when they match ignoring case ("Claim" -> "claim");
    otherwise `name` unchanged (a label the set does not know is kept, never dropped)."""
    if labels is not None:
        if labels.get(name) is not None:
            return name
        folded = name.casefold()
        for label in labels:
            if label.name.casefold() == folded:
                return label.name
    return name


def normalise_time(value: str) -> str | None:
    """An ISO 8601 time with an offset, as Hamish writes times (UTC, microseconds); None if
    `value` is not one."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def merge_notes(first: str, second: str) -> str:
    """Two notes as one: parts separated by " | ", a part already present not repeated, so
    importing the same note twice changes nothing. (See merge.py for why " | ".)"""
    if not second or second == first:
        return first
    if not first:
        return second
    parts = first.split(NOTE_SEPARATOR)
    for part in second.split(NOTE_SEPARATOR):
        if part not in parts:
            parts.append(part)
    return NOTE_SEPARATOR.join(parts)


#: How merged notes are joined.
NOTE_SEPARATOR = " | "


def check_span(text: str, start: int, end: int, exact: str | None) -> str | None:
    """Why the span `start`-`end` does not fit `text` (None if it does): past the end, or
    its text is not `exact`."""
    if end > len(text):
        return f"span {start}-{end} runs past the end of the document ({len(text)} characters)"
    if exact is not None and text[start:end] != exact:
        return (
            f"the document's text at {start}-{end} is {_clip(text[start:end])} "
            f"but the file says {_clip(exact)}"
        )
    return None


def _clip(value: str, limit: int = 40) -> str:
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(shown)


def lookup(documents: DocumentLookup, reference: str | None) -> tuple[ExportDocument | None, str | None]:
    """Call the caller's document look-up; a HamishError it raises becomes a reason."""
    try:
        document = documents(reference)
    except HamishError as exc:
        return None, f"document not available: {exc}"
    if document is None:
        if reference is None:
            return None, "the file names no document: give the document's text (--doc TEXTFILE)"
        return None, f"document not available: {reference}"
    return document, None


def is_count(value: object) -> bool:
    """A non-negative int (and not a bool, which JSON would never give but Python allows)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
