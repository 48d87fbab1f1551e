"""One self-contained HTML file for a chain (or the whole graph).

The layout is computed in Python (:mod:`kgraph.viz.layout`) and drawn as
inline SVG; a small hand-written script (``chain.js``) adds the interaction:
click a node or an edge to read its evidence sentences, search by name,
filter by node type, pan and zoom.  Everything is inlined — the file makes no
network request and contains no ``http`` at all, so ``grep http`` is a
sufficient offline check (URLs quoted inside speeches are escaped in the
embedded data, where they are only ever shown as text).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import networkx as nx

from kgraph import schema
from kgraph.readwrite.atomic import atomic_write
from kgraph.viz import style
from kgraph.viz.layout import layered_layout
from kgraph.viz.picture import MAX_NODES, Picture, prepare
from kgraph.viz.svg import legend, svg
from kgraph.viz.svg import text as _text
from kgraph.viz.tiers import tier_names

MAX_EVIDENCE_PER_EDGE = 40
MAX_DOCS = 20  # document ids listed per node or relation in the page


def _asset(name: str) -> str:
    return resources.files("kgraph.viz").joinpath(name).read_text(encoding="utf-8")


def _json_for_script(data: object) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes so no ``</script>`` or
    ``<!--`` in a quoted sentence can end the element early; ``http`` in quoted
    text becomes ``\\u0068ttp`` (identical once parsed).
    """
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        raw = raw.replace(ch, esc)
    return raw.replace("http", "\\u0068ttp")


class _Registry:
    """Nodes and edges of every view of the page, each stored once; SVG elements refer to them by index."""

    def __init__(self, titles: dict[str, str]) -> None:
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self._node: dict[str, int] = {}
        self._edge: dict[tuple[str, str, str], int] = {}
        self.titles = titles
        self.docs: dict[str, str] = {}  # the documents the page mentions → their titles
        # each evidence sentence once: [doc, sentence index, text]; evidence rows refer to it
        self.sents: list[list] = []
        self._sent: dict[tuple[str, int], int] = {}

    def _evidence(self, rows: Iterable[dict]) -> list[dict]:
        out = []
        for ev in rows:
            doc, index = str(ev.get("doc", "")), int(ev.get("sentence") or 0)
            key = (doc, index)
            if key not in self._sent:
                self._sent[key] = len(self.sents)
                self.sents.append([doc, index, str(ev.get("text") or "")])
                self._doc(doc)
            row = {"s": self._sent[key], "rule": ev.get("rule") or ""}
            # where the file says it, and how (kgraph.verbatim), when the caller attached it
            row.update({k: ev[k] for k in ("source", "original") if ev.get(k)})
            out.append(row)
        return out

    def _doc(self, doc: str) -> None:
        if doc not in self.docs:
            self.docs[doc] = str(self.titles.get(doc) or doc)

    def node(self, n: str, d: dict, tier: int) -> int:
        if n in self._node:
            return self._node[n]
        entry = {
            "id": n,
            "label": d.get("label", ""),
            "name": d.get("name") or schema.split_node_id(n)[1],
            "caption": style.node_caption(d),
            "title": d.get("title") or "",
            "org": d.get("org") or "",
            "category": d.get("category") or "",
            "place": str(
                d.get("place") or ""
            ),  # where and when, on graphs that record them
            "date": str(d.get("date") or ""),
            "mentions": int(d.get("mentions") or 0),
            "docs": list(d.get("docs") or ())[:MAX_DOCS],
            "tier": tier,
            "evidence": self._evidence(d.get("mention_evidence") or ()),
        }
        if "_members" in d:
            entry["size"] = int(d.get("size") or 0)
            entry["members"] = d["_members"]
            entry["group"] = d.get("_group", n)
        elif d.get("_member"):
            entry["in"] = d.get("_group", "")
        for doc in entry["docs"]:
            self._doc(doc)
        self._node[n] = len(self.nodes)
        self.nodes.append(entry)
        return self._node[n]

    def edge(self, u: str, v: str, key: object, d: dict) -> int:
        sig = (u, v, str(key))
        if sig in self._edge:
            return self._edge[sig]
        attrs = {
            a: d.get(a) or "" for a in schema.EDGE_KEY_ATTRS.get(d.get("type", ""), ())
        }
        evidence = list(d.get("evidence") or ())[:MAX_EVIDENCE_PER_EDGE]
        for doc in list(d.get("docs") or ())[:MAX_DOCS]:
            self._doc(doc)
        self._edge[sig] = len(self.edges)
        self.edges.append(
            {
                "s": self._node[u],
                "t": self._node[v],
                "key": str(key),
                "type": d.get("type", ""),
                "caption": style.edge_caption(d),
                "attrs": attrs,
                "count": int(d.get("count") or 0),
                "merged": int(d.get("_merged") or 0),
                "docs": list(d.get("docs") or ())[:MAX_DOCS],
                "rules": list(d.get("rules") or ()),
                "evidence": self._evidence(evidence),
                "more": max(0, int(d.get("count") or 0) - len(evidence)),
            }
        )
        return self._edge[sig]


def _view(reg: _Registry, V: nx.MultiDiGraph, main: bool) -> str:
    lay = layered_layout(V)
    order = sorted(V, key=lambda n: (lay.tiers[n], lay.pos[n][1], lay.pos[n][0]))
    node_index = {n: reg.node(n, V.nodes[n], lay.tiers[n]) for n in order}
    edges = sorted(
        ((u, v, k, d) for u, v, k, d in V.edges(keys=True, data=True) if u != v),
        key=lambda e: (node_index[e[0]], node_index[e[1]], str(e[2])),
    )
    edge_index = [reg.edge(u, v, k, d) for u, v, k, d in edges]
    return svg(V, lay, node_index, edges, edge_index, main)


def render_picture(pic: Picture, title: str = "安全生产责任链") -> str:
    """The page for a prepared :class:`Picture`: its first view, and one template per expandable group."""
    G = pic.graph
    reg = _Registry(G.graph.get("doc_titles") or {})
    main_svg = _view(reg, G, True)
    templates = []
    for gid in sorted(pic.variants):
        variant = _view(reg, pic.variants[gid], False)
        templates.append(
            f'<template class="kg-variant" data-group="{_text(gid)}">{variant}</template>'
        )
    counts: dict[str, int] = {}
    for _, d in G.nodes(data=True):
        counts[d.get("label", "")] = counts.get(d.get("label", ""), 0) + int(
            d.get("size") or 1
        )
    payload = {
        "title": title,
        "tiers": list(tier_names()),
        "labels": {lab: style.node_style(lab)[0] for lab in schema.NODE_LABELS},
        "types": {t: style.edge_style(t)[0] for t in schema.RELATIONSHIPS},
        "docs": {k: v for k, v in reg.docs.items() if k},
        "sents": reg.sents,
        "nodes": reg.nodes,
        "edges": reg.edges,
        "note": pic.note,
    }
    edges = sum(1 for u, v in G.edges() if u != v)
    summary = (
        f"{G.number_of_nodes()} 个方框 · {edges} 条关系"
        if pic.folded
        else f"{G.number_of_nodes()} 个节点 · {edges} 条关系"
    )
    parts = {
        "TITLE": _text(title),
        "FONT": style.FONT_STACK,
        "CSS": _asset("chain.css"),
        "JS": _asset("chain.js"),
        "SVG": main_svg,
        "VARIANTS": "".join(templates),
        "LEGEND": legend(G, counts),
        "DATA": _json_for_script(payload),
        "SUMMARY": _text(summary),
        "NOTE": _text(pic.note),
    }
    return re.sub(
        r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], _asset("chain.html")
    )


def render_html(
    G: nx.MultiDiGraph,
    title: str = "安全生产责任链",
    aggregate: bool = True,
    max_nodes: int = MAX_NODES,
) -> str:
    """The page for graph ``G`` (usually a :func:`chain_subgraph`) as a string; folded into groups by default."""
    return render_picture(
        prepare(G, aggregate=aggregate, max_nodes=max_nodes, expandable=aggregate),
        title,
    )


def write_html(
    G: nx.MultiDiGraph,
    out: str | os.PathLike,
    title: str = "安全生产责任链",
    aggregate: bool = True,
    max_nodes: int = MAX_NODES,
) -> Path:
    """Render and write atomically (temp file in the same directory, then ``os.replace``)."""
    return write_text(out, render_html(G, title, aggregate, max_nodes))


def write_text(out: str | os.PathLike[str], text: str) -> Path:
    """UTF-8 whatever the locale, written atomically."""
    with atomic_write(out, "w", encoding="utf-8") as fh:
        fh.write(text)
    return Path(out)
