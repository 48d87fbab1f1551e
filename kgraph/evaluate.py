"""Precision / recall / F1 of extracted facts against the hand-annotated gold.

Gold and predictions share one shape, the output contract of
``kgraph extract --format jsonl`` (one record per document)::

    {"doc": "<file stem>",
     "officials": [{"name", "title", "org"}],
     "organizations": ["…"], "sectors": ["…"],
     "responsibilities": [{"holder", "responsibility", "sector", "evidence"}],
     "chains": [{"from", "to", "kind", "evidence"}]}

Scores are micro-averaged over all gold documents, with a per-document
breakdown.  How two items are compared (see ``tests/gold/README.md``):

* every string is normalised: NFKC, OpenCC ``tw2s``, whitespace and quote marks
  removed; holders, organisations and chain ends also lose distributive
  prefixes (``各``, ``各级``, ``全市`` …), so 各行业主管部门 is 行业主管部门;
* *lenient* means equal, or one contains the other — unless the shorter side is
  a single character inside a longer phrase, or a bare generic word (责任);
* ``officials`` match on the name (a prediction ``焦`` + ``市长`` also matches
  the gold name ``焦市长``); ``officials.title`` additionally needs the titles to
  match leniently;
* ``organizations`` match leniently, ``sectors`` exactly after mapping common
  aliases to the canonical sector (消防安全 → 消防, 危化 → 危险化学品);
* ``responsibilities`` match when holder and responsibility both match
  leniently; ``responsibilities.sector`` additionally needs the same sector;
* ``chains`` match on lenient ``from``/``to`` and exact ``kind`` (党政同责 is
  symmetric, so either direction counts).

Items are matched one-to-one (maximum bipartite matching); duplicates within a
document are dropped first, so saying the same fact twice is not penalised.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from kgraph.errors import InputError

FIELDS = ("officials", "organizations", "sectors", "responsibilities", "chains")
SCORES = (
    "officials",
    "officials.title",
    "organizations",
    "sectors",
    "responsibilities",
    "responsibilities.sector",
    "chains",
)

_QUOTES = "\"'“”‘’「」『』〝〞＂＇"
_DROP = re.compile(r"[\s" + re.escape(_QUOTES) + r"]+")
# Distributive / scope prefixes that do not change which body is meant.
_PREFIXES = ("全市各级", "全市各", "全市", "各级", "各个", "各")
_HOLDER_ALIASES = {"党政": "党委政府", "党委和政府": "党委政府", "党委、政府": "党委政府"}
# Words too generic to count as "contained" in a longer phrase.
_GENERIC = frozenset({"责任", "职责", "安全", "工作", "领导"})
# Synonyms of the canonical sector names used in the gold (tests/gold/README.md).
SECTOR_ALIASES = {
    "危化": "危险化学品",
    "危化品": "危险化学品",
    "危险化学品企业": "危险化学品",
    "危货": "危险化学品",
    "危货运输": "危险化学品",
    "化工企业": "化工",
    "道路运输": "道路交通",
    "交通安全": "道路交通",
    "火灾防控": "消防",
    "火灾": "消防",
    "学校": "校园",
    "文化旅游": "文旅",
    "防汛防灾": "防汛",
    "防汛抗旱": "防汛",
    "防汛救灾": "防汛",
    "职业卫生": "职业危害",
    "职业健康": "职业危害",
    "职业安全健康": "职业危害",
    "工矿商贸": "工贸",
    "电镀园区": "电镀",
}
_SECTOR_SUFFIXES = ("安全", "行业", "领域")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("tw2s")


@lru_cache(maxsize=65536)
def norm(value: Any) -> str:
    """NFKC, traditional → simplified, no whitespace or quote marks."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = _converter().convert(text)
    return _DROP.sub("", text)


def norm_body(value: Any) -> str:
    """Normalise a holder / organisation / chain end: also drop 各/各级/全市."""
    text = norm(value)
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix):]
                changed = True
                break
    return _HOLDER_ALIASES.get(text, text)


def norm_sector(value: Any) -> str:
    text = norm(value)
    if text in SECTOR_ALIASES:
        return SECTOR_ALIASES[text]
    for suffix in _SECTOR_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return SECTOR_ALIASES.get(text, text)


def lenient(a: str, b: str) -> bool:
    """Equal, or one contains the other (already normalised strings)."""
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if short in _GENERIC:
        return False
    if len(short) < 2 and len(long_) > 2:
        return False
    return short in long_


# ---------------------------------------------------------------- scores


@dataclass
class Score:
    tp: int = 0
    gold: int = 0
    pred: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else (1.0 if not self.pred else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
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
    spurious: dict[str, list] = field(default_factory=dict)  # predicted items not in gold

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
    missing_predictions: list[str] = field(default_factory=list)  # gold docs nobody predicted
    unscored_predictions: list[str] = field(default_factory=list)  # predicted docs without gold

    def to_dict(self) -> dict:
        return {
            "scores": {k: s.to_dict() for k, s in self.scores.items()},
            "documents": len(self.per_doc),
            "missing_predictions": self.missing_predictions,
            "unscored_predictions": self.unscored_predictions,
            "per_doc": {doc: r.to_dict() for doc, r in self.per_doc.items()},
        }


# ---------------------------------------------------------------- matching


@dataclass(frozen=True)
class _Spec:
    field: str
    key: Callable[[Any], Any]  # duplicate key (normalised)
    match: Callable[[Any, Any], bool]  # gold item, predicted item


def _official_names(item: dict) -> set[str]:
    name, title = norm(item.get("name")), norm(item.get("title"))
    names = {name} if name else set()
    if name and title and not name.endswith(title):
        names.add(name + title)  # 焦 + 市长 → 焦市长
    return names


def _official_match(g: dict, p: dict) -> bool:
    return bool(_official_names(g) & _official_names(p))


def _title_match(g: dict, p: dict) -> bool:
    return _official_match(g, p) and lenient(norm(g.get("title")), norm(p.get("title")))


def _resp_match(g: dict, p: dict) -> bool:
    return lenient(norm_body(g.get("holder")), norm_body(p.get("holder"))) and lenient(
        norm(g.get("responsibility")), norm(p.get("responsibility"))
    )


def _chain_match(g: dict, p: dict) -> bool:
    kind = norm(g.get("kind"))
    if kind != norm(p.get("kind")):
        return False
    gf, gt = norm_body(g.get("from")), norm_body(g.get("to"))
    pf, pt = norm_body(p.get("from")), norm_body(p.get("to"))
    if lenient(gf, pf) and lenient(gt, pt):
        return True
    return kind == "党政同责" and lenient(gf, pt) and lenient(gt, pf)


SPECS: dict[str, _Spec] = {
    "officials": _Spec("officials", lambda o: norm(o.get("name")), _official_match),
    "officials.title": _Spec(
        "officials", lambda o: (norm(o.get("name")), norm(o.get("title"))), _title_match
    ),
    "organizations": _Spec("organizations", norm_body, lambda g, p: lenient(norm_body(g), norm_body(p))),
    "sectors": _Spec("sectors", norm_sector, lambda g, p: bool(norm_sector(g)) and norm_sector(g) == norm_sector(p)),
    "responsibilities": _Spec(
        "responsibilities",
        lambda r: (norm_body(r.get("holder")), norm(r.get("responsibility"))),
        _resp_match,
    ),
    "responsibilities.sector": _Spec(
        "responsibilities",
        lambda r: (norm_body(r.get("holder")), norm(r.get("responsibility")), norm_sector(r.get("sector"))),
        lambda g, p: _resp_match(g, p) and norm_sector(g.get("sector")) == norm_sector(p.get("sector")),
    ),
    "chains": _Spec(
        "chains",
        lambda c: (norm_body(c.get("from")), norm_body(c.get("to")), norm(c.get("kind"))),
        _chain_match,
    ),
}


def _dedupe(items: Iterable, key: Callable[[Any], Any]) -> list:
    seen, out = set(), []
    for item in items:
        k = key(item)
        if k in seen:
            continue
        seen.add(k)
        out.append(item)
    return out


def match(gold: list, pred: list, same: Callable[[Any, Any], bool]) -> dict[int, int]:
    """Maximum one-to-one matching; returns {gold index: pred index}."""
    candidates = [[j for j, p in enumerate(pred) if same(g, p)] for g in gold]
    owner: dict[int, int] = {}  # pred index → gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def score_doc(gold: dict, pred: dict) -> DocResult:
    """Score one predicted record against one gold record."""
    result = DocResult(scores={})
    for name in SCORES:
        spec = SPECS[name]
        g_items = _dedupe(gold.get(spec.field) or [], spec.key)
        p_items = _dedupe(pred.get(spec.field) or [], spec.key)
        pairs = match(g_items, p_items, spec.match)
        result.scores[name] = Score(tp=len(pairs), gold=len(g_items), pred=len(p_items))
        matched_pred = set(pairs.values())
        missed = [g for i, g in enumerate(g_items) if i not in pairs]
        spurious = [p for j, p in enumerate(p_items) if j not in matched_pred]
        if missed:
            result.missed[name] = missed
        if spurious:
            result.spurious[name] = spurious
    return result


def evaluate_records(gold: dict[str, dict], pred: dict[str, dict]) -> Report:
    """Score predictions (doc id → record) against gold (doc id → record)."""
    stems = {_stem(d): d for d in pred}
    totals = {name: Score() for name in SCORES}
    per_doc: dict[str, DocResult] = {}
    missing: list[str] = []
    used: set[str] = set()
    for doc in sorted(gold):
        key = doc if doc in pred else stems.get(_stem(doc))
        if key is None:
            missing.append(doc)
            record: dict = {}
        else:
            used.add(key)
            record = pred[key]
        result = score_doc(gold[doc], record)
        per_doc[doc] = result
        for name, s in result.scores.items():
            totals[name].add(s)
    unscored = sorted(d for d in pred if d not in used)
    return Report(totals, per_doc, missing, unscored)


def evaluate(gold_dir: str | Path, pred_path: str | Path) -> Report:
    """Score ``pred_path`` (JSONL file or directory of JSON files) against ``gold_dir``."""
    gold = load_gold(gold_dir)
    pred = load_predictions(pred_path)
    return evaluate_records(gold, pred)


# ---------------------------------------------------------------- loading


def _stem(doc: str) -> str:
    return Path(str(doc)).stem if "." in Path(str(doc)).name else Path(str(doc)).name


_ITEM_KEYS = {
    "officials": ("name", "title", "org"),
    "responsibilities": ("holder", "responsibility", "sector"),
    "chains": ("from", "to", "kind"),
}


def _check_record(record: Any, where: str, default_doc: str | None = None) -> tuple[str, dict]:
    """Validate the contract shape; return (doc id, record)."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object per document, got {type(record).__name__}")
    doc = record.get("doc", default_doc)
    if not isinstance(doc, str) or not doc:
        raise InputError(f'{where}: missing "doc" (the file stem of the speech)')
    for name in FIELDS:
        items = record.get(name)
        if items is None:
            continue
        if not isinstance(items, list):
            raise InputError(f'{where}: "{name}" must be a list, got {type(items).__name__}')
        want = str if name in ("organizations", "sectors") else dict
        for k, item in enumerate(items):
            if not isinstance(item, want):
                raise InputError(
                    f'{where}: "{name}"[{k}] must be a {"string" if want is str else "JSON object"}, '
                    f"got {type(item).__name__}"
                )
            for key in _ITEM_KEYS.get(name, ()):
                value = item.get(key)
                if value is not None and not isinstance(value, str):
                    raise InputError(
                        f'{where}: "{name}"[{k}].{key} must be a string or null, got {type(value).__name__}'
                    )
    return doc, record


def _add(records: dict[str, dict], origin: dict[str, str], doc: str, record: dict, where: str) -> None:
    if doc in records:
        raise InputError(f'{where}: document "{doc}" already given at {origin[doc]}')
    records[doc] = record
    origin[doc] = where


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def _load_json_file(path: Path) -> Any:
    text = _read_text(path)
    if not text.strip():
        raise InputError(f"{path}: empty file")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None


def _load_dir(path: Path, what: str) -> dict[str, dict]:
    files = sorted(p for p in path.glob("*.json") if p.is_file())
    if not files:
        raise InputError(f"{path}: no *.json {what} files in this directory")
    records: dict[str, dict] = {}
    origin: dict[str, str] = {}
    for file in files:
        data = _load_json_file(file)
        doc, record = _check_record(data, str(file), default_doc=file.stem)
        _add(records, origin, doc, record, str(file))
    return records


def load_gold(gold_dir: str | Path) -> dict[str, dict]:
    """Gold records from a directory of ``<stem>.json`` files."""
    path = Path(gold_dir)
    if not path.exists():
        raise InputError(f"{path}: gold directory not found")
    if not path.is_dir():
        raise InputError(f"{path}: gold must be a directory of <doc>.json files")
    return _load_dir(path, "gold")


def load_predictions(pred_path: str | Path) -> dict[str, dict]:
    """Predicted records from a JSONL file, a JSON file (object or list) or a directory."""
    path = Path(pred_path)
    if not path.exists():
        raise InputError(f"{path}: prediction file or directory not found")
    if path.is_dir():
        return _load_dir(path, "prediction")
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
            raise InputError(f"{path}: line {lineno}: malformed JSON ({exc.msg}, column {exc.colno})") from None
        where = f"{path}: line {lineno}"
        doc, record = _check_record(data, where)
        _add(records, origin, doc, record, where)
    return records
