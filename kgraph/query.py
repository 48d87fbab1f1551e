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
import sqlite3

from kgraph import schema
from kgraph.errors import KgraphError
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
_CYPHER_EXACT = {label: f"MATCH (n:{label}) WHERE n.name IN $names RETURN n.name AS name" for label in (*TERM_LABELS, *schema.HOLDER_LABELS)}
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
            q = f"SELECT DISTINCT name FROM nodes WHERE label IN ({_placeholders(len(labels))}) AND name IN ({_placeholders(len(names))}) ORDER BY name"
            found = [r[0] for r in conn.execute(q, (*labels, *names))]
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


def who(source, term: str, *, evidence: int = EVIDENCE_PER_EDGE) -> list[dict]:
    """Holders of a sector, responsibility or task, most-evidenced first.

    ``source`` is a :class:`Workspace` or a :class:`kgraph.neo4j_store.Neo4jStore`;
    both give the same rows (the Neo4j side runs ``queries/who.cypher``).
    """
    names = resolve(source, term, TERM_LABELS)
    if not names:
        raise NotFound(f"no sector, responsibility or task called {term!r} in the graph (try 'kgraph stats --terms Sector')")
    if not isinstance(source, Workspace):
        return _sort_who([row for n in names for row in source.run_named("who", {"name": n, "evidence": evidence})])
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
    return _sort_who(rows)


def what(source, holder: str, *, evidence: int = EVIDENCE_PER_EDGE) -> list[dict]:
    """What a holder bears, covers, performs, hands down, was assigned, and its
    titles; on a Workspace or a Neo4j store (``queries/what.cypher``)."""
    names = resolve(source, holder, schema.HOLDER_LABELS)
    if not names:
        raise NotFound(f"no official, organisation or role called {holder!r} in the graph")
    rows: list[dict] = []
    if not isinstance(source, Workspace):
        for n in names:
            rows += source.run_named("what", {"name": n, "evidence": evidence})
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
    order = lambda r: (r["direction"] != "out", r["type"], -r["count"], r["src"], r["dst"], r["kind"], r["sector"], r["responsibility"], r["task"])  # noqa: E731
    return sorted({(r["direction"], r["src"], r["src_label"], r["type"], r["dst"], r["dst_label"], r["kind"], r["sector"], r["responsibility"], r["task"]): r for r in rows}.values(), key=order)


def gaps(ws: Workspace, *, evidence: int = EVIDENCE_PER_EDGE) -> dict[str, list[dict]]:
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
    return {"supervision": supervision, "unheld": unheld, "idle_officials": idle}


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
