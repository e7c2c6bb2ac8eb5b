"""The reader pane: a ScrollView on Textual's Line API that draws only the rows on screen.

Modelled on Textual's own `Log` widget: `render_line(y)` returns a `Strip`, built from the
core's visual lines and kept in an LRU cache. Paragraph layouts are cached too, and row
positions come from a `RowMap` (estimates that become exact when a paragraph is laid out),
so neither opening nor resizing wraps the whole document.

The sentence cursor is a logical span; the rows that show it are found through each visual
line's logical range, never from screen positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..core.text.document import Document
from ..core.layout.layout import LayoutOptions, VisualLine, layout_paragraph
from ..core.labels import DEFAULT_LABELS, LabelSet
from ..core.layout.render_text import gutter_width
from ..core.layout.rows import RowMap
from ..core.text.sentence_index import SentenceIndex, Span

#: Longest stretch of read-ahead layout between two frames, in seconds.
READ_AHEAD_SLICE = 0.004
CURSOR_MARK = "▌"
NOTE_MARK = "✎"
#: How strongly a label's colour tints the background of its sentences.
TINT = 0.35


@dataclass(frozen=True)
class ViewOptions:
    """How the document is drawn, apart from the width (which the pane decides)."""

    bidi: str = "app"
    direction: str = "auto"
    harakat: bool = True
    reveal_controls: bool = False


class ReaderView(ScrollView, can_focus=True):
    """Shows a document with Arabic shaped and ordered, and a sentence cursor."""

    COMPONENT_CLASSES = {"reader--cursor", "reader--gutter", "reader--match"}

    BINDINGS = [
        Binding("down,j", "next_sentence", "Next", id="reader.next_sentence"),
        Binding("up,k", "previous_sentence", "Previous", id="reader.previous_sentence"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="reader.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="reader.page_up"),
        Binding("g,home", "first_sentence", "First", show=False, id="reader.first_sentence"),
        Binding("G,end", "last_sentence", "Last", show=False, id="reader.last_sentence"),
    ]

    @dataclass
    class CursorMoved(Message):
        """The sentence cursor moved (or the document's sentence count became known)."""

        span: Span | None
        number: int | None
        total: int | None

    def __init__(
        self, doc: Document, options: ViewOptions, *, labels: LabelSet | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.labels = labels or LabelSet(DEFAULT_LABELS)
        self.gutter_cells = gutter_width(len(self.labels))
        #: The annotating session, once the document's annotations are open (see app.py).
        self.session = None
        #: Search matches to highlight: a callable (start, end) -> spans, set by the app.
        self.matches = None
        self._layouts: LRUCache[int, list[VisualLine]] = LRUCache(2048)
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._options = options
        self._text_width = 0
        self._read_ahead_pending = False
        self._styles: dict[str, Style] = {}
        self.cursor: Span | None = None
        self.set_document(doc)

    # -- state ----------------------------------------------------------------------------

    def set_document(self, doc: Document, index: SentenceIndex | None = None) -> None:
        """Show another document (or the same one afresh) from its first sentence."""
        self.doc = doc
        self.index = index or SentenceIndex(doc)
        self._rows = RowMap((), 0, 1)  # sized by _relayout once the pane knows its width
        self._text_width = 0
        self._layouts.clear()
        self._strips.clear()
        self.cursor = self.index.first()
        if self.is_mounted:
            self._relayout()
            self.scroll_to(0, 0, animate=False)
            self._announce()

    def document_grew(self) -> None:
        """The document finished loading (see Document.open_progressively): more paragraphs,
        and every offset and layout already made is still true. Keeps the view where it is."""
        self.index = SentenceIndex(self.doc)
        if self._text_width:
            exact = {p: len(self._layouts.get(p) or ()) for p in list(self._layouts.keys())}
            self._rows = RowMap(self.doc.line_starts, len(self.doc.text), self._text_width)
            for paragraph, rows in exact.items():
                if rows:
                    self._rows.set_exact(paragraph, rows)
            self.virtual_size = Size(self._text_width + self.gutter_cells, self._rows.total)
        self._strips.clear()
        self.refresh()
        self._announce()

    @property
    def options(self) -> ViewOptions:
        return self._options

    def set_options(self, options: ViewOptions) -> None:
        """Change bidi mode, direction or harakat; keeps the cursor in view."""
        self._options = options
        self._text_width = 0
        self._relayout()
        self._scroll_to_cursor(center=True)

    @property
    def layout_options(self) -> LayoutOptions:
        o = self._options
        return LayoutOptions(
            width=max(1, self._text_width),
            bidi=o.bidi,
            direction=o.direction,
            harakat=o.harakat,
            reveal_controls=o.reveal_controls,
        )

    def _relayout(self) -> None:
        """Start row estimates afresh for the current width (cheap: no wrapping). Does
        nothing until the pane has a size, so start-up estimates the rows once."""
        region = self.scrollable_content_region.width if self.is_mounted else 0
        if region <= self.gutter_cells:
            return
        width = region - self.gutter_cells
        if width == self._text_width:
            return
        self._text_width = width
        self._layouts.clear()
        self._strips.clear()
        # A character is one cell in most text: length over width is a fair estimate.
        self._rows = RowMap(self.doc.line_starts, len(self.doc.text), width)
        self.virtual_size = Size(width + self.gutter_cells, self._rows.total)

    def paragraph_lines(self, paragraph: int) -> list[VisualLine]:
        """Visual lines of one paragraph (cached); makes its row count exact."""
        lines = self._layouts.get(paragraph)
        if lines is None:
            start, end = self.doc.paragraph_span(paragraph)
            lines = layout_paragraph(self.doc.text[start:end], start, self.layout_options)
            self._layouts[paragraph] = lines
            if paragraph < len(self._rows) and self._rows.set_exact(paragraph, len(lines)):
                self.call_after_refresh(self._sync_virtual_size)
        return lines

    # -- read-ahead -------------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._schedule_read_ahead()

    def _schedule_read_ahead(self) -> None:
        if not self._read_ahead_pending and self.is_mounted:
            self._read_ahead_pending = True
            self.call_after_refresh(self._read_ahead)

    def _read_ahead(self) -> None:
        """Lay out the screenful below the view, then the one above, a few milliseconds at a
        time between frames, so that paging finds its paragraphs ready. Stops as soon as a
        slice runs out of time and reschedules itself; a new scroll restarts it."""
        self._read_ahead_pending = False
        if not self._rows.total:
            return
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_y)
        deadline = perf_counter() + READ_AHEAD_SLICE
        for first, last in ((top + height, top + 2 * height), (max(0, top - height), top)):
            row = first
            while row < min(last, self._rows.total):
                paragraph, within = self._rows.locate(row)
                if self._layouts.get(paragraph) is None:
                    if perf_counter() > deadline:
                        self._schedule_read_ahead()
                        return
                    self.paragraph_lines(paragraph)
                row = self._rows.first_row(paragraph) + self._rows.rows(paragraph)

    def _sync_virtual_size(self) -> None:
        size = Size(self._text_width + self.gutter_cells, self._rows.total)
        if size != self.virtual_size:
            self.virtual_size = size

    # -- drawing --------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        before = self._text_width
        self._relayout()
        if self._text_width != before:
            self._scroll_to_cursor(center=False)
        self._schedule_read_ahead()

    def on_mount(self) -> None:
        self._relayout()
        self._announce()
        self._schedule_read_ahead()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        row = scroll_y + y
        base = self._base_style()
        if row >= self._rows.total or self.doc.paragraph_count == 0:
            return Strip.blank(width, base)
        paragraph, within = self._rows.locate(row)
        lines = self.paragraph_lines(paragraph)
        if within >= len(lines):
            # The estimate said more rows than the layout gave; the frame after the
            # virtual-size update is right.
            return Strip.blank(width, base)
        line = lines[within]
        annotations = self._annotations_on(line)
        marks = self.row_marks(line, annotations)
        gutter = self.row_gutter(line, marks, annotations)
        key = (paragraph, within, width, marks, gutter)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._build_strip(line, marks, gutter, width, base)
            self._strips[key] = strip
        return strip.apply_offsets(scroll_x, row)

    def _annotations_on(self, line: VisualLine) -> list:
        """The annotations a row shows (asked once per row, for its marks and its gutter)."""
        if self.session is None or line.start == line.end:
            return []
        return self.session.overlapping(line.start, line.end)

    def row_marks(self, line: VisualLine, annotations: list | None = None) -> tuple[tuple[int, int, str], ...]:
        """Logical spans to colour on this row, highest priority first, as (start, end,
        style name): search matches, then the cursor's sentence, then label tints."""
        if line.start == line.end:
            return ()
        if annotations is None:
            annotations = self._annotations_on(line)
        marks: list[tuple[int, int, str]] = []
        if self.matches is not None:
            marks.extend((a, b, "reader--match") for a, b in self.matches(line.start, line.end))
        cursor = self.cursor
        if cursor is not None and cursor[0] < line.end and cursor[1] > line.start:
            marks.append((cursor[0], cursor[1], "reader--cursor"))
        for annotation in annotations:
            if annotation.labels:
                first = self.labels.order(annotation.labels)[0]
                marks.append((annotation.start, annotation.end, f"label:{first}"))
        return tuple(marks)

    def row_gutter(self, line: VisualLine, marks: tuple[tuple[int, int, str], ...], annotations: list) -> str:
        """The gutter: the cursor mark on the cursor's rows, one letter per label of the
        sentence (so labels read without colour), and a mark if it has a note."""
        on_cursor = any(m[2] == "reader--cursor" for m in marks)
        letters = ""
        note = " "
        for annotation in annotations:
            letters += "".join(self.labels.marker(name) for name in self.labels.order(annotation.labels))
            if annotation.note:
                note = NOTE_MARK
        slots = self.gutter_cells - 3
        if len(letters) > slots:
            letters = letters[: slots - 1] + "+"
        return (CURSOR_MARK if on_cursor else " ") + letters.ljust(slots) + note + " "

    def _base_style(self) -> Style:
        """`rich_style` costs ~0.1 ms to compute and is asked for every row: keep it until
        the styles change (`notify_style_update`)."""
        base = self._styles.get("")
        if base is None:
            base = self._styles[""] = self.rich_style
        return base

    def _style(self, name: str, base: Style) -> Style:
        style = self._styles.get(name)
        if style is None:
            if name.startswith("label:"):
                style = self._tint(self.labels.colour(name[6:]), base)
            else:
                style = self.get_component_rich_style(name, partial=True)
            self._styles[name] = style
        return base + style

    @staticmethod
    def _tint(colour: str, base: Style) -> Style:
        """The label's colour mixed into the background, so text stays readable."""
        from rich.color import Color

        label = Color.parse(colour).get_truecolor()
        under = base.bgcolor.get_truecolor() if base.bgcolor else Color.parse("black").get_truecolor()
        mixed = tuple(round(u + (l - u) * TINT) for u, l in zip(under, label))
        return Style(bgcolor=Color.from_rgb(*mixed))

    def _build_strip(
        self, line: VisualLine, marks: tuple[tuple[int, int, str], ...], gutter: str, width: int, base: Style
    ) -> Strip:
        """One row as segments: gutter, alignment padding, then the pieces, each piece in one
        style unless a mark begins or ends inside it (then cluster by cluster)."""
        segments = [Segment(gutter, self._style("reader--gutter", base) if gutter.strip() else base)]
        # (the gutter's width is fixed: self.gutter_cells cells)
        if line.pad:
            segments.append(Segment(" " * line.pad, base))
        run: list[str] = []
        run_style: str | None = None

        def emit(text: str, name: str | None) -> None:
            nonlocal run, run_style
            if run and name != run_style:
                segments.append(Segment("".join(run), self._style(run_style, base) if run_style else base))
                run = []
            run.append(text)
            run_style = name

        for origin, piece in line.pieces:
            if not piece.text:
                continue
            lo, hi = origin + piece.lo, origin + piece.hi
            touching = [m for m in marks if m[0] < hi and m[1] > lo]
            if not touching:
                emit(piece.text, None)
            elif touching[0][0] <= lo and touching[0][1] >= hi:
                emit(piece.text, touching[0][2])
            else:
                for glyph, members in zip(piece.glyphs, piece.members):
                    if glyph:
                        first = origin + members[0]
                        name = next((m[2] for m in touching if m[0] <= first < m[1]), None)
                        emit(glyph, name)
        if run:
            segments.append(Segment("".join(run), self._style(run_style, base) if run_style else base))
        # Textual measures the segments itself, so a row can never be wider than the pane.
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    # -- cursor -----------------------------------------------------------------------------

    def _rows_of(self, span: Span) -> tuple[int, int]:
        """First and last document row that show a logical span."""
        first_p = self.doc.paragraph_at(span[0])
        last_p = self.doc.paragraph_at(max(span[0], span[1] - 1))
        top = bottom = None
        for paragraph in range(first_p, last_p + 1):
            lines = self.paragraph_lines(paragraph)
            base_row = self._rows.first_row(paragraph)
            for i, line in enumerate(lines):
                if line.start < span[1] and line.end > span[0] or line.start == span[0]:
                    if top is None:
                        top = base_row + i
                    bottom = base_row + i
        if top is None:
            top = bottom = self._rows.first_row(first_p)
        return top, bottom

    def _scroll_to_cursor(self, center: bool = False) -> None:
        if self.cursor is None or not self.is_mounted:
            return
        top, bottom = self._rows_of(self.cursor)
        self._sync_virtual_size()
        height = self.scrollable_content_region.height
        bottom = min(bottom, top + max(0, height - 1))  # a tall sentence shows its start
        region = Region(0, top, 1, bottom - top + 1)
        self.scroll_to_region(region, animate=False, center=center, immediate=True)

    def move_cursor(self, span: Span | None) -> None:
        """Put the cursor on `span`, redraw what changed, keep it in view."""
        if span is None or span == self.cursor:
            return
        self.cursor = span
        self.refresh()
        self._scroll_to_cursor()
        self._announce()

    def _announce(self) -> None:
        number = self.index.number(self.cursor) if self.cursor else None
        self.post_message(self.CursorMoved(self.cursor, number, self.index.total))

    def announce(self) -> None:
        """Tell listeners where the cursor is (e.g. once the count has finished)."""
        self._announce()

    def action_next_sentence(self) -> None:
        if self.cursor is not None:
            self.move_cursor(self.index.next(self.cursor))

    def action_previous_sentence(self) -> None:
        if self.cursor is not None:
            self.move_cursor(self.index.previous(self.cursor))

    def action_first_sentence(self) -> None:
        self.move_cursor(self.index.first())
        self.scroll_home(animate=False, immediate=True)

    def action_last_sentence(self) -> None:
        self.move_cursor(self.index.last())

    def _page(self, direction: int) -> None:
        """Scroll a screenful and put the cursor on the first sentence of the new view;
        the cursor never moves against the paging direction (near the ends of the document
        the view cannot move a whole screen)."""
        height = max(1, self.scrollable_content_region.height)
        target = max(0, min(self.max_scroll_y, self.scroll_y + direction * height))
        self.scroll_to(y=target, animate=False, immediate=True)
        offset = self._offset_at_row(int(target))
        if offset is None:
            return
        span = self.index.at(offset)
        cursor = self.cursor
        if cursor is not None and (span is None or (span[0] <= cursor[0] if direction > 0 else span[0] >= cursor[0])):
            span = self.index.next(cursor) if direction > 0 else self.index.previous(cursor)
        if span is not None:
            self.cursor = span
            self.refresh()
            self._scroll_to_cursor()
            self._announce()

    def action_page_down(self) -> None:
        self._page(+1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _offset_at_row(self, row: int) -> int | None:
        if self._rows.total == 0:
            return None
        paragraph, within = self._rows.locate(row)
        lines = self.paragraph_lines(paragraph)
        line = lines[min(within, len(lines) - 1)]
        return line.start

    def offset_at(self, x: int, y: int) -> int | None:
        """Logical offset under a point of the pane (content coordinates), if any."""
        row = int(self.scroll_y) + y
        if row >= self._rows.total:
            return None
        paragraph, within = self._rows.locate(row)
        lines = self.paragraph_lines(paragraph)
        if within >= len(lines):
            return None
        line = lines[within]
        column = x - self.gutter_cells
        if self._options.bidi == "terminal" and line.rtl:
            # The terminal draws this row right to left itself: mirror the column.
            column = self._text_width - 1 - column
        hit = line.offset_at(column)
        return line.start if hit is None else hit

    def _bindings_list(self) -> list[Binding]:
        """The key bindings this pane declares, for the help screen."""
        return _declared(self.BINDINGS)

    def on_click(self, event: events.Click) -> None:
        offset = self.offset_at(event.x, event.y)
        if offset is not None:
            self.move_cursor(self.index.at(offset))




def _declared(bindings: list[Binding] | list) -> list[Binding]:
    return [b for b in bindings if isinstance(b, Binding)]
