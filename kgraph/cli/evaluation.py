"""``kgraph eval``: score extracted facts against the hand-annotated gold."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from kgraph.cli.common import app, console, print_json, user_errors

_LABELS = {
    "officials": "officials (name)",
    "officials.title": "  … with title",
    "organizations": "organizations",
    "sectors": "sectors",
    "responsibilities": "responsibilities",
    "responsibilities.sector": "  … with sector",
    "chains": "chains",
}


def _scores_table(title: str, scores: dict) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("field")
    for column in ("precision", "recall", "F1"):
        table.add_column(column, justify="right")
    table.add_column("tp / gold / pred", justify="right", style="dim")
    for name, s in scores.items():
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


def _item_text(item) -> str:
    if isinstance(item, str):
        return item
    if "name" in item:
        return f"{item.get('name')} ({item.get('title') or '—'})"
    if "holder" in item:
        sector = f" [{item['sector']}]" if item.get("sector") else ""
        return f"{item.get('holder')} → {item.get('responsibility')}{sector}"
    return f"{item.get('from')} → {item.get('to')} ({item.get('kind')})"


def _print_errors(result) -> None:
    for label, items_by_score in (("missed", result.missed), ("spurious", result.spurious)):
        for name, items in items_by_score.items():
            text = "; ".join(_item_text(i) for i in items)
            console.print(f"  [bold]{label}[/bold] {name}: {escape(text)}", highlight=False)


@app.command("eval")
@user_errors
def eval_command(
    gold_dir: Path = typer.Argument(
        ..., help="Directory of hand-annotated <doc>.json files, e.g. tests/gold/.", show_default=False
    ),
    pred: Path = typer.Argument(
        ...,
        help="Predictions: the JSONL that `kgraph extract --format jsonl` prints, "
        "or a directory of per-document <doc>.json files.",
        show_default=False,
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON (scores, per-doc, errors)."),
    per_doc: bool = typer.Option(False, "--per-doc", help="Also show a score table for every document."),
    errors: bool = typer.Option(
        False, "--errors", help="List the missed (false negative) and spurious (false positive) items per document."
    ),
) -> None:
    """Precision / recall / F1 of PRED against the gold, per field.

    Micro-averaged over the gold documents.  Holders, organisations and chain
    ends match leniently (one contains the other after normalisation, so
    各行业主管部门 matches 行业主管部门); traditional and simplified forms
    are the same.  A gold document without a prediction counts as an empty one.

    Example:  kgraph extract data/speeches/*.txt --format jsonl > pred.jsonl
              kgraph eval tests/gold pred.jsonl --per-doc
    """
    from kgraph.evaluate import evaluate

    report = evaluate(gold_dir, pred)
    if as_json:
        print_json(report.to_dict())
        return
    console.print(_scores_table(f"kgraph eval — {len(report.per_doc)} gold documents (micro)", report.scores))
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
                console.print(_scores_table(escape(doc), result.scores))
            else:
                console.print(f"[bold]{escape(doc)}[/bold]")
            if errors:
                _print_errors(result)
