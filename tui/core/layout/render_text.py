"""`hamish render`: the document as the reader pane lays it out, as plain text.

Same layout code as the pane, one screen row per output line; no colour, no escape
sequences (control characters are already Control Pictures), so it is safe in pipes.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..text.document import Document
from .layout import LayoutOptions, VisualLine, layout_paragraph

def gutter_width(label_count: int) -> int:
    """Cells left of the text in the reader: the cursor mark, one letter per label (at least
    three slots), the note mark and a space."""
    return 1 + max(3, label_count) + 1 + 1


def reader_chrome(label_count: int) -> int:
    """Cells the reader pane keeps for itself: the gutter and a 1-cell scroll bar. The text
    column is the pane width minus this."""
    return gutter_width(label_count) + 1


def paragraph_rows(doc: Document, index: int, options: LayoutOptions) -> list[VisualLine]:
    start, end = doc.paragraph_span(index)
    return layout_paragraph(doc.text[start:end], start, options)


def render_lines(doc: Document, options: LayoutOptions) -> Iterator[str]:
    """Every screen row of the document, left padding included, no trailing spaces."""
    for index in range(doc.paragraph_count):
        for row in paragraph_rows(doc, index, options):
            yield " " * row.pad + row.text if row.text else ""
