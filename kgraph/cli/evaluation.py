"""``kgraph eval``: score extracted facts against hand-annotated gold."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.table import Table

from kgraph.cli.common import app, console, err_console, print_json, user_errors
from kgraph.cli.labels import header

if TYPE_CHECKING:
    from kgraph.evaluate import DocResult, Report

_LABELS = {
    "officials": "officials",
    "officials_titled": "  … with title",
    "organizations": "organizations",
    "sectors": "sectors",
    "responsibilities": "responsibilities",
    "chains": "chains",
}


def _scores_table(title: str, scores: dict, *, skip_empty: bool = False) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(header("field"))
    for column in ("precision", "recall", "f1"):
        table.add_column(header(column), justify="right")
    table.add_column(header("matched"), justify="right", style="dim")
    for name, s in scores.items():
        if skip_empty and not s.gold and not s.pred:
            table.add_row(_LABELS.get(name, name), "—", "—", "—", "0 / 0 / 0")
            continue
        f1 = f"{s.f1:.3f}"
        style = "green" if s.f1 >= 0.9 else ("yellow" if s.f1 >= 0.7 else "red")
        table.add_row(
            _LABELS.get(name, name),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"[{style}]{f1}[/{style}]",
            f"{s.tp} / {s.gold} / {s.pred}",
        )
    return table


def _item_text(item: str | dict[str, Any]) -> str:
    if isinstance(item, str):
        return item
    if "name" in item:
        return f"{item.get('name')} ({item.get('title') or '—'})"
    if "holder" in item:
        return f"{item.get('holder')} → {item.get('responsibility')}"
    return f"{item.get('from')} → {item.get('to')} ({item.get('kind')})"


def _print_errors(result: DocResult) -> None:
    for label, items_by_score in (
        ("missed", result.missed),
        ("spurious", result.spurious),
    ):
        for name, items in items_by_score.items():
            text = "; ".join(_item_text(i) for i in items)
            console.print(
                f"  [bold]{label}[/bold] {name}: {escape(text)}", highlight=False
            )


@app.command("eval")
@user_errors
def eval_command(
    gold_dir: Path = typer.Argument(
        ...,
        help="Directory of hand-annotated <doc>.json files, e.g. tests/gold/.",
        show_default=False,
    ),
    pred: Path = typer.Argument(
        ...,
        help="Predictions: the JSONL that `kgraph extract --format jsonl` prints, "
        "or a directory of per-document <doc>.json files.",
        show_default=False,
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the report as JSON (scores, per-doc, errors)."
    ),
    per_doc: bool = typer.Option(
        False, "--per-doc", help="Also show a score table for every document."
    ),
    errors: bool = typer.Option(
        False,
        "--errors",
        help="List the missed (false negative) and spurious (false positive) items per document.",
    ),
    minimum: str | None = typer.Option(
        None,
        "--min",
        metavar="FIELD=F1,...",
        help="Exit 1 when a field's F1 is below its minimum, e.g. --min officials=0.9,chains=0.7.",
        show_default=False,
    ),
) -> None:
    """Precision / recall / F1 of PRED against the gold, per field.

    The same matching as the development set's scorer (../shared/devset/score.py):
    strings compared without spaces, quotes and brackets, equal or one containing
    the other (the shorter at least 40% of the longer); greedy one-to-one,
    micro-averaged over the gold documents.  A gold document without a
    prediction counts as an empty one.

    Example:  kgraph extract data/speeches/*.txt --format jsonl > pred.jsonl
              kgraph eval tests/gold pred.jsonl --per-doc --min responsibilities=0.8
    """
    from kgraph.evaluate import evaluate, parse_minimums

    minimums = parse_minimums(minimum) if minimum else {}
    report = evaluate(gold_dir, pred)
    if as_json:
        print_json(report.to_dict())
    else:
        _print_report(report, per_doc=per_doc, errors=errors)
    below = report.below(minimums)
    if below:
        for name, f1 in below.items():
            err_console.print(
                f"{name}: F1 {f1:.3f} < {minimums[name]}", highlight=False
            )
        raise typer.Exit(1)


def _print_report(report: Report, *, per_doc: bool, errors: bool) -> None:
    console.print(
        _scores_table(
            f"kgraph eval — {len(report.per_doc)} gold documents (micro)", report.scores
        )
    )
    if report.missing_predictions:
        console.print(
            f"[yellow]no prediction for:[/yellow] {escape(', '.join(report.missing_predictions))} (scored as empty)",
            highlight=False,
        )
    if report.unscored_predictions:
        console.print(
            f"[dim]not in the gold, ignored:[/dim] {escape(', '.join(report.unscored_predictions))}",
            highlight=False,
        )
    if per_doc or errors:
        for doc, result in report.per_doc.items():
            if per_doc:
                console.print(
                    _scores_table(escape(doc), result.scores, skip_empty=True)
                )
            else:
                console.print(f"[bold]{escape(doc)}[/bold]")
            if errors:
                _print_errors(result)
