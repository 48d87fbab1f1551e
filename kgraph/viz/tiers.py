"""Which row (band) of the chain picture a node belongs in, and which group it folds into.

The chain is drawn top-down in the order responsibility is handed on; the
bands are listed in ``tiers.tsv`` and the rules that place a node in one are
in ``tier_rules.tsv`` (label + field + pattern, first match wins).  Both are
data, validated when first read: to move a kind of node, or add a band, edit
the files, not the renderers.

A rule may say ``drop``: the node is a tier word (市级, 县级, 市县两级 …) that
the extractor records as an organisation but is not a body, and no picture
draws it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

from kgraph import schema
from kgraph.errors import KgraphError

DROP = -1  # tier of nodes that are never drawn
FIELDS = ("*", "name", "title", "category", "org")


@dataclass(frozen=True)
class Band:
    tier: int
    name: str  # band caption in the HTML view
    short: str  # legend / static pictures
    fill: str


@dataclass(frozen=True)
class Rule:
    label: str
    field: str
    pattern: re.Pattern[str]
    tier: int
    group: str


def _rows(name: str) -> list[list[str]]:
    text = resources.files("kgraph.viz").joinpath(name).read_text(encoding="utf-8")
    return [
        line.split("\t")
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]


@cache
def bands() -> tuple[Band, ...]:
    out = []
    for i, row in enumerate(_rows("tiers.tsv")):
        if (
            len(row) != 4
            or row[0] != str(i)
            or not re.fullmatch(r"#[0-9a-fA-F]{6}", row[3])
        ):
            raise KgraphError(
                f"tiers.tsv row {i}: want 'tier<TAB>band<TAB>short<TAB>#rrggbb' numbered from 0, got {row}"
            )
        out.append(Band(i, row[1], row[2], row[3]))
    return tuple(out)


@cache
def rules() -> tuple[Rule, ...]:
    n_bands = len(bands())
    out = []
    for row in _rows("tier_rules.tsv"):
        if len(row) != 5:
            raise KgraphError(
                f"tier_rules.tsv: want 5 tab-separated columns, got {row}"
            )
        label, field, pattern, tier, group = row
        if label != "*" and label not in schema.NODE_LABELS:
            raise KgraphError(f"tier_rules.tsv: unknown label {label!r}")
        if field not in FIELDS:
            raise KgraphError(
                f"tier_rules.tsv: unknown field {field!r} (choose {', '.join(FIELDS)})"
            )
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise KgraphError(
                f"tier_rules.tsv: bad pattern {pattern!r}: {exc}"
            ) from None
        if tier == "drop":
            number = DROP
        elif tier.isdigit() and int(tier) < n_bands:
            number = int(tier)
        else:
            raise KgraphError(
                f"tier_rules.tsv: tier {tier!r} is not 'drop' or a band of tiers.tsv"
            )
        out.append(Rule(label, field, compiled, number, group))
    if not out or out[-1].label != "*" or out[-1].field != "*":
        raise KgraphError(
            "tier_rules.tsv: the last rule must be the catch-all '*<TAB>*'"
        )
    return tuple(out)


def tier_names() -> tuple[str, ...]:
    return tuple(b.name for b in bands())


# Kept for callers that index captions by tier.
TIER_NAMES = tier_names()


def _rule_for(data: dict) -> Rule:
    label = data.get("label", "")
    for rule in rules():
        if rule.label not in ("*", label):
            continue
        if rule.field == "*":
            return rule
        value = data.get(rule.field) or ""
        if (
            rule.field == "name"
        ):  # a body of a place (鹰潭市·市政府) is ranked as the body it is
            value = data.get("body") or value
        if value and rule.pattern.search(str(value)):
            return rule
    return rules()[-1]


def tier_of(data: dict) -> int:
    """The band for a node, given its attribute dict (``label``, ``name``, …); :data:`DROP` for tier words."""
    return _rule_for(data).tier


def group_of(data: dict) -> str:
    """The group a node folds into in the aggregated view (``部门``, ``企业``, ``部门监管责任`` …)."""
    group = _rule_for(data).group
    if "{category}" in group:
        group = group.replace("{category}", str(data.get("category") or "")) or "其他"
    return group


def place(data: dict) -> tuple[int, str]:
    """``(tier, group)`` in one pass over the rules."""
    rule = _rule_for(data)
    group = rule.group
    if "{category}" in group:
        group = group.replace("{category}", str(data.get("category") or "")) or "其他"
    return rule.tier, group


def assign_tiers(G: nx.MultiDiGraph) -> dict[str, int]:
    """Band of every node; a folded group carries its own (``_tier``)."""
    return {
        n: d["_tier"] if "_tier" in d else tier_of(d) for n, d in G.nodes(data=True)
    }
