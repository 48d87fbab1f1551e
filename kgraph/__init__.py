"""kgraph: responsibility-chain knowledge graphs from Chinese work-safety texts.

The library does the work; the ``kgraph`` command is a thin layer over it::

    from kgraph import process_file, build_graph, build_workspace, Workspace, who

    result = process_file("data/speeches/002_39b8e9ea33e11d34.txt")   # one document
    graph = build_graph([result])                                     # networkx.MultiDiGraph
    build_workspace(["data/"], "kgraph-out")                          # the embedded store
    for answer in who(Workspace("kgraph-out"), "危险化学品"):          # typed rows (Answer)
        print(answer["holder"], answer["count"], answer["evidence"][0]["text"])
    with open_store(neo4j=True) as store:                             # the same questions of Neo4j
        who(store, "危险化学品")

The chain picture ``kgraph chain`` draws, from any store::

    view = chain_subgraph(load_graph(Workspace("kgraph-out")), sector="危险化学品")
    write_html(view, "chain.html")

:func:`who`, :func:`what` and :func:`gaps` return the typed rows of
:mod:`kgraph.answers` (plain dicts at run time); a name the graph does not hold
raises :class:`NotFound`.
"""

from typing import TYPE_CHECKING

from kgraph._version import __version__
from kgraph.answers import (
    Answer,
    Evidence,
    Gaps,
    IdleOfficial,
    Relation,
    SupervisionGap,
    UnheldResponsibility,
)
from kgraph.build import BuildReport, build_workspace
from kgraph.graph import GraphBuilder, build_graph
from kgraph.graphstore import GraphStore, open_store
from kgraph.lexicon import load_lexicon
from kgraph.pipeline import process_file, process_text, to_contract
from kgraph.query import NotFound, gaps, load_graph, named, places, stats, what, who
from kgraph.store import Workspace

if TYPE_CHECKING:
    from kgraph.viz.html import write_html
    from kgraph.viz.select import chain_subgraph

__all__ = [
    "Answer",
    "BuildReport",
    "Evidence",
    "Gaps",
    "GraphBuilder",
    "GraphStore",
    "IdleOfficial",
    "NotFound",
    "Relation",
    "SupervisionGap",
    "UnheldResponsibility",
    "Workspace",
    "__version__",
    "build_graph",
    "build_workspace",
    "chain_subgraph",
    "gaps",
    "load_graph",
    "load_lexicon",
    "named",
    "open_store",
    "places",
    "process_file",
    "process_text",
    "stats",
    "to_contract",
    "what",
    "who",
    "write_html",
]


def __getattr__(name: str) -> object:
    # The drawing code loads on first use: every command imports this package.
    if name == "write_html":
        from kgraph.viz.html import write_html

        return write_html
    if name == "chain_subgraph":
        from kgraph.viz.select import chain_subgraph

        return chain_subgraph
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")
