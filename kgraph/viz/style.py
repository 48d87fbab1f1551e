"""How things look, shared by the HTML, DOT and Mermaid renderers.

One table per concern so the three outputs agree: a node label always has the
same colour and shape, a relationship the same Chinese caption.
"""

from __future__ import annotations

import math

from kgraph import schema

FONT_STACK = (
    '"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",'
    '"Microsoft YaHei","PingFang SC",sans-serif'
)
# Graphviz/pango take a comma-separated family list without quotes.
DOT_FONT = (
    "Noto Sans CJK SC,Source Han Sans SC,WenQuanYi Micro Hei,Microsoft YaHei,sans-serif"
)

# label → (Chinese caption, fill, stroke, HTML shape, DOT shape, Mermaid open, Mermaid close)
NODE_STYLE: dict[str, tuple[str, str, str, str, str, str, str]] = {
    schema.ORGANIZATION: ("机构", "#dbeafe", "#1d4ed8", "rect", "box", '["', '"]'),
    schema.OFFICIAL: ("领导", "#fee2e2", "#b91c1c", "pill", "ellipse", '(["', '"])'),
    schema.ROLE: ("职务", "#fef3c7", "#b45309", "round", "box", '("', '")'),
    schema.RESPONSIBILITY: (
        "责任",
        "#dcfce7",
        "#15803d",
        "hexagon",
        "hexagon",
        '{{"',
        '"}}',
    ),
    schema.SECTOR: (
        "行业领域",
        "#f3e8ff",
        "#7e22ce",
        "parallelogram",
        "parallelogram",
        '[/"',
        '"/]',
    ),
    schema.TASK: ("任务", "#e0f2fe", "#0369a1", "tag", "cds", '[["', '"]]'),
    schema.MEETING: ("会议", "#f1f5f9", "#475569", "octagon", "octagon", '{{"', '"}}'),
    schema.DOCUMENT: ("文档", "#f8fafc", "#64748b", "doc", "note", '["', '"]'),
}
DEFAULT_NODE_STYLE = ("其他", "#f5f5f5", "#525252", "rect", "box", '["', '"]')

# relationship type → (Chinese caption, colour)
EDGE_STYLE: dict[str, tuple[str, str]] = {
    schema.CHAIN: ("责任链", "#b91c1c"),
    schema.BEARS: ("承担", "#15803d"),
    schema.COVERS_SECTOR: ("负责领域", "#7e22ce"),
    schema.PERFORMS: ("落实", "#0369a1"),
    schema.ASSIGNED: ("部署", "#c2410c"),
    schema.HOLDS_TITLE: ("任职", "#b45309"),
    schema.IN_ORG: ("所在机构", "#1d4ed8"),
    schema.SPOKE_AT: ("讲话", "#64748b"),
    schema.CHAIRED: ("主持", "#64748b"),
    schema.ATTENDED: ("出席", "#64748b"),
    schema.RECORDED_IN: ("记录于", "#94a3b8"),
    schema.MENTIONED_IN: ("提及于", "#cbd5e1"),
}
DEFAULT_EDGE_STYLE = ("关系", "#525252")


def node_style(label: str) -> tuple[str, str, str, str, str, str, str]:
    return NODE_STYLE.get(label, DEFAULT_NODE_STYLE)


def edge_style(rel: str) -> tuple[str, str]:
    return EDGE_STYLE.get(rel, DEFAULT_EDGE_STYLE)


def edge_caption(data: dict) -> str:
    """`责任链：党政同责`, `部署：负总责，危险化学品`: the relation plus its key attributes.

    Full-width punctuation: the half-width middle dot is drawn from a Latin
    fallback font and looks like a dash next to CJK text.
    """
    rel = data.get("type", "")
    values = [
        str(data.get(attr))
        for attr in schema.EDGE_KEY_ATTRS.get(rel, ())
        if data.get(attr)
    ]
    caption = edge_style(rel)[0]
    caption = f"{caption}：{'，'.join(values)}" if values else caption
    if (
        data.get("_merged") and int(data.get("count") or 0) > 1
    ):  # folded relations: how many statements
        caption += f" ×{data['count']}"
    return caption


def stroke_width(count: int, top: int | None = None) -> float:
    """Thicker for relations stated more often; grows slowly and is capped.

    With ``top`` (the largest count drawn) the width is relative to it, so a
    corpus where every relation is stated forty times is not all thick lines.
    """
    count = max(1, int(count or 1))
    if top is not None and top > 1:
        return round(1.2 + 4.3 * math.log(count) / math.log(top), 2)
    return round(min(6.0, 1.2 + 1.1 * (count.bit_length() - 1)), 2)


WEAK_SHARE = 0.02  # a folded relation stated less than this share of the strongest one is drawn faint


def weak_edges(edges: list) -> set[int]:
    """Indices of merged relations too rare, next to the strongest, to deserve a caption.

    At corpus scale every group is linked to every other by a few stray
    statements; drawn at full strength they hide the main lines.
    """
    counts = [int(d.get("count") or 1) for *_, d in edges]
    top = max(counts, default=0)
    return {
        i
        for i, ((*_, d), c) in enumerate(zip(edges, counts, strict=True))
        if d.get("_merged") and c < WEAK_SHARE * top
    }


def node_caption(data: dict) -> str:
    """The name; a folded group also shows how many nodes it stands for: ``部门（12）``."""
    name = str(data.get("name") or "")
    if data.get("size") and "_members" in data and "（另" not in name:
        return f"{name}（{data['size']}）"
    return name
