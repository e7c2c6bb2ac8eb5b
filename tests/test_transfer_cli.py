"""`hamish export` / `hamish import` as a user runs them, and the app's `e`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AR_SAMPLE
from pilot import ready
from tui.app import HamishApp
from tui.core.store.annotation import new_annotation
from tui.core.layout.display import display_line
from tui.core.text.document import Document
from tui.core.text.sentence_index import SentenceIndex
from tui.core.store.store import AnnotationStore

FORMATS = ["jsonl", "w3c", "brat", "doccano", "label-studio"]


def hamish(*args: str, store: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HAMISH_DATA_DIR": str(store)}
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, encoding="utf-8", env=env)


@pytest.fixture
def annotated(tmp_path) -> tuple[Path, Path, list[tuple[int, int, tuple[str, ...], str]]]:
    """A document with CRLF line ends, an emoji and harakat, and three annotations in a store."""
    text = AR_SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n") + "ملاحظة أخيرة 😀 عن المَشروع.\r\n"
    doc_path = tmp_path / "مقال تجريبي.txt"
    doc_path.write_bytes(text.encode("utf-8"))
    doc = Document.open(doc_path)
    spans = list(SentenceIndex(doc).all_spans())
    wanted = [
        (*spans[1], ("claim",), ""),
        (*spans[4], ("quote", "figure"), "تحقق من الرقم"),
        (*spans[-1], ("figure",), 'note with "quotes", commas\nand a newline'),
    ]
    store_dir = tmp_path / "store"
    with AnnotationStore(store_dir) as store:
        document = store.open(doc.path, doc.fingerprint, doc.text)
        document.put_many(
            [
                new_annotation(doc.text, doc.fingerprint, doc.path, a, b, labels=labels, note=note, annotator="rana")
                for a, b, labels, note in wanted
            ]
        )
        document.close()
    return doc_path, store_dir, wanted


def stored(store_dir: Path, doc_path: Path) -> list[tuple[int, int, tuple[str, ...], str]]:
    doc = Document.open(doc_path)
    with AnnotationStore(store_dir) as store:
        annotations = store.open(doc.path, doc.fingerprint, doc.text).annotations()
    return sorted((a.start, a.end, tuple(sorted(a.labels)), a.note) for a in annotations)


def normalised(wanted):
    return sorted((a, b, tuple(sorted(labels)), note) for a, b, labels, note in wanted)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_then_import_into_an_empty_store_round_trips(fmt, annotated, tmp_path):
    doc_path, store_dir, wanted = annotated
    target = tmp_path / ("out-brat" if fmt == "brat" else f"out.{fmt}")
    result = hamish("export", str(doc_path), "--format", fmt, "-o", str(target), store=store_dir)
    assert result.returncode == 0, result.stderr
    assert "exported 3 annotation(s)" in result.stderr and "offsets in" in result.stderr
    source = next(target.glob("*.ann")) if fmt == "brat" else target
    if fmt == "brat":
        # Without --doc, brat annotations belong to the DOC.txt exported beside them.
        beside = tmp_path / "beside"
        result = hamish("import", str(source), "--format", fmt, store=beside)
        assert result.returncode == 0, result.stderr
        assert stored(beside, source.with_suffix(".txt")) == normalised(wanted)
    fresh = tmp_path / "fresh"
    args = ["import", str(source), "--format", fmt, "--doc", str(doc_path)]
    result = hamish(*args, store=fresh)
    assert result.returncode == 0, result.stderr
    assert "3 annotation(s) added" in result.stderr
    assert stored(fresh, doc_path) == normalised(wanted)
    # Importing the same file again doubles nothing.
    again = hamish(*args, store=fresh)
    assert "0 annotation(s) added" in again.stderr and "duplicate" in again.stderr
    assert stored(fresh, doc_path) == normalised(wanted)


@pytest.mark.parametrize("fmt", ["csv", "markdown"])
def test_report_formats_export(fmt, annotated, tmp_path):
    doc_path, store_dir, _ = annotated
    result = hamish("export", str(doc_path), "--format", fmt, "-o", "-", store=store_dir)
    assert result.returncode == 0, result.stderr
    assert "تحقق من الرقم" in result.stdout


def test_export_all_and_default_output_next_to_the_document(annotated):
    doc_path, store_dir, _ = annotated
    result = hamish("export", str(doc_path), "--format", "jsonl", store=store_dir)
    assert result.returncode == 0, result.stderr
    beside = doc_path.with_name(doc_path.name + ".annotations.jsonl")
    assert beside.exists()
    everything = hamish("export", "--all", "--format", "jsonl", "-o", "-", store=store_dir)
    records = [json.loads(line) for line in everything.stdout.splitlines()]
    assert sum(1 for r in records if "labels" in r) == 3


def test_malformed_import_is_rejected_whole_and_changes_nothing(annotated, tmp_path):
    doc_path, store_dir, wanted = annotated
    good = tmp_path / "good.jsonl"
    assert hamish("export", str(doc_path), "--format", "jsonl", "-o", str(good), store=store_dir).returncode == 0
    lines = good.read_text(encoding="utf-8").splitlines()
    lines.insert(2, '{"start": "nine"}')
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fresh = tmp_path / "fresh"
    result = hamish("import", str(bad), "--format", "jsonl", "--doc", str(doc_path), store=fresh)
    assert result.returncode == 2
    assert "line 3" in result.stderr and "Traceback" not in result.stderr
    assert stored(fresh, doc_path) == []


def test_offsets_that_do_not_match_are_reported_not_shifted(annotated, tmp_path):
    doc_path, store_dir, wanted = annotated
    out = tmp_path / "out.w3c"
    assert hamish("export", str(doc_path), "--format", "w3c", "-o", str(out), store=store_dir).returncode == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    items = data["first"]["items"] if "first" in data else data["items"]
    for selector in items[0]["target"]["selector"]:
        if selector["type"] == "TextPositionSelector":
            selector["start"] += 3
            selector["end"] += 3
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    fresh = tmp_path / "fresh"
    result = hamish("import", str(out), "--format", "w3c", "--doc", str(doc_path), store=fresh)
    assert result.returncode == 0, result.stderr
    assert "1 mismatched rejected" in result.stderr and "not imported" in result.stderr
    assert len(stored(fresh, doc_path)) == 2


def test_export_needs_files_or_all_and_brat_needs_a_directory(annotated):
    doc_path, store_dir, _ = annotated
    assert hamish("export", "--format", "jsonl", store=store_dir).returncode == 2
    result = hamish("export", str(doc_path), "--format", "brat", "-o", "-", store=store_dir)
    assert result.returncode == 2 and "directory" in result.stderr


async def test_e_exports_next_to_the_document_and_says_where(annotated, monkeypatch):
    doc_path, store_dir, _ = annotated
    monkeypatch.setenv("HAMISH_DATA_DIR", str(store_dir))
    app = HamishApp(Document.open(doc_path))
    async with app.run_test(size=(110, 32)) as pilot:
        await ready(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        assert type(app.screen).__name__ == "ExportScreen"
        await pilot.press("down", "enter")  # the second choice: w3c
        await pilot.pause()
        target = doc_path.with_name(doc_path.name + ".w3c.jsonld")
        assert target.exists()
        # Notifications show Arabic shaped and ordered, like the text.
        assert any(display_line(str(target)) in n.message for n in app._notifications)
