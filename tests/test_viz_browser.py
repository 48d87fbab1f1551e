"""The seed-corpus chain page in real headless Chromium.

Driven over the DevTools protocol (tests/browser/chromium_cdp.py, stdlib
only).  Asserts the nodes are drawn, clicking a node and an edge fills the
evidence panel, search highlights, no script error, and that the page made no
request other than loading its own file.  The screenshot is kept in the test's
tmp dir, or in $KGRAPH_ARTIFACTS when set, for a human to look at.

Without Chromium the test is skipped with the install line — except under CI
(env CI set), where that is a failure.
"""

from __future__ import annotations

import os
import re
import struct
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from chromium_cdp import Chromium, find_chromium
from screen_check import first_screen
from viz_sample import seed_graph

from kgraph import schema
from kgraph.viz.aggregate import fold
from kgraph.viz.html import write_html
from kgraph.viz.select import chain_subgraph

pytestmark = pytest.mark.browser

CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
INSTALL = "apt-get install -y chromium fonts-noto-cjk"


@pytest.fixture(scope="module")
def browser():
    if find_chromium() is None:
        if CI:
            pytest.fail(
                f"headless Chromium is required in CI but was not found ({INSTALL})"
            )
        pytest.skip(
            f"SKIPPED LOUDLY: no chromium on PATH, the browser test did not run ({INSTALL})"
        )
    with Chromium() as b:
        yield b


def _centre_of(page, selector_js: str) -> tuple[float, float]:
    x, y = page.evaluate(
        f"(function(){{var r=({selector_js}).getBoundingClientRect();return [r.x+r.width/2,r.y+r.height/2];}})()"
    )
    return x, y


def _shot(page, tmp: Path, name: str) -> bytes:
    shot_dir = Path(os.environ.get("KGRAPH_ARTIFACTS") or tmp)
    shot_dir.mkdir(parents=True, exist_ok=True)
    png = page.screenshot(shot_dir / name).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (
        1600,
        1000,
    )
    return png


def test_seed_chain_in_chromium(browser, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    G = chain_subgraph(seed_graph(tmp))
    folded = fold(G).graph
    out = write_html(G, tmp / "chain.html", "安全生产责任链（种子语料）")
    page = browser.new_page(1600, 1000)
    page.navigate(out.resolve().as_uri())
    assert page.evaluate("document.body.getAttribute('data-ready')") == "1"

    # the first screen: every group drawn with a real box, bands and legend, nothing overlapping
    screen = first_screen(page)
    assert screen["problems"] == []
    assert screen["nodes"] == folded.number_of_nodes()
    assert (
        screen["edgeLabels"] >= folded.number_of_edges() // 2
    )  # most relations keep a visible caption
    assert (
        "党委 · 政府（党政同责）" in screen["bands"]
        and "企业（主体责任）" in screen["bands"]
    )
    assert screen["legendItems"] >= 5
    assert page.evaluate("document.getElementById('kg-note').textContent").startswith(
        f"{G.number_of_nodes()} 个节点"
    )
    labels = page.evaluate(
        "[...document.querySelectorAll('#kg-svg g.node text.nlabel')].map(t => t.textContent)"
    )
    assert "部门（" in " ".join(labels) and "企业（" in " ".join(labels)
    _shot(page, tmp, "chain-chromium.png")

    # a real mouse click on the 部门 group expands it: its members are drawn, the panel lists them
    node = "(name) => [...document.querySelectorAll('#kg-canvas > svg g.node')].find(g => g.querySelector('text').textContent.replace(/^[^·]*·/, '').indexOf(name) === 0)"
    page.click(*_centre_of(page, f"({node})('部门（')"))
    assert (
        page.evaluate("document.body.getAttribute('data-expanded')") == "Group:3:部门"
    )
    members = page.evaluate(
        "[...document.querySelectorAll('#kg-canvas > svg g.node.member text')].map(t => t.textContent)"
    )
    # bodies of a place are drawn with it (鹰潭市·行业主管部门)
    assert (
        "行业主管部门" in {schema.unscoped_name(m) for m in members}
        and len(members) >= 3
    )
    assert "行业主管部门" in page.evaluate(
        "document.getElementById('kg-detail').innerText"
    )
    assert first_screen(page)["problems"] == []
    _shot(page, tmp, "chain-chromium-expanded.png")

    # a member's evidence, then fold back
    page.click(*_centre_of(page, f"({node})('行业主管部门')"))
    assert (
        page.evaluate("document.getElementById('kg-detail').getAttribute('data-kind')")
        == "node"
    )
    assert (
        int(
            page.evaluate(
                "document.getElementById('kg-detail').getAttribute('data-count')"
            )
        )
        > 0
    )
    panel = page.evaluate("document.getElementById('kg-detail').innerText")
    assert "规则" in panel and "_" in panel  # a document id like 002_39b8…
    page.click(*_centre_of(page, "document.getElementById('kg-collapse')"))
    assert page.evaluate("document.body.getAttribute('data-expanded')") == ""
    assert (
        page.evaluate("document.querySelectorAll('#kg-canvas > svg g.node').length")
        == folded.number_of_nodes()
    )

    # clicking on a chain edge (the seeds hand duties down by 领导分工, 层级 and 督促;
    # they name no party and government body sharing a duty: no 党政同责 edge) shows its evidence
    edge = "[...document.querySelectorAll('#kg-canvas > svg g.edge')].find(g => /领导分工|层级|督促/.test(g.querySelector('text').textContent))"
    x, y = page.evaluate(
        f"(function(){{var p=({edge}).querySelector('path.hit');var m=p.getScreenCTM();"
        "var q=p.getPointAtLength(p.getTotalLength()*0.3);var s=q.matrixTransform(m);return [s.x,s.y];})()"
    )
    page.click(x, y)
    assert (
        page.evaluate("document.getElementById('kg-detail').getAttribute('data-kind')")
        == "edge"
    )
    assert re.search(
        "领导分工|层级|督促",
        page.evaluate("document.getElementById('kg-detail').innerText"),
    )

    # search highlights matching nodes
    page.evaluate("document.getElementById('kg-search').focus()")
    page.send("Input.insertText", {"text": "部门"})
    page.settle(0.2)
    hits = page.evaluate(
        "document.querySelectorAll('#kg-canvas > svg g.node.hit').length"
    )
    assert hits >= 1
    assert page.evaluate("document.getElementById('kg-hits').textContent").startswith(
        str(hits)
    )

    page.settle(0.3)
    assert page.console_errors == []
    assert page.requests, "no request events seen: the Network domain was not recording"
    leaving = [
        u
        for u in page.requests
        if not (u.startswith("file://") or u.startswith("data:"))
    ]
    assert leaving == [], f"the page tried to reach the network: {leaving}"


@pytest.mark.parametrize("view", ["sector", "detail"])
def test_first_screen_of_other_views_is_readable(browser, tmp_path_factory, view):
    tmp = tmp_path_factory.mktemp("browser-" + view)
    seed = seed_graph(tmp)
    if view == "sector":
        G, kwargs = chain_subgraph(seed, sector="危险化学品"), {}
    else:
        G, kwargs = chain_subgraph(seed), {"aggregate": False, "max_nodes": 40}
    out = write_html(G, tmp / f"{view}.html", view, **kwargs)
    page = browser.new_page(1600, 1000)
    page.navigate(out.resolve().as_uri())
    screen = first_screen(page)
    assert screen["problems"] == []
    assert screen["nodes"] >= 5 and screen["bands"]
    _shot(page, tmp, f"chain-{view}.png")
    assert page.console_errors == []
