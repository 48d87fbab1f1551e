"""Lexicon terms: organisations, roles, sectors, responsibilities, tasks, titles."""

from __future__ import annotations

import bisect
import re

from kgraph.extract import Context, TitleMatch, component
from kgraph.lexicon import QUANTIFIER_PREFIXES
from kgraph.model import Mention

# A sector named in a sentence with a focus cue (cues.toml [focus_cues]) is a
# declared focus (重点行业领域); a focus sector that no department covers is a
# supervision gap (监管空白).

# Bodies named inside a document title (《国务院关于…的意见》) are citations,
# not actors in the speech.
BOOK_TITLE = re.compile(r"《[^《》]{0,80}》")


# A level written before a body (区应急管理局, 市住建局) belongs to its surface;
# the canonical name stays the lexicon's, so bodies resolve across documents.
LEVEL_PREFIXES = ("市级", "区级", "县级", "省级", "市", "区", "县", "省", "镇", "乡")
LEVELLED_CATEGORIES = ("部门", "议事协调机构")


def _quantified_start(text: str, start: int, floor: int, levelled: bool) -> int:
    """Extend a match backwards over 各/各级/相关 … (and a level, for
    departments) so the surface reads as written."""
    if levelled:
        for prefix in LEVEL_PREFIXES:
            s = start - len(prefix)
            if s >= floor and text.startswith(prefix, s):
                start = s
                break
    for prefix in QUANTIFIER_PREFIXES:
        s = start - len(prefix)
        if s >= floor and text.startswith(prefix, s):
            return s
    return start


@component("terms", rules=["term.lexicon", "term.focus_sector"])
def find_terms(ctx: Context) -> None:
    """Every lexicon surface, longest match first, resolved to its canonical entry."""
    lex = ctx.lexicon
    surfaces = lex.surfaces()
    text = ctx.text
    # One pass over the whole text for each pattern, then each match is placed
    # in its sentence: far cheaper than restarting the patterns per sentence.
    citations = [(m.start(), m.end()) for m in BOOK_TITLE.finditer(text)]
    focus = {ctx.sentence_at(m.start()).index for m in ctx.cues.regex("focus_cues").finditer(text)}
    sentence = ctx.sentence_at
    for m in lex.term_pattern.finditer(text):
        surface = m.group()
        entry = surfaces[surface]
        start, end = m.start(), m.end()
        sent = sentence(start)
        if end > sent.end:  # a term never spans two sentences
            continue
        if entry.kind == "title":
            ctx.titles.append(TitleMatch(start, end, entry, surface))
            continue
        # citations are disjoint and in order: only the last one opening before us can hold us
        i = bisect.bisect_right(citations, (start, len(text) + 1)) - 1
        cited = i >= 0 and citations[i][1] >= end
        if entry.kind in ("organization", "role"):
            if cited:
                continue
            start = _quantified_start(text, start, sent.start, entry.category in LEVELLED_CATEGORIES)
            surface = text[start:end]
        rule = "term.lexicon"
        category = "cited" if cited else entry.category
        if entry.kind == "sector" and sent.index in focus and not cited:
            rule, category = "term.focus_sector", "focus"
        ctx.add_mention(
            Mention(
                kind=entry.kind,
                name=entry.name,
                surface=surface,
                start=start,
                end=end,
                sentence=sent.index,
                rule=rule,
                category=category,
            )
        )
