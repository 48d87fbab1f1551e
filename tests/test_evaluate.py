"""kgraph.evaluate and `kgraph eval`: the development set's matching, on the seeds and the dev set."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.errors import InputError
from kgraph.evaluate import (
    SCORES,
    close,
    evaluate,
    evaluate_records,
    load_gold,
    parse_minimums,
    title_close,
)

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "gold"
DOC_002 = "002_39b8e9ea33e11d34"


def _write_jsonl(path: Path, records) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
        encoding="utf-8",
    )
    return path


def _doc(doc: str = "d", **fields) -> dict:
    return {"doc": doc, **fields}


def _tp(gold: dict, pred: dict, name: str) -> int:
    return evaluate_records({"d": gold}, {"d": pred}).scores[name].tp


@pytest.fixture(scope="module")
def gold() -> dict[str, dict]:
    return load_gold(GOLD)


# ---------------------------------------------------------------- matching rules


def test_close_strips_marks_and_needs_forty_percent():
    assert close("“三管三必须”", "三管三必须")
    assert close(
        "各乡镇（街道）", "各乡镇(街道)"
    )  # brackets of either width are dropped
    assert close("主体责任", "企业主体责任")  # 4 of 6
    assert close("部门", "部门监管")  # 2 of 4
    assert not close("部门", "负有安全生产监督管理职责的部门")  # 2 of 15
    assert not close("企业", "生产经营单位")
    assert not close("", "") and not close(None, "企业")


def test_title_matches_any_post():
    assert title_close("市委副书记、市长", "市长")
    assert title_close("市长", "市委副书记、市长")
    assert title_close("鹰潭高新区党工委书记", "党工委书记")  # 5 of 10
    assert not title_close("中央第一指导组组长", "组长")  # 2 of 9
    assert not title_close(None, "市长")


def test_officials_by_name_and_by_surname_with_title():
    g = _doc(
        officials=[
            {"name": "张子建", "title": "市委副书记、市长"},
            {"name": "焦", "title": "市长"},
            {"name": "李小平", "title": None},
        ]
    )
    p = _doc(
        officials=[
            {"name": "张子建", "title": "副省长"},
            {"name": "焦市长", "title": "市长"},
            {"name": "李小平", "title": "副市长"},
        ]
    )
    assert _tp(g, p, "officials") == 3
    # 张子建's title is wrong; a gold official without a title needs none.
    assert _tp(g, p, "officials_titled") == 2
    # A surname matches only with the title.
    assert (
        _tp(
            _doc(officials=[{"name": "焦", "title": "市长"}]),
            _doc(officials=[{"name": "焦", "title": "副省长"}]),
            "officials",
        )
        == 0
    )


def test_responsibilities_on_holder_and_responsibility_only():
    g = _doc(
        responsibilities=[
            {"holder": "各企业", "responsibility": "主体责任", "sector": "消防"}
        ]
    )
    p = _doc(
        responsibilities=[
            {"holder": "企业", "responsibility": "企业主体责任", "sector": None}
        ]
    )
    assert _tp(g, p, "responsibilities") == 1
    p["responsibilities"][0]["holder"] = "生产经营单位"
    assert _tp(g, p, "responsibilities") == 0


def test_chains_on_ends_only():
    g = _doc(chains=[{"from": "市政府", "to": "县(市、区)", "kind": "层级"}])
    assert (
        _tp(
            g,
            _doc(chains=[{"from": "市政府", "to": "各县(市、区)", "kind": "督促"}]),
            "chains",
        )
        == 1
    )
    assert (
        _tp(
            g,
            _doc(chains=[{"from": "县(市、区)", "to": "市政府", "kind": "层级"}]),
            "chains",
        )
        == 0
    )


def test_matching_is_greedy_in_gold_order():
    # 企业 takes the first predicted string it matches (企业主体), which 企业主体 needed;
    # a maximum matching would pair both, the scorer does not.
    s = evaluate_records(
        {"d": _doc(organizations=["企业", "企业主体"])},
        {"d": _doc(organizations=["企业主体", "企业负责人"])},
    )
    assert (
        s.scores["organizations"].tp,
        s.scores["organizations"].gold,
        s.scores["organizations"].pred,
    ) == (1, 2, 2)
    assert s.per_doc["d"].missed["organizations"] == ["企业主体"]
    assert s.per_doc["d"].spurious["organizations"] == ["企业负责人"]


def test_repeated_strings_count_once_but_repeated_facts_do_not():
    s = evaluate_records(
        {"d": _doc(organizations=["市委"])}, {"d": _doc(organizations=["市委", "市委"])}
    ).scores
    assert (s["organizations"].tp, s["organizations"].pred) == (1, 1)
    row = {"holder": "企业", "responsibility": "主体责任"}
    s = evaluate_records(
        {"d": _doc(responsibilities=[row])}, {"d": _doc(responsibilities=[row, row])}
    ).scores
    assert (s["responsibilities"].tp, s["responsibilities"].pred) == (1, 2)


def test_empty_sides_score_zero():
    s = evaluate_records({"d": _doc(chains=[])}, {"d": _doc(chains=[])}).scores[
        "chains"
    ]
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)


# ---------------------------------------------------------------- scoring the seeds


def test_perfect_prediction_scores_one(gold, tmp_path):
    report = evaluate(GOLD, _write_jsonl(tmp_path / "pred.jsonl", gold.values()))
    assert set(report.scores) == set(SCORES)
    for name, score in report.scores.items():
        assert score.f1 == 1.0, name
    assert report.missing_predictions == [] and report.unscored_predictions == []


def test_dropping_one_official_lowers_recall_by_one_in_total(gold, tmp_path):
    records = copy.deepcopy(gold)
    total = sum(len(r["officials"]) for r in records.values())
    dropped = records[DOC_002]["officials"].pop()
    report = evaluate(GOLD, _write_jsonl(tmp_path / "pred.jsonl", records.values()))
    s = report.scores["officials"]
    assert (s.tp, s.gold, s.pred) == (total - 1, total, total - 1)
    assert s.precision == 1.0
    assert s.f1 == pytest.approx(2 * (total - 1) / (2 * total - 1))
    assert report.per_doc[DOC_002].missed["officials"] == [dropped]
    assert report.scores["organizations"].f1 == 1.0


def test_missing_document_counts_as_empty_prediction(gold, tmp_path):
    records = [r for d, r in gold.items() if d != DOC_002]
    report = evaluate(GOLD, _write_jsonl(tmp_path / "pred.jsonl", records))
    assert report.missing_predictions == [DOC_002]
    assert report.scores["officials"].recall < 1.0
    assert report.scores["officials"].precision == 1.0


def test_prediction_directory_json_list_and_file_names(gold, tmp_path):
    d = tmp_path / "pred"
    d.mkdir()
    for doc, record in gold.items():
        (d / f"{doc}.json").write_text(
            json.dumps(record, ensure_ascii=False), encoding="utf-8"
        )
    assert evaluate(GOLD, d).scores["chains"].f1 == 1.0
    lst = tmp_path / "pred.json"
    lst.write_text(
        json.dumps(list(gold.values()), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    assert evaluate(GOLD, lst).scores["responsibilities"].f1 == 1.0
    by_file_name = {
        f"data/speeches/{doc}.txt": {**r, "doc": f"data/speeches/{doc}.txt"}
        for doc, r in gold.items()
    }
    assert evaluate_records(gold, by_file_name).scores["officials"].f1 == 1.0


# ---------------------------------------------------------------- the same figures as score.py


_LINE = re.compile(
    r"^(\w+)\s+P=(\d\.\d\d) R=(\d\.\d\d) F1=(\d\.\d\d) \(tp=(\d+) pred=(\d+) gold=(\d+)\)"
)
_DOC_LINE = re.compile(r"^(\S+)\s+(\w+)\s+tp=(\d+) pred=(\d+) gold=(\d+)$")


def _score_py(devset: Path, gold_dir: Path, pred: Path) -> tuple[dict, dict]:
    """Run the dev set's scorer as it is; returns (totals, per-document counts)."""
    proc = subprocess.run(
        [
            sys.executable,
            str(devset / "score.py"),
            str(gold_dir),
            str(pred),
            "--per-doc",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    totals, per_doc = {}, {}
    for line in proc.stdout.splitlines():
        if m := _LINE.match(line):
            totals[m[1]] = (m[2], m[3], m[4], int(m[5]), int(m[6]), int(m[7]))
        elif m := _DOC_LINE.match(line):
            per_doc[(m[1], m[2])] = (int(m[3]), int(m[4]), int(m[5]))
    assert set(totals) == set(SCORES), proc.stdout
    return totals, per_doc


def _assert_same_figures(devset: Path, gold_dir: Path, pred: Path) -> None:
    totals, per_doc = _score_py(devset, gold_dir, pred)
    report = evaluate(gold_dir, pred)
    ours = {
        name: (
            f"{s.precision:.2f}",
            f"{s.recall:.2f}",
            f"{s.f1:.2f}",
            s.tp,
            s.pred,
            s.gold,
        )
        for name, s in report.scores.items()
    }
    assert ours == totals
    ours_per_doc = {
        (doc, name): (s.tp, s.pred, s.gold)
        for doc, result in report.per_doc.items()
        for name, s in result.scores.items()
        if s.gold or s.pred
    }
    assert ours_per_doc == per_doc


def _perturbed(records: dict[str, dict]) -> list[dict]:
    """Gold turned into a flawed prediction that walks the scorer's corner cases."""
    out = []
    for k, (doc, r) in enumerate(sorted(records.items())):
        if k == 1:
            continue  # a document with no prediction
        p = copy.deepcopy(r)
        p["doc"] = f"somewhere/{doc}.txt"
        p["organizations"] = [
            o[1:] if len(o) > 3 else o for o in p["organizations"]
        ] + p["organizations"][:2]
        p["sectors"] = p["sectors"][::2] + ["安全生产"]
        for o in p["officials"]:
            o["name"] = o["name"][:1] + (o["title"] or "")  # surname + post
            o["title"] = (o["title"] or "").split("、")[-1] or None
        p["responsibilities"] = [
            {
                **x,
                "holder": x["holder"].lstrip("各"),
                "responsibility": x["responsibility"][-4:],
            }
            for x in p["responsibilities"]
        ] + p["responsibilities"][:1]
        p["chains"] = [
            {**c, "from": c["to"], "to": c["from"]} if i % 2 else c
            for i, c in enumerate(p["chains"])
        ]
        out.append(p)
    out.append({"doc": "not_in_the_gold", "organizations": ["市委"]})
    return out


def test_same_figures_as_score_py_on_the_seeds(
    devset, seed_predictions, gold, tmp_path
):
    _assert_same_figures(
        devset, GOLD, _write_jsonl(tmp_path / "seeds.jsonl", seed_predictions.values())
    )
    _assert_same_figures(
        devset, GOLD, _write_jsonl(tmp_path / "perturbed.jsonl", _perturbed(gold))
    )


def test_same_figures_as_score_py_on_the_devset(devset, devset_predictions, tmp_path):
    gold_dir = devset / "gold"
    _assert_same_figures(
        devset,
        gold_dir,
        _write_jsonl(tmp_path / "dev.jsonl", devset_predictions.values()),
    )
    _assert_same_figures(
        devset,
        gold_dir,
        _write_jsonl(tmp_path / "perturbed.jsonl", _perturbed(load_gold(gold_dir))),
    )


# ---------------------------------------------------------------- bad input


def test_malformed_jsonl_line_names_the_line(tmp_path):
    pred = tmp_path / "pred.jsonl"
    pred.write_text(
        '{"doc": "a", "officials": []}\n{"doc": "b", oops}\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"line 2: malformed JSON"):
        evaluate(GOLD, pred)


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ('{"officials": []}\n', 'missing "doc"'),
        ('{"doc": "a", "officials": {}}\n', '"officials" must be a list'),
        ('{"doc": "a", "sectors": [1]}\n', r'"sectors"\[0\] must be a string'),
        (
            '{"doc": "a", "officials": [{"name": ["x"]}]}\n',
            r"name must be a string or null",
        ),
        ('{"doc": "a"}\n{"doc": "a"}\n', "already given"),
        (
            '{"doc": "a"}\n{"doc": "x/a.txt"}\n',
            "already given",
        ),  # one stem, one document
        ("[1, 2]", "expected a JSON object"),
    ],
)
def test_bad_prediction_files(tmp_path, content, message):
    pred = tmp_path / "pred.jsonl"
    pred.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        evaluate(GOLD, pred)


def test_missing_paths_and_bad_gold(tmp_path):
    with pytest.raises(InputError, match="gold directory not found"):
        evaluate(tmp_path / "nope", tmp_path)
    with pytest.raises(InputError, match="prediction file or directory not found"):
        evaluate(GOLD, tmp_path / "nope.jsonl")
    with pytest.raises(InputError, match="no \\*.json gold files"):
        evaluate(tmp_path, GOLD)
    bad = tmp_path / "gold"
    bad.mkdir()
    (bad / "x.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"x.json: malformed JSON at line 1"):
        load_gold(bad)
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(InputError, match="not UTF-8"):
        evaluate(GOLD, binary)


def test_parse_minimums():
    assert parse_minimums("officials=0.9, chains=0.7") == {
        "officials": 0.9,
        "chains": 0.7,
    }
    for bad, message in (
        ("officals=0.9", "FIELD one of"),
        ("chains", "FIELD one of"),
        ("chains=high", "a number"),
        ("chains=2", "a number"),
    ):
        with pytest.raises(InputError, match=message):
            parse_minimums(bad)


# ---------------------------------------------------------------- CLI


def _invoke(*args: str):
    """Run `kgraph eval …`."""
    from kgraph.cli import app

    # wide: the bilingual headers would fold the field names at 80 columns
    return CliRunner().invoke(
        app, ["eval", *args], prog_name="kgraph", env={"COLUMNS": "200"}
    )


def test_cli_table_per_doc_and_json(gold, tmp_path):
    pred = _write_jsonl(tmp_path / "pred.jsonl", gold.values())
    result = _invoke(str(GOLD), str(pred), "--per-doc")
    assert result.exit_code == 0, result.output
    assert "responsibilities" in result.output and "1.000" in result.output
    assert DOC_002 in result.output

    result = _invoke(str(GOLD), str(pred), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["scores"]) == set(SCORES)
    assert data["scores"]["officials_titled"]["f1"] == 1.0
    assert data["documents"] == len(gold)
    assert set(data["per_doc"]) == set(gold)


def test_cli_min_exits_one_below_a_floor(gold, tmp_path):
    records = copy.deepcopy(gold)
    for r in records.values():
        r["chains"] = []
    pred = _write_jsonl(tmp_path / "pred.jsonl", records.values())
    result = _invoke(str(GOLD), str(pred), "--min", "officials=0.9,chains=0.5")
    assert result.exit_code == 1, result.output
    assert "chains: F1 0.000 < 0.5" in result.output
    assert "officials: F1" not in result.output
    assert _invoke(str(GOLD), str(pred), "--min", "officials=1.0").exit_code == 0
    bad = _invoke(str(GOLD), str(pred), "--min", "chain=0.5")
    assert bad.exit_code == 2 and "FIELD one of" in bad.output


def test_cli_lists_errors(gold, tmp_path):
    records = copy.deepcopy(gold)
    records[DOC_002]["officials"] = [
        o for o in records[DOC_002]["officials"] if o["name"] != "肖霖"
    ]
    records[DOC_002]["sectors"].append("煤矿")
    pred = _write_jsonl(tmp_path / "pred.jsonl", records.values())
    result = _invoke(str(GOLD), str(pred), "--errors")
    assert result.exit_code == 0, result.output
    assert "missed officials: 肖霖" in result.output
    assert "spurious sectors: 煤矿" in result.output


def test_cli_bad_input_is_one_line_error(tmp_path):
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"doc": "a"}\nnot json\n', encoding="utf-8")
    result = _invoke(str(GOLD), str(pred))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "line 2: malformed JSON" in lines[0]
    assert "Traceback" not in result.output

    result = _invoke(str(tmp_path / "missing"), str(pred))
    assert result.exit_code == 2
    assert "gold directory not found" in result.output
