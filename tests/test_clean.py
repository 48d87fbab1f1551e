"""kgraph.clean on the real seed speeches and the dirty-input fixtures."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.clean import REMOVED_KEYS, clean_text
from kgraph.ingest import read_file

ROOT = Path(__file__).resolve().parent.parent
SPEECHES = ROOT / "data" / "speeches"
DIRTY = ROOT / "tests" / "fixtures" / "dirty"


def seed(n: str) -> str:
    (path,) = SPEECHES.glob(f"{n}_*.txt")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cleaned():
    return {n: clean_text(seed(n)) for n in ("000", "001", "002", "003", "004")}


def flagged(result) -> list[tuple[str, str]]:
    return [(f.reason, result.text[f.start : f.end]) for f in result.flags]


# --------------------------------------------------------------------------
# artefacts on real seed lines


def test_seed_002_line_with_pinyin_and_doubled_commas():
    line = "市委書(shū)記許南吉出席會(huì)議並講話,,他強(qiáng)調(diào),,"
    assert clean_text(line).text == "市委书记许南吉出席会议并讲话,他强调,"
    result = clean_text(seed("002"))
    assert "市委书记许南吉出席会议并讲话,他强调,要深入学习贯彻" in result.text
    assert result.converted
    assert result.removed["pinyin"] > 200
    assert "(" not in result.text.replace("(市)", "")  # every gloss gone, 各区(市) kept


def test_seed_000_opening():
    result = clean_text(seed("000"))
    assert result.text.startswith("同志们:\n今天召开这个会,主要目的是统一思想,")
    assert (
        "确保国庆假日安全稳定,让人民群众过一个安全、欢乐、祥和的节日。" in result.text
    )


def test_tw2s_not_t2s_for_zhe():
    # 002: 必須引起高度重視並著(zhuó)力解決
    assert (
        clean_text("必須引起高度重視並著(zhuó)力解決").text
        == "必须引起高度重视并着力解决"
    )
    assert clean_text("隨著").text == "随着"
    assert "并着力解决" in clean_text(seed("002")).text


def test_pinyin_removed_before_opencc():
    # With the gloss in place OpenCC sees 著 alone and writes 着; 顯著 is 显著.
    assert clean_text("顯(xiǎn)著提升").text == "显著提升"


@pytest.mark.parametrize(
    "text",
    [
        "焦市长与县(市、区)及市直部门代表签订了责任书",  # 001
        "各乡镇(街道)要落实属地责任",  # 003
        "(一)要坚定“遏事故”的首要目标。",  # 003
        "《国务院关于坚持科学发展安全发展推动安全生产形势持续稳定好转的意见》(国发〔20**〕40号)",  # 001
        "推进应急管理信息系统(EMB)建设",
        "推进人工智能(AI)在监管中的应用",
        "按照条款(a)执行",
    ],
)
def test_real_brackets_kept(text):
    assert clean_text(text).text == text


def test_toneless_and_repeated_pinyin():
    assert clean_text("全(quan)(quan)安(an)生产").text == "全安生产"
    assert clean_text("統(tong3)一").text == "统一"
    assert clean_text("綠(lǜ)色 綠(lv)色").text == "绿色 绿色"
    assert clean_text("県(xian)(市、区)").text.endswith("(市、区)")


def test_full_width_normalised_but_meaningful_forms_kept():
    r = clean_text("同志们：今天（一）开会，ＡＢＣ１２３！……①Ⅰ级响应，面积100㎡")
    assert r.text == "同志们:今天(一)开会,ABC123!……①Ⅰ级响应,面积100㎡"


@pytest.mark.parametrize(
    "dirty, clean",
    [
        ("扎实工作,,全力抓紧", "扎实工作,全力抓紧"),
        ("平稳有序,。市委", "平稳有序。市委"),
        ("深刻反思,、汲取教训", "深刻反思、汲取教训"),
        ("校园安全、,防汛", "校园安全、防汛"),
        ("层层抓落实;;开展", "层层抓落实;开展"),
        ("全面完成。。", "全面完成。"),
        ("要到位;。", "要到位。"),
        ("主持会议,。", "主持会议。"),
    ],
)
def test_stacked_punctuation(dirty, clean):
    r = clean_text(dirty)
    assert r.text == clean
    assert r.removed["punct"] == len(dirty) - len(clean)


def test_zero_width_and_entities():
    r = clean_text("安全\u200b生产&ldquo;红线&rdquo;\ufeff")
    assert r.text == "安全生产“红线”"
    assert r.removed["zero_width"] == 2 and r.removed["entities"] == 2


# --------------------------------------------------------------------------
# page chrome


def test_chrome_lines_removed_from_seeds(cleaned):
    t002 = cleaned["002"].text
    assert t002.splitlines()[0] == "全市安全生产工作会议召开 许南吉讲话"
    assert (
        t002.splitlines()[-1]
        == "会议以视频形式开到各区(市),市直有关部门主要负责同志在主会场参加会议。"
    )
    assert "|" not in t002 and "首页" not in t002 and "相关信息" not in t002
    assert cleaned["002"].removed["chrome_lines"] == 5
    t000 = cleaned["000"].text
    assert t000.splitlines()[-1] == "我就讲这么多,谢谢大家。"
    assert "免责声明" not in t000
    assert (
        cleaned["004"]
        .text.splitlines()[-1]
        .startswith("市委、市人大常委会、市政府、市政协领导")
    )
    assert "精彩评论" not in cleaned["004"].text


def test_chrome_prefix_needs_a_separator():
    # A sentence that merely starts with a chrome word is content.
    text = "首页面设计要突出安全提示。\n分享到基层的经验要推广。"
    assert clean_text(text).text == text
    assert clean_text("首页 > 新闻中心 > 正文\n安全第一。").text == "安全第一。"


# --------------------------------------------------------------------------
# mojibake


def test_mojibake_flagged_in_seed_000(cleaned):
    assert flagged(cleaned["000"]) == [
        ("lost-character", "F"),  # 反思,F(xiàn)實中
        ("mojibake", "?闹鲃讦"),  # 該擔當?shù)闹鲃訐
        ("mojibake", "ㄊ鹿誓芰Σ蛔恪⒀b"),  # 重大;繁ㄊ鹿誓芰Σ蛔恪⒀b備
    ]
    text = cleaned["000"].text
    assert "反思,F实中要是履职不到位" in text  # flagged, not deleted
    assert "(xiàn)" not in text and "shù" not in text


def test_mojibake_flagged_in_seed_002(cleaned):
    assert flagged(cleaned["002"]) == [("mojibake", "?獍踩?"), ("mojibake", "?溲磦鋺?")]


@pytest.mark.parametrize("n", ["001", "003", "004"])
def test_clean_seeds_have_no_flags(cleaned, n):
    assert cleaned[n].flags == []


def test_no_flag_on_known_clean_002_sentences(cleaned):
    r = cleaned["002"]
    for sentence in (
        "市委书记许南吉出席会议并讲话,他强调,要深入学习贯彻习近平总书记关于安全生产的重要论述",
        "市委副书记、市长张子建主持会议。",
        "张子建强调,要迅速有力抓落实",
        "副市长李小平,鹰潭高新区党工委书记周谷昌、管委会主任肖霖",
    ):
        start = r.text.index(sentence)
        assert not any(
            f.start < start + len(sentence) and start < f.end for f in r.flags
        ), sentence


def test_flags_are_offsets_into_clean_text(cleaned):
    for r in cleaned.values():
        for f in r.flags:
            assert 0 <= f.start < f.end <= len(r.text)
            assert "\n" not in r.text[f.start : f.end]
        assert "\ufffc" not in r.text


def test_replacement_character_always_flagged():
    r = clean_text("安全生产\ufffd责任")
    assert flagged(r) == [("mojibake", "\ufffd")]


def test_single_rare_character_not_flagged():
    # One non-GB2312 character (a name) is not mojibake on its own.
    assert clean_text("朱镕基同志指出,安全生产责任重于泰山。").flags == []


# --------------------------------------------------------------------------
# dirty-input fixtures (issue 5)


def test_scraped_fixture():
    r = clean_text(read_file(DIRTY / "scraped.txt").text)
    lines = r.text.splitlines()
    assert lines == [
        "全市安全生产工作会议召开 许南吉讲话",
        "市委书记许南吉出席会议并讲话,他强调,要深入学习贯彻习近平总书记关于安全生产的重要论述,认真落实全省安全生产工作会议精神。",
        "许南吉在讲话中指出,必须引起高度重视并着力解决。各地各部门要深刻反思、汲取教训,时刻保持警钟长鸣。",
        "会议以视频形式开到各区(市),市直有关部门主要负责同志在主会场参加会议。详见。",
        "全安生产无小事。",
    ]
    assert r.removed["spam_lines"] == 1
    assert r.removed["code_lines"] == 2
    assert r.removed["urls"] == 2
    assert r.removed["watermarks"] == 1
    assert r.removed["chrome_lines"] == 5
    assert r.flags == []


def test_spam_needs_two_words():
    text = "澳门特别行政区也要加强安全生产监管。"
    assert clean_text(text).text == text
    assert clean_text("澳门葡京娱乐城 百家乐\n安全第一。").text == "安全第一。"


def test_code_lines_dropped_but_not_chinese_sentences():
    text = "function init() { return 1; }\nbody{margin:0;padding:0}\nwindow.onload = go;\n安全第一,预防为主。"
    assert clean_text(text).text == "安全第一,预防为主。"
    assert (
        clean_text("要严格落实var变量管理制度。").text == "要严格落实var变量管理制度。"
    )


def test_urls_and_watermarks_inside_sentences():
    r = clean_text(
        "登录https://www.example.gov.cn/aq/index.html,查看通报。(来源:www.fanwen.com)要强化责任。"
    )
    assert r.text == "登录,查看通报。要强化责任。"


def _fixture_source():
    spec = importlib.util.spec_from_file_location(
        "make_fixtures", DIRTY / "make_fixtures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pdf_fixture_page_numbers_and_hard_breaks():
    # The fixture is PDF_PARAS wrapped at 30 characters with page numbers in
    # between; cleaning must give back exactly the paragraphs, headings alone.
    r = clean_text(read_file(DIRTY / "pdf_extract.txt").text)
    assert r.text.splitlines() == _fixture_source().PDF_PARAS
    assert r.removed["page_numbers"] == 3
    assert r.removed["line_breaks"] == sum(
        -(-len(p) // 30) - 1 for p in _fixture_source().PDF_PARAS
    )


@pytest.mark.parametrize(
    "line", ["- 12 -", "第 3 页", "第3页 共10页", "7", "Page 2 of 9"]
)
def test_page_number_lines(line):
    assert (
        clean_text(f"安全第一。\n{line}\n预防为主。").text == "安全第一。\n预防为主。"
    )


def test_web_text_lines_are_not_joined(cleaned):
    # Titles and headings without final punctuation stay their own lines.
    assert cleaned["002"].removed["line_breaks"] == 0
    assert "一、必须提高思想认识,切实扛起政治责任" in cleaned["000"].text.splitlines()
    for r in cleaned.values():
        assert r.removed["line_breaks"] == 0


def test_html_fixture_after_cleaning():
    r = clean_text(read_file(DIRTY / "page.html").text)
    assert r.text.splitlines() == [
        "全市安全生产工作会议召开 许南吉讲话",
        "6月26日,在认真收听收看全省安全生产工作视频会议后,我市立即召开全市安全生产工作会议,研究部署有关工作。",
        "市委书记许南吉出席会议并讲话,他强调,要深入学习贯彻习近平总书记关于安全生产的重要论述,认真落实全省安全生产工作会议精神。",
        "各行业主管部门要按照“三管三必须”的要求,真正把责任担起来,把压力传下去&层层抓落实。",
    ]


@pytest.mark.parametrize("name", ["gb18030.txt", "big5.txt"])
def test_gb_and_big5_fixtures_clean_to_the_same_text(name):
    r = clean_text(read_file(DIRTY / name).text)
    assert r.text == clean_text(read_file(DIRTY / "gb18030.txt").text).text
    assert r.converted == (name == "big5.txt")


# --------------------------------------------------------------------------
# properties


def test_removed_has_every_key():
    assert set(clean_text("").removed) == set(REMOVED_KEYS)
    assert clean_text("").text == ""


def test_idempotent_on_seeds(cleaned):
    for r in cleaned.values():
        again = clean_text(r.text)
        assert again.text == r.text
        assert again.converted is False


_CHARS = st.one_of(
    st.characters(),
    st.sampled_from(
        list("安全生產統(tǒng)一,,。、;()?|\n ㄊΣ⒀\ufffd\ufffcF&#;首页相关信息:- 1第页")
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.text(_CHARS, max_size=200))
def test_clean_text_never_raises(text):
    r = clean_text(text)
    assert isinstance(r.text, str)
    for f in r.flags:
        assert 0 <= f.start < f.end <= len(r.text)


def test_gaps_writes_the_missing_code_points_as_ranges():
    from kgraph.clean import _gaps, _ranges

    assert _gaps(ord("a"), [ord(c) for c in "bcf"], ord("j")) == "ad-eg-i"
    assert _gaps(ord("a"), [ord(c) for c in "abc"], ord("d")) == ""
    present = [cp for cp in range(0x4E00, 0x4F00) if cp % 7 and cp % 5]
    missing = [chr(cp) for cp in range(0x4E00, 0x4F00) if cp not in present]
    assert _gaps(0x4E00, present, 0x4F00) == _ranges(missing)
