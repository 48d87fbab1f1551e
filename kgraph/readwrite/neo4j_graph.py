"""Read the graph back out of Neo4j into networkx, so the chain views and
exports work on a graph that lives in Neo4j (``kgraph chain --neo4j``).

The inverse of :func:`kgraph.neo4j.push.push`: ``id`` is the node key, the
parallel ``ev_*`` arrays become the list of evidence dicts again
(:func:`kgraph.neo4j.evidence.evidence_list`).
Labels and types in the queries come only from :mod:`kgraph.schema`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from kgraph import schema
from kgraph.neo4j.evidence import evidence_list

if TYPE_CHECKING:
    from kgraph.neo4j.store import Neo4jStore

_NODE_QUERY = "MATCH (n:{label}) RETURN n.id AS id, properties(n) AS props"
_EDGE_QUERY = (
    "MATCH (a:{src})-[r:{type}]->(b:{dst}) "
    "RETURN a.id AS src, b.id AS dst, r.key AS key, properties(r) AS props"
)


def read_neo4j(store: Neo4jStore) -> nx.MultiDiGraph:
    """Every kgraph node and relationship in the store's database."""
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for label in schema.NODE_LABELS:
        for row in store.run_read(_NODE_QUERY.format(label=label)):
            props = dict(row["props"])
            props.pop("id", None)
            g.add_node(row["id"], label=label, **props)
    for rel_type, (src_labels, dst_labels) in schema.RELATIONSHIPS.items():
        for src in src_labels:
            for dst in dst_labels:
                for row in store.run_read(
                    _EDGE_QUERY.format(src=src, type=rel_type, dst=dst)
                ):
                    props = dict(row["props"])
                    props.pop("key", None)
                    evidence = evidence_list(props)
                    g.add_edge(
                        row["src"],
                        row["dst"],
                        key=row["key"],
                        type=rel_type,
                        evidence=evidence,
                        **props,
                    )
    return g
