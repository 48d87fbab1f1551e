"""kgraph.sentences: splitting and offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.clean import clean_text
from kgraph.sentences import MAX_LEN, split_sentences

SPEECHES = Path(__file__).resolve().parent.parent / "data" / "speeches"
SEEDS = sorted(SPEECHES.glob("*.txt"))


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def assert_round_trip(text: str) -> None:
    sentences = split_sentences(text)
    assert [s.index for s in sentences] == list(range(len(sentences)))
    previous_end = 0
    for s in sentences:
        assert text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= previous_end
        previous_end = s.end


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_round_trip_on_seeds(path):
    text = clean_text(path.read_text(encoding="utf-8")).text
    assert_round_trip(text)
    sentences = split_sentences(text)
    # every non-space character of the text is in exactly one sentence
    covered = "".join(s.text for s in sentences)
    assert len(covered.replace(" ", "")) == len("".join(text.split()))


def test_seed_000_sentences():
    text = clean_text(next(SPEECHES.glob("000_*.txt")).read_text(encoding="utf-8")).text
    got = texts(text)
    assert got[:5] == [
        "同志们:",
        "今天召开这个会,主要目的是统一思想,对安全生产工作再部署、在推进,切实把国庆期间安全防范工作摆在重要位置,"
        "牢固树立“安全责任重于泰山”意识,狠抓各项安全防范责任措施落实,确保国庆假日安全稳定,让人民群众过一个安全、欢乐、祥和的节日。",
        "刚才,xx市长传达了上级会议精神,进行了工作通报和部署,我完全赞同,希望大家切实抓好贯彻落实。",
        "下面,我再讲三点意见。",
        "一、必须提高思想认识,切实扛起政治责任",
    ]
    assert got[-1] == "我就讲这么多,谢谢大家。"


def test_closing_quotes_stay_with_sentence():
    assert texts("他说:“要安全。”然后散会。『好!』「对?」") == [
        "他说:“要安全。”",
        "然后散会。",
        "『好!』",
        "「对?」",
    ]


def test_terminator_runs_and_full_width():
    assert texts("真的吗?!是的！！好。。") == ["真的吗?!", "是的！！", "好。。"]


def test_question_mark_before_comma_is_not_an_end():
    assert texts("怎么办?,要抓落实。") == ["怎么办?,要抓落实。"]


def test_newlines_split_and_whitespace_is_stripped():
    text = "  一、必须提高思想认识  \n\n安全生产责任重于泰山。 \n"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "一、必须提高思想认识",
        "安全生产责任重于泰山。",
    ]
    assert sentences[0].start == 2 and sentences[1].start == text.index("安全")


def test_semicolon_splits_only_long_sentences():
    short = "要狠抓制度执行;要夯实基层基础;要加强督导问责。"
    assert texts(short) == [short]
    clause = "要压实各方责任,各级党政主要领导要坚决扛起促一方发展保一方平安的政治责任,真正把责任担起来,把压力传下去"
    long = ";".join([clause] * 4) + "。"
    assert len(long) > MAX_LEN
    got = texts(long)
    assert got == [clause + ";"] * 3 + [clause + "。"]


def test_seed_002_long_sentence_split_at_semicolons():
    text = clean_text(next(SPEECHES.glob("002_*.txt")).read_text(encoding="utf-8")).text
    got = texts(text)
    assert (
        "要夯实基层基础,坚持资源向基层倾斜、力量向一线下沉,加强基层应急管理体系和能力建设,充分发挥基层网格员的“末端前哨”作用,切实打通安全生产“最后一公里”;"
        in got
    )
    assert all(len(s) <= MAX_LEN or ";" not in s for s in got)


def test_empty_and_blank():
    assert split_sentences("") == []
    assert split_sentences(" \n\t\n") == []


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        st.one_of(st.characters(), st.sampled_from(list("。!?！？;；”’」』)\n 安全"))),
        max_size=400,
    )
)
def test_round_trip_property(text):
    assert_round_trip(text)
