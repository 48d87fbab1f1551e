"""A layered (Sugiyama-style) layout computed in Python.

Rows come from :mod:`kgraph.viz.tiers`; within a row nodes are ordered by the
barycentre heuristic (each node moves to the mean relative position of its
neighbours in the rows already placed), sweeping down and up a few times and
keeping the ordering with the fewest edge crossings.  An edge spanning several
rows gets a dummy point in each row it passes (as in Sugiyama's method), so it
is routed between the nodes instead of through them and takes part in the
ordering.  Rows holding more than
``max_per_row`` nodes wrap into interleaved sub-rows, so a node keeps roughly
the horizontal position the ordering gave it.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from itertools import pairwise

import networkx as nx

from kgraph.viz import style
from kgraph.viz.tiers import assign_tiers

CHAR_W = 14.0  # px per CJK character at the node font size
NODE_H = 34.0
PAD_X = 14.0
GAP_X = 22.0
ROW_GAP = 92.0
SUBROW_GAP = 54.0
MARGIN = 40.0
DUMMY_W = 6.0
DUMMY_GAP = 4.0  # between two edges passing a row; 10 between an edge and a node
# A small chain is laid out this wide at least, so a screen or a page does not
# blow it up to poster size.
MIN_WIDTH = 1100.0
DUMMY = "\x00route"  # prefix of dummy ids; never a real node id ("Label:name")


@dataclass
class Layout:
    pos: dict[str, tuple[float, float]]  # node centre
    size: dict[str, tuple[float, float]]  # node width, height
    tiers: dict[str, int]
    rows: list[tuple[int, float, float]] = field(
        default_factory=list
    )  # (tier, y top, y bottom)
    width: float = 0.0
    height: float = 0.0
    crossings: int = 0
    # (source, target) → the bend points of edges between them that span rows
    routes: dict[tuple[str, str], list[tuple[float, float]]] = field(
        default_factory=dict
    )


def node_width(name: str) -> float:
    units = sum(1.0 if ord(ch) > 0x2E7F else 0.58 for ch in name)
    return max(56.0, math.ceil(units * CHAR_W + 2 * PAD_X))


def _expand(
    G: nx.MultiDiGraph, row_of: dict[str, int], rows: list[list[str]]
) -> tuple[
    dict[str, set[str]], list[tuple[str, str]], dict[tuple[str, str], list[str]]
]:
    """Neighbour sets and segments with dummies for edges that skip rows.

    Returns ``(nb, segments, chains)``; ``chains[(u, v)]`` lists the dummy ids
    from ``u`` towards ``v``.  Parallel edges u→v share one chain.
    """
    nb: dict[str, set[str]] = {n: set() for n in G}
    segments: set[tuple[str, str]] = set()
    chains: dict[tuple[str, str], list[str]] = {}
    for u, v in sorted({(u, v) for u, v in G.edges() if u != v}):
        ru, rv = row_of[u], row_of[v]
        step = 1 if rv > ru else -1
        path = [u]
        if abs(rv - ru) > 1:
            dummies = []
            for r in range(ru + step, rv, step):
                d = f"{DUMMY}|{u}|{v}|{r}"
                rows[r].append(d)
                row_of[d] = r
                nb[d] = set()
                dummies.append(d)
            chains[(u, v)] = dummies
            path += dummies
        path.append(v)
        for a, b in pairwise(path):
            nb[a].add(b)
            nb[b].add(a)
            if row_of[a] != row_of[b]:
                segments.add((a, b))
    return nb, sorted(segments), chains


def _relpos(rows: list[list[str]]) -> dict[str, float]:
    rel: dict[str, float] = {}
    for row in rows:
        for i, n in enumerate(row):
            rel[n] = (i + 0.5) / len(row)
    return rel


def _sweep(rows: list[list[str]], nb: dict[str, set[str]], order: range) -> None:
    placed: set[str] = set()
    rel = _relpos(rows)
    for r in order:
        row = rows[r]
        if placed:
            keyed = []
            for i, n in enumerate(row):
                ref = [rel[m] for m in nb[n] if m in placed]
                bary = sum(ref) / len(ref) if ref else rel[n]
                keyed.append((bary, i, n))
            keyed.sort()
            rows[r] = [n for _, _, n in keyed]
            for i, n in enumerate(rows[r]):
                rel[n] = (i + 0.5) / len(row)
        placed.update(rows[r])


def count_crossings(
    segs: list[tuple[str, str]], pos: dict[str, tuple[float, float]], limit: int = 20000
) -> int:
    """Pairs of segments between the same two lines that cross (sharing an end does not count).

    Segments joining the same pair of lines cross exactly when their order at
    the top differs from their order at the bottom, so each group is an
    inversion count (sort + bisect) instead of testing every pair; segments
    between different lines (wrapped rows) are not compared.  Above ``limit``
    segments -1 is returned.
    """
    if len(segs) > limit:
        return -1
    groups: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for a, b in segs:
        (xa, ya), (xb, yb) = pos[a], pos[b]
        if ya == yb:
            continue
        if ya > yb:
            xa, ya, xb, yb = xb, yb, xa, ya
        groups.setdefault((ya, yb), []).append((xa, xb))
    total = 0
    for pairs in groups.values():
        pairs.sort()
        seen: list[
            float
        ] = []  # bottom x of segments whose top x is strictly left of the current one
        i = 0
        while i < len(pairs):
            j = i
            while j < len(pairs) and pairs[j][0] == pairs[i][0]:
                j += 1
            for _, xb in pairs[i:j]:
                total += len(seen) - bisect.bisect_right(seen, xb)
            for _, xb in pairs[i:j]:
                bisect.insort(seen, xb)
            i = j
    return total


def _gap(a: str, b: str) -> float:
    """Room between neighbours on a line: edges passing a row (dummies) pack closer than nodes."""
    dummies = a.startswith(DUMMY) + b.startswith(DUMMY)
    return GAP_X if dummies == 0 else (10.0 if dummies == 1 else DUMMY_GAP)


def _place(
    rows: list[list[str]],
    row_tiers: list[int],
    widths: dict[str, float],
    max_per_row: int,
    min_width: float = 0.0,
) -> tuple[
    dict[str, tuple[float, float]],
    list[tuple[int, float, float]],
    float,
    float,
    list[list[str]],
]:
    lines: list[tuple[int, list[str]]] = []  # (row index, nodes in this visual line)
    for r, row in enumerate(rows):
        real = sum(1 for n in row if not n.startswith(DUMMY))
        k = max(1, math.ceil(real / max_per_row))
        for j in range(k):
            lines.append((r, row[j::k]))
    line_w = [
        sum(widths[n] for n in line) + sum(_gap(a, b) for a, b in pairwise(line))
        for _, line in lines
    ]
    width = max(max(line_w, default=0.0) + 2 * MARGIN, min_width)
    pos: dict[str, tuple[float, float]] = {}
    span: dict[int, list[float]] = {}  # row index → [first line y, last line y]
    y = MARGIN + 22.0  # room for the first row caption
    for i, ((r, line), lw) in enumerate(zip(lines, line_w, strict=True)):
        if i:
            y += SUBROW_GAP if r == lines[i - 1][0] else ROW_GAP
        span.setdefault(r, [y, y])[1] = y
        x = (width - lw) / 2
        for j, n in enumerate(line):
            pos[n] = (round(x + widths[n] / 2, 1), round(y, 1))
            x += widths[n] + (_gap(n, line[j + 1]) if j + 1 < len(line) else 0)
    bands = [
        (row_tiers[r], top - NODE_H / 2 - 22, bottom + NODE_H / 2 + 10)
        for r, (top, bottom) in span.items()
    ]
    height = y + NODE_H / 2 + MARGIN
    return pos, bands, width, height, [line for _, line in lines]


def _straighten(
    pos: dict[str, tuple[float, float]],
    lines: list[list[str]],
    widths: dict[str, float],
    nb: dict[str, set[str]],
    width: float,
    rounds: int = 3,
) -> None:
    """Pull each node towards the mean x of its neighbours, keeping row order and gaps.

    Centred compact rows put a two-node row in the middle even when its
    neighbours sit far left; this moves it over them.
    """
    for _ in range(rounds):
        for line in lines:
            want = []
            for n in line:
                xs = [pos[m][0] for m in nb[n] if m in pos]
                want.append(sum(xs) / len(xs) if xs else pos[n][0])
            xs = list(want)
            lo = MARGIN
            for i, n in enumerate(
                line
            ):  # left to right: no overlaps, inside the left margin
                lo_i = lo + widths[n] / 2
                xs[i] = max(xs[i], lo_i)
                lo = (
                    xs[i]
                    + widths[n] / 2
                    + (_gap(n, line[i + 1]) if i + 1 < len(line) else 0)
                )
            hi = width - MARGIN
            for i in range(
                len(line) - 1, -1, -1
            ):  # right to left: inside the right margin
                n = line[i]
                xs[i] = min(xs[i], hi - widths[n] / 2)
                hi = xs[i] - widths[n] / 2 - (_gap(line[i - 1], n) if i else 0)
            for n, x in zip(line, xs, strict=True):
                pos[n] = (round(x, 1), pos[n][1])


def _wrap_for_aspect(
    rows: list[list[str]],
    row_tiers: list[int],
    widths: dict[str, float],
    aspect: float,
) -> int:
    """The nodes-per-line limit whose picture is closest to ``aspect`` (width/height).

    Width/height grows with the limit (wider lines, fewer of them), so the
    limit where it crosses ``aspect`` is found by bisection and its
    neighbours compared, rather than placing the whole graph once per limit.
    """
    longest = max(
        (sum(1 for n in row if not n.startswith(DUMMY)) for row in rows), default=1
    )
    if longest <= 4:
        return 4
    ratios: dict[int, float] = {}

    def ratio(k: int) -> float:
        if k not in ratios:
            _, _, w, h, _ = _place(rows, row_tiers, widths, k)
            ratios[k] = w / h
        return ratios[k]

    lo, hi = 4, longest
    while lo < hi:  # the smallest limit at least as wide as ``aspect``
        mid = (lo + hi) // 2
        if ratio(mid) >= aspect:
            hi = mid
        else:
            lo = mid + 1
    candidates = sorted({max(4, lo - 1), lo, min(longest, lo + 1)})
    return min(candidates, key=lambda k: (abs(math.log(ratio(k) / aspect)), k))


def layered_layout(
    G: nx.MultiDiGraph,
    sweeps: int = 4,
    max_per_row: int | None = None,
    aspect: float = 1.4,
    min_width: float = MIN_WIDTH,
) -> Layout:
    """Rows by tier, ordered to cut crossings.

    ``max_per_row`` nodes per visual line at most; by default chosen so the
    picture's width/height is near ``aspect`` (a screen), which keeps labels
    readable when the whole chain is shown.
    """
    tiers = assign_tiers(G)
    row_tiers = sorted(set(tiers.values()))
    row_index = {t: r for r, t in enumerate(row_tiers)}
    rows = [
        sorted(
            (n for n in G if tiers[n] == t),
            key=lambda n: (
                G.nodes[n].get("label", ""),
                -int(G.nodes[n].get("mentions") or 0),
                n,
            ),
        )
        for t in row_tiers
    ]
    row_of = {n: row_index[tiers[n]] for n in G}
    nb, segments, chains = _expand(G, row_of, rows)
    widths = {n: node_width(style.node_caption(G.nodes[n]) or n) for n in G}
    widths.update({d: DUMMY_W for ds in chains.values() for d in ds})
    if max_per_row is None:
        longest = max(
            (sum(1 for n in row if not n.startswith(DUMMY)) for row in rows), default=1
        )
        unwrapped_width = _place(rows, row_tiers, widths, max(1, longest))[2]
        # wrap rows only when the picture would be wider than the least width anyway
        max_per_row = (
            longest
            if unwrapped_width <= min_width
            else _wrap_for_aspect(rows, row_tiers, widths, aspect)
        )

    def score(candidate: list[list[str]]) -> int:
        pos = _place(candidate, row_tiers, widths, max_per_row)[0]
        return max(0, count_crossings(segments, pos))

    best = [list(r) for r in rows]
    best_score = score(best)
    for _ in range(sweeps):
        if best_score == 0:
            break
        for order in (range(len(rows)), range(len(rows) - 1, -1, -1)):
            _sweep(rows, nb, order)
            s = score(rows)
            if s < best_score:
                best, best_score = [list(r) for r in rows], s
    pos, bands, width, height, lines = _place(
        best, row_tiers, widths, max_per_row, min_width
    )
    _straighten(pos, lines, widths, nb, width)
    crossings = count_crossings(segments, pos)
    routes = {pair: [pos[d] for d in ds] for pair, ds in chains.items()}
    for ds in chains.values():
        for d in ds:
            del pos[d]
    size = {n: (widths[n], NODE_H) for n in G}
    return Layout(
        pos=pos,
        size=size,
        tiers=tiers,
        rows=bands,
        width=width,
        height=height,
        crossings=crossings,
        routes=routes,
    )
