"""One line of text for a header, a list or a status bar, drawn the same way as the reader.

Anything Arabic shown outside the reader pane (document titles, later notes) goes through
here, so it is shaped and ordered in app mode and left logical in terminal mode.
"""

from __future__ import annotations

from .layout import LayoutOptions, layout_paragraph


def display_line(text: str, bidi: str = "app", direction: str = "auto") -> str:
    """`text` (newlines become spaces) as one visual line, without wrapping."""
    flat = " ".join(text.split("\n"))
    rows = layout_paragraph(flat, 0, LayoutOptions(width=1_000_000, bidi=bidi, direction=direction))  # type: ignore[arg-type]
    return rows[0].text
