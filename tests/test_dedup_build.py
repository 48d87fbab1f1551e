"""One document, one vote: reposts of a speech in other page chrome are folded
by ``build`` into the document they copy, first time or incrementally."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from kgraph.build import build_workspace
from kgraph.cli import app
from kgraph.query import who
from kgraph.store import Workspace

SEEDS = sorted(
    (Path(__file__).resolve().parent.parent / "data" / "speeches").glob("*.txt")
)
# the one seed that names 危险化学品
CHEMICALS = next(p for p in SEEDS if "危险化学品" in p.read_text(encoding="utf-8"))
OTHER = next(p for p in SEEDS if p != CHEMICALS)


def _repost(seed: Path, n: int) -> str:
    """The seed as another site shows it: its own header, dates, links and footer."""
    raw = seed.read_text(encoding="utf-8")
    return (
        f"首页 > 新闻中心 > 要闻动态 > 第{n}版\n发布时间:2024-{1 + n % 12:02d}-{1 + n % 28:02d} 来源:本网 浏览次数:{100 + n}\n"
        f"【字体:大 中 小】\n{raw}\n相关链接:上一篇 下一篇\n打印本文 关闭窗口\n分享到:微信 微博 QQ空间\n"
        f"主办单位:本站编辑部 备案号:{10000 + n}\n"
    )


def _docs_for(ws: Workspace, term: str) -> set[str]:
    return {d for row in who(ws, term) for d in row["docs"]}


def test_forty_reposts_count_as_one_document_and_another_speech_stays(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(CHEMICALS, corpus / "a_source.txt")
    for n in range(39):  # each in its own chrome, so no two have the same bytes
        (corpus / f"b_repost_{n:02d}.txt").write_text(
            _repost(CHEMICALS, n), encoding="utf-8"
        )
    shutil.copy(OTHER, corpus / "c_other.txt")
    out = tmp_path / "ws"
    result = CliRunner().invoke(
        app,
        ["build", str(corpus), "--workspace", str(out), "--jobs", "1", "--json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    said = json.loads(
        result.output
    )  # the summary line's "N duplicates folded" is len(copies)
    assert said["documents"] == 2 and len(said["copies"]) == 39
    assert {c["same_as"] for c in said["copies"]} == {
        str((corpus / "a_source.txt").resolve())
    }
    ws = Workspace(out)
    assert {d["id"] for d in ws.documents()} == {"a_source", "c_other"}
    assert "a_source" in _docs_for(ws, "危险化学品") <= {"a_source", "c_other"}
    # the same answer, counts included, as from the two speeches alone
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(corpus / "a_source.txt", alone)
    shutil.copy(corpus / "c_other.txt", alone)
    build_workspace([alone], tmp_path / "ws_alone", jobs=1)
    assert who(ws, "危险化学品") == who(Workspace(tmp_path / "ws_alone"), "危险化学品")
    copies = ws.copies()
    assert len(copies) == 39 and set(copies.values()) == {"a_source"}
    # evidence rows count the source once, never a repost
    with ws.connect() as conn:
        assert {r[0] for r in conn.execute("SELECT DISTINCT doc FROM evidence")} == {
            "a_source",
            "c_other",
        }


def test_report_names_what_was_folded_and_json_says_which_are_reposts(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(CHEMICALS, corpus / "a.txt")
    shutil.copy(CHEMICALS, corpus / "b_same_bytes.txt")
    (corpus / "c_repost.txt").write_text(_repost(CHEMICALS, 7), encoding="utf-8")
    report = build_workspace([corpus], tmp_path / "ws", jobs=1)
    a = str((corpus / "a.txt").resolve())
    assert report.copies == [
        (str((corpus / "b_same_bytes.txt").resolve()), a),
        (str((corpus / "c_repost.txt").resolve()), a),
    ]
    assert [c["exact"] for c in report.to_dict()["copies"]] == [True, False]
    assert report.documents == 1


def test_a_repost_added_later_is_folded_and_then_not_extracted_again(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(CHEMICALS, corpus / "a.txt")
    shutil.copy(OTHER, corpus / "other.txt")
    ws = Workspace(tmp_path / "ws")
    build_workspace([corpus], ws.path, jobs=1)
    before = _docs_for(ws, "危险化学品")
    (corpus / "z_repost.txt").write_text(_repost(CHEMICALS, 3), encoding="utf-8")
    second = build_workspace([corpus], ws.path, jobs=1)
    assert second.processed == [str((corpus / "z_repost.txt").resolve())]
    assert second.copies == [
        (str((corpus / "z_repost.txt").resolve()), str((corpus / "a.txt").resolve()))
    ]
    assert (
        second.documents == 2
        and _docs_for(ws, "危险化学品") == before
        and "z_repost" not in before
    )
    third = build_workspace(
        [corpus], ws.path, jobs=1
    )  # unchanged: the repost comes from the cache
    assert third.processed == [] and len(third.copies) == 1 and third.documents == 2


def test_deleting_the_source_makes_the_repost_the_document_without_extracting_it(
    tmp_path,
):
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(CHEMICALS, corpus / "a.txt")
    (corpus / "b_repost.txt").write_text(_repost(CHEMICALS, 5), encoding="utf-8")
    ws = Workspace(tmp_path / "ws")
    first = build_workspace([corpus], ws.path, jobs=1)
    assert first.documents == 1 and len(first.copies) == 1
    (corpus / "a.txt").unlink()
    second = build_workspace([corpus], ws.path, jobs=1)
    assert second.processed == [] and second.removed == [
        str((corpus / "a.txt").resolve())
    ]
    assert second.copies == [] and ws.copies() == {}
    assert [d["id"] for d in ws.documents()] == ["b_repost"]
    assert _docs_for(ws, "危险化学品") == {"b_repost"}
    with ws.connect() as conn:
        assert {r[0] for r in conn.execute("SELECT DISTINCT doc FROM evidence")} == {
            "b_repost"
        }


def test_a_rebuild_with_nothing_changed_still_reports_the_reposts(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(CHEMICALS, corpus / "a.txt")
    (corpus / "b_repost.txt").write_text(_repost(CHEMICALS, 1), encoding="utf-8")
    ws = Workspace(tmp_path / "ws")
    build_workspace([corpus], ws.path, jobs=1)
    graph = ws.db_path.read_bytes()
    again = build_workspace([corpus], ws.path, jobs=1)
    assert again.processed == [] and again.copies == [
        (str((corpus / "b_repost.txt").resolve()), str((corpus / "a.txt").resolve()))
    ]
    assert ws.db_path.read_bytes() == graph  # nothing was rewritten
    assert json.loads(json.dumps(again.to_dict()))["copies"][0]["exact"] is False
