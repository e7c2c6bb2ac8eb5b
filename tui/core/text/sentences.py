"""Sentence segmentation for Arabic (and mixed Arabic/English) news text.

`split_sentences(text, start, end)` returns the sentences of ``text[start:end]`` as absolute
``(start, end)`` code-point offsets into ``text``. Spans are in order, non-overlapping and
non-empty, and never begin or end with whitespace (NBSP included) or with an invisible bidi
control (U+200E/F, U+061C, U+202A-202E, U+2066-2069, U+FEFF). Every other character of the range
lies in exactly one span.

Why a hand-written splitter: pysbd's Arabic mode splits at every comma ، and colon, and sentencex
breaks after ``د.`` and at ``؟،``; a naive "terminator + space" regex breaks decimals,
abbreviations, ellipses inside quotations and quotes that close after the full stop. Real
Saudi/Levantine news has all of these (see bench/sentence_eval.py for the measured difference).

The result depends only on ``text[start:end]`` (the work is done on that slice), and blank lines
reset every piece of state, so splitting a whole document gives the same spans as splitting it
block by block, a block being the text between blank lines.

Rules
=====

Lines
    * A blank line (empty, or only whitespace / bidi marks) always ends a sentence.
    * A single newline also ends a sentence, *except* when the text is clearly one hard-wrapped
      sentence: the line before ends with neither a terminator (after any closing quotes or
      brackets) nor a colon, and the next line starts with a lowercase letter (English), a digit,
      or continuation punctuation (``, ، ; ؛ ) ] }``).
    * Markdown block starts always begin a new sentence: headings ``# x``, list items ``- x``
      ``* x`` ``+ x`` ``1. x`` ``1) x``, and block quotes ``> x``. A heading is always a sentence
      of its own (it also ends at its newline). The ``1.`` of a list item is not a full stop.

Terminators
    ``.`` ``!`` ``?`` ``؟`` ``…`` ``۔`` ``‼`` ``⁇`` ``⁈`` ``⁉`` and runs of them (``?!``, ``...``,
    ``.؟!``). Closing quotes and brackets right after a run stay in the sentence (``.”`` ``."``
    ``.»`` ``.)`` ``!»``); quotes closed *before* the run (``”.`` ``».``) are inside anyway.
    A run ends a sentence only when, after those closers (and any bidi marks), comes whitespace
    or the end of the line. One deliberate exception, because Arabic news often drops the space
    after a full stop (``جديد.وانطلقت``): a single ``.`` ``!`` or ``؟`` glued between two Arabic
    words of three or more letters each also ends a sentence. Shorter chunks (``إم.بي.سي``,
    ``ود.محمد``) are transliterated acronyms or titles and do not.

No break
    * Inside numbers and decimals (``3.5`` ``1.000.000`` ``٣.٥`` ``77.‏1``): the dot is not
      followed by whitespace. (``٤٫٢`` uses the Arabic decimal separator, not a terminator.)
    * After abbreviations: a single Arabic letter (``د.`` ``م.`` ``ج.`` ``ت.`` ``هـ.``), chains of
      single letters (``ق.م.`` ``ص.ب.`` ``أ.د.`` ``e.g.`` ``i.e.`` ``U.S.`` ``U.K.`` ``U.N.``
      ``a.m.`` ``p.m.``), a single capital initial (``J. Smith``), English titles and short forms
      (``Dr.`` ``Mr.`` ``Mrs.`` ``Ms.`` ``Prof.`` ``St.`` ``vs.`` ``Jan.``..``Dec.`` ...), and
      ``No.`` before a number. ``etc.`` breaks only before a capital letter (see next rule).
      Exception: ``هـ`` and ``م`` written after a number are the Hijri/Gregorian year suffixes
      (``1436هـ.`` ``2014م.``); in real news they end the sentence far more often than not.
    * Before a lowercase Latin word, or before a comma/semicolon (``?,`` ``؟،`` ``؟ ،``): a
      sentence never starts like that.
    * In URLs, e-mail addresses and domain names: their dots are never followed by whitespace.
    * At an ellipsis (``…``, ``..``, ``...``) inside a quotation that is still open (« “ " and
      the misused ” / » openers common in Arabic typesetting); after an ellipsis that follows a
      word a sentence cannot end on (``لكن..``, ``في…``); and before an ellipsis continuation
      word (``.. الذي``, ``.. مؤكدا``, ``... الخ``).
    * A run at the very start of a sentence (a leading ``...``) or an elision mark ``(...)``.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

# --------------------------------------------------------------------------------------------
# Character classes
# --------------------------------------------------------------------------------------------

#: Invisible bidi controls stripped from span edges, like whitespace.
_BIDI_CONTROLS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"

_TERMINATORS = ".!?\u061f\u2026\u06d4\u203c\u2047\u2048\u2049"  # . ! ? ؟ … ۔ ‼ ⁇ ⁈ ⁉
_STRONG = set("!?\u061f\u203c\u2047\u2048\u2049")  # a run containing one of these is a "?"/"!"
_CLOSERS = set("\"'\u201d\u2019\u00bb\u203a)]}\u300d\u300f")  # " ' ” ’ » › ) ] } 」 』
_OPENERS = set("\"'\u201c\u2018\u00ab\u2039([{\u201e\u300c\u300e")  # " ' “ ‘ « ‹ ( [ { „ 「 『
_CONTINUATION_PUNCT = set(",\u060c;\u061b")  # , ، ; ؛  -- a sentence never starts with these
_LINE_CONTINUATION_PUNCT = _CONTINUATION_PUNCT | set(")]}")

# Arabic letters (basic block, extensions, presentation forms) and the marks that ride on them.
_AR_LETTER = (
    "\u0620-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc"
)
_AR_MARK = "\u0640\u064b-\u065f\u0670\u06d6-\u06ed"  # tatweel, harakat, tanween, Quranic marks
_AR_WORD_CHAR = _AR_LETTER + _AR_MARK

_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_BLANK = re.compile(rf"[\s{_BIDI_CONTROLS}]*")
_TERMINATOR_RUN = re.compile(f"[{re.escape(_TERMINATORS)}]+")
_MARKDOWN_HEADING = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_MARKDOWN_BLOCK = re.compile(r"[ \t]{0,3}(?:#{1,6}(?:[ \t]|$)|[-*+][ \t]|\d{1,9}[.)][ \t]|>)")
_NUMBER = re.compile(r"[\d.,/\u066b\u066c-]*\d[\d.,/\u066b\u066c-]*")

_WORD = re.compile(r"\S+")
_AR_MARKS = re.compile(f"[{_AR_MARK}]")
_OPENER_CHARS = "".join(sorted(_OPENERS))
_EDGE_PUNCT = _OPENER_CHARS + "".join(sorted(_CLOSERS)) + _TERMINATORS + ",\u060c;\u061b:"
_EMPTY_HEAD = re.compile(f"[\\s{_BIDI_CONTROLS}{re.escape(_OPENER_CHARS)}]*")
_ENUMERATOR = re.compile(rf"[\s{_BIDI_CONTROLS}]*\d{{1,3}}")
_LETTER_CHAIN = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_AR_SINGLE_LETTER = re.compile(f"[{_AR_LETTER}]")

# A glued full stop between two Arabic words of >= 3 letters (see "Terminators" above).
_GLUED_LEFT = re.compile(rf"(?:^|[^{_AR_WORD_CHAR}\w.])[{_AR_WORD_CHAR}]{{3,}}$")
_GLUED_RIGHT = re.compile(rf"[{_AR_WORD_CHAR}]{{3,}}(?![{_AR_WORD_CHAR}\w]|\.\w)")

# --------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------

#: English abbreviations after which a full stop never ends a sentence (case-sensitive).
_EN_ABBREVIATIONS = frozenset(
    "Dr Mr Mrs Ms Mx Prof St Mt Ft Gen Gov Sen Rep Lt Col Capt Sgt Rev Hon "
    "vs cf approx Fig fig Vol vol pp Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
#: Abbreviations that stay glued to a following number only ("No. 5", "Nos. 3-4").
_EN_NUMBER_ABBREVIATIONS = frozenset("No Nos no Art art p".split())
#: Arabic year suffixes: "1436هـ." / "2014م." end a sentence, "د." / "م. محمد" do not.
_YEAR_SUFFIXES = frozenset("هم")

#: Words a sentence cannot end on; an ellipsis after one is a pause, not a full stop.
_NON_FINAL_WORDS = frozenset(
    "لكن ولكن لكنّ بل ثم أو او أم إن ان أن إذا اذا إذ حتى في من على إلى الى عن مع لأن لان كي لكي "
    "و ف هل and or but the a an of to".split()
)
#: Words that continue the sentence before an ellipsis (relative pronouns, circumstantial
#: participles of reported speech, "etc.").
_CONTINUATION_WORDS = frozenset(
    "الذي التي الذين اللذان اللتان اللذين اللتين اللواتي اللاتي اللائي "
    "مؤكدا مشيرا مضيفا موضحا لافتا مبينا منوها معتبرا مشددا مطالبا معربا مؤكدة مشيرة مضيفة "
    "موضحة لافتة مبينة الخ إلخ".split()
)

# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _is_ignorable(ch: str) -> bool:
    """Whitespace or an invisible bidi control: never the first or last char of a span."""
    return ch.isspace() or ch in _BIDI_CONTROLS


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    """Shrink [s, e) past ignorable characters at both edges (may return s == e)."""
    while s < e and _is_ignorable(text[s]):
        s += 1
    while e > s and _is_ignorable(text[e - 1]):
        e -= 1
    return s, e


def _plain(word: str) -> str:
    """A word without tatweel, Arabic diacritics and surrounding punctuation, for lookups."""
    return _AR_MARKS.sub("", word).strip(_EDGE_PUNCT)


def _is_lower_start(ch: str) -> bool:
    """A lowercase (cased) letter: the next word continues an English sentence."""
    return ch.islower()


def _next_visible(text: str, pos: int, end: int) -> int:
    """Index of the first non-ignorable character at or after pos (end if none)."""
    while pos < end and _is_ignorable(text[pos]):
        pos += 1
    return pos


def _word_after(text: str, pos: int, end: int) -> str:
    m = _WORD.match(text, pos, end)
    return m.group() if m else ""


def _token_before(text: str, pos: int, seg_start: int) -> str:
    """The whitespace-delimited token that ends right before pos, minus leading openers."""
    i = pos
    while i > seg_start and not _is_ignorable(text[i - 1]):
        i -= 1
    return text[i:pos].lstrip(_OPENER_CHARS)


def _previous_token(text: str, pos: int, seg_start: int) -> str:
    """The token before the token that ends at pos (used for '1436 هـ.')."""
    i = pos
    while i > seg_start and not _is_ignorable(text[i - 1]):
        i -= 1
    while i > seg_start and _is_ignorable(text[i - 1]):
        i -= 1
    return _token_before(text, i, seg_start)


# --------------------------------------------------------------------------------------------
# Lines and blocks
# --------------------------------------------------------------------------------------------


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of text, without its line break."""
    lines, pos = [], 0
    for m in _LINE_BREAK.finditer(text):
        lines.append((pos, m.start()))
        pos = m.end()
    lines.append((pos, len(text)))
    return lines


def _ends_with_terminator_or_colon(text: str, s: int, e: int) -> bool:
    """Does the (stripped) line end with a terminator or a colon, ignoring closing quotes?"""
    while e > s and (text[e - 1] in _CLOSERS or _is_ignorable(text[e - 1])):
        e -= 1
    return e > s and (text[e - 1] in _TERMINATORS or text[e - 1] in ":\uff1a")


def _continues_previous_line(text: str, prev: tuple[int, int], line: tuple[int, int]) -> bool:
    """True when `line` is the hard-wrapped continuation of `prev` (see module docstring)."""
    if _MARKDOWN_HEADING.match(text, prev[0], prev[1]) or _MARKDOWN_BLOCK.match(text, *line):
        return False
    if _ends_with_terminator_or_colon(text, *prev):
        return False
    first = _next_visible(text, line[0], line[1])
    ch = text[first]
    return _is_lower_start(ch) or ch.isdigit() or ch in _LINE_CONTINUATION_PUNCT


def _segments(text: str) -> list[tuple[int, int]]:
    """Group lines into segments: runs of lines that no line break separates.

    A segment is split further only at terminators; its ends are sentence ends."""
    segments: list[tuple[int, int]] = []
    prev: tuple[int, int] | None = None
    for line in _lines(text):
        if _BLANK.fullmatch(text, *line):
            prev = None
            continue
        if prev is not None and _continues_previous_line(text, prev, line):
            segments[-1] = (segments[-1][0], line[1])
        else:
            segments.append(line)
        prev = line
    return segments


# --------------------------------------------------------------------------------------------
# Quotations
# --------------------------------------------------------------------------------------------


class _QuoteTracker:
    """Is a quotation open at a given offset of a segment? Scanned forward, incrementally.

    Arabic typesetting often opens a quotation with ” or » (the glyphs look mirrored in RTL),
    so a closing-style quote with nothing open to close is taken as an opener."""

    _QUOTE = re.compile("[\"\u201c\u201d\u00ab\u00bb\u201e]")
    _PAIRS = {"\u201d": "\u201c\u201d", "\u00bb": "\u00ab\u00bb"}

    def __init__(self, text: str, start: int):
        self._text = text
        self._pos = start
        self._stack: list[str] = []

    def open_at(self, pos: int) -> bool:
        for m in self._QUOTE.finditer(self._text, self._pos, pos):
            self._feed(m.group())
        self._pos = max(self._pos, pos)
        return bool(self._stack)

    def _feed(self, q: str) -> None:
        stack = self._stack
        if q == '"':
            if stack and stack[-1] == '"':
                stack.pop()
            else:
                stack.append(q)
        elif q in self._PAIRS:
            if stack and stack[-1] in self._PAIRS[q]:
                stack.pop()
            else:
                stack.append(q)
        else:
            stack.append(q)


# --------------------------------------------------------------------------------------------
# Deciding one terminator run
# --------------------------------------------------------------------------------------------


def _is_abbreviation(text: str, dot: int, seg_start: int, next_word: str) -> bool:
    """Is the full stop at `dot` the end of an abbreviation rather than of a sentence?"""
    token = _token_before(text, dot, seg_start)
    if not token:
        return False  # "1436 هـ ." -- a spaced full stop is a full stop
    core = _AR_MARKS.sub("", token)
    if _LETTER_CHAIN.fullmatch(core):
        return True  # chains of single letters: ق.م  ص.ب  أ.د  e.g  U.S  a.m
    if _AR_SINGLE_LETTER.fullmatch(core):
        before = _previous_token(text, dot - len(token), seg_start)
        return not (core in _YEAR_SUFFIXES and _NUMBER.fullmatch(before))
    if len(core) == 1 and core.isalpha() and core.isupper():
        return True  # an initial: J. Smith
    if core in _EN_ABBREVIATIONS:
        return True
    return core in _EN_NUMBER_ABBREVIATIONS and next_word[:1].isdigit()


def _previous_word(text: str, pos: int, seg_start: int) -> str:
    i = pos
    while i > seg_start and _is_ignorable(text[i - 1]):
        i -= 1
    return _plain(_token_before(text, i, seg_start))


def _ellipsis_continues(text: str, run_start: int, next_pos: int, seg_start: int, seg_end: int,
                        quotes: _QuoteTracker) -> bool:
    """An ellipsis is a pause, not a full stop, inside a quotation and between words that
    cannot end or begin a sentence."""
    if quotes.open_at(run_start):
        return True
    if _previous_word(text, run_start, seg_start).lower() in _NON_FINAL_WORDS:
        return True
    return _plain(_word_after(text, next_pos, seg_end)) in _CONTINUATION_WORDS


def _glued_stop(text: str, run: re.Match, seg_start: int, seg_end: int) -> bool:
    """`جديد.وانطلقت`: a full stop without its space between two real Arabic words."""
    if len(run.group()) != 1 or run.group() not in ".!\u061f":
        return False
    left = text[max(seg_start, run.start() - 40):run.start()]
    return bool(_GLUED_LEFT.search(left)) and bool(_GLUED_RIGHT.match(text, run.end(), seg_end))


def _boundary_after(text: str, run: re.Match, seg_start: int, sent_start: int, seg_end: int,
                    quotes: _QuoteTracker) -> int | None:
    """Where the sentence ends if the terminator run `run` ends it, else None."""
    if _EMPTY_HEAD.fullmatch(text, sent_start, run.start()):
        return None  # nothing before it in this sentence: a leading "..." or a stray dot
    end = run.end()
    while end < seg_end and text[end] in _CLOSERS:
        end += 1
    after = end
    while after < seg_end and text[after] in _BIDI_CONTROLS:
        after += 1
    if after < seg_end and not text[after].isspace():
        glued = end == run.end() and _glued_stop(text, run, seg_start, seg_end)
        return run.end() if glued else None
    nxt = _next_visible(text, after, seg_end)
    if nxt < seg_end and (text[nxt] in _CONTINUATION_PUNCT or _is_lower_start(text[nxt])):
        return None  # "؟ ،" / "etc. and": a sentence never starts like that
    if run.start() > seg_start and text[run.start() - 1] in "([" and end > run.end():
        return None  # "(...)" marks elided words
    chars = run.group()
    if any(c in _STRONG for c in chars):
        return end
    if "\u2026" in chars or chars.count(".") >= 2:
        continues = _ellipsis_continues(text, run.start(), nxt, seg_start, seg_end, quotes)
        return None if continues else end
    if _is_abbreviation(text, run.start(), seg_start, _word_after(text, nxt, seg_end)):
        return None
    if _ENUMERATOR.fullmatch(text, sent_start, run.start()):
        return None  # "1. " numbers a list item
    return end


def _split_segment(text: str, seg_start: int, seg_end: int) -> list[tuple[int, int]]:
    """Sentence spans of one segment (a line, or hard-wrapped lines), relative to text."""
    spans: list[tuple[int, int]] = []
    quotes = _QuoteTracker(text, seg_start)
    sent_start = seg_start
    for run in _TERMINATOR_RUN.finditer(text, seg_start, seg_end):
        end = _boundary_after(text, run, seg_start, sent_start, seg_end, quotes)
        if end is not None:
            s, e = _strip(text, sent_start, end)
            if s < e:
                spans.append((s, e))
            sent_start = end
    s, e = _strip(text, sent_start, seg_end)
    if s < e:
        spans.append((s, e))
    return spans


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end] as absolute (start, end) code-point offsets into `text`.

    See the module docstring for the rules. The spans depend only on ``text[start:end]``: the
    reader calls this once per block (text between blank lines) and may call it on a whole
    document, with the same result. Out-of-range arguments are clamped like slice indices.
    """
    n = len(text)
    start = max(0, min(start, n))
    end = n if end is None else max(start, min(end, n))
    chunk = text[start:end]
    spans: list[tuple[int, int]] = []
    for seg_start, seg_end in _segments(chunk):
        spans.extend((s + start, e + start) for s, e in _split_segment(chunk, seg_start, seg_end))
    return spans
