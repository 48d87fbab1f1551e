"""From a selection to what is drawn: folded or capped, with a note saying which.

Every renderer (HTML, Graphviz, Mermaid) draws a :class:`Picture`, so they
agree on what is shown and the note that says what was left out is the same
in the picture and on stderr.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from kgraph.viz.aggregate import Folder, cap
from kgraph.viz.load import attach_evidence

MAX_NODES = 150  # drawn one box each (--detail); more is a strip nobody can read
FOLD_ABOVE = (
    30  # a selection this small is drawn node by node even when folding is asked for
)


@dataclass
class Picture:
    graph: nx.MultiDiGraph  # what is drawn first
    note: str  # what was folded or left out ("" when everything is drawn as it is)
    total: int  # nodes in the selection
    folded: bool = False
    capped: bool = False
    # group id → the view with that group drawn member by member (HTML: expand on click)
    variants: dict[str, nx.MultiDiGraph] = field(default_factory=dict)


def prepare(
    G: nx.MultiDiGraph,
    aggregate: bool = True,
    max_nodes: int = MAX_NODES,
    expandable: bool = False,
    doc: str | None = None,
) -> Picture:
    """Fold ``G`` into groups (``aggregate``) or keep its ``max_nodes`` most important nodes.

    A selection of at most :data:`FOLD_ABOVE` nodes is drawn as it is: its
    names fit on a screen.  ``expandable`` also prepares, for each group, the
    view with that group expanded (the HTML page switches to it on a click).  Evidence is fetched
    here, for what is drawn only (see :mod:`kgraph.viz.load`).
    """
    total = G.number_of_nodes()
    if aggregate and total > FOLD_ABOVE:
        folder = Folder(G)
        f = folder.view()
        pic = Picture(f.graph, "", total, folded=bool(f.groups))
        if f.groups:
            pic.note = (
                f"{total} 个节点按类型归并为 {f.graph.number_of_nodes()} 个方框，括号中为成员数"
                + ("；点击方框展开" if expandable else "；--detail 逐个画出")
            )
        if expandable:
            for gid in f.groups:
                pic.variants[gid] = folder.view(gid).graph
    else:
        H, dropped = cap(G, max_nodes)
        pic = Picture(H, "", total, capped=dropped > 0)
        if dropped:
            pic.note = (
                f"只画出提及最多的 {H.number_of_nodes()} 个节点（共 {total} 个，{dropped} 个未画出）；"
                "可用 --sector / --holder / --doc 缩小范围，或 --max-nodes 调整"
            )
    cache: dict = {}
    for V in [pic.graph, *pic.variants.values()]:
        attach_evidence(V, doc, cache)
    return pic
