"""The row map (lazy heights) and the lazy sentence index."""

from __future__ import annotations

import random

from tui.core.text.document import Document
from tui.core.layout.rows import RowMap
from tui.core.text.sentence_index import SentenceIndex
from tui.core.text.sentences import split_sentences


def _starts(lengths: list[int]) -> tuple[list[int], int]:
    """Line starts and text length for lines of the given lengths, joined by newlines."""
    starts, at = [], 0
    for length in lengths:
        starts.append(at)
        at += length + 1
    return starts, at - 1


def test_row_map_matches_a_plain_list_once_exact():
    rng = random.Random(7)
    lengths = [rng.randint(0, 300) for _ in range(1000)]
    starts, total_length = _starts(lengths)
    rows = RowMap(starts, total_length, 80)
    counts = [rng.randint(1, 9) for _ in lengths]
    for i in rng.sample(range(len(counts)), len(counts)):
        rows.set_exact(i, counts[i])
    assert rows.total == sum(counts)
    y = 0
    for i, n in enumerate(counts):
        assert rows.first_row(i) == y
        for r in range(n):
            assert rows.locate(y + r) == (i, r)
        y += n
    assert rows.locate(10**9) == (len(counts) - 1, counts[-1] - 1)


def test_row_map_is_consistent_while_estimating():
    """Before anything is exact, locate and first_row must still agree everywhere."""
    rng = random.Random(3)
    lengths = [rng.randint(0, 500) for _ in range(2000)]
    starts, total_length = _starts(lengths)
    rows = RowMap(starts, total_length, 60)
    for _ in range(500):
        y = rng.randrange(rows.total)
        paragraph, within = rows.locate(y)
        assert 0 <= within < rows.rows(paragraph)
        assert rows.first_row(paragraph) + within == y
    # Expanded paragraphs estimate ceil(length / width), at least one row.
    for i in range(0, 2000, 97):
        assert rows.rows(i) == max(1, -(-lengths[i] // 60))


def test_row_estimate():
    starts, total_length = _starts([0, 80, 81])
    rows = RowMap(starts, total_length, 80)
    assert [rows.rows(i) for i in range(3)] == [1, 1, 2]


TEXT = "أول جملة. ثانية هنا!\n\n\n\nثالثة؟ رابعة.\n   \nخامسة\n"


def test_index_navigation_matches_whole_document_segmentation():
    doc = Document.from_text(TEXT)
    index = SentenceIndex(doc)
    sentences = ["أول جملة.", "ثانية هنا!", "ثالثة؟", "رابعة.", "خامسة"]
    expected = [(TEXT.index(s), TEXT.index(s) + len(s)) for s in sentences]
    assert split_sentences(TEXT) == expected
    assert list(index.all_spans()) == expected
    assert index.total == 5
    span = index.first()
    walked = []
    while span is not None:
        walked.append(span)
        span = index.next(span)
    assert walked == expected
    span = index.last()
    back = []
    while span is not None:
        back.append(span)
        span = index.previous(span)
    assert back == expected[::-1]
    assert [index.number(s) for s in expected] == [1, 2, 3, 4, 5]
    assert index.at(TEXT.index("ثانية") + 2) == expected[1]
    assert index.at(TEXT.index("\n\n\n")) == expected[2]  # in the gap: the next sentence


def test_lazy_counting_reports_progress():
    doc = Document.from_text("جملة. " * 3 + "\n\n" + ("سطر آخر.\n\n" * 50))
    index = SentenceIndex(doc, eager_chars=0)
    assert index.total is None and index.number(index.first()) is None
    assert index.first() is not None and index.last() is not None  # navigation needs no count
    steps = 0
    while not index.count_step(10):
        steps += 1
        assert 0 <= index.progress < 1
    assert steps > 3
    assert index.total == 53
    assert index.number(index.last()) == 53


def test_empty_document_has_no_sentences():
    index = SentenceIndex(Document.from_text("\n\n  \n"))
    assert index.first() is None and index.last() is None and index.total == 0


def test_an_over_long_line_is_cut_into_soft_segments_without_losing_a_character():
    from tui.core.text import document as document_module

    words = ("كلمة " * 20_000) + "نهاية."
    doc = Document.from_text("سطر أول.\n" + words + "\nسطر أخير.\n")
    assert doc.paragraph_count > 3
    joined = "".join(doc.paragraph_text(i) for i in range(doc.paragraph_count))
    assert joined == doc.text.replace("\n", "")
    for i in range(doc.paragraph_count):
        start, end = doc.paragraph_span(i)
        assert end - start <= document_module.SEGMENT_CHARS
        if doc.ends_softly(i):
            assert doc.text[end - 1] == " "  # cut after a space
    index = SentenceIndex(doc)
    assert index.last() == (doc.text.index("سطر أخير."), len(doc.text) - 1)
    # Sentences never cross a soft cut, and every one is inside its block.
    for start, end in index.all_spans():
        assert "\n" not in doc.text[start:end]
