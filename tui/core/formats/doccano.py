"""doccano sequence-labelling JSONL (https://doccano.github.io/doccano/): one line per document.

    {"id": 1, "text": "…", "label": [[0, 12, "claim"], [0, 12, "quote"], ...],
     "comments": [[0, 12, "a note"]], "path": "…", "fingerprint": "…",
     "offset_unit": "UTF-16 code units"}

Offsets are what doccano's browser counts: UTF-16 code units (an emoji or any astral
character counts 2), converted from and back to Hamish's code points in utf16.py. An
annotation with several labels is several `label` entries on the same span. doccano keeps
columns it does not know as the example's metadata, so the note (`comments`, same shape as
`label`), the document path, its fingerprint and the offset unit travel in them. Orphans
are left out and counted.

Reading accepts `label` or the older `labels`, entries as [start, end, label] or as
{"start_offset", "end_offset", "label"} objects, and offsets are checked against the line's
own text (outside it, or splitting a surrogate pair: malformed) and then against the
document's (different: a mismatch, reported).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..labels import LabelSet
from .base import (
    EXPORT_VERSION,
    UTF16,
    DocumentLookup,
    ExportDocument,
    ExportReport,
    Exporter,
    FormatError,
    ImportedAnnotation,
    Importer,
    check_span,
    encode_json,
    is_count,
    lookup,
    merge_notes,
    text_output,
)
from .utf16 import OffsetError, Utf16Offsets

NAME = "doccano"


def write(documents: Iterable[ExportDocument], out: Path | TextIO, labels: LabelSet) -> ExportReport:
    report = ExportReport(offset_unit=UTF16, format=NAME)
    with text_output(out) as stream:
        for number, document in enumerate(documents, 1):
            report.documents += 1
            offsets = Utf16Offsets(document.text)
            spans: list[list] = []
            comments: list[list] = []
            for annotation in document.annotations:
                if annotation.orphaned:
                    report.skipped_orphans += 1
                    continue
                start, end = offsets.to_utf16(annotation.start), offsets.to_utf16(annotation.end)
                spans += [[start, end, label] for label in annotation.labels]
                if annotation.note:
                    comments.append([start, end, annotation.note])
                report.annotations += 1
            record = {
                "id": number,
                "text": document.text,
                "label": spans,
                "comments": comments,
                "path": str(document.path),
                "fingerprint": document.fingerprint,
                "offset_unit": UTF16,
                "hamish_version": EXPORT_VERSION,
            }
            stream.write(encode_json(record) + "\n")
    if isinstance(out, Path):
        report.files.append(out)
    return report


def read(path: Path, documents: DocumentLookup) -> list[ImportedAnnotation]:
    result: list[ImportedAnnotation] = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            lines = list(enumerate(stream, 1))
    except UnicodeDecodeError as exc:
        raise FormatError(path, "", f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise FormatError(path, "", f"cannot read: {exc.strerror or exc}") from None
    found: dict[str | None, tuple[ExportDocument | None, str | None]] = {}
    for number, line in lines:
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FormatError(path, where, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(record, dict):
            raise FormatError(path, where, "must be an object with 'text' and 'label'")
        text = record.get("text", record.get("data"))
        if not isinstance(text, str):
            raise FormatError(path, where, "field 'text' is missing or not a string")
        unit = record.get("offset_unit", UTF16)
        if unit != UTF16:
            raise FormatError(path, where, f"field 'offset_unit' is {unit!r}; doccano offsets are {UTF16}")
        reference = record.get("path")
        if reference is not None and not isinstance(reference, str):
            raise FormatError(path, where, "field 'path' must be a string")
        if reference not in found:
            found[reference] = lookup(documents, reference)
        document, missing = found[reference]
        offsets = Utf16Offsets(text)
        key = "label" if "label" in record else "labels"
        entries = _entries(path, where, key, record.get(key, []), offsets)
        notes: dict[tuple[int, int], str] = {}
        for key_name in ("comments", "Comments"):
            if key_name in record:
                for start, end, note in _entries(path, where, key_name, record[key_name], offsets, allow_empty=True):
                    notes[(start, end)] = merge_notes(notes.get((start, end), ""), note)
        by_span: dict[tuple[int, int], list[str]] = {}
        for start, end, label in entries:
            by_span.setdefault((start, end), []).append(label)
        for span in notes:  # a note on a span with no label is still an annotation
            by_span.setdefault(span, [])
        for (start, end), names in by_span.items():
            exact = text[start:end]
            mismatch = missing if document is None else check_span(document.text, start, end, exact)
            result.append(
                ImportedAnnotation(
                    source=f"{path.name}: {where} ({start}-{end})",
                    path=reference,
                    fingerprint=document.fingerprint if document is not None else None,
                    start=start,
                    end=end,
                    labels=tuple(dict.fromkeys(names)),
                    note=notes.get((start, end), ""),
                    exact=exact,
                    mismatch=mismatch,
                )
            )
    return result


def _entries(
    path: Path, where: str, field: str, value: object, offsets: Utf16Offsets, allow_empty: bool = False
) -> list[tuple[int, int, str]]:
    """[start, end, text] entries with their UTF-16 offsets as code points; FormatError names
    the entry at fault."""
    if not isinstance(value, list):
        raise FormatError(path, where, f"field '{field}' must be a list of [start, end, label]")
    result = []
    for i, entry in enumerate(value):
        at = f"field '{field}' entry {i + 1}"
        if isinstance(entry, dict):
            entry = [entry.get("start_offset"), entry.get("end_offset"), entry.get("label", entry.get("text"))]
        if not isinstance(entry, list) or len(entry) != 3:
            raise FormatError(path, where, f"{at}: must be [start, end, {'text' if allow_empty else 'label'}], not {entry!r:.60}")
        start, end, name = entry
        if not is_count(start) or not is_count(end):
            raise FormatError(path, where, f"{at}: start and end must be non-negative integers, not {start!r}, {end!r}")
        if end <= start:
            raise FormatError(path, where, f"{at}: end ({end}) must be after start ({start})")
        if not isinstance(name, str) or (not allow_empty and not name.strip()):
            raise FormatError(path, where, f"{at}: the {'text' if allow_empty else 'label'} must be a non-empty string")
        try:
            start, end = offsets.from_utf16(start), offsets.from_utf16(end)
        except OffsetError as exc:
            raise FormatError(path, where, f"{at}: {exc}") from None
        result.append((start, end, name if allow_empty else name.strip()))
    return result


EXPORTER = Exporter(NAME, UTF16, "doccano JSONL (UTF-16 code units)", write)
IMPORTER = Importer(NAME, read, needs_document=True)
