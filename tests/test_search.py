"""Arabic-aware search: every folding rule, exact original spans, literal queries, window
borders, find_next navigation, and properties checked against a whole-text reference."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from corpus import ARTICLES
from strategies import MIXED
from tui.core.text import search
from tui.core.layout.glyphs import INVISIBLE
from tui.core.text.search import find_all, find_next, fold, fold_query


@contextmanager
def chunk_chars(size: int):
    """Lower the window size so small texts cross window borders (hypothesis-safe)."""
    saved = search.CHUNK_CHARS
    search.CHUNK_CHARS = size
    try:
        yield
    finally:
        search.CHUNK_CHARS = saved


def matched(text: str, query: str) -> list[str]:
    return [text[start:end] for start, end in find_all(text, query)]


def is_attached(char: str) -> bool:
    """Harakat and tatweel: fold to nothing and ride on the letter before them."""
    return fold(char)[0] == "" and char not in INVISIBLE


def occurrences(text: str, query: str) -> list[tuple[int, int]]:
    """Reference: every occurrence (overlapping ones too), from one fold of the whole text."""
    folded_query = fold_query(query)
    folded, offsets = fold(text)
    spans = []
    hit = folded.find(folded_query) if folded_query else -1
    while hit >= 0:
        end = offsets[hit + len(folded_query) - 1] + 1
        while end < len(text) and is_attached(text[end]):
            end += 1
        spans.append((offsets[hit], end))
        hit = folded.find(folded_query, hit + 1)
    return spans


def reference_find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Reference: occurrences kept greedily when they do not overlap the last one kept."""
    kept: list[tuple[int, int]] = []
    for start, end in occurrences(text, query):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


# --- fold --------------------------------------------------------------------------------


def test_fold_keeps_plain_text_and_maps_every_character_to_itself():
    assert fold("hello world") == ("hello world", list(range(11)))
    assert fold("") == ("", [])


def test_fold_drops_harakat_and_keeps_offsets_of_the_letters():
    folded, offsets = fold("مُحَمَّدٌ")
    assert folded == "محمد"
    assert offsets == [0, 2, 4, 7]


def test_fold_expands_a_ligature_to_its_letters_at_one_offset():
    assert fold("xﻻy") == ("xلاy", [0, 1, 1, 2])
    assert fold("ﷲ") == ("الله", [0, 0, 0, 0])


@pytest.mark.parametrize(
    ("original", "folded"),
    [
        ("أإآٱا", "ااااا"),
        ("ىي", "يي"),
        ("ی", "ي"),  # Farsi yeh, as typed on Persian keyboards
        ("ةه", "هه"),
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("ـ", ""),
        ("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u065f", ""),
        ("\u0670\u06d6\u06e1\u06ed\u0610\u08f0", ""),  # dagger alef, Quranic marks
        ("ﻣﺮﺣﺒﺎ", "مرحبا"),
        ("ﺍﻹﺳﻼﻡ", "الاسلام"),
        ("ﻰﺔ", "يه"),
        ("\ufe70\ufe72\ufe7c", ""),  # isolated harakat forms are marks, not spaces
        ("NATO Straße İ", "nato strasse i\u0307"),
        ("\u200d\u200c\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e", ""),
        ("\u2066\u2067\u2068\u2069\ufeff\u00ad\u200b\u2060", ""),
    ],
)
def test_fold_rules(original, folded):
    assert fold(original)[0] == folded
    assert fold_query(original) == folded


def test_fold_leaves_other_marks_and_scripts_alone():
    """Only Arabic marks are ignored: Latin accents and Hebrew points still count."""
    assert fold("e\u0301 שָׁלוֹם 中 😀")[0] == "e\u0301 שָׁלוֹם 中 😀"


@given(st.text(alphabet=MIXED, max_size=60), st.text(alphabet=MIXED, max_size=60))
def test_fold_is_per_character(left, right):
    """Folding concatenates: what lets the search fold a large text window by window."""
    folded_left, offsets_left = fold(left)
    folded_right, offsets_right = fold(right)
    assert fold(left + right) == (
        folded_left + folded_right,
        offsets_left + [o + len(left) for o in offsets_right],
    )


@given(st.text(max_size=80))
def test_fold_offsets_are_one_per_folded_character_in_order(text):
    folded, offsets = fold(text)
    assert len(offsets) == len(folded)
    assert offsets == sorted(offsets)
    assert all(0 <= o < len(text) for o in offsets)
    assert fold_query(text) == folded
    for index, offset in enumerate(offsets):
        assert folded[index] in fold(text[offset])[0]


# --- matching rules on real-looking Arabic -------------------------------------------------


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("الامارات", "أعلنت دولة الإمارات العربية المتحدة", "الإمارات"),
        ("الإمارات", "زار الامارات أمس", "الامارات"),
        ("احمد", "قال أحمد", "أحمد"),
        ("اسلام", "مفهوم إسلام معتدل", "إسلام"),
        ("القران", "تلاوة القرآن", "القرآن"),
        ("الله", "بسم ٱلله", "ٱلله"),
        ("مدرسه", "في مدرسةٌ كبيرة", "مدرسةٌ"),
        ("مدرسة", "في مدرسه كبيرة", "مدرسه"),
        ("مستشفي", "نقل إلى مستشفى الملك", "مستشفى"),
        ("على", "قال علي", "علي"),
        ("محمد", "النبي مُحَمَّدٌ", "مُحَمَّدٌ"),
        ("مُحَمَّد", "النبي محمد", "محمد"),
        ("جميل", "منظر جميـــــل جدا", "جميـــــل"),
        ("2024", "في عام ٢٠٢٤م", "٢٠٢٤"),
        ("٢٠٢٤", "in 2024.", "2024"),
        ("۲۰۲۴", "سنة ٢٠٢٤", "٢٠٢٤"),
        ("لا", "ﻻ شيء", "ﻻ"),
        ("مرحبا", "ﻣﺮﺣﺒﺎ بكم", "ﻣﺮﺣﺒﺎ"),
        ("ﻣﺮﺣﺒﺎ", "قال مرحبا", "مرحبا"),
        ("الاسلام", "ﺍﻹﺳﻼﻡ", "ﺍﻹﺳﻼﻡ"),
        ("الله", "ﷲ أكبر", "ﷲ"),
        ("NATO", "the nato summit", "nato"),
        ("nato", "قمة NATO في", "NATO"),
        ("strasse", "Hauptstraße 5", "straße"),
        ("كتاب", "هذا كت\u200dاب", "كت\u200dاب"),
        ("كتاب", "هذا \u200fكتاب\u200f", "كتاب"),
        ("كت\u200cاب", "هذا كتاب", "كتاب"),
        ("ابو\u00adظبي", "في ابوظبي", "ابوظبي"),
        ("\u2067السعودية\u2069", "المملكة العربية السعودية", "السعودية"),
        ("كتاب", "\ufeffكتاب", "كتاب"),
    ],
)
def test_query_finds_the_word_as_written(query, text, expected):
    assert matched(text, query) == [expected]
    start, end = find_next(text, query, -1)
    assert text[start:end] == expected


def test_every_invisible_format_character_is_ignored_in_text_and_query():
    every = "\u200d\u200c\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    for char in every + "\ufeff\u00ad":
        assert matched(f"الس{char}عودية", "السعودية") == [f"الس{char}عودية"], hex(ord(char))
        assert matched("السعودية", f"السع{char}ودية") == ["السعودية"], hex(ord(char))


def test_hamza_seats_other_than_alef_are_not_folded():
    assert find_all("مسؤول", "مسوول") == []
    assert find_all("رئيس", "رييس") == []


# --- exact spans -------------------------------------------------------------------------


def test_span_starts_at_the_first_letter_and_covers_harakat_of_the_last():
    text = "ذهب إلى المَدْرَسَةِ صباحاً"
    (start, end), = find_all(text, "المدرسه")
    assert (start, end) == (text.index("ال"), text.index(" صباحاً"))
    assert text[start:end] == "المَدْرَسَةِ"


def test_span_covers_stacked_harakat_and_trailing_tatweel():
    assert matched("شدَّ الحبل", "شد") == ["شدَّ"]
    assert matched("جميلـــً جدا", "جميل") == ["جميلـــً"]


def test_span_does_not_take_leading_marks_or_trailing_invisibles():
    text = "ـكتاب\u200f."
    assert find_all(text, "كتاب") == [(1, 5)]


def test_span_over_part_of_a_ligature_covers_the_whole_ligature_once():
    assert find_all("ﻻ", "ل") == [(0, 1)]
    assert find_all("ﻻ", "ا") == [(0, 1)]
    assert find_all("ﷲ", "ل") == [(0, 1)]  # two lams inside, one span
    assert find_all("ﻛﻼﻡ", "كل") == [(0, 2)]


def test_find_all_keeps_spans_inside_start_and_end():
    text = "كتبَ كتبَ كتبَ"
    assert find_all(text, "كتب") == [(0, 4), (5, 9), (10, 14)]
    assert find_all(text, "كتب", 1) == [(5, 9), (10, 14)]
    assert find_all(text, "كتب", 0, 7) == [(0, 4)]
    assert find_all(text, "كتب", 0, 8) == [(0, 4), (5, 8)]
    assert find_all(text, "كتب", 5, 8) == [(5, 8)]  # harakat past `end` are not taken
    assert find_all(text, "كتب", 5, 7) == []
    assert find_all(text, "كتب", -5, 999) == find_all(text, "كتب")


def test_find_all_reports_non_overlapping_matches_in_order():
    assert find_all("aaaa", "aa") == [(0, 2), (2, 4)]
    assert find_all("aaa", "aa") == [(0, 2)]
    assert find_all("هههه", "ههه") == [(0, 3)]


# --- literal queries, empty queries ----------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["(.*", "[a-z]+", "\\d", "a.b", "^", "$", "|", "?", "(?i)x", "\\"]
)
def test_regex_characters_are_taken_literally(query):
    text = f"abc axb 123 {query} end"
    at = text.index(f" {query} ") + 1
    assert find_all(text, query) == [(at, at + len(query))]


def test_a_dot_does_not_match_any_character():
    assert find_all("axb", "a.b") == []


@pytest.mark.parametrize(
    "query", ["", "\u064b", "\u064e\u0651", "ـــ", "\u200f\u200e", "\ufeff\u00ad"]
)
def test_empty_or_ignorable_query_finds_nothing(query):
    assert fold_query(query) == ""
    assert find_all("كَتَبَ ـــ text", query) == []
    assert find_next("كَتَبَ ـــ text", query, 0) is None
    assert find_next("كَتَبَ ـــ text", query, 0, backward=True) is None


def test_nothing_found_in_empty_text_or_when_absent():
    assert find_all("", "كتاب") == []
    assert find_next("", "كتاب", 0) is None
    assert find_next("قلم", "كتاب", 0) is None
    assert find_next("قلم", "كتاب", 0, backward=True) is None


# --- window borders ----------------------------------------------------------------------------


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8, 13])
def test_a_match_straddling_a_window_border_is_found_exactly_once(chunk):
    word = "الإِمَارَاتِ"
    for pad in range(2 * chunk + 2):
        text = "س" * pad + word + " و" + word
        with chunk_chars(chunk):
            spans = find_all(text, "الامارات")
            forward = find_next(text, "الامارات", -1)
            backward = find_next(text, "الامارات", len(text), backward=True)
        assert spans == [(pad, pad + len(word)), (pad + len(word) + 2, len(text))]
        assert forward == spans[0]
        assert backward == spans[1]


def test_a_match_longer_than_the_window_margin_is_still_found_once():
    """Hundreds of marks between two letters: the window folds further instead of missing."""
    marks = "\u064e\u200f" * 400
    text = "xx ك" + marks + "تاب yy ك" + marks + "تاب"
    expected = reference_find_all(text, "كتاب")
    assert len(expected) == 2
    for chunk in (1, 4, 7, 64, 500):
        with chunk_chars(chunk):
            assert find_all(text, "كتاب") == expected
            assert find_next(text, "كتاب", 0) == expected[0]
            assert find_next(text, "كتاب", expected[1][0], backward=True) == expected[0]
            assert find_next(text, "كتاب", len(text), backward=True) == expected[1]


@pytest.mark.parametrize("chunk", [1, 2, 3])
def test_matches_stay_non_overlapping_across_window_borders(chunk):
    """A match reaching into the next window hides the occurrences overlapping it there."""
    with chunk_chars(chunk):
        assert find_all("aaaaa", "aa") == [(0, 2), (2, 4)]
        assert find_all("هَهَهَهَ", "ههه") == [(0, 6)]
        assert find_all("ab\u064e\u064e\u064eab", "ba") == [(1, 6)]


def test_a_ligature_on_a_window_border_is_reported_once():
    text = "ab" + "ﷲ" + "cd"
    with chunk_chars(1):
        assert find_all(text, "ل") == [(2, 3)]
        assert find_all(text, "bالله") == [(1, 3)]
        assert find_all(text, "هc") == [(2, 4)]


# --- find_next ------------------------------------------------------------------------------------

NEWS = "قال الوزير إنَّ الوزارة ستعمل. وأكد الوزيرُ أن الوزير سيعود."
#        three matches of "الوزير": at 4, 36 and 48 (the second with a damma)


def test_find_next_forward_starts_strictly_after_offset():
    spans = find_all(NEWS, "الوزير")
    assert [NEWS[s:e] for s, e in spans] == ["الوزير", "الوزيرُ", "الوزير"]
    first, second, third = spans
    assert find_next(NEWS, "الوزير", -1) == first
    assert find_next(NEWS, "الوزير", 0) == first
    assert find_next(NEWS, "الوزير", first[0]) == second
    assert find_next(NEWS, "الوزير", second[0]) == third


def test_find_next_backward_starts_strictly_before_offset():
    first, second, third = find_all(NEWS, "الوزير")
    assert find_next(NEWS, "الوزير", len(NEWS), backward=True) == third
    assert find_next(NEWS, "الوزير", third[0], backward=True) == second
    assert find_next(NEWS, "الوزير", second[0], backward=True) == first
    assert find_next(NEWS, "الوزير", second[0] + 1, backward=True) == second


def test_find_next_wraps_around_unless_told_not_to():
    first, _, third = find_all(NEWS, "الوزير")
    assert find_next(NEWS, "الوزير", third[0]) == first
    assert find_next(NEWS, "الوزير", third[0], wrap=False) is None
    assert find_next(NEWS, "الوزير", first[0], backward=True) == third
    assert find_next(NEWS, "الوزير", first[0], backward=True, wrap=False) is None
    assert find_next(NEWS, "الوزير", 10_000) == first
    assert find_next(NEWS, "الوزير", -10, backward=True) == third


def test_find_next_wraps_to_the_only_match_itself():
    text = "نص طويل فيه كلمة واحدة"
    span = find_all(text, "كلمه")[0]
    assert find_next(text, "كلمه", span[0]) == span
    assert find_next(text, "كلمه", span[0], backward=True) == span


def test_find_next_visits_overlapping_occurrences_like_vi():
    assert find_next("aaaa", "aa", 0) == (1, 3)
    assert find_next("aaaa", "aa", 2, backward=True) == (1, 3)


# --- properties -------------------------------------------------------------------------------

#: MIXED without the ligatures, so every original character folds to at most one character.
SIMPLE = "".join(c for c in MIXED if len(fold(c)[0]) <= 1)

substring_case = st.text(alphabet=MIXED, min_size=1, max_size=80).flatmap(
    lambda text: st.tuples(
        st.just(text),
        st.integers(0, len(text) - 1).flatmap(
            lambda i: st.tuples(st.just(i), st.integers(i + 1, min(len(text), i + 12)))
        ),
    )
)


@settings(max_examples=300)
@given(substring_case)
def test_a_substring_of_the_text_is_found_where_it_is(case):
    text, (i, j) = case
    query = text[i:j]
    letters = [k for k in range(i, j) if fold(text[k])[0]]
    assume(letters)  # an all-ignorable query finds nothing, by design
    first, last = letters[0], letters[-1]
    start, end = find_all(text, query, i)[0]
    assert start == first
    assert end >= last + 1
    assert all(is_attached(c) for c in text[last + 1 : end])
    # Over the whole text, a match overlaps it (an earlier match may have taken its start).
    assert any(s <= last and e > first for s, e in find_all(text, query))


@settings(max_examples=300)
@given(st.text(alphabet=SIMPLE, max_size=80), st.text(alphabet=SIMPLE, min_size=1, max_size=4))
def test_every_span_folds_to_the_query(text, query):
    folded_query = fold_query(query)
    for start, end in find_all(text, query):
        assert fold(text[start:end])[0] == folded_query


@settings(max_examples=300)
@given(substring_case)
def test_every_span_folds_to_the_query_for_a_substring_query(case):
    text, (i, j) = case
    assume(all(len(fold(c)[0]) <= 1 for c in text))
    query = text[i:j]
    spans = find_all(text, query)
    assert spans or not fold_query(query)
    for start, end in spans:
        assert fold(text[start:end])[0] == fold_query(query)


@settings(max_examples=300)
@given(st.text(alphabet=MIXED, max_size=80), st.text(alphabet=MIXED, min_size=1, max_size=4))
def test_spans_with_ligatures_are_the_smallest_that_hold_the_query(text, query):
    """A match may cover part of a ligature; its span is then the whole ligature."""
    folded_query = fold_query(query)
    for start, end in find_all(text, query):
        letters_end = end
        while is_attached(text[letters_end - 1]):
            letters_end -= 1  # the harakat and tatweel after the last letter
        assert folded_query in fold(text[start:letters_end])[0]
        assert folded_query not in fold(text[start + 1 : letters_end])[0]
        assert folded_query not in fold(text[start : letters_end - 1])[0]


@settings(max_examples=200)
@given(
    st.text(alphabet=MIXED, max_size=80),
    st.text(alphabet=MIXED, min_size=1, max_size=4),
    st.integers(1, 9),
    st.integers(-2, 82),
)
def test_windowed_search_agrees_with_a_whole_text_reference(text, query, chunk, offset):
    with chunk_chars(chunk):
        spans = find_all(text, query)
        forward = find_next(text, query, offset)
        backward = find_next(text, query, offset, backward=True)
        no_wrap = find_next(text, query, offset, wrap=False)
    assert spans == reference_find_all(text, query)
    every = occurrences(text, query)
    after = [span for span in every if span[0] > offset]
    before = [span for span in every if span[0] < offset]
    assert no_wrap == (after[0] if after else None)
    assert forward == (after or every or [None])[0]
    assert backward == (before or every or [None])[-1]


@settings(max_examples=200)
@given(
    st.text(alphabet=MIXED, max_size=60),
    st.text(alphabet=MIXED, min_size=1, max_size=3),
    st.data(),
)
def test_find_all_in_a_range_is_find_all_on_the_slice(text, query, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = [(s + start, e + start) for s, e in find_all(text[start:end], query)]
    assert find_all(text, query, start, end) == expected


# --- real text ----------------------------------------------------------------------------------


@pytest.mark.skipif(not ARTICLES.is_dir(), reason="shared corpus not present")
def test_real_articles_windowed_search_matches_the_reference():
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt")))
    for query in ("السعوديه", "الامير", "وزاره", "2015", "في", "ال"):
        expected = reference_find_all(text, query)
        assert expected, query
        with chunk_chars(997):
            assert find_all(text, query) == expected
        for start, end in expected:
            assert fold(text[start:end])[0] == fold_query(query)
