"""What components share: the per-document :class:`Context` they read and
write, and the :func:`component` registry they join.  Components import it
from here (not from the package ``__init__``, which loads them)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kgraph import schema
from kgraph.extract.spans import Spans
from kgraph.lexicon import Entry, Lexicon
from kgraph.model import Document, Evidence, Fact, Mention, Sentence
from kgraph.ruleset import Cues


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    func: Callable[[Context], None]
    rules: tuple[str, ...]
    doc: str
    reads: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()


REGISTRY: dict[str, Component] = {}


def component(
    name: str, rules: Iterable[str]
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register an extractor component that may emit the given rule ids."""

    def register(func: Callable[[Context], None]) -> Callable[[Context], None]:
        REGISTRY[name] = Component(
            name, func, tuple(rules), (func.__doc__ or "").strip().split("\n")[0]
        )
        return func

    return register


def all_rules() -> dict[str, str]:
    """rule id → component name, for documentation and `kgraph rules`."""
    return {rule: c.name for c in REGISTRY.values() for rule in c.rules}


# A document title cited in the text (《国务院关于…的意见》): the bodies and fields
# named inside it are cited, not actors or fields of the text.
CITED_TITLE = re.compile(r"《[^《》]{0,80}》")


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see kgraph.model
class TitleMatch:
    """A title (市委书记) found in the text; officials are anchored on these."""

    start: int
    end: int
    entry: Entry
    surface: str


@dataclass
class Context:
    document: Document
    sentences: list[Sentence]
    lexicon: Lexicon
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    titles: list[TitleMatch] = field(default_factory=list)
    cache: dict = field(default_factory=dict)  # per-document memo shared by components
    # sentence index → its mentions in text order, kept sorted as they come
    # (re-sorting a whole document per mention made big documents quadratic)
    _by_sentence: dict[int, list[tuple[int, int, int, Mention]]] = field(
        default_factory=dict
    )
    _starts: list[int] = field(default_factory=list)
    _added: int = 0
    _citations: Spans | None = None

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.sentences]

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def cues(self) -> Cues:
        return self.lexicon.cues

    def citations(self) -> Spans:
        """The spans of the titles the text cites (《…》), found once per
        document for every component that asks."""
        if self._citations is None:
            self._citations = Spans(
                (m.start(), m.end()) for m in CITED_TITLE.finditer(self.text)
            )
        return self._citations

    def sentence_at(self, offset: int) -> Sentence:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.sentences[max(i, 0)]

    def add_mention(self, mention: Mention) -> bool:
        """Add a mention unless it touches text the cleaner flagged as garbage."""
        if self.document.is_flagged(mention.start, mention.end):
            return False
        self.mentions.append(mention)
        self._added += 1
        bisect.insort(
            self._by_sentence.setdefault(mention.sentence, []),
            (mention.start, -mention.end, self._added, mention),
        )
        return True

    def drop_mentions(self, drop: Callable[[Mention], bool]) -> None:
        """Remove mentions a later component read better (a lexicon body inside a
        longer body found by its shape); facts are not touched."""
        self.mentions = [m for m in self.mentions if not drop(m)]
        for key, found in self._by_sentence.items():
            self._by_sentence[key] = [row for row in found if not drop(row[3])]

    def by_sentence(self, pattern: re.Pattern[str]) -> dict[int, list[re.Match[str]]]:
        """One pass of ``pattern`` over the whole text, its matches grouped by
        sentence index (a match across a sentence end is dropped): far cheaper
        than restarting a pattern per sentence."""
        out: dict[int, list[re.Match[str]]] = {}
        starts, sentences, i = self._starts, self.sentences, 0
        last = len(starts) - 1
        for m in pattern.finditer(self.text):
            at = m.start()
            while (
                i < last and starts[i + 1] <= at
            ):  # matches come in order: walk, not bisect
                i += 1
            sent = sentences[i]
            if m.end() <= sent.end:
                out.setdefault(sent.index, []).append(m)
        return out

    def in_sentence(
        self, sentence: int, kinds: Iterable[str] | None = None
    ) -> list[Mention]:
        """The sentence's mentions in text order (longer first at one start)."""
        found = self._by_sentence.get(sentence)
        if not found:
            return []
        if kinds is None:
            return [row[3] for row in found]
        if isinstance(kinds, (list, tuple)) and len(kinds) == 1:
            # the usual call (["sector"]): no set built per call
            kind = kinds[0]
            return [row[3] for row in found if row[3].kind == kind]
        wanted = kinds if isinstance(kinds, (set, frozenset)) else frozenset(kinds)
        return [row[3] for row in found if row[3].kind in wanted]

    def add_fact(
        self,
        type: str,
        subject: tuple[str, str],
        object: tuple[str, str],
        sentence: Sentence,
        start: int,
        end: int,
        rule: str,
        **attrs: str,
    ) -> Fact:
        evidence = Evidence(
            self.document.id, sentence.index, start, end, rule, sentence.text
        )
        keyed = tuple(sorted((k, v) for k, v in attrs.items() if v))
        fact = Fact(type, subject, object, evidence, keyed)
        self.facts.append(fact)
        return fact


def node_of(mention: Mention) -> tuple[str, str]:
    return schema.MENTION_KINDS[mention.kind], mention.name
