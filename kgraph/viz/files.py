"""Atomic output files: write to a temp file beside the target, then ``os.replace``.

A reader (a browser reloading chain.html, a build watching chain.svg) never
sees a half-written file, and a failed render leaves the old one in place.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_target(out: str | os.PathLike) -> Iterator[Path]:
    """Yield a temp path to write; on success it replaces ``out``."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual file mode
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def write_text_atomic(out: str | os.PathLike, text: str) -> Path:
    """Write ``text`` as UTF-8 (always, whatever the locale) atomically."""
    with atomic_target(out) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(out)
