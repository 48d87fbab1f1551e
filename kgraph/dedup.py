"""Near-duplicate reposts: the same text published again with other page chrome.

Two documents are copies of one source when the character shingles of their
body lines overlap by at least ``threshold`` (Jaccard).  Body lines are the
cleaned text's lines of at least ``BODY_LINE`` characters, so a repost's own
navigation, dates and share buttons (short lines) do not count against it.

Candidates are found by a few minimum shingle hashes per document (a MinHash
bottom-k sketch: documents that share none of them cannot reach the
threshold in practice) and then checked exactly, so a corpus of many
thousands of documents is not compared pair by pair.

:class:`NearDuplicateIndex` is incremental, for a build that sees documents
one at a time::

    index = NearDuplicateIndex()
    source = index.add(doc_id, document.text)   # None, or the id it copies
"""

from __future__ import annotations

import zlib
from typing import Iterable

SHINGLE = 5  # characters per shingle
BODY_LINE = 20  # shorter lines are page chrome as far as copying goes
SKETCH = 16  # minimum hashes kept per document to find candidates
THRESHOLD = 0.9


def shingles(text: str) -> frozenset[int]:
    """Hashed character shingles of the body lines (whitespace removed)."""
    body = "".join("".join(line.split()) for line in text.splitlines() if len(line.strip()) >= BODY_LINE)
    if len(body) < SHINGLE:
        body = "".join(text.split())
    return frozenset(zlib.crc32(body[i : i + SHINGLE].encode("utf-8")) for i in range(max(1, len(body) - SHINGLE + 1)))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


class NearDuplicateIndex:
    """Documents seen so far; :meth:`add` says which earlier one a new one copies."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._shingles: dict[str, frozenset[int]] = {}
        self._by_hash: dict[int, list[str]] = {}
        self.source_of: dict[str, str] = {}  # duplicate id → the id it copies

    def add(self, doc_id: str, text: str) -> str | None:
        """Index ``doc_id``; the id of the earlier document it copies, or None."""
        sh = shingles(text)
        sketch = sorted(sh)[:SKETCH]
        candidates: dict[str, int] = {}
        for h in sketch:
            for other in self._by_hash.get(h, ()):
                candidates[other] = candidates.get(other, 0) + 1
        best, best_score = None, 0.0
        for other in sorted(candidates, key=lambda o: -candidates[o]):
            score = jaccard(sh, self._shingles[other])
            if score >= self.threshold and score > best_score:
                best, best_score = other, score
        if best is not None:
            source = self.source_of.get(best, best)
            self.source_of[doc_id] = source
            return source
        self._shingles[doc_id] = sh
        for h in sketch:
            self._by_hash.setdefault(h, []).append(doc_id)
        return None


def near_duplicates(docs: Iterable[tuple[str, str]], threshold: float = THRESHOLD) -> dict[str, str]:
    """(doc id, cleaned text) in order → {copy id: source id}; the first of a
    group is its source."""
    index = NearDuplicateIndex(threshold)
    for doc_id, text in docs:
        index.add(doc_id, text)
    return dict(index.source_of)
