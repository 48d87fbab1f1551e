"""Chain selection, tiers, layout and the HTML / DOT / Mermaid renderers."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from viz_sample import D2, sample_graph, seed_graph, seed_workspace

from kgraph import schema
from kgraph.errors import KgraphError
from kgraph.viz import dot, html, mermaid
from kgraph.viz.aggregate import cap, fold
from kgraph.viz.layout import layered_layout
from kgraph.viz.picture import prepare
from kgraph.viz.select import chain_subgraph, type_subgraph
from kgraph.viz.tiers import DROP, TIER_NAMES, group_of, rules, tier_of

CI = bool(
    __import__("os").environ.get("CI", "").strip().lower()
    not in ("", "0", "false", "no")
)


def needs_dot():
    if shutil.which("dot") is None:
        if CI:
            pytest.fail(
                "Graphviz 'dot' is required in CI (apt-get install graphviz fonts-noto-cjk)"
            )
        pytest.skip(
            "Graphviz 'dot' not installed: apt-get install graphviz fonts-noto-cjk"
        )


def names(G) -> set[str]:
    return {d["name"] for _, d in G.nodes(data=True)}


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    return seed_graph(tmp_path_factory.mktemp("seed"))


# --- tiers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, tier",
    [
        ({"label": "Organization", "name": "市委", "category": "党委"}, 0),
        ({"label": "Organization", "name": "市政府", "category": "政府"}, 0),
        ({"label": "Organization", "name": "鹰潭高新区党工委"}, 0),
        ({"label": "Organization", "name": "鹰潭高新区管委会"}, 0),
        ({"label": "Organization", "name": "市级", "category": "层级"}, DROP),
        ({"label": "Organization", "name": "市县两级"}, DROP),
        ({"label": "Organization", "name": "街乡级", "category": "层级"}, DROP),
        ({"label": "Official", "name": "许南吉", "title": "市委书记"}, 1),
        ({"label": "Official", "name": "张子建", "title": "市委副书记、市长"}, 1),
        ({"label": "Official", "name": "肖霖", "title": "管委会主任"}, 1),
        ({"label": "Role", "name": "一把手"}, 1),
        ({"label": "Role", "name": "主要负责人"}, 1),
        ({"label": "Role", "name": "党政主要领导"}, 1),
        ({"label": "Official", "name": "江训开", "title": "市委常委、常务副市长"}, 2),
        ({"label": "Official", "name": "李小平", "title": "副市长"}, 2),
        ({"label": "Role", "name": "分管领导"}, 2),
        ({"label": "Organization", "name": "应急管理局", "category": "部门"}, 3),
        ({"label": "Organization", "name": "行业主管部门"}, 3),
        ({"label": "Organization", "name": "市安委会", "category": "议事协调机构"}, 3),
        ({"label": "Organization", "name": "乡镇(街道)", "category": "属地"}, 4),
        ({"label": "Organization", "name": "各乡镇(街道)"}, 4),
        ({"label": "Organization", "name": "企业", "category": "企业"}, 5),
        ({"label": "Role", "name": "企业主要负责人"}, 5),
        ({"label": "Role", "name": "法人代表"}, 5),
        (
            {
                "label": "Responsibility",
                "name": "党政领导责任",
                "category": "党政领导责任",
            },
            6,
        ),
        ({"label": "Sector", "name": "危险化学品"}, 7),
        ({"label": "Task", "name": "隐患排查"}, 7),
        ({"label": "Document", "name": "001"}, 8),
    ],
)
def test_tier_of(data, tier):
    assert tier_of(data) == tier


def test_tier_rules_are_well_formed_data():
    table = rules()
    for rule in table:
        assert rule.label == "*" or rule.label in schema.NODE_LABELS
        assert rule.field in ("*", "name", "title", "category", "org")
        assert rule.tier == DROP or 0 <= rule.tier < len(TIER_NAMES)
        assert rule.group
    # every organisation category that means a place in the chain has a rule
    categories = [
        r.pattern
        for r in table
        if r.label == "Organization" and r.field == "category" and r.tier != DROP
    ]
    for cat in ("党委", "政府", "部门", "属地", "企业"):
        assert any(p.search(cat) for p in categories), cat
    # every label has a catch-all so no node falls through
    for label in schema.NODE_LABELS:
        assert any(r.label == label and r.field == "*" for r in table), label


def test_groups_fold_by_type_and_responsibilities_by_category():
    assert (
        group_of({"label": "Organization", "name": "应急管理局", "category": "部门"})
        == "部门"
    )
    assert (
        group_of({"label": "Organization", "name": "交通运输局", "category": "部门"})
        == "部门"
    )
    assert (
        group_of(
            {
                "label": "Responsibility",
                "name": "三管三必须",
                "category": "部门监管责任",
            }
        )
        == "部门监管责任"
    )
    assert group_of(
        {"label": "Official", "name": "许南吉", "title": "市委书记"}
    ) != group_of({"label": "Official", "name": "李小平", "title": "副市长"})


# --- selection -----------------------------------------------------------------


def test_chain_drops_document_plumbing_but_keeps_mention_sentences():
    H = chain_subgraph(sample_graph())
    labels = {d["label"] for _, d in H.nodes(data=True)}
    assert labels <= set(schema.HOLDER_LABELS) | {"Responsibility", "Sector", "Task"}
    types = {d["type"] for *_, d in H.edges(data=True)}
    assert types.isdisjoint(
        {"MENTIONED_IN", "RECORDED_IN", "SPOKE_AT", "CHAIRED", "ATTENDED"}
    )
    assert "燃气" not in names(H)  # only mentioned, held by no one
    assert H.nodes["Official:许南吉"]["mention_evidence"][0]["text"].startswith(
        "市委书记许南吉"
    )
    assert H.graph["doc_titles"][D2].startswith("全市安全生产工作会议")


def test_chain_by_sector_keeps_holders_and_their_chain_ancestors():
    H = chain_subgraph(sample_graph(), sector="危险化学品")
    got = names(H)
    assert {"行业主管部门", "危险化学品", "打非治违", "部门监管责任"} <= got
    assert {"市政府", "市委"} <= got  # 市委 -党政同责-> 市政府 -层级-> 行业主管部门
    assert "三管三必须" in got  # a generic responsibility of a sector holder stays
    assert got.isdisjoint(
        {"企业", "隐患排查", "工贸", "各乡镇(街道)", "第一责任人", "张子建", "李小平"}
    )


def test_chain_by_holder_goes_up_and_down():
    H = chain_subgraph(sample_graph(), holder="一把手")
    got = names(H)
    assert {"一把手", "分管领导", "许南吉", "党政领导责任"} <= got
    assert got.isdisjoint({"企业", "应急管理局"})
    # down from a speaker: whom they assigned duties to, and their chain
    got = names(chain_subgraph(sample_graph(), holder="许南吉"))
    assert {"许南吉", "一把手", "分管领导", "党政领导责任"} <= got
    assert got.isdisjoint({"企业", "应急管理局", "市委书记"})


def test_chain_by_place_and_doc():
    G = sample_graph()
    H = chain_subgraph(G, place="鹰潭")
    assert {"鹰潭高新区管委会", "鹰潭高新区党工委", "企业"} <= names(H)
    assert "市委" not in names(H)
    assert "周谷昌" not in names(
        H
    )  # tied to the 党工委 by 所在机构 only: hidden unless asked
    assert "周谷昌" in names(chain_subgraph(G, place="鹰潭", titles=True))
    H = chain_subgraph(G, doc=D2)
    assert H.number_of_edges() > 0
    for *_, data in H.edges(data=True):
        assert data["docs"] == [D2]
        assert data["evidence"] and all(ev["doc"] == D2 for ev in data["evidence"])
    both = chain_subgraph(G, holder="一把手", doc=D2)
    assert set(both) <= set(H)


@pytest.mark.parametrize(
    "kwargs", [{"sector": "不存在"}, {"holder": "不存在"}, {"doc": "no-such-doc"}]
)
def test_chain_names_unknown_filters(kwargs):
    with pytest.raises(KgraphError):
        chain_subgraph(sample_graph(), **kwargs)


def test_type_subgraph():
    G = sample_graph()
    H = type_subgraph(G)
    assert "Document" not in {d["label"] for _, d in H.nodes(data=True)}
    assert "Meeting" in {d["label"] for _, d in H.nodes(data=True)}
    H = type_subgraph(G, ["Official", "Organization"])
    assert {d["label"] for _, d in H.nodes(data=True)} == {"Official", "Organization"}
    with pytest.raises(KgraphError, match="unknown node type"):
        type_subgraph(G, ["Officials"])


# --- layout ----------------------------------------------------------------------


def test_layout_is_layered_and_ordered():
    H = chain_subgraph(sample_graph())
    lay = layered_layout(H)
    for a in H:
        for b in H:
            if lay.tiers[a] < lay.tiers[b]:
                assert lay.pos[a][1] < lay.pos[b][1], (a, b)
    # nodes on one line never overlap
    by_line: dict[float, list[str]] = {}
    for n, (_x, y) in lay.pos.items():
        by_line.setdefault(y, []).append(n)
    for line in by_line.values():
        line.sort(key=lambda n: lay.pos[n][0])
        for a, b in pairwise(line):
            assert (
                lay.pos[a][0] + lay.size[a][0] / 2 <= lay.pos[b][0] - lay.size[b][0] / 2
            )
    # the barycentre sweeps do not make things worse than the initial order
    assert lay.crossings <= layered_layout(H, sweeps=0).crossings
    assert lay.crossings <= 10
    # edges that skip rows get bend points
    assert lay.routes


# --- HTML ------------------------------------------------------------------------------


def _data(page: str) -> dict:
    """The page's embedded data, evidence rows resolved as chain.js does."""
    m = re.search(
        r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.DOTALL
    )
    assert m
    data = json.loads(m.group(1))
    assert len({(d, i) for d, i, _ in data["sents"]}) == len(
        data["sents"]
    )  # each sentence stored once
    for item in data["nodes"] + data["edges"]:
        item["evidence"] = [
            {
                "doc": data["sents"][ev["s"]][0],
                "sentence": data["sents"][ev["s"]][1],
                "text": data["sents"][ev["s"]][2],
                "rule": ev["rule"],
            }
            for ev in item["evidence"]
        ]
    return data


def test_html_is_self_contained_and_escaped():
    H = chain_subgraph(sample_graph())
    page = html.render_html(H, "测试</title>", aggregate=False)
    assert "http" not in page  # no CDN, no link; quoted URLs are escaped in the data
    assert re.search(r"<link|\ssrc=|@import|url\((?!#)", page) is None
    assert '<meta charset="utf-8">' in page
    assert '"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei"' in page
    assert (
        page.count("</script>") == 2
    )  # the </script> inside an evidence sentence is escaped
    assert "<title>测试&lt;/title&gt;</title>" in page
    assert page.count('<g class="node"') == H.number_of_nodes()
    assert ">市委</text>" in page and ">党政领导责任</text>" in page
    data = _data(page)
    assert len(data["nodes"]) == H.number_of_nodes()
    chain = [
        e
        for e in data["edges"]
        if e["type"] == "CHAIN" and e["attrs"]["kind"] == "党政同责"
    ]
    assert chain and "党政同责" in chain[0]["evidence"][0]["text"]
    assert chain[0]["evidence"][0]["rule"] == "chain.dangzheng"
    weihua = next(n for n in data["nodes"] if n["name"] == "危险化学品")
    assert any(
        "https://example.org" in ev["text"] and "</script>" in ev["text"]
        for ev in weihua["evidence"]
    )


def test_write_html_is_utf8_and_atomic(tmp_path, monkeypatch):
    H = chain_subgraph(sample_graph())
    out = tmp_path / "chain.html"
    html.write_html(H, out)
    raw = out.read_bytes()
    assert "责任链".encode() in raw
    raw.decode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.html"]
    before = out.read_bytes()

    def boom(*a, **k):
        raise RuntimeError("render failed")

    monkeypatch.setattr(html, "render_html", boom)
    with pytest.raises(RuntimeError):
        html.write_html(H, out)
    assert out.read_bytes() == before


def test_whole_graph_html_has_type_checkboxes():
    page = html.render_html(type_subgraph(sample_graph()), "全图")
    for label in ("Official", "Organization", "Meeting"):
        assert f'data-label="{label}"' in page
    assert "http" not in page


# --- DOT and Mermaid ------------------------------------------------------------------------


def test_dot_text():
    G = sample_graph()
    G.add_node(
        'Organization:a"b\\c', label="Organization", name='a"b\\c', category="部门"
    )
    G.add_edge(
        "Organization:市政府",
        'Organization:a"b\\c',
        key="CHAIN|层级",
        type="CHAIN",
        kind="层级",
        count=1,
        evidence=[],
    )
    H = chain_subgraph(G)
    text = dot.to_dot(H, "责任链", "note <&>")
    assert (
        "layout=nop2" in text
    )  # positions fixed: Graphviz draws our layered layout as it is
    lay = layered_layout(H, aspect=dot.ASPECT)
    assert text.count('subgraph "cluster_band') == len(
        lay.rows
    )  # one band per row, drawn under the edges
    for tier in set(lay.tiers.values()):
        assert f"label={dot.quote(TIER_NAMES[tier])}" in text
    assert "<B>图例</B>" in text and "note &lt;&amp;&gt;" in text
    assert 'fontname="Noto Sans CJK SC,' in text
    assert 'label="市委"' in text and ">责任链：党政同责</FONT>" in text
    assert '"Organization:a\\"b\\\\c"' in text


def test_dot_svg_has_chinese_text_and_png_renders(tmp_path):
    needs_dot()
    H = chain_subgraph(sample_graph())
    svg = dot.render(H, "svg", tmp_path / "chain.svg").read_text(encoding="utf-8")
    assert ">市委</text>" in svg and ">党政领导责任</text>" in svg
    assert "Noto Sans CJK SC" in svg
    assert ">图例</text>" in svg and ">部门（三管三必须 · 监管责任）</text>" in svg
    # an A4 landscape page: 841.9 × 595.3 pt
    w, h = (
        float(x)
        for x in re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
    )
    assert abs(w - 841.9) < 4 and abs(h - 595.3) < 4
    png = dot.render(H, "png", tmp_path / "chain.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert abs(width / height - 841.9 / 595.3) < 0.01 and width > 1600
    pdf = dot.render(H, "pdf", tmp_path / "chain.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    box = [
        float(x)
        for x in re.search(
            rb"MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", pdf
        ).groups()
    ]
    assert abs(box[2] - box[0] - 841.9) < 4 and abs(box[3] - box[1] - 595.3) < 4
    # the DOT text is valid for Graphviz itself
    subprocess.run(
        ["dot", "-Tcanon"],
        input=dot.to_dot(H).encode("utf-8"),
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_dot_missing_writes_dot_and_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(dot.shutil, "which", lambda name: None)
    with pytest.raises(KgraphError) as err:
        dot.render(chain_subgraph(sample_graph()), "png", tmp_path / "chain.png")
    assert str(err.value) == (
        "Graphviz 'dot' not found: wrote chain.dot instead; install with apt-get install graphviz fonts-noto-cjk"
    )
    assert "digraph" in (tmp_path / "chain.dot").read_text(encoding="utf-8")
    assert not (tmp_path / "chain.png").exists()


def test_mermaid_text():
    G = sample_graph()
    G.add_node(
        'Organization:x"<y>', label="Organization", name='x"<y>', category="部门"
    )
    G.add_edge(
        "Organization:市政府",
        'Organization:x"<y>',
        key="CHAIN|层级",
        type="CHAIN",
        kind="层级",
        count=1,
        evidence=[],
    )
    text = mermaid.to_mermaid(chain_subgraph(G))
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    assert '["市委"]' in text and '{{"党政领导责任"}}' in text
    assert '["x#quot;#lt;y#gt;"]' in text
    assert '==>|"责任链：党政同责"|' in text
    for line in lines[1:]:
        assert re.match(r"  (n\d+\b|classDef |class )", line), line


# --- the seed corpus and the CLI ------------------------------------------------------------------


def test_seed_chain_spans_the_tiers(seed):
    H = chain_subgraph(seed)
    lay = layered_layout(H)
    present = set(lay.tiers.values())
    assert {0, 1, 2, 3, 4, 5, 6, 7} <= present
    kinds = {d.get("kind") for *_, d in H.edges(data=True) if d["type"] == "CHAIN"}
    assert {"层级", "领导分工", "督促"} <= kinds <= set(schema.CHAIN_KINDS)
    page = html.render_html(H, aggregate=False)
    assert "http" not in page
    assert len(_data(page)["nodes"]) == H.number_of_nodes()


def test_seed_chain_draws_no_tier_words_and_no_title_links(seed):
    seed = seed.copy()
    # a tier word recorded as a body (older extractions did: 市级 → 县级) is never drawn
    body = next(
        n
        for n, d in seed.nodes(data=True)
        if d["label"] == "Organization" and seed.out_degree(n)
    )
    seed.add_node(
        "Organization:县级",
        label="Organization",
        name="县级",
        category="层级",
        docs=["x"],
        count=1,
    )
    seed.add_edge(
        "Organization:县级",
        body,
        type="CHAIN",
        kind="层级",
        count=1,
        docs=["x"],
        evidence=[],
    )
    tier_words = [
        d["name"] for _, d in seed.nodes(data=True) if d.get("category") == "层级"
    ]
    H = chain_subgraph(seed)
    assert not set(tier_words) & names(H)
    assert not {"HOLDS_TITLE", "IN_ORG"} & {d["type"] for *_, d in H.edges(data=True)}
    T = chain_subgraph(seed, titles=True)
    assert {"HOLDS_TITLE", "IN_ORG"} <= {d["type"] for *_, d in T.edges(data=True)}
    assert not set(tier_words) & names(T)


def test_seed_chain_folds_into_a_readable_number_of_groups(seed):
    H = chain_subgraph(seed)
    f = fold(H)
    assert f.graph.number_of_nodes() <= 30 < H.number_of_nodes()
    # every node is in exactly one group, and the counts add up
    groups = [d for _, d in f.graph.nodes(data=True) if "_members" in d]
    assert (
        sum(d["size"] for d in groups) + (f.graph.number_of_nodes() - len(groups))
        == H.number_of_nodes()
    )
    dept = next(d for d in groups if d["name"] == "部门")
    # bodies of a place carry it (鹰潭市·行业主管部门)
    assert dept["size"] >= 3 and {
        schema.unscoped_name(m["name"]) for m in dept["_members"]
    } >= {"行业主管部门"}
    # relations between groups are merged per type, counts summed
    total = sum(int(d.get("count") or 1) for u, v, d in H.edges(data=True))
    folded = sum(int(d.get("count") or 1) for u, v, d in f.graph.edges(data=True))
    inside = sum(
        int(d.get("count") or 1)
        for u, v, d in H.edges(data=True)
        if place_of(u, H) == place_of(v, H) and f.graph.has_node(place_group(u, H))
    )
    assert folded + inside == total


def place_of(n, H):
    from kgraph.viz.tiers import place

    return place(H.nodes[n])


def place_group(n, H):
    from kgraph.viz.aggregate import group_id

    return group_id(*place_of(n, H))


def test_expanding_a_group_shows_its_members_up_to_the_cap(seed):
    H = chain_subgraph(seed)
    dept = next(n for n, d in fold(H).graph.nodes(data=True) if d.get("name") == "部门")
    members = [n for n in H if place_group(n, H) == dept]
    f = fold(H, expand=[dept], member_cap=2)
    shown = [n for n in members if n in f.graph]
    assert len(shown) == 2 and all(f.graph.nodes[n]["_member"] for n in shown)
    rest = f.graph.nodes[dept + "|rest"]
    assert (
        rest["size"] == len(members) - 2
        and "另" in rest["name"]
        and f.hidden == len(members) - 2
    )
    # a member keeps its own relations
    for n in shown:
        assert f.graph.degree(n) > 0


def test_cap_keeps_the_most_mentioned_and_says_how_many_it_left_out(seed):
    H = chain_subgraph(seed)
    C, dropped = cap(H, 20)
    assert (
        C.number_of_nodes() <= 20
        and dropped == H.number_of_nodes() - C.number_of_nodes()
    )
    from kgraph.viz.aggregate import weight

    assert set(C) <= set(
        sorted(H, key=lambda n: weight(H, n))[:20]
    )  # the most mentioned, then most linked
    pic = prepare(H, aggregate=False, max_nodes=20)
    assert pic.capped and f"共 {H.number_of_nodes()} 个" in pic.note
    assert f"共 {H.number_of_nodes()} 个" in dot.to_dot(pic.graph, "t", pic.note)


def test_html_expands_a_group_from_a_template(seed):
    H = chain_subgraph(seed)
    page = html.render_html(H)
    data = _data(page)
    groups = [n for n in data["nodes"] if n.get("members")]
    assert groups and data["note"] and data["note"] in page
    templates = re.findall(r'<template class="kg-variant" data-group="([^"]+)">', page)
    assert sorted(templates) == sorted({n["group"] for n in groups})
    # members of an expanded group are listed with their own index, in the expanded view
    members = [n for n in data["nodes"] if n.get("in")]
    assert members and {m["in"] for m in members} <= set(templates)
    assert page.count('<svg id="kg-svg"') == 1


def test_lazy_workspace_load_draws_the_same_chain(tmp_path):
    from kgraph.store import Workspace
    from kgraph.viz.load import attach_evidence, load_structure
    from kgraph.viz.select import CHAIN_LABELS, CHAIN_TYPES

    ws = Workspace(seed_workspace(tmp_path))
    full = chain_subgraph(ws.load_graph())
    lazy = chain_subgraph(load_structure(ws, CHAIN_LABELS, CHAIN_TYPES))
    assert set(full) == set(lazy)
    assert sorted((u, v, k) for u, v, k in full.edges(keys=True)) == sorted(
        (u, v, k) for u, v, k in lazy.edges(keys=True)
    )
    attach_evidence(lazy)
    for u, v, k, d in lazy.edges(keys=True, data=True):
        want = full.edges[u, v, k]["evidence"]
        assert d["evidence"] and d["evidence"] == want[: len(d["evidence"])]
    assert any(d.get("mention_evidence") for _, d in lazy.nodes(data=True))


def test_cli_chain_and_viz(tmp_path):
    from typer.testing import CliRunner

    from kgraph.cli import app

    ws = seed_workspace(tmp_path)
    runner = CliRunner()
    out = tmp_path / "chain.html"
    res = runner.invoke(app, ["chain", "--workspace", ws, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "wrote" in res.output and "http" not in out.read_text(encoding="utf-8")
    res = runner.invoke(
        app,
        [
            "chain",
            "--workspace",
            ws,
            "--holder",
            "一把手",
            "--format",
            "mermaid",
            "--out",
            "-",
        ],
    )
    assert (
        res.exit_code == 0
        and res.stdout.startswith("flowchart TD")
        and "分管领导" in res.stdout
    )
    res = runner.invoke(
        app, ["chain", "--workspace", ws, "--out", str(tmp_path / "c.dot")]
    )
    assert res.exit_code == 0 and (tmp_path / "c.dot").read_text(
        encoding="utf-8"
    ).startswith("digraph")
    res = runner.invoke(
        app, ["chain", "--workspace", ws, "--holder", "没有这个人", "--out", str(out)]
    )
    assert res.exit_code == 1 and "not in the graph" in res.output
    res = runner.invoke(
        app,
        [
            "viz",
            "--workspace",
            ws,
            "--types",
            "Official,Role",
            "--out",
            str(tmp_path / "g.html"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert 'data-label="Official"' in (tmp_path / "g.html").read_text(encoding="utf-8")
    res = runner.invoke(
        app,
        [
            "viz",
            "--workspace",
            ws,
            "--types",
            "Bogus",
            "--out",
            str(tmp_path / "g.html"),
        ],
    )
    assert res.exit_code == 1 and "unknown node type" in res.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--out", "chain.jpg"], "cannot draw a .jpg file"),
        (
            ["--out", "chain.pdf", "--format", "html"],
            "--format html does not match the file name chain.pdf",
        ),
        (
            ["-f", "png", "--out", "x.svg"],
            "--format png does not match the file name x.svg",
        ),
        (["-f", "gif", "--out", "x.gif"], "unknown format 'gif'"),
    ],
)
def test_cli_refuses_a_format_the_file_name_contradicts(tmp_path, args, message):
    from typer.testing import CliRunner

    from kgraph.cli import app

    res = CliRunner().invoke(
        app,
        [
            "chain",
            "--workspace",
            str(tmp_path / "none"),
            *[str(tmp_path / a) if a.startswith(("chain.", "x.")) else a for a in args],
        ],
    )
    assert res.exit_code == 2, res.output
    assert message in res.output and len(res.output.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_picture_format_from_suffix():
    from kgraph.viz.formats import picture_format

    assert picture_format(None, Path("a.PDF")) == "pdf"
    assert picture_format(None, Path("a.svg")) == "svg"
    assert picture_format(None, None) == "html"
    assert picture_format("dot", Path("-")) == "dot"
    assert picture_format("mermaid", Path("graph.md")) == "mermaid"
    assert picture_format("png", Path("noext")) == "png"


def test_cli_writes_pdf_and_says_what_it_folded(tmp_path):
    needs_dot()
    from typer.testing import CliRunner

    from kgraph.cli import app

    ws = seed_workspace(tmp_path)
    out = tmp_path / "chain.pdf"
    res = CliRunner().invoke(app, ["chain", "--workspace", ws, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes().startswith(b"%PDF")
    assert "归并为" in res.stderr and "boxes for" in res.stdout
    res = CliRunner().invoke(
        app,
        [
            "chain",
            "--workspace",
            ws,
            "--detail",
            "--max-nodes",
            "10",
            "--out",
            str(tmp_path / "c.svg"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "只画出" in res.stderr and "只画出" in (tmp_path / "c.svg").read_text(
        encoding="utf-8"
    )


def test_a_small_selection_is_drawn_node_by_node(seed):
    from kgraph.viz.picture import FOLD_ABOVE

    small = chain_subgraph(seed, sector="危险化学品")
    assert small.number_of_nodes() <= FOLD_ABOVE
    pic = prepare(small)
    assert set(pic.graph) == set(small) and not pic.folded and pic.note == ""
    big = chain_subgraph(seed)
    assert big.number_of_nodes() > FOLD_ABOVE and prepare(big).folded


def test_small_layout_is_not_wrapped_or_blown_up(seed):
    lay = layered_layout(chain_subgraph(seed, sector="危险化学品"))
    assert lay.width >= 1100  # a screen or page shows it at its natural size
    assert len({y for _, y in lay.pos.values()}) == len(
        set(lay.tiers.values())
    )  # one line per band
