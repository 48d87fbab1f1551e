"""``kgraph export``: the graph as GraphML or node-link JSON, the duty table as CSV, TSV or XLSX."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kgraph.cli.common import app, console, user_errors
from kgraph.cli.options import WorkspaceOpt

if TYPE_CHECKING:
    from kgraph.store import Workspace


@app.command()
@user_errors
def export(
    kind: Annotated[
        str,
        typer.Argument(
            help="graphml (Gephi, yEd), json (node-link, D3) or table (责任清单: one row per duty)."
        ),
    ],
    out: Annotated[
        Path,
        typer.Argument(
            help="File to write (replaced atomically); for a table '-' prints CSV/TSV."
        ),
    ],
    workspace: WorkspaceOpt = Path("kgraph-out"),
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="table only: csv, tsv or xlsx (default: from the suffix of OUT).",
        ),
    ] = None,
    sector: Annotated[
        str | None,
        typer.Option(
            "--sector",
            "-s",
            help="table only: duties in this sector (aliases resolve).",
        ),
    ] = None,
    holder: Annotated[
        str | None, typer.Option("--holder", help="table only: one holder's duties.")
    ] = None,
    place: Annotated[
        str | None,
        typer.Option(
            "--place",
            "-p",
            help="table only: holders whose name or place contains this.",
        ),
    ] = None,
    evidence: Annotated[
        int,
        typer.Option(
            "--evidence",
            "-e",
            min=0,
            help="table only: evidence sentences per row (0: all).",
        ),
    ] = 3,
) -> None:
    """Export the graph (GraphML, node-link JSON) or the duty table (CSV, TSV, XLSX).

    The duty table (责任清单) has one row per duty — holder, holder type,
    relation, responsibility, sector, task, the holders that hand it down
    (chain_parent), place, date, count, documents, evidence sentences, rules.
    """
    from kgraph.errors import InputError
    from kgraph.readwrite import FORMATS

    kinds = (*FORMATS, "table")
    if kind not in kinds:
        raise InputError(f"unknown export {kind!r}: use {', '.join(kinds)}")
    if kind != "table":
        if fmt or sector or holder or place:
            raise InputError(
                "--format, --sector, --holder and --place apply to 'export table' only"
            )
        g = _workspace(workspace).load_graph()
        FORMATS[kind][0](g, out)
        console.print(
            f"wrote {out} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)",
            highlight=False,
        )
        return
    from kgraph.tables import (
        DUTY_COLUMNS,
        duty_table,
        flat_rows,
        format_for,
        write_delimited,
        write_rows,
    )

    table_fmt = format_for(out, fmt)
    rows = duty_table(
        _workspace(workspace),
        sector=sector,
        holder=holder,
        place=place,
        evidence=evidence,
    )
    columns, cells = flat_rows(rows, DUTY_COLUMNS)
    if str(out) == "-":
        if table_fmt == "xlsx":
            raise InputError("xlsx needs a file name, not '-'")
        write_delimited(columns, cells, sys.stdout, table_fmt)
        return
    write_rows(columns, cells, out, table_fmt)
    console.print(f"wrote {out} ({len(cells)} duties)", highlight=False, soft_wrap=True)


def _workspace(path: Path) -> Workspace:
    from kgraph.store import Workspace

    return Workspace(path)
