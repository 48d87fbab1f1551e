"""How responsibility is handed down: CHAIN edges of four kinds.

The kinds and when a text states one follow the development-set conventions
(``docs/schema.md``): both ends are bodies or roles *named* in one clause, or
in a list heading and one of its items.

- 层级: administrative levels handed down, upper → lower, consecutive pairs in
  text order: levels coordinated before one head (市和区人民政府, 市、县、乡三级),
  coordinated government subjects of different levels, parallel clauses
  (国务院统一领导…, 县级以上地方人民政府统一领导…), a lower level reporting to an
  upper one (村民委员会…向乡(镇)人民政府报告), and a signed 责任书 (the signer's
  body → each lower level or enterprise that signs).
- 领导分工: 主要负责人 → 分管/其他负责人, 州长 → 副州长, in one sentence or a
  list heading and its item.
- 党政同责: a party body and a government body sharing one duty as one subject
  (各级党委和政府主要负责人对…负总责).  The bare slogan 党政同责、一岗双责 names no
  bodies and makes no edge.
- 督促: a clause's subject supervising, urging, guiding or checking a named
  lower body (督促生产经营单位…, 对下级人民政府…进行考核); it wins over 层级.

Chain ends are found by :func:`find_bodies` and :func:`subject_at`, a small
structural matcher (noun phrase ending in a body head from the cue tables);
they are the one place to swap in a shared body recogniser.  Every cue word
lives in ``kgraph/rules/chains.toml``.

Why one module of this size: the four kinds share one pass over the lines,
one subject matcher and one emitter that settles which kind wins when two
rules see the same pair; splitting by kind would split that pass.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from kgraph import schema
from kgraph.errors import InputError
from kgraph.extract.context import Context, component
from kgraph.ruleset import Cues, may_match, needed_chars

CJK = "\u4e00-\u9fff"
_CJK_CHAR = re.compile(f"[{CJK}]")
_LEVEL_JOIN = re.compile(r"(?:和|、|或者|及)")
CLAUSE_PUNCT = set(",，;；:：。!?！？\n")
COMMA = set(",，")
SEPARATORS = re.compile(r"以及|及其|或者|[和及与、,，]")
# the separators a name without a head may run across (烟花爆竹生产、经营、储存单位)
CARRY_SEPARATORS = frozenset(("、", "和", "或者"))
ITEM_START = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十百\d]+[)）]|[一二三四五六七八九十百]+[、.．]|\d+[.、．]|\d+\s)"
)
HEADING_END = re.compile(r"[:：]\s*$")
SUBJECT_MAX = 80
CLAUSE_BREAKS = ",，;；。!?！？"
# a subject noun phrase runs past none of these (a clause break, a colon, a line end)
SUBJECT_BREAK = re.compile("[" + re.escape(CLAUSE_BREAKS + ":：\n") + "]")
OBJECT_MAX = 60
# how many sentences back a parallel clause may stand (国务院X…。国务院有关部门…。县级以上地方X…)
PARALLEL_REACH = 3
N_LEVELS = re.compile(r"[两二三四五六]级")
_CLAUSE_END = re.compile("[" + re.escape(CLAUSE_BREAKS) + "]")

KIND_LEVEL, KIND_LEAD, KIND_PARTY, KIND_URGE = "层级", "领导分工", "党政同责", "督促"


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see kgraph.model
class Body:
    """A body or role named in the text: ``text`` is ctx.text[start:end] unless
    the name was completed (a shared head or prefix copied onto it)."""

    text: str
    start: int
    end: int


class _Rules:
    """The chains cue tables of one ruleset, compiled once per ruleset."""

    def __init__(self, c: Cues) -> None:
        heads = c.alternation("chain_body_heads")
        # a class of first characters lets the scan skip most positions cheaply
        self.head_at = re.compile(
            f"(?={_first_chars(c.words('chain_body_heads'))})(?=({heads}))"
        )
        self.ends_with_head = re.compile(f"(?:{heads})$")
        self.party = c.regex("chain_party_heads")
        self.government = c.regex("chain_government_heads")
        self.unit = c.regex("chain_unit_heads")
        self.subunit = c.regex("chain_subunit_heads")
        self.subunit_ranks = [re.compile(i) for i in c.words("chain_subunit_heads")]
        self.levels = [
            re.compile(f"^(?:各级|各)?(?:{item})") for item in c.words("chain_levels")
        ]
        self.level_before_head = [
            re.compile(f"(?:{item})(?:人民)?(?:{heads})$")
            for item in c.words("chain_levels")
        ]
        level_words = c.alternation("chain_level_words")
        bracketed = f"(?:{level_words})(?:[(（][^)）]{{1,8}}[)）])?"
        self.level_word = re.compile(f"^(?:各级|各)?({bracketed})$")
        # 乡镇(街道)做好…: a level named alone as the object of a supervision
        self.level_object = re.compile(bracketed)
        self.level_clause = re.compile(
            f"(?:^|(?<=[,，;；。:：!?！？\n]))[ \t]*({bracketed})(?={c.alternation('chain_predicates')})",
            re.M,
        )
        # 各乡镇(街道), 各县(市、区): bodies named by their level alone
        self.level_subject = re.compile(
            f"[“\"‘']?各(?:{level_words})(?:[(（][^)）]{{1,8}}[)）])?"
        )
        # a level word may carry a bracketed qualifier: 区(县), 乡(镇), 县(市、区)
        level_item = f"(?:{level_words})(?:[(（][^)）]{{1,8}}[)）])?"
        self.level_run = re.compile(
            f"(?={_first_chars(('各', '本') + c.words('chain_level_words'))})(?:各|本)?({level_item})((?:(?:和|、|或者|及)?{level_item})+)({N_LEVELS.pattern})?"
        )
        self.level_token = re.compile(level_item)
        self.relative = [re.compile(i) for i in c.words("chain_relative_levels")]
        self.generic = c.regex("chain_generic_bodies")
        preds = c.alternation("chain_predicates")
        self.predicate = re.compile(
            rf"[”\"’' \t]*(?:[(（][^)）\n]{{0,30}}[)）])?[ \t]*[,，:：]?[ \t]*{preds}"
        )
        self.supervise = re.compile(
            f"{c.alternation('chain_supervise_verbs')}(?:(?:{c.alternation('chain_supervise_glue')})*{c.alternation('chain_supervise_verbs')})*"
        )
        self.glue = re.compile(f"(?:{c.alternation('chain_supervise_glue')})+")
        self.stop = re.compile(f"\\s*(?:{c.alternation('chain_object_stops')}|{preds})")
        self.trim = [re.compile(i) for i in c.words("chain_end_trim")]
        self.strip_tail = c.regex("chain_end_strip_tail")
        self.principal = c.regex("chain_principal_roles")
        # a line with none of these holds no principal role: its sentences are not scanned
        self.principal_need = needed_chars(self.principal)
        self.deputy = c.regex("chain_deputy_roles")
        self.deputy_title = c.regex("chain_deputy_title")
        # a sentence with none of these (副) holds no deputy title
        self.deputy_need = needed_chars(self.deputy_title)
        self.pledge = c.regex("chain_pledge_cues")
        self.pledge_handed = c.regex("chain_pledge_handed")
        self.pledge_adverbs = re.compile(
            f"(?:{c.alternation('chain_pledge_adverbs')})+$"
        )
        # verbs of two or more characters that end a name on its left (实行县政府与…)
        self.left_stops = re.compile(
            "|".join(
                re.escape(w)
                for w in sorted(c.words("body_left_stops"), key=len, reverse=True)
                if len(w) >= 2
            )
        )
        self.leads = re.compile(
            rf"(?:\s|{c.alternation('chain_subject_leads')}|[,，:：])*"
        )
        self.subject_breaks = c.regex("chain_subject_breaks")
        self.not_after = re.compile(
            f"(?:{c.alternation('chain_supervise_not_after')})$"
        )
        self.verb_noun = re.compile(c.alternation("chain_supervise_nouns"))
        self.predicate_start = re.compile(preds)
        self.heading_title = c.regex("chain_heading_titles")
        self.owner_before = re.compile(
            f"([{CJK}、]{{2,20}}?(?:{heads}))[{CJK}]{{1,6}}的"
        )
        self.heading_title_need = needed_chars(self.heading_title)
        pairs = [item.split("=", 1) for item in c.words("chain_title_bodies")]
        bad = [item for item in c.words("chain_title_bodies") if "=" not in item]
        if bad:
            raise InputError(
                f"cue table [chain_title_bodies]: item {bad[0]!r} is not title=body"
            )
        self.title_bodies = dict(
            sorted(((t, b) for t, b in pairs), key=lambda p: -len(p[0]))
        )
        self.title_body = re.compile("|".join(re.escape(t) for t in self.title_bodies))
        party = c.alternation("chain_party_words")
        gov = c.alternation("chain_government_words")
        lvl = (
            "["
            + "".join(re.escape(w) for w in c.words("chain_level_words") if len(w) == 1)
            + "]"
        )
        bracket = r"(?:[(（][^)）]*[)）])?"
        # 某镇党委政府, 各级党委和政府主要负责人, 县委、县政府: a party and a government body as one subject
        self.party_gov_compound = re.compile(
            f"(?:各级|[{CJK}]{{0,4}}?{level_words})?(?:{party}|{lvl}委){bracket}(?:和|、|与|及)?{lvl}?{gov}"
        )
        self.party_gov_split = re.compile(
            f"^(?P<pre>.*?)(?P<party>{party}|(?P<lvl>{lvl})委){bracket}(?:和|、|与|及)?(?P<pre2>{lvl})?(?P<gov>{gov}){bracket}(?P<role>.*)$"
        )
        self.role_end = re.compile(f"(?:{c.alternation('chain_role_heads')})$")
        self.not_principal = re.compile(
            f"(?:{c.alternation('chain_principal_not_after')})$"
        )
        self.heading_verbs = c.regex("chain_heading_verbs")
        self.determiners = re.compile(f"^(?:{c.alternation('chain_determiners')})+")
        self.report = c.regex("chain_report_verbs")
        self.found = c.regex("chain_found_cues")
        self.duty_supervise = c.regex("chain_duty_supervise_verbs")
        self.party_gov_not_before = re.compile(
            c.alternation("chain_party_government_not_before")
        )
        self.feedback = re.compile(
            f"(?:{c.alternation('chain_feedback_leads')})(?P<body>[{CJK}()（）]{{1,16}}?(?:{heads}))"
            f"[{CJK}]{{0,6}}?{c.alternation('chain_supervise_verbs')}"
        )
        self.rectify = c.regex("chain_rectify_verbs")
        self.relative_body = c.regex("chain_relative_bodies")
        self.relative_owned = re.compile(f"(?:{c.alternation('chain_owned_bodies')})$")
        self.passive = c.regex("chain_passive_cues")
        self.count_prefix = re.compile(f"(?:{c.alternation('chain_count_prefixes')})")
        # 镇抓村、村抓企业: each level taking hold of the one below
        grip_end = (
            f"(?:{level_words}|{c.alternation('chain_unit_heads').replace('$', '')})"
        )
        self.grip_verbs = c.words("chain_grip_verbs")
        self.grip = re.compile(
            f"(?<![{CJK}])({grip_end})(?:{c.alternation('chain_grip_verbs')})({grip_end})(?![{CJK}])"
        )
        self.pledge_modals = re.compile(f"(?:{c.alternation('chain_pledge_modals')})")
        self.heading_role = re.compile(
            f"[{CJK}]{{0,12}}?(?:{c.alternation('chain_heading_roles')})"
        )
        scopes = [item.split("=", 1) for item in c.words("chain_parallel_scopes")]
        if any(len(p) != 2 for p in scopes):
            raise InputError(
                "cue table [chain_parallel_scopes]: every item is upper=lower"
            )
        self.scopes = [(u, lo) for u, lo in scopes]
        # 国务院交通运输、…、民航等有关部门 → 国务院有关部门: a level's 等-list of
        # fields before a shared head names that head at that level
        levels = "|".join(f"(?:{item})" for item in c.words("chain_levels"))
        self.level_list = re.compile(
            f"^((?:各级|各)?(?:{levels})(?:地方)?(?:各级)?(?:人民政府)?)[^等]+?等(.+)$"
        )


def _first_chars(words: tuple[str, ...]) -> str:
    return "[" + "".join(re.escape(ch) for ch in sorted({w[0] for w in words})) + "]"


def _rules_for(ctx: Context) -> _Rules:
    return ctx.cues.built("chains", _Rules)


# --- the body matcher (swap point for a shared recogniser) ---------------------------


def _outside_brackets(text: str) -> list[bool]:
    depth, out = 0, []
    for ch in text:
        if ch in "(（":
            depth += 1
        out.append(depth == 0)
        if ch in ")）":
            depth = max(0, depth - 1)
    return out


class _Heads:
    """Where body heads end in one document, and which of them a predicate follows
    (the only places a clause subject can end): one scan of the text, then
    bisections per clause, so clauses without a subject cost next to nothing."""

    def __init__(self, rules: _Rules, text: str) -> None:
        self.rules, self.text = rules, text
        # head end → the latest start of a head ending there (the group opens the
        # zero-width match, and matches come in order: the last one wins)
        starts = {m.end(1): m.start() for m in rules.head_at.finditer(text)}
        self.starts = starts
        self.ends = sorted(starts)
        # a predicate matched at a head's end starts there
        match = rules.predicate.match
        self.pred_ends = [e for e in self.ends if match(text, e)]
        self.pred = frozenset(self.pred_ends)
        self.breaks = [m.start() for m in SUBJECT_BREAK.finditer(text)]
        # 各…/…等 subjects and 党委政府 compounds need these characters
        self.marks = {ch: [m.start() for m in re.finditer(ch, text)] for ch in "各等委"}
        # 乡镇要督促…: a clause opening with a level alone and a predicate
        self.marks["级"] = [m.start(1) for m in rules.level_clause.finditer(text)]
        # the clause breaks are among the subject breaks: no second scan
        self.clause_breaks = [b for b in self.breaks if text[b] in CLAUSE_BREAKS]

    def marks_in(self, ch: str, start: int, end: int) -> list[int]:
        pos = self.marks[ch]
        return pos[bisect.bisect_left(pos, start) : bisect.bisect_left(pos, end)]

    def clauses(self, start: int, end: int) -> list[tuple[int, int]]:
        """The clauses of text[start:end], cut at , ; 。 ! ?"""
        out, pos = [], start
        for b in self.clause_breaks[
            bisect.bisect_left(self.clause_breaks, start) : bisect.bisect_left(
                self.clause_breaks, end
            )
        ]:
            out.append((pos, b))
            pos = b + 1
        if pos < end:
            out.append((pos, end))
        return out

    def clause_end(self, pos: int) -> int:
        """The first clause break at or after pos, passing commas that close a body (…的部门,乡…)."""
        i = bisect.bisect_left(self.breaks, pos)
        while i < len(self.breaks):
            b = self.breaks[i]
            if self.text[b] not in COMMA or b not in self.starts:
                return b
            i += 1
        return len(self.text)

    def within(self, start: int, end: int) -> list[int]:
        lo, hi = (
            bisect.bisect_left(self.ends, start),
            bisect.bisect_right(self.ends, end),
        )
        return [e for e in self.ends[lo:hi] if self.starts[e] >= start]

    def any_subject_end(self, start: int, end: int) -> bool:
        lo = bisect.bisect_left(self.pred_ends, start)
        return lo < len(self.pred_ends) and self.pred_ends[lo] <= end


_CURRENT: list[_Heads | None] = [None]


def _heads(rules: _Rules, text: str) -> _Heads:
    h = _CURRENT[0]
    if h is None or h.rules is not rules or h.text is not text:
        h = _CURRENT[0] = _Heads(rules, text)
    return h


def _head_ends(rules: _Rules, text: str, start: int, end: int) -> list[int]:
    """Offsets where a body head ends in text[start:end] (every head, overlapping)."""
    return _heads(rules, text).within(start, end)


def subject_at(
    ctx: Context, rules: _Rules, pos: int, limit: int
) -> tuple[Body, int] | None:
    """The subject noun phrase of a clause starting at ``pos``: the shortest run
    ending in a body head that a predicate follows (市和区人民政府|应当…).  Commas
    may sit inside it when the bodies go on (…的部门,乡、镇人民政府…,应当).
    Returns the body and where its predicate starts."""
    text = ctx.text
    heads = _heads(rules, text)
    window = min(limit, pos + SUBJECT_MAX + 12, heads.clause_end(pos))
    if (
        not heads.any_subject_end(pos, window)
        and "各" not in text[pos : min(window, pos + 12)]
        and "等" not in text[pos:window]
        and not heads.marks_in("级", pos, pos + 3)
    ):
        return None
    lead = rules.leads.match(text, pos, limit)
    start = lead.end() if lead else pos
    if rules.predicate_start.match(text, start, limit):
        rel = rules.relative_body.match(text, start, limit)
        if rel and rel.end() in heads.pred and rel.end() < limit:
            # 负责特种设备安全监督管理的部门依照…: a body named by its duty
            return Body(rel.group(), start, rel.end()), rel.end()
        return None  # a clause opening with a verb has no subject of its own
    stop = min(limit, start + SUBJECT_MAX)
    for k in SUBJECT_BREAK.finditer(text, start, stop):
        # a comma inside a list of bodies does not end the subject (…的部门,乡、镇人民政府…,应当)
        if not (
            text[k.start()] in COMMA
            and rules.ends_with_head.search(text, start, k.start())
        ):
            stop = k.start()
            break
    lvl = rules.level_subject.match(text, start, stop)
    if lvl and rules.predicate.match(text, lvl.end(), limit):
        return Body(
            text[start : lvl.end()].lstrip("“\"‘'"),
            lvl.end() - len(text[start : lvl.end()].lstrip("“\"‘'")),
            lvl.end(),
        ), lvl.end()
    bare = rules.level_object.match(text, start, stop)
    if bare and heads.marks_in("级", start, start + 1):
        pred = rules.predicate.match(text, bare.end(), limit)
        if pred:
            return Body(bare.group(), start, bare.end()), bare.end()
    for end in _head_ends(rules, text, start, stop + 1):
        if end <= start:
            continue
        if rules.subject_breaks.search(text, start, end):
            return None
        if end in heads.pred and end < limit:
            rel = rules.relative_body.match(text, end, limit)
            if rel and rel.end() in heads.pred and rel.end() < limit:
                # 国务院负责…的部门对…: the subject runs on through the duty naming it
                return Body(text[start : rel.end()], start, rel.end()), rel.end()
            return Body(text[start:end], start, end), end
    # 乡、镇人民政府和街道办事处,以及开发区、港区等应当…: a list closed by 等
    deng = text.find("等", start, stop)
    if deng > start and _head_ends(rules, text, start, deng):
        pred = rules.predicate.match(text, deng + 1, limit)
        if pred and not rules.subject_breaks.search(text, start, deng):
            return Body(text[start : deng + 1], start, deng + 1), pred.start()
    return None


def conjuncts(rules: _Rules, body: Body) -> list[Body]:
    """Split coordinated bodies (乡、镇人民政府和街道办事处 → 乡、镇人民政府 | 街道办事处):
    a separator splits only after a body head, so 市和区人民政府 stays one; a
    list closed by 等 + head keeps its members, or the head alone when the
    members are not bodies; a bare head takes the previous member's prefix
    (县委、政府 → 县委 | 县政府)."""
    text, base = body.text, body.start
    outside = _outside_brackets(text)
    cut = text.rfind("等")
    if cut == len(text) - 1 and cut > 0:
        before = Body(text[:cut], base, base + cut)
        parts = _split(rules, before, outside[:cut])
        members = [b for b in parts if rules.ends_with_head.search(b.text)]
        if members and parts and parts[-1] is not members[-1]:
            # 乡镇人民政府和街道办事处,以及开发区、工业园区、港区等: the members
            # without a head after the last body are one end, named as a list
            last = parts[-1]
            lead = re.match(r"^(?:以及|及|和|、)", last.text)
            skip = lead.end() if lead else 0
            members.append(Body(last.text[skip:] + "等", last.start + skip, body.end))
        return members
    if cut > 0 and outside[cut]:
        before = Body(text[:cut], base, base + cut)
        members = [
            b
            for b in _split(rules, before, outside[:cut])
            if rules.ends_with_head.search(b.text)
        ]
        after = text[cut + 1 :]
        if members:
            return members
        if rules.ends_with_head.search(after):
            return [Body(after, base + cut + 1, body.end)]
        return []
    return _split(rules, body, outside)


def _split(rules: _Rules, body: Body, outside: list[bool]) -> list[Body]:
    text, base = body.text, body.start
    out: list[Body] = []
    piece_start = 0
    for m in SEPARATORS.finditer(text):
        if not outside[m.start()]:
            continue
        left = text[piece_start : m.start()]
        if left and (
            rules.ends_with_head.search(left) or rules.level_subject.fullmatch(left)
        ):
            out.append(Body(left, base + piece_start, base + m.start()))
            piece_start = m.end()
    last = text[piece_start:]
    if last:
        out.append(Body(last, base + piece_start, body.end))
    # a bare head after a prefixed one shares the prefix: 自治区党委、政府
    for i in range(1, len(out)):
        if _is_bare_head(rules, out[i].text):
            shared = re.search(
                f"^(.*?)(?:{rules.ends_with_head.pattern[:-1]})$", out[i - 1].text
            )
            if shared and shared.group(1):
                out[i] = Body(shared.group(1) + out[i].text, out[i].start, out[i].end)
    return out


def _generic(rules: _Rules, text: str) -> bool:
    """Too generic to be a chain end: 有关部门, 各部门, 所属单位 …"""
    return rules.generic.search(rules.determiners.sub("", text) or text) is not None


def _is_bare_head(rules: _Rules, text: str) -> bool:
    m = rules.ends_with_head.search(text)
    return m is not None and m.start() == 0


def _is_government(rules: _Rules, text: str) -> bool:
    return rules.government.search(text) is not None


def trim(rules: _Rules, text: str) -> str:
    """The shortest span naming the body: 本辖区内…以外的生产经营单位 → 生产经营单位."""
    for _ in range(4):
        before = text
        for rx in rules.trim:
            found = None
            for m in rx.finditer(text):
                if m.end() < len(text):
                    found = m
            if found is not None and found.end() < len(text):
                text = text[found.end() :]
        if text == before:
            break
    return text.strip()


def find_bodies(
    ctx: Context, rules: _Rules, start: int, end: int
) -> tuple[list[Body], bool]:
    """Bodies named in an object stretch (after 督促, between 对 and 检查 …), in
    order.  Coordinated members are split; each ends at its head when a stop
    word follows (落实, 的 …).  The flag says whether the stretch went on past
    the last body into a predicate (so nothing after it is an object)."""
    text = ctx.text
    out: list[Body] = []
    outside = _outside_brackets(text[start:end])
    listed = _listed(ctx, rules, start, end, outside)
    if listed is not None:
        return listed
    pieces: list[tuple[int, int, str]] = []
    pos = start
    for sep in SEPARATORS.finditer(text, start, end):
        if outside[sep.start() - start]:
            pieces.append((pos, sep.start(), sep.group()))
            pos = sep.end()
    pieces.append((pos, end, ""))
    carry: int | None = None
    for p0, p1, sep_after in pieces:
        piece = rules.strip_tail.sub("", text[p0:p1].strip())
        lw = rules.level_word.match(piece)
        if lw is None and carry is None:
            count = rules.count_prefix.match(piece)
            if count:
                lw = rules.level_word.match(piece[count.end() :])  # 12个村(社区)
        if lw and carry is None:
            # 各镇、街道办事处, 12个村(社区): a level word names that level's bodies
            out.append(Body(lw.group(1), p1 - len(lw.group(1)), p1))
            continue
        each = (
            (
                rules.level_subject.match(text, p0, p1)
                or rules.level_object.match(text, p0, p1)
            )
            if carry is None
            else None
        )
        if each and rules.stop.match(text, each.end(), end):
            # 对各县区进行检查, 指导乡镇(街道)做好…: a level, then the verb
            name = each.group().lstrip("“\"‘'各")
            out.append(Body(name, each.end() - len(name), each.end()))
            return out, True
        p0 = carry if carry is not None else p0
        found = None
        ends = _head_ends(rules, text, p0, p1)
        for k, h in enumerate(ends):
            if h <= p0:
                continue
            if (
                h == p1
                or rules.stop.match(text, h, end)
                or text[h : h + 1] in CLAUSE_PUNCT
            ):
                found = h
                if text[h : h + 1] == "的":
                    # 管理矿山企业的主管部门贯彻…: a body owned by the one before 的
                    found = next(
                        (
                            h2
                            for h2 in ends[k + 1 :]
                            if h2 - h <= 8
                            and not rules.stop.search(text, h + 1, h2)
                            and rules.relative_owned.match(text, h + 1, h2)
                            and (h2 == p1 or rules.stop.match(text, h2, end))
                        ),
                        h,
                    )
                break
        if found is None:
            # no body yet: 烟花爆竹生产、经营、储存单位 is one name across 、
            plain = not _head_ends(rules, text, p0, p1) and not rules.supervise.search(
                text, p0, p1
            )
            carry = (
                p0
                if plain
                and sep_after in CARRY_SEPARATORS
                and not rules.predicate_start.match(text, p0, p1)
                else None
            )
            continue
        carry = None
        name = trim(rules, text[p0:found])
        name = rules.strip_tail.sub("", name) or name
        name = name.lstrip("、,，和及与")
        verbs = rules.supervise.match(name)
        if verbs:
            name = name[verbs.end() :]
        if name and not _generic(rules, name):
            out.append(Body(name, found - len(name), found))
        elif name:
            lw = rules.level_word.match(name)
            if lw:
                out.append(Body(lw.group(1), found - len(lw.group(1)), found))
        if found < p1:
            return out, True
    return out, False


def _listed(
    ctx: Context, rules: _Rules, start: int, end: int, outside: list[bool]
) -> tuple[list[Body], bool] | None:
    """An object stretch that is a list closed by 等 and a noun (对机关、团体、企业、
    事业等单位…): the noun when it names a body (the whole list when the noun
    alone is generic), nothing when it names places or things (学校、…等公众聚集
    场所的特种设备).  None when the stretch is not such a list."""
    text = ctx.text
    d = text.find("等", start, end)
    if d <= start or not outside[d - start]:
        return None
    if _CLAUSE_END.search(text, start, d) or rules.stop.search(text, start, d):
        return None
    k = d + 1
    while k < end and not (
        text[k] in CLAUSE_PUNCT
        or text[k] in "、和及与"
        or rules.stop.match(text, k, end)
    ):
        k += 1
    if k == d + 1:
        return None
    # the noun after 等 ends at its first body head (等单位遵守…), if it has one
    head = next((h for h in _head_ends(rules, text, d + 1, k) if h > d + 1), None)
    if head is None:
        return [], True
    k, noun = head, text[d + 1 : head]
    name = noun if not _generic(rules, noun) else trim(rules, text[start:k])
    out = [Body(name, k - len(name), k)]
    if k < end and text[k] in "、和及与":
        more, went_on = find_bodies(ctx, rules, k + 1, end)
        return out + more, went_on
    return out, k < end


def rank(rules: _Rules, text: str) -> int | None:
    """Administrative rank of a body (0 = national … 5 = village, 6 = enterprise,
    7… = the units inside one, by their rank in chain_subunit_heads), or None."""
    if any(r.search(text) for r in rules.relative):
        return None
    for i, rx in enumerate(rules.levels):
        if rx.search(text):
            return i
    for i, rx in enumerate(rules.level_before_head):
        if rx.search(text) and (
            _is_government(rules, text) or rules.party.search(text)
        ):
            return i
    for i, rx in enumerate(rules.subunit_ranks):
        if rx.search(text):
            return len(rules.levels) + 1 + i
    if rules.unit.search(text):
        return len(rules.levels)
    return None


def _is_level_body(rules: _Rules, text: str) -> bool:
    return _is_government(rules, text) or bool(rules.level_word.match(text))


# --- the component ----------------------------------------------------------------


class _Emitter:
    def __init__(self, ctx: Context, rules: _Rules) -> None:
        self.ctx, self.rules = ctx, rules
        self.seen: dict[tuple[str, str, str], int] = {}
        self.pending: list[tuple[str, str, str, int, int, str]] = []
        self.deputies: list[
            tuple[int, int]
        ] = []  # spans of 领导分工 lower ends already drawn

    def add(self, a: Body, b: Body, kind: str, rule: str) -> None:
        if not a.text or not b.text or a.text == b.text:
            return
        if kind == KIND_LEAD:
            self.deputies.append((b.start, b.end))
        key = (a.text, b.text, kind)
        if key in self.seen:
            return
        self.seen[key] = len(self.pending)
        start, end = min(a.start, b.start), max(a.end, b.end)
        self.pending.append((a.text, b.text, kind, start, end, rule))

    def flush(self) -> None:
        urged = {(a, b) for a, b, kind, *_ in self.pending if kind == KIND_URGE}
        for a, b, kind, start, end, rule in self.pending:
            if kind == KIND_LEVEL and (a, b) in urged:
                continue  # 督促 wins over 层级 for one pair
            sent = self.ctx.sentence_at(end - 1)
            s, e = max(start, sent.start), min(end, sent.end)
            if s >= e:
                s, e = sent.start, sent.end
            node_a = (schema.ROLE if kind == KIND_LEAD else schema.ORGANIZATION, a)
            node_b = (schema.ROLE if kind == KIND_LEAD else schema.ORGANIZATION, b)
            if kind == KIND_PARTY and _is_role(self.rules, b):
                node_a, node_b = (schema.ROLE, a), (schema.ROLE, b)
            self.ctx.add_fact(schema.CHAIN, node_a, node_b, sent, s, e, rule, kind=kind)


def _is_role(rules: _Rules, text: str) -> bool:
    return rules.role_end.search(text) is not None


def _lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


@component(
    "chains",
    rules=[
        "chain.urge",
        "chain.levels",
        "chain.grip",
        "chain.level_subjects",
        "chain.parallel",
        "chain.report",
        "chain.pledge",
        "chain.lead",
        "chain.deputy_title",
        "chain.party_government",
        "chain.inspection",
    ],
)
def find_chains(ctx: Context) -> None:
    """CHAIN edges: 层级, 领导分工, 党政同责 and 督促 between named bodies."""
    rules = _rules_for(ctx)
    emit = _Emitter(ctx, rules)
    text = ctx.text
    heading: list[Body] = []  # the holder a list heading hands to its items
    heading_lead: list[Body] = []  # principal roles of a list heading (领导分工)
    title_holder: list[Body] = []
    sentence_starts = [st.start for st in ctx.sentences]
    doc_subjects: list[tuple[Body, int]] = []
    for ls, le in _lines(text):
        line = text[ls:le]
        if not line.strip():
            continue
        is_item = ITEM_START.match(line) is not None
        own = _heading_body(ctx, rules, ls, le)
        if own is not None:
            heading, heading_lead = [own], []
            if not title_holder and rules.heading_title.search(line):
                title_holder = [own]
            continue
        role = _heading_role(rules, text, ls, le)
        if role is not None:
            # （一）总经理: a principal's own heading hands its items to 领导分工;
            # 5.3 车间主任安全生产职责: a role's duty heading hands them its 督促
            body, principal = role
            heading, heading_lead = [body], [body] if principal else []
            continue
        # 5.1.4 某部 / 负责对…进行检查: a bare line opening with a verb is the
        # heading's item too
        under = is_item or bool(
            heading and _opens_with_verb(rules, text, ls, le) and own is None
        )
        if not under:
            heading, heading_lead = [], []
        elif heading and len(heading) == 1:
            # （一）县委、县政府 over its items: a party and a government body sharing them
            pair = _party_government(rules, heading[0].text)
            if pair:
                h = heading[0]
                emit.add(
                    Body(pair[0], h.start, h.end),
                    Body(pair[1], h.start, h.end),
                    KIND_PARTY,
                    "chain.party_government",
                )
        current: list[Body] = list(heading or title_holder) if under else []
        first = max(0, bisect.bisect_right(sentence_starts, ls) - 1)
        last = bisect.bisect_left(sentence_starts, le)
        sents = [
            st for st in ctx.sentences[first:last] if st.end > ls and st.start < le
        ]
        clauses = _heads(rules, text).clauses(ls, le)
        _levels(ctx, rules, emit, ls, le)
        _grips(ctx, rules, emit, ls, le)
        _pledges(ctx, rules, emit, ls, le)
        _pledges_handed(ctx, rules, emit, ls, le)
        principals = _leadership(ctx, rules, emit, sents, heading_lead if under else [])
        _party_compounds(ctx, rules, emit, clauses)
        _inspection_feedback(ctx, rules, emit, sents)
        subjects_seen: list[tuple[Body, int]] = []
        covered = ls
        starts = {st.start for st in sents}
        maybe = _subject_clauses(text, rules, clauses, ls, le)
        order = sorted(maybe)
        i = -1
        while i + 1 < len(clauses):
            i += 1
            if not current:
                # with no subject carried, a clause no subject can open does nothing:
                # go straight to the next one that can
                k = bisect.bisect_left(order, i)
                if k == len(order):
                    break
                i = order[k]
            cs, ce = clauses[i]
            if cs >= covered:
                found = subject_at(ctx, rules, cs, le) if i in maybe else None
                if (
                    found is None
                    and current
                    and _sentence_initial(text, cs, starts)
                    and not (i == 0 and is_item and heading)
                    and not _opens_with_verb(rules, text, cs, ce)
                ):
                    current = []  # a sentence with a subject we cannot name: carry nothing into it
                if found is not None:
                    subj, pred = found
                    covered = pred
                    members = conjuncts(rules, subj)
                    if members:
                        current = members
                        subjects_seen.append((subj, pred))
                        _subject_chains(ctx, rules, emit, subj, members)
            if current:
                _urges(
                    ctx,
                    rules,
                    emit,
                    current,
                    max(cs, covered if covered <= ce else cs),
                    ce,
                )
                _reports(ctx, rules, emit, current, cs, ce)
        _parallel(ctx, rules, emit, subjects_seen)
        doc_subjects += subjects_seen
        if HEADING_END.search(line):
            if current:
                heading = current
            if principals:
                heading_lead = principals
    _parallel_sentences(ctx, rules, emit, doc_subjects)
    emit.flush()


def _subject_clauses(
    text: str, rules: _Rules, clauses: list[tuple[int, int]], ls: int, le: int
) -> set[int]:
    """Indices of the clauses a subject can open: those holding a head a predicate
    follows (and the comma-joined clauses before it), or 各…/…等 forms."""
    heads = _heads(rules, text)
    ends = heads.pred_ends[
        bisect.bisect_left(heads.pred_ends, ls) : bisect.bisect_right(
            heads.pred_ends, le
        )
    ]
    starts = [c[0] for c in clauses]
    maybe: set[int] = set()

    first: list[int] = [max(0, bisect.bisect_right(starts, e - 1) - 1) for e in ends]
    for ch, reach in (("各", 12), ("等", None), ("级", 3)):
        for pos in heads.marks_in(ch, ls, le):
            i = max(0, bisect.bisect_right(starts, pos) - 1)
            if reach is None or pos < clauses[i][0] + reach:
                first.append(i)
    for i in first:
        if i in maybe:
            continue
        maybe.add(i)
        # and the clauses before it that end in a body and a comma (…街道办事处,以及…)
        while (
            i > 0
            and clauses[i - 1][1] in heads.starts
            and text[clauses[i - 1][1] : clauses[i - 1][1] + 1] in COMMA
        ):
            i -= 1
            maybe.add(i)
    return maybe


def _sentence_initial(text: str, cs: int, starts: set[int]) -> bool:
    k = cs
    while k < len(text) and text[k] in " \t":
        k += 1
    return k in starts


def _opens_with_verb(rules: _Rules, text: str, cs: int, ce: int) -> bool:
    lead = rules.leads.match(text, cs, ce)
    s = lead.end() if lead else cs
    return (
        s >= ce
        or rules.predicate_start.match(text, s, ce) is not None
        or rules.supervise.match(text, s, ce) is not None
    )


def _heading_body(ctx: Context, rules: _Rules, ls: int, le: int) -> Body | None:
    """A line that is only a body's name (（三十六）某部门。) or a title naming its
    holder (某局安全生产权责清单): the holder of the items below it."""
    text = ctx.text
    if le - ls > 60:
        return None
    lead = rules.leads.match(text, ls, le)
    s = lead.end() if lead else ls
    line = text[s:le].rstrip("。.:：;； \t")
    m = rules.heading_title.search(line)
    if m and m.start() > 0:
        line = line[: m.start()]
    line = re.sub(r"^附件[:：]?", "", line)
    s = le - len(text[s:le]) + (text[s:le].find(line) if line else 0)
    if not line or len(line) > 30 or not rules.ends_with_head.search(line):
        return None
    if any(p in line for p in ",，;；。 "):
        return None
    if rules.heading_verbs.search(line):
        return None  # a verb inside: not a name but a sentence
    return Body(line, s, s + len(line))


def _heading_role(
    rules: _Rules, text: str, ls: int, le: int
) -> tuple[Body, bool] | None:
    """A line that is only a principal role (（一）总经理 / 董事长：): the top of a
    领导分工 with the deputies its items name; or a role's duty heading
    (5.3 车间主任安全生产职责): the holder of the items below it.  The flag says
    whether the role is a principal."""
    lead = rules.leads.match(text, ls, le)
    s = lead.end() if lead else ls
    line = text[s:le].rstrip("。.:：;； \t")
    if rules.principal.fullmatch(line):
        return Body(line, s, s + len(line)), True
    if len(line) > 30 or not may_match(rules.heading_title_need, line, 0, len(line)):
        return None
    m = rules.heading_title.search(line)
    if m is None or m.start() == 0 or m.end() != len(line):
        return None
    name = line[: m.start()]
    if len(name) > 16 or not rules.heading_role.fullmatch(name):
        return None
    return Body(name, s, s + len(name)), rules.principal.fullmatch(name) is not None


def _urges(
    ctx: Context, rules: _Rules, emit: _Emitter, uppers: list[Body], cs: int, ce: int
) -> None:
    """督促: X 督促/指导/检查 Y, 对 Y … 进行考核, 负责 Y 的 … 监督管理."""
    text = ctx.text
    # most clauses hold no supervising verb: look for one before judging the uppers
    verbs = list(rules.supervise.finditer(text, cs, ce))
    if not verbs:
        return
    uppers = [u for u in uppers if not _generic(rules, u.text)]
    if not uppers:
        return
    for v in verbs:
        if rules.verb_noun.match(text, v.end()) or rules.not_after.search(
            text, max(cs, v.start() - 4), v.start()
        ):
            continue  # 监督管理职责, 考核结果, 质量监督: nouns, not a supervising verb
        passive = rules.passive.search(text, cs, v.start())
        if passive:
            # 煤矿企业应当接受煤矿安全监察机构的监督检查: the supervisor is named
            # after 接受, the subject is the one supervised
            stretch = text[passive.end() : v.start()]
            name = trim(rules, re.sub("的?(?:依法)?$", "", stretch))
            if rules.ends_with_head.search(name) and not _generic(rules, name):
                end = passive.end() + stretch.rfind(name) + len(name)
                for lower in uppers:
                    emit.add(
                        Body(name, end - len(name), end), lower, KIND_URGE, "chain.urge"
                    )
            continue
        lowers: list[Body] = []
        # the object stretch after the verb: 督促生产经营单位落实…
        glue = rules.glue.match(text, v.end(), ce)
        o = glue.end() if glue else v.end()
        found_cue = rules.found.match(text, ce + 1) if o >= ce else None
        if found_cue:
            # 组织开展安全生产巡查,发现生产经营单位存在…: the inspected body
            o = found_cue.end()
            ce = next(
                (
                    k
                    for k in range(o, min(len(text), o + OBJECT_MAX))
                    if text[k] in CLAUSE_PUNCT
                ),
                o + OBJECT_MAX,
            )
        lowers, _ = find_bodies(ctx, rules, o, min(ce, o + OBJECT_MAX))
        # before it, after 对/负责 in the same clause: 对下级人民政府…进行考核
        opener = max(text.rfind("对", cs, v.start()), -1)
        duty = text.rfind("负责", cs, v.start())
        if opener < 0 and duty >= 0 and rules.duty_supervise.match(v.group()):
            opener = duty + 1
        if opener >= 0 and not text.startswith("对于", opener):
            more, _ = find_bodies(ctx, rules, opener + 1, v.start())
            if not more:
                # 负责危险化学品单位职业健康的监督管理: a body, a short noun, 的
                owned = rules.owner_before.fullmatch(text, opener + 1, v.start())
                if owned and not _generic(rules, trim(rules, owned.group(1))):
                    name = trim(rules, owned.group(1))
                    more = [Body(name, owned.end(1) - len(name), owned.end(1))]
            lowers += more
        for lower in lowers:
            for upper in uppers:
                emit.add(upper, lower, KIND_URGE, "chain.urge")


def _reports(
    ctx: Context, rules: _Rules, emit: _Emitter, lowers: list[Body], cs: int, ce: int
) -> None:
    """层级 from reporting upward: 村民委员会、居民委员会…向乡(镇)人民政府或者街道办事处报告."""
    text = ctx.text
    k = text.find("向", cs, ce)
    while k >= 0:
        s = k + 1
        k = text.find("向", s, ce)
        rep = rules.report.search(text, s, ce)
        if rep is None:
            continue
        r = rep.start()
        s0 = s + 3 if text.startswith("所在地", s) else s
        uppers, _ = find_bodies(ctx, rules, s0, r)
        uppers = [u for u in uppers if _is_government(rules, u.text)]
        low = [b for b in lowers if _is_level_body(rules, b.text)]
        if not uppers or not low:
            continue
        pairs = (
            list(zip(uppers, low, strict=True))
            if len(uppers) == len(low)
            else [(u, b) for u in uppers for b in low]
        )
        for u, b in pairs:
            ru, rb = rank(rules, u.text), rank(rules, b.text)
            if ru is not None and rb is not None and ru < rb:
                emit.add(u, b, KIND_LEVEL, "chain.report")


def _subject_chains(
    ctx: Context, rules: _Rules, emit: _Emitter, subj: Body, members: list[Body]
) -> None:
    """层级 between coordinated government subjects of different levels, and
    党政同责 between a party and a government body sharing one subject."""
    govs = [m for m in members if _is_government(rules, m.text)]
    for a, b in pairwise(govs):
        ra, rb = rank(rules, a.text), rank(rules, b.text)
        if ra is not None and rb is not None and ra < rb:
            # 市政府与各县(市、区)政府: the level's bodies, named without 各
            emit.add(_no_each(a), _no_each(b), KIND_LEVEL, "chain.level_subjects")
    # 国务院有关部门和县级以上地方各级人民政府有关部门: one kind of body at two
    # levels, coordinated as one subject (the dev-set conventions' example of 层级)
    for a, b in pairwise(members):
        if _is_government(rules, a.text) and _is_government(rules, b.text):
            continue
        ha, hb = (
            rules.ends_with_head.search(a.text),
            rules.ends_with_head.search(b.text),
        )
        if ha is None or hb is None or ha.group() != hb.group():
            continue
        ra, rb = rank(rules, a.text), rank(rules, b.text)
        if ra is not None and rb is not None and ra < rb and ra < len(rules.levels):
            emit.add(a, b, KIND_LEVEL, "chain.level_subjects")
    party = _party_government(rules, subj.text)
    if party:
        party_name, government = party
        emit.add(
            Body(party_name, subj.start, subj.end),
            Body(government, subj.start, subj.end),
            KIND_PARTY,
            "chain.party_government",
        )


def _no_each(body: Body) -> Body:
    if body.text.startswith("各") and not body.text.startswith("各级"):
        return Body(body.text[1:], body.start + 1, body.end)
    return body


def _party_compounds(
    ctx: Context, rules: _Rules, emit: _Emitter, clauses: list[tuple[int, int]]
) -> None:
    """党政同责 from a clause opening with a party body and a government body as one
    subject (某镇党委政府严肃对待…,坚决整改), whatever verb follows."""
    text = ctx.text
    heads = _heads(rules, text)
    if not clauses or not heads.marks_in("委", clauses[0][0], clauses[-1][1]):
        return
    starts = [c[0] for c in clauses]
    todo = sorted(
        {
            i
            for pos in heads.marks_in("委", clauses[0][0], clauses[-1][1])
            if pos
            < clauses[(i := max(0, bisect.bisect_right(starts, pos) - 1))][0] + 24
        }
    )
    for cs, ce in (clauses[i] for i in todo):
        lead = rules.leads.match(text, cs, ce)
        s0 = lead.end() if lead else cs
        m = rules.party_gov_compound.match(text, s0, ce)
        if (
            not m
            or rules.party_gov_not_before.match(text, m.end(), ce)
            or m.end() >= ce
        ):
            continue
        pair = _party_government(rules, m.group())
        if pair:
            emit.add(
                Body(pair[0], m.start(), m.end()),
                Body(pair[1], m.start(), m.end()),
                KIND_PARTY,
                "chain.party_government",
            )


def _inspection_feedback(
    ctx: Context, rules: _Rules, emit: _Emitter, sents: list
) -> None:
    """督促 from an inspection answered by the inspected body: 针对市督查组…检查反馈问题,
    某镇党委政府…整改 (the inspecting body → the subject that rectifies)."""
    text = ctx.text
    if not sents or not rules.rectify.search(text, sents[0].start, sents[-1].end):
        return
    for sent in sents:
        m = rules.feedback.search(text, sent.start, sent.end)
        if not m:
            continue
        uppers, _ = find_bodies(ctx, rules, m.start("body"), m.end("body"))
        comma = next((k for k in range(m.end(), sent.end) if text[k] in ",，"), None)
        if (
            comma is None
            or not uppers
            or not rules.rectify.search(text, comma, sent.end)
        ):
            continue
        found = subject_at(ctx, rules, comma + 1, sent.end) or _compound_subject(
            ctx, rules, comma + 1, sent.end
        )
        if found is None:
            continue
        for lower in conjuncts(rules, found[0]):
            emit.add(uppers[0], lower, KIND_URGE, "chain.inspection")


def _compound_subject(
    ctx: Context, rules: _Rules, pos: int, limit: int
) -> tuple[Body, int] | None:
    m = rules.party_gov_compound.match(ctx.text, pos, limit)
    return (Body(m.group(), m.start(), m.end()), m.end()) if m else None


def _party_government(rules: _Rules, text: str) -> tuple[str, str] | None:
    """各级党委和政府主要负责人 → (各级党委主要负责人, 各级政府主要负责人);
    某镇党委政府 → (某镇党委, 某镇政府); 县委、县政府 → (县委, 县政府)."""
    m = rules.party_gov_split.match(text)
    if not m:
        return None
    role = m.group("role")
    if role and not _is_role(rules, role):
        return None
    pre = m.group("pre")
    party = pre + m.group("party") + role
    level = m.group("pre2") or m.group("lvl") or ""
    if m.group("pre2") and pre.endswith(level):
        level = ""  # 镇党委、镇政府: the level is written once for each
    gov = pre + level + m.group("gov") + role
    return party, gov


def _parallel(
    ctx: Context, rules: _Rules, emit: _Emitter, subjects: list[tuple[Body, int]]
) -> None:
    """层级 from parallel clauses in one sentence: two levels of the same kind of body
    (市安委会统一部署…,旗县市区安委会…督促…) or the same predicate (国务院统一领导…,
    县级以上地方人民政府统一领导…), upper first."""
    text = ctx.text
    if len(subjects) < 2:
        return
    for i, (a, pa) in enumerate(subjects):
        head_a = rules.ends_with_head.search(a.text)
        for b, pb in subjects[i + 1 :]:
            if ctx.sentence_at(pa).index != ctx.sentence_at(pb).index:
                break
            head_b = rules.ends_with_head.search(b.text)
            same_head = (
                head_a is not None
                and head_b is not None
                and head_a.group() == head_b.group()
            )
            if not same_head and text[pa : pa + 4] != text[pb : pb + 4]:
                continue
            if _parallel_pair(rules, emit, a, b):
                break


def _parallel_pair(rules: _Rules, emit: _Emitter, a: Body, b: Body) -> bool:
    """层级 a → b from two parallel clauses' subjects when a is the upper level
    and each is one body; whether it was drawn."""
    ra, rb = rank(rules, a.text), rank(rules, b.text)
    if ra is None or rb is None or ra >= rb:
        return False
    if len(conjuncts(rules, a)) != 1 or len(conjuncts(rules, b)) != 1:
        # 集团公司与各分公司…,各分公司与所属车间…: coordinated subjects are not one level
        return False
    emit.add(
        _collapse_list(rules, a), _collapse_list(rules, b), KIND_LEVEL, "chain.parallel"
    )
    return True


def _collapse_list(rules: _Rules, body: Body) -> Body:
    """国务院交通运输、住房和城乡建设、水利、民航等有关部门 → 国务院有关部门."""
    m = rules.level_list.match(body.text)
    if m is None or not rules.ends_with_head.search(m.group(2)):
        return body
    return Body(m.group(1) + m.group(2), body.start, body.end)


def _parallel_sentences(
    ctx: Context, rules: _Rules, emit: _Emitter, subjects: list[tuple[Body, int]]
) -> None:
    """层级 from parallel clauses in nearby sentences (国务院X对全国的…实施监督管理。
    县级以上地方各级人民政府X对本行政区域内的…实施监督管理): each sentence opens with
    its subject, the two are the same kind of body at two levels, the first
    clause of each ends alike, and either opens alike (…在各自的职责范围内负责…)
    or the upper names the national scope where the lower names its own
    (全国 / 本行政区域).  The nearest such upper within PARALLEL_REACH sentences."""
    text = ctx.text
    firsts: dict[int, tuple[Body, int]] = {}
    for body, pred in subjects:
        sent = ctx.sentence_at(pred)
        if sent.index in firsts:
            continue
        lead = rules.leads.match(text, sent.start, body.start)
        if (lead.end() if lead else sent.start) == body.start:
            firsts[sent.index] = (body, pred)
    clause: dict[int, str] = {}
    for idx, (b, pb) in firsts.items():
        cb = ""
        # the nearest parallel clause among the few sentences before
        for back in range(1, PARALLEL_REACH + 1):
            prev = firsts.get(idx - back)
            if prev is None:
                continue
            a, pa = prev
            if not cb:
                cb = clause.setdefault(idx, _first_clause(ctx, pb))
                if len(cb) < 4:
                    break
            ca = clause.setdefault(idx - back, _first_clause(ctx, pa))
            if ca[-4:] != cb[-4:]:
                continue
            if ca[:4] != cb[:4] and not any(
                u in ca and lo in cb for u, lo in rules.scopes
            ):
                continue
            if not _same_kind(rules, a.text, b.text):
                continue
            if _parallel_pair(rules, emit, a, b):
                break


def _first_clause(ctx: Context, pos: int) -> str:
    sent = ctx.sentence_at(pos)
    m = _CLAUSE_END.search(ctx.text, pos, sent.end)
    return ctx.text[pos : m.start() if m else sent.end].rstrip()


def _same_kind(rules: _Rules, a: str, b: str) -> bool:
    """Two bodies of one kind: both governments, or the same head (…部门)."""
    if _is_government(rules, a) and _is_government(rules, b):
        return True
    ha, hb = rules.ends_with_head.search(a), rules.ends_with_head.search(b)
    return ha is not None and hb is not None and ha.group() == hb.group()


def _grips(ctx: Context, rules: _Rules, emit: _Emitter, ls: int, le: int) -> None:
    """层级 from levels taking hold of the one below, as a run of short clauses
    (市抓县、县抓乡镇、乡镇抓村, 镇抓村、村抓企业)."""
    text = ctx.text
    if not any(text.find(v, ls, le) >= 0 for v in rules.grip_verbs):
        return
    for m in rules.grip.finditer(text, ls, le):
        a, b = m.group(1), m.group(2)
        ra, rb = rank(rules, a), rank(rules, b)
        if ra is None or rb is None or ra >= rb:
            continue
        emit.add(
            Body(a, m.start(1), m.end(1)),
            Body(b, m.start(2), m.end(2)),
            KIND_LEVEL,
            "chain.grip",
        )


def _levels(ctx: Context, rules: _Rules, emit: _Emitter, ls: int, le: int) -> None:
    """层级 from levels coordinated before one head: 市和区人民政府, 市、区县(自治县)
    安全生产监督管理部门, 市、县、乡三级 (ends are the levels when no head follows)."""
    text = ctx.text
    for m in rules.level_run.finditer(text, ls, le):
        levels = [m.group(1)] + rules.level_token.findall(m.group(2))
        if len(levels) < 2:
            continue
        before = text[m.start() - 1 : m.start()]
        if before in "(（" and before or text[m.end() : m.end() + 1] in (")", "）"):
            continue  # 县(市、区): levels in brackets qualify the level before them
        if (
            not m.group(3)
            and len(m.group(1)) == 1
            and before
            and _CJK_CHAR.match(before)
            and before not in "各本全和、"
        ):
            continue  # 城市、区域: a one-character level inside a longer word
        if not m.group(3) and not _LEVEL_JOIN.search(m.group(2)):
            continue  # 市区 written as one word is a place, not two levels
        tail = _tail(ctx, rules, m.end(), le)
        if tail is None and not m.group(3):
            continue
        ends = [lvl + (tail or "") for lvl in levels]
        if tail is not None and _generic(rules, ends[0]):
            continue
        ranks = [rank(rules, lvl) for lvl in levels]
        for i in range(len(levels) - 1):
            ra, rb = ranks[i], ranks[i + 1]
            if ra is None or rb is None or ra >= rb:
                continue
            emit.add(
                Body(ends[i], m.start(), m.end()),
                Body(ends[i + 1], m.start(), m.end()),
                KIND_LEVEL,
                "chain.levels",
            )


def _tail(ctx: Context, rules: _Rules, pos: int, limit: int) -> str | None:
    """The head shared by coordinated levels: (人民政府)(其他)…部门 up to where it ends."""
    text = ctx.text
    stop = min(limit, pos + 30)
    for i in range(pos, stop):
        if text[i] in CLAUSE_PUNCT:
            stop = i
            break
    for end in _head_ends(rules, text, pos, stop):
        if end <= pos:
            continue
        nxt = text[end : end + 1]
        if (
            end == stop
            or nxt in CLAUSE_PUNCT
            or nxt in "(（的和及、"
            or rules.predicate.match(text, end, limit)
        ):
            tail = text[pos:end]
            return re.sub(r"^(人民政府)?其他", r"\1", tail)
    return None


def _pledges(ctx: Context, rules: _Rules, emit: _Emitter, ls: int, le: int) -> None:
    """层级 from a signed 责任书: the signer's body → each lower level or enterprise
    that signs (a department signing is not a level).  Signing handed down step by
    step (县政府与乡镇、乡镇与村逐级签订…) gives one pair per 与."""
    text = ctx.text
    if text.find("责任", ls, le) < 0:
        return
    for m in rules.pledge.finditer(text, ls, le):
        sent = ctx.sentence_at(m.start())
        with_ = text.rfind("与", sent.start, m.start())
        if with_ < 0:
            continue
        cs = _clause_start(text, sent.start, with_)
        withs = [k for k in range(cs, with_ + 1) if text[k] == "与"]
        for i, w in enumerate(withs):
            upper = (
                _signer(ctx, rules, sent.start, w)
                if i == 0
                else _body_before(rules, text, withs[i - 1] + 1, w)
            )
            if upper is None:
                continue
            stop = m.start() if i == len(withs) - 1 else withs[i + 1]
            if i < len(withs) - 1:
                # 县政府与乡镇、乡镇与村: the next pair's upper is not this pair's lower
                nxt = _body_before(rules, text, w + 1, withs[i + 1])
                stop = nxt.start if nxt is not None else stop
            ru = rank(rules, upper.text)
            adverbs = rules.pledge_adverbs.search(text, w + 1, stop)
            lowers, _ = find_bodies(
                ctx, rules, w + 1, adverbs.start() if adverbs else stop
            )
            _pledged_by(rules, emit, upper, ru, lowers)


def _pledges_handed(
    ctx: Context, rules: _Rules, emit: _Emitter, ls: int, le: int
) -> None:
    """层级 from a pledge handed up: 各乡镇主要负责人向县政府递交责任书 (the body it is
    handed to → each lower level or enterprise handing it)."""
    text = ctx.text
    if text.find("责任", ls, le) < 0:
        return
    for m in rules.pledge_handed.finditer(text, ls, le):
        name = trim(rules, m.group("upper"))
        if not rules.ends_with_head.search(name) or _generic(rules, name):
            continue
        upper = Body(name, m.end("upper") - len(name), m.end("upper"))
        cs = _clause_start(text, ctx.sentence_at(m.start()).start, m.start())
        lead = rules.leads.match(text, cs, m.start())
        lowers, _ = find_bodies(ctx, rules, lead.end() if lead else cs, m.start())
        _pledged_by(rules, emit, upper, rank(rules, upper.text), lowers)


def _pledged_by(
    rules: _Rules, emit: _Emitter, upper: Body, ru: int | None, lowers: list[Body]
) -> None:
    """层级 from ``upper`` (of rank ``ru``) to each level body or unit below it
    that signs or hands up a pledge."""
    for b in lowers:
        rb = rank(rules, b.text)
        if not (
            _is_level_body(rules, b.text)
            or rules.unit.search(b.text)
            or rules.subunit.search(b.text)
        ):
            continue
        if rb is None or (ru is not None and rb <= ru):
            continue
        emit.add(_no_each(upper), b, KIND_LEVEL, "chain.pledge")


def _clause_start(text: str, floor: int, pos: int) -> int:
    k = pos - 1
    while k >= floor and text[k] not in CLAUSE_PUNCT:
        k -= 1
    return k + 1


def _body_before(rules: _Rules, text: str, floor: int, pos: int) -> Body | None:
    """The body (or bare level word) that ends right before ``pos`` (…、乡镇与村:
    乡镇), read back to the previous clause mark or 、."""
    end = pos - 2 if text.startswith("分别", pos - 2) else pos
    k = end - 1
    while k >= floor and text[k] not in CLAUSE_PUNCT and text[k] != "、":
        k -= 1
    name = trim(rules, text[k + 1 : end])
    stops = list(rules.left_stops.finditer(name))
    if stops and stops[-1].end() < len(name):
        name = name[stops[-1].end() :]
    lw = rules.level_word.match(name)
    if lw:
        return Body(lw.group(1), end - len(lw.group(1)), end)
    if name and rules.ends_with_head.search(name) and not _generic(rules, name):
        return Body(name, end - len(name), end)
    return None


def _signer(ctx: Context, rules: _Rules, floor: int, with_: int) -> Body | None:
    """The upper end of a pledge signed ``与`` someone: a body represented
    (代表X与), the subject before 与, a signing official's body (县长 → 县政府)."""
    text = ctx.text
    rep = text.rfind("代表", floor, with_)
    if rep >= 0 and with_ - rep - 2 <= 20:
        name = text[rep + 2 : with_]
        if rules.ends_with_head.search(name):
            return Body(name, rep + 2, with_)
    # 市政府与各区政府…签订: the body right before 与
    found = subject_at(ctx, rules, floor, with_ + 1)
    if found is None or found[0].end != with_:
        # …,各分公司要与所属车间签订: the subject of the clause holding 与
        found = subject_at(ctx, rules, _clause_start(text, floor, with_), with_ + 1)
    if found is not None and (
        found[0].end == with_
        or rules.pledge_modals.fullmatch(text, found[0].end, with_)
    ):
        members = conjuncts(rules, found[0])
        if members:
            return members[-1]
    titles = list(rules.title_body.finditer(text, floor, with_))
    if titles and with_ - titles[-1].end() <= 1:
        t = titles[-1]
        return Body(rules.title_bodies[t.group()], t.start(), t.end())
    officials = [
        o
        for o in ctx.in_sentence(ctx.sentence_at(with_).index, ["official"])
        if o.end <= with_ and o.org
    ]
    if officials:
        o = officials[-1]
        return Body(o.org, o.start, o.end)
    # 会上，区政府分别与…: the body that closes the clause before 与
    cs = _clause_start(text, floor, with_)
    lead = rules.leads.match(text, cs, with_)
    return _body_before(rules, text, lead.end() if lead else cs, with_)


def _leadership(
    ctx: Context, rules: _Rules, emit: _Emitter, sents: list, heading: list[Body]
) -> list[Body]:
    """领导分工: a principal role as a clause subject and, later in its sentence (or
    in an item under its heading), the deputies its duty is divided among.
    Returns the principals found (a heading's, for its items)."""
    text = ctx.text
    principals: list[Body] = []
    # a deputy's title and a principal role each need one of their characters:
    # one look over the line, not one per sentence
    deputies = bool(sents) and may_match(
        rules.deputy_need, text, sents[0].start, sents[-1].end
    )
    roles = bool(sents) and may_match(
        rules.principal_need, text, sents[0].start, sents[-1].end
    )
    for sent in sents:
        found: list[tuple[Body, int]] = []
        for m in rules.principal.finditer(text, sent.start, sent.end) if roles else ():
            if rules.not_principal.search(
                text, max(sent.start, m.start() - 3), m.start()
            ):
                continue  # 协助主要负责人: not the subject; 副总经理: a deputy
            if not rules.predicate.match(
                text, m.end(), sent.end
            ) and not text.startswith(("安全", "的"), m.end()):
                continue
            # the owner: from the clause start to the role (其 → the role alone)
            cs = sent.start
            for k in range(m.start() - 1, sent.start - 1, -1):
                if text[k] in ",，;；:：":
                    cs = k + 1
                    break
            lead = rules.leads.match(text, cs, m.start())
            cs = lead.end() if lead else cs
            owner = text[cs : m.start()].lstrip("“\"‘'")
            if owner.startswith("其") or any(p in owner for p in "。"):
                owner = ""
            pair = [
                p
                for p in rules.principal.finditer(owner)
                if p.end() == len(owner) - 1 and owner[-1] in "、和及"
            ]
            if pair:
                # 集团公司董事长、总经理: two roles of one owner, each a principal
                shared = owner[: pair[0].start()]
                found.append((Body(shared + pair[0].group(), cs, m.end()), m.end()))
                owner = shared
            holder = Body(owner + m.group(), m.start() - len(owner), m.end())
            split = _party_government(rules, holder.text)
            if split:
                a, b = (
                    Body(split[0], holder.start, holder.end),
                    Body(split[1], holder.start, holder.end),
                )
                emit.add(a, b, KIND_PARTY, "chain.party_government")
                found += [(a, m.end()), (b, m.end())]
            else:
                found.append((holder, m.end()))
        for holder, after in found:
            principals.append(holder)
            for d in rules.deputy.finditer(text, after, sent.end):
                if _clause_initial(ctx, rules, d.start(), sent.start):
                    emit.add(
                        holder,
                        Body(d.group(), d.start(), d.end()),
                        KIND_LEAD,
                        "chain.lead",
                    )
        if heading and not found:
            for d in rules.deputy.finditer(text, sent.start, sent.end):
                for holder in heading:
                    emit.add(
                        holder,
                        Body(d.group(), d.start(), d.end()),
                        KIND_LEAD,
                        "chain.lead",
                    )
        if deputies:
            _deputy_titles(ctx, rules, emit, sent.start, sent.end)
    return principals


def _clause_initial(ctx: Context, rules: _Rules, pos: int, floor: int) -> bool:
    text = ctx.text
    k = pos - 1
    while k >= floor and text[k] in " \t":
        k -= 1
    return k < floor or text[k] in ",，;；:："


def _deputy_titles(
    ctx: Context, rules: _Rules, emit: _Emitter, ss: int, se: int
) -> None:
    """州长 … 副州长 (副州长在州长的统一领导下…), and 由X任主任,Y任副主任 (X → Y):
    a title and its deputy in one sentence, each with a duty."""
    text = ctx.text
    if not may_match(rules.deputy_need, text, ss, se):
        return
    for d in rules.deputy_title.finditer(text, ss, se):
        base = d.group(1)
        if text[d.start() - 1 : d.start()] == "任":
            # 由公司总经理任主任,常务副总经理(…)任副主任: the holders of the two posts
            chair = re.search(
                f"([{CJK}]{{2,10}}?)任{re.escape(base)}", text[ss : d.start()]
            )
            deputy = re.search(
                f"([{CJK}]{{2,12}}?)(?:[(（][^)）]*[)）])?任$", text[ss : d.start()]
            )
            if chair and deputy:
                upper = re.sub("^(?:由|并由|公司|单位)+", "", chair.group(1))
                lower = re.sub("^(?:由|并由)", "", deputy.group(1))
                if upper and lower and upper != lower:
                    emit.add(
                        Body(upper, ss + chair.start(1), ss + chair.end(1)),
                        Body(lower, ss + deputy.start(1), ss + deputy.end(1)),
                        KIND_LEAD,
                        "chain.deputy_title",
                    )
            continue
        if not _duty_follows(rules, text, d.end(), se):
            continue  # 副县长某某 in an attendance list divides no duty
        if any(s0 <= d.start() and d.end() <= e0 for s0, e0 in emit.deputies):
            continue  # already the end of a 主要负责人 → 分管… chain
        for b in re.finditer(re.escape(base), text[ss:se]):
            bs = ss + b.start()
            if d.start() <= bs < d.end() or text[bs - 1 : bs] == "副":
                continue
            under = (
                re.match(r"的(?:统一)?领导", text[bs + len(base) : bs + len(base) + 5])
                or text[bs - 2 : bs] == "协助"
            )
            if not under and (
                bs > d.start() or not _duty_follows(rules, text, bs + len(base), se)
            ):
                continue
            emit.add(
                Body(base, bs, bs + len(base)),
                Body(d.group(), d.start(), d.end()),
                KIND_LEAD,
                "chain.deputy_title",
            )
            break


def _duty_follows(rules: _Rules, text: str, pos: int, limit: int) -> bool:
    return (
        text[pos : pos + 1] in (":", "：")
        or rules.predicate.match(text, pos, limit) is not None
    )
