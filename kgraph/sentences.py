"""Sentence splitting with offsets into the clean text.

A sentence ends after 。！？!? (a run of them, plus any closing quotes or
brackets that follow: ``…安全。”``), and at every newline.  A sentence longer
than :data:`MAX_LEN` characters is also split after each ; / ；, because long
enumerations of duties (``要…;要…;要…``) are separate statements for the
extractors.  Offsets always satisfy ``text[s.start:s.end] == s.text``.
"""

from __future__ import annotations

import re

from kgraph.model import Sentence

__all__ = ["MAX_LEN", "split_sentences"]

MAX_LEN = 200

# A terminator run and its closers.  "?" / "!" followed by , 、 ; : is not an
# end (怎么办?,… is scrape damage, and 燃?、 in a flagged mojibake span).
_END = re.compile(r"(?:。|[！？!?]+(?![,，、;；:：]))[。！？!?]*[”’」』)）\"']*|\n")
_SEMI = re.compile(r"[;；][”’」』)）]*")


def _pieces(text: str, start: int, end: int, pattern: re.Pattern[str]):
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


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []

    def add(start: int, end: int) -> None:
        start, end = _strip(text, start, end)
        if start < end:
            out.append(Sentence(len(out), start, end, text[start:end]))

    for start, end in _pieces(text, 0, len(text), _END):
        s, e = _strip(text, start, end)
        if e - s > MAX_LEN:
            for a, b in _pieces(text, s, e, _SEMI):
                add(a, b)
        else:
            add(s, e)
    return out
