"""Read a file from disk and decode it to the one text every offset refers to.

The rules: a BOM decides (UTF-8, UTF-16, UTF-32); otherwise strict UTF-8; otherwise a
maintained detector (charset-normalizer) must name a legacy encoding such as Windows-1256.
Binary files are refused rather than shown as garbage. `\\r\\n` and lone `\\r` become `\\n`,
and offsets everywhere are code points into that normalised text.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import LoadError

#: Byte-order marks, longest first so UTF-32 LE is not mistaken for UTF-16 LE.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Signatures of common binary formats, so the message can say what the file is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"RIFF", "a RIFF media file"),
)

#: How much of a file the legacy-encoding detector reads; enough to decide, cheap to run.
_DETECT_SAMPLE = 256 * 1024


@dataclass(frozen=True)
class LoadedText:
    """A decoded, newline-normalised text and where it came from."""

    path: Path
    text: str
    encoding: str
    had_bom: bool


def normalise_newlines(text: str) -> str:
    """`\\r\\n` and lone `\\r` become `\\n` (only scanned when a `\\r` is present)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_bytes(path: Path) -> bytes:
    """Read a regular file, turning every OS failure into a `LoadError` with a plain reason."""
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise LoadError(name, "no such file") from None
    except PermissionError:
        raise LoadError(name, "permission denied") from None
    except OSError as exc:
        raise LoadError(name, f"cannot open ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise LoadError(name, "is a directory, not a text file")
    if not stat.S_ISREG(info.st_mode):
        raise LoadError(name, "not a regular file (a pipe, socket or device)")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except PermissionError:
        raise LoadError(name, "permission denied") from None
    except OSError as exc:
        raise LoadError(name, f"cannot read ({exc.strerror or exc})") from None


def decode_bytes(data: bytes, name: str) -> tuple[str, str, bool]:
    """Decode `data` to text; returns (text, encoding, had_bom) or raises `LoadError`."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding, True
            except UnicodeDecodeError as exc:
                raise LoadError(
                    name, f"starts with a {encoding} byte-order mark but byte {exc.start + len(bom)} is invalid"
                ) from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise LoadError(name, f"binary file ({what}), not text")
    nul = data.find(b"\x00")
    if nul != -1:
        raise LoadError(name, f"binary file (NUL byte at offset {nul}), not text")
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError as exc:
        bad_offset = exc.start
    encoding = None if _looks_like_damaged_utf8(data, bad_offset) else _detect_legacy(data)
    if encoding is None:
        raise LoadError(
            name,
            f"not valid UTF-8 (invalid byte 0x{data[bad_offset]:02x} at byte offset {bad_offset}) "
            "and no legacy encoding fits",
        )
    try:
        return data.decode(encoding), encoding, False
    except UnicodeDecodeError as exc:  # the detector read only a sample
        raise LoadError(name, f"looks like {encoding} but byte {exc.start} does not decode") from None


def _looks_like_damaged_utf8(data: bytes, bad_offset: int) -> bool:
    """True when valid multi-byte UTF-8 comes before the first bad byte: that file is UTF-8
    with a damaged byte, and decoding it as a legacy code page would garble the rest."""
    return any(byte >= 0x80 for byte in data[:bad_offset])


#: Fewest non-ASCII bytes a detector needs before we believe it; below that it is a guess.
_MIN_EVIDENCE = 4


def _detect_legacy(data: bytes) -> str | None:
    """Ask charset-normalizer for a legacy encoding (e.g. cp1256); None unless the answer is
    backed by enough non-ASCII bytes and decodes to text without control characters."""
    from charset_normalizer import from_bytes

    sample = data[:_DETECT_SAMPLE]
    if sum(1 for byte in sample if byte >= 0x80) < _MIN_EVIDENCE:
        return None
    best = from_bytes(sample).best()
    if best is None:
        return None
    encoding = codecs.lookup(best.encoding).name
    if encoding.startswith("utf"):
        return None
    try:
        decoded = sample.decode(encoding, errors="strict")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(decoded):
        return None
    return encoding


#: C0 controls other than tab/newline/CR/form feed, DEL and C1 controls: never in real text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def load_text(path: str | os.PathLike[str]) -> LoadedText:
    """Load a document from disk: read, decode, normalise newlines."""
    path = Path(path)
    data = read_bytes(path)
    if not data:
        raise LoadError(str(path), "file is empty (0 bytes)")
    return _decoded(path, data)


def _decoded(path: Path, data: bytes) -> LoadedText:
    text, encoding, had_bom = decode_bytes(data, str(path))
    return LoadedText(path=path, text=normalise_newlines(text), encoding=encoding, had_bom=had_bom)


#: Files above this size open progressively in the app (see `load_head`).
PROGRESSIVE_BYTES = 8 * 1024 * 1024
#: How much of such a file is decoded before the first screen.
HEAD_BYTES = 256 * 1024


@dataclass(frozen=True)
class PartialText:
    """The first part of a large UTF-8 file, decoded, and the bytes to finish with.

    The head ends right after a newline, so every offset in it stays true in the whole
    text (a `\r\n` pair is never split; UTF-8 never has a newline byte inside a letter)."""

    head: LoadedText
    data: bytes

    def finish(self) -> LoadedText:
        """Decode the whole file (raises LoadError if a later byte is bad)."""
        return _decoded(self.head.path, self.data)


def load_head(path: str | os.PathLike[str]) -> LoadedText | PartialText:
    """Like `load_text`, but a large UTF-8 file comes back as a `PartialText`, so the app can
    show its first screen before decoding 50 MB. Anything else loads whole."""
    path = Path(path)
    data = read_bytes(path)
    if len(data) <= PROGRESSIVE_BYTES:
        if not data:
            raise LoadError(str(path), "file is empty (0 bytes)")
        return _decoded(path, data)
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if any(data.startswith(b) for b, _ in _BOMS if b != codecs.BOM_UTF8):
        return _decoded(path, data)
    cut = data.find(b"\n", bom + HEAD_BYTES)
    head = data[bom : cut + 1] if cut != -1 else b""
    if not head or b"\x00" in head:
        return _decoded(path, data)
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return _decoded(path, data)
    loaded = LoadedText(path=path, text=normalise_newlines(text), encoding="utf-8", had_bom=bool(bom))
    return PartialText(loaded, data)
