"""Raw decoded text → clean simplified text, plus the spans we could not repair.

The seed speeches are scraped from the web: traditional characters with a
pinyin gloss after many of them (``統(tǒng)一``), doubled punctuation (``,,``
``,。``), page furniture (``首頁 |``, ``相關信息: |``), and mojibake where a
UTF-8 page was once decoded as GBK (``重大;繁ㄊ鹿誓芰Σ``).  PDF extractions add
page numbers and hard line breaks inside sentences.

:func:`clean_text` repairs what can be repaired and *flags* (never guesses at,
never deletes) what cannot, as :class:`~kgraph.model.Span` offsets into the
returned text.  It is a pure function: no printing, no global state apart from
lazily built, read-only tables.

The order of the steps matters; each step says why it sits where it does.
Why one module of this size: the eight steps are one pipeline whose order is
the design — :func:`clean_text` lists them with the reason for each place,
and the steps share the character classes and the lost-character sentinel.
Split into modules, that ordering argument would be scattered.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from kgraph.encoding import cjk_encoded
from kgraph.model import Span
from kgraph.ruleset import behind_initials

__all__ = ["CleanText", "clean_text"]


@dataclass
class CleanText:
    text: str
    flags: list[Span] = field(default_factory=list)
    converted: bool = False  # OpenCC changed something (traditional → simplified)
    removed: dict[str, int] = field(default_factory=dict)  # what was removed, by kind


# Every key is always present so callers can index without .get().
REMOVED_KEYS = (
    "entities",  # HTML entities / leftover inline tags
    "zero_width",
    "control",
    "pinyin",  # pinyin glosses in brackets
    "chrome_lines",  # page furniture: 首页 |, 相关信息, 免责声明 …
    "spam_lines",  # betting / casino advertising
    "code_lines",  # CSS / JavaScript fragments
    "page_numbers",  # PDF page numbers
    "watermarks",  # site watermarks inside sentences
    "urls",
    "line_breaks",  # PDF hard line breaks joined
    "punct",  # stacked punctuation characters dropped
)

# --------------------------------------------------------------------------
# character classes

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Marks a character that stands for a lost one (``F(xiàn)實``) until the end of
# cleaning, so its offset survives every later step.  Any U+FFFC in the input
# is turned into U+FFFD first (both mean "something was here").
_SENTINEL = "\ufffc"

# --------------------------------------------------------------------------
# data files


def _lexicon_lines(name: str) -> list[str]:
    text = resources.files("kgraph.lexicons").joinpath(name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    return frozenset(ln.strip() for ln in _lexicon_lines("pinyin_syllables.tsv"))


@lru_cache(maxsize=1)
def _page_chrome() -> tuple[tuple[str, ...], tuple[str, ...]]:
    prefixes: list[str] = []
    spam: list[str] = []
    for ln in _lexicon_lines("page_chrome.tsv"):
        kind, _, value = ln.partition("\t")
        (prefixes if kind == "prefix" else spam if kind == "spam" else []).append(
            value.strip()
        )
    return tuple(prefixes), tuple(spam)


@lru_cache(maxsize=1)
def _chrome_re() -> re.Pattern[str]:
    prefixes, _ = _page_chrome()
    alts = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    # The prefix must be followed by nothing, a colon, a space, | or > — so
    # "首页 |" and "相关信息: |" go but a sentence merely starting with the
    # same characters does not.
    return re.compile(rf"^(?:{alts})(?:$|[\s:|>›»】\]])")


@lru_cache(maxsize=1)
def _spam_re() -> re.Pattern[str]:
    _, spam = _page_chrome()
    return re.compile(
        "|".join(re.escape(w) for w in sorted(spam, key=len, reverse=True))
    )


# --------------------------------------------------------------------------
# step 1: HTML leftovers

_ENTITY = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_INLINE_TAG = re.compile(
    r"</?(?:br|p|div|span|strong|b|i|em|font|a)\b[^<>\n]{0,200}>", re.IGNORECASE
)


def _unescape(text: str, removed: dict[str, int]) -> str:
    if "&" in text:
        text, n = _ENTITY.subn(lambda m: html.unescape(m.group()), text)
        removed["entities"] += n
    if "<" in text:
        # A stray <br> in a .txt scrape is a line break; other inline tags vanish.
        text, n = _INLINE_TAG.subn(
            lambda m: "\n" if m.group()[1:3].lower() in ("br", "p ", "p>") else "", text
        )
        removed["entities"] += n
    return text


# --------------------------------------------------------------------------
# step 2: invisible characters and line endings

_ODD_NEWLINES = "\r\x0b\x0c\x85\u2028\u2029"
_ZERO_WIDTH_CHARS = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad"
_CONTROL_CHARS = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
# Lone surrogates (from text decoded with surrogateescape, or built in memory)
# cannot be encoded at all, so OpenCC would fail on them: they become U+FFFD,
# which the mojibake pass flags.
_SURROGATE_CHARS = "\ud800-\udfff"
_NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_ZERO_WIDTH = re.compile(f"[{_ZERO_WIDTH_CHARS}]")
_CONTROL = re.compile(f"[{_CONTROL_CHARS}]")
_SURROGATE = re.compile(f"[{_SURROGATE_CHARS}]")
# Any character this step changes: most texts have none, and one scan for
# them costs what each of the five replacements costs.
_INVISIBLE_ANY = re.compile(
    f"[{_ODD_NEWLINES}{_ZERO_WIDTH_CHARS}{_CONTROL_CHARS}{_SURROGATE_CHARS}{_SENTINEL}]"
)


def _invisible(text: str, removed: dict[str, int]) -> str:
    if _INVISIBLE_ANY.search(text) is None:
        return text
    text = _NEWLINES.sub("\n", text)
    text, removed["zero_width"] = _ZERO_WIDTH.subn("", text)
    text, removed["control"] = _CONTROL.subn("", text)
    text = _SURROGATE.sub("\ufffd", text)
    return text.replace(_SENTINEL, "\ufffd")


# --------------------------------------------------------------------------
# step 3: NFKC, except where it destroys meaning

# NFKC turns full-width ，：；（）！？ digits and letters into ASCII, Kangxi radicals
# and compatibility ideographs (common in PDF extractions) into ordinary
# characters.  But it also turns … into "...", ① into "1", Ⅰ级 into "I级", ㎡
# into "m2" and ⒀ into "(13)" — those keep their own form.
_NFKC_KEEP = re.compile(
    "([\u00b2\u00b3\u00b9\u2025\u2026\u2070-\u209f\u2150-\u218f\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf\u3380-\u33ff])"
)


def _nfkc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    parts = _NFKC_KEEP.split(text)
    parts[0::2] = [unicodedata.normalize("NFKC", p) for p in parts[0::2]]
    return "".join(parts)


# --------------------------------------------------------------------------
# step 4: pinyin glosses
#
# Done BEFORE OpenCC: a gloss between two characters hides the phrase from
# OpenCC's phrase table, e.g. 顯(xiǎn)著 → 显(xiǎn)着 (wrong) but 顯著 → 显著.

_LATIN = "A-Za-z\u00c0-\u024f\u0300-\u036f"
_GLOSS = rf"[{_LATIN}'\- 1-5]{{1,16}}"
# Each pattern starts with what it consumes and checks the character before
# it by a lookbehind placed after: a leading lookbehind is tried at every
# position, a leading literal or class lets re skip ahead (30× faster here).
_PINYIN_RUN = re.compile(rf"(\((?<=[{_CJK}]\()(?:{_GLOSS})\)(?:\({_GLOSS}\))*)")
_GLOSS_GROUP = re.compile(r"\(([^()]*)\)")
# A character lost in scraping, left as an ASCII letter or "?" followed by its
# gloss: 反思,F(xiàn)實 — 擔當?shù)闹 (the "(" was lost too).  Unrepairable: the gloss
# goes, the placeholder stays and is flagged.
_LOST_LETTER = re.compile(
    rf"([A-Za-z])(?<![A-Za-z0-9][A-Za-z])\(({_GLOSS})\)(?=[{_CJK}])"
)
_LOST_QMARK = re.compile(rf"([?\ufffd])(?<=[{_CJK}][?\ufffd])(\()?({_GLOSS})\)")
# What _LOST_LETTER needs, found from the "(" (re scans for a literal far
# faster than for a character class): most texts have no letter before a "(".
_LETTER_PAREN = re.compile(r"\((?<=[A-Za-z]\()")
_TONE_MARKS = frozenset("\u0300\u0301\u0304\u030c")
_SEPARATORS = re.compile(r"[\s'\-]+")


@functools.lru_cache(maxsize=8192)
def _is_pinyin(gloss: str, *, need_tone: bool = False) -> bool:
    """1–2 real pinyin syllables, with or without tone marks/digits, ü or v.

    Toneless single letters ``(a)`` and all-capital words ``(AN)`` are list
    markers and acronyms, not glosses.
    """
    s = gloss.strip()
    if not s:
        return False
    decomposed = unicodedata.normalize("NFD", s)
    toned = any(c in _TONE_MARKS for c in decomposed) or s[-1] in "12345"
    if need_tone and not toned:
        return False
    if not toned and (len(s) < 2 or (s.isupper() and len(s) > 1)):
        return False
    plain = decomposed.lower().replace("u\u0308", "v")
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = _SEPARATORS.sub("", re.sub(r"(?<=[a-z])[1-5]", "", plain))
    if not plain.isascii() or not plain.isalpha():
        return False
    syl = _pinyin_syllables()
    if plain in syl:
        return True
    return any(plain[:i] in syl and plain[i:] in syl for i in range(1, len(plain)))


def _strip_pinyin(text: str, removed: dict[str, int]) -> str:
    if "(" not in text and ")" not in text:
        return text
    count = 0

    def lost_letter(m: re.Match[str]) -> str:
        nonlocal count
        if not _is_pinyin(m.group(2)):
            return m.group()
        count += 1
        return m.group(1) + _SENTINEL

    def lost_qmark(m: re.Match[str]) -> str:
        nonlocal count
        # Without the "(" only a toned gloss is convincing evidence.
        if not _is_pinyin(m.group(3), need_tone=m.group(2) is None):
            return m.group()
        count += 1
        return m.group(1) + _SENTINEL

    def gloss_run(m: re.Match[str]) -> str:
        nonlocal count
        groups = _GLOSS_GROUP.findall(m.group())
        kept = 0
        while kept < len(groups) and _is_pinyin(groups[kept]):
            kept += 1
        count += kept
        return "".join(f"({g})" for g in groups[kept:])

    if _LETTER_PAREN.search(text):
        text = _LOST_LETTER.sub(lost_letter, text)
    if "?" in text or "\ufffd" in text:
        text = _LOST_QMARK.sub(lost_qmark, text)
    text = _PINYIN_RUN.sub(gloss_run, text)
    removed["pinyin"] += count
    return text


# --------------------------------------------------------------------------
# step 5: traditional → simplified
#
# tw2s, not t2s: t2s leaves 著 unconverted in 著力/隨著.  After the pinyin pass
# (see above) and before the line rules, whose word lists are simplified.

_opencc = None


def _to_simplified(text: str) -> str:
    global _opencc
    if _opencc is None:
        import opencc

        _opencc = opencc.OpenCC("tw2s")
    converted: str = _opencc.convert(text)
    return converted


# --------------------------------------------------------------------------
# step 6: line rules (chrome, spam, code, page numbers, watermarks, URLs)

_SEPARATOR_LINE = re.compile(r"^[\s|｜\-=_*~·•.#<>/\\{}();,]*$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–_·]\s*\d{1,4}\s*[-—–_·]"
    r"|第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,/]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_CODE = re.compile(
    r"\{[^{}\n]*:[^{}\n]*;[^{}\n]*\}?"
    r"|\bfunction\s*[A-Za-z_$]?[\w$]*\s*\("
    r"|\b(?:var|let|const)\s+[A-Za-z_$][\w$]*\s*="
    r"|\b(?:document|window)\.[A-Za-z]"
    r"|^\s*[.#@]?[A-Za-z][A-Za-z0-9_\-\s,.#:>]*\{"
    r"|^\s*[A-Za-z-]+\s*:\s*[^;\n]+;\s*$"
    r"|</?script|\$\(|\bjQuery\b",
    re.ASCII,
)
_CJK_CHAR = re.compile(f"[{_CJK}]")

_WATERMARKS = (
    # (来源:www.example.com) 【第一范文网】 [本文转载自…网]
    re.compile(
        r"[【\[(]\s*[^【】\[\]()\n]{0,30}?(?:https?://|www\.|\.com|\.cn|\.net|范文|文库|转载|网络整理|来源于|摘自)"
        r"[^【】\[\]()\n]{0,40}?[】\])]",
        re.IGNORECASE,
    ),
    re.compile(
        r"本文(?:来源|来自|转载自|摘自|由)(?:于)?[:]?\s*[^\s,。;!?]{0,20}?(?:网|网站|\.com|\.cn|\.net)(?:整理|收集|编辑|提供|发布)?",
        re.IGNORECASE,
    ),
    re.compile(r"转载请注明(?:出处|来源)(?:[:]\s*[A-Za-z0-9./:_\-]+)?[。,]?"),
    re.compile(
        r"更多(?:精彩)?(?:范文|内容|资料|文章)?请(?:访问|关注|登录)[:]?\s*[^\s,。;]{0,30}?(?:网|\.com|\.cn|\.net)",
        re.IGNORECASE,
    ),
    re.compile(rf"[{_CJK}]{{2,6}}(?:范文|文库|文秘|公文)网"),
)
# these two behind a lookahead for their first characters (see behind_initials;
# under IGNORECASE the lookahead ignores case too, so no match is lost)
_URL = re.compile(
    behind_initials(
        r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+"
        r"|\b[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?:com|cn|net|org|cc|top)\b(?:/[A-Za-z0-9\-._~/?#=&%]*)?"
    ),
    re.IGNORECASE | re.ASCII,
)
_URL_TRAIL = ".,;:!?'"
_EMPTY_BRACKETS = re.compile(
    behind_initials(
        r"\(\s*\)|【\s*】|\[\s*\]|(?:来源|来自|网址|原文链接)[:]\s*(?=[\s)】\]]|$)"
    )
)

_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十百零〇]+[、.]"
    r"|[(]\s*[一二三四五六七八九十百零〇\d]{1,3}\s*[)]"
    r"|\d{1,2}[.、)](?!\d)"
    r"|第[一二三四五六七八九十百零〇\d]+[章节条部分篇]"
    r"|[\u2460-\u2473\u2776-\u277f]"
    r"|【)"
)
_FINAL = "。!?！？;；:：…"
_CLOSERS = "”’」』)）"
_CONTINUES = re.compile(rf"^[{_CJK}0-9“《(]")


def _url_sub(m: re.Match[str]) -> str:
    url = m.group()
    trail = len(url) - len(url.rstrip(_URL_TRAIL))
    return url[len(url) - trail :] if trail else ""


# Every watermark pattern needs one of these: lines without any (nearly all)
# skip the five substitutions.
_HINT_ASCII = r"https?://|www\.|\.com|\.cn|\.net"  # each holds "." or "://"
_HINT_CJK = "范文|文库|文秘|公文|转载|网络整理|来源于|摘自|本文|更多"
_WATERMARK_HINT = re.compile(
    behind_initials(f"{_HINT_ASCII}|{_HINT_CJK}", ignorecase=True),
    re.IGNORECASE,
)
# The hints that are not ASCII, compiled without IGNORECASE, under which re
# scans for their first characters instead of trying every position (a line
# without "." or "://" can hold no other).
_WATERMARK_HINT_CJK = re.compile(_HINT_CJK)


def _watermark_hint(line: str) -> bool:
    """Whether ``line`` holds a _WATERMARK_HINT (same answer, found faster)."""
    if "." in line or "://" in line:
        return _WATERMARK_HINT.search(line) is not None
    return _WATERMARK_HINT_CJK.search(line) is not None


def _inline(line: str, removed: dict[str, int]) -> str:
    if _watermark_hint(line):
        for pat in _WATERMARKS:
            line, n = pat.subn("", line)
            removed["watermarks"] += n
    if "www" in line or "://" in line or "." in line:
        line, n = _URL.subn(_url_sub, line)
        if n:
            removed["urls"] += n
            line = _EMPTY_BRACKETS.sub("", line)
    return line


def _may_be_code(line: str) -> bool:
    """What each _CODE alternative needs (a brace, "<", "$(", one of its
    words, or a line opening on a letter with ":" and ";"): a few C-speed
    finds rule out nearly every line before _CODE is tried.  ``line`` is
    stripped, as _lines gives it (the CSS-rule alternative allows leading
    space)."""
    return (
        "{" in line
        or "<" in line
        or "$(" in line
        or "jQuery" in line
        or "function" in line
        or "document." in line
        or "window." in line
        or ("=" in line and ("var" in line or "let" in line or "const" in line))
        or (
            ";" in line
            and ":" in line
            and ("A" <= line[:1] <= "Z" or "a" <= line[:1] <= "z" or line[:1] == "-")
        )
    )


def _is_code(line: str) -> bool:
    if not _may_be_code(line) or not _CODE.search(line):
        return False
    visible = sum(1 for c in line if not c.isspace())
    return len(_CJK_CHAR.findall(line)) < 0.5 * visible


def _ends_sentence(line: str) -> bool:
    last = line[-1]
    if last in _FINAL:
        return True
    return last in _CLOSERS and len(line) > 1 and line[-2] in _FINAL


_PAGE_BREAK = object()


def _lines(text: str, removed: dict[str, int]) -> str:
    chrome = _chrome_re()
    spam = _spam_re()
    kept: list[object] = []
    # a line has two spam words only if the text has one
    spammy = spam.search(text) is not None
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            kept.append("")
        elif _PAGE_NUMBER.match(line):
            removed["page_numbers"] += 1
            kept.append(_PAGE_BREAK)
        elif _SEPARATOR_LINE.match(line) or chrome.match(line):
            removed["chrome_lines"] += 1
        elif spammy and len(set(spam.findall(line))) >= 2:
            removed["spam_lines"] += 1
        elif _is_code(line):
            removed["code_lines"] += 1
        else:
            line = _inline(line, removed).strip()
            if line and not _SEPARATOR_LINE.match(line):
                kept.append(line)

    # Blank lines next to a page number were page layout, not paragraphs;
    # runs of blank lines become one.
    lines: list[str] = []
    after_break = False
    for item in kept:
        if item is _PAGE_BREAK:
            while lines and lines[-1] == "":
                lines.pop()
            after_break = True
        elif item == "":
            if not (after_break or not lines or lines[-1] == ""):
                lines.append("")
        else:
            after_break = False
            lines.append(item)  # type: ignore[arg-type]
    lines = _join_hard_breaks(lines, removed)
    return "\n".join(lines).strip("\n")


def _join_hard_breaks(lines: list[str], removed: dict[str, int]) -> list[str]:
    """Join PDF lines broken inside a sentence.

    Only when the document looks like a PDF extraction: at least three lines
    (and 40 % of the body lines) stop without sentence-final punctuation.  A
    web page has one line per paragraph and a few titles, which must stay.
    A line is joined to the next when it is near the typical width of the
    broken lines, neither is a heading, and the next starts with a character.
    """
    body = [ln for ln in lines if ln and not _HEADING.match(ln)]
    open_lines = [ln for ln in body if len(ln) >= 10 and not _ends_sentence(ln)]
    if len(open_lines) < 3 or len(open_lines) < 0.4 * len(body):
        return lines
    width = 0.8 * statistics.median(len(ln) for ln in open_lines)
    out: list[str] = []
    last = ""  # the previous physical line (out[-1] may be several joined)
    for ln in lines:
        prev = out[-1] if out else ""
        if (
            prev
            and ln
            and len(last) >= width
            and not _ends_sentence(prev)
            and not _HEADING.match(prev)
            and not _HEADING.match(ln)
            and _CONTINUES.match(ln)
        ):
            out[-1] = prev + ln
            removed["line_breaks"] += 1
        else:
            out.append(ln)
        last = ln
    return out


# --------------------------------------------------------------------------
# step 7: stacked punctuation
#
# After the line rules, because removing a URL or watermark can leave ",,".
# In a run of , ; 、 。 the strongest mark wins: ,。→。  ,、→、  、,→、  ,,→,

_STACK_CHARS = ",;、。"
_STACK = re.compile(f"[{_STACK_CHARS}]{{2,}}")
# A stack opens with one of the four and another after it: four scans for a
# literal (a tight loop in re) cost a quarter of one scan for the class, and
# most texts have no stack.
_STACK_OPENERS = tuple(
    re.compile(f"{re.escape(c)}[{_STACK_CHARS}]") for c in _STACK_CHARS
)
_RANK = {",": 0, "、": 1, ";": 2, "。": 3}
_SPACES = re.compile(r"[ \t]{2,}")


def _punct(text: str, removed: dict[str, int]) -> str:
    def best(m: re.Match[str]) -> str:
        run = m.group()
        removed["punct"] += len(run) - 1
        return max(run, key=_RANK.__getitem__)

    if any(opener.search(text) for opener in _STACK_OPENERS):
        text = _STACK.sub(best, text)
    # a run of spaces/tabs needs "  " or a tab: two C-speed finds, not a scan by re
    if "  " not in text and "\t" not in text:
        return text
    return _SPACES.sub(" ", text)


# --------------------------------------------------------------------------
# step 8: mojibake flags
#
# Run last, on the final text, so the spans are offsets into it.  A suspect
# character is "strong" (cannot occur in clean simplified Chinese: U+FFFD,
# private use, bopomofo, Greek/Cyrillic/accented Latin inside CJK text, box
# drawing, half-width katakana, a CJK character outside GB2312, a lost
# character) or "weak" (rare but legal: GB2312 level-2 characters, ⒀-style
# enclosed numbers, hangul, "?" glued to CJK, a lone ASCII letter between
# non-ASCII characters).  Suspects no more than 3 characters apart on one line
# form a cluster; a cluster with two or more suspects of which at least one is
# strong — or any U+FFFD / private-use character — is flagged.

_GAP = 3


@lru_cache(maxsize=1)
def _suspect_res() -> tuple[re.Pattern[str], ...]:
    """(any suspect character, definite, strong, "?" glued to CJK, lone letter).

    Separate patterns rather than one alternation of named groups: each starts
    with a plain character class or literal, which ``re`` scans for at C
    speed; the alternation (with lookbehinds first) was tried at every
    position and cost 6× more.
    """
    gb = cjk_encoded("gb2312")
    level2 = [ch for ch, b in gb.items() if b[0] >= 0xD8]
    definite = "\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff"
    strong = (
        definite
        + _SENTINEL
        + "\u3100-\u312f\u31a0-\u31bf\u0370-\u03ff\u0400-\u04ff\u2500-\u257f"
        + "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\uff61-\uff9f\u3400-\u4dbf\U00020000-\U0003134f"
        + _gaps(0x4E00, [ord(ch) for ch in gb], 0xA000)
    )
    weak = "\u2460-\u24ff\uac00-\ud7af" + _ranges(level2)
    return (
        re.compile(f"[{strong}{weak}]"),
        re.compile(f"[{definite}]"),
        re.compile(f"[{strong}]"),
        re.compile(
            rf"\?(?:(?<=[{_CJK}]\?)(?=[{_CJK}、,;)])|(?<=[、,;]\?)(?=[{_CJK}]))"
        ),
        re.compile(r"[A-Za-z](?<=[^\x00-\x7f\n][A-Za-z])(?=[^\x00-\x7f\n])"),
    )


def _gaps(start: int, points: list[int], stop: int) -> str:
    """The code points of ``range(start, stop)`` missing from the ascending
    ``points`` (all inside it), as :func:`_ranges` writes them: walking the
    few points present, not the many absent."""
    out: list[str] = []
    for cp in (*points, stop):
        if cp > start:
            last = cp - 1
            out.append(chr(start) if start == last else f"{chr(start)}-{chr(last)}")
        start = cp + 1
    return "".join(out)


def _ranges(chars: list[str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(chars):
        j = i
        while j + 1 < len(chars) and ord(chars[j + 1]) == ord(chars[j]) + 1:
            j += 1
        out.append(chars[i] if i == j else f"{chars[i]}-{chars[j]}")
        i = j + 1
    return "".join(out)


def _mojibake(text: str, lost: list[int]) -> list[Span]:
    suspect, definite, strong, glued_qmark, lone_letter = _suspect_res()
    found: dict[int, int] = {p: 2 for p in lost}
    for m in suspect.finditer(text):
        c = m.group()
        level = 3 if definite.match(c) else 2 if strong.match(c) else 1
        found[m.start()] = max(found.get(m.start(), 0), level)
    for m in itertools.chain(glued_qmark.finditer(text), lone_letter.finditer(text)):
        found.setdefault(m.start(), 1)  # weak
    spans: list[Span] = []
    cluster: list[tuple[int, int]] = []

    def close() -> None:
        if not cluster:
            return
        levels = [lv for _, lv in cluster]
        if max(levels) == 3 or (len(cluster) >= 2 and max(levels) >= 2):
            spans.append(Span(cluster[0][0], cluster[-1][0] + 1, "mojibake"))

    for pos in sorted(found):
        if cluster and (
            pos - cluster[-1][0] > _GAP or "\n" in text[cluster[-1][0] : pos]
        ):
            close()
            cluster = []
        cluster.append((pos, found[pos]))
    close()
    return spans


def _flags(text: str) -> tuple[str, list[Span]]:
    lost: list[int] = []
    if _SENTINEL in text:
        parts = text.split(_SENTINEL)
        pos = 0
        for part in parts[:-1]:
            pos += len(part)
            lost.append(pos - 1)
        text = "".join(parts)
    moji = _mojibake(text, lost)
    flags = list(moji)
    for p in lost:
        if not any(s.start <= p < s.end for s in moji):
            flags.append(Span(p, p + 1, "lost-character"))
    flags.sort(key=lambda s: (s.start, s.end))
    return text, flags


# --------------------------------------------------------------------------


def clean_text(text: str) -> CleanText:
    """Repair ``text`` and flag what cannot be repaired; see the module docstring."""
    removed = dict.fromkeys(REMOVED_KEYS, 0)
    text = _unescape(text, removed)  # 1: before NFKC so &#65292; is normalised too
    text = _invisible(
        text, removed
    )  # 2: zero-width chars would split pinyin/punct runs
    text = _nfkc(
        text
    )  # 3: full-width （ｔǒｎｇ） and ，， become ASCII for the rules below
    text = _strip_pinyin(text, removed)  # 4: before OpenCC (phrase conversion)
    simplified = _to_simplified(text)  # 5
    converted = simplified != text
    text = _lines(simplified, removed)  # 6: word lists are simplified
    text = _punct(text, removed)  # 7: after URL/watermark removal
    text, flags = _flags(text)  # 8: offsets into the final text
    return CleanText(text=text, flags=flags, converted=converted, removed=removed)
