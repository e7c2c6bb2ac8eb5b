"""Label Studio tasks (https://labelstud.io/guide/task_format), with the labeling config.

A JSON list of tasks, one per document, written task by task:

    {"id": 1, "data": {"text": "…", "path": "…", "fingerprint": "…"},
     "meta": {"offset_unit": "UTF-16 code units", ...},
     "annotations": [{"result": [
        {"id": "a1b2c3d4e5", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 12, "text": "…", "labels": ["claim", "quote"]}},
        {"id": "a1b2c3d4e5", "from_name": "note", "to_name": "text", "type": "textarea",
         "value": {"start": 0, "end": 12, "text": ["the note"]}}]}]}

Offsets are JavaScript string indices (UTF-16 code units: an emoji counts 2), converted in
utf16.py; `value.text` is exactly the text those offsets select, which is what Label Studio
checks. One region per annotation, all its labels on it (`choice="multiple"`); the note is a
per-region TextArea result sharing the region's id, as Label Studio writes them.

The labeling config (`<View>` with `<Labels name="label" toName="text">`, `<Text name="text"
value="$text"/>` and the per-region `<TextArea name="note">`) is written next to the tasks
file as `NAME.label-config.xml` (not when writing to a stream: `label_config` gives it).

Reading takes a list of tasks (or one task), reads `labels` results and per-region
`textarea` notes from every annotation (predictions are suggestions, not annotations, and are
skipped), checks `value.text` against the task's own text (the peers' "exported offsets that
do not match the text" bug is reported as a mismatch), and converts offsets back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import quoteattr

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
    declared_labels,
    is_count,
    lookup,
    merge_notes,
    text_output,
)
from .utf16 import OffsetError, Utf16Offsets

NAME = "label-studio"
CONFIG_SUFFIX = ".label-config.xml"


def label_config(labels: LabelSet, seen: Iterable[str] = ()) -> str:
    """The labeling config that matches the tasks: every configured label (with its colour)
    and any other label the tasks use."""
    names = declared_labels(labels, dict.fromkeys(seen))
    lines = [
        "<View>",
        "  <!-- Written by Hamish. Region offsets are UTF-16 code units (JavaScript string indices). -->",
        '  <Labels name="label" toName="text" choice="multiple">',
    ]
    for name in names:
        label = labels.get(name)
        colour = f" background={quoteattr(label.colour)}" if label else ""
        lines.append(f"    <Label value={quoteattr(name)}{colour}/>")
    lines += [
        "  </Labels>",
        '  <Text name="text" value="$text"/>',
        '  <TextArea name="note" toName="text" perRegion="true" editable="true" placeholder="Note"/>',
        "</View>",
    ]
    return "\n".join(lines) + "\n"


def config_path(out: Path) -> Path:
    """Where the config goes for tasks written to `out`: beside it, same stem."""
    return out.with_name(out.stem + CONFIG_SUFFIX)


def region_id(annotation_id: str, used: set[str]) -> str:
    """A short region id (Label Studio uses 10 characters), unique within its task."""
    base = "".join(c for c in annotation_id if c.isalnum())[:10] or "region"
    ident, n = base, 1
    while ident in used:
        n += 1
        ident = f"{base}-{n}"
    used.add(ident)
    return ident


def write(documents: Iterable[ExportDocument], out: Path | TextIO, labels: LabelSet) -> ExportReport:
    report = ExportReport(offset_unit=UTF16, format=NAME)
    seen: dict[str, None] = {}
    encode = encode_json
    with text_output(out) as stream:
        stream.write("[")
        for number, document in enumerate(documents, 1):
            report.documents += 1
            offsets = Utf16Offsets(document.text)
            results: list[dict] = []
            used: set[str] = set()
            for annotation in document.annotations:
                if annotation.orphaned:
                    report.skipped_orphans += 1
                    continue
                start, end = offsets.to_utf16(annotation.start), offsets.to_utf16(annotation.end)
                ident = region_id(annotation.id, used)
                seen.update(dict.fromkeys(annotation.labels))
                results.append(
                    {
                        "id": ident,
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "origin": "manual",
                        "value": {
                            "start": start,
                            "end": end,
                            "text": document.text[annotation.start : annotation.end],
                            "labels": list(annotation.labels),
                        },
                    }
                )
                if annotation.note:
                    results.append(
                        {
                            "id": ident,
                            "from_name": "note",
                            "to_name": "text",
                            "type": "textarea",
                            "origin": "manual",
                            "value": {"start": start, "end": end, "text": [annotation.note]},
                        }
                    )
                report.annotations += 1
            task = {
                "id": number,
                "data": {"text": document.text, "path": str(document.path), "fingerprint": document.fingerprint},
                "meta": {"offset_unit": UTF16, "generator": "Hamish", "hamish_version": EXPORT_VERSION},
                "annotations": [{"result": results, "ground_truth": False, "was_cancelled": False}],
            }
            stream.write(("\n" if number == 1 else ",\n") + encode(task))
        stream.write("\n]\n")
    if isinstance(out, Path):
        report.files.append(out)
        config = config_path(out)
        with text_output(config) as stream:
            stream.write(label_config(labels, seen))
        report.files.append(config)
    return report


# --- reading -------------------------------------------------------------------------------


def read(path: Path, documents: DocumentLookup) -> list[ImportedAnnotation]:
    try:
        with open(path, encoding="utf-8-sig") as stream:
            data = json.load(stream)
    except json.JSONDecodeError as exc:
        raise FormatError(path, f"line {exc.lineno}", f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except UnicodeDecodeError as exc:
        raise FormatError(path, "", f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise FormatError(path, "", f"cannot read: {exc.strerror or exc}") from None
    if isinstance(data, dict):
        tasks, prefix = [data], ""
    elif isinstance(data, list):
        tasks, prefix = data, None
    else:
        raise FormatError(path, "/", "must be a list of tasks (or one task object)")
    found: dict[str | None, tuple[ExportDocument | None, str | None]] = {}
    result: list[ImportedAnnotation] = []
    for i, task in enumerate(tasks):
        pointer = f"/{i}" if prefix is None else ""
        result += _read_task(path, pointer, task, documents, found)
    return result


def _read_task(path: Path, pointer: str, task: object, documents: DocumentLookup, found: dict) -> list[ImportedAnnotation]:
    def fail(at: str, problem: str) -> FormatError:
        return FormatError(path, at or "/", problem)

    if not isinstance(task, dict):
        raise fail(pointer, "a task must be an object with 'data'")
    data = task.get("data")
    if not isinstance(data, dict):
        raise fail(f"{pointer}/data", "field 'data' is missing or not an object")
    text = data.get("text")
    if not isinstance(text, str):
        raise fail(f"{pointer}/data/text", "field 'text' is missing or not a string")
    meta = task.get("meta")
    if isinstance(meta, dict) and meta.get("offset_unit", UTF16) != UTF16:
        raise fail(f"{pointer}/meta/offset_unit", f"Label Studio offsets are {UTF16}, not {meta['offset_unit']!r}")
    reference = data.get("path")
    if reference is not None and not isinstance(reference, str):
        raise fail(f"{pointer}/data/path", "field 'path' must be a string")
    if reference not in found:
        found[reference] = lookup(documents, reference)
    document, missing = found[reference]
    offsets = Utf16Offsets(text)
    annotations = task.get("annotations", [])
    if not isinstance(annotations, list):
        raise fail(f"{pointer}/annotations", "field 'annotations' must be a list")

    items: list[ImportedAnnotation] = []
    for a, annotation in enumerate(annotations):
        at_annotation = f"{pointer}/annotations/{a}"
        if not isinstance(annotation, dict):
            raise fail(at_annotation, "an annotation must be an object with 'result'")
        if annotation.get("was_cancelled"):
            continue  # skipped by its annotator: not an annotation
        results = annotation.get("result", [])
        if not isinstance(results, list):
            raise fail(f"{at_annotation}/result", "field 'result' must be a list")
        annotator = _annotator(annotation.get("completed_by"))
        regions: dict[str, dict] = {}
        notes: dict[str, str] = {}
        for r, region in enumerate(results):
            at = f"{at_annotation}/result/{r}"
            if not isinstance(region, dict):
                raise fail(at, "a result must be an object")
            kind = region.get("type")
            if not isinstance(kind, str):
                raise fail(f"{at}/type", "field 'type' is missing")
            if kind not in ("labels", "textarea"):
                continue  # choices, ratings, relations...: nothing Hamish holds
            value = region.get("value")
            if not isinstance(value, dict):
                raise fail(f"{at}/value", "field 'value' is missing or not an object")
            ident = region.get("id")
            ident = str(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) else f"#{r}"
            if kind == "textarea":
                note = value.get("text", [])
                parts = [note] if isinstance(note, str) else note
                if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
                    raise fail(f"{at}/value/text", "field 'text' of a textarea must be a list of strings")
                notes[ident] = merge_notes(notes.get(ident, ""), "\n".join(parts))
                if "start" in value or "end" in value:
                    regions.setdefault(ident, {"at": at, "value": value, "labels": [], "from_textarea": True})
                continue
            names = value.get("labels")
            if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
                raise fail(f"{at}/value/labels", "field 'labels' must be a list of label names")
            entry = regions.get(ident)
            if entry is not None and not entry.get("from_textarea") and _span(entry["value"]) != _span(value):
                ident = f"{ident}#{r}"  # a repeated id on another span: a region of its own
                entry = None
            if entry is None or entry.get("from_textarea"):
                regions[ident] = {"at": at, "value": value, "labels": [n.strip() for n in names]}
            else:
                entry["labels"] += [n.strip() for n in names]
        for ident, entry in regions.items():
            at, value = entry["at"], entry["value"]
            start, end = value.get("start"), value.get("end")
            if not is_count(start):
                raise fail(f"{at}/value/start", f"field 'start' must be a non-negative integer, not {start!r}")
            if not is_count(end):
                raise fail(f"{at}/value/end", f"field 'end' must be a non-negative integer, not {end!r}")
            if end <= start:
                raise fail(f"{at}/value/end", f"field 'end' ({end}) must be after 'start' ({start})")
            try:
                cp_start, cp_end = offsets.from_utf16(start), offsets.from_utf16(end)
            except OffsetError as exc:
                field = "start" if not _fits(offsets, start) else "end"
                raise fail(f"{at}/value/{field}", str(exc)) from None
            exact = text[cp_start:cp_end]
            claimed = value.get("text")
            mismatch = missing
            if isinstance(claimed, str) and claimed != exact:
                mismatch = (
                    f"value.text {_clip(claimed)} is not the task text at {start}-{end} "
                    f"(UTF-16), which is {_clip(exact)}"
                )
            elif document is not None:
                mismatch = check_span(document.text, cp_start, cp_end, exact)
            items.append(
                ImportedAnnotation(
                    source=f"{path.name}: {at}",
                    path=reference,
                    fingerprint=document.fingerprint if document is not None else None,
                    start=cp_start,
                    end=cp_end,
                    labels=tuple(dict.fromkeys(entry["labels"])),
                    note=notes.get(ident, ""),
                    annotator=annotator,
                    exact=exact,
                    mismatch=mismatch,
                )
            )
    return items


def _span(value: dict) -> tuple[object, object]:
    return value.get("start"), value.get("end")


def _fits(offsets: Utf16Offsets, offset: int) -> bool:
    try:
        offsets.from_utf16(offset)
    except OffsetError:
        return False
    return True


def _annotator(value: object) -> str | None:
    """Label Studio's `completed_by`: a user object (email) or a bare user id (not a name)."""
    if isinstance(value, dict):
        for key in ("email", "username", "first_name"):
            if isinstance(value.get(key), str) and value[key]:
                return value[key]
    return None


def _clip(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


EXPORTER = Exporter(NAME, UTF16, "Label Studio tasks + labeling config (UTF-16 code units)", write)
IMPORTER = Importer(NAME, read, needs_document=True)
