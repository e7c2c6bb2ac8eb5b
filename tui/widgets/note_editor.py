"""A one-paragraph note editor that draws Arabic shaped and in visual order while typing.

Textual's `Input` and `TextArea` draw text in logical order and unshaped, so Arabic comes
out reversed and in broken letters. This editor keeps the text in logical order and draws it
through the core's `layout_paragraph`, exactly like the reader pane: wrapped in logical order,
then shaped and reordered per row (app mode), or left logical for terminals that run the bidi
algorithm themselves (terminal mode).

Two widgets live here:

* `ParagraphView`: a read-only paragraph (wrapped, right-aligned when right-to-left); the
  note screen shows the annotated sentence with it.
* `NoteEditor`: the same drawing plus a logical cursor and editing keys.

The cursor is a logical offset. It is drawn in reverse video on the cell of the character
at that offset, wherever the bidi algorithm put that character; at the end of the text it
is an extra cell after the last character in reading direction (left of the text for a
right-to-left paragraph, right of it for left-to-right). The layout is made one cell
narrower than the widget so that cell always fits.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ..core.layout import bidi_engine
from ..core.layout.glyphs import cells, is_mark
from ..core.layout.layout import BREAKING_SPACES, LayoutOptions, VisualLine, layout_paragraph

#: Drawn in place of trailing spaces while laying out (see `ParagraphView._layout_text`).
_NBSP = "\u00a0"

#: Line and paragraph breaks a pasted text may hold; each becomes one space.
_BREAKS = ("\r\n", "\r", "\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")

#: Format characters that may be typed although `str.isprintable()` says no: ZWNJ and ZWJ
#: (Persian and Urdu keyboards type ZWNJ with shift+space).
_TYPEABLE_FORMAT = frozenset("\u200c\u200d")


def clean_text(text: str) -> str:
    """`text` as a note may hold it: one paragraph, no control characters.

    Line breaks and tabs become spaces; other control characters (category Cc) and lone
    surrogates are dropped. Format characters (ZWNJ, ZWJ, bidi marks) are kept."""
    for brk in _BREAKS:
        text = text.replace(brk, " ")
    text = text.replace("\t", " ")
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs"))


class ParagraphView(Widget):
    """One paragraph drawn like the reader draws it: wrapped at the widget's width, shaped
    and reordered (bidi "app") or logical (bidi "terminal"), right-aligned when the
    paragraph is right-to-left. Its height follows the number of rows (`height: auto`)."""

    DEFAULT_CSS = """
    ParagraphView {
        height: auto;
        min-height: 1;
    }
    """

    #: Cells kept free at the end of every row (the editor's end-of-text cursor cell).
    RESERVED_CELLS = 0

    def __init__(
        self,
        text: str = "",
        *,
        bidi: str = "app",
        rtl_hint: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._text = clean_text(text)
        self._bidi = bidi
        self._rtl_hint = rtl_hint
        self._top = 0  # first row shown when the rows do not all fit
        self._cache_key: tuple | None = None
        self._cache_lines: list[VisualLine] = []

    # -- state ----------------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The paragraph, in logical order."""
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self._text = clean_text(value)
        self.refresh(layout=True)

    @property
    def bidi(self) -> str:
        return self._bidi

    @bidi.setter
    def bidi(self, value: str) -> None:
        self._bidi = value
        self.refresh(layout=True)

    @property
    def rtl(self) -> bool:
        """Base direction: the first strong character's, else the `rtl_hint`."""
        strong = bidi_engine.first_strong_direction(self._text)
        return self._rtl_hint if strong is None else strong

    # -- layout ---------------------------------------------------------------------------

    def _layout_text(self) -> tuple[str, int]:
        """The text to lay out, and where its trailing spaces start.

        The core hangs spaces at the end of a line: they take no cell and are not drawn. At
        the end of a note being typed that would hide the space just typed, so trailing
        one-cell spaces are laid out as NO-BREAK SPACE (same offsets, one cell each, placed
        by the bidi algorithm where trailing whitespace goes) and drawn as spaces."""
        text = self._text
        start = len(text)
        while start > 0 and text[start - 1] in BREAKING_SPACES:
            start -= 1
        if start == len(text):
            return text, start
        tail = "".join(_NBSP if cells(c) == 1 else c for c in text[start:])
        return text[:start] + tail, start

    def lines(self, width: int | None = None) -> list[VisualLine]:
        """The visual rows of the paragraph at `width` cells (default: the widget's)."""
        if width is None:
            width = self.size.width
        width = max(1, width)
        key = (self._text, width, self._bidi, self.rtl)
        if key != self._cache_key:
            laid, _ = self._layout_text()
            options = LayoutOptions(
                width=max(1, width - self.RESERVED_CELLS),
                bidi=self._bidi,  # type: ignore[arg-type]
                direction="rtl" if self.rtl else "ltr",
            )
            self._cache_lines = layout_paragraph(laid, 0, options)
            self._cache_key = key
        return self._cache_lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def _left(self, line: VisualLine, width: int) -> int:
        """Column of the row's first drawn cell: right-aligned rows sit at the right edge.
        In terminal mode the terminal aligns and mirrors rows itself."""
        if self._bidi == "app" and line.rtl:
            return max(0, width - line.width)
        return 0

    # -- drawing --------------------------------------------------------------------------

    def _cursor_place(self, lines: list[VisualLine]) -> tuple[int, int | None] | None:
        """Row of the cursor and the index of the cluster to reverse (None: the end cell);
        None when no cursor is drawn. The read-only view has none."""
        return None

    def _visible_rows(self, lines: list[VisualLine], height: int) -> int:
        """First row to show (rows below the widget's height are scrolled into view)."""
        place = self._cursor_place(lines)
        top = self._top
        if place is not None:
            row = place[0]
            if row < top:
                top = row
            elif row >= top + height:
                top = row - height + 1
        top = max(0, min(top, len(lines) - max(1, height)))
        self._top = top
        return top

    def render_line(self, y: int) -> Strip:
        width, height = self.size
        if width <= 0:
            return Strip.blank(0, self.rich_style)
        top = self._visible_rows(self.lines(width), height)
        return self.render_row(top + y)

    def render_row(self, row: int) -> Strip:
        """Row `row` of the paragraph (0 is the first, whether scrolled into view or not)."""
        width = self.size.width
        base = self.rich_style
        if width <= 0:
            return Strip.blank(0, base)
        lines = self.lines(width)
        if not 0 <= row < len(lines):
            return Strip.blank(width, base)
        place = self._cursor_place(lines)
        on_row = place is not None and place[0] == row
        lit = place[1] if on_row and place is not None else None
        return self._build_strip(lines[row], width, base, lit, end_cell=on_row and lit is None)

    def _cursor_style(self, base: Style) -> Style:
        return base + Style(reverse=True)

    def _build_strip(self, line: VisualLine, width: int, base: Style, lit: int | None, end_cell: bool) -> Strip:
        """One row: alignment padding, the clusters left to right, and the cursor: cluster
        `lit` in reverse video, or (`end_cell`) a reversed blank after the row's last
        character in reading direction."""
        cursor_style = self._cursor_style(base)
        _, trailing_from = self._layout_text()
        content: list[Segment] = []
        run: list[str] = []  # clusters are joined into runs of one style, as in the reader
        for index, cluster in enumerate(line.clusters):
            if not cluster.text:
                continue
            shown = cluster.text
            if cluster.first >= trailing_from:
                shown = shown.replace(_NBSP, " ")
            if index == lit:
                content += [Segment("".join(run), base), Segment(shown, cursor_style)]
                run = []
            else:
                run.append(shown)
        content.append(Segment("".join(run), base))
        left = self._left(line, width)
        if not end_cell:
            segments = [Segment(" " * left, base), *content]
        else:
            cell = Segment(" ", cursor_style)
            if not self._text:  # an empty paragraph: the start side
                segments = [Segment(" " * (width - 1 if self.rtl else 0), base), cell]
            elif self._bidi == "app" and line.rtl:
                segments = [Segment(" " * max(0, left - 1), base), cell, *content]
            else:
                segments = [Segment(" " * left, base), *content, cell]
        segments = [s for s in segments if s.text]
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    def rows_text(self) -> list[str]:
        """Every row as drawn (alignment padding included), for tests and tools."""
        return [self.render_row(row).text for row in range(len(self.lines()))]


class NoteEditor(ParagraphView, can_focus=True):
    """Edit one paragraph of text; Arabic is shaped and ordered as it is typed.

    `text` is logical; `cursor` is a logical offset (0..len(text)) and never rests between
    a letter and its combining marks. Keys: printable characters insert; backspace deletes
    ONE code point before the cursor (so a mistyped haraka can be taken off alone); delete
    removes the character at the cursor together with its combining marks (they would
    otherwise jump onto the letter before); home/end go to the logical start/end; left/right
    move visually (in a right-to-left paragraph left goes on to the next character);
    ctrl+u clears. A paste is inserted with its line breaks turned into spaces. Control
    characters are never inserted. Every edit posts `NoteEditor.Changed`.
    """

    DEFAULT_CSS = """
    NoteEditor {
        height: auto;
        min-height: 1;
    }
    NoteEditor > .note-editor--cursor {
        text-style: reverse;
    }
    """

    COMPONENT_CLASSES = {"note-editor--cursor"}

    RESERVED_CELLS = 1

    BINDINGS = [
        Binding("left", "cursor_left", "Left", show=False, id="note_editor.left"),
        Binding("right", "cursor_right", "Right", show=False, id="note_editor.right"),
        Binding("home", "home", "Start", show=False, id="note_editor.home"),
        Binding("end", "end", "End", show=False, id="note_editor.end"),
        Binding("backspace", "delete_left", "Delete left", show=False, id="note_editor.delete_left"),
        Binding("delete", "delete_right", "Delete", show=False, id="note_editor.delete_right"),
        Binding("ctrl+u", "clear", "Clear", show=False, id="note_editor.clear"),
    ]

    @dataclass
    class Changed(Message):
        """The text was edited (not sent when `text` is set by code)."""

        text: str

    def __init__(
        self,
        text: str = "",
        *,
        bidi: str = "app",
        rtl_hint: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(text, bidi=bidi, rtl_hint=rtl_hint, name=name, id=id, classes=classes)
        self.cursor = len(self._text)

    # -- state ----------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        """Replace the text (cursor to its end); posts no `Changed`."""
        self._text = clean_text(value)
        self.cursor = len(self._text)
        self.refresh(layout=True)

    def _edited(self, text: str, cursor: int) -> None:
        changed = text != self._text
        self._text = text
        self.cursor = cursor
        self.refresh(layout=True)
        if changed:
            self.post_message(self.Changed(text))

    def insert(self, text: str) -> None:
        """Insert at the cursor (cleaned of line breaks and control characters)."""
        text = clean_text(text)
        if not text:
            return
        at = min(max(0, self.cursor), len(self._text))
        self._edited(self._text[:at] + text + self._text[at:], at + len(text))

    def _next(self, offset: int) -> int:
        """The next logical cursor position: one character on, past its combining marks."""
        text = self._text
        if offset >= len(text):
            return len(text)
        offset += 1
        while offset < len(text) and is_mark(text[offset]):
            offset += 1
        return offset

    def _previous(self, offset: int) -> int:
        """The previous logical cursor position: back to the letter that carries the marks."""
        text = self._text
        if offset <= 0:
            return 0
        offset -= 1
        while offset > 0 and is_mark(text[offset]):
            offset -= 1
        return offset

    # -- keys -----------------------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        char = event.character
        if char is not None and (event.is_printable or char in _TYPEABLE_FORMAT):
            # Stop it here: typed letters must not reach the app's single-key bindings.
            event.stop()
            event.prevent_default()
            self.insert(char)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        self.insert(event.text)

    def _on_click(self, event: events.Click) -> None:
        """Put the cursor on the character clicked (or at the end, past the text)."""
        offset = self.offset_at(event.x, event.y)
        if offset is not None:
            self.cursor = offset
            self.refresh()

    def offset_at(self, x: int, y: int) -> int | None:
        """Cursor position for a click at content coordinates (x, y)."""
        width = self.size.width
        lines = self.lines(width)
        row = self._top + y
        if not lines or row < 0:
            return None
        if row >= len(lines):
            return len(self._text)
        line = lines[row]
        column = x - self._left(line, width)
        if self._bidi == "terminal" and line.rtl:
            column = width - 1 - column  # the terminal mirrors right-to-left rows
        for cluster in line.clusters:
            if 0 <= column < cluster.width:
                return cluster.first
            column -= cluster.width
        # Beyond the row's text: its logical end (the last row's end is the text's end).
        return line.end if row == len(lines) - 1 else max(line.start, self._previous(line.end))

    def action_cursor_left(self) -> None:
        self.cursor = self._next(self.cursor) if self.rtl else self._previous(self.cursor)
        self.refresh()

    def action_cursor_right(self) -> None:
        self.cursor = self._previous(self.cursor) if self.rtl else self._next(self.cursor)
        self.refresh()

    def action_home(self) -> None:
        self.cursor = 0
        self.refresh()

    def action_end(self) -> None:
        self.cursor = len(self._text)
        self.refresh()

    def action_delete_left(self) -> None:
        """Delete one code point before the cursor (a haraka can be removed on its own)."""
        at = self.cursor
        if at > 0:
            self._edited(self._text[: at - 1] + self._text[at:], at - 1)

    def action_delete_right(self) -> None:
        """Delete the character at the cursor with the combining marks it carries."""
        at = self.cursor
        if at < len(self._text):
            end = at + 1
            while end < len(self._text) and is_mark(self._text[end]):
                end += 1
            self._edited(self._text[:at] + self._text[end:], at)

    def action_clear(self) -> None:
        self._edited("", 0)

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()

    # -- drawing --------------------------------------------------------------------------

    def _cursor_style(self, base: Style) -> Style:
        return base + self.get_component_rich_style("note-editor--cursor", partial=True)

    def _cursor_place(self, lines: list[VisualLine]) -> tuple[int, int | None] | None:
        if not self.has_focus:
            return None
        return self.cursor_place(lines)

    def cursor_place(self, lines: list[VisualLine] | None = None) -> tuple[int, int | None]:
        """Where the cursor is drawn: (row, index of the cluster in reverse video), or
        (last row, None) for the end-of-text cell.

        The cluster is the one that draws the character at the cursor. A character that
        takes no cell (ZWNJ, a bidi mark, a space hanging at a wrap) passes the cursor on
        to the next visible character of its row, or to the row's end cell."""
        if lines is None:
            lines = self.lines()
        text = self._text
        at = min(max(0, self.cursor), len(text))
        if at >= len(text):
            return len(lines) - 1, None
        row = next((i for i, line in enumerate(lines) if line.start <= at < line.end), len(lines) - 1)
        line = lines[row]
        owner: dict[int, int] = {}
        for index, cluster in enumerate(line.clusters):
            for offset in cluster.offsets:
                owner[offset] = index
        for offset in range(at, line.end):
            index = owner.get(offset)
            if index is not None and cells(text[offset]) > 0 and line.clusters[index].width > 0:
                return row, index
        return row, None
