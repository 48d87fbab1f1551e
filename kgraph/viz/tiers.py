"""Which row of the chain picture a node belongs in.

The chain is drawn top-down in the order responsibility is handed on::

    0 党委 · 政府 (党政同责)
    1 主要负责人 · 一把手 (负总责)
    2 分管领导 (一岗双责)
    3 部门 (三管三必须 · 监管责任)
    4 乡镇 · 街道 · 园区 (属地管理责任)
    5 企业 (主体责任 · 第一责任人)
    6 责任
    7 行业领域 · 任务
    8 会议 · 文档 (whole-graph view only)

The rules are data: :data:`TIER_RULES` is read top to bottom and the first
row whose label matches and whose regular expression matches the node's
field wins.  Field ``*`` always matches.  To move a kind of node, edit a row
here, not the renderers.
"""

from __future__ import annotations

import re
from functools import lru_cache

TIER_NAMES = (
    "党委 · 政府（党政同责）",
    "主要负责人 · 一把手（负总责）",
    "分管领导（一岗双责）",
    "部门（三管三必须 · 监管责任）",
    "乡镇 · 街道 · 园区（属地管理责任）",
    "企业（主体责任）",
    "责任",
    "行业领域 · 任务",
    "会议 · 文档",
)

# label           field      pattern (re.search)                                            tier
TIER_RULES: tuple[tuple[str, str, str, int], ...] = (
    # --- organisations: the lexicon category decides, the name is a fallback
    ("Organization", "category", r"^(党委|政府)$",                                          0),
    ("Organization", "category", r"^(议事协调机构|部门)$",                                   3),
    ("Organization", "category", r"^属地$",                                                  4),
    ("Organization", "category", r"^企业$",                                                  5),
    ("Organization", "name",     r"(企业|公司|厂|矿|生产经营单位)",                            5),
    ("Organization", "name",     r"(乡镇|乡|镇|街道|社区|村|园区|开发区|高新区|县|区)(\(|（|$)", 4),
    ("Organization", "name",     r"(党委|党组|党工委|市委|县委|区委|省委)$",                     0),
    ("Organization", "name",     r"(政府|管委会)$",                                          0),
    ("Organization", "name",     r"^(国家|中央|省|市|县|区)级$",                                0),  # category 层级
    ("Organization", "name",     r"^(街乡|乡镇|街道|镇|乡|村)级$",                              4),
    ("Organization", "*",        r"",                                                        3),
    # --- named officials: by the title they are given
    ("Official",     "title",    r"(董事长|总经理|厂长|矿长|法定代表人)",                      5),
    ("Official",     "title",    r"(乡长|镇长|街道|村)",                                       4),
    ("Official",     "title",    r"(?<!副)(书记|省长|市长|州长|县长|区长|管委会主任)",          1),
    ("Official",     "title",    r"(局长|厅长|主任|处长|科长|部长)$",                          3),
    ("Official",     "title",    r"(副|分管|常委|秘书长)",                                     2),
    ("Official",     "*",        r"",                                                        2),
    # --- roles: positions without a person
    ("Role",         "name",     r"(企业|生产经营单位|董事长|总经理|法人|法定代表人|实际控制人|安全员|安全管理人员|岗位|员工|职工)", 5),
    ("Role",         "name",     r"(乡镇|街道|村|社区|网格)",                                   4),
    ("Role",         "name",     r"(分管|副)",                                               2),
    ("Role",         "name",     r"(一把手|主要负责|主要领导|党政主要|书记|省长|市长|县长|区长|管委会主任)", 1),
    ("Role",         "name",     r"(局长|部门|监管)",                                         3),
    ("Role",         "*",        r"",                                                        2),
    # --- what is held, at the bottom
    ("Responsibility", "*",      r"",                                                        6),
    ("Sector",       "*",        r"",                                                        7),
    ("Task",         "*",        r"",                                                        7),
    ("Meeting",      "*",        r"",                                                        8),
    ("Document",     "*",        r"",                                                        8),
    ("Place",        "*",        r"",                                                        8),
    ("*",            "*",        r"",                                                        8),
)


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def tier_of(data: dict) -> int:
    """The row for a node, given its attribute dict (``label``, ``name``, …)."""
    label = data.get("label", "")
    for rule_label, field, pattern, tier in TIER_RULES:
        if rule_label not in ("*", label):
            continue
        if field == "*":
            return tier
        value = data.get(field) or ""
        if field == "name":  # a body of a place (鹰潭市·市政府) is ranked as the body it is
            value = data.get("body") or value
        if value and _compiled(pattern).search(str(value)):
            return tier
    return len(TIER_NAMES) - 1


def assign_tiers(G) -> dict[str, int]:
    return {n: tier_of(d) for n, d in G.nodes(data=True)}
