"""The Bolt test server itself behaves like the Neo4j 5 the rest of the suite assumes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.neo4j


def test_server_speaks_bolt5_and_cypher(neo4j_clean):
    with neo4j_clean.driver() as drv:
        info = drv.get_server_info()
        assert info.protocol_version >= (5, 0)
        records, _, _ = drv.execute_query("RETURN $x AS x", {"x": "引号'\"\\"}, database_=neo4j_clean.database)
        assert records[0]["x"] == "引号'\"\\"


def test_each_test_starts_with_an_empty_database(neo4j_clean):
    with neo4j_clean.driver() as drv:
        drv.execute_query("CREATE (:Task {id: 'Task:leftover'})", database_=neo4j_clean.database)


def test_database_really_is_empty(neo4j_clean):
    with neo4j_clean.driver() as drv:
        records, _, _ = drv.execute_query("MATCH (n:Task) RETURN count(n) AS c", database_=neo4j_clean.database)
    assert records[0]["c"] == 0
