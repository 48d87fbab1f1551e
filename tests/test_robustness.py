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
GOOD = ["speech_gb18030.txt", "speech_big5.txt", "speech_utf8_bom.txt", "speech_utf16.txt"]
BAD = {
    "empty.txt": "file is empty",
    "whitespace.txt": "only whitespace",
    "chart.txt": "PNG",
    "attachment.txt": "ZIP",
}


def kgraph_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from kgraph.cli import app; app()", *args],
                          capture_output=True, text=True, timeout=timeout)


def officials(ws: Path) -> dict[str, str]:
    g = Workspace(ws).load_graph()
    return {d["name"]: d["title"] for _, d in g.nodes(data=True) if d["label"] == "Official"}


# --- encodings and bad files ------------------------------------------------------------
@pytest.mark.parametrize("name,encoding", [
    ("speech_gb18030.txt", "gb18030"), ("speech_big5.txt", "big5"),
    ("speech_utf8_bom.txt", "utf-8-sig"), ("speech_utf16.txt", "utf-16"),
])
def test_each_encoding_builds_the_same_officials(tmp_path, name, encoding):
    report = build_workspace([ROBUST / name], tmp_path / "ws", jobs=1)
    assert report.processed and not report.skipped
    assert officials(tmp_path / "ws") == {"许南吉": "市委书记", "张子建": "市委副书记、市长"}
    assert Workspace(tmp_path / "ws").documents()[0]["encoding"] == encoding


@pytest.mark.parametrize("name,reason", sorted(BAD.items()))
def test_bad_file_is_one_line_and_the_batch_goes_on(tmp_path, name, reason):
    report = build_workspace([ROBUST / name, ROBUST / "speech_gb18030.txt"], tmp_path / "ws", jobs=1)
    assert [Path(p).name for p in report.processed] == ["speech_gb18030.txt"]
    (path, message), = report.skipped
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
    (path, message), = report.skipped
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
            pytest.skip("running as root and no file here refuses root a read (no /sys/bus/pci/rescan)")
        else:
            pytest.skip("running as root and /sys/bus/pci/rescan is readable: cannot provoke PermissionError")
    try:
        report = build_workspace([corpus], tmp_path / "ws", jobs=1)
    finally:
        if not locked.is_symlink():
            locked.chmod(0o644)
    assert [Path(p).name for p in report.processed] == ["a.txt"]
    (path, message), = report.skipped
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
    lines = [ln for f in sorted(SEEDS.glob("*.txt")) for ln in f.read_text(encoding="utf-8").splitlines() if len(ln) > 10]
    for i in range(10_000):
        (corpus / f"{i:05d}.txt").write_text(lines[i % len(lines)][:60] + f"。第{i}号\n", encoding="utf-8")
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
    (path, message), = report.skipped
    assert "too large" in message and "--max-mb" in message and "\n" not in message

    from kgraph.ingest import read_file

    raw = read_file(big)  # reading, hashing and decoding 50 MB stays cheap
    assert len(raw.text) >= 15_000_000 and raw.encoding == "utf-8"


# --- garbage never becomes an official -------------------------------------------------
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
NOISE = st.text(alphabet=st.one_of(CJK, st.characters(min_codepoint=0x20, max_codepoint=0x7E),
                                   st.sampled_from("，。、；：？！“”《》\n ")), max_size=300)
TITLES = ["市委书记", "市长", "副市长", "县委书记", "局长", "书记", "组长", "党工委书记", "市委副书记、市长"]


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
    return (with_commas * (half // len(with_commas) + 1))[:half] + (bare * (half // len(bare) + 1))[:chars - half]


def test_sentences_are_bounded_whatever_the_punctuation():
    from kgraph.sentences import CUT, LONG_LEN

    text = _no_punctuation_line(60_000)
    result = process_text(text, "flat")
    sentences = result.sentences
    assert len(sentences) > 60_000 // LONG_LEN
    assert max(len(s.text) for s in sentences) <= LONG_LEN
    assert all(result.document.text[s.start:s.end] == s.text for s in sentences)
    assert "".join("".join(s.text.split()) for s in sentences) == "".join(result.document.text.split())
    # every forced boundary is on record, at a sentence start
    cuts = [f for f in result.document.flags if f.reason == CUT]
    starts = {s.start for s in sentences}
    assert len(cuts) >= len(sentences) - 1 - result.document.text.count("\n")
    assert all(c.start == c.end and c.start in starts for c in cuts)
    # and extraction still works inside the cut text
    assert {"许南吉"} <= {m.name for m in result.mentions if m.kind == "official"}
