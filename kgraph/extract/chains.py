"""How responsibility is handed down: CHAIN edges with a kind.

- 一级抓一级: 一把手 → 分管领导 (principal before deputy in the sentence)
- 党政同责: 党委 → 政府, from the principle named in the text
- 层级: 市 → 区 → 街乡 from "市区街乡三级…", "市、县两级", "国家、省、市三级"
- 属地 / 监管: a 乡镇(街道) or a department that 督促/指导 enterprises
- 综合监管: 应急管理部门 → 行业主管部门 where the sentence says 综合监管
- 层层压实: one sentence giving each level its duty, top-down
  (各级党政领导干部要…;各有关部门要…;各乡镇(街道)要…;各企业要…), or naming the
  four responsibilities together with 层层压实
"""

from __future__ import annotations

import re

from kgraph import schema
from kgraph.extract import Context, component, node_of
from kgraph.extract.responsibilities import segments

LEVEL_CUE = re.compile(r"一级抓一级|一级推一级|一级带一级|层层抓落实|层层压实|层层传导")
CASCADE_CUE = re.compile(r"层层压实|层层落实|层层传导|层层抓落实|一级抓一级|各方责任")

# Where a holder sits in the 安全生产法 system, top-down: party/government
# leadership, departments (三管三必须), territories (属地), enterprises.
TIER_BY_CATEGORY = {
    schema.ORGANIZATION: {"党委": 0, "政府": 0, "党政": 0, "部门": 1, "属地": 2, "企业": 3},
    schema.ROLE: {"党政领导": 0, "企业": 3},
}
PARTY_GOV = re.compile(r"党政同责")
SUPERVISION = re.compile(r"综合监管")
URGES = re.compile(r"督促|指导|帮助|监督")

# Administrative levels, top-down; the list of units before 两级/三级 names them.
LEVELS = ("国家", "省", "市", "县", "区", "乡镇", "街道", "街乡", "乡", "镇", "村", "企业", "岗位")
LEVEL_RUN = re.compile(
    r"((?:%s)(?:[、和]?(?:%s)){1,5})(?:两|二|三|四|五)级" % ("|".join(LEVELS), "|".join(LEVELS))
)
LEVEL_TOKEN = re.compile("|".join(sorted(LEVELS, key=len, reverse=True)))


def level_node(level: str) -> tuple[str, str]:
    return schema.ORGANIZATION, level if level in ("企业", "岗位") else f"{level}级"


def holder_tier(ctx: Context, label: str, name: str) -> int | None:
    kind = {schema.ORGANIZATION: "organization", schema.ROLE: "role"}.get(label)
    entry = ctx.lexicon.lookup(kind, name) if kind else None
    return TIER_BY_CATEGORY[label].get(entry.category) if entry else None


def _units(ctx: Context) -> list[list]:
    """Sentences joined by ';' (the splitter cuts long ones there) read as one
    enumeration: 各级党政领导干部要…;各有关部门要…;各乡镇(街道)要…;各企业要…"""
    units: list[list] = []
    for sent in ctx.sentences:
        if units and ctx.text[units[-1][-1].end - 1 : units[-1][-1].end] == ";":
            units[-1].append(sent)
        else:
            units.append([sent])
    return units


def _cascade(ctx: Context, unit: list) -> None:
    heads = [(node_of(h), h.start, h.end, sent) for sent in unit for s in segments(ctx, sent) if not s.carried for h in s.holders]
    ranked = [(t, *h) for h in heads if (t := holder_tier(ctx, *h[0])) is not None]
    # subjects must come top-down in the text to describe a chain
    if [r[0] for r in ranked] != sorted(r[0] for r in ranked):
        ranked = []
    for sent in unit:
        if not CASCADE_CUE.search(sent.text):
            continue
        for f in ctx.facts:
            if f.evidence.sentence == sent.index and f.evidence.rule == "resp.compound":
                t = holder_tier(ctx, *f.subject)
                if t is not None:
                    ranked.append((t, f.subject, f.evidence.start, f.evidence.end, sent))
    by_tier: dict[int, dict] = {}
    for t, node, start, end, sent in ranked:
        by_tier.setdefault(t, {}).setdefault(node, (start, end, sent))
    levels = sorted(by_tier)
    for upper, lower in zip(levels, levels[1:]):
        for a, (sa, _, sent_a) in by_tier[upper].items():
            for b, (sb, eb, sent_b) in by_tier[lower].items():
                if a == b:
                    continue
                # evidence: the sentence that hands the duty to the lower level
                start = min(sa, sb) if sent_a is sent_b else sb
                ctx.add_fact(schema.CHAIN, a, b, sent_b, start, eb, "chain.cascade", kind="层层压实")


@component("chains", rules=["chain.level_by_level", "chain.party_government", "chain.tiers", "chain.territorial", "chain.oversight", "chain.supervision", "chain.cascade"])
def find_chains(ctx: Context) -> None:
    """CHAIN edges from 一级抓一级, 党政同责, N级 lists, 督促 and 综合监管."""
    text = ctx.text
    for sent in ctx.sentences:
        segs = segments(ctx, sent)

        if LEVEL_CUE.search(sent.text):
            heads = [h for s in segs for h in s.holders if h.kind in ("role", "official")]
            for a, b in zip(heads, heads[1:]):
                if a.name != b.name:
                    ctx.add_fact(schema.CHAIN, node_of(a), node_of(b), sent, a.start, b.end, "chain.level_by_level", kind="一级抓一级")

        m = PARTY_GOV.search(sent.text)
        if m:
            s = sent.start + m.start()
            ctx.add_fact(
                schema.CHAIN, (schema.ORGANIZATION, "党委"), (schema.ORGANIZATION, "政府"), sent, s, s + len(m.group()),
                "chain.party_government", kind="党政同责",
            )

        for run in LEVEL_RUN.finditer(sent.text):
            levels = LEVEL_TOKEN.findall(run.group(1))
            s, e = sent.start + run.start(), sent.start + run.end()
            for a, b in zip(levels, levels[1:]):
                ctx.add_fact(schema.CHAIN, level_node(a), level_node(b), sent, s, e, "chain.tiers", kind="层级")

        for seg in segs:
            urge = URGES.search(text, seg.start, seg.end)
            if not urge:
                continue
            for target in ctx.in_sentence(sent.index, ["organization"]):
                if not (urge.end() <= target.start < seg.end) or target.category != "企业":
                    continue
                for h in seg.holders:
                    kind = {"属地": "属地", "部门": "监管"}.get(h.category)
                    if kind:
                        rule = "chain.territorial" if kind == "属地" else "chain.oversight"
                        ctx.add_fact(schema.CHAIN, node_of(h), node_of(target), sent, h.start, target.end, rule, kind=kind)
                break

        if SUPERVISION.search(sent.text):
            orgs = ctx.in_sentence(sent.index, ["organization"])
            top = [o for o in orgs if o.name == "应急管理局"]
            down = [o for o in orgs if o.name == "行业主管部门"]
            if top and down:
                ctx.add_fact(schema.CHAIN, node_of(top[0]), node_of(down[0]), sent, top[0].start, down[0].end, "chain.supervision", kind="综合监管")

    for unit in _units(ctx):
        _cascade(ctx, unit)
