"""Values as ``kgraph cypher`` returns them: nodes, relationships and paths kept whole."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from kgraph.neo4j.evidence import EV_PREFIX


@dataclass(frozen=True)
class NodeValue:
    """A node as Cypher returned it: element id, labels and every property."""

    element_id: str
    labels: tuple[str, ...]
    properties: dict[str, Any]

    def to_json(self) -> dict:
        return {
            "element_id": self.element_id,
            "labels": list(self.labels),
            "properties": self.properties,
        }

    def __str__(self) -> str:
        name = self.properties.get("name", self.properties.get("id", self.element_id))
        return f"(:{':'.join(self.labels)} {name})" if self.labels else f"({name})"


@dataclass(frozen=True)
class RelationshipValue:
    """A relationship: type, both ends (element ids, and their kgraph ``id`` when
    the driver saw the end node in the same result) and every property —
    evidence arrays included."""

    element_id: str
    type: str
    start: str
    end: str
    start_id: str | None
    end_id: str | None
    properties: dict[str, Any]

    def to_json(self) -> dict:
        return {
            "element_id": self.element_id,
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "start_id": self.start_id,
            "end_id": self.end_id,
            "properties": self.properties,
        }

    def __str__(self) -> str:
        ends = f" {self.start_id or self.start} → {self.end_id or self.end}"
        count = self.properties.get("count")
        evidence = self.properties.get(EV_PREFIX + "doc")
        extra = (f" count={count}" if count is not None else "") + (
            f" evidence={len(evidence)}" if evidence else ""
        )
        return f"[:{self.type}{ends}{extra}]"


@dataclass(frozen=True)
class PathValue:
    """A path: its nodes and relationships in order."""

    nodes: tuple[NodeValue, ...]
    relationships: tuple[RelationshipValue, ...]

    def to_json(self) -> dict:
        return {
            "nodes": [n.to_json() for n in self.nodes],
            "relationships": [r.to_json() for r in self.relationships],
        }

    def __str__(self) -> str:
        parts = [str(self.nodes[0])] if self.nodes else []
        for (prev, node), rel in zip(
            pairwise(self.nodes), self.relationships, strict=True
        ):
            forward = rel.start == prev.element_id
            parts.append(
                f"-[:{rel.type}]->{node}" if forward else f"<-[:{rel.type}]-{node}"
            )
        return "".join(parts)


def whole_value(value: Any) -> Any:
    """A value from the driver with nodes, relationships and paths kept whole
    (``record.data()`` drops labels, relationship properties and types)."""
    from neo4j.graph import Node, Relationship
    from neo4j.graph import Path as GraphPath

    if isinstance(value, Node):
        return NodeValue(
            value.element_id,
            tuple(sorted(value.labels)),
            {k: whole_value(v) for k, v in value.items()},
        )
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return RelationshipValue(
            value.element_id,
            value.type,
            start.element_id if start is not None else "",
            end.element_id if end is not None else "",
            start.get("id") if start is not None else None,
            end.get("id") if end is not None else None,
            {k: whole_value(v) for k, v in value.items()},
        )
    if isinstance(value, GraphPath):
        return PathValue(
            tuple(whole_value(n) for n in value.nodes),
            tuple(whole_value(r) for r in value.relationships),
        )
    if isinstance(value, list):
        return [whole_value(v) for v in value]
    if isinstance(value, dict):
        return {k: whole_value(v) for k, v in value.items()}
    return value


def jsonable(value: Any) -> Any:
    """Rows of :func:`whole_value` values → plain JSON data."""
    if isinstance(value, (NodeValue, RelationshipValue, PathValue)):
        return value.to_json()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def result_rows(result: Any, whole: bool) -> list[dict[str, Any]]:
    """The records of a driver result as dicts (values kept whole with ``whole``)."""
    if not whole:
        return [record.data() for record in result]
    return [
        {key: whole_value(value) for key, value in record.items()} for record in result
    ]
