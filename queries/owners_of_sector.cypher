// name: owners_of_sector
// description: Who answers for a sector: holders that BEAR a responsibility or PERFORM a task for it, or COVER it — with evidence.
// params: sector (string) — a sector name, e.g. 危险化学品
// columns: holder, holder_label, relation, target, target_label, responsibility, sector, count, docs, evidence
// One row per relationship: BEARS/PERFORMS whose sector attribute is $sector, and
// COVERS_SECTOR into the Sector node named $sector.  responsibility is the
// Responsibility name for BEARS, the edge's responsibility attribute for
// COVERS_SECTOR, '' for PERFORMS.  evidence: list of {doc, sentence, start, end, rule, text}.
// BEARS/PERFORMS are found through the index on their sector property
// (created by `kgraph push`), COVERS_SECTOR from the Sector's name index.
CALL () {
  MATCH (h)-[r:BEARS {sector: $sector}]->(t:Responsibility) RETURN h, r, t
  UNION ALL
  MATCH (h)-[r:PERFORMS {sector: $sector}]->(t:Task) RETURN h, r, t
  UNION ALL
  MATCH (t:Sector {name: $sector})<-[r:COVERS_SECTOR]-(h) RETURN h, r, t
}
RETURN h.name AS holder,
       labels(h)[0] AS holder_label,
       type(r) AS relation,
       t.name AS target,
       labels(t)[0] AS target_label,
       CASE type(r) WHEN 'BEARS' THEN t.name ELSE coalesce(r.responsibility, '') END AS responsibility,
       $sector AS sector,
       coalesce(r.count, 0) AS count,
       coalesce(r.docs, []) AS docs,
       [i IN range(0, size(coalesce(r.ev_doc, [])) - 1) | {doc: r.ev_doc[i], sentence: r.ev_sentence[i], start: r.ev_start[i], `end`: r.ev_end[i], rule: r.ev_rule[i], text: r.ev_text[i]}] AS evidence
ORDER BY holder_label, holder, relation, target, responsibility
