"""China's administrative divisions, from jionlp's maintained gazetteer.

jionlp (PyPI) ships ``dictionary/china_location.txt``: province → city →
county → township → village, with administrative codes and short names.  We
read that file directly (importing jionlp itself costs about a second, and
we need only the table), once per process, and only when a document's place
is asked for.  Villages are skipped: a document's jurisdiction is never
below a township.

Levels follow the convention of ``kgraph extract``: every 市 is 市 (直辖市,
地级市 and 县级市 alike), 自治州/地区/盟 are 市, 自治区 and 特别行政区 are 省,
county-level 区 is 区, other county-level units (县, 自治县, 旗) are 县.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from kgraph import diskcache
from kgraph.errors import KgraphError
from kgraph.jurisdiction import markers

PROVINCE, CITY, COUNTY, TOWN = 1, 2, 3, 4  # depth in the gazetteer


class Division(NamedTuple):
    # a named tuple, not a dataclass: tens of thousands are made on every
    # load, and a tuple is made at C speed
    name: str  # full official name: 红河哈尼族彝族自治州
    alias: str  # short name the gazetteer gives: 红河 ('' for townships)
    depth: int  # PROVINCE … TOWN
    level: str  # 省 / 市 / 县 / 区 / 街道 / 乡镇
    parents: tuple[str, ...]  # nearest first, up to the province

    @property
    def key(self) -> str:
        """Unique spelling: parents outermost first, then the name."""
        return "/".join((*reversed(self.parents), self.name))


def level_of(name: str, depth: int) -> str:
    if depth == PROVINCE:
        return "市" if name.endswith("市") else "省"
    if depth == CITY:
        return "市"
    if depth == COUNTY:
        if name.endswith("市"):
            return "市"
        return "区" if name.endswith("区") and not name.endswith("林区") else "县"
    return "街道" if name.endswith(("街道", "街道办事处", "办事处")) else "乡镇"


# A township's name is at least one character and its suffix: the gazetteer
# also lists units called just 街道.
_MIN_TOWN = 3


class Gazetteer:
    """Every division, looked up by full name or short name."""

    def __init__(self, divisions: list[Division]) -> None:
        self.divisions = divisions
        self.by_name: dict[str, list[Division]] = {}
        self.by_alias: dict[str, list[Division]] = {}
        # divisions whose short name is an ordinary word (工业园区 → 工业园): full name only
        not_alias = markers.load().words["notalias"]
        for d in divisions:
            self.by_name.setdefault(d.name, []).append(d)
            if d.alias and d.alias != d.name and not d.name.endswith(not_alias):
                self.by_alias.setdefault(d.alias, []).append(d)

    @functools.cached_property
    def upper_names(self) -> dict[str, list[Division]]:
        """Full names above the townships (each ends in 省市县区州盟旗)."""
        upper: dict[str, list[Division]] = {}
        for n, ds in self.by_name.items():
            if len(ds) == 1:  # four names in five: no list to filter
                if ds[0].depth < TOWN:
                    upper[n] = [ds[0]]
            else:
                above = [d for d in ds if d.depth < TOWN]
                if above:
                    upper[n] = above
        return upper

    @functools.cached_property
    def alias_lengths(self) -> tuple[int, ...]:
        """Lengths of the short names, longest first."""
        return tuple(sorted({len(a) for a in self.by_alias}, reverse=True))

    def end_lengths(self, suffixes: str) -> dict[str, tuple[int, ...]]:
        """Last character → lengths, longest first, of the full names ending
        in it and of short names written with one of ``suffixes`` (楚雄州)."""
        ends: dict[str, set[int]] = {}
        for n in self.upper_names:
            ends.setdefault(n[-1], set()).add(len(n))
        for c in suffixes:
            ends.setdefault(c, set()).update(L + 1 for L in self.alias_lengths)
        return {c: tuple(sorted(ls, reverse=True)) for c, ls in ends.items()}

    @functools.cached_property
    def province_aliases(self) -> re.Pattern:
        """Provinces' short names (江西, 云南): taken wherever they are written."""
        words = sorted(
            (
                a
                for a, ds in self.by_alias.items()
                if all(d.depth == PROVINCE for d in ds)
            ),
            key=len,
            reverse=True,
        )
        return re.compile("|".join(map(re.escape, words)))

    def towns_ending_at(
        self, text: str, end: int, longest: int = 10
    ) -> tuple[int, list[Division]] | None:
        """The longest township name ending at ``end`` (its start and divisions)."""
        for L in range(min(longest, end), _MIN_TOWN - 1, -1):
            divs = self.by_name.get(text[end - L : end])
            if divs and divs[0].depth == TOWN:
                return end - L, divs
        return None

    def lookup(self, name: str) -> list[Division]:
        """Divisions called ``name``: full name, else short name, else short
        name with its suffix (楚雄州 → 楚雄彝族自治州)."""
        found = self.by_name.get(name) or self.by_alias.get(name, [])
        if not found and len(name) > 2:
            found = [
                d for d in self.by_alias.get(name[:-1], []) if d.name.endswith(name[-1])
            ]
        return found

    def find(self, key: str) -> Division | None:
        """The division whose :attr:`Division.key` or unique name is ``key``."""
        for d in self.by_name.get(key.rsplit("/", 1)[-1], []):
            if d.key == key or "/" not in key:
                return d
        return None


def _source() -> Path:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise KgraphError(
            "the place gazetteer needs the 'jionlp' package: pip install 'jionlp>=1.5,<1.6'"
        )
    folder = Path(list(spec.submodule_search_locations)[0]) / "dictionary"
    # jionlp ships the table zipped and unzips it beside itself on first use:
    # read whichever is there, never depend on jionlp having run before
    for path in (folder / "china_location.txt", folder / "china_location.zip"):
        if path.is_file():
            return path
    raise KgraphError(f"jionlp is installed but has no gazetteer in {folder}")


def _read(src: Path) -> bytes:
    if src.suffix == ".zip":
        with zipfile.ZipFile(src) as z:
            return z.read("china_location.txt")
    return src.read_bytes()


def parse(lines: Iterable[str]) -> list[Division]:
    """Divisions from the lines of jionlp's china_location.txt (tab-indented tree)."""
    out: list[Division] = []
    stack: list[str] = []  # names of the current province, city, county
    for raw in lines:
        line = raw.rstrip("\r\n")
        depth = len(line) - len(line.lstrip("\t")) + 1
        if depth > TOWN or not line.strip():
            continue
        cols = line.strip().split("\t")
        name = cols[0]
        alias = cols[2].split("/")[0] if len(cols) >= 3 else ""
        del stack[depth - 1 :]
        if len(stack) != depth - 1:
            continue  # malformed nesting: skip rather than guess a parent
        parents = tuple(p for p in reversed(stack) if p)
        stack.append(name)
        if depth == CITY and stack[0] == name:
            # a 直辖市 repeats itself as its own city: one division, not two
            stack[-1] = ""
            continue
        if name.endswith("直辖行政区划") or name.endswith("直辖县级行政区划"):
            stack[-1] = ""
            continue
        if depth == TOWN and (
            len(name) < _MIN_TOWN
            or not name.endswith(("街道", "镇", "乡", "苏木", "办事处"))
        ):
            continue
        parents = tuple(dict.fromkeys(parents))
        out.append(Division(name, alias, depth, level_of(name, depth), parents))
    return out


# Lines of depth 1-4; villages (four tabs) are nine lines in ten of the file,
# so only these lines are decoded.
_UPPER_LINES = re.compile(rb"^\t{0,3}[^\t\r\n][^\r\n]*", re.MULTILINE)


@functools.cache
def load() -> Gazetteer:
    """The gazetteer, parsed once per jionlp table and kept in the user's
    cache directory (reading the 40 MB table costs seconds; the parsed
    divisions load in a fraction of that)."""
    src = _source()
    st = src.stat()

    def parsed() -> list[tuple[str, str, int, str, tuple[str, ...]]]:
        data = _read(src)
        lines = (line.decode("utf-8") for line in _UPPER_LINES.findall(data))
        # stored as plain tuples: unpickling them is a C loop, where each
        # Division would be rebuilt by a call to its class
        return [(d.name, d.alias, d.depth, d.level, d.parents) for d in parse(lines)]

    rows = diskcache.load_or_build(
        "gazetteer",
        f"{st.st_size}-{int(st.st_mtime)}-v{_CACHE_VERSION}",
        parsed,
        lambda v: (
            isinstance(v, list)
            and bool(v)
            and type(v[0]) is tuple
            and len(v[0]) == len(Division._fields)
        ),
    )
    # tuple.__new__ makes each named tuple in C (Division._make is a Python call)
    return Gazetteer(list(map(tuple.__new__, itertools.repeat(Division), rows)))


_CACHE_VERSION = 3  # bump when parse() changes what it yields, or how it is stored
