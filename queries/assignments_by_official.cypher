// name: assignments_by_official
// description: What an official assigned to whom (ASSIGNED, with evidence) and the meetings they spoke at or chaired.
// params: official (string) — the official's name, e.g. 许南吉
// columns: official, relation, target, target_label, responsibility, sector, count, docs, evidence
// relation is ASSIGNED (target: the holder it was assigned to), SPOKE_AT or
// CHAIRED (target: the Meeting).  responsibility/sector: the ASSIGNED edge's
// attributes, '' otherwise.
MATCH (o:Official {name: $official})-[r:ASSIGNED|SPOKE_AT|CHAIRED]->(t)
RETURN o.name AS official,
       type(r) AS relation,
       t.name AS target,
       labels(t)[0] AS target_label,
       coalesce(r.responsibility, '') AS responsibility,
       coalesce(r.sector, '') AS sector,
       coalesce(r.count, 0) AS count,
       coalesce(r.docs, []) AS docs,
       [i IN range(0, size(coalesce(r.ev_doc, [])) - 1) | {doc: r.ev_doc[i], sentence: r.ev_sentence[i], start: r.ev_start[i], `end`: r.ev_end[i], rule: r.ev_rule[i], text: r.ev_text[i]}] AS evidence
ORDER BY relation, target, responsibility, sector
