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
// Order: origin, length, path, kinds — built, not sorted at the end: origins
// are grouped by name in name order and each group's paths are sorted in the
// per-group subquery, so with $limit the server stops after the first rows
// instead of sorting every path of every origin.
// How: with $sector, the paths are found backwards from the few holders that
// cover it (the Sector node, then COVERS_SECTOR and DUTY_IN — the index `kgraph
// push` writes) and collected per origin first; without, each origin's paths
// are walked forwards in its group.  (The path list is filtered outside the
// pattern comprehension: ArcadeDB evaluates a WHERE inside one with the path
// unbound.)
OPTIONAL MATCH (:Sector {name: $sector})<-[:COVERS_SECTOR|DUTY_IN]-(covering)
WITH DISTINCT covering WHERE covering IS NOT NULL
MATCH p = (covering)<-[:CHAIN*1..6]-(origin)
WHERE ((origin:Organization AND origin.category IN ['党委', '政府', '党政']) OR (origin:Role AND origin.category = '党政领导'))
  AND all(i IN range(1, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[0..i])
WITH origin, collect({ns: reverse(nodes(p)), kinds: reverse([x IN relationships(p) | coalesce(x.kind, '')])}) AS paths
WITH collect({origin: origin, paths: paths}) AS found
CALL (found) {
  MATCH (origin:Organization) WHERE $sector IS NULL AND origin.category IN ['党委', '政府', '党政'] RETURN origin, null AS paths
  UNION ALL
  MATCH (origin:Role) WHERE $sector IS NULL AND origin.category = '党政领导' RETURN origin, null AS paths
  UNION ALL
  UNWIND found AS f RETURN f.origin AS origin, f.paths AS paths
}
WITH origin, paths WHERE $place IS NULL OR origin.name CONTAINS $place
WITH origin.name AS name, collect({origin: origin, paths: paths}) AS group
ORDER BY name
CALL (group) {
  UNWIND group AS g
  WITH g.origin AS origin, g.paths AS paths
  UNWIND CASE WHEN $sector IS NULL
    THEN [p IN [q = (origin)-[:CHAIN*1..6]->() | q] WHERE all(i IN range(1, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[0..i])
          | {ns: nodes(p), kinds: [x IN relationships(p) | coalesce(x.kind, '')]}]
    ELSE paths
  END AS row
  WITH origin, row.ns AS ns, [n IN row.ns | n.name] AS path, row.kinds AS kinds
  ORDER BY size(ns), path, kinds
  RETURN origin, ns, path, kinds
}
RETURN origin.name AS origin,
       origin.category AS origin_category,
       last(ns).name AS target,
       labels(last(ns))[0] AS target_label,
       size(ns) - 1 AS length,
       path,
       [n IN ns | labels(n)[0]] AS labels,
       kinds
LIMIT CASE WHEN $limit IS NULL THEN 500 WHEN $limit = 0 THEN 2147483647 ELSE $limit END
