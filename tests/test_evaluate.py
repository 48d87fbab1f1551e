"""kgraph.evaluate and `kgraph eval`: scoring against the hand-annotated gold."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.errors import InputError
from kgraph.evaluate import (
    SCORES,
    evaluate,
    evaluate_records,
    lenient,
    load_gold,
    norm_body,
    norm_sector,
)

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "gold"
SPEECHES = REPO / "data" / "speeches"
DOC_002 = "002_39b8e9ea33e11d34"


def _write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _doc(doc: str = "d", **fields) -> dict:
    return {"doc": doc, **fields}


@pytest.fixture(scope="module")
def gold() -> dict[str, dict]:
    return load_gold(GOLD)


# ---------------------------------------------------------------- the gold itself


# ---------------------------------------------------------------- scoring


def test_perfect_prediction_scores_one(gold, tmp_path):
    pred = _write_jsonl(tmp_path / "pred.jsonl", gold.values())
    report = evaluate(GOLD, pred)
    assert set(report.scores) == set(SCORES)
    for name, score in report.scores.items():
        assert score.f1 == 1.0, name
    assert report.missing_predictions == [] and report.unscored_predictions == []


def test_dropping_one_official_lowers_recall_by_one_in_total(gold, tmp_path):
    records = copy.deepcopy(gold)
    total = sum(len(r["officials"]) for r in records.values())
    dropped = records[DOC_002]["officials"].pop()
    pred = _write_jsonl(tmp_path / "pred.jsonl", records.values())
    report = evaluate(GOLD, pred)
    s = report.scores["officials"]
    assert (s.tp, s.gold, s.pred) == (total - 1, total, total - 1)
    assert s.precision == 1.0
    assert s.recall == pytest.approx((total - 1) / total)
    assert s.f1 == pytest.approx(2 * (total - 1) / (2 * total - 1))
    assert report.per_doc[DOC_002].missed["officials"] == [dropped]
    assert report.scores["organizations"].f1 == 1.0


def test_missing_document_counts_as_empty_prediction(gold, tmp_path):
    records = [r for d, r in gold.items() if d != DOC_002]
    report = evaluate(GOLD, _write_jsonl(tmp_path / "pred.jsonl", records))
    assert report.missing_predictions == [DOC_002]
    assert report.scores["officials"].recall < 1.0
    assert report.scores["officials"].precision == 1.0


def test_lenient_holder_containment():
    g = _doc(responsibilities=[{"holder": "行业主管部门", "responsibility": "三管三必须", "sector": None}])
    hit = _doc(responsibilities=[{"holder": "各行业主管部门", "responsibility": "“三管三必须”", "sector": None}])
    also = _doc(responsibilities=[{"holder": "相关行业主管部门", "responsibility": "三管三必须", "sector": None}])
    miss = _doc(responsibilities=[{"holder": "企业", "responsibility": "三管三必须", "sector": None}])
    for pred, tp in ((hit, 1), (also, 1), (miss, 0)):
        report = evaluate_records({"d": g}, {"d": pred})
        assert report.scores["responsibilities"].tp == tp, pred


def test_lenient_responsibility_term_and_generic_words():
    g = _doc(responsibilities=[{"holder": "企业", "responsibility": "主体责任", "sector": None}])
    compound = _doc(responsibilities=[{"holder": "企业", "responsibility": "企业安全生产主体责任"}])
    generic = _doc(responsibilities=[{"holder": "企业", "responsibility": "责任"}])
    assert evaluate_records({"d": g}, {"d": compound}).scores["responsibilities"].tp == 1
    assert evaluate_records({"d": g}, {"d": generic}).scores["responsibilities"].tp == 0
    assert not lenient("区", "鹰潭高新区管委会")  # one character inside a phrase is no match
    assert lenient("区", "区级")


def test_responsibility_sector_is_scored_separately():
    g = _doc(responsibilities=[{"holder": "行业主管部门", "responsibility": "监管责任", "sector": "危险化学品"}])
    p = _doc(responsibilities=[{"holder": "行业主管部门", "responsibility": "监管责任", "sector": None}])
    report = evaluate_records({"d": g}, {"d": p})
    assert report.scores["responsibilities"].f1 == 1.0
    assert report.scores["responsibilities.sector"].f1 == 0.0
    p["responsibilities"][0]["sector"] = "危化"
    assert evaluate_records({"d": g}, {"d": p}).scores["responsibilities.sector"].f1 == 1.0


def test_traditional_and_simplified_match():
    g = _doc(
        officials=[{"name": "许南吉", "title": "市委书记", "org": "市委"}],
        organizations=["应急管理局"],
        sectors=["危险化学品"],
    )
    p = _doc(
        officials=[{"name": "許南吉", "title": "市委書記", "org": "市委"}],
        organizations=["市應急管理局"],
        sectors=["危險化學品"],
    )
    report = evaluate_records({"d": g}, {"d": p})
    for name in ("officials", "officials.title", "organizations", "sectors"):
        assert report.scores[name].f1 == 1.0, name


def test_official_title_by_containment_and_surname_officials():
    g = _doc(
        officials=[
            {"name": "张子建", "title": "市委副书记、市长", "org": "市委"},
            {"name": "焦市长", "title": "市长", "org": None},
            {"name": "周谷昌", "title": "党工委书记", "org": "鹰潭高新区党工委"},
        ]
    )
    p = _doc(
        officials=[
            {"name": "张子建", "title": "市长"},
            {"name": "焦", "title": "市长"},
            {"name": "周谷昌", "title": "管委会主任"},
        ]
    )
    report = evaluate_records({"d": g}, {"d": p})
    assert report.scores["officials"].tp == 3
    assert report.scores["officials.title"].tp == 2  # 周谷昌's title is wrong


def test_matching_is_one_to_one_and_duplicates_are_not_penalised():
    g = _doc(organizations=["市委", "市政府"])
    # "市" alone may not absorb both gold items, and saying 市委 twice is one prediction.
    p = _doc(organizations=["市委", "市委", "各级市政府"])
    s = evaluate_records({"d": g}, {"d": p}).scores["organizations"]
    assert (s.tp, s.gold, s.pred) == (2, 2, 2)
    p2 = _doc(organizations=["市委市政府"])  # contains both, but can only be matched once
    s2 = evaluate_records({"d": g}, {"d": p2}).scores["organizations"]
    assert (s2.tp, s2.gold, s2.pred) == (1, 2, 1)


def test_chains_kind_exact_and_dangzheng_tongze_symmetric():
    g = _doc(
        chains=[
            {"from": "一把手", "to": "分管领导", "kind": "一级抓一级"},
            {"from": "党委", "to": "政府", "kind": "党政同责"},
        ]
    )
    p = _doc(
        chains=[
            {"from": "“一把手”", "to": "分管领导", "kind": "层级"},  # wrong kind
            {"from": "各级政府", "to": "党委", "kind": "党政同责"},  # reversed: fine for 党政同责
        ]
    )
    report = evaluate_records({"d": g}, {"d": p})
    assert report.scores["chains"].tp == 1
    assert report.per_doc["d"].missed["chains"][0]["kind"] == "一级抓一级"


def test_normalisers():
    assert norm_body("全市各级 党委政府") == "党委政府"
    assert norm_body("党政") == "党委政府"
    assert norm_body("各乡镇（街道）") == "乡镇(街道)"  # NFKC brackets
    assert norm_sector("消防安全") == norm_sector("消防") == "消防"
    assert norm_sector("防汛防灾") == "防汛"
    assert norm_sector("危化") == "危险化学品"


def test_prediction_directory_and_json_list(gold, tmp_path):
    d = tmp_path / "pred"
    d.mkdir()
    for doc, record in gold.items():
        (d / f"{doc}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert evaluate(GOLD, d).scores["chains"].f1 == 1.0
    lst = tmp_path / "pred.json"
    lst.write_text(json.dumps(list(gold.values()), ensure_ascii=False, indent=1), encoding="utf-8")
    assert evaluate(GOLD, lst).scores["responsibilities"].f1 == 1.0


def test_doc_given_as_file_name_is_matched_by_stem(gold):
    pred = {f"{doc}.txt": r for doc, r in gold.items()}
    assert evaluate_records(gold, pred).scores["officials"].f1 == 1.0


# ---------------------------------------------------------------- bad input


def test_malformed_jsonl_line_names_the_line(tmp_path):
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"doc": "a", "officials": []}\n{"doc": "b", oops}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2: malformed JSON"):
        evaluate(GOLD, pred)


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ('{"officials": []}\n', 'missing "doc"'),
        ('{"doc": "a", "officials": {}}\n', '"officials" must be a list'),
        ('{"doc": "a", "sectors": [1]}\n', r'"sectors"\[0\] must be a string'),
        ('{"doc": "a", "officials": [{"name": ["x"]}]}\n', r"name must be a string or null"),
        ('{"doc": "a"}\n{"doc": "a"}\n', "already given"),
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


# ---------------------------------------------------------------- CLI


def _invoke(*args: str):
    """Run `kgraph eval …`."""
    from kgraph.cli import app

    return CliRunner().invoke(app, ["eval", *args], prog_name="kgraph")


def test_cli_table_and_json(gold, tmp_path):
    pred = _write_jsonl(tmp_path / "pred.jsonl", gold.values())
    result = _invoke(str(GOLD), str(pred), "--per-doc")
    assert result.exit_code == 0, result.output
    assert "responsibilities" in result.output and "1.000" in result.output
    assert DOC_002 in result.output

    result = _invoke(str(GOLD), str(pred), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scores"]["officials"]["f1"] == 1.0
    assert data["documents"] == len(gold)
    assert set(data["per_doc"]) == set(gold)


def test_cli_lists_errors(gold, tmp_path):
    records = copy.deepcopy(gold)
    records[DOC_002]["officials"] = [o for o in records[DOC_002]["officials"] if o["name"] != "肖霖"]
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
