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
from kgraph.lexicon import load_lexicon, strip_quantifier
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
                "src": r["src_name"],
                "src_label": r["src_label"],
                "type": r["type"],
                "dst": r["dst_name"],
                "dst_label": r["dst_label"],
                **{k: props.get(k, "") for k in ("kind", "sector", "responsibility", "task") if k in props},
                "count": r["count"],
                "docs": props.get("docs", []),
                "rules": props.get("rules", []),
                "evidence": _evidence(conn, r["id"], evidence),
            }
        )
    return out


EDGE_SELECT = """
SELECT e.id, e.type, e.count, e.props, s.name AS src_name, s.label AS src_label, d.name AS dst_name, d.label AS dst_label
FROM edges e JOIN nodes s ON s.id = e.src JOIN nodes d ON d.id = e.dst
"""


def resolve(ws: Workspace, term: str, labels: tuple[str, ...]) -> list[str]:
    """Node ids for a user's term: exact name, then canonical (alias) name,
    then names containing it."""
    lex = load_lexicon()
    kinds = {schema.SECTOR: "sector", schema.RESPONSIBILITY: "responsibility", schema.TASK: "task",
             schema.ORGANIZATION: "organization", schema.ROLE: "role", schema.OFFICIAL: None}
    names = {term, strip_quantifier(term)}
    for label in labels:
        kind = kinds.get(label)
        if kind:
            names.add(lex.canonical(kind, term))
    with ws.connect() as conn:
        q = f"SELECT id FROM nodes WHERE label IN ({_placeholders(len(labels))}) AND name IN ({_placeholders(len(names))}) ORDER BY id"
        ids = [r[0] for r in conn.execute(q, (*labels, *sorted(names)))]
        if ids:
            return ids
        q = f"SELECT id FROM nodes WHERE label IN ({_placeholders(len(labels))}) AND instr(name, ?) > 0 ORDER BY length(name), id"
        return [r[0] for r in conn.execute(q, (*labels, term))]


def who(ws: Workspace, term: str, *, evidence: int = EVIDENCE_PER_EDGE) -> list[dict]:
    """Holders of a sector, responsibility or task, most-evidenced first."""
    ids = resolve(ws, term, (schema.SECTOR, schema.RESPONSIBILITY, schema.TASK))
    if not ids:
        raise NotFound(f"no sector, responsibility or task called {term!r} in the graph (try 'kgraph stats --terms')")
    names = [schema.split_node_id(i)[1] for i in ids]
    with ws.connect() as conn:
        sql = (
            EDGE_SELECT
            + f"WHERE e.type IN ({_placeholders(len(DUTY_TYPES))}) AND (e.dst IN ({_placeholders(len(ids))})"
            + f" OR (e.type = ? AND json_extract(e.props, '$.sector') IN ({_placeholders(len(names))})))"
            + " ORDER BY e.count DESC, s.name, e.type, d.name"
        )
        rows = _edge_rows(conn, sql, (*DUTY_TYPES, *ids, schema.BEARS, *names), evidence)
    return [{"holder": r.pop("src"), "holder_label": r.pop("src_label"), "relation": r.pop("type"),
             "target": r.pop("dst"), "target_label": r.pop("dst_label"), **r} for r in rows]


def what(ws: Workspace, holder: str, *, evidence: int = EVIDENCE_PER_EDGE) -> list[dict]:
    """What a holder bears, covers, performs, hands down, was assigned, and its titles."""
    ids = resolve(ws, holder, schema.HOLDER_LABELS)
    if not ids:
        raise NotFound(f"no official, organisation or role called {holder!r} in the graph")
    with ws.connect() as conn:
        out_sql = (
            EDGE_SELECT
            + f"WHERE e.src IN ({_placeholders(len(ids))}) AND e.type IN ({_placeholders(len(HOLDER_OUT_TYPES))})"
            + " ORDER BY e.type, e.count DESC, d.name"
        )
        in_sql = (
            EDGE_SELECT
            + f"WHERE e.dst IN ({_placeholders(len(ids))}) AND e.type IN (?, ?)"
            + " ORDER BY e.type, e.count DESC, s.name"
        )
        rows = _edge_rows(conn, out_sql, (*ids, *HOLDER_OUT_TYPES), evidence)
        rows += [dict(r, direction="in") for r in _edge_rows(conn, in_sql, (*ids, schema.CHAIN, schema.ASSIGNED), evidence)]
    for r in rows:
        r.setdefault("direction", "out")
    return rows


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
