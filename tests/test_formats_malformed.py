"""Malformed import files are rejected whole, naming the line (or JSON pointer) and the field;
offsets that do not match the document's text are reported and never shifted.

Each malformed case runs the whole import (read_import, then merge) against a store that
already holds an annotation, and checks that the store file is byte for byte as it was.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tui.core.store.annotation import new_annotation
from tui.core.text.document import Document
from tui.core.errors import LoadError
from tui.core.formats import ExportDocument, FormatError, group_by_document, read_import
from tui.core.formats.merge import MergeReport, merge
from tui.core.formats.utf16 import Utf16Offsets
from tui.core.labels import LabelSet
from tui.core.store.store import AnnotationStore

TEXT = "قال الوزير 😀 إن الكلفة بلغت 𝐀 مليونا.\nسطر ثان هنا.\n"
LABELS = LabelSet()


@pytest.fixture
def doc(tmp_path) -> ExportDocument:
    path = tmp_path / "doc.txt"
    path.write_text(TEXT, encoding="utf-8")
    loaded = Document.open(path)
    return ExportDocument(loaded.path, loaded.text, loaded.fingerprint, [])


@pytest.fixture
def store_file(tmp_path, doc) -> Path:
    """A store holding one annotation of `doc`; the path of its file."""
    with AnnotationStore(tmp_path / "store") as store:
        ds = store.open(doc.path, doc.fingerprint, doc.text)
        ds.put(new_annotation(doc.text, doc.fingerprint, doc.path, 0, 3, labels=("claim",), annotator="me"))
        return ds.file


def run_import(tmp_path: Path, fmt: str, path: Path, doc: ExportDocument, documents=None) -> MergeReport:
    """The import as the CLI does it: read the file whole, then merge per document."""
    documents = documents or (lambda reference: doc)
    items = read_import(fmt, path, documents=documents, labels=LABELS)
    total = MergeReport()
    with AnnotationStore(tmp_path / "store") as store:
        for reference, group in group_by_document(items).items():
            target = documents(reference)
            total = total + merge(store.open(target.path, target.fingerprint, target.text), target, group, "importer")
    return total


def stored(tmp_path: Path, doc: ExportDocument) -> list[tuple]:
    with AnnotationStore(tmp_path / "store") as store:
        return [(a.start, a.end, a.labels, a.note) for a in store.open(doc.path, doc.fingerprint, doc.text).annotations()]


def u16(start: int, end: int) -> tuple[int, int]:
    offsets = Utf16Offsets(TEXT)
    return offsets.to_utf16(start), offsets.to_utf16(end)


def jsonl_record(doc: ExportDocument, span_start: int, span_end: int, **changes) -> str:
    record = new_annotation(doc.text, doc.fingerprint, doc.path, span_start, span_end, labels=("quote",), annotator="x").to_record()
    record.update(changes)
    for name in [k for k, v in changes.items() if v is ...]:
        del record[name]
    return json.dumps(record, ensure_ascii=False)


HEADER = '{"hamish": {"version": 1, "offset_unit": "code points"}}'
WORD = (4, 10)  # الوزير


def w3c(items: list[dict]) -> str:
    return json.dumps(
        {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "urn:x", "type": "AnnotationCollection",
         "first": {"type": "AnnotationPage", "items": items}},
        ensure_ascii=False,
        indent=1,
    )


def w3c_item(doc: ExportDocument, start: int, end: int, exact: str | None = None, **changes) -> dict:
    item = {
        "id": "urn:uuid:6f1c0f52-8d7e-4f0e-9d0a-2f1b3c4d5e6f",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "value": "quote", "purpose": "tagging"}],
        "target": {
            "source": doc.path.as_uri(),
            "selector": [
                {"type": "TextQuoteSelector", "exact": doc.text[start:end] if exact is None else exact},
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }
    item.update(changes)
    return item


def label_studio(text: str, regions: list[dict], **data) -> str:
    task = {"data": {"text": text, **data}, "annotations": [{"result": regions}]}
    return json.dumps([task], ensure_ascii=False, indent=1)


def region(start: int, end: int, text: str | None, labels=("quote",)) -> dict:
    value = {"start": start, "end": end, "labels": list(labels)}
    if text is not None:
        value["text"] = text
    return {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels", "value": value}


# --- malformed files: FormatError, store untouched -----------------------------------------

MALFORMED = {
    "jsonl": [
        (lambda d: f"{HEADER}\n{jsonl_record(d, *WORD)}\n{{not json\n", r"line 3: not valid JSON"),
        (lambda d: f"{HEADER}\n{jsonl_record(d, *WORD, labels=...)}\n", r"line 2: field 'labels' is missing"),
        (lambda d: f"{jsonl_record(d, *WORD, start=12, end=5)}\n", r"line 1: field 'end' \(5\) must not be before 'start' \(12\)"),
        (lambda d: f"{jsonl_record(d, *WORD, labels=['quote', 7])}\n", r"line 1: field 'labels' must be a list of non-empty strings"),
        (lambda d: '{"hamish": {"version": 9}}\n', r"line 1: written by a newer Hamish"),
        (lambda d: f"{jsonl_record(d, *WORD, id='same')}\n{jsonl_record(d, 0, 3, id='same')}\n", r"line 2: field 'id'"),
    ],
    "w3c": [
        (lambda d: '{\n "type": "AnnotationCollection",\n "first": {"items": [}\n}\n', r"line 3: not valid JSON"),
        (lambda d: w3c([{k: v for k, v in w3c_item(d, *WORD).items() if k != "target"}]), r"/first/items/0/target: field 'target' is missing"),
        (lambda d: w3c([w3c_item(d, 0, 3), w3c_item(d, *WORD, target={"source": d.path.as_uri(), "selector": [{"type": "TextPositionSelector", "start": "4", "end": 10}]})]), r"/first/items/1/target/selector/0/start: field 'start' must be a non-negative integer"),
        (lambda d: w3c([w3c_item(d, 10, 4)]), r"/first/items/0/target/selector/1/end: field 'end' \(4\) must be after 'start' \(10\)"),
        (lambda d: w3c([w3c_item(d, *WORD, type="Annotaton")]), r"/first/items/0/type: field 'type' must be \"Annotation\""),
        (lambda d: w3c([w3c_item(d, *WORD, created="yesterday")]), r"/first/items/0/created: field 'created' must be an ISO 8601 time"),
    ],
    "brat": [
        (lambda d: "T1\tclaim 0 3\tقال\nT2\tquote 4 10\tالوزير\nX1\tclaim 0 3\tقال\n", r"line 3: field 'id': 'X1' is not a brat annotation id"),
        (lambda d: "T1\tclaim 0 300\tقال\n", r"line 1: field 'offsets': 300 is past the end of the text"),
        (lambda d: "T1\tclaim\tقال\n", r"line 1: field 'offsets'"),
        (lambda d: "T1\tclaim 3 0\tقال\n", r"line 1: field 'offsets': fragment 3 0 ends before it starts"),
        (lambda d: "T1\tclaim 0 3\tقال\n#1\tAnnotatorNotes T9\tnote\n", r"line 2: field 'target': the note refers to T9"),
        (lambda d: "T1\tclaim 0 3\tقال\nT1\tquote 4 10\tالوزير\n", r"line 2: field 'id': T1 was already used on line 1"),
    ],
    "doccano": [
        (lambda d: json.dumps({"text": TEXT, "label": [[0, 3, "claim"]]}, ensure_ascii=False) + "\n\n{broken\n", r"line 3: not valid JSON"),
        (lambda d: json.dumps({"text": TEXT, "label": [[0, 3, "claim"], [0, 3]]}, ensure_ascii=False) + "\n", r"line 1: field 'label' entry 2: must be \[start, end, label\]"),
        (lambda d: json.dumps({"text": TEXT, "label": [[0, 999, "claim"]]}, ensure_ascii=False) + "\n", r"line 1: field 'label' entry 1: offset 999 is outside the text"),
        (lambda d: json.dumps({"text": TEXT, "label": [[12, 14, "claim"]]}, ensure_ascii=False) + "\n", r"line 1: field 'label' entry 1: offset 12 falls inside the character '😀'"),
        (lambda d: json.dumps({"label": [[0, 3, "claim"]]}) + "\n", r"line 1: field 'text' is missing"),
        (lambda d: json.dumps({"text": TEXT, "label": [[0, 3, ""]]}, ensure_ascii=False) + "\n", r"line 1: field 'label' entry 1: the label must be a non-empty string"),
    ],
    "label-studio": [
        (lambda d: '[\n {"data": {"text": "x"},\n  "annotations": [}\n]\n', r"line 3: not valid JSON"),
        (lambda d: label_studio(TEXT, [region(0, 3, "قال")]).replace('"text": "قال الوزير', '"body": "قال الوزير', 1), r"/0/data/text: field 'text' is missing"),
        (lambda d: label_studio(TEXT, [{"id": "r1", "from_name": "label", "to_name": "text", "type": "labels", "value": {"end": 3, "labels": ["claim"]}}]), r"/0/annotations/0/result/0/value/start: field 'start' must be a non-negative integer"),
        (lambda d: label_studio(TEXT, [region(0, 3, "قال"), {**region(4, 999, None), "id": "r2"}]), r"/0/annotations/0/result/1/value/end: offset 999 is outside the text"),
        (lambda d: label_studio(TEXT, [{**region(0, 3, "قال"), "value": {"start": 0, "end": 3, "labels": "claim"}}]), r"/0/annotations/0/result/0/value/labels: field 'labels' must be a list"),
        (lambda d: label_studio(TEXT, [region(3, 0, None)]), r"/0/annotations/0/result/0/value/end: field 'end' \(0\) must be after 'start' \(3\)"),
    ],
}

CASES = [(fmt, i) for fmt, cases in MALFORMED.items() for i in range(len(cases))]


@pytest.mark.parametrize(("fmt", "case"), CASES, ids=[f"{f}-{i}" for f, i in CASES])
def test_malformed_file_is_rejected_whole(tmp_path, doc, store_file, fmt, case):
    build, message = MALFORMED[fmt][case]
    if fmt == "brat":
        path = doc.path.with_suffix(".ann")
    else:
        path = tmp_path / f"import.{fmt}"
    path.write_text(build(doc), encoding="utf-8")
    before = store_file.read_bytes()
    with pytest.raises(FormatError) as caught:
        run_import(tmp_path, fmt, path, doc)
    assert re.search(message, str(caught.value)), str(caught.value)
    assert str(caught.value).startswith(str(path))
    assert store_file.read_bytes() == before


@pytest.mark.parametrize("fmt", list(MALFORMED))
def test_undecodable_file_is_rejected(tmp_path, doc, fmt):
    path = doc.path.with_suffix(".ann") if fmt == "brat" else tmp_path / f"import.{fmt}"
    path.write_bytes(b'{"text": "\xff\xfe\xfa"}\n')
    with pytest.raises(FormatError, match="not UTF-8 text"):
        read_import(fmt, path, documents=lambda reference: doc)


def test_missing_file_is_a_format_error(tmp_path, doc):
    with pytest.raises(FormatError, match="no such file"):
        read_import("jsonl", tmp_path / "nope.jsonl", documents=lambda reference: doc)


# --- offsets that do not match: reported, never shifted ------------------------------------


def shifted_utf16_word() -> tuple[int, int]:
    """Where a tool counting UTF-16 would put the word after the emoji: one too far on."""
    start = TEXT.index("إن")
    return u16(start, start + 2)


def test_brat_span_text_mismatch_is_reported_not_shifted(tmp_path, doc, store_file):
    start, end = shifted_utf16_word()
    ann = doc.path.with_suffix(".ann")
    ann.write_text(f"T1\tclaim 4 10\tالوزير\nT2\tquote {start} {end}\tإن\n", encoding="utf-8")
    report = run_import(tmp_path, "brat", ann, doc)
    assert report.added == 1 and report.rejected == 1
    assert re.match(r"doc\.ann: line 2 \(T2\): the span text 'إن' does not match the document's '.*' at \d+-\d+$", report.mismatches[0])
    assert stored(tmp_path, doc) == [(0, 3, ("claim",), ""), (4, 10, ("claim",), "")]


def test_brat_discontinuous_span_that_skips_text_is_reported(tmp_path, doc):
    ann = doc.path.with_suffix(".ann")
    ann.write_text("T1\tclaim 0 3;11 12\tقال 😀\n", encoding="utf-8")
    report = run_import(tmp_path, "brat", ann, doc)
    assert report.rejected == 1 and "skips ' الوزير '" in report.mismatches[0]


def test_w3c_quote_mismatch_is_reported_not_shifted(tmp_path, doc, store_file):
    start, end = shifted_utf16_word()
    path = tmp_path / "import.w3c"
    path.write_text(w3c([w3c_item(doc, start, end, exact="إن"), w3c_item(doc, *WORD)]), encoding="utf-8")
    report = run_import(tmp_path, "w3c", path, doc)
    assert report.added == 1 and report.rejected == 1
    assert "import.w3c: /first/items/0: the document's text at" in report.mismatches[0]
    assert stored(tmp_path, doc) == [(0, 3, ("claim",), ""), (4, 10, ("quote",), "")]


def test_w3c_without_positions_is_reported(tmp_path, doc):
    item = w3c_item(doc, *WORD)
    item["target"]["selector"] = item["target"]["selector"][:1]
    path = tmp_path / "import.w3c"
    path.write_text(w3c([item]), encoding="utf-8")
    report = run_import(tmp_path, "w3c", path, doc)
    assert report.rejected == 1 and "no TextPositionSelector" in report.mismatches[0]


def test_label_studio_value_text_mismatch_is_reported(tmp_path, doc, store_file):
    start = TEXT.index("إن")
    path = tmp_path / "import.json"
    # a code-point writer: right text, offsets that JavaScript reads one character early
    path.write_text(label_studio(TEXT, [region(start, start + 2, "إن"), {**region(*u16(*WORD), "الوزير"), "id": "r2"}]), encoding="utf-8")
    report = run_import(tmp_path, "label-studio", path, doc)
    assert report.added == 1 and report.rejected == 1
    assert "value.text 'إن' is not the task text at" in report.mismatches[0]
    assert stored(tmp_path, doc) == [(0, 3, ("claim",), ""), (4, 10, ("quote",), "")]


def test_doccano_text_from_another_tool_with_crlf_is_reported(tmp_path, doc, store_file):
    crlf = TEXT.replace("\n", "\r\n")
    second = crlf.index("سطر")
    path = tmp_path / "import.jsonl"
    offsets = Utf16Offsets(crlf)
    record = {"text": crlf, "label": [[0, 3, "quote"], [offsets.to_utf16(second), offsets.to_utf16(second + 3), "claim"]]}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    report = run_import(tmp_path, "doccano", path, doc)
    assert report.labels_added == 1 and report.rejected == 1
    assert "the file says 'سطر'" in report.mismatches[0]
    assert stored(tmp_path, doc) == [(0, 3, ("claim", "quote"), "")]


def test_jsonl_record_for_an_edited_text_is_reported(tmp_path, doc):
    path = tmp_path / "import.jsonl"
    path.write_text(jsonl_record(doc, *WORD, exact="الوزيـ", start=4, end=10) + "\n", encoding="utf-8")
    report = run_import(tmp_path, "jsonl", path, doc)
    assert report.rejected == 1 and "line 1: the document's text at 4-10 is 'الوزير' but the file says 'الوزيـ'" in report.mismatches[0]


def test_missing_document_is_reported(tmp_path, doc):
    path = tmp_path / "import.jsonl"
    path.write_text(jsonl_record(doc, *WORD) + "\n", encoding="utf-8")

    def gone(reference):
        raise LoadError(reference, "No such file or directory")

    items = read_import("jsonl", path, documents=gone)
    assert items[0].mismatch == f"document not available: {doc.path}: No such file or directory"
    doccano = tmp_path / "import.doccano"
    doccano.write_text(json.dumps({"text": TEXT, "label": [[0, 3, "claim"]]}, ensure_ascii=False) + "\n", encoding="utf-8")
    items = read_import("doccano", doccano, documents=lambda reference: None)
    assert items[0].path is None
    assert "--doc" in items[0].mismatch
