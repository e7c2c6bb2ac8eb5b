"""What each logical character puts on screen, and how many terminal cells it takes.

One table serves wrapping (in logical order) and drawing (in visual order), so a line that
was measured to fit is drawn in exactly the cells it was measured in. Control characters
are never sent to the terminal: C0/C1 controls become visible Control Pictures, and bidi
formatting controls take no cell (they have done their work in the layout engine).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rich.cells import get_character_cell_size

#: A tab is drawn as this many spaces: fixed, so wrapping does not depend on the column.
TAB_CELLS = 4

#: Bidi formatting characters (explicit embeddings, overrides, isolates, marks).
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

#: Invisible characters that shape text but take no cell of their own.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad") | BIDI_CONTROLS


@lru_cache(maxsize=4096)
def glyph(char: str) -> str:
    """The string drawn for one logical character (may be empty, never a control)."""
    code = ord(char)
    if char == "\t":
        return " " * TAB_CELLS
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ Control Pictures
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0x80 <= code < 0xA0:
        return "\ufffd"
    if char in INVISIBLE:
        return ""
    if unicodedata.category(char) in ("Zl", "Zp"):
        return " "
    return char


@lru_cache(maxsize=4096)
def cells(char: str) -> int:
    """Terminal cells the glyph of `char` takes (0 for combining marks and invisibles)."""
    shown = glyph(char)
    if not shown:
        return 0
    if len(shown) == 1:
        return get_character_cell_size(shown)
    return sum(get_character_cell_size(c) for c in shown)


def is_mark(char: str) -> bool:
    """Combining marks (harakat, niqqud, accents) ride on the character before them."""
    return unicodedata.category(char) in ("Mn", "Me", "Mc") and cells(char) == 0


#: What the reveal mode (`v` in the app) draws for each invisible character, so that a
#: reader can see the bidi controls a "Trojan Source" text hides (and ZWJ and friends).
REVEALED = {
    "\u200e": "‹LRM›", "\u200f": "‹RLM›", "\u061c": "‹ALM›",
    "\u202a": "‹LRE›", "\u202b": "‹RLE›", "\u202c": "‹PDF›", "\u202d": "‹LRO›", "\u202e": "‹RLO›",
    "\u2066": "‹LRI›", "\u2067": "‹RLI›", "\u2068": "‹FSI›", "\u2069": "‹PDI›",
    "\u200b": "‹ZWSP›", "\u200c": "‹ZWNJ›", "\u200d": "‹ZWJ›", "\u2060": "‹WJ›",
    "\ufeff": "‹BOM›", "\u00ad": "‹SHY›",
}

_INFO: dict[str, tuple[str, int, bool]] = {}


def char_info(char: str, reveal: bool = False) -> tuple[str, int, bool]:
    """(glyph, cells, is_mark) of one character, memoised: the layout's hot path asks this
    for every character on screen, so it is one dict lookup after the first time. With
    `reveal`, invisible characters are drawn as their names (REVEALED)."""
    if reveal and char in REVEALED:
        shown = REVEALED[char]
        return shown, len(shown), False
    info = _INFO.get(char)
    if info is None:
        if len(_INFO) > 65_536:
            _INFO.clear()
        info = _INFO[char] = (glyph(char), cells(char), is_mark(char))
    return info


def escape_controls(text: str) -> str:
    """`text` safe to print on a terminal as it is (error messages on stderr): control and
    bidi control characters become visible escapes such as \\x1b and \\u202e."""
    out = []
    for char in text:
        code = ord(char)
        if code < 0x20 and char not in "\t" or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif char in BIDI_CONTROLS:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)
