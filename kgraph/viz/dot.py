"""Graphviz output: DOT text, and SVG/PNG/PDF/JPEG through the ``dot`` binary.

Rows follow the same tiers as the HTML view (``rank=same`` per tier, top to
bottom), nodes use a CJK font (pango takes the comma-separated fallback
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

from kgraph.errors import KgraphError
from kgraph.viz import style
from kgraph.viz.html import write_text
from kgraph.readwrite.atomic import atomic_write
from kgraph.viz.tiers import TIER_NAMES, assign_tiers

INSTALL_HINT = "install with apt-get install graphviz fonts-noto-cjk"
DOT_TIMEOUT = 120  # seconds


def quote(text: object) -> str:
    """A DOT double-quoted string: backslashes, quotes and newlines escaped."""
    s = str(text).replace("\\", "\\\\").replace('"', '\\"')
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{s}"'


# A4 landscape in inches, less a 0.2 in margin on each side: every static
# picture is scaled down to fit one report page.
A4_LANDSCAPE = (11.69, 8.27)
PAGE_MARGIN = 0.2
BAND_FILLS = ("#f8fafc", "#eef2f7")


def _row_width(n_nodes: int) -> int:
    """Nodes per row.  A tier with more wraps into several rows instead of one
    strip 12,000 px wide; the picture is then wide mostly from the routes of
    long edges, and about six nodes a row keep a corpus-wide chain (~100
    nodes) near the 1.41 : 1 of an A4 landscape page."""
    return max(5, math.ceil(math.sqrt(n_nodes) / 2))


def to_dot(G: nx.MultiDiGraph, title: str = "安全生产责任链") -> str:
    """DOT text: one shaded band per tier (labelled on the left), wide tiers
    wrapped into rows, a legend of the node and relation kinds drawn, and a
    page size of A4 landscape."""
    tiers = assign_tiers(G)
    font = quote(style.DOT_FONT)
    width, height = (x - 2 * PAGE_MARGIN for x in A4_LANDSCAPE)
    lines = [
        f"digraph {quote(title)} {{",
        f"  graph [rankdir=TB, fontname={font}, label={quote(title)}, labelloc=t, fontsize=18, "
        f'newrank=true, nodesep=0.3, ranksep=0.45, charset="UTF-8", size="{width:.2f},{height:.2f}", '
        f'ratio=compress, margin={PAGE_MARGIN}, pad=0.1];',
        f'  node [fontname={font}, fontsize=12, style="filled", margin="0.12,0.05"];',
        f"  edge [fontname={font}, fontsize=9, arrowsize=0.7];",
    ]
    order = sorted(G, key=lambda n: (tiers[n], str(G.nodes[n].get("label", "")), n))
    per_row = _row_width(len(order))
    captions = G.number_of_edges() <= MAX_EDGE_CAPTIONS
    row_heads: list[str] = []
    for i, tier in enumerate(sorted(set(tiers.values()))):
        members = [n for n in order if tiers[n] == tier]
        caption = TIER_NAMES[tier] if 0 <= tier < len(TIER_NAMES) else str(tier)
        lines.append(
            f"  subgraph {quote(f'cluster_tier{tier}')} {{ label={quote(caption)}; labeljust=l; labelloc=t; "
            f'fontsize=11; fontcolor="#475569"; style="filled"; fillcolor="{BAND_FILLS[i % 2]}"; color="#cbd5e1";'
        )
        for start in range(0, len(members), per_row):
            row = members[start : start + per_row]
            row_heads.append(row[0])
            lines.append("    { rank=same;")
            for n in row:
                data = G.nodes[n]
                _cap, fill, stroke, _shape, dot_shape, *_ = style.node_style(data.get("label", ""))
                extra = ', style="filled,rounded"' if data.get("label") == "Role" else ""
                lines.append(
                    f"      {quote(n)} [label={quote(style.node_caption(data) or n)}, shape={dot_shape}, "
                    f'fillcolor="{fill}", color="{stroke}"{extra}];'
                )
            lines.append("    }")
        lines.append("  }")
    # Keep the rows in order top-down even where no edge links two adjacent rows.
    for a, b in zip(row_heads, row_heads[1:]):
        lines.append(f"  {quote(a)} -> {quote(b)} [style=invis];")
    for u, v, _key, data in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        colour = style.edge_style(data.get("type", ""))[1]
        attrs = [
            *([f"label={quote(style.edge_caption(data))}"] if captions else []),
            f'color="{colour}"',
            f'fontcolor="{colour}"',
            f"penwidth={style.stroke_width(data.get('count') or 1)}",
        ]
        if tiers[u] == tiers[v]:
            attrs.append("constraint=false")
        lines.append(f"  {quote(u)} -> {quote(v)} [{', '.join(attrs)}];")
    if row_heads:
        lines.append(f"  {quote(LEGEND)} [shape=plain, label=<{_legend(G)}>];")
        lines.append(f"  {quote(row_heads[-1])} -> {quote(LEGEND)} [style=invis];")
    lines.append("}")
    return "\n".join(lines) + "\n"


LEGEND = "kgraph legend"  # never a node id ("Label:name")
BAND = "kgraph band "
# Above this many relations their captions are left off (the legend gives
# the colours): Graphviz lays each caption out as a node of its own, and a
# corpus-wide chain became a strip many pages wide.
MAX_EDGE_CAPTIONS = 40


def _legend(G: nx.MultiDiGraph) -> str:
    """An HTML-like table: a swatch and the Chinese caption of each node
    kind and relation kind in the picture."""
    labels = sorted({d.get("label", "") for _, d in G.nodes(data=True)}, key=lambda x: list(style.NODE_STYLE).index(x) if x in style.NODE_STYLE else 99)
    types = sorted({d.get("type", "") for *_, d in G.edges(data=True)}, key=lambda x: list(style.EDGE_STYLE).index(x) if x in style.EDGE_STYLE else 99)
    cells = ['<TD><B>图例</B></TD>']
    for label in labels:
        caption, fill, stroke, *_ = style.node_style(label)
        cells.append(f'<TD BGCOLOR="{fill}" COLOR="{stroke}" BORDER="1">{_html(caption)}</TD>')
    for rel in types:
        caption, colour = style.edge_style(rel)
        cells.append(f'<TD><FONT COLOR="{colour}">━━ {_html(caption)}</FONT></TD>')
    return f'<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="3"><TR>{"".join(cells)}</TR></TABLE>'


def _html(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_dot(G: nx.MultiDiGraph, out: str | os.PathLike, title: str = "安全生产责任链") -> Path:
    return write_text(out, to_dot(G, title))


RENDER_FORMATS = ("svg", "png", "pdf", "jpg")
# One report page holds about this many readable nodes; more is refused with
# a hint to narrow the view (Graphviz also takes minutes on thousands).
MAX_PAGE_NODES = 200
# Bitmaps at print resolution; a JPEG has no alpha, so a white page.
_RENDER_ARGS = {"png": ["-Gdpi=144"], "jpg": ["-Gdpi=144", "-Gbgcolor=white"], "svg": [], "pdf": []}


def render(G: nx.MultiDiGraph, fmt: str, out: str | os.PathLike, title: str = "安全生产责任链") -> Path:
    """Write ``out`` as ``svg``, ``png``, ``pdf`` or ``jpg`` through Graphviz.

    Without ``dot`` on PATH the DOT text is written next to ``out`` (same
    name, ``.dot``) and :class:`KgraphError` says so in one line.
    """
    if fmt not in RENDER_FORMATS:
        raise KgraphError(f"unknown Graphviz format {fmt!r} (choose {', '.join(RENDER_FORMATS)})")
    if G.number_of_nodes() > MAX_PAGE_NODES:
        raise KgraphError(
            f"{G.number_of_nodes()} nodes do not fit one {fmt} page (at most {MAX_PAGE_NODES}): narrow the chain "
            "(--sector, --holder, --place, --doc) or draw it as html"
        )
    path = Path(out)
    text = to_dot(G, title)
    exe = shutil.which("dot")
    if exe is None:
        fallback = path.with_suffix(".dot")
        write_text(fallback, text)
        raise KgraphError(f"Graphviz 'dot' not found: wrote {fallback.name} instead; {INSTALL_HINT}")
    args = [exe, f"-T{fmt}", *_RENDER_ARGS[fmt]]
    try:
        proc = subprocess.run(args, input=text.encode("utf-8"), capture_output=True, timeout=DOT_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise KgraphError(
            f"Graphviz 'dot' took longer than {DOT_TIMEOUT}s; narrow the chain (--sector, --holder, --doc)"
        ) from None
    if proc.returncode != 0 or not proc.stdout:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise KgraphError(f"Graphviz 'dot' failed: {msg[-1] if msg else f'exit {proc.returncode}'}")
    with atomic_write(path, "wb") as fh:
        fh.write(proc.stdout)
    return path


def cjk_font_available() -> bool | None:
    """Whether fontconfig knows a Chinese font (None when fc-list is missing)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        proc = subprocess.run([exe, ":lang=zh", "family"], capture_output=True, timeout=20)
    except subprocess.TimeoutExpired:
        return None
    return bool(proc.stdout.strip())
