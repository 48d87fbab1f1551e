"""Old binary Word (.doc) and WPS (.wps) files.

No maintained pure-Python library reads their text, so they are refused with
a one-line hint — unless the file is not really in the old format: a renamed
.docx (a ZIP package) is read as one, and Word's "web page" or plain-text
.doc is decoded as text.
"""

from __future__ import annotations

from pathlib import Path

from kgraph.errors import InputError

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the Compound File header of .doc/.wps


def read_legacy_word(path: Path, data: bytes) -> str | None:
    if data.startswith(b"PK\x03\x04"):
        from kgraph.readers.docx import read_docx

        return read_docx(path, data)
    if data.startswith(_OLE) or data.startswith(b"{\\rtf"):
        kind = "WPS" if path.suffix.lower() == ".wps" else "old Word"
        raise InputError(
            f"{path}: {kind} {path.suffix.lower()} files cannot be read; save it as .docx (另存为 .docx) or .pdf and build again"
        )
    return None  # text or HTML under a .doc name: decode it as text
