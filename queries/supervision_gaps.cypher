// name: supervision_gaps
// description: 监管空白 — focus sectors (named as 重点行业领域) that no 部门 covers: no Organization of category 部门 has COVERS_SECTOR into them.
// params: none
// columns: sector, focus_mentions, mentions, docs, covered_by_non_departments
// Sector nodes with focus > 0 (mentioned as a focus at least once) and no
// COVERS_SECTOR from an Organization whose category is 部门.
// covered_by_non_departments: distinct names of whatever does cover the sector
// (属地, 企业, officials …), sorted; [] when nothing covers it at all.
MATCH (s:Sector)
WHERE coalesce(s.focus, 0) > 0
  AND NOT EXISTS { MATCH (o:Organization)-[:COVERS_SECTOR]->(s) WHERE o.category = $department }
OPTIONAL MATCH (h)-[:COVERS_SECTOR]->(s)
WITH s, h ORDER BY h.name
WITH s, collect(DISTINCT h.name) AS covered
RETURN s.name AS sector,
       coalesce(s.focus, 0) AS focus_mentions,
       coalesce(s.mentions, 0) AS mentions,
       coalesce(s.docs, []) AS docs,
       covered AS covered_by_non_departments
ORDER BY focus_mentions DESC, sector
