"""Asking by place and time: who / what / gaps / places with --place, --since,
--until, --year, on real seed text placed in two jurisdictions by a manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph import query
from kgraph.build import build_workspace
from kgraph.cli import app
from kgraph.errors import KgraphError
from kgraph.store import Workspace

SEED = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "speeches"
    / "000_a0f4ba13c782f55b.txt"
)


@pytest.fixture(scope="module")
def two_places(tmp_path_factory) -> Workspace:
    corpus = tmp_path_factory.mktemp("corpus")
    text = SEED.read_text(encoding="utf-8")
    (corpus / "county.txt").write_text(text, encoding="utf-8")
    (corpus / "city.txt").write_text(text + "\n(转载)\n", encoding="utf-8")
    (corpus / "kgraph.csv").write_text(
        "path,place,date\ncounty.txt,元阳县,2023-10-16\ncity.txt,鹰潭市,2024-06\n",
        encoding="utf-8",
    )
    out = tmp_path_factory.mktemp("ws") / "ws"
    build_workspace([corpus], out, jobs=1)
    return Workspace(out)


def test_a_province_includes_its_counties_and_nothing_outside(two_places):
    rows = query.who(two_places, "危险化学品", place="云南省")
    assert rows and all(r["docs"] == ["county"] for r in rows)
    assert all(
        r["holder"].startswith("元阳县·") or "·" not in r["holder"] for r in rows
    )
    everywhere = query.who(two_places, "危险化学品")
    assert any(
        r["holder"].startswith("鹰潭市·") for r in everywhere
    )  # the other city answers without --place


def test_the_same_body_in_two_places_is_two_nodes(two_places):
    rows = query.what(two_places, "各级各部门")
    srcs = {r["src"] for r in rows if r["direction"] == "out"}
    assert {"元阳县·各级各部门", "鹰潭市·各级各部门"} <= srcs
    only_city = query.what(two_places, "各级各部门", place="鹰潭")
    assert only_city and all(r["docs"] == ["city"] for r in only_city)
    assert all(
        not r["src"].startswith("元阳县") and not r["dst"].startswith("元阳县")
        for r in only_city
    )


def test_dates_filter_by_the_documents_date(two_places):
    assert {
        d for r in query.who(two_places, "危险化学品", year="2024") for d in r["docs"]
    } == {"city"}
    assert {
        d
        for r in query.who(two_places, "危险化学品", since="2024-01")
        for d in r["docs"]
    } == {"city"}
    assert {
        d for r in query.who(two_places, "危险化学品", until="2023") for d in r["docs"]
    } == {"county"}
    assert query.who(two_places, "危险化学品", since="2025") == []
    with pytest.raises(KgraphError):
        query.who(two_places, "危险化学品", since="2024/01")


def test_places_lists_jurisdictions_with_counts_and_dates(two_places):
    rows = {r["place"]: r for r in query.places(two_places)}
    assert rows["云南省"]["documents"] == 1 and rows["元阳县"]["level"] == "县"
    assert rows["红河哈尼族彝族自治州"]["level"] == "市"
    assert (rows["鹰潭市"]["first"], rows["鹰潭市"]["last"]) == ("2024-06", "2024-06")
    out = CliRunner().invoke(
        app, ["places", "-w", str(two_places.path), "--json"], catch_exceptions=False
    )
    assert out.exit_code == 0 and {r["place"] for r in json.loads(out.stdout)} >= {
        "江西省",
        "鹰潭市",
        "云南省",
    }


def test_cli_who_and_gaps_take_place_and_year(two_places):
    run = CliRunner().invoke(
        app,
        [
            "who",
            "危险化学品",
            "-w",
            str(two_places.path),
            "--place",
            "元阳县",
            "--json",
        ],
        catch_exceptions=False,
    )
    assert run.exit_code == 0 and all(
        r["docs"] == ["county"] for r in json.loads(run.stdout)
    )
    gaps = CliRunner().invoke(
        app,
        ["gaps", "-w", str(two_places.path), "--year", "2024", "--json"],
        catch_exceptions=False,
    )
    assert gaps.exit_code == 0
    found = json.loads(gaps.stdout)
    assert all(r["docs"] == ["city"] for section in found.values() for r in section)
    bad = CliRunner().invoke(
        app,
        ["who", "危险化学品", "-w", str(two_places.path), "--until", "soon"],
        catch_exceptions=False,
    )
    assert bad.exit_code != 0 and "--until" in bad.output


def test_chain_by_place_and_year(two_places):
    from kgraph.viz.select import chain_subgraph

    G = two_places.load_graph()
    H = chain_subgraph(G, year="2024")
    assert H.number_of_edges() > 0
    assert all(d["docs"] == ["city"] for *_, d in H.edges(data=True))
    P = chain_subgraph(G, place="云南省")
    holders = {d["name"] for _, d in P.nodes(data=True) if "·" in d["name"]}
    assert holders and all(n.startswith("元阳县·") for n in holders)
