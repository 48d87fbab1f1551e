"""Named officials, anchored on titles.

jieba's ``nr`` tag misses names such as 许南吉 and 江训开, so names are found
next to a title instead, and their length (two or three characters) is decided
by what follows: a word that typically follows a name (出席, 主持, 强调 …) or
punctuation.  A candidate that is an ordinary dictionary word (多次, 亲自) is
rejected, and so is anything whose first character is not a surname.

Why one module: title + name, name lists, post after name and repeats all
decide a name's bounds with the same checks (surnames, ordinary words, posts).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kgraph import schema
from kgraph.extract.context import Context, component
from kgraph.extract.dictionary import derived, jieba_dictionary
from kgraph.lexicon import Lexicon, load_lexicon
from kgraph.model import Mention, Sentence
from kgraph.ruleset import Cues, behind_initials

CJK = re.compile(r"[\u4e00-\u9fff]")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# Titles that name a person by surname alone: 焦市长, 李书记.
SURNAME_TITLES = (
    "市长",
    "副市长",
    "省长",
    "副省长",
    "县长",
    "副县长",
    "区长",
    "副区长",
    "书记",
    "局长",
    "主任",
    "厅长",
    "部长",
)


# conjunctions that are surnames too: 和 after a post may join another post
CONJUNCTIONS = frozenset("和与及")
# a byline: title, spaces, then a name of 2–4 characters closing its line
BYLINE_GAP = (" ", "\u3000")
BYLINE_SPACES = re.compile(r"[ \u3000]{1,4}")
BYLINE_END = re.compile(r"[\u4e00-\u9fff]{2,4}[ \u3000]*(?:\n|$)")


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
    lex = load_lexicon()
    first = "".join(sorted({*lex.surnames, *(c[0] for c in lex.compound_surnames)}))

    def build() -> frozenset[str]:
        # "\n" first, so re jumps from line to line instead of trying every position
        line = re.compile(
            rf"\n([{first}][\u4e00-\u9fff]{{1,3}}) [1-9]\d* (?!nr)\S+(?=\r?\n)"
        )
        return frozenset(line.findall(jieba_dictionary()))

    return derived("ordinary-words", first, build, lambda v: isinstance(v, frozenset))


@functools.lru_cache(maxsize=1)
def _dictionary_people() -> tuple[frozenset[str], frozenset[str]]:
    """From the words jieba's dictionary tags as person names (nr, nrfg …):
    the single characters tagged exactly nr (its surnames: a wider list than
    the shipped one, with some given-name characters, so only three-character
    names may start with one), and the names of 2–4 characters (public figures
    whose surname the shipped list lacks).  One pass, ~0.2 s once."""

    def build() -> tuple[frozenset[str], frozenset[str]]:
        rows = re.findall(r"\n([\u4e00-\u9fff]{1,4}) \d+ (nr\w*)", jieba_dictionary())
        surnames = frozenset(w for w, tag in rows if len(w) == 1 and tag == "nr")
        return surnames, frozenset(w for w, _ in rows if len(w) > 1)

    return derived("people", (), build, lambda v: isinstance(v, tuple) and len(v) == 2)


def warm_up() -> None:
    """Read the tables taken from jieba's dictionary now, not at the first name
    that needs them (a build does it before forking, so its workers share them)."""
    ordinary_words()
    _dictionary_people()


def dictionary_surnames() -> frozenset[str]:
    return _dictionary_people()[0]


def dictionary_names() -> frozenset[str]:
    return _dictionary_people()[1]


def is_plausible_name(name: str, lex: Lexicon) -> bool:
    if not 2 <= len(name) <= 4 or CJK_RUN.fullmatch(name) is None:
        return False
    if not (
        name[0] in lex.surnames
        or name[:2] in lex.compound_surnames
        or len(name) == 3
        and name[0] in dictionary_surnames()
    ):
        return name in dictionary_names()
    # 由总经理任主任: a post word inside a candidate means it is no name
    if lex.surfaces().get(name) is not None or lex.cues.regex("official_posts").search(
        name, 1
    ):
        return False
    return name not in ordinary_words()


def _ends_name(text: str, pos: int, end: int, lex: Lexicon) -> bool:
    """Does a name plausibly end at ``pos`` (what follows is punctuation, a
    follower word, the end of the sentence or another title)?"""
    if pos >= end:
        return True
    if not CJK.match(text[pos]):
        return True
    if text.startswith(lex.name_followers, pos):
        return True
    return lex.title_pattern.match(text, pos) is not None


def name_after(text: str, pos: int, end: int, lex: Lexicon) -> str | None:
    """The name that starts at ``pos``, or None (four characters only after a
    compound surname: 欧阳明远)."""
    compound = text[pos : pos + 2] in lex.compound_surnames
    for length in (2, 3, 4) if compound else (2, 3):
        if pos + length > end:
            break
        cand = text[pos : pos + length]
        if _ends_name(text, pos + length, end, lex) and is_plausible_name(cand, lex):
            return cand
    return None


def _emit(
    ctx: Context,
    sent: Sentence,
    name: str,
    start: int,
    end: int,
    titles: list[tuple[str, str]],
    rule: str,
) -> None:
    title = "、".join(t for t, _ in titles)
    org = titles[-1][1] if titles else ""
    added = ctx.add_mention(
        Mention(
            "official",
            name,
            ctx.text[start:end],
            start,
            end,
            sent.index,
            rule,
            title=title,
            org=org,
        )
    )
    if not added:
        return
    person = (schema.OFFICIAL, name)
    for t, o in titles:
        ctx.add_fact(
            schema.HOLDS_TITLE, person, (schema.ROLE, t), sent, start, end, rule
        )
        if o:
            ctx.add_fact(
                schema.IN_ORG, person, (schema.ORGANIZATION, o), sent, start, end, rule
            )


def _taken(ctx: Context, start: int, end: int) -> bool:
    sent = ctx.sentence_at(start).index
    return any(
        m.start < end and start < m.end for m in ctx.in_sentence(sent, ["official"])
    )


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see kgraph.model
class Post:
    """One post of a title: [body or level] + post word (区安委会副主任)."""

    start: int  # where the title component starts (the body before the post word)
    end: int
    word_start: int
    org: str


def _post_pattern(cues: Cues) -> re.Pattern[str]:
    """The post words with a lookahead for their first characters (kept per cue set)."""
    return cues.built(
        "officials.posts",
        lambda c: re.compile(behind_initials(c.alternation("official_posts"))),
    )


def _post_matches(ctx: Context) -> dict[int, list[re.Match[str]]]:
    """The post words of the document by sentence (one scan, kept in ctx.cache)."""
    found: dict[int, list[re.Match[str]]] | None = ctx.cache.get("post_matches")
    if found is None:
        found = ctx.cache["post_matches"] = ctx.by_sentence(_post_pattern(ctx.cues))
    return found


def _posts(ctx: Context, sent: Sentence) -> list[Post]:
    found = _post_matches(ctx)
    if sent.index not in found:
        return []
    text, lex = ctx.text, ctx.lexicon
    prefixed = ctx.cache.get("post_prefixed")
    if prefixed is None:
        prefixed = ctx.cache["post_prefixed"] = frozenset(
            ctx.cues.words("official_posts_prefixed")
        )
        ctx.cache["post_levels"] = sorted(
            ctx.cues.words("official_title_levels"), key=len, reverse=True
        )
    levels = ctx.cache["post_levels"]
    bodies: dict[int, Mention] = {}
    for b in ctx.in_sentence(sent.index, ["organization"]):
        if b.end not in bodies or b.start < bodies[b.end].start:
            bodies[b.end] = b  # the longest body ending there
    posts: list[Post] = []
    for m in found[sent.index]:
        ps, pe, word = m.start(), m.end(), m.group()
        start, org = ps, ""
        body = bodies.get(ps)
        if body is not None and body.start >= sent.start:
            start, org = body.start, body.name
        elif word in prefixed:  # only these posts take the level before them
            level = next(
                (
                    lv
                    for lv in levels
                    if text.startswith(lv, ps - len(lv)) and ps - len(lv) >= sent.start
                ),
                "",
            )
            if not level:
                continue
            start = ps - len(level)
        entry = lex.lookup("title", text[start:pe]) or lex.lookup("title", word)
        if entry is not None and entry.org and (not org or entry.org.startswith(org)):
            org = entry.org
        posts.append(Post(start, pe, ps, org))
    return posts


def _post_groups(posts: list[Post], text: str) -> list[list[Post]]:
    """Posts joined by 、, 兼 or nothing (市委副书记、市长) describe one person."""
    groups: list[list[Post]] = []
    for p in posts:
        if groups:
            prev = groups[-1][-1]
            if p.start < prev.end:
                continue
            if text[prev.end : p.start] in ("", "、", "兼"):
                groups[-1].append(p)
                continue
        groups.append([p])
    return groups


# a name written with a middle dot (minority names) in a list of names
DOTTED_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}")
LIST_END = re.compile(r"[、,，。;；:：\s]|等|同志|$")


def _name_list(ctx: Context, sent: Sentence, pos: int) -> list[tuple[int, int]]:
    """Further names after a first one, joined by 、 (市领导甲、乙、丙)."""
    text, lex = ctx.text, ctx.lexicon
    out: list[tuple[int, int]] = []
    while pos < sent.end and text[pos] == "、":
        s = pos + 1
        dotted = DOTTED_NAME.match(text, s, sent.end)
        if dotted and LIST_END.match(text, dotted.end()):
            e = dotted.end()
        else:
            name = name_after(text, s, sent.end, lex)
            if not name:
                break
            e = s + len(name)
        out.append((s, e))
        pos = e
    return out


@component(
    "officials",
    rules=[
        "official.title_name",
        "official.name_title",
        "official.surname_title",
        "official.list",
        "official.repeat",
    ],
)
def find_officials(ctx: Context) -> None:
    """Officials from title + name (and name lists), name + title, surname + title, and later bare mentions."""
    text, lex = ctx.text, ctx.lexicon
    after_name = ctx.cues.regex("official_posts_after_name")
    name_left = tuple(ctx.cues.words("official_name_left"))
    spans: list[tuple[int, int]] = []  # title spans of named officials
    with_posts = _post_matches(ctx)  # most sentences name no post: skip them
    for sent in ctx.sentences:
        if sent.index not in with_posts:
            continue
        for group in _post_groups(_posts(ctx, sent), text):
            first, last = group[0], group[-1]
            titles = [(text[p.start : p.end], p.org) for p in group]
            # 市委书记许南吉: the name follows the titles
            at = last.end
            name = name_after(text, at, sent.end, lex)
            if name is None and text.startswith(BYLINE_GAP, at):
                # 县委副书记、县长  某某某: a byline, the name after spaces on its line
                gap = BYLINE_SPACES.match(text, at, sent.end)
                if gap is not None and BYLINE_END.match(text, gap.end(), sent.end):
                    at = gap.end()
                    name = name_after(text, at, sent.end, lex)
            if (
                name
                and name[0] in CONJUNCTIONS
                and _post_pattern(ctx.cues).match(text, at + len(name))
            ):
                name = None  # 乡镇党委书记和乡镇长: 和 joins two posts, no name
            if name and not _taken(ctx, at, at + len(name)):
                _emit(
                    ctx,
                    sent,
                    name,
                    at,
                    at + len(name),
                    titles,
                    "official.title_name",
                )
                spans.append((first.start, last.end))
                for s, e in _name_list(ctx, sent, at + len(name)):
                    if not _taken(ctx, s, e):
                        _emit(ctx, sent, text[s:e], s, e, titles, "official.list")
                continue
            # 张杰辉副省长 / 贯彻某某书记: the name comes first
            if (
                len(group) == 1
                and first.start == first.word_start
                and not after_name.fullmatch(text, first.start, first.end)
            ):
                continue
            for length in (3, 2):
                s = first.start - length
                if s < sent.start:
                    continue
                cand = text[s : first.start]
                left_ok = _name_may_start(ctx, sent, s) or text.endswith(
                    name_left, sent.start, s
                )
                if (
                    left_ok
                    and is_plausible_name(cand, lex)
                    and not _taken(ctx, s, first.start)
                ):
                    _emit(
                        ctx, sent, cand, s, first.start, titles, "official.name_title"
                    )
                    spans.append((first.start, last.end))
                    break
            else:
                # 焦市长: surname + title, named by both
                s = first.start - 1
                if (
                    len(group) == 1
                    and text[first.start : first.end] in SURNAME_TITLES
                    and s >= sent.start
                    and text[s] in lex.surnames
                    and _name_may_start(ctx, sent, s)
                    and not _taken(ctx, s, first.end)
                ):
                    _emit(
                        ctx,
                        sent,
                        text[s : first.end],
                        s,
                        first.end,
                        titles,
                        "official.surname_title",
                    )
                    spans.append((first.start, last.end))
    # a body named only inside an official's post is not an actor of the text
    if spans:
        spans.sort()
        starts = [a for a, _ in spans]

        def inside(m: Mention) -> bool:
            if m.kind != "organization":
                return False
            i = bisect.bisect_right(starts, m.start) - 1
            return i >= 0 and m.end <= spans[i][1]

        ctx.drop_mentions(inside)
    _find_repeats(ctx)


def _org_ending_at(ctx: Context, sent: Sentence, pos: int) -> Mention | None:
    return next(
        (m for m in ctx.in_sentence(sent.index, ["organization"]) if m.end == pos), None
    )


def _name_may_start(ctx: Context, sent: Sentence, pos: int) -> bool:
    """A name written before its title starts a clause or follows a body (省政府张杰辉副省长)."""
    return (
        pos == sent.start
        or not CJK.match(ctx.text[pos - 1])
        or _org_ending_at(ctx, sent, pos) is not None
    )


def _find_repeats(ctx: Context) -> None:
    """许南吉在讲话中指出: a name already introduced with a title, named again bare."""
    known = {
        m.name: m
        for m in ctx.mentions
        if m.kind == "official" and m.rule != "official.surname_title"
    }
    if not known:
        return
    text = ctx.text
    # Read as a scan of each sentence for the names, longest first where two
    # start together, one after another: a few str.find calls, where a regex
    # of this document's names was compiled for each document.
    found = sorted(
        (start, -len(name), name) for name in known for start in _at(text, name)
    )
    taken_to = 0
    for start, neg_len, name in found:
        end = start - neg_len
        sent = ctx.sentence_at(start)
        if start < taken_to or start < sent.start or end > sent.end:
            continue
        taken_to = end
        if _taken(ctx, start, end):
            continue
        first = known[name]
        ctx.add_mention(
            Mention(
                "official",
                first.name,
                name,
                start,
                end,
                sent.index,
                "official.repeat",
                title=first.title,
                org=first.org,
            )
        )


def _at(text: str, word: str) -> Iterator[int]:
    """Every offset where ``word`` starts in ``text`` (overlaps included)."""
    i = text.find(word)
    while i >= 0:
        yield i
        i = text.find(word, i + 1)
