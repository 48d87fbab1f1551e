"""Word 2007+ (.docx) through python-docx.

Body paragraphs and table rows in document order, one per line; headers,
footers and comments are page furniture and left out.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table as DocxTable

from kgraph.errors import InputError


def read_docx(path: Path, data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_body_lines(document))
    except (
        zipfile.BadZipFile,
        PackageNotFoundError,
        KeyError,
        XMLSyntaxError,
        ValueError,
        EOFError,
    ) as exc:
        raise InputError(
            f"{path}: not a readable .docx file ({_reason(exc)})"
        ) from None
    return "\n".join(lines)


def _body_lines(document: DocxDocument) -> list[str]:
    from docx.table import Table

    out: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            out.extend(_table_lines(block))
        else:
            out.append(block.text)
    return out


def _table_lines(table: DocxTable) -> list[str]:
    from docx.table import Table

    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            # A merged cell is returned once per grid column it spans.
            if text and (not cells or cells[-1] != text):
                cells.append(text)
            for inner in cell.tables:
                lines.extend(_table_lines(inner) if isinstance(inner, Table) else [])
        if cells:
            lines.append(" ".join(cells))
    return lines


def _reason(exc: Exception) -> str:
    if isinstance(exc, zipfile.BadZipFile):
        return "not a ZIP package"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
