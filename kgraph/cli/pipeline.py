"""build, extract, who, what, gaps, stats, export, rules."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from kgraph.cli.common import app, console, err_console, print_json, user_errors
from kgraph.cli.options import JsonOpt, Neo4jOpt, WorkspaceOpt

if TYPE_CHECKING:
    from kgraph.graphstore import GraphStore
    from kgraph.store import Workspace

Row = TypeVar("Row", bound=Mapping[str, Any])

LexiconOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--lexicon",
        "--rules",
        "-l",
        help="Extra lexicon TSV or cue-table TOML file (repeatable); formats: kgraph/lexicons/*.tsv, kgraph/rules/*.toml.",
    ),
]
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
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json, csv or tsv (default: table on a terminal, tsv when piped).",
    ),
]
OUTPUT_FORMATS = ("table", "json", "csv", "tsv")
MaxMbOpt = Annotated[
    float,
    typer.Option(
        "--max-mb",
        min=0,
        help="Skip files larger than this many MB (0: no limit); a speech is tens of KB. Bounds every read.",
    ),
]


def _max_bytes(max_mb: float) -> int | None:
    return int(max_mb * 1_000_000) or None


def _within(
    place: str | None, since: str | None, until: str | None, year: str | None
) -> str:
    """The filters an empty answer was asked under, for its message."""
    said = [f"in {place}"] if place else []
    said += [
        f"{k} {v}" for k, v in (("in", year), ("since", since), ("until", until)) if v
    ]
    return f" ({', '.join(said)})" if said else ""


def _no_answer(why: str) -> None:
    """An empty answer: why on stderr, exit 1 (docs/cli.md)."""
    err_console.print(escape(why), highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _non_empty(name: str, value: str) -> None:
    """An empty name would match every name containing it: all of them."""
    from kgraph.errors import InputError

    if not value.strip():
        raise InputError(
            f"{name} is empty: give a name, e.g. 'kgraph stats --terms Sector' lists them"
        )


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command()
@user_errors
def build(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files or directories of speeches (.txt .md .html .docx .pdf .xlsx; GB18030/Big5/UTF-16 are detected)."
        ),
    ],
    workspace: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            "--workspace",
            "-w",
            help="Workspace directory to write.",
            envvar="KGRAPH_WORKSPACE",
        ),
    ] = Path("kgraph-out"),
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Worker processes (default: all cores)."
        ),
    ] = None,
    lexicon: LexiconOpt = None,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Start from an empty graph instead of updating the existing one.",
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit non-zero if any file was skipped.")
    ] = False,
    max_mb: MaxMbOpt = 8.0,
    wait: Annotated[
        bool,
        typer.Option(
            "--wait",
            help="If another build is writing the workspace, wait for it instead of failing (exit 3).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Extract the responsibility graph from speeches into a workspace.

    Re-running is incremental: only files whose bytes changed are processed
    again; a document is its resolved path, whatever directory you build
    from, and a file with the same bytes as another is read once (a copy).
    Documents built earlier from other paths stay unless --fresh, and one
    whose file was deleted from a directory being built goes.  A file that
    cannot be read is reported and skipped, the batch goes on, and the exit
    code is 0 (use --strict to fail instead); files in the directories that
    are not read (other types, FIFOs, broken links) are listed.  The graph
    is replaced atomically, so an interrupted build leaves the previous one
    intact, and the one replaced is kept as graph.sqlite.prev; a workspace
    that cannot be read is refused unless --fresh.
    """
    from kgraph.build import build_workspace

    with Progress(
        TextColumn("[bold]extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=as_json or not err_console.is_terminal,
    ) as bar:
        task = bar.add_task("extract", total=None)

        def progress(event: str, detail: str) -> None:
            if event == "start":
                bar.update(task, total=int(detail))
            else:  # skipped files are listed once, in the summary
                bar.advance(task)

        report = build_workspace(
            paths,
            workspace,
            jobs=jobs,
            lexicon_files=lexicon or [],
            fresh=fresh,
            progress=progress,
            max_file_bytes=_max_bytes(max_mb),
            wait=wait,
        )

    if as_json:
        print_json(report.to_dict())
    else:
        mb = report.bytes_read / 1e6
        console.print(
            f"built [bold]{report.workspace}/[/bold]: {report.documents} documents "
            f"({len(report.processed)} processed, {report.reused} unchanged"
            + (
                f", {len(report.removed)} removed (file deleted)"
                if report.removed
                else ""
            )
            + (f", {len(report.copies)} duplicates folded" if report.copies else "")
            + "), "
            f"{report.nodes} nodes, {report.edges} edges in {report.seconds:.1f}s"
            + (
                f" ({mb / report.seconds:.2f} MB/s)"
                if report.processed and report.seconds
                else ""
            ),
            highlight=False,
        )
        if report.flagged_spans:
            console.print(
                f"{report.flagged_spans} unrepairable spans (mojibake) flagged; no entity was taken from them",
                highlight=False,
            )
        if report.cut_sentences:
            console.print(
                f"{report.cut_sentences} overlong stretches without sentence punctuation cut into sentences (flagged)",
                highlight=False,
            )
        if report.skipped:
            err_console.print(
                f"[yellow]{len(report.skipped)} file(s) skipped:[/yellow]"
            )
            for _, error in report.skipped:
                err_console.print(f"  {escape(error)}", highlight=False, soft_wrap=True)
        if report.not_read:
            err_console.print(
                f"{len(report.not_read)} file(s) in the directories not read:"
            )
            for _, reason in report.not_read:
                err_console.print(
                    f"  {escape(reason)}", highlight=False, soft_wrap=True
                )
    if strict and report.skipped:
        raise typer.Exit(1)


@app.command()
@user_errors
def extract(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Files or directories to extract from (nothing is written to a workspace)."
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="jsonl: one contract line per document; json: one array.",
        ),
    ] = "jsonl",
    lexicon: LexiconOpt = None,
    max_mb: MaxMbOpt = 8.0,
) -> None:
    """Print per-document facts: officials, organizations, sectors, responsibilities, chains.

    The JSON lines are what `kgraph eval` scores; each fact carries its
    evidence sentence, character offsets and rule id.  A bad file is reported
    on stderr and the rest are still printed (exit code 1 if any failed).
    """
    from kgraph.errors import InputError, KgraphError
    from kgraph.ingest import list_inputs
    from kgraph.lexicon import load_lexicon
    from kgraph.pipeline import process_file, to_contract

    if fmt not in ("jsonl", "json"):
        raise InputError(f"unknown format {fmt!r}: use jsonl or json")
    lex = load_lexicon(lexicon or [])
    listing = list_inputs(files)
    named = {str(Path(p)) for p in files}
    failed = 0
    for skipped, reason in listing.not_read:
        err_console.print(
            f"[red]error:[/red] {escape(reason)}"
            if skipped in named
            else f"not read: {escape(reason)}",
            highlight=False,
            soft_wrap=True,
        )
        failed += skipped in named
    if not listing.files and not failed:
        raise InputError(
            "no .txt, .md or .html files found in " + ", ".join(map(str, files))
        )
    rows = []
    for path in listing.files:
        try:
            row = to_contract(
                process_file(path, lexicon=lex, max_bytes=_max_bytes(max_mb)), lex
            )
        except KgraphError as exc:
            err_console.print(
                f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True
            )
            failed += 1
            continue
        if fmt == "jsonl":
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            rows.append(row)
    if fmt == "json":
        print_json(rows)
    if failed:
        raise typer.Exit(1)


def _output_format(fmt: str | None, as_json: bool) -> str:
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


def _print_rows(
    rows: Sequence[Mapping[str, Any]], fmt: str, columns: tuple[str, ...] | None = None
) -> None:
    """Rows as CSV or TSV on stdout, list cells joined and evidence as text."""
    from kgraph.tables import flat_rows, write_delimited

    cols, cells = flat_rows(rows, columns)
    write_delimited(cols, cells, sys.stdout, fmt)


def _evidence_lines(rows: Sequence[Mapping[str, Any]]) -> str:
    def where(
        e: Mapping[str, Any],
    ) -> str:  # file name:line on a terminal; the full path is in --json/csv
        return (
            Path(e["source"]).name if e.get("source") else f"{e['doc']}#{e['sentence']}"
        )

    return "\n".join(f"[dim]{where(e)}[/dim] {_short(e['text'])}" for e in rows)


def _with_originals(source: GraphStore, rows: list[Row]) -> list[Row]:
    """Give each evidence row its verbatim span and file:line (when the store
    knows the source files: the workspace does, Neo4j does not)."""
    from kgraph.verbatim import attach

    sources = source.sources()
    if sources is not None:
        for r in rows:
            attach(sources, r.get("evidence") or [])
    return rows


def _table(
    title: str,
    columns: tuple[str, ...],
    rows: Sequence[tuple[list[str], Sequence[Mapping[str, Any]]]],
    evidence: int,
) -> Table:
    """A table of answers, with an evidence column when evidence is asked for."""
    table = Table(title=title, show_lines=evidence > 0)
    for col in columns:
        table.add_column(col, overflow="fold")
    if evidence:
        table.add_column("evidence", overflow="fold", ratio=3)
    for cells, ev in rows:
        table.add_row(*cells, *([_evidence_lines(ev[:evidence])] if evidence else []))
    return table


def _detail(row: Mapping[str, Any], *keys: str) -> str:
    """The edge's attributes that say more than its ends do."""
    ends = {row.get("target"), row.get("dst")}
    return " ".join(v for k in keys if (v := row.get(k)) and v not in ends)


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
WHAT_COLUMNS = (
    "direction",
    "src",
    "src_label",
    "type",
    "dst",
    "dst_label",
    "kind",
    "sector",
    "responsibility",
    "task",
    "count",
    "docs",
    "evidence",
)


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

    _non_empty("TERM", term)
    fmt = _output_format(fmt, as_json)
    with _source(workspace, neo4j) as source:
        rows = _with_originals(
            source,
            ask(
                source,
                term,
                evidence=max(evidence, 1) if fmt == "json" else evidence,
                place=place,
                since=since,
                until=until,
                year=year,
            ),
        )
    if fmt == "json":
        print_json(rows)
    elif fmt in ("csv", "tsv"):
        _print_rows(rows, fmt, WHO_COLUMNS)
    if not rows:
        _no_answer(
            f"nobody is given {term!r}{_within(place, since, until, year)} in the text — see 'kgraph gaps' (监管空白 / 责任悬空)"
        )
    if fmt != "table":
        return
    body = [
        (
            [
                f"{r['holder']} [dim]{r['holder_label']}[/dim]",
                r["relation"],
                r["target"],
                _detail(r, "sector", "responsibility"),
                str(r["count"]),
                ", ".join(r["docs"][:3]),
            ],
            r["evidence"],
        )
        for r in rows
    ]
    console.print(
        _table(
            f"who: {term}",
            ("holder", "relation", "what", "detail", "n", "documents"),
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
    from kgraph.query import what as ask

    _non_empty("HOLDER", holder)
    fmt = _output_format(fmt, as_json)
    with _source(workspace, neo4j) as source:
        rows = _with_originals(
            source,
            ask(
                source,
                holder,
                evidence=max(evidence, 1) if fmt == "json" else evidence,
                place=place,
                since=since,
                until=until,
                year=year,
            ),
        )
    if fmt == "json":
        print_json(rows)
    elif fmt in ("csv", "tsv"):
        _print_rows(rows, fmt, WHAT_COLUMNS)
    if not rows:
        _no_answer(
            f"nothing is said of {holder!r}{_within(place, since, until, year)} in the text"
        )
    if fmt != "table":
        return
    body = [
        (
            [
                r["src"],
                r["type"],
                f"{r['dst']} [dim]{r['dst_label']}[/dim]",
                _detail(r, "kind", "responsibility", "sector", "task"),
                str(r["count"]),
            ],
            r["evidence"],
        )
        for r in rows
    ]
    console.print(
        _table(
            f"what: {holder}", ("from", "relation", "to", "detail", "n"), body, evidence
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

    fmt = _output_format(fmt, as_json)
    with _source(workspace, neo4j) as source:
        found = ask(
            source,
            evidence=max(evidence, 1),
            place=place,
            since=since,
            until=until,
            year=year,
        )
    if fmt == "json":
        print_json(found)
        return
    sections: dict[str, Sequence[Mapping[str, Any]]] = {
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
            for key, items in sections.items()
            for r in items
        ]
        _print_rows(rows, fmt)
        return
    titles = (
        ("supervision", "监管空白 — focus sectors no department covers", "sector"),
        ("unheld", "责任悬空 — responsibilities/tasks with no holder", "name"),
        ("idle_officials", "officials with no assignment", "official"),
    )
    for key, title, name_key in titles:
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
            for r in sections[key]
        ]
        console.print(
            _table(
                f"{title} ({len(sections[key])})", ("name", "documents"), body, evidence
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
    table = Table(show_header=True, title="places")
    for col in ("place", "level", "within", "documents", "dated", "from", "to"):
        table.add_column(
            col, justify="right" if col in ("documents", "dated") else "left"
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
    table.add_column("nodes")
    table.add_column("n", justify="right")
    table.add_column("edges")
    table.add_column("n", justify="right")
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


@app.command()
def rules(as_json: JsonOpt = False, lexicon: LexiconOpt = None) -> None:
    """List the extractor pipeline (components, what each reads and adds, rule ids), the cue tables and lexicons loaded."""
    from kgraph.extract import PIPELINE
    from kgraph.lexicon import load_lexicon

    lex = load_lexicon(lexicon or [])
    cues = lex.cues
    if as_json:
        print_json(
            {
                "components": [
                    {
                        "name": c.name,
                        "reads": list(c.reads),
                        "assigns": list(c.assigns),
                        "rules": list(c.rules),
                        "doc": c.doc,
                    }
                    for c in PIPELINE
                ],
                "cue_tables": {
                    t.name: {
                        "kind": t.kind,
                        "doc": t.doc,
                        "items": list(t.items),
                        "source": t.source,
                    }
                    for t in cues.tables.values()
                },
                "lexicons": lex.sources,
                "cue_files": cues.sources,
                "digest": cues.digest(),
            }
        )
        return
    table = Table(title="components (pipeline order)")
    for col in ("component", "reads", "assigns", "rules", "what it finds"):
        table.add_column(col, overflow="fold")
    for c in PIPELINE:
        table.add_row(
            c.name, "\n".join(c.reads), "\n".join(c.assigns), "\n".join(c.rules), c.doc
        )
    console.print(table)
    cue_table = Table(title="cue tables")
    for col in ("table", "kind", "items", "source", "what it is"):
        cue_table.add_column(col, overflow="fold")
    for t in cues.tables.values():
        shown = "、".join(t.items[:8]) + (
            f" … (+{len(t.items) - 8})" if len(t.items) > 8 else ""
        )
        cue_table.add_row(t.name, t.kind, escape(shown), t.source, t.doc)
    console.print(cue_table)
    console.print("lexicons: " + ", ".join(lex.sources), highlight=False)


def _workspace(path: Path) -> Workspace:
    from kgraph.store import Workspace

    return Workspace(path)


def _source(workspace: Path, neo4j: bool) -> GraphStore:
    """The graph store the options name: the workspace, or the Neo4j server
    of the NEO4J_* variables (a context manager that closes it)."""
    from kgraph.graphstore import open_store

    if neo4j:
        from kgraph.cli.common import check_neo4j_uri

        check_neo4j_uri(None)
    return open_store(workspace, neo4j=neo4j)
