"""Behavioural tests of the extraction rules, CheckList style (Ribeiro et al. 2020).

``tests/checklist/cases.jsonl`` holds short invented snippets (no name from the
development set), one per line, each written in one of the ways a real 安全生产
text phrases a structure the annotation conventions (../shared/devset/README.md)
define: a 层级 handed down as 省、市、县、乡四级 or as a signed 责任书, a 督促 written
指导督促 or 对…进行督导, a duty as 某局：负责…；… or under a heading line.  Each case
says which facts a careful annotator would write down (``expect``) and, for the
negative capabilities (a slogan, a permission), which must not appear (``absent``).

Matching is the scorer's (:func:`kgraph.evaluate.close`), plus a chain's kind.
A case the rules cannot pass yet carries ``"xfail": "<why>"``: it stays in the set
and fails the suite the day it starts passing (strict), so a fix is noticed.

Per-capability pass rates: ``python tests/test_checklist.py``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from kgraph.evaluate import close, title_close

CASES_FILE = Path(__file__).resolve().parent / "checklist" / "cases.jsonl"
FIELDS = ("responsibilities", "chains", "organizations", "officials", "sectors")


def load_cases() -> list[dict]:
    cases = []
    for n, line in enumerate(CASES_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            case = json.loads(line)
            case["line"] = n
            cases.append(case)
    return cases


@cache
def _lexicon():
    from kgraph.lexicon import load_lexicon

    return load_lexicon()


def extract(text: str) -> dict:
    from kgraph.pipeline import process_text, to_contract

    lexicon = _lexicon()
    return to_contract(process_text(text, "checklist", lexicon=lexicon), lexicon)


def _same(field: str, want, got) -> bool:
    if field == "responsibilities":
        return close(want["holder"], got["holder"]) and close(
            want["responsibility"], got["responsibility"]
        )
    if field == "chains":
        return (
            close(want["from"], got["from"])
            and close(want["to"], got["to"])
            and want["kind"] == got["kind"]
        )
    if field == "officials":
        return close(want["name"], got["name"]) and (
            "title" not in want or title_close(want["title"], got["title"])
        )
    return close(want, got)


def problems(case: dict, record: dict) -> list[str]:
    """What the extraction of one case gets wrong (empty: the case passes)."""
    out = []
    for field in FIELDS:
        got = record[field]
        for want in case.get("expect", {}).get(field, []):
            if not any(_same(field, want, g) for g in got):
                out.append(f"missing {field}: {want}")
        absent = case.get("absent", {}).get(field)
        if absent == "any":
            if got:
                out.append(f"unexpected {field}: {got}")
        elif absent:
            for bad in absent:
                if field == "officials":  # any official of that name
                    hit = [g for g in got if close(bad["name"], g["name"])]
                else:
                    hit = [g for g in got if _same(field, bad, g)]
                if hit:
                    out.append(f"unexpected {field}: {hit}")
    return out


def _brief(record: dict) -> str:
    resp = [(r["holder"], r["responsibility"]) for r in record["responsibilities"]]
    chains = [(c["from"], c["to"], c["kind"]) for c in record["chains"]]
    return f"got responsibilities {resp}; chains {chains}; organizations {record['organizations']}"


CASES = load_cases()


def test_cases_are_well_formed():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    for c in CASES:
        assert c.get("expect") or c.get("absent"), c["id"]
        assert set(c.get("expect", {})) <= set(FIELDS), c["id"]
        assert set(c.get("absent", {})) <= set(FIELDS), c["id"]
        for chain in c.get("expect", {}).get("chains", []):
            assert chain["kind"] in ("层级", "领导分工", "党政同责", "督促"), c["id"]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            id=c["id"],
            marks=[pytest.mark.xfail(reason=c["xfail"], strict=True)]
            if c.get("xfail")
            else [],
        )
        for c in CASES
    ],
)
def test_checklist_case(case):
    record = extract(case["text"])
    wrong = problems(case, record)
    assert not wrong, f"{case['capability']} {case['id']}: {wrong}\n{_brief(record)}"


def report(cases: list[dict]) -> dict[str, tuple[int, int]]:
    """capability → (passed, total)."""
    passed, total = Counter(), Counter()
    for c in cases:
        total[c["capability"]] += 1
        if not problems(c, extract(c["text"])):
            passed[c["capability"]] += 1
    return {cap: (passed[cap], total[cap]) for cap in sorted(total)}


if __name__ == "__main__":
    verbose = "-v" in sys.argv
    rows = report(CASES)
    for cap, (p, t) in rows.items():
        print(f"{cap:20s} {p:3d}/{t:<3d} {p / t:5.0%}")
    p = sum(x for x, _ in rows.values())
    t = sum(y for _, y in rows.values())
    print(f"{'all':20s} {p:3d}/{t:<3d} {p / t:5.0%}")
    if verbose:
        for c in CASES:
            record = extract(c["text"])
            wrong = problems(c, record)
            if wrong:
                print(
                    f"\n[{c['capability']}] {c['id']}{' (xfail)' if c.get('xfail') else ''}"
                )
                print("  " + c["text"].replace("\n", " / "))
                for w in wrong:
                    print("  -", w)
                print("  ", _brief(record))
