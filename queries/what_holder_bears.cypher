// name: what_holder_bears
// description: What a holder (official, organisation or role) bears, covers and performs; for an official also through the titles it holds.
// params: holder (string) — the holder's name, e.g. 应急管理局 or 许南吉
// columns: holder, holder_label, titles, via, relation, target, target_label, responsibility, sector, count, docs, evidence
// Every Official/Organization/Role named $holder.  titles: the Role names the
// holder HOLDS_TITLE (sorted; [] for non-officials).  via: '' for the holder's
// own edges, else the title (Role) whose BEARS/COVERS_SECTOR/PERFORMS edge it is.
// responsibility: Responsibility name for BEARS, else the edge attribute or '';
// sector: Sector name for COVERS_SECTOR, else the edge attribute or ''.
CALL () {
  MATCH (h:Official {name: $holder}) RETURN h
  UNION
  MATCH (h:Organization {name: $holder}) RETURN h
  UNION
  MATCH (h:Role {name: $holder}) RETURN h
}
OPTIONAL MATCH (h)-[:HOLDS_TITLE]->(role:Role)
WITH h, role ORDER BY role.name
WITH h, collect(role) AS roles
UNWIND [h] + roles AS bearer
MATCH (bearer)-[r:BEARS|COVERS_SECTOR|PERFORMS]->(t)
RETURN h.name AS holder,
       labels(h)[0] AS holder_label,
       [x IN roles | x.name] AS titles,
       CASE WHEN bearer = h THEN '' ELSE bearer.name END AS via,
       type(r) AS relation,
       t.name AS target,
       labels(t)[0] AS target_label,
       CASE type(r) WHEN 'BEARS' THEN t.name ELSE coalesce(r.responsibility, '') END AS responsibility,
       CASE type(r) WHEN 'COVERS_SECTOR' THEN t.name ELSE coalesce(r.sector, '') END AS sector,
       coalesce(r.count, 0) AS count,
       coalesce(r.docs, []) AS docs,
       [i IN range(0, size(coalesce(r.ev_doc, [])) - 1) | {doc: r.ev_doc[i], sentence: r.ev_sentence[i], start: r.ev_start[i], `end`: r.ev_end[i], rule: r.ev_rule[i], text: r.ev_text[i]}] AS evidence
ORDER BY holder_label, holder, via, relation, target, responsibility, sector
