"""Push a graph into Neo4j: ``UNWIND`` batches per label and per relationship type.

Into a database that already holds (part of) the graph, ``MERGE`` on node
``id`` and on the relationship ``key`` between its two nodes, so pushing
again changes nothing and pushing a grown graph updates in place (properties
are overwritten; nothing is deleted — wipe first to replace the graph).

Into a database this push has to itself and that holds no kgraph graph
(``fresh``: the first push, or after a wipe), ``CREATE`` instead, with the
uniqueness constraints made first, and the relationships find their two ends
by the element ids the node batches returned rather than through the ``id``
index: there is nothing to match, and the server spends about a third less
CPU per relationship (bench/README.md).  Its rows are lists, not maps, and
one query text serves every batch of a relationship type.  A node batch that meets a node
already there (another push got in) makes the rest of the push ``MERGE``.
The relationship types of a fresh push are split into two lanes, each
pushed in its own session at once: the client encodes one batch while the
server writes another, and the server writes two at a time (CREATE takes no
locks that two lanes wait on each other for; MERGE does, so a re-push runs in
one lane).

One transaction per batch, retried by the driver on transient errors.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgraph.errors import StoreError
from kgraph.gcpause import gc_paused
from kgraph.neo4j import meta
from kgraph.neo4j.meta import Mode, source_name
from kgraph.neo4j.rows import (
    Row,
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
    fresh: bool = False,
    workers: int = 2,
) -> dict[str, Any]:
    """Load ``G`` (a ``networkx.MultiDiGraph`` in the kgraph schema) into the
    store's database; returns counts and timings.  ``fresh``: the caller
    knows the database holds none of the graph and no one else pushes into
    it meanwhile (see the module docstring); its relationships then go in
    ``workers`` sessions at once."""
    if batch_size < 1:
        raise StoreError("batch size must be at least 1")
    with gc_paused():
        return _push(
            store,
            G,
            batch_size,
            progress or (lambda phase, done, total: None),
            fresh,
            workers,
        )


def _node_cypher(label: str, fresh: bool) -> str:
    verb = "CREATE" if fresh else "MERGE"
    return (
        f"UNWIND $rows AS row {verb} (n:{check_label(label)} {{id: row.id}}) SET n += row.props "
        f"RETURN row.id AS id, elementId(n) AS eid"
    )


def _columns(rows: list[Row]) -> list[str]:
    """The property names of a create batch's rows, in the order their values
    follow ``src``, ``dst`` and ``key`` in each row list."""
    return sorted({name for row in rows for name in row["props"]})


def _create_cypher(rel_type: str, columns: list[str]) -> str:
    """Rows are lists (``[src eid, dst eid, key, *values]``), not maps: the
    server decodes no key strings per row and builds no property map to add
    (bench/README.md).  The element id finds the node whatever its label, so
    every group of a type with the same properties shares one query text,
    one cached plan."""
    props = "".join(f", `{name}`: row[{i}]" for i, name in enumerate(columns, start=3))
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a) WHERE elementId(a) = row[0] "
        f"MATCH (b) WHERE elementId(b) = row[1] "
        f"CREATE (a)-[r:{check_type(rel_type)} {{key: row[2]{props}}}]->(b)"
    )


def _create_rows(
    chunk: list[Row], columns: list[str], eids: dict[str, str]
) -> list[list[Any]]:
    """A property missing from a row is sent as null, which CREATE does not store."""
    return [
        [
            eids[row["src"]],
            eids[row["dst"]],
            row["key"],
            *map(row["props"].get, columns),
        ]
        for row in chunk
    ]


def _merge_cypher(group: tuple[str, str, str]) -> str:
    rel_type, src, dst = (
        check_type(group[0]),
        check_label(group[1]),
        check_label(group[2]),
    )
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{src} {{id: row.src}}) "
        f"MATCH (b:{dst} {{id: row.dst}}) "
        f"MERGE (a)-[r:{rel_type} {{key: row.key}}]->(b) "
        f"SET r += row.props"
    )


def _push_nodes(
    store: Neo4jStore, chunk: list[Row], label: str, fresh: bool
) -> tuple[list[Row], bool]:
    """One node batch; returns its (id, eid) rows and whether the push is
    still fresh."""
    import neo4j.exceptions as nx

    if fresh:
        try:
            return store.run_batch(_node_cypher(label, True), {"rows": chunk}, 0), True
        except nx.ConstraintError:
            pass  # a node is there already: from now on, MERGE
    return store.run_batch(_node_cypher(label, False), {"rows": chunk}), False


RelGroup = tuple[str, str, str]


def _lanes(rels: dict[RelGroup, list[Row]], workers: int) -> list[list[RelGroup]]:
    """The relationship groups split into ``workers`` lanes of about equal
    rows, largest group first, each lane in sorted order."""
    lanes: list[list[RelGroup]] = [[] for _ in range(max(1, workers))]
    load = [0] * len(lanes)
    for group in sorted(rels, key=lambda g: (-len(rels[g]), g)):
        i = load.index(min(load))
        lanes[i].append(group)
        load[i] += len(rels[group])
    return [sorted(lane) for lane in lanes if lane]


class _Counter:
    """Relationships done across lanes, reported in order."""

    def __init__(self, total: int, report: Progress) -> None:
        self.total, self.report, self.done = total, report, 0
        self.lock = threading.Lock()

    def add(self, n: int) -> None:
        with self.lock:
            self.done += n
            self.report("relationships", self.done, self.total)


def _in_parallel(
    run: Callable[[list[RelGroup]], None], lanes: list[list[RelGroup]]
) -> None:
    """``run`` each lane in its own thread (its own session; the driver is
    thread-safe); the first error is raised here."""
    if len(lanes) <= 1:
        for lane in lanes:
            run(lane)
        return
    with ThreadPoolExecutor(max_workers=len(lanes)) as pool:
        for future in [pool.submit(run, lane) for lane in lanes]:
            future.result()


def _push(
    store: Neo4jStore,
    G: nx.MultiDiGraph,
    batch_size: int,
    report: Progress,
    fresh: bool,
    workers: int,
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
    eids: dict[str, str] = {}
    report("nodes", 0, n_nodes)
    for label in sorted(nodes):
        for chunk in chunks(nodes[label], batch_size):
            created, fresh = _push_nodes(store, chunk, label, fresh)
            eids.update((r["id"], r["eid"]) for r in created)
            done += len(chunk)
            report("nodes", done, n_nodes)
    t_nodes = time.perf_counter()

    report("relationships", 0, n_rels)
    lanes = _lanes(rels, workers if fresh else 1)
    counter = _Counter(n_rels, report)

    def run(groups: list[tuple[str, str, str]]) -> None:
        for group in groups:
            rows = rels[group]
            if fresh:
                columns = _columns(rows)
                cypher = _create_cypher(group[0], columns)
            else:
                cypher = _merge_cypher(group)
            for chunk in chunks(rows, batch_size):
                params = _create_rows(chunk, columns, eids) if fresh else chunk
                store.run_batch(cypher, {"rows": params})
                counter.add(len(chunk))

    _in_parallel(run, lanes)
    t_end = time.perf_counter()
    return {
        "nodes": n_nodes,
        "relationships": n_rels,
        "created": fresh,
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
        result = push(
            store, G, batch_size=batch_size, progress=progress, fresh=before["fresh"]
        )
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
