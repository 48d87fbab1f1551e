"""Spans.holds answers what asking every span would, for spans in any order,
overlapping or nested."""

import random

from kgraph.extract.spans import Spans


def test_holds_agrees_with_asking_every_span() -> None:
    rng = random.Random(7)
    for _ in range(300):
        spans = []
        for _ in range(rng.randrange(0, 12)):
            a = rng.randrange(0, 60)
            spans.append((a, a + rng.randrange(0, 15)))
        held = Spans(spans)
        for x in range(-2, 80):
            assert held.holds(x) == any(a <= x < b for a, b in spans), (spans, x)
            for y in range(x, x + 6):
                want = any(a <= x and y <= b for a, b in spans)
                assert held.covers(x, y) == want, (spans, x, y)


def test_half_open() -> None:
    held = Spans([(10, 20), (12, 14)])
    assert not held.holds(9) and held.holds(10) and held.holds(19)
    assert not held.holds(20)
    assert not Spans([]).holds(0)
