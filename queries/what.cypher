// name: what
// description: Everything a holder (official, body or role, exact name) bears, covers, performs, hands down, was assigned or assigned — what `kgraph what` shows.
// params: name (string) — a canonical Official, Organization or Role name, e.g. 行业主管部门; evidence (int, optional) — evidence rows per answer (default 3); place (string, optional) — a jurisdiction, any level, e.g. 云南省; since (string, optional) — YYYY[-MM[-DD]], documents dated on or after; until (string, optional) — documents dated on or before
// columns: direction, src, src_label, type, dst, dst_label, kind, sector, responsibility, task, count, docs, evidence
// direction 'out': the holder's BEARS, COVERS_SECTOR, PERFORMS, CHAIN,
// HOLDS_TITLE, IN_ORG, ASSIGNED, SPOKE_AT, CHAIRED, ATTENDED edges;
// 'in': CHAIN and ASSIGNED edges into it.  Edge attributes are '' when absent.
// $place, $since, $until (optional): only what documents of that jurisdiction
// (any level of the document's place_key: 云南省 takes 云南省/…/元阳县; a
// leading part of a name will do, 鹰潭 → 鹰潭市) and of those dates
// (YYYY[-MM[-DD]], compared at the document date's precision) support; the
// rows' docs and evidence keep only those documents.
OPTIONAL MATCH (doc:Document)
WHERE ($place IS NOT NULL OR $since IS NOT NULL OR $until IS NOT NULL)
  AND ($place IS NULL OR any(seg IN split(coalesce(doc.place_key, ''), '/') WHERE seg <> '' AND (seg = $place OR (size($place) >= 2 AND seg STARTS WITH $place))))
  AND ($since IS NULL OR (coalesce(doc.date, '') <> '' AND left(doc.date, size($since)) >= left($since, size(doc.date))))
  AND ($until IS NULL OR (coalesce(doc.date, '') <> '' AND left(doc.date, size($until)) <= left($until, size(doc.date))))
WITH collect(doc.name) AS allowed, ($place IS NULL AND $since IS NULL AND $until IS NULL) AS everything
CALL () {
  MATCH (h:Official {name: $name}) RETURN h
  UNION
  MATCH (h:Organization {name: $name}) RETURN h
  UNION
  MATCH (h:Role {name: $name}) RETURN h
}
CALL (h) {
  MATCH (h)-[r:BEARS|COVERS_SECTOR|PERFORMS|CHAIN|HOLDS_TITLE|IN_ORG|ASSIGNED|SPOKE_AT|CHAIRED|ATTENDED]->(o)
  RETURN 'out' AS direction, h AS a, r, o AS b
  UNION
  MATCH (o)-[r:CHAIN|ASSIGNED]->(h)
  RETURN 'in' AS direction, o AS a, r, h AS b
}
WITH direction, a, r, b, coalesce($evidence, $default_evidence) AS n, everything, [d IN coalesce(r.docs, []) WHERE everything OR d IN allowed] AS docs
WHERE everything OR size(docs) > 0
RETURN direction,
       a.name AS src,
       labels(a)[0] AS src_label,
       type(r) AS type,
       b.name AS dst,
       labels(b)[0] AS dst_label,
       coalesce(r.kind, '') AS kind,
       coalesce(r.sector, '') AS sector,
       coalesce(r.responsibility, '') AS responsibility,
       coalesce(r.task, '') AS task,
       coalesce(r.count, 0) AS count,
       docs,
       [e IN [i IN range(0, size(coalesce(r.ev_doc, [])) - 1) WHERE i < n | {doc: r.ev_doc[i], sentence: r.ev_sentence[i], start: r.ev_start[i], `end`: r.ev_end[i], rule: r.ev_rule[i], text: r.ev_text[i]}] WHERE everything OR e.doc IN docs] AS evidence
ORDER BY direction DESC, type, count DESC, src, dst, kind, sector, responsibility, task
