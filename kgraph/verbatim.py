"""Back from the cleaned text to the words of the source: verbatim evidence.

Every offset kgraph stores points into the *cleaned* text (NFKC, simplified,
pinyin glosses and page furniture removed), so an evidence sentence quoted
from it is not what the file says (``，`` became ``,``).  :func:`offset_map`
aligns a cleaned text with the raw decoded text it came from, and
:class:`Sources` answers, for an evidence span of a built workspace, the
exact original text, its character offsets in the decoded file and its line
number — ``file:line`` for a citation.

Cleaning only deletes characters (glosses, chrome lines, stacked punctuation,
line breaks) and replaces them one for one (full-width → ASCII, traditional
→ simplified), so the alignment walks both texts once: equal characters
advance together; otherwise the raw side skips ahead to where the next few
cleaned characters reappear, or the pair counts as a replacement.  The raw
side is compared after the same per-character NFKC and traditional →
simplified conversion the cleaner applies.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from kgraph.store import Workspace

from kgraph.errors import KgraphError

__all__ = ["Original", "Sources", "offset_map"]

_PROBE = 3  # characters after a replacement that must agree again
# (cleaned characters that must reappear, how far ahead in the raw text):
# a deleted chrome block or URL may be long; between two glossed characters
# (學(xué)習(xí)) only one character agrees before the next gloss.
_RESYNC = ((4, 4000), (2, 200), (1, 24))


@dataclass(frozen=True, slots=True)
class Original:
    """A span of the source as written."""

    path: str
    line: int  # 1-based line of the span's first character in the decoded file
    start: int  # character offsets into the decoded file text
    end: int
    text: str

    def cite(self) -> str:
        return f"{self.path}:{self.line}"


def _comparable(raw: str) -> tuple[str, list[int]]:
    """``raw`` as the cleaner would see it character by character (NFKC,
    then traditional → simplified when that keeps the length), and for each
    character of the result the index of the raw character it came from."""
    # Each character is normalised on its own, so each distinct one once; a
    # text none of whose characters changes maps one to one.
    changed = {
        ch: norm
        for ch in set(raw)
        if not ch.isascii() and (norm := unicodedata.normalize("NFKC", ch)) != ch
    }
    if not changed:
        text, origin = raw, list(range(len(raw)))
    else:
        chars: list[str] = []
        origin = []
        for i, ch in enumerate(raw):
            for c in changed.get(ch, ch) or ch:
                chars.append(c)
                origin.append(i)
        text = "".join(chars)
    try:
        from kgraph.clean import _to_simplified

        simple = _to_simplified(text)
    except Exception:  # noqa: BLE001 - OpenCC missing or failing: compare unconverted
        simple = text
    return (simple if len(simple) == len(text) else text), origin


def offset_map(clean: str, raw: str) -> list[int]:
    """For each offset ``i`` of ``clean`` (0 … len(clean)), the offset in
    ``raw`` where that character came from; ``[len(clean)]`` is the end."""
    norm, origin = _comparable(raw)
    n, m = len(clean), len(norm)
    out = [0] * (n + 1)
    i = j = 0
    while i < n:
        if j < m and clean[i] == norm[j]:
            out[i] = j
            i += 1
            j += 1
            continue
        # A one-for-one replacement: the characters after it agree again.
        after = clean[i + 1 : i + 1 + _PROBE]
        if j < m and after and norm.startswith(after, j + 1):
            out[i] = j
            i += 1
            j += 1
            continue
        # Raw characters the cleaner deleted: skip to where clean resumes,
        # trusting a longer run of agreement from further away.
        # The nearest place any probe agrees again: a far one is only a
        # guess when nothing closer agrees.
        best = -1
        for size, reach in _RESYNC:
            probe = clean[i : i + size]
            if len(probe) == size and probe.strip():
                k = norm.find(
                    probe, j + 1, (best if best > 0 else j + reach + size + 1)
                )
                if k > j:
                    best = k
        if best > j:
            j = best
        else:
            out[i] = min(j, max(m - 1, 0))  # replaced, or inserted by the cleaner
            i += 1
            j += 1
    out[n] = min(j, m)
    # normalised offsets → raw offsets
    return [origin[x] if x < m else len(raw) for x in out]


class Sources:
    """The source files of a workspace's documents, read on demand.

    ``original(doc, start, end)`` gives the verbatim :class:`Original` of a
    span of document ``doc``'s cleaned text, or ``None`` when the file is gone
    or has changed since it was built (its bytes no longer hash the same).
    Paths are as stored by the build; relative ones are taken from ``root``.
    """

    def __init__(self, ws: Workspace, root: str | Path | None = None) -> None:
        self.ws = ws
        self.root = Path(root) if root is not None else None
        self._docs: dict[str, tuple[str, str]] | None = None  # id → (path, sha256)
        self._conn: sqlite3.Connection | None = None
        self._cache: dict[str, tuple[str, list[int], list[int]] | None] = {}

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self.ws.connect()
        return self._conn

    def _index(self) -> dict[str, tuple[str, str]]:
        if self._docs is None:
            self._docs = {
                doc_id: (path, sha)
                for doc_id, path, sha in self._connection().execute(
                    "SELECT id, path, sha256 FROM documents"
                )
            }
        return self._docs

    def _cleaned(self, doc: str) -> str:
        # one document's stored result, not every document's: a workspace
        # holds thousands and an answer cites a few
        (result,) = (
            self._connection()
            .execute("SELECT result FROM documents WHERE id = ?", (doc,))
            .fetchone()
        )
        text: str = json.loads(result)["document"]["text"]
        return text

    def _load(self, doc: str) -> tuple[str, list[int], list[int]] | None:
        if doc in self._cache:
            return self._cache[doc]
        from kgraph.ingest import read_file

        entry = self._index().get(doc)
        loaded = None
        if entry is not None:
            path, sha = entry
            p = Path(path)
            if not p.is_absolute() and self.root is not None:
                p = self.root / p
            try:
                raw = read_file(p)
            except KgraphError:
                raw = None
            if raw is not None and raw.sha256 == sha:
                clean = self._cleaned(doc)
                lines = [0] + [i + 1 for i, ch in enumerate(raw.text) if ch == "\n"]
                loaded = (raw.text, offset_map(clean, raw.text), lines)
        self._cache[doc] = loaded
        return loaded

    def path(self, doc: str) -> str:
        entry = self._index().get(doc)
        return entry[0] if entry else ""

    def original(self, doc: str, start: int, end: int) -> Original | None:
        loaded = self._load(doc)
        if loaded is None:
            return None
        raw, mapping, lines = loaded
        n = len(mapping) - 1
        start, end = max(0, min(start, n)), max(0, min(end, n))
        rs = mapping[start]
        re_ = mapping[end - 1] + 1 if end > start else rs
        return Original(self.path(doc), bisect_right(lines, rs), rs, re_, raw[rs:re_])


def attach(sources: Sources, evidence: list[dict]) -> None:
    """Add ``original`` (the span as the file writes it) and ``source``
    (``file:line``) to evidence dicts (``doc``, ``start``, ``end``) in place;
    left out where the file is gone or changed since the build."""
    for ev in evidence:
        if "doc" not in ev or "start" not in ev or "end" not in ev:
            continue
        found = sources.original(ev["doc"], ev["start"], ev["end"])
        if found is not None:
            ev["original"] = found.text
            ev["source"] = found.cite()


def attach_to_graph(
    sources: Sources,
    G: nx.MultiDiGraph,
    *,
    per_item: int = 40,
    max_documents: int | None = 300,
) -> bool:
    """:func:`attach` on the evidence a picture shows: the first ``per_item``
    rows of each edge and of each node's ``mention_evidence``.  Re-reading
    every source costs about as much as reading it for the build, so above
    ``max_documents`` documents nothing is attached and False is returned."""
    lists = [
        d["evidence"][:per_item] for *_, d in G.edges(data=True) if d.get("evidence")
    ]
    lists += [
        d["mention_evidence"][:per_item]
        for _, d in G.nodes(data=True)
        if d.get("mention_evidence")
    ]
    docs = {ev.get("doc") for rows in lists for ev in rows}
    if max_documents is not None and len(docs) > max_documents:
        return False
    for rows in lists:
        attach(sources, rows)
    return True
