"""``kgraph chain`` and ``kgraph viz``: pictures of the graph.

Parse, call :mod:`kgraph.viz`, print what was written.  (``kgraph gaps`` is
registered elsewhere.)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from kgraph.cli.common import app, console, err_console, user_errors
from kgraph.cli.options import Neo4jOpt, WorkspaceOpt

FORMATS = ("html", "svg", "png", "pdf", "jpg", "dot", "mermaid")
_SUFFIX_FORMAT = {".html": "html", ".htm": "html", ".svg": "svg", ".png": "png", ".pdf": "pdf", ".jpg": "jpg",
                  ".jpeg": "jpg", ".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid", ".md": "mermaid"}
_FORMAT_SUFFIX = {"html": ".html", "svg": ".svg", "png": ".png", "pdf": ".pdf", "jpg": ".jpg", "dot": ".dot", "mermaid": ".mmd"}

def _format_for(fmt: Optional[str], out: Optional[Path]) -> str:
    """The picture format: --format, else the suffix of --out, else html.

    A file whose suffix names another format, or a suffix kgraph cannot
    write, is an error: an HTML page in chain.pdf only fails later, in
    whoever opens it.
    """
    from kgraph.errors import InputError

    suffix = out.suffix.lower() if out is not None and str(out) != "-" else ""
    by_suffix = _SUFFIX_FORMAT.get(suffix)
    if fmt is not None:
        fmt = {"jpeg": "jpg"}.get(fmt.lower(), fmt.lower())
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")
        if by_suffix is not None and by_suffix != fmt:
            raise InputError(f"{out}: --format {fmt} does not match the {suffix} suffix (that would be {by_suffix})")
        return fmt
    if by_suffix is not None:
        return by_suffix
    if suffix:
        raise InputError(
            f"{out}: cannot draw a {suffix} file; name it {', '.join(sorted(set(_FORMAT_SUFFIX.values())))} or pass --format"
        )
    return "html"


def _load(workspace: Path, neo4j: bool = False):
    """The whole graph of the store the options name (the workspace, or the
    Neo4j server of the NEO4J_* variables), and the store's source files
    for file:line citations (None on Neo4j)."""
    from kgraph.graphstore import open_store

    if neo4j:
        from kgraph.cli.common import check_neo4j_uri

        check_neo4j_uri(None)
    with open_store(workspace, neo4j=neo4j) as store:
        return store.load_graph(), store.sources()


def _cite(G, sources) -> None:
    """Give the evidence the HTML panel shows its words as written and file:line."""
    if sources is None:
        return  # the store holds no source paths
    from kgraph.verbatim import attach_to_graph

    if not attach_to_graph(sources, G):
        err_console.print("file:line citations left out: the picture draws on more than 300 documents", highlight=False)


def _emit(G, fmt: str, out: Path, title: str) -> None:
    """Write ``G`` as ``fmt`` to ``out`` (``-`` prints text formats) and say what was written."""
    from kgraph.errors import KgraphError
    from kgraph.viz import dot, html, mermaid

    if str(out) == "-":
        if fmt not in ("dot", "mermaid", "html"):
            raise KgraphError(f"--out - prints text only; {fmt} needs a file name")
        text = {"dot": lambda: dot.to_dot(G, title), "mermaid": lambda: mermaid.to_mermaid(G),
                "html": lambda: html.render_html(G, title)}[fmt]()
        sys.stdout.write(text)
        return
    if fmt == "html":
        html.write_html(G, out, title)
    elif fmt == "dot":
        dot.write_dot(G, out, title)
    elif fmt == "mermaid":
        html.write_text(out, mermaid.to_mermaid(G))
    else:
        dot.render(G, fmt, out, title)
        if fmt in ("png", "jpg", "pdf") and dot.cjk_font_available() is False:
            err_console.print(
                "warning: no Chinese font found by fontconfig, labels may show as boxes; "
                "install fonts-noto-cjk (or fonts-wqy-microhei)",
                highlight=False,
            )
    console.print(
        f"wrote {out} ({G.number_of_nodes()} nodes, {G.number_of_edges()} relations)", highlight=False, soft_wrap=True
    )


@app.command()
@user_errors
def chain(
    sector: Optional[str] = typer.Option(None, "--sector", "-s", help="Only holders tied to this sector (e.g. 危险化学品) and their chain."),
    place: Optional[str] = typer.Option(None, "--place", "-p", help="Only holders of this jurisdiction (any level: 云南省 includes its counties) or whose name contains it (e.g. 鹰潭)."),
    holder: Optional[str] = typer.Option(None, "--holder", help="One holder's chain up and down (e.g. 应急管理局, 一把手)."),
    doc: Optional[str] = typer.Option(None, "--doc", "-d", help="Only relations stated in this document (file stem)."),
    since: Optional[str] = typer.Option(None, "--since", help="Only relations stated in documents dated on or after YYYY[-MM[-DD]]."),
    until: Optional[str] = typer.Option(None, "--until", help="Only relations stated in documents dated on or before YYYY[-MM[-DD]]."),
    year: Optional[str] = typer.Option(None, "--year", help="Only relations stated in documents of this year."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="html, svg, png, pdf, jpg, dot or mermaid (default: from --out, else html)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output file (default chain.<format>; '-' prints dot/mermaid/html)."),
    titles: bool = typer.Option(False, "--titles", help="Also draw 任职 / 所在机构 (an official's titles and bodies)."),
    workspace: WorkspaceOpt = Path("kgraph-out"),
    neo4j: Neo4jOpt = False,
) -> None:
    """Draw the responsibility chain top-down: 党委/政府 → 一把手 → 分管领导 → 部门 → 乡镇/街道 → 企业.

    HTML is one offline file: click a node or a relation to read its evidence
    sentences.  svg/png/pdf/jpg need Graphviz (apt-get install graphviz fonts-noto-cjk).
    """
    from kgraph.errors import KgraphError
    from kgraph.viz.select import chain_subgraph

    fmt = _format_for(fmt, out)
    out = out if out is not None else Path("chain" + _FORMAT_SUFFIX[fmt])
    whole, sources = _load(workspace, neo4j)
    G = chain_subgraph(whole, sector=sector, place=place, holder=holder, doc=doc, since=since, until=until, year=year, titles=titles)
    filters = [f"{k} {v}" for k, v in (("--sector", sector), ("--place", place), ("--holder", holder), ("--doc", doc),
                                       ("--since", since), ("--until", until), ("--year", year)) if v]
    if G.number_of_nodes() == 0:
        raise KgraphError("no responsibility chain " + (f"matches {' '.join(filters)}" if filters else "in the graph"))
    title = "安全生产责任链" + (f"（{'，'.join(v for v in (sector, place, holder, doc, since, until, year) if v)}）" if filters else "")
    if fmt == "html":
        _cite(G, sources)
    _emit(G, fmt, out, title)


@app.command()
@user_errors
def viz(
    out: Path = typer.Option(Path("graph.html"), "--out", "-o", help="Output file ('-' prints dot/mermaid/html)."),
    types: Optional[str] = typer.Option(
        None, "--types", "-t",
        help="Comma-separated node types to include, e.g. Official,Organization,Role (default: all but Document).",
    ),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="html, svg, png, pdf, jpg, dot or mermaid (default: from --out)."),
    meetings: bool = typer.Option(False, "--meetings", help="Draw Meeting nodes (folded into a count on each official by default)."),
    workspace: WorkspaceOpt = Path("kgraph-out"),
    neo4j: Neo4jOpt = False,
) -> None:
    """Draw the whole graph (same layered view), with node-type filter checkboxes in the HTML.

    Meetings are folded by default: each official keeps the number of
    meetings it spoke at, chaired or attended (--meetings, or Meeting in
    --types, draws them).
    """
    from kgraph.errors import KgraphError
    from kgraph.viz.select import fold_meetings, type_subgraph

    fmt = _format_for(fmt, out)
    wanted = [t.strip() for t in types.split(",")] if types else None
    whole, sources = _load(workspace, neo4j)
    G = type_subgraph(whole, wanted)
    folded = 0
    if not meetings and not (wanted and "Meeting" in wanted):
        G, folded = fold_meetings(G)
    if folded:
        err_console.print(f"{folded} meetings folded into their officials (--meetings draws them)", highlight=False)
    if fmt == "html" and G.number_of_nodes():
        _cite(G, sources)
    if G.number_of_nodes() == 0:
        raise KgraphError("nothing to draw: the graph has no nodes" + (f" of type {types}" if types else ""))
    _emit(G, fmt, out, "安全生产责任图谱")
