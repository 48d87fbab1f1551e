"""Mermaid ``flowchart TD`` text, for pasting into Markdown (GitLab, GitHub, Obsidian …).

Node ids are generated (``n0``, ``n1`` …) because Chinese names, parentheses
and colons are not valid Mermaid ids; the names go into quoted labels with
Mermaid's entity escapes for the characters that would end or confuse them.
"""

from __future__ import annotations

import networkx as nx

from kgraph import schema
from kgraph.viz import style
from kgraph.viz.tiers import assign_tiers

_ENTITIES = {
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "#": "#35;",
    "\n": " ",
    "\r": " ",
    "`": "#96;",
}


def label(text: object) -> str:
    """Text safe inside a Mermaid ``"…"`` label."""
    return "".join(_ENTITIES.get(ch, ch) for ch in str(text))


def to_mermaid(G: nx.MultiDiGraph) -> str:
    tiers = assign_tiers(G)
    order = sorted(G, key=lambda n: (tiers[n], str(G.nodes[n].get("label", "")), n))
    ids = {n: f"n{i}" for i, n in enumerate(order)}
    lines = ["flowchart TD"]
    for n in order:
        data = G.nodes[n]
        *_, open_, close = style.node_style(data.get("label", ""))
        lines.append(f"  {ids[n]}{open_}{label(style.node_caption(data) or n)}{close}")
    for u, v, _key, data in sorted(
        G.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], str(e[2]))
    ):
        arrow = "==>" if data.get("type") == schema.CHAIN else "-->"
        lines.append(
            f'  {ids[u]} {arrow}|"{label(style.edge_caption(data))}"| {ids[v]}'
        )
    present = [
        lab
        for lab in schema.NODE_LABELS
        if any(G.nodes[n].get("label") == lab for n in G)
    ]
    for lab in present:
        _cap, fill, stroke, *_ = style.node_style(lab)
        lines.append(f"  classDef {lab} fill:{fill},stroke:{stroke},color:#111827")
        members = ",".join(ids[n] for n in order if G.nodes[n].get("label") == lab)
        lines.append(f"  class {members} {lab}")
    return "\n".join(lines) + "\n"
