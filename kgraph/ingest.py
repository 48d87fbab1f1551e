"""Bytes on disk → text.

:func:`read_file` reads a file once, hashes the raw bytes, rejects what is not
a speech (missing, directory, empty, binary, undecodable, too large) with a
one-line :class:`~kgraph.errors.InputError`, detects the encoding (BOMs,
UTF-8, UTF-16 without BOM, GB18030 vs Big5) and strips HTML and Markdown
markup.  :func:`iter_input_files` expands the paths given on the command line.

Encoding detection is deterministic and decodes the whole file once in the
usual case: the GB18030/Big5 decision is made on a sample.
"""

from __future__ import annotations

import codecs
import errno
import functools
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from kgraph import readers
from kgraph.errors import InputError

__all__ = [
    "INPUT_SUFFIXES",
    "InputListing",
    "RawText",
    "html_to_text",
    "iter_input_files",
    "list_inputs",
    "markdown_to_text",
    "not_read_reason",
    "read_file",
]

# What a directory walk reads; see not_read_reason.
INPUT_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"}) | readers.SUFFIXES
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_SAMPLE = 64 * 1024


@dataclass
class RawText:
    text: str
    encoding: str
    sha256: str
    path: str


# --------------------------------------------------------------------------
# reading


def read_file(path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> RawText:
    """The text of one file; ``max_bytes`` bounds the read (``None``: no limit)."""
    p = Path(path)
    data = _read_bytes(p, max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(
            f"{p}: file is empty" if not data else f"{p}: file contains only whitespace"
        )
    document = readers.read_document(
        p, data
    )  # .docx, .pdf, …: the format's own library
    text, encoding = document if document is not None else decode_bytes(data, p)
    if not _BLANK.sub("", text):  # e.g. UTF-16 spaces, or only a BOM
        raise InputError(f"{p}: file contains only whitespace")
    if document is None and _looks_like_html(p, text):
        text = html_to_text(text)
    elif p.suffix.lower() == ".md":
        text = markdown_to_text(text)
    if not _BLANK.sub("", text):
        raise InputError(f"{p}: no text in the file, only markup")
    return RawText(text=text, encoding=encoding, sha256=digest, path=str(p))


def _read_bytes(p: Path, max_bytes: int | None) -> bytes:
    try:
        # stat before opening: opening a FIFO blocks until someone writes to
        # it, and a device (/dev/zero) never ends
        _check_regular(p, os.stat(p))
        # ... and again on what was opened (non-blocking, so a FIFO swapped in
        # meanwhile cannot hang us either)
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            _check_regular(p, st)
            if max_bytes is not None and st.st_size > max_bytes:
                raise InputError(_too_large(p, f"{st.st_size:,} bytes", max_bytes))
            data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror or exc})") from None
    if max_bytes is not None and len(data) > max_bytes:  # grew after stat
        raise InputError(_too_large(p, f"more than {max_bytes:,} bytes", max_bytes))
    return data


def _too_large(p: Path, size: str, limit: int) -> str:
    # A speech is tens of KB; a file of many MB is a dump of many documents
    # and would be extracted as one.
    return f"{p}: file too large to process as one speech ({size}; the limit is {limit:,}): split it, or raise the limit with --max-mb"


def _check_regular(p: Path, st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{p}: is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{p}: not a regular file ({_file_kind(st.st_mode)})")


def _file_kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return name
    return "not a plain file"


_BLANK = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")

# --------------------------------------------------------------------------
# encoding detection

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"PK\x03\x04", "a ZIP archive (.docx/.xlsx are ZIP too)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"%PDF-", "a PDF; extract its text first (e.g. pdftotext)"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip-compressed"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc/.xls)"),
    (b"\x7fELF", "an executable"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)
_BOMS = (
    (
        codecs.BOM_UTF32_LE,
        "utf-32-le",
        "utf-32",
    ),  # before UTF-16 LE: same first two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
# C0 controls other than \t \n \v \f \r, plus DEL.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Return ``(text, encoding name)`` or raise :class:`InputError`."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{path}: binary file ({what}), not text")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), name
            except UnicodeDecodeError:
                raise InputError(
                    f"{path}: starts with a {name} byte-order mark but is not valid {name}"
                ) from None
    # Before the NUL test: UTF-16 has NULs (ASCII text half of them; 一 = U+4E00).
    for by_nul in (True, False):
        text = _try_utf16(data, path, by_nul=by_nul)
        if text is not None:
            return text, "utf-16"
    head = data[:_SAMPLE]
    if b"\x00" in head[:8192] or head.count(b"\x00") > len(head) // 1000:
        raise InputError(f"{path}: binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _nearly_utf8(data)
    if text is not None:
        _reject_binary(text, path)
        return text, "utf-8"
    for codec in _chinese_candidates(data):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        _reject_binary(text, path)
        name = "big5" if codec in ("big5", "cp950") else codec
        _check_plausible(text, name, path)
        return text, name
    raise InputError(
        f"{path}: cannot detect the encoding (not UTF-8, UTF-16, GB18030 or Big5)"
    )


def _nearly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken bytes (a cut-off last character, one bad byte).

    Decoding that as GB18030 would turn the whole file into mojibake; better
    keep it UTF-8 with U+FFFD at the damage, which kgraph.clean flags.  The
    sample is checked first so GB18030/Big5 files are not decoded twice.
    """

    def few_errors(chunk: bytes) -> str | None:
        text = chunk.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        return text if bad <= max(1, len(text) // 1000) else None

    if len(data) > _SAMPLE and few_errors(data[:_SAMPLE]) is None:
        return None
    return few_errors(data)


# A decode guessed from the bytes alone must read as Chinese: EUC-KR Korean
# (and Shift-JIS Japanese) decode as GB18030 without an error, into real,
# even GB2312 level-1, characters that are just rarely used, let alone
# together.  Real speeches and statutes have 80-98% of their characters among
# the 1,000 most frequent; Korean read as GB18030 or Big5 has 15-40%.
PLAUSIBLE_SHARE = 0.6
_MIN_HANZI = 10  # too few characters to judge: let it through


def _check_plausible(text: str, encoding: str, path: str | Path) -> None:
    share, hanzi = frequent_share(text[:_SAMPLE])
    if hanzi >= _MIN_HANZI and share < PLAUSIBLE_SHARE:
        raise InputError(
            f"{path}: decoded as {encoding.upper()} this is not plausible Chinese (only {share:.0%} of its characters are common ones): "
            "probably another encoding (EUC-KR, Shift-JIS?); convert it to UTF-8"
        )


def frequent_share(text: str) -> tuple[float, int]:
    """(share of the Chinese characters of ``text`` that are among the most
    frequent ones, simplified or traditional; number of Chinese characters)."""
    hanzi = len(_HANZI.findall(text))
    return (len(_frequent_chars().findall(text)) / hanzi if hanzi else 0.0), hanzi


@functools.lru_cache(maxsize=1)
def _frequent_chars() -> re.Pattern[str]:
    """``lexicons/common_hanzi.tsv`` (made by scripts/make-common-hanzi) as one character class."""
    name = "common_hanzi.tsv"
    chars: set[str] = set()
    simplified_seen: set[str] = set()
    lines = (
        resources.files("kgraph.lexicons")
        .joinpath(name)
        .read_text(encoding="utf-8")
        .splitlines()
    )
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        simplified, _, traditional = line.partition("\t")
        if (
            len(simplified) != 1
            or not _HANZI.fullmatch(simplified)
            or simplified in simplified_seen
            or not all(_HANZI.match(c) for c in traditional)
        ):
            raise ValueError(
                f"{name}:{n}: want one new Chinese character, a tab and its traditional forms, got {line!r}"
            )
        simplified_seen.add(simplified)
        chars.update(simplified + traditional)
    if len(chars) < 500:
        raise ValueError(
            f"{name}: only {len(chars)} characters; regenerate it with scripts/make-common-hanzi"
        )
    return re.compile("[" + "".join(sorted(chars)) + "]")


def _reject_binary(text: str, path: str | Path) -> None:
    sample = text[:_SAMPLE]
    if len(_CONTROL.findall(sample)) > max(2, len(sample) // 100):
        raise InputError(f"{path}: binary file (too many control characters), not text")


def _try_utf16(data: bytes, path: str | Path, *, by_nul: bool) -> str | None:
    codec = _utf16_without_bom(data, by_nul=by_nul)
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    # Pairs of ASCII letters also look like CJK high bytes (0x61 'a' → U+61xx):
    # accept a NUL-free guess only if the characters are common Chinese ones.
    if (
        not by_nul
        and max(_common_share(text[:_SAMPLE], c) for c in ("gb18030", "big5")) < 0.8
    ):
        return None
    _reject_binary(text, path)
    return text


def _utf16_without_bom(data: bytes, *, by_nul: bool) -> str | None:
    """'utf-16-le'/'utf-16-be' if the bytes look like UTF-16 without a BOM.

    Mostly-ASCII UTF-16 has a NUL in every other byte (``by_nul``).  Chinese
    UTF-16 has few, but its high bytes sit in the CJK block 0x4E–0x9F (or
    0x00/0x20/0x30/0xFF for ASCII, punctuation and full-width forms), which
    GB18030, Big5 and UTF-8 Chinese never do at every other byte.
    """
    head = data[:8192]
    if len(head) < 4 or len(data) % 2:
        return None
    head = head[: len(head) // 2 * 2]
    even, odd = head[0::2], head[1::2]
    half = len(even)
    if by_nul:
        nul_even, nul_odd = even.count(0), odd.count(0)
        if (
            nul_odd > 0.3 * half and nul_even * 4 < nul_odd
        ):  # (一 = U+4E00 has a NUL low byte)
            return "utf-16-le"
        if nul_even > 0.3 * half and nul_odd * 4 < nul_even:
            return "utf-16-be"
        return None

    def cjk_high(bs: bytes) -> bool:
        # Counting by deleting the other bytes (C speed): this runs on every
        # file without a BOM, and a Python loop over 8 KB cost ~1 ms a file.
        cjk = len(bs.translate(None, _NOT_CJK_HIGH))
        other = len(bs.translate(None, _NOT_ASCII_HIGH))
        return cjk > 0.5 * len(bs) and cjk + other > 0.9 * len(bs)

    if cjk_high(odd) and not cjk_high(even):
        return "utf-16-le"
    if cjk_high(even) and not cjk_high(odd):
        return "utf-16-be"
    return None


_NOT_CJK_HIGH = bytes(b for b in range(256) if not 0x4E <= b <= 0x9F)
_NOT_ASCII_HIGH = bytes(b for b in range(256) if b not in (0x00, 0x20, 0x30, 0xFF))


def _chinese_candidates(data: bytes) -> list[str]:
    """GB18030 and Big5 in the order to try, best guess first.

    Both decode most Chinese byte streams without error, so each is scored on
    a sample by the share of characters that are *common* in its own script:
    GB2312 level 1 (bytes B0A1–D7F9, the 3,755 most used simplified
    characters) for GB18030, Big5 level 1 (A440–C67E, 5,401 常用字) for Big5.
    The wrong decoding yields rare characters and loses.
    """
    sample = data[:_SAMPLE]
    scores = {}
    for codec in ("gb18030", "big5"):
        text = _decode_sample(sample, codec)
        scores[codec] = -1.0 if text is None else _common_share(text, codec)
    order = sorted(scores, key=lambda c: (-scores[c], c != "gb18030"))
    if "big5" in order:
        order.insert(order.index("big5") + 1, "cp950")  # Windows' Big5 superset
    return order


def _decode_sample(sample: bytes, codec: str) -> str | None:
    # The sample may end inside a multi-byte character: drop up to 3 bytes.
    for cut in range(4):
        try:
            return sample[: len(sample) - cut].decode(codec)
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 4:
                return None
    return None


def _common_share(text: str, codec: str) -> float:
    hanzi = len(_HANZI.findall(text))
    return len(_common_chars(codec).findall(text)) / hanzi if hanzi else 0.0


_HANZI = re.compile("[\u4e00-\u9fff]")


@functools.lru_cache(maxsize=2)
def _common_chars(codec: str) -> re.Pattern[str]:
    """The level-1 characters of GB2312 or Big5 as one character class
    (encoding each character of every file cost ~2 ms a file)."""
    lo, hi = (
        (b"\xb0\xa1", b"\xd7\xf9") if codec == "gb18030" else (b"\xa4\x40", b"\xc6\x7e")
    )
    common = [
        ch
        for ch, b in cjk_encoded("gb2312" if codec == "gb18030" else "big5").items()
        if lo <= b <= hi
    ]
    return re.compile("[" + "".join(common) + "]")


@functools.lru_cache(maxsize=2)
def cjk_encoded(codec: str) -> dict[str, bytes]:
    """Every CJK unified ideograph (U+4E00–U+9FFF) ``codec`` can encode → its
    bytes, in code point order; where a character sits in GB2312 or Big5 tells
    how common it is (here, and in the cleaner's mojibake check)."""
    table = {}
    for cp in range(0x4E00, 0xA000):
        try:
            table[chr(cp)] = chr(cp).encode(codec)
        except UnicodeEncodeError:
            pass
    return table


# --------------------------------------------------------------------------
# markup


def _looks_like_html(p: Path, text: str) -> bool:
    if p.suffix.lower() in (".html", ".htm"):
        return True
    head = text[:512].lstrip("\ufeff \t\r\n").lower()
    return head.startswith("<!doctype html") or head.startswith("<html")


_BLOCK_TAGS = frozenset(
    ["address", "article", "blockquote", "body", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul"]
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

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _DROP_TAGS:
            self.drop += 1
        elif tag in _CHROME_TAGS:
            self.chrome += 1
        if tag in _BLOCK_TAGS or tag in _CHROME_TAGS:
            self._emit("\n")
        elif tag in _CELL_TAGS:
            self._emit(" ")

    def handle_startendtag(self, tag: str, attrs) -> None:
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
    if not _BLANK.sub("", text):  # an unclosed <nav> swallowed everything
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


# --------------------------------------------------------------------------
# input paths


@dataclass
class InputListing:
    """What the paths given on the command line hold: the files to read, in
    order, and every file that will not be read with the reason, one line each."""

    files: list[Path]
    not_read: list[tuple[str, str]]


def not_read_reason(path: Path) -> str | None:
    """Why a file met in a directory is not read (``None``: it is).

    The one place that decides which file types kgraph reads: a reader for
    a new type adds its suffix to :data:`INPUT_SUFFIXES`.
    """
    suffix = path.suffix.lower()
    if suffix in INPUT_SUFFIXES:
        return None
    readable = " ".join(sorted(INPUT_SUFFIXES))
    return (
        f"not a supported file type ({suffix or 'no suffix'}; kgraph reads {readable})"
    )


def list_inputs(paths: Iterable[str | Path] | str | Path) -> InputListing:
    """Files to process: explicit files as given (whatever their suffix),
    directories expanded.

    Directories are walked recursively in sorted order, keeping the files
    :func:`not_read_reason` accepts and skipping hidden files and
    directories.  Symlinked directories are followed once (a loop is not
    walked twice); a file reached twice is listed once.  A path that does
    not exist, a FIFO or device, a broken link, a link loop, a file of
    another type, a directory that cannot be listed: each goes to
    ``not_read`` with its reason, and the rest is still listed.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    listing = InputListing([], [])
    seen_dirs: set[Path] = set()
    seen_files: set[Path] = set()
    for given in paths:
        _classify(Path(given), seen_dirs, seen_files, listing, walked=False)
    return listing


def iter_input_files(paths: Iterable[str | Path] | str | Path) -> Iterator[Path]:
    """The files of :func:`list_inputs`; a path that does not exist raises
    :class:`InputError`, other files not read are left out."""
    listing = list_inputs(paths)
    for path, reason in listing.not_read:
        if reason.endswith("no such file or directory"):
            raise InputError(reason)
    yield from listing.files


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    return exc.strerror.lower() if exc.strerror else str(exc)


def _first_time(p: Path, seen: set[Path]) -> bool:
    key = p.resolve()
    if key in seen:
        return False
    seen.add(key)
    return True


def _walk(
    directory: Path, seen_dirs: set[Path], seen_files: set[Path], listing: InputListing
) -> None:
    if not _first_time(directory, seen_dirs):
        return  # a link back to a directory already walked
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        listing.not_read.append(
            (
                str(directory),
                f"{directory}: cannot list the directory ({_os_reason(exc)})",
            )
        )
        return
    for entry in entries:
        if not entry.name.startswith("."):
            _classify(Path(entry.path), seen_dirs, seen_files, listing, walked=True)


def _classify(
    path: Path,
    seen_dirs: set[Path],
    seen_files: set[Path],
    listing: InputListing,
    *,
    walked: bool,
) -> None:
    """Put one path where it belongs: a directory is walked, a regular file
    listed, anything else goes to ``not_read`` with its reason.  A file met
    in a directory (``walked``) must also be of a type kgraph reads; one
    named on the command line is read whatever its suffix."""
    try:
        st = path.stat()  # follows links; never opens (a FIFO would block)
    except FileNotFoundError:
        why = "broken symlink" if path.is_symlink() else "no such file or directory"
        listing.not_read.append((str(path), f"{path}: {why}"))
        return
    except OSError as exc:
        listing.not_read.append((str(path), f"{path}: {_os_reason(exc)}"))
        return
    if stat.S_ISDIR(st.st_mode):
        _walk(path, seen_dirs, seen_files, listing)
    elif not stat.S_ISREG(st.st_mode):
        listing.not_read.append(
            (str(path), f"{path}: not a regular file ({_file_kind(st.st_mode)})")
        )
    elif walked and (reason := not_read_reason(path)) is not None:
        listing.not_read.append((str(path), f"{path}: {reason}"))
    elif _first_time(path, seen_files):
        listing.files.append(path)
