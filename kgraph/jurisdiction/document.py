"""A document's own place, read from its text, with evidence (its date:
:mod:`kgraph.jurisdiction.dates`).

Place (rule ids in brackets):

- [place.title] a division the title line names: 某某县人民政府关于… → that county;
- [place.body] otherwise the division of the document's own level (what its
  bodies are prefixed with: 县委, 全县, 我县 → 县) that the text names most,
  directly or through a place inside it (a 省 meeting held in one of its cities);
- [place.company] an enterprise speaking for itself (集团公司, 董事长 …) and naming
  its company: that company, its parents from the place its name starts with;
- [place.national] a law or regulation whose title names no place, and that
  never speaks for a 本市/本省: 中华人民共和国;
- [place.level] no name, only the level (我县 … with no county named).

Names are the gazetteer's full names (元阳 → 元阳县; 楚雄州 → 楚雄彝族自治州),
never a guess: a short name that two divisions share is used only when the
document's level or another named place decides between them.

Why one module: the place rules share one scan of the text for gazetteer
names and one resolution of ambiguous names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kgraph.jurisdiction import gazetteer as _gaz
from kgraph.jurisdiction import markers as _markers
from kgraph.jurisdiction.lines import head_lines, snippet
from kgraph.ruleset import behind_initials

NATIONAL = "中华人民共和国"
SUFFIXES = (
    "省市县区州盟旗"  # a short name followed by one of these is written as a place
)
OPENING = 300  # characters at the top where a place named counts double
ALIAS_MIN = 2


@dataclass(frozen=True, slots=True)
class Place:
    name: str | None
    level: str | None
    parents: tuple[str, ...] = ()
    start: int = -1
    end: int = -1
    text: str = ""
    rule: str = ""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "level": self.level,
            "parents": list(self.parents),
            "evidence": {"start": self.start, "end": self.end, "text": self.text}
            if self.rule
            else None,
            "rule": self.rule or None,
        }

    @property
    def key(self) -> str:
        """How bodies of this place are scoped: parents outermost first, then the name."""
        if not self.name:
            return ""
        return "/".join((*reversed(self.parents), self.name))


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    divisions: list
    full: bool  # the full name, or a short name written with its suffix (楚雄州)


# --- helpers -----------------------------------------------------------------
_NOT_IN_TITLE = ("。", ",", "，", ";", "；")
_TOWN_END = re.compile("街道|镇|乡|苏木")
_SUFFIX_CHAR = re.compile(f"[{SUFFIXES}]")


@functools.cache
def _end_lengths(gaz: _gaz.Gazetteer) -> dict[str, tuple[int, ...]]:
    return gaz.end_lengths(SUFFIXES)


@functools.cache
def _end_pairs(
    gaz: _gaz.Gazetteer,
) -> tuple[dict[str, tuple[int, ...]], frozenset[str]]:
    """The last two characters of every name _scan takes at a suffix (a full
    name, or a short name and a suffix) → the lengths of those names, longest
    first; and the one-character names.  Where the two characters before a
    suffix are none of these, no name ends there; where they are, only names
    of those lengths can (the last character's lengths are ten times more)."""
    pairs: dict[str, set[int]] = {}
    for n in gaz.upper_names:
        if len(n) >= 2:
            pairs.setdefault(n[-2:], set()).add(len(n))
    for a in gaz.by_alias:
        if len(a) + 1 > ALIAS_MIN:
            for c in SUFFIXES:
                pairs.setdefault(a[-1] + c, set()).add(len(a) + 1)
    return (
        {p: tuple(sorted(ls, reverse=True)) for p, ls in pairs.items()},
        frozenset(n for n in gaz.upper_names if len(n) == 1),
    )


@functools.cache
def _alias_edges(
    gaz: _gaz.Gazetteer,
) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """The first two and the last two characters of the short names of
    ALIAS_MIN or more characters → their lengths, longest first."""
    heads: dict[str, set[int]] = {}
    tails: dict[str, set[int]] = {}
    for a in gaz.by_alias:
        if len(a) >= ALIAS_MIN:
            heads.setdefault(a[:2], set()).add(len(a))
            tails.setdefault(a[-2:], set()).add(len(a))
    return (
        {k: tuple(sorted(ls, reverse=True)) for k, ls in heads.items()},
        {k: tuple(sorted(ls, reverse=True)) for k, ls in tails.items()},
    )


def _scan(text: str, gaz: _gaz.Gazetteer) -> list[_Hit]:
    """Every gazetteer name in the text.  Looked for from anchors, so that a
    long text is not tried at every position: a full name (or a short name
    written with its suffix, 楚雄州) ends in 省市县区州盟旗; a township in
    街道/镇/乡; a short name alone counts only beside the words that make it a
    place (宜兴网, 在南昌召开), or when it is a province's (江西)."""
    names, aliases, alias_lengths = gaz.upper_names, gaz.by_alias, gaz.alias_lengths
    ends = _end_lengths(gaz)
    pairs, singles = _end_pairs(gaz)
    heads, tails = _alias_edges(gaz)
    hits: list[_Hit] = []
    for m in _SUFFIX_CHAR.finditer(text):
        e = m.end()
        before = text[e - 2 : e] if e >= 2 else ""
        single = text[e - 1] in singles
        lengths = pairs.get(before, ())
        if not lengths and not single:
            continue  # most suffix characters (全市, 社区): no name ends there
        if e < 2:
            lengths = ends.get(text[e - 1], ())
        elif single:
            lengths = (*lengths, 1)
        for L in lengths:
            if L > e:
                continue
            s = text[e - L : e]
            divs = names.get(s)
            if divs:
                hits.append(_Hit(e - L, e, divs, True))
                break
            divs = aliases.get(s[:-1]) if L > ALIAS_MIN else None
            if divs:
                hits.append(_Hit(e - L, e, divs, True))
                break
    nexts, prevs = _alias_markers()
    # only the lengths of the short names ending (or opening) with the two
    # characters there; near the end of the text a slice is cut short, so
    # there every length is tried as before
    longest = alias_lengths[0] if alias_lengths else 0
    for m in nexts.finditer(text):
        p = m.start()
        for L in tails.get(text[p - 2 : p], ()) if p >= 2 else ():
            if L > p or L < ALIAS_MIN:
                continue
            divs = aliases.get(text[p - L : p])
            if divs:
                hits.append(_Hit(p - L, p, divs, False))
                break
    for m in prevs.finditer(text):
        q = m.end()
        for L in (
            heads.get(text[q : q + 2], ())
            if q + longest <= len(text)
            else alias_lengths
        ):
            if L < ALIAS_MIN:
                continue
            divs = aliases.get(text[q : q + L])
            if divs:
                hits.append(_Hit(q, q + L, divs, False))
                break
    for m in gaz.province_aliases.finditer(text):
        hits.append(_Hit(m.start(), m.end(), aliases[m.group()], False))
    for m in _TOWN_END.finditer(text):
        found = gaz.towns_ending_at(text, m.end())
        if found:
            hits.append(_Hit(found[0], m.end(), found[1], True))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[_Hit] = []
    for h in hits:  # overlapping: the earlier, then the longer, wins
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out


@functools.cache
def _alias_markers() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The words after (网, 讯) and before (在) that make a short name a place."""
    m = _markers.load()
    return (
        re.compile("|".join(map(re.escape, m.words["aliasnext"]))),
        re.compile("|".join(map(re.escape, m.words["aliasprev"]))),
    )


@functools.cache
def _alone_prefixes() -> list[tuple[str, re.Pattern[str]]]:
    """自治区 alone, not the end of a region's name, nor 自治区级.  The word
    comes first and the character before it is tested behind it, so the
    engine skips to the word instead of trying the test at every position."""
    m = _markers.load()
    return [
        (
            w,
            re.compile(
                rf"{re.escape(w)}(?<![族尔藏古]{re.escape(w)})(?![\u4e00-\u9fff]{{0,2}}级)"
            ),
        )
        for w in m.words["aloneprefix"]
    ]


def _alias_in_context(text: str, start: int, end: int) -> bool:
    """A short name is a place only where the text uses it as one: 宜兴网,
    宜兴讯, 在南昌召开 (构建安全 holds 建安, 制定安全 定安: ordinary words)."""
    m = _markers.load()
    return text.startswith(m.words["aliasnext"], end) or text[
        max(0, start - 2) : start
    ].endswith(m.words["aliasprev"])


def level_hint(text: str) -> tuple[str | None, dict[str, int]]:
    """The level a document speaks for, from how its own bodies are prefixed
    (县委, 县政府, 全县, 我县 …) or from an enterprise's words."""
    counts: dict[str, int] = {}
    m = _markers.load()
    for match in _own_bodies(text):
        level = m.prefix[match.group(2)]
        counts[level] = counts.get(level, 0) + (2 if match.group(1) else 1)
    for w, alone in _alone_prefixes():
        c = len(alone.findall(text))
        if c:
            counts[m.prefix[w]] = counts.get(m.prefix[w], 0) + 2 * c
    for w in m.words["enterprise"]:
        c = text.count(w)
        if c:
            counts["企业"] = counts.get("企业", 0) + c
    if not counts:
        return None, counts
    return max(counts.items(), key=lambda kv: kv[1])[0], counts


@functools.cache
def _prefix_re() -> re.Pattern:
    m = _markers.load()

    def alt(words: Iterable[str]) -> str:
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    # behind a lookahead for its first characters: every position is not tried
    return re.compile(behind_initials(f"({alt(m.words['scope'])})?({alt(m.prefix)})"))


def _own_bodies(text: str) -> Iterator[re.Match[str]]:
    """Matches of scope+prefix (全县, 我县; not 县级) or prefix+body (县委, 县长)."""
    bodies = _markers.load().words["body"]
    for match in _prefix_re().finditer(text):
        after = text[match.end() : match.end() + 5]
        if match.group(1) and not after.startswith("级") or after.startswith(bodies):
            yield match


def _ancestor(
    d: _gaz.Division, level: str, gaz: _gaz.Gazetteer
) -> _gaz.Division | None:
    """The division above ``d`` (or ``d``) whose level is ``level``."""
    if d.level == level:
        return d
    for i, p in enumerate(d.parents):
        for cand in gaz.by_name.get(p, []):
            if cand.parents == d.parents[i + 1 :] and cand.level == level:
                return cand
    return None


def _resolve(
    hits: list[_Hit], hint: str | None
) -> list[tuple[_Hit, _gaz.Division | None]]:
    """Each hit's one division, or None when the text cannot tell which."""
    named = {d.name for h in hits for d in h.divisions if len(h.divisions) == 1}
    out = []
    for h in hits:
        divs = h.divisions
        if len(divs) > 1:
            related = [d for d in divs if named & set(d.parents)]
            if len(related) == 1:
                divs = related
            elif hint:
                same = [d for d in divs if d.level == hint]
                divs = same if len(same) == 1 else divs
        out.append((h, divs[0] if len(divs) == 1 else None))
    return out


def _place_of(d: _gaz.Division, text: str, h: _Hit, rule: str) -> Place:
    return Place(
        d.name, d.level, d.parents, h.start, h.end, snippet(text, h.start, h.end), rule
    )


# --- place ------------------------------------------------------------------------
def document_place(text: str) -> Place:
    """The jurisdiction a cleaned document speaks for (see the module doc)."""
    gaz = _gaz.load()
    hint, counts = level_hint(text)
    hits = _scan(text, gaz)
    resolved = _resolve(hits, hint)
    head = head_lines(text)

    # [place.title]: the first title-like line that names a division (a
    # title has no sentence punctuation; a short opening sentence is not one)
    for off, line in head:
        if any(p in line for p in _NOT_IN_TITLE):
            continue
        in_line = [
            (h, d)
            for h, d in resolved
            if off <= h.start < off + len(line) and d is not None
        ]
        if not in_line:
            towns = [
                h
                for h, d in resolved
                if off <= h.start < off + len(line)
                and h.full
                and d is None
                and all(x.depth == _gaz.TOWN for x in h.divisions)
            ]
            if towns:  # a township the gazetteer has in several counties: name and level, no parents
                h = towns[0]
                x = h.divisions[0]
                return Place(
                    x.name,
                    x.level,
                    (),
                    h.start,
                    h.end,
                    snippet(text, h.start, h.end),
                    "place.title",
                )
            continue
        h, d = in_line[0]
        for h2, d2 in in_line[1:]:  # 云南省元阳县…: the most specific of a chain
            if d.name in d2.parents:
                h, d = h2, d2
        if hint == "企业":
            company = _company(text, gaz, head)
            if company:
                return company
        return _place_of(d, text, h, "place.title")

    if hint == "企业":
        company = _company(text, gaz, head)
        if company:
            return company
        return Place(None, "企业", rule="place.level", **_level_evidence(text, hint))

    # [place.body]: the division of the document's level the text names most
    if hint and hint not in ("企业", "国家"):
        scores: dict[_gaz.Division, float] = {}
        first: dict[_gaz.Division, _Hit] = {}
        elsewhere = _markers.load().words["elsewhere"]
        for h, found in resolved:
            after = re.split(r"[。,，;；]", text[h.end : h.end + 16], maxsplit=1)[0]
            if any(
                w in after for w in elsewhere
            ):  # 某县“3·21”爆炸事故: another place's accident
                continue
            if found is None:  # 南昌 is a city and a county: both in one province
                above = {_ancestor(x, hint, gaz) for x in h.divisions}
                a = above.pop() if len(above) == 1 else None
                d = h.divisions[0]
            else:
                d = found
                a = _ancestor(d, hint, gaz)
            if a is None or d is None:
                continue
            # a place named in the opening lines (where the meeting was held,
            # who published) counts double: one passing mention further on (an
            # accident elsewhere, a visit) must not make a document another place's
            w = (
                (2.0 if h.full else 1.0)
                * (1.0 if a is d else 0.5)
                * (2.0 if h.start < OPENING else 1.0)
            )
            scores[a] = scores.get(a, 0.0) + w
            first.setdefault(a, h)
        if scores:
            best = max(scores.items(), key=lambda kv: (kv[1], -first[kv[0]].start))[0]
            if scores[best] >= 1.0:
                return _place_of(best, text, first[best], "place.body")

    # [place.national]
    m = _markers.load()
    if head and not _speaks_for_itself(text):
        off, line = head[0]
        if line.endswith(m.words["lawform"]):
            return Place(
                NATIONAL, "国家", (), off, off + len(line), line, "place.national"
            )
    if hint:
        return Place(None, hint, rule="place.level", **_level_evidence(text, hint))
    return Place(None, None)


def _speaks_for_itself(text: str) -> bool:
    """本市, 全县, 我省 …: the text is a jurisdiction's own, not a national one."""
    return any(match.group(1) for match in _own_bodies(text))


def _level_evidence(text: str, level: str) -> dict:
    m = _markers.load()
    if level == "企业":
        for w in m.words["enterprise"]:
            i = text.find(w)
            if i >= 0:
                return {
                    "start": i,
                    "end": i + len(w),
                    "text": snippet(text, i, i + len(w)),
                }
    for match in _own_bodies(text):
        if m.prefix[match.group(2)] == level:
            return {
                "start": match.start(),
                "end": match.end(),
                "text": snippet(text, match.start(), match.end()),
            }
    return {}


def _company(
    text: str, gaz: _gaz.Gazetteer, head: list[tuple[int, str]]
) -> Place | None:
    """The first company named with its legal form, starting at a place name."""
    m = _markers.load()
    ends = "|".join(
        map(re.escape, (w for w in m.words["company"] if w.endswith("公司")))
    )
    for match in re.finditer(ends, text[:1500]):
        end = match.end()
        lo = max(0, match.start() - 20)
        for start in range(lo, match.start()):
            for L in range(6, 1, -1):
                s = text[start : start + L]
                divs = gaz.by_name.get(s) or gaz.by_alias.get(s)
                if (
                    divs
                    and start + L <= match.start()
                    and re.fullmatch(r"[\u4e00-\u9fff]+", text[start:end])
                ):
                    d = divs[0] if len(divs) == 1 else None
                    parents = (d.name, *d.parents) if d else ()
                    return Place(
                        text[start:end],
                        "企业",
                        parents,
                        start,
                        end,
                        snippet(text, start, end),
                        "place.company",
                    )
    return None
