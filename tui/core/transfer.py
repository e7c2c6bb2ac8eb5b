"""Export and import as whole operations: find the documents, open their annotations, run
a format, report what happened. The CLI (`hamish export` / `hamish import`) and the app
(`e`) both call these, so they cannot disagree.

Formats themselves live in `formats/`, one module each, behind one registry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .text.document import Document
from .errors import HamishError, LoadError
from .formats import EXPORTERS, IMPORTERS, ExportDocument, ExportReport, export, group_by_document, read_import
from .formats.merge import MergeReport, merge
from .labels import LabelSet
from .store.store import AnnotationStore

#: What an export is called next to its document, per format (the app's `e`).
SUFFIXES = {
    "jsonl": ".annotations.jsonl",
    "w3c": ".w3c.jsonld",
    "brat": ".brat",  # a directory
    "doccano": ".doccano.jsonl",
    "label-studio": ".label-studio.json",
    "csv": ".annotations.csv",
    "markdown": ".annotations.md",
}


class TransferError(HamishError):
    """An export or import that cannot be done (the message says why)."""


@dataclass
class Skipped:
    """A document left out of an export, and why."""

    path: str
    reason: str


def export_document(doc: Document, store: AnnotationStore) -> ExportDocument:
    """One open document with its annotations (re-anchored if the text changed)."""
    annotations = store.open(doc.path, doc.fingerprint, doc.text).annotations()
    return ExportDocument(path=doc.path, text=doc.text, fingerprint=doc.fingerprint, annotations=annotations)


def documents_for(paths: list[Path], store: AnnotationStore) -> Iterator[ExportDocument]:
    """The named documents, loaded from disk (a bad file stops the export: LoadError)."""
    for path in paths:
        yield export_document(Document.open(path), store)


def all_documents(store: AnnotationStore, skipped: list[Skipped]) -> Iterator[ExportDocument]:
    """Every document in the store whose file can still be read. Those that cannot (moved,
    deleted, unreadable) are listed in `skipped`, never silently dropped."""
    for meta, _annotations in store.documents():
        path = Path(str(meta.get("path", "")))
        try:
            doc = Document.open(path)
        except LoadError as exc:
            skipped.append(Skipped(str(path), exc.reason))
            continue
        yield export_document(doc, store)
    for file, reason in getattr(store, "skipped", []):
        skipped.append(Skipped(str(file), str(reason).removeprefix(f"{file}: ")))


def default_output(doc_path: Path, fmt: str) -> Path:
    """Where the app writes an export: next to the document."""
    return doc_path.with_name(doc_path.name + SUFFIXES[fmt])


def run_export(
    fmt: str, documents: Iterator[ExportDocument], out: Path | TextIO, labels: LabelSet
) -> ExportReport:
    if fmt not in EXPORTERS:
        raise TransferError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTERS)}")
    return export(fmt, documents, out, labels=labels)


def run_import(
    fmt: str,
    path: Path,
    store: AnnotationStore,
    annotator: str,
    labels: LabelSet,
    doc_path: Path | None = None,
) -> MergeReport:
    """Read an import file whole (a malformed one raises FormatError and changes nothing),
    then merge it into the store document by document."""
    if fmt not in IMPORTERS:
        raise TransferError(f"unknown import format {fmt!r}; choose one of {', '.join(IMPORTERS)}")
    if store.read_only:
        raise TransferError(f"{store.directory}: {store.read_only_reason or 'the store is read-only'}")
    cache: dict[Path, ExportDocument] = {}

    def document(reference: str | None) -> ExportDocument | None:
        target = doc_path or (Path(reference) if reference else None)
        if target is None:
            return None
        target = target.resolve() if target.exists() else target
        if target not in cache:
            # brat's DOC.txt is the exported text exactly: read it without dropping a BOM.
            opener = Document.open_exact if fmt == "brat" and doc_path is None else Document.open
            cache[target] = export_document(opener(target), store)
        return cache[target]

    imported = read_import(fmt, path, documents=document, labels=labels)
    groups = group_by_document(imported)
    # Every document must be known before anything is applied.
    targets = {reference: document(reference) for reference in groups}
    missing = [reference for reference, doc in targets.items() if doc is None]
    if missing:
        raise TransferError(f"{path}: the file names no document it belongs to: give it with --doc TEXTFILE")
    total = MergeReport()
    for reference, items in groups.items():
        doc = targets[reference]
        assert doc is not None
        total = total + merge(store.open(doc.path, doc.fingerprint, doc.text), doc, items, annotator)
    return total
