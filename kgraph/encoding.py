"""Bytes → text: which encoding a speech file is in.

BOMs, UTF-8 (and nearly UTF-8), UTF-16 without BOM, and GB18030 vs Big5
decided on a sample by how common the characters are in each; binary files
are recognised by their magic numbers and refused with a one-line
:class:`~kgraph.errors.InputError`.  Deterministic, and the whole file is
decoded once in the usual case.
"""

from __future__ import annotations

import codecs
import functools
import re
from importlib import resources
from pathlib import Path

from kgraph import diskcache
from kgraph.errors import InputError

_SAMPLE = 64 * 1024

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
    hanzi = _hanzi_count(text)
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


def warm_up() -> None:
    """Build the character classes the decoder otherwise makes on the first
    non-UTF-8 file (a build makes them before forking, so workers share them)."""
    _frequent_chars()
    for codec in ("gb18030", "big5"):
        _common_chars(codec)
    for codec in ("gb18030", "big5", "cp950"):
        codecs.lookup(codec)  # imports the codec's module


def _common_share(text: str, codec: str) -> float:
    hanzi = _hanzi_count(text)
    return len(_common_chars(codec).findall(text)) / hanzi if hanzi else 0.0


_HANZI = re.compile("[\u4e00-\u9fff]")
# U+4E00-U+9FFF in UTF-8: lead byte E5-E9, or E4 then B8-BF (a lead byte is
# never a continuation byte, so each is counted once)
_HANZI_UTF8 = [bytes([b]) for b in range(0xE5, 0xEA)] + [
    bytes([0xE4, b]) for b in range(0xB8, 0xC0)
]


def _hanzi_count(text: str) -> int:
    """How many characters of ``text`` match _HANZI, counted in its UTF-8
    bytes at C speed (findall built a string per character)."""
    data = text.encode("utf-8", "surrogatepass")
    return sum(data.count(b) for b in _HANZI_UTF8)


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
    # the codecs' tables are built into Python: one table per Python (and
    # version of this module), read back in a fraction of the time it takes
    # to make, by every build's warm-up after the first
    return diskcache.load_or_build(
        f"cjk-{codec}",
        diskcache.code_key(__file__),
        lambda: _encode_cjk(codec),
        lambda v: isinstance(v, dict) and bool(v),
    )


def _encode_cjk(codec: str) -> dict[str, bytes]:
    # "?" stands for a character the codec lacks (no ideograph is encoded as
    # it): two in three of them are missing from GB2312, and raising and
    # catching an error for each was most of the cost
    encode = codecs.getencoder(codec)
    table = {}
    for cp in range(0x4E00, 0xA000):
        ch = chr(cp)
        data = encode(ch, "replace")[0]
        if data != b"?":
            table[ch] = data
    return table
