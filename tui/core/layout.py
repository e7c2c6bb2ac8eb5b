"""Paragraph layout: wrap in logical order, then shape and reorder each line.

The order matters (see docs in README, "How Arabic is drawn"): wrapping visual text puts
the end of a paragraph on its first row. So a paragraph is wrapped at word boundaries while
still in logical order, measuring the cells each character will take; each wrapped line is
then shaped and reordered with the paragraph's base direction and levels. Every visual line
keeps, for each cluster it draws, the logical offsets it came from: highlights, clicks and
the sentence cursor all live in logical offsets, never in screen positions.

`app` mode does all of this. `terminal` mode is for terminals that run the bidi algorithm
themselves (Konsole, VTE, mlterm): they get logical, unshaped text, or Arabic would be
reversed twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from . import bidi_engine
from .glyphs import cells, glyph, is_mark
from .shaping import shape

BidiMode = Literal["app", "terminal"]
Direction = Literal["auto", "rtl", "ltr"]
BIDI_MODES: tuple[BidiMode, ...] = ("app", "terminal")
DIRECTIONS: tuple[Direction, ...] = ("auto", "rtl", "ltr")

#: Paragraphs longer than this get their bidi levels resolved line by line (still with the
#: paragraph's base direction) so a 20 MB line costs only what is on screen.
MAX_WHOLE_PARAGRAPH = 16_384

#: Where a line may break: ordinary spaces and tabs, not NBSP (U+00A0), figure space
#: (U+2007) or narrow NBSP (U+202F), which exist to prevent exactly that.
_BREAKING_SPACE = " \t\u1680\u2000-\u2006\u2008-\u200b\u205f\u3000"
_TOKEN = re.compile(f"[{_BREAKING_SPACE}]+|[^{_BREAKING_SPACE}]+")
_SPACE = re.compile(f"[{_BREAKING_SPACE}]+")


@dataclass(frozen=True)
class LayoutOptions:
    """Everything that changes how a paragraph is laid out (so it can key a cache)."""

    width: int = 80
    bidi: BidiMode = "app"
    direction: Direction = "auto"
    harakat: bool = True


@dataclass(frozen=True, slots=True)
class Cluster:
    """What one group of screen cells shows: a base glyph with its marks, a ligature, or
    nothing (an invisible character). `offsets` are absolute logical offsets, sorted."""

    text: str
    width: int
    offsets: tuple[int, ...]

    @property
    def first(self) -> int:
        return self.offsets[0]


@dataclass(frozen=True, slots=True)
class VisualLine:
    """One screen row of a paragraph: clusters left to right, and where the row sits."""

    start: int
    end: int
    clusters: tuple[Cluster, ...]
    width: int
    rtl: bool
    pad: int

    @property
    def text(self) -> str:
        """The row as drawn, without alignment padding."""
        return "".join(c.text for c in self.clusters)

    def cell_offsets(self) -> list[int]:
        """The logical offset under each drawn cell, left to right (padding excluded)."""
        out: list[int] = []
        for cluster in self.clusters:
            out.extend([cluster.first] * cluster.width)
        return out

    def offset_at(self, x: int) -> int | None:
        """The logical offset drawn at column `x` of the row (padding included), if any."""
        x -= self.pad
        if x < 0:
            return None
        for cluster in self.clusters:
            if x < cluster.width:
                return cluster.first
            x -= cluster.width
        return None


def paragraph_is_rtl(text: str, direction: Direction = "auto") -> bool:
    """Base direction of a paragraph: forced, or from its first strong character."""
    if direction == "rtl":
        return True
    if direction == "ltr":
        return False
    return bool(bidi_engine.first_strong_direction(text))


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Break a paragraph (logical order) into lines of at most `width` cells.

    Returns contiguous ranges covering all of `text`. Breaks fall after runs of spaces,
    which hang at the end of their line (they are not counted and not drawn); a word wider
    than the line is split between characters, never between a letter and its marks.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    line_start = 0
    used = 0  # cells of content on the current line, spaces before the last word included
    pending = 0  # cells of the spaces seen since the last word
    has_word = False
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        token_cells = sum(cells(c) for c in match.group())
        if text[start] in BREAKING_SPACES:
            pending += token_cells
            continue
        if has_word and used + pending + token_cells > width:
            lines.append((line_start, start))
            line_start, used, pending, has_word = start, 0, 0, False
        if used + pending + token_cells <= width:
            used += pending + token_cells
            pending = 0
            has_word = True
            continue
        # Too wide even alone (or after leading spaces): split between characters.
        used += pending
        pending = 0
        for i in range(start, end):
            char_cells = cells(text[i])
            if used + char_cells > width and used > 0 and char_cells > 0:
                lines.append((line_start, i))
                line_start, used = i, 0
            used += char_cells
        has_word = True
    lines.append((line_start, len(text)))
    return lines


#: The characters `_BREAKING_SPACE` names, for quick membership tests.
BREAKING_SPACES = frozenset(
    " \t\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u200b\u205f\u3000"
)


def layout_paragraph(text: str, offset: int, options: LayoutOptions) -> list[VisualLine]:
    """Lay out one paragraph (no newline inside) whose first character is at `offset`."""
    rtl = paragraph_is_rtl(text, options.direction)
    if not text:
        return [VisualLine(offset, offset, (), 0, rtl, 0)]
    ranges = wrap(text, options.width)
    if options.bidi == "terminal":
        return [_terminal_line(text, offset, a, b, rtl) for a, b in ranges]
    whole = None
    if len(text) <= MAX_WHOLE_PARAGRAPH:
        whole = bidi_engine.resolve_levels(text, rtl)
    out = []
    for a, b in ranges:
        if whole is not None:
            levels = bidi_engine.line_levels(whole, a, b)
        else:
            part = bidi_engine.resolve_levels(text[a:b], rtl)
            levels = bidi_engine.line_levels(part, 0, b - a)
        out.append(_app_line(text, offset, a, b, rtl, levels, options))
    return out


def _visible_end(text: str, a: int, b: int) -> int:
    """End of the line's content once its hanging trailing spaces are taken off."""
    while b > a and text[b - 1] in BREAKING_SPACES:
        b -= 1
    return b


def _group(items: list[tuple[str, tuple[int, ...]]]) -> list[tuple[str, list[int]]]:
    """Join each combining mark to the glyph before it, so they move as one (rule L3)."""
    groups: list[tuple[str, list[int]]] = []
    for char, indices in items:
        if groups and char and is_mark(char) and groups[-1][0]:
            text, members = groups[-1]
            groups[-1] = (text + char, members + list(indices))
        else:
            groups.append((char, list(indices)))
    return groups


def _clusters(groups, offset: int, hidden_from: int, mirror_levels=None) -> list[Cluster]:
    out = []
    for k, (chars, members) in enumerate(groups):
        members.sort()
        if members[0] >= hidden_from:
            shown = ""
        else:
            if mirror_levels is not None and mirror_levels[k] % 2:
                chars = bidi_engine.mirror(chars[0]) + chars[1:]
            shown = "".join(glyph(c) for c in chars)
        out.append(Cluster(shown, sum(cells(c) for c in shown), tuple(offset + m for m in members)))
    return out


def _app_line(text, offset, a, b, rtl, levels, options: LayoutOptions) -> VisualLine:
    items = shape(text[a:b], options.harakat)
    groups = _group([(c, tuple(a + i for i in idx)) for c, idx in items])
    group_levels = [levels[min(members) - a] for _, members in groups]
    order = bidi_engine.visual_order(group_levels)
    hidden_from = _visible_end(text, a, b)
    clusters = _clusters(groups, offset, hidden_from, group_levels)
    visual = tuple(clusters[i] for i in order)
    width = sum(c.width for c in visual)
    pad = max(0, options.width - width) if rtl else 0
    return VisualLine(offset + a, offset + b, visual, width, rtl, pad)


def _terminal_line(text, offset, a, b, rtl) -> VisualLine:
    groups = _group([(text[i], (i,)) for i in range(a, b)])
    clusters = tuple(_clusters(groups, offset, _visible_end(text, a, b)))
    width = sum(c.width for c in clusters)
    return VisualLine(offset + a, offset + b, clusters, width, rtl, 0)
