"""Issue 5 §4: arbitrary Unicode through the whole pipeline.

load → sentences → layout → tag → export (every format) → import (every format that reads
back) → merge into a fresh store, with Hypothesis generating the text, the annotated
sentences, their labels and their notes (notes are arbitrary text too).

What must hold for every input:

- nothing raises, anywhere; the only exception allowed is a `LoadError` for a text the
  loader legitimately refuses (an empty file, NUL bytes, a binary signature at the start),
  and then the rest is skipped; a file that loads is read as exactly the text written
  (one leading BOM dropped, line breaks normalised);
- sentences are well-formed spans of the loaded text, and the lazy index agrees with the
  splitter run on the whole text;
- every laid-out row covers its logical range exactly, fits its width, and draws no
  control character;
- offsets round-trip: each importable format gives back the same (start, end, labels,
  note) as was exported, and `text[start:end]` is the original exact text. Checked twice:
  the format alone (`read_import` + `merge`, the document handed over), and the way
  `hamish import` does it (`transfer.run_import`, the document loaded from disk; for brat
  the DOC.txt beside the .ann, and with `--doc`).

All five importable formats keep spans, every label and the note; csv and markdown are
export-only and are only written.

Surrogates are excluded (a file cannot hold them); every other general category is in, with
astral planes, unpaired combining marks, controls, bidi controls, line and paragraph
separators and `\\r` (which the loader turns into `\\n`: offsets index the loaded text).

`test_pipeline` keeps its example count low so this file runs in well under a minute;
`test_pipeline_many` (marked slow) runs many more.
"""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tui.core.store.annotation import new_annotation
from tui.core.text.document import Document
from tui.core.errors import LoadError
from tui.core.formats import EXPORTERS, IMPORTERS, ExportDocument, export, group_by_document, read_import
from tui.core.formats.merge import merge
from tui.core.layout.layout import LayoutOptions, layout_paragraph
from tui.core.labels import LabelSet
from tui.core.text.sentence_index import SentenceIndex
from tui.core.text.sentences import split_sentences
from tui.core.store.store import AnnotationStore
from tui.core.transfer import run_import

LABELS = LabelSet()

#: Formats that read back; all five keep the span, every label and the note.
ROUND_TRIP = ("jsonl", "w3c", "brat", "doccano", "label-studio")

WIDTHS = (1, 7, 40)
MODES = ("app", "terminal")

#: Binary signatures the loader refuses a file for (see tui/core/loading.py `_MAGIC`).
_SIGNATURES = ("\x89PNG\r\n\x1a\n", "\xff\xd8\xff", "GIF8", "%PDF-", "PK\x03\x04", "\x7fELF", "\x1f\x8b", "RIFF")

#: Any character a UTF-8 file can hold.
any_char = st.characters(exclude_categories=("Cs",))

#: Characters that make the hard cases likely rather than lucky: line breaks of every kind,
#: sentence terminators, bidi controls, invisibles, marks with and without a base, astral
#: and wide characters, presentation forms, controls.
HARD = (
    "\n\n\n\r\r\n\t  ..!?؟…«»\"'()"
    "\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e\x00\x1b\x07\x7f\x9b"
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200b\u200c\u200d\u2060\ufeff\u00ad"
    "\u0301\u064e\u0651\u0670\u20dd\u0903"
    "قال الوزير إن الكلفة بلغت ٣٫٥ مليار. ﻻ ﷲ"
    "abc Dr. U.S. 3.5"
    "😀🇸🇦👨‍👩‍👧中文𝐀𓂀"
)
hard_char = st.sampled_from(HARD)

#: Sentence separators, so that most texts have several sentences, lines and blocks.
separators = st.sampled_from(
    [". ", "! ", "? ", "؟ ", "… ", ".\n", "\n", "\n\n", "\r\n", ".» ", "\u2029", ". \u202e", " ", ""]
)
texts = st.one_of(
    st.text(alphabet=st.one_of(any_char, hard_char), max_size=300),
    st.lists(st.tuples(st.text(alphabet=st.one_of(any_char, hard_char), max_size=40), separators), max_size=8).map(
        lambda parts: "".join(piece + separator for piece, separator in parts)
    ),
)

#: Label names: the defaults, and others a config or an import may bring (Arabic, markup
#: look-alikes, astral letters, brat-hostile punctuation). All without whitespace, as the
#: config requires, and none a case variant of a default (import maps those onto the set).
label_names = st.sampled_from(
    ["claim", "quote", "figure", "rumour", "ادعاء", "[b]x[/b]", "[@click=app.quit]", "𝐀-label", "a|b", "T1", "x;y", "<&>", "Unlabelled-ish"]
)
label_sets = st.lists(label_names, max_size=3, unique=True)
notes = st.text(alphabet=st.one_of(any_char, hard_char), max_size=40)


def _refusal_is_legitimate(text: str, error: LoadError) -> bool:
    """A UTF-8 file of `text` may be refused only when it is empty, holds a NUL byte or
    starts with a binary signature."""
    if not text:
        return True
    if "\x00" in text:
        return True
    body = text[1:] if text.startswith("\ufeff") else text
    return any(text.startswith(s) or body.startswith(s) for s in _SIGNATURES) or not body


def load(directory: Path, text: str) -> Document | None:
    path = directory / "doc.txt"
    path.write_bytes(text.encode("utf-8"))
    try:
        doc = Document.open(path)
    except LoadError as exc:
        assert _refusal_is_legitimate(text, exc), f"refused {text!r}: {exc}"
        return None
    # A UTF-8 file is read as the text that was written: one leading BOM dropped, line
    # breaks normalised, nothing else. (A file with NUL bytes may be taken for UTF-16 by the
    # loader's sniffing; then only the rest of the pipeline is checked.)
    if "\x00" not in text or doc.encoding == "utf-8":
        expected = text[1:] if text.startswith("\ufeff") else text
        expected = expected.replace("\r\n", "\n").replace("\r", "\n")
        assert (doc.encoding, doc.text) == ("utf-8", expected)
    return doc


def check_sentences(doc: Document) -> list[tuple[int, int]]:
    text = doc.text
    spans = list(SentenceIndex(doc).all_spans())
    whole = split_sentences(text)
    assert spans == whole, "the lazy index and the splitter on the whole text disagree"
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        # No surrounding whitespace (README: "text[start:end] is the sentence without
        # surrounding whitespace").
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous_end = end
    return spans


def check_layout(doc: Document) -> None:
    for paragraph in range(doc.paragraph_count):
        start, end = doc.paragraph_span(paragraph)
        text = doc.text[start:end]
        assert "\n" not in text
        for bidi in MODES:
            for width in WIDTHS:
                rows = layout_paragraph(text, start, LayoutOptions(width=width, bidi=bidi))
                assert rows and rows[0].start == start and rows[-1].end == end
                for before, after in zip(rows, rows[1:]):
                    assert before.end == after.start
                seen = sorted(o for row in rows for cluster in row.clusters for o in cluster.offsets)
                assert seen == list(range(start, end))
                for row in rows:
                    assert all(row.start <= o < row.end for o in row.cell_offsets())
                    assert row.pad + row.width <= max(width, row.width)
                    if row.width > width:  # only a single glyph wider than the line
                        assert len([c for c in row.clusters if c.width]) == 1
                    assert not any(unicodedata.category(c) == "Cc" for c in row.text), row.text


def key(annotation) -> tuple:
    return annotation.start, annotation.end, tuple(annotation.labels), annotation.note


def run_pipeline(text: str, picks: list[int], tags: list[tuple[list[str], str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        doc = load(root, text)
        if doc is None:
            return
        spans = check_sentences(doc)
        check_layout(doc)

        # -- tag: up to three sentences, labels and arbitrary notes ----------------------------
        chosen = sorted({spans[p % len(spans)] for p in picks}) if spans else []
        annotations = []
        for span, (labels, note) in zip(chosen, tags):
            if not labels and not note:
                labels = ["claim"]
            annotations.append(
                new_annotation(doc.text, doc.fingerprint, doc.path, *span, labels=labels, note=note, annotator="fuzz")
            )
        with AnnotationStore(root / "store") as store:
            doc_store = store.open(doc.path, doc.fingerprint, doc.text)
            doc_store.put_many(annotations)
            stored = doc_store.annotations()
        assert sorted(map(key, stored)) == sorted(map(key, annotations))
        exported = ExportDocument(doc.path, doc.text, doc.fingerprint, stored)

        # -- export in every format; import back the ones that read -----------------------------
        assert set(IMPORTERS) == set(ROUND_TRIP)
        for fmt in EXPORTERS:
            out = root / "out" / (f"{fmt}.dir" if EXPORTERS[fmt].writes_directory else f"export.{fmt}")
            report = export(fmt, [exported], out, labels=LABELS)
            assert report.documents == 1 and report.annotations == len(stored), fmt
            if fmt in IMPORTERS:
                _round_trip(root, fmt, out, exported)
                _import_like_the_cli(root, fmt, out, exported)


def _round_trip(root: Path, fmt: str, out: Path, exported: ExportDocument) -> None:
    """The format alone: read_import + merge into a fresh store, every document looked up
    as the exported one (brat's DOC.txt is checked to be byte for byte that text)."""
    source = out
    brat_text = None
    if fmt == "brat":
        source = out / f"{exported.path.stem}.ann"
        brat_text = out / f"{exported.path.stem}.txt"
        # The text brat gets is byte for byte the text the offsets index.
        assert brat_text.read_bytes() == exported.text.encode("utf-8")

    def documents(reference: str | None) -> ExportDocument | None:
        if reference in (str(exported.path), str(brat_text)):
            return exported
        return None

    items = read_import(fmt, source, documents=documents, labels=LABELS)
    back = []
    with AnnotationStore(root / f"store-{fmt}") as store:
        for reference, group in group_by_document(items).items():
            assert documents(reference) is exported, (fmt, reference)
            doc_store = store.open(exported.path, exported.fingerprint, exported.text)
            report = merge(doc_store, exported, group, "importer")
            assert report.mismatches == [], (fmt, report.mismatches)
        back = store.open(exported.path, exported.fingerprint, exported.text).annotations()
    _same(fmt, back, exported)


def _import_like_the_cli(root: Path, fmt: str, out: Path, exported: ExportDocument) -> None:
    """`hamish import FILE --format FMT` (transfer.run_import) into a fresh store: documents
    found and loaded from disk as the command finds them: the path the file names, and for
    brat the DOC.txt beside the .ann (which the annotations then belong to), or `--doc`."""
    if fmt == "brat":
        source = out / f"{exported.path.stem}.ann"
        runs = [(source.with_suffix(".txt"), None), (exported.path, exported.path)]  # as is, --doc
    else:
        source = out
        runs = [(exported.path, None)]
    for n, (owner, doc_path) in enumerate(runs):
        with AnnotationStore(root / f"cli-store-{fmt}-{n}") as store:
            report = run_import(fmt, source, store, "importer", LABELS, doc_path)
            assert report.mismatches == [], (fmt, report.mismatches)
            # brat's DOC.txt is read exactly as written (a leading U+FEFF is text there).
            opener = Document.open_exact if fmt == "brat" and doc_path is None else Document.open
            owner_doc = opener(owner)
            back = store.open(owner_doc.path, owner_doc.fingerprint, owner_doc.text).annotations()
        _same(f"{fmt} (hamish import{' --doc' if doc_path else ''})", back, exported)


def _same(fmt: str, back: list, exported: ExportDocument) -> None:
    assert sorted(map(key, back)) == sorted(map(key, exported.annotations)), fmt
    for annotation in back:
        assert not annotation.orphaned, fmt
        assert exported.text[annotation.start : annotation.end] == annotation.exact, fmt


pipeline_inputs = dict(
    text=texts,
    picks=st.lists(st.integers(min_value=0, max_value=10_000), max_size=3),
    tags=st.lists(st.tuples(label_sets, notes), min_size=3, max_size=3),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**pipeline_inputs)
@example(
    text="قال الوزير: «الكلفة ٣٫٥ مليار».\r\nA second\u2028line. 😀 done!\n\n\u202eRLO here. ok",
    picks=[0, 1, 2],
    tags=[(["claim", "[b]x[/b]"], "note\nwith\tbreaks \\n | \u2029"), ([], "\x00\x1b[2J"), (["ادعاء"], "")],
)
@example(text="\u0651\u0651 orphan marks first. then\x85a NEL. \U0001F600", picks=[0, 1], tags=[(["quote"], "x"), ([], "𝐀"), ([], "")])
# The file starts with two BOMs, so the loaded text starts with U+FEFF: brat's DOC.txt must
# still index the same text when `hamish import` loads it back.
@example(text="\ufeff\ufeffstarts with a BOM in the text. Then more.", picks=[0, 1], tags=[(["claim"], ""), (["figure"], "n"), ([], "")])
def test_pipeline(text, picks, tags):
    run_pipeline(text, picks, tags)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**pipeline_inputs)
def test_pipeline_many(text, picks, tags):
    run_pipeline(text, picks, tags)
