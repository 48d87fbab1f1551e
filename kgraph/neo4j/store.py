"""A Neo4j database holding a kgraph graph: the connection, reads, schema and wipe.

Talks to Neo4j 5 (local, Aura, or a cluster through ``neo4j://`` routing
URIs) through the official ``neo4j`` driver only.  Nothing here prints.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Self

from kgraph import schema
from kgraph.errors import StoreError
from kgraph.neo4j.errors import translate_errors
from kgraph.neo4j.guard import write_clause
from kgraph.neo4j.queries import load_query
from kgraph.neo4j.rows import check_label, check_type
from kgraph.neo4j.settings import Settings, Where
from kgraph.neo4j.values import result_rows

if TYPE_CHECKING:
    import networkx as nx
    from neo4j import Driver, Session

    from kgraph.neo4j.push import Progress

Rows = list[dict[str, Any]]


def connect(
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    *,
    verify: bool = True,
) -> Neo4jStore:
    """Open a store; arguments default to ``NEO4J_URI``, ``NEO4J_USERNAME`` (or
    ``NEO4J_USER``), ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``.

    With ``verify`` (the default) one ``RETURN 1`` is run in the target database
    so a wrong address, password or database name fails here, as a
    :class:`StoreError` with one line.
    """
    # absolute: the driver package, not this one
    import neo4j

    settings = Settings.resolve(uri, user, password, database)
    where = settings.where
    with translate_errors(where):
        # The named queries read optional properties (a document's date) that a
        # graph may lack; the server's "property key does not exist" notices
        # would otherwise be logged to stderr on every query.
        driver = neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            user_agent="kgraph",
            notifications_min_severity="OFF",
        )
    store = Neo4jStore(driver, where)
    if verify:
        try:
            store.ping()
        except BaseException:
            store.close()
            raise
    return store


class Neo4jStore:
    """A Neo4j database holding a kgraph graph.  Use as a context manager."""

    def __init__(self, driver: Driver, where: Where):
        self.driver = driver
        self.where = where

    # plumbing
    @property
    def uri(self) -> str:
        return self.where.uri

    @property
    def database(self) -> str | None:
        return self.where.database

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def session(self, read: bool = False) -> Session:
        import neo4j

        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self.driver.session(database=self.database, default_access_mode=mode)

    def run_write(
        self, cypher: str, params: dict[str, Any] | None = None, *, whole: bool = False
    ) -> Rows:
        """Run ``cypher`` in a write transaction (retried on transient errors)."""

        def work(tx: Any) -> Rows:
            return result_rows(tx.run(cypher, params or {}), whole)

        with translate_errors(self.where), self.session() as session:
            return session.execute_write(work)

    def run_batch(self, cypher: str, params: dict[str, Any], attempts: int = 5) -> Rows:
        """A write batch of a push.  The driver already retries transient errors
        (deadlocks between concurrent pushes); this also retries a uniqueness
        violation, which is what a MERGE that lost a race to create the same node
        in another transaction gets: run again, it finds the node and matches.
        With ``attempts=0`` a uniqueness violation is raised as the driver's
        ``ConstraintError`` at once (a CREATE batch that found the node there)."""
        import neo4j.exceptions as nx

        for attempt in range(1, max(attempts, 1) + 1):
            try:
                with self.session() as session:
                    return session.execute_write(
                        lambda tx: [r.data() for r in tx.run(cypher, params)]
                    )
            except nx.ConstraintError:
                if attempts == 0:
                    raise
                if attempt == attempts:
                    with translate_errors(self.where):
                        raise
                time.sleep(0.05 * attempt)
            except Exception:
                with translate_errors(self.where):
                    raise
        raise AssertionError("unreachable")

    def run_schema(self, statement: str) -> None:
        """One ``CREATE … IF NOT EXISTS``; another push creating the same index at
        the same moment is not an error."""
        import neo4j.exceptions as nx

        try:
            with self.session() as session:
                session.execute_write(lambda tx: tx.run(statement).consume())
        except nx.ClientError as exc:
            if (
                "AlreadyExists" in (exc.code or "")
                or "already exists" in (exc.message or "").lower()
            ):
                return
            with translate_errors(self.where):
                raise

    def ping(self) -> dict[str, str]:
        """Check the server, credentials and database; returns server info."""
        with translate_errors(self.where):
            self.driver.verify_connectivity()
            info = self.driver.get_server_info()
        self.run_read("RETURN 1 AS ok")
        return {
            "agent": info.agent,
            "protocol": ".".join(map(str, info.protocol_version)),
            "address": str(info.address),
        }

    # reading
    def run_read(
        self, cypher: str, params: dict[str, Any] | None = None, *, whole: bool = False
    ) -> Rows:
        """Run ``cypher`` in a read transaction (routed to readers in a cluster).
        With ``whole``, nodes, relationships and paths come back as
        :class:`~kgraph.neo4j.values.NodeValue` / ``RelationshipValue`` / ``PathValue``."""

        def work(tx: Any) -> Rows:
            return result_rows(tx.run(cypher, params or {}), whole)

        with translate_errors(self.where), self.session(read=True) as session:
            return session.execute_read(work)

    def run_cypher(
        self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> Rows:
        """An ad-hoc query; refused if it writes, unless ``write``.  Nodes,
        relationships and paths come back whole (see :func:`~kgraph.neo4j.values.whole_value`)."""
        if not write and (clause := write_clause(cypher)) is not None:
            raise StoreError(
                f"refusing to run a query that writes ({clause}); pass --write if you mean it"
            )
        if write:
            return self.run_write(cypher, params, whole=True)
        return self.run_read(cypher, params, whole=True)

    def run_named(self, name: str, params: dict[str, Any] | None = None) -> Rows:
        query = load_query(name)
        return self.run_read(query.text, query.bind(params or {}))

    def counts(self) -> dict[str, Any]:
        """``{"nodes": {label: n}, "relationships": {type: n}, "total_nodes", "total_relationships"}``."""
        nodes = {}
        for label in schema.NODE_LABELS:
            nodes[label] = self.run_read(
                f"MATCH (n:{check_label(label)}) RETURN count(n) AS c"
            )[0]["c"]
        rels = {}
        for rel_type in schema.RELATIONSHIPS:
            rels[rel_type] = self.run_read(
                f"MATCH ()-[r:{check_type(rel_type)}]->() RETURN count(r) AS c"
            )[0]["c"]
        return {
            "nodes": nodes,
            "relationships": rels,
            "total_nodes": sum(nodes.values()),
            "total_relationships": sum(rels.values()),
        }

    # writing
    def ensure_schema(self) -> int:
        """Uniqueness constraint on ``id`` and index on ``name`` for every label,
        plus indexes on the relationship key attributes the named queries filter
        on.  Idempotent; each statement in its own transaction (Neo4j refuses
        schema and data changes in one)."""
        statements = []
        for label in schema.NODE_LABELS:
            low = label.lower()
            statements.append(
                f"CREATE CONSTRAINT kgraph_{low}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            )
            statements.append(
                f"CREATE INDEX kgraph_{low}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)"
            )
        for rel_type, attrs in schema.EDGE_KEY_ATTRS.items():
            for attr in attrs:
                statements.append(
                    f"CREATE INDEX kgraph_{rel_type.lower()}_{attr} IF NOT EXISTS "
                    f"FOR ()-[r:{check_type(rel_type)}]-() ON (r.{attr})"
                )
        for statement in statements:
            self.run_schema(statement)
        return len(statements)

    def push(
        self,
        G: nx.MultiDiGraph,
        batch_size: int = 1000,
        progress: Progress | None = None,
        *,
        fresh: bool = False,
    ) -> dict[str, Any]:
        """Load ``G``; see :func:`kgraph.neo4j.push.push`."""
        from kgraph.neo4j.push import push

        return push(self, G, batch_size=batch_size, progress=progress, fresh=fresh)

    def wipe(self, batch_size: int = 10000) -> int:
        """Delete every kgraph node and relationship (label by label, in batches
        so a big graph does not need one huge transaction) and the record of
        which graph it was (:mod:`kgraph.neo4j.meta`).  Returns nodes deleted.

        Relationships go first, ``batch_size`` at a time: a batch of nodes would
        take all their relationships along, and one Organization mentioned in
        10,000 documents has 10,000 of them (more than Neo4j's default
        transaction memory for a batch of such nodes)."""
        for label in schema.NODE_LABELS:
            cypher = f"MATCH (n:{check_label(label)})-[r]-() WITH DISTINCT r LIMIT $limit DELETE r RETURN count(*) AS c"
            while self.run_write(cypher, {"limit": batch_size})[0]["c"] == batch_size:
                pass
        deleted = 0
        for label in schema.NODE_LABELS:
            cypher = f"MATCH (n:{check_label(label)}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS c"
            while True:
                c = self.run_write(cypher, {"limit": batch_size})[0]["c"]
                deleted += c
                if c < batch_size:
                    break
        from kgraph.neo4j.meta import forget

        forget(self)  # the record of which graph this was
        return deleted
