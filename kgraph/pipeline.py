"""One document through every stage: file → clean text → sentences → mentions → facts.

>>> from kgraph.pipeline import process_text
>>> r = process_text("市委书记许南吉出席会议并讲话。", "demo")
>>> [(m.name, m.title) for m in r.mentions if m.kind == "official"]
[('许南吉', '市委书记')]
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from kgraph import jurisdiction, schema
from kgraph.clean import clean_text
from kgraph.extract import extract
from kgraph.extract.bodies import listed_organizations
from kgraph.extract.terms import listed_sectors
from kgraph.ingest import DEFAULT_MAX_BYTES, read_file
from kgraph.lexicon import Lexicon, load_lexicon
from kgraph.model import Document, DocumentResult, Fact, Span
from kgraph.sentences import add_cuts, split_sentences

# A first line this short, with no sentence-final punctuation, is the title
# (but not a salutation such as 同志们:).
TITLE_LINE = re.compile(r"^\s*([^\n。!?]{4,60}?)(?<![::])\s*\n")


def process_text(
    text: str,
    doc_id: str,
    *,
    path: str = "",
    lexicon: Lexicon | None = None,
    encoding: str = "utf-8",
    sha256: str = "",
    overrides: dict | None = None,
) -> DocumentResult:
    """Clean, split and extract one text that is already decoded; ``overrides``
    (a manifest row: place, date, title, source) replace what the text says."""
    lexicon = lexicon or load_lexicon()
    cleaned = clean_text(text)
    title = TITLE_LINE.match(cleaned.text)
    cuts: list[Span] = []
    sentences = split_sentences(cleaned.text, cuts)
    document = Document(
        id=doc_id,
        path=path,
        text=cleaned.text,
        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        encoding=encoding,
        converted=cleaned.converted,
        flags=add_cuts(sorted(cleaned.flags, key=lambda s: s.start), cuts),
        title=title.group(1).strip() if title else "",
        wide_commas=text.count("，") > text.count(","),
    )
    place, date = (
        jurisdiction.document_place(cleaned.text),
        jurisdiction.document_date(cleaned.text),
    )
    document.place, document.date = place.to_dict(), date.to_dict() if date else None
    if overrides:
        jurisdiction.apply_overrides(document, overrides)
    ctx = extract(document, sentences, lexicon)
    return DocumentResult(document, sentences, ctx.mentions, ctx.facts)


def process_file(
    path: str | Path,
    *,
    lexicon: Lexicon | None = None,
    doc_id: str | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> DocumentResult:
    """Read (at most ``max_bytes``), decode and process one file; raises :class:`kgraph.errors.InputError`."""
    raw = read_file(path, max_bytes)
    return process_text(
        raw.text,
        doc_id or Path(path).stem,
        path=str(path),
        lexicon=lexicon,
        encoding=raw.encoding,
        sha256=raw.sha256,
        overrides=jurisdiction.manifest_row(path),
    )


def to_contract(result: DocumentResult, lexicon: Lexicon | None = None) -> dict:
    """The per-document JSON of ``kgraph extract --format jsonl``; ``lexicon``
    is the one the document was extracted with (default: the shipped one)."""
    doc = result.document
    officials: dict[str, dict] = {}
    for m in result.mentions:
        if (
            m.kind == "official"
            and m.name not in officials
            and m.rule != "official.repeat"
        ):
            officials[m.name] = {
                "name": m.name,
                "title": m.title,
                "org": m.org,
                "start": m.start,
                "end": m.end,
                "rule": m.rule,
            }

    def names(kind: str) -> list[str]:
        return list(dict.fromkeys(m.name for m in result.mentions if m.kind == kind))

    organizations = listed_organizations(result, lexicon or load_lexicon())

    responsibilities = _fact_rows(
        result,
        schema.BEARS,
        lambda f: {
            "holder": f.subject[1],
            "holder_type": f.subject[0],
            "responsibility": f.object[1],
            "sector": f.attr.get("sector") or None,
        },
    )
    chains = _fact_rows(
        result,
        schema.CHAIN,
        lambda f: {
            "from": f.subject[1],
            "to": f.object[1],
            "kind": f.attr.get("kind", ""),
        },
    )

    return {
        "doc": doc.id,
        "title": doc.title,
        "place": {
            k: doc.place.get(k)
            for k in ("name", "level", "parents", "evidence", "rule")
        }
        if doc.place
        else None,
        "date": doc.date["value"] if doc.date else None,
        "date_detail": doc.date,
        "encoding": doc.encoding,
        "converted": doc.converted,
        "flags": [
            {
                "start": s.start,
                "end": s.end,
                "reason": s.reason,
                "text": doc.text[s.start : s.end],
            }
            for s in doc.flags
        ],
        "officials": list(officials.values()),
        "organizations": organizations,
        "sectors": listed_sectors(result, lexicon or load_lexicon()),
        "responsibilities": responsibilities,
        "chains": chains,
        "tasks": names("task"),
    }


def _fact_rows(
    result: DocumentResult, fact_type: str, fields: Callable[[Fact], dict]
) -> list[dict]:
    """One contract row per distinct fact of a type (first evidence kept)."""
    rows, seen = [], set()
    for f in result.facts:
        if f.type != fact_type:
            continue
        row = fields(f)
        key = tuple(row.values())
        if key in seen:
            continue
        seen.add(key)
        ev = f.evidence
        rows.append(
            {
                **row,
                "evidence": ev.text,
                "sentence": ev.sentence,
                "start": ev.start,
                "end": ev.end,
                "rule": ev.rule,
            }
        )
    return rows
