"""The chain picture as inline SVG: node shapes, edge curves and their
labels placed clear of each other, and the legend.  Used by the HTML page
(:mod:`kgraph.viz.html`); :func:`edge_shapes` gives Graphviz output
(:mod:`kgraph.viz.dot`) the same edge geometry."""

from __future__ import annotations

import html
import re
from itertools import pairwise

import networkx as nx

from kgraph import schema
from kgraph.viz import style
from kgraph.viz.layout import Layout
from kgraph.viz.tiers import tier_names


def text(value: object) -> str:
    """Escape for HTML/SVG text and attribute values (and keep the file free of `http`)."""
    return html.escape(str(value), quote=True).replace("http", "&#104;ttp")


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
        pts = [
            (-x + c, -y),
            (x - c, -y),
            (x, -y + c),
            (x, y - c),
            (x - c, y),
            (-x + c, y),
            (-x, y - c),
            (-x, -y + c),
        ]
    points = " ".join(f"{px:g},{py:g}" for px, py in pts)
    return f'<polygon class="shape" points="{points}"/>'


def _bezier(seg: tuple[Point, Point, Point, Point], t: float) -> tuple[float, float]:
    p0, c1, c2, p3 = seg
    a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3
    return (
        a * p0[0] + b * c1[0] + c * c2[0] + d * p3[0],
        a * p0[1] + b * c1[1] + c * c2[1] + d * p3[1],
    )


Point = tuple[float, float]


def _edge_geometry(
    lay: Layout, u: str, v: str, lane: int
) -> tuple[str, Point, list[Point], list[tuple[Point, Point, Point, Point]]]:
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
        for (ax, ay), (bx, by) in pairwise(points):
            bend = (by - ay) * 0.5
            segments.append(
                (
                    (ax, ay),
                    (ax + (shift if ax == x1 else 0), ay + bend),
                    (bx, by - bend),
                    (bx, by),
                )
            )
    mx, my = _bezier(segments[len(segments) // 2], 0.5)
    d = f"M{segments[0][0][0]:.0f},{segments[0][0][1]:.0f}" + "".join(
        f" C{a[0]:.0f},{a[1]:.0f} {b[0]:.0f},{b[1]:.0f} {c[0]:.0f},{c[1]:.0f}"
        for _, a, b, c in segments
    )
    # other places along the edge where its label may go if the middle is taken
    spots = [(mx, my)] + [_bezier(seg, t) for seg in segments for t in (0.3, 0.5, 0.7)]
    return d, (round(mx, 1), round(my, 1)), spots, segments


LABEL_CHAR_W = (
    10.5  # px per CJK character of an edge label (font-size 10px + stroke halo)
)
LABEL_H = 15.0


def _place_labels(
    G: nx.MultiDiGraph, lay: Layout, edges: list, drawn: list
) -> list[tuple[float, float] | None]:
    """A spot for each edge label that overlaps no node and no other label, or None (label left out).

    Heavier relations choose first; a left-out label is still in the edge's
    tooltip and in the evidence panel.
    """
    boxes = [
        (x - w / 2 - 2, y - h / 2 - 2, x + w / 2 + 2, y + h / 2 + 2)
        for n, ((x, y), (w, h)) in ((n, (lay.pos[n], lay.size[n])) for n in G)
    ]
    names = tier_names()
    for tier, top, _bottom in lay.rows:  # band captions
        name = names[tier] if 0 <= tier < len(names) else ""
        boxes.append((10, top, 20 + 12.5 * len(name), top + 20))
    placed: list[tuple[float, float, float, float]] = []
    result: list[tuple[float, float] | None] = [None] * len(edges)
    weak = style.weak_edges(edges)
    order = sorted(
        (i for i in range(len(edges)) if i not in weak),
        key=lambda i: (-int(edges[i][3].get("count") or 1), i),
    )
    for i in order:
        caption = style.edge_caption(edges[i][3])
        w = (
            sum(
                LABEL_CHAR_W if ord(ch) > 0x2E7F or ch == "×" else 6.5 for ch in caption
            )
            + 8
        )
        for x, y in drawn[i][2]:
            box = (x - w / 2, y - LABEL_H / 2, x + w / 2, y + LABEL_H / 2)
            if any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                for b in boxes
            ):
                continue
            if any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                for b in placed
            ):
                continue
            placed.append(box)
            result[i] = (round(x, 1), round(y, 1))
            break
    return result


def edge_shapes(
    G: nx.MultiDiGraph, lay: Layout, edges: list
) -> tuple[list, list[Point | None]]:
    """Geometry of every edge (parallel edges in lanes) and a free spot for its label (None: left out)."""
    drawn = []
    lanes: dict[tuple[str, str], int] = {}
    for u, v, _key, _data in edges:
        pair = tuple(sorted((u, v)))
        k = lanes.get(pair, 0)
        lanes[pair] = k + 1
        drawn.append(_edge_geometry(lay, u, v, (k + 1) // 2 * (1 if k % 2 else -1)))
    return drawn, _place_labels(G, lay, edges, drawn)


def svg(
    G: nx.MultiDiGraph,
    lay: Layout,
    node_index: dict[str, int],
    edges: list,
    edge_index: list[int],
    main: bool,
) -> str:
    W, H = max(lay.width, 320.0), max(lay.height, 160.0)
    drawn, spots = edge_shapes(G, lay, edges)
    # arcs over the first row may rise above the layout: start the view higher
    top = min(
        [0.0] + [float(y) for d, *_ in drawn for y in re.findall(r",(-?[\d.]+)", d)]
    )
    top = min(0.0, top - 12)
    svg_id = ' id="kg-svg"' if main else ""
    out = [
        f'<svg{svg_id} class="kg-view" preserveAspectRatio="xMidYMin meet" viewBox="0 {top:.0f} {W:.0f} {H - top:.0f}" '
        f'data-x="0" data-y="{top:.0f}" data-width="{W:.0f}" data-height="{H - top:.0f}" role="img" aria-label="责任链图">'
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
    out.append('<g class="kg-viewport">')
    out.append('<g class="bands">')
    captions: list[
        str
    ] = []  # drawn over the edges, so a bundle of lines cannot hide them
    names = tier_names()
    for i, (tier, top, bottom) in enumerate(lay.rows):
        name = names[tier] if 0 <= tier < len(names) else ""
        out.append(
            f'<g class="band" data-tier="{tier}"><rect class="band-bg{" odd" if i % 2 else ""}" x="6" '
            f'y="{top:.1f}" width="{W - 12:.0f}" height="{bottom - top:.1f}" rx="8"/></g>'
        )
        captions.append(
            f'<text class="band-label" data-tier="{tier}" x="16" y="{top + 15:.1f}">{text(name)}</text>'
        )
    out.append("</g>")
    out.append('<g class="edges">')
    weak = style.weak_edges(edges)
    top = max((int(d.get("count") or 1) for *_, d in edges), default=1)
    for k, (ei, (u, v, _key, data), (d, (lx, ly), *_), spot) in enumerate(
        zip(edge_index, edges, drawn, spots, strict=True)
    ):
        rel = data.get("type", "")
        colour = style.edge_style(rel)[1]
        width = style.stroke_width(data.get("count") or 1, top)
        caption = style.edge_caption(data)
        out.append(
            f'<g class="edge{" weak" if k in weak else ""}" data-i="{ei}" data-type="{text(rel)}" '
            f'data-s="{node_index[u]}" data-t="{node_index[v]}">'
            f'<path class="hit" d="{d}"/>'
            f'<path class="line" d="{d}" stroke="{colour}" stroke-width="{width}" marker-end="url(#arr{colour[1:]})"/>'
            f'<text class="elabel{"" if spot else " crowded"}" x="{(spot or (lx, ly))[0]}" '
            f'y="{(spot or (lx, ly))[1]}" fill="{colour}">{text(caption)}</text>'
            f"<title>{text(style.node_caption(G.nodes[u]))} → {text(style.node_caption(G.nodes[v]))}: {text(caption)}</title>"
            "</g>"
        )
    out.append("</g>")
    out.append('<g class="band-labels">' + "".join(captions) + "</g>")
    out.append('<g class="nodes">')
    for n in sorted(G, key=lambda n: node_index[n]):
        i = node_index[n]
        data = G.nodes[n]
        label = data.get("label", "")
        _cap, fill, stroke, shape, *_ = style.node_style(label)
        (x, y), (w, h) = lay.pos[n], lay.size[n]
        name = style.node_caption(data) or schema.split_node_id(n)[1]
        kind = (
            " group"
            if "_members" in data
            else (" member" if data.get("_member") else "")
        )
        out.append(
            f'<g class="node{kind}" data-i="{i}" data-label="{text(label)}" transform="translate({x:g},{y:g})" '
            f'fill="{fill}" stroke="{stroke}">{_shape(shape, w, h)}'
            f'<text class="nlabel" y="1">{text(name)}</text>'
            f"<title>{text(name)}（{text(style.node_style(label)[0])}）</title></g>"
        )
    out.append("</g></g></svg>")
    return "".join(out)


def legend(G: nx.MultiDiGraph, counts: dict[str, int]) -> str:
    present = {d.get("label", "") for _, d in G.nodes(data=True)}
    items = []
    for label in schema.NODE_LABELS:
        if label not in present:
            continue
        caption, fill, stroke, shape, *_ = style.node_style(label)
        count = counts.get(label, 0)
        items.append(
            f'<label class="legend-item"><input type="checkbox" checked data-label="{label}">'
            f'<svg class="swatch" viewBox="-20 -9 40 18" width="34" height="16" fill="{fill}" '
            f'stroke="{stroke}">{_shape(shape, 38, 16)}</svg>'
            f"<span>{text(caption)} <small>{label} · {count}</small></span></label>"
        )
    rels = sorted(
        {d.get("type", "") for *_, d in G.edges(data=True)},
        key=lambda t: list(style.EDGE_STYLE).index(t) if t in style.EDGE_STYLE else 99,
    )
    for rel in rels:
        caption, colour = style.edge_style(rel)
        items.append(
            f'<div class="legend-edge"><svg width="34" height="10"><line x1="2" y1="5" x2="32" y2="5" '
            f'stroke="{colour}" stroke-width="2.5"/></svg><span>{text(caption)}</span></div>'
        )
    if style.weak_edges(
        [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u != v]
    ):
        items.append(
            '<div class="legend-edge"><svg width="34" height="10"><line x1="2" y1="5" x2="32" y2="5" '
            f'stroke="#94a3b8" stroke-width="1" opacity="0.5"/></svg><span>淡线：不到最多者 {style.WEAK_SHARE:.0%} 的归并关系</span></div>'
        )
    return "".join(items)
