"""Rows for people: the 责任清单 (duty table) and flat CSV / TSV / XLSX output.

:func:`duty_table` gives one row per duty edge (BEARS, COVERS_SECTOR,
PERFORMS) of a workspace — holder, holder type, responsibility, sector, task,
the holders that hand the duty down to it (chain parent), documents, the
evidence sentences and the rules — with the filters ``kgraph who``/``chain``
use.  :func:`flat_rows` turns any query's rows (lists, evidence dicts) into
cells, and :func:`write_rows` writes them as CSV, TSV or XLSX.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from kgraph import schema
from kgraph.errors import InputError
from kgraph.query import (
    DUTY_TYPES,
    EDGE_SELECT,
    TERM_LABELS,
    NotFound,
    _evidence,
    resolve,
)
from kgraph.readwrite.atomic import atomic_write
from kgraph.store import Workspace

DUTY_COLUMNS = (
    "holder",
    "holder_type",
    "holder_category",
    "relation",
    "responsibility",
    "sector",
    "task",
    "chain_parent",
    "place",
    "date",
    "count",
    "documents",
    "evidence",
    "original",
    "source",
    "rule",
)
TABLE_FORMATS = ("csv", "tsv", "xlsx")
LIST_SEP = "；"  # between documents, rules, chain parents: never inside a name


def duty_table(
    ws: Workspace,
    *,
    sector: str | None = None,
    holder: str | None = None,
    place: str | None = None,
    term: str | None = None,
    evidence: int = 3,
    original: bool = True,
) -> list[dict]:
    """One row per duty edge, most-evidenced first.

    ``sector`` keeps duties in that sector (aliases resolve, as in ``who``);
    ``term`` any sector, responsibility or task (exactly the edges ``who``
    answers with); ``holder`` one holder's duties (as in ``what``); ``place``
    holders whose name or place contains it.  ``evidence`` sentences per row
    (0: all); with ``original`` each also gets the span as the source file
    writes it and its ``file:line`` (:mod:`kgraph.verbatim`).
    """
    from kgraph.verbatim import Sources, attach

    sources = Sources(ws) if original else None
    where, params = [f"e.type IN ({','.join('?' * len(DUTY_TYPES))})"], list(DUTY_TYPES)
    if sector is not None or term is not None:
        labels = (schema.SECTOR,) if term is None else TERM_LABELS
        given = sector if term is None else term
        assert given is not None  # one of the two, by the test above
        names = resolve(ws, given, labels)
        if not names:
            raise NotFound(
                f"no {'sector' if term is None else 'sector, responsibility or task'} called {given!r} in the graph"
            )
        clauses = []
        for n in names:
            clauses.append(
                "((e.type = 'COVERS_SECTOR' AND e.dst = ?) OR (e.type IN ('BEARS', 'PERFORMS') AND json_extract(e.props, '$.sector') = ?)"
                + (
                    " OR (e.type = 'BEARS' AND e.dst = ?) OR (e.type = 'PERFORMS' AND e.dst = ?)"
                    if term is not None
                    else ""
                )
                + ")"
            )
            params += [schema.node_id(schema.SECTOR, n), n]
            if term is not None:
                params += [
                    schema.node_id(schema.RESPONSIBILITY, n),
                    schema.node_id(schema.TASK, n),
                ]
        where.append("(" + " OR ".join(clauses) + ")")
    if holder is not None:
        names = resolve(ws, holder, schema.HOLDER_LABELS)
        if not names:
            raise NotFound(
                f"no official, organisation or role called {holder!r} in the graph"
            )
        ids = [
            schema.node_id(label, n) for n in names for label in schema.HOLDER_LABELS
        ]
        where.append(f"e.src IN ({','.join('?' * len(ids))})")
        params += ids

    sql = (
        EDGE_SELECT.replace("SELECT e.id,", "SELECT e.id, e.src, s.props AS src_props,")
        + "WHERE "
        + " AND ".join(where)
    )
    rows = []
    with ws.connect() as conn:
        parents: dict[str, list[str]] = {}
        for r in conn.execute(
            "SELECT e.dst, s.name FROM edges e JOIN nodes s ON s.id = e.src WHERE e.type = ? ORDER BY s.name",
            (schema.CHAIN,),
        ):
            names = parents.setdefault(r[0], [])
            if r[1] not in names:
                names.append(r[1])
        for r in conn.execute(sql, params):
            props, src_props = json.loads(r["props"]), json.loads(r["src_props"])
            row_place = props.get("place") or src_props.get("place") or ""
            if (
                place is not None
                and place not in r["src_name"]
                and place not in row_place
                and not schema.place_within(
                    str(src_props.get("place_key") or ""), place
                )
            ):
                continue
            ev = _evidence(conn, r["id"], evidence if evidence > 0 else -1)
            if sources is not None:
                attach(sources, ev)
            rows.append(
                {
                    "holder": r["src_name"],
                    "holder_type": r["src_label"],
                    "holder_category": src_props.get("category", ""),
                    "relation": r["type"],
                    "responsibility": r["dst_name"]
                    if r["type"] == schema.BEARS
                    else props.get("responsibility", "") or "",
                    "sector": r["dst_name"]
                    if r["type"] == schema.COVERS_SECTOR
                    else props.get("sector", "") or "",
                    "task": r["dst_name"]
                    if r["type"] == schema.PERFORMS
                    else props.get("task", "") or "",
                    "chain_parent": parents.get(r["src"], []),
                    "place": row_place,
                    # the dates of the documents that state it, earliest first
                    "date": "; ".join(sorted(set(props.get("dates") or []))),
                    "count": r["count"],
                    "documents": props.get("docs", []),
                    "evidence": ev,
                    # one line per evidence sentence, as in the evidence column
                    "original": "\n".join(e["original"] for e in ev if "original" in e),
                    "source": "\n".join(e["source"] for e in ev if "source" in e),
                    "rule": props.get("rules", []) or sorted({e["rule"] for e in ev}),
                }
            )
    rows.sort(
        key=lambda r: (
            -r["count"],
            r["holder"],
            r["relation"],
            r["responsibility"],
            r["sector"],
            r["task"],
        )
    )
    return rows


# --------------------------------------------------------------------------
# cells


def evidence_text(rows: Iterable[dict]) -> str:
    """Evidence rows as lines: ``file:line text`` (``doc#sentence text`` when
    the source file is not at hand)."""
    return "\n".join(
        f"{e.get('source') or str(e.get('doc', '')) + '#' + str(e.get('sentence', ''))} {e.get('text', '')}".strip()
        for e in rows
    )


def cell(value: object) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, dict) and "text" in v for v in value):
            return evidence_text(value)
        return LIST_SEP.join(str(cell(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def flat_rows(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None
) -> tuple[list[str], list[list]]:
    """``(columns, cell rows)``: the given columns, or every key in first-seen order."""
    listed = list(rows)
    if columns is None:
        columns = list(dict.fromkeys(k for r in listed for k in r))
    return list(columns), [[cell(r.get(c, "")) for c in columns] for r in listed]


# --------------------------------------------------------------------------
# writing


def format_for(path: str | Path, fmt: str | None) -> str:
    """The table format from ``fmt`` or the file suffix; a mismatch is an error."""
    suffix = Path(str(path)).suffix.lower().lstrip(".")
    if fmt is not None:
        fmt = fmt.lower()
        if fmt not in TABLE_FORMATS:
            raise InputError(
                f"unknown table format {fmt!r}: use {', '.join(TABLE_FORMATS)}"
            )
        if suffix in TABLE_FORMATS and suffix != fmt:
            raise InputError(
                f"{path}: --format {fmt} does not match the .{suffix} suffix"
            )
        return fmt
    if suffix in TABLE_FORMATS:
        return suffix
    if str(path) == "-":
        return "csv"
    raise InputError(
        f"{path}: cannot tell the table format from the suffix; name it .csv, .tsv or .xlsx, or pass --format"
    )


def write_delimited(
    columns: Sequence[str], cells: Iterable[Sequence], out: IO[str], fmt: str
) -> None:
    """CSV (RFC 4180, multi-line cells quoted) or plain TSV (one line per row:
    tabs and line breaks inside a cell become spaces / ' | ')."""
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(cells)
        return
    out.write("\t".join(columns) + "\n")
    for row in cells:
        out.write("\t".join(_tsv(v) for v in row) + "\n")


def _tsv(value: object) -> str:
    return (
        str(value)
        .replace("\t", " ")
        .replace("\r\n", " | ")
        .replace("\n", " | ")
        .replace("\r", " | ")
    )


def write_rows(
    columns: Sequence[str],
    cells: Sequence[Sequence],
    path: str | Path,
    fmt: str,
    *,
    sheet: str = "责任清单",
) -> None:
    """Write a table to ``path`` (replaced atomically) as csv, tsv or xlsx."""
    if fmt == "xlsx":
        data = _xlsx_bytes(columns, cells, sheet)
        with atomic_write(path, "wb", encoding=None) as fh:
            fh.write(data)
        return
    # utf-8-sig: Excel opens a CSV without a BOM as the local code page (GBK mojibake).
    with atomic_write(
        path, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8"
    ) as fh:
        write_delimited(columns, cells, fh, fmt)


_WIDTHS = {
    "evidence": 80,
    "original": 50,
    "source": 30,
    "documents": 28,
    "chain_parent": 24,
    "rule": 22,
}


def _xlsx_bytes(columns: Sequence[str], cells: Sequence[Sequence], sheet: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.freeze_panes = "A2"
    for i, c in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(c, 14)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    header = []
    for c in columns:
        h = WriteOnlyCell(ws, value=c)
        h.font = bold
        header.append(h)
    ws.append(header)
    wrapped = {i for i, c in enumerate(columns) if c in _WIDTHS}
    for row in cells:
        out: list[object] = []
        for i, v in enumerate(row):
            v = _xlsx_safe(v)
            if i in wrapped:
                v_cell = WriteOnlyCell(ws, value=v)
                v_cell.alignment = wrap
                out.append(v_cell)
            else:
                out.append(v)
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_safe(value: str | float) -> str | float:
    """Cells are text or numbers: control characters are illegal in XLSX, a
    leading = would be a formula, and a cell holds at most 32,767 characters."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value[:1] in ("=", "+", "-", "@"):
        value = "'" + value
    return value if len(value) <= 32767 else value[:32766] + "…"
