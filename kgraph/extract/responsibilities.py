"""Who bears which responsibility, performs which task, covers which sector.

A clause such as ``各行业主管部门要按照"三管三必须"的要求…`` has a *holder*
(the subject: an organisation, role or official followed by a modal or duty
verb) and, up to the next holder or ``;``/``。``, the responsibilities, tasks
and sectors it takes on.  Compound terms name their own holder
(企业主体责任 → 企业, 部门监管责任 → 部门), so they yield a fact even where
the sentence has no subject.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kgraph import schema
from kgraph.extract.context import Context, component, node_of
from kgraph.model import Mention, Sentence

if TYPE_CHECKING:
    from kgraph.extract.duties import DutyPatterns

HOLDER_KINDS = ("organization", "role", "official")
# as sets, built once: Context.in_sentence builds one from a tuple on every call
_HOLDERS = frozenset(HOLDER_KINDS)
_CLAUSE_KINDS = frozenset(("responsibility", "task", "sector"))

# What may stand between a clause boundary and its subject.
SUBJECT_LEAD = re.compile(
    r"^(?:全市|全省|全区|全县|各地区|各地|同时|特别是|其中|并|由|对|请|“|”|\"|'|‘|’|\s)*"
    # an enumeration ending in 等 before the holder: 住建、交通等行业主管部门
    r"(?:(?:[\u4e00-\u9fff]{1,6}[、和])*[\u4e00-\u9fff]{1,6}等)?$"
)
# Holders joined by 和/与/、, or written back to back (牵头单位主要负责同志), share a clause.
COORDINATOR = re.compile(r"^[”\"’']?(?:和|与|及|以及|、|,)?[“\"‘']?$")
# 督导企业法人代表更好地履行…第一责任人的职责: the urged party bears it.
URGED_BEFORE = re.compile(r"(?:督促|督导|推动|要求|促使|引导)$")
URGED_VERB = re.compile(r"履行|落实|扛起|承担|压实|担起")
CLAUSE_BREAK = re.compile(r"[;:]")
CLAUSE_PUNCT = re.compile(r"[,;:。!?]")


# A sentence that opens with a bare modal continues the previous sentence's
# subject (Chinese drops a repeated subject): 各级各部门要…。既要…;又要聚焦化工、危险化学品…
CARRY_OPENING = re.compile(r"^(?:既要|又要|要|并要|同时要|还要|必须|务必)")


@dataclass
class Segment:
    holders: list[Mention]
    start: int
    end: int
    carried: bool = False


@functools.lru_cache(maxsize=8)
def _opener(alternation: str) -> re.Pattern[str]:
    return re.compile("^[”\"’']?,?" + alternation)


def segments(ctx: Context, sent: Sentence) -> list[Segment]:
    """Split a sentence into holder-headed stretches (computed once per sentence)."""
    cache = ctx.cache.setdefault("segments", {})
    if sent.index not in cache:
        own = _own_segments(ctx, sent)
        prev = cache.get(sent.index - 1) if sent.index else None
        if (
            prev
            and CARRY_OPENING.match(sent.text)
            and "\n" not in ctx.text[ctx.sentences[sent.index - 1].end : sent.start]
        ):
            first = own[0].start if own else sent.end
            if first > sent.start:
                own.insert(
                    0, Segment(prev[-1].holders, sent.start, first, carried=True)
                )
        cache[sent.index] = own
    found: list[Segment] = cache[sent.index]
    return found


def _own_segments(ctx: Context, sent: Sentence) -> list[Segment]:
    text = ctx.text
    holders = ctx.in_sentence(sent.index, _HOLDERS)
    if not holders:
        return []
    opener = _opener(ctx.cues.alternation("duty_openers"))  # compiled once per ruleset
    out: list[Segment] = []
    i = 0
    # holders come in text order: the scan for the last clause mark before each
    # goes on from where the previous one stopped
    boundary = scanned = sent.start
    while i < len(holders):
        # gather coordinated holders: 市安委会和各专业委员会
        group = [holders[i]]
        j = i + 1
        while j < len(holders) and COORDINATOR.match(
            text[group[-1].end : holders[j].start]
        ):
            group.append(holders[j])
            j += 1
        head = group[0]
        # a subject: an opener (duty verb, modal) after the holders, and only a
        # lead (全市, 各…等) between the clause start and them; the opener is the
        # rarer of the two, so it is tested first
        follow = text[group[-1].end : min(group[-1].end + 12, sent.end)]
        if opener.match(follow) is None:
            i = j
            continue
        for k in CLAUSE_PUNCT.finditer(text, scanned, head.start):
            boundary = k.end()
        scanned = max(scanned, head.start)
        if SUBJECT_LEAD.match(text[boundary : head.start]) is not None:
            if out:
                out[-1].end = min(out[-1].end, head.start)
            brk = CLAUSE_BREAK.search(text, group[-1].end, sent.end)
            out.append(Segment(group, head.start, brk.start() if brk else sent.end))
        i = j
    return out


def _urged(ctx: Context, sent: Sentence, resps: list[Mention]) -> set[int]:
    """BEARS for a holder urged to take a responsibility on (督促H…落实R);
    returns the start offsets of the responsibilities so given (``resps``:
    the sentence's responsibility mentions)."""
    claimed: set[int] = set()
    if not resps:
        return claimed
    holders = ctx.in_sentence(sent.index, _HOLDERS)
    for r in resps:
        for h in reversed([h for h in holders if h.end <= r.start]):
            between = ctx.text[h.end : r.start]
            if CLAUSE_PUNCT.search(between):
                break
            if URGED_BEFORE.search(
                ctx.text, max(sent.start, h.start - 4), h.start
            ) and URGED_VERB.search(between):
                claimed.add(r.start)
                ctx.add_fact(
                    schema.BEARS,
                    node_of(h),
                    node_of(r),
                    sent,
                    h.start,
                    r.end,
                    "resp.urged",
                )
                break
    return claimed


def _term(cues: DutyPatterns, r: Mention) -> tuple[str, str]:
    """The responsibility node, under its canonical term when the surface names
    one (…的责任主体 → 主体责任)."""
    from kgraph.extract.duties import canonical_terms

    label, name = node_of(r)
    canon = canonical_terms(cues, r.surface)
    return (label, canon[0]) if len(canon) == 1 else (label, name)


def _span(seg: Segment, holder: Mention, m: Mention) -> tuple[int, int]:
    # a carried subject sits in the previous sentence: cite only this one
    return (
        (m.start, m.end)
        if seg.carried
        else (min(holder.start, m.start), max(holder.end, m.end))
    )


@component(
    "responsibilities",
    rules=[
        "resp.clause",
        "resp.carried",
        "resp.urged",
        "resp.compound",
        "task.clause",
        "task.carried",
        "sector.clause",
        "sector.carried",
    ],
)
def find_responsibilities(ctx: Context) -> None:
    """BEARS, PERFORMS and COVERS_SECTOR from holder-headed clauses and compound terms."""
    # imported here: a module-level import would register the duties component first
    from kgraph.extract.duties import _cues as duty_cues
    from kgraph.extract.duties import in_adverbial

    lex = ctx.lexicon
    cues = duty_cues(ctx)
    for sent in ctx.sentences:
        # 督促企业落实主体责任: the urged party bears it, not the clause's subject
        # the component adds facts, not mentions: the sentence's terms are read once
        terms = ctx.in_sentence(sent.index, ["responsibility"])
        claimed = _urged(ctx, sent, terms)
        for seg in segments(ctx, sent):
            inside = [
                m
                for m in ctx.in_sentence(sent.index, _CLAUSE_KINDS)
                if seg.start <= m.start and m.end <= seg.end and m.category != "cited"
            ]
            # 要按照“三管三必须”要求,…: a term naming the rule followed is no duty of the holder
            after = (seg.start if seg.carried else seg.holders[-1].end) - sent.start
            resps = [
                m
                for m in inside
                if m.kind == "responsibility"
                and m.start not in claimed
                and not in_adverbial(cues, sent.text, m.start - sent.start, after)
            ]
            tasks = [m for m in inside if m.kind == "task"]
            sectors = [m for m in inside if m.kind == "sector"]
            sector_names = list(dict.fromkeys(s.name for s in sectors)) or [""]
            for h in seg.holders:
                holder = node_of(h)
                how = "carried" if seg.carried else "clause"
                for r in resps:
                    claimed.add(r.start)
                    for sector in sector_names:
                        ctx.add_fact(
                            schema.BEARS,
                            holder,
                            _term(cues, r),
                            sent,
                            *_span(seg, h, r),
                            f"resp.{how}",
                            sector=sector,
                        )
                for t in tasks:
                    ctx.add_fact(
                        schema.PERFORMS,
                        holder,
                        node_of(t),
                        sent,
                        *_span(seg, h, t),
                        f"task.{how}",
                    )
                for s in sectors:
                    ctx.add_fact(
                        schema.COVERS_SECTOR,
                        holder,
                        node_of(s),
                        sent,
                        *_span(seg, h, s),
                        f"sector.{how}",
                        responsibility=resps[0].name if resps else "",
                    )
        for r in terms:
            entry = lex.lookup("responsibility", r.surface) or lex.lookup(
                "responsibility", r.name
            )
            if entry is None or not entry.holder or r.start in claimed:
                continue
            holder_entry = lex.lookup("organization", entry.holder)
            label = schema.ORGANIZATION
            name = holder_entry.name if holder_entry else entry.holder
            ctx.add_fact(
                schema.BEARS,
                (label, name),
                node_of(r),
                sent,
                r.start,
                r.end,
                "resp.compound",
            )
