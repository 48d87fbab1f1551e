"""Shell completion of values: named query names, and the sector, holder and
place names of the workspace the command line names (``-w``, else
``$KGRAPH_WORKSPACE``, else ``kgraph-out``).

Completion runs on every <TAB>, so it only reads what is cheap — the query
files and one SQLite lookup of names — and never fails: a missing or damaged
workspace completes nothing.  :class:`kgraph.cli.options.KgraphGroup` attaches
the completers by parameter name, so the commands need not know of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kgraph.cli.options import DEFAULT_WORKSPACE, WORKSPACE_ENV

Completer = Callable[[Any, Any, str], list[str]]


def query_names() -> list[str]:
    """The names of the named queries (queries/*.cypher)."""
    from kgraph.neo4j.queries import list_queries

    return [q.name for q in list_queries()]


def _workspace(ctx: Any) -> Path:
    given = (ctx.params or {}).get("workspace") if ctx is not None else None
    return Path(given or os.environ.get(WORKSPACE_ENV) or DEFAULT_WORKSPACE)


def workspace_names(ctx: Any, labels: Iterable[str]) -> list[str]:
    """The names of these node labels in the workspace, most mentioned first
    (``[]`` when there is no readable workspace)."""
    from kgraph.schema import unscoped_name
    from kgraph.store import Workspace

    ws = Workspace(_workspace(ctx))
    if not ws.exists():
        return []
    from kgraph.graphstore import as_store

    rows: list[dict] = []
    with as_store(ws) as store:
        for label in labels:
            rows += store.terms(label)
    rows.sort(key=lambda r: -r.get("mentions", 0))
    return list(dict.fromkeys(unscoped_name(r["name"]) for r in rows))


def place_names(ctx: Any) -> list[str]:
    """The jurisdictions of the workspace's documents, at every level."""
    from kgraph.graphstore import as_store
    from kgraph.store import Workspace

    ws = Workspace(_workspace(ctx))
    if not ws.exists():
        return []
    with as_store(ws) as store:
        # a row without a key stands for the documents with no known place: not a name to filter by
        return [r["place"] for r in store.places() if r.get("key")]


def _completer(names: Callable[[Any], list[str]]) -> Completer:
    def complete(ctx: Any, param: Any, incomplete: str) -> list[str]:
        try:
            found = names(ctx)
        except Exception:  # noqa: BLE001  a <TAB> must never print a traceback
            return []
        return [n for n in found if n.startswith(incomplete)] or [
            n for n in found if incomplete in n
        ]

    return complete


SECTOR_LABELS = ("Sector",)
TERM_LABELS = ("Sector", "Responsibility", "Task")
HOLDER_LABELS = ("Organization", "Role", "Official")

# (command, parameter) -> completer; "*" is any command with that parameter
COMPLETERS: dict[tuple[str, str], Completer] = {
    ("query", "name"): _completer(lambda ctx: query_names()),
    ("who", "term"): _completer(lambda ctx: workspace_names(ctx, TERM_LABELS)),
    ("what", "holder"): _completer(lambda ctx: workspace_names(ctx, HOLDER_LABELS)),
    ("*", "holder"): _completer(lambda ctx: workspace_names(ctx, HOLDER_LABELS)),
    ("*", "sector"): _completer(lambda ctx: workspace_names(ctx, SECTOR_LABELS)),
    ("*", "place"): _completer(place_names),
}


def completer_for(command: str, param: str) -> Completer | None:
    return COMPLETERS.get((command, param)) or COMPLETERS.get(("*", param))
