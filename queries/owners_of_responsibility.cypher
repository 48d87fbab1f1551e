// name: owners_of_responsibility
// description: Who bears a responsibility (by name, or by category such as 部门监管责任) — BEARS it, or COVERS a sector under it — with evidence.
// params: responsibility (string) — a Responsibility name or category, e.g. 属地管理责任
// columns: holder, holder_label, relation, target, target_label, responsibility, sector, count, docs, evidence
// BEARS into a Responsibility whose name or category is $responsibility, and
// COVERS_SECTOR whose responsibility attribute is $responsibility.
// responsibility is the Responsibility node's name for BEARS (so a category
// lookup shows the concrete responsibilities); sector is the edge's sector
// attribute for BEARS and the Sector name for COVERS_SECTOR.
CALL () {
  MATCH (t:Responsibility)<-[r:BEARS]-(h)
  WHERE t.name = $responsibility OR t.category = $responsibility
  RETURN h, r, t
  UNION ALL
  MATCH (t:Sector)<-[r:COVERS_SECTOR]-(h) WHERE r.responsibility = $responsibility RETURN h, r, t
}
RETURN h.name AS holder,
       labels(h)[0] AS holder_label,
       type(r) AS relation,
       t.name AS target,
       labels(t)[0] AS target_label,
       CASE type(r) WHEN 'BEARS' THEN t.name ELSE coalesce(r.responsibility, '') END AS responsibility,
       CASE type(r) WHEN 'COVERS_SECTOR' THEN t.name ELSE coalesce(r.sector, '') END AS sector,
       coalesce(r.count, 0) AS count,
       coalesce(r.docs, []) AS docs,
       [i IN range(0, size(coalesce(r.ev_doc, [])) - 1) | {doc: r.ev_doc[i], sentence: r.ev_sentence[i], start: r.ev_start[i], `end`: r.ev_end[i], rule: r.ev_rule[i], text: r.ev_text[i]}] AS evidence
ORDER BY holder_label, holder, relation, target, sector
