"""Node-link JSON (the D3 / networkx shape), UTF-8, Chinese left readable."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from kgraph.readwrite.atomic import atomic_write


def write_json(g: nx.MultiDiGraph, path: str | Path) -> None:
    data = nx.node_link_data(g, edges="edges")
    with atomic_write(path) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)


def read_json(path: str | Path) -> nx.MultiDiGraph:
    with open(path, encoding="utf-8") as fh:
        return nx.node_link_graph(json.load(fh), directed=True, multigraph=True, edges="edges")
