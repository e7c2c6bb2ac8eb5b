"""Tests for tui.core.text.sentences.split_sentences: the seed article, hand-written hard cases, and
properties over arbitrary text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.text.sentences import split_sentences

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed" / "karabakh-article.txt"

_IGNORABLE = set("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def ignorable(ch: str) -> bool:
    return ch.isspace() or ch in _IGNORABLE


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


# ---------------------------------------------------------------------------------------------
# The seed article: 21 sentences, one per non-empty line except three lines that hold two.
# ---------------------------------------------------------------------------------------------

# (line number, 1-based, in the file; how the line ends if it holds two sentences: the end of
# the first one)
SEED_DOUBLE_LINES = {
    5: "يوم الثلاثاء.",
    11: "منذ فترة طويلة.",
    23: "هذا الأسبوع.",
}


def seed_expected(text: str) -> list[str]:
    expected = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        if number in SEED_DOUBLE_LINES:
            cut = line.index(SEED_DOUBLE_LINES[number]) + len(SEED_DOUBLE_LINES[number])
            expected += [line[:cut], line[cut:].strip()]
        else:
            expected.append(line)
    return expected


def test_seed_article_has_exactly_21_sentences():
    if not SEED.is_file():
        pytest.skip("../shared (the seed article) is absent")
    text = SEED.read_text(encoding="utf-8").replace("\r\n", "\n")
    got = sentences(text)
    expected = seed_expected(text)
    assert len(expected) == 21
    assert got == expected
    # the ellipsis inside the quotation opened by ” does not end the sentence
    assert any("القوة… من شأنه" in s for s in got)
    assert got[-1] == "Exit mobile version"


def test_seed_article_block_by_block_matches_whole_document():
    if not SEED.is_file():
        pytest.skip("../shared (the seed article) is absent")
    text = SEED.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert split_by_blocks(text) == split_sentences(text)


# ---------------------------------------------------------------------------------------------
# Hand-written hard cases: text -> the expected sentences, in order.
# ---------------------------------------------------------------------------------------------

CASES = [
    # --- Arabic basics -------------------------------------------------------------------------
    ("ar-two-full-stops", "وصل الوفد أمس. وبدأت المحادثات اليوم.",
     ["وصل الوفد أمس.", "وبدأت المحادثات اليوم."]),
    ("ar-question", "هل انتهت الأزمة؟ لا أحد يعرف.", ["هل انتهت الأزمة؟", "لا أحد يعرف."]),
    ("ar-runs", "يا له من يوم!! ثم عادوا؟! وانتهى الأمر.",
     ["يا له من يوم!!", "ثم عادوا؟!", "وانتهى الأمر."]),
    ("ar-run-dot-question-bang", "إلى بعض كتب التراث.؟! لقد تشوه ديننا.",
     ["إلى بعض كتب التراث.؟!", "لقد تشوه ديننا."]),
    ("ar-no-terminator", "عنوان الخبر بلا نقطة", ["عنوان الخبر بلا نقطة"]),
    ("ar-lines", "السطر الأول\nالسطر الثاني", ["السطر الأول", "السطر الثاني"]),
    # --- numbers -------------------------------------------------------------------------------
    ("decimal", "بلغ النمو 3.5 في المئة. وارتفع التضخم.",
     ["بلغ النمو 3.5 في المئة.", "وارتفع التضخم."]),
    ("eastern-decimal-separator", "بلغ النمو ٤٫٢ في المئة. وارتفع التضخم.",
     ["بلغ النمو ٤٫٢ في المئة.", "وارتفع التضخم."]),
    ("eastern-digits-dot", "بلغ النمو ٣.٥ في المئة.", ["بلغ النمو ٣.٥ في المئة."]),
    ("thousands", "زار المعرض 1.000.000 شخص. وكان الإقبال كبيرا.",
     ["زار المعرض 1.000.000 شخص.", "وكان الإقبال كبيرا."]),
    ("decimal-with-rlm", "مقارنة مع 77.\u200f1 مليار في 2011. كما انخفضت الصادرات.",
     ["مقارنة مع 77.\u200f1 مليار في 2011.", "كما انخفضت الصادرات."]),
    ("english-decimal", "Growth hit 3.5% last year. Prices rose.",
     ["Growth hit 3.5% last year.", "Prices rose."]),
    ("time-and-percent", "حتى الساعة 5:30 مساء أمس بلغ 9.1 % فقط. ودعت المديرية.",
     ["حتى الساعة 5:30 مساء أمس بلغ 9.1 % فقط.", "ودعت المديرية."]),
    # --- Arabic abbreviations ------------------------------------------------------------------
    ("dal-dot", "قال د. محمد العلي إن الوضع مستقر. وأضاف أن الحل قريب.",
     ["قال د. محمد العلي إن الوضع مستقر.", "وأضاف أن الحل قريب."]),
    ("mim-dot-engineer", "وأوضح م. خالد السالم أن المشروع اكتمل.",
     ["وأوضح م. خالد السالم أن المشروع اكتمل."]),
    ("qaf-mim", "بني المعبد عام 300 ق.م. في مصر القديمة.",
     ["بني المعبد عام 300 ق.م. في مصر القديمة."]),
    ("sad-ba", "راسلونا على ص.ب. 1234 الرياض.", ["راسلونا على ص.ب. 1234 الرياض."]),
    ("prof-dr", "ألقى أ.د. سعد الغامدي محاضرة. ثم بدأ النقاش.",
     ["ألقى أ.د. سعد الغامدي محاضرة.", "ثم بدأ النقاش."]),
    ("single-letters", "قال ج. حسن إن الرقم ت. 0555 صحيح. وأكد ذلك.",
     ["قال ج. حسن إن الرقم ت. 0555 صحيح.", "وأكد ذلك."]),
    ("dal-dot-glued-name", "قال د.محمد إن الوضع مستقر.", ["قال د.محمد إن الوضع مستقر."]),
    ("hijri-year-suffix-ends", "صدر القرار في 1436هـ. وأوضحت الوزارة التفاصيل.",
     ["صدر القرار في 1436هـ.", "وأوضحت الوزارة التفاصيل."]),
    ("spaced-hijri", "حتى 1436/10/30 هـ . وأوضحت الجوازات.",
     ["حتى 1436/10/30 هـ .", "وأوضحت الجوازات."]),
    ("gregorian-year-suffix-ends", "بنهاية العام 2014م. وبلغ إجمالي القروض 30 مليارا.",
     ["بنهاية العام 2014م.", "وبلغ إجمالي القروض 30 مليارا."]),
    # --- quotes and brackets after the terminator -----------------------------------------------
    ("guillemet-after-stop", "وقال الوزير: «انتهى الاجتماع.» وغادر القاعة.",
     ["وقال الوزير: «انتهى الاجتماع.»", "وغادر القاعة."]),
    ("guillemet-before-stop", "وقال: «سأكون هناك». وبحسب مقربين منه فالزيارة قريبة.",
     ["وقال: «سأكون هناك».", "وبحسب مقربين منه فالزيارة قريبة."]),
    ("curly-before-stop", "وقال: “لقد كانت عملية للجيش”. وأضاف أن الوضع مستقر.",
     ["وقال: “لقد كانت عملية للجيش”.", "وأضاف أن الوضع مستقر."]),
    ("straight-after-stop", 'وقال: "انتهى الأمر." ثم غادر.', ['وقال: "انتهى الأمر."', "ثم غادر."]),
    ("paren-after-stop", "(انظر الملحق.) ويتابع التقرير.", ["(انظر الملحق.)", "ويتابع التقرير."]),
    ("bang-guillemet", "صاح: «كفى!» وغادر.", ["صاح: «كفى!»", "وغادر."]),
    ("english-quote-after-stop", 'He said, "It is over." Then he left.',
     ['He said, "It is over."', "Then he left."]),
    # --- question/exclamation + comma -----------------------------------------------------------
    ("question-arabic-comma", "لماذا يحدث هذا؟، تساءل المراقبون.",
     ["لماذا يحدث هذا؟، تساءل المراقبون."]),
    ("question-space-comma", "لماذا؟ ، تساءلوا.", ["لماذا؟ ، تساءلوا."]),
    ("bang-arabic-comma", "يا للعجب!، قالها وصمت.", ["يا للعجب!، قالها وصمت."]),
    ("english-question-comma", '"Why?", she asked.', ['"Why?", she asked.']),
    # --- ellipses ---------------------------------------------------------------------------------
    ("ellipsis-in-guillemets", "قال: «أرى أن الاتفاق تاريخي... وسأجري محادثات». ثم غادر.",
     ["قال: «أرى أن الاتفاق تاريخي... وسأجري محادثات».", "ثم غادر."]),
    ("ellipsis-in-misused-rdq", "و”أدان استخدام القوة… من شأنه أن يؤدي إلى خطر”. وشدد على الحل.",
     ["و”أدان استخدام القوة… من شأنه أن يؤدي إلى خطر”.", "وشدد على الحل."]),
    ("ellipsis-in-straight-quotes", 'He said "well... maybe" and left. Fine.',
     ['He said "well... maybe" and left.', "Fine."]),
    ("ellipsis-outside-quotes", "انتظرنا طويلا... ثم وصل القطار.",
     ["انتظرنا طويلا...", "ثم وصل القطار."]),
    ("double-dot-separator", "تأجل الاجتماع.. وسيعقد الأسبوع المقبل.",
     ["تأجل الاجتماع..", "وسيعقد الأسبوع المقبل."]),
    ("ellipsis-after-function-word", "كل شيء جميل لكن.. الواقع مختلف.",
     ["كل شيء جميل لكن.. الواقع مختلف."]),
    ("ellipsis-before-participle", "تقدم الجيش من ثلاث جهات.. مؤكدا أن المعركة مستمرة.",
     ["تقدم الجيش من ثلاث جهات.. مؤكدا أن المعركة مستمرة."]),
    ("ellipsis-before-etc", "مثل: الإعلام، البيئة... الخ وموضوعات أخرى.",
     ["مثل: الإعلام، البيئة... الخ وموضوعات أخرى."]),
    ("leading-ellipsis", "...وبعد ذلك عاد.", ["...وبعد ذلك عاد."]),
    ("elision-mark", "قال إن (...) الأمر انتهى.", ["قال إن (...) الأمر انتهى."]),
    # --- glued full stops ----------------------------------------------------------------------
    ("glued-arabic-stop", "في صورة صرح حضاري جديد.وانطلقت سوق عكاظ.",
     ["في صورة صرح حضاري جديد.", "وانطلقت سوق عكاظ."]),
    ("glued-acronym", "بثت قناة إم.بي.سي التقرير.", ["بثت قناة إم.بي.سي التقرير."]),
    # --- URLs, e-mail, domains ----------------------------------------------------------------
    ("url", "زوروا http://www.mcs.gov.sa/a.b/Default.aspx للتسجيل. وينتهي التسجيل غدا.",
     ["زوروا http://www.mcs.gov.sa/a.b/Default.aspx للتسجيل.", "وينتهي التسجيل غدا."]),
    ("www", "التسجيل عبر www.rgt.gov.sa/a.b فقط.", ["التسجيل عبر www.rgt.gov.sa/a.b فقط."]),
    ("email", "للتواصل: osaimin143@gmail.com أو عبر الهاتف.",
     ["للتواصل: osaimin143@gmail.com أو عبر الهاتف."]),
    ("domain-at-end", "Visit example.com. Then sign up.", ["Visit example.com.", "Then sign up."]),
    # --- English abbreviations -----------------------------------------------------------------
    ("titles", "Dr. Smith met Mr. Jones and Mrs. Brown. They talked.",
     ["Dr. Smith met Mr. Jones and Mrs. Brown.", "They talked."]),
    ("more-titles", "Prof. Lee and Ms. Diaz live on St. James St. in town. Nice.",
     ["Prof. Lee and Ms. Diaz live on St. James St. in town.", "Nice."]),
    ("initials", "J. R. R. Tolkien wrote it. It sold well.",
     ["J. R. R. Tolkien wrote it.", "It sold well."]),
    ("eg-ie", "Use a tool, e.g. Hamish, i.e. this app. It works.",
     ["Use a tool, e.g. Hamish, i.e. this app.", "It works."]),
    ("us-un", "The U.S. and the U.N. met with the U.K. in Geneva. Talks went on.",
     ["The U.S. and the U.N. met with the U.K. in Geneva.", "Talks went on."]),
    ("am-pm", "We met at 9 a.m. and left at 5 p.m. on Friday.",
     ["We met at 9 a.m. and left at 5 p.m. on Friday."]),
    ("etc-lowercase", "Bring pens, paper, etc. and a laptop.",
     ["Bring pens, paper, etc. and a laptop."]),
    ("etc-capital", "Bring pens, paper, etc. Then leave.",
     ["Bring pens, paper, etc.", "Then leave."]),
    ("number-abbrev", "He lives at No. 10 Downing Street. Really.",
     ["He lives at No. 10 Downing Street.", "Really."]),
    ("months-vs", "It ran from Jan. 5 to Dec. 2020, Smith vs. Jones. Done.",
     ["It ran from Jan. 5 to Dec. 2020, Smith vs. Jones.", "Done."]),
    ("lowercase-after-stop", "The value was 5. and then it rose.",
     ["The value was 5. and then it rose."]),
    # --- lines, markdown --------------------------------------------------------------------------
    ("hard-wrapped-english", "This sentence is hard\nwrapped over two lines. Next one.",
     ["This sentence is hard\nwrapped over two lines.", "Next one."]),
    ("newline-before-capital", "First line without a stop\nSecond line",
     ["First line without a stop", "Second line"]),
    ("newline-after-stop", "Ends here.\nlowercase start", ["Ends here.", "lowercase start"]),
    ("newline-after-colon", "He said:\nthe end.", ["He said:", "the end."]),
    ("wrapped-before-digit", "The total was\n42 items.", ["The total was\n42 items."]),
    ("wrapped-before-comma", "The first part\n, and the rest.",
     ["The first part\n, and the rest."]),
    ("blank-line-always-breaks", "hard\n\nwrapped", ["hard", "wrapped"]),
    ("markdown-heading", "# Heading\nbody text here.", ["# Heading", "body text here."]),
    ("markdown-heading-arabic", "## عنوان فرعي\nنص الفقرة.", ["## عنوان فرعي", "نص الفقرة."]),
    ("markdown-list", "Intro line\n- first item\n- second item",
     ["Intro line", "- first item", "- second item"]),
    ("markdown-numbered-list", "1. First step\n2. second step",
     ["1. First step", "2. second step"]),
    ("markdown-star-list", "* قالت الممثلة إن القطاع لم يتقدم.\nوقالت أيضا.",
     ["* قالت الممثلة إن القطاع لم يتقدم.", "وقالت أيضا."]),
    ("block-quote", "Intro text\n> quoted line\n> more", ["Intro text", "> quoted line", "> more"]),
    # --- whitespace and bidi ----------------------------------------------------------------------
    ("empty", "", []),
    ("whitespace-only", "  \n\t \u00a0 \n\n", []),
    ("bidi-only", "\u200f\u200e \u2067\u2069\ufeff", []),
    ("bidi-edges", "\u200fمرحبا بكم.\u200f \u00a0وأهلا.\u200e", ["مرحبا بكم.", "وأهلا."]),
    ("stop-then-rlm-then-space", "انتهى الاجتماع.\u200f وبدأ العشاء.",
     ["انتهى الاجتماع.", "وبدأ العشاء."]),
    ("nbsp-between", "انتهى الاجتماع.\u00a0\u00a0وبدأ العشاء.",
     ["انتهى الاجتماع.", "وبدأ العشاء."]),
    ("mixed-english-in-arabic", "أطلق تطبيق usb-flash الجديد. ويعمل files بسرعة.",
     ["أطلق تطبيق usb-flash الجديد.", "ويعمل files بسرعة."]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hard_case(text, expected):
    assert sentences(text) == expected


def test_there_are_at_least_40_hard_cases():
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)


# ---------------------------------------------------------------------------------------------
# Offsets and ranges
# ---------------------------------------------------------------------------------------------


def test_sub_range_gives_absolute_offsets():
    text = "مقدمة. الجملة الأولى. الجملة الثانية.\n\nخاتمة."
    start = text.index("الجملة الأولى")
    end = text.index("\n")
    spans = split_sentences(text, start, end)
    assert [text[s:e] for s, e in spans] == ["الجملة الأولى.", "الجملة الثانية."]
    assert spans[0][0] == start


def test_range_only_sees_its_own_text():
    # cut in the middle of "3.5": the range ends with "3." and must not see the "5"
    text = "Growth was 3.5 now"
    end = text.index("5")
    assert [text[s:e] for s, e in split_sentences(text, 0, end)] == ["Growth was 3."]


def test_out_of_range_arguments_are_clamped():
    assert split_sentences("abc.", 10) == []
    assert split_sentences("abc.", 2, 1) == []
    assert split_sentences("abc.", -5, 99) == [(0, 4)]


def test_a_megabyte_of_repeated_paragraphs_splits_the_same_everywhere():
    """Correctness at scale (speed is measured in bench/, never asserted in a unit test)."""
    paragraph = (
        "قال د. محمد إن النمو بلغ 3.5 في المئة عام 2014م. وأضاف: «الوضع مستقر… والحل قريب». "
        "هل انتهت الأزمة؟ لا أحد يعرف!! زوروا www.example.com.sa للتفاصيل.\n\n"
    )
    text = paragraph * (1_000_000 // len(paragraph) + 1)
    spans = split_sentences(text)
    assert len(spans) == 5 * (1_000_000 // len(paragraph) + 1)


# ---------------------------------------------------------------------------------------------
# Properties over arbitrary text
# ---------------------------------------------------------------------------------------------

_PIECES = [
    "كلمة", "في", "لكن", "الذي", "مؤكدا", "د", "م", "هـ", "ق", "ص", "2014", "٣", "٤٫٢", "1.5",
    "word", "Word", "Dr", "U", "S", "e", "g", "etc", "No", "10", "http://a.b/c.d", "x@y.com",
    ".", "..", "...", "…", "!", "?", "؟", "?!", "،", ",", ":", ";", "؛", "(", ")", "«", "»",
    "“", "”", '"', "'", "#", "# ", "- ", "* ", "1. ", "> ", " ", " ", " ", "  ", "\n", "\n",
    "\n\n", "\n \n", "\t", "\u00a0", "\u200f", "\u200e", "\u061c", "\u2067", "\u2069", "\ufeff",
    "\u2028", "\r",
]
_texts = st.one_of(
    st.lists(st.sampled_from(_PIECES), max_size=60).map("".join),
    st.text(max_size=80),
)


def check_spans(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    previous_end = start
    for s, e in spans:
        assert previous_end <= s < e <= end, (spans, start, end)
        assert not ignorable(text[s]) and not ignorable(text[e - 1])
        previous_end = e
    covered = [0] * len(text)
    for s, e in spans:
        for i in range(s, e):
            covered[i] += 1
    for i in range(start, end):
        if not ignorable(text[i]):
            assert covered[i] == 1, (i, repr(text[i]), spans)


def split_by_blocks(text: str) -> list[tuple[int, int]]:
    """Split the way the reader does: one call per block of text between blank lines."""
    spans, pos = [], 0
    for m in re.finditer(r"\n[^\S\n]*(?:\n|$)", text):
        spans += split_sentences(text, pos, m.start())
        pos = m.end()
    return spans + split_sentences(text, pos, len(text))


@settings(max_examples=400, deadline=None)
@given(_texts)
def test_spans_are_ordered_stripped_and_cover_every_visible_char(text):
    check_spans(text, 0, len(text), split_sentences(text))


@settings(max_examples=300, deadline=None)
@given(_texts, st.integers(0, 100), st.integers(0, 100))
def test_sub_range_spans_stay_inside_and_match_the_slice(text, a, b):
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    spans = split_sentences(text, start, end)
    check_spans(text, start, end, spans)
    alone = split_sentences(text[start:end])
    assert spans == [(s + start, e + start) for s, e in alone]


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_whole_document_equals_block_by_block(text):
    assert split_by_blocks(text) == split_sentences(text)
