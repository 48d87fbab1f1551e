"""How push, query and cypher print their results (tables; --json is printed
by the commands themselves)."""

from __future__ import annotations

import json
from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kgraph.cli.common import console


def _short(text: str, width: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _cell(column: str, value: Any) -> str:
    from kgraph.neo4j.values import NodeValue, PathValue, RelationshipValue

    if value is None:
        return ""
    if isinstance(value, (NodeValue, RelationshipValue, PathValue)):
        return _short(str(value), 160)
    if column == "evidence" and isinstance(value, list):
        if not value:
            return ""
        first = value[0]
        text = (
            f"{first.get('doc', '')}#{first.get('sentence', '')}: {first.get('text', '')}"
            if isinstance(first, dict)
            else str(first)
        )
        more = f" (+{len(value) - 1})" if len(value) > 1 else ""
        return _short(text) + more
    if isinstance(value, list):
        if all(
            isinstance(
                v, (str, int, float, bool, NodeValue, RelationshipValue, PathValue)
            )
            for v in value
        ):
            sep = " → " if column == "path" else ", "
            return sep.join(map(str, value))
        return _short(json.dumps(value, ensure_ascii=False, default=str), 120)
    if isinstance(value, dict):
        return _short(json.dumps(value, ensure_ascii=False, default=str), 120)
    if column == "text":
        return _short(value, 100)
    return str(value)


# Shown with --json only: they make a table too wide to read.
_TABLE_HIDDEN = {"docs", "labels"}


def print_rows(
    rows: list[dict],
    columns: list[str] | tuple[str, ...] = (),
    title: str | None = None,
    compact: bool = False,
) -> None:
    """Rows as a table; every cell is plain text (never rich markup)."""
    columns = list(columns) or (list(rows[0]) if rows else [])
    if not rows:
        console.print("(no rows)", style="dim")
        return
    if compact:
        columns = [
            c for c in columns if c not in _TABLE_HIDDEN and not c.endswith("_label")
        ] or columns
    table = Table(
        title=Text(title) if title else None, show_lines=False, highlight=False
    )
    for col in columns:
        table.add_column(Text(col), overflow="fold")
    for row in rows:
        table.add_row(*(Text(_cell(col, row.get(col))) for col in columns))
    console.print(table)
    console.print(
        f"{len(rows)} row{'s' if len(rows) != 1 else ''}", style="dim", highlight=False
    )


def print_push_report(result: dict[str, Any], db: str) -> None:
    """What ``kgraph push`` did and what the database now holds."""
    where = escape(f"{result['uri']} (database {db})")
    rate = (
        result["relationships"] / result["relationship_seconds"]
        if result["relationship_seconds"]
        else 0
    )
    if "wiped_nodes" in result:
        console.print(f"wiped {result['wiped_nodes']} nodes", highlight=False)
    console.print(
        f"pushed {result['nodes']} nodes and {result['relationships']} relationships to {where} "
        f"in {result['seconds']:.1f}s ({rate:,.0f} relationships/s)",
        highlight=False,
    )
    if len(result["sources"]) > 1:
        console.print(
            "the database holds the graphs of " + ", ".join(result["sources"]),
            highlight=False,
            markup=False,
        )
    counts = result["counts"]
    table = Table(title="now in Neo4j", highlight=False)
    table.add_column("label / type")
    table.add_column("count", justify="right")
    for name, n in list(counts["nodes"].items()) + list(
        counts["relationships"].items()
    ):
        if n:
            table.add_row(name, str(n))
    table.add_row("[bold]nodes[/bold]", f"[bold]{counts['total_nodes']}[/bold]")
    table.add_row(
        "[bold]relationships[/bold]", f"[bold]{counts['total_relationships']}[/bold]"
    )
    console.print(table)
