"""kgraph.neo4j against the live Bolt test server.

Uses a small hand-made graph in the exact networkx shape ``kgraph.graph``
produces (node ``"Label:name"``, edge key ``"TYPE|attr|…"``, evidence dicts), so
every named query has a known answer.  ``sample_graph`` is imported by the CLI
tests too.
"""

from __future__ import annotations

import os
import re

import networkx as nx
import pytest

from kgraph import neo4j as kneo4j
from kgraph import schema
from kgraph.errors import InputError, StoreError
from kgraph.neo4j import rows as push_rows
from kgraph.neo4j import write_clause
from kgraph.neo4j.evidence import evidence_arrays
from kgraph.readwrite.neo4j_graph import read_neo4j

NASTY = "引号'\"\\ '}) DETACH DELETE n //"


# --- a graph with known answers ------------------------------------------------


def _ev(
    doc: str, sentence: int, text: str, rule: str = "test.rule", start: int = 0
) -> dict:
    return {
        "doc": doc,
        "sentence": sentence,
        "start": start,
        "end": start + len(text),
        "rule": rule,
        "text": text,
    }


def add_node(G: nx.MultiDiGraph, label: str, name: str, **attrs) -> str:
    nid = schema.node_id(label, name)
    attrs.setdefault("mentions", 1)
    attrs.setdefault("docs", ["doc1"])
    G.add_node(nid, label=label, name=name, **attrs)
    return nid


def add_edge(
    G: nx.MultiDiGraph, rel: str, src: str, dst: str, evidence=None, **key_attrs
) -> str:
    names = schema.EDGE_KEY_ATTRS.get(rel, ())
    values = {n: key_attrs.get(n, "") for n in names}
    key = "|".join([rel, *values.values()])
    evidence = (
        evidence if evidence is not None else [_ev("doc1", 1, f"{src} {rel} {dst}")]
    )
    G.add_edge(
        src,
        dst,
        key=key,
        type=rel,
        **values,
        count=len(evidence),
        docs=sorted({e["doc"] for e in evidence}),
        rules=sorted({e["rule"] for e in evidence}),
        evidence=evidence,
    )
    return key


def sample_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    O, R, ORG = schema.OFFICIAL, schema.ROLE, schema.ORGANIZATION
    doc1 = add_node(
        G,
        schema.DOCUMENT,
        "doc1",
        title="全市安全生产工作会议讲话",
        path="data/doc1.txt",
        sha256="ab" * 32,
        encoding="utf-8",
        docs=["doc1"],
    )
    doc2 = add_node(
        G,
        schema.DOCUMENT,
        "doc2",
        title="第二篇",
        path="data/doc2.txt",
        sha256="cd" * 32,
        encoding="gb18030",
        docs=["doc2"],
    )
    meeting = add_node(G, schema.MEETING, "全市安全生产工作会议", doc="doc1")
    xu = add_node(
        G, O, "许南吉", title="市委书记", org="市委", mentions=3, docs=["doc1", "doc2"]
    )
    jiao = add_node(G, O, "焦市长", title="市长")
    secretary = add_node(G, R, "市委书记")
    mayor = add_node(G, R, "市长")
    party = add_node(G, ORG, "市委", category="党委")
    gov = add_node(G, ORG, "市政府", category="政府")
    county = add_node(G, ORG, "县委", category="党委")
    ema = add_node(G, ORG, "应急管理局", category="部门", mentions=4)
    housing = add_node(G, ORG, "住建局", category="部门")
    towns = add_node(G, ORG, "各乡镇(街道)", category="属地")
    firms = add_node(G, ORG, "企业", category="企业")
    first = add_node(G, schema.RESPONSIBILITY, "第一责任人", category="党政领导责任")
    lead = add_node(G, schema.RESPONSIBILITY, "党政领导责任", category="党政领导责任")
    dept = add_node(G, schema.RESPONSIBILITY, "部门监管责任", category="部门监管责任")
    corp = add_node(G, schema.RESPONSIBILITY, "企业主体责任", category="企业主体责任")
    add_node(
        G, schema.RESPONSIBILITY, "属地管理责任", category="属地管理责任", mentions=2
    )  # nobody BEARS it
    chem = add_node(
        G, schema.SECTOR, "危险化学品", mentions=5, docs=["doc1", "doc2"], focus=2
    )
    gas = add_node(G, schema.SECTOR, "燃气", mentions=2, focus=1)
    add_node(G, schema.SECTOR, "道路交通", mentions=3, focus=3)  # nobody covers it
    fire = add_node(
        G, schema.SECTOR, "消防", mentions=1, focus=1
    )  # only 属地 covers it
    add_node(
        G, schema.SECTOR, "自然灾害", mentions=1, focus=0
    )  # uncovered but never a focus
    check = add_node(G, schema.TASK, "隐患排查", mentions=2)
    add_node(G, schema.TASK, "专项整治")  # nobody performs it

    add_edge(G, schema.HOLDS_TITLE, xu, secretary)
    add_edge(G, schema.HOLDS_TITLE, jiao, mayor)
    add_edge(G, schema.IN_ORG, xu, party)
    add_edge(G, schema.BEARS, secretary, first)
    add_edge(G, schema.BEARS, mayor, lead)
    add_edge(
        G, schema.BEARS, ema, dept, sector="危险化学品",
        evidence=[
            _ev("doc1", 3, "应急管理局要履行'部门监管责任'", start=40),
            _ev("doc2", 7, 'quote " and back\\slash', rule="bears.v2", start=5),
        ],
    )  # fmt: skip
    add_edge(G, schema.BEARS, housing, dept, sector="燃气")
    add_edge(G, schema.BEARS, firms, corp, sector="危险化学品")
    add_edge(G, schema.COVERS_SECTOR, ema, chem, responsibility="部门监管责任")
    add_edge(G, schema.COVERS_SECTOR, housing, gas)
    add_edge(G, schema.COVERS_SECTOR, towns, fire, responsibility="属地管理责任")
    add_edge(G, schema.PERFORMS, towns, check, sector="危险化学品")
    add_edge(
        G, schema.ASSIGNED, xu, ema, responsibility="部门监管责任", sector="危险化学品"
    )
    add_edge(G, schema.SPOKE_AT, xu, meeting)
    add_edge(G, schema.CHAIRED, jiao, meeting)
    add_edge(G, schema.RECORDED_IN, meeting, doc1)
    add_edge(G, schema.CHAIN, party, gov, kind="党政同责")
    add_edge(G, schema.CHAIN, gov, party, kind="党政同责")
    add_edge(G, schema.CHAIN, gov, ema, kind="综合监管")
    add_edge(G, schema.CHAIN, ema, housing, kind="综合监管")
    add_edge(G, schema.CHAIN, gov, towns, kind="层级")
    add_edge(G, schema.CHAIN, towns, firms, kind="属地")
    add_edge(G, schema.CHAIN, county, towns, kind="层级")
    for nid in (chem, gas, ema, xu):
        add_edge(G, schema.MENTIONED_IN, nid, doc1)
    add_edge(G, schema.MENTIONED_IN, chem, doc2)
    return G


def graph_counts(G) -> tuple[dict, dict]:
    nodes = {label: 0 for label in schema.NODE_LABELS}
    for _, attrs in G.nodes(data=True):
        nodes[attrs["label"]] += 1
    rels = {t: 0 for t in schema.RELATIONSHIPS}
    for _, _, attrs in G.edges(data=True):
        rels[attrs["type"]] += 1
    return nodes, rels


@pytest.fixture
def store(neo4j_clean):
    s = kneo4j.connect(
        neo4j_clean.uri, neo4j_clean.user, neo4j_clean.password, neo4j_clean.database
    )
    yield s
    s.close()


@pytest.fixture
def pushed(store):
    G = sample_graph()
    store.push(G, batch_size=7)  # small batches: exercise the batching
    return store, G


# --- pushing -----------------------------------------------------------------------


@pytest.mark.neo4j
def test_fresh_push_creates_the_same_graph_as_merge(store):
    """CREATE with ends found by element id (a first push) and MERGE through the
    id index (a re-push) store the same graph and answer every query alike."""
    G = sample_graph()
    first = store.push(G, batch_size=7, fresh=True)
    assert first["created"] is True
    created = store.counts()
    answers = {name: store.run_named(name, p) for name, p in ALL_PARAMS.items()}
    graph_back = read_neo4j(store)
    store.wipe()
    assert store.push(G, batch_size=7)["created"] is False
    assert store.counts() == created
    assert {name: store.run_named(name, p) for name, p in ALL_PARAMS.items()} == answers
    assert sorted(read_neo4j(store).edges(keys=True)) == sorted(
        graph_back.edges(keys=True)
    )
    assert created["total_relationships"] == G.number_of_edges()


@pytest.mark.neo4j
def test_fresh_push_that_meets_the_graph_merges_instead(pushed):
    """A push told the database is empty while it is not (another push got
    in first) meets a node already there, and MERGEs: nothing doubled."""
    store, G = pushed
    before = store.counts()
    again = store.push(G, batch_size=7, fresh=True)
    assert again["created"] is False
    assert store.counts() == before


@pytest.mark.neo4j
def test_push_graph_creates_first_and_merges_after(neo4j_clean, tmp_path):
    s = neo4j_clean
    args = (sample_graph(), s.uri, s.user, s.password, s.database)
    first = kneo4j.push_graph(*args, workspace=tmp_path)
    again = kneo4j.push_graph(*args, workspace=tmp_path)
    assert first["created"] is True and again["created"] is False
    assert again["unchanged"] is True and again["counts"] == first["counts"]
    assert first["counts"]["total_relationships"] == sample_graph().number_of_edges()


@pytest.mark.neo4j
def test_push_loads_every_node_and_relationship(store):
    G = sample_graph()
    seen = []
    result = store.push(
        G,
        batch_size=5,
        progress=lambda phase, done, total: seen.append((phase, done, total)),
    )
    nodes, rels = graph_counts(G)
    counts = store.counts()
    assert counts["nodes"] == nodes
    assert counts["relationships"] == rels
    assert result["nodes"] == G.number_of_nodes() == counts["total_nodes"]
    assert (
        result["relationships"] == G.number_of_edges() == counts["total_relationships"]
    )
    assert seen[-1] == ("relationships", G.number_of_edges(), G.number_of_edges())
    assert ("nodes", G.number_of_nodes(), G.number_of_nodes()) in seen


@pytest.mark.neo4j
def test_repush_is_idempotent(pushed):
    store, G = pushed
    before = store.counts()
    store.push(G)
    store.push(G, batch_size=1)
    assert store.counts() == before


@pytest.mark.neo4j
def test_concurrent_pushes_into_an_empty_database_both_land_once(
    neo4j_clean, seed_graph
):
    """Two pushes of the same graph at once race to MERGE the same nodes; both
    finish, and nothing is doubled."""
    import threading

    errors: list[BaseException] = []

    def push() -> None:
        try:
            with kneo4j.connect(
                neo4j_clean.uri,
                neo4j_clean.user,
                neo4j_clean.password,
                neo4j_clean.database,
            ) as s:
                s.push(seed_graph, batch_size=50)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    with kneo4j.connect(
        neo4j_clean.uri, neo4j_clean.user, neo4j_clean.password, neo4j_clean.database
    ) as s:
        counts = s.counts()
    nodes, rels = graph_counts(seed_graph)
    assert counts["nodes"] == nodes and counts["relationships"] == rels


def _operators(plan) -> set[str]:
    ops = {plan["operatorType"].partition("@")[0]}
    for child in plan.get("children", []):
        ops |= _operators(child)
    return ops


@pytest.mark.neo4j
def test_sector_questions_seek_the_relationship_property_indexes(pushed):
    """who / owners_of_sector / the chain with a sector find BEARS and PERFORMS by
    their sector through the indexes push creates, not by reading every edge;
    push writes no helper relationship for it."""
    import neo4j

    store, G = pushed
    if not os.environ.get("KGRAPH_TEST_SERVER_KIND", "neo4j").startswith("neo4j"):
        pytest.skip("the plan is Neo4j's")
    assert store.counts()["total_relationships"] == G.number_of_edges()
    assert (
        store.run_read("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
        == G.number_of_edges()
    )
    for name, params in (("who", {"name": "危险化学品"}), ("owners_of_sector", {"sector": "危险化学品"}),
                         ("party_government_chain", {"sector": "危险化学品"})):  # fmt: skip
        query = kneo4j.load_query(name)
        with store.driver.session(
            database=store.database, default_access_mode=neo4j.READ_ACCESS
        ) as session:
            summary = session.run("EXPLAIN " + query.text, query.bind(params)).consume()
        assert "DirectedRelationshipIndexSeek" in _operators(summary.plan), name


@pytest.mark.neo4j
def test_sector_without_a_node_is_still_found(store):
    # kgraph build never names a sector it has no node for; a hand-made graph may
    from kgraph.named import run_named_embedded

    G = sample_graph()
    add_edge(
        G,
        schema.BEARS,
        "Organization:住建局",
        "Responsibility:部门监管责任",
        sector="城镇燃气",
    )
    store.push(G)
    rows = store.run_named("owners_of_sector", {"sector": "城镇燃气"})
    assert _pick(rows, "holder", "relation", "target") == [
        ("住建局", "BEARS", "部门监管责任")
    ]
    assert rows == run_named_embedded(G, "owners_of_sector", {"sector": "城镇燃气"})
    assert (
        store.run_named("who", {"name": "城镇燃气", "evidence": None})[0]["holder"]
        == "住建局"
    )


@pytest.mark.neo4j
def test_grown_graph_updates_in_place(pushed):
    store, G = pushed
    before = store.counts()
    G2 = sample_graph()
    # one more document's worth: a new sector, a new edge, more evidence on an old edge
    add_node(G2, schema.SECTOR, "建筑施工", docs=["doc3"])
    add_edge(G2, schema.COVERS_SECTOR, "Organization:住建局", "Sector:建筑施工")
    key = "|".join([schema.BEARS, "燃气"])
    edge = G2.edges["Organization:住建局", "Responsibility:部门监管责任", key]
    edge["evidence"] = edge["evidence"] + [_ev("doc3", 2, "住建局负责燃气")]
    edge["count"], edge["docs"] = 2, ["doc1", "doc3"]
    G2.nodes["Organization:住建局"]["mentions"] = 9
    store.push(G2)
    after = store.counts()
    assert after["total_nodes"] == before["total_nodes"] + 1
    assert after["total_relationships"] == before["total_relationships"] + 1
    rows = store.run_read(
        "MATCH (a:Organization {name: $a})-[r:BEARS]->(b:Responsibility) "
        "RETURN a.mentions AS m, r.count AS c, r.docs AS docs, r.ev_doc AS ev",
        {"a": "住建局"},
    )
    assert rows == [{"m": 9, "c": 2, "docs": ["doc1", "doc3"], "ev": ["doc1", "doc3"]}]


@pytest.mark.neo4j
def test_properties_are_stored_as_homogeneous_arrays(pushed):
    store, _ = pushed
    rows = store.run_read(
        "MATCH (a:Organization {name: '应急管理局'})-[r:BEARS]->(b:Responsibility) RETURN properties(r) AS p"
    )
    p = rows[0]["p"]
    assert p["key"] == "BEARS|危险化学品" and p["sector"] == "危险化学品"
    assert p["ev_doc"] == ["doc1", "doc2"]
    assert p["ev_sentence"] == [3, 7]
    assert p["ev_start"] == [40, 5]
    assert p["ev_end"] == [
        40 + len("应急管理局要履行'部门监管责任'"),
        5 + len('quote " and back\\slash'),
    ]
    assert p["ev_rule"] == ["test.rule", "bears.v2"]
    assert p["ev_text"] == ["应急管理局要履行'部门监管责任'", 'quote " and back\\slash']
    assert (
        p["count"] == 2
        and p["docs"] == ["doc1", "doc2"]
        and p["rules"] == ["bears.v2", "test.rule"]
    )
    assert "type" not in p and "evidence" not in p
    node = store.run_read(
        "MATCH (n:Official {id: 'Official:许南吉'}) RETURN properties(n) AS p"
    )[0]["p"]
    assert node == {
        "id": "Official:许南吉", "name": "许南吉", "title": "市委书记", "org": "市委",
        "mentions": 3, "docs": ["doc1", "doc2"],
    }  # fmt: skip


@pytest.mark.neo4j
def test_constraints_and_indexes_exist(pushed):
    store, _ = pushed
    constraints = store.run_read("SHOW CONSTRAINTS")
    unique = {(tuple(c["labelsOrTypes"]), tuple(c["properties"])) for c in constraints}
    for label in schema.NODE_LABELS:
        assert ((label,), ("id",)) in unique
    # the two token LOOKUP indexes Neo4j keeps by itself have no labels or properties
    indexes = {
        (tuple(i["labelsOrTypes"]), tuple(i["properties"]))
        for i in store.run_read("SHOW INDEXES")
        if i["labelsOrTypes"] is not None
    }
    for label in schema.NODE_LABELS:
        assert ((label,), ("name",)) in indexes
    for rel_type, attrs in schema.EDGE_KEY_ATTRS.items():
        for attr in attrs:
            assert ((rel_type,), (attr,)) in indexes
    # the uniqueness constraint is real
    with pytest.raises(StoreError):
        store.run_cypher(
            "CREATE (:Sector {id: 'Sector:燃气', name: 'dup'})", write=True
        )


@pytest.mark.neo4j
def test_wipe_removes_everything(pushed):
    store, G = pushed
    assert store.wipe(batch_size=4) == G.number_of_nodes()
    counts = store.counts()
    assert counts["total_nodes"] == 0 and counts["total_relationships"] == 0


def test_labels_and_types_come_only_from_the_schema():
    G = nx.MultiDiGraph()
    G.add_node(
        "Evil`) DETACH DELETE n //:x", label="Evil`) DETACH DELETE n //", name="x"
    )
    with pytest.raises(StoreError, match="not in the kgraph schema"):
        push_rows.node_rows(G)
    G = nx.MultiDiGraph()
    G.add_node("Task:a", label="Task", name="a")
    G.add_edge("Task:a", "Task:a", key="X", type="KNOWS]->() DETACH DELETE n //")
    with pytest.raises(StoreError, match="not in the kgraph schema"):
        push_rows.relationship_rows(G)


def test_property_conversion_never_writes_mixed_or_null_lists():
    conv = push_rows.stored_property
    assert conv(["a", None, "b"]) == ["a", "b"]
    assert conv([1, 2.5]) == [1.0, 2.5]
    assert conv(["a", 1]) == ["a", "1"]
    assert conv({"b", "a"}) == ["a", "b"]
    assert conv({"k": 1}) == '{"k": 1}'
    assert conv(None) is None
    arrays = evidence_arrays(
        [
            {
                "doc": "d",
                "sentence": None,
                "start": "3",
                "end": 4,
                "rule": None,
                "text": "t",
            }
        ]
    )
    assert arrays == {
        "ev_doc": ["d"],
        "ev_sentence": [-1],
        "ev_start": [3],
        "ev_end": [4],
        "ev_rule": [""],
        "ev_text": ["t"],
    }


# --- reading -----------------------------------------------------------------------


def test_write_clause_detection():
    assert write_clause("MATCH (n:Task) RETURN n") is None
    assert (
        write_clause(
            "MATCH (n:Task) WHERE n.name = 'CREATE SET' RETURN n.`set` AS x // DELETE"
        )
        is None
    )
    assert write_clause("MATCH (n:Task) RETURN n.offset, n.created") is None
    assert write_clause("CALL db.labels() YIELD label RETURN label") is None
    assert write_clause("match (n:Task) detach delete n") == "DETACH"
    assert write_clause("MATCH (n:Task) SET n.x = 1") == "SET"
    assert write_clause("MERGE (n:Task {id: 1})") == "MERGE"
    assert write_clause("LOAD CSV FROM 'x' AS l RETURN l") == "LOAD"
    assert write_clause("CALL apoc.create.node(['X'], {})") == "CALL apoc.create.node"
    assert write_clause("MATCH (n:Task) /* x */ REMOVE n.x") == "REMOVE"


@pytest.mark.neo4j
def test_run_cypher_refuses_writes_unless_asked(pushed):
    store, _ = pushed
    with pytest.raises(StoreError, match="refusing to run a query that writes"):
        store.run_cypher("MATCH (n:Task) DETACH DELETE n")
    assert store.run_cypher("MATCH (n:Task) RETURN count(n) AS c") == [{"c": 2}]
    store.run_cypher(
        "MATCH (n:Task {name: $n}) SET n.flag = true", {"n": "专项整治"}, write=True
    )
    assert store.run_cypher(
        "MATCH (n:Task) WHERE n.flag = true RETURN n.name AS n"
    ) == [{"n": "专项整治"}]


@pytest.mark.neo4j
def test_cypher_errors_are_one_line(pushed):
    store, _ = pushed
    with pytest.raises(StoreError) as err:
        store.run_cypher("MATCH (n:Task RETURN n")
    assert "\n" not in str(err.value)


# --- named queries -------------------------------------------------------------------


def test_every_named_query_is_documented():
    queries = kneo4j.list_queries()
    assert [q.name for q in queries] == sorted(
        [
            "assignments_by_official", "edge_evidence", "owners_of_responsibility", "owners_of_sector",
            "party_government_chain", "supervision_gaps", "unheld_responsibilities", "what", "what_holder_bears", "who",
        ]
    )  # fmt: skip
    for q in queries:
        assert q.text.startswith(f"// name: {q.name}\n")
        assert q.description and "\n" not in q.description
        assert q.columns, q.name
        assert "ORDER BY" in q.text
    assert kneo4j.load_query("owners_of_sector").params[0].name == "sector"


@pytest.mark.parametrize(
    "name", ["../pyproject", "owners_of_sector.cypher", "", "nope", "/etc/passwd"]
)
def test_load_query_rejects_unknown_names(name):
    with pytest.raises(InputError, match="no named query"):
        kneo4j.load_query(name)


def test_named_query_parameters_are_checked():
    q = kneo4j.load_query("party_government_chain")
    # the schema's categories and page size come with every binding, never from the user
    schema_part = {
        "leading_orgs": list(schema.LEADING_ORG_CATEGORIES),
        "leading_roles": list(schema.LEADING_ROLE_CATEGORIES),
        "page": schema.PAGE_ROWS,
    }
    assert q.bind({}) == {"place": None, "sector": None, "limit": None, **schema_part}
    assert q.bind({"place": "市", "limit": "5"}) == {
        "place": "市",
        "sector": None,
        "limit": 5,
        **schema_part,
    }
    with pytest.raises(InputError, match="limit must be int"):
        q.bind({"limit": "many"})
    with pytest.raises(InputError, match="no parameter 'city'"):
        q.bind({"city": "x"})
    with pytest.raises(InputError, match="no parameter 'page'"):
        q.bind({"page": "9"})
    with pytest.raises(InputError, match="needs --param sector"):
        kneo4j.load_query("owners_of_sector").bind({})


ALL_PARAMS = {
    "owners_of_sector": {"sector": "危险化学品"},
    "owners_of_responsibility": {"responsibility": "部门监管责任"},
    "what_holder_bears": {"holder": "许南吉"},
    "party_government_chain": {"place": "市"},
    "assignments_by_official": {"official": "许南吉"},
    "supervision_gaps": {},
    "unheld_responsibilities": {},
    "edge_evidence": {"src": "应急管理局", "type": "BEARS", "dst": "部门监管责任"},
}


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(ALL_PARAMS))
def test_named_query_columns_match_header(pushed, name):
    store, _ = pushed
    rows = store.run_named(name, ALL_PARAMS[name])
    assert rows, name
    declared = list(kneo4j.load_query(name).columns)
    for row in rows:
        assert list(row) == declared


def _pick(rows, *cols):
    return [tuple(r[c] for c in cols) for r in rows]


@pytest.mark.neo4j
def test_owners_of_sector(pushed):
    store, _ = pushed
    rows = store.run_named("owners_of_sector", {"sector": "危险化学品"})
    assert _pick(rows, "holder", "relation", "target", "responsibility") == [
        ("企业", "BEARS", "企业主体责任", "企业主体责任"),
        ("各乡镇(街道)", "PERFORMS", "隐患排查", ""),
        ("应急管理局", "BEARS", "部门监管责任", "部门监管责任"),
        ("应急管理局", "COVERS_SECTOR", "危险化学品", "部门监管责任"),
    ]
    assert {r["sector"] for r in rows} == {"危险化学品"}
    bears = rows[2]
    assert bears["count"] == 2 and bears["docs"] == ["doc1", "doc2"]
    assert bears["evidence"][1] == {
        "doc": "doc2", "sentence": 7, "start": 5, "end": 5 + len('quote " and back\\slash'),
        "rule": "bears.v2", "text": 'quote " and back\\slash',
    }  # fmt: skip
    assert store.run_named("owners_of_sector", {"sector": "没有这个行业"}) == []


@pytest.mark.neo4j
def test_owners_of_responsibility_by_name_and_category(pushed):
    store, _ = pushed
    rows = store.run_named(
        "owners_of_responsibility", {"responsibility": "部门监管责任"}
    )
    assert _pick(rows, "holder", "relation", "target", "sector") == [
        ("住建局", "BEARS", "部门监管责任", "燃气"),
        ("应急管理局", "BEARS", "部门监管责任", "危险化学品"),
        ("应急管理局", "COVERS_SECTOR", "危险化学品", "危险化学品"),
    ]
    rows = store.run_named(
        "owners_of_responsibility", {"responsibility": "党政领导责任"}
    )
    assert _pick(rows, "holder", "holder_label", "responsibility") == [
        ("市委书记", "Role", "第一责任人"),
        ("市长", "Role", "党政领导责任"),
    ]


@pytest.mark.neo4j
def test_what_holder_bears_goes_through_titles(pushed):
    store, _ = pushed
    rows = store.run_named("what_holder_bears", {"holder": "许南吉"})
    assert _pick(rows, "holder", "titles", "via", "relation", "target") == [
        ("许南吉", ["市委书记"], "市委书记", "BEARS", "第一责任人"),
    ]
    rows = store.run_named("what_holder_bears", {"holder": "应急管理局"})
    assert _pick(
        rows,
        "holder_label",
        "titles",
        "via",
        "relation",
        "target",
        "responsibility",
        "sector",
    ) == [
        ("Organization", [], "", "BEARS", "部门监管责任", "部门监管责任", "危险化学品"),
        (
            "Organization",
            [],
            "",
            "COVERS_SECTOR",
            "危险化学品",
            "部门监管责任",
            "危险化学品",
        ),
    ]


@pytest.mark.neo4j
def test_party_government_chain(pushed):
    store, _ = pushed
    rows = store.run_named("party_government_chain", {"place": "市"})
    paths = _pick(rows, "origin", "path", "kinds")
    assert paths[:2] == [
        ("市委", ["市委", "市政府"], ["党政同责"]),
        (
            "市委",
            ["市委", "市政府", "各乡镇(街道)"],
            ["党政同责", "层级"],
        ),  # 各 < 应 by code point
    ]
    # simple paths only: 市委 → 市政府 → 市委 never appears
    assert all(len(set(p)) == len(p) for _, p, _ in paths)
    assert (
        "市委",
        ["市委", "市政府", "各乡镇(街道)", "企业"],
        ["党政同责", "层级", "属地"],
    ) in paths
    assert not any(origin == "县委" for origin, _, _ in paths)
    assert max(r["length"] for r in rows) == 3
    gas = store.run_named("party_government_chain", {"sector": "燃气"})
    assert _pick(gas, "origin", "path", "target", "target_label") == [
        ("市委", ["市委", "市政府", "应急管理局", "住建局"], "住建局", "Organization"),
        ("市政府", ["市政府", "应急管理局", "住建局"], "住建局", "Organization"),
    ]
    everything = store.run_named("party_government_chain", {})
    assert any(r["origin"] == "县委" for r in everything)
    # limit: the first rows of the same order, on the server
    assert len(everything) > 3
    for n in (1, 3, len(everything) + 5):
        assert store.run_named("party_government_chain", {"limit": n}) == everything[:n]
    assert (
        store.run_named("party_government_chain", {"limit": 0}) == everything
    )  # 0: all
    assert (
        store.run_named("party_government_chain", {"sector": "燃气", "limit": 1})
        == gas[:1]
    )
    with pytest.raises(StoreError):
        store.run_named("party_government_chain", {"limit": -1})
    assert store.run_named("party_government_chain", {"place": "县", "sector": "危险化学品"}) == [
        {
            "origin": "县委", "origin_category": "党委", "target": "各乡镇(街道)", "target_label": "Organization",
            "length": 1, "path": ["县委", "各乡镇(街道)"], "labels": ["Organization", "Organization"], "kinds": ["层级"],
        },
        {
            "origin": "县委", "origin_category": "党委", "target": "企业", "target_label": "Organization",
            "length": 2, "path": ["县委", "各乡镇(街道)", "企业"], "labels": ["Organization"] * 3, "kinds": ["层级", "属地"],
        },
    ]  # fmt: skip


def test_chain_query_returns_a_page_unless_asked_for_all():
    # 30 county party committees each handing down to 20 bodies: 600 paths,
    # more than anyone reads in a terminal and ~60 ms of Bolt transfer alone
    from kgraph.named import DEFAULT_LIMIT, run_named_embedded

    G = nx.MultiDiGraph()
    for i in range(30):
        top = add_node(G, schema.ORGANIZATION, f"{i:02d}县委", category="党委")
        for j in range(20):
            add_edge(
                G,
                schema.CHAIN,
                top,
                add_node(
                    G, schema.ORGANIZATION, f"{i:02d}县部门{j:02d}", category="部门"
                ),
                kind="层级",
            )
    page = run_named_embedded(G, "party_government_chain", {})
    everything = run_named_embedded(G, "party_government_chain", {"limit": 0})
    assert len(page) == DEFAULT_LIMIT < len(everything) == 600
    assert page == everything[:DEFAULT_LIMIT]
    # the Cypher twin pages the same way: by the schema's page size it is given, and
    # walks as deep as the schema says (a pattern length cannot be a parameter)
    q = kneo4j.load_query("party_government_chain")
    assert (
        "WHEN $limit IS NULL THEN $page WHEN $limit = 0" in q.text
        and q.bind({})["page"] == DEFAULT_LIMIT
    )
    assert {m for m in re.findall(r"\*1\.\.(\d+)", q.text)} == {str(schema.CHAIN_DEPTH)}


def test_query_files_spell_no_category_or_limit_the_schema_owns():
    for q in kneo4j.list_queries():
        code = "\n".join(
            line for line in q.text.splitlines() if not line.lstrip().startswith("//")
        )
        for value in (
            schema.DEPARTMENT_CATEGORY,
            *schema.LEADING_ORG_CATEGORIES,
            *schema.LEADING_ROLE_CATEGORIES,
        ):
            assert f"'{value}'" not in code, (q.name, value)
        assert str(schema.PAGE_ROWS) not in code, q.name


@pytest.mark.neo4j
def test_party_government_chain_agrees_with_the_embedded_twin(pushed):
    # both ways the Cypher finds paths: forwards (no sector) and backwards from
    # the holders covering the sector (COVERS_SECTOR, or BEARS/PERFORMS by their
    # sector index), with limits
    from kgraph.named import run_named_embedded

    store, G = pushed
    for sector in (None, "危险化学品", "燃气", "消防", "道路交通", NASTY):
        for place in (None, "市", "县"):
            for limit in (None, 1, 2):
                params = {"place": place, "sector": sector, "limit": limit}
                assert store.run_named(
                    "party_government_chain", params
                ) == run_named_embedded(G, "party_government_chain", params), params


@pytest.mark.neo4j
def test_assignments_by_official(pushed):
    store, _ = pushed
    rows = store.run_named("assignments_by_official", {"official": "许南吉"})
    assert _pick(
        rows, "relation", "target", "target_label", "responsibility", "sector"
    ) == [
        ("ASSIGNED", "应急管理局", "Organization", "部门监管责任", "危险化学品"),
        ("SPOKE_AT", "全市安全生产工作会议", "Meeting", "", ""),
    ]
    assert rows[0]["evidence"][0]["doc"] == "doc1"
    assert _pick(
        store.run_named("assignments_by_official", {"official": "焦市长"}), "relation"
    ) == [("CHAIRED",)]


@pytest.mark.neo4j
def test_gaps(pushed):
    store, _ = pushed
    assert store.run_named("supervision_gaps") == [
        {
            "sector": "道路交通",
            "focus_mentions": 3,
            "mentions": 3,
            "docs": ["doc1"],
            "covered_by_non_departments": [],
        },
        {
            "sector": "消防",
            "focus_mentions": 1,
            "mentions": 1,
            "docs": ["doc1"],
            "covered_by_non_departments": ["各乡镇(街道)"],
        },
    ]
    assert store.run_named("unheld_responsibilities") == [
        {
            "label": "Responsibility",
            "name": "属地管理责任",
            "category": "属地管理责任",
            "mentions": 2,
            "docs": ["doc1"],
        },
        {
            "label": "Task",
            "name": "专项整治",
            "category": "",
            "mentions": 1,
            "docs": ["doc1"],
        },
    ]


@pytest.mark.neo4j
def test_edge_evidence(pushed):
    store, _ = pushed
    rows = store.run_named(
        "edge_evidence", {"src": "应急管理局", "type": "bears", "dst": "部门监管责任"}
    )
    assert _pick(
        rows,
        "src_label",
        "type",
        "dst_label",
        "key",
        "doc",
        "sentence",
        "start",
        "rule",
    ) == [
        (
            "Organization",
            "BEARS",
            "Responsibility",
            "BEARS|危险化学品",
            "doc1",
            3,
            40,
            "test.rule",
        ),
        (
            "Organization",
            "BEARS",
            "Responsibility",
            "BEARS|危险化学品",
            "doc2",
            7,
            5,
            "bears.v2",
        ),
    ]
    assert rows[1]["text"] == 'quote " and back\\slash'
    assert (
        store.run_named(
            "edge_evidence", {"src": "应急管理局", "type": "CHAIN", "dst": "住建局"}
        )[0]["key"]
        == "CHAIN|综合监管"
    )


# --- hostile values ----------------------------------------------------------------------


@pytest.mark.neo4j
def test_hostile_names_round_trip_and_leave_the_graph_intact(pushed):
    store, G = pushed
    before = store.counts()
    for name in ALL_PARAMS:
        params = {k: NASTY for k in ALL_PARAMS[name]}
        assert store.run_named(name, params) in ([], store.run_named(name, params))
    assert (
        store.run_cypher("MATCH (n:Task) WHERE n.name = $x RETURN n", {"x": NASTY})
        == []
    )
    assert store.counts() == before
    # and a node whose name *is* the nasty string goes in and comes out unchanged
    G2 = nx.MultiDiGraph()
    nid = add_node(G2, schema.SECTOR, NASTY)
    org = add_node(G2, schema.ORGANIZATION, "部门" + NASTY, category="部门")
    add_edge(
        G2,
        schema.COVERS_SECTOR,
        org,
        nid,
        responsibility=NASTY,
        evidence=[_ev("d'", 0, NASTY)],
    )
    store.push(G2)
    rows = store.run_named("owners_of_sector", {"sector": NASTY})
    assert _pick(rows, "holder", "target", "responsibility") == [
        ("部门" + NASTY, NASTY, NASTY)
    ]
    assert rows[0]["evidence"][0]["text"] == NASTY
    ev = store.run_named(
        "edge_evidence", {"src": "部门" + NASTY, "type": "COVERS_SECTOR", "dst": NASTY}
    )
    assert ev[0]["doc"] == "d'"
    after = store.counts()
    assert after["total_nodes"] == before["total_nodes"] + 2


# --- connection errors ----------------------------------------------------------------------


@pytest.mark.neo4j
def test_wrong_password_is_one_line(neo4j_server):
    with pytest.raises(StoreError, match="rejected the user/password") as err:
        kneo4j.connect(
            neo4j_server.uri, neo4j_server.user, "wrong-password", neo4j_server.database
        )
    assert "\n" not in str(err.value)


@pytest.mark.neo4j
def test_unknown_database_is_one_line(neo4j_server):
    # Neo4j says DatabaseNotFound, ArcadeDB says Forbidden; both name the database.
    with pytest.raises(StoreError, match="no_such_db"):
        kneo4j.connect(
            neo4j_server.uri, neo4j_server.user, neo4j_server.password, "no_such_db"
        )


@pytest.mark.neo4j
def test_env_defaults(neo4j_server, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.delenv("NEO4J_USERNAME", raising=False)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_server.database)
    with kneo4j.connect() as s:
        assert s.uri == neo4j_server.uri and s.database == neo4j_server.database
        assert s.run_read("RETURN 1 AS x") == [{"x": 1}]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_server_is_one_line():
    uri = f"bolt://127.0.0.1:{_free_port()}"
    with pytest.raises(StoreError, match="cannot reach Neo4j at") as err:
        kneo4j.connect(uri, "neo4j", "x")
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687", "bolt:/x"])
def test_bad_uri_scheme(uri):
    with pytest.raises(StoreError, match="bad Neo4j URI"):
        kneo4j.connect(uri, "neo4j", "x")


def _fake_server(reply: bytes):
    """A TCP server that answers the Bolt handshake with ``reply``."""
    import socket
    import threading

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()

    def serve():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            with conn:
                try:
                    conn.recv(64)
                    conn.sendall(reply)
                except OSError:
                    pass

    threading.Thread(target=serve, daemon=True).start()
    return sock


def test_bolt_version_mismatch_is_one_line():
    sock = _fake_server(b"\x00\x00\x00\x00")  # "none of the versions you offered"
    try:
        with pytest.raises(StoreError, match="Bolt protocol mismatch"):
            kneo4j.connect(f"bolt://127.0.0.1:{sock.getsockname()[1]}", "neo4j", "x")
    finally:
        sock.close()


def test_http_port_is_named(tmp_path):
    sock = _fake_server(b"HTTP/1.1 400 Bad Request\r\n\r\n")
    try:
        with pytest.raises(StoreError, match="HTTP, not Bolt"):
            kneo4j.connect(f"bolt://127.0.0.1:{sock.getsockname()[1]}", "neo4j", "x")
    finally:
        sock.close()


# --- the seed corpus through the real pipeline ---------------------------------------------


@pytest.fixture(scope="module")
def seed_graph():
    from pathlib import Path

    from kgraph import build_graph, process_file

    files = sorted(
        (Path(__file__).resolve().parent.parent / "data" / "speeches").glob("*.txt")
    )
    assert files, "seed corpus missing"
    return build_graph(process_file(f) for f in files)


def _seed_params(G) -> dict[str, dict]:
    """A real name for every parameter of every named query, taken from the graph."""

    def busiest(label, rel=None):
        best = None
        for nid, attrs in G.nodes(data=True):
            if attrs["label"] != label:
                continue
            deg = sum(
                1
                for *_, a in G.out_edges(nid, data=True)
                if rel is None or a["type"] == rel
            )
            deg += sum(
                1
                for *_, a in G.in_edges(nid, data=True)
                if rel is None or a["type"] == rel
            )
            if best is None or (deg, attrs["name"]) > best[0]:
                best = ((deg, attrs["name"]), attrs["name"])
        return best[1]

    src, dst, attrs = next(
        (u, v, a) for u, v, a in G.edges(data=True) if a["type"] == schema.BEARS
    )
    return {
        "owners_of_sector": {"sector": busiest(schema.SECTOR, schema.COVERS_SECTOR)},
        "owners_of_responsibility": {
            "responsibility": busiest(schema.RESPONSIBILITY, schema.BEARS)
        },
        "what_holder_bears": {"holder": G.nodes[src]["name"]},
        "party_government_chain": {},
        "assignments_by_official": {
            "official": busiest(schema.OFFICIAL, schema.ASSIGNED)
        },
        "supervision_gaps": {},
        "unheld_responsibilities": {},
        "edge_evidence": {
            "src": G.nodes[src]["name"],
            "type": schema.BEARS,
            "dst": G.nodes[dst]["name"],
        },
    }


@pytest.mark.neo4j
def test_seed_corpus_push_is_complete_and_idempotent(store, seed_graph):
    G = seed_graph
    store.push(G)
    nodes, rels = graph_counts(G)
    counts = store.counts()
    assert counts["nodes"] == nodes and counts["relationships"] == rels
    evidence = sum(len(a["evidence"]) for *_, a in G.edges(data=True))
    stored = store.run_read(
        "MATCH (a:Document)<-[r:MENTIONED_IN]-() RETURN sum(size(r.ev_doc)) AS n"
    )[0]["n"]
    stored += sum(
        store.run_read(
            f"MATCH (a:{label})-[r]->() WHERE type(r) <> 'MENTIONED_IN' RETURN sum(size(r.ev_doc)) AS n"
        )[0]["n"]
        or 0
        for label in schema.NODE_LABELS
    )
    assert stored == evidence
    store.push(G)
    assert store.counts() == counts
    for name, params in _seed_params(G).items():
        rows = store.run_named(name, params)
        assert rows, (name, params)
        declared = list(kneo4j.load_query(name).columns)
        assert all(list(r) == declared for r in rows)
