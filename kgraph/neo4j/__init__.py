"""Neo4j as the real store: connect, push the graph over Bolt, ask it questions.

One module per concern:

* :mod:`~kgraph.neo4j.settings` — connection settings and the ``NEO4J_*`` defaults;
* :mod:`~kgraph.neo4j.errors` — driver exceptions → one-line :class:`~kgraph.errors.StoreError`;
* :mod:`~kgraph.neo4j.evidence` — the ``ev_*`` arrays an edge's evidence is stored as;
* :mod:`~kgraph.neo4j.rows` — the networkx graph → rows for ``UNWIND`` batches;
* :mod:`~kgraph.neo4j.push` — the push itself (``kgraph push``);
* :mod:`~kgraph.neo4j.meta` — which workspace(s) a database holds, and the refusal to mix;
* :mod:`~kgraph.neo4j.queries` — the named queries of ``queries/*.cypher``;
* :mod:`~kgraph.neo4j.guard` — the read-only guard of ``kgraph cypher``;
* :mod:`~kgraph.neo4j.values` — nodes, relationships and paths kept whole;
* :mod:`~kgraph.neo4j.store` — :class:`Neo4jStore`, the connection to one database;
* :mod:`~kgraph.neo4j.graphstore` — :class:`Neo4jGraphStore`, that database as a
  :class:`~kgraph.graphstore.GraphStore`.

Labels and relationship types are only ever taken from :mod:`kgraph.schema`
and checked against it; every user value travels as a query parameter.  The
driver is imported inside functions only, as ``neo4j`` (absolute), so
importing kgraph does not import it.
"""

from kgraph.neo4j.evidence import EV_PREFIX, EVIDENCE_FIELDS
from kgraph.neo4j.graphstore import Neo4jGraphStore
from kgraph.neo4j.guard import write_clause
from kgraph.neo4j.push import Progress, push, push_graph
from kgraph.neo4j.queries import NamedQuery, QueryParam, list_queries, load_query
from kgraph.neo4j.settings import Settings, Where
from kgraph.neo4j.store import Neo4jStore, connect
from kgraph.neo4j.values import (
    NodeValue,
    PathValue,
    RelationshipValue,
    jsonable,
    whole_value,
)

__all__ = [
    "EVIDENCE_FIELDS",
    "EV_PREFIX",
    "NamedQuery",
    "Neo4jGraphStore",
    "Neo4jStore",
    "NodeValue",
    "PathValue",
    "Progress",
    "QueryParam",
    "RelationshipValue",
    "Settings",
    "Where",
    "connect",
    "jsonable",
    "list_queries",
    "load_query",
    "push",
    "push_graph",
    "whole_value",
    "write_clause",
]
