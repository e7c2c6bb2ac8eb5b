"""Hypothesis strategies for text that exercises the bidi and shaping paths."""

from hypothesis import strategies as st

#: Characters chosen to hit every interesting bidi class and shaping case.
MIXED = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءآأإؤئ"  # Arabic letters (AL)
    "پچژگکی"  # Persian
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640"  # harakat, tatweel
    "שלוםאבג"  # Hebrew (R)
    "abcXYZ"  # Latin (L)
    "0123456789٠١٢٣٤٥٦٧٨٩۰۱"  # EN, AN
    "()[]{}«»<>"  # brackets
    " .,:;!?؟،؛%٪+-/#@$"  # neutrals, separators, terminators
    "\u200e\u200f\u061c\u200d\u200c\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e"  # controls
    "😀🇸🇦中"  # wide
    "ﻭﺯﻳﺮﻻﻼﷲ"  # presentation forms, as pasted from PDFs
    "\t"
)

mixed_text = st.text(alphabet=MIXED, max_size=120)

#: Anything at all except newlines (paragraphs never contain one) and lone surrogates.
any_paragraph = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\n"),
    max_size=120,
)
