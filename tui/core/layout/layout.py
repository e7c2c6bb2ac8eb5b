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
from functools import lru_cache

from rich.cells import cell_len
from typing import Literal

from . import bidi_engine
from .glyphs import char_info
from .shaping import prime, shape_range

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
    #: Draw invisible characters (bidi controls, ZWJ, …) as visible names.
    reveal_controls: bool = False


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
class Piece:
    """The clusters of one run of a word at one bidi level, in visual order.

    Offsets are relative to the word's start, so a single Piece serves every occurrence of
    that word (they are cached): building a screen line costs per word, not per character.
    L2 never splits a run of one level, so reordering pieces as wholes is exact, and inside a
    piece the order is simply reversed at odd levels.
    """

    text: str
    width: int
    glyphs: tuple[str, ...]
    widths: tuple[int, ...]
    members: tuple[tuple[int, ...], ...]
    lo: int  # smallest relative offset covered
    hi: int  # one past the largest


@dataclass(frozen=True, slots=True)
class VisualLine:
    """One screen row of a paragraph: pieces left to right, and where the row sits."""

    start: int
    end: int
    pieces: tuple[tuple[int, Piece], ...]  # (absolute offset of the word, piece), visual order
    width: int
    rtl: bool
    pad: int
    text: str  # the row as drawn, without alignment padding

    @property
    def clusters(self) -> tuple[Cluster, ...]:
        """Every cluster, left to right, with absolute offsets (built on demand)."""
        return tuple(
            Cluster(g, w, tuple(base + m for m in members))
            for base, piece in self.pieces
            for g, w, members in zip(piece.glyphs, piece.widths, piece.members)
        )

    def cell_offsets(self) -> list[int]:
        """The logical offset under each drawn cell, left to right (padding excluded)."""
        out: list[int] = []
        for base, piece in self.pieces:
            for w, members in zip(piece.widths, piece.members):
                if w:
                    out.extend([base + members[0]] * w)
        return out

    def offset_at(self, x: int) -> int | None:
        """The logical offset drawn at column `x` of the row (padding included), if any."""
        x -= self.pad
        if x < 0:
            return None
        for base, piece in self.pieces:
            if x >= piece.width:
                x -= piece.width
                continue
            for w, members in zip(piece.widths, piece.members):
                if x < w:
                    return base + members[0]
                x -= w
        return None


def paragraph_is_rtl(text: str, direction: Direction = "auto") -> bool:
    """Base direction of a paragraph: forced, or from its first strong character."""
    if direction == "rtl":
        return True
    if direction == "ltr":
        return False
    return bool(bidi_engine.first_strong_direction(text))


@lru_cache(maxsize=65_536)
def _token_cells(token: str, reveal: bool = False) -> int:
    """Cells of a word or a run of spaces as drawn (cached: words repeat). Measured by Rich
    on the drawn string, as Textual will: a character followed by VS16 or a keycap mark is
    two cells there, whatever its own width."""
    return cell_len("".join(char_info(c, reveal)[0] for c in token))


def wrap(text: str, width: int, reveal: bool = False) -> list[tuple[int, int]]:
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
        token_cells = _token_cells(match.group(), reveal)
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
            char_cells = char_info(text[i], reveal)[1]
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
        return [VisualLine(offset, offset, (), 0, rtl, 0, "")]
    ranges = wrap(text, options.width, options.reveal_controls)
    if options.bidi == "terminal":
        return [_line(text, offset, a, b, rtl, None, options) for a, b in ranges]
    whole = None
    if len(text) <= MAX_WHOLE_PARAGRAPH:
        whole = bidi_engine.resolve_levels(text, rtl)
        prime(text, options.harakat)
    out = []
    for a, b in ranges:
        if whole is not None:
            levels = bidi_engine.line_levels(whole, a, b)
        else:
            part = bidi_engine.resolve_levels(text[a:b], rtl)
            levels = bidi_engine.line_levels(part, 0, b - a)
        out.append(_line(text, offset, a, b, rtl, levels, options))
    return out


def _visible_end(text: str, a: int, b: int) -> int:
    """End of the line's content once its hanging trailing spaces are taken off."""
    while b > a and text[b - 1] in BREAKING_SPACES:
        b -= 1
    return b


def _line(text, offset, a, b, rtl, levels, options: LayoutOptions) -> VisualLine:
    """One visual line: its words' pieces (cached), reordered by level (L2)."""
    hidden_from = _visible_end(text, a, b)
    placed: list[tuple[int, Piece]] = []
    piece_levels: list[int] = []
    for start, end in _tokens(text, a, b):
        hidden = start >= hidden_from
        word = text[start:end]
        reveal = options.reveal_controls
        if levels is None:  # terminal mode: logical order, unshaped
            placed.append((offset + start, _logical_piece(word, hidden, reveal)))
            piece_levels.append(0)
            continue
        word_levels = levels[start - a : end - a]
        first = word_levels[0]
        key = first if word_levels.count(first) == len(word_levels) else tuple(word_levels)
        for piece, level in _word_pieces(word, options.harakat, key, hidden, reveal):
            placed.append((offset + start, piece))
            piece_levels.append(level)
    if levels is not None:
        placed = [placed[i] for i in bidi_engine.visual_order(piece_levels)]
    width = sum(piece.width for _, piece in placed)
    pad = max(0, options.width - width) if rtl and levels is not None else 0
    return VisualLine(offset + a, offset + b, tuple(placed), width, rtl, pad, "".join(p.text for _, p in placed))


def _tokens(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Words and runs of spaces in `[a, b)`. Combining marks at the start of a word belong to
    the space before them: a mark rides on the character before it, whatever that is."""
    spans = [m.span() for m in _TOKEN.finditer(text, a, b)]
    for k in range(1, len(spans)):
        start, end = spans[k]
        moved = start
        while moved < end and char_info(text[moved])[2]:
            moved += 1
        if moved > start and text[start - 1] in BREAKING_SPACES:
            spans[k - 1] = (spans[k - 1][0], moved)
            spans[k] = (moved, end)
    return [span for span in spans if span[0] < span[1]]


@lru_cache(maxsize=65_536)
def _word_pieces(
    word: str, harakat: bool, levels: int | tuple[int, ...], hidden: bool, reveal: bool = False
) -> tuple[tuple[Piece, int], ...]:
    """Shape a word, join marks to their letters (L3), split it where its level changes,
    and lay out each run: reversed and mirrored (L4) at odd levels."""
    chars, members = _group(shape_range(word, 0, len(word), harakat))
    if isinstance(levels, int):
        cluster_levels = [levels] * len(chars)
    else:
        cluster_levels = [levels[min(m)] for m in members]
    out = []
    start = 0
    for i in range(1, len(chars) + 1):
        if i == len(chars) or cluster_levels[i] != cluster_levels[start]:
            level = cluster_levels[start]
            out.append((_piece(chars[start:i], members[start:i], level % 2 == 1, hidden, reveal), level))
            start = i
    return tuple(out)


@lru_cache(maxsize=65_536)
def _logical_piece(word: str, hidden: bool, reveal: bool = False) -> Piece:
    chars, members = _group([(c, (i,)) for i, c in enumerate(word)])
    return _piece(chars, members, False, hidden, reveal)


def _group(items: list[tuple[str, tuple[int, ...]]]) -> tuple[list[str], list[list[int]]]:
    """Join each combining mark to the glyph before it, so they move as one (rule L3).
    Returns the groups' characters and their logical members."""
    chars: list[str] = []
    members: list[list[int]] = []
    for char, indices in items:
        if chars and char and chars[-1] and char_info(char)[2]:
            chars[-1] += char
            members[-1].extend(indices)
        else:
            chars.append(char)
            members.append(list(indices))
    return chars, members


def _piece(chars: list[str], members: list[list[int]], rtl_run: bool, hidden: bool, reveal: bool = False) -> Piece:
    count = len(chars)
    if hidden:
        glyphs = [""] * count
        widths = [0] * count
    else:
        glyphs = []
        widths = []
        mirrored = bidi_engine.MIRRORED if rtl_run else {}
        for group in chars:
            if not group:
                glyphs.append("")
                widths.append(0)
            elif len(group) == 1:
                shown, width, _ = char_info(mirrored.get(group, group), reveal)
                glyphs.append(shown)
                widths.append(width)
            else:
                shown = "".join(char_info(c, reveal)[0] for c in mirrored.get(group[0], group[0]) + group[1:])
                glyphs.append(shown)
                widths.append(cell_len(shown))  # Rich's measure of the whole cluster
    ordered = [tuple(m) if len(m) == 1 else tuple(sorted(m)) for m in members]
    lo = min(m[0] for m in ordered)
    hi = max(m[-1] for m in ordered) + 1
    if rtl_run:
        glyphs.reverse()
        widths.reverse()
        ordered.reverse()
    return Piece("".join(glyphs), sum(widths), tuple(glyphs), tuple(widths), tuple(ordered), lo, hi)
