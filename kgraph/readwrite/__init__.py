"""Export and import: GraphML (Gephi, yEd) and node-link JSON."""

from kgraph.readwrite.graphml import read_graphml, write_graphml
from kgraph.readwrite.json_graph import read_json, write_json

FORMATS = {"graphml": (write_graphml, read_graphml), "json": (write_json, read_json)}

__all__ = ["FORMATS", "read_graphml", "read_json", "write_graphml", "write_json"]
