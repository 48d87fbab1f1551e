// name: edge_evidence
// description: The sentences behind an edge: every piece of evidence for src -[type]-> dst, by node names.
// params: src (string) — name of the source node; type (string) — relationship type, e.g. BEARS; dst (string) — name of the target node
// columns: src, src_label, type, dst, dst_label, key, count, doc, sentence, start, end, rule, text
// src/dst are node names (any label); type is compared upper-cased.  One row
// per evidence item of every matching edge (parallel edges differ by key).
CALL () {
  MATCH (a:Official {name: $src}) RETURN a
  UNION MATCH (a:Organization {name: $src}) RETURN a
  UNION MATCH (a:Role {name: $src}) RETURN a
  UNION MATCH (a:Meeting {name: $src}) RETURN a
  UNION MATCH (a:Responsibility {name: $src}) RETURN a
  UNION MATCH (a:Sector {name: $src}) RETURN a
  UNION MATCH (a:Task {name: $src}) RETURN a
  UNION MATCH (a:Document {name: $src}) RETURN a
}
MATCH (a)-[r]->(b)
WHERE type(r) = toUpper($type) AND b.name = $dst
UNWIND range(0, size(coalesce(r.ev_doc, [])) - 1) AS i
RETURN a.name AS src,
       labels(a)[0] AS src_label,
       type(r) AS type,
       b.name AS dst,
       labels(b)[0] AS dst_label,
       r.key AS key,
       coalesce(r.count, 0) AS count,
       r.ev_doc[i] AS doc,
       r.ev_sentence[i] AS sentence,
       r.ev_start[i] AS start,
       r.ev_end[i] AS `end`,
       r.ev_rule[i] AS rule,
       r.ev_text[i] AS text
ORDER BY src_label, dst_label, key, doc, sentence, start
