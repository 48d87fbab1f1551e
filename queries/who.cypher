// name: who
// description: Who bears, covers or performs a sector, responsibility or task (exact name) — what `kgraph who` shows.
// params: name (string) — a canonical Sector, Responsibility or Task name, e.g. 危险化学品; evidence (int, optional) — evidence rows per answer (default 3); place (string, optional) — a jurisdiction, any level, e.g. 云南省; since (string, optional) — YYYY[-MM[-DD]], documents dated on or after; until (string, optional) — documents dated on or before
// columns: holder, holder_label, relation, target, target_label, sector, responsibility, count, docs, evidence
// BEARS/COVERS_SECTOR/PERFORMS into a Sector, Responsibility or Task named
// $name, plus BEARS/PERFORMS whose sector attribute is $name.
// sector: the Sector for COVERS_SECTOR, else the edge's sector ('' if none);
// responsibility: the Responsibility for BEARS, else the edge's ('' if none).
// Each branch starts from an index: the node's name, or the sector property
// of BEARS/PERFORMS (relationship-property indexes `kgraph push` creates).
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
  MATCH (t:Sector {name: $name})<-[r:COVERS_SECTOR]-(h) RETURN h, r, t
  UNION
  MATCH (t:Responsibility {name: $name})<-[r:BEARS]-(h) RETURN h, r, t
  UNION
  MATCH (t:Task {name: $name})<-[r:PERFORMS]-(h) RETURN h, r, t
  UNION
  MATCH (h)-[r:BEARS {sector: $name}]->(t:Responsibility) RETURN h, r, t
  UNION
  MATCH (h)-[r:PERFORMS {sector: $name}]->(t:Task) RETURN h, r, t
}
WITH h, r, t, coalesce($evidence, $default_evidence) AS n, everything, [d IN coalesce(r.docs, []) WHERE everything OR d IN allowed] AS docs
WHERE everything OR size(docs) > 0
RETURN h.name AS holder,
       labels(h)[0] AS holder_label,
       type(r) AS relation,
       t.name AS target,
       labels(t)[0] AS target_label,
       CASE type(r) WHEN 'COVERS_SECTOR' THEN t.name ELSE coalesce(r.sector, '') END AS sector,
       CASE type(r) WHEN 'BEARS' THEN t.name ELSE coalesce(r.responsibility, '') END AS responsibility,
       coalesce(r.count, 0) AS count,
       docs,
       [e IN [i IN range(0, size(coalesce(r.ev_doc, [])) - 1) WHERE i < n | {doc: r.ev_doc[i], sentence: r.ev_sentence[i], start: r.ev_start[i], `end`: r.ev_end[i], rule: r.ev_rule[i], text: r.ev_text[i]}] WHERE everything OR e.doc IN docs] AS evidence
ORDER BY count DESC, holder, relation, target, sector, responsibility
