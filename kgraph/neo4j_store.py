"""Neo4j as the real store: push the graph over Bolt, run named Cypher queries.

Talks to Neo4j 5 (local, Aura, or a cluster through ``neo4j://`` routing URIs)
through the official ``neo4j`` driver only.  Nothing here prints; progress is
reported through an optional callback.

Mapping of the networkx graph (:mod:`kgraph.graph`) to Neo4j:

* node ``"Label:name"`` → ``(:Label {id: "Label:name", name, …attrs})`` with a
  uniqueness constraint on ``id`` and an index on ``name`` per label;
* edge (key ``"TYPE|attr|…"``) → ``[:TYPE {key, …key attrs, count, docs, rules,
  ev_doc, ev_sentence, ev_start, ev_end, ev_rule, ev_text}]`` — the evidence list
  becomes parallel homogeneous arrays (Neo4j properties cannot hold maps, and
  never mixed-type lists or nulls inside lists).

The sector questions start from the range indexes on the relationship key
attributes (``BEARS.sector``, ``PERFORMS.sector`` …) that :meth:`Neo4jStore.ensure_schema`
creates; Neo4j seeks them anywhere in a query, so no derived relationship is
needed (earlier versions wrote a ``DUTY_IN`` index relationship for a server
that could not; ``push --wipe`` removes it from an old database).

Labels and relationship types are only ever taken from :mod:`kgraph.schema` and
checked against it; every user value travels as a query parameter.
"""

from __future__ import annotations

import gc
import json
import os
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from itertools import pairwise
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from kgraph import schema
from kgraph.errors import InputError, StoreError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    import neo4j
    import networkx as nx

#: progress(phase, done, total) — phase is "schema", "nodes" or "relationships".
Progress = Callable[[str, int, int], None]

EVIDENCE_FIELDS = (
    ("doc", str),
    ("sentence", int),
    ("start", int),
    ("end", int),
    ("rule", str),
    ("text", str),
)
EV_PREFIX = "ev_"
# Node attributes that are not stored as properties (the label *is* the label).
_NODE_SKIP = {"label"}
# Edge attributes handled specially.
_EDGE_SKIP = {"type", "evidence", "key"}

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


# --- connecting --------------------------------------------------------------


def connect(
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    *,
    verify: bool = True,
) -> Neo4jStore:
    """Open a store; arguments default to ``NEO4J_URI``, ``NEO4J_USERNAME`` (or
    ``NEO4J_USER``), ``NEO4J_PASSWORD`` and ``NEO4J_DATABASE``.

    With ``verify`` (the default) one ``RETURN 1`` is run in the target database
    so a wrong address, password or database name fails here, as a
    :class:`StoreError` with one line.
    """
    import neo4j

    uri = uri or os.environ.get("NEO4J_URI") or DEFAULT_URI
    user = (
        user
        or os.environ.get("NEO4J_USERNAME")
        or os.environ.get("NEO4J_USER")
        or DEFAULT_USER
    )
    if password is None:
        password = os.environ.get("NEO4J_PASSWORD", "")
    database = database or os.environ.get("NEO4J_DATABASE") or None
    where = Where(uri, user, database)
    scheme = uri.partition("://")[0].lower() if "://" in uri else ""
    if scheme not in URI_SCHEMES:
        raise StoreError(
            f"bad Neo4j URI {uri!r}: use one of {', '.join(s + '://' for s in URI_SCHEMES)}"
        )
    with translate_errors(where):
        # The named queries read optional properties (a document's date) that a
        # graph may lack; the server's "property key does not exist" notices
        # would otherwise be logged to stderr on every query.
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=(user, password),
            user_agent="kgraph",
            notifications_min_severity="OFF",
        )
    store = Neo4jStore(driver, where)
    if verify:
        try:
            store.ping()
        except BaseException:
            store.close()
            raise
    return store


@dataclass(frozen=True)
class Where:
    uri: str
    user: str
    database: str | None

    @property
    def db(self) -> str:
        return repr(self.database) if self.database else "(the server's default)"


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class translate_errors:
    """Context manager: driver exceptions → :class:`StoreError` with one line."""

    def __init__(self, where: Where):
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Literal[False]:
        if exc is None or isinstance(exc, StoreError):
            return False
        mapped = map_driver_error(exc, self.where)
        if mapped is None:
            return False
        raise mapped from exc


def map_driver_error(exc: BaseException, where: Where) -> StoreError | None:
    import neo4j.exceptions as nx

    uri, db = where.uri, where.db
    if isinstance(exc, nx.Neo4jError):
        msg = _one_line(exc.message or str(exc))
    else:
        msg = _one_line(str(exc) or type(exc).__name__)
    code = getattr(exc, "code", None) or ""
    if isinstance(exc, nx.AuthError) or code.startswith(
        "Neo.ClientError.Security.Unauthorized"
    ):
        return StoreError(
            f"Neo4j rejected the user/password for {uri} (user {where.user!r})"
        )
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return StoreError(f"Neo4j at {uri} has no database {db}")
    if code == "Neo.ClientError.Security.Forbidden":
        return StoreError(
            f"Neo4j at {uri} refused access to database {db} for user {where.user!r} "
            f"(no such database, or no permission): {msg}"
        )
    if isinstance(exc, nx.UnsupportedServerProduct):
        return StoreError(
            f"Bolt protocol mismatch with {uri}: the server offers no Bolt version this driver speaks "
            f"(kgraph needs Neo4j 4.4 or 5.x)"
        )
    if isinstance(exc, nx.ServiceUnavailable):
        low = msg.lower()
        if "looks like http" in low:
            return StoreError(
                f"{uri} answers HTTP, not Bolt — use the Bolt port (usually 7687)"
            )
        if (
            "protocol version" in low
            or "handshake" in low
            or ("bolt" in low and "version" in low)
        ):
            return StoreError(
                f"Bolt protocol mismatch with {uri} (the server needs Neo4j 4.4+ / Bolt 4.4+): {msg}"
            )
        return StoreError(f"cannot reach Neo4j at {uri}: {msg}")
    if isinstance(exc, nx.ConfigurationError):
        return StoreError(f"bad Neo4j settings for {uri}: {msg}")
    if isinstance(exc, nx.CypherSyntaxError):
        return StoreError(f"Cypher syntax error: {msg}")
    if isinstance(exc, nx.Neo4jError):
        return StoreError(f"Neo4j error {code or type(exc).__name__}: {msg}")
    if isinstance(exc, nx.DriverError):
        return StoreError(
            f"Neo4j driver error talking to {uri}: {type(exc).__name__}: {msg}"
        )
    if isinstance(exc, ValueError) and (
        "uri" in msg.lower() or "scheme" in msg.lower()
    ):
        return StoreError(f"bad Neo4j URI {uri!r}: {msg}")
    if isinstance(exc, OSError):
        return StoreError(f"cannot reach Neo4j at {uri}: {msg}")
    return None


# --- graph → rows --------------------------------------------------------------


def _check_label(label: str) -> str:
    if label not in schema.NODE_LABELS:
        raise StoreError(
            f"node label {label!r} is not in the kgraph schema ({', '.join(schema.NODE_LABELS)})"
        )
    return label


def _check_type(rel_type: str) -> str:
    if rel_type not in schema.RELATIONSHIPS:
        raise StoreError(f"relationship type {rel_type!r} is not in the kgraph schema")
    return rel_type


def _property(value: Any) -> Any:
    """A Python value → something Neo4j stores: a primitive or a homogeneous
    primitive list.  Returns None for "leave it out"."""
    if value is None:
        return None
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
        items = [v for v in items if v is not None]
        kinds = {type(v) for v in items}
        if kinds <= {str} or kinds <= {int} or kinds <= {float} or kinds <= {bool}:
            return items
        if kinds <= {int, float}:
            return [float(v) for v in items]
        return [
            v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)
            for v in items
        ]
    return json.dumps(value, ensure_ascii=False, default=str)


def _evidence_arrays(evidence: Iterable[Any]) -> dict[str, list]:
    arrays: dict[str, list] = {EV_PREFIX + name: [] for name, _ in EVIDENCE_FIELDS}
    for ev in evidence or ():
        if not isinstance(ev, dict):
            ev = ev.to_dict() if hasattr(ev, "to_dict") else dict(ev)
        for name, cast in EVIDENCE_FIELDS:
            raw = ev.get(name)
            val: int | str
            if cast is int:
                try:
                    val = int(raw)
                except (TypeError, ValueError):
                    val = -1
            else:
                val = "" if raw is None else str(raw)
            arrays[EV_PREFIX + name].append(val)
    return arrays


def node_rows(G: nx.MultiDiGraph) -> dict[str, list[dict]]:
    """``{label: [{"id", "props"}]}`` for every node of ``G``."""
    rows: dict[str, list[dict]] = defaultdict(list)
    for nid, attrs in G.nodes(data=True):
        label = attrs.get("label") or schema.split_node_id(str(nid))[0]
        _check_label(label)
        # ``id`` is set by the MERGE itself; writing it again through ``SET n +=``
        # rewrites the uniqueness index entry and made ArcadeDB 4x slower.
        props: dict[str, Any] = {}
        for key, value in attrs.items():
            if key in _NODE_SKIP or key == "id":
                continue
            stored = _property(value)
            if stored is not None:
                props[key] = stored
        props.setdefault("name", schema.split_node_id(str(nid))[1])
        rows[label].append({"id": str(nid), "props": props})
    return rows


def _node_label(G: nx.MultiDiGraph, nid: str) -> str:
    attrs = G.nodes[nid]
    return _check_label(attrs.get("label") or schema.split_node_id(str(nid))[0])


def relationship_rows(G: nx.MultiDiGraph) -> dict[tuple[str, str, str], list[dict]]:
    """``{(type, src label, dst label): [{"src", "dst", "key", "props"}]}``."""
    rows: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for src, dst, key, attrs in G.edges(keys=True, data=True):
        rel_type = attrs.get("type") or str(key).partition("|")[0]
        _check_type(rel_type)
        group = (rel_type, _node_label(G, src), _node_label(G, dst))
        props: dict[str, Any] = {}  # ``key`` is set by the MERGE
        for name in schema.EDGE_KEY_ATTRS.get(rel_type, ()):
            props[name] = "" if attrs.get(name) is None else str(attrs.get(name))
        for name, value in attrs.items():
            if name in _EDGE_SKIP or name in props or name == "key":
                continue
            stored = _property(value)
            if stored is not None:
                props[name] = stored
        props.update(_evidence_arrays(attrs.get("evidence") or ()))
        rows[group].append(
            {"src": str(src), "dst": str(dst), "key": str(key), "props": props}
        )
    return rows


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a push builds and sends its rows.

    The rows are millions of small acyclic dicts, lists and strings; allocating
    them sets off full collections that walk every object alive — the whole
    networkx graph included — over and over, which made building the rows of
    100k relationships 2–3x slower (1.2 s without the collector, 2.7–3.5 s with
    it).  Reference counting still frees everything; the collector is switched
    back on (if it was on) when the push ends, however it ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _chunks(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


# --- named queries -------------------------------------------------------------

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
    checkout = Path(__file__).resolve().parent.parent / "queries"
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


# --- read-only guard -------------------------------------------------------------

_WRITE_WORDS = (
    "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "FOREACH",
    "LOAD", "ALTER", "RENAME", "GRANT", "DENY", "REVOKE", "START", "STOP", "TERMINATE",
)  # fmt: skip
_WRITE_RE = re.compile(
    r"(?<![\w.$])(" + "|".join(_WRITE_WORDS) + r")(?![\w])", re.IGNORECASE
)
_WRITE_PROC_RE = re.compile(
    r"\bCALL\s+([\w.]*(?:create|merge|delete|remove|set|drop|refactor|periodic|load|import|write|clear|kill|terminate)[\w.]*)",
    re.IGNORECASE,
)
_STRIP_RE = re.compile(
    r"""//[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:``|[^`])*`""",
    re.DOTALL,
)


def write_clause(cypher: str) -> str | None:
    """The first clause in ``cypher`` that writes (``CREATE``, ``SET``, a writing
    procedure …), ignoring strings, comments and quoted names; None if none."""
    bare = _STRIP_RE.sub(" ", cypher)
    m = _WRITE_RE.search(bare)
    if m:
        return m.group(1).upper()
    m = _WRITE_PROC_RE.search(bare)
    if m:
        return f"CALL {m.group(1)}"
    return None


# --- whole values (kgraph cypher) ------------------------------------------------


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


# --- the store -----------------------------------------------------------------


class Neo4jStore:
    """A Neo4j database holding a kgraph graph.  Use as a context manager."""

    def __init__(self, driver: neo4j.Driver, where: Where) -> None:
        self.driver = driver
        self.where = where

    # plumbing
    @property
    def uri(self) -> str:
        return self.where.uri

    @property
    def database(self) -> str | None:
        return self.where.database

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _session(self, read: bool = False) -> neo4j.Session:
        import neo4j

        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self.driver.session(database=self.database, default_access_mode=mode)

    def _write(
        self, cypher: str, params: dict | None = None, *, whole: bool = False
    ) -> list[dict]:
        def work(tx: neo4j.ManagedTransaction) -> list[dict]:
            return _rows(tx.run(cypher, params or {}), whole)

        with translate_errors(self.where), self._session() as session:
            return session.execute_write(work)

    def _merge(self, cypher: str, params: dict, attempts: int = 5) -> None:
        """A MERGE batch of a push.  The driver already retries transient errors
        (deadlocks between concurrent pushes); this also retries a uniqueness
        violation, which is what a MERGE that lost a race to create the same node
        in another transaction gets: run again, it finds the node and matches."""
        import neo4j.exceptions as nx

        for attempt in range(1, attempts + 1):
            try:
                with self._session() as session:
                    session.execute_write(lambda tx: tx.run(cypher, params).consume())
                return
            except nx.ConstraintError:
                if attempt == attempts:
                    with translate_errors(self.where):
                        raise
                time.sleep(0.05 * attempt)
            except Exception:
                with translate_errors(self.where):
                    raise

    def _schema(self, statement: str) -> None:
        """One ``CREATE … IF NOT EXISTS``; another push creating the same index at
        the same moment is not an error."""
        import neo4j.exceptions as nx

        try:
            with self._session() as session:
                session.execute_write(lambda tx: tx.run(statement).consume())
        except nx.ClientError as exc:
            if (
                "AlreadyExists" in (exc.code or "")
                or "already exists" in (exc.message or "").lower()
            ):
                return
            with translate_errors(self.where):
                raise

    def ping(self) -> dict:
        """Check the server, credentials and database; returns server info."""
        with translate_errors(self.where):
            self.driver.verify_connectivity()
            info = self.driver.get_server_info()
        self.run_read("RETURN 1 AS ok")
        return {
            "agent": info.agent,
            "protocol": ".".join(map(str, info.protocol_version)),
            "address": str(info.address),
        }

    # reading
    def run_read(
        self, cypher: str, params: dict | None = None, *, whole: bool = False
    ) -> list[dict]:
        """Run ``cypher`` in a read transaction (routed to readers in a cluster).
        With ``whole``, nodes, relationships and paths come back as
        :class:`NodeValue` / :class:`RelationshipValue` / :class:`PathValue`."""

        def work(tx: neo4j.ManagedTransaction) -> list[dict]:
            return _rows(tx.run(cypher, params or {}), whole)

        with translate_errors(self.where), self._session(read=True) as session:
            return session.execute_read(work)

    def run_cypher(
        self, cypher: str, params: dict | None = None, *, write: bool = False
    ) -> list[dict]:
        """An ad-hoc query; refused if it writes, unless ``write``.  Nodes,
        relationships and paths come back whole (see :func:`whole_value`)."""
        if not write and (clause := write_clause(cypher)) is not None:
            raise StoreError(
                f"refusing to run a query that writes ({clause}); pass --write if you mean it"
            )
        if write:
            return self._write(cypher, params, whole=True)
        return self.run_read(cypher, params, whole=True)

    def run_named(self, name: str, params: dict | None = None) -> list[dict]:
        query = load_query(name)
        return self.run_read(query.text, query.bind(params or {}))

    def counts(self) -> dict:
        """``{"nodes": {label: n}, "relationships": {type: n}, "total_nodes", "total_relationships"}``."""
        nodes = {}
        for label in schema.NODE_LABELS:
            nodes[label] = self.run_read(
                f"MATCH (n:{_check_label(label)}) RETURN count(n) AS c"
            )[0]["c"]
        rels = {}
        for rel_type in schema.RELATIONSHIPS:
            rels[rel_type] = self.run_read(
                f"MATCH ()-[r:{_check_type(rel_type)}]->() RETURN count(r) AS c"
            )[0]["c"]
        return {
            "nodes": nodes,
            "relationships": rels,
            "total_nodes": sum(nodes.values()),
            "total_relationships": sum(rels.values()),
        }

    # writing
    def ensure_schema(self) -> int:
        """Uniqueness constraint on ``id`` and index on ``name`` for every label,
        plus indexes on the relationship key attributes the named queries filter
        on.  Idempotent; each statement in its own transaction (Neo4j refuses
        schema and data changes in one)."""
        statements = []
        for label in schema.NODE_LABELS:
            low = label.lower()
            statements.append(
                f"CREATE CONSTRAINT kgraph_{low}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            )
            statements.append(
                f"CREATE INDEX kgraph_{low}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)"
            )
        for rel_type, attrs in schema.EDGE_KEY_ATTRS.items():
            for attr in attrs:
                statements.append(
                    f"CREATE INDEX kgraph_{rel_type.lower()}_{attr} IF NOT EXISTS "
                    f"FOR ()-[r:{_check_type(rel_type)}]-() ON (r.{attr})"
                )
        for statement in statements:
            self._schema(statement)
        return len(statements)

    def push(
        self,
        G: nx.MultiDiGraph,
        batch_size: int = 1000,
        progress: Progress | None = None,
    ) -> dict:
        """Load ``G`` (a ``networkx.MultiDiGraph`` in the kgraph schema).

        ``MERGE`` on node ``id`` and on the relationship ``key`` between its two
        nodes, so pushing again changes nothing and pushing a grown graph updates
        in place (properties are overwritten; nothing is deleted — use
        :meth:`wipe` first to replace the graph).  One transaction per batch,
        retried by the driver on transient errors.
        """
        if batch_size < 1:
            raise StoreError("batch size must be at least 1")
        with _gc_paused():
            return self._push(G, batch_size, progress)

    def _push(
        self, G: nx.MultiDiGraph, batch_size: int, progress: Progress | None
    ) -> dict:
        t0 = time.perf_counter()
        nodes = node_rows(G)
        rels = relationship_rows(G)
        n_nodes = sum(map(len, nodes.values()))
        n_rels = sum(map(len, rels.values()))
        report = progress or (lambda phase, done, total: None)

        report("schema", 0, 1)
        self.ensure_schema()
        report("schema", 1, 1)

        done = 0
        report("nodes", 0, n_nodes)
        for label in sorted(nodes):
            cypher = f"UNWIND $rows AS row MERGE (n:{_check_label(label)} {{id: row.id}}) SET n += row.props"
            for chunk in _chunks(nodes[label], batch_size):
                self._merge(cypher, {"rows": chunk})
                done += len(chunk)
                report("nodes", done, n_nodes)
        t_nodes = time.perf_counter()

        done = 0
        report("relationships", 0, n_rels)
        for rel_type, src_label, dst_label in sorted(rels):
            cypher = (
                f"UNWIND $rows AS row "
                f"MATCH (a:{_check_label(src_label)} {{id: row.src}}) "
                f"MATCH (b:{_check_label(dst_label)} {{id: row.dst}}) "
                f"MERGE (a)-[r:{_check_type(rel_type)} {{key: row.key}}]->(b) "
                f"SET r += row.props"
            )
            for chunk in _chunks(rels[(rel_type, src_label, dst_label)], batch_size):
                self._merge(cypher, {"rows": chunk})
                done += len(chunk)
                report("relationships", done, n_rels)
        t_end = time.perf_counter()
        return {
            "nodes": n_nodes,
            "relationships": n_rels,
            "labels": {label: len(rows) for label, rows in sorted(nodes.items())},
            "types": _sum_by_type(rels),
            "seconds": round(t_end - t0, 3),
            "node_seconds": round(t_nodes - t0, 3),
            "relationship_seconds": round(t_end - t_nodes, 3),
        }

    def wipe(self, batch_size: int = 10000) -> int:
        """Delete every kgraph node and relationship (label by label, in batches
        so a big graph does not need one huge transaction).  Returns nodes deleted.

        Relationships go first, ``batch_size`` at a time: a batch of nodes would
        take all their relationships along, and one Organization mentioned in
        10,000 documents has 10,000 of them (more than Neo4j's default
        transaction memory for a batch of such nodes)."""
        for label in schema.NODE_LABELS:
            cypher = (
                f"MATCH (n:{_check_label(label)})-[r]-() WITH DISTINCT r LIMIT $limit "
                f"DELETE r RETURN count(*) AS c"
            )
            while self._write(cypher, {"limit": batch_size})[0]["c"] == batch_size:
                pass
        deleted = 0
        for label in schema.NODE_LABELS:
            cypher = (
                f"MATCH (n:{_check_label(label)}) WITH n LIMIT $limit "
                f"DETACH DELETE n RETURN count(*) AS c"
            )
            while True:
                c = self._write(cypher, {"limit": batch_size})[0]["c"]
                deleted += c
                if c < batch_size:
                    break
        return deleted


def _rows(result: neo4j.Result, whole: bool) -> list[dict]:
    if not whole:
        return [record.data() for record in result]
    return [
        {
            key: whole_value(value)
            for key, value in zip(record.keys(), record.values(), strict=True)
        }
        for record in result
    ]


def _sum_by_type(rels: dict[tuple[str, str, str], list]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for (rel_type, _, _), rows in rels.items():
        out[rel_type] += len(rows)
    return dict(sorted(out.items()))
