"""Cut the views the pictures draw out of the full graph.

:func:`chain_subgraph` keeps the responsibility chain: holders (officials,
organisations, roles) linked by how responsibility is handed on, and the
responsibilities, sectors and tasks they reach.  Document/meeting plumbing
(``MENTIONED_IN``, ``RECORDED_IN`` …) is dropped, but the sentences in which a
node is mentioned are kept on the node as ``mention_evidence`` so a click on
it can still show where it was said.

Why one module: the chain view and the type view are cut by the same walks
and document restrictions.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from kgraph import schema
from kgraph.errors import KgraphError
from kgraph.viz.tiers import DROP, tier_of

CHAIN_TYPES = frozenset(
    {
        schema.CHAIN,
        schema.BEARS,
        schema.COVERS_SECTOR,
        schema.PERFORMS,
        schema.ASSIGNED,
        schema.HOLDS_TITLE,
        schema.IN_ORG,
    }
)
HELD_LABELS = frozenset({schema.RESPONSIBILITY, schema.SECTOR, schema.TASK})
CHAIN_LABELS = frozenset(schema.HOLDER_LABELS) | HELD_LABELS

# Edges followed when walking the chain upwards (towards whoever hands a
# responsibility down: the body above, the speaker who assigned it) and
# downwards.  Title/membership links are added for the named holders only, so
# a sector view does not pull in every official of the 市政府 above it.
_UP_TYPES = frozenset({schema.CHAIN, schema.ASSIGNED})
# Down from a speaker are those they assigned duties to.
_DOWN_TYPES = frozenset({schema.CHAIN, schema.ASSIGNED})
_TITLE_TYPES = frozenset({schema.HOLDS_TITLE, schema.IN_ORG})

MAX_MENTION_EVIDENCE = 12


def doc_titles(G: nx.MultiDiGraph) -> dict[str, str]:
    """Document id → its title (the id when the graph has no title for it)."""
    titles: dict[str, str] = dict(G.graph.get("doc_titles") or {})
    for _, data in G.nodes(data=True):
        if data.get("label") == schema.DOCUMENT:
            name = str(data.get("name") or "")
            if name:
                titles.setdefault(name, str(data.get("title") or name))
    return titles


def _evidence_in(data: dict, doc: str) -> bool:
    if doc in (data.get("docs") or ()):
        return True
    return any(ev.get("doc") == doc for ev in data.get("evidence") or ())


def _restrict_to_doc(data: dict, doc: str) -> dict:
    """A copy of edge data keeping only what document ``doc`` says."""
    out = dict(data)
    evidence = [ev for ev in data.get("evidence") or () if ev.get("doc") == doc]
    out["evidence"] = evidence
    out["docs"] = [doc]
    out["rules"] = sorted(
        {ev.get("rule", "") for ev in evidence if ev.get("rule")}
    ) or list(data.get("rules") or ())
    if evidence:
        out["count"] = len(evidence)
    return out


def drawable(data: dict) -> bool:
    """False for tier words (市级, 县级 …) recorded as organisations: no picture draws them as bodies."""
    return tier_of(data) != DROP


def _restrict_to_docs(data: dict, docs: set[str]) -> dict | None:
    """A copy of edge data keeping only what documents ``docs`` say, or None."""
    kept = [d for d in data.get("docs") or () if d in docs]
    if not kept:
        return None
    out = dict(data)
    out["docs"] = kept
    out["evidence"] = [ev for ev in data.get("evidence") or () if ev.get("doc") in docs]
    return out


def dated_docs(
    G: nx.MultiDiGraph,
    since: str | None = None,
    until: str | None = None,
    year: str | None = None,
) -> set[str]:
    """Ids of the documents dated within the bounds (YYYY[-MM[-DD]], compared
    at the precision the document's date has)."""
    out = set()
    for _, d in G.nodes(data=True):
        if d.get("label") != schema.DOCUMENT:
            continue
        date = str(d.get("date") or "")
        if not date or (year and not date.startswith(year)):
            continue
        if since and date[: len(since)] < since[: len(date)]:
            continue
        if until and date[: len(until)] > until[: len(date)]:
            continue
        out.add(str(d.get("name") or ""))
    return out


def _chain_base(
    G: nx.MultiDiGraph, doc: str | None, titles: bool, docs: set[str] | None = None
) -> nx.MultiDiGraph:
    H: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    H.graph.update(G.graph)
    types = CHAIN_TYPES if titles else CHAIN_TYPES - _TITLE_TYPES
    ok: dict[str, bool] = {}

    def keep(n: str) -> bool:
        if n not in ok:
            data = G.nodes[n]
            ok[n] = data.get("label") in CHAIN_LABELS and drawable(data)
        return ok[n]

    for u, v, key, data in G.edges(keys=True, data=True):
        if data.get("type") not in types:
            continue
        if not keep(u) or not keep(v):
            continue
        if doc is not None:
            if not _evidence_in(data, doc):
                continue
            data = _restrict_to_doc(data, doc)
        if docs is not None:
            kept = _restrict_to_docs(data, docs)
            if kept is None:
                continue
            data = kept
        for n in (u, v):
            if n not in H:
                H.add_node(n, **G.nodes[n])
        H.add_edge(u, v, key=key, **data)
    return H


def _walk(
    H: nx.MultiDiGraph, start: Iterable[str], types: frozenset[str], upwards: bool
) -> set[str]:
    seen = set(start)
    todo = list(seen)
    while todo:
        n = todo.pop()
        edges = H.in_edges(n, data=True) if upwards else H.out_edges(n, data=True)
        for u, v, d in edges:
            rel = d.get("type")
            other = u if upwards else v
            if rel in types and other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _is_holder(H: nx.MultiDiGraph, n: str) -> bool:
    return H.nodes[n].get("label") in schema.HOLDER_LABELS


def _match_nodes(H: nx.MultiDiGraph, text: str, labels: Iterable[str]) -> list[str]:
    """Nodes with exactly this name, else those whose name contains it."""
    labels = set(labels)
    candidates = [n for n, d in H.nodes(data=True) if d.get("label") in labels]
    exact = [n for n in candidates if H.nodes[n].get("name") == text or n == text]
    if exact:
        return exact
    return [n for n in candidates if text in str(H.nodes[n].get("name") or "")]


def _with_held(
    H: nx.MultiDiGraph, holders: set[str], sector: str | None = None
) -> set[str]:
    """``holders`` plus the responsibilities/sectors/tasks they reach (for ``sector`` only)."""
    keep = set(holders)
    for h in holders:
        for _, v, data in H.out_edges(h, data=True):
            if H.nodes[v].get("label") not in HELD_LABELS:
                continue
            if sector is not None:
                if (
                    H.nodes[v].get("label") == schema.SECTOR
                    and H.nodes[v].get("name") != sector
                ):
                    continue
                if (data.get("sector") or sector) != sector:
                    continue
            keep.add(v)
    return keep


def _sector_nodes(H: nx.MultiDiGraph, sector: str) -> set[str]:
    sectors = _match_nodes(H, sector, (schema.SECTOR,))
    names = {H.nodes[s].get("name") for s in sectors} | {sector}
    holders = {u for s in sectors for u in H.predecessors(s) if _is_holder(H, u)}
    for u, _, data in H.edges(data=True):
        if data.get("sector") in names and _is_holder(H, u):
            holders.add(u)
    if not holders and not sectors:
        return set()
    holders = {
        h for h in _walk(H, holders, _UP_TYPES, upwards=True) if _is_holder(H, h)
    }
    keep: set[str] = set(sectors)
    for name in names:
        keep |= _with_held(H, holders, sector=name)
    return keep


def _holder_nodes(H: nx.MultiDiGraph, seeds: list[str]) -> set[str]:
    if not seeds:
        return set()
    up = _walk(H, seeds, _UP_TYPES, upwards=True)
    down = _walk(H, seeds, _DOWN_TYPES, upwards=False)
    # A seed's own titles/organisations (Official → Role/Organization) and the
    # officials holding a seed role.
    around = set(seeds)
    for s in seeds:
        around |= {
            v for _, v, d in H.out_edges(s, data=True) if d.get("type") in _TITLE_TYPES
        }
        around |= {
            u for u, _, d in H.in_edges(s, data=True) if d.get("type") in _TITLE_TYPES
        }
    holders = {n for n in up | down | around if _is_holder(H, n)}
    return _with_held(H, holders)


def chain_subgraph(
    G: nx.MultiDiGraph,
    sector: str | None = None,
    place: str | None = None,
    holder: str | None = None,
    doc: str | None = None,
    titles: bool = False,
    since: str | None = None,
    until: str | None = None,
    year: str | None = None,
) -> nx.MultiDiGraph:
    """The responsibility-chain view of ``G``, optionally narrowed.

    任职/所在机构 links (HOLDS_TITLE, IN_ORG) are left out unless ``titles``:
    they say who holds which post, not how responsibility is handed on, and
    at corpus scale they outnumber the chain itself.  Tier words (市级 …) are
    never drawn.

    - ``doc``: only relations with evidence from that document (and only that
      evidence on them);
    - ``sector``: holders tied to that sector, their chain ancestors, and what
      they hold for it;
    - ``holder``: that holder's chain up and down, its titles and what they hold;
    - ``place``: holders of that jurisdiction (any level: a province takes its
      counties' bodies) or whose name contains the place, with their chain;
    - ``since``/``until``/``year``: only relations stated in documents of those dates.

    Several filters narrow together (intersection).  Raises
    :class:`KgraphError` when a named sector/holder/document is not in the
    graph at all, so a typo is not mistaken for an empty chain.
    """
    if doc is not None and not any(
        _evidence_in(d, doc) for *_, d in G.edges(data=True)
    ):
        known = sorted(doc_titles(G))
        hint = (
            f" (known: {', '.join(known[:8])}{' …' if len(known) > 8 else ''})"
            if known
            else ""
        )
        raise KgraphError(f"no relations with evidence from document {doc!r}{hint}")
    dated = dated_docs(G, since, until, year) if (since or until or year) else None
    if dated is not None and not dated:
        raise KgraphError(_no_dated_documents(G))
    H = _chain_base(G, doc, titles, dated)
    keep: set[str] | None = None

    def narrow(nodes: set[str]) -> None:
        nonlocal keep
        keep = nodes if keep is None else keep & nodes

    if sector is not None:
        if not _match_nodes(G, sector, (schema.SECTOR,)) and not any(
            d.get("sector") == sector for *_, d in G.edges(data=True)
        ):
            raise KgraphError(
                f"sector {sector!r} is not in the graph{_did_you_mean(G, sector, (schema.SECTOR,))}"
            )
        narrow(_sector_nodes(H, sector))
    if holder is not None:
        if not _match_nodes(G, holder, schema.HOLDER_LABELS):
            raise KgraphError(
                f"holder {holder!r} is not in the graph{_did_you_mean(G, holder, schema.HOLDER_LABELS)}"
            )
        narrow(_holder_nodes(H, _match_nodes(H, holder, schema.HOLDER_LABELS)))
    if place is not None:
        seeds = [
            n
            for n in H
            if _is_holder(H, n)
            and (
                place in str(H.nodes[n].get("name") or "")
                or schema.place_within(str(H.nodes[n].get("place_key") or ""), place)
            )
        ]
        narrow(_holder_nodes(H, seeds))
    if keep is not None:
        H = nx.MultiDiGraph(H.subgraph(keep))
    H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    _attach_context(G, H)
    return H


def _did_you_mean(G: nx.MultiDiGraph, term: str, labels: tuple[str, ...]) -> str:
    """'; did you mean …' with the names of these labels nearest ``term``."""
    from kgraph.explain import did_you_mean

    names = (
        schema.unscoped_name(str(d.get("name") or ""))
        for _, d in G.nodes(data=True)
        if d.get("label") in labels
    )
    return did_you_mean(term, names)


def _no_dated_documents(G: nx.MultiDiGraph) -> str:
    """Why no document is within the dates asked: the dates there are."""
    from kgraph.explain import not_dated_so

    dates = sorted(
        str(d["date"])
        for _, d in G.nodes(data=True)
        if d.get("label") == schema.DOCUMENT and d.get("date")
    )
    if not dates:
        return "no document in the graph carries a date"
    return not_dated_so(dates)


def _attach_context(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> None:
    """Copy document titles and the sentences each node is mentioned in onto ``H``.

    A graph read by :func:`kgraph.viz.load.load_structure` has no mention
    edges: its sentences are fetched later, for what is drawn only.
    """
    H.graph["doc_titles"] = doc_titles(G)
    if "_ws" in G.graph:
        return
    for n in H:
        found: list[dict] = []
        for _, _, data in G.out_edges(n, data=True):
            if data.get("type") == schema.MENTIONED_IN:
                found.extend(data.get("evidence") or ())
            if len(found) >= MAX_MENTION_EVIDENCE:
                break
        if found:
            H.nodes[n]["mention_evidence"] = found[:MAX_MENTION_EVIDENCE]


def type_subgraph(
    G: nx.MultiDiGraph, types: Iterable[str] | None = None, titles: bool = False
) -> nx.MultiDiGraph:
    """The whole graph restricted to nodes whose label is in ``types``.

    ``None`` keeps every label except Document (every entity points at the
    documents it is mentioned in, which would swamp the picture).  任职/所在机构
    links are left out unless ``titles``; tier words are never drawn.
    """
    if types is None:
        wanted = set(schema.NODE_LABELS) - {schema.DOCUMENT}
    else:
        wanted = {t.strip() for t in types if t.strip()}
        unknown = sorted(wanted - set(schema.NODE_LABELS))
        if unknown:
            raise KgraphError(
                f"unknown node type {', '.join(unknown)} (choose from {', '.join(schema.NODE_LABELS)})"
            )
    keep = {
        n for n, d in G.nodes(data=True) if d.get("label") in wanted and drawable(d)
    }
    skip = set() if titles else _TITLE_TYPES
    lazy = (
        "_ws" in G.graph
    )  # read by viz.load for this very picture: nobody else holds it
    if (
        lazy
        and len(keep) == G.number_of_nodes()
        and not any(d.get("type") in skip for *_, d in G.edges(data=True))
    ):
        H = G  # nothing to leave out: no copy
    else:
        H = nx.MultiDiGraph()
        H.graph.update(G.graph)
        H.add_nodes_from((n, G.nodes[n]) for n in keep)
        H.add_edges_from(  # (u, v, key, data): the stubs know only Graph's 2/3-tuples
            (u, v, k, d)  # type: ignore[misc]
            for u, v, k, d in G.edges(keys=True, data=True)
            if u in keep and v in keep and d.get("type") not in skip
        )
    _attach_context(G, H)
    return H
