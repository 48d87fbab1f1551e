"""Which graph a database holds: one ``(:KgraphMeta {id: "graph"})`` node.

``kgraph push`` records there the workspace(s) it pushed and a signature of
the graph, so a push of *another* workspace into a database that already holds
one is refused (the user says ``--merge`` to add to it or ``--wipe`` to replace
it) instead of mixing two graphs silently.  Pushing the same workspace again
updates in place without flags.  The label is not in :mod:`kgraph.schema`, so
no question, count or read-back ever sees the node.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgraph import schema
from kgraph.errors import InputError

if TYPE_CHECKING:
    import networkx as nx

    from kgraph.neo4j.store import Neo4jStore

META_LABEL = "KgraphMeta"
META_ID = "graph"
#: what a push of a graph that is not a workspace records as its source
UNNAMED = "(a graph pushed from Python)"


class Mode(Enum):
    """What to do with a database that holds another workspace's graph."""

    REFUSE = "refuse"
    MERGE = "merge"  # add this graph to it
    WIPE = "wipe"  # replace it


def source_name(workspace: str | Path | None) -> str:
    """The identity a push records: the workspace's absolute path."""
    return str(Path(workspace).resolve()) if workspace is not None else UNNAMED


def graph_signature(G: nx.MultiDiGraph) -> str:
    """A digest of the graph's node ids and edge keys (not its properties): the
    same build gives the same signature."""
    h = hashlib.sha256()
    for nid in sorted(map(str, G.nodes)):
        h.update(nid.encode())
        h.update(b"\0")
    h.update(b"\1")
    for edge in sorted((str(u), str(v), str(k)) for u, v, k in G.edges(keys=True)):
        h.update("\0".join(edge).encode())
        h.update(b"\0")
    return h.hexdigest()[:16]


def ensure_meta_schema(store: Neo4jStore) -> None:
    store.run_schema(
        f"CREATE CONSTRAINT kgraph_meta_id IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.id IS UNIQUE"
    )


def claim(store: Neo4jStore, source: str, mode: Mode) -> dict[str, Any]:
    """Check the database may take a push of ``source`` and record it as one
    of the graph's sources, in one write transaction (a concurrent push of
    another workspace into the same empty database waits on the constraint's
    lock and is then refused).  ``mode`` WIPE claims the database for
    ``source`` alone; the caller wipes the graph itself.  Returns what the
    database held before, ``{"sources": [...], "signature": ...}``, and
    ``fresh``: this push found no kgraph graph there and made the record
    itself, so it may CREATE rather than MERGE (:mod:`kgraph.neo4j.push`)."""
    ensure_meta_schema(store)
    probe = " UNION ".join(
        f"MATCH (n:{label}) RETURN 1 AS x LIMIT 1" for label in schema.NODE_LABELS
    )

    def work(tx: Any) -> dict[str, Any]:
        row = tx.run(
            f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN m.workspaces AS sources, m.signature AS signature",
            id=META_ID,
        ).single()
        held_before: list[str] = list(row["sources"] or []) if row else []
        occupied = tx.run(probe).single() is not None
        if (
            mode is Mode.REFUSE
            and source not in held_before
            and (held_before or occupied)
        ):
            raise InputError(refusal(store, held_before))
        # MERGE takes the constraint's lock: of two first pushes at once, the
        # second finds the node the first created and is judged on what it holds
        token = secrets.token_hex(8)
        got = tx.run(
            f"MERGE (m:{META_LABEL} {{id: $id}}) "
            f"ON CREATE SET m.workspaces = [$source], m.claim = $token "
            f"RETURN m.workspaces AS sources, m.claim = $token AS created",
            id=META_ID,
            source=source,
            token=token,
        ).single()
        held: list[str] = list(got["sources"] or [])
        if mode is Mode.REFUSE and source not in held:
            raise InputError(refusal(store, held))
        sources = [source] if mode is Mode.WIPE else sorted({*held, source})
        tx.run(
            f"MATCH (m:{META_LABEL} {{id: $id}}) SET m.workspaces = $sources",
            id=META_ID,
            sources=sources,
        ).consume()
        return {
            "sources": held_before,
            "signature": row["signature"] if row else None,
            "fresh": bool(got["created"]) and not occupied,
        }

    from kgraph.neo4j.errors import translate_errors

    with translate_errors(store.where), store.session() as session:
        return session.execute_write(work)


def record(store: Neo4jStore, signature: str, result: dict[str, Any]) -> None:
    """After a push: the graph's signature, when, and how big it was."""
    store.run_write(
        f"MATCH (m:{META_LABEL} {{id: $id}}) SET m.signature = $signature, m.pushed_at = $at, "
        f"m.nodes = $nodes, m.relationships = $relationships",
        {
            "id": META_ID,
            "signature": signature,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "nodes": result["nodes"],
            "relationships": result["relationships"],
        },
    )


def read(store: Neo4jStore) -> dict[str, Any] | None:
    """The recorded sources, signature and push time, or None."""
    rows = store.run_read(
        f"MATCH (m:{META_LABEL} {{id: $id}}) RETURN m.workspaces AS sources, m.signature AS signature, "
        f"m.pushed_at AS pushed_at",
        {"id": META_ID},
    )
    return rows[0] if rows else None


def forget(store: Neo4jStore) -> None:
    """Remove the record (the graph it describes was wiped)."""
    store.run_write(f"MATCH (m:{META_LABEL}) DETACH DELETE m")


def refusal(store: Neo4jStore, sources: list[str]) -> str:
    where = f"{store.uri} (database {store.where.db})"
    held = (
        "the graph of " + ", ".join(sources)
        if sources
        else "a kgraph graph no push recorded (an older kgraph, or written by hand)"
    )
    return f"{where} already holds {held}; pass --merge to add this workspace to it or --wipe to replace it"
