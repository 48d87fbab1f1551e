"""The named queries: discovery, parsing and parameter binding of ``queries/*.cypher``.

Each file starts with ``// name:``, ``// description:``, ``// params:`` and
``// columns:`` lines, then one parameterised read query
(docs/neo4j.md).  ``queries/`` stays the user-visible folder; installed, it is
the package data ``kgraph.queries``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from kgraph import schema
from kgraph.errors import InputError, StoreError

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# "name (type[, optional]) — help", several separated by ";"
_PARAM_RE = re.compile(
    r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)\s*(?:(?:—|--|-|:)\s*(.*))?$"
)
PARAM_TYPES = {"string": str, "int": int, "float": float, "bool": None}


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str = "string"
    optional: bool = False
    help: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[QueryParam, ...]
    text: str
    columns: tuple[str, ...] = field(default=())

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """Check and convert user-supplied parameters (strings from the CLI)."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            allowed = ", ".join(known) or "none"
            raise InputError(
                f"query {self.name!r} has no parameter {unknown[0]!r} (parameters: {allowed})"
            )
        bound: dict[str, Any] = {}
        for p in self.params:
            if p.name not in given or given[p.name] is None:
                if not p.optional:
                    raise InputError(
                        f"query {self.name!r} needs --param {p.name}=… ({p.type})"
                    )
                bound[p.name] = None
                continue
            bound[p.name] = _convert(self.name, p, given[p.name])
        # the schema's categories and limits the file refers to ($department …)
        return {
            **{k: v for k, v in schema.QUERY_CONSTANTS.items() if f"${k}" in self.text},
            **bound,
        }


def _convert(query: str, p: QueryParam, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        if p.type == "int":
            return int(value)
        if p.type == "float":
            return float(value)
        if p.type == "bool":
            if value.lower() in ("1", "true", "yes"):
                return True
            if value.lower() in ("0", "false", "no"):
                return False
            raise ValueError(value)
    except ValueError:
        raise InputError(
            f"query {query!r}: parameter {p.name} must be {p.type}, not {value!r}"
        ) from None
    return value


def _queries_dir() -> Traversable:
    """The ``queries/`` directory: package data ``kgraph.queries`` when installed,
    the top-level ``queries/`` of a source checkout otherwise."""
    try:
        root = resources.files("kgraph.queries")
        if any(str(entry.name).endswith(".cypher") for entry in root.iterdir()):
            return root
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, TypeError):
        pass
    checkout = Path(__file__).resolve().parents[2] / "queries"
    if checkout.is_dir():
        return checkout
    raise StoreError(
        "the named Cypher queries are not installed (package data kgraph.queries is missing)"
    )


def parse_query(name: str, text: str) -> NamedQuery:
    description = ""
    params: list[QueryParam] = []
    columns: tuple[str, ...] = ()
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            if stripped:
                break  # header ends at the first line of Cypher
            continue
        key, sep, value = stripped[2:].strip().partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "description":
            description = value
        elif key == "columns":
            columns = tuple(c.strip() for c in value.split(",") if c.strip())
        elif key == "params" and value.lower() not in ("", "none", "-"):
            for piece in value.split(";"):
                m = _PARAM_RE.match(piece)
                if not m:
                    raise StoreError(
                        f"queries/{name}.cypher: cannot read parameter {piece.strip()!r}"
                    )
                bits = [b.strip() for b in m.group(2).split(",")]
                ptype = bits[0] if bits[0] in PARAM_TYPES else "string"
                params.append(
                    QueryParam(
                        m.group(1),
                        ptype,
                        "optional" in bits,
                        (m.group(3) or "").strip(),
                    )
                )
    return NamedQuery(
        name=name,
        description=description,
        params=tuple(params),
        text=text,
        columns=columns,
    )


def list_queries() -> list[NamedQuery]:
    """Every ``queries/*.cypher``, sorted by name."""
    root = _queries_dir()
    found = []
    for entry in root.iterdir():
        fname = str(entry.name)
        if fname.endswith(".cypher") and _NAME_RE.match(fname[: -len(".cypher")]):
            found.append(
                parse_query(fname[: -len(".cypher")], entry.read_text(encoding="utf-8"))
            )
    return sorted(found, key=lambda q: q.name)


def load_query(name: str) -> NamedQuery:
    """The named query ``name`` (a file stem of ``queries/``; never a path)."""
    if not _NAME_RE.match(name or ""):
        raise InputError(f"no named query {name!r} (see kgraph query --list)")
    entry = _queries_dir() / f"{name}.cypher"
    if not entry.is_file():
        names = ", ".join(q.name for q in list_queries())
        raise InputError(f"no named query {name!r}; available: {names}")
    return parse_query(name, entry.read_text(encoding="utf-8"))
