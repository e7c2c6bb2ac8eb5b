"""Issue 5 §2, the checklist: hostile files and a hostile store.

One test per case. Each asserts the exact message a user sees, exit status 2 on the command
line, no traceback anywhere, and that nothing on disk was damaged (the document's bytes, the
store file's bytes, no stray files). Cases already covered elsewhere are named here and not
repeated:

- a FIFO or directory through `load_text`, a real unreadable file (not as root), a path with
  Arabic letters through `load_text`: tests/test_loading.py;
- a late bad byte in a progressively opened file, through `Document`: tests/test_loading.py;
- a file that changes or disappears while the app shows it (notification, reload re-anchors):
  tests/test_annotating.py::test_a_file_that_changes_or_disappears_is_reported_and_reload_reanchors;
- a truncated store in the app (corrupt-store screen, move aside), a newer schema in the app,
  disk full in the app with an empty store: tests/test_annotating.py;
- every damaged-store shape, newer schema, real read-only directory, rename refused and disk
  full mid-write at the store level: tests/test_annotation_store.py.

Write failures are simulated by replacing `tui.core.store.store.write_durably` (the name the store
calls; patching `tui.core.store.durable.write_durably` would not reach it), so they run as root too.
"""

from __future__ import annotations

import builtins
import errno
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from pilot import ready, status, store_dir
from conftest import AR_SAMPLE
from tui.app import HamishApp
from tui.cli import main
from tui.core.store.annotation import new_annotation
from tui.core.text.document import Document
from tui.core.errors import LoadError
from tui.core.formats import ExportDocument, export
from tui.core.labels import LabelSet
from tui.core.text.loading import load_text
from tui.core.store.store import AnnotationStore

SIZE = (110, 32)
ARABIC = "قال مسؤول بوزارة الدفاع التركية، الخميس، إن تركيا تستخدم كل الوسائل.\nوأبدت تركيا دعمها العلني لخطوات أذربيجان.\n"
ENGLISH = "The ministry said the plant will open in 2027.\nCritics called the figures optimistic.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


# --- helpers ------------------------------------------------------------------------------------


def hamish(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`hamish ARGS` as a user runs it (the environment carries the test's store and config)."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "COLUMNS": "100"},
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def assert_refused(result, message: str) -> None:
    """Exit 2, one line on stderr that is exactly `hamish: MESSAGE`, nothing on stdout, no traceback."""
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"hamish: {message}\n"
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""


def run_main(capsys, *args: str) -> tuple[int, str, str]:
    """`tui.cli.main` in this process, so a test can monkeypatch what the OS does."""
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


def store_files() -> list[Path]:
    return sorted(p for p in store_dir().iterdir() if p.name != ".lock") if store_dir().exists() else []


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


#: The ways a document reaches the user: the three subcommands that read it, and the reader
#: (which fails before it takes over the terminal).
COMMANDS = {
    "render": ["render"],
    "sentences": ["sentences"],
    "export": ["export", "--format", "jsonl"],  # would write DOC.annotations.jsonl beside it
    "app": [],
}


def refused_everywhere(path: Path, message: str) -> None:
    before = path.read_bytes() if path.is_file() else None
    for name, args in COMMANDS.items():
        result = hamish(*args, str(path))
        assert_refused(result, f"{path}: {message}")
    if before is not None:
        assert path.read_bytes() == before
    assert not [p for p in store_files() if p.suffix == ".json"]  # no store file for a bad document
    assert not list(path.parent.glob(path.name + ".*"))  # no export written beside it


def messages(app: HamishApp) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(AR_SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def annotated_store_file(article: Path) -> Path:
    """The article with one saved annotation; returns its store file."""
    doc = Document.open(article)
    with AnnotationStore(store_dir()) as store:
        document = store.open(article, doc.fingerprint, doc.text)
        document.put(new_annotation(doc.text, doc.fingerprint, article, 0, 20, labels=("claim",), annotator="t"))
        return document.file


# --- §2 files -------------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    """Empty file: refused by the reader and every subcommand with "file is empty (0 bytes)"."""
    refused_everywhere(write(tmp_path, "empty.txt", b""), "file is empty (0 bytes)")


def test_file_with_only_a_byte_order_mark_is_empty_too(tmp_path):
    """Empty file, variant: a UTF-8 BOM and nothing else has no text either."""
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf")
    refused_everywhere(path, "file is empty (3 bytes: only a byte-order mark, no text)")


def test_binary_file_png(tmp_path):
    """Binary file with a signature: named for what it is."""
    refused_everywhere(write(tmp_path, "photo.txt", PNG), "binary file (a PNG image), not text")


def test_binary_file_without_a_signature_names_the_first_nul(tmp_path):
    """Binary file without a known signature (16-bit samples): NULs and control bytes everywhere."""
    data = b"".join(struct.pack("<i", n * 7919 % 100_003 - 50_000) for n in range(2000))
    path = write(tmp_path, "samples.txt", data)
    result = hamish("sentences", str(path))
    assert_refused(result, f"{path}: binary file (NUL byte at offset {data.index(0)}), not text")
    assert path.read_bytes() == data


def test_stray_nul_in_text_is_shown_not_refused(tmp_path):
    """Issue 5 §1 meets §2: a text with a stray NUL loads; the NUL stays a character, drawn ␀."""
    data = ("سطر عربي طويل بما يكفي لاختبار البايت الصفري. " * 5).encode() + b"\x00 tail\n"
    path = write(tmp_path, "nul.txt", data)
    assert "\x00" in load_text(path).text
    rendered = hamish("render", str(path), "--width", "60")
    assert rendered.returncode == 0, rendered.stderr
    assert "␀" in rendered.stdout and "\x00" not in rendered.stdout
    sentences = hamish("sentences", str(path), "--format", "jsonl")
    assert sentences.returncode == 0 and "\\u0000" in sentences.stdout


def test_invalid_utf8_gives_the_byte_offset(tmp_path):
    """Invalid UTF-8: the message gives the offset of the first bad byte."""
    data = "قال".encode() + b"\xff\xfe tail"
    path = write(tmp_path, "bad.txt", data)
    result = hamish("render", str(path))
    assert_refused(result, f"{path}: not valid UTF-8 (invalid byte 0xff at byte offset 6) and no legacy encoding fits")
    assert path.read_bytes() == data


def test_invalid_utf8_deep_in_a_large_file_gives_the_byte_offset(tmp_path):
    """Invalid UTF-8 a megabyte in: still the exact offset."""
    head = ("قال المسؤول إن المشروع سيكتمل في 2027.\n" * 20_000).encode()
    data = head + b"\xc3\x28 and the rest\n"
    path = write(tmp_path, "large.txt", data)
    assert len(head) > 1_000_000
    for args in (["sentences"], []):
        result = hamish(*args, str(path))
        assert_refused(
            result, f"{path}: not valid UTF-8 (invalid byte 0xc3 at byte offset {len(head)}) and no legacy encoding fits"
        )
    assert path.read_bytes() == data


async def test_invalid_utf8_found_after_the_first_screen_closes_the_app_with_the_offset(tmp_path, monkeypatch):
    """Invalid UTF-8 past the head of a large file: the app has shown its first screen, then
    stops with exit status 2 and the message (`hamish` prints it as one line)."""
    from tui.core.text import loading

    monkeypatch.setattr(loading, "PROGRESSIVE_BYTES", 4096)
    monkeypatch.setattr(loading, "HEAD_BYTES", 1000)
    head = ("قال المسؤول إن المشروع سيكتمل في 2027.\n" * 400).encode()
    path = write(tmp_path, "big.txt", head + b"\xff broken\n")
    doc = Document.open_progressively(path)
    assert not doc.complete
    app = HamishApp(doc)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
    assert app.return_code == 2
    assert app.fatal_error == f"{path}: not valid UTF-8 (invalid byte 0xff at byte offset {len(head)}) and no legacy encoding fits"
    assert not [p for p in store_files() if p.suffix == ".json"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [ARABIC, ENGLISH, "قالمسؤولبوزارةالدفاعالتركية"], ids=["arabic", "english", "arabic-no-spaces"])
def test_utf16_without_bom_loads(tmp_path, encoding, text):
    """UTF-16 without BOM (LE and BE, Arabic and English, even Arabic with no space or newline,
    so no NUL byte at all): decoded, the encoding recorded, not called binary."""
    path = write(tmp_path, "utf16.txt", text.encode(encoding))
    loaded = load_text(path)
    assert loaded.text == text and loaded.encoding == encoding and not loaded.had_bom
    result = hamish("sentences", str(path), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and all(text[r["start"] : r["end"]] == r["text"] for r in records)


_EN_LE, _EN_BE = ENGLISH.encode("utf-16-le"), ENGLISH.encode("utf-16-be")
DAMAGED_UTF16 = {
    "odd-length": (_EN_LE + b"x", "UTF-16-LE", f"does not decode (truncated data at byte offset {len(_EN_LE)})"),
    "lone-surrogate": (
        _EN_BE + b"\xdc\x00" + _EN_BE,
        "UTF-16-BE",
        f"does not decode (illegal encoding at byte offset {len(_EN_BE)})",
    ),
    "control-character": (
        (ENGLISH * 3 + "\x01" + ENGLISH * 3).encode("utf-16-le"),
        "UTF-16-LE",
        f"does not decode to text (control character U+0001 at byte offset {3 * len(_EN_LE)})",
    ),
}


@pytest.mark.parametrize("case", list(DAMAGED_UTF16))
def test_utf16_without_bom_that_does_not_decode(tmp_path, case):
    """UTF-16 without BOM that is damaged: said so, with the byte offset."""
    data, encoding, reason = DAMAGED_UTF16[case]
    path = write(tmp_path, "damaged16.txt", data)
    result = hamish("render", str(path))
    assert_refused(result, f"{path}: looks like {encoding} without a byte-order mark but {reason}")
    assert path.read_bytes() == data


def test_directory(tmp_path):
    """A directory: refused by the reader and every subcommand."""
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    refused_everywhere(folder, "is a directory, not a text file")
    assert list(folder.iterdir()) == []


def test_fifo_does_not_block(tmp_path):
    """A FIFO with no writer: refused at once (a blocking open would hang until the timeout)."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for args in (["render"], ["sentences"], []):
        result = hamish(*args, str(fifo), timeout=30)
        assert_refused(result, f"{fifo}: not a regular file (a pipe, socket or device)")


def test_fifo_swapped_in_between_stat_and_open_does_not_block(tmp_path, monkeypatch, capsys):
    """A regular file replaced by a FIFO after the check and before the open: the open does not
    block, and what was opened is checked again."""
    path = write(tmp_path, "swapped.txt", ARABIC.encode())
    real_stat = os.stat
    swapped = []

    def stat_then_swap(target, *args, **kwargs):
        result = real_stat(target, *args, **kwargs)
        if str(target) == str(path) and not swapped:
            swapped.append(True)
            os.unlink(path)
            os.mkfifo(path)
        return result

    monkeypatch.setattr(os, "stat", stat_then_swap)
    code, out, err = run_main(capsys, "render", str(path))
    assert (code, out) == (2, "")
    assert err == f"hamish: {path}: not a regular file (a pipe, socket or device)\n"


@pytest.mark.parametrize("where", ["stat", "open"])
def test_no_permission(tmp_path, monkeypatch, capsys, where):
    """No permission (simulated, so it runs as root too): to look the file up, or to open it."""
    path = write(tmp_path, "secret.txt", ARABIC.encode())
    real = {"stat": os.stat, "open": os.open, "builtin": builtins.open}

    def deny(kind):
        def wrapper(target, *args, **kwargs):
            if str(target) == str(path):
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real[kind](target, *args, **kwargs)

        return wrapper

    if where == "stat":
        monkeypatch.setattr(os, "stat", deny("stat"))
    else:
        monkeypatch.setattr(os, "open", deny("open"))
        monkeypatch.setattr(builtins, "open", deny("builtin"))
    for args in (["render"], ["sentences"], ["export", "--format", "csv"], []):
        code, out, err = run_main(capsys, *args, str(path))
        assert (code, out, err) == (2, "", f"hamish: {path}: permission denied\n")
    monkeypatch.undo()
    assert path.read_bytes() == ARABIC.encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.txt"]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_no_permission_for_real(tmp_path):
    """No permission, with real file modes (skipped as root)."""
    path = write(tmp_path, "secret.txt", ARABIC.encode())
    path.chmod(0)
    try:
        assert_refused(hamish("render", str(path)), f"{path}: permission denied")
    finally:
        path.chmod(0o644)


async def test_path_with_arabic_letters_and_spaces(tmp_path):
    """A path with Arabic letters and spaces: every command works, the store and exports too."""
    folder = tmp_path / "ملفات العمل"
    folder.mkdir()
    path = folder / "مقال جديد (نسخة 2).txt"
    path.write_bytes(ARABIC.encode())
    for args in (["render", "--width", "40"], ["sentences"]):
        result = hamish(*args, str(path))
        assert result.returncode == 0 and result.stdout and result.stderr == ""
    app = HamishApp(Document.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("c")
        assert "tagged 1/2" in status(app)
    (record,) = [json.loads(p.read_text(encoding="utf-8")) for p in store_files() if p.suffix == ".json"]
    assert record["_meta"]["1"]["path"] == str(path.resolve())
    result = hamish("export", str(path), "--format", "csv")
    assert result.returncode == 0, result.stderr
    beside = folder / (path.name + ".annotations.csv")
    assert str(path) in beside.read_text(encoding="utf-8-sig")
    assert path.read_bytes() == ARABIC.encode()


def test_file_disappears_between_stat_and_open(tmp_path, monkeypatch, capsys):
    """A file that disappears while being opened (after the check, before the open)."""
    path = write(tmp_path, "vanishing.txt", ARABIC.encode())
    real_stat = os.stat
    deleted = []

    def stat_then_delete(target, *args, **kwargs):
        result = real_stat(target, *args, **kwargs)
        if str(target) == str(path) and not deleted:
            deleted.append(True)
            os.unlink(path)
        return result

    monkeypatch.setattr(os, "stat", stat_then_delete)
    code, out, err = run_main(capsys, "sentences", str(path))
    assert (code, out) == (2, "")
    assert err == f"hamish: {path}: no such file (it was moved or deleted while being opened)\n"


async def test_file_that_turns_bad_or_disappears_is_not_reloaded(article):
    """A file that changes or disappears while open, then `R`: the reload is refused with the
    reason, the text on screen and the annotations stay, nothing on disk is touched."""
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("c")
        text = app.doc.text
        (file,) = [p for p in store_files() if p.suffix == ".json"]
        stored = json.loads(file.read_text(encoding="utf-8"))["annotations"]
        article.write_bytes(PNG)
        await pilot.press("R")
        await pilot.pause()
        assert f"{article}: binary file (a PNG image), not text" in messages(app)
        article.unlink()
        await pilot.press("R")
        await pilot.pause()
        assert f"{article}: no such file" in messages(app)
        assert app.is_running and app.doc.text == text
        assert app.session.at(app.reader.cursor).labels == ("claim",)
    assert json.loads(file.read_text(encoding="utf-8"))["annotations"] == stored  # (the reading position may move)


# --- §2 the store ---------------------------------------------------------------------------------


def damage(article: Path, content: bytes) -> tuple[Path, bytes]:
    file = annotated_store_file(article)
    file.write_bytes(content)
    return file, content


def meta_of(file: Path) -> dict:
    return json.loads(file.read_text(encoding="utf-8"))["_meta"]


def test_truncated_store_on_the_command_line(article, tmp_path):
    """Truncated store (the app's corrupt-store screen is tested in test_annotating.py): export
    and import refuse, naming the file, line and column; the file is not touched."""
    file = annotated_store_file(article)
    good = tmp_path / "in.jsonl"
    assert hamish("export", str(article), "--format", "jsonl", "-o", str(good)).returncode == 0
    whole = file.read_bytes()
    file.write_bytes(whole[: len(whole) // 2])
    before = file.read_bytes()
    for args in (["export", str(article), "--format", "jsonl", "-o", "-"], ["import", str(good), "--format", "jsonl", "--doc", str(article)]):
        result = hamish(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert result.stderr.startswith(f"hamish: {file}: not valid JSON (") and " at line " in result.stderr
    assert file.read_bytes() == before


WRONG_SHAPES = {
    "list": (lambda meta: [], "must be a JSON object holding the tables '_meta' and 'annotations'"),
    "annotations-5": (lambda meta: {"_meta": meta, "annotations": 5}, "table 'annotations' must be an object of records"),
    "record-5": (lambda meta: {"_meta": meta, "annotations": {"1": 5}}, "annotation 1: must be an object, not a number"),
    "no-meta": (lambda meta: {"annotations": {}}, "table '_meta' is missing"),
}


@pytest.mark.parametrize("shape", list(WRONG_SHAPES))
async def test_store_of_the_wrong_shape(article, shape):
    """Valid JSON of the wrong shape: the command line refuses it; the app offers to read
    without annotations; either way the file's bytes are unchanged."""
    file = annotated_store_file(article)
    build, reason = WRONG_SHAPES[shape]
    file.write_text(json.dumps(build(meta_of(file))), encoding="utf-8")
    before = file.read_bytes()
    assert_refused(hamish("export", str(article), "--format", "jsonl"), f"{file}: {reason}")
    assert not list(article.parent.glob("*.annotations.jsonl"))
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "CorruptStoreScreen"
        await pilot.press("r")
        await pilot.pause()
        assert app.session is None and "NO ANNOTATIONS" in status(app)
        await pilot.press("c", "x", "m")
        await pilot.pause()
    assert file.read_bytes() == before
    assert [p.name for p in store_files()] == [file.name]


def test_store_from_a_newer_schema_on_the_command_line(article, tmp_path):
    """Store from a newer schema (the app is tested in test_annotating.py): export and import
    refuse it with the schema numbers; the file is not touched."""
    file = annotated_store_file(article)
    source = tmp_path / "in.jsonl"
    assert hamish("export", str(article), "--format", "jsonl", "-o", str(source)).returncode == 0
    data = json.loads(file.read_text(encoding="utf-8"))
    data["_meta"]["1"]["schema"] = 99
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = file.read_bytes()
    message = f"{file}: was written by a newer Hamish (schema 99; this one reads up to 1)"
    assert_refused(hamish("export", str(article), "--format", "w3c"), message)
    assert not list(article.parent.glob("*.jsonld"))
    assert_refused(hamish("import", str(source), "--format", "jsonl", "--doc", str(article)), message)
    assert file.read_bytes() == before


async def test_read_only_store_directory_in_the_app(article, monkeypatch):
    """Store in a read-only directory, found at start (simulated with os.access, so it runs as
    root): the app opens read-only, says so, refuses to tag, and writes nothing."""
    file = annotated_store_file(article)
    before = file.read_bytes()
    real_access = os.access
    directory = str(store_dir())
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p) == directory else real_access(p, mode, **kw))
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.pause()
        assert "READ-ONLY" in status(app)
        assert f"cannot write to {directory}; opened read-only" in messages(app)
        await pilot.press("j", "q")
        assert app.session.at(app.reader.cursor) is None
    assert file.read_bytes() == before


WRITE_FAILURES = {
    "read-only (EROFS)": OSError(errno.EROFS, "Read-only file system"),
    "read-only (EACCES)": PermissionError(errno.EACCES, "Permission denied"),
    "disk full (ENOSPC)": OSError(errno.ENOSPC, "No space left on device"),
}


@pytest.mark.parametrize("failure", list(WRITE_FAILURES))
async def test_write_fails_in_the_app(article, monkeypatch, failure):
    """Store in a read-only directory / on a full disk, found when writing: the change stays in
    memory, the status bar says UNSAVED, the notification names the file and the reason, the
    file on disk keeps its old bytes; when writing works again everything is saved."""
    import tui.core.store.store as store_module

    file = annotated_store_file(article)
    before = file.read_bytes()
    error = WRITE_FAILURES[failure]
    real = store_module.write_durably
    state = {"failing": True}

    def write_durably(path, data):
        if state["failing"]:
            raise error
        return real(path, data)

    monkeypatch.setattr(store_module, "write_durably", write_durably)
    monkeypatch.setattr("tui.app.RETRY_SECONDS", 0.05)
    app = HamishApp(Document.open(article))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, app)
        await pilot.press("j", "q")
        await pilot.pause()
        assert app.session.at(app.reader.cursor).labels == ("quote",)
        assert "UNSAVED" in status(app)
        expected = f"{file}: annotation not saved: {error.strerror}; kept in memory, will retry"
        assert expected in messages(app)
        assert file.read_bytes() == before
        assert [p.name for p in store_files()] == [file.name]  # no temporary file left
        state["failing"] = False
        for _ in range(100):
            await pilot.pause(0.05)
            if "UNSAVED" not in status(app):
                break
        assert "UNSAVED" not in status(app)
    labels = sorted(r["labels"] for r in json.loads(file.read_text(encoding="utf-8"))["annotations"].values())
    assert labels == [["claim"], ["quote"]]


@pytest.mark.parametrize("failure", list(WRITE_FAILURES))
def test_write_fails_on_the_command_line(article, tmp_path, monkeypatch, capsys, failure):
    """Read-only directory / full disk during `hamish import`: exit 2, one line naming the file
    and the reason, no traceback, the store's existing file unchanged."""
    import tui.core.store.store as store_module

    file = annotated_store_file(article)
    code, _, _ = run_main(capsys, "export", str(article), "--format", "jsonl", "-o", str(tmp_path / "a.jsonl"))
    assert code == 0
    moved = tmp_path / "copy.txt"  # the same text under another path: a new store file
    moved.write_bytes(article.read_bytes())
    before = file.read_bytes()
    error = WRITE_FAILURES[failure]
    monkeypatch.setattr(store_module, "write_durably", lambda path, data: (_ for _ in ()).throw(error))
    code, out, err = run_main(capsys, "import", str(tmp_path / "a.jsonl"), "--format", "jsonl", "--doc", str(moved))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("hamish: ") and "not saved" in err and error.strerror in err
    assert file.read_bytes() == before
    assert [p.name for p in store_files()] == [file.name]


# --- §1 in exports: nothing a document carries runs in a spreadsheet ------------------------------


def test_csv_export_defuses_formulas(tmp_path):
    """CSV injection: text cells that a spreadsheet would run as a formula get a leading "'";
    numbers and times are untouched, and so is a cell with "=" anywhere but at its start."""
    import csv

    text = '=HYPERLINK("http://x","y") then +1 and -2 @here\n'
    path = write(tmp_path, "doc.txt", text.encode())
    doc = Document.open(path)

    def span(part: str) -> tuple[int, int]:
        return text.index(part), text.index(part) + len(part)

    cells = [
        (span("=HYPERLINK"), "+cmd|' /C calc'!A0", "@evil"),
        (span("-2 @here"), "\tTAB", "-me"),
        (span("+1"), "\rCR", "="),
        (span("then"), "ok = fine", "م"),
    ]
    annotations = [
        new_annotation(doc.text, doc.fingerprint, path, start, end, labels=("claim",), note=note, annotator=who)
        for (start, end), note, who in cells
    ]
    out = tmp_path / "out.csv"
    export("csv", [ExportDocument(doc.path, doc.text, doc.fingerprint, annotations)], out, labels=LabelSet())
    with open(out, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream, dialect="excel", strict=True))
    assert [(r["text"], r["note"], r["annotator"]) for r in rows] == [
        ("'=HYPERLINK", "'+cmd|' /C calc'!A0", "'@evil"),
        ("'-2 @here", "'\tTAB", "'-me"),
        ("'+1", "'\rCR", "'="),
        ("then", "ok = fine", "م"),
    ]
    assert [(int(r["start"]), int(r["end"])) for r in rows] == [c[0] for c in cells]
    assert all(r["labels"] == "claim" and r["created"][:1].isdigit() and r["document"] == str(path) for r in rows)


def test_loader_never_raises_anything_but_load_error(tmp_path):
    """Belt and braces for the cases above: each hostile input gives a LoadError or a text."""
    inputs = [b"", b"\xef\xbb\xbf", PNG, b"\x00" * 100, b"\xff" * 100, "x".encode("utf-16-le") * 3 + b"\x00", bytes(range(256)) * 4]
    for number, data in enumerate(inputs):
        path = write(tmp_path, f"{number}.txt", data)
        try:
            load_text(path)
        except LoadError as exc:
            assert str(exc).startswith(f"{path}: ")
