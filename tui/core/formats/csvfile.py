"""CSV for spreadsheets: one row per annotation.

UTF-8 with a byte-order mark, because without one Excel reads UTF-8 as the local code page
and shows Arabic as mojibake. Rows and quoting come from the csv module (Excel dialect:
fields with commas, quotes or line breaks are quoted, quotes doubled, rows end in \\r\\n),
so a span or note with line breaks stays one record.

Columns: document, start, end, labels (joined by "|"), text, note, annotator, created,
updated, offset_unit. CSV has no place for comments, so the offset unit (Unicode code
points) is a column of its own, the same on every row. Orphans are left out and counted:
their offsets point at nothing. Values are written as they are: a cell that begins with
"=" is text to a CSV reader, and is only a formula to a spreadsheet told to evaluate it.
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


def write(documents: Iterable[ExportDocument], out: Path | TextIO, labels: LabelSet) -> ExportReport:
    report = ExportReport(offset_unit=CODE_POINTS, format=NAME)
    with text_output(out, bom=True) as stream:
        writer = csv.writer(stream, dialect="excel")
        writer.writerow(COLUMNS)
        for document in documents:
            report.documents += 1
            path = str(document.path)
            for annotation in document.annotations:
                if annotation.orphaned:
                    report.skipped_orphans += 1
                    continue
                writer.writerow(
                    (
                        path,
                        annotation.start,
                        annotation.end,
                        LABEL_SEPARATOR.join(annotation.labels),
                        annotation.exact,
                        annotation.note,
                        annotation.annotator,
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
