"""Pausing Python's cyclic garbage collector around bulk work.

A build's parent and a Neo4j push allocate millions of small acyclic objects
(result dicts, rows, evidence) while a large graph stays alive; each burst of
allocations sets off collections that walk every live object again.
Reference counting still frees all of it; the collector comes back on (if it
was on) however the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze_inherited() -> None:
    """In a forked worker: move what it inherited (the lexicon, the warm-up's
    tables) out of the collector's sight, so collections walk only the
    worker's own objects and never write to the pages it shares with its parent."""
    gc.freeze()
