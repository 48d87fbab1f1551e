"""Picture files are what their names say: a suffix kgraph cannot draw, or a
--format that contradicts the suffix, is a one-line error (exit 2) and
writes nothing; SVG, PNG, PDF and JPEG are real files of that kind."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.build import build_workspace
from kgraph.cli import app

SEEDS = Path(__file__).resolve().parent.parent / "data" / "speeches"
MAGIC = {
    "pdf": b"%PDF-",
    "jpg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
    "svg": b"<?xml",
}
runner = CliRunner()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> str:
    ws = str(tmp_path_factory.mktemp("pictures") / "ws")
    build_workspace([str(SEEDS)], ws, jobs=1)
    return ws


def needs_dot():
    if shutil.which("dot") is None:
        if os.environ.get("CI"):
            pytest.fail("Graphviz 'dot' is required in CI (scripts/install-test-deps)")
        pytest.skip(
            "Graphviz 'dot' not installed: apt-get install graphviz fonts-noto-cjk"
        )


@pytest.mark.parametrize(
    "suffix, fmt", [(".pdf", "pdf"), (".svg", "svg"), (".png", "png")]
)
def test_static_formats_from_the_suffix_are_real_files(
    workspace, tmp_path, suffix, fmt
):
    needs_dot()
    out = tmp_path / f"chain{suffix}"
    result = runner.invoke(
        app, ["chain", "-w", workspace, "--sector", "危险化学品", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(MAGIC[fmt]) and b"<html" not in data[:2000].lower()
    if fmt == "svg":
        assert "危险化学品" in data.decode("utf-8")


@pytest.mark.parametrize(
    "args, words",
    [
        (["chain", "--format", "png", "--out", "x.svg"], "does not match"),
        (["chain", "--format", "html", "--out", "x.pdf"], "does not match"),
        (["chain", "--out", "x.docx"], "cannot draw a .docx"),
        (["chain", "--format", "gif", "--out", "x.gif"], "unknown format"),
        (["viz", "--out", "x.xlsx"], "cannot draw a .xlsx"),
        (["viz", "--format", "svg", "--out", "x.jpg"], "cannot draw a .jpg"),
    ],
)
def test_mismatched_or_unknown_picture_format_is_an_error(
    workspace, tmp_path, args, words
):
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = runner.invoke(app, [*args, "-w", workspace])
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert err.startswith("error:") and words in err and "\n" not in err
    assert list(tmp_path.iterdir()) == []


# --- what the chain and viz pictures draw by default ------------------------------------------


def seed_graph(workspace):
    from kgraph.store import Workspace

    return Workspace(workspace).load_graph()


def test_chain_never_draws_tier_words_and_hides_titles_unless_asked(workspace):
    from kgraph.viz.select import chain_subgraph

    G = seed_graph(workspace)
    # a tier word held as a body (older extractions drew 市级 → 县级 chains) is never drawn
    body = next(
        n
        for n, d in G.nodes(data=True)
        if d["label"] == "Organization" and G.out_degree(n)
    )
    G.add_node(
        "Organization:市级",
        label="Organization",
        name="市级",
        category="层级",
        docs=["x"],
        count=1,
    )
    G.add_edge(
        "Organization:市级",
        body,
        type="CHAIN",
        kind="层级",
        count=1,
        docs=["x"],
        evidence=[],
    )
    full = chain_subgraph(G, titles=True)
    assert not [
        d["name"]
        for _, d in full.nodes(data=True)
        if d.get("category") == "层级" or d["name"].endswith("级")
    ]
    assert {t for *_, t in full.edges(data="type")} & {"HOLDS_TITLE", "IN_ORG"}
    lean = chain_subgraph(G)  # titles are left out unless asked
    assert not {t for *_, t in lean.edges(data="type")} & {"HOLDS_TITLE", "IN_ORG"}
    assert lean.number_of_nodes() < full.number_of_nodes()

    hidden = runner.invoke(
        app, ["chain", "-w", workspace, "-f", "mermaid", "--out", "-"]
    )
    shown = runner.invoke(
        app, ["chain", "-w", workspace, "-f", "mermaid", "--out", "-", "--titles"]
    )
    assert hidden.exit_code == shown.exit_code == 0
    assert "任职" not in hidden.stdout and "任职" in shown.stdout


def test_row_wrapping_by_bisection_matches_trying_every_width(workspace):
    import math

    from kgraph.viz import layout
    from kgraph.viz.select import type_subgraph
    from kgraph.viz.tiers import assign_tiers

    G = type_subgraph(seed_graph(workspace))
    tiers = assign_tiers(G)
    row_tiers = sorted(set(tiers.values()))
    rows = [sorted(n for n in G if tiers[n] == t) for t in row_tiers]
    widths = {n: layout.node_width(str(G.nodes[n].get("name") or n)) for n in G}
    longest = max(len(r) for r in rows)
    assert longest > 20

    def err(k):
        _, _, w, h, _ = layout._place(rows, row_tiers, widths, k)
        return abs(math.log((w / h) / 1.4))

    every = min(range(4, longest + 1), key=lambda k: (err(k), k))
    assert (
        err(layout._wrap_for_aspect(rows, row_tiers, widths, 1.4)) <= err(every) + 0.05
    )
