#!/usr/bin/env python
"""Screenshots of the chain view for docs/img/, with the first-screen check of the browser test.

    python tests/browser/shots.py OUT_DIR NAME=WORKSPACE[:SECTOR] ...

e.g. ``seeds=kgraph-out  x40=/tmp/ws40  sector=kgraph-out:危险化学品`` writes
OUT_DIR/chain-seeds.png … (1600×1000, headless Chromium) and prints what
the check found on each first screen.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from chromium_cdp import Chromium
from screen_check import first_screen

from kgraph.store import Workspace
from kgraph.viz.html import render_picture, write_text
from kgraph.viz.load import load_structure
from kgraph.viz.picture import prepare
from kgraph.viz.select import CHAIN_LABELS, CHAIN_TYPES, chain_subgraph

TITLES = {
    "seeds": "安全生产责任链（种子语料，5 篇）",
    "x40": "安全生产责任链（种子语料 ×40，200 篇）",
}


def main() -> int:
    out_dir = Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    bad = 0
    with Chromium() as browser, tempfile.TemporaryDirectory() as tmp:
        for spec in sys.argv[2:]:
            name, _, rest = spec.partition("=")
            ws, _, sector = rest.partition(":")
            G = load_structure(
                Workspace(ws),
                CHAIN_LABELS,
                [t for t in CHAIN_TYPES if t not in ("HOLDS_TITLE", "IN_ORG")],
            )
            H = chain_subgraph(G, sector=sector or None)
            title = TITLES.get(name, f"安全生产责任链（{sector}）" if sector else name)
            page_file = Path(tmp) / f"{name}.html"
            write_text(page_file, render_picture(prepare(H, expandable=True), title))
            page = browser.new_page(1600, 1000)
            page.navigate(page_file.resolve().as_uri())
            screen = first_screen(page)
            page.screenshot(out_dir / f"chain-{name}.png")
            print(
                f"{name}: {screen['nodes']} boxes, {len(screen['bands'])} bands, smallest name "
                f"{screen['minText']:.1f}px, problems: {screen['problems'] or 'none'}"
            )
            bad += bool(screen["problems"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
