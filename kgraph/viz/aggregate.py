"""Fold a selection into what a picture can show: groups with counts, and a cap.

At corpus scale a chain has hundreds of 部门 and 企业 and thousands of named
officials and meetings; drawn one box each they make a strip nobody can read.
:func:`fold` draws one node per group of ``tier_rules.tsv`` (部门, 企业, 主要领导
…) with the number of members, and merges the relations between groups into
one edge per type (and chain kind), counts summed.  A group with a single
member is drawn as that member.  Groups named in ``expand`` are drawn member by
member, the ``member_cap`` most mentioned ones; the rest stay folded in a
remainder node (``部门（另 52 个）``).

:func:`cap` keeps the ``max_nodes`` most mentioned/connected nodes of an
unfolded selection and says how many it left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from kgraph import schema
from kgraph.viz.tiers import place

GROUP_PREFIX = "Group:"
REST_SUFFIX = "|rest"
MAX_MERGED_EVIDENCE = 8
EVIDENCE_PER_MERGED_EDGE = 3
MAX_MERGED_IDS = 4
MAX_MERGED_DOCS = 20
MEMBER_CAP = 40
LISTED_MEMBERS = 200


@dataclass
class Folded:
    graph: nx.MultiDiGraph
    groups: dict[str, list[str]]  # group id → member node ids, most mentioned first
    total: int  # nodes of the selection
    hidden: int  # nodes of expanded groups left in a remainder node


def weight(G: nx.MultiDiGraph, n: str) -> tuple[int, int, str]:
    """Sort key, most important first: mentions, then relations, then id (stable)."""
    return (-int(G.nodes[n].get("mentions") or 0), -G.degree(n), n)


def group_id(tier: int, group: str) -> str:
    return f"{GROUP_PREFIX}{tier}:{group}"


def is_group(n: str) -> bool:
    return n.startswith(GROUP_PREFIX)


def groups_of(
    G: nx.MultiDiGraph,
) -> tuple[dict[str, list[str]], dict[str, tuple[int, str]]]:
    """Group id → members (most important first), and group id → (tier, caption)."""
    members: dict[str, list[str]] = {}
    info: dict[str, tuple[int, str]] = {}
    for n, data in G.nodes(data=True):
        tier, group = place(data)
        gid = group_id(tier, group)
        members.setdefault(gid, []).append(n)
        info[gid] = (tier, group)
    degree = dict(G.degree())
    mentions = {n: int(d.get("mentions") or 0) for n, d in G.nodes(data=True)}
    for gid in members:
        members[gid].sort(key=lambda n: (-mentions[n], -degree[n], n))
    return members, info


class Folder:
    """Groups of ``G`` worked out once, so that the first view and every one-group-expanded view are cheap.

    The relations between groups are merged once for the folded view; the
    view with group *g* expanded re-merges only the relations that touch *g*.
    """

    def __init__(self, G: nx.MultiDiGraph, member_cap: int = MEMBER_CAP) -> None:
        self.G = G
        self.member_cap = member_cap
        self.members, self.info = groups_of(G)
        self.group_of = {n: gid for gid, ns in self.members.items() for n in ns}
        self.touching: dict[str, list[tuple]] = {
            g: [] for g, ns in self.members.items() if len(ns) > 1
        }
        group_of, touching = self.group_of, self.touching
        for e in G.edges(keys=True, data=True):
            gu, gv = group_of[e[0]], group_of[e[1]]
            if gu in touching:
                touching[gu].append(e)
            if gv != gu and gv in touching:
                touching[gv].append(e)
        self._base: Folded | None = None
        self._stand_in: dict[str, dict] = {}  # group id → attributes of its folded node

    @property
    def groups(self) -> dict[str, list[str]]:
        return {g: ns for g, ns in self.members.items() if len(ns) > 1}

    def _nodes(
        self, H: nx.MultiDiGraph, gid: str, expanded: bool
    ) -> tuple[dict[str, str], int]:
        G, nodes = self.G, self.members[gid]
        tier, caption = self.info[gid]
        shown: dict[str, str] = {}
        hidden = 0
        if len(nodes) == 1 or expanded:
            own = nodes if len(nodes) == 1 else nodes[: self.member_cap]
            for n in own:
                H.add_node(
                    n, **G.nodes[n], _tier=tier, _group=gid, _member=len(nodes) > 1
                )
                shown[n] = n
            rest = nodes[len(own) :]
            hidden = len(rest)
            stand_in = gid + REST_SUFFIX
        else:
            rest = nodes
            stand_in = gid
        if rest:
            attrs = self._stand_in.get(stand_in)
            if attrs is None:
                labels = Counter(G.nodes[n].get("label", "") for n in rest)
                attrs = self._stand_in[stand_in] = dict(
                    label=labels.most_common(1)[0][0],
                    name=caption
                    if stand_in == gid
                    else f"{caption}（另 {len(rest)} 个）",
                    size=len(rest),
                    mentions=sum(int(G.nodes[n].get("mentions") or 0) for n in rest),
                    docs=[],
                    _tier=tier,
                    _group=gid,
                    _members=[_member_entry(G, n) for n in rest[:LISTED_MEMBERS]],
                    _labels=dict(labels),
                )
            H.add_node(stand_in, **attrs)
            shown.update(dict.fromkeys(rest, stand_in))
        return shown, hidden

    def view(self, expand: str | None = None) -> Folded:
        """The folded graph, with group ``expand`` (if any) drawn member by member."""
        if expand is None and self._base is not None:
            return self._base
        H: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        H.graph.update(self.G.graph)
        shown: dict[str, str] = {}
        hidden = 0
        for gid in sorted(self.members, key=lambda g: (self.info[g][0], g)):
            got, h = self._nodes(H, gid, gid == expand)
            shown.update(got)
            hidden += h
        if expand is None:
            _merge_into(H, self.G.edges(keys=True, data=True), shown)
            self._base = Folded(H, self.groups, self.G.number_of_nodes(), hidden)
            return self._base
        base = self.view(None).graph
        for u, v, k, d in base.edges(
            keys=True, data=True
        ):  # relations not touching the expanded group
            if u != expand and v != expand:
                H.add_edge(u, v, key=k, **d)
        _merge_into(H, self.touching.get(expand, ()), shown)
        return Folded(H, self.groups, self.G.number_of_nodes(), hidden)


def fold(
    G: nx.MultiDiGraph, expand: Iterable[str] = (), member_cap: int = MEMBER_CAP
) -> Folded:
    """``G`` with each group of two or more members drawn as one node (see the module doc)."""
    expand = list(expand)
    if len(expand) > 1:
        raise ValueError("fold expands one group at a time")
    return Folder(G, member_cap).view(expand[0] if expand else None)


def _merge_into(
    H: nx.MultiDiGraph, edges: Iterable[tuple], shown: dict[str, str]
) -> None:
    """Add ``edges`` to ``H`` between the nodes that stand for their ends, merging those between groups."""
    merged: dict[tuple[str, str, str], dict] = {}
    for u, v, key, data in edges:
        su, sv = shown.get(u), shown.get(v)
        if su is None or sv is None or su == sv:
            continue
        if su == u and sv == v:
            H.add_edge(u, v, key=key, **data)
            continue
        kind = data.get("kind") if data.get("type") == schema.CHAIN else ""
        mkey = (su, sv, f"{data.get('type', '')}|{kind or ''}")
        m = merged.get(mkey)
        if m is None:
            m = merged[mkey] = {
                "type": data.get("type", ""),
                "count": 0,
                "docs": set(),
                "rules": set(),
                "evidence": [],
                "_ids": [],
                "_merged": 0,
            }
            if kind:
                m["kind"] = kind
        count = int(data.get("count") or 1)
        m["count"] += count
        m["_merged"] += 1
        if len(m["docs"]) < MAX_MERGED_DOCS:
            m["docs"].update(data.get("docs") or ())
        m["rules"].update(data.get("rules") or ())
        if len(m["evidence"]) < MAX_MERGED_EVIDENCE:
            m["evidence"].extend(
                list(data.get("evidence") or ())[:EVIDENCE_PER_MERGED_EDGE]
            )
        if "_id" in data:
            m["_ids"].append((-count, data["_id"]))
    for (su, sv, key), m in merged.items():
        m["docs"] = sorted(m["docs"])[:MAX_MERGED_DOCS]
        m["rules"] = sorted(m["rules"])
        m["evidence"] = m["evidence"][:MAX_MERGED_EVIDENCE]
        # the most often stated relations give the evidence shown for the merged one
        m["_ids"] = [i for _, i in sorted(m["_ids"])[:MAX_MERGED_IDS]]
        H.add_edge(su, sv, key="merged|" + key, **m)


def _member_entry(G: nx.MultiDiGraph, n: str) -> dict:
    d = G.nodes[n]
    return {
        "name": str(d.get("name") or n),
        "label": d.get("label", ""),
        "mentions": int(d.get("mentions") or 0),
    }


def cap(G: nx.MultiDiGraph, max_nodes: int) -> tuple[nx.MultiDiGraph, int]:
    """The ``max_nodes`` most important nodes of ``G`` (and the number left out)."""
    if max_nodes <= 0 or G.number_of_nodes() <= max_nodes:
        return G, 0
    keep = sorted(G, key=lambda n: weight(G, n))[:max_nodes]
    H: nx.MultiDiGraph[str] = nx.MultiDiGraph(G.subgraph(keep))
    H.graph.update(G.graph)
    H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    return H, G.number_of_nodes() - H.number_of_nodes()
