"""``kgraph chain`` and ``kgraph viz``: pictures of the graph.

Parse, call :mod:`kgraph.viz`, print what was written.  (``kgraph gaps`` is
registered elsewhere.)
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kgraph import schema
from kgraph.cli.common import app, console, err_console, user_errors
from kgraph.cli.options import Neo4jOpt, WorkspaceOpt

if TYPE_CHECKING:
    import networkx as nx

    from kgraph.viz.picture import Picture

FORMAT_HELP = (
    "html, svg, png, pdf, dot or mermaid (default: from the --out suffix, else html)."
)
DETAIL_OPT = typer.Option(
    False,
    "--detail",
    help="One box per node (the most mentioned, see --max-nodes) instead of one per group.",
)
MAX_NODES_OPT = typer.Option(
    150, "--max-nodes", min=1, help="With --detail: draw at most this many nodes."
)
TITLES_OPT = typer.Option(
    False,
    "--titles",
    help="Also draw 任职/所在机构 links (official → post, official → body).",
)


def _load(
    workspace: Path,
    neo4j: bool = False,
    labels: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """The graph to draw; from a workspace only the given node labels and relationship types, without evidence."""
    if neo4j:
        from kgraph.graphstore import open_store

        with open_store(workspace, neo4j=True) as store:
            return store.load_graph()
    from kgraph.store import Workspace
    from kgraph.viz.load import load_structure

    ws = Workspace(workspace)
    if not ws.exists():
        return ws.load_graph()  # its one-line error says how to build one
    return load_structure(ws, labels, types)


def _types(types: Iterable[str], titles: bool) -> list[str]:
    """Relationship types to read: 任职/所在机构 only when they are drawn."""
    return [t for t in types if titles or t not in (schema.HOLDS_TITLE, schema.IN_ORG)]


def _cite(pic: Picture, workspace: Path, neo4j: bool) -> None:
    """Give the evidence an HTML page shows its words as written and file:line (kgraph.verbatim)."""
    if neo4j:
        return  # Neo4j holds no source paths
    from kgraph.store import Workspace
    from kgraph.verbatim import Sources, attach_to_graph

    sources = Sources(Workspace(workspace))
    if not all(
        [attach_to_graph(sources, V) for V in [pic.graph, *pic.variants.values()]]
    ):
        err_console.print(
            "file:line citations left out: the picture draws on more than 300 documents",
            highlight=False,
        )


def _note(note: str) -> None:
    if note:
        err_console.print(f"note: {note}", highlight=False, soft_wrap=True)


def _emit(
    G: nx.MultiDiGraph,
    fmt: str,
    out: Path,
    title: str,
    detail: bool,
    max_nodes: int,
    doc: str | None = None,
    cite: tuple[Path, bool] | None = None,
) -> None:
    """Fold or cap ``G``, write it as ``fmt`` to ``out`` (``-`` prints text formats) and say what was written."""
    from kgraph.errors import KgraphError
    from kgraph.viz import dot, html, mermaid
    from kgraph.viz.formats import TEXT_FORMATS
    from kgraph.viz.picture import prepare

    if str(out) == "-" and fmt not in TEXT_FORMATS:
        raise KgraphError(f"--out - prints text only; {fmt} needs a file name")
    if str(out) != "-" and out.is_dir():  # before any note: one line, nothing drawn
        raise KgraphError(f"{out}: is a directory; give the name of a file to write")
    pic = prepare(
        G, aggregate=not detail, max_nodes=max_nodes, expandable=fmt == "html", doc=doc
    )
    if fmt == "html" and cite is not None:
        _cite(pic, *cite)
    D = pic.graph
    text = {
        "html": lambda: html.render_picture(pic, title),
        "dot": lambda: dot.to_dot(D, title, pic.note),
        "mermaid": lambda: mermaid.to_mermaid(D),
    }
    if str(out) == "-":
        sys.stdout.write(text[fmt]())
        _note(pic.note)
        return
    if fmt in text:
        html.write_text(out, text[fmt]())
    else:
        dot.render(D, fmt, out, title, pic.note)
        if fmt == "png" and dot.cjk_font_available() is False:
            err_console.print(
                "warning: no Chinese font found by fontconfig, labels may show as boxes; "
                "install fonts-noto-cjk (or fonts-wqy-microhei)",
                highlight=False,
            )
    _note(pic.note)  # after the write: a failed write stays one line
    edges = sum(1 for u, v in D.edges() if u != v)
    what = (
        f"{D.number_of_nodes()} boxes for {pic.total} nodes"
        if pic.folded
        else f"{D.number_of_nodes()} nodes"
    )
    console.print(
        f"wrote {out} ({what}, {edges} relations)", highlight=False, soft_wrap=True
    )


@app.command()
@user_errors
def chain(
    sector: str | None = typer.Option(
        None,
        "--sector",
        "-s",
        help="Only holders tied to this sector (e.g. 危险化学品) and their chain.",
    ),
    place: str | None = typer.Option(
        None,
        "--place",
        "-p",
        help="Only holders of this jurisdiction (any level: 云南省 includes its counties) or whose name contains it (e.g. 鹰潭).",
    ),
    holder: str | None = typer.Option(
        None,
        "--holder",
        help="One holder's chain up and down (e.g. 应急管理局, 一把手).",
    ),
    doc: str | None = typer.Option(
        None, "--doc", "-d", help="Only relations stated in this document (file stem)."
    ),
    since: str | None = typer.Option(
        None,
        "--since",
        help="Only relations stated in documents dated on or after YYYY[-MM[-DD]].",
    ),
    until: str | None = typer.Option(
        None,
        "--until",
        help="Only relations stated in documents dated on or before YYYY[-MM[-DD]].",
    ),
    year: str | None = typer.Option(
        None, "--year", help="Only relations stated in documents of this year."
    ),
    fmt: str | None = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Output file (default chain.<format>; '-' prints dot/mermaid/html).",
    ),
    detail: bool = DETAIL_OPT,
    max_nodes: int = MAX_NODES_OPT,
    titles: bool = TITLES_OPT,
    workspace: WorkspaceOpt = Path("kgraph-out"),
    neo4j: Neo4jOpt = False,
) -> None:
    """Draw the responsibility chain top-down: 党委/政府 → 一把手 → 分管领导 → 部门 → 乡镇/街道 → 企业.

    Nodes are folded into one box per group (部门, 企业 …, with counts) unless
    --detail.  HTML is one offline file: click a box to expand it, a node or
    a relation to read its evidence sentences.  svg/png/pdf are an A4
    landscape page and need Graphviz (apt-get install graphviz fonts-noto-cjk).
    """
    from kgraph.errors import KgraphError
    from kgraph.viz.formats import FORMAT_SUFFIX, picture_format
    from kgraph.viz.select import CHAIN_LABELS, CHAIN_TYPES, chain_subgraph

    fmt = picture_format(fmt, out)
    out = out if out is not None else Path("chain" + FORMAT_SUFFIX[fmt])
    dated = bool(
        since or until or year
    )  # the documents' dates decide which relations stay
    labels = CHAIN_LABELS | {schema.DOCUMENT} if dated else CHAIN_LABELS
    G = chain_subgraph(
        _load(workspace, neo4j, labels, _types(CHAIN_TYPES, titles)),
        sector=sector,
        place=place,
        holder=holder,
        doc=doc,
        titles=titles,
        since=since,
        until=until,
        year=year,
    )
    filters = [
        f"{k} {v}"
        for k, v in (
            ("--sector", sector),
            ("--place", place),
            ("--holder", holder),
            ("--doc", doc),
            ("--since", since),
            ("--until", until),
            ("--year", year),
        )
        if v
    ]
    if G.number_of_nodes() == 0:
        hint = (
            "" if titles else " (任职/所在机构 links are left out; --titles draws them)"
        )
        raise KgraphError(
            "no responsibility chain "
            + (f"matches {' '.join(filters)}" if filters else "in the graph")
            + hint
        )
    title = "安全生产责任链" + (
        f"（{'，'.join(v for v in (sector, place, holder, doc, since, until, year) if v)}）"
        if filters
        else ""
    )
    _emit(G, fmt, out, title, detail, max_nodes, doc, cite=(workspace, neo4j))


@app.command()
@user_errors
def viz(
    out: Path = typer.Option(
        Path("graph.html"),
        "--out",
        "-o",
        help="Output file ('-' prints dot/mermaid/html).",
    ),
    types: str | None = typer.Option(
        None,
        "--types",
        "-t",
        help="Comma-separated node types to include, e.g. Official,Organization,Role (default: all but Document).",
    ),
    fmt: str | None = typer.Option(None, "--format", "-f", help=FORMAT_HELP),
    detail: bool = DETAIL_OPT,
    max_nodes: int = MAX_NODES_OPT,
    titles: bool = TITLES_OPT,
    workspace: WorkspaceOpt = Path("kgraph-out"),
    neo4j: Neo4jOpt = False,
) -> None:
    """Draw the whole graph (same layered view), with node-type filter checkboxes in the HTML.

    Meetings, officials, bodies … are folded into one box per group (会议（800）)
    unless --detail, which draws the --max-nodes most mentioned nodes.
    """
    from kgraph.errors import KgraphError
    from kgraph.viz.formats import picture_format
    from kgraph.viz.select import type_subgraph

    fmt = picture_format(fmt, out)
    wanted = [t.strip() for t in types.split(",")] if types else None
    labels = (
        None if wanted is None or not set(wanted) <= set(schema.NODE_LABELS) else wanted
    )
    G = type_subgraph(
        _load(workspace, neo4j, labels, _types(schema.RELATIONSHIPS, titles)),
        wanted,
        titles=titles,
    )
    if G.number_of_nodes() == 0:
        raise KgraphError(
            "nothing to draw: the graph has no nodes"
            + (f" of type {types}" if types else "")
        )
    _emit(G, fmt, out, "安全生产责任图谱", detail, max_nodes, cite=(workspace, neo4j))
