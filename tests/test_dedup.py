"""A repost of a seed speech in other page chrome is folded as a copy."""

from __future__ import annotations

from pathlib import Path

from kgraph.dedup import near_duplicates
from kgraph.pipeline import process_file, process_text

SEEDS = sorted(
    (Path(__file__).resolve().parent.parent / "data" / "speeches").glob("*.txt")
)


def test_a_repost_in_other_chrome_is_a_copy_and_other_speeches_are_not():
    seeds = [process_file(p).document for p in SEEDS]
    original = seeds[2]
    raw = Path(original.path).read_text(encoding="utf-8")
    wrapped = (
        "首页 > 新闻中心 > 要闻\n发布时间:2024-06-28 浏览次数:\n"
        + raw
        + "\n打印本文 关闭窗口\n分享到:微信 微博\n"
    )
    repost = process_text(wrapped, "repost").document
    found = near_duplicates([(d.id, d.text) for d in seeds] + [("repost", repost.text)])
    assert found == {"repost": original.id}


def test_a_different_speech_is_not_folded():
    a, b = (process_file(p).document for p in SEEDS[:2])
    assert near_duplicates([(a.id, a.text), (b.id, b.text)]) == {}


def test_sketch_is_the_smallest_distinct_hashes():
    """The sketch partitions out the few smallest hashes instead of sorting
    them all; it must still be np.unique(...)[:SKETCH], also when the smallest
    hashes repeat (a text that says one thing over and over)."""
    import numpy as np

    from kgraph.dedup import SKETCH, _body, _shingle_hashes, _smallest_distinct, sketch

    text = SEEDS[0].read_text(encoding="utf-8")
    hashes = _shingle_hashes(_body(text))
    assert len(hashes) > 4 * SKETCH
    assert sketch(text) == tuple(np.unique(hashes)[:SKETCH].tolist())
    repeated = np.concatenate([np.repeat(hashes[:10], 50), hashes[10:40]])
    assert np.array_equal(
        _smallest_distinct(repeated, SKETCH), np.unique(repeated)[:SKETCH]
    )
