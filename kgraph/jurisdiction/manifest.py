"""Per-file place, date, title and source given by the user.

A manifest lies beside the corpus files it describes, named ``kgraph.csv``,
``manifest.csv``, ``kgraph.yaml`` or ``manifest.yaml`` (``.yml`` too).  CSV:
a header row, then one row per file; YAML: a list of mappings with the same
keys.  Columns:

    path    the file, relative to the manifest (required)
    place   its jurisdiction: a gazetteer name (元阳县, 红河州/元阳县) or a company
    level   国家/省/市/县/区/街道/乡镇/企业 (default: the gazetteer's, 企业 for a company)
    date    YYYY, YYYY-MM or YYYY-MM-DD
    title   the document's title
    source  where it came from (a URL)

A row's values replace what the text says (rule ``manifest``).  Anything
malformed — an unknown column, a bad date or level, a path that is not there —
is a :class:`~kgraph.errors.InputError` naming ``file:line``, raised before
anything is built.
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kgraph.errors import InputError
from kgraph.jurisdiction import gazetteer as _gaz
from kgraph.jurisdiction.markers import LEVELS

if TYPE_CHECKING:
    from kgraph.model import Document

NAMES = (
    "kgraph.csv",
    "manifest.csv",
    "kgraph.yaml",
    "manifest.yaml",
    "kgraph.yml",
    "manifest.yml",
)
COLUMNS = ("path", "place", "level", "date", "title", "source")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def find(directory: str | Path) -> Path | None:
    """The manifest in ``directory``, if there is one."""
    # looked for beside every file read: plain strings, a Path only when found
    for name in NAMES:
        p = os.path.join(directory, name)
        if os.path.isfile(p):
            return Path(p)
    return None


def _check_date(value: str, where: str) -> str:
    m = _DATE.fullmatch(value)
    ok = m is not None
    if m is not None:
        y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        try:
            _dt.date(y, mo, d)
        except ValueError:
            ok = False
    if not ok:
        raise InputError(
            f"{where}: bad date {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)"
        )
    return value


def _rows(path: Path) -> list[tuple[int, dict]]:
    """(line number, row) of a manifest file, columns checked."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read manifest ({exc})") from None
    if path.suffix == ".csv":
        reader = csv.reader(text.splitlines())
        header = next(reader, None)
        if not header:
            raise InputError(
                f"{path}:1: empty manifest (expected a header row: {', '.join(COLUMNS)})"
            )
        header = [h.strip().lower() for h in header]
        for h in header:
            if h not in COLUMNS:
                raise InputError(
                    f"{path}:1: unknown column {h!r} (columns: {', '.join(COLUMNS)})"
                )
        if "path" not in header:
            raise InputError(f"{path}:1: no 'path' column")
        out = []
        for n, values in enumerate(reader, 2):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                raise InputError(
                    f"{path}:{n}: {len(values)} values for {len(header)} columns"
                )
            out.append((n, {h: v.strip() for h, v in zip(header, values, strict=True)}))
        return out
    try:
        import yaml
    except ImportError:
        raise InputError(
            f"{path}: a YAML manifest needs PyYAML (pip install pyyaml), or write it as CSV"
        ) from None
    try:
        data = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            f"{path}:{mark.line + 1 if mark else 1}: not valid YAML"
        ) from None
    if data is None:
        return []
    if not isinstance(data, yaml.SequenceNode):
        raise InputError(f"{path}:1: expected a list of files")
    out = []
    for item in data.value:
        n = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            raise InputError(f"{path}:{n}: expected a mapping (path: …, place: …)")
        row = {}
        for k, v in item.value:
            key = str(k.value).strip().lower()
            if key not in COLUMNS:
                raise InputError(
                    f"{path}:{k.start_mark.line + 1}: unknown column {key!r} (columns: {', '.join(COLUMNS)})"
                )
            row[key] = str(v.value).strip() if isinstance(v, yaml.ScalarNode) else ""
        out.append((n, row))
    return out


def load(path: str | Path) -> dict[str, dict]:
    """Absolute file path → row of a manifest; every row checked."""
    path = Path(path)
    out: dict[str, dict] = {}
    for n, row in _rows(path):
        where = f"{path}:{n}"
        if not row.get("path"):
            raise InputError(f"{where}: no path")
        target = (path.parent / row["path"]).resolve()
        if not target.is_file():
            raise InputError(f"{where}: {row['path']} not found beside the manifest")
        if row.get("date"):
            _check_date(row["date"], where)
        if row.get("level") and row["level"] not in LEVELS:
            raise InputError(
                f"{where}: unknown level {row['level']!r} (one of {', '.join(LEVELS)})"
            )
        out[str(target)] = {k: v for k, v in row.items() if v and k != "path"} | {
            "line": where
        }
    return out


@functools.lru_cache(maxsize=64)
def _cached(path: str, mtime: float) -> dict[str, dict]:
    return load(path)


def row_for(file: str | Path) -> dict | None:
    """The manifest row describing ``file``, from the manifest in its directory."""
    m = find(os.path.dirname(os.path.abspath(file)))
    if m is None:
        return None
    return _cached(str(m), m.stat().st_mtime).get(str(Path(file).resolve()))


def check(files: Iterable[str | Path]) -> list[str]:
    """Load (and so validate) every manifest beside ``files``; their paths."""
    found = []
    for d in sorted({os.path.dirname(os.path.abspath(f)) for f in files}):
        m = find(d)
        if m is not None:
            _cached(str(m), m.stat().st_mtime)
            found.append(str(m))
    return found


def apply(document: Document, row: dict) -> None:
    """Replace a document's place, date and title with a manifest row's."""
    rule, ev = "manifest", {"start": -1, "end": -1, "text": row.get("line", "")}
    if row.get("title"):
        document.title = row["title"]
    if row.get("place"):
        name = row["place"].split("/")[-1]
        divisions = _gaz.load().lookup(name)
        if "/" in row["place"]:
            wanted = row["place"].split("/")[:-1]
            divisions = [
                d
                for d in divisions
                if all(
                    w in d.parents or any(p.startswith(w) for p in d.parents)
                    for w in wanted
                )
            ]
        d = divisions[0] if len(divisions) == 1 else None
        if d is not None:
            place = {
                "name": d.name,
                "level": row.get("level") or d.level,
                "parents": list(d.parents),
            }
        else:
            level = row.get("level") or (
                "企业" if name.endswith(("公司", "集团")) else None
            )
            place = {"name": name, "level": level, "parents": []}
        document.place = {**place, "evidence": ev, "rule": rule}
    elif row.get("level"):
        document.place = {
            **(document.place or {}),
            "level": row["level"],
            "rule": rule,
            "evidence": ev,
        }
    if row.get("date"):
        v = row["date"]
        document.date = {
            "value": v,
            "precision": ("year", "month", "day")[v.count("-")],
            "evidence": ev,
            "rule": rule,
        }
    if row.get("source"):
        document.source = row["source"]
