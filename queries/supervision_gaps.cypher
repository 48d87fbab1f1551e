// name: supervision_gaps
// description: 监管空白 — sectors no 部门 (department) covers: no Organization of category 部门 has COVERS_SECTOR into them.
// params: none
// columns: sector, mentions, docs, covered_by
// covered_by: the distinct names of whatever does cover the sector (属地,
// 企业, officials …), sorted; [] when nothing covers it at all.
MATCH (s:Sector)
WHERE NOT EXISTS { MATCH (o:Organization)-[:COVERS_SECTOR]->(s) WHERE o.category = '部门' }
OPTIONAL MATCH (h)-[:COVERS_SECTOR]->(s)
WITH s, h ORDER BY h.name
WITH s, collect(DISTINCT h.name) AS covered_by
RETURN s.name AS sector,
       coalesce(s.mentions, 0) AS mentions,
       coalesce(s.docs, []) AS docs,
       covered_by
ORDER BY mentions DESC, sector
