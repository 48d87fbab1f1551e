"""Read what a picture needs from a workspace, without the evidence of every edge.

``Workspace.load_graph`` reads every evidence row; at 10,000 speeches that is
millions of rows, most of them for relations no picture draws.  The pictures
read the graph's structure here (no ``MENTIONED_IN`` edges, no evidence; each
edge keeps its row id as ``_id``), cut and fold it, and only then fetch the
few evidence sentences of what is drawn (:func:`attach_evidence`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing

import networkx as nx

from kgraph import schema
from kgraph.store import Workspace

EVIDENCE_PER_EDGE = 5
MENTIONS_PER_NODE = 5
MAX_EVIDENCE = 8
_SKIP = (schema.MENTIONED_IN,)


def load_structure(
    ws: Workspace,
    labels: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """Nodes and edges of ``ws`` with ``_id`` instead of evidence; ``G.graph['_ws']`` is ``ws``.

    ``labels`` / ``types`` read only those node labels / relationship types
    (default: every label, every type but ``MENTIONED_IN``).
    """
    G: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    want_types = [
        t
        for t in (types if types is not None else schema.RELATIONSHIPS)
        if t not in _SKIP
    ]
    with closing(ws.connect()) as conn:
        node_sql = "SELECT id, label, name, props FROM nodes"
        params: list = []
        if labels is not None:
            labels = list(labels)
            node_sql += f" WHERE label IN ({','.join('?' * len(labels))})"
            params = labels
        for nid, label, name, props in conn.execute(node_sql, params):
            G.add_node(nid, label=label, name=name, **json.loads(props))
        edge_sql = (
            "SELECT id, src, dst, type, key, count, props FROM edges "
            f"WHERE type IN ({','.join('?' * len(want_types))})"
        )
        for eid, src, dst, typ, key, count, props in conn.execute(edge_sql, want_types):
            if src in G and dst in G:
                G.add_edge(
                    src,
                    dst,
                    key=key,
                    type=typ,
                    count=count,
                    _id=eid,
                    **json.loads(props),
                )
        titles = dict(conn.execute("SELECT id, title FROM documents"))
    G.graph["doc_titles"] = {k: v or k for k, v in titles.items()}
    G.graph["_ws"] = ws
    return G


def attach_evidence(
    G: nx.MultiDiGraph, doc: str | None = None, cache: dict | None = None
) -> None:
    """Fill ``evidence`` on edges that only carry ids, and ``mention_evidence`` on nodes.

    A no-op for graphs read in full (tests, Neo4j).  ``doc`` keeps only that
    document's sentences; ``cache`` (a dict) is shared between calls on views
    of the same graph.
    """
    ws = G.graph.get("_ws")
    if ws is None:
        return
    cache = {} if cache is None else cache
    edge_rows = cache.setdefault("edges", {})
    with closing(ws.connect()) as conn:
        for *_, data in G.edges(data=True):
            if data.get("evidence"):
                continue
            ids = list(data.get("_ids") or ()) + (
                [data["_id"]] if "_id" in data else []
            )
            per = EVIDENCE_PER_EDGE if len(ids) == 1 else 3
            found: list[dict] = []
            for i in ids:
                if i not in edge_rows:
                    edge_rows[i] = _rows(
                        conn, "WHERE edge_id = ?", [i], doc, EVIDENCE_PER_EDGE
                    )
                found.extend(edge_rows[i][:per])
            data["evidence"] = found[:MAX_EVIDENCE]
        node_rows = cache.setdefault("nodes", {})
        for n, data in G.nodes(data=True):
            if (
                data.get("mention_evidence")
                or "_members" in data
                or data.get("label") == schema.DOCUMENT
            ):
                continue
            if n not in node_rows:
                node_rows[n] = _rows(
                    conn,
                    "WHERE edge_id IN (SELECT id FROM edges WHERE src = ? AND type = ?)",
                    [n, schema.MENTIONED_IN],
                    doc,
                    MENTIONS_PER_NODE,
                )
            if node_rows[n]:
                data["mention_evidence"] = node_rows[n]


def _rows(
    conn: sqlite3.Connection, where: str, params: list, doc: str | None, limit: int
) -> list[dict]:
    sql = f'SELECT doc, sentence, start, "end", rule, text FROM evidence {where}'
    if doc:
        sql += " AND doc = ?"
        params = [*params, doc]
    rows = conn.execute(sql + " LIMIT ?", [*params, limit])
    return [
        {"doc": d, "sentence": s, "start": a, "end": b, "rule": r, "text": t}
        for d, s, a, b, r, t in rows
    ]
