"""Graphviz output: DOT text, and SVG/PNG/PDF on an A4 landscape page through the ``dot`` binary.

The picture is the HTML view's layout (tier bands top to bottom) with every
position fixed, so Graphviz only draws it; nodes use a CJK font (pango takes the comma-separated fallback
list), so SVG output carries the Chinese labels as text and PNG output has
real glyphs when ``fonts-noto-cjk`` (or ``fonts-wqy-microhei``) is installed.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
from pathlib import Path

import networkx as nx

from kgraph import schema
from kgraph.errors import KgraphError
from kgraph.readwrite.atomic import atomic_write
from kgraph.viz import style
from kgraph.viz.html import write_text
from kgraph.viz.layout import layered_layout
from kgraph.viz.svg import Point
from kgraph.viz.tiers import bands

INSTALL_HINT = "install with apt-get install graphviz fonts-noto-cjk"
DOT_TIMEOUT = 120  # seconds


def quote(text: object) -> str:
    """A DOT double-quoted string: backslashes, quotes and newlines escaped."""
    s = str(text).replace("\\", "\\\\").replace('"', '\\"')
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{s}"'


A4_LANDSCAPE = (11.69, 8.27)  # inches
PAGE_MARGIN = 0.3
ASPECT = A4_LANDSCAPE[0] / A4_LANDSCAPE[1]
MAX_UPSCALE = (
    1.3  # a small chain is enlarged this much at most, so its text stays text-sized
)


def html_text(text: object) -> str:
    """Text inside a Graphviz HTML-like label."""
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def _legend(G: nx.MultiDiGraph) -> str:
    cells = []
    present = {d.get("label", "") for _, d in G.nodes(data=True)}
    for label in schema.NODE_LABELS:
        if label in present:
            caption, fill, stroke, *_ = style.node_style(label)
            cells.append(
                f'<TD BGCOLOR="{fill}" COLOR="{stroke}" BORDER="1">{html_text(caption)}</TD>'
            )
    if any("_members" in d for _, d in G.nodes(data=True)):
        cells.append(
            '<TD BORDER="1" COLOR="#475569">双框 = 归并的一组（括号中为成员数）</TD>'
        )
    rels = [
        t
        for t in style.EDGE_STYLE
        if any(d.get("type") == t for *_, d in G.edges(data=True))
    ]
    for rel in rels:
        caption, colour = style.edge_style(rel)
        cells.append(f'<TD><FONT COLOR="{colour}">━━ {html_text(caption)}</FONT></TD>')
    if style.weak_edges(
        [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u != v]
    ):
        cells.append(
            f'<TD><FONT COLOR="#94a3b8">淡线 = 不到最多者 {style.WEAK_SHARE:.0%} 的归并关系</FONT></TD>'
        )
    return (
        '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="5" CELLPADDING="3"><TR><TD><B>图例</B></TD>'
        + "".join(cells)
        + "</TR></TABLE>>"
    )


def _spline(
    segments: list[tuple[Point, Point, Point, Point]], down_tip: bool = True
) -> tuple[Point, list[Point]]:
    """Graphviz ``pos`` of an edge: arrow tip, then the cubic pieces ending short of it."""
    pts = [segments[0][0]]
    for _, c1, c2, p3 in segments:
        pts += [c1, c2, p3]
    tip = pts[-1]
    c2 = pts[-2]
    dx, dy = tip[0] - c2[0], tip[1] - c2[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    pts[-1] = (tip[0] - ARROW * ux, tip[1] - ARROW * uy)
    pts[-2] = (c2[0] - ARROW * ux, c2[1] - ARROW * uy)
    return tip, pts


ARROW = 8.0  # pt, length of the arrowhead


def to_dot(G: nx.MultiDiGraph, title: str = "安全生产责任链", note: str = "") -> str:
    """DOT for ``G`` as it is (fold or cap it first: :func:`kgraph.viz.picture.prepare`).

    The drawing is the HTML view's layered layout (one shaded band per tier,
    its caption on the left, rows wrapped to the shape of an A4 landscape
    page), given to Graphviz with every position fixed (``layout=nop2``), so
    ``dot -Tpdf chain.dot`` renders it as it is.  Title and ``note`` on top,
    legend at the bottom.
    """
    from kgraph.viz.svg import edge_shapes

    lay = layered_layout(G, aspect=ASPECT)
    table = bands()
    font = quote(style.DOT_FONT)
    W = max(lay.width, 320.0)
    legend_h = 40.0
    H = lay.height + legend_h

    def P(x: float, y: float) -> str:  # Graphviz's y axis points up
        return f"{x:.1f},{H - y:.1f}"

    heading = f"<B>{html_text(title)}</B>" + (
        f'<BR/><FONT POINT-SIZE="11" COLOR="#92400e">{html_text(note)}</FONT>'
        if note
        else ""
    )
    lines = [
        f"digraph {quote(title)} {{",
        "  // Positions are fixed (layout=nop2): render with  dot -Tpdf this.dot -o chain.pdf",
        f'  graph [layout=nop2, bb="0,0,{W:.0f},{H:.0f}", fontname={font}, label=<{heading}>, labelloc=t, '
        'fontsize=18, outputorder=edgesfirst, charset="UTF-8"];',
        f'  node [fontname={font}, fontsize=12, style="filled", fixedsize=true, margin=0];',
        f"  edge [fontname={font}, fontsize=9, arrowsize=0.8];",
    ]
    for i, (tier, top, bottom) in enumerate(lay.rows):
        band = table[tier] if 0 <= tier < len(table) else None
        fill = band.fill if band else "#f5f5f5"
        caption = band.name if band else str(tier)
        # a cluster with a fixed box is drawn first, under the edges; its caption is a node, over them
        lines.append(
            f'  subgraph "cluster_band{i}" {{ graph [bb="6,{H - bottom:.1f},{W - 6:.1f},{H - top:.1f}", '
            f'style="filled,rounded", fillcolor="{fill}", color="#e2e8f0", label=""]; }}'
        )
        cap_w = sum(11.0 if ord(ch) > 0x2E7F else 6.4 for ch in caption)
        lines.append(
            f'  "kg_band{i}_caption" [shape=plaintext, style="", fixedsize=false, fontsize=11, fontcolor="#64748b", '
            f'label={quote(caption)}, pos="{P(16 + cap_w / 2, top + 12)}"];'
        )
    for n in sorted(G, key=lambda n: (lay.tiers[n], lay.pos[n][1], lay.pos[n][0])):
        data = G.nodes[n]
        _cap, nfill, stroke, _shape, dot_shape, *_ = style.node_style(
            data.get("label", "")
        )
        (x, y), (w, h) = lay.pos[n], lay.size[n]
        extra = ', style="filled,rounded"' if data.get("label") == "Role" else ""
        if "_members" in data:
            extra += ", peripheries=2, penwidth=1.4"
        lines.append(
            f"  {quote(n)} [label={quote(style.node_caption(data) or n)}, shape={dot_shape}, "
            f'fillcolor="{nfill}", color="{stroke}", width={w / 72:.3f}, height={h / 72:.3f}, pos="{P(x, y)}"{extra}];'
        )
    lines.append(
        f'  kg_legend [shape=plaintext, style="", fixedsize=false, fontsize=10, label={_legend(G)}, '
        f'pos="{P(W / 2, lay.height + legend_h / 2 - 6)}"];'
    )
    edges = sorted(
        ((u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u != v),
        key=lambda e: (e[0], e[1], str(e[2])),
    )
    drawn, spots = edge_shapes(G, lay, edges)
    weak = style.weak_edges(edges)
    top = max((int(d.get("count") or 1) for *_, d in edges), default=1)
    for k, ((u, v, _key, data), (_d, _mid, _spots, segments), spot) in enumerate(
        zip(edges, drawn, spots, strict=True)
    ):
        colour = style.edge_style(data.get("type", ""))[1]
        tip, pts = _spline(segments)
        attrs = [
            f'color="{colour}{"40" if k in weak else "c0"}"',
            f"penwidth={0.8 if k in weak else style.stroke_width(data.get('count') or 1, top)}",
            f'pos="e,{P(*tip)} ' + " ".join(P(*p) for p in pts) + '"',
        ]
        if spot is not None:
            attrs += [
                f'label=<<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0" BGCOLOR="#ffffffcc"><TR><TD>'
                f'<FONT COLOR="{colour}">{html_text(style.edge_caption(data))}</FONT></TD></TR></TABLE>>',
                f'lp="{P(*spot)}"',
            ]
        lines.append(f"  {quote(u)} -> {quote(v)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(
    G: nx.MultiDiGraph,
    out: str | os.PathLike,
    title: str = "安全生产责任链",
    note: str = "",
) -> Path:
    return write_text(out, to_dot(G, title, note))


GRAPHVIZ_FORMATS = ("svg", "png", "pdf")


def _run(exe: str, args: list[str], text: str) -> bytes:
    try:
        proc = subprocess.run(
            [exe, *args],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=DOT_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise KgraphError(
            f"Graphviz 'dot' took longer than {DOT_TIMEOUT}s; narrow the chain (--sector, --holder, --doc)"
        ) from None
    if proc.returncode != 0 or not proc.stdout:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise KgraphError(
            f"Graphviz 'dot' failed: {msg[-1] if msg else f'exit {proc.returncode}'}"
        )
    return proc.stdout


def _a4_args(exe: str, text: str) -> list[str]:
    """``-G`` options that scale the drawing into an A4 landscape page and pad it to exactly that size.

    Graphviz's own ``ratio=fill`` misses the size when there are clusters, so
    the natural size is read from a first layout (``-Tplain``) and the
    margins computed from it.
    """
    head = _run(exe, ["-Tplain"], text).split(b"\n", 1)[0].split()
    w, h = float(head[2]), float(head[3])
    page_w, page_h = A4_LANDSCAPE
    avail_w, avail_h = page_w - 2 * PAGE_MARGIN, page_h - 2 * PAGE_MARGIN
    scale = min(avail_w / w, avail_h / h, MAX_UPSCALE)
    sw, sh = w * scale, h * scale
    size = f"{sw:.3f},{sh:.3f}" + ("!" if scale > 1 else "")
    # Graphviz counts ``pad`` inside ``size``; ``margin`` (x,y) is added around it
    margin = f"{(page_w - sw) / 2:.3f},{(page_h - sh) / 2:.3f}"
    return [f"-Gsize={size}", "-Gpad=0", f"-Gmargin={margin}"]


def render(
    G: nx.MultiDiGraph,
    fmt: str,
    out: str | os.PathLike,
    title: str = "安全生产责任链",
    note: str = "",
    a4: bool = True,
) -> Path:
    """Write ``out`` as ``svg``, ``png`` or ``pdf`` through Graphviz, on an A4 landscape page (``a4``).

    Without ``dot`` on PATH the DOT text is written next to ``out`` (same
    name, ``.dot``) and :class:`KgraphError` says so in one line.
    """
    if fmt not in GRAPHVIZ_FORMATS:
        raise KgraphError(
            f"unknown Graphviz format {fmt!r} (choose {', '.join(GRAPHVIZ_FORMATS)})"
        )
    path = Path(out)
    text = to_dot(G, title, note)
    exe = shutil.which("dot")
    if exe is None:
        fallback = path.with_suffix(".dot")
        write_text(fallback, text)
        raise KgraphError(
            f"Graphviz 'dot' not found: wrote {fallback.name} instead; {INSTALL_HINT}"
        )
    args = _a4_args(exe, text) if a4 else []
    args.append(f"-T{fmt}")
    if fmt == "png":
        args.append("-Gdpi=144")
    data = _run(exe, args, text)
    with atomic_write(path, "wb") as fh:
        fh.write(data)
    return path


def cjk_font_available() -> bool | None:
    """Whether fontconfig knows a Chinese font (None when fc-list is missing)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        proc = subprocess.run(
            [exe, ":lang=zh", "family"], capture_output=True, timeout=20
        )
    except subprocess.TimeoutExpired:
        return None
    return bool(proc.stdout.strip())
