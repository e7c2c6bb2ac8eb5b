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

import re
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


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


def needs_shaping(text: str) -> bool:
    """True if the text holds any Arabic-script letter (cheap pre-check)."""
    return _ARABIC.search(text) is not None


_WORD = re.compile(r"\S+")

#: (word, keep_harakat) -> shaped word; cleared when it grows past _CACHE_LIMIT words.
_SHAPED: dict[tuple[str, bool], tuple[tuple[str, tuple[int, ...]], ...]] = {}
_CACHE_LIMIT = 200_000


def shape_range(text: str, start: int, end: int, keep_harakat: bool = True) -> list[tuple[str, tuple[int, ...]]]:
    """Shape `text[start:end]`; indices in the result are indices into `text`.

    Arabic joining never crosses whitespace, so words are shaped independently and cached:
    news text repeats its words, and reshaping is the costliest step of drawing a line. The
    words not seen before are shaped together in one reshaper call (a call costs far more
    than a character).
    """
    words = [(m.start(), m.group()) for m in _WORD.finditer(text, start, end)]
    _prime([w for _, w in words], keep_harakat)
    out: list[tuple[str, tuple[int, ...]]] = []
    at = start
    for word_start, word in words:
        for i in range(at, word_start):
            out.append((text[i], (i,)))
        shaped = _SHAPED.get((word, keep_harakat))
        if shaped is None:
            for i in range(word_start, word_start + len(word)):
                out.append((text[i], (i,)))
        else:
            for char, indices in shaped:
                out.append((char, tuple(word_start + i for i in indices)))
        at = word_start + len(word)
    for i in range(at, end):
        out.append((text[i], (i,)))
    return out


def prime(text: str, keep_harakat: bool = True) -> None:
    """Shape every word of `text` not seen before, in one batch (call it per paragraph
    before shaping its words one by one: a reshaper call costs far more than a letter)."""
    _prime(_WORD.findall(text), keep_harakat)


def _prime(words: list[str], keep_harakat: bool) -> None:
    missing = list(dict.fromkeys(w for w in words if (w, keep_harakat) not in _SHAPED and needs_shaping(w)))
    if missing:
        if len(_SHAPED) > _CACHE_LIMIT:
            _SHAPED.clear()
        _shape_batch(missing, keep_harakat)


def _shape_batch(words: list[str], keep_harakat: bool) -> None:
    """Shape many words with one reshaper call and cache each word's result. If the joined
    result cannot be split back word by word, shape them one at a time instead."""
    joined = " ".join(words)
    items = shape(joined, keep_harakat)
    bounds = []
    position = 0
    for word in words:
        bounds.append((position, position + len(word)))
        position += len(word) + 1
    per_word: list[list[tuple[str, tuple[int, ...]]]] = [[] for _ in words]
    k = 0
    for char, indices in items:
        if not indices:
            break
        while k < len(bounds) and indices[0] >= bounds[k][1]:
            k += 1
        if k == len(bounds) or indices[0] < bounds[k][0]:
            if joined[indices[0]] == " " and len(indices) == 1:
                continue  # a joining space
            break
        lo, hi = bounds[k]
        if indices[-1] >= hi:
            break
        per_word[k].append((char, tuple(i - lo for i in indices)))
    else:
        for word, shaped in zip(words, per_word):
            _SHAPED[(word, keep_harakat)] = tuple(shaped)
        return
    for word in words:
        _SHAPED[(word, keep_harakat)] = tuple(shape(word, keep_harakat))


def shape(text: str, keep_harakat: bool = True) -> list[tuple[str, tuple[int, ...]]]:
    """Shape `text` (logical order). Returns, in logical order, each output character with
    the indices into `text` it stands for. Every index appears exactly once; an index the
    reshaper dropped is attached, with no character of its own, to its left neighbour."""
    if not needs_shaping(text):
        return _identity(text)
    try:
        shaped = _reshaper(keep_harakat).reshape(text)
    except (IndexError, KeyError, ValueError):
        # Known reshaper failures (e.g. ZWJ before a ligature): show the letters unshaped
        # rather than fail the whole line.
        return _identity(text)
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


_NFKC: dict[str, str] = {}


def _letters(char: str) -> str:
    """The letters a presentation form stands for (cached), or the character itself."""
    letters = _NFKC.get(char)
    if letters is None:
        letters = _NFKC[char] = unicodedata.normalize("NFKC", char) if _is_presentation(char) else char
    return letters


def _align(source: str, shaped: str) -> list[tuple[str, tuple[int, ...]]]:
    """Pair each shaped character with the source indices it came from."""
    fast = _align_lockstep(source, shaped)
    return fast if fast is not None else _align_general(source, shaped)


def _align_lockstep(source: str, shaped: str) -> list[tuple[str, tuple[int, ...]]] | None:
    """The common case in one pass: every output character is its source character, a
    presentation form of it, or a lam-alef ligature of the next two. None otherwise."""
    out: list[tuple[str, tuple[int, ...]]] = []
    i = 0
    n = len(source)
    for char in shaped:
        if i < n and source[i] == char:
            out.append((char, (i,)))
            i += 1
            continue
        letters = _letters(char)
        size = len(letters)
        if source[i : i + size] != letters:
            return None
        out.append((char, tuple(range(i, i + size))))
        i += size
    return out if i == n else None


def _align_general(source: str, shaped: str) -> list[tuple[str, tuple[int, ...]]]:
    """Pair each shaped character with the source indices it came from.

    A shaped character is first matched as itself (the source may already hold presentation
    forms, pasted from a PDF: the reshaper passes them through), then as the letters its
    NFKC form stands for. If any character cannot be placed, the alignment is not trusted
    and the line is drawn unshaped instead: wrong offsets would put highlights and clicks
    on the wrong words.
    """
    n = len(source)
    taken = [False] * n
    out: list[tuple[str, list[int]]] = []
    cursor = 0  # first source index not yet taken
    for char in shaped:
        if cursor < n and source[cursor] == char:
            taken[cursor] = True
            out.append((char, [cursor]))
        else:
            wanted = _letters(char)
            indices: list[int] = []
            j = cursor
            for letter in wanted:
                while j < n and (taken[j] or source[j] != letter):
                    j += 1
                if j == n:
                    return _identity(source)
                taken[j] = True
                indices.append(j)
                j += 1
            out.append((char, indices))
        while cursor < n and taken[cursor]:
            cursor += 1
    # What the reshaper dropped (ZWJ, harakat when asked) joins the output character on its
    # left (or the first one), so the map stays total.
    owner = [-1] * n
    for k, (_, indices) in enumerate(out):
        for i in indices:
            owner[i] = k
    if not out:
        return [("", tuple(range(n)))] if n else []
    last = 0
    for i in range(n):
        if owner[i] == -1:
            out[last][1].append(i)
        else:
            last = owner[i]
    return [(char, tuple(sorted(indices))) for char, indices in out]


def _identity(text: str) -> list[tuple[str, tuple[int, ...]]]:
    return [(c, (i,)) for i, c in enumerate(text)]
