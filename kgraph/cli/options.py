"""The options every command shares, defined once (docs/cli.md).

- where the graph is: ``-w/--workspace`` (``$KGRAPH_WORKSPACE``) or ``--neo4j``
  with the connection options (``$NEO4J_URI``, ``$NEO4J_USERNAME``,
  ``$NEO4J_PASSWORD``, ``$NEO4J_DATABASE``); the connection options have no
  short forms, so ``-p``/``-d``/``-u`` stay free for a command's own filters
- what to print: ``--json`` and ``-f/--format``

:class:`KgraphGroup` gives every command ``-h`` and metavars a reader
understands (PLACE, PATH, N) instead of typer's ``<str>``/``<bool>``, and
its help in Chinese with English beside it (:mod:`kgraph.cli.labels`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kgraph.cli.labels import command_help, command_summary, option_help

DEFAULT_WORKSPACE = Path("kgraph-out")
WORKSPACE_ENV = "KGRAPH_WORKSPACE"

WorkspaceOpt = Annotated[
    Path,
    typer.Option(
        "--workspace",
        "-w",
        help=f"Workspace directory written by kgraph build. Default: ${WORKSPACE_ENV}, else kgraph-out.",
        envvar=WORKSPACE_ENV,
        metavar="DIR",
    ),
]
Neo4jOpt = Annotated[
    bool,
    typer.Option(
        "--neo4j",
        help="Ask the Neo4j server (--uri …, else $NEO4J_URI, $NEO4J_USERNAME, $NEO4J_PASSWORD, $NEO4J_DATABASE) "
        "instead of the workspace; same answers.",
    ),
]
UriOpt = Annotated[
    str | None,
    typer.Option(
        "--uri",
        metavar="URI",
        show_default=False,
        help="Bolt URI: bolt://host:7687, neo4j://host:7687 for a cluster, neo4j+s://….databases.neo4j.io for Aura. "
        "Default: $NEO4J_URI, else bolt://localhost:7687.",
    ),
]
UserOpt = Annotated[
    str | None,
    typer.Option(
        "--user",
        metavar="NAME",
        show_default=False,
        help="User name. Default: $NEO4J_USERNAME (or $NEO4J_USER), else neo4j.",
    ),
]
PasswordOpt = Annotated[
    str | None,
    typer.Option(
        "--password",
        metavar="PASSWORD",
        show_default=False,
        help="Password. Default: $NEO4J_PASSWORD (prefer the variable: options show up in the process list).",
    ),
]
DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        metavar="NAME",
        show_default=False,
        help="Database name. Default: $NEO4J_DATABASE, else the server's default.",
    ),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print JSON instead of a table (for scripts).")
]

# metavars by the Python type typer shows as <type>
_TYPE_METAVAR = {"int": "N", "float": "NUMBER"}


def _is_option(param: Any) -> bool:
    # typer may carry its own copy of click: ask the parameter, not its class
    return getattr(param, "param_type_name", "") == "option"


def _metavar(param: Any) -> str:
    if getattr(param, "is_flag", False):
        return ""
    desc = getattr(param, "type_descriptor", None)
    if desc is not None and getattr(desc, "is_path", False):
        return "PATH"
    kind = param.bare_type() if hasattr(param, "bare_type") else ""
    if kind in _TYPE_METAVAR:
        return _TYPE_METAVAR[kind]
    return (param.name or "value").upper().rstrip("_")


def _gloss(param: Any) -> None:
    """Put the Chinese gloss before an option's help, once (params are looked up again and again)."""
    if not getattr(param, "_kgraph_glossed", False):
        param.help = option_help(param)
        param._kgraph_glossed = True


class KgraphGroup(TyperGroup):
    """Every command gets readable metavars, bilingual help and value completion
    (set once, when it is looked up)."""

    def get_params(self, ctx: Any) -> list[Any]:
        # kgraph's own flags (--version, --show-completion …): no <bool> beside them
        params = super().get_params(ctx)
        for param in params:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
            _gloss(param)
        return params

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is None or getattr(cmd, "_kgraph_metavars", False):
            return cmd
        for param in cmd.params:
            if param.metavar is None:
                param.metavar = (
                    _metavar(param)
                    if _is_option(param)
                    else (param.name or "value").upper()
                )
            if not _is_option(
                param
            ):  # an argument's name is its metavar: no <str> beside it
                # typer's rich help calls this hook when present; click's types lack it
                param.display_type_rich = lambda ctx: None  # type: ignore[attr-defined]
        from kgraph.cli.completion import completer_for

        for param in cmd.params:
            complete = completer_for(cmd_name, param.name or "")
            if complete is not None and param._custom_shell_complete is None:
                param._custom_shell_complete = complete
        help_option = cmd.get_help_option

        def quiet_help_option(ctx: Any) -> Any:
            opt = help_option(ctx)
            if opt is not None:
                opt.metavar = ""
                _gloss(opt)
            return opt

        # patched per command instance, which click's types do not foresee
        cmd.get_help_option = quiet_help_option  # type: ignore[method-assign]
        # help in Chinese with the English beside it (kgraph/cli/labels.toml)
        for param in cmd.params:
            _gloss(param)
        cmd.short_help = command_summary(cmd_name, cmd.help)
        cmd.help = command_help(cmd_name, cmd.help)
        cmd._kgraph_metavars = True  # type: ignore[attr-defined]
        return cmd
