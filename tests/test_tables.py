"""The 责任清单 export (CSV, XLSX) and query output as CSV/TSV, on the seed corpus."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph import schema
from kgraph.cli import app
from kgraph.store import Workspace
from kgraph.tables import DUTY_COLUMNS, duty_table, flat_rows

SEEDS = Path(__file__).resolve().parent.parent / "data" / "speeches"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    ws = tmp_path_factory.mktemp("tables") / "ws"
    assert invoke("build", SEEDS, "-o", ws, "-j", "1").exit_code == 0
    return ws


def duty_edges(ws: Path) -> list[tuple]:
    g = Workspace(ws).load_graph()
    return [
        (u, v, d)
        for u, v, d in g.edges(data=True)
        if d["type"] in (schema.BEARS, schema.COVERS_SECTOR, schema.PERFORMS)
    ]


def test_xlsx_has_one_row_per_duty_edge(workspace, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "责任清单.xlsx"
    result = invoke("export", "table", out, "-w", workspace)
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == DUTY_COLUMNS
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    edges = duty_edges(workspace)
    assert len(body) == len(edges) > 20
    g = Workspace(workspace).load_graph()
    expected = sorted(
        (g.nodes[u]["name"], d["type"], g.nodes[v]["name"], d["count"])
        for u, v, d in edges
    )
    target = {"BEARS": "responsibility", "COVERS_SECTOR": "sector", "PERFORMS": "task"}
    assert (
        sorted(
            (r["holder"], r["relation"], r[target[r["relation"]]], r["count"])
            for r in body
        )
        == expected
    )
    for r in body:
        assert (
            r["holder_type"] in schema.HOLDER_LABELS
            and r["documents"]
            and r["evidence"]
            and r["rule"]
        )
    # the seeds name their cities and dates: a duty row carries its holder's place and its documents' dates
    assert any(r["place"] for r in body) and any(r["date"] for r in body)


def test_csv_round_trips_through_the_csv_module(workspace, tmp_path):
    out = tmp_path / "duties.csv"
    assert (
        invoke("export", "table", out, "-w", workspace, "--evidence", "0").exit_code
        == 0
    )
    with open(out, encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh))
    columns, cells = flat_rows(
        duty_table(Workspace(workspace), evidence=0), DUTY_COLUMNS
    )
    assert back[0] == columns
    assert back[1:] == [[str(v) for v in row] for row in cells]
    assert any(
        "\n" in row[columns.index("evidence")] for row in back[1:]
    )  # multi-sentence cells survive


def test_table_filters(workspace, tmp_path):
    ws = Workspace(workspace)
    rows = duty_table(ws, sector="危化")  # alias of 危险化学品
    assert rows and all(r["sector"] == "危险化学品" for r in rows)
    local = duty_table(ws, place="市")
    assert (
        local
        and len(local) < len(duty_table(ws))
        and all("市" in r["holder"] for r in local)
    )
    holder = duty_table(ws)[0]["holder"]
    assert {r["holder"] for r in duty_table(ws, holder=holder)} == {holder}


def test_who_csv_equals_the_duty_rows_of_the_same_term(workspace):
    result = invoke("who", "危险化学品", "-w", workspace, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    as_json = json.loads(invoke("who", "危险化学品", "-w", workspace, "--json").stdout)
    assert [
        (r["holder"], r["relation"], r["target"], int(r["count"])) for r in rows
    ] == [(r["holder"], r["relation"], r["target"], r["count"]) for r in as_json]
    table = duty_table(Workspace(workspace), term="危险化学品")

    def key(r: dict) -> tuple:
        return (r["holder"], r["relation"], r["sector"], r["responsibility"])

    assert sorted(map(key, rows)) == sorted(
        key({**r, "count": str(r["count"])}) for r in table
    )


def test_piped_output_is_plain_tsv(workspace):
    for args in (("who", "主体责任"), ("what", "许南吉"), ("gaps",)):
        result = invoke(*args, "-w", workspace)  # CliRunner's stdout is not a terminal
        lines = result.stdout.rstrip("\n").split("\n")
        assert result.exit_code == 0 and len(lines) > 1, args
        assert not any(ch in result.stdout for ch in "│┃━─┏"), args
        width = lines[0].count("\t")
        assert width >= 3 and all(ln.count("\t") == width for ln in lines), args
    table = invoke("who", "主体责任", "-w", workspace, "--format", "table")
    assert "│" in table.stdout or "┃" in table.stdout


def test_bad_formats_are_one_line_errors(workspace, tmp_path):
    for args in (
        ("who", "消防", "--format", "xml"),
        ("export", "table", tmp_path / "t.csv", "--format", "xlsx"),
        ("export", "table", tmp_path / "t.pdf"),
        ("export", "graphml", tmp_path / "g.graphml", "--sector", "消防"),
    ):
        result = invoke(*args, "-w", workspace)
        assert result.exit_code == 2, args
        err = result.stderr.strip()
        assert err.startswith("error:") and "\n" not in err, args
    assert not (tmp_path / "t.csv").exists()
