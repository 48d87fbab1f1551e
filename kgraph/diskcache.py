"""Tables derived from large data files, kept in the user's cache directory
(``$XDG_CACHE_HOME/kgraph`` or ``~/.cache/kgraph``) so that only the first
process that needs one pays for deriving it.

The key must change whenever the table could: callers put the source file's
size and mtime and a version of their derivation into it.  A cache that
cannot be read or written only costs time, never an error.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kgraph.gcpause import gc_paused

T = TypeVar("T")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache"
    )
    return Path(base) / "kgraph"


def load_or_build(
    name: str, key: str, build: Callable[[], T], valid: Callable[[object], bool]
) -> T:
    """The table ``name`` for ``key`` from the cache if it is there and
    ``valid``, else ``build()``, stored for the next process."""
    path = cache_dir() / f"{name}-{key}.pickle"
    try:
        # tens of thousands of small objects: the collector would walk them
        # again and again as they are made, for longer than the load takes
        with open(path, "rb") as f, gc_paused():
            value = pickle.load(f)
        if valid(value):
            return value  # type: ignore[no-any-return]
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        TypeError,
        ValueError,
    ):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return value
