"""A small, realistic responsibility graph for the viz tests.

Built by hand from sentences of the seed speeches (data/speeches/) in the
graph format of kgraph/graph.py, so the renderers can be tested without
running the extraction pipeline.
"""

from __future__ import annotations

import pathlib

import networkx as nx

from kgraph import schema

D2 = "002_39b8e9ea33e11d34"
D3 = "003_4ff409ff548f7865"
D4 = "004_1daf9d7b625fd9c5"
D1 = "001_2c9bdf77f9116617"

S_DANGZHENG = (
    D3,
    41,
    "全市各级党政领导干部要按照“党政同责、‘一岗双责’、齐抓共管、失职追责”要求,"
    "对照安全生产职责清单和年度任务清单,严格尽职履责;",
)
S_YIBASHOU = (
    D2,
    12,
    "要压实责任抓落实,“一把手”要亲自抓、负总责,分管领导要具体抓、抓具体,一级抓一级,层层抓落实;",
)
S_SANGUAN = (
    D3,
    42,
    "各有关部门要按照“三管三必须”要求,严格落实部门安全监管责任,做到既管“合法”也管非法;",
)
S_QIYE = (
    D3,
    43,
    "各企业要严格落实主体责任,不断健全全员安全生产责任制、内部隐患报告奖励机制、"
    "风险分级和隐患排查治理双重预防机制,提升本质安全水平。",
)
S_SHUDI = (
    D3,
    30,
    "厘清属地政府与园区、应急与其他部门、市级与县级的安全防范责任,全面加强工贸企业的监管。",
)
S_SIZE = (
    D4,
    20,
    "全面落实企事业单位主体责任、部门监管责任、属地管理责任、党政领导责任,细化工作任务,提出量化要求,把责任层层压实到岗到人,筑牢安全生产坚固防线。",
)
S_DIYI = (
    D4,
    21,
    "企事业单位是事故隐患排查整治的责任主体,主要负责人是法定的安全生产第一责任人。",
)
S_WEIHUA = (
    D1,
    77,
    "要按照国务院安委会统一部署,在危险化学品、烟花爆竹、道路交通、建筑施工、消防、冶金、特种设备、"
    "职业危害等重点行业和领域,深入开展“打非治违”专项执法行动。",
)
S_XUNANJI = (
    D2,
    3,
    "市委书记许南吉出席会议并讲话,他强调,要深入学习贯彻习近平总书记关于安全生产的重要论述。",
)
S_ZHANG = (D2, 4, "市委副书记、市长张子建主持会议。")
S_YINGTAN = (D2, 5, "副市长李小平,鹰潭高新区党工委书记周谷昌、管委会主任肖霖出席会议。")
S_URL = (D1, 2, "详见 https://example.org/speech 的原文</script><b>。")


def ev(sent: tuple[str, int, str], needle: str, rule: str) -> dict:
    doc, index, text = sent
    start = max(0, text.find(needle))
    return {
        "doc": doc,
        "sentence": index,
        "start": 1000 + start,
        "end": 1000 + start + len(needle),
        "rule": rule,
        "text": text,
    }


def sample_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()

    def node(label: str, name: str, mentions: int = 1, docs=(D3,), **attrs: str) -> str:
        nid = schema.node_id(label, name)
        G.add_node(
            nid, label=label, name=name, mentions=mentions, docs=list(docs), **attrs
        )
        return nid

    def edge(rel: str, u: str, v: str, evidence: list[dict], **attrs: str) -> None:
        keys = schema.EDGE_KEY_ATTRS.get(rel, ())
        full = {k: attrs.get(k, "") for k in keys}
        key = "|".join([rel, *(full[k] for k in keys)])
        G.add_edge(
            u,
            v,
            key=key,
            type=rel,
            count=len(evidence),
            docs=sorted({e["doc"] for e in evidence}),
            rules=sorted({e["rule"] for e in evidence}),
            evidence=evidence,
            **full,
        )

    ORG, R, F = schema.ORGANIZATION, schema.ROLE, schema.OFFICIAL
    shiwei = node(ORG, "市委", 6, (D1, D2, D4), category="党委")
    shizf = node(ORG, "市政府", 5, (D1, D2), category="政府")
    yingji = node(ORG, "应急管理局", 2, (D3,), category="部门")
    hangye = node(ORG, "行业主管部门", 3, (D3,), category="部门")
    xiangzhen = node(ORG, "各乡镇(街道)", 2, (D3,), category="属地")
    gaoxin = node(ORG, "鹰潭高新区管委会", 1, (D2,), category="政府")
    gaoxin_dw = node(ORG, "鹰潭高新区党工委", 1, (D2,), category="党委")
    qiye = node(ORG, "企业", 4, (D3, D4), category="企业")
    yibashou = node(R, "一把手", 3, (D2, D4))
    fenguan = node(R, "分管领导", 1, (D2,))
    qiye_fzr = node(R, "企业主要负责人", 1, (D4,))
    shuji = node(R, "市委书记", 2, (D2, D4))
    shizhang = node(R, "市长", 2, (D2, D4))
    xu = node(F, "许南吉", 4, (D2,), title="市委书记", org="市委")
    zhang = node(F, "张子建", 1, (D2,), title="市委副书记、市长", org="市政府")
    li = node(F, "李小平", 1, (D2,), title="副市长", org="市政府")
    zhou = node(F, "周谷昌", 1, (D2,), title="党工委书记", org="鹰潭高新区党工委")
    dzld = node(
        schema.RESPONSIBILITY, "党政领导责任", 2, (D3, D4), category="党政领导责任"
    )
    bmjg = node(
        schema.RESPONSIBILITY, "部门监管责任", 2, (D3, D4), category="部门监管责任"
    )
    sgsbx = node(
        schema.RESPONSIBILITY, "三管三必须", 2, (D1, D3), category="部门监管责任"
    )
    sdgl = node(
        schema.RESPONSIBILITY, "属地管理责任", 1, (D4,), category="属地管理责任"
    )
    ztzr = node(
        schema.RESPONSIBILITY, "企业主体责任", 3, (D3, D4), category="企业主体责任"
    )
    dyzr = node(
        schema.RESPONSIBILITY, "第一责任人", 2, (D1, D4), category="企业主体责任"
    )
    weihua = node(schema.SECTOR, "危险化学品", 6, (D1, D3))
    gongmao = node(schema.SECTOR, "工贸", 2, (D3,))
    node(schema.SECTOR, "燃气", 1, (D4,))
    yhpc = node(schema.TASK, "隐患排查", 4, (D3, D4))
    dfzw = node(schema.TASK, "打非治违", 1, (D1,))
    meeting = node(schema.MEETING, "全市安全生产工作会议", 1, (D2,))
    docs = {
        d: node(schema.DOCUMENT, d, 1, (d,), title=t)
        for d, t in (
            (D1, "安全生产会议上的领导讲话稿"),
            (D2, "全市安全生产工作会议召开 许南吉讲话"),
            (D3, "益阳市安全生产工作会议讲话"),
            (D4, "全市安全生产工作会议召开"),
        )
    }

    C = schema.CHAIN
    edge(
        C,
        shiwei,
        shizf,
        [ev(S_DANGZHENG, "党政同责", "chain.dangzheng")],
        kind="党政同责",
    )
    edge(
        C,
        yibashou,
        fenguan,
        [ev(S_YIBASHOU, "一级抓一级", "chain.yijizhua")],
        kind="一级抓一级",
    )
    edge(C, shizf, hangye, [ev(S_SANGUAN, "各有关部门", "chain.level")], kind="层级")
    edge(
        C,
        yingji,
        hangye,
        [ev(S_SHUDI, "应急与其他部门", "chain.zonghe")],
        kind="综合监管",
    )
    edge(C, shizf, xiangzhen, [ev(S_SHUDI, "属地政府", "chain.level")], kind="层级")
    edge(
        C, xiangzhen, qiye, [ev(S_SHUDI, "属地政府与园区", "chain.shudi")], kind="属地"
    )
    edge(C, gaoxin, qiye, [ev(S_SHUDI, "园区", "chain.shudi")], kind="属地")
    edge(
        C,
        gaoxin_dw,
        gaoxin,
        [ev(S_YINGTAN, "党工委", "chain.dangzheng")],
        kind="党政同责",
    )
    edge(C, qiye, qiye_fzr, [ev(S_DIYI, "主要负责人", "chain.level")], kind="层级")
    B = schema.BEARS
    edge(
        B,
        shiwei,
        dzld,
        [
            ev(S_SIZE, "党政领导责任", "bears.list"),
            ev(S_DANGZHENG, "党政同责", "bears.dangzheng"),
        ],
    )
    edge(B, shizf, dzld, [ev(S_SIZE, "党政领导责任", "bears.list")])
    edge(B, yibashou, dzld, [ev(S_YIBASHOU, "负总责", "bears.fuzongze")])
    edge(B, hangye, sgsbx, [ev(S_SANGUAN, "三管三必须", "bears.sanguan")])
    edge(B, hangye, bmjg, [ev(S_SANGUAN, "部门安全监管责任", "bears.yao")])
    edge(B, hangye, bmjg, [ev(S_WEIHUA, "打非治违", "bears.yao")], sector="危险化学品")
    edge(B, xiangzhen, sdgl, [ev(S_SIZE, "属地管理责任", "bears.list")])
    edge(
        B,
        qiye,
        ztzr,
        [
            ev(S_QIYE, "主体责任", "bears.yao"),
            ev(S_SIZE, "企事业单位主体责任", "bears.list"),
        ],
    )
    edge(B, qiye_fzr, dyzr, [ev(S_DIYI, "第一责任人", "bears.shi")])
    edge(
        schema.COVERS_SECTOR,
        hangye,
        weihua,
        [ev(S_WEIHUA, "危险化学品", "covers.focus")],
        responsibility="部门监管责任",
    )
    edge(
        schema.COVERS_SECTOR,
        yingji,
        gongmao,
        [ev(S_SHUDI, "工贸企业", "covers.focus")],
        responsibility="",
    )
    edge(schema.PERFORMS, qiye, yhpc, [ev(S_QIYE, "隐患排查", "performs.yao")])
    edge(
        schema.PERFORMS,
        hangye,
        dfzw,
        [ev(S_WEIHUA, "打非治违", "performs.yao")],
        sector="危险化学品",
    )
    edge(
        schema.ASSIGNED,
        xu,
        yibashou,
        [ev(S_YIBASHOU, "一把手", "assigned.speaker")],
        responsibility="负总责",
    )
    edge(
        schema.ASSIGNED,
        xu,
        fenguan,
        [ev(S_YIBASHOU, "分管领导", "assigned.speaker")],
        responsibility="",
    )
    edge(schema.HOLDS_TITLE, xu, shuji, [ev(S_XUNANJI, "市委书记", "title.before")])
    edge(schema.IN_ORG, xu, shiwei, [ev(S_XUNANJI, "市委", "title.before")])
    edge(schema.HOLDS_TITLE, zhang, shizhang, [ev(S_ZHANG, "市长", "title.before")])
    edge(schema.IN_ORG, zhang, shizf, [ev(S_ZHANG, "市长", "title.before")])
    edge(schema.IN_ORG, li, shizf, [ev(S_YINGTAN, "副市长", "title.before")])
    edge(schema.IN_ORG, zhou, gaoxin_dw, [ev(S_YINGTAN, "党工委书记", "title.before")])
    edge(schema.SPOKE_AT, xu, meeting, [ev(S_XUNANJI, "讲话", "meeting.spoke")])
    edge(schema.CHAIRED, zhang, meeting, [ev(S_ZHANG, "主持会议", "meeting.chaired")])
    edge(schema.RECORDED_IN, meeting, docs[D2], [ev(S_XUNANJI, "会议", "meeting.doc")])
    mention_sents = {
        xu: [S_XUNANJI],
        zhang: [S_ZHANG],
        weihua: [S_WEIHUA, S_URL],
        qiye: [S_QIYE, S_DIYI],
        shiwei: [S_DANGZHENG],
        yibashou: [S_YIBASHOU],
    }
    for n, data in list(G.nodes(data=True)):
        if data["label"] == schema.DOCUMENT:
            continue
        for d in data["docs"]:
            sents = [s for s in mention_sents.get(n, []) if s[0] == d] or [
                (d, 0, data["name"])
            ]
            edge(
                schema.MENTIONED_IN,
                n,
                docs[d],
                [ev(s, data["name"], "mention") for s in sents],
            )
    return G


REPO = pathlib.Path(__file__).resolve().parents[2]
SEEDS = REPO / "data" / "speeches"
_seed_cache: dict[str, nx.MultiDiGraph] = {}


def seed_workspace(root) -> str:
    """Build the seed corpus (data/speeches) into ``root``/ws; returns the workspace path."""
    from kgraph.build import build_workspace

    ws = str(pathlib.Path(root) / "ws")
    build_workspace([str(SEEDS)], ws, jobs=1)
    return ws


def seed_graph(root) -> nx.MultiDiGraph:
    """The graph of the seed corpus, built once per test process."""
    if "g" not in _seed_cache:
        from kgraph.store import Workspace

        _seed_cache["g"] = Workspace(seed_workspace(root)).load_graph()
    return _seed_cache["g"]
