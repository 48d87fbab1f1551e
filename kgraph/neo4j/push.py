"""Push a graph into Neo4j: ``UNWIND`` batches per label and per relationship type.

``MERGE`` on node ``id`` and on the relationship ``key`` between its two
nodes, so pushing again changes nothing and pushing a grown graph updates in
place (properties are overwritten; nothing is deleted — wipe first to replace
the graph).  One transaction per batch, retried by the driver on transient
errors.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgraph.errors import StoreError
from kgraph.gcpause import gc_paused
from kgraph.neo4j import meta
from kgraph.neo4j.meta import Mode, source_name
from kgraph.neo4j.rows import (
    check_label,
    check_type,
    chunks,
    count_by_type,
    node_rows,
    relationship_rows,
)

if TYPE_CHECKING:
    import networkx as nx

    from kgraph.neo4j.store import Neo4jStore

#: progress(phase, done, total) — phase is "schema", "nodes" or "relationships".
Progress = Callable[[str, int, int], None]


def push(
    store: Neo4jStore,
    G: nx.MultiDiGraph,
    *,
    batch_size: int = 1000,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Load ``G`` (a ``networkx.MultiDiGraph`` in the kgraph schema) into the
    store's database; returns counts and timings."""
    if batch_size < 1:
        raise StoreError("batch size must be at least 1")
    with gc_paused():
        return _push(
            store, G, batch_size, progress or (lambda phase, done, total: None)
        )


def _push(
    store: Neo4jStore, G: nx.MultiDiGraph, batch_size: int, report: Progress
) -> dict[str, Any]:
    t0 = time.perf_counter()
    nodes = node_rows(G)
    rels = relationship_rows(G)
    n_nodes = sum(map(len, nodes.values()))
    n_rels = sum(map(len, rels.values()))

    report("schema", 0, 1)
    store.ensure_schema()
    report("schema", 1, 1)

    done = 0
    report("nodes", 0, n_nodes)
    for label in sorted(nodes):
        cypher = f"UNWIND $rows AS row MERGE (n:{check_label(label)} {{id: row.id}}) SET n += row.props"
        for chunk in chunks(nodes[label], batch_size):
            store.run_batch(cypher, {"rows": chunk})
            done += len(chunk)
            report("nodes", done, n_nodes)
    t_nodes = time.perf_counter()

    done = 0
    report("relationships", 0, n_rels)
    for rel_type, src_label, dst_label in sorted(rels):
        cypher = (
            f"UNWIND $rows AS row "
            f"MATCH (a:{check_label(src_label)} {{id: row.src}}) "
            f"MATCH (b:{check_label(dst_label)} {{id: row.dst}}) "
            f"MERGE (a)-[r:{check_type(rel_type)} {{key: row.key}}]->(b) "
            f"SET r += row.props"
        )
        for chunk in chunks(rels[(rel_type, src_label, dst_label)], batch_size):
            store.run_batch(cypher, {"rows": chunk})
            done += len(chunk)
            report("relationships", done, n_rels)
    t_end = time.perf_counter()
    return {
        "nodes": n_nodes,
        "relationships": n_rels,
        "labels": {label: len(rows) for label, rows in sorted(nodes.items())},
        "types": count_by_type(rels),
        "seconds": round(t_end - t0, 3),
        "node_seconds": round(t_nodes - t0, 3),
        "relationship_seconds": round(t_end - t_nodes, 3),
    }


def push_graph(
    G: nx.MultiDiGraph,
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    *,
    workspace: str | Path | None = None,
    mode: Mode = Mode.REFUSE,
    batch_size: int = 1000,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """``kgraph push`` without the asking and printing: connect (arguments or
    ``NEO4J_*``), check the database holds no other workspace's graph
    (:mod:`kgraph.neo4j.meta`; ``mode`` MERGE adds to it, WIPE replaces it),
    push ``G``, record it, and report what the database now holds."""
    from kgraph.neo4j.store import connect

    source = source_name(workspace)
    with connect(uri, user, password, database) as store:
        wiped = store.wipe() if mode is Mode.WIPE else None
        before = meta.claim(store, source, mode)
        signature = meta.graph_signature(G)
        result = push(store, G, batch_size=batch_size, progress=progress)
        meta.record(store, signature, result)
        result["uri"], result["database"] = store.uri, store.database
        result["workspace"] = source
        result["signature"] = signature
        result["unchanged"] = before["signature"] == signature and before[
            "sources"
        ] == [source]
        result["sources"] = (
            sorted({*before["sources"], source}) if mode is not Mode.WIPE else [source]
        )
        if wiped is not None:
            result["wiped_nodes"] = wiped
        result["counts"] = store.counts()
    return result
