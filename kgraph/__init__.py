"""kgraph: responsibility-chain knowledge graphs from Chinese work-safety texts.

>>> from kgraph import build_graph, process_file
"""

__version__ = "0.1.0"
