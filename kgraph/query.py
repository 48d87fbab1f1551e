"""Questions users ask, answered from the embedded store.

Every function takes a :class:`~kgraph.store.Workspace` and returns plain rows
(lists of dicts with stable keys) so the CLI can print them as a table or JSON
and tests can compare them with the Neo4j backend.

- :func:`who` — who bears / covers / performs a sector, responsibility or task
- :func:`what` — what a holder (official, body, role) bears, and its chains
- :func:`gaps` — 监管空白, 责任悬空, officials with no assignment
"""

from __future__ import annotations

import json
import re
import sqlite3

from kgraph import schema
from kgraph.errors import KgraphError
from kgraph.graph import level_of_name
from kgraph.lexicon import Lexicon, load_lexicon, strip_quantifier
from kgraph.store import Workspace

EVIDENCE_PER_EDGE = 3
DUTY_TYPES = (schema.BEARS, schema.COVERS_SECTOR, schema.PERFORMS)
HOLDER_OUT_TYPES = (
    schema.BEARS, schema.COVERS_SECTOR, schema.PERFORMS, schema.CHAIN, schema.HOLDS_TITLE, schema.IN_ORG,
    schema.ASSIGNED, schema.SPOKE_AT, schema.CHAIRED, schema.ATTENDED,
)


class NotFound(KgraphError):
    exit_code = 4


def _placeholders(n: int) -> str:
    return ",".join("?" * n)


def _evidence(conn: sqlite3.Connection, edge_id: int, limit: int = EVIDENCE_PER_EDGE) -> list[dict]:
    rows = conn.execute(
        'SELECT doc, sentence, start, "end", rule, text FROM evidence WHERE edge_id = ? ORDER BY rowid LIMIT ?',
        (edge_id, limit),
    )
    return [dict(r) for r in rows]


def _edge_rows(conn: sqlite3.Connection, sql: str, params: tuple, evidence: int) -> list[dict]:
    out = []
    for r in conn.execute(sql, params):
        props = json.loads(r["props"])
        out.append(
            {
                "src": r["src_name"], "src_label": r["src_label"], "type": r["type"],
                "dst": r["dst_name"], "dst_label": r["dst_label"],
                **{k: props.get(k, "") for k in ("kind", "sector", "responsibility", "task")},
                "count": r["count"], "docs": props.get("docs", []),
                "evidence": _evidence(conn, r["id"], evidence),
            }
        )
    return out


EDGE_SELECT = """
SELECT e.id, e.type, e.count, e.props, s.name AS src_name, s.label AS src_label, d.name AS dst_name, d.label AS dst_label
FROM edges e JOIN nodes s ON s.id = e.src JOIN nodes d ON d.id = e.dst
"""

TERM_LABELS = (schema.SECTOR, schema.RESPONSIBILITY, schema.TASK)
_KIND_OF = {schema.SECTOR: "sector", schema.RESPONSIBILITY: "responsibility", schema.TASK: "task",
            schema.ORGANIZATION: "organization", schema.ROLE: "role"}

# The same look-ups for a Neo4j store; labels are schema constants, the
# user's term is always a parameter.
_CYPHER_EXACT = {label: f"MATCH (n:{label}) WHERE n.name IN $names OR n.body IN $names RETURN n.name AS name" for label in (*TERM_LABELS, *schema.HOLDER_LABELS)}
_CYPHER_CONTAINS = {
    label: f"MATCH (n:{label}) WHERE n.name CONTAINS $term RETURN n.name AS name"
    for label in (*TERM_LABELS, *schema.HOLDER_LABELS)
}


def _candidates(term: str, labels: tuple[str, ...], lex: Lexicon) -> list[str]:
    names = {term, strip_quantifier(term)}
    for label in labels:
        if label in _KIND_OF:
            names.add(lex.canonical(_KIND_OF[label], term))
    return sorted(names)


def resolve(source, term: str, labels: tuple[str, ...]) -> list[str]:
    """Canonical names for a user's term on either backend: the exact name,
    its canonical (alias-resolved) form, else names that contain it."""
    # the workspace knows the user's --lexicon files it was built with
    names = _candidates(term, labels, source.lexicon() if isinstance(source, Workspace) else load_lexicon())
    if isinstance(source, Workspace):
        with source.connect() as conn:
            # a body's scoped nodes (鹰潭市·市政府) answer to the name the text writes (市政府)
            q = (f"SELECT DISTINCT name FROM nodes WHERE label IN ({_placeholders(len(labels))}) AND (name IN ({_placeholders(len(names))})"
                 f" OR json_extract(props, '$.body') IN ({_placeholders(len(names))})) ORDER BY name")
            found = [r[0] for r in conn.execute(q, (*labels, *names, *names))]
            if found:
                return found
            q = f"SELECT DISTINCT name FROM nodes WHERE label IN ({_placeholders(len(labels))}) AND instr(name, ?) > 0 ORDER BY name"
            return [r[0] for r in conn.execute(q, (*labels, term))]
    found = sorted({r["name"] for label in labels for r in source.run_read(_CYPHER_EXACT[label], {"names": names})})
    if found:
        return found
    return sorted({r["name"] for label in labels for r in source.run_read(_CYPHER_CONTAINS[label], {"term": term})})


def _sort_who(rows: list[dict]) -> list[dict]:
    unique = {(r["holder"], r["holder_label"], r["relation"], r["target"], r["target_label"], r["sector"], r["responsibility"]): r for r in rows}
    return sorted(unique.values(), key=lambda r: (-r["count"], r["holder"], r["relation"], r["target"], r["sector"], r["responsibility"]))


def who(source, term: str, *, evidence: int = EVIDENCE_PER_EDGE, place: str | None = None, since: str | None = None,
        until: str | None = None, year: str | None = None) -> list[dict]:
    """Holders of a sector, responsibility or task, most-evidenced first;
    ``place``/``since``/``until``/``year`` keep what documents of that
    jurisdiction (any level: 云南省 includes its counties) and dates say.

    ``source`` is a :class:`Workspace` or a :class:`kgraph.neo4j_store.Neo4jStore`;
    both give the same rows (the Neo4j side runs ``queries/who.cypher``).
    """
    names = resolve(source, term, TERM_LABELS)
    if not names:
        raise NotFound(f"no sector, responsibility or task called {term!r} in the graph (try 'kgraph stats --terms Sector')")
    scope = DocFilter.of(source, place=place, since=since, until=until, year=year)
    if not isinstance(source, Workspace):
        params = {"evidence": evidence, **_cypher_filters(place, since, until, year)}
        return scope.rows(_sort_who([row for n in names for row in source.run_named("who", {"name": n, **params})]))
    rows = []
    with source.connect() as conn:
        for n in names:
            sql = EDGE_SELECT + """WHERE (e.type = 'COVERS_SECTOR' AND e.dst = ?) OR (e.type = 'BEARS' AND e.dst = ?)
                OR (e.type = 'PERFORMS' AND e.dst = ?)
                OR (e.type IN ('BEARS', 'PERFORMS') AND json_extract(e.props, '$.sector') = ?)"""
            ids = (schema.node_id(schema.SECTOR, n), schema.node_id(schema.RESPONSIBILITY, n), schema.node_id(schema.TASK, n), n)
            for r in _edge_rows(conn, sql, ids, evidence):
                if r["type"] == schema.BEARS and r["dst_label"] != schema.RESPONSIBILITY:
                    continue
                rows.append(
                    {
                        "holder": r["src"], "holder_label": r["src_label"], "relation": r["type"],
                        "target": r["dst"], "target_label": r["dst_label"],
                        "sector": r["dst"] if r["type"] == schema.COVERS_SECTOR else r["sector"],
                        "responsibility": r["dst"] if r["type"] == schema.BEARS else r["responsibility"],
                        "count": r["count"], "docs": r["docs"], "evidence": r["evidence"],
                    }
                )
    return _sort_who(scope.rows(rows))


def what(source, holder: str, *, evidence: int = EVIDENCE_PER_EDGE, place: str | None = None, since: str | None = None,
         until: str | None = None, year: str | None = None) -> list[dict]:
    """What a holder bears, covers, performs, hands down, was assigned, and its
    titles; on a Workspace or a Neo4j store (``queries/what.cypher``)."""
    names = resolve(source, holder, schema.HOLDER_LABELS)
    if not names:
        raise NotFound(f"no official, organisation or role called {holder!r} in the graph")
    rows: list[dict] = []
    if not isinstance(source, Workspace):
        params = {"evidence": evidence, **_cypher_filters(place, since, until, year)}
        for n in names:
            rows += source.run_named("what", {"name": n, **params})
    else:
        with source.connect() as conn:
            for n in names:
                ids = [schema.node_id(label, n) for label in schema.HOLDER_LABELS]
                out_sql = EDGE_SELECT + f"WHERE e.src IN (?, ?, ?) AND e.type IN ({_placeholders(len(HOLDER_OUT_TYPES))})"
                in_sql = EDGE_SELECT + "WHERE e.dst IN (?, ?, ?) AND e.type IN (?, ?)"
                rows += [dict(r, direction="out") for r in _edge_rows(conn, out_sql, (*ids, *HOLDER_OUT_TYPES), evidence)]
                rows += [dict(r, direction="in") for r in _edge_rows(conn, in_sql, (*ids, schema.CHAIN, schema.ASSIGNED), evidence)]
    keys = ("direction", "src", "src_label", "type", "dst", "dst_label", "kind", "sector", "responsibility", "task", "count", "docs", "evidence")
    rows = [{k: r.get(k, "") for k in keys} for r in rows]
    rows = DocFilter.of(source, place=place, since=since, until=until, year=year).rows(rows)
    order = lambda r: (r["direction"] != "out", r["type"], -r["count"], r["src"], r["dst"], r["kind"], r["sector"], r["responsibility"], r["task"])  # noqa: E731
    return sorted({(r["direction"], r["src"], r["src_label"], r["type"], r["dst"], r["dst_label"], r["kind"], r["sector"], r["responsibility"], r["task"]): r for r in rows}.values(), key=order)


def gaps(ws: Workspace, *, evidence: int = EVIDENCE_PER_EDGE, place: str | None = None, since: str | None = None,
         until: str | None = None, year: str | None = None) -> dict[str, list[dict]]:
    """Where the text leaves a hole in the responsibility system.

    - ``supervision``: 监管空白 — a sector named as a focus (重点行业领域) that no
      department (Organization of category 部门) covers
    - ``unheld``: 责任悬空 — a responsibility or task that nobody bears/performs
    - ``idle_officials``: officials named in the text with no duty assigned by or to them
    """
    with ws.connect() as conn:
        def mention_evidence(node_id: str) -> list[dict]:
            rows = conn.execute("SELECT id FROM edges WHERE src = ? AND type = ? ORDER BY id", (node_id, schema.MENTIONED_IN))
            ev: list[dict] = []
            for (edge_id,) in rows:
                ev.extend(_evidence(conn, edge_id, evidence))
                if len(ev) >= evidence:
                    break
            return ev[:evidence]

        supervision = []
        for r in conn.execute(
            """SELECT n.id, n.name, n.props FROM nodes n WHERE n.label = ?
               AND CAST(json_extract(n.props, '$.focus') AS INTEGER) > 0
               AND NOT EXISTS (SELECT 1 FROM edges e JOIN nodes h ON h.id = e.src
                               WHERE e.dst = n.id AND e.type = ? AND h.label = ?
                               AND json_extract(h.props, '$.category') = '部门')
               ORDER BY n.name""",
            (schema.SECTOR, schema.COVERS_SECTOR, schema.ORGANIZATION),
        ):
            props = json.loads(r["props"])
            covered_by = [x[0] for x in conn.execute(
                "SELECT DISTINCT h.name FROM edges e JOIN nodes h ON h.id = e.src WHERE e.dst = ? AND e.type = ? ORDER BY h.name",
                (r["id"], schema.COVERS_SECTOR))]
            supervision.append({"sector": r["name"], "focus_mentions": props.get("focus", 0), "docs": props.get("docs", []),
                                "covered_by_non_departments": covered_by, "evidence": mention_evidence(r["id"])})

        unheld = []
        for r in conn.execute(
            """SELECT n.id, n.label, n.name, n.props FROM nodes n WHERE n.label IN (?, ?)
               AND NOT EXISTS (SELECT 1 FROM edges e WHERE e.dst = n.id AND e.type IN (?, ?))
               ORDER BY n.label, n.name""",
            (schema.RESPONSIBILITY, schema.TASK, schema.BEARS, schema.PERFORMS),
        ):
            props = json.loads(r["props"])
            unheld.append({"label": r["label"], "name": r["name"], "docs": props.get("docs", []), "evidence": mention_evidence(r["id"])})

        idle = []
        for r in conn.execute(
            """SELECT n.id, n.name, n.props FROM nodes n WHERE n.label = ?
               AND NOT EXISTS (SELECT 1 FROM edges e WHERE (e.src = n.id OR e.dst = n.id) AND e.type IN (?, ?, ?, ?))
               ORDER BY n.name""",
            (schema.OFFICIAL, schema.ASSIGNED, schema.BEARS, schema.PERFORMS, schema.COVERS_SECTOR),
        ):
            props = json.loads(r["props"])
            idle.append({"official": r["name"], "title": props.get("title", ""), "docs": props.get("docs", []),
                         "evidence": mention_evidence(r["id"])})
    scope = DocFilter.of(ws, place=place, since=since, until=until, year=year)
    return {"supervision": scope.rows(supervision), "unheld": scope.rows(unheld), "idle_officials": scope.rows(idle)}


def stats(ws: Workspace) -> dict:
    """Counts of documents, nodes by label and edges by type."""
    with ws.connect() as conn:
        return {
            "workspace": str(ws.path),
            "documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
            "nodes": {r[0]: r[1] for r in conn.execute("SELECT label, count(*) FROM nodes GROUP BY label ORDER BY label")},
            "edges": {r[0]: r[1] for r in conn.execute("SELECT type, count(*) FROM edges GROUP BY type ORDER BY type")},
            "evidence": conn.execute("SELECT count(*) FROM evidence").fetchone()[0],
        }


def terms(ws: Workspace, label: str) -> list[dict]:
    """Names of one label with how often they are mentioned, for discovery."""
    with ws.connect() as conn:
        rows = conn.execute(
            "SELECT name, CAST(json_extract(props, '$.mentions') AS INTEGER) AS n FROM nodes WHERE label = ? ORDER BY n DESC, name",
            (label,),
        )
        return [{"name": r["name"], "mentions": r["n"]} for r in rows]


# --- place and time ------------------------------------------------------------------
_DATE_ARG = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _cypher_filters(place: str | None, since: str | None, until: str | None, year: str | None) -> dict:
    """The named queries' $place/$since/$until for these filters (a year is
    both bounds); what they cannot say, :class:`DocFilter` does after them."""
    return {"place": place or None, "since": since or year or None, "until": until or year or None}


class DocFilter:
    """Which documents a question is about: those of a jurisdiction (any
    level — a document of 元阳县 is inside 云南省 through its parents) and
    within dates (a document's date, as precise as its text gives it, is
    compared to the same precision)."""

    def __init__(self, allowed: set[str] | None) -> None:
        self.allowed = allowed  # None: every document

    @classmethod
    def of(cls, source, *, place: str | None = None, since: str | None = None, until: str | None = None,
           year: str | None = None) -> "DocFilter":
        if not (place or since or until or year):
            return cls(None)
        for name, v in (("--since", since), ("--until", until), ("--year", year)):
            if v and not _DATE_ARG.fullmatch(v):
                raise KgraphError(f"{name} {v!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
        if year and len(year) != 4:
            raise KgraphError(f"--year {year!r}: expected YYYY")
        allowed = {d["id"] for d in documents(source) if _doc_matches(d, place, since, until, year)}
        return cls(allowed)

    def keeps(self, docs) -> list[str]:
        return list(docs) if self.allowed is None else [d for d in docs if d in self.allowed]

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
                r["evidence"] = [e for e in r["evidence"] if e.get("doc") in self.allowed]
            out.append(r)
        return out


def _doc_matches(d: dict, place: str | None, since: str | None, until: str | None, year: str | None) -> bool:
    if place and not schema.place_within(d.get("place_key") or d.get("place") or "", place):
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


_CYPHER_DOCS = ("MATCH (d:Document) RETURN d.name AS id, d.place AS place, d.place_key AS place_key, "
                "d.place_level AS place_level, d.date AS date")


def documents(source) -> list[dict]:
    """Every document's id, place, place key (parents first), level and date."""
    if isinstance(source, Workspace):
        with source.connect() as conn:
            rows = conn.execute("SELECT name, props FROM nodes WHERE label = ?", (schema.DOCUMENT,))
            out = []
            for name, props in rows:
                p = json.loads(props)
                out.append({"id": name, "place": p.get("place", ""), "place_key": p.get("place_key", ""),
                            "place_level": p.get("place_level", ""), "date": p.get("date", "")})
            return out
    return [{k: r.get(k) or "" for k in ("id", "place", "place_key", "place_level", "date")} for r in source.run_read(_CYPHER_DOCS, {})]


def places(source) -> list[dict]:
    """Every jurisdiction in the graph (each level of each document's place)
    with how many documents lie inside it and their date range."""
    per: dict[str, dict] = {}
    for d in documents(source):
        key = d["place_key"] or d["place"]
        if not key:
            key = ""
        segs = key.split("/") if key else [""]
        for i in range(len(segs)):
            k = "/".join(segs[: i + 1])
            row = per.setdefault(k, {"place": segs[i] or "(unknown)", "key": k, "level": "", "documents": 0, "dated": 0,
                                     "first": "", "last": ""})
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
