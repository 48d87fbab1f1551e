"""A document's extraction result ⇄ JSON: the per-document cache of the
workspace (:mod:`kgraph.store`), which lets a rebuild skip unchanged files."""

from __future__ import annotations

import orjson

from kgraph.model import (
    Document,
    DocumentResult,
    Evidence,
    Fact,
    Mention,
    Sentence,
    Span,
)


# Compact form (``"v": 2``): mentions and facts are arrays, not objects, and a
# fact's evidence text is left out when it is its sentence (it always is for
# the shipped extractors), which makes the cache about half the size and the
# round trip several times faster than dataclasses.asdict.  The older object
# form is still read.
#
#   mentions: [kind, name, surface, start, end, sentence, rule, title, org, category]
#   facts:    [type, subject label, subject name, object label, object name,
#              sentence, start, end, rule, [[attr, value], ...], doc or null, text or null]
def result_to_json(r: DocumentResult) -> str:
    return result_to_json_bytes(r).decode()


def result_to_json_bytes(r: DocumentResult) -> bytes:
    """:func:`result_to_json` as UTF-8, as the build hands it to the store
    (not decoded to be encoded again)."""
    d = r.document
    texts = {s.index: s.text for s in r.sentences}
    facts = []
    for f in r.facts:
        e = f.evidence
        facts.append(
            [
                f.type,
                f.subject[0],
                f.subject[1],
                f.object[0],
                f.object[1],
                e.sentence,
                e.start,
                e.end,
                e.rule,
                [list(a) for a in f.attrs],
                None if e.doc == d.id else e.doc,
                None if texts.get(e.sentence) == e.text else e.text,
            ]
        )
    return orjson.dumps(
        {
            "v": 2,
            "document": {
                "id": d.id,
                "path": d.path,
                "text": d.text,
                "sha256": d.sha256,
                "encoding": d.encoding,
                "converted": d.converted,
                "flags": [[s.start, s.end, s.reason] for s in d.flags],
                "title": d.title,
                "place": d.place,
                "date": d.date,
                "source": d.source,
            },
            "sentences": [(s.start, s.end) for s in r.sentences],
            "mentions": [
                [
                    m.kind,
                    m.name,
                    m.surface,
                    m.start,
                    m.end,
                    m.sentence,
                    m.rule,
                    m.title,
                    m.org,
                    m.category,
                ]
                for m in r.mentions
            ],
            "facts": facts,
        }
    )  # orjson: the same compact JSON as json.dumps(separators=(",", ":")), faster


def _upgrade(data: dict) -> dict:
    """The version-1 object form → the compact form, in place."""
    if data.get("v") == 2:
        return data
    d = data["document"]
    d["flags"] = [[s["start"], s["end"], s["reason"]] for s in d["flags"]]
    data["mentions"] = [
        [
            m["kind"],
            m["name"],
            m["surface"],
            m["start"],
            m["end"],
            m["sentence"],
            m["rule"],
            m.get("title", ""),
            m.get("org", ""),
            m.get("category", ""),
        ]
        for m in data["mentions"]
    ]
    facts = []
    for f in data["facts"]:
        e = f["evidence"]
        facts.append(
            [
                f["type"],
                *f["subject"],
                *f["object"],
                e["sentence"],
                e["start"],
                e["end"],
                e["rule"],
                f["attrs"],
                e["doc"],
                e["text"],
            ]
        )
    data["facts"] = facts
    data["v"] = 2
    return data


def result_from_json(text: str) -> DocumentResult:
    data = _upgrade(orjson.loads(text))
    d = dict(data["document"])
    d["flags"] = [Span(*s) for s in d["flags"]]
    document = Document(**d)
    sentences = [
        Sentence(i, s, e, document.text[s:e])
        for i, (s, e) in enumerate(data["sentences"])
    ]
    texts = [s.text for s in sentences]
    mentions = [Mention(*m) for m in data["mentions"]]
    facts = [
        Fact(
            t,
            (sl, sn),
            (ol, on),
            Evidence(
                doc or document.id, i, s, e, rule, texts[i] if text is None else text
            ),
            tuple(tuple(a) for a in attrs),
        )
        for t, sl, sn, ol, on, i, s, e, rule, attrs, doc, text in data["facts"]
    ]
    return DocumentResult(document, sentences, mentions, facts)


def compact_parts(data: dict) -> tuple:
    """A parsed cache entry as the arguments of GraphBuilder._add_parts: the
    graph is built from the JSON without making dataclasses."""
    data = _upgrade(data)
    d = data["document"]
    doc_id, text = d["id"], d["text"]
    spans = data["sentences"]

    def sentence_text(i: int) -> str | None:
        if 0 <= i < len(spans):
            s, e = spans[i]
            found: str = text[s:e]
            return found
        return None

    mentions = (
        (m[0], m[1], m[3], m[4], m[5], m[6], m[7], m[8], m[9]) for m in data["mentions"]
    )
    facts = (
        (
            t,
            (sl, sn),
            (ol, on),
            attrs,
            (
                doc or doc_id,
                i,
                s,
                e,
                rule,
                (sentence_text(i) or "") if txt is None else txt,
            ),
        )
        for t, sl, sn, ol, on, i, s, e, rule, attrs, doc, txt in data["facts"]
    )
    attrs = {
        "path": d["path"],
        "sha256": d["sha256"],
        "encoding": d["encoding"],
        "title": d["title"],
        "place": d.get("place") or {},
        "date": d.get("date"),
    }
    return (
        doc_id,
        attrs,
        (int(d["converted"]), len(d["flags"]), len(spans)),
        sentence_text,
        mentions,
        facts,
    )
