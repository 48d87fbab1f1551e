"""Each extractor rule on real sentences from the seed speeches."""

from __future__ import annotations

import pytest

from kgraph import schema
from kgraph.extract import REGISTRY, all_rules
from kgraph.pipeline import process_text


def run(text: str, doc: str = "t"):
    return process_text(text, doc)


def officials(text: str) -> dict[str, tuple[str, str, str]]:
    return {
        m.name: (m.title, m.org, m.rule)
        for m in run(text).mentions
        if m.kind == "official" and m.rule != "official.repeat"
    }


def facts(text: str, type_: str) -> set[tuple]:
    return {
        (
            f.subject[1],
            f.object[1],
            f.attr.get("kind") or f.attr.get("sector") or "",
            f.evidence.rule,
        )
        for f in run(text).facts
        if f.type == type_
    }


# --- officials -------------------------------------------------------------------
def test_title_then_name_traditional_with_pinyin():
    # 002, verbatim: traditional, pinyin glosses, doubled commas
    found = officials(
        "市委書記許南吉出席會議并講話,,他強調(qiáng),,要深入學(xué)習(xí)貫徹習(xí)近平總書記關(guān)于安全生產(chǎn)的重要論述。"
    )
    # dev-set conventions: a national leader named with a post is an official too
    assert found == {
        "许南吉": ("市委书记", "市委", "official.title_name"),
        "习近平": ("总书记", "", "official.name_title"),
    }


def test_stacked_titles_name_one_person():
    found = officials(
        "市委副书记、市长张子建主持会议。市委常委、常务副市长江训开通报全市安全生产工作有关情况。"
    )
    assert found["张子建"][:2] == ("市委副书记、市长", "市政府")
    assert found["江训开"][0] == "市委常委、常务副市长"


def test_org_of_titles_from_place_and_list_neighbour():
    found = officials(
        "副市长李小平,鹰潭高新区党工委书记周谷昌、管委会主任肖霖,市委秘书长罗金文,市政府秘书长王俊出席会议。"
    )
    # the title is the post as written, place included (dev-set conventions)
    assert found["周谷昌"][:2] == ("鹰潭高新区党工委书记", "鹰潭高新区党工委")
    assert found["肖霖"][:2] == ("管委会主任", "管委会")
    assert set(found) == {"李小平", "周谷昌", "肖霖", "罗金文", "王俊"}


def test_org_named_before_generic_title():
    found = officials(
        "中央第一指导组组长车俊,市委副书记、市长殷勇,市委副书记刘伟,中央第一指导组副组长李小三出席。"
    )
    assert found["车俊"][:2] == ("中央第一指导组组长", "中央第一指导组")
    assert found["李小三"][:2] == ("中央第一指导组副组长", "中央第一指导组")
    assert set(found) == {"车俊", "殷勇", "刘伟", "李小三"}


def test_name_then_title_and_surname_title():
    found = officials(
        "今年3月,省政府张杰辉副省长来沧督导调研安全生产工作。刚才,焦市长与县(市、区)及市直部门代表签订了责任书。"
    )
    assert found["张杰辉"] == ("副省长", "省政府", "official.name_title")
    assert found["焦市长"] == ("市长", "市政府", "official.surname_title")


def test_names_listed_after_a_shared_title_all_get_it():
    found = officials("县领导王建国、欧阳明、李红霞,县政府秘书长周斌参加会议。")
    assert {n: t for n, (t, _, _) in found.items()} == {
        "王建国": "县领导",
        "欧阳明": "县领导",
        "李红霞": "县领导",
        "周斌": "县政府秘书长",
    }


def test_compound_posts_and_posts_after_the_name():
    found = officials(
        "县委常委、常务副县长赵文涛主持会议,贯彻落实林海波书记、钱志远主席的批示精神。区委常委、宣传部长孙立为大会致辞。"
    )
    assert found["赵文涛"][:2] == ("县委常委、常务副县长", "县政府")
    assert found["林海波"][0] == "书记" and found["钱志远"][0] == "主席"
    assert found["孙立"][0] == "区委常委、宣传部长"


def test_a_byline_name_set_apart_from_its_post_by_spaces():
    found = officials(
        "在全县安全生产工作会议上的讲话\n县委副书记、县长  罗景文\n同志们:"
    )
    assert found["罗景文"][:2] == ("县委副书记、县长", "县政府")


def test_a_joiner_after_a_post_opens_no_name_when_a_post_follows():
    # 和 is also a surname: 书记和乡镇长 joins two posts
    assert officials("各乡镇党委书记和乡镇长是本辖区安全生产第一责任人。") == {}


def test_court_and_procuratorate_heads_keep_their_body_in_the_post():
    found = officials(
        "市中级人民法院院长苗志刚、市人民检察院检察长乔一帆,市应急管理局局长邢立新列席会议。"
    )
    assert found["苗志刚"][:2] == ("市中级人民法院院长", "市中级人民法院")
    assert found["乔一帆"][:2] == ("市人民检察院检察长", "市人民检察院")
    assert found["邢立新"][:2] == ("市应急管理局局长", "市应急管理局")


def test_bodies_inside_a_named_officials_post_are_not_listed():
    from kgraph.pipeline import to_contract

    r = run("区人大常委会主任吴德明出席。县公安局、县应急管理局负责人参加会议。")
    orgs = to_contract(r)["organizations"]
    assert "区人大常委会" not in orgs
    assert {"县公安局", "县应急管理局"} <= set(orgs)


@pytest.mark.parametrize(
    "text",
    [
        "记者 王立新 通讯员 李明华 报道",  # bylines are not officials
        "市委书记、市长多次就安全生产工作做出重要讲话和重要批示。",  # 多次 is a word, not a name
        "焦市长亲自主持市长办公会,研究出台了实施意见。",  # 市长办公会 names a meeting
        "刚才,xx市长传达了上级会议精神。",  # anonymised placeholder
        "发布日期:2024-07-01 11:37 信息来源:市融媒体中心 作者: 张国旗6月26日,我市召开会议。",  # an author
    ],
)
def test_no_false_officials(text):
    names = set(officials(text))
    assert not names - {"焦市长"}


def test_repeat_mentions_resolve_to_the_titled_official():
    r = run(
        "市委书记尹力强调,安全稳定是前提。尹力强调,要深刻认识当前安全生产严峻形势。"
    )
    repeats = [m for m in r.mentions if m.rule == "official.repeat"]
    assert [(m.name, m.title) for m in repeats] == [("尹力", "市委书记")]


# --- terms -----------------------------------------------------------------------
def test_aliases_resolve_and_quantifiers_stay_in_surface():
    r = run(
        "各行业主管部门要按照“三管三必须”的要求,真正把责任担起来。仅靠应急局的力量远远不够,危化企业要落实主体责任。"
    )
    orgs = {(m.surface, m.name) for m in r.mentions if m.kind == "organization"}
    assert ("各行业主管部门", "行业主管部门") in orgs
    assert ("应急局", "应急管理局") in orgs
    assert (
        "危化企业",
        "企业",
    ) in orgs  # the longer organisation wins over the sector 危化
    assert {m.name for m in r.mentions if m.kind == "responsibility"} >= {
        "三管三必须",
        "主体责任",
    }


def test_focus_sectors_are_marked():
    r = run(
        "紧盯消防安全、校园安全、防汛防灾、烟花爆竹领域、道路交通安全、文旅安全等重点行业领域。"
    )
    focus = {m.name for m in r.mentions if m.kind == "sector" and m.category == "focus"}
    assert focus == {"消防", "校园", "防汛", "烟花爆竹", "道路交通", "文旅"}


def test_bodies_inside_cited_titles_are_not_actors():
    r = run(
        "各乡镇(街道)要结合《中共中央办公厅、国务院办公厅关于进一步提升基层应急管理能力的意见》,抓好安全生产宣传教育。"
    )
    assert "国务院" not in {m.name for m in r.mentions if m.kind == "organization"}
    assert ("乡镇(街道)", "宣传教育", "", "task.clause") in facts(
        "各乡镇(街道)要结合《中共中央办公厅、国务院办公厅关于进一步提升基层应急管理能力的意见》,抓好安全生产宣传教育。",
        schema.PERFORMS,
    )


# --- responsibilities --------------------------------------------------------------
def test_clause_holder_bears_responsibility():
    got = facts(
        "各级党政主要领导要坚决扛起“促一方发展、保一方平安”的政治责任,各行业主管部门要按照“三管三必须”的要求,真正把责任担起来。",
        schema.BEARS,
    )
    pairs = {(h, r) for h, r, _, _ in got}
    # dev-set conventions: the holder as written (各级 kept); 按照“三管三必须”的要求 names the
    # principle the duty follows, not the duty, which is 把责任担起来
    assert ("各级党政主要领导", "政治责任") in pairs
    assert ("各行业主管部门", "把责任担起来") in pairs
    assert not any(r == "三管三必须" for _, r in pairs)


def test_list_of_compound_terms_names_four_holders():
    got = facts(
        "全面落实企事业单位主体责任、部门监管责任、属地管理责任、党政领导责任,细化工作任务。",
        schema.BEARS,
    )
    # dev-set conventions: the holder is the noun written inside the term, the
    # term its canonical form (党政领导责任 → 党政 + 领导责任)
    assert {(h, r) for h, r, _, rule in got if rule == "duty.embedded"} == {
        ("企事业单位", "主体责任"),
        ("部门", "部门监管责任"),
        ("属地", "属地管理责任"),
        ("党政", "领导责任"),
    }


def test_copula_and_urged_holder():
    # X是…责任主体 / X是…第一责任人: the holder named by a canonical term, as written
    assert {
        ("企事业单位", "主体责任", "", "duty.speech"),
        ("主要负责人", "第一责任人", "", "duty.speech"),
    } <= facts(
        "企事业单位是事故隐患排查整治的责任主体,主要负责人是法定的安全生产第一责任人。",
        schema.BEARS,
    )
    assert ("法人代表", "第一责任人", "", "resp.urged") in facts(
        "督导企业法人代表更好地履行安全生产第一责任人的职责。", schema.BEARS
    )


def test_coordinated_holders_share_the_task():
    got = facts(
        "市安委会和各专业委员会要派出督查组开展综合督查,对安全责任不落实的要及时问责。",
        schema.PERFORMS,
    )
    assert {("市安委会", "督查问责"), ("专业委员会", "督查问责")} <= {
        (h, t) for h, t, _, _ in got
    }


def test_subject_carries_into_next_sentence_for_sectors():
    text = "各级各部门要拧紧思想关,确保排查精准到位。既要整体推进;又要把握重点,聚焦化工、危险化学品等重点行业。"
    got = facts(text, schema.COVERS_SECTOR)
    assert ("各级各部门", "危险化学品", "", "sector.carried") in got
    # a new paragraph does not inherit the subject
    assert not facts(text.replace("。既要", "。\n既要"), schema.COVERS_SECTOR)


def test_mojibake_never_becomes_an_entity():
    # 000, verbatim: 該擔當?shù)闹鲃訐 is UTF-8 read as GBK
    r = run(
        "要優(yōu)化協(xié)同機制,條塊結合、聯(lián)動推進,該配合的密切配合、該擔當?shù)闹鲃訐,協(xié)調推進專項整治和問題整改。"
    )
    assert r.document.flags, "the garbled span must be flagged"
    for m in r.mentions:
        assert not r.document.is_flagged(m.start, m.end)


# --- chains, meetings, assignments ----------------------------------------------
def test_principal_to_deputy_chain():
    # by the dev-set conventions 一把手 → 分管领导 is 领导分工 (README "Chains")
    got = facts(
        "要压实责任抓落实,“一把手”要亲自抓、负总责,分管领导要具体抓、抓具体,一级抓一级,层层抓落实。",
        schema.CHAIN,
    )
    assert ("一把手", "分管领导", "领导分工", "chain.lead") in got


def test_slogan_makes_no_party_government_chain_and_tiers_name_levels():
    # 党政同责 as a slogan names no bodies: no edge (it used to draw 党委 → 政府)
    assert not facts(
        "全市各级党政领导干部要按照“党政同责、‘一岗双责’、齐抓共管、失职追责”要求,严格尽职履责。",
        schema.CHAIN,
    )
    tiers = facts("进一步加强市区街乡三级安全生产监管体系建设。", schema.CHAIN)
    assert {(a, b, k) for a, b, k, _ in tiers} == {
        ("市", "区", "层级"),
        ("区", "街乡", "层级"),
    }


def test_township_urging_enterprises_is_a_supervision_chain():
    got = facts(
        "各乡镇(街道)要抓好巡堤查险等履职事项,督促企业开展自查自纠与问题隐患整改。",
        schema.CHAIN,
    )
    assert got == {("各乡镇(街道)", "企业", "督促", "chain.urge")}


def test_meeting_roles_and_assignments():
    text = (
        "市委书记许南吉出席会议并讲话。市委副书记、市长张子建主持会议。\n"
        "许南吉强调,各行业主管部门要按照“三管三必须”的要求,真正把责任担起来。"
    )
    r = run(text)
    types = {(f.type, f.subject[1]) for f in r.facts}
    assert {
        (schema.SPOKE_AT, "许南吉"),
        (schema.ATTENDED, "许南吉"),
        (schema.CHAIRED, "张子建"),
    } <= types
    assigned = {
        (f.subject[1], f.object[1], f.attr.get("responsibility"))
        for f in r.facts
        if f.type == schema.ASSIGNED
    }
    # the duty is 把责任担起来 of the holder as written; 按照“三管三必须”的要求 names the principle
    assert assigned == {("许南吉", "各行业主管部门", "把责任担起来")}


def test_first_person_speech_invents_no_speaker():
    r = run(
        "同志们:下面我讲三点意见。各行业主管部门要按照“三管三必须”的要求,真正把责任担起来。"
    )
    assert not [f for f in r.facts if f.type == schema.ASSIGNED]


def test_every_fact_has_evidence_inside_its_sentence():
    r = run(
        "市委书记许南吉出席会议并讲话。许南吉强调,各行业主管部门要按照“三管三必须”的要求落实责任。"
    )
    sentences = {s.index: s for s in r.sentences}
    for f in r.facts:
        s = sentences[f.evidence.sentence]
        assert s.start <= f.evidence.start < f.evidence.end <= s.end
        assert f.evidence.text == s.text
        assert f.evidence.rule in all_rules()


def test_registry_lists_components_in_pipeline_order():
    assert list(REGISTRY) == [
        "terms",
        "sector_shapes",
        "bodies",
        "officials",
        "meetings",
        "responsibilities",
        "duties",
        "chains",
        "assignments",
    ]


def test_no_cascade_between_subjects_of_an_enumeration():
    # 003, verbatim: four subjects each given a duty hand nothing to each other; only
    # the township urging enterprises names both ends of a chain
    text = (
        "全市各级党政领导干部要按照“党政同责、‘一岗双责’、齐抓共管、失职追责”要求,对照安全生产职责清单和年度任务清单,严格尽职履责;"
        "各有关部门要按照“三管三必须”要求,严格落实部门安全监管责任,做到既管“合法”也管非法;"
        "各乡镇(街道)要结合《中共中央办公厅、国务院办公厅关于进一步提升基层应急管理能力的意见》《乡镇履职事项清单》,"
        "抓好安全生产宣传教育、打非治违、应急预案制定、应急演练、巡堤查险等履职事项,督促企业开展自查自纠与问题隐患整改,"
        "推动安全监管和应急管理工作重心下移、关口前移;各企业要严格落实主体责任,不断健全全员安全生产责任制。"
    )
    assert {(a, b, k) for a, b, k, _ in facts(text, schema.CHAIN)} == {
        ("各乡镇(街道)", "企业", "督促")
    }


def test_levelled_bodies_and_enumerated_subjects():
    # written in the style of a district meeting report (not from the seeds)
    text = (
        "会议强调,各街道要切实履行属地管理责任,区应急管理局要加强综合监管,"
        "住建、交通等行业主管部门要严格落实“管行业必须管安全”要求,督促企业落实安全生产主体责任。"
        "区市场监管局负责特种设备安全监管,区住建局牵头负责城镇燃气安全。"
    )
    r = run(text)
    surfaces = {(m.surface, m.name) for m in r.mentions if m.kind == "organization"}
    assert ("区应急管理局", "应急管理局") in surfaces and (
        "区住建局",
        "住建部门",
    ) in surfaces
    bears = {
        (f.subject[1], f.object[1], f.evidence.rule)
        for f in r.facts
        if f.type == schema.BEARS
    }
    # dev-set conventions: the holder as written, with its own 各
    assert ("各街道", "属地管理责任", "duty.speech") in bears
    assert ("行业主管部门", "三管三必须", "resp.clause") in bears
    assert (
        "企业",
        "主体责任",
        "resp.urged",
    ) in bears  # the urged party, not the clause's subject
    assert not any(h == "乡镇(街道)" and resp == "三管三必须" for h, resp, _ in bears)
    covers = {
        (f.subject[1], f.object[1]) for f in r.facts if f.type == schema.COVERS_SECTOR
    }
    assert {("市场监管部门", "特种设备"), ("住建部门", "燃气")} <= covers


def test_ordinary_words_are_jiebas_non_name_words():
    # officials.ordinary_words reads jieba's dict.txt itself instead of loading
    # jieba.posseg (~2 s per process); it must say exactly what jieba's tables say.
    import jieba
    import jieba.posseg

    from kgraph.extract.officials import CJK, ordinary_words
    from kgraph.lexicon import load_lexicon

    lex = load_lexicon()
    jieba.dt.initialize()
    freq, tags = jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab
    expected = {
        w for w, f in freq.items()
        if 2 <= len(w) <= 4 and all(CJK.match(c) for c in w) and f > 0 and not tags.get(w, "").startswith("nr")
        and (w[0] in lex.surnames or any(c.startswith(w[0]) for c in lex.compound_surnames))
    }  # fmt: skip
    words = ordinary_words()
    assert words == expected
    assert {"全面", "严格", "高度", "方面"} <= words  # 全, 严, 高, 方 are surnames too
    assert "李白" not in words and "许南吉" not in words  # names


# --- open-vocabulary bodies and sectors ---------------------------------------------
def _contract(text: str) -> dict:
    from kgraph.pipeline import to_contract

    return to_contract(run(text))


def test_bodies_by_shape_with_coordination_expanded():
    c = _contract(
        "国务院交通运输、民政主管部门负责指导。省、市安委会要加强协调。"
        "县级以上地方各级党委和政府应当加强领导。开发区管理委员会、区消防救援支队按照职责负责。"
    )
    orgs = set(c["organizations"])
    assert {
        "国务院交通运输主管部门",
        "国务院民政主管部门",
        "省安委会",
        "市安委会",
    } <= orgs
    assert {
        "县级以上地方各级党委",
        "县级以上地方各级政府",
        "开发区管理委员会",
        "区消防救援支队",
    } <= orgs
    assert "部门" not in orgs and "有关部门" not in orgs


def test_bodies_in_citations_and_unit_classes_without_duties_are_not_listed():
    c = _contract(
        "根据《某省安全生产监督管理局工作规则》,对商场、超市等经营单位开展检查。矿山企业应当建立安全生产责任制。"
    )
    orgs = set(c["organizations"])
    assert not any("监督管理局" in o for o in orgs)
    assert "矿山企业" in orgs and "经营单位" not in orgs


def test_sectors_from_lists_and_heads_as_written():
    c = _contract(
        "要紧盯冶金、粮食仓储、危化品等重点行业领域,抓好消防安全。配合做好水路客运行业的监督管理。"
    )
    sectors = set(c["sectors"])
    assert {"冶金", "粮食仓储", "危化品", "消防", "水路客运"} <= sectors
    assert "重点行业领域" not in sectors and "危险化学品" not in sectors


def test_speech_sector_lists_keep_only_fields():
    from kgraph.pipeline import to_contract

    text = (
        "各部门要建立规范化工作模式。强化担当意识,对职责交叉、监管空白等领域,主动向前。"
        "道路交通方面:历来是事故最为多发、监管任务最为繁重的一个行业领域。"
        "紧盯危险化学品、烟花爆竹等重点行业,全面加强工贸企业的监管。"
    )
    sectors = to_contract(run(text))["sectors"]
    assert {"危险化学品", "烟花爆竹"} <= set(sectors)
    assert not {"化工", "职责交叉", "监管空白", "多发", "工贸企业"} & set(sectors)


def test_speech_bodies_split_levels_and_skip_phrases():
    from kgraph.pipeline import to_contract

    text = (
        "市区两级安委会办公室对重大隐患挂账督办。各级各部门各单位要高度重视。"
        "在压实企业责任上,要形成部门合力。反映出我们监管部门发现问题的能力不足。"
    )
    orgs = to_contract(run(text))["organizations"]
    assert {"市安委会办公室", "区安委会办公室"} <= set(orgs)
    assert not {
        "市区两级安委会办公室",
        "各级各部门各单位",
        "压实企业",
        "出我们监管部门",
    } & set(orgs)


def test_generic_department_references_listed_in_speeches_not_in_statutes():
    # dev notes: a speech lists 有关部门 (speeches rule 11), a statute does not (statutes rule 9)
    speech = _contract(
        "会议强调,各有关部门要按照要求严格落实部门安全监管责任。"
        "相关部门要在制度创新上想办法。主管部门一定要扛起管的责任。市有关部门主要负责同志参加会议。"
        "反映出我们监管部门发现问题的能力不强。"
    )
    assert {"有关部门", "相关部门", "主管部门", "监管部门", "市有关部门"} <= set(
        speech["organizations"]
    )
    assert "部门" not in speech["organizations"]
    statute = _contract(
        "第一条 县级以上地方人民政府应当加强对安全生产工作的领导。\n"
        "第二条 有关部门应当按照职责对安全生产工作实施监督管理。相关部门应当予以配合。"
    )
    orgs = set(statute["organizations"])
    assert not {"有关部门", "相关部门", "部门"} & orgs


def test_units_named_only_as_attendees_affiliation_are_not_listed():
    attending = _contract(
        "会议强调要抓好安全生产。市有关部门、有关企业、高校主要负责同志,各区主要负责同志等参加。"
    )
    assert "企业" not in attending["organizations"]
    holding = _contract("会议强调,有关企业要落实安全生产主体责任,开展隐患排查。")
    assert "企业" in holding["organizations"]


def test_accident_sites_project_modifiers_and_meetings_are_not_listed():
    c = _contract(
        "会议指出,3月5日,东岭化工有限公司发生爆炸事故,造成2人死亡。4个消防站新建项目均未动工。"
        "市委会、市政府常务会多次研究部署安全生产工作。"
    )
    orgs = set(c["organizations"])
    assert not any(o.endswith("有限公司") for o in orgs)
    assert not {"消防站", "市委会", "市委"} & orgs
    actor = _contract(
        "会议强调,东岭化工有限公司要落实安全生产主体责任,消防站要加强值守。"
    )
    assert {"东岭化工有限公司", "消防站"} <= set(actor["organizations"])


def test_a_territorys_government_is_listed_without_a_duty_word():
    c = _contract("会议指出,要厘清属地政府与园区的安全防范责任。落实属地管理责任。")
    orgs = set(c["organizations"])
    assert "属地政府" in orgs and "属地" not in orgs


def test_corps_and_garrison_heads_name_bodies():
    c = _contract("会议召开。省消防救援总队、市警备区、县人武部主要负责同志参加会议。")
    assert {"省消防救援总队", "市警备区"} <= set(c["organizations"])


def test_territories_taking_part_in_a_meeting_are_listed_in_speeches():
    c = _contract(
        "会议召开,各县(市、区)设分会场。部分县(区)在会上发言。各乡镇长参加会议。"
    )
    orgs = set(c["organizations"])
    assert {"县(市、区)", "县(区)"} <= orgs
    assert "乡镇" not in orgs


def test_shared_heads_keep_compound_names_and_lists_closed_by_kind():
    c = _contract(
        "第三条 国务院文化和旅游、民政、气象等有关部门在各自职责范围内负责监督管理。"
        "第四条 机关、团体、企业、事业等单位应当落实消防安全责任。"
        "第五条 工会、残疾人联合会等团体应当协助做好宣传。"
        "第六条 县商务局、县文化和旅游局作了表态发言。"
    )
    orgs = set(c["organizations"])
    assert {
        "国务院文化和旅游部门",
        "国务院民政部门",
        "国务院气象部门",
        "机关",
        "团体",
        "事业单位",
        "工会",
        "残疾人联合会",
        "县文化和旅游局",
    } <= orgs
    assert not {"县旅游局", "县文化局", "国务院文化部门"} & orgs
    assert not {"民政", "气象", "旅游"} & set(c["sectors"])


def test_holders_read_over_a_clause_are_listed_as_their_body():
    c = _contract(
        "第七条 安全职责不明确的，由设区的市人民政府确定。"
        "第八条 下级人民政府应当将预案报送上一级人民政府备案。"
        "第九条 商场的物业服务企业应当维护消防设施。"
    )
    orgs = set(c["organizations"])
    assert not any(o.startswith(("由", "将")) for o in orgs)
    assert "上一级人民政府" not in orgs


def test_fields_whose_safety_is_managed_and_classes_of_places():
    c = _contract(
        "二、负责游乐设施和客运索道安全监督管理。"
        "三、对车站、码头、公园等公众聚集场所实施重点检查。"
        "四、落实消防安全制度，保障疏散通道、安全出口畅通。"
    )
    sectors = set(c["sectors"])
    assert {"游乐设施", "客运索道", "车站", "码头", "公园", "公众聚集场所"} <= sectors
    assert not {"消防安全制度", "安全出口", "疏散通道"} & sectors


def test_byline_and_posts_joined_by_a_conjunction():
    r = run(
        "在全县安全生产工作会议上的讲话\n县委副书记、县长  林东海\n各村党支部书记和村主任要负起责任。"
    )
    people = {(m.name, m.title) for m in r.mentions if m.kind == "official"}
    assert ("林东海", "县委副书记、县长") in people
    assert not any(n.startswith("和") for n, _ in people)
