"""Named Cypher queries (package data; see kgraph.neo4j.queries.list_queries)."""
