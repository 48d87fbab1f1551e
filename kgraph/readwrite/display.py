"""What graph tools show: a display ``label`` and a numeric ``weight``.

kgraph keeps the schema label (Official, Organization, …) in a node's
``label``; Gephi, yEd, Cytoscape and D3 show ``label`` as the name.  Exports
therefore move the schema label to ``node_type`` and put the display name in
``label``; edges get a ``label`` (type and detail) and ``weight`` = ``count``.
:func:`from_display` undoes it on import.
"""

from __future__ import annotations

NODE_TYPE = "node_type"


def node_display(nid: str, d: dict) -> dict:
    attrs = {k: v for k, v in d.items() if k != "label"}
    attrs[NODE_TYPE] = d.get("label", "")
    attrs["label"] = str(d.get("name") or nid)
    return attrs


def edge_display(d: dict) -> dict:
    detail = d.get("kind") or d.get("responsibility") or d.get("sector") or ""
    attrs = dict(d)
    attrs["label"] = f"{d.get('type', '')} {detail}".strip()
    attrs["weight"] = float(d.get("count") or 1)
    return attrs


def node_from_display(d: dict) -> dict:
    d = dict(d)
    d["label"] = d.pop(NODE_TYPE, "")
    return d


def edge_from_display(d: dict) -> dict:
    return {k: v for k, v in d.items() if k not in ("label", "weight", "id")}
