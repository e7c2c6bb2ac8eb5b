"""`hamish render`: the document as the reader pane lays it out, as plain text.

Same layout code as the pane, one screen row per output line; no colour, no escape
sequences (control characters are already Control Pictures), so it is safe in pipes.
"""

from __future__ import annotations

from collections.abc import Iterator

from .document import Document
from .layout import LayoutOptions, VisualLine, layout_paragraph

#: Cells the reader pane keeps for itself: a 2-cell gutter and a 1-cell scroll bar. The
#: text column is the pane width minus this.
READER_CHROME = 3


def paragraph_rows(doc: Document, index: int, options: LayoutOptions) -> list[VisualLine]:
    start, end = doc.paragraph_span(index)
    return layout_paragraph(doc.text[start:end], start, options)


def render_lines(doc: Document, options: LayoutOptions) -> Iterator[str]:
    """Every screen row of the document, left padding included, no trailing spaces."""
    for index in range(doc.paragraph_count):
        for row in paragraph_rows(doc, index, options):
            yield " " * row.pad + row.text if row.text else ""
