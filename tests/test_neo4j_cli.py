"""kgraph push / query / cypher through typer's CliRunner, against the live Bolt server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_neo4j_store import ALL_PARAMS, NASTY, _fake_server, _free_port, sample_graph
from typer.testing import CliRunner

from kgraph import neo4j as kneo4j
from kgraph.cli import app
from kgraph.neo4j import meta

SEEDS = Path(__file__).resolve().parent.parent / "data" / "speeches"
runner = CliRunner()
CLEAN_ENV = {
    "NEO4J_URI": None,
    "NEO4J_USERNAME": None,
    "NEO4J_USER": None,
    "NEO4J_PASSWORD": None,
    "NEO4J_DATABASE": None,
}


def invoke(args, env=None, input=None):
    merged = dict(CLEAN_ENV, **(env or {}))
    return runner.invoke(
        app, [str(a) for a in args], env=merged, input=input, catch_exceptions=False
    )


def assert_one_line_error(result, code: int, pattern: str):
    assert result.exit_code == code, result.output
    err = result.stderr.strip()
    assert err.startswith("error: "), err
    assert "\n" not in err and "Traceback" not in result.output, err
    assert pattern in err, err


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    ws = tmp_path_factory.mktemp("neo4j-ws") / "kgraph-out"
    result = invoke(["build", SEEDS, "--out", ws, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return ws


@pytest.fixture
def env(neo4j_clean):
    return neo4j_clean.env()


@pytest.fixture
def sample(neo4j_clean):
    """The hand-made graph (known answers) pushed; returns the env."""
    with kneo4j.connect(
        neo4j_clean.uri, neo4j_clean.user, neo4j_clean.password, neo4j_clean.database
    ) as s:
        s.push(sample_graph())
    return neo4j_clean.env()


def counts(env) -> dict:
    with kneo4j.connect(
        env["NEO4J_URI"],
        env["NEO4J_USERNAME"],
        env["NEO4J_PASSWORD"],
        env["NEO4J_DATABASE"],
    ) as s:
        return s.counts()


# --- push --------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_push_seed_workspace_twice_changes_nothing(workspace, env):
    first = invoke(["push", "-w", workspace, "--json"], env)
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert (
        report["relationships"] > 0
        and report["counts"]["total_relationships"] == report["relationships"]
    )
    again = invoke(["push", "-w", workspace, "--batch-size", "50"], env)
    assert again.exit_code == 0, again.output
    assert "pushed" in again.stdout and "relationships/s" in again.stdout
    assert counts(env) == report["counts"]


@pytest.mark.neo4j
def test_push_options_override_env(workspace, neo4j_clean):
    s = neo4j_clean
    result = invoke(
        [
            "push",
            "-w",
            workspace,
            "--uri",
            s.uri,
            "--user",
            s.user,
            "--password",
            s.password,
            "--database",
            s.database,
            "--json",
        ],
        {"NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}", "NEO4J_PASSWORD": "wrong"},
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["database"] == s.database


@pytest.mark.neo4j
def test_wipe_needs_confirmation(workspace, sample):
    before = counts(sample)
    refused = invoke(
        ["push", "-w", workspace, "--wipe"], sample
    )  # stdin is not a terminal
    assert_one_line_error(refused, 2, "--yes")
    assert counts(sample) == before
    wiped = invoke(["push", "-w", workspace, "--wipe", "--yes", "--json"], sample)
    assert wiped.exit_code == 0, wiped.output
    report = json.loads(wiped.stdout)
    assert report["wiped_nodes"] == before["total_nodes"]
    assert (
        report["counts"]["total_nodes"] == report["nodes"]
    )  # only the seed graph is left


@pytest.fixture(scope="module")
def other_workspace(tmp_path_factory) -> Path:
    """A second, smaller workspace: one of the seed speeches."""
    ws = tmp_path_factory.mktemp("neo4j-ws-other") / "kgraph-out"
    one = sorted(SEEDS.iterdir())[0]
    result = invoke(["build", one, "--out", ws, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return ws


def recorded_sources(env) -> list[str]:
    with kneo4j.connect(
        env["NEO4J_URI"],
        env["NEO4J_USERNAME"],
        env["NEO4J_PASSWORD"],
        env["NEO4J_DATABASE"],
    ) as s:
        return (meta.read(s) or {}).get("sources") or []


@pytest.mark.neo4j
def test_push_of_another_workspace_is_refused_unless_merge_or_wipe(
    workspace, other_workspace, env
):
    first = invoke(["push", "-w", workspace, "--json"], env)
    assert first.exit_code == 0, first.output
    assert recorded_sources(env) == [str(workspace.resolve())]
    seeds = counts(env)

    refused = invoke(["push", "-w", other_workspace], env)
    assert_one_line_error(refused, 2, "--merge")
    assert "--wipe" in refused.stderr and str(workspace.resolve()) in refused.stderr
    assert counts(env) == seeds  # nothing written

    # the same workspace again needs no flag, and says the graph is the same
    again = json.loads(invoke(["push", "-w", workspace, "--json"], env).stdout)
    assert again["unchanged"] is True and again["counts"] == seeds

    merged = invoke(["push", "-w", other_workspace, "--merge", "--json"], env)
    assert merged.exit_code == 0, merged.output
    assert set(recorded_sources(env)) == {
        str(workspace.resolve()),
        str(other_workspace.resolve()),
    }
    assert counts(env)["total_nodes"] >= seeds["total_nodes"]
    # either of the merged workspaces may be pushed again without a flag
    assert invoke(["push", "-w", workspace], env).exit_code == 0
    assert invoke(["push", "-w", other_workspace], env).exit_code == 0

    wiped = invoke(["push", "-w", other_workspace, "--wipe", "--yes", "--json"], env)
    assert wiped.exit_code == 0, wiped.output
    report = json.loads(wiped.stdout)
    assert report["counts"]["total_nodes"] == report["nodes"] < seeds["total_nodes"]
    assert recorded_sources(env) == [str(other_workspace.resolve())]
    assert_one_line_error(invoke(["push", "-w", workspace], env), 2, "--merge")


@pytest.mark.neo4j
def test_push_into_a_graph_no_push_recorded_is_refused(workspace, sample):
    before = counts(sample)
    refused = invoke(["push", "-w", workspace], sample)
    assert_one_line_error(refused, 2, "no push recorded")
    assert counts(sample) == before


def test_wipe_and_merge_together_is_a_usage_error(workspace):
    both = invoke(["push", "-w", workspace, "--wipe", "--merge", "--yes"])
    assert_one_line_error(both, 2, "--merge")


def test_push_without_workspace_is_one_line(tmp_path):
    result = invoke(["push", "-w", tmp_path / "nothing-here"])
    assert_one_line_error(result, 3, "kgraph build")


# --- query -----------------------------------------------------------------------------------


def test_query_list_needs_no_server():
    result = invoke(
        ["query", "--list", "--json"], {"NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}"}
    )
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert [q["name"] for q in listed] == [q.name for q in kneo4j.list_queries()]
    assert all(q["description"] for q in listed)
    assert "src -[type]-> dst" in next(
        q["description"] for q in listed if q["name"] == "edge_evidence"
    )
    table = invoke(["query", "--list"])
    assert "owners_of_sector" in table.stdout
    assert "-[type]->" in table.stdout  # descriptions are text, not rich markup


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(ALL_PARAMS))
def test_query_json_equals_library(sample, name):
    args = ["query", name, "--neo4j"]
    for key, value in ALL_PARAMS[name].items():
        args += ["--param", f"{key}={value}"]
    result = invoke([*args, "--json"], sample)
    assert result.exit_code == 0, result.output
    with kneo4j.connect(
        sample["NEO4J_URI"],
        sample["NEO4J_USERNAME"],
        sample["NEO4J_PASSWORD"],
        sample["NEO4J_DATABASE"],
    ) as s:
        assert json.loads(result.stdout) == s.run_named(name, ALL_PARAMS[name])
    table = invoke(args, sample)
    assert table.exit_code == 0 and "row" in table.stdout, table.output


@pytest.mark.neo4j
def test_query_table_shows_the_answer(sample):
    result = invoke(
        ["query", "owners_of_sector", "--neo4j", "-P", "sector=危险化学品"], sample
    )
    assert result.exit_code == 0, result.output
    assert (
        "holder" in result.stdout and "4 rows" in result.stdout
    )  # cells wrap at 80 columns


def test_query_argument_errors():
    assert_one_line_error(invoke(["query"]), 2, "--list")
    assert_one_line_error(invoke(["query", "nope"]), 2, "no named query 'nope'")
    assert_one_line_error(
        invoke(["query", "owners_of_sector"]), 2, "needs --param sector"
    )
    assert_one_line_error(
        invoke(["query", "owners_of_sector", "-P", "sector"]), 2, "NAME=VALUE"
    )
    assert_one_line_error(
        invoke(["query", "owners_of_sector", "-P", "sector=a", "-P", "x=1"]),
        2,
        "no parameter 'x'",
    )
    assert_one_line_error(
        invoke(["query", "owners_of_sector", "-P", "sector=a", "-P", "sector=b"]),
        2,
        "twice",
    )


# --- cypher -------------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_cypher_reads_and_refuses_writes(sample):
    read = invoke(["cypher", "MATCH (s:Sector) WHERE s.focus >= $f RETURN s.name AS name ORDER BY name", "--json"]
                  + ["-P", "f=x"], sample)  # fmt: skip
    assert (
        read.exit_code == 0 and json.loads(read.stdout) == []
    )  # 'x' is a string: compared, not spliced
    read = invoke(
        [
            "cypher",
            "MATCH (s:Sector) WHERE s.name = $n RETURN s.focus AS focus",
            "-P",
            "n=道路交通",
        ],
        sample,
    )
    assert read.exit_code == 0 and "3" in read.stdout
    before = counts(sample)
    refused = invoke(["cypher", "MATCH (n:Task) DETACH DELETE n"], sample)
    assert_one_line_error(refused, 2, "read-only unless --write")
    assert counts(sample) == before
    wrote = invoke(
        [
            "cypher",
            "MATCH (n:Task {name: $n}) SET n.seen = true RETURN n.name AS name",
            "-P",
            "n=专项整治",
            "--write",
        ],
        sample,
    )
    assert wrote.exit_code == 0 and "专项整治" in wrote.stdout
    bad = invoke(["cypher", "MATCH (n:Task RETURN n"], sample)
    assert_one_line_error(bad, 3, "Cypher syntax error")


@pytest.mark.neo4j
def test_cypher_returns_whole_nodes_relationships_and_paths(sample):
    statement = (
        "MATCH (a:Organization {name: $n})-[r:BEARS]->(b) RETURN a, r, b LIMIT 1"
    )
    result = invoke(["cypher", statement, "-P", "n=应急管理局", "--json"], sample)
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    a, r, b = row["a"], row["r"], row["b"]
    assert a["labels"] == ["Organization"] and a["properties"]["name"] == "应急管理局"
    assert a["properties"]["category"] == "部门" and b["labels"] == ["Responsibility"]
    assert (
        r["type"] == "BEARS"
        and r["start"] == a["element_id"]
        and r["end"] == b["element_id"]
    )
    assert (
        r["start_id"] == "Organization:应急管理局"
        and r["end_id"] == "Responsibility:部门监管责任"
    )
    props = r["properties"]
    assert props["sector"] == "危险化学品" and props["count"] == 2
    assert props["ev_doc"] == ["doc1", "doc2"] and props["ev_sentence"] == [3, 7]
    assert (
        props["ev_text"][1] == 'quote " and back\\slash'
        and props["ev_rule"][1] == "bears.v2"
    )

    # a path: its nodes and relationships in order, relationship ends pointing at its nodes
    chain = "MATCH p = (:Organization {name: '市委'})-[:CHAIN]->(:Organization)-[:CHAIN]->(:Organization {name: '应急管理局'}) RETURN p"
    [row] = json.loads(invoke(["cypher", chain, "--json"], sample).stdout)
    nodes, rels = row["p"]["nodes"], row["p"]["relationships"]
    assert [n["properties"]["name"] for n in nodes] == ["市委", "市政府", "应急管理局"]
    assert [r["properties"]["kind"] for r in rels] == ["党政同责", "综合监管"]
    assert [(r["start"], r["end"]) for r in rels] == [(nodes[0]["element_id"], nodes[1]["element_id"]),
                                                      (nodes[1]["element_id"], nodes[2]["element_id"])]  # fmt: skip

    # the table names the labels, the type and both ends instead of printing {}
    wide = dict(sample, COLUMNS="400")  # one line per row
    table = invoke(["cypher", statement, "-P", "n=应急管理局"], wide)
    assert table.exit_code == 0, table.output
    assert "(:Organization 应急管理局)" in table.stdout, table.stdout
    assert (
        "[:BEARS Organization:应急管理局 → Responsibility:部门监管责任 count=2 evidence=2]"
        in table.stdout
    ), table.stdout
    table = invoke(["cypher", chain], wide)
    assert (
        "(:Organization 市委)-[:CHAIN]->(:Organization 市政府)-[:CHAIN]->(:Organization 应急管理局)"
        in table.stdout
    )


# --- hostile input ---------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_hostile_values_through_every_command_leave_the_graph_intact(workspace, sample):
    before = counts(sample)
    for name, params in ALL_PARAMS.items():
        args = ["query", name, "--neo4j", "--json"]
        for key in params:
            args += ["--param", f"{key}={NASTY}"]
        result = invoke(args, sample)
        rows = json.loads(result.stdout)
        # an empty answer exits 1 with its reason on stderr (docs/cli.md)
        assert result.exit_code == (0 if rows else 1), (name, result.output)
        if params:  # nothing is called that
            assert rows == [], name
            assert "no rows for" in result.stderr, name
    for statement in (
        "MATCH (n:Sector) WHERE n.name = $x RETURN n.name AS name",
        "MATCH (n:Organization {name: $x})-[r:BEARS]->(t:Responsibility) RETURN t.name AS t",
        "RETURN $x AS x",
    ):
        result = invoke(["cypher", statement, "-P", f"x={NASTY}", "--json"], sample)
        assert result.exit_code == 0, result.output
    echoed = invoke(["cypher", "RETURN $x AS x", "-P", f"x={NASTY}", "--json"], sample)
    assert json.loads(echoed.stdout) == [{"x": NASTY}]
    # a hostile value where a name belongs is refused before anything runs
    assert invoke(["query", NASTY], sample).exit_code != 0
    assert (
        invoke(["query", "owners_of_sector", "-P", f"{NASTY}=1"], sample).exit_code != 0
    )
    assert invoke(["push", "-w", workspace, "--database", NASTY], sample).exit_code == 3
    assert invoke(["push", "-w", workspace, "--user", NASTY], sample).exit_code == 3
    assert invoke(["push", "-w", workspace, "--password", NASTY], sample).exit_code == 3
    assert counts(sample) == before


# --- connection errors: one line, non-zero, no traceback --------------------------------------------


@pytest.mark.neo4j
def test_wrong_password(neo4j_server):
    env = dict(neo4j_server.env(), NEO4J_PASSWORD="not-the-password")
    assert_one_line_error(
        invoke(["cypher", "RETURN 1 AS x"], env), 3, "rejected the user/password"
    )


@pytest.mark.neo4j
def test_unknown_database(neo4j_server):
    env = dict(neo4j_server.env(), NEO4J_DATABASE="no_such_db")
    assert_one_line_error(
        invoke(["query", "supervision_gaps", "--neo4j"], env), 3, "'no_such_db'"
    )


def test_server_down():
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}", "NEO4J_PASSWORD": "x"}
    assert_one_line_error(
        invoke(["cypher", "RETURN 1 AS x"], env),
        3,
        "cannot reach Neo4j at bolt://127.0.0.1:",
    )


def test_bolt_version_mismatch():
    sock = _fake_server(b"\x00\x00\x00\x00")
    try:
        env = {
            "NEO4J_URI": f"bolt://127.0.0.1:{sock.getsockname()[1]}",
            "NEO4J_PASSWORD": "x",
        }
        assert_one_line_error(
            invoke(["query", "supervision_gaps", "--neo4j"], env),
            3,
            "Bolt protocol mismatch",
        )
    finally:
        sock.close()


def test_bad_uri():
    assert_one_line_error(
        invoke(["cypher", "RETURN 1", "--uri", "http://localhost:7474"]),
        3,
        "bad Neo4j URI",
    )


def test_driver_retry_warnings_are_counted_not_printed(capsys) -> None:
    """A deadlock between the two push sessions is retried by the driver,
    which logs it as a multi-line warning on 'neo4j.session': the push counts
    it for a one-line note instead; other driver warnings stay one line."""
    import logging

    from kgraph.cli.neo4j import _DriverWarnings

    log = logging.getLogger("neo4j.session")
    with _DriverWarnings() as warnings:
        log.warning(
            "Transaction failed and will be retried in %ss (%s)",
            1.05,
            "{neo4j_code: Neo.TransientError.Transaction.DeadlockDetected}\n Wait list: …",
        )
        log.warning("Routing table is stale\nsecond line")
    assert warnings.retried == 1
    err = capsys.readouterr().err
    assert "will be retried" not in err and "Wait list" not in err
    assert "Neo4j driver: Routing table is stale" in err and "second line" not in err
    assert logging.getLogger("neo4j").propagate  # restored afterwards
