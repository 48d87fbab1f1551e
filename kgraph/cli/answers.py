"""``kgraph who``, ``what``, ``gaps``, ``places`` and ``stats``: questions
to the graph store (the workspace or Neo4j), printed by :mod:`kgraph.cli.output`.

Why one module: the five questions share one way to open the store, apply
the place/date filters and say why an answer is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from kgraph.cli.common import app, console, err_console, print_json, user_errors
from kgraph.cli.labels import header, title
from kgraph.cli.options import JsonOpt, Neo4jOpt, WorkspaceOpt
from kgraph.cli.output import (
    FormatOpt,
    Row,
    answer_table,
    detail,
    no_answer,
    non_empty,
    output_format,
    print_rows,
    with_originals,
    within,
)

if TYPE_CHECKING:
    from kgraph.graphstore import GraphStore

EvidenceOpt = Annotated[
    int,
    typer.Option(
        "--evidence", "-e", min=0, help="Evidence sentences to show per answer."
    ),
]
PlaceOpt = Annotated[
    str | None,
    typer.Option(
        "--place",
        "-p",
        help="Only what documents of this jurisdiction say (any level: 云南省 includes its counties).",
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="Only documents dated on or after YYYY[-MM[-DD]]."),
]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", help="Only documents dated on or before YYYY[-MM[-DD]]."),
]
YearOpt = Annotated[
    str | None, typer.Option("--year", help="Only documents of this year (YYYY).")
]


WHO_COLUMNS = (
    "holder",
    "holder_label",
    "relation",
    "target",
    "target_label",
    "sector",
    "responsibility",
    "count",
    "docs",
    "evidence",
)


def _answer(
    ask: Callable[..., Sequence[Row]],
    subject: str,
    workspace: Path,
    neo4j: bool,
    fmt: str,
    evidence: int,
    columns: tuple[str, ...],
    place: str | None,
    since: str | None,
    until: str | None,
    year: str | None,
) -> tuple[list[Row], str]:
    """Ask ``who``/``what`` of the store the options name; the rows (with their
    verbatim evidence), why they are empty ('' if not), and json/csv/tsv
    printed here (a table is the caller's)."""
    with _source(workspace, neo4j) as source:
        rows = with_originals(
            source,
            list(
                ask(
                    source,
                    subject,
                    evidence=max(evidence, 1) if fmt == "json" else evidence,
                    place=place,
                    since=since,
                    until=until,
                    year=year,
                )
            ),
        )
        why = "" if rows else filters_why(source, place, since, until, year)
    if fmt == "json":
        print_json(rows)
    elif fmt in ("csv", "tsv"):
        print_rows(rows, fmt, columns)
    return rows, why


@app.command()
@user_errors
def who(
    term: Annotated[
        str,
        typer.Argument(
            help="A sector (危险化学品, 燃气), responsibility (属地管理责任, 三管三必须) or task (隐患排查)."
        ),
    ],
    workspace: WorkspaceOpt = Path("kgraph-out"),
    evidence: EvidenceOpt = 1,
    neo4j: Neo4jOpt = False,
    as_json: JsonOpt = False,
    place: PlaceOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    year: YearOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Who bears, covers or performs TERM — with the sentence that says so.

    Aliases resolve (危化 → 危险化学品, 应急局 → 应急管理局); a term that is not a
    known name matches names containing it.
    """
    from kgraph.query import who as ask

    non_empty("TERM", term)
    fmt = output_format(fmt, as_json)
    rows, why = _answer(
        ask,
        term,
        workspace,
        neo4j,
        fmt,
        evidence,
        WHO_COLUMNS,
        place,
        since,
        until,
        year,
    )
    if not rows:
        no_answer(
            f"nobody is given {term!r}{within(place, since, until, year)}: {why}"
            if why
            else f"nobody is given {term!r}{within(place, since, until, year)} in the text — see 'kgraph gaps' (监管空白 / 责任悬空)"
        )
    if fmt != "table":
        return
    body = [
        (
            [
                f"{r['holder']} [dim]{r['holder_label']}[/dim]",
                r["relation"],
                r["target"],
                detail(r, "sector", "responsibility"),
                str(r["count"]),
                ", ".join(r["docs"][:3]),
            ],
            r["evidence"],
        )
        for r in rows
    ]
    console.print(
        answer_table(
            f"{title('who')}: {term}",
            ("holder", "relation", "what", "detail", "count", "documents"),
            body,
            evidence,
        )
    )


@app.command()
@user_errors
def what(
    holder: Annotated[
        str,
        typer.Argument(
            help="An official (许南吉), body (应急管理局, 行业主管部门) or role (一把手)."
        ),
    ],
    workspace: WorkspaceOpt = Path("kgraph-out"),
    evidence: EvidenceOpt = 1,
    neo4j: Neo4jOpt = False,
    as_json: JsonOpt = False,
    place: PlaceOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    year: YearOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """What HOLDER bears, covers, performs, hands down or assigned — with evidence."""
    from kgraph.query import WHAT_KEYS
    from kgraph.query import what as ask

    non_empty("HOLDER", holder)
    fmt = output_format(fmt, as_json)
    rows, why = _answer(
        ask,
        holder,
        workspace,
        neo4j,
        fmt,
        evidence,
        WHAT_KEYS,
        place,
        since,
        until,
        year,
    )
    if not rows:
        no_answer(
            f"nothing is said of {holder!r}{within(place, since, until, year)}: {why}"
            if why
            else f"nothing is said of {holder!r}{within(place, since, until, year)} in the text "
            "(it is named, but holds, hands down and is assigned nothing)"
        )
    if fmt != "table":
        return
    body = [
        (
            [
                r["src"],
                r["type"],
                f"{r['dst']} [dim]{r['dst_label']}[/dim]",
                detail(r, "kind", "responsibility", "sector", "task"),
                str(r["count"]),
            ],
            r["evidence"],
        )
        for r in rows
    ]
    console.print(
        answer_table(
            f"{title('what')}: {holder}",
            ("source", "relation", "target", "detail", "count"),
            body,
            evidence,
        )
    )


@app.command()
@user_errors
def gaps(
    workspace: WorkspaceOpt = Path("kgraph-out"),
    evidence: EvidenceOpt = 1,
    neo4j: Neo4jOpt = False,
    as_json: JsonOpt = False,
    place: PlaceOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    year: YearOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Holes in the responsibility system the texts leave.

    监管空白: a focus sector (重点行业领域) that no department covers;
    责任悬空: a responsibility or task nobody is given;
    idle officials: named officials with no duty assigned by or to them.
    """
    from kgraph.query import gaps as ask

    fmt = output_format(fmt, as_json)
    with _source(workspace, neo4j) as source:
        found = ask(
            source,
            evidence=max(evidence, 1),
            place=place,
            since=since,
            until=until,
            year=year,
        )
        empty = not any(found.values())
        why = filters_why(source, place, since, until, year) if empty else ""
    if fmt == "json":
        print_json(found)
    if why:  # not "no gaps": the filters leave nothing to look at
        no_answer(f"no gaps{within(place, since, until, year)}: {why}")
    if empty:
        err_console.print(
            f"no gaps{within(place, since, until, year)}: every focus sector is covered, "
            "every responsibility held, every official given a duty",
            highlight=False,
        )
    if fmt == "json":
        return
    parts: dict[str, Sequence[Mapping[str, Any]]] = {
        "supervision": found["supervision"],
        "unheld": found["unheld"],
        "idle_officials": found["idle_officials"],
    }
    if fmt in ("csv", "tsv"):
        # One table: the section each row comes from, then the union of the sections' columns.
        rows = [
            {
                "section": key,
                **{k: v for k, v in r.items() if k != "evidence"},
                "evidence": r["evidence"][:evidence],
            }
            for key, items in parts.items()
            for r in items
        ]
        print_rows(rows, fmt)
        return
    # the section's key in the answer (and its title in labels.toml), and the key of its rows' name
    sections = (
        ("supervision", "sector"),
        ("unheld", "name"),
        ("idle_officials", "official"),
    )
    for key, name_key in sections:
        body = [
            (
                [
                    r[name_key]
                    + (f" [dim]{r['label']}[/dim]" if "label" in r else "")
                    + (f" [dim]{r['title']}[/dim]" if r.get("title") else ""),
                    ", ".join(r["docs"][:4]),
                ],
                r["evidence"],
            )
            for r in parts[key]
        ]
        console.print(
            answer_table(
                f"{title(key)} ({len(parts[key])})",
                ("name", "documents"),
                body,
                evidence,
            )
        )


@app.command()
@user_errors
def places(
    workspace: WorkspaceOpt = Path("kgraph-out"),
    neo4j: Neo4jOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """The jurisdictions in the graph, with document counts and date ranges."""
    from kgraph.query import places as ask

    with _source(workspace, neo4j) as source:
        rows = ask(source)
    if as_json:
        print_json(rows)
        return
    table = Table(show_header=True, title=title("places"))
    for col in ("place", "level", "within", "documents", "dated", "first", "last"):
        table.add_column(
            header(col), justify="right" if col in ("documents", "dated") else "left"
        )
    for r in rows:
        table.add_row(
            r["place"],
            r["level"],
            "/".join(r["key"].split("/")[:-1]),
            str(r["documents"]),
            str(r["dated"]),
            r["first"],
            r["last"],
        )
    console.print(table)


@app.command()
@user_errors
def stats(
    workspace: WorkspaceOpt = Path("kgraph-out"),
    neo4j: Neo4jOpt = False,
    terms: Annotated[
        str | None,
        typer.Option(
            "--terms", help="Also list the names of one label, e.g. Sector or Official."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Counts of documents, nodes by label and edges by type."""
    from kgraph.query import stats as ask
    from kgraph.query import terms as names

    with _source(workspace, neo4j) as source:
        data = ask(source)
        if terms:
            data["terms"] = names(source, terms)
    if as_json:
        print_json(data)
        return
    console.print(
        f"[bold]{escape(data['source'])}[/bold]: {data['documents']} documents, {data['evidence']} evidence rows",
        highlight=False,
    )
    table = Table(show_header=True)
    table.add_column(header("nodes"))
    table.add_column(header("number"), justify="right")
    table.add_column(header("edges"))
    table.add_column(header("number"), justify="right")
    nodes, edges = list(data["nodes"].items()), list(data["edges"].items())
    for i in range(max(len(nodes), len(edges))):
        n = nodes[i] if i < len(nodes) else ("", "")
        e = edges[i] if i < len(edges) else ("", "")
        table.add_row(n[0], str(n[1]), e[0], str(e[1]))
    console.print(table)
    if terms:
        console.print(
            ", ".join(f"{t['name']}({t['mentions']})" for t in data["terms"]),
            highlight=False,
        )


def filters_why(
    source: object,
    place: str | None,
    since: str | None,
    until: str | None,
    year: str | None,
) -> str:
    """Why the place/date filters leave no document ('' when some document passes)."""
    from kgraph.explain import no_documents

    return no_documents(source, place=place, since=since, until=until, year=year)


def _source(workspace: Path, neo4j: bool) -> GraphStore:
    """The graph store the options name: the workspace, or the Neo4j server
    of the NEO4J_* variables (a context manager that closes it)."""
    from kgraph.graphstore import open_store

    # a bad NEO4J_URI is refused in one line by kgraph.neo4j.settings
    return open_store(workspace, neo4j=neo4j)
