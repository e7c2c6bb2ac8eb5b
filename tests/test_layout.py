"""Layout: logical wrap, shaping, reordering, and the cell map back to logical offsets."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import any_paragraph, mixed_text
from rich.cells import cell_len

from tui.core.layout.layout import LayoutOptions, layout_paragraph, wrap

WIDTHS = st.integers(min_value=1, max_value=60)
MODES = st.sampled_from(["app", "terminal"])


def check_layout(text: str, width: int, bidi: str, harakat: bool = True) -> None:
    offset = 1000
    rows = layout_paragraph(text, offset, LayoutOptions(width=width, bidi=bidi, harakat=harakat))
    assert rows
    # The rows, read in logical order, rebuild the paragraph.
    assert rows[0].start == offset and rows[-1].end == offset + len(text)
    for before, after in zip(rows, rows[1:]):
        assert before.end == after.start
    # Each logical character appears exactly once across the visual rows.
    seen = sorted(o for row in rows for cluster in row.clusters for o in cluster.offsets)
    assert seen == list(range(offset, offset + len(text)))
    for row in rows:
        # Each cluster stays inside its row's logical range.
        for cluster in row.clusters:
            assert all(row.start <= o < row.end for o in cluster.offsets)
            assert cluster.width == cell_len(cluster.text)
        # The cell map is consistent with the drawn text and with offset_at.
        cell_map = row.cell_offsets()
        assert len(cell_map) == row.width == sum(c.width for c in row.clusters)
        for x, logical in enumerate(cell_map):
            assert row.offset_at(row.pad + x) == logical
        assert row.offset_at(row.pad + row.width) is None
        assert row.pad + row.width <= max(width, row.width)
        # A row is wider than the pane only when it holds a single glyph.
        if row.width > width:
            assert len([c for c in row.clusters if c.width]) == 1
        # No control character ever reaches the screen.
        assert not any(unicodedata.category(c) == "Cc" for c in row.text)


@settings(max_examples=300, deadline=None)
@given(mixed_text, WIDTHS, MODES, st.booleans())
def test_layout_properties_mixed(text, width, bidi, harakat):
    check_layout(text, width, bidi, harakat)


@settings(max_examples=300, deadline=None)
@given(any_paragraph, WIDTHS, MODES)
def test_layout_properties_any_unicode(text, width, bidi):
    check_layout(text, width, bidi)


@settings(max_examples=300, deadline=None)
@given(mixed_text, WIDTHS)
def test_wrap_covers_and_fits(text, width):
    ranges = wrap(text, width)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(text)
    for (a, b), (c, _) in zip(ranges, ranges[1:]):
        assert b == c and a < b


def test_wrap_breaks_at_words_in_logical_order():
    text = "قال مسؤول بوزارة الدفاع التركية إن تركيا"
    rows = layout_paragraph(text, 0, LayoutOptions(width=16))
    # The first row holds the first words (logical order), not the last ones.
    first = text[rows[0].start : rows[0].end].strip()
    assert first.startswith("قال")
    assert all(row.rtl for row in rows)
    # Right-aligned: padding fills the left.
    assert all(row.pad + row.width == 16 for row in rows)


def test_continuation_line_keeps_paragraph_direction():
    text = "قال المتحدث باسم الوكالة Reuters News Agency اليوم"
    rows = layout_paragraph(text, 0, LayoutOptions(width=26))
    assert len(rows) > 1
    starts_latin = [r for r in rows if text[r.start : r.end].lstrip().startswith("Reuters")]
    assert starts_latin and all(r.rtl and r.pad + r.width == 26 for r in starts_latin)


def test_long_word_is_split_without_detaching_marks():
    text = "مُحَمَّدٌمُحَمَّدٌمُحَمَّدٌ"
    rows = layout_paragraph(text, 0, LayoutOptions(width=4))
    for row in rows:
        assert not unicodedata.category(text[row.start]).startswith("M")


def test_harakat_kept_or_dropped():
    text = "يومًا"
    kept = layout_paragraph(text, 0, LayoutOptions())[0].text
    dropped = layout_paragraph(text, 0, LayoutOptions(harakat=False))[0].text
    assert "\u064b" in kept and "\u064b" not in dropped


def test_brackets_are_mirrored_in_rtl_runs_and_paired():
    row = layout_paragraph("حلف (الناتو) اليوم", 0, LayoutOptions())[0]
    # Visual left to right: اليوم, then the bracketed word drawn as "(...)".
    assert row.text.index("(") < row.text.index(")")


def test_terminal_mode_is_logical_and_unshaped():
    text = "مرحبا (NATO)"
    row = layout_paragraph(text, 0, LayoutOptions(bidi="terminal"))[0]
    assert row.text == text and row.pad == 0


def test_controls_become_visible_pictures():
    row = layout_paragraph("a\x1b[2Jb\x07", 0, LayoutOptions())[0]
    assert "\x1b" not in row.text and "\u241b" in row.text and "\u2407" in row.text


def test_forced_direction():
    assert layout_paragraph("abc", 0, LayoutOptions(direction="rtl"))[0].rtl
    assert not layout_paragraph("مرحبا", 0, LayoutOptions(direction="ltr"))[0].rtl


def test_empty_paragraph_is_one_empty_row():
    rows = layout_paragraph("", 5, LayoutOptions())
    assert len(rows) == 1 and rows[0].start == rows[0].end == 5 and rows[0].width == 0


def test_pasted_presentation_forms_keep_exact_offsets():
    """Text pasted from a PDF may already be shaped; its offsets must still be exact."""
    text = "ﻭﺯﻳﺮ وزير"
    row = layout_paragraph(text, 0, LayoutOptions())[0]
    for cluster in row.clusters:
        for offset in cluster.offsets:
            assert unicodedata.normalize("NFKC", text[offset]) == unicodedata.normalize("NFKC", cluster.text or text[offset])
