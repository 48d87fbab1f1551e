"""The ``kgraph`` command line: a thin layer over the library.

Each module here registers the commands of one group on :data:`app`; the
commands parse arguments, call the library and print.  Nothing else.
"""

from kgraph.cli import evaluation as _evaluation  # noqa: F401  eval
from kgraph.cli import neo4j as _neo4j  # noqa: F401      push, query, cypher

# Importing the modules registers their commands.  Order is the order in --help.
from kgraph.cli import pipeline as _pipeline  # noqa: F401  build, extract, who, what, gaps, stats, export, rules
from kgraph.cli import viz as _viz  # noqa: F401          chain, viz
from kgraph.cli.common import app

__all__ = ["app"]
