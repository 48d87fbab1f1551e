"""One interface to the graph, wherever it is stored.

:class:`GraphStore` is what the CLI and the Python API ask: the embedded
workspace (:class:`kgraph.workspace_store.WorkspaceStore`, SQLite + networkx)
and a Neo4j database (:class:`kgraph.neo4j.graphstore.Neo4jGraphStore`,
Cypher) implement it and give the same rows (tests/test_backends_agree.py).
Callers never branch on the backend: :func:`open_store` picks it from the
options, :func:`as_store` adapts a :class:`~kgraph.store.Workspace` or a
:class:`~kgraph.neo4j.store.Neo4jStore` a caller already holds.

The place/date filters (``place``, ``since``, ``until``, ``year``) mean the
same on every method that takes them: keep what documents of that
jurisdiction (any level) and dates say.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from kgraph import schema

if TYPE_CHECKING:
    import networkx as nx

    from kgraph.lexicon import Lexicon
    from kgraph.verbatim import Sources

Rows = list[dict[str, Any]]


@runtime_checkable
class GraphStore(Protocol):
    """The questions kgraph answers, on one backend."""

    #: what the answers come from, for messages ("kgraph-out", "bolt://…")
    name: str

    def lexicon(self) -> Lexicon:
        """The ruleset (lexicons and cue tables) the graph was built with."""
        ...

    def documents(self) -> Rows:
        """Every document's id, place, place_key, place_level and date."""
        ...

    def resolve(self, term: str, labels: tuple[str, ...]) -> list[str]:
        """Canonical names of ``labels`` a user's term means: the exact or
        alias-resolved name, else the names that contain it."""
        ...

    def who(
        self,
        term: str,
        *,
        evidence: int = schema.EVIDENCE_PER_ANSWER,
        place: str | None = None,
        since: str | None = None,
        until: str | None = None,
        year: str | None = None,
    ) -> Rows:
        """Holders of a sector, responsibility or task, most-evidenced first."""
        ...

    def what(
        self,
        holder: str,
        *,
        evidence: int = schema.EVIDENCE_PER_ANSWER,
        place: str | None = None,
        since: str | None = None,
        until: str | None = None,
        year: str | None = None,
    ) -> Rows:
        """What a holder bears, covers, performs, hands down, was assigned, and its titles."""
        ...

    def gaps(
        self,
        *,
        evidence: int = schema.EVIDENCE_PER_ANSWER,
        place: str | None = None,
        since: str | None = None,
        until: str | None = None,
        year: str | None = None,
    ) -> dict[str, Rows]:
        """``supervision`` (监管空白), ``unheld`` (责任悬空), ``idle_officials``."""
        ...

    def named(self, name: str, **params: Any) -> Rows:
        """The named query ``name`` of ``queries/*.cypher`` (parameters as
        strings from the command line or typed values)."""
        ...

    def load_graph(self) -> nx.MultiDiGraph:
        """The whole graph as networkx (what ``chain``/``viz``/``export`` draw)."""
        ...

    def stats(self) -> dict[str, Any]:
        """``{"source", "documents", "nodes": {label: n}, "edges": {type: n}, "evidence"}``."""
        ...

    def terms(self, label: str) -> Rows:
        """Names of one label with their mention counts, most mentioned first."""
        ...

    def places(self) -> Rows:
        """Every jurisdiction in the graph with document counts and date range."""
        ...

    def sources(self) -> Sources | None:
        """The source files for verbatim spans and file:line, or None when the
        backend holds no paths (Neo4j)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> GraphStore: ...

    def __exit__(self, *exc: object) -> None: ...


def as_store(source: object) -> GraphStore:
    """A :class:`GraphStore` for a Workspace, a Neo4jStore, or a GraphStore."""
    if isinstance(source, GraphStore):
        return source
    from kgraph.store import Workspace

    if isinstance(source, Workspace):
        from kgraph.workspace_store import WorkspaceStore

        return WorkspaceStore(source)
    from kgraph.neo4j.store import Neo4jStore

    if isinstance(source, Neo4jStore):
        from kgraph.neo4j.graphstore import Neo4jGraphStore

        return Neo4jGraphStore(source)
    raise TypeError(f"not a graph store: {type(source).__name__}")


def open_store(
    workspace: str | Path = "kgraph-out",
    *,
    neo4j: bool = False,
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> GraphStore:
    """The workspace at ``workspace``, or (``neo4j``) the Neo4j database the
    arguments or the ``NEO4J_*`` variables name.  Close it (or use ``with``)."""
    if neo4j:
        from kgraph.neo4j.store import connect

        return as_store(connect(uri, user, password, database))
    from kgraph.store import Workspace

    return as_store(Workspace(workspace))
