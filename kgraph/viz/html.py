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

import html
import json
import os
import re
from importlib import resources
from pathlib import Path

import networkx as nx

from kgraph import schema
from kgraph.readwrite.atomic import atomic_write
from kgraph.viz import style
from kgraph.viz.layout import Layout, layered_layout
from kgraph.viz.tiers import TIER_NAMES

MAX_EVIDENCE_PER_EDGE = 40


def _asset(name: str) -> str:
    return resources.files("kgraph.viz").joinpath(name).read_text(encoding="utf-8")


def _text(value: object) -> str:
    """Escape for HTML/SVG text and attribute values (and keep the file free of `http`)."""
    return html.escape(str(value), quote=True).replace("http", "&#104;ttp")


def _json_for_script(data: object) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes so no ``</script>`` or
    ``<!--`` in a quoted sentence can end the element early; ``http`` in quoted
    text becomes ``\\u0068ttp`` (identical once parsed).
    """
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        raw = raw.replace(ch, esc)
    return raw.replace("http", "\\u0068ttp")


# --- SVG pieces -------------------------------------------------------------


def _shape(kind: str, w: float, h: float) -> str:
    x, y = w / 2, h / 2
    if kind in ("rect", "pill", "round", "doc"):
        rx = {"rect": 3, "pill": y, "round": 10, "doc": 2}[kind]
        return f'<rect class="shape" x="{-x:g}" y="{-y:g}" width="{w:g}" height="{h:g}" rx="{rx:g}"/>'
    if kind == "hexagon":
        pts = [(-x, 0), (-x + 10, -y), (x - 10, -y), (x, 0), (x - 10, y), (-x + 10, y)]
    elif kind == "parallelogram":
        pts = [(-x + 9, -y), (x, -y), (x - 9, y), (-x, y)]
    elif kind == "tag":
        pts = [(-x, -y), (x - 10, -y), (x, 0), (x - 10, y), (-x, y)]
    else:  # octagon
        c = 8
        pts = [(-x + c, -y), (x - c, -y), (x, -y + c), (x, y - c), (x - c, y), (-x + c, y), (-x, y - c), (-x, -y + c)]
    points = " ".join(f"{px:g},{py:g}" for px, py in pts)
    return f'<polygon class="shape" points="{points}"/>'


def _edge_geometry(lay: Layout, u: str, v: str, lane: int) -> tuple[str, tuple[float, float]]:
    """SVG path and label position for edge u→v; ``lane`` spreads parallel edges.

    Edges between rows run through their bend points (one per row crossed)
    as a chain of cubic curves with vertical tangents; edges within a row arc
    above it.
    """
    (x1, y1), (x2, y2) = lay.pos[u], lay.pos[v]
    h1, h2 = lay.size[u][1] / 2, lay.size[v][1] / 2
    shift = lane * 16.0
    if abs(y2 - y1) < 1:  # same line: arc above the row
        sy, ty = y1 - h1, y2 - h2
        lift = 28 + min(160.0, abs(x2 - x1) * 0.18) + abs(shift)
        p0, p3 = (x1, sy), (x2, ty)
        c1, c2 = (x1 + shift, sy - lift), (x2 + shift, ty - lift)
        segments = [(p0, c1, c2, p3)]
    else:
        down = y2 > y1
        points = [(x1, y1 + h1 if down else y1 - h1)]
        points += [(x + shift, y) for x, y in lay.routes.get((u, v), ())]
        points.append((x2, y2 - h2 if down else y2 + h2))
        segments = []
        for (ax, ay), (bx, by) in zip(points, points[1:]):
            bend = (by - ay) * 0.5
            segments.append(((ax, ay), (ax + (shift if ax == x1 else 0), ay + bend), (bx, by - bend), (bx, by)))
    p0, c1, c2, p3 = segments[len(segments) // 2]
    mx = 0.125 * p0[0] + 0.375 * c1[0] + 0.375 * c2[0] + 0.125 * p3[0]
    my = 0.125 * p0[1] + 0.375 * c1[1] + 0.375 * c2[1] + 0.125 * p3[1]
    d = f"M{segments[0][0][0]:.1f},{segments[0][0][1]:.1f}" + "".join(
        f" C{a[0]:.1f},{a[1]:.1f} {b[0]:.1f},{b[1]:.1f} {c[0]:.1f},{c[1]:.1f}" for _, a, b, c in segments
    )
    return d, (round(mx, 1), round(my, 1))


def _svg(G: nx.MultiDiGraph, lay: Layout, node_index: dict[str, int], edges: list) -> str:
    W, H = max(lay.width, 320.0), max(lay.height, 160.0)
    drawn = []
    lanes: dict[tuple[str, str], int] = {}
    for u, v, _key, _data in edges:
        pair = tuple(sorted((u, v)))
        k = lanes.get(pair, 0)
        lanes[pair] = k + 1
        drawn.append(_edge_geometry(lay, u, v, (k + 1) // 2 * (1 if k % 2 else -1)))
    # arcs over the first row may rise above the layout: start the view higher
    top = min([0.0] + [float(y) for d, _ in drawn for y in re.findall(r",(-?[\d.]+)", d)])
    top = min(0.0, top - 12)
    out = [
        f'<svg id="kg-svg" viewBox="0 {top:.0f} {W:.0f} {H - top:.0f}" data-x="0" data-y="{top:.0f}" '
        f'data-width="{W:.0f}" data-height="{H - top:.0f}" role="img" aria-label="责任链图">'
    ]
    out.append("<defs>")
    colours = sorted({style.edge_style(d.get("type", ""))[1] for *_, d in edges})
    for c in colours:
        out.append(
            f'<marker id="arr{c[1:]}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" '
            f'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
            f'<path d="M0,1 L10,5 L0,9 z" fill="{c}"/></marker>'
        )
    out.append("</defs>")
    out.append('<g id="kg-viewport">')
    out.append('<g class="bands">')
    for i, (tier, top, bottom) in enumerate(lay.rows):
        name = TIER_NAMES[tier] if 0 <= tier < len(TIER_NAMES) else ""
        out.append(
            f'<g class="band" data-tier="{tier}"><rect class="band-bg{" odd" if i % 2 else ""}" x="6" '
            f'y="{top:.1f}" width="{W - 12:.0f}" height="{bottom - top:.1f}" rx="8"/>'
            f'<text class="band-label" x="16" y="{top + 15:.1f}">{_text(name)}</text></g>'
        )
    out.append("</g>")
    out.append('<g class="edges">')
    for i, ((u, v, _key, data), (d, (lx, ly))) in enumerate(zip(edges, drawn)):
        rel = data.get("type", "")
        colour = style.edge_style(rel)[1]
        width = style.stroke_width(data.get("count") or 1)
        caption = style.edge_caption(data)
        out.append(
            f'<g class="edge" data-i="{i}" data-type="{_text(rel)}" '
            f'data-s="{node_index[u]}" data-t="{node_index[v]}">'
            f'<path class="hit" d="{d}"/>'
            f'<path class="line" d="{d}" stroke="{colour}" stroke-width="{width}" marker-end="url(#arr{colour[1:]})"/>'
            f'<text class="elabel" x="{lx}" y="{ly}" fill="{colour}">{_text(caption)}</text>'
            f"<title>{_text(G.nodes[u].get('name', u))} → {_text(G.nodes[v].get('name', v))}: {_text(caption)}</title>"
            "</g>"
        )
    out.append("</g>")
    out.append('<g class="nodes">')
    for n, i in node_index.items():
        data = G.nodes[n]
        label = data.get("label", "")
        _cap, fill, stroke, shape, *_ = style.node_style(label)
        (x, y), (w, h) = lay.pos[n], lay.size[n]
        name = data.get("name") or schema.split_node_id(n)[1]
        out.append(
            f'<g class="node" data-i="{i}" data-label="{_text(label)}" transform="translate({x:g},{y:g})" '
            f'fill="{fill}" stroke="{stroke}">{_shape(shape, w, h)}'
            f'<text class="nlabel" y="1">{_text(name)}</text>'
            f"<title>{_text(name)}（{_text(style.node_style(label)[0])}）</title></g>"
        )
    out.append("</g></g></svg>")
    return "".join(out)


def _legend(G: nx.MultiDiGraph) -> str:
    present = {d.get("label", "") for _, d in G.nodes(data=True)}
    items = []
    for label in schema.NODE_LABELS:
        if label not in present:
            continue
        caption, fill, stroke, shape, *_ = style.node_style(label)
        count = sum(1 for _, d in G.nodes(data=True) if d.get("label") == label)
        items.append(
            f'<label class="legend-item"><input type="checkbox" checked data-label="{label}">'
            f'<svg class="swatch" viewBox="-20 -9 40 18" width="34" height="16" fill="{fill}" '
            f'stroke="{stroke}">{_shape(shape, 38, 16)}</svg>'
            f'<span>{_text(caption)} <small>{label} · {count}</small></span></label>'
        )
    return "".join(items)


def _edge_evidence(data: dict) -> list[dict]:
    return list(data.get("evidence") or ())[:MAX_EVIDENCE_PER_EDGE]


def _payload(G: nx.MultiDiGraph, lay: Layout, node_index: dict[str, int], edges: list, title: str) -> dict:
    docs = dict(G.graph.get("doc_titles") or {})
    nodes = []
    for n in node_index:
        d = G.nodes[n]
        nodes.append(
            {
                "id": n,
                "label": d.get("label", ""),
                "name": d.get("name") or schema.split_node_id(n)[1],
                "title": d.get("title") or "",
                "org": d.get("org") or "",
                "category": d.get("category") or "",
                "mentions": int(d.get("mentions") or 0),
                "docs": list(d.get("docs") or ()),
                "tier": lay.tiers[n],
                "evidence": list(d.get("mention_evidence") or ()),
            }
        )
    out_edges = []
    for u, v, key, d in edges:
        attrs = {a: d.get(a) or "" for a in schema.EDGE_KEY_ATTRS.get(d.get("type", ""), ())}
        out_edges.append(
            {
                "s": node_index[u],
                "t": node_index[v],
                "key": key,
                "type": d.get("type", ""),
                "caption": style.edge_caption(d),
                "attrs": attrs,
                "count": int(d.get("count") or 0),
                "docs": list(d.get("docs") or ()),
                "rules": list(d.get("rules") or ()),
                "evidence": _edge_evidence(d),
                "more": max(0, len(d.get("evidence") or ()) - MAX_EVIDENCE_PER_EDGE),
            }
        )
    for n in nodes:
        for d in n["docs"]:
            docs.setdefault(d, d)
    return {
        "title": title,
        "tiers": list(TIER_NAMES),
        "labels": {lab: style.node_style(lab)[0] for lab in schema.NODE_LABELS},
        "types": {t: style.edge_style(t)[0] for t in schema.RELATIONSHIPS},
        "docs": docs,
        "nodes": nodes,
        "edges": out_edges,
    }


def render_html(G: nx.MultiDiGraph, title: str = "安全生产责任链") -> str:
    """The page for graph ``G`` (usually a :func:`chain_subgraph`) as a string."""
    lay = layered_layout(G)
    node_index = {
        n: i for i, n in enumerate(sorted(G, key=lambda n: (lay.tiers[n], lay.pos[n][1], lay.pos[n][0])))
    }
    edges = sorted(
        ((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u != v),
        key=lambda e: (node_index[e[0]], node_index[e[1]], str(e[2])),
    )
    parts = {
        "TITLE": _text(title),
        "FONT": style.FONT_STACK,
        "CSS": _asset("chain.css"),
        "JS": _asset("chain.js"),
        "SVG": _svg(G, lay, node_index, edges),
        "LEGEND": _legend(G),
        "DATA": _json_for_script(_payload(G, lay, node_index, edges, title)),
        "SUMMARY": _text(f"{G.number_of_nodes()} 个节点 · {len(edges)} 条关系"),
    }
    page = re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], _asset("chain.html"))
    return page


def write_html(G: nx.MultiDiGraph, out: str | os.PathLike, title: str = "安全生产责任链") -> Path:
    """Render and write atomically (temp file in the same directory, then ``os.replace``)."""
    return write_text(out, render_html(G, title))


def write_text(out: str | os.PathLike, text: str) -> Path:
    """UTF-8 whatever the locale, written atomically."""
    with atomic_write(out, "w", encoding="utf-8") as fh:
        fh.write(text)
    return Path(out)

