"""Loading and decoding: encodings, newlines, and every way a file can be wrong."""

from __future__ import annotations

import hashlib
import os

import pytest

from tui.core.text.document import Document
from tui.core.errors import LoadError
from tui.core.text.loading import load_text

ARABIC = "قال مسؤول بوزارة الدفاع التركية، الخميس، إن تركيا تستخدم كل الوسائل.\nوأبدت تركيا دعمها العلني لخطوات أذربيجان."


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encoded, encoding",
    [
        (ARABIC.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + ARABIC.encode("utf-8"), "utf-8"),
        (ARABIC.encode("utf-16"), "utf-16-le"),
        (b"\xfe\xff" + ARABIC.encode("utf-16-be"), "utf-16-be"),
        (ARABIC.encode("cp1256"), "cp1256"),
    ],
)
def test_encodings(tmp_path, encoded, encoding):
    loaded = load_text(write(tmp_path, "a.txt", encoded))
    assert loaded.text == ARABIC
    assert loaded.encoding == encoding


def test_newlines_are_normalised_and_offsets_count_code_points(tmp_path):
    loaded = load_text(write(tmp_path, "a.md", "سطر\r\nثانٍ\rثالث 😀\n".encode()))
    assert loaded.text == "سطر\nثانٍ\nثالث 😀\n"
    doc = Document(loaded)
    assert doc.paragraph_count == 3
    assert doc.paragraph_text(2) == "ثالث 😀"
    assert doc.fingerprint == hashlib.sha256(loaded.text.encode()).hexdigest()


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"hello\x00world", "NUL byte at offset 5"),
        (b"%PDF-1.7\n", "PDF"),
        ("قال".encode() + b"\xff\xfe tail", "byte offset 6"),
        (b"", "empty"),
    ],
)
def test_bad_files_name_the_reason(tmp_path, data, reason):
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(LoadError) as caught:
        load_text(path)
    assert str(path) in str(caught.value)
    assert reason in str(caught.value)


def test_missing_and_directory(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load_text(tmp_path / "nope.txt")
    with pytest.raises(LoadError, match="is a directory"):
        load_text(tmp_path)


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(LoadError, match="not a regular file"):
        load_text(fifo)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable(tmp_path):
    path = write(tmp_path, "secret.txt", b"x")
    path.chmod(0)
    with pytest.raises(LoadError, match="permission denied"):
        load_text(path)


def test_path_with_arabic_letters_and_spaces(tmp_path):
    path = write(tmp_path, "مقال جديد.txt", ARABIC.encode())
    assert load_text(path).text == ARABIC


def test_title_and_final_newline():
    doc = Document.from_text("# عنوان المقال\n\nنص.\n")
    assert doc.title == "عنوان المقال"
    assert doc.paragraph_count == 3
    assert doc.paragraph_text(2) == "نص."
    assert doc.paragraph_at(len(doc.text) - 1) == 2


def _big(tmp_path, monkeypatch, tail: bytes = b""):
    """A file above the (lowered) progressive threshold, mostly Arabic, with CRLF lines."""
    from tui.core.text import loading

    monkeypatch.setattr(loading, "PROGRESSIVE_BYTES", 4096)
    monkeypatch.setattr(loading, "HEAD_BYTES", 1000)
    line = "قال المسؤول إن المشروع سيكتمل في 2027. 😀\r\n".encode()
    path = tmp_path / "big.txt"
    path.write_bytes(line * 400 + tail)
    return path


def test_progressive_open_shows_a_true_prefix(tmp_path, monkeypatch):
    path = _big(tmp_path, monkeypatch)
    partial = Document.open_progressively(path)
    whole = Document.open(path)
    assert not partial.complete
    assert 900 <= len(partial.text.encode()) < 2000  # about HEAD_BYTES, CRLF now LF
    assert whole.text.startswith(partial.text) and partial.text.endswith("\n")
    assert list(partial.line_starts) == list(whole.line_starts[: len(partial.line_starts)])
    with pytest.raises(RuntimeError):
        partial.fingerprint  # noqa: B018 - offsets into a partial text must not be fingerprinted
    partial.finish_loading()
    assert partial.complete and partial.text == whole.text
    assert list(partial.line_starts) == list(whole.line_starts)
    assert partial.fingerprint == whole.fingerprint


def test_progressive_open_reports_a_bad_byte_late(tmp_path, monkeypatch):
    path = _big(tmp_path, monkeypatch, tail=b"\xff\xfe broken")
    partial = Document.open_progressively(path)
    with pytest.raises(LoadError, match="byte offset"):
        partial.finish_loading()


def test_small_files_open_whole(tmp_path):
    path = write(tmp_path, "a.txt", ARABIC.encode())
    assert Document.open_progressively(path).complete


def test_text_that_merely_starts_like_a_signature_is_text(tmp_path):
    """"RIFF" and "GIF8" begin English sentences too; only real signatures mean binary."""
    for name, data in {"riff.txt": b"RIFF between the two parties was settled.\n", "gif.txt": b"GIF8 is a name.\n"}.items():
        assert load_text(write(tmp_path, name, data)).text == data.decode()
    with pytest.raises(LoadError, match="RIFF"):
        load_text(write(tmp_path, "a.wav", b"RIFF\x24\x08\x00\x00WAVEfmt "))
