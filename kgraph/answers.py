"""The shapes of the answers :func:`kgraph.who`, :func:`kgraph.what` and
:func:`kgraph.gaps` return.

They are :class:`~typing.TypedDict` s: at run time the rows stay plain dicts
(printed as JSON, compared across backends), while a type checker sees each
key and its type.  Every backend builds its rows with exactly these keys
(``tests/test_api_types.py`` checks real answers against them).
"""

from __future__ import annotations

from typing import TypedDict


class Evidence(TypedDict):
    """One sentence that states a relation: where it is and what it says."""

    doc: str  # document id (the file stem)
    sentence: int  # sentence index in the cleaned document
    start: int  # character offsets in the cleaned document
    end: int
    rule: str  # the extraction rule that read it
    text: str


class Answer(TypedDict):
    """A row of :func:`kgraph.who`: a holder bears, covers or performs something."""

    holder: str
    holder_label: str  # Official, Organization or Role
    relation: str  # BEARS, COVERS_SECTOR or PERFORMS
    target: str
    target_label: str
    sector: str
    responsibility: str
    count: int  # sentences that state it
    docs: list[str]
    evidence: list[Evidence]


class Relation(TypedDict):
    """A row of :func:`kgraph.what`: one relation of the holder asked about."""

    direction: str  # "out" from the holder, "in" to it
    src: str
    src_label: str
    type: str
    dst: str
    dst_label: str
    kind: str  # CHAIN kind (层级, 党政同责 …), else ""
    sector: str
    responsibility: str
    task: str
    count: int
    docs: list[str]
    evidence: list[Evidence]


class SupervisionGap(TypedDict):
    """监管空白: a focus sector no department covers."""

    sector: str
    focus_mentions: int
    mentions: int
    docs: list[str]
    covered_by_non_departments: list[str]
    evidence: list[Evidence]


class UnheldResponsibility(TypedDict):
    """责任悬空: a responsibility or task nobody bears or performs."""

    label: str
    name: str
    category: str
    mentions: int
    docs: list[str]
    evidence: list[Evidence]


class IdleOfficial(TypedDict):
    """An official the texts name with no duty assigned by or to them."""

    official: str
    title: str
    docs: list[str]
    evidence: list[Evidence]


class Gaps(TypedDict):
    """What :func:`kgraph.gaps` returns: the holes, by kind."""

    supervision: list[SupervisionGap]
    unheld: list[UnheldResponsibility]
    idle_officials: list[IdleOfficial]
