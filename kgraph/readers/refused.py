"""Office formats kgraph does not read, each with what to do instead, so a
directory build lists such files as skipped rather than passing over them in
silence.  (Images and archives stay out of a directory walk altogether: a
folder of speeches often holds pictures that are not documents.)"""

from __future__ import annotations

from pathlib import Path

from kgraph.errors import InputError

_SAVE_AS = "save it as .docx, .pdf or .txt and build again"
REASONS: dict[str, str] = {
    ".rtf": f"RTF is not read; {_SAVE_AS}",
    ".odt": f"OpenDocument text is not read; {_SAVE_AS}",
    ".ppt": f"slides are not read; {_SAVE_AS}",
    ".pptx": f"slides are not read; {_SAVE_AS}",
    ".dps": f"WPS slides are not read; {_SAVE_AS}",
    ".xls": "old Excel .xls is not read; save the sheet as .xlsx",
    ".et": "WPS spreadsheets are not read; save the sheet as .xlsx",
}


def refuse(path: Path, data: bytes) -> str:
    raise InputError(f"{path}: {REASONS[path.suffix.lower()]}")
