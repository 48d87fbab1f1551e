"""Exports that other tools open as they are: GraphML for Gephi/yEd,
node-link JSON for networkx (current and previous defaults) and D3."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from kgraph import build_graph, process_file
from kgraph.readwrite import read_graphml, read_json, write_graphml, write_json

SEEDS = Path(__file__).resolve().parent.parent / "data" / "speeches"
NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


@pytest.fixture(scope="module")
def seed_graph() -> nx.MultiDiGraph:
    return build_graph(process_file(p) for p in sorted(SEEDS.glob("*.txt")))


def _same(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True), key=repr) == sorted(
        b.edges(keys=True, data=True), key=repr
    )


def test_graphml_edge_ids_unique_weights_numeric_and_round_trip(seed_graph, tmp_path):
    out = tmp_path / "g.graphml"
    write_graphml(seed_graph, out)
    root = ET.parse(out).getroot()
    edges = root.findall(".//g:edge", NS)
    ids = [e.get("id") for e in edges]
    assert (
        len(edges) == seed_graph.number_of_edges()
        and len(set(ids)) == len(ids)
        and all(ids)
    )
    keys = {k.get("attr.name"): k for k in root.findall("g:key", NS)}
    assert keys["weight"].get("for") == "edge" and keys["weight"].get("attr.type") in (
        "double",
        "float",
        "int",
        "long",
    )

    raw = nx.read_graphml(out)  # what a tool sees, with no help from kgraph
    assert raw.number_of_edges() == seed_graph.number_of_edges()
    assert len({k for _, _, k in raw.edges(keys=True)}) == raw.number_of_edges()
    for _u, _v, d in raw.edges(data=True):
        assert isinstance(d["weight"], float) and d["weight"] >= 1 and d["label"]
    counts = sorted(d["count"] for _, _, d in seed_graph.edges(data=True))
    assert sorted(int(d["weight"]) for _, _, d in raw.edges(data=True)) == counts
    names = {n: d["name"] for n, d in seed_graph.nodes(data=True)}
    assert all(d["label"] == names[n] for n, d in raw.nodes(data=True))

    _same(read_graphml(out), seed_graph)


def test_node_link_json_opens_with_networkx_defaults_and_d3(seed_graph, tmp_path):
    out = tmp_path / "g.json"
    write_json(seed_graph, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    for key in ("edges", "links"):  # networkx >= 3.4 default, networkx 2.x / D3
        g = (
            nx.node_link_graph(data, edges=key)
            if key == "links"
            else nx.node_link_graph(data)
        )
        assert g.number_of_nodes() == seed_graph.number_of_nodes()
        assert g.number_of_edges() == seed_graph.number_of_edges()
    ids = {n["id"] for n in data["nodes"]}
    links = data["links"]
    assert all(
        e["source"] in ids and e["target"] in ids for e in links
    )  # D3 forceLink(id)
    assert all(isinstance(e["weight"], float) and e["label"] for e in links)
    assert all(n["label"] and n["node_type"] for n in data["nodes"])
    _same(read_json(out), seed_graph)
