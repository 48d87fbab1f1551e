"""Document formats that are not plain text: one module per format.

:data:`READERS` maps a file suffix to the function that turns the file's
bytes into text; :func:`kgraph.ingest.read_file` asks :func:`read_document`
first and decodes the bytes as text only when no reader claims the file.
Each reader raises :class:`~kgraph.errors.InputError` with a one-line reason
(corrupt file, scanned PDF without a text layer, old binary Word format) so a
directory build lists the file as skipped; :mod:`kgraph.readers.refused`
names the formats not read at all (slides, images, RTF …) for the same end.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kgraph.readers import docx, legacy, pdf, refused, xlsx

# bytes → text, or None: "not really this format, decode it as text".
Reader = Callable[[Path, bytes], "str | None"]

READERS: dict[str, tuple[str, Reader]] = {
    ".docx": ("docx", docx.read_docx),
    ".pdf": ("pdf", pdf.read_pdf),
    ".doc": ("doc", legacy.read_legacy_word),
    ".wps": ("wps", legacy.read_legacy_word),
    ".xlsx": ("xlsx", xlsx.read_xlsx),
    **{suffix: ("refused", refused.refuse) for suffix in refused.REASONS},
}
SUFFIXES = frozenset(READERS)

__all__ = ["READERS", "SUFFIXES", "read_document"]


def read_document(path: Path, data: bytes) -> tuple[str, str] | None:
    """``(text, format name)`` if a reader handles ``path``'s suffix, else None."""
    entry = READERS.get(path.suffix.lower())
    if entry is None:
        return None
    name, reader = entry
    text = reader(path, data)
    return None if text is None else (text, name)
