"""The networkx graph (:mod:`kgraph.graph`) → rows for ``UNWIND`` batches.

* node ``"Label:name"`` → ``{"id", "props"}`` under its label;
* edge (key ``"TYPE|attr|…"``) → ``{"src", "dst", "key", "props"}`` under
  (type, source label, target label), so the push query finds both ends
  through one label's ``id`` index; ``props`` holds the key attributes,
  ``count``, ``docs``, ``rules`` and the evidence arrays
  (:mod:`kgraph.neo4j.evidence`).

Labels and types are checked against :mod:`kgraph.schema`: they are spliced
into Cypher, so nothing else may reach it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kgraph import schema
from kgraph.errors import StoreError
from kgraph.neo4j.evidence import evidence_arrays

if TYPE_CHECKING:
    import networkx as nx

Row = dict[str, Any]
RelGroup = tuple[str, str, str]

# Node attributes that are not stored as properties (the label *is* the label;
# ``id`` is set by the MERGE/CREATE itself).
_NODE_SKIP = {"label", "id"}
# Edge attributes handled specially.
_EDGE_SKIP = {"type", "evidence", "key"}


def check_label(label: str) -> str:
    if label not in schema.NODE_LABELS:
        raise StoreError(
            f"node label {label!r} is not in the kgraph schema ({', '.join(schema.NODE_LABELS)})"
        )
    return label


def check_type(rel_type: str) -> str:
    if rel_type not in schema.RELATIONSHIPS:
        raise StoreError(f"relationship type {rel_type!r} is not in the kgraph schema")
    return rel_type


def stored_property(value: Any) -> Any:
    """A Python value → something Neo4j stores: a primitive or a homogeneous
    primitive list.  Returns None for "leave it out"."""
    if value is None:
        return None
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
        items = [v for v in items if v is not None]
        kinds = {type(v) for v in items}
        if kinds <= {str} or kinds <= {int} or kinds <= {float} or kinds <= {bool}:
            return items
        if kinds <= {int, float}:
            return [float(v) for v in items]
        return [
            v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
            for v in items
        ]
    return json.dumps(value, ensure_ascii=False, default=str)


def node_label(G: nx.MultiDiGraph, nid: Any) -> str:
    return check_label(G.nodes[nid].get("label") or schema.split_node_id(str(nid))[0])


def node_rows(G: nx.MultiDiGraph) -> dict[str, list[Row]]:
    """``{label: [{"id", "props"}]}`` for every node of ``G``."""
    rows: dict[str, list[Row]] = defaultdict(list)
    for nid, attrs in G.nodes(data=True):
        label = node_label(G, nid)
        props: dict[str, Any] = {}
        for key, value in attrs.items():
            if key in _NODE_SKIP:
                continue
            stored = stored_property(value)
            if stored is not None:
                props[key] = stored
        props.setdefault("name", schema.split_node_id(str(nid))[1])
        rows[label].append({"id": str(nid), "props": props})
    return rows


def relationship_rows(G: nx.MultiDiGraph) -> dict[RelGroup, list[Row]]:
    """``{(type, src label, dst label): [{"src", "dst", "key", "props"}]}``."""
    rows: dict[RelGroup, list[Row]] = defaultdict(list)
    for src, dst, key, attrs in G.edges(keys=True, data=True):
        rel_type = check_type(attrs.get("type") or str(key).partition("|")[0])
        group = (rel_type, node_label(G, src), node_label(G, dst))
        props: dict[str, Any] = {}  # ``key`` is set by the MERGE/CREATE
        for name in schema.EDGE_KEY_ATTRS.get(rel_type, ()):
            props[name] = "" if attrs.get(name) is None else str(attrs.get(name))
        for name, value in attrs.items():
            if name in _EDGE_SKIP or name in props:
                continue
            stored = stored_property(value)
            if stored is not None:
                props[name] = stored
        props.update(evidence_arrays(attrs.get("evidence") or ()))
        rows[group].append(
            {"src": str(src), "dst": str(dst), "key": str(key), "props": props}
        )
    return rows


def count_by_type(rels: dict[RelGroup, list[Row]]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for (rel_type, _, _), group in rels.items():
        out[rel_type] += len(group)
    return dict(sorted(out.items()))


def chunks(rows: list[Row], size: int) -> Iterator[list[Row]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]
