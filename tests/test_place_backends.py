"""Place and time answers agree between the embedded store and Neo4j
(the live Bolt test server), Place hierarchy included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgraph import query, schema
from kgraph.build import build_workspace
from kgraph.neo4j import connect
from kgraph.store import Workspace

pytestmark = pytest.mark.neo4j

SEEDS = Path(__file__).resolve().parent.parent / "data" / "speeches"


@pytest.fixture(scope="module")
def placed(neo4j_server, tmp_path_factory):
    from conftest import wipe_database

    corpus = tmp_path_factory.mktemp("placed")
    # two seeds placed by the manifest, the other three by their own text; no
    # document twice (a copy would be folded into its source)
    county, city, *rest = sorted(SEEDS.glob("*.txt"))
    (corpus / "county.txt").write_bytes(county.read_bytes())
    (corpus / "city.txt").write_bytes(city.read_bytes())
    for f in rest:
        (corpus / f.name).write_bytes(f.read_bytes())
    (corpus / "kgraph.csv").write_text(
        "path,place,date\ncounty.txt,元阳县,2023-10-16\ncity.txt,南昌市,2024-06\n",
        encoding="utf-8",
    )
    ws = Workspace(tmp_path_factory.mktemp("placed-ws") / "ws")
    build_workspace([corpus], ws.path, jobs=1)
    wipe_database(neo4j_server)
    store = connect(
        neo4j_server.uri,
        neo4j_server.user,
        neo4j_server.password,
        neo4j_server.database,
    )
    store.push(ws.load_graph())
    yield ws, store
    store.close()


def _canon(rows):
    return json.dumps(rows, ensure_ascii=False, sort_keys=True)


FILTERS = [
    {"place": "云南省"},
    {"place": "南昌"},
    {"place": "江西省"},
    {"year": "2024"},
    {"since": "2024-01"},
    {"until": "2023-12"},
    {"place": "江西省", "since": "2024"},
]


@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items())
)
def test_who_and_what_agree_under_place_and_date_filters(placed, filters):
    ws, store = placed
    answered = 0
    for term in ("危险化学品", "消防", "三管三必须"):
        embedded = query.who(ws, term, **filters)
        assert _canon(embedded) == _canon(query.who(store, term, **filters)), (
            term,
            filters,
        )
        answered += bool(embedded)
    for holder in ("各级各部门", "行业主管部门", "市政府"):
        try:
            embedded = query.what(ws, holder, **filters)
        except query.NotFound:
            continue
        assert _canon(embedded) == _canon(query.what(store, holder, **filters)), (
            holder,
            filters,
        )
        answered += bool(embedded)
    assert answered


def test_places_and_hierarchy_agree(placed):
    ws, store = placed
    assert _canon(query.places(ws)) == _canon(query.places(store))
    cypher = (
        f"MATCH (a:{schema.PLACE})-[:{schema.WITHIN}]->(b:{schema.PLACE}) "
        "RETURN a.name AS child, b.name AS parent ORDER BY child"
    )
    on_neo4j = [(r["child"], r["parent"]) for r in store.run_read(cypher)]
    g = ws.load_graph()
    embedded = sorted(
        (g.nodes[u]["name"], g.nodes[v]["name"])
        for u, v, d in g.edges(data=True)
        if d["type"] == schema.WITHIN
    )
    assert on_neo4j == embedded
    assert (
        "云南省/红河哈尼族彝族自治州/元阳县",
        "云南省/红河哈尼族彝族自治州",
    ) in on_neo4j


def test_named_who_and_what_filter_on_the_server(placed):
    _, store = placed
    rows = store.run_named(
        "who",
        {
            "name": "危险化学品",
            "place": "云南省",
            "since": None,
            "until": None,
            "evidence": 3,
        },
    )
    assert rows and all(
        r["docs"] == ["county"] and all(e["doc"] == "county" for e in r["evidence"])
        for r in rows
    )
    rows = store.run_named(
        "who",
        {
            "name": "危险化学品",
            "place": None,
            "since": "2024",
            "until": "2024-12",
            "evidence": 3,
        },
    )
    assert rows and all(r["docs"] == ["city"] for r in rows)
    assert (
        store.run_named(
            "who",
            {
                "name": "危险化学品",
                "place": "西藏自治区",
                "since": None,
                "until": None,
                "evidence": 3,
            },
        )
        == []
    )
    unfiltered = store.run_named(
        "who",
        {
            "name": "危险化学品",
            "place": None,
            "since": None,
            "until": None,
            "evidence": 3,
        },
    )
    assert {d for r in unfiltered for d in r["docs"]} >= {"county", "city"}
    rows = store.run_named(
        "what",
        {
            "name": "元阳县·各级各部门",
            "place": "南昌",
            "since": None,
            "until": None,
            "evidence": 3,
        },
    )
    assert rows == []
