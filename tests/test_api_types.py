"""The public API's types are real: the answers have the keys and value types
:mod:`kgraph.answers` declares, and a user who installs kgraph gets them from
mypy (not ``Any``)."""

from __future__ import annotations

import os
import re
import site
import subprocess
import sys
import textwrap
import typing
from pathlib import Path

import pytest

import kgraph
from kgraph import answers

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "speeches"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("api") / "ws"
    kgraph.build_workspace([SEEDS], ws, jobs=1)
    return ws


def _conforms(value: object, hint: object, where: str) -> None:
    """``value`` is of type ``hint`` (the TypedDicts, lists, str and int used in answers)."""
    if typing.is_typeddict(hint):
        assert isinstance(value, dict), where
        hints = typing.get_type_hints(hint)
        assert set(value) == set(hints), (where, sorted(set(value) ^ set(hints)))
        for key, h in hints.items():
            _conforms(value[key], h, f"{where}.{key}")
    elif typing.get_origin(hint) is list:
        assert isinstance(value, list), where
        (item,) = typing.get_args(hint)
        for i, v in enumerate(value):
            _conforms(v, item, f"{where}[{i}]")
    else:
        assert isinstance(value, hint) and not isinstance(value, bool), (  # type: ignore[arg-type]
            where,
            value,
        )


def test_who_what_gaps_answers_have_the_declared_shapes(workspace: Path) -> None:
    ws = kgraph.Workspace(workspace)
    who = kgraph.who(ws, "危险化学品")
    assert who and all(r["evidence"] for r in who)
    for i, row in enumerate(who):
        _conforms(row, answers.Answer, f"who[{i}]")
    what = kgraph.what(ws, who[0]["holder"])
    assert what
    for i, rel in enumerate(what):
        _conforms(rel, answers.Relation, f"what[{i}]")
    gaps = kgraph.gaps(ws)
    assert any(gaps.values())
    _conforms(gaps, answers.Gaps, "gaps")


def test_every_public_name_exists_and_is_exported() -> None:
    assert len(set(kgraph.__all__)) == len(kgraph.__all__)
    for name in kgraph.__all__:
        assert getattr(kgraph, name) is not None, name
    assert {"who", "what", "gaps", "load_graph", "chain_subgraph"} <= set(
        kgraph.__all__
    )


USER_SCRIPT = """\
import kgraph

answers = kgraph.who(kgraph.Workspace("kgraph-out"), "危险化学品")
reveal_type(answers)
first = answers[0]
holder: str = first["holder"]
count: int = first["count"]
wrong: int = first["holder"]
first["evidence"][0]["sentence"].upper()
gaps = kgraph.gaps("kgraph-out")
gaps["supervision"][0]["no_such_key"]
"""


@pytest.mark.slow
def test_installed_package_gives_users_real_types(tmp_path: Path) -> None:
    """``pip install`` kgraph (no editable path, no source tree on the path) into
    a fresh venv, then mypy on a user script that misuses an answer's fields."""
    # nothing may lead the new venv's python to a source tree of kgraph
    env = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv],
        check=True,
        env=env,
    )
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.strip()
    # When the tests run in a venv themselves, the new venv's "system" packages
    # are the base interpreter's: add this environment's (pip, mypy, the build
    # backend, kgraph's dependencies) after the new venv's own.
    Path(purelib, "outer-env.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    install = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            REPO,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert install.returncode == 0, install.stderr
    where = subprocess.run(
        [python, "-c", "import kgraph; print(kgraph.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    ).stdout.strip()
    assert Path(where).is_relative_to(purelib), (
        where
    )  # the installed copy, not the source tree

    script = tmp_path / "user.py"
    script.write_text(textwrap.dedent(USER_SCRIPT), encoding="utf-8")
    checked = subprocess.run(
        [
            python,
            "-m",
            "mypy",
            "--no-incremental",
            "--config-file",
            os.devnull,
            script.name,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    out = checked.stdout
    # list[TypedDict(kgraph.answers.Answer, {...})], spelt a little differently by mypy versions
    revealed = (
        r'Revealed type is "(builtins\.)?list\[TypedDict\(\'?kgraph\.answers\.Answer'
    )
    assert re.search(revealed, out), out
    errors = [ln for ln in out.splitlines() if ": error:" in ln]
    assert len(errors) == 3, out
    assert (
        'user.py:8: error: Incompatible types in assignment (expression has type "str", variable has type "int")'
        in out
    )
    assert 'user.py:9: error: "int" has no attribute "upper"' in out
    assert (
        'user.py:11: error: TypedDict "SupervisionGap" has no key "no_such_key"' in out
    )
