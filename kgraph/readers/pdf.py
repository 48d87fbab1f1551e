"""PDF with a text layer through pypdfium2 (PDFium's own text extraction).

Chosen over pdfplumber, pdfminer.six and pypdf because it alone gave the
seed speeches back character for character from both a Chromium-printed and
an fpdf2-written PDF: the others returned CJK radical-supplement look-alikes
(⻑ for 長) from Chromium's ToUnicode maps, which NFKC does not fold, and
nothing or NUL-interleaved text from fpdf2's.

A PDF has no paragraphs, only lines.  A line was wrapped by the layout, and
is joined to the next one, when the next line's first unbreakable piece (one
character with its closing punctuation, or a run of Latin letters and digits)
would not have fitted in the room left at the right edge of the text column,
or when it stops within three characters of that edge without ending a
sentence; otherwise the line ended its paragraph.  (Joining two paragraphs
by mistake costs nothing, as sentences end with 。; splitting a sentence
loses its facts.)  That needs the character boxes,
which the text-only heuristic in :mod:`kgraph.clean` does not have.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgraph.errors import InputError

_INK = re.compile(r"[^\s\u200b-\u200f\ufeff\ufffe\uffff]")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?)\s*$"
)
_LATIN = re.compile(r"[A-Za-z0-9]")
_SENTENCE_END = re.compile(r"[。！？!?；;：:…][”’」』）)]*$")
# The first piece of a line that a line breaker keeps whole.
_FIRST_PIECE = re.compile(
    r"\s*(?:[^\s\u3000-\u9fff\uff00-\uffef]+|[“‘《（「『]*.[，。、；：？！”’》）」』,.;:?!)]*)"
)


@dataclass
class _Line:
    text: str
    right: float  # right edge of the last inked character, in points
    first: float  # width of the first unbreakable piece, in points
    trailing_space: bool


def read_pdf(path: Path, data: bytes) -> str:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = str(exc).strip().rstrip(".")
        if "password" in reason.lower():
            raise InputError(
                f"{path}: PDF is encrypted (password protected); save an unprotected copy"
            ) from None
        raise InputError(f"{path}: not a readable PDF ({reason})") from None
    try:
        n_pages = len(document)
        lines: list[_Line] = []
        widths: list[float] = []
        for number in range(n_pages):
            page = document[number]
            textpage = page.get_textpage()
            try:
                lines.extend(_page_lines(textpage, widths))
            finally:
                textpage.close()
                page.close()
    except pdfium.PdfiumError as exc:
        raise InputError(
            f"{path}: not a readable PDF ({str(exc).strip().rstrip('.')})"
        ) from None
    finally:
        document.close()
    if not any(_INK.search(ln.text) for ln in lines):
        raise InputError(
            f"{path}: PDF has no text layer ({n_pages} page(s) of images, a scan?); run OCR on it first"
        )
    return _paragraphs(lines, statistics.median(widths) if widths else 0.0)


def _page_lines(
    textpage: Any, widths: list[float]
) -> list[_Line]:  # pypdfium2: untyped
    """The page's lines (PDFium ends each with a generated \\r\\n), each with
    the right edge of its text; ``widths`` collects character widths."""
    text = textpage.get_text_range()
    lines: list[_Line] = []
    start = 0
    for end in [m.start() for m in re.finditer(r"\r\n|\n|\r", text)] + [len(text)]:
        right, first_left, first_right = 0.0, None, 0.0
        piece = _FIRST_PIECE.match(text, start, end)
        piece_end = piece.end() if piece else start
        for i in range(start, end):
            if text[i].isspace():
                continue
            left, _, r, _ = textpage.get_charbox(i)
            right = max(right, r)
            if i < piece_end:
                first_left = left if first_left is None else min(first_left, left)
                first_right = max(first_right, r)
            if len(widths) < 2000 and r > left:
                widths.append(r - left)
        first = first_right - first_left if first_left is not None else 0.0
        raw = text[start:end]
        lines.append(_Line(raw, right, first, raw != raw.rstrip()))
        start = end + (2 if text[end : end + 2] == "\r\n" else 1)
    # Running page numbers at the top or bottom are layout, not text.
    body = [i for i, ln in enumerate(lines) if ln.text.strip()]
    for i in (body[:1] + body[-1:]) if body else []:
        if _PAGE_NUMBER.match(lines[i].text):
            lines[i] = _Line("", 0.0, 0.0, False)
    return [ln for ln in lines if ln.text.strip()]


def _paragraphs(lines: list[_Line], char_width: float) -> str:
    """Join each line that reaches the right edge of the column to the next."""
    if not lines:
        return ""
    column_right = max(ln.right for ln in lines)
    slack = 0.5 * char_width  # justification and punctuation squeezing
    out: list[str] = []
    for prev, ln in zip([None, *lines[:-1]], lines, strict=True):
        text = ln.text.strip()
        if prev is not None and (
            prev.right + ln.first + slack > column_right
            or (
                prev.right > column_right - 3 * char_width
                and not _SENTENCE_END.search(out[-1])
            )
        ):
            latin = _LATIN.match(out[-1][-1]) and _LATIN.match(text[0])
            out[-1] += (" " if latin or prev.trailing_space else "") + text
        else:
            out.append(text)
    return "\n".join(out)
