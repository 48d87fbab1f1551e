"""Named Cypher queries (package data; see kgraph.neo4j_store.list_queries)."""
