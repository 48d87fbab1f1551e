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
MAGIC = {"pdf": b"%PDF-", "jpg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml"}
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
        pytest.skip("Graphviz 'dot' not installed: apt-get install graphviz fonts-noto-cjk")


@pytest.mark.parametrize("suffix, fmt", [(".pdf", "pdf"), (".jpg", "jpg"), (".jpeg", "jpg"), (".svg", "svg"), (".png", "png")])
def test_static_formats_from_the_suffix_are_real_files(workspace, tmp_path, suffix, fmt):
    needs_dot()
    out = tmp_path / f"chain{suffix}"
    result = runner.invoke(app, ["chain", "-w", workspace, "--sector", "危险化学品", "--out", str(out)])
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
        (["viz", "--format", "svg", "--out", "x.jpg"], "does not match"),
    ],
)
def test_mismatched_or_unknown_picture_format_is_an_error(workspace, tmp_path, args, words):
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    result = runner.invoke(app, [*args, "-w", workspace])
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert err.startswith("error:") and words in err and "\n" not in err
    assert list(tmp_path.iterdir()) == []
