"""tests/gold is valid against the seed speeches, by the checks of ../shared/devset/check_gold.py.

Every gold file parses, names its own stem, carries the six fields with the right types,
uses one of the development set's four chain kinds, lists each fact once, and quotes every
evidence span verbatim from the cleaned text of its speech (``kgraph.clean.clean_text`` of
``data/speeches/<stem>.txt``: simplified, pinyin glosses removed) — never from a span the
cleaner flags as mojibake.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgraph.clean import clean_text
from kgraph.ingest import read_file

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "gold"
SPEECHES = REPO / "data" / "speeches"
KINDS = {"层级", "领导分工", "党政同责", "督促"}
LISTS = ("officials", "organizations", "sectors", "responsibilities", "chains")
STEMS = sorted(p.stem for p in SPEECHES.glob("*.txt"))


def test_one_gold_file_per_speech():
    assert STEMS, "no seed speeches in data/speeches"
    assert sorted(p.stem for p in GOLD.glob("*.json")) == STEMS


@pytest.fixture(scope="module", params=STEMS)
def doc(request):
    stem = request.param
    gold = json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))
    cleaned = clean_text(read_file(SPEECHES / f"{stem}.txt").text)
    return stem, gold, cleaned


def test_shape(doc):
    stem, gold, _ = doc
    assert gold.get("doc") == stem
    assert set(gold) == {"doc", *LISTS}
    for field in LISTS:
        assert isinstance(gold[field], list), field
    for o in gold["officials"]:
        assert isinstance(o.get("name"), str) and o["name"], o
        assert set(o) == {"name", "title", "org"}, o
    for s in gold["organizations"] + gold["sectors"]:
        assert isinstance(s, str) and s.strip() == s and s, repr(s)
    for r in gold["responsibilities"]:
        assert set(r) == {"holder", "responsibility", "sector", "evidence"}, r
        assert r["holder"] and r["responsibility"], r
        assert r["sector"] is None or isinstance(r["sector"], str), r
    for c in gold["chains"]:
        assert set(c) == {"from", "to", "kind", "evidence"}, c
        assert c["kind"] in KINDS, c


def test_each_fact_once(doc):
    _, gold, _ = doc
    for field in ("organizations", "sectors"):
        assert len(set(gold[field])) == len(gold[field]), field
    names = [o["name"] for o in gold["officials"]]
    assert len(set(names)) == len(names)
    resp = [
        (r["holder"], r["responsibility"], r["sector"])
        for r in gold["responsibilities"]
    ]
    assert len(set(resp)) == len(resp)
    chains = [(c["from"], c["to"], c["kind"]) for c in gold["chains"]]
    assert len(set(chains)) == len(chains)


def test_evidence_is_quoted_from_the_clean_text(doc):
    stem, gold, cleaned = doc
    text = cleaned.text
    for item in gold["responsibilities"] + gold["chains"]:
        evidence = item["evidence"]
        start = text.find(evidence)
        assert start >= 0, f"{stem}: evidence not in the cleaned text: {evidence}"
        end = start + len(evidence)
        for flag in cleaned.flags:
            assert flag.end <= start or flag.start >= end, (
                f"{stem}: evidence crosses flagged text: {evidence}"
            )


def test_holders_and_officials_are_written_in_the_text(doc):
    """A holder is as the evidence writes it; an official's name (with the post, for a bare
    surname) is in the text."""
    stem, gold, cleaned = doc
    for r in gold["responsibilities"]:
        assert r["holder"] in r["evidence"], (stem, r["holder"])
    for o in gold["officials"]:
        written = o["name"] + o["title"] if len(o["name"]) == 1 else o["name"]
        assert written in cleaned.text, (stem, o)
