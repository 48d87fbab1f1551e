"""The graph schema, written down once.

The embedded store, GraphML/JSON export, the Neo4j loader and the named Cypher
queries all use these names.  ``docs/schema.md`` is the prose version.

Node identity is ``"<Label>:<name>"``; names are canonical (simplified Chinese,
aliases resolved) so the same official named in a traditional and a simplified
speech becomes one node.
"""

from __future__ import annotations

# --- node labels -----------------------------------------------------------
DOCUMENT = "Document"
MEETING = "Meeting"
OFFICIAL = "Official"  # a named person: 许南吉, 焦市长
ORGANIZATION = "Organization"  # a body: 市委, 应急管理局, 各乡镇(街道), 企业
ROLE = "Role"  # a position: 市委书记, 一把手, 分管领导, 主要负责人
RESPONSIBILITY = "Responsibility"  # 部门监管责任, 三管三必须, 第一责任人 …
SECTOR = "Sector"  # 危险化学品, 燃气, 道路交通 …
TASK = "Task"  # 隐患排查, 专项整治, 督查问责 …
PLACE = (
    "Place"  # a jurisdiction: 云南省, 红河哈尼族彝族自治州, 元阳县, or an enterprise
)

NODE_LABELS = (
    DOCUMENT,
    MEETING,
    OFFICIAL,
    ORGANIZATION,
    ROLE,
    RESPONSIBILITY,
    SECTOR,
    TASK,
    PLACE,
)

# Labels whose nodes belong to a document's jurisdiction (see scoped_name).
SCOPED_LABELS = (OFFICIAL, ORGANIZATION)
# Between a jurisdiction and a scoped name: 鹰潭市·市政府, 鹰潭市·许南吉.
SCOPE_SEP = "·"

# Labels a responsibility can be held by.
HOLDER_LABELS = (OFFICIAL, ORGANIZATION, ROLE)

# Mention.kind → node label
MENTION_KINDS = {
    "official": OFFICIAL,
    "organization": ORGANIZATION,
    "role": ROLE,
    "responsibility": RESPONSIBILITY,
    "sector": SECTOR,
    "task": TASK,
}

# --- relationship types ------------------------------------------------------
HOLDS_TITLE = "HOLDS_TITLE"  # Official → Role
IN_ORG = "IN_ORG"  # Official → Organization
BEARS = "BEARS"  # holder → Responsibility            {sector}
COVERS_SECTOR = "COVERS_SECTOR"  # holder → Sector      {responsibility}
PERFORMS = "PERFORMS"  # holder → Task                  {sector}
ASSIGNED = "ASSIGNED"  # Official (speaker) → holder      {responsibility, sector, task}
CHAIN = "CHAIN"  # holder → holder                        {kind}
SPOKE_AT = "SPOKE_AT"  # Official → Meeting
CHAIRED = "CHAIRED"  # Official → Meeting
ATTENDED = "ATTENDED"  # Official → Meeting
RECORDED_IN = "RECORDED_IN"  # Meeting → Document
MENTIONED_IN = "MENTIONED_IN"  # any entity → Document
IN_PLACE = "IN_PLACE"  # body / official / Document / Meeting → Place
WITHIN = "WITHIN"  # Place → the Place above it (county → prefecture → province)

RELATIONSHIPS = {
    HOLDS_TITLE: ((OFFICIAL,), (ROLE,)),
    IN_ORG: ((OFFICIAL,), (ORGANIZATION,)),
    BEARS: (HOLDER_LABELS, (RESPONSIBILITY,)),
    COVERS_SECTOR: (HOLDER_LABELS, (SECTOR,)),
    PERFORMS: (HOLDER_LABELS, (TASK,)),
    ASSIGNED: ((OFFICIAL,), HOLDER_LABELS),
    CHAIN: (HOLDER_LABELS, HOLDER_LABELS),
    SPOKE_AT: ((OFFICIAL,), (MEETING,)),
    CHAIRED: ((OFFICIAL,), (MEETING,)),
    ATTENDED: ((OFFICIAL,), (MEETING,)),
    RECORDED_IN: ((MEETING,), (DOCUMENT,)),
    MENTIONED_IN: (NODE_LABELS, (DOCUMENT,)),
    IN_PLACE: ((OFFICIAL, ORGANIZATION, DOCUMENT, MEETING), (PLACE,)),
    WITHIN: ((PLACE,), (PLACE,)),
}

# Relationship attributes that make two facts different edges (the rest of a
# fact is evidence and is accumulated on the edge).
EDGE_KEY_ATTRS = {
    BEARS: ("sector",),
    COVERS_SECTOR: ("responsibility",),
    PERFORMS: ("sector",),
    ASSIGNED: ("responsibility", "sector", "task"),
    CHAIN: ("kind",),
}

# CHAIN kinds: how responsibility is handed on (the development-set
# conventions; both ends are named in one clause, or a list heading and its item).
CHAIN_KINDS = (
    "层级",  # upper → lower administrative level: 市 → 区, 县级以上人民政府 → 乡、镇人民政府, 责任书 signer → signatory
    "领导分工",  # principal → deputy: 主要负责人 → 分管负责人 / 其他负责人, 州长 → 副州长
    "党政同责",  # a named party body → the named government body sharing its duty
    "督促",  # a body → the lower body it supervises, urges, guides or checks
)

# Organisation categories (lexicon column `category`).
ORG_CATEGORIES = (
    "党委",
    "政府",
    "党政",
    "议事协调机构",
    "部门",
    "属地",
    "企业",
    "层级",
    "泛指",
)

# Role categories (roles.tsv): where a generic role sits in the chain.
ROLE_CATEGORIES = ("党政领导", "企业", "基层", "职务")

# The four responsibilities of the system; other responsibility terms map to one.
RESPONSIBILITY_CATEGORIES = (
    "党政领导责任",
    "部门监管责任",
    "属地管理责任",
    "企业主体责任",
)


def node_id(label: str, name: str) -> str:
    return f"{label}:{name}"


def scoped_name(place: str, name: str) -> str:
    """The canonical name of a body or official of a jurisdiction: the same
    市政府 in documents of two cities is two bodies (鹰潭市·市政府, 南昌市·市政府).
    An empty ``place`` (the document's is unknown) leaves the name as it is."""
    return f"{place}{SCOPE_SEP}{name}" if place else name


def unscoped_name(name: str) -> str:
    """The name as the text writes it: 鹰潭市·市政府 → 市政府."""
    return name.rpartition(SCOPE_SEP)[2]


def place_within(key: str, place: str) -> bool:
    """Is the jurisdiction ``key`` (云南省/红河哈尼族彝族自治州/元阳县) inside ``place``
    (or ``place`` itself)?  Each level answers to its full name or a leading
    part of it (鹰潭 → 鹰潭市)."""
    return bool(place) and any(
        seg == place or (len(place) >= 2 and seg.startswith(place))
        for seg in key.split("/")
        if seg
    )


def split_node_id(nid: str) -> tuple[str, str]:
    label, _, name = nid.partition(":")
    return label, name


# --- what the questions count on (one place; SQL, networkx and Cypher get them as parameters) ---
DEPARTMENT_CATEGORY = "部门"  # an Organization that supervises a sector: 监管空白 is a focus sector none covers
LEADING_ORG_CATEGORIES = (
    "党委",
    "政府",
    "党政",
)  # where a party-government chain starts …
LEADING_ROLE_CATEGORIES = ("党政领导",)  # … or a leading role
EVIDENCE_PER_ANSWER = 3  # evidence sentences kept per answer row unless asked for more
PAGE_ROWS = 500  # rows a paged named query returns by default (0: all)
CHAIN_DEPTH = 6  # longest CHAIN path a chain query follows
# The constants above as the named Cypher queries receive them ($department …);
# the query files never spell the values.  A variable-length pattern cannot take
# a parameter, so CHAIN_DEPTH is written as *1..6 in the files and a test holds
# them to it.
QUERY_CONSTANTS = {
    "department": DEPARTMENT_CATEGORY,
    "leading_orgs": list(LEADING_ORG_CATEGORIES),
    "leading_roles": list(LEADING_ROLE_CATEGORIES),
    "page": PAGE_ROWS,
    "default_evidence": EVIDENCE_PER_ANSWER,
}
