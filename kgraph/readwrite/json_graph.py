"""Node-link JSON (the D3 / networkx shape), UTF-8, Chinese left readable.

The edge list is written under both ``links`` (D3, and networkx 2.x–3.3's
default) and ``edges`` (networkx ≥ 3.4's default), so each opens it with
its defaults.  Labels and weights as in :mod:`kgraph.readwrite.display`.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from kgraph.readwrite.atomic import atomic_write
from kgraph.readwrite.display import (
    edge_display,
    edge_from_display,
    node_display,
    node_from_display,
)


def to_node_link(g: nx.MultiDiGraph) -> dict:
    nodes = [{"id": nid, **node_display(nid, d)} for nid, d in g.nodes(data=True)]
    links = [
        {"source": u, "target": v, "key": k, **edge_display(d)}
        for u, v, k, d in g.edges(keys=True, data=True)
    ]
    return {
        "directed": True,
        "multigraph": True,
        "graph": dict(g.graph),
        "nodes": nodes,
        "links": links,
        "edges": links,
    }


def write_json(g: nx.MultiDiGraph, path: str | Path) -> None:
    with atomic_write(path) as fh:
        json.dump(to_node_link(g), fh, ensure_ascii=False, indent=1)


def read_json(path: str | Path) -> nx.MultiDiGraph:
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    g.graph.update(data.get("graph") or {})
    for n in data["nodes"]:
        n = dict(n)
        g.add_node(n.pop("id"), **node_from_display(n))
    for e in data.get("edges", data.get("links", [])):
        e = dict(e)
        g.add_edge(
            e.pop("source"),
            e.pop("target"),
            key=e.pop("key", None),
            **edge_from_display(e),
        )
    return g
