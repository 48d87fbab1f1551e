// name: unheld_responsibilities
// description: 责任悬空 — responsibilities nobody BEARS and tasks nobody PERFORMS.
// params: none
// columns: label, name, category, mentions, docs
// Responsibility nodes without an incoming BEARS, Task nodes without an
// incoming PERFORMS.  category: the node's category or ''.
CALL () {
  MATCH (n:Responsibility) WHERE NOT (n)<-[:BEARS]-() RETURN n
  UNION ALL
  MATCH (n:Task) WHERE NOT (n)<-[:PERFORMS]-() RETURN n
}
RETURN labels(n)[0] AS label,
       n.name AS name,
       coalesce(n.category, '') AS category,
       coalesce(n.mentions, 0) AS mentions,
       coalesce(n.docs, []) AS docs
ORDER BY mentions DESC, label, name
