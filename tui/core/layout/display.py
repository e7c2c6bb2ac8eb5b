"""One line of text for a header, a list or a status bar, drawn the same way as the reader.

Anything Arabic shown outside the reader pane (document titles, later notes) goes through
here, so it is shaped and ordered in app mode and left logical in terminal mode.
"""

from __future__ import annotations

from rich.cells import cell_len

from .layout import LayoutOptions, layout_paragraph


#: Explicit embeddings, overrides and isolates. A one-line display of outside text (a title,
#: a file name, a sentence spanning lines in a list) drops them: there, an override could
#: reverse words that in the document belong to another line.
_EXPLICIT = {ord(c): None for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"}


def strip_explicit_controls(text: str) -> str:
    return text.translate(_EXPLICIT)


def display_line(text: str, bidi: str = "app", direction: str = "auto") -> str:
    """`text` (newlines become spaces, explicit bidi controls dropped) as one visual line."""
    flat = " ".join(text.translate(_EXPLICIT).split("\n"))
    rows = layout_paragraph(flat, 0, LayoutOptions(width=1_000_000, bidi=bidi, direction=direction))  # type: ignore[arg-type]
    return rows[0].text


def fit_line(text: str, cells: int, bidi: str = "app", direction: str = "auto") -> str:
    """`text` as one visual line of at most `cells` cells. Cut in logical order (the end of
    the sentence goes, whichever side of the screen that is) with "…" where it was cut: a
    visual string must never be wrapped or truncated by anyone else."""
    flat = " ".join(text.split())
    if cells <= 0:
        return ""
    shown = display_line(flat, bidi, direction)
    if cell_len(shown) <= cells:
        return shown
    low, high = 0, len(flat)
    while low < high:  # the longest prefix that fits with its ellipsis
        middle = (low + high + 1) // 2
        if cell_len(display_line(flat[:middle].rstrip() + "…", bidi, direction)) <= cells:
            low = middle
        else:
            high = middle - 1
    return display_line(flat[:low].rstrip() + "…", bidi, direction)


def display_block(text: str, width: int, bidi: str = "app", max_rows: int = 3) -> list[str]:
    """`text` wrapped (in logical order) to rows of `width` cells, right-to-left rows
    right-aligned, at most `max_rows` rows (the last cut with "…" if more would follow)."""
    flat = " ".join(text.translate(_EXPLICIT).split())
    rows = layout_paragraph(flat, 0, LayoutOptions(width=max(1, width), bidi=bidi))  # type: ignore[arg-type]
    if len(rows) > max_rows:
        kept = rows[: max_rows - 1]
        rest = flat[kept[-1].end :] if kept else flat
        tail = fit_line(rest, width, bidi)
        out = [" " * r.pad + r.text for r in kept]
        pad = max(0, width - cell_len(tail)) if rows[0].rtl and bidi == "app" else 0
        return out + [" " * pad + tail]
    return [" " * r.pad + r.text for r in rows]
