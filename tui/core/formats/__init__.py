"""Export and import formats: one module per format, all behind this registry.

    export(fmt, documents, out, labels=...)          -> ExportReport
    read_import(fmt, path, documents=..., labels=...) -> list[ImportedAnnotation]
    merge.merge(store, document, imported, annotator) -> MergeReport

Exports stream (record by record) and state their offset unit; imports read the whole file
first and raise FormatError (file, line or JSON pointer, field) before anything is applied,
and report offsets that do not match the document's text instead of shifting them. Applying
is merge.py's job, all at once.

No module here imports Textual: the CLI and the app both call these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from ..labels import LabelSet
from . import brat, csvfile, doccano, jsonl, label_studio, markdown_report, w3c
from .base import (
    CODE_POINTS,
    UTF16,
    DocumentLookup,
    ExportDocument,
    ExportError,
    ExportReport,
    Exporter,
    FormatError,
    ImportedAnnotation,
    Importer,
    canonical_label,
)

__all__ = [
    "CODE_POINTS",
    "EXPORTERS",
    "IMPORTERS",
    "UTF16",
    "DocumentLookup",
    "ExportDocument",
    "ExportError",
    "ExportReport",
    "Exporter",
    "FormatError",
    "ImportedAnnotation",
    "Importer",
    "export",
    "group_by_document",
    "read_import",
]

EXPORTERS: dict[str, Exporter] = {
    module.EXPORTER.name: module.EXPORTER
    for module in (jsonl, w3c, brat, doccano, label_studio, csvfile, markdown_report)
}

IMPORTERS: dict[str, Importer] = {
    module.IMPORTER.name: module.IMPORTER for module in (jsonl, w3c, brat, doccano, label_studio)
}


def export(fmt: str, documents: Iterable[ExportDocument], out: Path | TextIO, *, labels: LabelSet) -> ExportReport:
    """Write `documents` in format `fmt` to `out` (a file path, a stream, or for brat a
    directory). Raises ExportError for an unknown format or a target that cannot be written."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTERS)}")
    return exporter.write(documents, out, labels)


def read_import(
    fmt: str, path: Path, *, documents: DocumentLookup, labels: LabelSet | None = None
) -> list[ImportedAnnotation]:
    """Read an import file whole. Raises FormatError if any of it is malformed (nothing is
    applied: this only reads). Label names are mapped onto `labels` ignoring case ("Claim"
    from brat becomes "claim"); names the set does not know are kept as they are.

    `documents(reference)` is asked for each document the file refers to (a path, or None
    when the file names none: doccano and Label Studio files from other tools), and gives
    the document whose text the offsets are checked against, or None.
    """
    importer = IMPORTERS.get(fmt)
    if importer is None:
        raise FormatError(path, "", f"cannot import format {fmt!r}; choose one of {', '.join(IMPORTERS)}")
    if not path.exists():
        raise FormatError(path, "", "no such file or directory")
    items = importer.read(path, documents)
    if labels is None:
        return items
    result = []
    for item in items:
        names = tuple(dict.fromkeys(canonical_label(name, labels) for name in item.labels))
        result.append(item if names == item.labels else replace(item, labels=names))
    return result


def group_by_document(items: list[ImportedAnnotation]) -> dict[str | None, list[ImportedAnnotation]]:
    """Imported annotations by the document reference they came with, in file order."""
    groups: dict[str | None, list[ImportedAnnotation]] = {}
    for item in items:
        groups.setdefault(item.path, []).append(item)
    return groups
