"""Bodies (organisations) recognised by their shape, not by a closed list.

A body is written as [level or place prefix] + name + head: 县级以上人民政府
应急管理部门, 区市场监督管理局, 消防救援支队, 经济开发区管理委员会.  The heads
are cue tables (kgraph/rules/entities.toml); the name is what stands before a
head back to a word that cannot be part of a name (a verb, a preposition, a
conjunction, punctuation).  A leading determiner (各, 各级, 有关 …) is dropped
from the name as in the dev-set conventions, but kept inside it
(县级以上地方各级人民政府).

Coordinated bodies share what they do not repeat: 国务院工业和信息化、公安主管部门
gives 国务院工业和信息化主管部门 and 国务院公安主管部门; 自治区党委、政府 gives
自治区党委 and 自治区政府.  Such an expanded body gets the offsets of its own
conjunct (plus the head for the last one) and rule ``body.split``.

The lexicon's organisation mentions (component ``terms``) stay where they are
the whole body; one found strictly inside a longer body here (有关部门 inside
县级以上人民政府有关部门) is replaced by the longer one, so holders read as
written.

Why one module: recognising a body and deciding whether a document lists it
share the head, name and determiner walkers; split, each half would import
the other's private helpers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kgraph import schema
from kgraph.extract.context import Context, component
from kgraph.extract.dictionary import trim_lead
from kgraph.extract.spans import Spans
from kgraph.lexicon import Lexicon
from kgraph.model import DocumentResult, Mention, Sentence
from kgraph.ruleset import Cues, behind_initials

CJK = re.compile(r"[\u4e00-\u9fff]")
CLOSE_BRACKETS = ")）"
CLAUSE_PUNCT = re.compile(r"[,，。;；:：!?！？]")
BRACKETS = re.compile(r"[()（）]")
# a level with its bracketed qualifier, a conjunct of its own: 区(县), 乡(镇), 县(市、区)
LEVEL_BRACKET = re.compile(
    r"^[省市县区乡镇村州旗]{1,2}[(（][省市县区乡镇村街道居、]{1,8}[)）]$"
)
# how many levels a coordinated name spans (市、县、乡三级人民政府): not part of any name
N_LEVELS = re.compile(
    r"(?<=[省市县区乡镇村州旗道)）])[两二三四五六]级(?=[\u4e00-\u9fff])"
)
OPEN_BRACKETS = "(（"
# longest name (prefix + name + head) a body may have; a longer walk has
# crossed a clause the stop words did not know
MAX_BODY = 26
MAX_BRACKET = 10
# category of each head table (schema.ORG_CATEGORIES)
HEAD_TABLES = (
    ("body_heads_committee", "议事协调机构"),
    ("body_heads_government", "政府"),
    ("body_heads_party", "党委"),
    ("body_heads_enterprise", "企业"),
    ("body_heads_department", "部门"),
)
# 市委 / 县委 / 区委: a one-character 委 after a level is a party committee
PARTY_LEVEL_WEI = re.compile(r"委(?<=[省市县区州旗]委)(?![员托屈会])")
PARTY_AND_GOVERNMENT = "党委政府"
PARTY_GOV_LEVEL = re.compile(
    r"^(?P<pre>.{0,6}?)(?P<lvl>[省市县区州旗])委(?P=lvl)(?:人民)?政府$"
)
# a whole name that opens on the kind of goods or place it deals in (…物品的生产单位)
KINDS_OF = ("场所", "物品")
BARE_GOVERNMENT = ("政府", "人民政府")
COORD = ("以及", "、", "和", "及")
COORD_LAST = (
    "、和及等"  # the last character of what may stand before a coordinated body
)
# the levels a name opens with: 区县（自治县）人民政府 → 区县（自治县）
LEVELS = re.compile(
    r"^(?:自治区|自治州|自治县|[省市县区镇乡州旗]|[(（][^()（）]{1,6}[)）])*"
)
PLACE_END = re.compile(r"(?:[省市县区镇乡州旗]|街道|新区|开发区|园区)$")
PLACE_INSIDE = re.compile(r"[省市县区镇乡州旗]|街道")
COORDINATED = re.compile(r"[、和及]")
# bodies that are a level of their own: they take no level from the body before
# them (乡镇人民政府和街道办事处 is not 乡街道办事处)
LEVEL_BODIES = ("街道", "社区", "村民委员会", "居民委员会")


@dataclass(frozen=True, slots=True)
class Rules:
    heads: re.Pattern[str]
    categories: tuple[str, ...]  # group name index → category
    cues: Cues
    stops: frozenset[str]
    stops_by_last: dict[
        str, tuple[int, ...]
    ]  # last character → lengths of the stops ending in it
    stop_lengths: tuple[int, ...]
    determiners: tuple[str, ...]
    determiner_rx: re.Pattern[str]
    determiner_last: frozenset[str]  # the last characters of the determiners
    generic: frozenset[str]
    generic_shape: re.Pattern[str]
    keep: tuple[str, ...]
    # a stop character inside a compound name → (its offset in the name, the name)
    compounds: dict[str, tuple[tuple[int, str], ...]]
    posts: re.Pattern[str]
    not_body: re.Pattern[str]
    levels: re.Pattern[str]
    whole: re.Pattern[str]
    place_actor: re.Pattern[str]
    actor_verbs: re.Pattern[str]
    short_names: re.Pattern[str]
    direct_units: re.Pattern[str]
    unit_lists: re.Pattern[str]
    unit_kinds: frozenset[str]
    unit_kinds_headed: frozenset[str]


def _rules(cues: Cues) -> Rules:
    """The compiled rules of one cue set."""
    return cues.built("bodies", _compile)


def _by_last(words: frozenset[str]) -> dict[str, tuple[int, ...]]:
    out: dict[str, set[int]] = {}
    for w in words:
        out.setdefault(w[-1], set()).add(len(w))
    return {c: tuple(sorted(ns, reverse=True)) for c, ns in out.items()}


def compounds_by_stop(
    cues: Cues, stops: frozenset[str]
) -> dict[str, tuple[tuple[int, str], ...]]:
    """Each one-character stop (和, 及) inside a compound name, with where it
    stands in each name that holds it."""
    out: dict[str, list[tuple[int, str]]] = {}
    for w in cues.words("body_name_compounds"):
        for k, c in enumerate(w):
            if c in stops and 0 < k < len(w) - 1:
                out.setdefault(c, []).append((k, w))
    return {c: tuple(v) for c, v in out.items()}


def in_compound(
    text: str, at: int, compounds: dict[str, tuple[tuple[int, str], ...]]
) -> bool:
    """Whether the character at ``at`` is the inner 和 of a compound name."""
    return any(text.startswith(w, at - k) for k, w in compounds.get(text[at], ()))


def _compile(cues: Cues) -> Rules:
    groups, cats = [PARTY_LEVEL_WEI.pattern], ["党委"]
    for table, cat in HEAD_TABLES:
        groups.append(cues.alternation(table))
        cats.append(cat)
    heads = re.compile(behind_initials("|".join(f"({g})" for g in groups)))
    stops = frozenset(cues.words("body_left_stops"))
    suffix = cues.alternation("body_place_suffix")
    return Rules(
        cues=cues,
        heads=heads,
        categories=tuple(cats),
        stops=stops,
        stops_by_last=_by_last(stops),
        stop_lengths=tuple(sorted({len(s) for s in stops}, reverse=True)),
        determiners=tuple(
            sorted(cues.words("body_determiners"), key=len, reverse=True)
        ),
        determiner_rx=cues.regex("body_determiners"),
        determiner_last=frozenset(d[-1] for d in cues.words("body_determiners")),
        generic=frozenset(cues.words("body_generic")),
        generic_shape=cues.regex("body_generic_regex"),
        keep=tuple(cues.words("body_left_keep")),
        compounds=compounds_by_stop(cues, stops),
        posts=cues.regex("official_posts"),
        not_body=cues.regex("body_not"),
        levels=cues.leading("body_levels"),
        whole=re.compile(behind_initials(cues.alternation("body_whole"))),
        # 某区召开… / 某街道在某地举行…: a place standing as the actor of a meeting
        short_names=cues.regex("body_short_names"),
        direct_units=re.compile(behind_initials(cues.alternation("body_direct_units"))),
        unit_lists=re.compile(behind_initials(cues.alternation("body_unit_lists"))),
        unit_kinds=frozenset(cues.words("body_unit_kinds")),
        unit_kinds_headed=frozenset(cues.words("body_unit_kinds_headed")),
        place_actor=re.compile(
            rf"([\u4e00-\u9fff]{{1,6}}?{suffix}(?:[(（][^()（）]{{1,8}}[)）])?)$"
        ),
        actor_verbs=cues.regex("body_place_actor"),
    )


@dataclass(slots=True)
class Body:
    start: int  # offsets of the text the body is read from
    end: int
    name: str  # as written, determiners dropped, shared parts expanded
    category: str
    head: str
    rule: str


def _walk_left(text: str, pos: int, floor: int, r: Rules, head: str = "") -> int:
    """Start of the name that ends at ``pos``: back over name characters (and
    short bracketed parts such as 乡（镇）) until a stop word or punctuation, or
    the end of another body with the same head (某领导小组 + 某领导小组)."""
    i = pos
    by_last, stops = r.stops_by_last, r.stops
    head_last = head[-1:]  # another head can end here only on its last character
    while i > floor and pos - i < MAX_BODY:
        c = text[i - 1]
        if c == head_last and i < pos and text.endswith(head, floor, i):
            break
        if c in CLOSE_BRACKETS:
            j = i - 2
            while j >= floor and i - j <= MAX_BRACKET and text[j] not in OPEN_BRACKETS:
                j -= 1
            if (
                j < floor
                or text[j] not in OPEN_BRACKETS
                or j == floor
                or not "\u4e00" <= text[j - 1] <= "\u9fff"
            ):
                break
            i = j
            continue
        if not "\u4e00" <= c <= "\u9fff":
            break
        lengths = by_last.get(c)
        if lengths:
            for n in lengths:
                if i - n >= floor and text[i - n : i] in stops:
                    if not (
                        (c == "各" and text[i] == "级")
                        or text.startswith(r.keep, i - 1)
                        or (
                            n == 1
                            and c in r.compounds
                            and in_compound(text, i - 1, r.compounds)
                        )
                    ):
                        return i  # a stop word ends here
                    break
        i -= 1
    return i


def _trim(text: str, start: int, end: int, r: Rules) -> int:
    """Past words that cannot open a name (a verb the stop list lacks: 引起, 加大)."""
    return trim_lead(text, start, end, r.cues) if end > start else start


def _drop_determiners(text: str, start: int, end: int, r: Rules) -> int:
    while True:
        m = r.determiner_rx.match(text, start, end)
        if m is None or end - start <= m.end() - start:
            return start
        start = m.end()


def _category(m: re.Match[str], r: Rules) -> str:
    return r.categories[m.lastindex - 1] if m.lastindex else "部门"


def _find(
    ctx: Context,
    sent: Sentence,
    r: Rules,
    cited: Spans,
    found_by: dict[str, dict],
) -> list[Body]:
    text = ctx.text
    found: list[Body] = []
    at = sent.index
    for m in found_by["heads"].get(at, ()):
        hs, he = m.span()
        if cited.holds(hs):
            continue
        head = m.group()
        start = _walk_left(text, hs, sent.start, r, head)
        start = _drop_determiners(
            text, _trim(text, _drop_determiners(text, start, he, r), hs, r), he, r
        )
        if (
            start == hs
            and head in ("单位", "企业")
            and hs - 3 >= sent.start
            and text[hs - 3] == "、"
            and CJK.match(text, hs - 2)
            and CJK.match(text, hs - 1)
            and not r.determiner_rx.match(text, hs - 2)
        ):
            start = hs - 2  # 生产、经营、使用单位: the verb is a conjunct of the name
        name = text[start:he]
        # (the two patterns below need 级 and a closing 政府: most names have neither)
        n_levels = N_LEVELS.search(name) if "级" in name else None
        if n_levels:
            name = name[: n_levels.start()] + name[n_levels.end() :]
        body = Body(start, he, name, _category(m, r), head, "body.head")
        level_pair = PARTY_GOV_LEVEL.match(name) if name.endswith("政府") else None
        if level_pair:
            # 县委县政府 / 市委、市政府: the party committee and the government of one level
            pre, lvl = level_pair.group("pre"), level_pair.group("lvl")
            wei = start + len(pre) + 2
            found.append(Body(start, wei, pre + lvl + "委", "党委", "委", "body.split"))
            found.append(
                Body(wei, he, pre + lvl + "政府", "政府", "政府", "body.split")
            )
            continue
        if name.endswith(PARTY_AND_GOVERNMENT) and len(name) > 4:
            # 某镇党委政府: the party committee and the government, each with the place
            place = name[:-4]
            if not (_pure_level(place, r) or PLACE_END.search(place)):
                continue
            found.append(
                Body(start, he - 2, place + "党委", "党委", "党委", "body.split")
            )
            found.append(Body(start, he, place + "政府", "政府", "政府", "body.split"))
            continue
        found.append(body)
        if start > sent.start and (
            text[start - 1] in COORD_LAST
            or _after_list_determiner(text, start, sent.start, r) < start
        ):
            # (_coordinated's own first test, asked here: most bodies stand alone)
            found.extend(_coordinated(text, body, sent.start, r))
    for m in found_by["whole"].get(at, ()):
        # 县级以上人民政府 + 负有…职责的部门: a body or level before it is part of the name
        start = _drop_determiners(
            text, _walk_left(text, m.start(), sent.start, r), m.end(), r
        )
        left = text[start : m.start()]
        for (
            d
        ) in r.determiners:  # 人民政府其他负有…的部门: an inner determiner is dropped
            if left.endswith(d):
                left = left[: -len(d)]
                break
        if m.group().startswith(KINDS_OF):
            pass  # 危险物品 + 的生产、经营…单位: the kind is part of the name
        elif not (_ends_with_head(left, 0, len(left), r) or _pure_level(left, r)):
            start, left = m.start(), ""
        name = left + m.group()
        cat = (
            "部门"
            if name.endswith("部门")
            else "企业"
            if name.endswith(("单位", "企业"))
            else "属地"
        )
        body = Body(start, m.end(), name, cat, name[-2:], "body.whole")
        found.append(body)
        found.extend(_coordinated(text, body, sent.start, r))
    for m in found_by["direct"].get(at, ()):
        # 省市直单位 → 省直单位, 市直单位; 区直及驻区各单位 → 区直单位, 驻区单位
        levels, head = m.group("levels"), m.group("head")
        found = [b for b in found if not (m.start() <= b.start and b.end <= m.end())]
        for i, level in enumerate(levels):
            found.append(
                Body(
                    m.start() + i,
                    m.end("levels") + 1,
                    level + "直" + head,
                    "部门",
                    head,
                    "body.split",
                )
            )
        if m.group("stationed"):
            found.append(
                Body(
                    m.start("stationed"),
                    m.end(),
                    "驻" + m.group("stationed") + head,
                    "部门",
                    head,
                    "body.split",
                )
            )
    for m in found_by["units"].get(at, ()):
        found.extend(_unit_list(text, m, sent.start, r))
    for m in found_by["short"].get(at, ()):
        cut = _drop_determiners(m.group(1), 0, len(m.group(1)), r)
        cat = "部门" if m.group(1).endswith(("部门", "机构", "机关")) else "企业"
        found.append(
            Body(m.start(1) + cut, m.end(1), m.group(1)[cut:], cat, "", "body.short")
        )
    for m in found_by["actor"].get(at, ()):
        # 某区召开… / 某街道在某地举行…: anchored on the verb, the place read backwards
        end = m.start()
        zai = text.rfind("在", max(sent.start, end - 15), end)
        if zai >= 0 and not CLAUSE_PUNCT.search(text, zai, end):
            end = zai
        pm = r.place_actor.search(text, max(sent.start, end - 18), end)
        if pm is None:
            continue
        s = max(_walk_left(text, pm.end(1), sent.start, r), pm.start(1))
        s = _trim(text, s, pm.end(1) - 1, r)
        if pm.end(1) - s >= 2 and not text.startswith(("我", "全", "本"), s):
            found.append(
                Body(s, pm.end(1), text[s : pm.end(1)], "属地", "", "body.place")
            )
    return found


def _after_list_determiner(text: str, pos: int, floor: int, r: Rules) -> int:
    """Where a list closed by 等 ends before ``pos`` when determiners stand
    between (交通运输、水利等有关部门, 公安、建设等其他有关部门); ``pos`` if none do."""
    if text.find("等", max(floor, pos - 7), pos) < 0:
        return pos  # (one C call rules out the usual case)
    i = pos
    for _ in range(3):
        if i <= floor or text[i - 1] not in r.determiner_last:
            break
        d = next((d for d in r.determiners if text.startswith(d, i - len(d))), None)
        if d is None or i - len(d) <= floor:
            break
        i -= len(d)
        if text[i - 1] == "等":
            return i
    return pos


def _unit_list(text: str, m: re.Match[str], floor: int, r: Rules) -> list[Body]:
    """机关、团体、企业、事业等单位 → 机关, 团体, 企业, 事业单位; 工会、共产主义青年团、
    妇女联合会等团体 → each: a list of bodies closed by their kind.  A list
    closed by 等单位 whose items are not all kinds of units (学校、科研机构…)
    names places or trades, not bodies."""
    head = m.group("head")
    end = m.start("head") - 1  # the 等
    # back over the items before: each stops at 、 (walk_left stops at punctuation)
    items: list[tuple[int, int]] = [(m.start() + 1, end)]
    pos = m.start()
    while pos > floor and text[pos] == "、" and len(items) < 12:
        s = _walk_left(text, pos, floor, r)
        if s >= pos:
            return []
        items.append((s, pos))
        pos = s - 1
    items.reverse()
    out: list[Body] = []
    for s, e in items:
        s = _drop_determiners(text, s, e, r)
        item = text[s:e]
        if head == "单位":
            if item not in r.unit_kinds:
                return []
            if item in r.unit_kinds_headed:
                out.append(Body(s, m.end(), item + head, "企业", head, "body.split"))
                continue
        elif not 2 <= len(item) <= 10:
            return []
        category = "企业" if item.endswith(("企业", "单位")) else "部门"
        out.append(Body(s, e, item, category, "", "body.split"))
    return out if len(out) > 1 else []


def _level_prefix(name: str, r: Rules) -> str:
    m = r.levels.match(name)
    return m.group() if m else ""


def _pure_level(part: str, r: Rules) -> bool:
    return _level_prefix(part, r) == part


def _coordinated(text: str, body: Body, floor: int, r: Rules) -> list[Body]:
    """Conjuncts before ``body`` that share its head (or lack its prefix)."""
    out: list[Body] = []
    pos = body.start
    if body.rule == "body.head" and pos > floor and text[pos - 1] not in COORD_LAST:
        pos = _after_list_determiner(text, pos, floor, r)  # 水利、民航等有关部门
    if pos <= floor or (text[pos - 1] not in COORD_LAST and body.rule != "body.whole"):
        return out  # nothing coordinated before it (the usual case)
    head = body.head
    core = body.name[: len(body.name) - len(head)]
    conjuncts: list[tuple[int, int]] = []
    listed = False  # 公安、交通运输、港口等部门: the conjuncts stand before 等
    if body.rule == "body.whole" and body.category != "部门":
        return out
    if body.rule == "body.whole":
        # 公安、建设等其他负有…职责的部门: the list shares the bare head
        for d in r.determiners:
            if text.startswith(d, pos - len(d)):
                pos -= len(d)
                break
        core = ""
        if not (pos > floor and text[pos - 1] == "等"):
            return out
    if not core and pos > floor and text[pos - 1] == "等":
        pos -= 1
        s = _walk_left(text, pos, floor, r)
        if pos - s >= 1:
            conjuncts.append((s, pos))
            pos, listed = s, True
    while pos > floor:
        sep = next((c for c in COORD if text.startswith(c, pos - len(c))), None)
        if sep is None:
            break
        right = pos - len(sep)
        s = _walk_left(text, right, floor, r)
        if s >= right:
            break
        conjuncts.append((s, right))
        pos = s
        if _ends_with_head(text, s, right, r):
            break  # a whole body of its own: the chain ends there
    if not conjuncts:
        return out
    conjuncts.reverse()
    first_s, first_e = conjuncts[0]
    first = text[_drop_determiners(text, first_s, first_e, r) : first_e]
    if _ends_with_head(text, first_s, first_e, r) and len(conjuncts) > 1:
        # 公安机关、应急管理等部门: a whole body opens the list and stands alone
        conjuncts = conjuncts[1:]
        first_s, first_e = conjuncts[0]
        first = text[_drop_determiners(text, first_s, first_e, r) : first_e]
    if _ends_with_head(text, first_s, first_e, r):
        if len(conjuncts) > 1:
            return out
        # 自治区党委、政府 / 自治区应急管理厅、水利厅: the last lacks the first's level
        prefix = _level_prefix(first, r)
        for word in ("人民政府", "政府", "党委"):
            if prefix.endswith(word):  # the level only: 县级以上各级(党委)
                prefix = prefix[: -len(word)]
        if (
            prefix
            and not _level_prefix(body.name, r)
            and not body.name.startswith(LEVEL_BODIES)
            and (not core or not PLACE_INSIDE.search(core) and text[first_e] == "、")
        ):
            body.name = prefix + body.name
        return out
    parts = []
    for s, e in conjuncts:
        part = text[_drop_determiners(text, s, e, r) : e]
        bare = (
            part[len(_level_prefix(part, r)) :]
            if part != first
            else first[len(_level_prefix(first, r)) :]
        )
        # a post or a body inside a conjunct: not a list of names sharing a head
        if (
            not part
            or len(part) > 14
            or r.heads.search(bare)
            or r.posts.search(part)
            or (
                BRACKETS.search(part)
                and not (LEVEL_BRACKET.match(part) and body.category == "政府")
            )
        ):
            return out
        parts.append((s, e, part))
    if not core and not listed:
        # 镇、街道办事处: a level before a whole body is a body of its own
        for s, e, part in parts:
            if _pure_level(part, r) and len(part) >= 1:
                out.append(Body(s, e, part, "属地", "", "body.split"))
        return out
    if (
        body.category == "企业"
        and all(len(p) <= 2 for _, _, p in parts[1:])
        and len(core) <= 2
    ):
        if any(p.endswith("人") for _, _, p in parts):
            return out  # 设计人、设计单位: a person beside the unit, not one class
        # 烟花爆竹生产、经营、运输企业: one class of units, not three
        return [
            Body(
                first_s,
                body.end,
                text[first_s : body.end],
                body.category,
                head,
                "body.head",
            )
        ]
    prefix = _level_prefix(first, r) if len(first) > 1 else ""
    level = LEVELS.match(body.name)  # always matches, maybe nothing
    own_level = level.group() if level and body.rule != "body.whole" else ""
    for s, e, part in parts:
        if _pure_level(part, r):
            # 市、区应急管理部门: a bare level takes the whole name after the level
            name = part + body.name[len(own_level) :]
        elif part == first or _level_prefix(part, r):
            name = part + head
        else:
            name = prefix + part + head
        if part == prefix:
            continue
        out.append(Body(s, e, name, body.category, head, "body.split"))
    if body.rule == "body.whole":
        return out
    if prefix and core and not own_level and first != prefix:
        body.name = prefix + core + head
    return out


def _bare(name: str, r: Rules) -> bool:
    """A head alone (部门, 人民政府) or a generic name: it says nothing about where a body starts."""
    return r.heads.fullmatch(name) is not None or _generic(name, r) or len(name) <= 2


def _name_part(left: str, r: Rules) -> bool:
    """Can ``left`` open a body's name before a known body (县 + 住建局,
    自治区 + 应急管理厅, 某某区 + 市场监管局)?  An inner determiner between
    them is no part of either (人民政府 + 其他 + 负有…职责的部门)."""
    for d in r.determiners:
        if left.endswith(d) and len(left) > len(d):
            left = left[: -len(d)]
            break
    return (
        not left
        or _pure_level(left, r)
        or _ends_with_head(left, 0, len(left), r)
        or PLACE_END.search(left) is not None
    )


def _ends_with_head(text: str, s: int, e: int, r: Rules) -> bool:
    for m in r.heads.finditer(text, max(s, e - 8), e):
        if m.end() == e:
            return True
    return False


def _resolve(bodies: list[Body]) -> list[Body]:
    """Drop bodies inside a longer one read from the same text (市委 in 市委常委会)."""
    if len(bodies) < 2:
        return bodies  # the usual case: nothing to compare
    kept: list[Body] = []
    heads = sorted(
        (b for b in bodies if b.rule != "body.split"), key=lambda b: (b.start, -b.end)
    )
    for b in heads:
        if any(
            k.start <= b.start
            and b.end <= k.end
            and (k.start, k.end) != (b.start, b.end)
            for k in kept[-6:]
        ):
            continue
        if any((k.start, k.end) == (b.start, b.end) for k in kept[-6:]):
            continue
        kept.append(b)
    # 市、区县人民政府安全生产监督管理部门: of two splits of one conjunct, the
    # longer body's (the shorter came from the 人民政府 inside it)
    splits = sorted(
        (b for b in bodies if b.rule == "body.split"), key=lambda b: -len(b.name)
    )
    seen = {(b.start, b.end) for b in kept}
    for b in splits:
        if (b.start, b.end) not in seen:
            kept.append(b)
            seen.add((b.start, b.end))
    return kept


@component(
    "bodies",
    rules=["body.head", "body.whole", "body.short", "body.split", "body.place"],
)
def find_bodies(ctx: Context) -> None:
    """Organisations by shape: prefix + name + head, coordinated ones expanded."""
    r = _rules(ctx.cues)
    lex: Lexicon = ctx.lexicon
    text = ctx.text
    cited = ctx.citations()
    replaced: set[int] = set()
    found_by = {
        name: ctx.by_sentence(rx)
        for name, rx in (
            ("heads", r.heads),
            ("whole", r.whole),
            ("direct", r.direct_units),
            ("units", r.unit_lists),
            ("short", r.short_names),
            ("actor", r.actor_verbs),
        )
    }
    busy = sorted({i for found in found_by.values() for i in found})
    for sent in (ctx.sentences[i] for i in busy):
        bodies = _resolve(_find(ctx, sent, r, cited, found_by))
        if not bodies:
            continue
        others = ctx.in_sentence(sent.index)
        # the sentence's mentions by kind, once for all its bodies
        naming = [o for o in others if o.kind in ("responsibility", "role", "task")]
        organizations = [o for o in others if o.kind == "organization"]
        for b in bodies:
            name = b.name
            if len(name) < 2 and b.rule != "body.split" or r.not_body.search(name):
                continue
            # a responsibility term, title or role names this text: not a body here
            if any(o.start <= b.start and b.end <= o.end for o in naming):
                continue
            lexical = [o for o in organizations if o.start < b.end and b.start < o.end]
            if any(
                o.start <= b.start
                and b.end <= o.end
                and not COORDINATED.search(o.surface)
                for o in lexical
            ):
                continue  # the lexicon already has this whole body
            if any(
                o.end == b.end
                and not _bare(o.surface, r)
                and not _name_part(text[b.start : o.start], r)
                for o in lexical
            ):
                continue  # 仅靠应急局: the walk crossed words the stop list lacks
            for o in lexical:
                replaced.add(id(o))
            entry = lex.lookup("organization", name)
            category = (
                entry.category
                if entry
                else ("泛指" if name in r.generic else b.category)
            )
            canonical = entry.name if entry and b.rule != "body.split" else name
            ctx.add_mention(
                Mention(
                    "organization",
                    canonical,
                    text[b.start : b.end],
                    b.start,
                    b.end,
                    sent.index,
                    b.rule,
                    category=category,
                )
            )
    if replaced:
        ctx.drop_mentions(lambda m: id(m) in replaced)


def _is_unit_class(m: Mention) -> bool:
    """企业, 生产经营单位, 危险化学品单位 …: a class of units, not one named body."""
    return m.category == "企业" and m.name.endswith(("企业", "单位"))


def listed_organizations(result: DocumentResult, lexicon: Lexicon) -> list[str]:
    """The organisations of one document as the contract lists them: as
    written (less 各/有关 …; a coordinated one with its shared parts
    expanded), without bare 部门/单位; a class of units (企业, 生产经营单位)
    only where it holds a duty — it bears a responsibility, is the subject of a
    duty verb, or is the holder a compound term names (企业主体责任)."""
    from kgraph.extract.duties import reads_formally

    cues, known, text = lexicon.cues, lexicon.surfaces(), result.document.text
    speech = not reads_formally(Context(result.document, result.sentences, lexicon))
    in_speech = cues.regex("body_listed_in_speech")
    duty = cues.regex("body_duty_cues")
    attending = cues.regex("body_unit_attending")
    site = cues.regex("body_site_after")
    taking_part = cues.regex("body_territory_takes_part")
    heading = cues.regex("body_heading")
    urged = re.compile(cues.alternation("body_urged"))
    not_holder = cues.regex("body_holder_not")
    relative = cues.regex("body_relative")
    holder_agent = re.compile(".*" + cues.alternation("body_holder_agent"))
    holders = {f.subject[1] for f in result.facts if f.type == schema.BEARS}
    out: list[str] = []
    for m in result.mentions:
        if m.kind == "responsibility":
            entry = lexicon.lookup("responsibility", m.surface) or lexicon.lookup(
                "responsibility", m.name
            )
            org = (
                lexicon.lookup("organization", entry.holder)
                if entry and entry.holder
                else None
            )
            if (
                entry is not None
                and org is not None
                and org.category == "企业"
                and not text.startswith(entry.holder, m.start - len(entry.holder))
            ):
                out.append(entry.holder)
            continue
        if m.kind != "organization":
            continue
        # a speech lists 有关部门 as a body; a statute leaves it a reference
        generic = in_speech.match(m.surface) if speech else None
        if generic:
            out.append(generic.group("name"))
            continue
        if not is_listed(m, cues):
            continue
        if (
            not speech
            and m.category == "属地"
            and m.rule == "term.lexicon"
            and (text.startswith("、", m.end) or text.endswith("、", 0, m.start))
            and PLACE_LIST_TAIL.match(text, m.end)
        ):
            continue  # 开发区、工业园区、港区等应当…: a list of places, no body named (statutes rule 6)
        # the holder as written: 企业 bearing a duty elsewhere does not list 中小企业
        as_written = m.name if m.rule.startswith("body.") else m.surface
        if (
            _is_unit_class(m)
            and attending.match(text, m.end)
            or site.match(text, m.end)
        ):
            continue
        if (
            (
                _is_unit_class(m)
                # a territory's government (属地政府) is a body like any other
                or m.category == "属地"
                and m.rule != "body.place"
                and not as_written.endswith(BARE_GOVERNMENT)
            )
            and as_written not in holders
            and not _holds_duty(text, m, duty, heading, urged)
            and not (
                speech
                and m.category == "属地"
                and taking_part.match(text, m.end, _sentence_end(text, m.end))
            )
        ):
            continue
        if m.rule.startswith("body."):
            written = m.name
        elif m.rule.startswith("duty.") and not_holder.search(m.name):
            # a holder read over a clause: 由同级人民政府, 将其制定的预案报送…
            agent = holder_agent.search(m.name)
            if agent is None or not_holder.search(m.name, agent.end()):
                continue
            written = m.name[agent.end() :]
            if len(written) < 2 or not _ends_with_head(
                written, 0, len(written), _rules(cues)
            ):
                continue
        elif m.rule.startswith("duty.") and "的" in m.name:
            # 生产经营单位的工会, 住宅区的物业服务企业: the body is what follows the
            # owner (负责…的部门 stays whole: its tail is a bare head)
            tail = m.name[m.name.rindex("的") + 1 :]
            r = _rules(cues)
            written = (
                tail
                if len(tail) >= 2
                and not _generic(tail, r)
                and _ends_with_head(tail, 0, len(tail), r)
                else m.name
            )
        elif m.surface in BARE_GOVERNMENT:
            continue  # 政府 alone from the lexicon: 政府监管, 政府网 …
        elif m.surface in known:
            written = m.surface  # a lexicon name keeps its own 各 (各界志愿者联合会)
        else:
            bare = m.surface[
                _drop_determiners(m.surface, 0, len(m.surface), _rules(cues)) :
            ]
            if _generic(bare, _rules(cues)):
                continue  # 各部门, 各级各部门: 部门 with determiners
            # a lexicon surface is a name as written (各界联合会 keeps its 各)
            written = m.surface if m.surface in known else bare
        if relative.search(written):
            continue  # 同级人民政府, 上一级人民政府: a pointer at a body named elsewhere
        if _generic(written, _rules(cues)) or _rules(cues).not_body.search(written):
            continue  # a lexicon alias may name a meeting or an outlet (市委会)
        levels = LEVEL_PAIR.match(written)
        if levels:  # 市区两级安委会办公室: one body at each level
            out.extend(level + levels.group(3) for level in levels.group(1, 2))
            continue
        out.append(written)
    return list(dict.fromkeys(out))


# the rest of a list of places closed by 等 after one of its items
PLACE_LIST_TAIL = re.compile(r"(?:、[^、，,。；;：:]{1,10})*等")


def _sentence_end(text: str, pos: int) -> int:
    end = text.find("。", pos)
    return len(text) if end < 0 else end


LEVEL_PAIR = re.compile(r"^([省市县区乡镇])([省市县区乡镇])两级(.{2,})$")


CLAUSE_END = re.compile(r"[,，。;；:：!?！？\n]")


def _holds_duty(
    text: str,
    m: Mention,
    duty: re.Pattern[str],
    heading: re.Pattern[str],
    urged: re.Pattern[str],
) -> bool:
    """A duty word later in the unit's own clause (…单位应当…, …单位的主要负责人对…负责),
    or the unit standing alone as a list heading (（四十）某某单位。).  Not the
    object of a preposition (对电镀园区的检查，要…: the duty is someone else's)."""
    if text.endswith(("对", "对于", "针对", "把"), 0, m.start):
        return False
    if m.category == "属地" and urged.search(text, max(0, m.start - 6), m.start):
        return True  # 督促各县（市、区）抓好整改: the duty is handed to the territory
    pos = m.end
    for _ in range(
        4
    ):  # 甲单位，乙单位，以及丙单位，应当…: a subject spread over clauses
        end = CLAUSE_END.search(text, pos)
        stop = end.start() if end else len(text)
        if duty.search(text, pos, stop):
            return True
        if end is None or text[stop] not in ",，":
            break
        nxt = CLAUSE_END.search(text, stop + 1)
        clause = text[stop + 1 : nxt.start() if nxt else len(text)]
        if not (
            clause.endswith(("单位", "企业"))
            or clause.startswith(("应当", "应", "要", "必须"))
        ):
            break
        pos = stop + 1
    end = CLAUSE_END.search(text, m.end)
    line_start = text.rfind("\n", 0, m.start) + 1
    return heading.fullmatch(text, line_start, m.start) is not None and (
        end is None or text[end.start()] in "。:：\n"
    )


def is_listed(mention: Mention, cues: Cues) -> bool:
    """Whether an organisation mention names a body worth listing (not bare 部门/单位)."""
    r = _rules(cues)
    written = mention.name if mention.rule.startswith("body.") else mention.surface
    return not _generic(written, r)


def _generic(name: str, r: Rules) -> bool:
    return name in r.generic or r.generic_shape.search(name) is not None
