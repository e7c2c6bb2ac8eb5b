"""Code points <-> UTF-16 code units, the conversion doccano and Label Studio exports depend
on: property tests over arbitrary text, astral characters (emoji, 𝐀, 𓂀) included, checked
against Python's own UTF-16 codec rather than against the converter itself."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.formats.utf16 import OffsetError, Utf16Offsets, utf16_length

#: Anything but lone surrogates, with astral characters made common.
ASTRAL = st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF)
TEXT = st.text(
    alphabet=st.one_of(st.characters(exclude_categories=("Cs",)), ASTRAL, st.sampled_from("😀𝐀𓂀👨\u200d👩\u200d👧🇸🇦قالَ\n")),
    max_size=80,
)


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@given(TEXT)
def test_code_points_to_utf16_and_back(text):
    offsets = Utf16Offsets(text)
    assert offsets.length16 == utf16_length(text) == utf16_units(text)
    for cp in range(len(text) + 1):
        u = offsets.to_utf16(cp)
        assert u == utf16_units(text[:cp])
        assert offsets.from_utf16(u) == cp


@given(TEXT)
def test_utf16_offsets_either_map_back_or_split_a_pair(text):
    offsets = Utf16Offsets(text)
    encoded = text.encode("utf-16-le")
    boundaries = {utf16_units(text[:cp]) for cp in range(len(text) + 1)}
    for u in range(offsets.length16 + 1):
        if u in boundaries:
            cp = offsets.from_utf16(u)
            assert offsets.to_utf16(cp) == u
            assert encoded[: 2 * u].decode("utf-16-le") == text[:cp]
        else:  # between the high and the low surrogate of one character
            with pytest.raises(OffsetError, match="falls inside the character"):
                offsets.from_utf16(u)


@given(TEXT, st.data())
def test_a_span_selects_the_same_text_both_ways(text, data):
    offsets = Utf16Offsets(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s16, e16 = offsets.to_utf16(start), offsets.to_utf16(end)
    assert text.encode("utf-16-le")[2 * s16 : 2 * e16].decode("utf-16-le") == text[start:end]


def test_out_of_range():
    offsets = Utf16Offsets("a😀b")
    assert offsets.length16 == 4
    assert [offsets.to_utf16(i) for i in range(4)] == [0, 1, 3, 4]
    for bad in (-1, 5):
        with pytest.raises(OffsetError, match="outside the text"):
            offsets.from_utf16(bad)
    with pytest.raises(OffsetError, match="outside the text"):
        offsets.to_utf16(4)
    with pytest.raises(OffsetError, match=r"inside the character '😀' \(U\+1F600"):
        offsets.from_utf16(2)
