"""Arabic contextual shaping with a map back to logical offsets.

arabic-reshaper turns letters into their presentation forms (initial, medial, final,
isolated) and lam+alef into one ligature. It gives no index map, so we rebuild one: the
NFKC form of a presentation form is its source letter(s), which lets us walk the output
and the input side by side. Characters the reshaper drops (ZWJ, harakat when the user asks
for them gone) stay in the map, attached to a neighbour, so every logical character is
accounted for exactly once.

Configuration: harakat are kept unless asked otherwise; of all ligatures only lam-alef is
kept, because word ligatures such as U+FDF2 (الله) are one cell to Rich but drawn several
cells wide by terminal fonts.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.ligatures import LIGATURES

#: Where presentation forms live; only these are expanded with NFKC when aligning.
_PRESENTATION = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))


def _is_presentation(char: str) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _PRESENTATION)


#: The only ligatures terminals draw in one cell, as every Arabic font has them.
_LAM_ALEF = frozenset(
    {
        "ARABIC LIGATURE LAM WITH ALEF",
        "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA ABOVE",
        "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA BELOW",
        "ARABIC LIGATURE LAM WITH ALEF WITH MADDA ABOVE",
    }
)


@lru_cache(maxsize=2)
def _reshaper(keep_harakat: bool) -> ArabicReshaper:
    config: dict[str, object] = {
        "delete_harakat": not keep_harakat,
        "shift_harakat_position": False,
        "delete_tatweel": False,
        "support_zwj": True,
        "support_ligatures": True,
    }
    for name, _ in LIGATURES:
        config[name] = name in _LAM_ALEF
    return ArabicReshaper(configuration=config)


def needs_shaping(text: str) -> bool:
    """True if the text holds any Arabic-script letter (cheap pre-check)."""
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" or "\u08a0" <= c <= "\u08ff" for c in text)


def shape(text: str, keep_harakat: bool = True) -> list[tuple[str, tuple[int, ...]]]:
    """Shape `text` (logical order). Returns, in logical order, each output character with
    the indices into `text` it stands for. Every index appears exactly once; an index the
    reshaper dropped is attached, with no character of its own, to its left neighbour."""
    if not needs_shaping(text):
        return [(c, (i,)) for i, c in enumerate(text)]
    try:
        shaped = _reshaper(keep_harakat).reshape(text)
    except (IndexError, KeyError, ValueError):
        # Known reshaper failures (e.g. ZWJ before a ligature): show the letters unshaped
        # rather than fail the whole line.
        return [(c, (i,)) for i, c in enumerate(text)]
    return _split_marked_lam_alef(_align(text, shaped))


#: Lam-alef ligatures (isolated, final) -> the alef's final form, for `_split_marked_lam_alef`.
_LAM_ALEF_FORMS = {
    "\ufefb": "\ufe8e", "\ufefc": "\ufe8e",  # لا
    "\ufef7": "\ufe84", "\ufef8": "\ufe84",  # لأ
    "\ufef9": "\ufe88", "\ufefa": "\ufe88",  # لإ
    "\ufef5": "\ufe82", "\ufef6": "\ufe82",  # لآ
}
_LAM_INITIAL, _LAM_MEDIAL = "\ufedf", "\ufee0"


def _split_marked_lam_alef(items: list[tuple[str, tuple[int, ...]]]) -> list[tuple[str, tuple[int, ...]]]:
    """A lam-alef ligature with a haraka between its letters (لِإِ) would pile both marks on
    one cell; draw lam and alef as joined separate letters instead, each with its own mark
    (GNU FriBidi does the same)."""
    if not any(c in _LAM_ALEF_FORMS and len(idx) > 1 and idx[1] - idx[0] > 1 for c, idx in items):
        return items
    out: list[tuple[str, tuple[int, ...]]] = []
    for char, indices in items:
        if char in _LAM_ALEF_FORMS and len(indices) > 1 and indices[1] - indices[0] > 1:
            isolated = ord(char) % 2 == 1  # the isolated forms are the odd code points
            out.append((_LAM_INITIAL if isolated else _LAM_MEDIAL, (indices[0],)))
            out.append((_LAM_ALEF_FORMS[char], indices[1:]))
        else:
            out.append((char, indices))
    out.sort(key=lambda item: item[1][0] if item[1] else -1)
    return out


def _align(source: str, shaped: str) -> list[tuple[str, tuple[int, ...]]]:
    """Pair each shaped character with the source indices it came from."""
    n = len(source)
    taken = [False] * n
    out: list[tuple[str, list[int]]] = []
    cursor = 0  # first source index not yet taken
    for char in shaped:
        wanted = unicodedata.normalize("NFKC", char) if _is_presentation(char) else char
        indices: list[int] = []
        j = cursor
        for letter in wanted:
            while j < n and (taken[j] or source[j] != letter):
                j += 1
            if j == n:
                break
            taken[j] = True
            indices.append(j)
            j += 1
        out.append((char, indices))
        while cursor < n and taken[cursor]:
            cursor += 1
    # Attach what the reshaper dropped to the nearest output character on its left (or the
    # first one), so the map stays total.
    owner = [-1] * n
    for k, (_, indices) in enumerate(out):
        for i in indices:
            owner[i] = k
    last = 0
    orphans: list[tuple[int, int]] = []
    for i in range(n):
        if owner[i] == -1:
            orphans.append((last, i))
        else:
            last = owner[i]
    result = [(char, list(indices)) for char, indices in out]
    if not result:
        return [("", tuple(range(n)))] if n else []
    for k, i in orphans:
        result[k][1].append(i)
    return [(char, tuple(sorted(indices))) for char, indices in result]
