"""Facts from many documents → one networkx MultiDiGraph.

Entity resolution is by node id (``Label:canonical name``): the extractors
already resolved aliases and converted to simplified Chinese, so 許南吉 in a
traditional speech and 许南吉 in a simplified one meet here as one node.
Edges are keyed by type plus the attributes that make a fact different
(schema.EDGE_KEY_ATTRS); repeated facts add evidence and raise ``count``.

Attribute types are kept GraphML-friendly except ``docs``, ``rules`` and
``evidence`` lists, which :mod:`kgraph.readwrite` encodes on export.

A document is counted on its own first (:class:`DocumentGrapher` →
:class:`DocumentGraph`: its nodes, edges and evidence in the order it touched
them), then merged into the :class:`GraphBuilder` (ids, counts, sinks), which
gives what adding its facts one by one would.  A build counts documents in
its worker processes and merges them in the one process that writes.

Why one module: the counting and the merge are two halves of one bookkeeping
(the merge relies on the order and form the counting leaves); the rest is
small helpers of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

import networkx as nx
import orjson

from kgraph import schema
from kgraph.jurisdiction.markers import is_national
from kgraph.lexicon import Lexicon, load_lexicon
from kgraph.model import DocumentResult

# MENTIONED_IN edges would dwarf the graph if they kept every mention's
# sentence; they keep the count and the first few.
MENTION_EVIDENCE_LIMIT = 3

# (doc, sentence, start, end, rule, text): one evidence row, as stored.
EvidenceRow = tuple[str, int, int, int, str, str]
# Receives a document's evidence rows, each after its edge id, when evidence
# is streamed out of memory.
EvidenceSink = Callable[[list[tuple]], None]
# Receives the edges that are complete, as stored: (edge id, src, dst, type,
# key, count, props as edge_props gives them).
EdgeSink = Callable[[list[tuple[int, str, str, str, str, int, str]]], None]

_EV_KEYS = ("doc", "sentence", "start", "end", "rule", "text")
# An edge as a DocumentGraph gives it (see there).
Edge = tuple[
    str, str, str, str, int, list[str] | None, dict | None, list[str] | None, str | None
]
_MENTION_LABEL = schema.MENTION_KINDS


def edge_key(fact_type: str, attrs: dict[str, str]) -> str:
    key_attrs = schema.EDGE_KEY_ATTRS.get(fact_type)
    if not key_attrs:
        return fact_type
    return "|".join([fact_type, *[attrs.get(a, "") for a in key_attrs]])


class DocumentGraph(NamedTuple):
    """One document's share of the graph, counted on its own (by
    :class:`DocumentGrapher`) so that adding it to a :class:`GraphBuilder`
    only merges: a build makes these in its worker processes, in parallel,
    and its one writing process merges them in order.

    Everything is in the order the document first touched it, which is the
    order a builder adding the document's facts one by one would create it in.

    Nodes and edges travel as flat tuples of what the document gives them,
    not as attribute dicts: a build sends one of these from a worker to the
    writing process per document, and the writer makes the dict of a node
    or edge only when it is new to the graph (most are not).
    """

    doc_id: str
    # converted, flagged_spans, sentences: set on its Document node
    counts: dict[str, int]
    # (node id, the attributes the document filled in (None: none), whether
    # it lists the document, mentions, focus mentions); its other attributes
    # are its label, name and DocumentGrapher.defaults
    nodes: list[tuple[str, dict | None, bool, int, int]]
    # (src, dst, key, type, count, rules, key attributes (None: none), dates
    # (None: none), None); or for an edge into the document's node, complete
    # once the document is: (src, dst, key, type, count, None, None, None,
    # props as stored), which is all a writer needs of it
    edges: list[Edge]
    # (index into edges, *row): the first few of each MENTIONED_IN edge, then
    # every fact's, in the order found
    mention_evidence: list[tuple[int, str, int, int, int, str, str]]
    fact_evidence: list[tuple[int, str, int, int, int, str, str]]


def _edge_data(
    type_: str,
    count: int,
    doc: str,
    rules: list[str],
    props: dict | None,
    dates: list[str] | None,
) -> dict:
    """An edge's attributes as one document leaves it, keys in the order
    counting it creates them."""
    data = {
        "type": type_,
        "count": count,
        "docs": [doc],
        "rules": list(rules),
        "evidence": [],
        **(props or {}),
    }
    if dates is not None:
        data["dates"] = list(dates)
    return data


def _stored_props(
    doc: str, rules: list[str], props: dict | None, dates: list[str] | None
) -> str:
    """``edge_props`` of the edge ``_edge_data`` gives, without making it
    (key attributes are never named type, count or evidence)."""
    data: dict = {"docs": [doc], "rules": rules, **(props or {})}
    if dates is not None:
        data["dates"] = dates
    return orjson.dumps(data).decode()


def edge_props(data: dict) -> str:
    """An edge's attributes as stored beside its type and count (JSON)."""
    # orjson: every edge of a build is encoded once, in the worker that counts it
    return orjson.dumps(
        {k: v for k, v in data.items() if k not in ("type", "count", "evidence")}
    ).decode()


class DocumentGrapher:
    """Makes the :class:`DocumentGraph` of a document.  Holds the lexicon and
    a memo of node defaults, so one serves every document of a process.

    ``stored_rows``: give the edges into the document's node as stored rows,
    for a builder with an edge sink (a builder keeping them reads them back).
    """

    def __init__(self, lexicon: Lexicon, *, stored_rows: bool = False) -> None:
        self.lexicon = lexicon
        self.stored_rows = stored_rows
        self._defaults_memo: dict[tuple[str, str], dict] = {}

    def of_result(self, result: DocumentResult) -> DocumentGraph:
        doc = result.document
        texts = {s.index: s.text for s in result.sentences}
        return _Document(self, doc.id).add(
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

    def of_data(self, data: dict) -> DocumentGraph:
        """Of one document in the cache's JSON form (see
        :func:`kgraph.result_json.result_to_json`), without building the
        dataclasses first."""
        from kgraph.result_json import compact_parts

        doc_id, *parts = compact_parts(data)
        return _Document(self, doc_id).add(*parts)

    def defaults(self, label: str, name: str) -> dict:
        """A node's attributes before any document fills them in (shared:
        copy before changing)."""
        memo = self._defaults_memo.get((label, name))
        if memo is None:
            memo = self._defaults_memo[(label, name)] = self.new_defaults(label, name)
        return memo

    def new_defaults(self, label: str, name: str) -> dict:
        """:meth:`defaults`, made afresh and not memoised: for a node seen
        once in this process, as the builder merging documents sees each."""
        # a scoped body (鹰潭市·市政府) is the lexicon's 市政府
        plain = schema.unscoped_name(name) if label in schema.SCOPED_LABELS else name
        return self._compute_defaults(label, plain)

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


class _Document:
    """The counting of one document, as if it were the only one."""

    def __init__(self, grapher: DocumentGrapher, doc_id: str) -> None:
        self.grapher = grapher
        self.doc_id = doc_id
        self.doc_node = schema.node_id(schema.DOCUMENT, doc_id)
        # node id -> [node id, attributes filled in, lists the document,
        # mentions, focus mentions, its defaults (shared: never changed)]
        self._nodes: dict[str, list] = {}
        # (src, dst, key) -> [index, type, count, rules, key attributes,
        # dates or None, evidence rows kept]
        self._edges: dict[tuple[str, str, str], list] = {}
        self._mention_evidence: list[tuple[int, str, int, int, int, str, str]] = []
        self._fact_evidence: list[tuple[int, str, int, int, int, str, str]] = []

    def _node(
        self,
        label: str,
        name: str,
        doc: str | None = None,
        attrs: dict[str, str | int] | None = None,
    ) -> str:
        """The node's id, its record made if new: ``attrs`` fills in the
        attributes it has no value for, and ``doc`` lists the document on it."""
        nid = schema.node_id(label, name)
        rec = self._nodes.get(nid)
        if rec is None:
            rec = self._nodes[nid] = [
                nid,
                {},
                False,
                0,
                0,
                self.grapher.defaults(label, name),
            ]
        if attrs:
            for k, v in attrs.items():
                _fill(rec, k, v)
        if doc:
            rec[2] = True
        # the id stored, so the edges share the string with the node (one
        # object, sent once)
        nid_: str = rec[0]
        return nid_

    def _edge(
        self,
        src: str,
        dst: str,
        fact_type: str,
        attrs: dict[str, str],
        rule: str | None = None,
    ) -> list:
        """Count one more occurrence of an edge (found by ``rule``); returns
        its record (see ``_edges``)."""
        triple = (src, dst, edge_key(fact_type, attrs))
        rec = self._edges.get(triple)
        if rec is None:
            for nid in (src, dst):  # an edge never creates a bare, label-less node
                if nid not in self._nodes:
                    self._node(*schema.split_node_id(nid))
            key_attrs = schema.EDGE_KEY_ATTRS.get(fact_type)
            props = {a: attrs.get(a, "") for a in key_attrs} if key_attrs else None
            rec = [len(self._edges), fact_type, 0, [], props, None, 0]
            self._edges[triple] = rec
        rec[2] += 1
        if rule is not None and rule not in rec[3]:
            rec[3].append(rule)
        return rec

    def add(
        self,
        doc_attrs: dict,
        counts: tuple[int, int, int],
        sentence_text: Callable[[int], str | None],
        mentions: Iterable[Sequence],
        facts: Iterable[Sequence],
    ) -> DocumentGraph:
        doc_id = self.doc_id
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
        doc_node = self._node(schema.DOCUMENT, doc_id, None, doc_attrs)
        scope = self._scope = _Scope(self, place, doc_id, doc_attrs["date"])
        if scope.node:
            self._edge(doc_node, scope.node, schema.IN_PLACE, {})
        nodes = self._nodes
        doc_counts = dict(
            zip(("converted", "flagged_spans", "sentences"), counts, strict=True)
        )
        # (kind, name) → its node record and MENTIONED_IN edge: a second
        # mention of a thing only counts (scoping the name, listing the
        # document and creating the edge are done by the first), and fills in
        # an official's title or org if the first did not have them
        seen: dict[tuple[str, str], tuple[list, list]] = {}
        kept = self._mention_evidence
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
                node, rec = hit
                if kind == "official":
                    _fill(node, "title", title)
                    _fill(node, "org", org)
                rec[2] += 1
                if rule not in rec[3]:
                    rec[3].append(rule)
            else:
                label = _MENTION_LABEL[kind]
                as_written = name
                if label in schema.SCOPED_LABELS:
                    name = scope.name(label, name)
                if kind == "official":
                    nid = self._node(label, name, doc_id, {"title": title, "org": org})
                else:
                    nid = self._node(label, name, doc_id)
                node = nodes[nid]
                rec = self._edge(nid, doc_node, schema.MENTIONED_IN, {}, rule)
                seen[(kind, as_written)] = (node, rec)
            node[3] += 1
            if category == "focus":  # a Sector's (its defaults hold focus 0)
                node[4] += 1
            if rec[6] < MENTION_EVIDENCE_LIMIT:
                rec[6] += 1
                kept.append(
                    (
                        rec[0],
                        doc_id,
                        sentence,
                        start,
                        end,
                        rule,
                        sentence_text(sentence) or "",
                    )
                )
        title = doc_attrs.get("title", "")
        for ftype, subject, obj, attrs, ev in facts:
            self._add_fact(ftype, subject, obj, dict(attrs), ev, title)
        stored = self.grapher.stored_rows
        edges: list[Edge] = []
        for (src, dst, key), (_, t, n, rules, props, dates, _) in self._edges.items():
            if dst == doc_node and stored:
                row = _stored_props(doc_id, rules, props, dates)
                edges.append((src, dst, key, t, n, None, None, None, row))
            else:
                edges.append((src, dst, key, t, n, rules, props, dates, None))
        return DocumentGraph(
            doc_id,
            doc_counts,
            [
                (nid, filled or None, has, m, f)
                for nid, filled, has, m, f, _ in nodes.values()
            ],
            edges,
            self._mention_evidence,
            self._fact_evidence,
        )

    def _add_fact(
        self,
        ftype: str,
        subject: Sequence[str],
        obj: Sequence[str],
        attrs: dict,
        ev: EvidenceRow,
        doc_title: str,
    ) -> None:
        scope, doc_id = self._scope, self.doc_id
        src = self._node(subject[0], scope.name(*subject), doc_id)
        if obj[0] == schema.MEETING:
            dst = self._node(
                schema.MEETING,
                obj[1],
                doc_id,
                {
                    "title": doc_title or obj[1],
                    "doc_id": doc_id,
                    "date": scope.date,
                    "place": scope.short,
                },
            )
            self._edge(dst, self.doc_node, schema.RECORDED_IN, {})
            if scope.node:
                scope.tie(dst)
        else:
            dst = self._node(obj[0], scope.name(*obj), doc_id)
        rec = self._edge(src, dst, ftype, attrs, ev[4])
        if scope.date:
            if rec[5] is None:
                rec[5] = []
            if scope.date not in rec[5]:
                rec[5].append(scope.date)
        rec[6] += 1
        self._fact_evidence.append((rec[0], *ev))


def _fill(rec: list, k: str, v: str | int) -> None:
    """Attribute ``k`` of a node record (see ``_Document._nodes``) is ``v``
    unless it has a value already (filled in, or a default)."""
    if v and not rec[1].get(k) and not rec[5].get(k):
        rec[1][k] = v


def _stored_data(type_: str, count: int, props: str) -> dict:
    """The attributes of an edge sent as stored (an edge into its document's
    node), for a builder that keeps it."""
    return {"type": type_, "count": count, **orjson.loads(props), "evidence": []}


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
        self.grapher = DocumentGrapher(self.lexicon, stored_rows=edge_sink is not None)
        self._sink = evidence_sink
        # With an edge sink, the edges into a document's node (MENTIONED_IN,
        # RECORDED_IN: one per entity per document, most of the graph) are
        # handed over as soon as that document is added: nothing can touch
        # them again, provided every document id is added once.
        self._edge_sink = edge_sink
        self._flushed = 0
        self._nodes: dict[str, dict] = {}
        # (src, dst, key) -> [edge id, attributes, evidence rows seen]
        self._edges: dict[tuple[str, str, str], list] = {}
        self._added: set[str] = set()

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

    # --- documents ------------------------------------------------------------
    def add(self, result: DocumentResult) -> None:
        self.add_graph(self.grapher.of_result(result))

    def add_data(self, data: dict) -> None:
        """Add one document in the cache's JSON form (see :func:`kgraph.result_json.result_to_json`),
        without building the dataclasses first."""
        self.add_graph(self.grapher.of_data(data))

    def add_graph(self, g: DocumentGraph) -> None:
        """Add one document's :class:`DocumentGraph` (made with this builder's
        lexicon): what adding the document itself would do."""
        doc = g.doc_id
        # a document added again is listed once on what it touches (a scan);
        # one added for the first time is new to everything it lists
        again = doc in self._added
        self._added.add(doc)
        nodes = self._nodes
        defaults = self.grapher.new_defaults  # each node is new here once
        for nid, filled, listed, mentions, focus in g.nodes:
            have = nodes.get(nid)
            if have is None:  # as the document leaves it (see _Document._node)
                label, name = schema.split_node_id(nid)
                have = nodes[nid] = {
                    "label": label,
                    "name": name,
                    "mentions": mentions,
                    "docs": [doc] if listed else [],
                    **defaults(label, name),
                }
                if filled:
                    have.update(filled)
                if focus:
                    have["focus"] = focus
                continue
            if filled:
                for k, v in filled.items():
                    if not have.get(k):
                        have[k] = v
            if listed and not (again and doc in have["docs"]):
                have["docs"].append(doc)
            have["mentions"] += mentions
            if focus:
                have["focus"] += focus
        nodes[schema.node_id(schema.DOCUMENT, doc)].update(g.counts)

        edges = self._edges
        sink = None if again else self._edge_sink
        finished = []  # the document's own edges, complete now (with a sink)
        recs = []
        for src, dst, key, type_, count, rules, props, dates, stored in g.edges:
            triple = (src, dst, key)
            rec = edges.get(triple)
            if rec is None:
                eid = len(edges) + self._flushed + 1
                if sink is not None and stored is not None:
                    self._flushed += 1
                    finished.append((eid, src, dst, type_, key, count, stored))
                    rec = [eid, None, 0]
                else:
                    rec = edges[triple] = [
                        eid,
                        _stored_data(type_, count, stored)
                        if stored is not None
                        else _edge_data(type_, count, doc, rules or [], props, dates),
                        0,
                    ]
            else:
                if stored is not None:
                    data = _stored_data(type_, count, stored)
                    rules, dates = data["rules"], data.get("dates")
                have = rec[1]
                have["count"] += count
                if not (again and doc in have["docs"]):
                    have["docs"].append(doc)
                had = have["rules"]
                for rule in rules or ():
                    if rule not in had:
                        had.append(rule)
                if dates is not None:
                    had = have.setdefault("dates", [])
                    for date in dates:
                        if date not in had:
                            had.append(date)
            recs.append(rec)

        # for a sink, evidence rows with the edge's id in place of its index;
        # else (edge record, row) to keep on the edge
        to_sink = self._sink is not None
        rows: list[tuple] = []
        for i, d, s, a, b, r, t in g.mention_evidence:
            rec = recs[i]
            if rec[2] < MENTION_EVIDENCE_LIMIT:
                rec[2] += 1
                if to_sink:
                    rows.append((rec[0], d, s, a, b, r, t))
                else:
                    rows.append((rec, (d, s, a, b, r, t)))
        for i, d, s, a, b, r, t in g.fact_evidence:
            rec = recs[i]
            rec[2] += 1
            if to_sink:
                rows.append((rec[0], d, s, a, b, r, t))
            else:
                rows.append((rec, (d, s, a, b, r, t)))
        if self._sink is not None:
            self._sink(rows)
        else:
            for rec, row in rows:
                rec[1]["evidence"].append(dict(zip(_EV_KEYS, row, strict=True)))
        if finished and sink is not None:
            sink(finished)

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

    def __init__(self, builder: _Document, place: dict, doc: str, date: str) -> None:
        self.builder, self.doc, self.date = builder, doc, date
        name = place.get("name") or ""
        level = place.get("level") or ""
        parents = [p for p in (place.get("parents") or []) if p]
        self.short = name
        self.key = "/".join([*reversed(parents), name]) if name else ""
        self.node = ""
        self._tied: set[str] = set()
        self._names: dict[tuple[str, str], str] = {}
        if name:
            chain = [*reversed(parents), name]
            above = ""
            for i, n in enumerate(chain):
                key = "/".join(chain[: i + 1])
                nid = builder._node(
                    schema.PLACE,
                    key,
                    doc,
                    {
                        "short": n,
                        "level": level if i == len(chain) - 1 else level_of_name(n),
                    },
                )
                if above:
                    builder._edge(nid, above, schema.WITHIN, {})
                above = nid
            self.node = above
        # bodies of a national text are everyone's: not scoped
        self.prefix = name if name and level != "国家" else ""

    def name(self, label: str, name: str) -> str:
        # a name is scoped (and its node tied) the first time only
        scoped = self._names.get((label, name))
        if scoped is None:
            scoped = self._names[(label, name)] = self._name(label, name)
        return scoped

    def _name(self, label: str, name: str) -> str:
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
                label,
                scoped,
                None,
                {"place": self.prefix, "place_key": self.key, "body": name},
            )
            self.tie(nid)
        return scoped

    def tie(self, nid: str) -> None:
        """``nid`` IN_PLACE this document's place (once per document)."""
        if self.node and nid not in self._tied:
            self._tied.add(nid)
            self.builder._edge(nid, self.node, schema.IN_PLACE, {})


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
