"""Markup → text: the visible text of HTML pages and Markdown files."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

# what is no text at all: whitespace, zero-width characters, a BOM
BLANK = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")


def is_blank(text: str) -> bool:
    """Whether ``text`` holds nothing but :data:`BLANK` (stops at the first
    visible character, where removing the blanks copied the whole text)."""
    return not text or BLANK.fullmatch(text) is not None


def looks_like_html(p: Path, text: str) -> bool:
    if p.suffix.lower() in (".html", ".htm"):
        return True
    head = text[:512].lstrip("\ufeff \t\r\n").lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "blockquote",
        "body",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    ]
)
_CELL_TAGS = frozenset({"td", "th"})
_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "title"})
# Page furniture dropped unless nothing else is left (see html_to_text).
_CHROME_TAGS = frozenset({"nav", "aside", "footer"})
_WS = re.compile(r"[ \t\r\n\f]+")
_CJK_WS = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])[ \t\r\f]*\n[ \t\r\n\f]*(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])"
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities via html.unescape
        self.main: list[str] = []
        self.everything: list[str] = []
        self.drop = 0
        self.chrome = 0

    def _emit(self, s: str) -> None:
        self.everything.append(s)
        if not self.chrome:
            self.main.append(s)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP_TAGS:
            self.drop += 1
        elif tag in _CHROME_TAGS:
            self.chrome += 1
        if tag in _BLOCK_TAGS or tag in _CHROME_TAGS:
            self._emit("\n")
        elif tag in _CELL_TAGS:
            self._emit(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_TAGS:
            self.drop = max(0, self.drop - 1)
        elif tag in _CHROME_TAGS:
            self.chrome = max(0, self.chrome - 1)
        if tag in _BLOCK_TAGS or tag in _CHROME_TAGS:
            self._emit("\n")

    def handle_data(self, data: str) -> None:
        if self.drop:
            return
        # A source line break between two CJK characters is not a space (CSS
        # Text 3 segment-break rule); other whitespace runs render as one space.
        data = _CJK_WS.sub("", data)
        self._emit(_WS.sub(" ", data))


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page: one line per block element."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.main)
    if is_blank(text):  # an unclosed <nav> swallowed everything
        text = "".join(parser.everything)
    lines = (ln.strip() for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln)


_MD_RULES = (
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*", re.MULTILINE), ""),  # # heading
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.MULTILINE), ""),  # > quote
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # ![alt](src)
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),  # [text](url)
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # **strong**
    (
        re.compile(r"(?<![*A-Za-z0-9])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*A-Za-z0-9])"),
        r"\1",
    ),  # *em*
    (
        re.compile(r"(?<![_A-Za-z0-9])_(?=\S)([^_\n]+?)(?<=\S)_(?![_A-Za-z0-9])"),
        r"\1",
    ),  # _em_ (not snake_case)
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # ~~strike~~
)


def markdown_to_text(text: str) -> str:
    """Markdown → plain text: headings, quotes, emphasis and link syntax removed."""
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text
