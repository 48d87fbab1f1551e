"""The Bolt test server itself behaves like the Neo4j 5 the rest of the suite assumes."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.neo4j


def test_server_speaks_bolt5_and_cypher(neo4j_clean):
    with neo4j_clean.driver() as drv:
        info = drv.get_server_info()
        assert info.protocol_version >= (5, 0)
        records, _, _ = drv.execute_query(
            "RETURN $x AS x", {"x": "引号'\"\\"}, database_=neo4j_clean.database
        )
        assert records[0]["x"] == "引号'\"\\"


def test_each_test_starts_with_an_empty_database(neo4j_clean):
    with neo4j_clean.driver() as drv:
        drv.execute_query(
            "CREATE (:Task {id: 'Task:leftover'})", database_=neo4j_clean.database
        )


def test_database_really_is_empty(neo4j_clean):
    with neo4j_clean.driver() as drv:
        records, _, _ = drv.execute_query(
            "MATCH (n:Task) RETURN count(n) AS c", database_=neo4j_clean.database
        )
    assert records[0]["c"] == 0


def test_server_is_real_neo4j_when_started_as_such(neo4j_clean):
    """The default test server is Neo4j itself: its agent, its edition, and
    Neo4j's own procedure catalogue (not just a Bolt server claiming the name)."""
    kind = os.environ.get("KGRAPH_TEST_SERVER_KIND", "neo4j")
    if not kind.startswith("neo4j"):
        pytest.skip(f"test server is {kind}, not Neo4j")
    with neo4j_clean.driver() as drv:
        assert drv.get_server_info().agent.startswith("Neo4j/")
        comps, _, _ = drv.execute_query(
            "CALL dbms.components() YIELD name, edition RETURN name, edition",
            database_=neo4j_clean.database,
        )
        procs, _, _ = drv.execute_query(
            "SHOW PROCEDURES YIELD name RETURN collect(name) AS names",
            database_=neo4j_clean.database,
        )
    assert comps[0]["name"] == "Neo4j Kernel" and comps[0]["edition"] == "community"
    assert {"db.labels", "db.relationshipTypes", "dbms.components"} <= set(
        procs[0]["names"]
    )
