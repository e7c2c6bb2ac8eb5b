"""brat standoff (https://brat.nlplab.org/standoff.html), into a directory.

For each document, `DOC.txt` is the text exactly as Hamish loaded it (normalised: line
breaks are "\\n"), written with newline="" so that no platform adds a "\\r" and shifts every
offset after it; `DOC.ann` holds the annotations:

    T1<TAB>claim 12 40<TAB>span text          one T line per label of an annotation
    #1<TAB>AnnotatorNotes T1<TAB>note         the note, on the annotation's first T line

Offsets are brat's: 0-based, end exclusive, counting characters as Python (and brat, which
is Python) does, i.e. Unicode code points. The .ann format has no comment syntax, so the unit
is stated in `annotation.conf` (a `#` comment) and in `README.md` beside the files.

A line of the .ann file must stay one line, so a span that crosses line breaks is written
as brat's discontinuous span: one fragment per line, joined by a space in the text field, as
brat itself writes them (`T1<TAB>claim 0 5;6 10<TAB>first second`). A span that begins or
ends with a line break gets an empty fragment there, so its extent is kept exactly. Every
character that Python's `str.splitlines` breaks on counts as a line break here, because brat
reads .ann files with a codec reader that splits on all of them. Notes keep their line breaks
as `\\n` (and a backslash as `\\\\`): brat shows them escaped, Hamish reads them back.

Labels keep their configured names (brat's types are case-sensitive; reading back maps them
onto the label set ignoring case). An annotation with no label (a note alone) gets the type
`Unlabelled`, which reading back turns into no label again.

Reading: a .ann file (its .txt beside it), a .txt file (its .ann beside it), or a directory
of them. T lines whose fragments do not spell out the text their line gives are reported
as mismatches, as are discontinuous spans that skip more than line breaks (Hamish spans
are continuous); R, E, A, M, N and * lines are skipped (Hamish has no relations or events).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from ..labels import LabelSet
from .base import (
    CODE_POINTS,
    DocumentLookup,
    ExportDocument,
    ExportError,
    ExportReport,
    Exporter,
    FormatError,
    ImportedAnnotation,
    Importer,
    declared_labels,
    lookup,
    merge_notes,
    text_output,
)

NAME = "brat"
#: The type of a T line for an annotation without labels.
UNLABELLED = "Unlabelled"
#: What brat joins the fragments of a discontinuous span with (brat's DISCONT_SEP).
FRAGMENT_SEPARATOR = " "
#: Every character str.splitlines() breaks on.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_RUN = re.compile(f"[^{re.escape(LINE_BREAKS)}]+")
_ONLY_BREAKS = re.compile(f"[{re.escape(LINE_BREAKS)}]*")
_ID = re.compile(r"^(?:[TREAMN]\d+|#\d*|\*)$")
_OFFSETS = re.compile(r"^\d+ \d+(?:;\d+ \d+)*$")
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPE = re.compile(r"\\(\\|n|t|r|u[0-9a-fA-F]{4})")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span start-end as brat fragments: one per run of characters between line breaks,
    plus an empty fragment at an end that is a line break (so the extent survives)."""
    runs = [(match.start(), match.end()) for match in _RUN.finditer(text, start, end)]
    if not runs:
        return [(start, start), (end, end)]
    if runs[0][0] != start:
        runs.insert(0, (start, start))
    if runs[-1][1] != end:
        runs.append((end, end))
    return runs


def fragment_text(text: str, spans: list[tuple[int, int]]) -> str:
    return FRAGMENT_SEPARATOR.join(text[s:e] for s, e in spans)


def escape_note(note: str) -> str:
    """A note as one .ann line: backslash, tab and line breaks escaped."""
    out = []
    for char in note:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char in LINE_BREAKS:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def unescape_note(value: str) -> str:
    def one(match: re.Match) -> str:
        code = match.group(1)
        if code[0] == "u":
            return chr(int(code[1:], 16))
        return {"\\": "\\", "n": "\n", "t": "\t", "r": "\r"}[code]

    return _UNESCAPE.sub(one, value)


def type_name(label: str) -> str:
    """A label as a brat type: brat types cannot hold whitespace."""
    return re.sub(r"\s", "_", label)


def conf_text(names: list[str]) -> str:
    lines = [
        "# brat annotation configuration, written by Hamish.",
        "# Offsets in the .ann files count Unicode code points (characters as Python counts them)",
        "# in the matching .txt file, 0-based, end exclusive. Spans that cross line breaks are",
        "# discontinuous, one fragment per line. Notes are AnnotatorNotes (\\n marks a line break).",
        "[entities]",
        *names,
        "[relations]",
        "[events]",
        "[attributes]",
    ]
    return "\n".join(lines) + "\n"


def write(documents: Iterable[ExportDocument], out: Path | TextIO, labels: LabelSet) -> ExportReport:
    if not isinstance(out, Path):
        raise ExportError("brat writes a directory of files (DOC.txt, DOC.ann, annotation.conf): give a directory, not a stream")
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: brat writes a directory of files, and this is a file")
    report = ExportReport(offset_unit=CODE_POINTS, format=NAME)
    used_names: set[str] = set()
    seen_types: dict[str, None] = {}
    manifest: list[tuple[str, ExportDocument]] = []
    for document in documents:
        report.documents += 1
        base = _unique_name(document.path, used_names)
        text_file, ann_file = out / f"{base}.txt", out / f"{base}.ann"
        with text_output(text_file) as stream:
            stream.write(document.text)
        report.files.append(text_file)
        with text_output(ann_file) as stream:
            t_number = note_number = 0
            for annotation in document.annotations:
                if annotation.orphaned:
                    report.skipped_orphans += 1
                    continue
                spans = fragments(document.text, annotation.start, annotation.end)
                offsets = ";".join(f"{s} {e}" for s, e in spans)
                shown = fragment_text(document.text, spans)
                first_t = None
                for label in annotation.labels or (UNLABELLED,):
                    t_number += 1
                    first_t = first_t or f"T{t_number}"
                    kind = type_name(label)
                    seen_types[kind] = None
                    stream.write(f"T{t_number}\t{kind} {offsets}\t{shown}\n")
                if annotation.note:
                    note_number += 1
                    stream.write(f"#{note_number}\tAnnotatorNotes {first_t}\t{escape_note(annotation.note)}\n")
                report.annotations += 1
        report.files.append(ann_file)
        manifest.append((base, document))
    conf = out / "annotation.conf"
    with text_output(conf) as stream:
        stream.write(conf_text(declared_labels(labels, seen_types)))
    report.files.append(conf)
    readme = out / "README.md"
    with text_output(readme) as stream:
        stream.write(_readme(manifest))
    report.files.append(readme)
    if not report.documents:
        out.mkdir(parents=True, exist_ok=True)
    return report


def _unique_name(path: Path, used: set[str]) -> str:
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", path.stem) or "document"
    if stem.lower() in ("annotation", "readme"):
        stem += "-document"
    name, n = stem, 1
    while name.lower() in used:
        n += 1
        name = f"{stem}-{n}"
    used.add(name.lower())
    return name


def _readme(manifest: list[tuple[str, ExportDocument]]) -> str:
    lines = [
        "# brat standoff export from Hamish",
        "",
        "Each `DOC.txt` is the document's text exactly as Hamish read it (line breaks normalised to",
        "`\\n`); each `DOC.ann` holds its annotations in brat standoff format. Offsets count",
        "**Unicode code points** in `DOC.txt`, 0-based, end exclusive (😀 or 𝐀 counts 1, not 2). A span",
        "that crosses line breaks is written as a discontinuous span, one fragment per line.",
        "`annotation.conf` lists the labels.",
        "",
        "| file | document | SHA-256 of its text |",
        "| --- | --- | --- |",
    ]
    for base, document in manifest:
        lines.append(f"| `{base}.txt` | `{document.path}` | `{document.fingerprint}` |")
    return "\n".join(lines) + "\n"


# --- reading -------------------------------------------------------------------------------


def read(path: Path, documents: DocumentLookup) -> list[ImportedAnnotation]:
    if path.is_dir():
        files = sorted(path.glob("*.ann"))
        if not files:
            raise FormatError(path, "", "no .ann files in this directory")
    elif path.suffix == ".txt":
        files = [path.with_suffix(".ann")]
    else:
        files = [path]
    result: list[ImportedAnnotation] = []
    for ann in files:
        result += _read_ann(ann, documents)
    return result


class _TLine:
    def __init__(self, ident: str, kind: str, spans: list[tuple[int, int]], shown: str | None, number: int) -> None:
        self.ident, self.kind, self.spans, self.shown, self.number = ident, kind, spans, shown, number
        self.note = ""


def _read_ann(ann: Path, documents: DocumentLookup) -> list[ImportedAnnotation]:
    try:
        with open(ann, encoding="utf-8-sig", newline="") as stream:
            content = stream.read()
    except UnicodeDecodeError as exc:
        raise FormatError(ann, "", f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise FormatError(ann, "", f"cannot read: {exc.strerror or exc}") from None
    text_file = ann.with_suffix(".txt")
    reference = str(text_file)
    document, missing = lookup(documents, reference)
    text = document.text if document is not None else None

    t_lines: dict[str, _TLine] = {}
    notes: list[tuple[str, str, int]] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(content.split("\n"), 1):
        line = line[:-1] if line.endswith("\r") else line
        if not line.strip():
            continue
        where = f"line {number}"
        ident, tab, rest = line.partition("\t")
        if not _ID.match(ident):
            raise FormatError(
                ann, where, f"field 'id': {ident[:20]!r} is not a brat annotation id (T1, R1, E1, A1, M1, N1, #1 or *)"
            )
        if not tab:
            raise FormatError(ann, where, f"field 'id': no tab after {ident!r}")
        if ident != "*":
            if ident in seen:
                raise FormatError(ann, where, f"field 'id': {ident} was already used on line {seen[ident]}")
            seen[ident] = number
        if ident[0] == "T":
            t_lines[ident] = _parse_t(ann, where, number, ident, rest, text)
        elif ident[0] == "#":
            data, tab, note = rest.partition("\t")
            kind, _, target = data.partition(" ")
            if not kind or not target:
                raise FormatError(ann, where, "field 'target': expected '#1<TAB>AnnotatorNotes T1<TAB>note'")
            notes.append((target.strip(), unescape_note(note), number))
        # R, E, A, M, N and * lines: relations, events, attributes, normalisations,
        # equivalences. Hamish has none of these; they are skipped.

    for target, note, number in notes:
        if target in t_lines:
            t_lines[target].note = merge_notes(t_lines[target].note, note)
        elif target[:1] == "T":
            raise FormatError(ann, f"line {number}", f"field 'target': the note refers to {target}, which is not in the file")

    grouped: dict[tuple[int, int], int] = {}  # span -> index in result
    result: list[ImportedAnnotation] = []
    for t in t_lines.values():
        start, end = t.spans[0][0], t.spans[-1][1]
        label = () if t.kind.casefold() == UNLABELLED.casefold() else (t.kind,)
        mismatch = missing if text is None else _mismatch(text, t)
        item = ImportedAnnotation(
            source=f"{ann.name}: line {t.number} ({t.ident})",
            path=reference,
            fingerprint=document.fingerprint if document is not None else None,
            start=start,
            end=end,
            labels=label,
            note=t.note,
            exact=text[start:end] if text is not None and mismatch is None else None,
            mismatch=mismatch,
        )
        if mismatch is not None:
            result.append(item)
            continue
        at = grouped.get((start, end))
        if at is None:
            grouped[(start, end)] = len(result)
            result.append(item)
        else:  # another label of the same span: one annotation, as Hamish holds it
            earlier = result[at]
            result[at] = replace(
                earlier,
                labels=tuple(dict.fromkeys(earlier.labels + item.labels)),
                note=merge_notes(earlier.note, item.note),
            )
    return result


def _parse_t(ann: Path, where: str, number: int, ident: str, rest: str, text: str | None) -> _TLine:
    data, tab, shown = rest.partition("\t")
    kind, _, offsets = data.partition(" ")
    if not kind:
        raise FormatError(ann, where, "field 'type' is missing (expected 'T1<TAB>Type START END<TAB>text')")
    if not _OFFSETS.match(offsets):
        raise FormatError(ann, where, f"field 'offsets': {offsets[:30]!r} is not 'START END' (or 'START END;START END' ...)")
    spans = [tuple(int(n) for n in pair.split(" ")) for pair in offsets.split(";")]
    previous_end = 0
    for i, (start, end) in enumerate(spans):
        if start > end:
            raise FormatError(ann, where, f"field 'offsets': fragment {start} {end} ends before it starts")
        if i and start < previous_end:
            raise FormatError(ann, where, f"field 'offsets': fragment {start} {end} is out of order or overlaps the one before")
        if text is not None and end > len(text):
            raise FormatError(
                ann, where, f"field 'offsets': {end} is past the end of the text ({len(text)} characters)"
            )
        previous_end = end
    if spans[-1][1] <= spans[0][0]:
        raise FormatError(ann, where, "field 'offsets': the span is empty")
    return _TLine(ident, kind, spans, shown if tab else None, number)  # type: ignore[arg-type]


def _mismatch(text: str, t: _TLine) -> str | None:
    actual = fragment_text(text, t.spans)
    if t.shown is not None and actual != t.shown:
        return f"the span text {_clip(t.shown)} does not match the document's {_clip(actual)} at {t.spans[0][0]}-{t.spans[-1][1]}"
    for (_, end), (start, _) in zip(t.spans, t.spans[1:]):
        if not _ONLY_BREAKS.fullmatch(text, end, start):
            return (
                f"the discontinuous span skips {_clip(text[end:start])} at {end}-{start}; Hamish spans are continuous"
            )
    return None


def _clip(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


EXPORTER = Exporter(
    NAME, CODE_POINTS, "brat standoff: DOC.txt + DOC.ann + annotation.conf (code points)", write, writes_directory=True
)
IMPORTER = Importer(NAME, read)
