"""Write a file so that readers see the old version or the new one, never half."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from kgraph.errors import KgraphError


@contextmanager
def atomic_write(
    path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8"
) -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it over ``path`` only if
    the block finishes."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise KgraphError(f"{path}: directory {directory} does not exist")
    if path.is_dir():
        raise KgraphError(f"{path}: is a directory; give the name of a file to write")
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=directory
        )
    except OSError as exc:
        raise KgraphError(
            f"{path}: cannot write in {directory}/ ({(exc.strerror or str(exc)).lower()})"
        ) from None
    # mkstemp makes the file private (0600); an export is for sharing, so give
    # it the mode an ordinary open() would have.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        with os.fdopen(fd, mode, encoding=encoding if "b" not in mode else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:  # disk full, file size limit, …
        Path(tmp).unlink(missing_ok=True)
        raise KgraphError(
            f"{path}: cannot write ({(exc.strerror or str(exc)).lower()}); nothing was changed"
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
