"""The annotation store: persistence, file format, locking, damaged files, write failures,
re-anchoring after edits, and undo/redo.

Every test uses its own temporary store directory. Write failures are simulated twice: with
a real read-only directory (skipped as root, who can write anyway) and by making `os.replace`
or the write itself fail, which works for everyone.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from tinydb import TinyDB
from tinydb.storages import JSONStorage

from tui.core.store import durable as durable_module
from tui.core.store.anchoring import ReanchorReport, reanchor
from tui.core.store.annotation import (
    CONTEXT_CHARS,
    SCHEMA_VERSION,
    Annotation,
    default_annotator,
    new_annotation,
    toggle_label,
    utc_now,
    with_labels,
    with_note,
)
from tui.core.store.history import Change, History
from tui.core.store.store import (
    AnnotationStore,
    StoreError,
    StoreFormatError,
    StoreTooNewError,
    StoreWriteError,
    default_store_dir,
)

REPO = Path(__file__).resolve().parents[1]

S1 = "قال وزير المياه إن محطة التحلية الجديدة ستنتج ٥٠٠ ألف متر مكعب يومياً."
S2 = "وأضاف أن المشروع سيكلف 2.5 مليار دولار."
S3 = "The ministry said the plant will open in 2027."
S4 = "وقال خبير مستقل: «الأرقام متفائلة جداً»."
TEXT = " ".join([S1, S2, S3, S4]) + "\n"


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def span_of(text: str, sentence: str) -> tuple[int, int]:
    start = text.index(sentence)
    return start, start + len(sentence)


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "news.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


def make(text: str, sentence: str, doc: Path, labels=("claim",), **kwargs) -> Annotation:
    start, end = span_of(text, sentence)
    return new_annotation(text, fingerprint(text), doc, start, end, labels=labels, annotator="tester", **kwargs)


def temp_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def _permissions_bind() -> bool:
    """Whether a read-only directory really refuses us (not as root, unless root lost CAP_DAC_OVERRIDE)."""
    probe = Path(tempfile.mkdtemp())
    try:
        probe.chmod(0o555)
        try:
            (probe / "x").write_bytes(b"")
        except PermissionError:
            return True
        (probe / "x").unlink()
        return False
    finally:
        probe.chmod(0o755)
        shutil.rmtree(probe, ignore_errors=True)


needs_permissions = pytest.mark.skipif(not _permissions_bind(), reason="running as root: read-only directories do not stop us")


# --- annotations ---------------------------------------------------------------------------


def test_new_annotation_cuts_exact_and_context(doc):
    a = make(TEXT, S2, doc)
    assert a.exact == S2
    assert TEXT[a.start : a.end] == S2
    assert a.prefix == TEXT[a.start - CONTEXT_CHARS : a.start]
    assert a.suffix == TEXT[a.end : a.end + CONTEXT_CHARS]
    assert len(a.document) == 64 and a.created == a.updated
    assert a.path == str(doc)
    first = make(TEXT, S1, doc)
    assert first.prefix == ""


def test_new_annotation_rejects_bad_spans(doc):
    for start, end in [(5, 5), (-1, 3), (10, 3), (0, len(TEXT) + 1)]:
        with pytest.raises(ValueError):
            new_annotation(TEXT, fingerprint(TEXT), doc, start, end, annotator="x")


def test_record_round_trip_and_helpers(doc):
    a = make(TEXT, S1, doc, labels=("claim", "figure", "claim"), note="مصدر رسمي")
    assert a.labels == ("claim", "figure")
    record = a.to_record()
    assert record["labels"] == ["claim", "figure"]
    assert json.loads(json.dumps(record)) == record
    assert Annotation.from_record(record, "here") == a
    later = "2030-01-01T00:00:00.000000+00:00"
    b = toggle_label(a, "figure", now=later)
    assert b.labels == ("claim",) and b.updated == later and b.created == a.created
    assert toggle_label(b, "quote", now=later).labels == ("claim", "quote")
    assert with_labels(a, ["quote"], now=later).labels == ("quote",)
    assert with_note(a, "جديد", now=later).note == "جديد"
    assert utc_now().endswith("+00:00") and "." in utc_now()
    assert isinstance(default_annotator(), str) and default_annotator()


def test_default_annotator_falls_back(monkeypatch):
    def broken():
        raise KeyError("no such user")

    monkeypatch.setattr("getpass.getuser", broken)
    assert default_annotator() == "unknown"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": -1}, "start"),
        ({"start": "3"}, "start"),
        ({"end": True}, "end"),
        ({"labels": "claim"}, "labels"),
        ({"labels": ["claim", 3]}, "labels"),
        ({"labels": ["claim", "claim"]}, "labels"),
        ({"document": "abc"}, "document"),
        ({"created": "yesterday"}, "created"),
        ({"orphaned": "no"}, "orphaned"),
        ({"exact": "short"}, "exact"),
        ({"id": ""}, "id"),
    ],
)
def test_from_record_names_the_bad_field(doc, change, field):
    record = dict(make(TEXT, S1, doc).to_record(), **change)
    with pytest.raises(StoreFormatError) as caught:
        Annotation.from_record(record, "FILE: annotation 7")
    assert str(caught.value).startswith("FILE: annotation 7: field ")
    assert f"'{field}'" in str(caught.value)


def test_from_record_missing_field_and_wrong_type(doc):
    record = make(TEXT, S1, doc).to_record()
    del record["note"]
    with pytest.raises(StoreFormatError, match="field 'note' is missing"):
        Annotation.from_record(record, "F")
    with pytest.raises(StoreFormatError, match="must be an object"):
        Annotation.from_record(["not", "a", "record"], "F")


def test_default_store_dir_honours_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HAMISH_DATA_DIR", str(tmp_path / "data"))
    assert default_store_dir() == tmp_path / "data"
    monkeypatch.delenv("HAMISH_DATA_DIR")
    assert default_store_dir().name == "store"


# --- persistence and format ----------------------------------------------------------------


def test_round_trip_across_instances(doc, store_dir):
    a, b = make(TEXT, S1, doc), make(TEXT, S3, doc, labels=("figure",))
    with AnnotationStore(store_dir) as store:
        assert not store.read_only
        document = store.open(doc, fingerprint(TEXT), TEXT)
        assert document.annotations() == [] and document.reanchor is None
        document.put(a)
        document.put(b)
        document.put(toggle_label(a, "quote"))
        document.remove(b.id)
        document.remove("no-such-id")  # harmless
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        [stored] = document.annotations()
        assert stored.id == a.id and stored.labels == ("claim", "quote")
        assert document.get(b.id) is None
        assert document.at_span(a.start, a.end) == stored
        assert document.at_span(a.start, a.end + 1) is None
        assert document.reanchor is None


def test_put_is_on_disk_before_it_returns(doc, store_dir):
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        a = make(TEXT, S2, doc)
        document.put(a)
        # Read the file with plain json while the store is still open: no flush needed.
        data = json.loads(document.file.read_text(encoding="utf-8"))
        assert [r["id"] for r in data["annotations"].values()] == [a.id]
        assert temp_files(store_dir) == []


def test_annotations_sorted_and_at_span(doc, store_dir):
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        for sentence in (S4, S2, S1, S3):
            document.put(make(TEXT, sentence, doc))
        assert [x.exact for x in document.annotations()] == [S1, S2, S3, S4]
        start, end = span_of(TEXT, S3)
        assert document.at_span(start, end).exact == S3


def test_file_is_utf8_readable_arabic_and_a_tinydb_database(doc, store_dir):
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        document.put(make(TEXT, S1, doc, note="ملاحظة"))
        file = document.file
    raw = file.read_bytes()
    assert S1.encode("utf-8") in raw
    assert "ملاحظة".encode("utf-8") in raw
    assert b"\\u06" not in raw
    assert file.name == f"{hashlib.sha256(str(doc.resolve()).encode()).hexdigest()[:24]}.json"
    # Plain TinyDB (its own JSONStorage, read-only) reads the same file.
    db = TinyDB(str(file), storage=JSONStorage, access_mode="r", encoding="utf-8")
    try:
        [record] = db.table("annotations").all()
        assert record["exact"] == S1
        [meta] = db.table("_meta").all()
        assert meta["schema"] == SCHEMA_VERSION and meta["fingerprint"] == fingerprint(TEXT)
    finally:
        db.close()


def test_no_file_until_something_is_saved(doc, store_dir):
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        document.close()
        assert not store.file_for(doc).exists()


def test_reading_position_persisted(doc, store_dir):
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        assert document.reading_position is None
        document.set_reading_position(42)
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        assert document.reading_position == 42
        document.set_reading_position(7)
        document.put(make(TEXT, S1, doc))  # rides along with the next write
        assert json.loads(document.file.read_text("utf-8"))["_meta"]["1"]["reading_position"] == 7


def test_many_labels(doc, store_dir):
    labels = tuple(f"label-{i}" for i in range(60)) + ("ادعاء", "اقتباس", "رقم")
    a = make(TEXT, S2, doc, labels=labels)
    with AnnotationStore(store_dir) as store:
        store.open(doc, fingerprint(TEXT), TEXT).put(a)
    with AnnotationStore(store_dir) as store:
        assert store.open(doc, fingerprint(TEXT), TEXT).get(a.id).labels == labels


def test_documents_lists_everything_and_skips_bad_files(tmp_path, store_dir):
    docs = []
    for i in range(3):
        path = tmp_path / f"d{i}.txt"
        path.write_text(TEXT, encoding="utf-8")
        docs.append(path)
    with AnnotationStore(store_dir) as store:
        for i, path in enumerate(docs):
            document = store.open(path, fingerprint(TEXT), TEXT)
            for sentence in (S1, S2, S3)[: i + 1]:
                document.put(make(TEXT, sentence, path))
            if i:
                document.close()
        (store_dir / "broken.json").write_text("{", encoding="utf-8")
        found = {meta["path"]: len(annotations) for meta, annotations in store.documents()}
        assert found == {str(p.resolve()): n for p, n in zip(docs, (1, 2, 3))}
        [(bad, why)] = store.skipped
        assert bad.name == "broken.json" and "not valid JSON" in why


# --- locking -------------------------------------------------------------------------------


def test_second_store_in_same_process_is_read_only(doc, store_dir):
    first = AnnotationStore(store_dir)
    try:
        a = make(TEXT, S1, doc)
        first.open(doc, fingerprint(TEXT), TEXT).put(a)
        before = first.file_for(doc).read_bytes()
        second = AnnotationStore(store_dir)
        assert second.read_only
        assert second.read_only_reason == f"another Hamish is using {store_dir}; opened read-only"
        document = second.open(doc, fingerprint(TEXT), TEXT)
        assert document.read_only and document.get(a.id) == a
        with pytest.raises(StoreWriteError, match="another Hamish"):
            document.put(toggle_label(a, "quote"))
        with pytest.raises(StoreWriteError):
            document.remove(a.id)
        assert document.get(a.id) == a and not document.pending
        second.close()
        assert first.file_for(doc).read_bytes() == before
    finally:
        first.close()
    third = AnnotationStore(store_dir)
    assert not third.read_only
    third.close()


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tui.core.store.store import AnnotationStore
    store = AnnotationStore(Path(sys.argv[1]))
    print("read_only" if store.read_only else "writable", store.read_only_reason, flush=True)
    sys.stdin.readline()
    store.close()
    """
)


def run_child(store_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(store_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def test_other_process_is_read_only_while_we_hold_the_lock(store_dir):
    with AnnotationStore(store_dir):
        child = run_child(store_dir)
        out, _ = child.communicate("\n", timeout=30)
    assert out.startswith("read_only another Hamish is using")


def test_we_are_read_only_while_another_process_holds_the_lock(store_dir):
    child = run_child(store_dir)
    try:
        assert child.stdout.readline().startswith("writable")
        store = AnnotationStore(store_dir)
        assert store.read_only and "another Hamish" in store.read_only_reason
        store.close()
    finally:
        child.communicate("\n", timeout=30)
    store = AnnotationStore(store_dir)
    assert not store.read_only
    store.close()


@needs_permissions
def test_read_only_directory_opens_read_only(doc, store_dir):
    store_dir.mkdir()
    store_dir.chmod(0o555)
    try:
        with AnnotationStore(store_dir) as store:
            assert store.read_only and "cannot write" in store.read_only_reason
            document = store.open(doc, fingerprint(TEXT), TEXT)
            with pytest.raises(StoreWriteError):
                document.put(make(TEXT, S1, doc))
    finally:
        store_dir.chmod(0o755)


def test_closed_store_refuses_work(doc, store_dir):
    store = AnnotationStore(store_dir)
    document = store.open(doc, fingerprint(TEXT), TEXT)
    store.close()
    with pytest.raises(StoreError):
        store.open(doc, fingerprint(TEXT), TEXT)
    with pytest.raises(StoreError):
        document.put(make(TEXT, S1, doc))


# --- damaged and foreign files -------------------------------------------------------------


def write_good_file(doc: Path, store_dir: Path) -> Path:
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        document.put(make(TEXT, S1, doc))
        document.put(make(TEXT, S2, doc))
        return document.file


def corrupt_truncated(data: dict, raw: str) -> str:
    return raw[: len(raw) // 2]


def corrupt_list(data: dict, raw: str) -> str:
    return json.dumps([data])


def corrupt_table(data: dict, raw: str) -> str:
    data["annotations"] = ["a", "list"]
    return json.dumps(data, ensure_ascii=False)


def corrupt_field(data: dict, raw: str) -> str:
    data["annotations"]["2"]["start"] = -5
    return json.dumps(data, ensure_ascii=False)


def corrupt_labels(data: dict, raw: str) -> str:
    data["annotations"]["1"]["labels"] = "claim"
    return json.dumps(data, ensure_ascii=False)


def corrupt_schema_missing(data: dict, raw: str) -> str:
    del data["_meta"]["1"]["schema"]
    return json.dumps(data, ensure_ascii=False)


def corrupt_not_utf8(data: dict, raw: str) -> bytes:
    return raw.encode("utf-8")[:40] + b"\xff\xfe" + raw.encode("utf-8")[40:]


def corrupt_duplicate_id(data: dict, raw: str) -> str:
    data["annotations"]["2"]["id"] = data["annotations"]["1"]["id"]
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    ("corrupt", "expected"),
    [
        (corrupt_truncated, "not valid JSON"),
        (corrupt_list, "must be a JSON object"),
        (corrupt_table, "table 'annotations' must be an object"),
        (corrupt_field, "annotation 2: field 'start' must be a non-negative integer"),
        (corrupt_labels, "annotation 1: field 'labels'"),
        (corrupt_schema_missing, "_meta: field 'schema' is missing"),
        (corrupt_not_utf8, "not UTF-8"),
        (corrupt_duplicate_id, "annotation 2: field 'id' repeats annotation 1"),
    ],
)
def test_corrupt_file_is_reported_and_left_alone(doc, store_dir, corrupt, expected):
    file = write_good_file(doc, store_dir)
    raw = file.read_text(encoding="utf-8")
    damaged = corrupt(json.loads(raw), raw)
    file.write_bytes(damaged if isinstance(damaged, bytes) else damaged.encode("utf-8"))
    before = file.read_bytes()
    with AnnotationStore(store_dir) as store:
        with pytest.raises(StoreFormatError) as caught:
            store.open(doc, fingerprint(TEXT), TEXT)
        assert str(caught.value).startswith(f"{file}: ")
        assert expected in str(caught.value)
        assert caught.value.path == file
        # Opening again, or with a changed text (which would re-anchor), still leaves it alone.
        with pytest.raises(StoreFormatError):
            store.open(doc, fingerprint(TEXT + "x"), TEXT + "x")
    assert file.read_bytes() == before


def test_move_aside_keeps_the_bad_file_and_starts_afresh(doc, store_dir):
    file = write_good_file(doc, store_dir)
    file.write_text('{"_meta": ', encoding="utf-8")
    with AnnotationStore(store_dir) as store:
        with pytest.raises(StoreFormatError) as caught:
            store.open(doc, fingerprint(TEXT), TEXT)
        moved = store.move_aside(caught.value.path)
        assert moved.parent == store_dir
        assert moved.name.startswith(f"{file.name}.corrupt-") and moved.name.endswith("Z")
        assert moved.read_text(encoding="utf-8") == '{"_meta": '
        assert not file.exists()
        document = store.open(doc, fingerprint(TEXT), TEXT)
        assert document.annotations() == []
        document.put(make(TEXT, S1, doc))
        # moved-aside files are not documents
        assert len(list(store.documents())) == 1 and store.skipped == []
        file.write_text("[]", encoding="utf-8")
        document.close()
    with AnnotationStore(store_dir) as store:
        with pytest.raises(StoreFormatError):
            store.open(doc, fingerprint(TEXT), TEXT)
        second = store.move_aside(file)
        assert second != moved and second.exists() and moved.exists()


def test_newer_schema_is_refused(doc, store_dir):
    file = write_good_file(doc, store_dir)
    data = json.loads(file.read_text(encoding="utf-8"))
    data["_meta"]["1"]["schema"] = 3
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = file.read_bytes()
    with AnnotationStore(store_dir) as store:
        with pytest.raises(StoreTooNewError) as caught:
            store.open(doc, fingerprint(TEXT), TEXT)
    assert str(caught.value) == f"{file}: was written by a newer Hamish (schema 3; this one reads up to 1)"
    assert caught.value.schema == 3
    assert file.read_bytes() == before


# --- write failures ------------------------------------------------------------------------


def check_failed_then_recovered(doc, store_dir, break_writes, fix_writes):
    """Shared scenario: one change saved, the next fails, memory keeps it, the fix saves all."""
    store = AnnotationStore(store_dir)
    try:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        a, b = make(TEXT, S1, doc), make(TEXT, S2, doc)
        document.put(a)
        file = document.file
        before = file.read_bytes()
        break_writes()
        with pytest.raises(StoreWriteError) as caught:
            document.put(b)
        message = str(caught.value)
        assert message.startswith(f"{file}: ") and "not saved" in message and "kept in memory, will retry" in message
        assert document.pending and document.last_error == message
        assert document.get(b.id) == b
        toggled = toggle_label(a, "figure")
        with pytest.raises(StoreWriteError):
            document.put(toggled)
        with pytest.raises(StoreWriteError):
            document.flush()
        assert document.get(a.id) == toggled and document.pending
        assert file.read_bytes() == before
        assert temp_files(store_dir) == []
        fix_writes()
        document.flush()
        assert not document.pending and document.last_error is None
    finally:
        fix_writes()
        store.close()
    with AnnotationStore(store_dir) as store:
        again = store.open(doc, fingerprint(TEXT), TEXT)
        assert again.get(b.id) == b and again.get(a.id) == toggled


@needs_permissions
def test_directory_made_read_only_while_open(doc, store_dir):
    check_failed_then_recovered(
        doc, store_dir, lambda: store_dir.chmod(0o555), lambda: store_dir.chmod(0o755)
    )


def test_rename_refused(doc, store_dir, monkeypatch):
    real_replace = os.replace

    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    check_failed_then_recovered(
        doc,
        store_dir,
        lambda: monkeypatch.setattr(os, "replace", refuse),
        lambda: monkeypatch.setattr(os, "replace", real_replace),
    )


def test_disk_full_mid_write_leaves_the_old_file(doc, store_dir, monkeypatch):
    real_write_all = durable_module._write_all

    def half_then_full(fd, data):
        os.write(fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    check_failed_then_recovered(
        doc,
        store_dir,
        lambda: monkeypatch.setattr(durable_module, "_write_all", half_then_full),
        lambda: monkeypatch.setattr(durable_module, "_write_all", real_write_all),
    )


def test_disk_full_message_without_strerror(doc, store_dir, monkeypatch):
    def full(fd, data):
        raise OSError(errno.ENOSPC)

    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        monkeypatch.setattr(durable_module, "_write_all", full)
        with pytest.raises(StoreWriteError, match="No space left on device"):
            document.put(make(TEXT, S1, doc))
        monkeypatch.undo()


def test_failed_write_then_later_put_saves_everything(doc, store_dir, monkeypatch):
    a, b = make(TEXT, S1, doc), make(TEXT, S2, doc)
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        with monkeypatch.context() as patch:
            patch.setattr(os, "replace", lambda s, d: (_ for _ in ()).throw(OSError(errno.EIO, "Input/output error")))
            with pytest.raises(StoreWriteError, match="Input/output error"):
                document.put(a)
        document.put(b)  # succeeds, and carries a with it
        assert not document.pending
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        assert {x.id for x in document.annotations()} == {a.id, b.id}


def test_close_reports_what_could_not_be_saved(doc, store_dir, monkeypatch):
    store = AnnotationStore(store_dir)
    document = store.open(doc, fingerprint(TEXT), TEXT)
    monkeypatch.setattr(os, "replace", lambda s, d: (_ for _ in ()).throw(OSError(errno.EIO, "Input/output error")))
    with pytest.raises(StoreWriteError):
        document.put(make(TEXT, S1, doc))
    with pytest.raises(StoreWriteError, match="not saved"):
        store.close()
    monkeypatch.undo()
    assert not store.file_for(doc).exists()
    assert not AnnotationStore(store_dir).read_only  # the lock was released anyway


# --- re-anchoring --------------------------------------------------------------------------


def reopen(store_dir: Path, doc: Path, text: str):
    doc.write_text(text, encoding="utf-8")
    store = AnnotationStore(store_dir)
    return store, store.open(doc, fingerprint(text), text)


def annotate_all(doc, store_dir) -> dict[str, Annotation]:
    made = {}
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        for sentence, label in ((S1, "claim"), (S2, "figure"), (S3, "quote"), (S4, "quote")):
            made[sentence] = make(TEXT, sentence, doc, labels=(label,))
            document.put(made[sentence])
    return made


def check_placed(document, text: str) -> None:
    for annotation in document.annotations():
        if not annotation.orphaned:
            assert text[annotation.start : annotation.end] == annotation.exact
            assert annotation.document == fingerprint(text)
            assert annotation.prefix == text[max(0, annotation.start - CONTEXT_CHARS) : annotation.start]


def test_reanchor_after_insertion_before(doc, store_dir):
    made = annotate_all(doc, store_dir)
    edited = "عاجل: " + TEXT.replace(S3, "Officials added: " + S3)
    store, document = reopen(store_dir, doc, edited)
    with store:
        assert document.reanchor == ReanchorReport(kept=0, moved=4, orphaned=0)
        check_placed(document, edited)
        assert document.get(made[S3].id).start == edited.index(S3)
        assert document.get(made[S2].id).labels == ("figure",)
        file_meta = json.loads(document.file.read_text("utf-8"))["_meta"]["1"]
        assert file_meta["fingerprint"] == fingerprint(edited)
    # Persisted: opening the same text again re-anchors nothing.
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(edited), edited)
        assert document.reanchor is None
        check_placed(document, edited)


def test_reanchor_edit_after_keeps_offsets(doc, store_dir):
    annotate_all(doc, store_dir)
    edited = TEXT + "فقرة جديدة في النهاية.\n"
    store, document = reopen(store_dir, doc, edited)
    with store:
        assert document.reanchor == ReanchorReport(kept=4, moved=0, orphaned=0)


def test_reanchor_sentence_moved(doc, store_dir):
    made = annotate_all(doc, store_dir)
    edited = " ".join([S4, S1, S2, S3]) + "\n"
    store, document = reopen(store_dir, doc, edited)
    with store:
        report = document.reanchor
        assert report.orphaned == 0 and report.kept + report.moved == 4 and report.moved >= 3
        moved = document.get(made[S4].id)
        assert (moved.start, moved.end) == span_of(edited, S4)
        check_placed(document, edited)


def test_reanchor_deleted_sentence_is_orphaned_then_restored(doc, store_dir):
    made = annotate_all(doc, store_dir)
    edited = TEXT.replace(S2 + " ", "")
    store, document = reopen(store_dir, doc, edited)
    with store:
        assert document.reanchor == ReanchorReport(kept=1, moved=2, orphaned=1)
        orphan = document.get(made[S2].id)
        assert orphan.orphaned and orphan.labels == ("figure",) and orphan.exact == S2
        assert (orphan.start, orphan.end) == (made[S2].start, made[S2].end)  # old offsets
        assert document.at_span(orphan.start, orphan.end) is None
        assert len(document.annotations()) == 4
        check_placed(document, edited)
    # Shorten the text so the orphan's offsets must be clamped.
    short = S1 + "\n"
    store, document = reopen(store_dir, doc, short)
    with store:
        assert document.reanchor == ReanchorReport(kept=1, moved=0, orphaned=3)
        for annotation in document.annotations():
            assert 0 <= annotation.start <= annotation.end <= len(short)
    # Orphans survive a reopen and are placed again when the text comes back.
    store, document = reopen(store_dir, doc, TEXT)
    with store:
        assert document.reanchor == ReanchorReport(kept=1, moved=3, orphaned=0)
        for sentence, original in made.items():
            back = document.get(original.id)
            assert not back.orphaned and (back.start, back.end) == (original.start, original.end)
            assert back.labels == original.labels
        check_placed(document, TEXT)


def test_reanchor_picks_occurrence_by_context():
    text = "أ. الرقم ١٠٠. ب. قال الوزير. الرقم ١٠٠. ج. نص آخر."
    fp = fingerprint(text)
    second = text.index("الرقم ١٠٠.", text.index("الوزير"))
    annotation = new_annotation(text, fp, "/x", second, second + len("الرقم ١٠٠."), annotator="t")
    # Insert text before both occurrences; context (قال الوزير) says it is the second.
    edited = "مقدمة طويلة جداً جداً. " + text
    [moved], report = reanchor([annotation], edited, fingerprint(edited))
    assert report == ReanchorReport(0, 1, 0)
    assert moved.start == edited.index("الرقم ١٠٠.", edited.index("الوزير"))
    # Same context everywhere: the occurrence nearest the old offset wins.
    text = "x. " * 20
    annotation = new_annotation(text, fingerprint(text), "/x", 30, 32, annotator="t")
    edited = "y" + text
    [moved], _ = reanchor([annotation], edited, fingerprint(edited))
    assert moved.start == 31


def naive_best(annotation: Annotation, text: str) -> int | None:
    """Reference answer: score every occurrence, highest score then nearest the old start."""

    def common(a: str, b: str) -> int:
        n = 0
        while n < min(len(a), len(b)) and a[n] == b[n]:
            n += 1
        return n

    best = None
    for at in range(len(text) - len(annotation.exact) + 1):
        if text.startswith(annotation.exact, at):
            before = text[max(0, at - len(annotation.prefix)) : at]
            after = text[at + len(annotation.exact) :][: len(annotation.suffix)]
            score = common(annotation.prefix[::-1], before[::-1]) + common(annotation.suffix, after)
            key = (-score, abs(at - annotation.start))
            if best is None or key < best[0]:
                best = (key, at)
    return None if best is None else best[1]


def test_reanchor_many_spans_with_shared_shift_matches_full_search():
    sentences = [f"الجملة رقم {i % 40} تقول شيئاً. " for i in range(300)]
    text = "".join(sentences)
    fp = fingerprint(text)
    annotations = []
    at = 0
    for sentence in sentences:
        annotations.append(new_annotation(text, fp, "/x", at, at + len(sentence) - 1, annotator="t"))
        at += len(sentence)
    cut = text.index(". ", 5000) + 2
    edited = "سطر جديد. " + text[:cut] + "إضافة في الوسط. " + text[cut:3 * cut] + text[3 * cut + 7 :]
    placed, report = reanchor(annotations, edited, fingerprint(edited))
    assert report.total == len(annotations) and report.moved > 200
    for before, after in zip(annotations, placed):
        assert after.id == before.id
        expected = naive_best(before, edited)
        if expected is None:
            assert after.orphaned
        else:
            assert not after.orphaned and after.start == expected
            assert edited[after.start : after.end] == before.exact


# --- undo / redo ---------------------------------------------------------------------------


def test_history_undo_redo_sequence(doc, store_dir):
    history = History()
    assert not history.can_undo and not history.can_redo
    assert history.undo() is None and history.redo() is None
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)

        def do(change: Change) -> None:
            document.apply(change)
            history.record(change)

        a = make(TEXT, S1, doc)
        do(Change(None, a))
        a2 = toggle_label(a, "quote")
        do(Change(a, a2))
        a3 = with_note(a2, "مشكوك فيه")
        do(Change(a2, a3))
        do(Change(a3, None))
        assert document.get(a.id) is None

        document.apply(history.undo())
        assert document.get(a.id) == a3
        document.apply(history.undo())
        assert document.get(a.id) == a2
        assert history.can_redo
        document.apply(history.redo())
        assert document.get(a.id) == a3
        document.apply(history.undo())
        document.apply(history.undo())
        assert document.get(a.id) == a
        document.apply(history.undo())
        assert document.get(a.id) is None
        assert not history.can_undo and history.undo() is None
        document.apply(history.redo())
        assert document.get(a.id) == a

        # A new change clears the redo stack.
        b = make(TEXT, S2, doc)
        do(Change(None, b))
        assert not history.can_redo and history.redo() is None
        document.apply(history.undo())
        assert document.get(b.id) is None and document.get(a.id) == a
    with AnnotationStore(store_dir) as store:
        assert [x.id for x in store.open(doc, fingerprint(TEXT), TEXT).annotations()] == [a.id]


def test_change_inverse_and_validation(doc):
    a = make(TEXT, S1, doc)
    b = toggle_label(a, "figure")
    assert Change(a, b).inverse() == Change(b, a)
    assert Change(None, a).inverse() == Change(a, None)
    with pytest.raises(ValueError):
        Change(None, None)
    with pytest.raises(ValueError):
        Change(a, make(TEXT, S2, doc))


def test_put_rejects_annotation_of_another_text(doc, store_dir):
    other = TEXT + "x"
    with AnnotationStore(store_dir) as store:
        document = store.open(doc, fingerprint(TEXT), TEXT)
        stale = replace(make(TEXT, S1, doc), document=fingerprint(other))
        with pytest.raises(ValueError):
            document.put(stale)
