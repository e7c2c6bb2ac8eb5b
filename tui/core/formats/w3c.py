"""W3C Web Annotation (JSON-LD), https://www.w3.org/TR/annotation-model/.

One Annotation per Hamish annotation:

- a `TextualBody` with purpose `tagging` per label, and one with purpose `commenting` for
  the note (with its own `textDirection`);
- `target`: `source` (the document as a file URI), `textDirection` ("rtl" when the span's
  first strong character is right-to-left, else "ltr"), and two selectors:
  `TextQuoteSelector` (exact, prefix, suffix: the span can be found again in an edited copy)
  and `TextPositionSelector` (start, end in Unicode code points, as the model requires);
- `creator` (a Person with the annotator's login as `nickname`), `created`, `modified`.

The export is always an `AnnotationCollection` (its `label` states the offset unit) whose
`first` page holds the items, written one by one; `total` comes last because it is only
known then (JSON does not care about key order). Orphans are left out and counted: their
positions no longer point at their text.

The reader takes a collection (with its pages embedded), a page, one annotation, or a JSON
list of annotations, and reports faults with a JSON pointer ("/first/items/3/target").
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from ..layout.bidi_engine import first_strong_direction
from ..labels import LabelSet
from .base import (
    CODE_POINTS,
    DocumentLookup,
    ExportDocument,
    ExportReport,
    Exporter,
    NOTE_SEPARATOR,
    FormatError,
    ImportedAnnotation,
    Importer,
    check_span,
    encode_json,
    is_count,
    lookup,
    normalise_time,
    text_output,
)

NAME = "w3c"
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
UNIT_STATEMENT = (
    "TextPositionSelector start and end count Unicode code points (not bytes, not UTF-16 code "
    "units) in the document's normalised text (line breaks read as \\n), end exclusive"
)


def direction(text: str) -> str:
    """"rtl" if the text's first strong character is right-to-left, else "ltr"."""
    return "rtl" if first_strong_direction(text) else "ltr"


def file_uri(path: Path) -> str:
    """The document as a file URI (absolute; non-ASCII names percent-encoded)."""
    return Path(os.path.abspath(path)).as_uri()


def annotation_id(ident: str) -> str:
    """A URN for an annotation id: its own UUID when it is one, else a name-based UUID."""
    try:
        return uuid.UUID(ident).urn
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"hamish:annotation:{ident}").urn


def to_json(annotation, source: str) -> dict:
    """One Annotation object (JSON-ready) for a placed Hamish annotation."""
    bodies: list[dict] = [{"type": "TextualBody", "value": label, "purpose": "tagging"} for label in annotation.labels]
    if annotation.note:
        bodies.append(
            {
                "type": "TextualBody",
                "value": annotation.note,
                "purpose": "commenting",
                "format": "text/plain",
                "textDirection": direction(annotation.note),
            }
        )
    item: dict = {
        "id": annotation_id(annotation.id),
        "type": "Annotation",
        "motivation": "tagging" if annotation.labels else ("commenting" if annotation.note else "highlighting"),
        "created": annotation.created,
        "modified": annotation.updated,
    }
    if annotation.annotator:
        item["creator"] = {"type": "Person", "nickname": annotation.annotator}
    if bodies:
        item["body"] = bodies
    item["target"] = {
        "source": source,
        "textDirection": direction(annotation.exact),
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": annotation.exact,
                "prefix": annotation.prefix,
                "suffix": annotation.suffix,
            },
            {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
        ],
    }
    return item


def write(documents: Iterable[ExportDocument], out: Path | TextIO, labels: LabelSet) -> ExportReport:
    report = ExportReport(offset_unit=CODE_POINTS, format=NAME)
    collection = uuid.uuid4().urn
    encode = encode_json
    with text_output(out) as stream:
        stream.write(
            "{\n"
            f'  "@context": {encode(CONTEXT)},\n'
            f'  "id": {encode(collection)},\n'
            '  "type": "AnnotationCollection",\n'
            f'  "label": {encode("Hamish annotations. " + UNIT_STATEMENT + ".")},\n'
            '  "first": {\n'
            f'    "id": {encode(uuid.uuid4().urn)},\n'
            '    "type": "AnnotationPage",\n'
            f'    "partOf": {encode(collection)},\n'
            '    "startIndex": 0,\n'
            '    "items": ['
        )
        separator = "\n      "
        for document in documents:
            report.documents += 1
            source = file_uri(document.path)
            for annotation in document.annotations:
                if annotation.orphaned:
                    report.skipped_orphans += 1
                    continue
                stream.write(separator + encode(to_json(annotation, source)))
                separator = ",\n      "
                report.annotations += 1
        stream.write(f"\n    ]\n  }},\n  \"total\": {report.annotations}\n}}\n")
    if isinstance(out, Path):
        report.files.append(out)
    return report


# --- reading -------------------------------------------------------------------------------


class _Reader:
    def __init__(self, path: Path, documents: DocumentLookup) -> None:
        self.path = path
        self.documents = documents
        self.found: dict[str | None, tuple[ExportDocument | None, str | None]] = {}

    def fail(self, pointer: str, problem: str) -> FormatError:
        return FormatError(self.path, pointer or "/", problem)

    def read(self) -> list[ImportedAnnotation]:
        try:
            with open(self.path, encoding="utf-8-sig") as stream:
                data = json.load(stream)
        except json.JSONDecodeError as exc:
            raise FormatError(self.path, f"line {exc.lineno}", f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        except UnicodeDecodeError as exc:
            raise FormatError(self.path, "", f"not UTF-8 text (byte {exc.start})") from None
        except OSError as exc:
            raise FormatError(self.path, "", f"cannot read: {exc.strerror or exc}") from None
        return [self.annotation(item, pointer) for item, pointer in self.items(data, "")]

    def items(self, data: object, pointer: str) -> list[tuple[object, str]]:
        if isinstance(data, list):
            return [(item, f"{pointer}/{i}") for i, item in enumerate(data)]
        if not isinstance(data, dict):
            raise self.fail(pointer, "must be an Annotation, AnnotationPage or AnnotationCollection object")
        kinds = self.types(data, pointer)
        if "Annotation" in kinds:
            return [(data, pointer)]
        if "AnnotationPage" in kinds:
            return self.page_items(data, pointer)
        if "AnnotationCollection" in kinds:
            result: list[tuple[object, str]] = []
            page, page_pointer = data.get("first"), f"{pointer}/first"
            while page is not None:
                if not isinstance(page, dict):
                    raise self.fail(page_pointer, "field 'first'/'next' must be an embedded AnnotationPage (a link cannot be followed)")
                result += self.page_items(page, page_pointer)
                page, page_pointer = page.get("next"), f"{page_pointer}/next"
            return result
        raise self.fail(f"{pointer}/type", f"field 'type' is {data.get('type')!r}, not Annotation, AnnotationPage or AnnotationCollection")

    def page_items(self, page: dict, pointer: str) -> list[tuple[object, str]]:
        items = page.get("items")
        if not isinstance(items, list):
            raise self.fail(f"{pointer}/items", "field 'items' must be a list of annotations")
        return [(item, f"{pointer}/items/{i}") for i, item in enumerate(items)]

    def types(self, data: dict, pointer: str) -> list[str]:
        kind = data.get("type", data.get("@type"))
        if isinstance(kind, str):
            return [kind]
        if isinstance(kind, list) and all(isinstance(k, str) for k in kind):
            return kind
        raise self.fail(f"{pointer}/type", "field 'type' is missing or not a string")

    def annotation(self, item: object, pointer: str) -> ImportedAnnotation:
        if not isinstance(item, dict):
            raise self.fail(pointer, "must be an Annotation object")
        if "Annotation" not in self.types(item, pointer):
            raise self.fail(f"{pointer}/type", f"field 'type' must be \"Annotation\", not {item.get('type')!r}")
        labels, notes = self.bodies(item, pointer)
        target = item.get("target")
        if isinstance(target, list):
            if len(target) != 1:
                raise self.fail(f"{pointer}/target", "Hamish reads annotations with exactly one target")
            target, target_pointer = target[0], f"{pointer}/target/0"
        else:
            target_pointer = f"{pointer}/target"
        if not isinstance(target, dict):
            raise self.fail(target_pointer, "field 'target' is missing or not an object with a source and selectors")
        source = target.get("source")
        if not isinstance(source, str) or not source:
            raise self.fail(f"{target_pointer}/source", "field 'source' is missing or not a string")
        position, quote = self.selectors(target, target_pointer)
        reference = path_of(source)
        if reference not in self.found:
            self.found[reference] = lookup(self.documents, reference)
        document, mismatch = self.found[reference]
        exact = quote.get("exact") if quote else None
        if position is None:
            start = end = 0
            mismatch = mismatch or "has no TextPositionSelector: Hamish imports positions, it does not search for quotes"
        else:
            start, end = position
            if document is not None:
                mismatch = check_span(document.text, start, end, exact)
        ident = item.get("id")
        return ImportedAnnotation(
            source=f"{self.path.name}: {pointer or '/'}",
            path=reference,
            fingerprint=document.fingerprint if document is not None else None,
            start=start,
            end=end,
            labels=tuple(dict.fromkeys(labels)),
            note=NOTE_SEPARATOR.join(dict.fromkeys(notes)),
            annotator=self.creator(item.get("creator"), f"{pointer}/creator"),
            created=self.time(item, "created", pointer),
            updated=self.time(item, "modified", pointer),
            id=ident[len("urn:uuid:") :] if isinstance(ident, str) and ident.startswith("urn:uuid:") else None,
            exact=exact,
            mismatch=mismatch,
        )

    def bodies(self, item: dict, pointer: str) -> tuple[list[str], list[str]]:
        labels: list[str] = []
        notes: list[str] = []
        value = item.get("bodyValue")
        if value is not None:
            if not isinstance(value, str):
                raise self.fail(f"{pointer}/bodyValue", "field 'bodyValue' must be a string")
            notes.append(value)
        body = item.get("body")
        entries = body if isinstance(body, list) else ([] if body is None else [body])
        for i, entry in enumerate(entries):
            at = f"{pointer}/body/{i}" if isinstance(body, list) else f"{pointer}/body"
            if isinstance(entry, str):
                continue  # a linked resource (an IRI): nothing Hamish can show
            if not isinstance(entry, dict):
                raise self.fail(at, "a body must be an object or an IRI")
            if "type" in entry or "@type" in entry:
                if "TextualBody" not in self.types(entry, at):
                    continue  # another kind of body (an image, a specific resource)
            elif "value" not in entry:
                continue
            text = entry.get("value")
            if not isinstance(text, str):
                raise self.fail(f"{at}/value", "field 'value' of a TextualBody must be a string")
            purposes = entry.get("purpose", [])
            purposes = [purposes] if isinstance(purposes, str) else purposes
            if not isinstance(purposes, list) or not all(isinstance(p, str) for p in purposes):
                raise self.fail(f"{at}/purpose", "field 'purpose' must be a motivation name or a list of them")
            if "tagging" in purposes or "oa:tagging" in purposes:
                if not text.strip():
                    raise self.fail(f"{at}/value", "a tagging body's value must be a non-empty label")
                labels.append(text.strip())
            elif text:
                notes.append(text)
        return labels, notes

    def selectors(self, target: dict, pointer: str) -> tuple[tuple[int, int] | None, dict | None]:
        selector = target.get("selector")
        entries = selector if isinstance(selector, list) else ([] if selector is None else [selector])
        position: tuple[int, int] | None = None
        quote: dict | None = None
        for i, entry in enumerate(entries):
            at = f"{pointer}/selector/{i}" if isinstance(selector, list) else f"{pointer}/selector"
            if not isinstance(entry, dict):
                raise self.fail(at, "a selector must be an object")
            kinds = self.types(entry, at)
            if "TextPositionSelector" in kinds and position is None:
                start, end = entry.get("start"), entry.get("end")
                if not is_count(start):
                    raise self.fail(f"{at}/start", f"field 'start' must be a non-negative integer, not {start!r}")
                if not is_count(end):
                    raise self.fail(f"{at}/end", f"field 'end' must be a non-negative integer, not {end!r}")
                if end <= start:
                    raise self.fail(f"{at}/end", f"field 'end' ({end}) must be after 'start' ({start})")
                position = (start, end)
            elif "TextQuoteSelector" in kinds and quote is None:
                for name in ("exact", "prefix", "suffix"):
                    if name in entry and not isinstance(entry[name], str):
                        raise self.fail(f"{at}/{name}", f"field '{name}' must be a string")
                if not isinstance(entry.get("exact"), str):
                    raise self.fail(f"{at}/exact", "field 'exact' is missing")
                quote = entry
        return position, quote

    def creator(self, value: object, pointer: str) -> str | None:
        if isinstance(value, list):
            value = value[0] if value else None
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, dict):
            for key in ("nickname", "name"):
                if isinstance(value.get(key), str):
                    return value[key]
            return None
        raise self.fail(pointer, "field 'creator' must be an object or a string")

    def time(self, item: dict, name: str, pointer: str) -> str | None:
        if name not in item:
            return None
        value = normalise_time(item[name])
        if value is None:
            raise self.fail(f"{pointer}/{name}", f"field '{name}' must be an ISO 8601 time with a UTC offset, not {item[name]!r:.40}")
        return value


def path_of(source: str) -> str:
    """A file URI as a local path; any other IRI as it is."""
    parts = urlsplit(source)
    if parts.scheme == "file":
        return unquote(parts.path)
    return source


def read(path: Path, documents: DocumentLookup) -> list[ImportedAnnotation]:
    return _Reader(path, documents).read()


EXPORTER = Exporter(NAME, CODE_POINTS, "W3C Web Annotation JSON-LD (code points)", write)
IMPORTER = Importer(NAME, read)
