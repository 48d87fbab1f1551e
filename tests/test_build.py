"""build_workspace: incremental, deterministic, parallel = serial, atomic under signals."""

from __future__ import annotations

import importlib.util
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kgraph.build import build_workspace
from kgraph.store import Workspace

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "speeches"


def _bench():
    spec = importlib.util.spec_from_file_location(
        "build_bench", REPO / "bench" / "build_bench.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def speeches():
    """Generated speeches (shuffled seeds, renamed officials and places), as text."""
    bench = _bench()
    seeds = bench.Seeds()
    rng = random.Random(7)
    return [bench.make_speech(seeds, rng) for _ in range(120)]


def write(directory: Path, texts: list[str], start: int = 0) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(texts, start):
        p = directory / f"speech_{i:04d}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def tables(ws: Path) -> dict[str, list]:
    """Every row of the graph tables, in storage order."""
    with sqlite3.connect(ws / "graph.sqlite") as conn:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
            for t in ("nodes", "edges", "evidence")
        }


def graph_sets(ws: Path) -> tuple[list, list]:
    """Nodes and edges with their attributes, order-free (docs/evidence lists sorted)."""
    g = Workspace(ws).load_graph()

    def norm(d: dict) -> str:
        d = dict(d)
        for k in ("docs", "rules"):
            if k in d:
                d[k] = sorted(d[k])
        if "evidence" in d:
            d["evidence"] = sorted(
                json.dumps(e, sort_keys=True, ensure_ascii=False) for e in d["evidence"]
            )
        return json.dumps(d, sort_keys=True, ensure_ascii=False)

    nodes = sorted((n, norm(d)) for n, d in g.nodes(data=True))
    edges = sorted((u, v, k, norm(d)) for u, v, k, d in g.edges(keys=True, data=True))
    return nodes, edges


# --- incremental and idempotent -------------------------------------------------------------
def test_rebuild_is_identical_and_processes_nothing(tmp_path, speeches):
    corpus = tmp_path / "corpus"
    write(corpus, speeches[:40])
    first = build_workspace([corpus], tmp_path / "ws", jobs=2)
    assert len(first.processed) == 40
    before = tables(tmp_path / "ws")
    again = build_workspace([corpus], tmp_path / "ws", jobs=2)
    assert again.processed == [] and again.reused == 40 and not again.skipped
    assert (again.nodes, again.edges) == (first.nodes, first.edges)
    assert tables(tmp_path / "ws") == before  # byte-for-byte the same rows, same order


def test_adding_one_file_processes_exactly_that_file(tmp_path, speeches):
    corpus = tmp_path / "corpus"
    write(corpus, speeches[:40])
    build_workspace([corpus], tmp_path / "ws", jobs=2)
    (added,) = write(corpus, [speeches[40]], start=40)
    report = build_workspace([corpus], tmp_path / "ws", jobs=2)
    assert report.processed == [str(added)] and report.reused == 40
    # the same graph as a fresh build of the 41 files
    fresh = build_workspace([corpus], tmp_path / "fresh", jobs=2, fresh=True)
    assert len(fresh.processed) == 41
    assert graph_sets(tmp_path / "ws") == graph_sets(tmp_path / "fresh")
    # it went on from the previous graph (no re-aggregation), and the new file
    # sorts last, so even the row order is the fresh build's
    assert tables(tmp_path / "ws") == tables(tmp_path / "fresh")


def test_changed_file_is_reprocessed_and_its_old_facts_go(tmp_path, speeches):
    corpus = tmp_path / "corpus"
    paths = write(corpus, speeches[:10])
    build_workspace([corpus], tmp_path / "ws", jobs=1)
    paths[3].write_text(
        "市委书记周振华出席会议并讲话。应急管理局要加强综合监管。\n", encoding="utf-8"
    )
    report = build_workspace([corpus], tmp_path / "ws", jobs=1)
    assert report.processed == [str(paths[3])] and report.reused == 9
    build_workspace([corpus], tmp_path / "fresh", jobs=1, fresh=True)
    assert graph_sets(tmp_path / "ws") == graph_sets(tmp_path / "fresh")
    names = {
        d["name"]
        for _, d in Workspace(tmp_path / "ws").load_graph().nodes(data=True)
        if d["label"] == "Official"
    }
    assert "周振华" in names


def test_unchanged_rebuild_writes_nothing(tmp_path, speeches):
    corpus = tmp_path / "corpus"
    write(corpus, speeches[:5])
    build_workspace([corpus], tmp_path / "ws", jobs=1)
    db = tmp_path / "ws" / "graph.sqlite"
    stamp = db.stat().st_mtime_ns, db.stat().st_ino
    report = build_workspace([corpus], tmp_path / "ws", jobs=1)
    assert (report.documents, report.reused, report.processed) == (5, 5, [])
    assert (db.stat().st_mtime_ns, db.stat().st_ino) == stamp
    assert (report.nodes, report.edges) == (Workspace(tmp_path / "ws").load_graph().number_of_nodes(),
                                            Workspace(tmp_path / "ws").load_graph().number_of_edges())  # fmt: skip


def test_new_lexicon_recategorises_bodies_already_in_the_graph(tmp_path, speeches):
    # Going on from the previous graph is only right if it was aggregated with
    # the same lexicon: here it was not, so the earlier documents are re-read.
    write(tmp_path / "a", speeches[:5])
    build_workspace([tmp_path / "a"], tmp_path / "ws", jobs=1)
    node = "Organization:行业主管部门"
    assert Workspace(tmp_path / "ws").load_graph().nodes[node]["category"] == "部门"
    lex = tmp_path / "my_organizations.tsv"
    lex.write_text("#name\tcategory\n行业主管部门\t议事协调机构\n", encoding="utf-8")
    write(tmp_path / "b", speeches[5:6])
    report = build_workspace(
        [tmp_path / "b"], tmp_path / "ws", jobs=1, lexicon_files=[lex]
    )
    assert len(report.processed) == 1 and report.documents == 6
    assert (
        Workspace(tmp_path / "ws").load_graph().nodes[node]["category"]
        == "议事协调机构"
    )


def test_deleted_file_leaves_the_graph_other_paths_stay(tmp_path, speeches):
    a = write(tmp_path / "a", speeches[:3])
    b = write(tmp_path / "b", [speeches[3]], start=3)
    build_workspace([tmp_path / "a"], tmp_path / "ws", jobs=1)
    build_workspace([tmp_path / "b"], tmp_path / "ws", jobs=1)  # a's documents stay
    assert len(Workspace(tmp_path / "ws").documents()) == 4
    a[1].unlink()
    report = build_workspace([tmp_path / "a"], tmp_path / "ws", jobs=1)
    assert (
        report.removed == [str(a[1])] and report.processed == [] and report.reused == 2
    )
    docs = {d["path"] for d in Workspace(tmp_path / "ws").documents()}
    assert docs == {str(a[0]), str(a[2]), str(b[0])}
    # the same graph as building what is left from scratch, in the same order
    fresh = tmp_path / "fresh"
    build_workspace([tmp_path / "a"], fresh, jobs=1)
    build_workspace([tmp_path / "b"], fresh, jobs=1)
    assert graph_sets(tmp_path / "ws") == graph_sets(fresh)


def test_cli_says_how_many_were_processed(tmp_path, speeches):
    corpus = tmp_path / "corpus"
    write(corpus, speeches[:5])
    cmd = [
        sys.executable,
        "-c",
        "from kgraph.cli import app; app()",
        "build",
        str(corpus),
        "-w",
        str(tmp_path / "ws"),
    ]
    assert (
        "5 processed, 0 unchanged"
        in subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    )
    write(corpus, [speeches[5]], start=5)
    assert (
        "1 processed, 5 unchanged"
        in subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    )
    (corpus / "speech_0002.txt").unlink()
    assert (
        "0 processed, 5 unchanged, 1 removed (file deleted)"
        in subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    )


# --- parallel = serial ---------------------------------------------------------------------
def test_two_workers_give_exactly_the_serial_graph(tmp_path, speeches):
    corpus = tmp_path / "corpus"
    write(corpus, speeches[:60])
    for seed in sorted(
        SEEDS.glob("*.txt")
    ):  # the scraped originals too: traditional, mojibake
        (corpus / seed.name).write_bytes(seed.read_bytes())
    serial = build_workspace([corpus], tmp_path / "serial", jobs=1)
    parallel = build_workspace([corpus], tmp_path / "parallel", jobs=2)
    assert serial.processed == parallel.processed
    assert tables(tmp_path / "serial") == tables(tmp_path / "parallel")
    with (
        sqlite3.connect(tmp_path / "serial" / "graph.sqlite") as a,
        sqlite3.connect(tmp_path / "parallel" / "graph.sqlite") as b,
    ):
        q = "SELECT id, path, sha256, result FROM documents ORDER BY id"
        assert a.execute(q).fetchall() == b.execute(q).fetchall()


def test_library_graph_equals_in_memory_build_graph(tmp_path, speeches):
    """The streamed SQLite graph holds exactly what build_graph gives in memory."""
    from kgraph import build_graph
    from kgraph.pipeline import process_file

    corpus = tmp_path / "corpus"
    paths = write(corpus, speeches[:20])
    build_workspace([corpus], tmp_path / "ws", jobs=2)
    g = build_graph(process_file(p) for p in paths)
    loaded = Workspace(tmp_path / "ws").load_graph()
    assert sorted(g.nodes) == sorted(loaded.nodes)
    assert sorted(g.edges(keys=True)) == sorted(loaded.edges(keys=True))
    for u, v, k, d in g.edges(keys=True, data=True):
        assert loaded.edges[u, v, k]["evidence"] == d["evidence"]
        assert loaded.edges[u, v, k]["count"] == d["count"]


# --- atomic under signals ------------------------------------------------------------------
@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory, speeches):
    corpus = tmp_path_factory.mktemp("big") / "corpus"
    rng = random.Random(3)
    texts = [
        speeches[rng.randrange(len(speeches))] + f"第{i}次会议。\n" for i in range(500)
    ]
    write(corpus, texts)
    return corpus


def _start_build(corpus: Path, ws: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from kgraph.cli import app; app()",
            "build",
            str(corpus),
            "-w",
            str(ws),
            "--fresh",
            "--jobs",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_temp(
    ws: Path, proc: subprocess.Popen, min_bytes: int, timeout: float = 60
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        temps = list(ws.glob(".graph.sqlite.*.tmp"))
        if temps and temps[0].exists() and temps[0].stat().st_size >= min_bytes:
            return True
        time.sleep(0.01)
    return False


@pytest.mark.parametrize(
    "sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["KILL", "TERM", "INT"]
)
@pytest.mark.parametrize("when", [0, 200_000], ids=["just-started", "mid-build"])
def test_killed_build_leaves_the_previous_graph(tmp_path, big_corpus, sig, when):
    ws = tmp_path / "ws"
    build_workspace([SEEDS], ws, jobs=1)
    before = (ws / "graph.sqlite").read_bytes()
    nodes_before = Workspace(ws).load_graph().number_of_nodes()

    proc = _start_build(big_corpus, ws)
    try:
        if not _wait_for_temp(ws, proc, when):
            pytest.fail(
                f"the build finished or never started writing before it could be killed: {proc.communicate()}"
            )
        proc.send_signal(sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    assert (ws / "graph.sqlite").read_bytes() == before
    assert Workspace(ws).load_graph().number_of_nodes() == nodes_before
    if sig != signal.SIGKILL:  # caught: the half-written file is removed on the way out
        assert not list(ws.glob(".*.tmp"))

    report = build_workspace([SEEDS], ws, jobs=1)  # a normal later build
    assert report.reused == 5
    assert not list(ws.glob(".*.tmp"))
    assert Workspace(ws).load_graph().number_of_nodes() == nodes_before


def test_killed_build_leaves_no_orphan_workers(tmp_path, big_corpus):
    ws = tmp_path / "ws"
    proc = _start_build(big_corpus, ws)
    try:
        assert _wait_for_temp(ws, proc, 200_000)
        children = _children(proc.pid)
        assert children, "expected worker processes"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.05)
    assert not [pid for pid in children if _alive(pid)]


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_stale_temp_file_of_a_dead_build_is_removed(tmp_path):
    ws = tmp_path / "ws"
    build_workspace([SEEDS], ws, jobs=1)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
    )
    stale = ws / f".graph.sqlite.{int(dead.stdout)}.tmp"
    stale.write_bytes(b"half a graph")
    build_workspace([SEEDS], ws, jobs=1)
    assert not stale.exists()
