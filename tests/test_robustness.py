"""Dirty input never stops a build: one line per bad file, the batch goes on.

Fixtures are in tests/fixtures/robust/ (see make_fixtures.py there); large or
numerous files are generated in tmp_path from the seed speeches.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kgraph.build import build_workspace
from kgraph.errors import InputError
from kgraph.ingest import iter_input_files
from kgraph.pipeline import process_text
from kgraph.store import Workspace

ROBUST = Path(__file__).resolve().parent / "fixtures" / "robust"
SEEDS = Path(__file__).resolve().parent.parent / "data" / "speeches"
GOOD = [
    "speech_gb18030.txt",
    "speech_big5.txt",
    "speech_utf8_bom.txt",
    "speech_utf16.txt",
]
BAD = {
    "empty.txt": "file is empty",
    "whitespace.txt": "only whitespace",
    "chart.txt": "PNG",
    "attachment.txt": "ZIP",
}


def kgraph_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from kgraph.cli import app; app()", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def officials(ws: Path) -> dict[str, str]:
    g = Workspace(ws).load_graph()
    return {
        d["name"]: d["title"] for _, d in g.nodes(data=True) if d["label"] == "Official"
    }


# --- encodings and bad files ------------------------------------------------------------
@pytest.mark.parametrize(
    "name,encoding",
    [
        ("speech_gb18030.txt", "gb18030"),
        ("speech_big5.txt", "big5"),
        ("speech_utf8_bom.txt", "utf-8-sig"),
        ("speech_utf16.txt", "utf-16"),
    ],
)
def test_each_encoding_builds_the_same_officials(tmp_path, name, encoding):
    report = build_workspace([ROBUST / name], tmp_path / "ws", jobs=1)
    assert report.processed and not report.skipped
    assert officials(tmp_path / "ws") == {
        "许南吉": "市委书记",
        "张子建": "市委副书记、市长",
    }
    assert Workspace(tmp_path / "ws").documents()[0]["encoding"] == encoding


@pytest.mark.parametrize("name,reason", sorted(BAD.items()))
def test_bad_file_is_one_line_and_the_batch_goes_on(tmp_path, name, reason):
    report = build_workspace(
        [ROBUST / name, ROBUST / "speech_gb18030.txt"], tmp_path / "ws", jobs=1
    )
    assert [Path(p).name for p in report.processed] == ["speech_gb18030.txt"]
    ((path, message),) = report.skipped
    assert Path(path).name == name
    assert reason in message and name in message and "\n" not in message


def test_mixed_batch_cli_default_warns_strict_fails(tmp_path):
    batch = tmp_path / "batch"
    shutil.copytree(ROBUST, batch, ignore=shutil.ignore_patterns("*.py"))
    proc = kgraph_cli("build", str(batch), "-w", str(tmp_path / "ws"), "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert "4 processed" in proc.stdout
    assert "4 file(s) skipped" in proc.stderr
    for name, reason in BAD.items():  # one line per bad file, naming it and why
        lines = [ln for ln in proc.stderr.splitlines() if name in ln]
        assert len(lines) == 1 and reason in lines[0], proc.stderr
    assert officials(tmp_path / "ws")["许南吉"] == "市委书记"

    strict = kgraph_cli("build", str(batch), "-w", str(tmp_path / "ws2"), "--strict")
    assert strict.returncode != 0
    assert "4 file(s) skipped" in strict.stderr
    assert Workspace(tmp_path / "ws2").exists()  # the good files were still built


def test_all_bad_fails_and_leaves_the_previous_graph(tmp_path):
    ws = tmp_path / "ws"
    build_workspace([SEEDS], ws, jobs=1)
    before = (ws / "graph.sqlite").read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    for name in BAD:
        shutil.copy(ROBUST / name, bad / name)
    proc = kgraph_cli("build", str(bad), "-w", str(ws))
    assert proc.returncode != 0
    assert "nothing could be built" in proc.stderr
    assert (ws / "graph.sqlite").read_bytes() == before
    assert not list(ws.glob(".*.tmp"))
    with pytest.raises(InputError):
        build_workspace([bad], ws, jobs=2)
    assert (ws / "graph.sqlite").read_bytes() == before


# --- files that change or refuse under us -----------------------------------------------
def test_file_deleted_during_the_build(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i, seed in enumerate(seeds):
        shutil.copy(seed, corpus / f"{i}.txt")
    victim = corpus / f"{len(seeds) - 1}.txt"

    def progress(event: str, detail: str) -> None:
        if event == "start":  # the files are listed; now one of them goes away
            victim.unlink()

    report = build_workspace([corpus], tmp_path / "ws", jobs=1, progress=progress)
    assert len(report.processed) == len(seeds) - 1
    ((path, message),) = report.skipped
    assert path == str(victim) and "no such file" in message


def test_unreadable_file_is_skipped(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROBUST / "speech_gb18030.txt", corpus / "a.txt")
    locked = corpus / "locked.txt"
    if os.geteuid() != 0:
        shutil.copy(ROBUST / "speech_gb18030.txt", locked)
        locked.chmod(0)
    else:
        # root reads any mode-000 file; a write-only sysfs attribute still
        # refuses a read with EACCES, so the build meets a real PermissionError.
        target = Path("/sys/bus/pci/rescan")
        try:
            target.open("rb").close()
        except PermissionError:
            locked.symlink_to(target)
        except OSError:
            pytest.skip(
                "running as root and no file here refuses root a read (no /sys/bus/pci/rescan)"
            )
        else:
            pytest.skip(
                "running as root and /sys/bus/pci/rescan is readable: cannot provoke PermissionError"
            )
    try:
        report = build_workspace([corpus], tmp_path / "ws", jobs=1)
    finally:
        if not locked.is_symlink():
            locked.chmod(0o644)
    assert [Path(p).name for p in report.processed] == ["a.txt"]
    ((path, message),) = report.skipped
    # a document is its resolved path: the link's target when it is one
    assert path == os.path.realpath(locked) and "permission denied" in message


def test_symlink_loops_are_walked_once(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    shutil.copy(ROBUST / "speech_utf8_bom.txt", corpus / "sub" / "speech.txt")
    (corpus / "sub" / "loop").symlink_to(corpus)  # corpus/sub/loop → corpus → …
    (corpus / "self").symlink_to(corpus / "self")  # a link to itself: ELOOP
    (corpus / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (corpus / "a.txt").symlink_to(corpus / "b.txt")
    (corpus / "b.txt").symlink_to(corpus / "a.txt")
    files = list(iter_input_files([corpus]))
    assert [f.name for f in files] == ["speech.txt"]
    report = build_workspace([corpus], tmp_path / "ws", jobs=1)
    assert len(report.processed) == 1 and not report.skipped


def test_ten_thousand_tiny_files(tmp_path):
    corpus = tmp_path / "tiny"
    corpus.mkdir()
    lines = [
        ln
        for f in sorted(SEEDS.glob("*.txt"))
        for ln in f.read_text(encoding="utf-8").splitlines()
        if len(ln) > 10
    ]
    for i in range(10_000):
        (corpus / f"{i:05d}.txt").write_text(
            lines[i % len(lines)][:60] + f"。第{i}号\n", encoding="utf-8"
        )
    report = build_workspace([corpus], tmp_path / "ws", jobs=2)
    assert len(report.processed) + len(report.skipped) == 10_000
    assert len(report.processed) >= 9_000
    again = build_workspace([corpus], tmp_path / "ws", jobs=2)
    assert again.processed == [] and again.reused == len(report.processed)


def test_fifty_megabyte_file(tmp_path):
    """A 50 MB 'speech' (a dump of many) is refused in one line, fast, and the
    rest of the batch is built; with the limit lifted it is read whole."""
    seed = "".join(f.read_text(encoding="utf-8") for f in sorted(SEEDS.glob("*.txt")))
    big = tmp_path / "corpus" / "dump.txt"
    big.parent.mkdir()
    with big.open("w", encoding="utf-8") as fh:
        written = 0
        chunk = seed.encode("utf-8")
        while written < 50_000_000:
            fh.write(seed)
            written += len(chunk)
    shutil.copy(ROBUST / "speech_gb18030.txt", big.parent / "small.txt")
    report = build_workspace([big.parent], tmp_path / "ws", jobs=1)
    assert [Path(p).name for p in report.processed] == ["small.txt"]
    ((path, message),) = report.skipped
    assert "too large" in message and "--max-mb" in message and "\n" not in message

    from kgraph.ingest import read_file

    raw = read_file(big)  # reading, hashing and decoding 50 MB stays cheap
    assert len(raw.text) >= 15_000_000 and raw.encoding == "utf-8"


# --- garbage never becomes an official -------------------------------------------------
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
NOISE = st.text(
    alphabet=st.one_of(
        CJK,
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("，。、；：？！“”《》\n "),
    ),
    max_size=300,
)
TITLES = [
    "市委书记",
    "市长",
    "副市长",
    "县委书记",
    "局长",
    "书记",
    "组长",
    "党工委书记",
    "市委副书记、市长",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NOISE)
def test_noise_without_titles_yields_no_officials(text):
    from kgraph.clean import clean_text
    from kgraph.lexicon import load_lexicon

    # Noise only: random characters that happen to spell a title are not noise.
    assume(not load_lexicon().title_pattern.search(clean_text(text).text))
    result = process_text(text, "noise")
    assert [m for m in result.mentions if m.kind == "official"] == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(NOISE, st.sampled_from(TITLES), NOISE), max_size=4))
def test_noise_around_titles_never_crashes_and_names_are_plausible(parts):
    from kgraph.extract.officials import is_plausible_name
    from kgraph.lexicon import load_lexicon

    lex = load_lexicon()
    text = "".join(a + t + b for a, t, b in parts)
    result = process_text(text, "noise")
    for m in result.mentions:
        if m.kind == "official" and m.rule != "official.surname_title":
            assert is_plausible_name(m.name, lex), m
        assert 0 <= m.start < m.end <= len(result.document.text)


# --- text without sentence punctuation (issue 13, case 5) -----------------------------
def _no_punctuation_line(chars: int) -> str:
    """The seed speeches as one line with no 。！？ (nor ; newlines): a dump a
    scraper flattened.  Clause commas stay in the first half, the second
    half has no punctuation at all."""
    import re

    seed = "".join(f.read_text(encoding="utf-8") for f in sorted(SEEDS.glob("*.txt")))
    with_commas = re.sub(r"[。！？!?；;\r\n]", "", seed)
    bare = re.sub(r"[^\u4e00-\u9fff]", "", seed)
    half = chars // 2
    return (with_commas * (half // len(with_commas) + 1))[:half] + (
        bare * (half // len(bare) + 1)
    )[: chars - half]


def test_sentences_are_bounded_whatever_the_punctuation():
    from kgraph.sentences import CUT, LONG_LEN

    text = _no_punctuation_line(60_000)
    result = process_text(text, "flat")
    sentences = result.sentences
    assert len(sentences) > 60_000 // LONG_LEN
    assert max(len(s.text) for s in sentences) <= LONG_LEN
    assert all(result.document.text[s.start : s.end] == s.text for s in sentences)
    assert "".join("".join(s.text.split()) for s in sentences) == "".join(
        result.document.text.split()
    )
    # where the text was cut is on record: at the start of the stretch cut, a sentence start
    cuts = [f for f in result.document.flags if f.reason == CUT]
    starts = {s.start for s in sentences}
    assert cuts and all(c.start == c.end and c.start in starts for c in cuts)
    # and extraction still works inside the cut text
    assert {"许南吉"} <= {m.name for m in result.mentions if m.kind == "official"}


# --- issue 13: never lose or double a document ------------------------------------------
CLI = [sys.executable, "-c", "from kgraph.cli import app; app()"]


def run(
    *args: str,
    cwd: Path | None = None,
    prefix: list[str] = (),
    timeout: float = 300,
    **kw,
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*prefix, *CLI, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        **kw,
    )


def one_line_error(proc: subprocess.CompletedProcess, code: int | None = None) -> str:
    """The command failed with exactly one line on stderr, no traceback."""
    assert proc.returncode != 0, proc.stdout + proc.stderr
    if code is not None:
        assert proc.returncode == code, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


def seed_corpus(root: Path, names: list[str]) -> list[Path]:
    """Copies of the first seeds under new names (the stems become document ids)."""
    root.mkdir(parents=True, exist_ok=True)
    out = []
    for name, seed in zip(names, sorted(SEEDS.glob("*.txt")), strict=False):
        out.append(root / name)
        shutil.copy(seed, out[-1])
    return out


def doc_paths(ws: Path) -> list[str]:
    return sorted(d["path"] for d in Workspace(ws).documents())


def test_build_from_another_directory_keeps_every_document(tmp_path):
    """Case 1: paths were stored relative to the directory a build ran in, and
    a build elsewhere took them all for deleted."""
    base = tmp_path / "a"
    seed_corpus(base / "repo" / "data", ["d1.txt", "d2.txt", "d3.txt"])
    (base / "other").mkdir()
    (base / "other" / "o1.txt").write_text(
        "市委书记周振华出席会议并讲话。应急管理局要加强综合监管。\n", encoding="utf-8"
    )
    ws = tmp_path / "ws"
    assert run("build", "repo/data", "-w", str(ws), cwd=base).returncode == 0
    proc = run("build", ".", "-w", str(ws), cwd=base / "other")
    assert proc.returncode == 0, proc.stderr
    assert "removed" not in proc.stdout, proc.stdout
    assert len(doc_paths(ws)) == 4
    assert all(os.path.isabs(p) and os.path.exists(p) for p in doc_paths(ws))
    # a file really deleted from the directory built does go
    (base / "repo" / "data" / "d2.txt").unlink()
    proc = run("build", "data", "-w", str(ws), cwd=base / "repo")
    assert "1 removed (file deleted)" in " ".join(proc.stdout.split())
    assert sorted(Path(p).name for p in doc_paths(ws)) == ["d1.txt", "d3.txt", "o1.txt"]


def test_three_spellings_of_a_path_are_one_document(tmp_path):
    """Case 2: repo/data, /abs/repo/data and (cd repo; data) gave 15 documents for 5."""
    repo = tmp_path / "repo"
    seed_corpus(repo / "data", [f"s{i}.txt" for i in range(5)])
    ws = tmp_path / "ws"
    for args, cwd in (
        ("repo/data", tmp_path),
        (str(repo / "data"), Path("/")),
        ("data", repo),
        ("./data/../data/", repo),
    ):
        proc = run("build", args, "-w", str(ws), cwd=cwd)
        assert proc.returncode == 0, proc.stderr
    assert len(Workspace(ws).documents()) == 5
    assert not any("~" in d["id"] for d in Workspace(ws).documents())
    # the last three builds found nothing to do
    assert "0 processed, 5 unchanged" in " ".join(proc.stdout.split())


def test_identical_bytes_under_another_name_are_read_once(tmp_path):
    corpus = tmp_path / "corpus"
    a, b = seed_corpus(corpus, ["a.txt", "b.txt"])
    shutil.copy(a, corpus / "a_copy.txt")
    shutil.copy(a, corpus / "sub_a.txt")
    ws = tmp_path / "ws"
    report = build_workspace([corpus], ws, jobs=1)
    assert [Path(p).name for p in report.processed] == ["a.txt", "b.txt"]
    assert sorted((Path(p).name, Path(o).name) for p, o in report.copies) == [
        ("a_copy.txt", "a.txt"),
        ("sub_a.txt", "a.txt"),
    ]
    assert report.documents == 2
    assert sorted(Path(p).name for p in Workspace(ws).copies()) == [
        "a_copy.txt",
        "sub_a.txt",
    ]
    # counts are those of the two distinct files
    single = build_workspace([a, b], tmp_path / "single", jobs=1)
    assert (report.nodes, report.edges) == (single.nodes, single.edges)
    # a copy of a document already in the graph, built later from elsewhere
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(b, other / "b_again.txt")
    out = " ".join(
        run("build", str(other), "-w", str(ws)).stdout.split()
    )  # rich wraps at 80 columns
    assert "1 duplicates folded" in out and "2 documents" in out, out


def test_a_second_build_is_refused_or_waits_and_readers_go_on(tmp_path):
    """Case 3: two builds into one workspace: the last writer won, silently."""
    first, second = tmp_path / "first", tmp_path / "second"
    seed_corpus(first, ["f1.txt", "f2.txt"])
    (second / "s1.txt").parent.mkdir()
    (second / "s1.txt").write_text(
        "市委书记周振华出席会议并讲话。应急管理局要加强危险化学品综合监管。\n",
        encoding="utf-8",
    )
    ws = tmp_path / "ws"
    build_workspace([first], ws, jobs=1)
    with Workspace(ws).lock():  # a build in progress
        err = one_line_error(run("build", str(second), "-w", str(ws)), 3)
        assert (
            f"another build is writing this workspace ({ws}/, pid {os.getpid()})" in err
        )
        # readers use the last complete graph meanwhile
        assert run("who", "危险化学品", "-w", str(ws)).returncode == 0
        waiting = subprocess.Popen(
            [*CLI, "build", str(second), "-w", str(ws), "--wait"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert waiting.wait(timeout=2) is None
        except subprocess.TimeoutExpired:
            pass  # still waiting for the lock, as it should
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert sorted(Path(p).name for p in doc_paths(ws)) == ["f1.txt", "f2.txt", "s1.txt"]


def test_concurrent_builds_both_land(tmp_path):
    dirs = []
    for i in range(3):
        d = tmp_path / f"c{i}"
        d.mkdir()
        (d / f"n{i}.txt").write_text(
            f"市委书记周振华出席第{i}次会议并讲话。应急管理局要加强综合监管。\n",
            encoding="utf-8",
        )
        dirs.append(d)
    ws = tmp_path / "ws"
    procs = [
        subprocess.Popen(
            [*CLI, "build", str(d), "-w", str(ws), "--wait", "-j", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in dirs
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    assert sorted(Path(p).name for p in doc_paths(ws)) == ["n0.txt", "n1.txt", "n2.txt"]
    assert not [
        p for p in ws.iterdir() if p.name.endswith(".tmp") or p.name == ".build.lock"
    ]


def _truncate(db: Path) -> None:
    os.truncate(db, db.stat().st_size // 2)


def _garble_pages(db: Path) -> None:
    """Random bytes over pages in the middle; the header stays valid."""
    import random

    data = bytearray(db.read_bytes())
    rng = random.Random(13)
    page = 4096
    first = max(2, len(data) // page // 3)
    for i in range(first * page, min(len(data), (first + 4) * page)):
        data[i] = rng.randrange(256)
    db.write_bytes(bytes(data))


COMMANDS = [
    ("who", "危险化学品"),
    ("what", "市委"),
    ("gaps",),
    ("stats",),
    ("export", "json", "{tmp}/x.json"),
    ("chain", "--out", "{tmp}/c.html"),
    ("viz", "--out", "{tmp}/v.html"),
    ("push", "--uri", "bolt://127.0.0.1:9"),
    ("build", "{extra}"),
]


@pytest.mark.parametrize(
    "damage", [_truncate, _garble_pages], ids=["truncated", "garbled"]
)
def test_a_damaged_workspace_is_refused_by_every_command_and_prev_restores(
    tmp_path, damage
):
    """Case 4: a truncated graph was silently replaced by the next build;
    garbage in its pages gave tracebacks, or exit 0 with half an answer."""
    first, extra = tmp_path / "first", tmp_path / "extra"
    seed_corpus(first, ["f1.txt", "f2.txt", "f3.txt"])
    seed_corpus(extra, ["e1.txt"])
    (extra / "e1.txt").write_text(
        "市委书记周振华出席会议并讲话。应急管理局要加强综合监管。\n", encoding="utf-8"
    )
    ws = tmp_path / "ws"
    build_workspace([first], ws, jobs=1)
    build_workspace(
        [first / "f1.txt"], ws, jobs=1, fresh=True
    )  # a second build: graph.sqlite.prev is the first
    db, prev = ws / "graph.sqlite", ws / "graph.sqlite.prev"
    assert len(doc_paths(ws)) == 1
    damage(db)
    damaged = db.read_bytes()
    for cmd in COMMANDS:
        args = [a.format(tmp=tmp_path, extra=extra) for a in cmd]
        err = one_line_error(run(*args, "-w", str(ws)))
        assert "damaged" in err and "graph.sqlite.prev" in err and "--fresh" in err, err
    assert db.read_bytes() == damaged  # build did not touch it
    # the kept previous graph restores
    assert prev.is_file()
    os.replace(prev, db)
    proc = run("stats", "-w", str(ws), "--json")
    assert proc.returncode == 0 and '"documents": 3' in proc.stdout, proc.stderr
    # and --fresh replaces a damaged graph without making it the .prev
    damage(db)
    proc = run("build", str(extra), "-w", str(ws), "--fresh")
    assert proc.returncode == 0, proc.stderr
    assert not prev.exists() and [Path(p).name for p in doc_paths(ws)] == ["e1.txt"]


def test_each_build_keeps_the_graph_it_replaced(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    seed_corpus(a, ["a1.txt"])
    seed_corpus(b, ["x.txt", "b1.txt"])
    (b / "x.txt").unlink()
    ws = tmp_path / "ws"
    build_workspace([a], ws, jobs=1)
    assert not (ws / "graph.sqlite.prev").exists()
    first = (ws / "graph.sqlite").read_bytes()
    build_workspace([b], ws, jobs=1)
    assert (ws / "graph.sqlite.prev").read_bytes() == first
    build_workspace([b], ws, jobs=1)  # nothing changed, nothing written
    assert (ws / "graph.sqlite.prev").read_bytes() == first


def test_fifo_and_devices_are_refused_without_reading(tmp_path):
    """Case 6: a FIFO on the command line hung build and extract forever;
    /dev/zero was read for 200 MB before it was refused."""
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    ok = seed_corpus(tmp_path / "ok", ["ok.txt"])[0]
    # build: skipped on the command line, listed in a directory; extract too
    # (in a child first: where a FIFO is opened the test would hang, not fail)
    proc = run(
        "build", str(fifo), "/dev/zero", str(ok), "-w", str(tmp_path / "ws"), timeout=60
    )
    err = " ".join(proc.stderr.split())
    assert proc.returncode == 0 and "1 processed" in proc.stdout, proc.stderr
    assert (
        "pipe.txt: not a regular file (a FIFO)" in err
        and "/dev/zero: not a regular file" in err
    )
    proc = run("extract", str(fifo), str(ok), timeout=60)
    assert (
        proc.returncode == 1
        and proc.stdout.count("\n") == 1
        and "a FIFO" in proc.stderr
    )
    from kgraph.ingest import list_inputs, read_file

    for path, kind in ((fifo, "a FIFO"), (Path("/dev/zero"), "a character device")):
        with pytest.raises(InputError, match=f"not a regular file \\({kind}\\)"):
            read_file(path)
    shutil.move(str(fifo), ok.parent / "pipe.txt")
    assert [r for _, r in list_inputs([ok.parent]).not_read] == [
        f"{ok.parent / 'pipe.txt'}: not a regular file (a FIFO)"
    ]


def test_max_mb_bounds_every_read(tmp_path):
    from kgraph.pipeline import process_file

    big = tmp_path / "big.txt"
    big.write_text("安全生产责任重于泰山。\n" * 40_000, encoding="utf-8")  # 1.3 MB
    with pytest.raises(InputError, match="too large"):
        process_file(big, max_bytes=1_000_000)
    proc = run("extract", str(big), "--max-mb", "1")
    assert (
        proc.returncode == 1
        and "too large" in proc.stderr
        and "--max-mb" in proc.stderr
    )


def test_korean_read_as_gb18030_is_refused_naming_the_encoding(tmp_path):
    """Case 8: EUC-KR decoded as GB18030 gibberish and became a document."""
    korean = (
        "안전은 모든 것에 우선합니다. 각 부서와 기업은 위험 요소를 점검하고 사고를 예방해야 합니다. "
        "오늘 회의에서는 올해의 안전 관리 목표를 확인하고 책임을 분명히 하겠습니다.\n"
    ) * 5
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "korean.txt").write_bytes(korean.encode("euc-kr"))
    (tmp_path / "c" / "japanese.txt").write_bytes(
        (
            "安全は全てに優先します。私たちは安全生産責任制を徹底しなければなりません。\n"
            * 5
        ).encode("shift_jis")
    )
    shutil.copy(ROBUST / "speech_gb18030.txt", tmp_path / "c" / "chinese.txt")
    report = build_workspace([tmp_path / "c"], tmp_path / "ws", jobs=1)
    assert [Path(p).name for p in report.processed] == ["chinese.txt"]
    reasons = dict((Path(p).name, e) for p, e in report.skipped)
    for name in ("korean.txt", "japanese.txt"):
        assert (
            "decoded as GB18030" in reasons[name]
            and "not plausible Chinese" in reasons[name]
            and "\n" not in reasons[name]
        )
    # real GB18030 and Big5 text is not touched
    assert {d["encoding"] for d in Workspace(tmp_path / "ws").documents()} == {
        "gb18030"
    }
    assert build_workspace(
        [ROBUST / "speech_big5.txt"], tmp_path / "ws5", jobs=1
    ).processed


def test_a_directory_build_lists_every_file_it_does_not_read(tmp_path):
    corpus = tmp_path / "corpus"
    seed_corpus(corpus, ["a.txt"])
    (corpus / "report.docx").write_bytes(b"PK\x03\x04docx")
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.7")
    (corpus / "README").write_text("notes")
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (corpus / ".hidden.txt").write_text("x")
    report = build_workspace([corpus], tmp_path / "ws", jobs=1)
    assert [Path(p).name for p in report.processed] == ["a.txt"]
    # .docx and .pdf are read (kgraph.readers): these two are broken, so they are skipped with the reason
    skipped = {Path(p).name: r for p, r in report.skipped}
    assert (
        sorted(skipped) == ["report.docx", "scan.pdf"]
        and "not a readable PDF" in skipped["scan.pdf"]
    )
    reasons = {Path(p).name: r for p, r in report.not_read}
    assert sorted(reasons) == ["README", "gone.txt", "loop.txt", "pipe.txt"]
    assert "not a supported file type (no suffix" in reasons["README"]
    assert (
        "symlink loop" in reasons["loop.txt"]
        and "broken symlink" in reasons["gone.txt"]
    )
    assert "a FIFO" in reasons["pipe.txt"]
    proc = run("build", str(corpus), "-w", str(tmp_path / "ws2"))
    err = " ".join(proc.stderr.split())
    assert (
        proc.returncode == 0
        and "4 file(s) in the directories not read:" in err
        and "2 file(s) skipped:" in err
    )
    assert all(reason in err for reason in reasons.values()), err


def _read_only_prefix(directory: Path) -> list[str] | None:
    """A command prefix under which ``directory`` is read-only: chmod for a
    normal user; root ignores modes, so a read-only bind mount in a private
    user and mount namespace (unshare), or None if that is not possible."""
    if os.geteuid() != 0:
        directory.chmod(0o555)
        return []
    if (
        not shutil.which("unshare")
        or subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode
        != 0
    ):
        return None
    return [
        "unshare",
        "-rm",
        "sh",
        "-c",
        'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
        str(directory),
    ]


def test_every_error_case_is_one_line_and_non_zero(tmp_path):
    """Case 9: each of these printed a traceback, or went on as if nothing happened."""
    import resource

    corpus = tmp_path / "corpus"
    seed_corpus(corpus, ["a.txt", "b.txt"])
    ws = tmp_path / "ws"
    assert run("build", str(corpus), "-w", str(ws)).returncode == 0
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    cases = {
        "--out onto a directory (chain)": run(
            "chain", "-w", str(ws), "--out", str(out_dir)
        ),
        "export onto a directory": run(
            "export", "graphml", str(out_dir), "-w", str(ws)
        ),
        "bad bolt URI": run("push", "-w", str(ws), "--uri", "bolt://[::1"),
        "who ''": run("who", "", "-w", str(ws)),
        "what ''": run("what", " ", "-w", str(ws)),
        "nothing readable": run("build", str(tmp_path / "nope.txt"), "-w", str(ws)),
    }

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64_000, 64_000))

    cases["disk full (ulimit -f)"] = run(
        "build", str(corpus), "-w", str(tmp_path / "full"), preexec_fn=small_files
    )
    cases["export, disk full"] = run(
        "export", "json", str(out_dir / "g.json"), "-w", str(ws), preexec_fn=small_files
    )
    read_only = tmp_path / "ro"
    read_only.mkdir()
    shutil.copytree(ws, read_only / "ws")
    prefix = _read_only_prefix(read_only)
    if prefix is not None:
        cases["build into a read-only workspace"] = run(
            "build", str(SEEDS), "-w", str(read_only / "ws"), prefix=prefix
        )
        cases["--out into a read-only directory"] = run(
            "chain", "-w", str(ws), "--out", str(read_only / "c.html"), prefix=prefix
        )
        # reading a read-only workspace is fine
        assert (
            run(
                "who", "危险化学品", "-w", str(read_only / "ws"), prefix=prefix
            ).returncode
            == 0
        )
    for name, proc in cases.items():
        try:
            one_line_error(proc)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from None
    assert cases["who ''"].returncode == 2 and cases["what ''"].returncode == 2
    assert not list((tmp_path / "full").glob("*.tmp")) and not list(
        (tmp_path / "full").glob(".*.tmp")
    )
    assert not list(out_dir.iterdir())
    if prefix is None:
        pytest.skip("root without user namespaces: the read-only cases were not run")


def test_a_missing_path_is_skipped_and_the_build_goes_on(tmp_path):
    ok = seed_corpus(tmp_path / "c", ["ok.txt"])[0]
    proc = run("build", str(tmp_path / "nope.txt"), str(ok), "-w", str(tmp_path / "ws"))
    assert proc.returncode == 0 and "1 processed" in proc.stdout, proc.stderr
    assert f"{tmp_path / 'nope.txt'}: no such file or directory" in " ".join(
        proc.stderr.split()
    )
    assert (
        run(
            "build",
            str(tmp_path / "nope.txt"),
            str(ok),
            "-w",
            str(tmp_path / "ws"),
            "--strict",
        ).returncode
        == 1
    )


def test_a_graph_with_relative_paths_is_taken_over_without_loss(tmp_path):
    """Graphs written before paths were resolved hold them relative to where
    that build ran: never taken for deleted, re-keyed when found from here."""
    import sqlite3

    base = tmp_path / "a"
    seed_corpus(base / "data", ["r1.txt", "r2.txt"])
    ws = tmp_path / "ws"
    build_workspace([base / "data"], ws, jobs=1)
    with sqlite3.connect(
        ws / "graph.sqlite"
    ) as conn:  # as an older kgraph run in `base` wrote them
        conn.execute("UPDATE documents SET path = 'data/' || id || '.txt'")
    elsewhere = tmp_path / "b"
    seed_corpus(elsewhere, ["b1.txt"])
    (elsewhere / "b1.txt").write_text(
        "市委书记周振华出席会议并讲话。应急管理局要加强综合监管。\n", encoding="utf-8"
    )
    proc = run(
        "build", ".", "-w", str(ws), cwd=elsewhere
    )  # the relative paths do not resolve from here
    assert proc.returncode == 0 and "removed" not in proc.stdout, (
        proc.stdout + proc.stderr
    )
    assert sorted(doc_paths(ws)) == sorted(
        [str(elsewhere / "b1.txt"), "data/r1.txt", "data/r2.txt"]
    )
    proc = run(
        "build", "data", "-w", str(ws), cwd=base
    )  # from where they were built: the same documents
    out = " ".join(proc.stdout.split())
    assert proc.returncode == 0 and "3 documents" in out and "0 processed" in out, out
    assert sorted(doc_paths(ws)) == sorted(
        [
            str(elsewhere / "b1.txt"),
            str(base / "data" / "r1.txt"),
            str(base / "data" / "r2.txt"),
        ]
    )
    g = Workspace(ws).load_graph()
    assert sorted(
        d["path"] for _, d in g.nodes(data=True) if d["label"] == "Document"
    ) == sorted(doc_paths(ws))
