"""Bodies and officials belong to their document's jurisdiction (issue 10).

Builds the seed speeches and the development set (read in place from
../shared/devset; skipped with a reason when absent, a failure on CI) into
one workspace."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from kgraph import schema
from kgraph.build import build_workspace
from kgraph.jurisdiction.markers import is_national
from kgraph.store import Workspace

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "speeches"
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
CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Workspace:
    if not (DEVSET / "corpus").is_dir():
        if CI:
            pytest.fail(f"{DEVSET} is missing on CI")
        pytest.skip(f"no development set at {DEVSET}")
    corpus = tmp_path_factory.mktemp("corpus")
    for f in [*SEEDS.glob("*.txt"), *(DEVSET / "corpus").glob("*.txt")]:
        shutil.copy(f, corpus / f.name)
    out = tmp_path_factory.mktemp("ws") / "kgraph-out"
    build_workspace([corpus], out, jobs=1)
    return Workspace(out)


def _rows(ws: Workspace, sql: str, *params):
    with sqlite3.connect(ws.db_path) as conn:
        return conn.execute(sql, params).fetchall()


def test_no_body_or_official_spans_two_places(mixed):
    place = {}
    for name, props in _rows(
        mixed, "SELECT name, props FROM nodes WHERE label = ?", schema.DOCUMENT
    ):
        p = json.loads(props)
        place[name] = p.get("place") if p.get("place_level") != "国家" else ""
    assert (
        sum(1 for v in place.values() if v) >= 20
    )  # most documents have a known place
    shared = []
    for label, name, props in _rows(
        mixed,
        "SELECT label, name, props FROM nodes WHERE label IN (?, ?)",
        schema.ORGANIZATION,
        schema.OFFICIAL,
    ):
        places = {place[d] for d in json.loads(props)["docs"] if place.get(d)}
        if len(places) > 1 and not is_national(name):
            shared.append((label, name, sorted(places)))
    assert not shared


def test_places_form_a_hierarchy_up_to_the_province(mixed):
    within = dict(
        _rows(
            mixed,
            "SELECT s.name, d.name FROM edges e JOIN nodes s ON s.id = e.src JOIN nodes d ON d.id = e.dst WHERE e.type = ?",
            schema.WITHIN,
        )
    )
    counties = [
        n
        for (n,) in _rows(
            mixed,
            "SELECT name FROM nodes WHERE label = ? AND json_extract(props, '$.level') = '县'",
            schema.PLACE,
        )
    ]
    assert counties
    for c in counties:
        top = c
        while top in within:
            top = within[top]
        assert "/" not in top and top.endswith(("省", "自治区", "市"))


def test_the_same_generic_body_is_one_node_per_place(mixed):
    bodies = [
        n
        for (n,) in _rows(
            mixed,
            "SELECT name FROM nodes WHERE label = ? AND json_extract(props, '$.body') = '企业'",
            schema.ORGANIZATION,
        )
    ]
    assert len(bodies) >= 2 and all(schema.unscoped_name(b) == "企业" for b in bodies)
    tied = _rows(
        mixed,
        "SELECT count(*) FROM edges e JOIN nodes s ON s.id = e.src WHERE e.type = ? AND s.label = ?",
        schema.IN_PLACE,
        schema.ORGANIZATION,
    )
    assert tied[0][0] >= len(bodies)


def _doc_props(ws: Workspace) -> dict[str, dict]:
    return {
        name: json.loads(props)
        for name, props in _rows(
            ws, "SELECT name, props FROM nodes WHERE label = ?", schema.DOCUMENT
        )
    }


def test_questions_by_place_answer_from_that_place_only(mixed):
    from kgraph import query

    docs = _doc_props(mixed)
    city = next(
        p["place"] for p in docs.values() if p.get("place", "").startswith("鹰潭")
    )  # a seed's city
    of_city = {d for d, p in docs.items() if p.get("place") == city}
    for holder in ("市政府", "行业主管部门"):
        rows = query.what(mixed, holder, place="鹰潭")
        assert all(set(r["docs"]) <= of_city for r in rows), holder
    assert query.what(
        mixed, "行业主管部门", place="鹰潭"
    )  # not only agreeing on emptiness
    in_yunnan = {
        d
        for d, p in docs.items()
        if schema.place_within(p.get("place_key", ""), "云南省")
    }
    assert in_yunnan
    for term in ("危险化学品", "三管三必须", "安全生产"):
        try:
            rows = query.who(mixed, term, place="云南省")
        except query.NotFound:
            continue
        assert all(set(r["docs"]) <= in_yunnan for r in rows)
        assert all(
            schema.unscoped_name(r["holder"]) == r["holder"]
            or r["holder"].split("·")[0] in {docs[d]["place"] for d in in_yunnan}
            for r in rows
        )


def test_year_and_since_filter_by_document_date(mixed):
    from kgraph import query

    docs = _doc_props(mixed)
    rows = query.who(mixed, "主体责任", since="2024")
    assert rows and all(
        (docs[d].get("date") or "") >= "2024" for r in rows for d in r["docs"]
    )
    for r in query.who(mixed, "主体责任", year="2024"):
        assert all(docs[d]["date"].startswith("2024") for d in r["docs"])
