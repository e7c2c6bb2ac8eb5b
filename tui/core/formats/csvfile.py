"""CSV for spreadsheets: one row per annotation.

UTF-8 with a byte-order mark, because without one Excel reads UTF-8 as the local code page
and shows Arabic as mojibake. Rows and quoting come from the csv module (Excel dialect:
fields with commas, quotes or line breaks are quoted, quotes doubled, rows end in \\r\\n),
so a span or note with line breaks stays one record.

Columns: document, start, end, labels (joined by "|"), text, note, annotator, created,
updated, offset_unit. CSV has no place for comments, so the offset unit (Unicode code
points) is a column of its own, the same on every row. Orphans are left out and counted:
their offsets point at nothing.

CSV injection: a spreadsheet runs a cell that begins with "=", "+", "-" or "@" as a formula
(and some treat a leading tab or carriage return the same way), so a sentence or note taken
from the web could compute, fetch a URL or launch a program when the export is opened. Every
text cell (document, labels, text, note, annotator) that begins with one of those characters
is written with a single quote in front ("'=HYPERLINK(...)"), the usual defence: spreadsheets
show the rest as text. The numeric columns (start, end) and the fixed ones (created, updated,
offset_unit) are written untouched; they never begin with such a character. A program
reading the CSV back gets the quote too: dropping one leading "'" from a text cell whose
next character is one of = + - @ tab CR recovers the value (a value that itself began with
"'=" cannot be told apart; `jsonl` is the lossless export).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..labels import LabelSet
from .base import CODE_POINTS, ExportDocument, ExportReport, Exporter, text_output

NAME = "csv"
COLUMNS = ("document", "start", "end", "labels", "text", "note", "annotator", "created", "updated", "offset_unit")
LABEL_SEPARATOR = "|"
#: What a spreadsheet may run as a formula at the start of a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(cell: str) -> str:
    """A text cell safe from spreadsheet formula evaluation: prefixed with "'" if it begins
    with one of FORMULA_STARTS, otherwise unchanged."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def write(documents: Iterable[ExportDocument], out: Path | TextIO, labels: LabelSet) -> ExportReport:
    report = ExportReport(offset_unit=CODE_POINTS, format=NAME)
    with text_output(out, bom=True) as stream:
        writer = csv.writer(stream, dialect="excel")
        writer.writerow(COLUMNS)
        for document in documents:
            report.documents += 1
            path = defuse(str(document.path))
            for annotation in document.annotations:
                if annotation.orphaned:
                    report.skipped_orphans += 1
                    continue
                writer.writerow(
                    (
                        path,
                        annotation.start,
                        annotation.end,
                        defuse(LABEL_SEPARATOR.join(annotation.labels)),
                        defuse(annotation.exact),
                        defuse(annotation.note),
                        defuse(annotation.annotator),
                        annotation.created,
                        annotation.updated,
                        CODE_POINTS,
                    )
                )
                report.annotations += 1
    if isinstance(out, Path):
        report.files.append(out)
    return report


EXPORTER = Exporter(NAME, CODE_POINTS, "CSV for spreadsheets, UTF-8 with BOM (code points)", write)
