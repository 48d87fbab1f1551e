"""GraphML that Gephi and yEd open as it is, and that networkx reads back.

GraphML attributes must be scalars: lists and dicts (``docs``, ``rules``,
``evidence``) are written as JSON strings and ``None`` as "".  Nodes and
edges carry a display ``label`` and edges a numeric ``weight``
(:mod:`kgraph.readwrite.display`).  Every edge has its own ``id`` (``e0``,
``e1``, …): Gephi drops an edge whose id it has already seen, so the
multigraph key (``BEARS|`` on many edges) travels as the ``key`` attribute
instead.  :func:`read_graphml` undoes all of it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from kgraph.readwrite.atomic import atomic_write
from kgraph.readwrite.display import (
    edge_display,
    edge_from_display,
    node_display,
    node_from_display,
)

JSON_ATTRS = ("docs", "rules", "evidence", "dates")


def _scalar(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def to_graphml_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for nid, d in g.nodes(data=True):
        out.add_node(nid, **{k: _scalar(v) for k, v in node_display(nid, d).items()})
    for i, (u, v, k, d) in enumerate(g.edges(keys=True, data=True)):
        attrs = {a: _scalar(x) for a, x in edge_display(d).items()}
        # The multigraph key is what networkx writes as the edge id.
        # (u, v, key, data): the stubs type only Graph's 2- and 3-tuples
        out.add_edges_from([(u, v, f"e{i}", {**attrs, "key": str(k)})])  # type: ignore[list-item]
    return out


def write_graphml(g: nx.MultiDiGraph, path: str | Path) -> None:
    data = to_graphml_graph(g)
    with atomic_write(path, "wb", encoding=None) as fh:
        nx.write_graphml(data, fh, encoding="utf-8", prettyprint=True)


def read_graphml(path: str | Path) -> nx.MultiDiGraph:
    raw = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(raw, nx.MultiGraph)  # force_multigraph; the stubs say Graph
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for nid, d in raw.nodes(data=True):
        d = node_from_display(d)
        for a in JSON_ATTRS:
            if isinstance(d.get(a), str):
                d[a] = json.loads(d[a]) if d[a] else []
        g.add_node(nid, **d)
    for u, v, k, d in raw.edges(keys=True, data=True):
        d = edge_from_display(d)
        key = d.pop("key", k)
        for a in JSON_ATTRS:
            if isinstance(d.get(a), str):
                d[a] = json.loads(d[a]) if d[a] else []
        g.add_edge(u, v, key=key, **d)
    return g
