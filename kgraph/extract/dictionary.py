"""Word lists read from jieba's dictionary (``dict.txt``: word, frequency,
POS tag per line) without importing ``jieba`` or building its tables.

No extractor component lives here, so any module may import it without
changing the pipeline order (components run in import order).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from kgraph import diskcache
from kgraph.ruleset import Cues

T = TypeVar("T")


def _dictionary_path() -> Path:
    spec = importlib.util.find_spec("jieba")  # locates it without importing it
    if spec is None or spec.origin is None:
        raise ImportError("jieba is not installed")
    return Path(spec.origin).parent / "dict.txt"


@functools.lru_cache(maxsize=1)
def jieba_dictionary() -> str:
    """jieba's dict.txt with a newline on each side, read once."""
    return "\n" + _dictionary_path().read_text(encoding="utf-8") + "\n"


# bump when a table derived from the dictionary changes what it holds or how
# it is stored
_DERIVED_VERSION = 2


def derived(
    name: str, inputs: object, build: Callable[[], T], valid: Callable[[object], bool]
) -> T:
    """A table derived from jieba's dictionary (and ``inputs``: the cue words it
    depends on), from the user's cache when this dictionary file and these
    inputs made it before: deriving one reads all 350,000 lines."""
    st = _dictionary_path().stat()
    key = hashlib.sha256(
        repr((st.st_size, int(st.st_mtime), inputs, _DERIVED_VERSION)).encode()
    ).hexdigest()[:16]
    return diskcache.load_or_build(name, key, build, valid)


def function_words(cues: Cues) -> dict[str, str]:
    """Words jieba tags with one of the tags in cue table ``lead_word_tags``
    (verbs, adverbs, pronouns, time words …) → their tag: such a word cannot
    open the name of a body or a field (引起有关部门, 努力实现).  Words of the
    table ``name_words`` (审批, 编制, 自然 …) are left out: bodies are named
    with them (行政审批局, 自然资源局).  ~0.2 s once per cue set."""
    return _tagged(cues)[0]


def _tagged(cues: Cues) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """The function words, the longer dictionary words that start with one
    (开发区 starts with the verb 开发, and is no verb), and the tags for which
    a single character counts."""
    return cues.built("dictionary.tagged", _build_tagged)


def _build_tagged(
    cues: Cues,
) -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    tag_words = cues.words("lead_word_tags")
    keep = set(cues.words("name_words"))
    words, longer = derived(
        "function-words",
        (sorted(tag_words), sorted(keep)),
        lambda: _derive_tagged(tag_words, keep),
        lambda v: isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], dict),
    )
    single = frozenset(cues.words("lead_word_tags_single"))
    return words, longer, single


def _derive_tagged(
    tag_words: Sequence[str], keep: set[str]
) -> tuple[dict[str, str], frozenset[str]]:
    tags = "|".join(re.escape(t) for t in tag_words)
    text = jieba_dictionary()
    rows = re.findall(rf"\n([\u4e00-\u9fff]{{1,4}}) \d+ ({tags})(?=\r?\n)", text)
    words = {w: t for w, t in rows if w not in keep}
    # three- and four-character words in both tables are the same objects, so
    # the cached pickle stores each once and loading it makes a third fewer strings
    same = {w: w for w in words}
    longer = frozenset(
        same.get(w, w)
        for w in re.findall(r"\n([\u4e00-\u9fff]{3,7}) ", text)
        if w[:2] in words or w[:3] in words or w[:4] in words
    )
    return words, longer


def trim_lead(text: str, start: int, end: int, cues: Cues) -> int:
    """Move ``start`` past function words that open ``text[start:end]`` (all
    of it may go: what follows ``end`` is the head of the name)
    (a verb the stop list lacks: 引起, 加大; a pronoun: 我们).  A single
    character is dropped only when it is a function word proper (preposition,
    conjunction, pronoun, particle), not a one-character verb (驻区 keeps 驻)."""
    words, longer, single = _tagged(cues)
    for _ in range(4):
        for n in (4, 3, 2, 1):
            w = text[start : start + n]
            tag = words.get(w) if end - start >= n else None
            if (
                tag is not None
                and (n > 1 or tag in single)
                and not any(
                    text[start : start + k] in longer for k in range(n + 1, n + 4)
                )
            ):
                start += n
                break
        else:
            return start
    return start
