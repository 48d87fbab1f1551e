"""Duties as they are written (kgraph/extract/duties.py): statute articles, duty
lists, responsibility systems and speech sentences.  The texts are written for
these tests in the layouts real documents use; no names come from the dev set."""

from __future__ import annotations

from kgraph import process_text, schema
from kgraph.pipeline import to_contract


def bears(text: str) -> set[tuple[str, str]]:
    r = process_text(text, "t")
    return {(f.subject[1], f.object[1]) for f in r.facts if f.type == schema.BEARS}


def test_statute_article_gives_each_predicate_of_its_subject():
    got = bears(
        "某省安全生产条例\n\n第五条 县级以上人民政府应当加强对安全生产工作的领导，将安全生产工作纳入国民经济和社会发展规划，"
        "组织制定安全生产专项规划。\n"
    )
    assert got == {
        ("县级以上人民政府", "加强对安全生产工作的领导"),
        ("县级以上人民政府", "将安全生产工作纳入国民经济和社会发展规划"),
        ("县级以上人民政府", "组织制定安全生产专项规划"),
    }


def test_canonical_terms_replace_the_wording_and_semicolons_switch_subjects():
    got = bears(
        "某市安全生产条例\n\n第四条 生产经营单位是本单位安全生产的责任主体，其主要负责人对本单位的安全生产工作全面负责；"
        "其他负责人对职责范围内的安全生产工作负责。\n"
    )
    assert ("生产经营单位", "主体责任") in got
    assert (
        "生产经营单位的主要负责人",
        "全面负责",
    ) in got  # 其 resolved to the article's subject
    assert ("其他负责人", "对职责范围内的安全生产工作负责") in got


def test_coordinated_holders_split_but_shared_modifiers_stay_one():
    got = bears(
        "某市安全生产条例\n\n第六条 乡镇人民政府、街道办事处应当配备安全生产监督管理人员。\n\n"
        "第七条 市和区人民政府应当建立安全生产考核制度。\n\n"
        "第八条 开发区、工业园区、港区等功能区管理机构应当明确安全生产监督管理机构。\n"
    )
    assert ("乡镇人民政府", "配备安全生产监督管理人员") in got
    assert ("街道办事处", "配备安全生产监督管理人员") in got
    assert ("市和区人民政府", "建立安全生产考核制度") in got
    assert ("功能区管理机构", "明确安全生产监督管理机构") in got
    assert not any(h in ("市", "开发区") for h, _ in got)


def test_permissions_prohibitions_and_purposes_are_no_duties():
    got = bears(
        "某市安全生产条例\n\n第一条 为了加强安全生产工作，制定本条例。\n\n"
        "第九条 任何单位和个人不得破坏安全生产设施。\n\n"
        "第十条 从业人员依法享有获得安全生产保障的权利，并应当履行安全生产方面的义务。\n\n"
        "第十一条 生产经营单位可以委托专业机构提供安全生产技术服务。\n"
    )
    assert got == {("从业人员", "履行安全生产方面的义务")}


def test_article_heading_hands_its_subject_to_the_numbered_items():
    got = bears(
        "某市安全生产条例\n\n第十二条 区应急管理部门对本行政区域内的安全生产工作实施综合监督管理，履行下列职责：\n\n"
        "（一）组织编制安全生产专项规划；\n\n（二）依法对生产经营单位实施监督检查；\n\n（三）法律、法规规定的其他职责。\n"
    )
    assert got == {
        ("区应急管理部门", "综合监督管理"),
        ("区应急管理部门", "组织编制安全生产专项规划"),
        ("区应急管理部门", "依法对生产经营单位实施监督检查"),
        ("区应急管理部门", "法律、法规规定的其他职责"),
    }


def test_a_line_that_is_only_a_body_name_heads_the_items_below():
    got = bears(
        "(十二)林业部门。\n1.负责林区生产经营单位的安全监督管理。\n2.组织森林防火检查。\n"
        "(十三)气象部门。\n1.负责雷电灾害防御的监督管理。\n"
    )
    assert got == {
        ("林业部门", "负责林区生产经营单位的安全监督管理"),
        ("林业部门", "组织森林防火检查"),
        ("气象部门", "负责雷电灾害防御的监督管理"),
    }


def test_holder_named_only_in_the_document_title():
    got = bears(
        "县水利局安全生产权责清单\n一、指导水利工程建设安全生产工作。\n二、组织水库安全检查。\n三、配合做好防汛工作。\n"
    )
    assert got == {
        ("县水利局", "指导水利工程建设安全生产工作"),
        ("县水利局", "组织水库安全检查"),
        ("县水利局", "配合做好防汛工作"),
    }


def test_inline_holder_lines_are_read_as_running_text():
    got = bears(
        "各部门职责分工如下:\n区交通局:负责道路运输安全监管;负责客运站安全检查。\n区文旅局:负责旅游景区安全管理。\n"
    )
    assert ("区交通局", "负责道路运输安全监管") in got
    assert ("区交通局", "负责客运站安全检查") in got
    assert ("区文旅局", "负责旅游景区安全管理") in got


def test_enterprise_section_headings_hold_the_bare_lines_below():
    got = bears(
        "安全生产责任制管理制度\n5.2 各级安全生产职责\n5.2.1 设备部\n负责设备安全运行管理;\n组织特种设备定期检验;\n"
        "5.2.2 总经理\n是公司安全生产第一责任人;\n"
    )
    assert ("设备部", "负责设备安全运行管理") in got
    assert ("设备部", "组织特种设备定期检验") in got
    assert ("总经理", "第一责任人") in got
    assert not any(h.startswith("各级") for h, _ in got)


def test_holders_are_typed_and_bodies_listed_as_organisations():
    r = process_text(
        "某市安全生产条例\n\n第三条 市安全生产委员会负责统筹协调全市安全生产工作。\n"
        "生产经营单位的主要负责人对本单位安全生产工作全面负责。\n",
        "t",
    )
    labels = {f.subject for f in r.facts if f.type == schema.BEARS}
    assert (schema.ORGANIZATION, "市安全生产委员会") in labels
    assert (schema.ROLE, "生产经营单位的主要负责人") in labels
    contract = to_contract(r)
    assert "市安全生产委员会" in contract["organizations"]
    assert all(row["rule"].startswith("duty.") for row in contract["responsibilities"])


def test_speech_sentence_gives_one_duty_per_holder():
    got = bears(
        "会议强调,各镇、各部门要切实扛起安全生产政治责任,全面排查整治隐患,确保不发生重大事故。"
        "县应急局要加强统筹协调,组织开展危险化学品专项整治。"
    )
    assert ("各镇", "政治责任") in got and ("各部门", "政治责任") in got
    assert ("县应急局", "组织开展危险化学品专项整治") in got
    assert len([h for h, _ in got if h == "各镇"]) == 1


def test_speech_terms_name_their_holder_and_signed_pledges_bind_each_party():
    got = bears(
        "会议要求,压实党政领导责任、部门监管责任、企业主体责任。"
        "会上,县长与县交通局、某某镇政府和某某矿业有限公司负责人签订了安全生产责任书。"
    )
    assert {("党政", "领导责任"), ("部门", "部门监管责任"), ("企业", "主体责任")} <= got
    assert {
        ("县交通局", "安全生产责任"),
        ("某某镇政府", "安全生产责任"),
        ("某某矿业有限公司", "安全生产责任"),
    } <= got


def test_evidence_stays_inside_its_sentence():
    r = process_text(
        "某市安全生产条例\n\n第五条 县级以上人民政府应当加强对安全生产工作的领导；乡镇人民政府应当做好本辖区安全生产工作。\n",
        "t",
    )
    sentences = {s.index: s for s in r.sentences}
    duties = [f for f in r.facts if f.type == schema.BEARS]
    assert duties
    for f in duties:
        s = sentences[f.evidence.sentence]
        assert s.start <= f.evidence.start < f.evidence.end <= s.end


def test_speech_holder_told_a_task_past_attitude_setting_and_principle():
    got = bears(
        "会议强调,各街道在节前检查上一定要有足够的警惕性,帮助商户制定消防整改方案。"
        "负有燃气监管职责的部门,要加强沟通,明确联合检查职责。"
        "各乡镇要按照“属地管理”的要求,真正把责任扛起来。"
        "各镇要强化源头管控,坚持关口前移。"
        "各部门要高度重视,守牢安全底线。"
    )
    assert ("各街道", "帮助商户制定消防整改方案") in got
    assert ("负有燃气监管职责的部门", "明确联合检查职责") in got
    assert ("各乡镇", "把责任扛起来") in got
    assert ("各镇", "强化源头管控") in got
    assert not any(h == "各部门" for h, _ in got)  # attitude and a principle: no task


def test_speech_body_opening_a_sentence_without_modal_is_told_its_first_clause():
    got = bears(
        "会议强调,要抓好节前检查。区应急管理局尽快明确检查标准,依靠清单提高质量。"
        "区安委会办公室对重大隐患挂牌督办。区安委会办公室召开了专题会议。"
        "区消防救援大队对全区工作给予肯定。各街道加强组织领导,成立检查专班。"
    )
    assert ("区应急管理局", "明确检查标准") in got
    assert ("区安委会办公室", "对重大隐患挂牌督办") in got
    assert ("各街道", "成立检查专班") in got
    assert not any("专题会议" in r or "肯定" in r for _, r in got)  # reports, not tasks


def test_bare_responsibility_after_an_enterprise_names_a_duty_only_when_taken_on():
    assert ("企业", "企业责任") in bears("会议强调,在压实企业责任上,各部门要形成合力。")
    assert not any(
        r == "企业责任" for _, r in bears("会议强调,企业责任感不强的问题仍然存在。")
    )


def test_duty_holders_listed_as_bodies_less_term_fragments_and_collectives():
    r = process_text(
        "会议强调,全面落实党政领导责任、企业主体责任。市区两级安委会办公室对重大隐患挂牌督办。"
        "各区各部门各单位要开展隐患排查。",
        "t",
    )
    duty_orgs = {
        m.name
        for m in r.mentions
        if m.kind == "organization" and m.rule.startswith("duty.")
    }
    assert {"企业", "市安委会办公室", "区安委会办公室"} <= duty_orgs
    assert not duty_orgs & {"党政", "市区两级安委会办公室", "区各部门各单位"}
    assert ("各区各部门各单位", "开展隐患排查") in {
        (f.subject[1], f.object[1]) for f in r.facts if f.type == schema.BEARS
    }


def test_speech_body_given_the_work_after_a_comma_without_modal():
    got = bears(
        "会议强调,县住建局牵头开展燃气专项整治,县交通运输局负责道路运输安全监管。"
        "各部门各单位要以更加务实的作风,推动各项措施落地见效。"
    )
    assert ("县住建局", "牵头开展燃气专项整治") in got
    assert ("县交通运输局", "负责道路运输安全监管") in got
    assert not any(h == "各部门各单位" for h, _ in got)  # generic exhortation, no task


def test_needed_chars_never_turns_away_a_window_the_pattern_matches():
    import re
    from pathlib import Path

    from kgraph.ruleset import builtin_cues, needed_chars

    cues = builtin_cues()
    assert needed_chars(re.compile("x*")) is None  # may match nothing
    assert needed_chars(re.compile("[^a]b?")) is None  # any character
    assert needed_chars(re.compile("(?i)ab")) is None  # case folded
    tables = ("duty_speech_modals", "duty_body_heads", "duty_subject_follow")
    text = "".join(
        p.read_text(encoding="utf-8")
        for p in sorted(
            (Path(__file__).parent.parent / "data" / "speeches").glob("*.txt")
        )[:5]
    )
    for name in tables:
        pattern = cues.regex(name)
        need = needed_chars(pattern)
        assert need is not None, name
        turned_away = 0
        for a in range(0, len(text), 7):
            if need.search(text, a, a + 20) is None:
                turned_away += 1
                assert pattern.search(text[a : a + 20]) is None, (
                    name,
                    text[a : a + 20],
                )
        assert turned_away > 0, name  # the test is a filter, not always true


def test_nested_lists_a_list_of_targets_hands_out_no_duties():
    # 一、 > （一）: a deeper heading names no holder for the outer items after
    # it, and the items under …对下列单位…：/ 实施下列许可： are objects, not duties
    got = bears(
        "某县某局安全生产权责清单\n一、负责全县安全生产综合监督管理。\n"
        "二、依法对下列生产经营单位实施安全生产监督检查：\n（一）非煤矿山企业；\n（二）重点企业。\n"
        "三、依法实施下列安全生产行政许可：\n（一）经营许可证核发。\n"
        "四、负责全县安全生产统计分析。\n"
    )
    assert got == {
        ("某县某局", "综合监督管理"),
        ("某县某局", "依法对下列生产经营单位实施安全生产监督检查"),
        ("某县某局", "依法实施下列安全生产行政许可"),
        ("某县某局", "负责全县安全生产统计分析"),
    }


def test_permitted_measures_are_no_duties():
    got = bears(
        "某省安全生产条例\n\n第八条 负有安全生产监督管理职责的部门依法进行监督检查，可以采取下列措施：\n\n"
        "（一）进入生产经营场所实施现场检查，查阅有关资料；\n\n（二）发现事故隐患，责令立即消除。\n"
    )
    assert got == set()


def test_a_body_name_holding_a_duty_word_is_still_a_heading():
    got = bears(
        "某区部门安全生产职责\n（一）区教育局。\n1.负责教育行业安全监督管理。\n"
        "（二）区市场监督管理局。\n1.负责特种设备安全监督管理。\n"
    )
    assert ("区市场监督管理局", "负责特种设备安全监督管理") in got
    assert ("区教育局", "负责特种设备安全监督管理") not in got


def test_the_agent_after_you_holds_a_fronted_object():
    # 由 + agent: the object written before 由 goes back after the verb, or
    # with 对 before a dummy verb (进行/实施); 会同… names partners, no duty
    got = bears(
        "某安全法\n\n第三条 安全技术规范由国务院负责安全监督管理的部门制定。\n\n"
        "第四条 建设项目应当由应急管理部门进行安全条件审查。具体办法由国务院应急管理部门规定。\n\n"
        "第五条 设备目录，由国务院应急管理部门会同有关部门，根据危险特性的分类标准确定、公布，并适时调整。\n\n"
        "第六条 军事设施的消防工作，由其主管单位监督管理，消防救援机构协助。\n\n"
        "第七条 某机构应当确定重点单位，并由应急管理部门报本级人民政府备案。\n"
    )
    assert ("国务院负责安全监督管理的部门", "制定安全技术规范") in got
    assert ("应急管理部门", "对建设项目进行安全条件审查") in got
    assert ("国务院应急管理部门", "规定具体办法") in got
    assert ("国务院应急管理部门", "确定、公布并适时调整设备目录") in got
    assert ("主管单位", "监督管理军事设施的消防工作") in got
    assert ("消防救援机构", "协助") in got
    assert ("应急管理部门", "报本级人民政府备案") in got
    assert not any("由" in h for h, _ in got)


def test_a_list_closed_by_deng_is_a_holder_and_joins_with_yiji():
    got = bears(
        "某安全法\n\n第九条 乡镇人民政府和街道办事处，以及开发区、工业园区、港区等应当明确安全生产工作机构，"
        "加强监管力量建设。\n\n第十条 保税区、产业园区、游乐场等应当配备工作人员。\n"
    )
    for h in ("乡镇人民政府", "街道办事处", "开发区、工业园区、港区等"):
        assert (h, "明确安全生产工作机构") in got
        assert (h, "加强监管力量建设") in got
    assert ("保税区、产业园区、游乐场等", "配备工作人员") in got


def test_field_roles_hold_duties_and_section_labels_do_not():
    got = bears(
        "某矿山安全法\n\n第二十条 矿长对本企业的安全生产工作负责。\n"
        "矿长应当定期向职工代表大会报告安全生产工作。\n"
    )
    assert ("矿长", "对本企业的安全生产工作负责") in got
    assert ("矿长", "定期向职工代表大会报告安全生产工作") in got
    got = bears(
        "某公司全员安全生产责任制\n1 目的\n为落实主体责任，制定本制度。\n2 适用范围\n本制度适用于公司各部门。\n"
        "5 各级人员安全生产职责\n5.1 岗位员工安全生产职责\n正确佩戴劳动防护用品。\n6 附则\n本制度自发布之日起施行。\n"
    )
    assert ("岗位员工", "正确佩戴劳动防护用品") in got
    assert not any(d in ("目的", "适用范围", "附则") or "施行" in d for _, d in got)


def test_speech_posts_designated_or_answering_for_a_field():
    got = bears(
        "某镇召开安全生产工作会议。镇党委、镇政府对全镇安全生产工作负总责。"
        "企业主要负责人是本单位安全生产第一责任人，要切实做到安全投入到位。"
        "分管副镇长是直接责任人，其他班子成员对分管领域安全生产负责。企业负责人要对本企业安全生产负责。"
    )
    assert {
        ("镇党委", "负总责"),
        ("镇政府", "负总责"),
        ("企业主要负责人", "第一责任人"),
        ("分管副镇长", "直接责任人"),
        ("其他班子成员", "对分管领域安全生产负责"),
        ("企业负责人", "对本企业安全生产负责"),
    } <= got
    assert ("企业主要负责人", "做到安全投入到位") not in got


def test_chu_wai_subject_holds_both_and_the_list_below():
    got = bears(
        "某消防法\n\n第十七条 某机构应当确定重点单位。\n\n重点单位除应当履行本法第十六条规定的职责外，还应当履行下列消防安全职责：\n\n"
        "（一）确定消防安全管理人；\n\n（二）实行每日防火巡查。\n"
    )
    assert got >= {
        ("重点单位", "履行本法第十六条规定的职责"),
        ("重点单位", "确定消防安全管理人"),
        ("重点单位", "实行每日防火巡查"),
    }
    assert not any(h == "某机构" and "巡查" in d for h, d in got)


def test_occasions_chapters_and_generic_list_heads():
    got = bears(
        "某安全法\n\n第七条 生产经营单位制定有关安全生产的规章制度，应当听取工会的意见。\n\n"
        "第八条 新闻、广播、电视等有关单位，应当进行安全生产宣传教育。\n\n"
        "第九条 某单位应当履行下列职责：\n\n（一）组织安全检查。\n\n第四章 监督管理\n\n"
        "第十条 应急管理部门应当制定监督检查计划，发现事故隐患，应当及时处理。\n"
    )
    assert ("生产经营单位", "听取工会的意见") in got
    assert ("生产经营单位", "制定有关安全生产的规章制度") not in got
    assert ("新闻、广播、电视等有关单位", "进行安全生产宣传教育") in got
    assert ("应急管理部门", "发现事故隐患") not in got
    assert not any("第四章" in d for _, d in got)


def test_a_jiang_phrase_is_no_holder():
    got = bears(
        "某条例\n\n第七条 甲单位，乙单位，以及丙单位，应当将其制定的预案报送县级以上人民政府负有安全生产监督管理职责的部门备案，"
        "并依法向社会公布。\n"
    )
    assert ("乙单位", "依法向社会公布") in got
    assert not any(h.startswith("将") for h, _ in got)


def test_subjects_do_not_run_into_an_object_or_a_causee():
    got = bears(
        "某安全法\n\n第十条 县级以上人民政府及其有关部门对报告重大事故隐患的有功人员依法给予奖励。\n\n"
        "第十一条 建设单位应当委托具备资质条件的机构对建设项目进行安全评价。\n"
    )
    assert (
        "县级以上人民政府及其有关部门",
        "对报告重大事故隐患的有功人员依法给予奖励",
    ) in got
    assert ("建设单位", "委托具备资质条件的机构对建设项目进行安全评价") in got
    got = bears("某市召开安全生产会议。各县（市、区）党委和政府要落实属地管理责任。")
    assert {
        ("各县(市、区)党委", "属地管理责任"),
        ("各县(市、区)政府", "属地管理责任"),
    } <= got


def test_qizhong_names_a_part_anew_and_you_is_no_holder():
    got = bears(
        "某条例\n\n第十条 甲单位，乙单位，以及丙单位，应当建立应急救援队伍；其中，小型企业或者微型企业等规模较小的生产经营单位，"
        "可以不建立应急救援队伍，但应当指定兼职的应急救援人员。\n\n"
        "第十一条 乡、镇人民政府和街道办事处应当有相应机构和专门人员负责安全生产监督管理工作。\n"
    )
    assert ("规模较小的生产经营单位", "指定兼职的应急救援人员") in got
    assert ("街道办事处", "有相应机构和专门人员负责安全生产监督管理工作") in got
    assert not any(d == "其中" or h.startswith("有") for h, d in got)


def test_a_clause_that_is_no_duty_can_still_name_the_next_holder():
    got = bears(
        "某安全法\n\n第八条 负有安全生产监督管理职责的部门依法进行监督检查，监督检查人员不得少于二人，并应当出示执法证件。\n"
    )
    assert ("监督检查人员", "出示执法证件") in got
    assert ("负有安全生产监督管理职责的部门", "出示执法证件") not in got
