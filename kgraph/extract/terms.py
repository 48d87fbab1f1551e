"""Lexicon terms: organisations, roles, sectors, responsibilities, tasks, titles.

Why one module: lexicon terms and sectors by shape share the lexicon's surface
table and the field trimming (``_field``) that ``listed_sectors`` applies too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import jieba

from kgraph.extract.context import Context, TitleMatch, component
from kgraph.extract.dictionary import function_words, trim_lead
from kgraph.lexicon import QUANTIFIER_PREFIXES, Lexicon
from kgraph.model import DocumentResult, Mention
from kgraph.ruleset import Cues

jieba.setLogLevel(
    logging.WARNING
)  # its dictionary-loading chatter is not ours to print on stderr

# A sector named in a sentence with a focus cue (cues.toml [focus_cues]) is a
# declared focus (重点行业领域); a focus sector that no department covers is a
# supervision gap (监管空白).


# A level written before a body (区应急管理局, 市住建局) belongs to its surface;
# the canonical name stays the lexicon's, so bodies resolve across documents.
LEVEL_PREFIXES = ("市级", "区级", "县级", "省级", "市", "区", "县", "省", "镇", "乡")
LEVELLED_CATEGORIES = ("部门", "议事协调机构")


# the last characters of those prefixes: most matches follow none of them,
# and one look at the character before skips trying each prefix
_LEVEL_LAST = frozenset(p[-1] for p in LEVEL_PREFIXES)
_QUANTIFIER_LAST = frozenset(p[-1] for p in QUANTIFIER_PREFIXES)


def _quantified_start(text: str, start: int, floor: int, levelled: bool) -> int:
    """Extend a match backwards over 各/各级/相关 … (and a level, for
    departments) so the surface reads as written."""
    if start <= floor:
        return start
    if levelled and text[start - 1] in _LEVEL_LAST:
        for prefix in LEVEL_PREFIXES:
            s = start - len(prefix)
            if s >= floor and text.startswith(prefix, s):
                start = s
                break
    if start <= floor or text[start - 1] not in _QUANTIFIER_LAST:
        return start
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
    citations = ctx.citations()
    focus = {
        ctx.sentence_at(m.start()).index
        for m in ctx.cues.regex("focus_cues").finditer(text)
    }
    # matches come in text order: walk the sentences along, no bisection per match
    sentences, at = ctx.sentences, 0
    starts, last = [s.start for s in sentences], len(sentences) - 1
    sent = sentences[0] if sentences else None
    titles, add_mention, covers = ctx.titles, ctx.add_mention, citations.covers
    for m in lex.term_pattern.finditer(text):
        start, end = m.span()
        if at < last and starts[at + 1] <= start:
            at += 1
            while at < last and starts[at + 1] <= start:
                at += 1
            sent = sentences[at]
        if sent is None or end > sent.end:  # a term never spans two sentences
            continue
        surface = m.group()
        entry = surfaces[surface]
        kind = entry.kind
        if kind == "title":
            titles.append(TitleMatch(start, end, entry, surface))
            continue
        cited = covers(start, end)
        if kind == "organization" or kind == "role":
            if cited:
                continue
            start = _quantified_start(
                text, start, sent.start, entry.category in LEVELLED_CATEGORIES
            )
            surface = text[start:end]
        if cited:
            rule, category = "term.lexicon", "cited"
        elif kind == "sector" and sent.index in focus:
            rule, category = "term.focus_sector", "focus"
        else:
            rule, category = "term.lexicon", entry.category
        add_mention(
            Mention(
                kind,
                entry.name,
                surface,
                start,
                end,
                sent.index,
                rule,
                "",
                "",
                category,
            )
        )


# --- fields by shape -------------------------------------------------------------
# A list of fields: items joined by 、 (and 和/及 inside an item: 市政工程和建筑施工
# is two fields).  Only lists that close with 等 + a field head, or that hold
# a sector the lexicon knows, are read as fields.
# a clause that may hold a list: a run of CJK and 、 holding a 、 (linear to
# scan, unlike a pattern that counts items: from the run's start its
# characters up to a 、 are taken without backtracking, and a run without
# one is never built as a match); the list is cut out of it below
LIST_CLAUSE_WITH_SEP = re.compile(
    r"(?<![\u4e00-\u9fff、])[\u4e00-\u9fff]*+、[\u4e00-\u9fff、]*"
)
LAST_ITEM = 24
LIST_NUMBER = re.compile(r"[一二三四五六七八九十百]{1,3}、")
ITEM_SPLIT = re.compile(r"以及|和|及")
# where the last item of a list ends: 等 (then a body head means a list of bodies) or a field head
CLOSE_HINT = re.compile(r"等|行业|领域")  # a list may close with a field head
LIST_CUT = re.compile(r"等|(?:行业|领域)(?=等|[,，。;；、:：]|$)")
# a list closed by 等 + a body head, wherever in the run it stands
BODIES_LISTED = re.compile(
    r"、[^、]{1,12}等(?:有关|相关|其他)*(?:主管)?(?:部门|单位|机构|机关)"
)
BODY_AFTER = re.compile(r"[\u4e00-\u9fff]{0,4}(?:部门|单位|企业|机构|机关)")


def KNOWN_PREFIX(sectors: dict, name: str) -> list[str]:
    """Lexicon sectors that open ``name`` (建筑施工 in 建筑施工单位)."""
    return [name[:n] for n in range(min(len(name), 8), 1, -1) if name[:n] in sectors]


MAX_FIELD = 10
SAFETY_FIELD = 8  # longest field read before 安全管理
NOT_IN_FIELD = ("安全", "管理", "工作", "监督")
# what ends a scope, not a place (本行政区域内的消防工作, 各自职责范围内的…)
PLACE_NOT = ("内", "中", "区域", "范围", "方面", "期间", "时期")
# heads closing a list that name a class of places or goods (…等人员密集场所, …等危险物品)
KIND_HEADS = ("场所", "物品")
# what may follow a known field inside a list item and still name that field
# (建筑施工单位, 烟花爆竹生产): not a thing of the field (消防安全制度, 消防车通道)
UNIT_ACTS = ("生产", "经营", "储存", "运输", "使用", "作业", "企业", "单位")


def _left_start(
    text: str,
    pos: int,
    floor: int,
    stops: frozenset[str],
    by_last: dict[str, tuple[int, ...]],
    longest: int = MAX_FIELD,
) -> int:
    """Start of the first list item ending at ``pos``: back to a verb that opens
    the list (stops looked up by their last character)."""
    i = pos
    while i > floor and pos - i < longest and "\u4e00" <= text[i - 1] <= "\u9fff":
        lengths = by_last.get(text[i - 1])
        if lengths:
            for n in lengths:
                if i - n >= floor and text[i - n : i] in stops:
                    return i  # a stop word ends here
        i -= 1
    return i


def _by_last(words: frozenset[str]) -> dict[str, tuple[int, ...]]:
    out: dict[str, set[int]] = {}
    for w in words:
        out.setdefault(w[-1], set()).add(len(w))
    return {c: tuple(sorted(ns, reverse=True)) for c, ns in out.items()}


def _field(item: str, trailing: tuple[str, ...], determiners: tuple[str, ...]) -> str:
    """A field as the conventions write it: no leading determiner, no trailing 安全/行业/领域."""
    if item.startswith(determiners):  # (one C call rules out the usual case)
        for d in determiners:
            if item.startswith(d) and len(item) > len(d) + 1:
                item = item[len(d) :]
                break
    changed = item.endswith(trailing)
    while changed:
        changed = False
        for t in trailing:
            if item.endswith(t) and len(item) > len(t):
                item, changed = item[: -len(t)], True
    return item


def _field_rules(cues: Cues) -> tuple:
    """The sector tables of one cue set, compiled once."""
    return cues.built("terms", _compile_field_rules)


def _compile_field_rules(cues: Cues) -> tuple:
    not_fields = frozenset(cues.words("sector_not"))
    stops = frozenset(cues.words("sector_left_stops")) | frozenset(
        cues.words("body_left_stops")
    )
    head_stops = stops | not_fields
    rules = (
        re.compile("等" + cues.alternation("sector_list_heads")),
        cues.regex("sector_heads"),
        tuple(cues.words("sector_trailing")),
        not_fields,
        tuple(sorted(cues.words("sector_determiners"), key=len, reverse=True)),
        stops,
        tuple(cues.words("sector_not_endings")),
        head_stops,
        _by_last(stops),
        _by_last(head_stops),
        tuple(d for d in not_fields if len(d) > 1),
    )
    return rules


@component("sector_shapes", rules=["sector.list", "sector.head"])
def find_sector_shapes(ctx: Context) -> None:
    """Sectors by shape: the items of a list of fields, and X行业 / X领域."""
    text, lex = ctx.text, ctx.lexicon
    cues = ctx.cues
    (
        close,
        heads,
        trailing,
        not_fields,
        determiners,
        stops,
        not_ends,
        head_stops,
        stops_last,
        head_last,
        not_field_starts,
    ) = _field_rules(cues)
    sectors = lex.entries["sector"]
    governance = tuple(cues.words("sector_not_leads"))
    citations = ctx.citations()
    found_by = {
        name: ctx.by_sentence(rx)
        for name, rx in (
            ("heads", heads),
            ("work", cues.regex("sector_work")),
            ("safety", cues.regex("sector_safety_of")),
            ("items", cues.regex("sector_item_place")),
        )
    }
    # lists only where a sentence has 、 (one C-level test per sentence); read
    # in the sentence's own text, where the clause before it is not seen
    lists = {
        s.index: [
            (m.start() + s.start, m.end() + s.start, m.group())
            for m in LIST_CLAUSE_WITH_SEP.finditer(s.text)
        ]
        for s in ctx.sentences
        if "、" in s.text
    }
    busy = sorted({i for found in found_by.values() for i in found} | lists.keys())
    for sent in (ctx.sentences[i] for i in busy):
        taken: list[tuple[int, int]] | None = None

        def add(
            s: int,
            e: int,
            name: str,
            rule: str,
            longest: int = MAX_FIELD,
            loose: bool = False,
            at: int = sent.index,  # bound now: add is a closure made per sentence
        ) -> None:
            nonlocal taken
            if loose:
                # an item of an open list or before 行业: 努力实现, 借鉴近期工贸 are no fields
                cut = trim_lead(name, 0, len(name), cues)
                if cut:
                    name = name[cut:]
                    found = text.find(name, s, e)
                    s = found if found >= 0 else s
                if name in function_words(cues):
                    return
            if (
                not 2 <= len(name) <= longest
                or name in not_fields
                or name.endswith(not_ends)
                or "安全生产" in name
            ):
                return
            if name.startswith(governance):
                return  # 职责交叉, 监管空白: a gap in governance, not a field
            if taken is None:
                taken = [
                    (m.start, m.end)
                    for m in ctx.in_sentence(at)
                    if m.kind in ("sector", "organization", "responsibility")
                ]
            if any(a <= s and e <= b for a, b in taken):
                return  # the lexicon has it (or a body names it)
            if ctx.add_mention(
                Mention("sector", name, text[s:e], s, e, at, rule, category="shape")
            ):
                taken.append((s, e))

        runs = lists.get(sent.index, ())
        known_at = (
            [m.start for m in ctx.in_sentence(sent.index, ["sector"])] if runs else []
        )
        for run_start, run_end, run_text in runs:
            if (
                not run_text.endswith("业")
                and not CLOSE_HINT.search(run_text)
                and not any(run_start <= a < run_end for a in known_at)
            ):
                continue  # no known field and no 等 + field head: not a list of fields
            begin = run_start
            numbered = LIST_NUMBER.match(text, begin)
            if numbered is not None:
                begin = numbered.end()  # 三、对车站、码头…: the item number is no field
            while text.startswith("、", begin):
                begin += 1  # a list whose head was lost to garbage: 、煤矿、森林防火…
            if "、" not in text[begin:run_end]:
                continue
            first_sep = text.index("、", begin)
            start = _left_start(text, first_sep, begin, stops, stops_last)
            body = text[
                start : min(
                    run_end, text.rindex("、", run_start, run_end) + 1 + LAST_ITEM
                )
            ]
            body = body.rstrip("、")
            if citations.holds(start):
                continue
            closed = close.search(body)
            kind_head = None
            if closed is not None:
                if closed.group().endswith(KIND_HEADS):
                    # 学校、医院…等公众聚集场所: the class of places is a field too
                    kind_head = (start + closed.start() + 1, start + closed.end())
                body = body[: closed.start()]
            elif BODIES_LISTED.search(body):
                continue  # 交通运输、水利等有关部门依照…法律、法规: a list of bodies
            else:
                cut = LIST_CUT.search(body, body.rfind("、") + 1)
                if cut is not None and cut.group() == "等":
                    if BODY_AFTER.match(body, cut.end()):
                        continue  # 公安、建设等部门: a list of bodies
                    body = body[: cut.start()]
                elif cut is not None:
                    if cut.start() <= body.rfind("、") + 1:
                        continue  # 制定行业、领域规划: the generic pair
                    body, closed = (
                        body[: cut.start()],
                        cut,
                    )  # 拍卖、展览和旧货流通行业等
            if closed is not None and _field(
                body[body.rfind("、") + 1 :], trailing, ()
            ).endswith(("的", "个")):
                continue  # 最为多发、任务最为繁重的一个行业: descriptions of one field, not fields
            items: list[tuple[int, int]] = []
            pos = start
            for part in body.split("、"):
                s = pos
                for piece in ITEM_SPLIT.split(part):
                    i = part.find(piece, s - pos) + pos if piece else s
                    items.append((i, i + len(piece)))
                    s = i + len(piece)
                pos += len(part) + 1
            if closed is None:
                # an open list: only the items up to the last one the lexicon
                # knows (危险化学品、农药和烟花爆竹及各类物资…), or a list of trades (…业)
                if not any(
                    start <= a < run_end for a in known_at
                ) and not body.endswith("业"):
                    continue  # no known field in it (the usual case): not a list of fields
                names = [_field(text[s:e], trailing, determiners) for s, e in items]
                known = [
                    i
                    for i, n in enumerate(names)
                    if n in sectors
                    or any(
                        n[len(k) :].endswith(not_ends) or n[len(k) :] in UNIT_ACTS
                        for k in KNOWN_PREFIX(sectors, n)
                    )
                ]
                if known:
                    last = known[-1]
                    ls, le = items[last]
                    if (
                        names[last] not in sectors
                    ):  # 建筑施工单位: cut at the known field
                        k = max(KNOWN_PREFIX(sectors, names[last]), key=len)
                        items[last] = (ls, ls + len(k))
                    items = items[: last + 1]
                elif all(n.endswith("业") for n in names) and len(names) > 1:
                    pass
                else:
                    continue
            for s, e in items:
                if e - s < 2 or s > 0 and text[s - 1].isdigit():
                    continue  # 6月底前: the tail of a number, not a field
                add(
                    s,
                    e,
                    _field(text[s:e], trailing, determiners),
                    "sector.list",
                    loose=closed is None,
                )
            if kind_head is not None:
                s, e = kind_head
                if e - s >= 4:
                    add(s, e, _field(text[s:e], trailing, determiners), "sector.list")
        for kind in ("work", "items"):
            for m in found_by[kind].get(sent.index, ()):
                g = next(
                    (i for i in range(1, (m.lastindex or 0) + 1) if m.group(i)), None
                )
                if g is not None:
                    # 安全生产暨一季度经济工作: the field starts after a time word
                    s = (
                        _left_start(text, m.end(g), m.start(g), head_stops, head_last)
                        if kind == "work"
                        else m.start(g)
                    )
                    add(
                        s,
                        m.end(g),
                        _field(text[s : m.end(g)], trailing, determiners),
                        "sector.head",
                        30,
                    )
        for m in found_by["safety"].get(sent.index, ()):
            # 矿山安全工作, 农村沼气安全管理, 文化娱乐场所和体育场馆安全监督管理:
            # the field whose safety is managed, read backwards from 安全
            s = _left_start(
                text,
                m.start(),
                max(m.start() - MAX_FIELD, sent.start),
                stops,
                stops_last,
            )
            pieces = [(s, m.start())]
            if not text.startswith("的", m.start()):
                # 文化娱乐场所和体育场馆安全监督管理: two fields joined by 和/及
                while text.startswith(("和", "及"), s - 1) and len(pieces) < 3:
                    e = s - 1
                    s = _left_start(
                        text, e, max(e - MAX_FIELD, sent.start), stops, stops_last
                    )
                    if s >= e:
                        break
                    pieces.append((s, e))
            if citations.holds(s):
                continue
            if text.startswith("的", m.start()):
                # 矿井地下部分、核电厂、海上石油天然气设施的消防工作: each place of the list
                ends = [m.start()]
                while text.startswith("、", s - 1) and len(ends) < 8:
                    ends.append(s - 1)
                    s = _left_start(
                        text,
                        s - 1,
                        max(s - 1 - MAX_FIELD, sent.start),
                        stops,
                        stops_last,
                    )
                starts = [s] + [e + 1 for e in reversed(ends[1:])]
                for a, b in zip(starts, reversed(ends), strict=True):
                    if not text.endswith(PLACE_NOT, a, b):
                        _safety_of(
                            add, text, a, b, sectors, trailing, determiners, MAX_FIELD
                        )
                continue
            if text.startswith("、", s - 1):
                continue  # 烟花爆竹运输、燃放安全管理: an item of a list read as a list
            for a, b in pieces:
                _safety_of(add, text, a, b, sectors, trailing, determiners)
        for m in found_by["heads"].get(sent.index, ()):
            # anchored on the head (行业, 领域), the field read backwards
            if (
                m.start() - sent.start < 2
                or text.startswith(("、", "和", "“"), m.end())
                or citations.holds(m.start())
            ):
                continue  # 制定行业、领域规划: the generic pair; 实现行业“无盲区”: a slogan's word, not a field
            s = _left_start(
                text, m.start(), max(m.start() - 8, sent.start), head_stops, head_last
            )
            if m.start() - s < 2:
                continue
            name = _field(text[s : m.start()], trailing, determiners)
            if "等" in name:
                continue
            if name.startswith(not_field_starts) or name.endswith("的"):
                continue
            add(s, m.start(), name, "sector.head", loose=True)


def _safety_of(
    add: Callable[..., None],
    text: str,
    s: int,
    e: int,
    sectors: dict,
    trailing: tuple[str, ...],
    determiners: tuple[str, ...],
    longest: int = SAFETY_FIELD,
) -> None:
    """One field before 安全管理: a known field with its activity (烟花爆竹经营)
    is that field."""
    name = _field(text[s:e], trailing, determiners)
    if any(w in name for w in NOT_IN_FIELD):
        return  # 监督管理工作和危险化学品安全…: the walk crossed the work, not a field
    known = KNOWN_PREFIX(sectors, name)
    if known and name not in sectors:
        name = known[0]
        e = text.find(name, s, e) + len(name)
    add(s, e, name, "sector.head", longest, loose=True)


def listed_sectors(result: DocumentResult, lexicon: Lexicon) -> list[str]:
    """Sectors as written (危化品 and 危险化学品 both, as the text has them),
    less a trailing 安全/行业/领域; not a field that only names a body's remit
    (港口部门) or that a longer field holds."""
    cues = lexicon.cues
    trailing = tuple(cues.words("sector_trailing"))
    determiners = tuple(sorted(cues.words("sector_determiners"), key=len, reverse=True))
    # a field inside a department's name is its remit, not a focus (港口部门)
    spans = [
        (m.start, m.end)
        for m in result.mentions
        if m.kind == "organization" and m.category == "部门"
    ]
    fields = [m for m in result.mentions if m.kind == "sector"]
    out: list[str] = []
    for m in fields:
        if m.category == "cited":
            continue
        if m.rule == "term.lexicon" and not _on_word_bounds(
            result.document.text, m.start, m.end
        ):
            continue  # 规范化工作, 细化工作: the 化工 straddles two words
        if any(a <= m.start and m.end <= b for a, b in spans):
            continue
        if any(
            o is not m
            and o.start <= m.start
            and m.end <= o.end
            and (o.start, o.end) != (m.start, m.end)
            for o in fields
        ):
            continue
        out.append(
            m.name
            if m.rule.startswith("sector.")
            else _field(m.surface, trailing, determiners)
        )
    # 工贸企业, 医疗机构: written as units, the field is named elsewhere if it is a focus
    bodies = tuple(cues.words("sector_not_endings"))
    return list(dict.fromkeys(n for n in out if n and not n.endswith(bodies)))


def _on_word_bounds(text: str, start: int, end: int) -> bool:
    """Whether a match begins or ends on a word boundary of a short window
    around it: a term cut at both ends is the halves of two other words.
    Only the window is segmented, so this stays linear."""
    lo = max(0, start - 6)
    cuts, pos = {lo}, lo
    for w in jieba.lcut(text[lo : end + 6]):
        pos += len(w)
        cuts.add(pos)
    return start in cuts or end in cuts
