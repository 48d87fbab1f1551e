"""The command line through typer's CliRunner, on the seed corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.schema import unscoped_name

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "speeches"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    ws = tmp_path_factory.mktemp("ws") / "kgraph-out"
    result = invoke("build", SEEDS, "--out", ws, "--jobs", "1")
    assert result.exit_code == 0, result.output
    return ws


def test_build_reports_and_is_idempotent(workspace):
    assert (workspace / "graph.sqlite").is_file()
    again = invoke("build", SEEDS, "--out", workspace, "--json")
    report = json.loads(again.stdout)
    assert (
        report["documents"] == 5 and report["processed"] == 0 and report["reused"] == 5
    )


def test_who_answers_with_evidence(workspace):
    # 三管三必须, asked here before, is a principle the seeds' duties follow, not a duty
    # (dev-set conventions); 企事业单位是…的责任主体 gives 主体责任 by the clause rule
    result = invoke("who", "主体责任", "-w", workspace, "--json")
    rows = json.loads(result.stdout)
    # bodies are named with their document's place (北京市·企事业单位)
    holders = {unscoped_name(r["holder"]) for r in rows}
    assert "企事业单位" in holders
    row = next(r for r in rows if unscoped_name(r["holder"]) == "企事业单位")
    ev = row["evidence"][0]
    assert (
        "企事业单位" in ev["text"]
        and ev["doc"]
        and ev["rule"].startswith(("resp.", "duty."))
    )
    table = runner.invoke(
        app, ["who", "主体责任", "-w", str(workspace)], env={"COLUMNS": "220"}
    )
    assert (
        table.exit_code == 0
        and "企事业单位" in table.stdout
        and "evidence" in table.stdout
    )


def test_who_resolves_aliases(workspace):
    rows = json.loads(invoke("who", "危化", "-w", workspace, "--json").stdout)
    assert rows and {r["target"] for r in rows} == {"危险化学品"}


def test_what_an_official_did(workspace):
    rows = json.loads(invoke("what", "许南吉", "-w", workspace, "--json").stdout)
    types = {r["type"] for r in rows}
    assert {"HOLDS_TITLE", "SPOKE_AT", "ASSIGNED"} <= types
    assigned = {
        (unscoped_name(r["dst"]), r.get("responsibility"))
        for r in rows
        if r["type"] == "ASSIGNED"
    }
    # the duty the speaker assigns is 把责任担起来; 按照“三管三必须”的要求 is the principle it follows
    assert ("各行业主管部门", "把责任担起来") in assigned


def test_gaps_lists_focus_sectors_without_a_department(workspace):
    found = json.loads(invoke("gaps", "-w", workspace, "--json").stdout)
    sectors = {r["sector"] for r in found["supervision"]}
    assert {"燃气", "校园", "文旅"} & sectors or {"消防", "校园", "文旅"} <= sectors
    for r in found["supervision"]:
        assert r["evidence"] and r["evidence"][0]["text"]
    assert invoke("gaps", "-w", workspace).exit_code == 0


def test_stats_and_rules(workspace):
    data = json.loads(
        invoke("stats", "-w", workspace, "--json", "--terms", "Official").stdout
    )
    # every named official of the seed gold (tests/gold), one node each
    gold = {
        o["name"]
        for f in (REPO / "tests" / "gold").glob("*.json")
        for o in json.loads(f.read_text(encoding="utf-8"))["officials"]
    }
    found = {unscoped_name(t["name"]) for t in data["terms"]}
    assert data["documents"] == 5 and data["nodes"]["Official"] == len(found) == len(
        gold
    )
    assert {n for n in gold if len(n) > 1} <= found
    rules = json.loads(invoke("rules", "--json").stdout)
    officials = next(c for c in rules["components"] if c["name"] == "officials")
    assert (
        "official.title_name" in officials["rules"] and "titles" in officials["reads"]
    )


def test_extract_jsonl_contract():
    result = invoke("extract", SEEDS / "002_39b8e9ea33e11d34.txt", "--format", "jsonl")
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    assert doc["doc"] == "002_39b8e9ea33e11d34"
    assert {"name": "许南吉", "title": "市委书记", "org": "市委"}.items() <= doc[
        "officials"
    ][0].items()
    for key in ("organizations", "sectors", "responsibilities", "chains"):
        assert isinstance(doc[key], list)
    r = next(
        r for r in doc["responsibilities"] if r["responsibility"] == "把责任担起来"
    )
    assert r["holder"] == "各行业主管部门" and "把责任担起来" in r["evidence"]


@pytest.mark.parametrize("fmt", ["graphml", "json"])
def test_export(workspace, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    result = invoke("export", fmt, out, "-w", workspace)
    assert result.exit_code == 0, result.output
    assert "许南吉" in out.read_text(encoding="utf-8")


def _one_line_error(result) -> str:
    assert result.exit_code != 0
    err = result.stderr.strip()
    assert (
        err.startswith("error:")
        and "\n" not in err
        and "Traceback" not in result.output
    ), err
    return err


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t \n", "whitespace"),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
            "binary",
        ),
        (
            "garbled.txt",
            bytes([0x81, 0xFF, 0xFE, 0x80, 0xC0, 0xAF]) * 40 + b"\xff\xfe\xfd",
            "",
        ),
    ],
)
def test_bad_input_one_line_error_and_nothing_written(tmp_path, name, content, words):
    bad = tmp_path / name
    bad.write_bytes(content)
    ws = tmp_path / "ws"
    err = _one_line_error(invoke("build", bad, "--out", ws))
    assert str(bad) in err and words in err
    assert not (ws / "graph.sqlite").exists()
    assert not [p for p in ws.glob("*")] if ws.exists() else True


def test_missing_path(tmp_path):
    err = _one_line_error(
        invoke("build", tmp_path / "nope.txt", "--out", tmp_path / "ws")
    )
    assert "nope.txt" in err


def test_bad_file_in_batch_keeps_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / "004_1daf9d7b625fd9c5.txt", corpus)
    (corpus / "empty.txt").write_bytes(b"")
    ws = tmp_path / "ws"
    ok = invoke("build", corpus, "--out", ws, "--json")
    assert ok.exit_code == 0
    report = json.loads(ok.stdout)
    assert report["documents"] == 1 and len(report["skipped"]) == 1
    strict = invoke("build", corpus, "--out", ws, "--strict")
    assert strict.exit_code == 1 and "empty.txt" in strict.stderr


def test_failed_build_keeps_previous_graph(workspace, tmp_path):
    before = (workspace / "graph.sqlite").read_bytes()
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    _one_line_error(invoke("build", bad, "--out", workspace))
    assert (workspace / "graph.sqlite").read_bytes() == before
    # (and the stamp of its integrity check)
    assert sorted(p.name for p in workspace.iterdir()) == [
        ".graph.sqlite.checked",
        "graph.sqlite",
    ]


def test_query_without_workspace(tmp_path):
    err = _one_line_error(invoke("who", "燃气", "-w", tmp_path / "none"))
    assert "kgraph build" in err


def test_unknown_term(workspace):
    err = _one_line_error(invoke("who", "不存在的行业", "-w", workspace))
    assert "不存在的行业" in err


def test_user_lexicon_adds_a_sector(tmp_path):
    lex = tmp_path / "my_sectors.tsv"
    lex.write_text("#name\taliases\n冷库\t冷藏库\n", encoding="utf-8")
    text = tmp_path / "s.txt"
    text.write_text("各乡镇(街道)要加强对冷藏库的检查。", encoding="utf-8")
    # the contract lists sectors as the text writes them (dev-set conventions)
    assert "冷藏库" not in json.loads(invoke("extract", text).stdout)["sectors"]
    assert (
        "冷藏库"
        in json.loads(invoke("extract", text, "--lexicon", lex).stdout)["sectors"]
    )
    bad = tmp_path / "bad.tsv"
    bad.write_text("#kind\tname\nplanet\t火星\n", encoding="utf-8")
    assert "unknown lexicon kind" in _one_line_error(
        invoke("extract", text, "--lexicon", bad)
    )


def test_user_lexicon_body_keeps_its_own_quantifier(tmp_path):
    # 各 in 各界志愿者联合会 is part of the name, not "each": the contract must
    # check surfaces against the lexicon the document was extracted with.
    lex = tmp_path / "my_organizations.tsv"
    lex.write_text("#name\tcategory\n各界志愿者联合会\t泛指\n", encoding="utf-8")
    text = tmp_path / "s.txt"
    text.write_text(
        "各界志愿者联合会要协助各乡镇(街道)做好隐患排查。", encoding="utf-8"
    )
    doc = json.loads(invoke("extract", text, "--lexicon", lex).stdout)
    assert "各界志愿者联合会" in doc["organizations"]
    assert "界志愿者联合会" not in doc["organizations"]
