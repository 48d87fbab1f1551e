"""How an edge's evidence list is stored on a Neo4j relationship, both ways.

Neo4j properties cannot hold maps, nor lists that mix types or hold nulls, so
the list of evidence dicts becomes parallel homogeneous arrays: item *i* of
every ``ev_*`` array is one evidence sentence.  Push writes them with
:func:`evidence_arrays`, reading the graph back undoes it with
:func:`evidence_list`; the Cypher files in ``queries/`` read the same names.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: (field, type) of one evidence item, in array order.
EVIDENCE_FIELDS: tuple[tuple[str, type], ...] = (
    ("doc", str),
    ("sentence", int),
    ("start", int),
    ("end", int),
    ("rule", str),
    ("text", str),
)
EV_PREFIX = "ev_"


def evidence_arrays(evidence: Iterable[Any]) -> dict[str, list[Any]]:
    """Evidence dicts (or objects with ``to_dict``) → ``{"ev_doc": [...], ...}``;
    a missing int is -1, a missing string ''."""
    arrays: dict[str, list[Any]] = {EV_PREFIX + name: [] for name, _ in EVIDENCE_FIELDS}
    for ev in evidence or ():
        if not isinstance(ev, dict):
            ev = ev.to_dict() if hasattr(ev, "to_dict") else dict(ev)
        for name, cast in EVIDENCE_FIELDS:
            raw = ev.get(name)
            val: Any
            if cast is int:
                try:
                    val = int(raw)
                except (TypeError, ValueError):
                    val = -1
            else:
                val = "" if raw is None else str(raw)
            arrays[EV_PREFIX + name].append(val)
    return arrays


def evidence_list(props: dict[str, Any]) -> list[dict[str, Any]]:
    """Pop the ``ev_*`` arrays out of a relationship's properties and return
    them as the list of evidence dicts again."""
    arrays = {
        name: props.pop(EV_PREFIX + name, None) or [] for name, _ in EVIDENCE_FIELDS
    }
    # not strict: a graph pushed by an older kgraph may lack one of the arrays
    return [
        dict(zip(arrays, values, strict=True))
        for values in zip(*arrays.values(), strict=False)
    ]
