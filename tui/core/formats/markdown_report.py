"""A Markdown report for people: per document, the annotations grouped by label, with
counts and notes; orphans in a section of their own; totals at the end.

Written document by document (the totals are the only thing kept to the end), so it
streams like the other formats. The offset unit is stated in the report's opening text.
Span text and notes are escaped so that a `*`, `#`, `<` or `|` in a news article stays
text instead of turning into emphasis, headings or HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..labels import LabelSet
from .base import CODE_POINTS, ExportDocument, ExportReport, Exporter, text_output

NAME = "markdown"
NO_LABEL = "(no label)"

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")


def escape(text: str) -> str:
    """Markdown-inert text: every character with a meaning backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", text)


def _quote(text: str, indent: str) -> list[str]:
    return [f"{indent}> {escape(line)}".rstrip() if line else f"{indent}>" for line in text.split("\n")]


def _note(note: str, indent: str) -> list[str]:
    lines = note.split("\n")
    out = [f"{indent}*Note:* {escape(lines[0])}"]
    out += [f"{indent}{escape(line)}" for line in lines[1:]]
    # A backslash at the end of a line is CommonMark's hard line break: the note keeps its lines.
    return [line + "\\" for line in out[:-1]] + out[-1:]


def _entry(annotation, indent: str = "", show_labels: bool = False) -> list[str]:
    who = f" · {escape(annotation.annotator)}" if annotation.annotator else ""
    when = f" · {annotation.updated[:10]}" if annotation.updated else ""
    lines = [f"{indent}- **{annotation.start}–{annotation.end}**{who}{when}", ""]
    if show_labels:
        lines[1:1] = [f"{indent}  Labels: {', '.join(escape(n) for n in annotation.labels) or NO_LABEL}"]
    lines += _quote(annotation.exact, indent + "  ")
    if annotation.note:
        lines += [""] + _note(annotation.note, indent + "  ")
    lines.append("")
    return lines


def write(documents: Iterable[ExportDocument], out: Path | TextIO, labels: LabelSet) -> ExportReport:
    report = ExportReport(offset_unit=CODE_POINTS, format=NAME)
    totals: Counter[str] = Counter()
    orphans_total = 0
    with text_output(out) as stream:
        stream.write(
            "# Hamish annotations\n\n"
            "Spans are given as start–end offsets counting **Unicode code points** in each document's "
            "normalised text (line breaks read as one character), end exclusive. An annotation with "
            "several labels is listed under each.\n\n"
        )
        for document in documents:
            report.documents += 1
            placed = [a for a in document.annotations if not a.orphaned]
            orphans = [a for a in document.annotations if a.orphaned]
            lines = [f"## {escape(document.path.name)}", "", f"`{document.path}` · {len(document.annotations)} annotation(s)", ""]
            groups: dict[str, list] = {}
            for annotation in placed:
                for name in annotation.labels or (NO_LABEL,):
                    groups.setdefault(name, []).append(annotation)
            order = labels.order([n for n in groups if n != NO_LABEL]) + ([NO_LABEL] if NO_LABEL in groups else [])
            for name in order:
                members = groups[name]
                totals[name] += len(members)
                lines += [f"### {escape(name)} ({len(members)})", ""]
                for annotation in members:
                    lines += _entry(annotation)
            if orphans:
                orphans_total += len(orphans)
                lines += [
                    f"### Orphaned ({len(orphans)})",
                    "",
                    "Not found again after the document changed: shown with their old offsets and text.",
                    "",
                ]
                for annotation in orphans:
                    lines += _entry(annotation, show_labels=True)
            if not document.annotations:
                lines += ["No annotations.", ""]
            stream.write("\n".join(lines) + "\n")
            report.annotations += len(document.annotations)
        summary = ["## Totals", "", "| label | annotations |", "| --- | ---: |"]
        for name in labels.order([n for n in totals if n != NO_LABEL]) + ([NO_LABEL] if NO_LABEL in totals else []):
            summary.append(f"| {escape(name)} | {totals[name]} |")
        if orphans_total:
            summary.append(f"| orphaned | {orphans_total} |")
        summary += ["", f"{report.annotations} annotation(s) in {report.documents} document(s).", ""]
        stream.write("\n".join(summary))
    if isinstance(out, Path):
        report.files.append(out)
    return report


EXPORTER = Exporter(NAME, CODE_POINTS, "Markdown report grouped by label, with notes", write)
