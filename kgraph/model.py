"""The records that flow through the pipeline.

file → :class:`Document` (clean text) → :class:`Sentence` → :class:`Mention`
→ :class:`Fact` → graph.  Every mention and fact carries an :class:`Evidence`
so that anything in the graph can be traced back to the characters that
produced it.  Offsets are always into ``Document.text`` (the cleaned,
simplified text), never into the raw bytes.

The records are values: nothing changes one after it is made, and they hash
by value.  They are not ``frozen``, though: a frozen dataclass's ``__init__``
sets every field through ``object.__setattr__``, which made it seven times
slower to create, and extraction makes about two hundred a document.
"""

from __future__ import annotations

import bisect
import operator
from dataclasses import asdict, dataclass, field


@dataclass(slots=True, unsafe_hash=True)
class Evidence:
    doc: str  # document id (file stem)
    sentence: int  # index of the sentence in the document
    start: int  # character offset into Document.text, inclusive
    end: int  # character offset into Document.text, exclusive
    rule: str  # id of the extractor rule that produced the fact
    text: str  # the whole sentence, so a reader sees the context

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True, unsafe_hash=True)
class Span:
    """A stretch of the cleaned text that is flagged, e.g. unrepairable mojibake."""

    start: int
    end: int
    reason: str


@dataclass(slots=True, unsafe_hash=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


# a C-level key for bisecting spans by start (a lambda is a Python call per probe)
_START = operator.attrgetter("start")


@dataclass(slots=True)
class Document:
    id: str  # file stem, unique within a build
    path: str
    text: str  # cleaned, simplified text
    sha256: str = ""  # of the raw bytes, used for incremental builds
    encoding: str = "utf-8"  # what the bytes were decoded as
    converted: bool = False  # traditional → simplified conversion applied
    flags: list[Span] = field(default_factory=list)  # spans we could not repair
    title: str = ""
    # the raw text wrote its commas full-width (，); the cleaner made them ASCII,
    # and duty phrases quoted from the text are given back in the text's own form
    wide_commas: bool = False
    # jurisdiction and date (kgraph.jurisdiction): {"name", "level", "parents",
    # "evidence", "rule"} and {"value", "precision", "evidence", "rule"}
    place: dict = field(default_factory=dict)
    date: dict | None = None
    source: str = ""  # where the file came from, when a manifest says

    def is_flagged(self, start: int, end: int) -> bool:
        if not self.flags:
            return False
        # flags are sorted by start and disjoint (the pipeline keeps them so):
        # only the last one starting before `end` can overlap
        i = bisect.bisect_left(self.flags, end, key=_START) - 1
        return i >= 0 and self.flags[i].end > start


@dataclass(slots=True, unsafe_hash=True)
class Mention:
    """An entity named in a sentence."""

    kind: str  # one of schema.MENTION_KINDS
    name: str  # canonical name (aliases resolved)
    surface: str  # exactly as in the text
    start: int
    end: int
    sentence: int
    rule: str
    title: str = ""  # officials only
    org: str = ""  # officials only: the body the title belongs to, when stated
    category: str = ""  # organisation / responsibility sub-type from the lexicon


@dataclass(slots=True, unsafe_hash=True)
class Fact:
    """A typed relation between two named things, with its evidence.

    ``subject`` and ``object`` are ``(label, name)`` pairs using the node labels
    in :mod:`kgraph.schema`; ``attrs`` holds only strings so every backend
    (GraphML, Neo4j, JSON) can store it unchanged.
    """

    type: str  # relationship type from schema.RELATIONSHIPS
    subject: tuple[str, str]
    object: tuple[str, str]
    evidence: Evidence
    attrs: tuple[tuple[str, str], ...] = ()

    @property
    def attr(self) -> dict[str, str]:
        return dict(self.attrs)


@dataclass(slots=True)
class DocumentResult:
    """Everything extracted from one document."""

    document: Document
    sentences: list[Sentence]
    mentions: list[Mention]
    facts: list[Fact]
