"""``kgraph build``, ``extract`` and ``rules``: from files to facts and graph.

The question commands live in :mod:`kgraph.cli.answers`, ``export`` in
:mod:`kgraph.cli.export`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
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
from kgraph.cli.labels import header, title
from kgraph.cli.options import JsonOpt

if TYPE_CHECKING:
    pass

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
    table = Table(title=title("components"))
    for col in ("component", "reads", "assigns", "rules", "finds"):
        table.add_column(header(col), overflow="fold")
    for c in PIPELINE:
        table.add_row(
            c.name, "\n".join(c.reads), "\n".join(c.assigns), "\n".join(c.rules), c.doc
        )
    console.print(table)
    cue_table = Table(title=title("cue_tables"))
    for col in ("cue_table", "kind", "items", "file", "about"):
        cue_table.add_column(header(col), overflow="fold")
    for t in cues.tables.values():
        shown = "、".join(t.items[:8]) + (
            f" … (+{len(t.items) - 8})" if len(t.items) > 8 else ""
        )
        cue_table.add_row(t.name, t.kind, escape(shown), t.source, t.doc)
    console.print(cue_table)
    console.print("lexicons: " + ", ".join(lex.sources), highlight=False)
