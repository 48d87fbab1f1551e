"""The embedded workspace as a :class:`~kgraph.graphstore.GraphStore`:
who/what/resolve/stats in SQL over ``graph.sqlite``, the named queries and
gaps on its networkx graph (:mod:`kgraph.named`, :func:`kgraph.query.gaps_in_graph`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from kgraph import schema
from kgraph.query import (
    EDGE_SELECT,
    HOLDER_OUT_TYPES,
    TERM_LABELS,
    DocFilter,
    GapsFromGraph,
    Rows,
    candidates,
    edge_rows,
    places_of,
    run_named_on_graph,
    sort_what,
    sort_who,
)
from kgraph.store import Workspace

if TYPE_CHECKING:
    import networkx as nx

    from kgraph.lexicon import Lexicon
    from kgraph.verbatim import Sources


def _placeholders(n: int) -> str:
    return ",".join("?" * n)


class WorkspaceStore(GapsFromGraph):
    """A built workspace (``kgraph build``'s output directory)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.name = str(ws.path)
        self._graph: nx.MultiDiGraph | None = None

    # plumbing
    def close(self) -> None:
        self._graph = None

    def __enter__(self) -> WorkspaceStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lexicon(self) -> Lexicon:
        return self.ws.lexicon()

    def sources(self) -> Sources | None:
        from kgraph.verbatim import Sources

        return Sources(self.ws)

    def load_graph(self) -> nx.MultiDiGraph:
        if self._graph is None:
            self._graph = self.ws.load_graph()
        return self._graph

    def documents(self) -> Rows:
        with self.ws.connect() as conn:
            out = []
            for name, props in conn.execute(
                "SELECT name, props FROM nodes WHERE label = ?", (schema.DOCUMENT,)
            ):
                p = json.loads(props)
                out.append(
                    {
                        "id": name,
                        "place": p.get("place", ""),
                        "place_key": p.get("place_key", ""),
                        "place_level": p.get("place_level", ""),
                        "date": p.get("date", ""),
                    }
                )
            return out

    def resolve(self, term: str, labels: tuple[str, ...]) -> list[str]:
        # the workspace knows the user's --lexicon files it was built with
        names = candidates(term, labels, self.lexicon())
        with self.ws.connect() as conn:
            # a body's scoped nodes (X市·市政府) answer to the name the text writes (市政府)
            q = (
                f"SELECT DISTINCT name FROM nodes WHERE label IN ({_placeholders(len(labels))}) AND (name IN ({_placeholders(len(names))})"
                f" OR json_extract(props, '$.body') IN ({_placeholders(len(names))})) ORDER BY name"
            )
            found = [r[0] for r in conn.execute(q, (*labels, *names, *names))]
            if found:
                return found
            q = f"SELECT DISTINCT name FROM nodes WHERE label IN ({_placeholders(len(labels))}) AND instr(name, ?) > 0 ORDER BY name"
            return [r[0] for r in conn.execute(q, (*labels, term))]

    # the questions
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
        rows = []
        with self.ws.connect() as conn:
            for n in self.resolve(term, TERM_LABELS):
                sql = (
                    EDGE_SELECT
                    + """WHERE (e.type = ? AND e.dst = ?) OR (e.type = ? AND e.dst = ?)
                    OR (e.type = ? AND e.dst = ?) OR (e.type IN (?, ?) AND json_extract(e.props, '$.sector') = ?)"""
                )
                params = (
                    schema.COVERS_SECTOR,
                    schema.node_id(schema.SECTOR, n),
                    schema.BEARS,
                    schema.node_id(schema.RESPONSIBILITY, n),
                    schema.PERFORMS,
                    schema.node_id(schema.TASK, n),
                    schema.BEARS,
                    schema.PERFORMS,
                    n,
                )
                for r in edge_rows(conn, sql, params, evidence):
                    if (
                        r["type"] == schema.BEARS
                        and r["dst_label"] != schema.RESPONSIBILITY
                    ):
                        continue
                    rows.append(
                        {
                            "holder": r["src"],
                            "holder_label": r["src_label"],
                            "relation": r["type"],
                            "target": r["dst"],
                            "target_label": r["dst_label"],
                            "sector": r["dst"]
                            if r["type"] == schema.COVERS_SECTOR
                            else r["sector"],
                            "responsibility": r["dst"]
                            if r["type"] == schema.BEARS
                            else r["responsibility"],
                            "count": r["count"],
                            "docs": r["docs"],
                            "evidence": r["evidence"],
                        }
                    )
        return sort_who(scope.rows(rows))

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
        rows: Rows = []
        with self.ws.connect() as conn:
            for n in self.resolve(holder, schema.HOLDER_LABELS):
                ids = [schema.node_id(label, n) for label in schema.HOLDER_LABELS]
                out_sql = (
                    EDGE_SELECT
                    + f"WHERE e.src IN ({_placeholders(len(ids))}) AND e.type IN ({_placeholders(len(HOLDER_OUT_TYPES))})"
                )
                in_sql = (
                    EDGE_SELECT
                    + f"WHERE e.dst IN ({_placeholders(len(ids))}) AND e.type IN (?, ?)"
                )
                rows += [
                    dict(r, direction="out")
                    for r in edge_rows(
                        conn, out_sql, (*ids, *HOLDER_OUT_TYPES), evidence
                    )
                ]
                rows += [
                    dict(r, direction="in")
                    for r in edge_rows(
                        conn, in_sql, (*ids, schema.CHAIN, schema.ASSIGNED), evidence
                    )
                ]
        return sort_what(
            rows, DocFilter.of(self, place=place, since=since, until=until, year=year)
        )

    def named(self, name: str, **params: Any) -> Rows:
        if name in ("who", "what"):  # the Cypher forms of the two questions above
            from kgraph.neo4j.queries import load_query

            p = load_query(name).bind(params)
            ask = self.who if name == "who" else self.what
            return ask(
                p["name"],
                evidence=schema.EVIDENCE_PER_ANSWER
                if p.get("evidence") is None
                else p["evidence"],
                place=p.get("place"),
                since=p.get("since"),
                until=p.get("until"),
            )
        return run_named_on_graph(self.load_graph(), name, params)

    def stats(self) -> dict[str, Any]:
        with self.ws.connect() as conn:
            return {
                "source": self.name,
                "documents": conn.execute(
                    "SELECT count(*) FROM nodes WHERE label = ?", (schema.DOCUMENT,)
                ).fetchone()[0],
                "nodes": {
                    r[0]: r[1]
                    for r in conn.execute(
                        "SELECT label, count(*) FROM nodes GROUP BY label ORDER BY label"
                    )
                },
                "edges": {
                    r[0]: r[1]
                    for r in conn.execute(
                        "SELECT type, count(*) FROM edges GROUP BY type ORDER BY type"
                    )
                },
                "evidence": conn.execute("SELECT count(*) FROM evidence").fetchone()[0],
            }

    def terms(self, label: str) -> Rows:
        with self.ws.connect() as conn:
            rows = conn.execute(
                "SELECT name, CAST(json_extract(props, '$.mentions') AS INTEGER) AS n FROM nodes WHERE label = ? ORDER BY n DESC, name",
                (label,),
            )
            return [{"name": r["name"], "mentions": r["n"]} for r in rows]

    def places(self) -> Rows:
        return places_of(self.documents())
