// name: party_government_chain
// description: The 党政同责 chain: CHAIN paths (1–6 steps, no node twice) from 党委/政府 and party-government leaders down, optionally for a place and/or a sector.
// params: place (string, optional) — part of the starting organisation's name, e.g. 市; sector (string, optional) — keep paths whose last holder covers it; limit (int, optional) — at most this many rows, the first in the order below (default 500, or 0 for all)
// columns: origin, origin_category, target, target_label, length, path, labels, kinds
// Start: Organization with category 党委, 政府 or 党政 (党委政府), or Role with
// category 党政领导 (一把手, 党政主要领导, 党政领导干部 …), whose name contains
// $place when given.  Paths follow CHAIN edges forward, 1..6 hops, simple (no
// repeated node).  With $sector, the last node must COVER_SECTOR the Sector
// named $sector, or have a BEARS/PERFORMS edge whose sector is $sector.
// path/labels: names/labels of every node on the path, origin first;
// kinds: the CHAIN kind of every hop.  One row per path.
// Order: origin, length, path, kinds — an explicit ORDER BY; the origins are
// sorted by name first, so Neo4j sorts only within each origin (PartialTop)
// and, with $limit, stops after the first rows instead of walking every path.
// How: with $sector, the paths are walked backwards from the few holders that
// cover it (the Sector's name index, the sector-property indexes of
// BEARS/PERFORMS); without, forwards from every origin.
CALL () {
  CALL () {
    MATCH (:Sector {name: $sector})<-[:COVERS_SECTOR]-(covering) RETURN covering
    UNION
    MATCH (covering)-[:BEARS {sector: $sector}]->() RETURN covering
    UNION
    MATCH (covering)-[:PERFORMS {sector: $sector}]->() RETURN covering
  }
  MATCH p = (covering)<-[:CHAIN*1..6]-(origin)
  WHERE ((origin:Organization AND origin.category IN $leading_orgs) OR (origin:Role AND origin.category IN $leading_roles))
    AND all(i IN range(1, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[0..i])
  RETURN origin, collect({ns: reverse(nodes(p)), kinds: reverse([x IN relationships(p) | coalesce(x.kind, '')])}) AS found
  UNION ALL
  MATCH (origin:Organization) WHERE $sector IS NULL AND origin.category IN $leading_orgs RETURN origin, null AS found
  UNION ALL
  MATCH (origin:Role) WHERE $sector IS NULL AND origin.category IN $leading_roles RETURN origin, null AS found
}
WITH origin, found WHERE $place IS NULL OR origin.name CONTAINS $place
ORDER BY origin.name
CALL (origin, found) {
  WITH origin, found WHERE found IS NULL
  MATCH p = (origin)-[:CHAIN*1..6]->()
  WHERE all(i IN range(1, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[0..i])
  RETURN nodes(p) AS ns, [x IN relationships(p) | coalesce(x.kind, '')] AS kinds
  UNION ALL
  WITH found WHERE found IS NOT NULL
  UNWIND found AS f
  RETURN f.ns AS ns, f.kinds AS kinds
}
RETURN origin.name AS origin,
       origin.category AS origin_category,
       last(ns).name AS target,
       labels(last(ns))[0] AS target_label,
       size(ns) - 1 AS length,
       [n IN ns | n.name] AS path,
       [n IN ns | labels(n)[0]] AS labels,
       kinds
ORDER BY origin, length, path, kinds
LIMIT CASE WHEN $limit IS NULL THEN $page WHEN $limit = 0 THEN 2147483647 ELSE $limit END
