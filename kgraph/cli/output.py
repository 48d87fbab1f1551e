"""How the question commands print: the output format, tables of answers
with their evidence, CSV/TSV rows, and an empty answer's one line on stderr."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.markup import escape
from rich.table import Table

from kgraph.cli.common import err_console
from kgraph.cli.labels import header

if TYPE_CHECKING:
    from kgraph.graphstore import GraphStore

# An answer row (kgraph.answers) or a plain dict: with_originals hands back what it got.
Row = TypeVar("Row", bound=Mapping[str, Any])

FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json, csv or tsv (default: table on a terminal, tsv when piped).",
    ),
]
OUTPUT_FORMATS = ("table", "json", "csv", "tsv")


def within(
    place: str | None, since: str | None, until: str | None, year: str | None
) -> str:
    """The filters an empty answer was asked under, for its message."""
    said = [f"in {place}"] if place else []
    said += [
        f"{k} {v}" for k, v in (("in", year), ("since", since), ("until", until)) if v
    ]
    return f" ({', '.join(said)})" if said else ""


def no_answer(why: str) -> None:
    """An empty answer: why on stderr, exit 1 (docs/cli.md)."""
    err_console.print(escape(why), highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def non_empty(name: str, value: str) -> None:
    """An empty name would match every name containing it: all of them."""
    from kgraph.errors import InputError

    if not value.strip():
        raise InputError(
            f"{name} is empty: give a name, e.g. 'kgraph stats --terms Sector' lists them"
        )


def short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def output_format(fmt: str | None, as_json: bool) -> str:
    """--format, else --json, else a table on a terminal and TSV in a pipe
    (a box table wrapped at 80 columns is useless to a script)."""
    from kgraph.errors import InputError

    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in OUTPUT_FORMATS:
            raise InputError(f"unknown format {fmt!r}: use {', '.join(OUTPUT_FORMATS)}")
        return fmt
    if as_json:
        return "json"
    return "table" if sys.stdout.isatty() else "tsv"


def print_rows(
    rows: Sequence[Mapping[str, Any]], fmt: str, columns: tuple[str, ...] | None = None
) -> None:
    """Rows as CSV or TSV on stdout, list cells joined and evidence as text."""
    from kgraph.tables import flat_rows, write_delimited

    cols, cells = flat_rows(rows, columns)
    write_delimited(cols, cells, sys.stdout, fmt)


def evidence_lines(rows: Sequence[Mapping[str, Any]]) -> str:
    def where(
        e: Mapping[str, Any],
    ) -> str:  # file name:line on a terminal; the full path is in --json/csv
        return (
            Path(e["source"]).name if e.get("source") else f"{e['doc']}#{e['sentence']}"
        )

    return "\n".join(f"[dim]{where(e)}[/dim] {short(e['text'])}" for e in rows)


def with_originals(source: GraphStore, rows: list[Row]) -> list[Row]:
    """Give each evidence row its verbatim span and file:line (when the store
    knows the source files: the workspace does, Neo4j does not)."""
    from kgraph.verbatim import attach

    sources = source.sources()
    if sources is not None:
        for r in rows:
            attach(sources, r.get("evidence") or [])
    return rows


def answer_table(
    title: str,
    columns: tuple[str, ...],
    rows: Sequence[tuple[list[str], Sequence[Mapping[str, Any]]]],
    evidence: int,
) -> Table:
    """A table of answers, with an evidence column when evidence is asked for."""
    table = Table(title=title, show_lines=evidence > 0)
    for col in columns:
        table.add_column(header(col), overflow="fold")
    if evidence:
        table.add_column(header("evidence"), overflow="fold", ratio=3)
    for cells, ev in rows:
        table.add_row(*cells, *([evidence_lines(ev[:evidence])] if evidence else []))
    return table


def detail(row: Mapping[str, Any], *keys: str) -> str:
    """The edge's attributes that say more than its ends do."""
    ends = {row.get("target"), row.get("dst")}
    return " ".join(v for k in keys if (v := row.get(k)) and v not in ends)
