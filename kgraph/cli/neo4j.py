"""push, query, cypher: the graph in Neo4j.

Why one module: the three commands share the connection options, parameter
parsing and row printing of the Neo4j side.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from kgraph.cli.common import app, console, err_console, print_json, user_errors
from kgraph.cli.neo4j_output import print_push_report, print_rows
from kgraph.cli.options import (
    DatabaseOpt,
    JsonOpt,
    Neo4jOpt,
    PasswordOpt,
    UriOpt,
    UserOpt,
    WorkspaceOpt,
)
from kgraph.errors import InputError, KgraphError

if TYPE_CHECKING:
    import networkx as nx

    from kgraph.neo4j.store import Neo4jStore

# --- shared options -------------------------------------------------------------

ParamOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-P",
        help="Query parameter as NAME=VALUE (repeatable); the value is passed as a string parameter, never spliced into the query.",
        show_default=False,
    ),
]
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_params(pairs: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not _PARAM_NAME.match(name):
            raise InputError(
                f"--param wants NAME=VALUE with NAME a plain identifier, got {pair!r}"
            )
        if name in params:
            raise InputError(f"--param {name} given twice")
        params[name] = value
    return params


def _connect(
    uri: str | None, user: str | None, password: str | None, database: str | None
) -> Neo4jStore:
    from kgraph.neo4j.store import connect

    return connect(uri, user, password, database)


def load_workspace_graph(path: Path) -> nx.MultiDiGraph:
    """The embedded workspace's graph (what ``kgraph build`` wrote)."""
    from kgraph.store import Workspace

    return Workspace(path).load_graph()


# --- commands ---------------------------------------------------------------------


@app.command()
@user_errors
def push(
    workspace: WorkspaceOpt = Path("kgraph-out"),
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
    batch_size: Annotated[
        int,
        typer.Option(
            "--batch-size", min=1, help="Nodes or relationships per transaction."
        ),
    ] = 1000,
    wipe: Annotated[
        bool,
        typer.Option(
            "--wipe",
            help="Delete every kgraph node and relationship in the database first (asks; see --yes).",
        ),
    ] = False,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="Add this workspace's graph to the one another workspace pushed into the database.",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask before --wipe.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Load the workspace graph into Neo4j.

    Creates a uniqueness constraint on id and an index on name for every label,
    then writes nodes and relationships in batches (one transaction each,
    retried on transient errors): CREATE into an empty database, MERGE into
    one that holds the graph.  Pushing again changes nothing; pushing after
    a bigger build updates the graph in place.  Nothing is deleted unless
    --wipe.  A database that holds another workspace's graph is refused
    unless --merge (add to it) or --wipe (replace it).  Evidence is kept on
    each relationship as ev_doc, ev_sentence, ev_start, ev_end, ev_rule,
    ev_text arrays.
    """
    if wipe and merge:
        raise InputError(
            "--wipe replaces the graph and --merge adds to it: pass one of them"
        )
    graph = load_workspace_graph(workspace)
    push_graph(
        graph,
        uri,
        user,
        password,
        database,
        workspace=workspace,
        batch_size=batch_size,
        wipe=wipe,
        merge=merge,
        yes=yes,
        as_json=as_json,
    )


def push_graph(
    graph: nx.MultiDiGraph,
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    *,
    workspace: str | Path | None = None,
    batch_size: int = 1000,
    wipe: bool = False,
    merge: bool = False,
    yes: bool = False,
    as_json: bool = False,
) -> dict[str, Any]:
    """Push an already loaded graph and print what happened: ``kgraph push``
    around :func:`kgraph.neo4j.push.push_graph`, reusable with any graph loader."""
    from kgraph.neo4j.meta import Mode
    from kgraph.neo4j.push import push_graph as push_to_neo4j
    from kgraph.neo4j.settings import Settings

    settings = Settings.resolve(uri, user, password, database)
    if wipe and not yes:
        if not sys.stdin.isatty():
            raise InputError(
                "--wipe deletes the whole kgraph graph in Neo4j; add --yes to confirm"
            )
        if not typer.confirm(
            f"Delete every kgraph node and relationship in {settings.uri}?",
            default=False,
            err=True,
        ):
            raise KgraphError("not wiped; nothing pushed")
    with Progress(
        TextColumn("[bold]{task.description:<13}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=as_json or not err_console.is_terminal,
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        with _DriverWarnings() as warnings:
            result = push_to_neo4j(
                graph,
                settings.uri,
                settings.user,
                settings.password,
                settings.database,
                workspace=workspace,
                mode=Mode.WIPE if wipe else Mode.MERGE if merge else Mode.REFUSE,
                batch_size=batch_size,
                progress=progress,
            )
    if as_json:
        print_json(result)
        return result
    print_push_report(result, settings.where.db)
    if warnings.retried:
        err_console.print(
            f"note: {warnings.retried} transaction(s) retried after a transient "
            "error (e.g. a deadlock between the two push sessions); the push is complete",
            highlight=False,
        )
    return result


class _DriverWarnings(logging.Handler):
    """The driver logs each transaction it retries as a multi-line warning
    (a deadlock between the push's two write sessions is retried and harmless):
    counted here and summed up in one line; any other warning is one line."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.retried = 0
        self._logger = logging.getLogger("neo4j")

    def __enter__(self) -> _DriverWarnings:
        self._propagate = self._logger.propagate
        self._logger.addHandler(self)
        self._logger.propagate = False
        return self

    def __exit__(self, *exc: object) -> None:
        self._logger.removeHandler(self)
        self._logger.propagate = self._propagate

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "will be retried" in message:
            self.retried += 1
        else:
            err_console.print(
                f"kgraph: Neo4j driver: {message.splitlines()[0]}", highlight=False
            )


@app.command()
@user_errors
def query(
    name: Annotated[
        str | None,
        typer.Argument(
            help="Named query, e.g. owners_of_sector (see --list).", show_default=False
        ),
    ] = None,
    param: ParamOpt = None,
    list_: Annotated[
        bool,
        typer.Option(
            "--list",
            help="List the named queries with their parameters and descriptions.",
        ),
    ] = False,
    workspace: WorkspaceOpt = Path("kgraph-out"),
    neo4j: Neo4jOpt = False,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a named, parameterised query of queries/*.cypher — on the workspace,
    or with --neo4j on the Neo4j server; the rows are the same.

    Example:  kgraph query owners_of_sector --param sector=危险化学品
    """
    from kgraph.explain import named_params
    from kgraph.named import DEFAULT_LIMIT
    from kgraph.neo4j.queries import list_queries, load_query

    if list_:
        queries = list_queries()
        if as_json:
            print_json(
                [
                    {
                        "name": q.name,
                        "description": q.description,
                        "params": [
                            {
                                "name": p.name,
                                "type": p.type,
                                "optional": p.optional,
                                "help": p.help,
                            }
                            for p in q.params
                        ],
                        "columns": list(q.columns),
                    }
                    for q in queries
                ]
            )
            return
        table = Table(
            title="named queries (kgraph query NAME --param k=v)", highlight=False
        )
        for col in ("name", "params", "description"):
            table.add_column(col, overflow="fold")
        for q in queries:
            shown = (
                ", ".join(f"{p.name}{'?' if p.optional else ''}" for p in q.params)
                or "—"
            )
            table.add_row(q.name, shown, Text(q.description))
        console.print(table)
        return
    if not name:
        raise InputError("name a query (kgraph query --list shows them)")
    from kgraph.graphstore import open_store

    named = load_query(name)
    given = parse_params(param)
    params = named.bind(given)  # check before connecting
    neo4j = neo4j or any(
        v is not None for v in (uri, user, password, database)
    )  # a connection option means Neo4j
    with open_store(
        workspace, neo4j=neo4j, uri=uri, user=user, password=password, database=database
    ) as store:
        rows = store.named(name, **given)
        why = "" if rows else named_params(store, given)
    if as_json:
        print_json(rows)
    else:
        print_rows(rows, named.columns, title=name, compact=True)
    if not rows:
        err_console.print(
            f"no rows for {name}: {why or 'nothing in the graph matches these parameters together'}",
            highlight=False,
        )
        raise typer.Exit(1)
    if "limit" in params and params["limit"] is None and len(rows) == DEFAULT_LIMIT:
        err_console.print(
            f"first {DEFAULT_LIMIT} rows; --param limit=0 for all", highlight=False
        )


@app.command()
@user_errors
def cypher(
    statement: Annotated[
        str,
        typer.Argument(
            help="A Cypher query; pass values with --param and refer to them as $name."
        ),
    ],
    param: ParamOpt = None,
    write: Annotated[
        bool,
        typer.Option(
            "--write", help="Allow a query that writes (CREATE, MERGE, SET, DELETE …)."
        ),
    ] = False,
    uri: UriOpt = None,
    user: UserOpt = None,
    password: PasswordOpt = None,
    database: DatabaseOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run an ad-hoc Cypher query on Neo4j, read-only unless --write.

    Example:  kgraph cypher "MATCH (o:Organization {name: \\$n})-[r:BEARS]->(x) RETURN x.name" --param n=应急管理局
    """
    from kgraph.neo4j.guard import write_clause

    params = parse_params(param)
    if not write and (clause := write_clause(statement)) is not None:
        raise InputError(
            f"this query writes ({clause}); kgraph cypher is read-only unless --write"
        )
    with _connect(uri, user, password, database) as store:
        rows = store.run_cypher(statement, params, write=write)
    if as_json:
        from kgraph.neo4j.values import jsonable

        print_json(jsonable(rows))
    else:
        print_rows(rows)
