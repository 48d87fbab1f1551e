"""Facts from many documents → one networkx MultiDiGraph.

Entity resolution is by node id (``Label:canonical name``): the extractors
already resolved aliases and converted to simplified Chinese, so 許南吉 in a
traditional speech and 许南吉 in a simplified one meet here as one node.
Edges are keyed by type plus the attributes that make a fact different
(schema.EDGE_KEY_ATTRS); repeated facts add evidence and raise ``count``.

Attribute types are kept GraphML-friendly except ``docs``, ``rules`` and
``evidence`` lists, which :mod:`kgraph.readwrite` encodes on export.
"""

from __future__ import annotations

from typing import Iterable

import networkx as nx

from kgraph import schema
from kgraph.lexicon import Lexicon, load_lexicon
from kgraph.model import DocumentResult, Fact

# MENTIONED_IN edges would dwarf the graph if they kept every mention's
# sentence; they keep the count and the first few.
MENTION_EVIDENCE_LIMIT = 3


def edge_key(fact_type: str, attrs: dict[str, str]) -> str:
    return "|".join([fact_type, *(attrs.get(a, "") for a in schema.EDGE_KEY_ATTRS.get(fact_type, ()))])


class GraphBuilder:
    """Accumulates documents into a graph; ``add`` one result at a time so a
    large corpus never has to be held as results in memory."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.graph = nx.MultiDiGraph()

    # --- nodes --------------------------------------------------------------
    def _node(self, label: str, name: str, doc: str | None = None, **attrs: str | int) -> str:
        nid = schema.node_id(label, name)
        g = self.graph
        if nid not in g:
            g.add_node(nid, label=label, name=name, mentions=0, docs=[], **self._defaults(label, name))
        data = g.nodes[nid]
        for k, v in attrs.items():
            if v and not data.get(k):
                data[k] = v
        if doc and doc not in data["docs"]:
            data["docs"].append(doc)
        return nid

    def _defaults(self, label: str, name: str) -> dict:
        lex = self.lexicon
        if label == schema.ORGANIZATION:
            entry = lex.lookup("organization", name)
            if entry:
                return {"category": entry.category}
            if name.endswith("级") or name in ("企业", "岗位"):
                return {"category": "层级" if name.endswith("级") else "企业"}
            return {"category": ""}
        if label == schema.RESPONSIBILITY:
            entry = lex.lookup("responsibility", name)
            return {"category": entry.category if entry else ""}
        if label == schema.ROLE:
            entry = lex.lookup("role", name) or lex.lookup("title", name)
            return {"category": "职务" if lex.lookup("title", name) else "角色", "rank": entry.rank if entry else 0}
        if label == schema.SECTOR:
            return {"focus": 0}
        if label == schema.OFFICIAL:
            return {"title": "", "org": ""}
        return {}

    # --- edges --------------------------------------------------------------
    def _edge(self, src: str, dst: str, fact_type: str, attrs: dict[str, str], evidence: dict | None, doc: str, limit: int | None = None) -> None:
        g = self.graph
        key = edge_key(fact_type, attrs)
        if not g.has_edge(src, dst, key):
            props = {a: attrs.get(a, "") for a in schema.EDGE_KEY_ATTRS.get(fact_type, ())}
            g.add_edge(src, dst, key=key, type=fact_type, count=0, docs=[], rules=[], evidence=[], **props)
        data = g.edges[src, dst, key]
        data["count"] += 1
        if doc not in data["docs"]:
            data["docs"].append(doc)
        if evidence is not None:
            if evidence["rule"] not in data["rules"]:
                data["rules"].append(evidence["rule"])
            if limit is None or len(data["evidence"]) < limit:
                data["evidence"].append(evidence)

    def add(self, result: DocumentResult) -> None:
        doc = result.document
        doc_node = self._node(
            schema.DOCUMENT, doc.id, path=doc.path, sha256=doc.sha256, encoding=doc.encoding, title=doc.title,
        )
        g = self.graph
        g.nodes[doc_node].update(converted=int(doc.converted), flagged_spans=len(doc.flags), sentences=len(result.sentences))
        sentences = {s.index: s for s in result.sentences}

        for m in result.mentions:
            label = schema.MENTION_KINDS[m.kind]
            extra: dict = {}
            if m.kind == "official":
                extra = {"title": m.title, "org": m.org}
            nid = self._node(label, m.name, doc.id, **extra)
            g.nodes[nid]["mentions"] += 1
            if m.category == "focus":
                g.nodes[nid]["focus"] += 1
            s = sentences.get(m.sentence)
            ev = {"doc": doc.id, "sentence": m.sentence, "start": m.start, "end": m.end, "rule": m.rule, "text": s.text if s else ""}
            self._edge(nid, doc_node, schema.MENTIONED_IN, {}, ev, doc.id, limit=MENTION_EVIDENCE_LIMIT)

        for f in result.facts:
            self.add_fact(f, doc.id, doc.title)

    def add_fact(self, f: Fact, doc_id: str, doc_title: str = "") -> None:
        src = self._node(*f.subject, doc=doc_id)
        if f.object[0] == schema.MEETING:
            dst = self._node(schema.MEETING, f.object[1], doc=doc_id, title=doc_title or f.object[1], doc_id=doc_id)
            self._edge(dst, schema.node_id(schema.DOCUMENT, doc_id), schema.RECORDED_IN, {}, None, doc_id)
        else:
            dst = self._node(*f.object, doc=doc_id)
        self._edge(src, dst, f.type, f.attr, f.evidence.to_dict(), doc_id)

    def finish(self) -> nx.MultiDiGraph:
        return self.graph


def build_graph(results: Iterable[DocumentResult], lexicon: Lexicon | None = None) -> nx.MultiDiGraph:
    """Build the responsibility graph from processed documents.

    >>> from kgraph import build_graph, process_text
    >>> g = build_graph([process_text("各行业主管部门要按照“三管三必须”的要求落实责任。", "d")])
    >>> g.has_edge("Organization:行业主管部门", "Responsibility:三管三必须")
    True
    """
    builder = GraphBuilder(lexicon)
    for r in results:
        builder.add(r)
    return builder.finish()
