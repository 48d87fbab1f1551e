"""Sentence splitting with offsets into the clean text.

A sentence ends after 。！？!? (a run of them, plus any closing quotes or
brackets that follow: ``…安全。”``), and at every newline.  A sentence longer
than :data:`MAX_LEN` characters is also split after each ; / ；, because long
enumerations of duties (``要…;要…;要…``) are separate statements for the
extractors.  Offsets always satisfy ``text[s.start:s.end] == s.text``.

No sentence is longer than :data:`LONG_LEN`: a piece still longer than that
(text without sentence punctuation, a table flattened into one line) is cut
after clause marks (, ， 、 : ：), packing clauses up to :data:`MAX_LEN`, and a
clause longer than :data:`LONG_LEN` is cut every :data:`LONG_LEN` characters.
Every extractor works sentence by sentence, so this bound is what keeps
extraction linear in the length of the document whatever its punctuation.
Those boundaries are not in the text: pass ``cuts`` to get, for each stretch
that was cut, a zero-width :class:`~kgraph.model.Span` at its start (reason
:data:`CUT`), which the pipeline records among the document's flags.  One
per stretch, not per cut: every flag costs each mention a lookup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kgraph.model import Sentence, Span
from kgraph.ruleset import behind_initials

__all__ = ["CUT", "LONG_LEN", "MAX_LEN", "add_cuts", "split_sentences"]

MAX_LEN = 200
# Longer than any sentence of real speeches or statutes (they stay under ~260
# after the ; split), so only text without sentence punctuation is cut.
LONG_LEN = 400
CUT = "sentence cut"

# A terminator run and its closers.  "?" / "!" followed by , 、 ; : is not an
# end (怎么办?,… is scrape damage, and 燃?、 in a flagged mojibake span).
# (behind a lookahead for its first characters, or every position is tried)
_END = re.compile(
    behind_initials(r"(?:。|[！？!?]+(?![,，、;；:：]))[。！？!?]*[”’」』)）\"']*|\n")
)
_SEMI = re.compile(r"[;；][”’」』)）]*")
_CLAUSE = re.compile(r"[,，、:：\s][”’」』)）]*")


def _pieces(
    text: str, start: int, end: int, pattern: re.Pattern[str]
) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of the pieces of text[start:end] cut after each match."""
    pos = start
    for m in pattern.finditer(text, start, end):
        yield pos, m.end()
        pos = m.end()
    if pos < end:
        yield pos, end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """text[start:end] in pieces of at most LONG_LEN characters: clauses
    packed up to MAX_LEN, an overlong clause cut at the cap."""
    chunk_start = chunk_end = start
    for _a, b in _pieces(text, start, end, _CLAUSE):
        if b - chunk_start > MAX_LEN and chunk_end > chunk_start:
            yield chunk_start, chunk_end
            chunk_start = chunk_end
        while b - chunk_start > LONG_LEN:
            yield chunk_start, chunk_start + LONG_LEN
            chunk_start += LONG_LEN
        chunk_end = b
    if chunk_end > chunk_start:
        yield chunk_start, chunk_end


def split_sentences(text: str, cuts: list[Span] | None = None) -> list[Sentence]:
    """The sentences of ``text``; where overlong stretches were cut is appended to ``cuts`` if given."""
    out: list[Sentence] = []

    def add(start: int, end: int) -> None:
        start, end = _strip(text, start, end)
        if start < end:
            out.append(Sentence(len(out), start, end, text[start:end]))

    for start, end in _pieces(text, 0, len(text), _END):
        s, e = _strip(text, start, end)
        if e - s <= MAX_LEN:
            if s < e:  # already stripped: add() would strip it again
                out.append(Sentence(len(out), s, e, text[s:e]))
            continue
        for a, b in _pieces(text, s, e, _SEMI):
            if b - a <= LONG_LEN:
                add(a, b)
                continue
            if cuts is not None:
                cuts.append(Span(a, a, CUT))
            for x, y in _bounded(text, a, b):
                add(x, y)
    return out


def add_cuts(flags: list[Span], cuts: list[Span]) -> list[Span]:
    """``flags`` (sorted, disjoint) with the sentence cuts that do not fall
    inside one of them, still sorted and disjoint: a mention across a cut is
    then refused like one touching a flagged span."""
    if not cuts:
        return flags
    out: list[Span] = []
    i = 0
    for cut in cuts:  # both in text order
        while i < len(flags) and flags[i].start <= cut.start:
            out.append(flags[i])
            i += 1
        if out and out[-1].end > cut.start and out[-1].reason != CUT:
            continue  # inside (or at the start of) a flagged span
        out.append(cut)
    out.extend(flags[i:])
    return out
