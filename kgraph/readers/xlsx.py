"""Excel workbooks (.xlsx) through openpyxl: duty lists (责任清单) often come
as a sheet.  Each non-empty row becomes one line, its cells joined by a
space, sheet after sheet; a formula cell gives its last computed value."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from kgraph.errors import InputError


def read_xlsx(path: Path, data: bytes) -> str:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        reason = (
            "not a ZIP package"
            if isinstance(exc, zipfile.BadZipFile)
            else (str(exc).splitlines() or [type(exc).__name__])[0][:120]
        )
        raise InputError(f"{path}: not a readable .xlsx file ({reason})") from None
    lines: list[str] = []
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = [
                    str(v).strip() for v in row if v is not None and str(v).strip()
                ]
                if cells:
                    lines.append(" ".join(cells))
    finally:
        book.close()
    return "\n".join(lines)
