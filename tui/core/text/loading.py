"""Read a file from disk and decode it to the one text every offset refers to.

The rules: a BOM decides (UTF-8, UTF-16, UTF-32); otherwise strict UTF-8; otherwise a
maintained detector (charset-normalizer) must name a legacy encoding such as Windows-1256.
`\\r\\n` and lone `\\r` become `\\n`, and offsets everywhere are code points into that
normalised text.

What is refused, and what is not (the first 64 KB are the sample that decides):

- an empty file: "file is empty (0 bytes)", or "file is empty (3 bytes: only a byte-order
  mark, no text)" (an error everywhere: the reader, `render`, `sentences`, `export`);
- a binary file: a known signature (PNG, PDF, ZIP, ...): "binary file (a PNG image), not
  text"; or NUL bytes together with a high share of NUL and control bytes (more than 1 % of
  the sample; tab, newline, CR, form feed and ESC do not count): "binary file (NUL byte at
  offset N), not text";
- UTF-16 without a byte-order mark is *not* binary: when the NULs (or, for text without
  spaces, the high bytes such as 0x06 for Arabic) sit in one column of every other byte,
  the sample is decoded as UTF-16-LE or -BE and accepted only if it comes out as text (no
  control characters but tab, newline, CR and form feed; mostly letters, marks, digits,
  punctuation and spaces). A file that has the shape but does not decode is refused with
  "looks like UTF-16-LE without a byte-order mark but does not decode ...";
- a few stray NULs in otherwise valid text are kept as characters (the reader draws U+0000
  as a visible symbol);
- invalid UTF-8 that no legacy encoding explains names the first bad byte's offset.

Reading never blocks: anything but a regular file (directory, FIFO, socket, device) is
refused before it is opened, and the file is opened non-blocking and checked again, so one
swapped for a FIFO between the check and the open cannot hang the reader either.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import LoadError

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
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x7fELF", "an executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"RIFF", "a RIFF media file"),  # only with a known form type at byte 8: see _is_magic
)

#: RIFF form types of real media files: "RIFF" alone also begins English sentences.
_RIFF_FORMS = (b"WAVE", b"AVI ", b"WEBP", b"RMID", b"ACON")

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
    except ValueError:  # a NUL inside the name
        raise LoadError(name, "not a usable file name (it contains a NUL character)") from None
    except OSError as exc:
        raise LoadError(name, f"cannot open ({exc.strerror or exc})") from None
    _check_regular(name, info)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise LoadError(name, "no such file (it was moved or deleted while being opened)") from None
    except PermissionError:
        raise LoadError(name, "permission denied") from None
    except OSError as exc:
        raise LoadError(name, f"cannot open ({exc.strerror or exc})") from None
    try:
        with open(fd, "rb", closefd=True) as handle:
            _check_regular(name, os.fstat(handle.fileno()))  # what we opened, not what we stat-ed
            return handle.read()
    except PermissionError:
        raise LoadError(name, "permission denied") from None
    except OSError as exc:
        raise LoadError(name, f"cannot read ({exc.strerror or exc})") from None


def _check_regular(name: str, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise LoadError(name, "is a directory, not a text file")
    if not stat.S_ISREG(info.st_mode):
        raise LoadError(name, "not a regular file (a pipe, socket or device)")


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
        if data.startswith(magic) and (magic != b"RIFF" or data[8:12] in _RIFF_FORMS):
            raise LoadError(name, f"binary file ({what}), not text")
    sample = data[:_SNIFF_BYTES]
    if _needs_sniff(sample):
        utf16 = _decode_utf16(data, name)
        if utf16 is not None:
            return utf16[0], utf16[1], False
    nul = data.find(b"\x00")
    if nul != -1 and _control_share(sample) > _BINARY_SHARE:
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


# --- UTF-16 without a byte-order mark, and binary files ----------------------------------------

#: How much of a file decides whether it is binary or UTF-16 without a BOM.
_SNIFF_BYTES = 64 * 1024
#: Control bytes that text may hold (tab, LF, CR, FF, and ESC, which hostile or coloured text
#: carries; the reader shows it inert). Every other C0 byte and NUL counts as binary-looking.
_TEXT_CONTROLS = b"\t\n\r\x0c\x1b"
_BINARY_CONTROLS = bytes(b for b in range(0x20) if b not in _TEXT_CONTROLS)
#: Above this share of NUL and other control bytes in the sample, a file with a NUL is binary.
_BINARY_SHARE = 0.01
#: A sample with at least this share of control bytes is examined as UTF-16 even without a NUL
#: (Arabic, Hebrew or Cyrillic UTF-16 with no space or newline: high bytes 0x06, 0x05, 0x04).
_UTF16_CONTROL_SHARE = 0.10
#: The high-byte column of UTF-16 text is a few values (0x00 for ASCII, 0x06 for Arabic, ...):
#: its three commonest bytes must cover this share of it ...
_UTF16_HIGH_SHARE = 0.90
#: ... and this much more than the three commonest bytes of the other column do.
_UTF16_MARGIN = 0.20
#: Fewest characters of sample before the column statistics mean anything.
_UTF16_MIN_CHARS = 8
#: Letters, marks, digits, punctuation and spaces: what most of any real text is made of.
_TEXT_CATEGORIES = frozenset("L M N P Z".split())


def _control_share(sample: bytes) -> float:
    """The share of NUL and other control bytes (not tab, newline, CR, FF, ESC) in `sample`."""
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _BINARY_CONTROLS))) / len(sample)


def _needs_sniff(sample: bytes) -> bool:
    """Whether the sample may be UTF-16 without a BOM: it has a NUL, or many control bytes."""
    return b"\x00" in sample or _control_share(sample) >= _UTF16_CONTROL_SHARE


def _top3_share(column: bytes) -> float:
    counts = sorted((column.count(bytes((b,))) for b in set(column)), reverse=True)
    return sum(counts[:3]) / len(column) if column else 0.0


def _utf16_shape(sample: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the sample has the shape of UTF-16 text: one column of
    every other byte (the high bytes) is nearly all a few values and the other is not, and the
    NULs, if any, are in the high column. None otherwise."""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 2 * _UTF16_MIN_CHARS:
        return None
    even, odd = sample[0::2], sample[1::2]
    share_even, share_odd = _top3_share(even), _top3_share(odd)
    if share_odd >= _UTF16_HIGH_SHARE and share_odd - share_even >= _UTF16_MARGIN:
        encoding, high, low = "utf-16-le", odd, even
    elif share_even >= _UTF16_HIGH_SHARE and share_even - share_odd >= _UTF16_MARGIN:
        encoding, high, low = "utf-16-be", even, odd
    else:
        return None
    nul_high, nul_low = high.count(0), low.count(0)
    if nul_low > (nul_high + nul_low) // 10:  # NULs scattered over both columns: binary data
        return None
    return encoding


def _text_problem(text: str) -> tuple[int, str, bool] | None:
    """None if `text` is plausible text: no control characters but tab, newline, CR and form
    feed; unassigned and private-use characters rare; mostly letters, marks, digits,
    punctuation and spaces. Otherwise (index of the first offence, what it is, whether the
    whole looks like binary data rather than text with a flaw)."""
    controls = unassigned = texty = 0
    first: tuple[int, str] | None = None
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category == "Cc":
            if char in "\t\n\r\x0c":
                texty += 1
                continue
            controls += 1
            if first is None:
                first = index, f"control character U+{ord(char):04X}"
        elif category in ("Cn", "Co", "Cs"):
            unassigned += 1
            if first is None:
                first = index, f"unassigned character U+{ord(char):04X}"
        elif category[0] in _TEXT_CATEGORIES:
            texty += 1
    size = max(1, len(text))
    binary = controls > size * 0.01 or unassigned > size * 0.02 or texty < size * 0.80
    if first is None and not binary:
        return None
    if first is None:
        first = 0, "mostly not letters, digits, punctuation or spaces"
    return first[0], first[1], binary


def _decode_utf16(data: bytes, name: str) -> tuple[str, str] | None:
    """(text, encoding) if `data` is UTF-16 without a BOM. None if it does not look like it,
    or looks like binary data once decoded. LoadError if it looks like UTF-16 text with a
    flaw (a byte that does not decode, a stray control character) and has NUL bytes: without
    a NUL the evidence is weaker, and the file goes on to be read as UTF-8 instead."""
    sample = data[:_SNIFF_BYTES]
    encoding = _utf16_shape(sample)
    if encoding is None:
        return None
    head = sample[: len(sample) // 2 * 2].decode(encoding, errors="replace")
    problem = _text_problem(head)
    if problem is not None and problem[2]:
        return None  # the shape of UTF-16, the content of binary data
    sure = b"\x00" in sample
    label = encoding.upper()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if not sure:
            return None
        raise LoadError(
            name,
            f"looks like {label} without a byte-order mark but does not decode "
            f"({exc.reason} at byte offset {exc.start})",
        ) from None
    if problem is not None:
        if not sure:
            return None
        index, why, _ = problem
        offset = len(text[:index].encode(encoding))
        raise LoadError(
            name,
            f"looks like {label} without a byte-order mark but does not decode to text "
            f"({why} at byte offset {offset})",
        )
    return text, encoding


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
    if _CONTROL.search(decoded.replace("\x00", "")):  # stray NULs passed the binary test already
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
    if not text:  # only a byte-order mark: as empty as 0 bytes, and said the same way
        raise LoadError(str(path), f"file is empty ({len(data)} bytes: only a byte-order mark, no text)")
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
    if not head or b"\x00" in head or _needs_sniff(data[:_SNIFF_BYTES]):
        return _decoded(path, data)  # binary, UTF-16 without a BOM, stray NULs: decided whole
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return _decoded(path, data)
    loaded = LoadedText(path=path, text=normalise_newlines(text), encoding="utf-8", had_bom=bool(bom))
    return PartialText(loaded, data)
