"""Export and import: round trips through every format that has an importer, what each
export states and contains, and how imports merge into a store.

Round trips go export -> read_import -> merge into an EMPTY store, on the corpus of
test_formats_corpus (Arabic with harakat, emoji, 𝐀 and 𓂀, a CRLF original, spans across line
breaks), and compare what the store then holds with what was exported. Third-party checks of
each format's structure are in test_formats_validators.py; malformed files and mismatched
offsets in test_formats_malformed.py; the UTF-16 conversion in test_formats_utf16.py.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from test_formats_corpus import LABELS, import_into, key, lookup_for, make_corpus

from tui.core.store.annotation import new_annotation
from tui.core.text.document import Document
from tui.core.formats import (
    CODE_POINTS,
    EXPORTERS,
    IMPORTERS,
    UTF16,
    ExportDocument,
    ExportError,
    FormatError,
    ImportedAnnotation,
    export,
    read_import,
)
from tui.core.formats.brat import fragments
from tui.core.formats.merge import MergeError, merge
from tui.core.formats.utf16 import Utf16Offsets
from tui.core.labels import Label, LabelSet
from tui.core.store.store import AnnotationStore, StoreWriteError

ROUND_TRIP = ("jsonl", "w3c", "brat", "doccano", "label-studio")


@pytest.fixture
def corpus(tmp_path) -> list[ExportDocument]:
    return make_corpus(tmp_path / "docs")


def export_to(tmp_path: Path, fmt: str, corpus: list[ExportDocument]):
    out = tmp_path / "export" / f"out.{fmt}"
    report = export(fmt, corpus, out, labels=LABELS)
    return out, report


# --- registry -------------------------------------------------------------------------------


def test_registry_names_every_format():
    assert list(EXPORTERS) == ["jsonl", "w3c", "brat", "doccano", "label-studio", "csv", "markdown"]
    assert list(IMPORTERS) == ["jsonl", "w3c", "brat", "doccano", "label-studio"]
    assert {n for n, e in EXPORTERS.items() if e.offset_unit == UTF16} == {"doccano", "label-studio"}
    assert all(e.offset_unit in (CODE_POINTS, UTF16) for e in EXPORTERS.values())
    assert [n for n, e in EXPORTERS.items() if e.writes_directory] == ["brat"]


def test_unknown_format_is_a_user_error(tmp_path):
    with pytest.raises(ExportError, match="unknown export format 'xml'"):
        export("xml", [], tmp_path / "x", labels=LABELS)
    (tmp_path / "f").write_text("")
    with pytest.raises(FormatError, match="cannot import format 'csv'"):
        read_import("csv", tmp_path / "f", documents=lambda ref: None)


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ROUND_TRIP)
def test_round_trip_into_an_empty_store(tmp_path, corpus, fmt):
    out, report = export_to(tmp_path, fmt, corpus)
    placed = sum(1 for d in corpus for a in d.annotations if not a.orphaned)
    orphans = sum(1 for d in corpus for a in d.annotations if a.orphaned)
    assert report.documents == len(corpus)
    if fmt == "jsonl":
        assert (report.annotations, report.skipped_orphans) == (placed + orphans, 0)
    else:
        assert (report.annotations, report.skipped_orphans) == (placed, orphans)

    merged, stored = import_into(tmp_path / "store", fmt, out, corpus)
    assert merged.mismatches == []
    assert merged.duplicates == 0 and merged.labels_added == 0
    for document in corpus:
        got = stored[str(document.path)]
        want = [a for a in document.annotations if fmt == "jsonl" or not a.orphaned]
        assert sorted(map(key, got)) == sorted(map(key, want)), (fmt, document.path.name)
        for annotation in got:
            if not annotation.orphaned:
                assert annotation.exact == document.text[annotation.start : annotation.end]
                assert annotation.document == document.fingerprint
        if fmt == "jsonl":  # lossless: every field, orphans included
            assert sorted(a.to_record()["id"] for a in got) == sorted(a.id for a in want)
            assert {a.id: a.to_record() for a in got} == {a.id: a.to_record() for a in want}
        if fmt == "w3c":  # ids, times and annotators travel too
            by_id = {a.id: a for a in got}
            for annotation in want:
                back = by_id[annotation.id]
                assert (back.created, back.updated) == (annotation.created, annotation.updated)
                if annotation.annotator:
                    assert back.annotator == annotation.annotator
    assert merged.added == (placed + orphans if fmt == "jsonl" else placed)


@pytest.mark.parametrize("fmt", ROUND_TRIP)
def test_importing_the_same_file_twice_changes_nothing(tmp_path, corpus, fmt):
    out, _ = export_to(tmp_path, fmt, corpus)
    first, stored = import_into(tmp_path / "store", fmt, out, corpus)
    second, again = import_into(tmp_path / "store", fmt, out, corpus)
    assert second.added == 0 and second.labels_added == 0 and second.notes_merged == 0
    labels = sum(len(a.labels) for d in corpus for a in d.annotations if not a.orphaned)
    orphans = sum(1 for d in corpus for a in d.annotations if a.orphaned)
    assert second.duplicates == labels + (orphans if fmt == "jsonl" else 0)
    assert {p: [a.to_record() for a in v] for p, v in again.items()} == {p: [a.to_record() for a in v] for p, v in stored.items()}


@pytest.mark.parametrize("fmt", ("doccano", "label-studio"))
def test_utf16_exports_count_astral_characters_twice(tmp_path, corpus, fmt):
    out, _ = export_to(tmp_path, fmt, corpus)
    arabic = corpus[0]
    quote = next(a for a in arabic.annotations if a.labels == ("quote", "claim"))
    astral_before = sum(1 for c in arabic.text[: quote.start] if ord(c) > 0xFFFF)
    assert astral_before >= 1  # the 😀 of line 1
    if fmt == "doccano":
        line = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
        spans = [entry for entry in line["label"] if entry[2] == "quote"]
        start, end = spans[0][0], spans[0][1]
        assert line["offset_unit"] == UTF16
    else:
        task = json.loads(out.read_text(encoding="utf-8"))[0]
        region = next(r for r in task["annotations"][0]["result"] if r["value"].get("labels") == ["quote", "claim"])
        start, end = region["value"]["start"], region["value"]["end"]
        assert region["value"]["text"] == quote.exact
        assert task["meta"]["offset_unit"] == UTF16
    assert start == quote.start + astral_before
    assert end == quote.end + astral_before + 2  # 𝐀 and 𓂀 inside the span
    assert arabic.text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le") == quote.exact


# --- what each export holds ----------------------------------------------------------------


def test_jsonl_header_states_code_points_and_every_record_validates(tmp_path, corpus):
    out, _ = export_to(tmp_path, "jsonl", corpus)
    lines = out.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])["hamish"]
    assert header["offset_unit"] == "code points" and header["version"] == 1
    records = [json.loads(line) for line in lines[1:]]
    assert len(records) == sum(len(d.annotations) for d in corpus)
    assert [r["id"] for r in records] == [a.id for d in corpus for a in d.annotations]
    assert any(r["orphaned"] for r in records)
    assert "ملاحظة فقط" in out.read_text(encoding="utf-8")  # Arabic as itself, not \\u escapes


def test_jsonl_without_header_is_read(tmp_path, corpus):
    out, _ = export_to(tmp_path, "jsonl", corpus)
    bare = tmp_path / "bare.jsonl"
    bare.write_text("\n".join(out.read_text(encoding="utf-8").splitlines()[1:]) + "\n", encoding="utf-8")
    items = read_import("jsonl", bare, documents=lookup_for(corpus))
    assert len(items) == sum(len(d.annotations) for d in corpus)


def test_w3c_shape(tmp_path, corpus):
    out, report = export_to(tmp_path, "w3c", corpus)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["id"].startswith("urn:uuid:")
    assert "Unicode code points" in data["label"]
    items = data["first"]["items"]
    assert data["total"] == len(items) == report.annotations
    arabic = corpus[0]
    first = items[0]
    annotation = arabic.annotations[0]
    assert first["id"] == f"urn:uuid:{annotation.id}"
    assert first["target"]["source"] == arabic.path.as_uri()
    assert first["target"]["textDirection"] == "rtl"
    selectors = {s["type"]: s for s in first["target"]["selector"]}
    assert selectors["TextPositionSelector"] == {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end}
    assert selectors["TextQuoteSelector"]["exact"] == annotation.exact
    assert selectors["TextQuoteSelector"]["suffix"] == annotation.suffix
    assert [b["purpose"] for b in first["body"]] == ["tagging", "commenting"]
    assert first["creator"] == {"type": "Person", "nickname": "alice"}
    assert (first["created"], first["modified"]) == (annotation.created, annotation.updated)
    english = [i for i in items if i["target"]["source"] == corpus[1].path.as_uri()]
    assert english[0]["target"]["textDirection"] == "ltr"
    note_only = next(i for i in items if all(b["purpose"] == "commenting" for b in i.get("body", [{"purpose": "x"}])))
    assert note_only["motivation"] == "commenting"


def test_w3c_writes_one_item_per_line_and_streams_to_a_stream(corpus):
    stream = io.StringIO()
    report = export("w3c", corpus, stream, labels=LABELS)
    text = stream.getvalue()
    assert report.files == []
    assert json.loads(text)["total"] == report.annotations
    assert sum(1 for line in text.splitlines() if line.lstrip().startswith('{"id": "urn:uuid:')) == report.annotations


def test_brat_files(tmp_path, corpus):
    out, report = export_to(tmp_path, "brat", corpus)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["README.md", "annotation.conf", "english & عربي.ann", "english & عربي.txt", "plain.ann", "plain.txt", "خبر عاجل.ann", "خبر عاجل.txt"])
    for document in corpus:
        txt = out / f"{document.path.stem}.txt"
        assert txt.read_bytes() == document.text.encode("utf-8")  # no \r added, no BOM
        assert Document.open(txt).text == document.text
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "Unicode code points" in conf
    entities = conf.split("[entities]\n")[1].split("[relations]")[0].split()
    assert entities == ["claim", "quote", "figure", "Unlabelled", "rumour"]
    assert "Unicode code points" in (out / "README.md").read_text(encoding="utf-8")
    ann = (out / "خبر عاجل.ann").read_text(encoding="utf-8")
    for line in ann.splitlines():
        assert line.count("\t") == 2
    assert "\\n" in ann  # the note's line break, escaped
    arabic = corpus[0]
    crossing = next(a for a in arabic.annotations if a.labels == ("figure",))
    fragment_list = fragments(arabic.text, crossing.start, crossing.end)
    assert len(fragment_list) == 2
    offsets = ";".join(f"{s} {e}" for s, e in fragment_list)
    assert f"\tfigure {offsets}\t" in ann
    starting = next(a for a in arabic.annotations if a.exact.startswith("\n"))
    assert fragments(arabic.text, starting.start, starting.end)[0] == (starting.start, starting.start)


def test_brat_fragments():
    text = "ab\ncd\n\nef\u2028gh"
    assert fragments(text, 0, 2) == [(0, 2)]
    assert fragments(text, 0, 5) == [(0, 2), (3, 5)]
    assert fragments(text, 3, 9) == [(3, 5), (7, 9)]
    assert fragments(text, 2, 5) == [(2, 2), (3, 5)]
    assert fragments(text, 0, 3) == [(0, 2), (3, 3)]
    assert fragments(text, 5, 7) == [(5, 5), (7, 7)]
    assert fragments(text, 7, 12) == [(7, 9), (10, 12)]


def test_brat_to_a_stream_is_refused(corpus):
    with pytest.raises(ExportError, match="directory"):
        export("brat", corpus, io.StringIO(), labels=LABELS)


def test_doccano_lines(tmp_path, corpus):
    out, _ = export_to(tmp_path, "doccano", corpus)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(corpus)
    for line, document in zip(lines, corpus):
        assert line["text"] == document.text
        assert line["path"] == str(document.path) and line["fingerprint"] == document.fingerprint
        assert line["offset_unit"] == UTF16
        offsets = Utf16Offsets(document.text)
        want = sorted(
            [offsets.to_utf16(a.start), offsets.to_utf16(a.end), label]
            for a in document.annotations
            if not a.orphaned
            for label in a.labels
        )
        assert sorted(line["label"]) == want
    assert lines[2]["label"] == []
    assert any(c[2] == "ملاحظة فقط" for c in lines[0]["comments"])


def test_label_studio_tasks_and_config(tmp_path, corpus):
    out, report = export_to(tmp_path, "label-studio", corpus)
    config = out.with_name("out.label-config.xml")
    assert report.files == [out, config]
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [t["data"]["text"] for t in tasks] == [d.text for d in corpus]
    results = tasks[0]["annotations"][0]["result"]
    regions = [r for r in results if r["type"] == "labels"]
    notes = [r for r in results if r["type"] == "textarea"]
    # one region per annotation (a note alone gets a region with no labels, to hang it on)
    assert len(regions) == sum(1 for a in corpus[0].annotations if not a.orphaned)
    assert [r["value"]["labels"] for r in regions].count([]) == 1
    assert {n["id"] for n in notes} <= {r["id"] for r in regions}
    assert len(notes) == sum(1 for a in corpus[0].annotations if not a.orphaned and a.note)
    assert len({r["id"] for r in regions}) == len(regions)
    xml = config.read_text(encoding="utf-8")
    assert '<Labels name="label" toName="text" choice="multiple">' in xml
    assert '<Text name="text" value="$text"/>' in xml
    assert '<Label value="rumour"/>' in xml and '<Label value="claim" background="#b45309"/>' in xml
    assert "UTF-16 code units" in xml


def test_csv_rows(tmp_path, corpus):
    out, report = export_to(tmp_path, "csv", corpus)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), strict=True))
    assert rows[0] == ["document", "start", "end", "labels", "text", "note", "annotator", "created", "updated", "offset_unit"]
    placed = [(d, a) for d in corpus for a in d.annotations if not a.orphaned]
    assert len(rows) - 1 == len(placed) == report.annotations
    def defused(cell: str) -> str:  # CSV injection: a text cell that could be a formula gets a "'"
        return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell

    for row, (document, annotation) in zip(rows[1:], placed):
        assert row == [
            defused(str(document.path)),
            str(annotation.start),
            str(annotation.end),
            defused("|".join(annotation.labels)),
            defused(annotation.exact),
            defused(annotation.note),
            defused(annotation.annotator),
            annotation.created,
            annotation.updated,
            "Unicode code points",
        ]


def test_markdown_report(tmp_path, corpus):
    out, report = export_to(tmp_path, "markdown", corpus)
    text = out.read_text(encoding="utf-8")
    assert "**Unicode code points**" in text
    assert "## خبر عاجل.txt" in text
    arabic_section = text.split("## خبر عاجل.txt")[1].split("## english")[0]
    assert "### claim (3)" in arabic_section and "### quote (1)" in arabic_section
    assert "### rumour (1)" in arabic_section and "### (no label) (1)" in arabic_section
    assert "### Orphaned (1)" in arabic_section and "Labels: claim" in arabic_section
    assert arabic_section.index("### claim") < arabic_section.index("### quote") < arabic_section.index("### rumour")
    assert "*Note:* تحقق\\" in arabic_section  # a hard break keeps the note's lines
    assert "and a backslash \\\\ n \\| pipe" in arabic_section  # escaped: stays text
    assert "No annotations." in text.split("## plain.txt")[1]
    assert "| claim | 5 |" in text and "| orphaned | 1 |" in text
    assert report.annotations == sum(len(d.annotations) for d in corpus)


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_export_replaces_the_target_whole(tmp_path, corpus, fmt):
    """An export into an existing file replaces it; a failing one leaves it as it was."""
    out = tmp_path / "exports" / f"existing.{fmt}"
    out.parent.mkdir()
    if fmt != "brat":
        out.write_text("old", encoding="utf-8")

    def failing():
        yield corpus[0]
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        export(fmt, failing(), out, labels=LABELS)
    if fmt != "brat":
        assert out.read_text(encoding="utf-8") == "old"
        assert [p.name for p in out.parent.iterdir()] == [out.name]
    export(fmt, corpus, out, labels=LABELS)
    assert out.exists()
    assert not [p for p in out.parent.rglob("*.part")]


def test_exports_need_no_text_where_the_annotation_carries_it(tmp_path, corpus):
    """jsonl, w3c, csv and markdown use each annotation's own text, so a document whose file
    is gone (text unknown) still exports."""
    blind = [replace(d, text="") for d in corpus]
    for fmt in ("jsonl", "w3c", "csv", "markdown"):
        report = export(fmt, blind, tmp_path / f"blind.{fmt}", labels=LABELS)
        assert report.annotations > 0


# --- merging -------------------------------------------------------------------------------


def _doc(tmp_path: Path, text: str = "قال الوزير إن 😀 الكلفة بلغت 𝐀 مليونا.\nسطر ثان هنا.\n") -> ExportDocument:
    path = tmp_path / "doc.txt"
    path.write_text(text, encoding="utf-8")
    loaded = Document.open(path)
    return ExportDocument(loaded.path, loaded.text, loaded.fingerprint, [])


def _item(start, end, labels=(), note="", **extra) -> ImportedAnnotation:
    return ImportedAnnotation(source=f"test {start}-{end}", path=None, fingerprint=None, start=start, end=end, labels=tuple(labels), note=note, **extra)


def test_merge_adds_labels_and_skips_duplicates(tmp_path):
    doc = _doc(tmp_path)
    with AnnotationStore(tmp_path / "store") as store:
        ds = store.open(doc.path, doc.fingerprint, doc.text)
        existing = new_annotation(doc.text, doc.fingerprint, doc.path, 0, 10, labels=("claim",), note="first", annotator="me")
        ds.put(existing)
        report = merge(
            ds,
            doc,
            [
                _item(0, 10, ["claim", "quote"], "first"),  # claim is a duplicate, quote is new
                _item(0, 10, ["quote"], "second"),  # quote now a duplicate; note appended
                _item(11, 14, ["figure"], "new", annotator="other"),  # a new span
                _item(11, 14, ["figure", "claim"]),  # same new span again
            ],
            "importer",
        )
        assert (report.added, report.labels_added, report.duplicates, report.notes_merged, report.rejected) == (1, 2, 3, 1, 0)
        annotations = ds.annotations()
    assert [(a.start, a.end, a.labels, a.note) for a in annotations] == [
        (0, 10, ("claim", "quote"), "first | second"),
        (11, 14, ("figure", "claim"), "new"),
    ]
    assert annotations[0].id == existing.id and annotations[0].created == existing.created
    assert annotations[1].annotator == "other"
    assert "1 annotation(s) added" in report.summary() and "3 duplicate(s) skipped" in report.summary()


def test_merge_notes_rule(tmp_path):
    doc = _doc(tmp_path)
    with AnnotationStore(tmp_path / "store") as store:
        ds = store.open(doc.path, doc.fingerprint, doc.text)
        ds.put(new_annotation(doc.text, doc.fingerprint, doc.path, 0, 3, labels=("claim",), note="", annotator="me"))
        ds.put(new_annotation(doc.text, doc.fingerprint, doc.path, 4, 10, labels=("claim",), note="a | b", annotator="me"))
        merge(ds, doc, [_item(0, 3, ["claim"], "taken"), _item(4, 10, ["claim"], "b"), _item(4, 10, ["claim"], "c")], "me")
        notes = [a.note for a in ds.annotations()]
    assert notes == ["taken", "a | b | c"]


def test_merge_rejects_mismatches_and_applies_the_rest(tmp_path):
    doc = _doc(tmp_path)
    with AnnotationStore(tmp_path / "store") as store:
        ds = store.open(doc.path, doc.fingerprint, doc.text)
        report = merge(
            ds,
            doc,
            [
                _item(0, 3, ["claim"]),
                _item(4, 10, ["claim"], mismatch="the span text does not match"),
                _item(4, 10, ["claim"], exact="not this"),
                _item(0, 999, ["claim"]),
                _item(5, 6),
                _item(7, 8, ["quote"]),
            ],
            "me",
        )
        assert [(a.start, a.end) for a in ds.annotations()] == [(0, 3), (7, 8)]
    assert report.added == 2 and report.rejected == 4
    assert report.mismatches[0] == "test 4-10: the span text does not match"
    assert "not inside the document" in report.mismatches[2]
    assert "neither a label nor a note" in report.mismatches[3]


def test_merge_refuses_another_documents_annotations(tmp_path):
    doc = _doc(tmp_path)
    with AnnotationStore(tmp_path / "store") as store:
        ds = store.open(doc.path, doc.fingerprint, doc.text)
        report = merge(ds, doc, [replace(_item(0, 3, ["claim"]), fingerprint="f" * 64, path="/elsewhere.txt")], "me")
        assert report.rejected == 1 and "another document" in report.mismatches[0]
        other = replace(doc, fingerprint="e" * 64)
        with pytest.raises(MergeError):
            merge(ds, other, [_item(0, 3, ["claim"])], "me")
        assert ds.annotations() == []


def test_merge_is_all_or_nothing_on_a_read_only_store(tmp_path):
    doc = _doc(tmp_path)
    with AnnotationStore(tmp_path / "store") as owner:
        owner_doc = owner.open(doc.path, doc.fingerprint, doc.text)
        owner_doc.put(new_annotation(doc.text, doc.fingerprint, doc.path, 0, 3, labels=("claim",), annotator="me"))
        before = owner_doc.file.read_bytes()
        with AnnotationStore(tmp_path / "store") as second:  # locked by `owner`: read-only
            assert second.read_only
            ds = second.open(doc.path, doc.fingerprint, doc.text)
            with pytest.raises(StoreWriteError):
                merge(ds, doc, [_item(0, 3, ["quote"]), _item(4, 10, ["claim"])], "me")
        assert owner_doc.file.read_bytes() == before


def test_merge_writes_once(tmp_path, monkeypatch):
    doc = _doc(tmp_path)
    with AnnotationStore(tmp_path / "store") as store:
        ds = store.open(doc.path, doc.fingerprint, doc.text)
        calls = []
        original = ds.put_many
        monkeypatch.setattr(ds, "put_many", lambda annotations: (calls.append(len(annotations)), original(annotations)))
        monkeypatch.setattr(ds, "put", lambda annotation: pytest.fail("merge must not write annotation by annotation"))
        merge(ds, doc, [_item(0, 3, ["claim"]), _item(4, 10, ["quote"]), _item(0, 3, ["figure"])], "me")
    assert calls == [2]


def test_import_maps_labels_onto_the_label_set_ignoring_case(tmp_path):
    doc = _doc(tmp_path)
    directory = tmp_path / "brat"
    directory.mkdir()
    (directory / "doc.txt").write_text(doc.text, encoding="utf-8")
    (directory / "doc.ann").write_text("T1\tClaim 0 3\tقال\nT2\tQUOTE 0 3\tقال\nT3\tRumour 4 10\tالوزير\n", encoding="utf-8")
    labels = LabelSet((Label("claim", "c", "#000000"), Label("quote", "q", "#111111")))
    items = read_import("brat", directory / "doc.ann", documents=lambda ref: doc, labels=labels)
    assert [(i.start, i.end, i.labels) for i in items] == [(0, 3, ("claim", "quote")), (4, 10, ("Rumour",))]
    assert items[0].path == str(directory / "doc.txt")


def test_brat_unlabelled_type_becomes_no_label(tmp_path, corpus):
    out, _ = export_to(tmp_path, "brat", corpus)
    items = read_import("brat", out / "خبر عاجل.ann", documents=lookup_for(corpus), labels=LABELS)
    note_only = [i for i in items if i.note == "ملاحظة فقط"]
    assert len(note_only) == 1 and note_only[0].labels == ()


# --- headless ------------------------------------------------------------------------------


def test_formats_do_not_import_textual():
    """tui/core must never import Textual; test_architecture only looks at tui/core/*.py,
    so the formats package is checked here, statically and in a fresh interpreter."""
    import ast
    import subprocess
    import sys

    package = Path(__file__).resolve().parents[1] / "tui" / "core" / "formats"
    modules = sorted(p for p in package.glob("*.py"))
    assert len(modules) >= 9
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not [n for n in names if n.split(".")[0] == "textual"], path.name
    code = (
        "import sys\n"
        + "".join(f"import tui.core.formats.{p.stem}\n" for p in modules if p.stem != "__init__")
        + "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) else 0)\n"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
