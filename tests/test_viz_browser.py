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
import struct
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))
from chromium_cdp import Chromium, find_chromium  # noqa: E402
from viz_sample import seed_graph  # noqa: E402

from kgraph.viz.html import write_html  # noqa: E402
from kgraph.viz.select import chain_subgraph  # noqa: E402

pytestmark = pytest.mark.browser

CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
INSTALL = "apt-get install -y chromium fonts-noto-cjk"


@pytest.fixture(scope="module")
def browser():
    if find_chromium() is None:
        if CI:
            pytest.fail(f"headless Chromium is required in CI but was not found ({INSTALL})")
        pytest.skip(f"SKIPPED LOUDLY: no chromium on PATH, the browser test did not run ({INSTALL})")
    with Chromium() as b:
        yield b


def _centre_of(page, selector_js: str) -> tuple[float, float]:
    x, y = page.evaluate(
        f"(function(){{var r=({selector_js}).getBoundingClientRect();return [r.x+r.width/2,r.y+r.height/2];}})()"
    )
    return x, y


def test_seed_chain_in_chromium(browser, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    G = chain_subgraph(seed_graph(tmp))
    out = write_html(G, tmp / "chain.html", "安全生产责任链（种子语料）")
    page = browser.new_page(1600, 1000)
    page.navigate(out.resolve().as_uri())
    assert page.evaluate("document.body.getAttribute('data-ready')") == "1"

    # drawn: one <g class="node"> per node, each with a real box and its name
    drawn = page.evaluate(
        "[...document.querySelectorAll('#kg-svg g.node')]"
        ".filter(g => { var b = g.getBBox(); return b.width > 20 && b.height > 10; }).length"
    )
    assert drawn == G.number_of_nodes()
    assert page.evaluate("document.querySelectorAll('#kg-svg g.edge').length") == G.number_of_edges()
    assert page.evaluate("document.querySelector('#kg-svg').getBoundingClientRect().width") > 600
    labels = page.evaluate("[...document.querySelectorAll('#kg-svg g.node text.nlabel')].map(t => t.textContent)")
    assert "市委" in labels and "一把手" in labels

    # a real mouse click on the 市委 node fills the evidence panel
    page.click(*_centre_of(page, "[...document.querySelectorAll('g.node')].find(g => g.querySelector('text').textContent === '市委')"))
    assert page.evaluate("document.getElementById('kg-detail').getAttribute('data-kind')") == "node"
    assert int(page.evaluate("document.getElementById('kg-detail').getAttribute('data-count')")) > 0
    panel = page.evaluate("document.getElementById('kg-detail').innerText")
    assert "市委" in panel and "规则" in panel and "_" in panel  # a document id like 002_39b8…

    # clicking on the 领导分工 edge (一把手 → 分管领导) shows that relation's evidence
    # (the seeds name no party and government body sharing a duty: no 党政同责 edge)
    edge = "[...document.querySelectorAll('g.edge')].find(g => g.querySelector('text').textContent.indexOf('领导分工') >= 0)"
    x, y = page.evaluate(
        f"(function(){{var p=({edge}).querySelector('path.hit');var m=p.getScreenCTM();"
        "var q=p.getPointAtLength(p.getTotalLength()*0.3);var s=q.matrixTransform(m);return [s.x,s.y];})()"
    )
    page.click(x, y)
    assert page.evaluate("document.getElementById('kg-detail').getAttribute('data-kind')") == "edge"
    assert "领导分工" in page.evaluate("document.getElementById('kg-detail').innerText")

    # search highlights matching nodes
    page.evaluate("document.getElementById('kg-search').focus()")
    page.send("Input.insertText", {"text": "部门"})
    page.settle(0.2)
    hits = page.evaluate("document.querySelectorAll('#kg-svg g.node.hit').length")
    assert hits >= 2
    assert page.evaluate("document.getElementById('kg-hits').textContent").startswith(str(hits))
    page.evaluate("document.getElementById('kg-search').value=''; document.getElementById('kg-search').dispatchEvent(new Event('input'))")

    shot_dir = Path(os.environ.get("KGRAPH_ARTIFACTS") or tmp)
    shot_dir.mkdir(parents=True, exist_ok=True)
    png = page.screenshot(shot_dir / "chain-chromium.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1600, 1000)
    assert len(png) > 50_000  # a drawn page, not a blank one

    page.settle(0.3)
    assert page.console_errors == []
    assert page.requests, "no request events seen: the Network domain was not recording"
    leaving = [u for u in page.requests if not (u.startswith("file://") or u.startswith("data:"))]
    assert leaving == [], f"the page tried to reach the network: {leaving}"
