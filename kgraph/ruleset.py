"""Cue tables: the words and patterns the extractors key on, as validated data.

The lexicons (``kgraph/lexicons/*.tsv``) say *what* the domain's things are
called; the cue tables (``kgraph/rules/*.toml``) say *how a text signals*
them: duty verbs, modal verbs, subject leads, level words, body suffixes,
list-heading patterns, chain cues.  Each table is a TOML table::

    [duty_verbs]
    doc   = "verbs that open a duty after its holder"
    kind  = "words"          # words: literal strings; regex: Python regex fragments
    items = ["负责", "承担"]

Loading validates every table (unknown key, unknown kind, empty items, a regex
that does not compile) and raises one :class:`~kgraph.errors.InputError`
naming ``file:line``.  A user file (``--rules my_cues.toml``) may only extend
tables the package defines (``mode = "replace"`` replaces one), so a typo in a
table name fails loudly instead of being silently ignored.

Extractors read tables through :class:`Cues`: ``cues.words(name)``,
``cues.regex(name)`` (one compiled alternation, longest word first) or
``cues.alternation(name)`` to embed in a larger pattern.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parser  # type: ignore[attr-defined]
from typing import Literal, TypeVar

from kgraph import diskcache
from kgraph.errors import InputError

_T = TypeVar("_T")
CueKind = Literal["words", "regex"]
CUE_KINDS: tuple[str, ...] = ("words", "regex")
TABLE_KEYS = frozenset({"doc", "kind", "items", "mode"})
MODES = ("extend", "replace")


@dataclass(frozen=True, slots=True)
class CueTable:
    name: str
    kind: str
    doc: str
    items: tuple[str, ...]
    source: str  # file:line of the table header that defined it


@dataclass
class Cues:
    tables: dict[str, CueTable] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    _texts: list[str] = field(default_factory=list)
    # table name → alternation source: extractors ask per sentence, and
    # building it (sort + escape every item) each time was a real cost
    _alternations: dict[str, str] = field(default_factory=dict)
    # extractor key → what that extractor compiled from these tables
    _built: dict[str, object] = field(default_factory=dict)

    def words(self, name: str) -> tuple[str, ...]:
        return self._table(name).items

    def alternation(self, name: str) -> str:
        """A regex source matching any item of the table (longest literal first)."""
        source = self._alternations.get(name)
        if source is None:
            source = self._alternations[name] = _alternation(self._table(name))
        return source

    def regex(self, name: str) -> re.Pattern[str]:
        return _compiled(behind_initials(self.alternation(name)))

    def leading(self, name: str) -> re.Pattern[str]:
        """The table's alternation anchored at the start of the string."""
        return _compiled("^" + self.alternation(name))

    def built(self, key: str, build: Callable[[Cues], _T]) -> _T:
        """What ``build`` makes of these tables, made once per ruleset: one
        Cues object serves every document of a run, and adding a file to it
        forgets what was built from the tables before."""
        try:
            return self._built[key]  # type: ignore[return-value]
        except KeyError:
            made = self._built[key] = build(self)
            return made

    def digest(self) -> str:
        h = hashlib.sha256()
        for t in self._texts:
            h.update(t.encode("utf-8"))
        return h.hexdigest()

    def _table(self, name: str) -> CueTable:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(
                f"no cue table {name!r} (known: {', '.join(sorted(self.tables))})"
            ) from None

    # --- loading ------------------------------------------------------------
    def add_text(self, text: str, source: str, *, user: bool) -> int:
        """Add the tables of one TOML file; returns how many tables it had."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            # tomllib says "(at line N, column M)" or "(at end of document)"
            msg = str(exc)
            at = re.search(r"\s*\(at line (\d+), column \d+\)$", msg)
            line = int(at.group(1)) if at else max(len(text.splitlines()), 1)
            msg = (
                msg[: at.start()]
                if at
                else msg.replace(" (at end of document)", " at end of file")
            )
            raise InputError(f"{source}:{line}: {msg}") from None
        lines = text.splitlines()
        for name, body in data.items():
            where = f"{source}:{_line_of(lines, name)}"
            if not isinstance(body, dict):
                raise InputError(f"{where}: {name!r} must be a table ([{name}])")
            unknown = set(body) - TABLE_KEYS
            if unknown:
                raise InputError(
                    f"{where}: unknown key {sorted(unknown)[0]!r} in [{name}] (allowed: {', '.join(sorted(TABLE_KEYS))})"
                )
            mode = body.get("mode", "extend")
            if mode not in MODES:
                raise InputError(
                    f"{where}: mode must be one of {', '.join(MODES)}, not {mode!r}"
                )
            items = body.get("items")
            if (
                not isinstance(items, list)
                or not items
                or not all(isinstance(i, str) and i for i in items)
            ):
                raise InputError(
                    f"{where}: [{name}] needs items = a non-empty list of non-empty strings"
                )
            old = self.tables.get(name)
            if user and old is None:
                raise InputError(
                    f"{where}: unknown cue table [{name}] (known: {', '.join(sorted(self.tables))})"
                )
            kind = body.get("kind", old.kind if old else None)
            if kind not in CUE_KINDS:
                raise InputError(
                    f"{where}: [{name}] kind must be one of {', '.join(CUE_KINDS)}, not {kind!r}"
                )
            if old is not None and kind != old.kind:
                raise InputError(
                    f"{where}: [{name}] is a {old.kind!r} table, not {kind!r}"
                )
            if not user and old is not None:
                raise InputError(
                    f"{where}: cue table [{name}] defined twice (first at {old.source})"
                )
            if kind == "regex":
                for item in items:
                    try:
                        re.compile(item)
                    except re.error as exc:
                        raise InputError(
                            f"{source}:{_line_of(lines, item, quoted=True)}: bad pattern in [{name}]: {exc}"
                        ) from None
            doc = body.get("doc", old.doc if old else "")
            if not doc and not user:
                raise InputError(f"{where}: [{name}] needs a doc string")
            merged = (
                tuple(items)
                if (old is None or mode == "replace")
                else tuple(dict.fromkeys((*old.items, *items)))
            )
            self.tables[name] = CueTable(name, kind, doc, merged, where)
        self.sources.append(source)
        self._texts.append(text)
        self._alternations.clear()
        self._built.clear()
        return len(data)

    def add_file(self, path: str | Path) -> int:
        return self.add_text(read_user_file(path, "rules"), str(path), user=True)

    def copy(self) -> Cues:
        return Cues(dict(self.tables), list(self.sources), list(self._texts))


def read_user_file(path: str | Path, what: str) -> str:
    """The text of a user's lexicon or rules file, or a one-line error."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: {what} file not found") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: {what} files must be UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what} file ({exc.strerror})") from None


def _line_of(lines: list[str], needle: str, *, quoted: bool = False) -> int:
    """Best-effort line number of a table header (or a quoted item) for messages."""
    if quoted:
        for i, line in enumerate(lines, 1):
            if f'"{needle}"' in line or f"'{needle}'" in line:
                return i
        return 1
    header = re.compile(rf"^\s*\[\s*[\"']?{re.escape(needle)}[\"']?\s*\]")
    for i, line in enumerate(lines, 1):
        if header.match(line):
            return i
    return 1


def _alternation(table: CueTable) -> str:
    if table.kind == "words":
        items = sorted(table.items, key=len, reverse=True)
        return "(?:" + "|".join(re.escape(i) for i in items) + ")"
    return "(?:" + "|".join(f"(?:{i})" for i in table.items) + ")"


def _initials(seq: list) -> set[str] | None:
    """The characters every match of a regex sequence (parsed by the stdlib
    re._parser, private but stable since 3.11) opens with, or
    None when that is unknown or the sequence may match the empty string."""
    c = _sre
    for i, (op, av) in enumerate(seq):
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width: the next item consumes the first character
        if op is c.LITERAL:
            return {chr(av)}
        if op is c.IN:
            chars: set[str] = set()
            for iop, iav in av:
                if iop is c.LITERAL:
                    chars.add(chr(iav))
                elif iop is c.RANGE and iav[1] - iav[0] < 256:
                    chars.update(map(chr, range(iav[0], iav[1] + 1)))
                else:
                    return None  # negated, \d, \s, a wide range
            return chars
        if op is c.SUBPATTERN:
            if av[1] or av[2]:
                return None  # scoped flags (?i:…) change what a character matches
            return _initials(av[3].data)
        if op is c.ATOMIC_GROUP:
            return _initials(av.data)
        if op is c.BRANCH:
            out: set[str] = set()
            for alt in av[1]:
                got = _initials(alt.data)
                if got is None:
                    return None
                out |= got
            return out
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            got = _initials(av[2].data)
            if av[0] >= 1 or got is None:
                return got
            # optional ((全|我|本)?…): a match opens with it or with what follows
            after = _initials(seq[i + 1 :])
            return None if after is None else got | after
        return None
    return None


def _engine_scans(seq: list) -> bool:
    """Whether the regex engine already skips to the opening characters itself
    (a literal, a class, or alternatives that each open with a literal)."""
    c = _sre
    while seq and seq[0][0] is c.SUBPATTERN and not (seq[0][1][1] or seq[0][1][2]):
        seq = seq[0][1][3].data
    if not seq:
        return False
    op, av = seq[0]
    if op in (c.LITERAL, c.IN):
        return True
    return op is c.BRANCH and all(
        alt.data and alt.data[0][0] is c.LITERAL for alt in av[1]
    )


@functools.lru_cache(maxsize=512)
def behind_initials(source: str, ignorecase: bool = False) -> str:
    """``source`` behind a lookahead for the characters its matches open with,
    when they can be read from it: the engine otherwise tries every
    alternative at every position (an alternative opening with a lookbehind
    or a group defeats its own first-character scan). Same matches, same groups.
    ``ignorecase``: the caller compiles it with re.IGNORECASE, under which the
    engine does not scan for opening literals either (the lookahead, compiled
    under the same flag, ignores case as they do)."""
    try:
        parsed = _sre_parser.parse(source)
    except (re.error, RecursionError):
        return source
    if parsed.state.flags & re.IGNORECASE or (
        not ignorecase and _engine_scans(parsed.data)
    ):
        return source
    chars = _initials(parsed.data)
    if not chars:
        return source
    return (
        "(?=[" + "".join(re.escape(ch) for ch in sorted(chars)) + "])(?:" + source + ")"
    )


def needed_chars(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A character class holding a character of every match of ``pattern``
    (a match lies inside a window only if one of them does), or None when the
    pattern does not tell (a match may be any character, or empty)."""
    try:
        parsed = _sre_parser.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    options = _needed(parsed.data)
    if not options:
        return None
    chars = min(options, key=len)
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]")


def may_match(need: re.Pattern[str] | None, text: str, start: int, end: int) -> bool:
    """Whether a match of the pattern ``need`` was read from (by
    :func:`needed_chars`) can lie in ``text[start:end]``: not without one of
    its characters there.  None, a pattern that did not tell, may match anywhere."""
    return need is None or need.search(text, start, end) is not None


def _needed(seq: list) -> list[set[str]]:
    """Sets of characters of which every match of a parsed regex sequence
    consumes one: one set per item the sequence cannot match without (each
    set alone is enough). Assertions consume nothing and give none."""
    c = _sre
    out: list[set[str]] = []
    for op, av in seq:
        if op is c.LITERAL:
            out.append({chr(av)})
        elif op is c.IN:
            chars: set[str] | None = set()
            for iop, iav in av:
                if iop is c.LITERAL:
                    chars.add(chr(iav))  # type: ignore[union-attr]
                elif iop is c.RANGE and iav[1] - iav[0] < 256:
                    chars.update(map(chr, range(iav[0], iav[1] + 1)))  # type: ignore[union-attr]
                else:
                    chars = None  # negated, \d, \s, a wide range
                    break
            if chars:
                out.append(chars)
        elif op is c.SUBPATTERN:
            if not (av[1] or av[2]):  # scoped flags change what a character matches
                out.extend(_needed(av[3].data))
        elif op is c.ATOMIC_GROUP:
            out.extend(_needed(av.data))
        elif op is c.BRANCH:
            alts = [_needed(alt.data) for alt in av[1]]
            if all(alts):
                # one set per alternative, shared where it can be (一定要|需要 → 要)
                union: set[str] = set()
                for sets in sorted(alts, key=len):
                    fit = next((x for x in sets if x <= union), None)
                    union |= fit if fit is not None else min(sets, key=len)
                out.append(union)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if av[0] >= 1:
                out.extend(_needed(av[2].data))
    return out


@functools.lru_cache(maxsize=512)
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source)


@functools.lru_cache(maxsize=1)
def builtin_cues() -> Cues:
    root = resources.files("kgraph.rules")
    # every shipped table file, in name order (cues.toml, bodies.toml, duties.toml …)
    files = [
        (f"kgraph/rules/{name}", root.joinpath(name).read_text(encoding="utf-8"))
        for name in sorted(p.name for p in root.iterdir() if p.name.endswith(".toml"))
    ]

    def parsed() -> Cues:
        cues = Cues()
        for source, text in files:
            cues.add_text(text, source, user=False)
        return cues

    # parsed and validated once per text of the tables, of this module (what
    # a table holds and how it is stored) and Python (whose re decides what
    # is valid), not by every process: reading the TOML and checking its
    # hundreds of patterns was most of what loading the lexicon cost
    return diskcache.load_or_build(
        "cue-tables",
        diskcache.code_key(__file__, files),
        parsed,
        lambda v: isinstance(v, Cues),
    )


def load_cues(extra: Iterable[str | Path] = ()) -> Cues:
    extra = list(extra)
    base = builtin_cues()
    if not extra:
        return base
    cues = base.copy()
    for p in extra:
        cues.add_file(p)
    return cues
