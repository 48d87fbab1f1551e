"""The named queries of ``queries/*.cypher``, answered from the embedded graph.

Each function here mirrors one ``.cypher`` file: same parameters, same
columns, same ORDER BY, so ``kgraph query NAME`` gives the same rows whether
the graph lives in the workspace or in Neo4j (a test holds the two to it).
They work on the networkx graph (:meth:`Workspace.load_graph`).

Why one module: each function mirrors one ``.cypher`` file and they share the
same few graph walkers; kept side by side so a change to a query is made in both
forms at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import networkx as nx

from kgraph import schema
from kgraph.errors import KgraphError

Rows = list[dict[str, Any]]
# Rows a query with a ``limit`` parameter returns when none is given (0: all):
# a page, as datasette gives, rather than every one of thousands of paths —
# over Bolt each row costs ~0.1 ms whatever the query.  The .cypher files
# write the same number.
DEFAULT_LIMIT = schema.PAGE_ROWS
NAMED: dict[str, Callable[..., Rows]] = {}

HOLDERS = set(schema.HOLDER_LABELS)


def named(func: Callable[..., Rows]) -> Callable[..., Rows]:
    NAMED[func.__name__] = func
    return func


def run_named_embedded(
    g: nx.MultiDiGraph, name: str, params: dict[str, Any] | None = None
) -> Rows:
    if name not in NAMED:
        raise KgraphError(f"no named query {name!r} (see 'kgraph query --list')")
    params = dict(params or {})
    try:
        return NAMED[name](g, **params)
    except TypeError as exc:
        raise KgraphError(f"query {name}: {exc}") from None


# --- helpers -----------------------------------------------------------------------
def _label(g: nx.MultiDiGraph, n: str) -> str:
    label: str = g.nodes[n].get("label", "")
    return label


def _name(g: nx.MultiDiGraph, n: str) -> str:
    name: str = g.nodes[n].get("name", "")
    return name


def _nodes(g: nx.MultiDiGraph, labels: set[str], name: str) -> list[str]:
    return [
        n
        for n, d in g.nodes(data=True)
        if d.get("label") in labels and d.get("name") == name
    ]


def _edges(g: nx.MultiDiGraph, types: set[str]) -> Iterator[tuple[str, str, str, dict]]:
    for u, v, k, d in g.edges(keys=True, data=True):
        if d.get("type") in types:
            yield u, v, k, d


def _evidence(d: dict) -> list[dict]:
    keys = ("doc", "sentence", "start", "end", "rule", "text")
    return [{k: e[k] for k in keys} for e in d.get("evidence", [])]


def _owner_row(
    g: nx.MultiDiGraph,
    u: str,
    v: str,
    d: dict[str, Any],
    responsibility: str,
    sector: str,
) -> dict:
    return {
        "holder": _name(g, u),
        "holder_label": _label(g, u),
        "relation": d["type"],
        "target": _name(g, v),
        "target_label": _label(g, v),
        "responsibility": responsibility,
        "sector": sector,
        "count": d.get("count", 0),
        "docs": list(d.get("docs", [])),
        "evidence": _evidence(d),
    }


# --- the queries ---------------------------------------------------------------------
@named
def owners_of_sector(g: nx.MultiDiGraph, sector: str) -> Rows:
    rows = []
    for u, v, _, d in _edges(g, {schema.BEARS, schema.PERFORMS, schema.COVERS_SECTOR}):
        t = d["type"]
        if (
            t == schema.BEARS
            and d.get("sector") == sector
            and _label(g, v) == schema.RESPONSIBILITY
        ):
            rows.append(_owner_row(g, u, v, d, _name(g, v), sector))
        elif (
            t == schema.PERFORMS
            and d.get("sector") == sector
            and _label(g, v) == schema.TASK
        ) or (
            t == schema.COVERS_SECTOR
            and _label(g, v) == schema.SECTOR
            and _name(g, v) == sector
        ):
            rows.append(_owner_row(g, u, v, d, d.get("responsibility", ""), sector))
    rows.sort(
        key=lambda r: (
            r["holder_label"],
            r["holder"],
            r["relation"],
            r["target"],
            r["responsibility"],
        )
    )
    return rows


@named
def owners_of_responsibility(g: nx.MultiDiGraph, responsibility: str) -> Rows:
    rows = []
    for u, v, _, d in _edges(g, {schema.BEARS, schema.COVERS_SECTOR}):
        node = g.nodes[v]
        if (
            d["type"] == schema.BEARS
            and node.get("label") == schema.RESPONSIBILITY
            and responsibility in (node.get("name"), node.get("category"))
        ):
            rows.append(_owner_row(g, u, v, d, node["name"], d.get("sector", "")))
        elif (
            d["type"] == schema.COVERS_SECTOR
            and node.get("label") == schema.SECTOR
            and d.get("responsibility") == responsibility
        ):
            rows.append(
                _owner_row(g, u, v, d, d.get("responsibility", ""), node["name"])
            )
    rows.sort(
        key=lambda r: (
            r["holder_label"],
            r["holder"],
            r["relation"],
            r["target"],
            r["sector"],
        )
    )
    return rows


@named
def what_holder_bears(g: nx.MultiDiGraph, holder: str) -> Rows:
    rows = []
    duties = {schema.BEARS, schema.COVERS_SECTOR, schema.PERFORMS}
    for h in _nodes(g, HOLDERS, holder):
        roles = sorted(
            (
                v
                for _, v, d in g.out_edges(h, data=True)
                if d.get("type") == schema.HOLDS_TITLE and _label(g, v) == schema.ROLE
            ),
            key=lambda n: _name(g, n),
        )
        for bearer in [h, *roles]:
            for _, t, d in g.out_edges(bearer, data=True):
                if d.get("type") not in duties:
                    continue
                rel = d["type"]
                rows.append(
                    {
                        "holder": _name(g, h),
                        "holder_label": _label(g, h),
                        "titles": [_name(g, r) for r in roles],
                        "via": "" if bearer == h else _name(g, bearer),
                        "relation": rel,
                        "target": _name(g, t),
                        "target_label": _label(g, t),
                        "responsibility": _name(g, t)
                        if rel == schema.BEARS
                        else d.get("responsibility", ""),
                        "sector": _name(g, t)
                        if rel == schema.COVERS_SECTOR
                        else d.get("sector", ""),
                        "count": d.get("count", 0),
                        "docs": list(d.get("docs", [])),
                        "evidence": _evidence(d),
                    }
                )
    rows.sort(
        key=lambda r: (
            r["holder_label"],
            r["holder"],
            r["via"],
            r["relation"],
            r["target"],
            r["responsibility"],
            r["sector"],
        )
    )
    return rows


def _covers(g: nx.MultiDiGraph, n: str, sector: str) -> bool:
    for _, v, d in g.out_edges(n, data=True):
        t = d.get("type")
        if (
            t == schema.COVERS_SECTOR
            and _label(g, v) == schema.SECTOR
            and _name(g, v) == sector
        ):
            return True
        if t in (schema.BEARS, schema.PERFORMS) and d.get("sector") == sector:
            return True
    return False


@named
def party_government_chain(
    g: nx.MultiDiGraph,
    place: str | None = None,
    sector: str | None = None,
    limit: int | None = None,
) -> Rows:
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, int) or limit < 0
    ):
        raise KgraphError(
            f"query party_government_chain: limit must be a whole number ≥ 0, not {limit!r}"
        )
    rows = []
    origins = [
        n
        for n, d in g.nodes(data=True)
        if (
            (
                d.get("label") == schema.ORGANIZATION
                and d.get("category") in schema.LEADING_ORG_CATEGORIES
            )
            or (
                d.get("label") == schema.ROLE
                and d.get("category") in schema.LEADING_ROLE_CATEGORIES
            )
        )
        and (place is None or place in d.get("name", ""))
    ]
    chain_out: dict[str, list[tuple[str, str]]] = {}
    for u, v, _, d in _edges(g, {schema.CHAIN}):
        chain_out.setdefault(u, []).append((v, d.get("kind", "")))

    for origin in origins:
        # every simple path of 1..6 CHAIN edges; parallel edges are distinct paths, as in Cypher
        stack: list[tuple[list[str], list[str]]] = [([origin], [])]
        while stack:
            path, kinds = stack.pop()
            for nxt, kind in chain_out.get(path[-1], []):
                if nxt in path:
                    continue
                p, k = path + [nxt], kinds + [kind]
                if sector is None or _covers(g, nxt, sector):
                    rows.append(
                        {
                            "origin": _name(g, origin),
                            "origin_category": g.nodes[origin].get("category", ""),
                            "target": _name(g, nxt),
                            "target_label": _label(g, nxt),
                            "length": len(k),
                            "path": [_name(g, n) for n in p],
                            "labels": [_label(g, n) for n in p],
                            "kinds": k,
                        }
                    )
                if len(k) < schema.CHAIN_DEPTH:
                    stack.append((p, k))
    rows.sort(key=lambda r: (r["origin"], r["length"], r["path"], r["kinds"]))
    limit = DEFAULT_LIMIT if limit is None else limit
    return rows if limit == 0 else rows[:limit]


@named
def assignments_by_official(g: nx.MultiDiGraph, official: str) -> Rows:
    rows = []
    for o in _nodes(g, {schema.OFFICIAL}, official):
        for _, t, d in g.out_edges(o, data=True):
            if d.get("type") not in (schema.ASSIGNED, schema.SPOKE_AT, schema.CHAIRED):
                continue
            rows.append(
                {
                    "official": _name(g, o),
                    "relation": d["type"],
                    "target": _name(g, t),
                    "target_label": _label(g, t),
                    "responsibility": d.get("responsibility", ""),
                    "sector": d.get("sector", ""),
                    "count": d.get("count", 0),
                    "docs": list(d.get("docs", [])),
                    "evidence": _evidence(d),
                }
            )
    rows.sort(
        key=lambda r: (r["relation"], r["target"], r["responsibility"], r["sector"])
    )
    return rows


@named
def supervision_gaps(g: nx.MultiDiGraph) -> Rows:
    rows = []
    for s, d in g.nodes(data=True):
        if d.get("label") != schema.SECTOR or not d.get("focus", 0) > 0:
            continue
        sources = [
            u
            for u, _, e in g.in_edges(s, data=True)
            if e.get("type") == schema.COVERS_SECTOR
        ]
        if any(
            _label(g, u) == schema.ORGANIZATION
            and g.nodes[u].get("category") == schema.DEPARTMENT_CATEGORY
            for u in sources
        ):
            continue
        rows.append(
            {
                "sector": d["name"],
                "focus_mentions": d.get("focus", 0),
                "mentions": d.get("mentions", 0),
                "docs": list(d.get("docs", [])),
                "covered_by_non_departments": sorted({_name(g, u) for u in sources}),
            }
        )
    rows.sort(key=lambda r: (-r["focus_mentions"], r["sector"]))
    return rows


@named
def unheld_responsibilities(g: nx.MultiDiGraph) -> Rows:
    rows = []
    wanted = {schema.RESPONSIBILITY: schema.BEARS, schema.TASK: schema.PERFORMS}
    for n, d in g.nodes(data=True):
        rel = wanted.get(d.get("label", ""))
        if rel is None or any(
            e.get("type") == rel for _, _, e in g.in_edges(n, data=True)
        ):
            continue
        rows.append(
            {
                "label": d["label"],
                "name": d["name"],
                "category": d.get("category", "") or "",
                "mentions": d.get("mentions", 0),
                "docs": list(d.get("docs", [])),
            }
        )
    rows.sort(key=lambda r: (-r["mentions"], r["label"], r["name"]))
    return rows


@named
def edge_evidence(g: nx.MultiDiGraph, src: str, type: str, dst: str) -> Rows:
    rows = []
    wanted = type.upper()
    for a in _nodes(g, set(schema.NODE_LABELS), src):
        for _, b, k, d in g.out_edges(a, keys=True, data=True):
            if d.get("type") != wanted or _name(g, b) != dst:
                continue
            for e in d.get("evidence", []):
                rows.append(
                    {
                        "src": _name(g, a),
                        "src_label": _label(g, a),
                        "type": wanted,
                        "dst": dst,
                        "dst_label": _label(g, b),
                        "key": k,
                        "count": d.get("count", 0),
                        "doc": e["doc"],
                        "sentence": e["sentence"],
                        "start": e["start"],
                        "end": e["end"],
                        "rule": e["rule"],
                        "text": e["text"],
                    }
                )
    rows.sort(
        key=lambda r: (
            r["src_label"],
            r["dst_label"],
            r["key"],
            r["doc"],
            r["sentence"],
            r["start"],
        )
    )
    return rows
