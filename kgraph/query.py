"""Questions users ask, answered from any :class:`~kgraph.graphstore.GraphStore`.

The functions take a store — or a :class:`~kgraph.store.Workspace` or
:class:`~kgraph.neo4j.store.Neo4jStore`, adapted by
:func:`~kgraph.graphstore.as_store` — and return plain rows (lists of dicts
with stable keys) so the CLI can print them as a table or JSON and tests can
compare the backends.  What the backends share lives here: the term
resolution candidates, row order, the document filter, places, and gaps on a
networkx graph.

- :func:`who` — who bears / covers / performs a sector, responsibility or task
- :func:`what` — what a holder (official, body, role) bears, and its chains
- :func:`gaps` — 监管空白, 责任悬空, officials with no assignment

Why one module: it is the one place the backends share (term candidates,
row order, the document filter, gaps on networkx); split up, the shared
pieces would again drift apart per backend.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from kgraph import schema
from kgraph.answers import Answer, Gaps, Relation
from kgraph.errors import InputError, KgraphError
from kgraph.graph import level_of_name
from kgraph.lexicon import Lexicon, strip_quantifier

if TYPE_CHECKING:
    import networkx as nx

    from kgraph.graphstore import GraphStore

Rows = list[dict[str, Any]]
EVIDENCE_PER_EDGE = schema.EVIDENCE_PER_ANSWER
DUTY_TYPES = (schema.BEARS, schema.COVERS_SECTOR, schema.PERFORMS)
HOLDER_OUT_TYPES = (
    schema.BEARS,
    schema.COVERS_SECTOR,
    schema.PERFORMS,
    schema.CHAIN,
    schema.HOLDS_TITLE,
    schema.IN_ORG,
    schema.ASSIGNED,
    schema.SPOKE_AT,
    schema.CHAIRED,
    schema.ATTENDED,
)
# the edges that give an official something to do (an official with none is idle)
_DUTY_OR_ASSIGNMENT = {
    schema.ASSIGNED,
    schema.BEARS,
    schema.PERFORMS,
    schema.COVERS_SECTOR,
}
WHAT_KEYS = (
    "direction",
    "src",
    "src_label",
    "type",
    "dst",
    "dst_label",
    "kind",
    "sector",
    "responsibility",
    "task",
    "count",
    "docs",
    "evidence",
)


class NotFound(KgraphError):
    """The question names nothing in the graph: no answer (exit 1)."""

    exit_code = 1


def _store(source: object) -> GraphStore:
    from kgraph.graphstore import as_store

    return as_store(source)


def _evidence(
    conn: sqlite3.Connection, edge_id: int, limit: int = EVIDENCE_PER_EDGE
) -> Rows:
    rows = conn.execute(
        'SELECT doc, sentence, start, "end", rule, text FROM evidence WHERE edge_id = ? ORDER BY rowid LIMIT ?',
        (edge_id, limit),
    )
    return [dict(r) for r in rows]


def edge_rows(conn: sqlite3.Connection, sql: str, params: tuple, evidence: int) -> Rows:
    """Rows of an :data:`EDGE_SELECT` query with the edge's attributes and evidence."""
    out = []
    for r in conn.execute(sql, params):
        props = json.loads(r["props"])
        out.append(
            {
                "src": r["src_name"],
                "src_label": r["src_label"],
                "type": r["type"],
                "dst": r["dst_name"],
                "dst_label": r["dst_label"],
                **{
                    k: props.get(k, "")
                    for k in ("kind", "sector", "responsibility", "task")
                },
                "count": r["count"],
                "docs": props.get("docs", []),
                "evidence": _evidence(conn, r["id"], evidence),
            }
        )
    return out


EDGE_SELECT = """
SELECT e.id, e.type, e.count, e.props, s.name AS src_name, s.label AS src_label, d.name AS dst_name, d.label AS dst_label
FROM edges e JOIN nodes s ON s.id = e.src JOIN nodes d ON d.id = e.dst
"""

TERM_LABELS = (schema.SECTOR, schema.RESPONSIBILITY, schema.TASK)
_KIND_OF = {
    schema.SECTOR: "sector",
    schema.RESPONSIBILITY: "responsibility",
    schema.TASK: "task",
    schema.ORGANIZATION: "organization",
    schema.ROLE: "role",
}


def candidates(term: str, labels: tuple[str, ...], lex: Lexicon) -> list[str]:
    """The names a user's term may be: itself, without its quantifier (各), its canonical forms."""
    names = {term, strip_quantifier(term)}
    for label in labels:
        if label in _KIND_OF:
            names.add(lex.canonical(_KIND_OF[label], term))
    return sorted(names)


def resolve(source: object, term: str, labels: tuple[str, ...]) -> list[str]:
    """Canonical names for a user's term on any backend: the exact name,
    its canonical (alias-resolved) form, else names that contain it."""
    return _store(source).resolve(term, labels)


def sort_who(rows: Rows) -> Rows:
    unique = {
        (
            r["holder"],
            r["holder_label"],
            r["relation"],
            r["target"],
            r["target_label"],
            r["sector"],
            r["responsibility"],
        ): r
        for r in rows
    }
    return sorted(
        unique.values(),
        key=lambda r: (
            -r["count"],
            r["holder"],
            r["relation"],
            r["target"],
            r["sector"],
            r["responsibility"],
        ),
    )


def sort_what(rows: Rows, scope: DocFilter) -> Rows:
    """``what`` rows in their columns, filtered, unique and in order (both backends)."""
    rows = scope.rows([{k: r.get(k, "") for k in WHAT_KEYS} for r in rows])
    unique = {
        (
            r["direction"],
            r["src"],
            r["src_label"],
            r["type"],
            r["dst"],
            r["dst_label"],
            r["kind"],
            r["sector"],
            r["responsibility"],
            r["task"],
        ): r
        for r in rows
    }
    return sorted(
        unique.values(),
        key=lambda r: (
            r["direction"] != "out",
            r["type"],
            -r["count"],
            r["src"],
            r["dst"],
            r["kind"],
            r["sector"],
            r["responsibility"],
            r["task"],
        ),
    )


def _suggest(store: GraphStore, term: str, labels: tuple[str, ...]) -> str:
    """'; did you mean …' with the names sharing most characters with ``term``."""
    from kgraph.explain import did_you_mean

    return did_you_mean(
        term, (t["name"] for label in labels for t in store.terms(label))
    )


def who(
    source: object,
    term: str,
    *,
    evidence: int = EVIDENCE_PER_EDGE,
    place: str | None = None,
    since: str | None = None,
    until: str | None = None,
    year: str | None = None,
) -> list[Answer]:
    """Holders of a sector, responsibility or task, most-evidenced first;
    ``place``/``since``/``until``/``year`` keep what documents of that
    jurisdiction (any level: 云南省 includes its counties) and dates say.

    ``source`` is any graph store; every backend gives the same rows.  A term
    that names nothing raises :class:`NotFound`.
    """
    store = _store(source)
    if not store.resolve(term, TERM_LABELS):
        raise NotFound(
            f"no sector, responsibility or task called {term!r} in the graph{_suggest(store, term, TERM_LABELS)}"
            " (see 'kgraph stats --terms Sector')"
        )
    # The backends build their rows to this shape (tests/test_api_types.py).
    return cast(
        list[Answer],
        store.who(
            term, evidence=evidence, place=place, since=since, until=until, year=year
        ),
    )


def what(
    source: object,
    holder: str,
    *,
    evidence: int = EVIDENCE_PER_EDGE,
    place: str | None = None,
    since: str | None = None,
    until: str | None = None,
    year: str | None = None,
) -> list[Relation]:
    """What a holder bears, covers, performs, hands down, was assigned, and its
    titles, on any graph store.  A holder that names nothing raises :class:`NotFound`."""
    store = _store(source)
    if not store.resolve(holder, schema.HOLDER_LABELS):
        raise NotFound(
            f"no official, organisation or role called {holder!r} in the graph"
            f"{_suggest(store, holder, schema.HOLDER_LABELS)} (see 'kgraph stats --terms Organization')"
        )
    return cast(
        list[Relation],
        store.what(
            holder, evidence=evidence, place=place, since=since, until=until, year=year
        ),
    )


def gaps(
    source: object,
    *,
    evidence: int = EVIDENCE_PER_EDGE,
    place: str | None = None,
    since: str | None = None,
    until: str | None = None,
    year: str | None = None,
) -> Gaps:
    """Where the text leaves a hole in the responsibility system.

    - ``supervision``: 监管空白 — a sector named as a focus (重点行业领域) that no
      department (Organization of category :data:`schema.DEPARTMENT_CATEGORY`) covers
    - ``unheld``: 责任悬空 — a responsibility or task that nobody bears/performs
    - ``idle_officials``: officials named in the text with no duty assigned by or to them
    """
    return cast(
        Gaps,
        _store(source).gaps(
            evidence=evidence, place=place, since=since, until=until, year=year
        ),
    )


def named(source: object, name: str, **params: Any) -> Rows:
    """The named query ``name`` (``queries/NAME.cypher``) on any graph store."""
    return _store(source).named(name, **params)


def load_graph(source: object) -> nx.MultiDiGraph:
    """The whole graph of any graph store, with evidence, as networkx."""
    return _store(source).load_graph()


def stats(source: object) -> dict[str, Any]:
    """Counts of documents, nodes by label, edges by type and evidence rows."""
    return _store(source).stats()


def terms(source: object, label: str) -> Rows:
    """Names of one label with how often they are mentioned, for discovery."""
    if label not in schema.NODE_LABELS:
        raise InputError(
            f"no label {label!r}: use one of {', '.join(schema.NODE_LABELS)}"
        )
    return _store(source).terms(label)


def documents(source: object) -> Rows:
    """Every document's id, place, place key (parents first), level and date."""
    return _store(source).documents()


def places(source: object) -> Rows:
    """Every jurisdiction in the graph, on any graph store."""
    return _store(source).places()


# --- the named queries and gaps on a networkx graph (the workspace's and Neo4j's alike) ---
def run_named_on_graph(g: nx.MultiDiGraph, name: str, params: dict[str, Any]) -> Rows:
    """``queries/NAME.cypher``'s twin in :mod:`kgraph.named`, its parameters
    checked and typed by the same declaration the Cypher file carries."""
    from kgraph.named import NAMED, run_named_embedded
    from kgraph.neo4j.queries import load_query

    declared = load_query(name)
    if name not in NAMED:
        raise KgraphError(
            f"query {name!r} runs on Neo4j only; ask 'kgraph {name}' on the workspace"
        )
    bound = declared.bind(params)
    return run_named_embedded(
        g,
        name,
        {
            p.name: bound[p.name]
            for p in declared.params
            if bound.get(p.name) is not None
        },
    )


def _mention_evidence(g: nx.MultiDiGraph, node: str, limit: int) -> Rows:
    ev: Rows = []
    # by document, so the same sentences come first whichever backend built the graph
    for _, _, d in sorted(
        (
            (u, v, d)
            for u, v, d in g.out_edges(node, data=True)
            if d.get("type") == schema.MENTIONED_IN
        ),
        key=lambda e: e[1],
    ):
        ev.extend(d.get("evidence", [])[: limit - len(ev)])
        if len(ev) >= limit:
            break
    return [
        {k: e[k] for k in ("doc", "sentence", "start", "end", "rule", "text")}
        for e in ev
    ]


class GapsFromGraph:
    """What both stores answer the same way, from the networkx graph they load:
    the supervision gaps (a base class, as sqlite-utils' Queryable is for its
    Table and View, so the method is written once)."""

    def load_graph(self) -> nx.MultiDiGraph:
        raise NotImplementedError

    def gaps(
        self,
        *,
        evidence: int = schema.EVIDENCE_PER_ANSWER,
        place: str | None = None,
        since: str | None = None,
        until: str | None = None,
        year: str | None = None,
    ) -> dict[str, Rows]:
        scope = DocFilter.of(self, place=place, since=since, until=until, year=year)
        return gaps_in_graph(self.load_graph(), evidence=evidence, scope=scope)


def gaps_in_graph(
    g: nx.MultiDiGraph, *, evidence: int, scope: DocFilter
) -> dict[str, Rows]:
    """:func:`gaps` on a networkx graph: the named queries ``supervision_gaps``
    and ``unheld_responsibilities`` plus idle officials, each with the
    sentences that mention the node."""
    from kgraph.named import supervision_gaps, unheld_responsibilities

    by_name = {(d.get("label"), d.get("name")): n for n, d in g.nodes(data=True)}
    supervision = [
        dict(
            r,
            evidence=_mention_evidence(
                g, by_name[(schema.SECTOR, r["sector"])], evidence
            ),
        )
        for r in supervision_gaps(g)
    ]
    unheld = [
        dict(
            r, evidence=_mention_evidence(g, by_name[(r["label"], r["name"])], evidence)
        )
        for r in unheld_responsibilities(g)
    ]
    idle = []
    for n, d in g.nodes(data=True):
        if d.get("label") != schema.OFFICIAL:
            continue
        if any(
            e.get("type") in _DUTY_OR_ASSIGNMENT
            for _, _, e in (*g.out_edges(n, data=True), *g.in_edges(n, data=True))
        ):
            continue
        idle.append(
            {
                "official": d["name"],
                "title": d.get("title", ""),
                "docs": list(d.get("docs", [])),
                "evidence": _mention_evidence(g, n, evidence),
            }
        )
    idle.sort(key=lambda r: r["official"])
    return {
        "supervision": scope.rows(supervision),
        "unheld": scope.rows(unheld),
        "idle_officials": scope.rows(idle),
    }


# --- place and time ------------------------------------------------------------------
_DATE_ARG = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def cypher_filters(
    place: str | None, since: str | None, until: str | None, year: str | None
) -> dict:
    """The named queries' $place/$since/$until for these filters (a year is
    both bounds); what they cannot say, :class:`DocFilter` does after them."""
    return {
        "place": place or None,
        "since": since or year or None,
        "until": until or year or None,
    }


class DocFilter:
    """Which documents a question is about: those of a jurisdiction (any
    level — a document of 元阳县 is inside 云南省 through its parents) and
    within dates (a document's date, as precise as its text gives it, is
    compared to the same precision)."""

    def __init__(self, allowed: set[str] | None) -> None:
        self.allowed = allowed  # None: every document

    @classmethod
    def of(
        cls,
        source: object,
        *,
        place: str | None = None,
        since: str | None = None,
        until: str | None = None,
        year: str | None = None,
    ) -> DocFilter:
        if not (place or since or until or year):
            return cls(None)
        for name, v in (("--since", since), ("--until", until), ("--year", year)):
            if v and not _DATE_ARG.fullmatch(v):
                raise InputError(f"{name} {v!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
        if year and len(year) != 4:
            raise InputError(f"--year {year!r}: expected YYYY")
        allowed = {
            d["id"]
            for d in documents(source)
            if _doc_matches(d, place, since, until, year)
        }
        return cls(allowed)

    def keeps(self, docs: Iterable[str]) -> list[str]:
        return (
            list(docs)
            if self.allowed is None
            else [d for d in docs if d in self.allowed]
        )

    def rows(self, rows: list[dict]) -> list[dict]:
        """Rows supported by an allowed document, with only those documents and their evidence."""
        if self.allowed is None:
            return rows
        out = []
        for r in rows:
            docs = self.keeps(r.get("docs") or [])
            if not docs:
                continue
            r = dict(r, docs=docs)
            if "evidence" in r:
                r["evidence"] = [
                    e for e in r["evidence"] if e.get("doc") in self.allowed
                ]
            out.append(r)
        return out


def _doc_matches(
    d: dict, place: str | None, since: str | None, until: str | None, year: str | None
) -> bool:
    if place and not schema.place_within(
        d.get("place_key") or d.get("place") or "", place
    ):
        return False
    date = d.get("date") or ""
    if (since or until or year) and not date:
        return False
    if year and not date.startswith(year):
        return False
    if since and date[: len(since)] < since[: len(date)]:
        return False
    if until and date[: len(until)] > until[: len(date)]:
        return False
    return True


def places_of(docs: Rows) -> Rows:
    """Every jurisdiction of these documents (each level of each document's
    place) with how many documents lie inside it and their date range."""
    per: dict[str, dict] = {}
    for d in docs:
        key = d["place_key"] or d["place"]
        if not key:
            key = ""
        segs = key.split("/") if key else [""]
        for i in range(len(segs)):
            k = "/".join(segs[: i + 1])
            row = per.setdefault(
                k,
                {
                    "place": segs[i] or "(unknown)",
                    "key": k,
                    "level": "",
                    "documents": 0,
                    "dated": 0,
                    "first": "",
                    "last": "",
                },
            )
            row["documents"] += 1
            if i == len(segs) - 1 and d["place_level"]:
                row["level"] = d["place_level"]
            elif not row["level"] and segs[i]:
                row["level"] = level_of_name(segs[i])
            if d["date"]:
                row["dated"] += 1
                row["first"] = min(row["first"] or d["date"], d["date"])
                row["last"] = max(row["last"], d["date"])
    return sorted(per.values(), key=lambda r: (r["key"] == "", r["key"]))
