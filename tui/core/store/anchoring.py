"""Finding annotations again after their document's text changed.

Offsets alone break on the first edit above a span. Each annotation also keeps the text it
covers (`exact`) and a little context either side, the W3C TextQuoteSelector idea: when the
fingerprint changes, a span whose offsets still hold that text is kept; otherwise every
occurrence of the text is scored by how much of the stored context surrounds it, and the best
one wins (ties: nearest the old offset). A span whose text is gone is *orphaned*, never
dropped: it keeps its labels and note, and is placed again if its text comes back.

Searching a 50 MB text costs about 10 ms per `str.find` pass, so a full pass per annotation
would make a small insertion near the top of a big file take seconds. Edits usually shift
whole runs of spans by the same amount, so each span first tries the shifts that placed the
spans before it. If one of those lands on an occurrence with *all* the stored context around
it, no other occurrence can score higher, and only a closer one could win a tie: then only
the stretch of text within that distance is searched. The answer is the same as a full
search; only the work is smaller.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .annotation import CONTEXT_CHARS, Annotation

#: How many recent shifts to try before searching the whole text.
_RECENT_SHIFTS = 4


@dataclass(frozen=True)
class ReanchorReport:
    #: Offsets still pointed at the same text.
    kept: int
    #: Found elsewhere by exact text and context.
    moved: int
    #: Could not be placed: kept with orphaned=True and the old offsets (clamped into the text).
    orphaned: int

    @property
    def total(self) -> int:
        return self.kept + self.moved + self.orphaned


def reanchor(annotations: list[Annotation], text: str, fingerprint: str) -> tuple[list[Annotation], ReanchorReport]:
    """Place every annotation in `text` (whose SHA-256 is `fingerprint`); none is dropped.

    Returns the annotations in the order given, and the counts.
    """
    kept = moved = orphaned = 0
    shifts: list[int] = []  # most recent first
    placed: dict[str, Annotation] = {}
    for annotation in sorted(annotations, key=lambda a: (a.start, a.end)):
        start, end, exact = annotation.start, annotation.end, annotation.exact
        if exact and text[start:end] == exact:
            kept += 1
            result = replace(annotation, document=fingerprint, orphaned=False)
        else:
            found = _best_occurrence(annotation, text, shifts) if exact else None
            if found is None:
                orphaned += 1
                length = len(text)
                result = replace(annotation, start=min(start, length), end=min(end, length), orphaned=True)
            else:
                moved += 1
                shift = found - start
                if shift in shifts:
                    shifts.remove(shift)
                shifts.insert(0, shift)
                del shifts[_RECENT_SHIFTS:]
                new_end = found + len(exact)
                result = replace(
                    annotation,
                    document=fingerprint,
                    start=found,
                    end=new_end,
                    prefix=text[max(0, found - CONTEXT_CHARS) : found],
                    suffix=text[new_end : new_end + CONTEXT_CHARS],
                    orphaned=False,
                )
        placed[annotation.id] = result
    return [placed[a.id] for a in annotations], ReanchorReport(kept, moved, orphaned)


def _best_occurrence(annotation: Annotation, text: str, shifts: list[int]) -> int | None:
    """Start of the best occurrence of the annotation's text, or None if there is none."""
    exact, old = annotation.exact, annotation.start
    best_possible = len(annotation.prefix) + len(annotation.suffix)
    for shift in shifts:
        at = old + shift
        if at >= 0 and text.startswith(exact, at) and _score(annotation, text, at) == best_possible:
            distance = abs(shift)
            low = max(0, old - distance)
            return _search(annotation, text, low, old + distance + len(exact))
    return _search(annotation, text, 0, len(text))


def _search(annotation: Annotation, text: str, low: int, high: int) -> int | None:
    """Best occurrence starting in [low, high - len(exact)]: highest score, then nearest the old start."""
    exact, old = annotation.exact, annotation.start
    best: tuple[int, int] | None = None  # (-score, distance)
    best_at = None
    find = text.find
    at = find(exact, low, high)
    while at != -1:
        key = (-_score(annotation, text, at), abs(at - old))
        if best is None or key < best:
            best, best_at = key, at
        at = find(exact, at + 1, high)
    return best_at


def _score(annotation: Annotation, text: str, at: int) -> int:
    """How much stored context matches around `text[at:]`: common suffix of the prefix plus
    common prefix of the suffix, in code points."""
    prefix, suffix = annotation.prefix, annotation.suffix
    before = text[max(0, at - len(prefix)) : at]
    after_start = at + len(annotation.exact)
    after = text[after_start : after_start + len(suffix)]
    return _common_suffix(prefix, before) + _common_prefix(suffix, after)


def _common_prefix(a: str, b: str) -> int:
    if a == b:
        return len(a)
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    if a == b:
        return len(a)
    n = 0
    for x, y in zip(reversed(a), reversed(b)):
        if x != y:
            break
        n += 1
    return n
