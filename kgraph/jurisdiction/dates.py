"""A document's own date, read from its text, with evidence.

The date: the meeting / event date of the opening lines [date.event], a 条例's
adoption or a notice's issue date [date.adopted], a date line at the end
[date.signed], the page's own date line [date.page], the year of a document
number 〔2011〕 [date.docno], the year in the title [date.title_year]; each only
as precise as the text says (a year, a month, a day).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from kgraph.jurisdiction import markers as _markers
from kgraph.jurisdiction.lines import head_lines, snippet
from kgraph.ruleset import behind_initials

EVENT_WINDOW = 400  # characters after the title in which a meeting date is looked for


@dataclass(frozen=True, slots=True)
class DocDate:
    value: str  # ISO: 2023, 2023-11, 2023-10-16
    precision: str  # year / month / day
    start: int
    end: int
    text: str
    rule: str

    def to_dict(self) -> dict:
        return {
            "value": self.value,
            "precision": self.precision,
            "evidence": {"start": self.start, "end": self.end, "text": self.text},
            "rule": self.rule,
        }


def _valid(y: int, mo: int = 1, d: int = 1) -> bool:
    try:
        _dt.date(y, mo, d)
    except ValueError:
        return False
    return 1949 <= y <= 2100


def _iso(y: int, mo: int | None = None, d: int | None = None) -> tuple[str, str]:
    if mo is None:
        return f"{y:04d}", "year"
    if d is None:
        return f"{y:04d}-{mo:02d}", "month"
    return f"{y:04d}-{mo:02d}-{d:02d}", "day"


def _dated(
    text: str,
    s: int,
    e: int,
    rule: str,
    y: int,
    mo: int | None = None,
    d: int | None = None,
) -> DocDate:
    """The date y[-mo[-d]] read from ``text[s:e]`` by ``rule``."""
    return DocDate(*_iso(y, mo, d), s, e, snippet(text, s, e), rule)


# A full date in Arabic or Chinese numerals (official documents sign with 二〇一九年八月十四日).
_FULL_DATE = (
    r"((?:19|20)\d\d|[一二][〇零○一二三四五六七八九]{3})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*月"
    r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}


def _number(s: str) -> int:
    """12, 二〇一九 (digit by digit), 二十三 (tens)."""
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    tens, _, units = s.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


_NUM_DATE = re.compile(
    r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
)
_CN_DATE = re.compile(r"(?:((?:19|20)\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")


@dataclass(frozen=True, slots=True)
class _Patterns:
    """The patterns made from the marker words, compiled once per marker set
    (built per document, the adoption pattern was parsed again each time)."""

    event_after: re.Pattern[str]  # what follows a meeting date: 上午, 召开 …
    day_alone: re.Pattern[str]  # 20日下午
    garbled: re.Pattern[str]  # 2018117上午
    adopted: re.Pattern[str]  # 2019年8月14日 … 通过
    page_label: re.Pattern[str]  # 发布日期 2023-10-17


_PATTERNS: dict[int, tuple[_markers.Markers, _Patterns]] = {}


def _patterns(m: _markers.Markers) -> _Patterns:
    hit = _PATTERNS.get(id(m))
    if hit is not None and hit[0] is m:
        return hit[1]
    events = "|".join(map(re.escape, m.words["event"]))
    adopt = "|".join(map(re.escape, m.words["adopt"]))
    labels = "|".join(map(re.escape, m.words["pagedate"]))
    made = _Patterns(
        event_after=re.compile(rf"\s*(?:[,，]?\s*(?:{events})|[,，])"),
        day_alone=re.compile(rf"(?<![\d月年])(\d{{1,4}})日\s*(?=[,，]|{events})"),
        garbled=re.compile(rf"((?:19|20)\d\d)(\d{{2,4}})\s*(?={events})"),
        # behind a lookahead for its first characters: read over the whole text
        adopted=re.compile(
            behind_initials(rf"{_FULL_DATE}[^。\n]{{0,40}}?(?:{adopt})")
        ),
        page_label=re.compile(rf"(?:{labels})\s*[::]?\s*" + _NUM_DATE.pattern),
    )
    _PATTERNS.clear()
    _PATTERNS[id(m)] = (m, made)
    return made


def document_date(text: str) -> DocDate | None:
    """The meeting / issue / adoption date of a cleaned document (see the module doc)."""
    m = _markers.load()
    rx = _patterns(m)
    head = head_lines(text)
    title_end = head[0][0] + len(head[0][1]) if head else 0

    page = _page_date(text, rx)
    title_year = None
    for off, line in head[:2]:
        ty = re.search(r"((?:19|20)\d\d)\s*年", line)
        if ty:
            title_year = (int(ty.group(1)), off + ty.start(1), off + ty.end(1))
            break

    def year_for(mo: int, d: int) -> int | None:
        if page:
            py, pm, pd = page[0]
            return py if (mo, d) <= (pm, pd) else py - 1
        if title_year:
            return title_year[0]
        y = re.search(r"((?:19|20)\d\d)\s*年", text[: EVENT_WINDOW * 2])
        return int(y.group(1)) if y else None

    # [date.event]: a date followed by 上午/召开/在 … in the opening lines
    window_end = min(len(text), title_end + EVENT_WINDOW)
    for match in _CN_DATE.finditer(text, 0, window_end):
        after = text[match.end() : match.end() + 6]
        if after.startswith(("电", "讯")):  # a dateline: when the news was filed
            continue
        if not rx.event_after.match(after):
            continue
        y = int(match.group(1)) if match.group(1) else None
        mo, d = int(match.group(2)), int(match.group(3))
        y = y or year_for(mo, d)
        if y and _valid(y, mo, d):
            return _dated(text, match.start(), match.end(), "date.event", y, mo, d)
    # a day alone (20日下午), its month from the dateline (3月22日讯) or the page date
    for match in rx.day_alone.finditer(text[:window_end]):
        digits = match.group(1)
        for mo, d in _day_readings(digits, text[:window_end], page):
            y = year_for(mo, d)
            if y and _valid(y, mo, d):
                return _dated(text, match.start(), match.end(), "date.event", y, mo, d)
    # garbled 2018117上午 (年/月/日 lost): read only when the page date decides
    for match in rx.garbled.finditer(text[:window_end]):
        year, rest = int(match.group(1)), match.group(2)
        readings = [(int(rest[:k]), int(rest[k:])) for k in (1, 2) if 0 < k < len(rest)]
        readings = [(mo, d) for mo, d in readings if _valid(year, mo, d)]
        if page:
            readings = [(mo, d) for mo, d in readings if (year, mo, d) <= page[0]]
            readings.sort(
                key=lambda md: (_dt.date(*page[0]) - _dt.date(year, *md)).days
            )
        if len(readings) == 1 or (page and readings):
            mo, d = readings[0]
            return _dated(text, match.start(), match.end(), "date.event", year, mo, d)

    # [date.adopted]: 2019年8月14日 (or 二〇一九年八月十四日) … 通过 / 印发
    for match in rx.adopted.finditer(text):
        y, mo, d = (_number(match.group(i)) for i in (1, 2, 3))
        if _valid(y, mo, d):
            return _dated(text, match.start(), match.end(), "date.adopted", y, mo, d)
    # [date.signed]: a date alone on one of the last lines
    tail_start = max(0, len(text) - 120)
    for match in re.finditer(rf"(?m)^\s*{_FULL_DATE}\s*$", text[tail_start:]):
        y, mo, d = (_number(match.group(i)) for i in (1, 2, 3))
        if _valid(y, mo, d):
            s, e = (
                tail_start + match.start(1),
                tail_start + match.start() + len(match.group(0).rstrip()),
            )
            return _dated(text, s, e, "date.signed", y, mo, d)
    # [date.page]
    if page:
        (y, mo, d), s, e = page
        return _dated(text, s, e, "date.page", y, mo, d)
    # [date.docno]: 〔2011〕17号 near the title
    docno = re.search(
        r"[〔\[［(（]((?:19|20)\d\d)[〕\]］)）]\s*\d+\s*号", text[: title_end + 200]
    )
    if docno:
        return DocDate(
            *_iso(int(docno.group(1))),
            docno.start(1),
            docno.end(1),
            snippet(text, docno.start(), docno.end()),
            "date.docno",
        )
    if title_year:
        y, s, e = title_year
        return _dated(text, s, e, "date.title_year", y)
    return None


def _page_date(
    text: str, rx: _Patterns
) -> tuple[tuple[int, int, int], int, int] | None:
    """The page's own date line in the opening lines: 发布日期 2023-10-17, 2019-08-14 15:49 …"""
    head = text[:600]
    found = rx.page_label.search(head)
    if found is None:
        found = re.search(r"(?m)^\s*" + _NUM_DATE.pattern, head)
    if found is None:
        return None
    y, mo, d = (int(found.group(i)) for i in (1, 2, 3))
    if not _valid(y, mo, d):
        return None
    return (y, mo, d), found.start(1), found.end()


def _day_readings(
    digits: str, window: str, page: tuple[tuple[int, int, int], int, int] | None
) -> list[tuple[int, int]]:
    """(month, day) readings of a day number, the month taken from a dateline
    in the window or from the page date; 119日 (月 lost) is read as 1月19日 or
    11月9日, whichever is nearest before the page date."""
    if len(digits) <= 2:
        d = int(digits)
        line = _CN_DATE.search(window)
        if line:
            return [(int(line.group(2)), d)]
        return [(page[0][1], d)] if page else []
    if not page:
        return []
    y = page[0][0]
    readings = [(int(digits[:k]), int(digits[k:])) for k in (1, 2) if k < len(digits)]
    readings = [
        (mo, d) for mo, d in readings if _valid(y, mo, d) and (y, mo, d) <= page[0]
    ]
    readings.sort(key=lambda md: (_dt.date(*page[0]) - _dt.date(y, *md)).days)
    return readings[:1]
