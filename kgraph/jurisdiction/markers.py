"""The vocabulary of ``markers.tsv``, validated on load."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

from kgraph.errors import KgraphError

LEVELS = ("国家", "省", "市", "县", "区", "街道", "乡镇", "企业")
KINDS = (
    "prefix",
    "aloneprefix",
    "body",
    "scope",
    "enterprise",
    "company",
    "lawform",
    "pagedate",
    "event",
    "adopt",
    "aliasnext",
    "aliasprev",
    "notalias",
    "national",
    "nationalprefix",
    "elsewhere",
)


@dataclass(frozen=True)
class Markers:
    prefix: dict[str, str] = field(default_factory=dict)  # prefix → level
    words: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # kind → values, longest first


def parse(text: str, source: str = "markers.tsv") -> Markers:
    prefix: dict[str, str] = {}
    words: dict[str, list[str]] = {k: [] for k in KINDS if k != "prefix"}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 3 or cols[0] not in KINDS or not cols[1]:
            raise KgraphError(
                f"{source}:{n}: expected KIND<TAB>VALUE<TAB>LEVEL with KIND one of {', '.join(KINDS)}"
            )
        kind, value, level = cols
        if kind in ("prefix", "aloneprefix"):
            if level not in LEVELS:
                raise KgraphError(
                    f"{source}:{n}: unknown level {level!r} (one of {', '.join(LEVELS)})"
                )
            prefix[value] = level
            if kind == "aloneprefix":
                words["aloneprefix"].append(value)
        else:
            words[kind].append(value)
    return Markers(
        prefix, {k: tuple(sorted(v, key=len, reverse=True)) for k, v in words.items()}
    )


@functools.cache
def load() -> Markers:
    text = (
        resources.files("kgraph.jurisdiction")
        .joinpath("markers.tsv")
        .read_text(encoding="utf-8")
    )
    return parse(text)


def is_national(name: str) -> bool:
    """A body that is one for the whole country (国务院, 应急管理部 …)."""
    m = load()
    return name in m.words["national"] or name.startswith(m.words["nationalprefix"])
