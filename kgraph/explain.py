"""Why an answer is empty, in words a user can act on.

An empty answer is one of: a name the graph does not hold (*did you mean*
the nearest names it does), filters that leave no document (no document of
that place, or none dated then — with the places or dates there are), or a
question the graph truly says nothing to.  The CLI prints the reason on
stderr (docs/cli.md); every backend gives the same reasons.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kgraph import schema
from kgraph.query import Rows, _doc_matches, _store, documents, places_of

# the named queries' parameters that name a node, and the labels they name
NAMED_PARAM_LABELS: dict[str, tuple[str, ...]] = {
    "sector": (schema.SECTOR,),
    "responsibility": (schema.RESPONSIBILITY, schema.TASK),
    "holder": schema.HOLDER_LABELS,
    "official": (schema.OFFICIAL,),
}
NEAREST = 3


def nearest(term: str, names: Iterable[str], n: int = NEAREST) -> list[str]:
    """The names sharing most characters with ``term``, the shorter first."""
    chars = set(term)
    return sorted(
        {name for name in names if chars & set(name) and name != term},
        key=lambda name: (-len(chars & set(name)), len(name), name),
    )[:n]


def did_you_mean(term: str, names: Iterable[str]) -> str:
    """``'; did you mean a, b?'``, or ``''`` when no name is near."""
    near = nearest(term, names)
    return f"; did you mean {', '.join(near)}?" if near else ""


def no_documents(
    source: object,
    *,
    place: str | None = None,
    since: str | None = None,
    until: str | None = None,
    year: str | None = None,
) -> str:
    """Why the filters leave no document, or ``''`` when some document passes them."""
    if not (place or since or until or year):
        return ""
    docs = documents(source)
    if any(_doc_matches(d, place, since, until, year) for d in docs):
        return ""
    if place and not any(_doc_matches(d, place, None, None, None) for d in docs):
        names = [r["place"] for r in places_of(docs) if r["key"]]
        return f"no document is of {place!r}{did_you_mean(place, names)}"
    dates = sorted(
        d["date"]
        for d in docs
        if d.get("date") and _doc_matches(d, place, None, None, None)
    )
    return not_dated_so(dates, f" of {place}" if place else "")


def not_dated_so(dates: list[str], where: str = "") -> str:
    """Why no document (``where``: of a place) is within the dates asked:
    the dates there are, ``dates`` sorted."""
    if not dates:
        return f"no document{where} carries a date"
    return f"no document{where} is dated so: they run from {dates[0]} to {dates[-1]}"


def named_params(source: object, params: dict[str, Any]) -> str:
    """Why a named query's rows are empty: a parameter naming nothing the graph
    holds (with the nearest names), or ``''`` when every name is there."""
    store = _store(source)
    for key, labels in NAMED_PARAM_LABELS.items():
        value = params.get(key)
        if not isinstance(value, str) or not value or store.resolve(value, labels):
            continue
        names: Rows = [t for label in labels for t in store.terms(label)]
        return (
            f"no {key} called {value!r} in the graph"
            f"{did_you_mean(value, (schema.unscoped_name(t['name']) for t in names))}"
        )
    return ""
