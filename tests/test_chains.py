"""Chain rules (层级, 领导分工, 党政同责, 督促) on sentences written in the styles of
statutes, duty lists and meeting reports (written for these tests, not taken from
the development set)."""

from __future__ import annotations

import pytest

from kgraph import schema
from kgraph.extract import all_rules
from kgraph.pipeline import process_text


def chains(text: str) -> set[tuple[str, str, str]]:
    r = process_text(text, "t")
    found = {
        (f.subject[1], f.object[1], f.attr["kind"])
        for f in r.facts
        if f.type == schema.CHAIN
    }
    assert all(
        f.attr["kind"] in schema.CHAIN_KINDS for f in r.facts if f.type == schema.CHAIN
    )
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # levels coordinated before one head
        (
            "省和设区的市人民政府应当将安全生产纳入年度考核。",
            {("省人民政府", "设区的市人民政府", "层级")},
        ),
        (
            "省、市、县三级应急管理部门要加强值班值守。",
            {
                ("省应急管理部门", "市应急管理部门", "层级"),
                ("市应急管理部门", "县应急管理部门", "层级"),
            },
        ),
        # parallel clauses of one body type at two levels
        (
            "国务院有关部门按照职责分工负责有关行业的安全生产工作,县级以上地方各级人民政府有关部门按照职责分工负责本行政区域内有关行业的安全生产工作。",
            {("国务院有关部门", "县级以上地方各级人民政府有关部门", "层级")},
        ),
        # a lower level reporting to an upper one
        (
            "社区居民委员会发现事故隐患的,应当向所在地街道办事处报告。",
            {("街道办事处", "社区居民委员会", "层级")},
        ),
        # a 责任书: the signer's body → lower levels and enterprises, not a department
        (
            "县长王某代表县政府与各乡镇、县应急管理局和重点企业负责人签订了安全生产目标责任书。",
            {("县政府", "乡镇", "层级"), ("县政府", "重点企业", "层级")},
        ),
        # the signer named by a bare title; a township head signs for the township
        (
            "会上,县长与各乡镇乡镇长、县直有关单位主要负责人签订了年度安全生产目标责任书。",
            {("县政府", "乡镇", "层级")},
        ),
    ],
)
def test_level_chains(text, expected):
    assert chains(text) == expected


def test_supervision_names_the_lower_body_not_generic_departments():
    got = chains(
        "县级以上人民政府应当对本级有关部门和下级人民政府的安全生产工作进行督查。"
    )
    assert got == {("县级以上人民政府", "下级人民政府", "督促")}


def test_supervision_in_a_list_under_a_body_heading():
    text = "(五)住房城乡建设部门。\n1.指导、督促建筑施工企业落实安全生产主体责任。\n2.负责本系统所属单位安全管理。"
    assert chains(text) == {("住房城乡建设部门", "建筑施工企业", "督促")}


def test_supervision_by_the_holder_named_in_the_list_title():
    text = "甲县交通运输局安全生产责任清单\n一、监督检查道路运输企业安全生产工作。\n二、负责本系统安全生产统计。"
    assert chains(text) == {("甲县交通运输局", "道路运输企业", "督促")}


def test_principal_divides_duties_among_deputies_in_one_sentence():
    text = "矿山企业主要负责人对本企业安全生产工作全面负责;分管安全生产的副总经理协助主要负责人履行职责;其他负责人在分管范围内负责安全生产工作。"
    assert chains(text) == {
        ("矿山企业主要负责人", "分管安全生产的副总经理", "领导分工"),
        ("矿山企业主要负责人", "其他负责人", "领导分工"),
    }


def test_principal_in_a_list_heading_and_deputies_in_an_item():
    text = "第十条 煤矿企业的主要负责人履行下列职责:\n(一)组织制定安全操作规程;\n(二)明确分管安全生产的负责人和安全总监的职责;"
    assert chains(text) == {
        ("煤矿企业的主要负责人", "分管安全生产的负责人", "领导分工"),
        ("煤矿企业的主要负责人", "安全总监", "领导分工"),
    }


def test_title_and_its_deputy_with_duties_but_not_in_an_attendance_list():
    assert chains(
        "县长对全县安全生产工作负总责;常务副县长协助县长分管安全生产工作。"
    ) == {("县长", "常务副县长", "领导分工")}
    assert chains("副县长李某、县长助理张某出席会议。") == set()
    # list items each with their own holder: the deputy assists the principal
    text = "1.公司总经理:对公司安全生产工作全面负责。\n2.公司副总经理:协助总经理做好分管范围内的安全生产工作。"
    assert chains(text) == {("总经理", "副总经理", "领导分工")}


def test_party_and_government_sharing_a_duty_but_not_the_slogan():
    assert chains("各级党委和政府要对本地区安全生产工作负总责。") == {
        ("各级党委", "各级政府", "党政同责")
    }
    assert chains("坚持党政同责、一岗双责、齐抓共管、失职追责。") == set()
    assert chains("要压实党委政府领导责任和部门监管责任。") == set()


def test_each_chain_once_per_document_with_evidence_in_its_sentence():
    text = "市和区人民政府应当加强领导。\n市和区人民政府应当保障投入。"
    r = process_text(text, "t")
    got = [f for f in r.facts if f.type == schema.CHAIN]
    assert [(f.subject[1], f.object[1]) for f in got] == [("市人民政府", "区人民政府")]
    ev = got[0].evidence
    s = r.sentences[ev.sentence]
    assert s.start <= ev.start < ev.end <= s.end and ev.rule in all_rules()


def test_supervision_wins_over_levels_for_one_pair():
    text = "乡镇人民政府应当指导村民委员会做好安全生产工作。\n村民委员会发现事故隐患的,应当向乡镇人民政府报告。"
    assert chains(text.split("\n")[1]) == {("乡镇人民政府", "村民委员会", "层级")}
    assert chains(text) == {("乡镇人民政府", "村民委员会", "督促")}


def test_a_user_rules_file_extends_the_chain_cues(tmp_path):
    from kgraph.lexicon import load_lexicon

    text = "市应急管理局要约谈重点企业主要负责人。"
    assert chains(text) == set()
    rules = tmp_path / "my.toml"
    rules.write_text('[chain_supervise_verbs]\nitems = ["约谈"]\n', encoding="utf-8")
    r = process_text(text, "t", lexicon=load_lexicon([rules]))
    assert {
        (f.subject[1], f.object[1], f.attr["kind"])
        for f in r.facts
        if f.type == schema.CHAIN
    } == {("市应急管理局", "重点企业", "督促")}


def test_inline_holder_with_colon_and_enterprise_section_heading():
    assert chains("市公安局:负责道路交通安全管理,对运输企业开展检查。") == {
        ("市公安局", "运输企业", "督促")
    }
    text = "5.1.2 安全质监部\n(1)负责监督检查各车间安全生产制度执行情况;\n(2)督促项目部落实隐患整改。"
    assert chains(text) == {
        ("安全质监部", "车间", "督促"),
        ("安全质监部", "项目部", "督促"),
    }
    assert chains("各级领导干部要深入基层检查指导,督促企业落实主体责任。") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # parallel statutory clauses in nearby sentences: the same kind of body at
        # two levels, the national scope against the local one, or the same opening
        (
            "国务院公安部门负责全国道路交通安全管理工作。县级以上地方各级人民政府公安机关交通管理部门负责本行政区域内的道路交通安全管理工作。",
            {
                (
                    "国务院公安部门",
                    "县级以上地方各级人民政府公安机关交通管理部门",
                    "层级",
                )
            },
        ),
        (
            "国务院卫生行政部门统一负责全国职业病防治的监督管理工作。国务院有关部门在各自的职责范围内负责职业病防治的有关监督管理工作。"
            "县级以上地方人民政府卫生行政部门负责本行政区域内职业病防治的监督管理工作。县级以上地方人民政府有关部门在各自的职责范围内负责职业病防治的有关监督管理工作。",
            {
                ("国务院卫生行政部门", "县级以上地方人民政府卫生行政部门", "层级"),
                ("国务院有关部门", "县级以上地方人民政府有关部门", "层级"),
            },
        ),
        # 地方各级人民政府 is below 国务院
        (
            "国务院和地方各级人民政府应当加强对消防工作的领导。",
            {("国务院", "地方各级人民政府", "层级")},
        ),
        # one level taking hold of the next
        (
            "要坚持一级抓一级,市抓县、县抓乡镇、乡镇抓村,层层压实责任。",
            {("市", "县", "层级"), ("县", "乡镇", "层级"), ("乡镇", "村", "层级")},
        ),
        # 责任书 handed down inside a company, unit by unit
        (
            "集团公司与各分公司签订安全生产责任书,各分公司要与所属车间逐级签订安全生产责任书。",
            {("集团公司", "分公司", "层级"), ("分公司", "车间", "层级")},
        ),
        (
            "市政府与各县(市、区)政府签订了安全生产目标责任书。",
            {("市政府", "县(市、区)政府", "层级")},
        ),
    ],
)
def test_level_chains_across_clauses_and_units(text, expected):
    assert chains(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a subject named by the duty it bears, lowers sharing a head across 、
        (
            "负责矿山安全监督管理的部门依照本法规定,对矿山企业和勘查、设计单位实施监督检查。",
            {
                ("负责矿山安全监督管理的部门", "矿山企业", "督促"),
                ("负责矿山安全监督管理的部门", "勘查、设计单位", "督促"),
            },
        ),
        # a list closed by 等 and a body noun is one end; closed by a place, none
        (
            "应急管理部门应当对机关、团体、企业等单位遵守安全生产法律的情况进行监督检查。",
            {("应急管理部门", "机关、团体、企业等单位", "督促")},
        ),
        (
            "市场监督管理部门应当对学校、医院、车站等公众聚集场所的电梯实施重点监督检查。",
            set(),
        ),
        # a level named alone, as subject and as object
        (
            "各县区要督促乡镇落实属地管理责任,乡镇要督促村(社区)做好隐患排查。",
            {("各县区", "乡镇", "督促"), ("乡镇", "村(社区)", "督促")},
        ),
        # the supervised body as subject: 接受X的监督检查
        (
            "煤矿企业应当接受煤矿安全监察机构的监督检查。",
            {("煤矿安全监察机构", "煤矿企业", "督促")},
        ),
        # 市场监督管理 names a department, not a supervision
        (
            "目录由国务院应急管理部门会同公安、市场监督管理、交通运输等部门制定。",
            set(),
        ),
        # a post's duty heading hands its items to the post
        (
            "3.2 车间主任安全生产职责\n组织本车间隐患排查治理。\n督促各班组落实岗位巡检制度。",
            {("车间主任", "班组", "督促")},
        ),
    ],
)
def test_supervision_constructions(text, expected):
    assert chains(text) == expected


def test_coordinated_principals_and_owned_bodies():
    # two principal roles of one owner each divide the duty
    assert chains(
        "公司董事长、总经理是公司安全生产第一责任人,分管安全生产的副总经理协助抓好日常安全管理。"
    ) == {
        ("公司董事长", "分管安全生产的副总经理", "领导分工"),
        ("公司总经理", "分管安全生产的副总经理", "领导分工"),
    }
    # a body named after 的 as belonging to the one before it
    assert chains(
        "县级以上人民政府应急管理部门对矿山安全工作行使下列职责:\n(一)检查矿山企业和管理矿山企业的主管部门执行安全法规的情况;"
    ) == {
        ("县级以上人民政府应急管理部门", "矿山企业", "督促"),
        ("县级以上人民政府应急管理部门", "管理矿山企业的主管部门", "督促"),
    }
    # a body, a short noun and 的 before the supervision: the body is supervised
    assert chains("卫生健康主管部门负责用人单位职业健康的监督管理。") == {
        ("卫生健康主管部门", "用人单位", "督促")
    }
    # 镇党委、镇政府: the level is written once for each body
    assert chains("镇党委、镇政府要对全镇安全生产工作负总责。") == {
        ("镇党委", "镇政府", "党政同责")
    }
