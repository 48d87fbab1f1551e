"""Near-duplicate reposts: the same text published again with other page chrome.

Two documents are copies of one source when the character shingles of their
body lines overlap by at least ``threshold`` (Jaccard).  Body lines are the
cleaned text's lines of at least ``BODY_LINE`` characters, so a repost's own
navigation, dates and share buttons (short lines) do not count against it.

Candidates are found by a few minimum shingle hashes per document (a MinHash
bottom-k sketch, which also estimates the overlap: documents whose sketches
say it is far below the threshold are not looked at) and then checked
exactly, so a corpus of many thousands of documents is not compared pair by
pair, nor are documents that merely share a stock paragraph.

:class:`NearDuplicateIndex` is incremental, for a build that sees documents
one at a time::

    index = NearDuplicateIndex()
    source = index.add(doc_id, document.text)   # None, or the id it copies
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

SHINGLE = 5  # characters per shingle
BODY_LINE = 20  # shorter lines are page chrome as far as copying goes
SKETCH = 64  # minimum hashes kept per document to find candidates
THRESHOLD = 0.9
# A candidate's text is read only if the sketches estimate the overlap at
# least this far below the threshold (the estimate's spread at 0.9 with 64
# hashes is a few hundredths, so no real copy is passed over), and a hash
# found in more sketches than COMMON (a stock phrase) does not make candidates.
SLACK = 0.2
# Below this many shingles (a couple of hundred characters) a text is a
# note, and notes differing in a number or a name are different notes.
MIN_SHINGLES = 150
COMMON = 32
PREFIX = 16  # of the sketch's hashes, the ones that find candidates


def shingles(text: str) -> frozenset[int]:
    """Hashed character shingles of the body lines (whitespace removed)."""
    return frozenset(_shingle_hashes(_body(text)).tolist())


def _body(text: str) -> str:
    body = "".join(
        "".join(line.split())
        for line in text.splitlines()
        if len(line.strip()) >= BODY_LINE
    )
    return body if len(body) >= SHINGLE else "".join(text.split())


def _shingle_hashes(body: str) -> np.ndarray:
    """A 32-bit hash of every SHINGLE characters of ``body``, all at once: a
    polynomial over the code points, then splitmix64's finaliser so that the
    smallest hashes (the sketch) are a fair sample.  A text shorter than a
    shingle is one shingle."""
    codes = np.frombuffer(body.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = max(1, len(codes) - SHINGLE + 1)
    if len(codes) < SHINGLE:
        codes = np.concatenate([codes, np.zeros(SHINGLE - len(codes), dtype=np.uint64)])
    h = np.zeros(n, dtype=np.uint64)
    for k in range(SHINGLE):  # uint64 arithmetic wraps, as a hash should
        h = h * _PRIME + codes[k : k + n]
    h ^= h >> np.uint64(30)
    h *= _MIX1
    h ^= h >> np.uint64(27)
    h *= _MIX2
    h ^= h >> np.uint64(31)
    return h >> np.uint64(32)


_PRIME = np.uint64(1_000_003)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


class NearDuplicateIndex:
    """Documents seen so far; :meth:`add` says which earlier one a new one copies.

    Only each document's sketch is held.  The shingles of a candidate are
    those given to :meth:`add`, or, for a document indexed by its sketch alone
    (:meth:`insert`, as a build does with its stored sketches), got from
    ``text_of(doc_id)`` when a new document first shares enough of its sketch,
    so memory does not grow with the corpus's text.
    """

    def __init__(
        self,
        threshold: float = THRESHOLD,
        text_of: Callable[[str], str | None] | None = None,
        keep_shingles: bool = True,
    ) -> None:
        self.threshold = threshold
        self._text_of = text_of
        self._keep_shingles = keep_shingles
        self._shingles: dict[str, frozenset[int]] = {}
        self._sketches: dict[str, tuple[int, ...]] = {}
        self._by_hash: dict[int, list[str]] = {}
        self.source_of: dict[str, str] = {}  # duplicate id → the id it copies

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._sketches

    def add(
        self, doc_id: str, text: str, sketch_: tuple[int, ...] | None = None
    ) -> str | None:
        """Index ``doc_id``; the id of the earlier document it copies, or None
        (a copy is not indexed: its source stands for it)."""
        source = self.check(text, sketch_)
        if source is not None:
            self.source_of[doc_id] = source
            return source
        self.insert(
            doc_id,
            sketch_ if sketch_ is not None else sketch(text),
            shingles(text) if self._keep_shingles else None,
        )
        return None

    def check(self, text: str, sketch_: tuple[int, ...] | None = None) -> str | None:
        """The indexed document ``text`` copies, or None; indexes nothing."""
        sh: frozenset[int] | None = None
        if len("".join(text.split())) < MIN_SHINGLES:
            return None
        if sketch_ is None:
            sketch_ = sketch(text)  # the shingle set only if a candidate turns up
        candidates: dict[str, int] = {}
        common = 0
        for h in sketch_[:PREFIX]:
            posting = self._by_hash.get(h, ())
            if len(posting) > COMMON:
                common += 1
                continue
            for other in posting:
                candidates[other] = candidates.get(other, 0) + 1
        best, best_score = None, 0.0
        mine = set(sketch_)
        floor = self.threshold - SLACK
        # a copy shares most of the few smallest hashes (about 14 of 16 at 0.9)
        least = min(PREFIX, len(sketch_)) / 2 - common
        for other in sorted(
            (o for o, n in candidates.items() if n >= least),
            key=lambda o: (-candidates[o], o),
        ):
            theirs_sketch = self._sketches[other]
            # The estimate is at most the share of the sketch both hold, which
            # is cheap to count and turns away most candidates of a corpus of
            # shared stock paragraphs before the estimate's sort.
            k = max(len(mine), len(theirs_sketch))
            if k and len(mine.intersection(theirs_sketch)) < floor * k:
                continue
            if _estimate(mine, theirs_sketch) < floor:
                continue
            theirs = self._shingles_of(other)
            if theirs is None:
                continue
            if sh is None:
                sh = shingles(text)
            score = jaccard(sh, theirs)
            if score >= self.threshold and score > best_score:
                best, best_score = other, score
        return best

    def insert(
        self,
        doc_id: str,
        sketch_: Iterable[int],
        shingles_: frozenset[int] | None = None,
    ) -> None:
        """Index ``doc_id`` as a source, by its sketch, without checking it."""
        sketch_ = tuple(sketch_)
        self._sketches[doc_id] = sketch_
        if shingles_ is not None:
            self._shingles[doc_id] = shingles_
        for h in sketch_[:PREFIX]:
            self._by_hash.setdefault(h, []).append(doc_id)

    def _shingles_of(self, doc_id: str) -> frozenset[int] | None:
        if doc_id in self._shingles:
            return self._shingles[doc_id]
        text = self._text_of(doc_id) if self._text_of is not None else None
        return None if text is None else shingles(text)


def _estimate(a: set[int], b: tuple[int, ...]) -> float:
    """Jaccard as two bottom-k sketches estimate it: the share of the union's
    k smallest hashes that both hold."""
    both = a & set(b)
    union = sorted(a.union(b))[: max(len(a), len(b))]
    return sum(1 for h in union if h in both) / len(union) if union else 1.0


def sketch(text: str) -> tuple[int, ...]:
    """The few smallest shingle hashes of ``text``: what finds its candidates
    (small enough to store per document, see :meth:`NearDuplicateIndex.insert`)."""
    return tuple(_smallest_distinct(_shingle_hashes(_body(text)), SKETCH).tolist())


def _smallest_distinct(h: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` smallest distinct values of ``h``, ascending (``np.unique(h)[:k]``)
    without sorting all of ``h``: the 4k smallest, partitioned out, hold them
    whenever they hold k distinct values (every value below the largest of
    them is among them)."""
    few = 4 * k
    if len(h) > few:
        smallest = np.unique(np.partition(h, few - 1)[:few])
        if len(smallest) >= k:
            return smallest[:k]
    return np.unique(h)[:k]


def near_duplicates(
    docs: Iterable[tuple[str, str]], threshold: float = THRESHOLD
) -> dict[str, str]:
    """(doc id, cleaned text) in order → {copy id: source id}; the first of a
    group is its source."""
    index = NearDuplicateIndex(threshold)
    for doc_id, text in docs:
        index.add(doc_id, text)
    return dict(index.source_of)
