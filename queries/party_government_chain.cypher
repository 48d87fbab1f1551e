// name: party_government_chain
// description: The 党政同责 chain: CHAIN paths (1–6 steps, no node twice) from 党委/政府 and party-government leaders down, optionally for a place and/or a sector.
// params: place (string, optional) — part of the starting organisation's name, e.g. 市; sector (string, optional) — keep paths whose last holder covers it
// columns: origin, origin_category, target, target_label, length, path, labels, kinds
// Start: Organization with category 党委, 政府 or 党政 (党委政府), or Role with
// category 党政领导 (一把手, 党政主要领导, 党政领导干部 …), whose name contains
// $place when given.  Paths follow CHAIN edges forward, 1..6 hops, simple (no
// repeated node).  With $sector, the last node must COVER_SECTOR the Sector
// named $sector, or have a BEARS/PERFORMS edge whose sector is $sector.
// path/labels: names/labels of every node on the path, origin first;
// kinds: the CHAIN kind of every hop.  One row per path.
CALL {
  MATCH (origin:Organization) WHERE origin.category IN ['党委', '政府', '党政'] RETURN origin
  UNION
  MATCH (origin:Role) WHERE origin.category = '党政领导' RETURN origin
}
WITH origin WHERE $place IS NULL OR origin.name CONTAINS $place
MATCH p = (origin)-[:CHAIN*1..6]->(last)
WHERE all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m = n))
  AND ($sector IS NULL
       OR (last)-[:COVERS_SECTOR]->(:Sector {name: $sector})
       OR any(x IN [(last)-[y:BEARS|PERFORMS]->() | y.sector] WHERE x = $sector))
RETURN origin.name AS origin,
       origin.category AS origin_category,
       last.name AS target,
       labels(last)[0] AS target_label,
       length(p) AS length,
       [n IN nodes(p) | n.name] AS path,
       [n IN nodes(p) | labels(n)[0]] AS labels,
       [x IN relationships(p) | coalesce(x.kind, '')] AS kinds
ORDER BY origin, length, path, kinds
