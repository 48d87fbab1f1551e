"""GraphML that Gephi and yEd open, and that networkx reads back.

GraphML attributes must be scalars: lists and dicts (``docs``, ``rules``,
``evidence``) are written as JSON strings and ``None`` as "".  Every node gets
a display ``label`` (its name) — which is what Gephi and yEd show — so the
schema label travels as ``node_type``; :func:`read_graphml` undoes both.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from kgraph.readwrite.atomic import atomic_write

JSON_ATTRS = ("docs", "rules", "evidence", "dates")


def _scalar(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def to_graphml_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph()
    for nid, d in g.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in d.items() if k != "label"}
        attrs["node_type"] = d.get("label", "")
        attrs["label"] = str(d.get("name") or nid)
        out.add_node(nid, **attrs)
    for u, v, k, d in g.edges(keys=True, data=True):
        attrs = {a: _scalar(x) for a, x in d.items()}
        detail = d.get("kind") or d.get("responsibility") or d.get("sector") or ""
        attrs["label"] = f"{d.get('type', '')} {detail}".strip()
        out.add_edge(u, v, key=k, **attrs)
    return out


def write_graphml(g: nx.MultiDiGraph, path: str | Path) -> None:
    data = to_graphml_graph(g)
    with atomic_write(path, "wb", encoding=None) as fh:
        nx.write_graphml(data, fh, encoding="utf-8", prettyprint=True)


def read_graphml(path: str | Path) -> nx.MultiDiGraph:
    raw = nx.read_graphml(path, force_multigraph=True)
    g = nx.MultiDiGraph()
    for nid, d in raw.nodes(data=True):
        d = dict(d)
        d["label"] = d.pop("node_type", "")
        for a in JSON_ATTRS:
            if isinstance(d.get(a), str):
                d[a] = json.loads(d[a]) if d[a] else []
        g.add_node(nid, **d)
    for u, v, k, d in raw.edges(keys=True, data=True):
        d = dict(d)
        d.pop("label", None)
        for a in JSON_ATTRS:
            if isinstance(d.get(a), str):
                d[a] = json.loads(d[a]) if d[a] else []
        g.add_edge(u, v, key=k, **d)
    return g
