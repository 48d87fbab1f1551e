"""Domain lexicons: data files, not Python literals.

Each ``kgraph/lexicons/<kind>s.tsv`` is UTF-8, one entry per line; the last
``#`` line before the data names the columns (``#name<TAB>category<TAB>aliases``).
Aliases are ``|``-separated and resolve to the entry's canonical name, which
is how 应急局 and 应急管理局 become one node.

A user lexicon is the same format.  Its kind comes from a ``kind`` column or,
failing that, from the file name (``my_sectors.tsv`` → sector)::

    #kind	name	category	aliases
    organization	市城管局	部门	城管局|城市管理局
    sector	电动自行车	电瓶车
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kgraph import schema
from kgraph.errors import InputError
from kgraph.ruleset import Cues, builtin_cues, read_user_file

# kind → shipped file.  Order matters only for readability.
KIND_FILES = {
    "title": "titles.tsv",
    "organization": "organizations.tsv",
    "role": "roles.tsv",
    "sector": "sectors.tsv",
    "responsibility": "responsibilities.tsv",
    "task": "tasks.tsv",
}
KINDS = tuple(KIND_FILES)

# When one surface belongs to two kinds, the earlier kind wins.  Responsibility
# terms contain organisation words (企业主体责任 ⊃ 企业), so they are looked at
# first; titles contain organisations (市委书记 ⊃ 市委).
KIND_PRIORITY = ("responsibility", "title", "role", "organization", "task", "sector")

# Quantifier prefixes kept in the surface but not in the canonical name:
# 各行业主管部门 and 行业主管部门 are one node.
QUANTIFIER_PREFIXES = (
    "全市各级",
    "全省各级",
    "各级",
    "各有关",
    "各相关",
    "有关",
    "相关",
    "各",
)


@dataclass(frozen=True, slots=True)
class Entry:
    kind: str
    name: str  # canonical
    category: str = ""
    holder: str = (
        ""  # responsibilities: who a compound term names (企业主体责任 → 企业)
    )
    org: str = ""  # titles: the body the title belongs to (市委书记 → 市委)
    rank: int = 0  # titles/roles: 1 principal, 2 deputy, 3 staff


@dataclass
class Lexicon:
    entries: dict[str, dict[str, Entry]] = field(
        default_factory=lambda: {k: {} for k in KINDS}
    )
    surnames: set[str] = field(default_factory=set)
    compound_surnames: set[str] = field(default_factory=set)
    name_followers: tuple[str, ...] = ()
    sources: list[str] = field(default_factory=list)
    # the cue tables (kgraph/rules/*.toml + user --rules files): one ruleset
    cues: Cues = field(default_factory=builtin_cues)
    # (path, text) of the user's files, kept so a workspace can store them
    user_files: list[tuple[str, str]] = field(default_factory=list)

    # --- building ---------------------------------------------------------
    def add(self, entry: Entry, aliases: Iterable[str] = ()) -> None:
        table = self.entries[entry.kind]
        for surface in (entry.name, *aliases):
            surface = surface.strip()
            if surface:
                table[surface] = entry
        self._invalidate()

    def add_text(self, text: str, path: str) -> int:
        """Add the rows of a lexicon file's text (``path`` names it and its kind)."""
        default_kind = _kind_from_filename(Path(path).name)
        n = 0
        for lineno, row in _rows(text, str(path)):
            kind = (row.get("kind") or default_kind or "").strip()
            if kind.endswith("s") and kind[:-1] in KINDS:
                kind = kind[:-1]
            if kind not in KINDS:
                raise InputError(
                    f"{path}:{lineno}: unknown lexicon kind {kind!r} "
                    f"(use a 'kind' column or name the file after one of: {', '.join(KINDS)})"
                )
            _validate(kind, row, f"{path}:{lineno}")
            self.add(_entry(kind, row), _aliases(row))
            n += 1
        self.sources.append(str(path))
        return n

    # --- lookups ----------------------------------------------------------
    def lookup(self, kind: str, surface: str) -> Entry | None:
        return self.entries[kind].get(surface)

    def canonical(self, kind: str, surface: str) -> str:
        """Canonical name of a surface form, with quantifier prefixes removed."""
        core = strip_quantifier(surface)
        for candidate in (surface, core):
            entry = self.entries[kind].get(candidate)
            if entry is not None:
                return entry.name
        return core

    def surfaces(self) -> dict[str, Entry]:
        """Every surface form → its entry, resolving clashes by KIND_PRIORITY."""
        if self._surfaces is None:
            merged: dict[str, Entry] = {}
            for kind in reversed(KIND_PRIORITY):
                merged.update(self.entries[kind])
            self._surfaces = merged
        return self._surfaces

    @property
    def term_pattern(self) -> re.Pattern[str]:
        """Every surface as one regex shaped like a trie, longest alternative
        first at each branch, so the leftmost match is also the longest there.
        (A flat alternation of ~600 words is twice as slow: the engine tries
        each word at each position.)"""
        if self._pattern is None:
            self._pattern = re.compile(trie_regex(self.surfaces()))
        return self._pattern

    @property
    def title_pattern(self) -> re.Pattern[str]:
        if self._titles is None:
            self._titles = re.compile(trie_regex(self.entries["title"]))
        return self._titles

    # caches, built on first use and dropped by every change
    _pattern: re.Pattern[str] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _titles: re.Pattern[str] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _surfaces: dict[str, Entry] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def _invalidate(self) -> None:
        self._pattern = None
        self._titles = None
        self._surfaces = None

    def __post_init__(self) -> None:
        self._invalidate()


def trie_regex(words: Iterable[str]) -> str:
    """A regex matching exactly ``words``, preferring the longest at any position."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [
            re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # the longer continuation is tried first; the word may also end here
        return f"(?:{body})?" if end else body

    return build(trie)


def strip_quantifier(surface: str) -> str:
    for prefix in QUANTIFIER_PREFIXES:
        if surface.startswith(prefix) and len(surface) > len(prefix) + 1:
            return surface[len(prefix) :]
    return surface


def _kind_from_filename(name: str) -> str | None:
    stem = name.rsplit(".", 1)[0].lower()
    for kind, fname in KIND_FILES.items():
        plural = fname.rsplit(".", 1)[0]
        if stem.endswith(plural) or stem.endswith(kind):
            return kind
    return None


# The columns each kind's rows may fill, and the values a category may take
# (schema.py): a typo such as `部 门` is refused instead of silently dropping
# the edges that category would have drawn.
COLUMNS: dict[str, frozenset[str]] = {
    "title": frozenset({"name", "org", "rank", "aliases"}),
    "organization": frozenset({"name", "category", "aliases"}),
    "role": frozenset({"name", "level", "category", "aliases"}),
    "sector": frozenset({"name", "aliases"}),
    "responsibility": frozenset({"name", "category", "holder", "aliases"}),
    "task": frozenset({"name", "aliases"}),
}
ALL_COLUMNS = frozenset({"kind"}).union(*COLUMNS.values())
CATEGORIES: dict[str, tuple[str, ...]] = {
    "organization": schema.ORG_CATEGORIES,
    "role": schema.ROLE_CATEGORIES,
    "responsibility": schema.RESPONSIBILITY_CATEGORIES,
}


def _rows(text: str, source: str = "<lexicon>") -> Iterable[tuple[int, dict[str, str]]]:
    columns = ["name", "aliases"]
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            header = line[1:].strip().split("\t")
            if header and header[0] in ("name", "kind"):
                columns = [c.strip() for c in header]
                unknown = [c for c in columns if c not in ALL_COLUMNS]
                if unknown:
                    raise InputError(
                        f"{source}:{lineno}: unknown column {unknown[0]!r} (known: {', '.join(sorted(ALL_COLUMNS))})"
                    )
            continue
        cells = line.rstrip("\n").split("\t")
        if len(cells) > len(columns):
            raise InputError(
                f"{source}:{lineno}: {len(cells)} cells but {len(columns)} columns ({', '.join(columns)})"
            )
        row = {
            col: (cells[i].strip() if i < len(cells) else "")
            for i, col in enumerate(columns)
        }
        if not row.get("name", row.get("kind", "x")):
            raise InputError(f"{source}:{lineno}: empty name")
        yield lineno, row


def _validate(kind: str, row: dict[str, str], where: str) -> None:
    extra = [c for c, v in row.items() if v and c != "kind" and c not in COLUMNS[kind]]
    if extra:
        raise InputError(
            f"{where}: column {extra[0]!r} does not apply to kind {kind!r} (it takes: {', '.join(sorted(COLUMNS[kind]))})"
        )
    allowed = CATEGORIES.get(kind)
    category = row.get("category", "")
    if allowed is not None and category and category not in allowed:
        raise InputError(
            f"{where}: unknown {kind} category {category!r} (one of: {', '.join(allowed)})"
        )
    for num in ("rank", "level"):
        if row.get(num) and not row[num].isdigit():
            raise InputError(f"{where}: {num} must be a number, not {row[num]!r}")


def _aliases(row: dict[str, str]) -> list[str]:
    return [a for a in row.get("aliases", "").split("|") if a.strip()]


def _entry(kind: str, row: dict[str, str]) -> Entry:
    rank = row.get("rank") or row.get("level") or "0"
    return Entry(
        kind=kind,
        name=row["name"],
        category=row.get("category", ""),
        holder=row.get("holder", ""),
        org=row.get("org", ""),
        rank=int(rank) if rank.isdigit() else 0,
    )


def _read_resource(name: str) -> str:
    return resources.files("kgraph.lexicons").joinpath(name).read_text(encoding="utf-8")


def _name_list(name: str) -> list[str]:
    return [row["name"] for _, row in _rows(_read_resource(name))]


@functools.lru_cache(maxsize=1)
def _builtin() -> Lexicon:
    lex = Lexicon()
    for kind, fname in KIND_FILES.items():
        source = f"kgraph/lexicons/{fname}"
        for lineno, row in _rows(_read_resource(fname), source):
            _validate(kind, row, f"{source}:{lineno}")
            lex.add(_entry(kind, row), _aliases(row))
        lex.sources.append(f"kgraph.lexicons/{fname}")
    lex.surnames = set(_name_list("surnames.tsv"))
    lex.compound_surnames = set(_name_list("compound_surnames.tsv"))
    lex.name_followers = tuple(
        sorted(_name_list("name_followers.tsv"), key=len, reverse=True)
    )
    return lex


def user_files(extra: Iterable[str | Path]) -> list[tuple[str, str]]:
    """(path, text) of each user lexicon / rules file, read once, so a workspace
    can keep the exact ruleset it was built with (see :func:`load_lexicon_texts`)."""
    return [
        (
            str(p),
            read_user_file(
                p, "rules" if str(p).lower().endswith(".toml") else "lexicon"
            ),
        )
        for p in extra
    ]


def load_lexicon_texts(files: Iterable[tuple[str, str]]) -> Lexicon:
    """The shipped lexicon plus user files given as (path, text) pairs."""
    files = list(files)
    base = _builtin()
    if not files:
        return base
    lex = _copy(base)
    lex.user_files = files
    for path, text in files:
        if path.lower().endswith(".toml"):
            lex.cues.add_text(text, path, user=True)
        else:
            lex.add_text(text, path)
            lex.sources.append(path)
    return lex


def _copy(base: Lexicon) -> Lexicon:
    return Lexicon(
        entries={k: dict(v) for k, v in base.entries.items()},
        surnames=set(base.surnames),
        compound_surnames=set(base.compound_surnames),
        name_followers=base.name_followers,
        sources=list(base.sources),
        cues=base.cues.copy(),
    )


def load_lexicon(extra: Iterable[str | Path] = ()) -> Lexicon:
    """The shipped lexicon plus any user files (later files win on clashes)."""
    return load_lexicon_texts(user_files(extra))
