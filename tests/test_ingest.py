"""kgraph.ingest: reading files, encodings, rejection of non-speeches, markup."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from kgraph.encoding import decode_bytes
from kgraph.errors import InputError
from kgraph.ingest import iter_input_files, read_file
from kgraph.markup import html_to_text, markdown_to_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "speeches").glob("*.txt"))
DIRTY = ROOT / "tests" / "fixtures" / "dirty"

# From data/speeches/004, the text of the gb18030/big5 fixtures.
S004_START = "据北京日报消息,4月26日上午,全市安全生产工作会议召开"
S004_START_TW = "據北京日報消息,4月26日上午,全市安全生產工作會議召開"


def test_seeds_are_utf8_and_hashed_from_raw_bytes():
    assert len(SEEDS) == 5
    for path in SEEDS:
        raw = read_file(path)
        assert raw.encoding == "utf-8"
        assert raw.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert raw.path == str(path)
        assert raw.text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name, encoding, start",
    [
        ("gb18030.txt", "gb18030", S004_START),
        ("big5.txt", "big5", S004_START_TW),
        ("utf8_bom.txt", "utf-8-sig", "二、要找问题、思问题,解决问题"),
        ("utf16.txt", "utf-16", "安全生产会议上的领导讲话稿"),
        ("utf16be_nobom.txt", "utf-16", "安全生产会议上的领导讲话稿"),
    ],
)
def test_encodings_detected(name, encoding, start):
    raw = read_file(DIRTY / name)
    assert raw.encoding == encoding
    assert raw.text.startswith(start)
    assert "\ufeff" not in raw.text


def test_gb18030_is_not_taken_for_broken_utf8():
    data = SEEDS[4].read_text(encoding="utf-8").encode("gb18030")
    assert decode_bytes(data)[1] == "gb18030"


def test_gb18030_and_big5_are_not_confused_on_short_text():
    # Short byte strings decode without error both ways; the score decides.
    for sentence in (
        "安全生产责任重于泰山。",
        "市委书记尹力强调,安全稳定是做好首都工作的前提和基础。",
    ):
        assert decode_bytes(sentence.encode("gb18030")) == (sentence, "gb18030")
    for sentence in (
        "安全生產責任重於泰山。",
        "市委書記尹力強調,安全穩定是做好首都工作的前提和基礎。",
    ):
        assert decode_bytes(sentence.encode("big5")) == (sentence, "big5")


def test_utf8_with_a_cut_off_last_character_stays_utf8():
    raw = SEEDS[1].read_bytes()  # 001 ends "谢谢大家!"; cut inside 谢 (3 bytes)
    data = raw[: raw.index("谢谢大家".encode()) + 4]
    text, encoding = decode_bytes(data)
    assert encoding == "utf-8"
    assert text.endswith("谢\ufffd")


def test_utf16_le_without_bom_mostly_ascii():
    text = "Safety first. 安全第一。\n" * 20
    assert decode_bytes(text.encode("utf-16-le")) == (text, "utf-16")


@pytest.mark.parametrize(
    "name, message",
    [
        ("empty.txt", "file is empty"),
        ("whitespace.txt", "only whitespace"),
        ("image.png", "binary file (a PNG image)"),
        ("archive.zip", "binary file (a ZIP archive"),
    ],
)
def test_rejected_fixtures(name, message):
    with pytest.raises(InputError) as exc:
        read_file(DIRTY / name)
    text = str(exc.value)
    assert message in text
    assert str(DIRTY / name) in text
    assert "\n" not in text


def _error(path, **kw) -> str:
    with pytest.raises(InputError) as exc:
        read_file(path, **kw)
    msg = str(exc.value)
    assert "\n" not in msg and str(path) in msg
    return msg


def test_missing_directory_and_too_large(tmp_path):
    assert "no such file" in _error(tmp_path / "nope.txt")
    assert "is a directory" in _error(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes("安全".encode() * 100)
    assert "too large" in _error(big, max_bytes=100)
    assert read_file(big, max_bytes=600).text == "安全" * 100


def test_permission_denied(tmp_path, monkeypatch):
    p = tmp_path / "locked.txt"
    p.write_text("安全生产。", encoding="utf-8")

    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path) == str(p):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)  # chmod 0 does not stop root
    assert "permission denied" in _error(p)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x00\x01\x02\x03" * 50, "binary file"),
        (b"\x00\x00\x00\x01\x00\x00\x00\x02" * 50, "NUL"),
        (
            ("安全生产" + "\x01\x02\x03\x04\x05" * 10).encode() * 20,
            "control characters",
        ),
        (b"caf\xe9 au lait \xe0 la cr\xe8me " * 10, "cannot detect the encoding"),
        (b"\xef\xbb\xbf\xff\xfe\xfd", "not valid utf-8-sig"),
    ],
)
def test_rejected_bytes(tmp_path, data, message):
    p = tmp_path / "x.txt"
    p.write_bytes(data)
    assert message in _error(p)


def test_html_fixture_strips_script_style_comments_and_chrome():
    raw = read_file(DIRTY / "page.html")
    text = raw.text
    assert "市委书记许南吉出席会议并讲话" in text
    for junk in (
        "_hmt",
        "font-family",
        "document.write",
        "广告",
        "正文开始",
        "版权所有",
        "<",
        "&nbsp;",
        "&ldquo;",
    ):
        assert junk not in text
    assert "“三管三必须”" in text  # entities unescaped
    assert "传下去&层层" in text
    assert (
        "要深入学习贯彻习近平总书记关于安全生产的重要论述,认真落实" not in text
    )  # still full-width here
    # source line break between two CJK characters is not a space
    assert "重要论述，认真落实全省安全生产工作会议精神。" in text
    # block elements become lines, the h1 keeps its own line
    assert text.splitlines()[1].startswith("全市安全生产工作会议召开")


def test_html_detected_by_content_without_suffix(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text(
        "<!DOCTYPE html><html><body><p>安全第一。</p><p>预防为主。</p></body></html>",
        encoding="utf-8",
    )
    assert read_file(p).text == "安全第一。\n预防为主。"


def test_html_with_only_markup_is_rejected(tmp_path):
    p = tmp_path / "blank.html"
    p.write_text(
        "<html><head><script>var a = 1;</script></head><body> </body></html>",
        encoding="utf-8",
    )
    assert "only markup" in _error(p)


def test_html_unclosed_nav_does_not_swallow_page():
    assert (
        html_to_text("<nav><p>安全生产是发展的基础。</p>") == "安全生产是发展的基础。"
    )


def test_markdown_fixture():
    text = read_file(DIRTY / "notes.md").text
    assert text.splitlines()[0] == "在全市安全生产工作会议上的讲话"
    assert "一、必须提高思想认识" in text.splitlines()
    assert "安全生产责任重于泰山,务必高度重视。详见安全生产法的规定。" in text
    assert "要坚持刀刃向内、靶向发力。" in text
    assert not any(c in text for c in "#*[]>")


def test_markdown_keeps_snake_case_and_arithmetic():
    assert markdown_to_text("risk_level_2 与 3*4*5") == "risk_level_2 与 3*4*5"


def test_iter_input_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b" / "c.HTML").write_text("x")
    (tmp_path / "b" / "d.md").write_text("x")
    (tmp_path / "b" / "e.pdf").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "f.txt").write_text("x")
    (tmp_path / "b" / "loop").symlink_to(tmp_path, target_is_directory=True)
    explicit = tmp_path / "b" / "e.pdf"
    got = list(iter_input_files([tmp_path, explicit]))
    assert [p.relative_to(tmp_path).as_posix() for p in got] == [
        "a.txt",
        "b/c.HTML",
        "b/d.md",
        "b/e.pdf",
    ]
    assert list(iter_input_files(str(explicit))) == [explicit]


def test_iter_input_files_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        list(iter_input_files([tmp_path / "missing"]))


def test_iter_input_files_on_fixture_dir_skips_binary_suffixes():
    names = [p.name for p in iter_input_files([DIRTY])]
    assert names == sorted(names)
    assert (
        "image.png" not in names
        and "archive.zip" not in names
        and "make_fixtures.py" not in names
    )
    assert {"page.html", "notes.md", "gb18030.txt"} <= set(names)


def test_fifty_megabytes_decode_whole(tmp_path):
    # speed is measured in bench/, not asserted here
    line = "安全生产责任重于泰山,各级各部门要切实扛起政治责任。\n".encode("gb18030")
    p = tmp_path / "big.txt"
    n = 50 * 1024 * 1024 // len(line)
    p.write_bytes(line * n)
    raw = read_file(p)
    assert raw.encoding == "gb18030"
    assert raw.text.count("\n") == n and raw.text.endswith("扛起政治责任。\n")


@pytest.mark.parametrize("codec", ["gb2312", "big5"])
def test_cjk_encoded_holds_exactly_the_ideographs_the_codec_encodes(codec):
    from kgraph.encoding import cjk_encoded

    table = cjk_encoded(codec)
    for cp in range(0x4E00, 0xA000):
        ch = chr(cp)
        try:
            data = ch.encode(codec)
        except UnicodeEncodeError:
            assert ch not in table
        else:
            assert table[ch] == data
    assert list(table) == sorted(table)  # code point order
