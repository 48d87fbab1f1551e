"""Shared CLI plumbing: the app object, one-line errors, JSON output."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from kgraph._version import __version__
from kgraph.cli.options import KgraphGroup

app = typer.Typer(
    name="kgraph",
    cls=KgraphGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion; values: kgraph/cli/completion.py
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

console = Console()
err_console = Console(stderr=True)


def user_errors(func: Callable) -> Callable:
    """Turn a KgraphError into ``error: <one line>`` and its exit code.

    What the library did not foresee but the user can act on is one line too:
    a graph that fails a read after its open check passed (a damaged page
    SQLite only meets now, a stored JSON value that no longer parses), and
    any OS error (disk full, read-only, a path that is a directory).
    """
    import sqlite3

    from kgraph.errors import KgraphError, StoreError

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KgraphError as exc:
            fail(str(exc), exc.exit_code)
        except (sqlite3.DatabaseError, json.JSONDecodeError) as exc:
            from kgraph.store import short_detail

            fail(
                f"the workspace graph is damaged ({short_detail(exc)}): restore graph.sqlite.prev over graph.sqlite in the workspace, "
                "or rebuild it with 'kgraph build --fresh PATH...'",
                StoreError.exit_code,
            )
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{(exc.strerror or _one_line(exc)).lower()}", 1)
        except KeyboardInterrupt:
            fail("interrupted", 130)

    return wrapper


def fail(message: str, code: int) -> None:
    """Print ``error: message`` on one line of stderr and exit with ``code``."""
    err_console.print(
        f"[red]error:[/red] {escape(_one_line(message))}",
        highlight=False,
        soft_wrap=True,
    )
    raise typer.Exit(code)


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _version(value: bool) -> None:
    if value:
        console.print(f"kgraph {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Turn Chinese work-safety (安全生产) speeches into an evidence-linked
    responsibility graph: who bears which responsibility, for which sector,
    handed down through which chain.

    Start with:  kgraph build data/   then   kgraph who 危险化学品
    """
