"""A Neo4j database as a :class:`~kgraph.graphstore.GraphStore`: who/what and
the named queries in Cypher (``queries/*.cypher``), gaps on the graph read
back (:func:`kgraph.query.gaps_in_graph`, the same code as the workspace's)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from kgraph import schema
from kgraph.query import (
    TERM_LABELS,
    DocFilter,
    GapsFromGraph,
    Rows,
    candidates,
    cypher_filters,
    places_of,
    sort_what,
    sort_who,
)

if TYPE_CHECKING:
    import networkx as nx

    from kgraph.lexicon import Lexicon
    from kgraph.neo4j.store import Neo4jStore
    from kgraph.verbatim import Sources

# Labels are schema constants; the user's term is always a parameter.
_EXACT = (
    "MATCH (n:{label}) WHERE n.name IN $names OR n.body IN $names RETURN n.name AS name"
)
_CONTAINS = "MATCH (n:{label}) WHERE n.name CONTAINS $term RETURN n.name AS name"
_DOCS = (
    f"MATCH (d:{schema.DOCUMENT}) RETURN d.name AS id, d.place AS place, d.place_key AS place_key, "
    "d.place_level AS place_level, d.date AS date"
)
_TERMS = "MATCH (n:{label}) RETURN n.name AS name, toInteger(n.mentions) AS mentions ORDER BY mentions DESC, name"


class Neo4jGraphStore(GapsFromGraph):
    """The kgraph graph pushed to a Neo4j database."""

    def __init__(self, db: Neo4jStore) -> None:
        self.db = db
        self.name = db.uri
        self._graph: nx.MultiDiGraph | None = None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lexicon(self) -> Lexicon:
        # Neo4j keeps no ruleset: the shipped one (a graph built with --lexicon
        # files resolves their aliases on the workspace only)
        from kgraph.lexicon import load_lexicon

        return load_lexicon()

    def sources(self) -> Sources | None:
        return None  # Neo4j holds no source paths

    def load_graph(self) -> nx.MultiDiGraph:
        if self._graph is None:
            from kgraph.readwrite.neo4j_graph import read_neo4j

            self._graph = read_neo4j(self.db)
        return self._graph

    def documents(self) -> Rows:
        return [
            {
                k: r.get(k) or ""
                for k in ("id", "place", "place_key", "place_level", "date")
            }
            for r in self.db.run_read(_DOCS, {})
        ]

    def resolve(self, term: str, labels: tuple[str, ...]) -> list[str]:
        names = candidates(term, labels, self.lexicon())
        found = sorted(
            {
                r["name"]
                for label in labels
                for r in self.db.run_read(_EXACT.format(label=label), {"names": names})
            }
        )
        if found:
            return found
        return sorted(
            {
                r["name"]
                for label in labels
                for r in self.db.run_read(_CONTAINS.format(label=label), {"term": term})
            }
        )

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
        scope = DocFilter.of(self, place=place, since=since, until=until, year=year)
        params = {"evidence": evidence, **cypher_filters(place, since, until, year)}
        return scope.rows(
            sort_who(
                [
                    row
                    for n in self.resolve(term, TERM_LABELS)
                    for row in self.db.run_named("who", {"name": n, **params})
                ]
            )
        )

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
        params = {"evidence": evidence, **cypher_filters(place, since, until, year)}
        rows = [
            row
            for n in self.resolve(holder, schema.HOLDER_LABELS)
            for row in self.db.run_named("what", {"name": n, **params})
        ]
        return sort_what(
            rows, DocFilter.of(self, place=place, since=since, until=until, year=year)
        )

    def named(self, name: str, **params: Any) -> Rows:
        return self.db.run_named(name, params)

    def stats(self) -> dict[str, Any]:
        counts = self.db.counts()
        evidence = (
            self.db.run_read(
                "MATCH ()-[r]->() RETURN sum(size(coalesce(r.ev_doc, []))) AS n"
            )[0]["n"]
            or 0
        )
        return {
            "source": self.name,
            "documents": counts["nodes"].get(schema.DOCUMENT, 0),
            "nodes": {k: v for k, v in sorted(counts["nodes"].items()) if v},
            "edges": {k: v for k, v in sorted(counts["relationships"].items()) if v},
            "evidence": evidence,
        }

    def terms(self, label: str) -> Rows:
        return [
            {"name": r["name"], "mentions": r["mentions"]}
            for r in self.db.run_read(_TERMS.format(label=label))
        ]

    def places(self) -> Rows:
        return places_of(self.documents())
