"""Facts from many documents → one networkx MultiDiGraph.

Entity resolution is by node id (``Label:canonical name``): the extractors
already resolved aliases and converted to simplified Chinese, so 許南吉 in a
traditional speech and 许南吉 in a simplified one meet here as one node.
Edges are keyed by type plus the attributes that make a fact different
(schema.EDGE_KEY_ATTRS); repeated facts add evidence and raise ``count``.

Attribute types are kept GraphML-friendly except ``docs``, ``rules`` and
``evidence`` lists, which :mod:`kgraph.readwrite` encodes on export.

Why one module: :class:`GraphBuilder`'s node, edge and evidence bookkeeping
share one state (ids, current document, sinks); the rest is small helpers of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import networkx as nx

from kgraph import schema
from kgraph.jurisdiction.markers import is_national
from kgraph.lexicon import Lexicon, load_lexicon
from kgraph.model import DocumentResult, Fact

# MENTIONED_IN edges would dwarf the graph if they kept every mention's
# sentence; they keep the count and the first few.
MENTION_EVIDENCE_LIMIT = 3

# (doc, sentence, start, end, rule, text): one evidence row, as stored.
EvidenceRow = tuple[str, int, int, int, str, str]
# Receives (edge id, evidence row) when evidence is streamed out of memory.
EvidenceSink = Callable[[int, EvidenceRow], None]
# Receives (edge id, src, dst, key, attributes) of an edge that is complete.
EdgeSink = Callable[[int, str, str, str, dict], None]

_EV_KEYS = ("doc", "sentence", "start", "end", "rule", "text")
_MENTION_LABEL = schema.MENTION_KINDS


def edge_key(fact_type: str, attrs: dict[str, str]) -> str:
    key_attrs = schema.EDGE_KEY_ATTRS.get(fact_type)
    if not key_attrs:
        return fact_type
    return "|".join([fact_type, *(attrs.get(a, "") for a in key_attrs)])


class GraphBuilder:
    """Accumulates documents into a graph; ``add`` one result at a time so a
    large corpus never has to be held as results in memory.

    Nodes and edges are kept as plain dicts while documents come in (networkx
    is built once, by :meth:`finish`).  With an ``evidence_sink`` the evidence
    rows are handed to it as they are found instead of being kept on the edges,
    so memory grows with the number of distinct nodes and edges, not with the
    number of sentences: :func:`kgraph.build.build_workspace` streams them
    straight into the SQLite file.
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        evidence_sink: EvidenceSink | None = None,
        edge_sink: EdgeSink | None = None,
    ) -> None:
        self.lexicon = lexicon or load_lexicon()
        self._sink = evidence_sink
        # With an edge sink, the edges into a document's node (MENTIONED_IN,
        # RECORDED_IN: one per entity per document, most of the graph) are
        # handed over as soon as that document is added: nothing can touch
        # them again, provided every document id is added once.
        self._edge_sink = edge_sink
        self._doc_edges: list[tuple[str, str, str]] = []
        self._flushed = 0
        self._nodes: dict[str, dict] = {}
        # (src, dst, key) -> [edge id, attributes, evidence rows seen]
        self._edges: dict[tuple[str, str, str], list] = {}
        self._defaults_memo: dict[tuple[str, str], dict] = {}
        # ``docs`` lists are deduplicated without scanning them (a popular node
        # is in every document, and a scan would make the build quadratic):
        # within one ``add`` call a document is new to an entity unless the
        # entity already saw this very call.
        self._serial = 0
        self._current_node = ""
        self._current: str | None = (
            None  # doc id of the add() in progress, if it is its first
        )
        self._last: dict = {}  # node id / edge triple -> serial of the last add() that listed its doc
        self._added: set[str] = set()
        self._scope: _Scope | None = (
            None  # the jurisdiction of the document being added
        )

    def resume(
        self,
        nodes: Iterable[tuple[str, dict]],
        edges: Iterable[tuple[int, str, str, str, dict, int]],
        flushed: int,
        doc_ids: Iterable[str],
    ) -> None:
        """Continue from a graph built earlier (empty builder only), as if its
        documents had been added to this builder, so adding more gives what
        re-adding them all would: ``nodes`` (id, attributes) in first-seen
        order; ``edges`` (id, src, dst, key, attributes, evidence rows kept)
        that were not handed to the edge sink, in id order; ``flushed``, how
        many were (edge ids must be 1..n, as a builder gives them); ``doc_ids``,
        the documents added."""
        if self._nodes or self._edges or self._flushed:
            raise RuntimeError("resume() needs an empty builder")
        self._nodes = dict(nodes)
        for eid, src, dst, key, data, kept in edges:
            data.setdefault("evidence", [])
            self._edges[(src, dst, key)] = [eid, data, kept]
        self._flushed = flushed
        self._added = set(doc_ids)

    # --- nodes --------------------------------------------------------------
    def _add_doc(self, owner: str | tuple[str, str, str], docs: list, doc: str) -> None:
        if doc == self._current:
            if self._last.get(owner) != self._serial:
                self._last[owner] = self._serial
                docs.append(doc)
        elif doc not in docs:
            docs.append(doc)

    def _node(
        self, label: str, name: str, doc: str | None = None, **attrs: str | int
    ) -> str:
        nid = schema.node_id(label, name)
        data = self._nodes.get(nid)
        if data is None:
            data = self._nodes[nid] = {
                "label": label,
                "name": name,
                "mentions": 0,
                "docs": [],
                **self._defaults(label, name),
            }
        for k, v in attrs.items():
            if v and not data.get(k):
                data[k] = v
        if doc:
            self._add_doc(nid, data["docs"], doc)
        return nid

    def _defaults(self, label: str, name: str) -> dict:
        memo = self._defaults_memo.get((label, name))
        if memo is None:
            # a scoped body (鹰潭市·市政府) is the lexicon's 市政府
            plain = (
                schema.unscoped_name(name) if label in schema.SCOPED_LABELS else name
            )
            memo = self._defaults_memo[(label, name)] = self._compute_defaults(
                label, plain
            )
        return memo

    def _compute_defaults(self, label: str, name: str) -> dict:
        lex = self.lexicon
        # a body or official of no known place is marked so (place ""); a national one 国家
        place = {"place": "国家" if is_national(name) else ""}
        if label == schema.ORGANIZATION:
            entry = lex.lookup("organization", name)
            if entry:
                return {"category": entry.category, **place}
            if name.endswith("级") or name in ("企业", "岗位"):
                return {"category": "层级" if name.endswith("级") else "企业", **place}
            return {"category": "", **place}
        if label == schema.RESPONSIBILITY:
            entry = lex.lookup("responsibility", name)
            return {"category": entry.category if entry else ""}
        if label == schema.ROLE:
            title = lex.lookup("title", name)
            if title:
                return {"category": "职务", "rank": title.rank}
            entry = lex.lookup("role", name)
            return {
                "category": entry.category if entry else "",
                "rank": entry.rank if entry else 0,
            }
        if label == schema.SECTOR:
            return {"focus": 0}
        if label == schema.OFFICIAL:
            return {"title": "", "org": "", **place}
        return {}

    # --- edges --------------------------------------------------------------
    def _edge(
        self,
        src: str,
        dst: str,
        fact_type: str,
        attrs: dict[str, str],
        doc: str,
        rule: str | None = None,
    ) -> list:
        """Count one more occurrence of an edge in ``doc`` (found by ``rule``);
        returns its record [edge id, attributes, evidence rows kept]."""
        key = edge_key(fact_type, attrs)
        triple = (src, dst, key)
        rec = self._edges.get(triple)
        if rec is None:
            for nid in (src, dst):  # an edge never creates a bare, label-less node
                if nid not in self._nodes:
                    self._node(*schema.split_node_id(nid))
            props = {
                a: attrs.get(a, "") for a in schema.EDGE_KEY_ATTRS.get(fact_type, ())
            }
            data = {
                "type": fact_type,
                "count": 0,
                "docs": [],
                "rules": [],
                "evidence": [],
                **props,
            }
            rec = self._edges[triple] = [len(self._edges) + self._flushed + 1, data, 0]
            if (
                self._edge_sink is not None
                and self._current is not None
                and dst == self._current_node
            ):
                self._doc_edges.append(triple)
        data = rec[1]
        data["count"] += 1
        self._add_doc(triple, data["docs"], doc)
        if rule is not None and rule not in data["rules"]:
            data["rules"].append(rule)
        return rec

    def _keep_evidence(self, rec: list, evidence: EvidenceRow) -> None:
        rec[2] += 1
        if self._sink is not None:
            self._sink(rec[0], evidence)
        else:
            rec[1]["evidence"].append(dict(zip(_EV_KEYS, evidence, strict=True)))

    # --- documents ------------------------------------------------------------
    def add(self, result: DocumentResult) -> None:
        doc = result.document
        texts = {s.index: s.text for s in result.sentences}
        self._add_parts(
            doc.id,
            {
                "path": doc.path,
                "sha256": doc.sha256,
                "encoding": doc.encoding,
                "title": doc.title,
                "place": doc.place,
                "date": doc.date,
            },
            (int(doc.converted), len(doc.flags), len(result.sentences)),
            texts.get,
            (
                (
                    m.kind,
                    m.name,
                    m.start,
                    m.end,
                    m.sentence,
                    m.rule,
                    m.title,
                    m.org,
                    m.category,
                )
                for m in result.mentions
            ),
            (
                (
                    f.type,
                    f.subject,
                    f.object,
                    f.attrs,
                    (
                        f.evidence.doc,
                        f.evidence.sentence,
                        f.evidence.start,
                        f.evidence.end,
                        f.evidence.rule,
                        f.evidence.text,
                    ),
                )
                for f in result.facts
            ),
        )

    def add_data(self, data: dict) -> None:
        """Add one document in the cache's JSON form (see :func:`kgraph.result_json.result_to_json`),
        without building the dataclasses first."""
        from kgraph.result_json import compact_parts

        self._add_parts(*compact_parts(data))

    def _add_parts(
        self,
        doc_id: str,
        doc_attrs: dict,
        counts: tuple[int, int, int],
        sentence_text: Callable[[int], str | None],
        mentions: Iterable[Sequence],
        facts: Iterable[Sequence],
    ) -> None:
        self._serial += 1
        self._current = doc_id if doc_id not in self._added else None
        self._current_node = schema.node_id(schema.DOCUMENT, doc_id)
        self._added.add(doc_id)
        try:
            doc_attrs = dict(doc_attrs)
            place = doc_attrs.pop("place", None) or {}
            date = doc_attrs.pop("date", None) or {}
            doc_attrs["date"] = date.get("value") or ""
            doc_attrs["place"] = place.get("name") or ""
            doc_attrs["place_level"] = place.get("level") or ""
            if place.get("name"):
                doc_attrs["place_key"] = "/".join(
                    [
                        *reversed([p for p in place.get("parents") or [] if p]),
                        place["name"],
                    ]
                )
            doc_node = self._node(schema.DOCUMENT, doc_id, **doc_attrs)
            self._scope = _Scope(self, place, doc_id, doc_attrs["date"])
            if self._scope.node:
                self._edge(doc_node, self._scope.node, schema.IN_PLACE, {}, doc_id)
            nodes = self._nodes
            d = nodes[doc_node]
            d["converted"], d["flagged_spans"], d["sentences"] = counts
            scoped = self._scope.name
            # (kind, name) → its node and MENTIONED_IN edge in this document: a
            # second mention of a thing only counts (scoping the name, listing
            # the document and creating the edge are done by the first); an
            # official is not memoised, as each mention may bring a title or org
            seen: dict[tuple[str, str], tuple[dict, list]] = {}
            for (
                kind,
                name,
                start,
                end,
                sentence,
                rule,
                title,
                org,
                category,
            ) in mentions:
                hit = seen.get((kind, name))
                if hit is not None:
                    # _edge's count, for a record this document already lists
                    n, rec = hit
                    data = rec[1]
                    data["count"] += 1
                    if rule not in data["rules"]:
                        data["rules"].append(rule)
                else:
                    label = _MENTION_LABEL[kind]
                    as_written = name
                    if label in schema.SCOPED_LABELS:
                        name = scoped(label, name)
                    if kind == "official":
                        nid = self._node(label, name, doc_id, title=title, org=org)
                    else:
                        nid = self._node(label, name, doc_id)
                    n = nodes[nid]
                    rec = self._edge(
                        nid, doc_node, schema.MENTIONED_IN, {}, doc_id, rule
                    )
                    if kind != "official":
                        seen[(kind, as_written)] = (n, rec)
                n["mentions"] += 1
                if category == "focus":
                    n["focus"] += 1
                if rec[2] < MENTION_EVIDENCE_LIMIT:
                    self._keep_evidence(
                        rec,
                        (
                            doc_id,
                            sentence,
                            start,
                            end,
                            rule,
                            sentence_text(sentence) or "",
                        ),
                    )
            title = doc_attrs.get("title", "")
            for ftype, subject, obj, attrs, ev in facts:
                self._add_fact(ftype, subject, obj, dict(attrs), ev, doc_id, title)
            last, sink = self._last, self._edge_sink
            for triple in self._doc_edges:  # listed only when there is a sink
                eid, data, _ = self._edges.pop(triple)
                last.pop(triple, None)  # nothing will list a document on it again
                if sink is not None:
                    sink(eid, *triple, data)
            self._flushed += len(self._doc_edges)
        finally:
            self._current = None
            self._doc_edges = []

    def add_fact(self, f: Fact, doc_id: str, doc_title: str = "") -> None:
        e = f.evidence
        self._add_fact(
            f.type,
            f.subject,
            f.object,
            f.attr,
            (e.doc, e.sentence, e.start, e.end, e.rule, e.text),
            doc_id,
            doc_title,
        )

    def _add_fact(
        self,
        ftype: str,
        subject: Sequence[str],
        obj: Sequence[str],
        attrs: dict,
        ev: EvidenceRow,
        doc_id: str,
        doc_title: str,
    ) -> None:
        scope = (
            self._scope
            if self._scope is not None and self._scope.doc == doc_id
            else _Scope(self, {}, doc_id, "")
        )
        src = self._node(subject[0], scope.name(*subject), doc=doc_id)
        if obj[0] == schema.MEETING:
            dst = self._node(
                schema.MEETING,
                obj[1],
                doc=doc_id,
                title=doc_title or obj[1],
                doc_id=doc_id,
                date=scope.date,
                place=scope.short,
            )
            self._edge(
                dst,
                schema.node_id(schema.DOCUMENT, doc_id),
                schema.RECORDED_IN,
                {},
                doc_id,
            )
            if scope.node:
                scope.tie(dst)
        else:
            dst = self._node(obj[0], scope.name(*obj), doc=doc_id)
        rec = self._edge(src, dst, ftype, attrs, doc_id, ev[4])
        if scope.date:
            dates = rec[1].setdefault("dates", [])
            if scope.date not in dates:
                dates.append(scope.date)
        self._keep_evidence(rec, ev)

    # --- results --------------------------------------------------------------
    def nodes(self) -> Iterator[tuple[str, dict]]:
        """(node id, attributes) in the order the nodes were first seen."""
        return iter(self._nodes.items())

    def edges(self) -> Iterator[tuple[int, str, str, str, dict]]:
        """(edge id, src, dst, key, attributes) in the order the edges were
        first seen (less those given to the edge sink); edge ids are the ids
        given to the evidence sink."""
        for (src, dst, key), (eid, data, _) in self._edges.items():
            yield eid, src, dst, key, data

    def number_of_nodes(self) -> int:
        return len(self._nodes)

    def number_of_edges(self) -> int:
        return len(self._edges) + self._flushed

    def finish(self) -> nx.MultiDiGraph:
        if self._flushed:
            raise RuntimeError(
                "edges went to the edge sink: finish() would return part of the graph"
            )
        g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        g.add_nodes_from(self._nodes.items())
        g.add_edges_from(  # (u, v, key, data): the stubs know only Graph's 2/3-tuples
            (src, dst, key, data)  # type: ignore[misc]
            for (src, dst, key), (_, data, _) in self._edges.items()
        )
        return g

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self.finish()


def level_of_name(name: str) -> str:
    """The level of a parent place, from its suffix (自治州 → 市, 旗 → 县)."""
    for suffixes, level in (
        (("省", "自治区", "特别行政区"), "省"),
        (("州", "盟", "地区", "市"), "市"),
        (("街道",), "街道"),
        (("区",), "区"),
        (("县", "旗"), "县"),
        (("镇", "乡"), "乡镇"),
    ):
        if name.endswith(suffixes):
            return level
    return ""


class _Scope:
    """One document's jurisdiction while it is added: names its bodies and
    officials (鹰潭市·市政府), ties them to its Place, and builds the Place
    hierarchy (WITHIN up to the province).

    National bodies (国务院, 应急管理部 …) stay single; documents whose place is
    unknown — or national texts, which speak of every 县级以上人民政府 — leave
    names unscoped, so nothing is merged into a known place by guess.
    """

    def __init__(self, builder: GraphBuilder, place: dict, doc: str, date: str) -> None:
        self.builder, self.doc, self.date = builder, doc, date
        name = place.get("name") or ""
        level = place.get("level") or ""
        parents = [p for p in (place.get("parents") or []) if p]
        self.short = name
        self.key = "/".join([*reversed(parents), name]) if name else ""
        self.node = ""
        self._tied: set[str] = set()
        if name:
            chain = [*reversed(parents), name]
            above = ""
            for i, n in enumerate(chain):
                key = "/".join(chain[: i + 1])
                nid = builder._node(
                    schema.PLACE,
                    key,
                    doc,
                    short=n,
                    level=level if i == len(chain) - 1 else level_of_name(n),
                )
                if above:
                    builder._edge(nid, above, schema.WITHIN, {}, doc)
                above = nid
            self.node = above
        # bodies of a national text are everyone's: not scoped
        self.prefix = name if name and level != "国家" else ""

    def name(self, label: str, name: str) -> str:
        if (
            label not in schema.SCOPED_LABELS
            or not self.prefix
            or is_national(name)
            or name.startswith(self.prefix)
        ):
            return name
        scoped = schema.scoped_name(self.prefix, name)
        nid = schema.node_id(label, scoped)
        if nid not in self._tied:
            self.builder._node(
                label, scoped, place=self.prefix, place_key=self.key, body=name
            )
            self.tie(nid)
        return scoped

    def tie(self, nid: str) -> None:
        """``nid`` IN_PLACE this document's place (once per document)."""
        if self.node and nid not in self._tied:
            self._tied.add(nid)
            self.builder._edge(nid, self.node, schema.IN_PLACE, {}, self.doc)


def build_graph(
    results: Iterable[DocumentResult], lexicon: Lexicon | None = None
) -> nx.MultiDiGraph:
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
