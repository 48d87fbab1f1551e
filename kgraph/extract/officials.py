"""Named officials, anchored on titles.

jieba's ``nr`` tag misses names such as 许南吉 and 江训开, so names are found
next to a title instead, and their length (two or three characters) is decided
by what follows: a word that typically follows a name (出席, 主持, 强调 …) or
punctuation.  A candidate that is an ordinary dictionary word (多次, 亲自) is
rejected, and so is anything whose first character is not a surname.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

from kgraph import schema
from kgraph.extract import Context, TitleMatch, component
from kgraph.lexicon import Lexicon, load_lexicon
from kgraph.model import Mention, Sentence

CJK = re.compile(r"[\u4e00-\u9fff]")
# A place a 党工委/管委会 title belongs to: 鹰潭高新区 + 党工委书记.
PLACE_BEFORE = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:高新区|开发区|新区|园区|自治州|地区|市|县|区|镇|乡|街道|省))$")
TITLE_ORG_PART = re.compile(r"^(党工委|管委会|党委|街道办事处|办事处)")
# Titles that name a person by surname alone: 焦市长, 李书记.
SURNAME_TITLES = ("市长", "副市长", "省长", "副省长", "县长", "副县长", "区长", "副区长", "书记", "局长", "主任", "厅长", "部长")


@functools.lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Words of 2–4 characters in jieba's dictionary that are not person names
    and start like a name — with a character of the shipped surname lists (全面,
    严格, 方面 …): a name candidate that is one of them is rejected.  (Surnames are
    not a user lexicon kind, so no candidate starts otherwise.)

    Read straight from jieba's ``dict.txt`` — the same answer as jieba's
    ``FREQ``/``posseg`` tables, but ~0.03 s instead of ~2 s per process, since
    importing ``jieba.posseg`` builds tables for all 350,000 words.  A line is
    word, frequency, POS tag; a tag starting with nr is a person name.
    """
    spec = importlib.util.find_spec("jieba")  # locates it without importing it
    if spec is None or spec.origin is None:
        raise ImportError("jieba is not installed")
    text = (Path(spec.origin).parent / "dict.txt").read_text(encoding="utf-8")
    lex = load_lexicon()
    first = "".join(sorted({*lex.surnames, *(c[0] for c in lex.compound_surnames)}))
    # "\n" first, so re jumps from line to line instead of trying every position
    line = re.compile(rf"\n([{first}][\u4e00-\u9fff]{{1,3}}) [1-9]\d* (?!nr)\S+(?=\r?\n)")
    return frozenset(line.findall("\n" + text + "\n"))


def is_plausible_name(name: str, lex: Lexicon) -> bool:
    if not 2 <= len(name) <= 4 or not all(CJK.match(c) for c in name):
        return False
    if not (name[0] in lex.surnames or name[:2] in lex.compound_surnames):
        return False
    if lex.surfaces().get(name) is not None:
        return False
    return name not in ordinary_words()


def _ends_name(text: str, pos: int, end: int, lex: Lexicon) -> bool:
    """Does a name plausibly end at ``pos`` (what follows is punctuation, a
    follower word, the end of the sentence or another title)?"""
    if pos >= end:
        return True
    if not CJK.match(text[pos]):
        return True
    if any(text.startswith(w, pos) for w in lex.name_followers):
        return True
    return lex.title_pattern.match(text, pos) is not None


def name_after(text: str, pos: int, end: int, lex: Lexicon) -> str | None:
    """The name that starts at ``pos``, or None."""
    for length in (2, 3):
        if pos + length > end:
            break
        cand = text[pos : pos + length]
        if _ends_name(text, pos + length, end, lex) and is_plausible_name(cand, lex):
            return cand
    return None


def _title_groups(titles: list[TitleMatch], text: str) -> list[list[TitleMatch]]:
    """Titles joined by 、 or nothing (市委副书记、市长) describe one person."""
    groups: list[list[TitleMatch]] = []
    for t in titles:
        if groups:
            prev = groups[-1][-1]
            gap = text[prev.end : t.start]
            if gap in ("", "、"):
                groups[-1].append(t)
                continue
        groups.append([t])
    return groups


def _org_of(title: TitleMatch, text: str, sent: Sentence, ctx: Context, place: str) -> tuple[str, str]:
    """(org, place) for a title: from the lexicon (市委书记 → 市委), from an
    organisation named right before it (中央第一指导组组长), or from a place
    named before a 党工委/管委会 title (鹰潭高新区党工委书记)."""
    if title.entry.org:
        return title.entry.org, place
    before = _org_ending_at(ctx, sent, title.start)
    if before is not None:
        return before.name, place
    part = TITLE_ORG_PART.match(title.surface)
    if part:
        before = PLACE_BEFORE.search(text, sent.start, title.start)
        if before and before.end() == title.start:
            place = before.group(1)
        if place:
            return place + part.group(1), place
    return "", place


def _emit(ctx: Context, sent: Sentence, name: str, start: int, end: int, titles: list[tuple[str, str]], rule: str) -> None:
    title = "、".join(t for t, _ in titles)
    org = titles[-1][1] if titles else ""
    added = ctx.add_mention(
        Mention("official", name, ctx.text[start:end], start, end, sent.index, rule, title=title, org=org)
    )
    if not added:
        return
    person = (schema.OFFICIAL, name)
    for t, o in titles:
        ctx.add_fact(schema.HOLDS_TITLE, person, (schema.ROLE, t), sent, start, end, rule)
        if o:
            ctx.add_fact(schema.IN_ORG, person, (schema.ORGANIZATION, o), sent, start, end, rule)


def _taken(ctx: Context, start: int, end: int) -> bool:
    sent = ctx.sentence_at(start).index
    return any(m.start < end and start < m.end for m in ctx.in_sentence(sent, ["official"]))


@component("officials", rules=["official.title_name", "official.name_title", "official.surname_title", "official.repeat"])
def find_officials(ctx: Context) -> None:
    """Officials from title + name, name + title, surname + title, and later bare mentions."""
    text, lex = ctx.text, ctx.lexicon
    by_sentence: dict[int, list[TitleMatch]] = {}
    for t in ctx.titles:
        by_sentence.setdefault(ctx.sentence_at(t.start).index, []).append(t)

    for sent in ctx.sentences:
        place = ""
        for group in _title_groups(by_sentence.get(sent.index, []), text):
            last = group[-1]
            titles = []
            for t in group:
                org, place = _org_of(t, text, sent, ctx, place)
                titles.append((t.entry.name, org))
            # 市委书记许南吉: the name follows the titles
            name = name_after(text, last.end, sent.end, lex)
            if name and not _taken(ctx, last.end, last.end + len(name)):
                _emit(ctx, sent, name, last.end, last.end + len(name), titles, "official.title_name")
                continue
            first = group[0]
            # 张杰辉副省长: the name comes first
            for length in (3, 2):
                s = first.start - length
                if s < sent.start:
                    continue
                cand = text[s : first.start]
                if _name_may_start(ctx, sent, s) and is_plausible_name(cand, lex) and not _taken(ctx, s, first.start):
                    _emit(ctx, sent, cand, s, first.start, titles, "official.name_title")
                    break
            else:
                # 焦市长: surname + title, named by both
                s = first.start - 1
                if (
                    len(group) == 1
                    and first.entry.name in SURNAME_TITLES
                    and s >= sent.start
                    and text[s] in lex.surnames
                    and _name_may_start(ctx, sent, s)
                    and not _taken(ctx, s, first.end)
                ):
                    _emit(ctx, sent, text[s : first.end], s, first.end, titles, "official.surname_title")

    _find_repeats(ctx)


def _org_ending_at(ctx: Context, sent: Sentence, pos: int) -> Mention | None:
    return next((m for m in ctx.in_sentence(sent.index, ["organization"]) if m.end == pos), None)


def _name_may_start(ctx: Context, sent: Sentence, pos: int) -> bool:
    """A name written before its title starts a clause or follows a body (省政府张杰辉副省长)."""
    return pos == sent.start or not CJK.match(ctx.text[pos - 1]) or _org_ending_at(ctx, sent, pos) is not None


def _find_repeats(ctx: Context) -> None:
    """许南吉在讲话中指出: a name already introduced with a title, named again bare."""
    known = {m.name: m for m in ctx.mentions if m.kind == "official" and m.rule != "official.surname_title"}
    if not known:
        return
    pattern = re.compile("|".join(sorted(map(re.escape, known), key=len, reverse=True)))
    text = ctx.text
    for sent in ctx.sentences:
        for m in pattern.finditer(text, sent.start, sent.end):
            if _taken(ctx, m.start(), m.end()):
                continue
            first = known[m.group()]
            ctx.add_mention(
                Mention("official", first.name, m.group(), m.start(), m.end(), sent.index, "official.repeat", title=first.title, org=first.org)
            )
