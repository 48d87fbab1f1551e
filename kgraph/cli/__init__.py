"""The ``kgraph`` command line: a thin layer over the library.

Each module here registers the commands of one group on :data:`app`; the
commands parse arguments, call the library and print.  Nothing else.
"""

from importlib import import_module

from kgraph.cli.common import app

# Importing a module registers its commands; this order is the order in --help
# (a loop, so that sorting imports cannot reorder the help).
_GROUPS = (
    "pipeline",  # build, extract, rules
    "answers",  # who, what, gaps, places, stats
    "export",  # export
    "viz",  # chain, viz
    "neo4j",  # push, query, cypher
    "evaluation",  # eval
)
for _group in _GROUPS:
    import_module(f"kgraph.cli.{_group}")

__all__ = ["app"]
