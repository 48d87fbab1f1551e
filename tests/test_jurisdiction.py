"""A document's place and date, and the manifest that overrides them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.errors import InputError
from kgraph.jurisdiction import document_date, document_place, gazetteer, manifest
from kgraph.pipeline import process_file

REPO = Path(__file__).resolve().parent.parent
# ../shared/devset beside the repository (a worktree sits one level deeper)
DEVSET = next(
    (
        p
        for p in (
            REPO.parent / "shared" / "devset",
            REPO.parent.parent / "shared" / "devset",
        )
        if p.is_dir()
    ),
    REPO.parent / "shared" / "devset",
)
SEEDS = REPO / "data" / "speeches"
CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def test_gazetteer_gives_parents_up_to_the_province():
    g = gazetteer.load()
    (county,) = [d for d in g.lookup("元阳县")]
    assert county.level == "县" and county.parents == ("红河哈尼族彝族自治州", "云南省")
    assert [d.name for d in g.lookup("鹰潭")] == [
        "鹰潭市"
    ]  # a short name resolves to the full one
    assert g.lookup("上海市")[0].level == "市" and g.lookup("云南省")[0].level == "省"


def test_title_names_the_place_and_the_meeting_date_comes_with_the_page_year():
    text = "鹰潭市召开安全生产工作会议\n发布日期:2024-06-27\n6月26日上午,全市安全生产工作会议召开。市委书记出席会议。"
    place, date = document_place(text), document_date(text)
    assert (place.name, place.level, place.parents, place.rule) == (
        "鹰潭市",
        "市",
        ("江西省",),
        "place.title",
    )
    assert text[place.start : place.end] == "鹰潭市"
    assert (date.value, date.precision, date.rule) == (
        "2024-06-26",
        "day",
        "date.event",
    )
    assert text[date.start : date.end].startswith("6月26日")


def test_a_county_that_never_names_itself_keeps_only_its_level():
    text = "我县部署汛期安全防范工作\n日期: 2016-07-05\n7月4日下午,我县召开汛期安全防范工作部署会。县长讲话,县委常委主持。"
    place = document_place(text)
    assert place.name is None and place.level == "县"
    assert document_date(text).value == "2016-07-04"


def test_ordinary_words_holding_a_short_place_name_are_not_places():
    # 构建安全 holds 建安, 制定安全 定安, 公安局 公安: none is a place here
    text = "市公安局负责构建安全风险管控体系,制定安全生产规划。市政府领导全市工作。"
    assert document_place(text).name is None


def test_a_national_regulation_and_a_meeting_in_a_provincial_city():
    law = "建设工程安全生产管理条例\n第一条 县级以上人民政府应当加强领导。"
    assert (document_place(law).name, document_place(law).level) == (
        "中华人民共和国",
        "国家",
    )
    held = "全省道路交通安全工作会议在南昌召开,省委、省政府有关负责同志出席。全省各地要落实责任。"
    assert (document_place(held).name, document_place(held).level) == ("江西省", "省")


def test_a_document_number_gives_the_year_only():
    text = (
        "某县人民政府关于加强消防安全工作的通知\n(某政发〔2011〕17号)\n各乡镇人民政府:"
    )
    date = document_date(text)
    assert (date.value, date.precision, date.rule) == ("2011", "year", "date.docno")


def _write(tmp_path: Path, manifest_text: str) -> Path:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    (tmp_path / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "kgraph.csv").write_text(manifest_text, encoding="utf-8")
    return tmp_path / seed.name


def test_a_manifest_row_overrides_the_text(tmp_path):
    f = _write(
        tmp_path,
        "path,place,date,title\n{name},元阳县,2023-11,某会议\n".format(
            name=sorted(SEEDS.glob("*.txt"))[0].name
        ),
    )
    doc = process_file(f).document
    assert doc.place["name"] == "元阳县" and doc.place["parents"] == [
        "红河哈尼族彝族自治州",
        "云南省",
    ]
    assert (
        doc.place["rule"] == "manifest"
        and doc.date["value"] == "2023-11"
        and doc.title == "某会议"
    )


@pytest.mark.parametrize(
    "row, message",
    [
        ("path,place,dates\n{f},元阳县,2023\n", "kgraph.csv:1: unknown column 'dates'"),
        (
            "path,place,date\n{f},元阳县,2023-13-01\n",
            "kgraph.csv:2: bad date '2023-13-01'",
        ),
        (
            "path,place,date\nnowhere.txt,元阳县,2023\n",
            "kgraph.csv:2: nowhere.txt not found",
        ),
    ],
)
def test_a_malformed_manifest_stops_the_build_with_file_and_line(
    tmp_path, row, message
):
    (tmp_path / "corpus").mkdir()
    f = _write(tmp_path / "corpus", row.format(f=sorted(SEEDS.glob("*.txt"))[0].name))
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        manifest.check([str(f)])
    out = tmp_path / "ws"
    run = CliRunner().invoke(
        app, ["build", str(f.parent), "-o", str(out)], catch_exceptions=False
    )
    assert (
        run.exit_code == 2
        and message in run.output
        and len(run.output.strip().splitlines()) == 1
    )
    assert not (out / "graph.sqlite").exists()


def test_devset_place_level_and_date_accuracy(tmp_path):
    if not (DEVSET / "meta.json").is_file():
        if CI:
            pytest.fail(f"{DEVSET} is missing on CI")
        pytest.skip(f"no development set at {DEVSET}")
    files = sorted(str(p) for p in (DEVSET / "corpus").glob("*.txt"))
    pred = tmp_path / "pred.jsonl"
    run = CliRunner().invoke(
        app, ["extract", *files, "--format", "jsonl"], catch_exceptions=False
    )
    assert run.exit_code == 0, run.output
    pred.write_text(run.stdout, encoding="utf-8")
    lines = [json.loads(x) for x in run.stdout.splitlines() if x.strip()]
    assert all("place" in d and "date" in d for d in lines)
    score = subprocess.run(
        [
            sys.executable,
            str(DEVSET / "score_meta.py"),
            str(DEVSET / "meta.json"),
            str(pred),
            "--min",
            "place=0.85,level=0.9,date=0.85",
        ],
        capture_output=True,
        text=True,
    )
    assert score.returncode == 0, score.stdout + score.stderr


def test_a_yaml_manifest_and_its_line_numbers(tmp_path):
    seed = sorted(SEEDS.glob("*.txt"))[0]
    (tmp_path / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "manifest.yaml").write_text(
        f"- path: {seed.name}\n  place: 楚雄州\n  date: 2019-05\n", encoding="utf-8"
    )
    doc = process_file(tmp_path / seed.name).document
    assert (
        doc.place["name"] == "楚雄彝族自治州"
        and doc.place["level"] == "市"
        and doc.date["precision"] == "month"
    )
    (tmp_path / "manifest.yaml").write_text(
        f"- path: {seed.name}\n  place: 楚雄州\n  when: 2019-05\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"manifest.yaml:3: unknown column 'when'"):
        manifest.check([str(tmp_path / seed.name)])


@pytest.mark.parametrize(
    "text, value, rule",
    [
        (
            "某县人民政府关于加强消防安全工作的通知\n各乡镇:\n现将有关事项通知如下。\n某县人民政府\n二〇一九年八月十四日",
            "2019-08-14",
            "date.signed",
        ),
        (
            "某省安全生产条例\n(2012年3月30日某省第十一届人民代表大会常务委员会第二十九次会议通过)\n第一条 为了加强安全生产工作",
            "2012-03-30",
            "date.adopted",
        ),
        (
            "关于开展安全生产大检查的通知\n各单位:\n请认真组织实施。\n2020年10月1日",
            "2020-10-01",
            "date.signed",
        ),
    ],
)
def test_issue_and_adoption_dates(text, value, rule):
    date = document_date(text)
    assert (date.value, date.rule) == (value, rule)
    assert text[date.start : date.end].endswith(("日", "通过"))


def test_another_places_accident_does_not_make_the_document_its_own():
    text = (
        "市委常委会召开会议\n会议强调,要深刻吸取江苏省昆山市“8·2”特别重大爆炸事故教训,"
        "全市各级各部门要落实责任。市委书记主持会议。市长出席。"
    )
    place = document_place(text)
    assert place.name is None and place.level == "市"
