"""Tables derived from large data files, kept in the user's cache directory
(``$XDG_CACHE_HOME/kgraph`` or ``~/.cache/kgraph``) so that only the first
process that needs one pays for deriving it.

The key must change whenever the table could: callers put the source file's
size and mtime and a version of their derivation into it, or use
:func:`code_key` for a table made from the code and Python alone.  A cache that
cannot be read or written only costs time, never an error.  Writing a table
removes all but the newest few of its other keys, so upgrades of kgraph or
of the data do not pile up megabytes of tables nothing reads any more.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from kgraph.gcpause import gc_paused

T = TypeVar("T")

# Other keys of a table kept besides the one written: two installs of kgraph
# side by side (say, two virtual environments) should not evict each other.
KEEP_OTHERS = 2


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache"
    )
    return Path(base) / "kgraph"


def code_key(module_file: str, *inputs: object) -> str:
    """A key for a table made by the code in ``module_file`` from ``inputs``:
    it changes with that code (what the table holds and how it is stored),
    with the inputs, and with Python, whose codecs and ``re`` the table may
    reflect."""
    code = Path(module_file).read_bytes()
    return hashlib.sha256(repr((sys.version, code, inputs)).encode()).hexdigest()[:16]


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
        _prune(path.parent, name, keep=path)
    except OSError:
        pass
    return value


def _prune(directory: Path, name: str, keep: Path) -> None:
    """Remove the oldest tables ``name`` of other keys, all but KEEP_OTHERS."""
    others = []
    # (no table's name is another's followed by a dash: gazetteer, people,
    # function-words, ordinary-words, cue-tables, cjk-gb2312, cjk-big5)
    for p in directory.glob(f"{name}-*.pickle"):
        if p == keep:
            continue
        try:
            others.append((p.stat().st_mtime, p))
        except OSError:
            continue
    for _, p in sorted(others, reverse=True)[KEEP_OTHERS:]:
        try:
            p.unlink()
        except OSError:
            pass
