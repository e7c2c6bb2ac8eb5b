"""Our line rules on top of python-bidi's resolved levels.

The levels are read from python-bidi's debug dump, which is not a public API. These tests
pin the contract: with mirroring and mark reordering set aside, our visual order must equal
`bidi.get_display` on random text. If a python-bidi release changes the dump, this fails.
"""

from __future__ import annotations

import unicodedata

import bidi
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import mixed_text
from tui.core.layout import bidi_engine
from tui.core.layout.glyphs import INVISIBLE


#: Invisible characters (bidi controls, ZWJ, …) are never drawn: where an engine files them
#: in the visual string cannot be seen, and python-bidi and UAX #9 disagree on some of them
#: (e.g. an unterminated override before an isolate at the end of a line). FriBidi judges
#: those lines in test_bidi_oracle.py; here we compare what is drawn.
def _drawn(text: str) -> str:
    return "".join(c for c in text if c not in INVISIBLE and unicodedata.bidirectional(c) != "BN")


def plain_visual(text: str, rtl: bool | None) -> str:
    """Our reordering per code point (no L3, no L4), to compare with get_display."""
    levels = bidi_engine.resolve_levels(text, rtl)
    order = bidi_engine.visual_order(bidi_engine.line_levels(levels, 0, len(text)))
    return "".join(text[i] for i in order)


@settings(max_examples=2000, deadline=None)
@given(mixed_text.map(lambda t: t.replace("\t", " ")), st.sampled_from([None, True, False]))
def test_reordering_equals_get_display(text, rtl):
    """Tabs are left out: python-bidi's engine does not apply rule L1 to segment separators
    (`get_display("a\\tb", base_dir="R")` gives `a\\tb`); we follow UAX #9 and FriBidi
    (`b\\ta`), which test_bidi_oracle.py checks."""
    base_dir = None if rtl is None else ("R" if rtl else "L")
    assert _drawn(plain_visual(text, rtl)) == _drawn(bidi.get_display(text, base_dir=base_dir))


def test_levels_of_a_known_line():
    text = "يوم (NATO) 25%"
    levels = bidi_engine.resolve_levels(text)
    assert levels.rtl
    assert levels.levels[text.index("N")] == 2
    assert levels.levels[text.index("(")] == 1  # N0: the pair takes the embedding direction


def test_dump_text_cannot_confuse_the_parser():
    text = 'levels: [ Level(7) original_classes: [ paragraphs: [ "x" ب'
    levels = bidi_engine.resolve_levels(text)
    assert len(levels.levels) == len(text)
    assert max(levels.levels) <= 2


def test_first_strong_direction_skips_isolates():
    assert bidi_engine.first_strong_direction("\u2066abc\u2069 مرحبا") is True
    assert bidi_engine.first_strong_direction("123 ...") is None
    assert bidi_engine.first_strong_direction("Reuters: قال") is False


def test_l1_resets_trailing_whitespace_and_tabs():
    text = "abc ابت\tد  "
    levels = bidi_engine.resolve_levels(text, rtl=True)
    line = bidi_engine.line_levels(levels, 0, len(text))
    assert line[text.index("\t")] == 1
    assert line[-1] == line[-2] == 1


def test_visual_order_reverses_runs():
    assert bidi_engine.visual_order([0, 0, 1, 1, 0]) == [0, 1, 3, 2, 4]
    assert bidi_engine.visual_order([1, 2, 2, 1]) == [3, 1, 2, 0]
    assert bidi_engine.visual_order([]) == []


def test_mirror():
    assert bidi_engine.mirror("(") == ")"
    assert bidi_engine.mirror("«") == "»"
    assert bidi_engine.mirror("a") == "a"


#: Right-to-left text with no left-to-right letter and no controls: the fast path's domain.
_SIMPLE_RTL = "ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءآأإپچשלום \u064b\u064e\u0651\u0640" \
    "0123456789٠١٢٣٤٥٦٧٨٩۰۱()[]«» .,:;!?؟،؛%٪+-/#$€\t"
_SIMPLE_LTR = "abcXYZ 0123456789()[] .,:;!?%+-/#$€\t\u0301"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_SIMPLE_RTL, max_size=80))
def test_fast_rtl_levels_equal_the_engine(text):
    fast = bidi_engine.resolve_levels(text, rtl=True)
    engine = bidi_engine.engine_levels(text, rtl=True)
    assert fast.levels == engine.levels
    assert fast.classes == engine.classes == bidi_engine.class_codes(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=_SIMPLE_LTR, max_size=80))
def test_fast_ltr_levels_equal_the_engine(text):
    assert bidi_engine.resolve_levels(text, rtl=False).levels == bidi_engine.engine_levels(text, rtl=False).levels
