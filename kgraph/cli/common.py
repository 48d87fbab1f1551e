"""Shared CLI plumbing: the app object, one-line errors, JSON output."""

from __future__ import annotations

import functools
import json
import sys
from typing import Any, Callable

import typer
from rich.console import Console
from rich.markup import escape

app = typer.Typer(
    name="kgraph",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

console = Console()
err_console = Console(stderr=True)


def user_errors(func: Callable) -> Callable:
    """Turn a KgraphError into ``error: <one line>`` and its exit code."""
    from kgraph.errors import KgraphError

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KgraphError as exc:
            err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err_console.print("error: interrupted")
            raise typer.Exit(130) from None

    return wrapper


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _version(value: bool) -> None:
    if value:
        from kgraph import __version__

        console.print(f"kgraph {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """Turn Chinese work-safety (安全生产) speeches into an evidence-linked
    responsibility graph: who bears which responsibility, for which sector,
    handed down through which chain.

    Start with:  kgraph build data/   then   kgraph who 危险化学品
    """
