"""kgraph: responsibility-chain knowledge graphs from Chinese work-safety texts.

The library does the work; the ``kgraph`` command is a thin layer over it::

    from kgraph import process_file, build_graph, build_workspace, Workspace, who

    result = process_file("data/speeches/002_39b8e9ea33e11d34.txt")   # one document
    graph = build_graph([result])                                     # networkx.MultiDiGraph
    build_workspace(["data/"], "kgraph-out")                          # the embedded store
    who(Workspace("kgraph-out"), "危险化学品")                          # answers with evidence
    with open_store(neo4j=True) as store:                             # the same questions of Neo4j
        who(store, "危险化学品")
"""

from kgraph._version import __version__
from kgraph.build import BuildReport, build_workspace
from kgraph.graph import GraphBuilder, build_graph
from kgraph.graphstore import GraphStore, open_store
from kgraph.lexicon import load_lexicon
from kgraph.pipeline import process_file, process_text, to_contract
from kgraph.query import gaps, named, places, stats, what, who
from kgraph.store import Workspace

__all__ = [
    "__version__",
    "BuildReport",
    "GraphBuilder",
    "GraphStore",
    "Workspace",
    "build_graph",
    "build_workspace",
    "gaps",
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
]
