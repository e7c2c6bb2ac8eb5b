"""Hamish's own format: JSON lines, one annotation per line with every field.

The round-trip format: nothing is lost, orphans included (with `"orphaned": true`). The
first line is a header that says what the file is and what its offsets count:

    {"hamish": {"version": 1, "kind": "annotations", "offset_unit": "code points", ...}}

then one `Annotation.to_record()` per line. The reader accepts files with or without the
header, validates every record with `Annotation.from_record` (so a damaged line is reported
with its line number and field), and never applies anything itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..store.annotation import Annotation, StoreFormatError
from ..labels import LabelSet
from .base import (
    CODE_POINTS,
    EXPORT_VERSION,
    DocumentLookup,
    ExportDocument,
    ExportReport,
    Exporter,
    FormatError,
    ImportedAnnotation,
    Importer,
    check_span,
    encode_json,
    lookup,
    text_output,
)

NAME = "jsonl"

#: The header's own offset-unit word, short as the brief for this format asks.
HEADER_UNIT = "code points"


def header() -> dict:
    return {
        "hamish": {
            "version": EXPORT_VERSION,
            "kind": "annotations",
            "offset_unit": HEADER_UNIT,
            "offsets": "start and end count Unicode code points in the document's normalised text "
            "(line breaks read as \\n), end exclusive",
        }
    }


def write(documents: Iterable[ExportDocument], out: Path | TextIO, labels: LabelSet) -> ExportReport:
    report = ExportReport(offset_unit=CODE_POINTS, format=NAME)
    encode = encode_json
    with text_output(out) as stream:
        stream.write(encode(header()) + "\n")
        for document in documents:
            report.documents += 1
            lines = [encode(annotation.to_record()) + "\n" for annotation in document.annotations]
            stream.writelines(lines)
            report.annotations += len(lines)
    if isinstance(out, Path):
        report.files.append(out)
    return report


def read(path: Path, documents: DocumentLookup) -> list[ImportedAnnotation]:
    """Every record of a JSONL export; FormatError on the first bad line."""
    found: dict[str | None, tuple[ExportDocument | None, str | None]] = {}
    result: list[ImportedAnnotation] = []
    seen_ids: dict[str, int] = {}
    for number, line in _lines(path):
        where = f"line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FormatError(path, where, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        if isinstance(record, dict) and "hamish" in record and len(record) == 1:
            _check_header(path, where, record["hamish"])
            continue
        try:
            annotation = Annotation.from_record(record, where)
        except StoreFormatError as exc:
            raise FormatError(path, "", str(exc)) from None
        if annotation.id in seen_ids:
            raise FormatError(path, where, f"field 'id': {annotation.id!r} was already used on line {seen_ids[annotation.id]}")
        seen_ids[annotation.id] = number
        if annotation.path not in found:
            found[annotation.path] = lookup(documents, annotation.path)
        document, missing = found[annotation.path]
        mismatch = missing
        if document is not None and not annotation.orphaned:
            mismatch = check_span(document.text, annotation.start, annotation.end, annotation.exact)
        result.append(
            ImportedAnnotation(
                source=f"{path.name}: {where}",
                path=annotation.path,
                fingerprint=document.fingerprint if document is not None else None,
                start=annotation.start,
                end=annotation.end,
                labels=annotation.labels,
                note=annotation.note,
                annotator=annotation.annotator,
                created=annotation.created,
                updated=annotation.updated,
                id=annotation.id,
                exact=annotation.exact,
                prefix=annotation.prefix,
                suffix=annotation.suffix,
                orphaned=annotation.orphaned,
                recorded_document=annotation.document,
                mismatch=mismatch,
            )
        )
    return result


def _lines(path: Path):
    """(line number, text) of every non-blank line; a BOM is allowed, bad UTF-8 is not."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            for number, line in enumerate(stream, 1):
                if line.strip():
                    yield number, line
    except UnicodeDecodeError as exc:
        raise FormatError(path, "", f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise FormatError(path, "", f"cannot read: {exc.strerror or exc}") from None


def _check_header(path: Path, where: str, meta: object) -> None:
    if not isinstance(meta, dict):
        raise FormatError(path, where, "field 'hamish' must be an object")
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormatError(path, where, f"field 'hamish.version' must be a positive integer, not {version!r}")
    if version > EXPORT_VERSION:
        raise FormatError(path, where, f"written by a newer Hamish (version {version}; this one reads up to {EXPORT_VERSION})")
    unit = meta.get("offset_unit", HEADER_UNIT)
    if unit not in (HEADER_UNIT, CODE_POINTS):
        raise FormatError(path, where, f"field 'hamish.offset_unit' is {unit!r}; Hamish's JSONL counts code points")


EXPORTER = Exporter(NAME, CODE_POINTS, "Hamish JSON lines: every field, lossless (code points)", write)
IMPORTER = Importer(NAME, read)
