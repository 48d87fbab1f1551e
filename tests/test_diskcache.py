"""The cache of derived tables: a table is built once, read back, and
upgrades do not pile up stale copies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kgraph import diskcache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "kgraph"


def test_built_once_then_read_back(cache: Path) -> None:
    calls = []

    def build() -> list[str]:
        calls.append(1)
        return ["乡镇", "街道"]

    def valid(v: object) -> bool:
        return isinstance(v, list)

    assert diskcache.load_or_build("words", "k1", build, valid) == ["乡镇", "街道"]
    assert diskcache.load_or_build("words", "k1", build, valid) == ["乡镇", "街道"]
    assert len(calls) == 1
    assert (cache / "words-k1.pickle").is_file()


def test_an_invalid_or_unreadable_table_is_rebuilt(cache: Path) -> None:
    cache.mkdir(parents=True)
    (cache / "words-k1.pickle").write_bytes(b"not a pickle")
    assert diskcache.load_or_build("words", "k1", lambda: [1], lambda v: True) == [1]
    # a table the caller no longer accepts (its shape changed) is built again
    assert diskcache.load_or_build("words", "k1", lambda: [2], lambda v: v == [2]) == [
        2
    ]


def test_writing_a_key_keeps_only_the_newest_others(cache: Path) -> None:
    for i in range(5):
        diskcache.load_or_build("words", f"k{i}", lambda: [0], lambda v: True)
        path = cache / f"words-k{i}.pickle"
        os.utime(path, (1_000_000 + i, 1_000_000 + i))  # k0 oldest
    diskcache.load_or_build("other", "k0", lambda: [0], lambda v: True)
    left = sorted(p.name for p in cache.iterdir())
    # k4 was written last; of the others, the newest two stay; another
    # table's files are not touched
    assert diskcache.KEEP_OTHERS == 2
    assert left == [
        "other-k0.pickle",
        "words-k2.pickle",
        "words-k3.pickle",
        "words-k4.pickle",
    ]
