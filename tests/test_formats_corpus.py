"""The documents and annotations every format test uses, and the helpers to export, import
and compare them. (Named test_formats_* so it sits with the tests it serves; the few tests
here check that the corpus really holds the hard cases.)

The hard cases: Arabic with harakat, emoji (a ZWJ family and a flag, several astral code
points each), other astral characters (𝐀 U+1D400, 𓂀 U+13080), a CRLF original whose
normalised text is what offsets index, spans that cross a line break, start on one, and
hold a U+2028 LINE SEPARATOR, notes with line breaks, tabs, quotes, commas, backslashes
and " | ", a label the label set does not know, a note without a label, an orphan, and a
document without annotations.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tui.core.store.annotation import Annotation, new_annotation
from tui.core.text.document import Document
from tui.core.formats import ExportDocument, group_by_document, read_import
from tui.core.formats.merge import MergeReport, merge
from tui.core.labels import LabelSet
from tui.core.store.store import AnnotationStore

LABELS = LabelSet()

ARABIC_LINES = [
    "بِسْمِ اللَّهِ — قالَ الوزيرُ إنّ الكلفةَ بلغت ٣٫٥ مليار دولار 😀 في العام الماضي.",
    "«نحن لا نقبل ذلك»، قالت المتحدثة، مضيفةً: 𝐀 و𓂀 رمزان قديمان.",
    'A flag 🇸🇦 and a family 👨\u200d👩\u200d👧 with "quotes", commas; *stars* <b>tags</b> | pipes.',
    "الرقم 42% و1,000 — ليس نهائياً.",
]

ENGLISH_TEXT = (
    "Officials said the plant cost $3.5bn.\n"
    "A line separator\u2028inside one paragraph, and a tab\there.\n"
    "Trailing words end here "
)


def _span(text: str, needle: str, start_at: int = 0) -> tuple[int, int]:
    start = text.index(needle, start_at)
    return start, start + len(needle)


def make_corpus(directory: Path) -> list[ExportDocument]:
    """Three documents on disk (one with CRLF line breaks) and their annotations."""
    directory.mkdir(parents=True, exist_ok=True)
    arabic_file = directory / "خبر عاجل.txt"
    arabic_file.write_bytes(("\r\n".join(ARABIC_LINES) + "\r\n").encode("utf-8"))
    english_file = directory / "english & عربي.txt"
    english_file.write_bytes(ENGLISH_TEXT.encode("utf-8"))
    empty_file = directory / "plain.txt"
    empty_file.write_bytes("Nothing annotated here.\n".encode("utf-8"))

    documents = []

    doc = Document.open(arabic_file)
    text = doc.text
    assert "\r" not in text

    def make(start: int, end: int, labels=(), note="", annotator="alice", when="2026-11-24T08:30:00.000000+00:00"):
        return new_annotation(text, doc.fingerprint, doc.path, start, end, labels=labels, note=note, annotator=annotator, now=when)

    line_two = text.index("\n") + 1
    line_three = text.index("\n", line_two) + 1
    annotations = [
        make(*_span(text, ARABIC_LINES[0]), labels=("claim",), note="تحقق\nمن المصدر\tالأصلي"),
        make(*_span(text, "𝐀 و𓂀 رمزان"), labels=("quote", "claim"), annotator="بلال", when="2026-11-20T10:00:00.000001+00:00"),
        # crosses the line break between line 2 and line 3
        make(line_three - 8, line_three + 6, labels=("figure",), note='has "quotes", commas\nand a backslash \\ n | pipe'),
        make(*_span(text, "🇸🇦 and a family 👨\u200d👩\u200d👧"), labels=("rumour",), note="a | b"),
        # starts on a line break
        make(line_two - 1, line_two + 4, labels=("claim",)),
        make(*_span(text, "ليس نهائياً"), note="ملاحظة فقط"),
    ]
    updated = replace(annotations[1], updated="2026-11-22T12:00:00.000000+00:00")
    annotations[1] = updated
    orphan = replace(
        make(0, 4, labels=("claim",), note="lost"),
        start=5,
        end=13,
        exact="نص محذوف",
        prefix="قبل ",
        suffix=" بعد",
        orphaned=True,
        document="0" * 64,
    )
    annotations.append(orphan)
    documents.append(ExportDocument(doc.path, text, doc.fingerprint, sorted(annotations, key=_order)))

    doc = Document.open(english_file)
    text = doc.text

    def make_en(start: int, end: int, labels=(), note=""):
        return new_annotation(text, doc.fingerprint, doc.path, start, end, labels=labels, note=note, annotator="", now="2026-01-02T03:04:05.000006+00:00")

    documents.append(
        ExportDocument(
            doc.path,
            text,
            doc.fingerprint,
            sorted(
                [
                    make_en(0, 37, labels=("claim", "figure")),
                    make_en(*_span(text, "separator\u2028inside"), labels=("quote",), note="U+2028 inside"),
                    make_en(*_span(text, "a tab\there"), labels=("claim",)),
                    make_en(*_span(text, "end here "), labels=("figure",), note="ends the text, with a space"),
                ],
                key=_order,
            ),
        )
    )

    doc = Document.open(empty_file)
    documents.append(ExportDocument(doc.path, doc.text, doc.fingerprint, []))
    return documents


def _order(annotation: Annotation) -> tuple[int, int, str]:
    return annotation.start, annotation.end, annotation.created


def lookup_for(corpus: list[ExportDocument]):
    """The `documents` look-up an import gets: a document by the path the file names; a
    file Hamish wrote itself (brat's DOC.txt) is opened and matched by its text."""
    by_path = {str(d.path): d for d in corpus}
    by_fingerprint = {d.fingerprint: d for d in corpus}

    def documents(reference: str | None) -> ExportDocument | None:
        if reference is None:
            return None
        if reference in by_path:
            return by_path[reference]
        if not Path(reference).exists():
            return None
        return by_fingerprint.get(Document.open(reference).fingerprint)

    return documents


def import_into(store_dir: Path, fmt: str, path: Path, corpus: list[ExportDocument], documents=None):
    """read_import + merge into the store at `store_dir`; (report, {doc path: annotations})."""
    documents = documents or lookup_for(corpus)
    items = read_import(fmt, path, documents=documents, labels=LABELS)
    total = MergeReport()
    with AnnotationStore(store_dir) as store:
        for reference, group in group_by_document(items).items():
            doc = documents(reference)
            assert doc is not None, reference
            doc_store = store.open(doc.path, doc.fingerprint, doc.text)
            total = total + merge(doc_store, doc, group, "importer")
        stored = {}
        for doc in corpus:
            stored[str(doc.path)] = store.open(doc.path, doc.fingerprint, doc.text).annotations()
    return total, stored


def key(annotation: Annotation) -> tuple:
    return annotation.start, annotation.end, annotation.labels, annotation.note


# --- the corpus holds what it says ---------------------------------------------------------


def test_corpus_has_the_hard_cases(tmp_path):
    corpus = make_corpus(tmp_path)
    arabic, english, empty = corpus
    assert (tmp_path / "خبر عاجل.txt").read_bytes().count(b"\r\n") == 4
    assert "\r" not in arabic.text
    assert any(ord(c) > 0xFFFF for a in arabic.annotations for c in a.exact)
    assert {"𝐀", "𓂀"} <= set(arabic.text) and "\u0650" in arabic.text  # astral, kasra
    assert any("\n" in a.exact and not a.orphaned for a in arabic.annotations)
    assert any(a.exact.startswith("\n") for a in arabic.annotations)
    assert any(a.orphaned for a in arabic.annotations)
    assert any(not a.labels for a in arabic.annotations)
    assert any("rumour" in a.labels for a in arabic.annotations)
    assert any("\u2028" in a.exact for a in english.annotations)
    assert english.annotations[-1].end == len(english.text)
    assert not empty.annotations
    for document in corpus:
        for annotation in document.annotations:
            if not annotation.orphaned:
                assert document.text[annotation.start : annotation.end] == annotation.exact
