"""Which of a document's spans hold an offset, by bisection.

A long text cites hundreds of titles (《…》); asking every span for every
mention made extraction quadratic in the length of the document."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable


class Spans:
    """Half-open spans ``(start, end)``, overlapping or not, in any order."""

    __slots__ = ("_reach", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        # the furthest end of the spans opening at or before each one: some
        # span holds x exactly when one opening at or before x reaches past it
        self._reach: list[int] = []
        furthest = -1
        for _, b in ordered:
            furthest = max(furthest, b)
            self._reach.append(furthest)

    def holds(self, offset: int) -> bool:
        """Does some span have ``start <= offset < end``?"""
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and self._reach[i] > offset

    def covers(self, start: int, end: int) -> bool:
        """Does some span have ``span start <= start`` and ``end <= span end``?"""
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and self._reach[i] >= end
