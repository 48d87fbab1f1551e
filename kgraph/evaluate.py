"""Precision / recall / F1 of extracted facts against hand-annotated gold.

Gold and predictions share one shape, the output contract of
``kgraph extract --format jsonl`` (one record per document)::

    {"doc": "<file stem>",
     "officials": [{"name", "title", "org"}],
     "organizations": ["…"], "sectors": ["…"],
     "responsibilities": [{"holder", "responsibility", "sector", "evidence"}],
     "chains": [{"from", "to", "kind", "evidence"}]}

The matching is the development set's scorer (``../shared/devset/score.py``),
so a figure on ``tests/gold`` and a figure on the development set are one
measure (``tests/test_evaluate.py`` runs both on the same input):

* strings are compared after removing whitespace, quote marks and brackets;
  two strings match when they are equal, or one contains the other and the
  shorter is at least 40% of the longer (企业主体责任 ~ 主体责任, but a bare
  部门 is not 负有安全生产监督管理职责的部门);
* a title matches when any of its 、-separated posts matches one of the other's;
* ``officials`` match on the name; a one-character gold name (a surname
  written with a post, 焦市长) matches a predicted name that starts with it
  when the titles match; ``officials_titled`` also needs the title (when the
  gold gives one);
* ``organizations`` and ``sectors`` match as strings, ``responsibilities`` on
  holder and responsibility, ``chains`` on from and to (kind and sector are not
  compared);
* matching is greedy and one-to-one: each gold item, in gold order, takes the
  first unused predicted item that matches; repeated predicted strings count once;
* scores are micro-averaged over the gold documents (documents are paired by
  file stem); a gold document with no prediction counts as an empty one.

Why one module: the matching rules, the scoring and the readers of gold and
predictions are one contract with ``score.py``; kept together so they change together.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgraph.errors import InputError

FIELDS = ("officials", "organizations", "sectors", "responsibilities", "chains")
SCORES = (
    "officials",
    "officials_titled",
    "organizations",
    "sectors",
    "responsibilities",
    "chains",
)
# The record field a score reads.
_SOURCE = {
    name: ("officials" if name == "officials_titled" else name) for name in SCORES
}

_STRIP = re.compile(r"[\s“”\"'‘’「」《》()（）]")
RATIO = 0.4  # the shorter of two contained strings must be at least this share of the longer


def norm(value: str | None) -> str:
    """Whitespace, quote marks and brackets removed."""
    return _STRIP.sub("", value or "")


def close(a: str | None, b: str | None) -> bool:
    """Equal, or one contains the other and the shorter is at least RATIO of the longer."""
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return short in long_ and len(short) >= RATIO * len(long_)


def title_close(a: str | None, b: str | None) -> bool:
    """Any 、-separated post of one title matches any post of the other."""
    return any(
        close(x, y) for x in (a or "").split("、") for y in (b or "").split("、")
    )


def _official(g: dict, p: dict) -> bool:
    name = norm(g.get("name"))
    if len(name) > 1:
        return close(g.get("name"), p.get("name"))
    return norm(p.get("name")).startswith(name) and title_close(
        g.get("title"), p.get("title")
    )


def _official_titled(g: dict, p: dict) -> bool:
    return _official(g, p) and (
        not g.get("title") or title_close(g.get("title"), p.get("title"))
    )


MATCHERS: dict[str, Callable[[Any, Any], bool]] = {
    "officials": _official,
    "officials_titled": _official_titled,
    "organizations": close,
    "sectors": close,
    "responsibilities": lambda g, p: (
        close(g.get("holder"), p.get("holder"))
        and close(g.get("responsibility"), p.get("responsibility"))
    ),
    "chains": lambda g, p: (
        close(g.get("from"), p.get("from")) and close(g.get("to"), p.get("to"))
    ),
}


def match(gold: list, pred: list, same: Callable[[Any, Any], bool]) -> dict[int, int]:
    """Greedy one-to-one matching in gold order; returns {gold index: pred index}."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if j not in used and same(g, p):
                used.add(j)
                pairs[i] = j
                break
    return pairs


# ---------------------------------------------------------------- scores


@dataclass
class Score:
    tp: int = 0
    gold: int = 0
    pred: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.gold += other.gold
        self.pred += other.pred

    def to_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "gold": self.gold,
            "pred": self.pred,
        }


@dataclass
class DocResult:
    scores: dict[str, Score]
    missed: dict[str, list] = field(default_factory=dict)  # gold items not found
    spurious: dict[str, list] = field(
        default_factory=dict
    )  # predicted items not in gold

    def to_dict(self) -> dict:
        return {
            "scores": {k: s.to_dict() for k, s in self.scores.items()},
            "missed": self.missed,
            "spurious": self.spurious,
        }


@dataclass
class Report:
    scores: dict[str, Score]  # micro over all gold documents
    per_doc: dict[str, DocResult]
    missing_predictions: list[str] = field(
        default_factory=list
    )  # gold docs nobody predicted
    unscored_predictions: list[str] = field(
        default_factory=list
    )  # predicted docs without gold

    def below(self, minimums: dict[str, float]) -> dict[str, float]:
        """The scores whose F1 is under its minimum: {score: F1}."""
        return {
            name: self.scores[name].f1
            for name, low in minimums.items()
            if self.scores[name].f1 < low
        }

    def to_dict(self) -> dict:
        return {
            "scores": {k: s.to_dict() for k, s in self.scores.items()},
            "documents": len(self.per_doc),
            "missing_predictions": self.missing_predictions,
            "unscored_predictions": self.unscored_predictions,
            "per_doc": {doc: r.to_dict() for doc, r in self.per_doc.items()},
        }


def parse_minimums(text: str) -> dict[str, float]:
    """``officials=0.9,chains=0.7`` → {score: F1}; one-line error on a bad item."""
    minimums: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in SCORES:
            raise InputError(
                f"--min: expected FIELD=F1 with FIELD one of {', '.join(SCORES)}, got {item!r}"
            )
        try:
            low = float(value)
        except ValueError:
            raise InputError(
                f"--min: {name} needs a number between 0 and 1, got {value.strip()!r}"
            ) from None
        if not 0.0 <= low <= 1.0:
            raise InputError(f"--min: {name} needs a number between 0 and 1, got {low}")
        minimums[name] = low
    return minimums


def score_doc(gold: dict, pred: dict) -> DocResult:
    """Score one predicted record against one gold record."""
    result = DocResult(scores={})
    for name in SCORES:
        g_items = gold.get(_SOURCE[name]) or []
        p_items = pred.get(_SOURCE[name]) or []
        if p_items and isinstance(p_items[0], str):
            p_items = list(dict.fromkeys(p_items))
        pairs = match(g_items, p_items, MATCHERS[name])
        result.scores[name] = Score(tp=len(pairs), gold=len(g_items), pred=len(p_items))
        used = set(pairs.values())
        missed = [g for i, g in enumerate(g_items) if i not in pairs]
        spurious = [p for j, p in enumerate(p_items) if j not in used]
        if missed:
            result.missed[name] = missed
        if spurious:
            result.spurious[name] = spurious
    return result


def evaluate_records(gold: dict[str, dict], pred: dict[str, dict]) -> Report:
    """Score predictions against gold, both {document: record}; paired by file stem."""
    by_stem = {_stem(doc): record for doc, record in pred.items()}
    totals = {name: Score() for name in SCORES}
    per_doc: dict[str, DocResult] = {}
    missing: list[str] = []
    for doc in sorted(gold):
        record = by_stem.get(_stem(doc))
        if record is None:
            missing.append(doc)
        result = score_doc(gold[doc], record or {})
        per_doc[doc] = result
        for name, s in result.scores.items():
            totals[name].add(s)
    gold_stems = {_stem(doc) for doc in gold}
    unscored = sorted(doc for doc in pred if _stem(doc) not in gold_stems)
    return Report(totals, per_doc, missing, unscored)


def evaluate(gold_dir: str | Path, pred_path: str | Path) -> Report:
    """Score ``pred_path`` (JSONL file, JSON file or directory of JSON files) against ``gold_dir``."""
    return evaluate_records(load_gold(gold_dir), load_predictions(pred_path))


# ---------------------------------------------------------------- loading


def _stem(doc: str) -> str:
    return Path(str(doc)).stem


_ITEM_KEYS = {
    "officials": ("name", "title", "org"),
    "responsibilities": ("holder", "responsibility", "sector"),
    "chains": ("from", "to", "kind"),
}


def _check_record(
    record: Any, where: str, default_doc: str | None = None
) -> tuple[str, dict]:
    """Validate the contract shape; return (doc id, record)."""
    if not isinstance(record, dict):
        raise InputError(
            f"{where}: expected a JSON object per document, got {type(record).__name__}"
        )
    doc = record.get("doc", default_doc)
    if not isinstance(doc, str) or not doc:
        raise InputError(f'{where}: missing "doc" (the file stem of the speech)')
    for name in FIELDS:
        items = record.get(name)
        if items is None:
            continue
        if not isinstance(items, list):
            raise InputError(
                f'{where}: "{name}" must be a list, got {type(items).__name__}'
            )
        want = str if name in ("organizations", "sectors") else dict
        for k, item in enumerate(items):
            if not isinstance(item, want):
                raise InputError(
                    f'{where}: "{name}"[{k}] must be a {"string" if want is str else "JSON object"}, '
                    f"got {type(item).__name__}"
                )
            if not isinstance(item, dict):
                continue  # a name (organizations, sectors): checked above
            for key in _ITEM_KEYS.get(name, ()):
                value = item.get(key)
                if value is not None and not isinstance(value, str):
                    raise InputError(
                        f'{where}: "{name}"[{k}].{key} must be a string or null, got {type(value).__name__}'
                    )
    return doc, record


def _add(
    records: dict[str, dict], origin: dict[str, str], doc: str, record: dict, where: str
) -> None:
    # Documents pair by file stem, so 'a.txt' and 'a' are one document.
    stem = _stem(doc)
    if stem in origin:
        raise InputError(f'{where}: document "{doc}" already given at {origin[stem]}')
    records[doc] = record
    origin[stem] = where


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def _load_json_file(path: Path) -> Any:
    text = _read_text(path)
    if not text.strip():
        raise InputError(f"{path}: empty file")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


def _load_dir(path: Path, what: str, *, by_file_name: bool) -> dict[str, dict]:
    """Records from ``*.json``; keyed by file stem (gold, as score.py does) or by "doc"."""
    files = sorted(p for p in path.glob("*.json") if p.is_file())
    if not files:
        raise InputError(f"{path}: no *.json {what} files in this directory")
    records: dict[str, dict] = {}
    origin: dict[str, str] = {}
    for file in files:
        data = _load_json_file(file)
        doc, record = _check_record(data, str(file), default_doc=file.stem)
        _add(records, origin, file.stem if by_file_name else doc, record, str(file))
    return records


def load_gold(gold_dir: str | Path) -> dict[str, dict]:
    """Gold records from a directory of ``<stem>.json`` files."""
    path = Path(gold_dir)
    if not path.exists():
        raise InputError(f"{path}: gold directory not found")
    if not path.is_dir():
        raise InputError(f"{path}: gold must be a directory of <doc>.json files")
    return _load_dir(path, "gold", by_file_name=True)


def load_predictions(pred_path: str | Path) -> dict[str, dict]:
    """Predicted records from a JSONL file, a JSON file (object or list) or a directory."""
    path = Path(pred_path)
    if not path.exists():
        raise InputError(f"{path}: prediction file or directory not found")
    if path.is_dir():
        return _load_dir(path, "prediction", by_file_name=False)
    text = _read_text(path)
    if not text.strip():
        raise InputError(f"{path}: empty prediction file")
    records: dict[str, dict] = {}
    origin: dict[str, str] = {}
    stripped = text.lstrip()
    if stripped.startswith("["):  # one JSON array of records
        data = _load_json_file(path)
        if not isinstance(data, list):
            raise InputError(f"{path}: expected a JSON list of document records")
        for k, item in enumerate(data):
            doc, record = _check_record(item, f"{path}: item {k}")
            _add(records, origin, doc, record, f"{path}: item {k}")
        return records
    lines = text.splitlines()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            if lineno == 1:  # maybe one pretty-printed JSON object
                try:
                    data = json.loads(text)
                except json.JSONDecodeError:
                    pass
                else:
                    doc, record = _check_record(data, str(path))
                    return {doc: record}
            raise InputError(
                f"{path}: line {lineno}: malformed JSON ({exc.msg}, column {exc.colno})"
            ) from None
        where = f"{path}: line {lineno}"
        doc, record = _check_record(data, where)
        _add(records, origin, doc, record, where)
    return records
