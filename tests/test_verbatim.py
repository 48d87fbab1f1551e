"""Verbatim evidence: every evidence span maps back to the words of the
decoded source file, with the line it is on."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.build import build_workspace
from kgraph.clean import clean_text
from kgraph.cli import app
from kgraph.ingest import read_file
from kgraph.store import Workspace
from kgraph.verbatim import Sources, offset_map

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "speeches"
# Big5, GB18030, UTF-16, BOM, a PDF extraction with page numbers and hard line
# breaks, a scraped page with chrome and URLs.
DIRTY = [
    REPO / "tests" / "fixtures" / "robust",
    REPO / "tests" / "fixtures" / "dirty" / "pdf_extract.txt",
    REPO / "tests" / "fixtures" / "dirty" / "scraped.txt",
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("verbatim")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus / "seeds")
    for p in DIRTY:
        if p.is_dir():
            shutil.copytree(p, corpus / p.name)
        else:
            shutil.copy(p, corpus / p.name)
    report = build_workspace([corpus], root / "ws", jobs=1)
    assert len(report.processed) >= 10
    return root / "ws"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_evidence_row_maps_to_its_words_in_the_decoded_file(workspace):
    sources = Sources(Workspace(workspace))
    with sqlite3.connect(workspace / "graph.sqlite") as conn:
        rows = conn.execute('SELECT doc, start, "end" FROM evidence').fetchall()
        cleaned = {
            d: json.loads(r)["document"]["text"]
            for d, r in conn.execute("SELECT id, result FROM documents")
        }
        paths = dict(conn.execute("SELECT id, path FROM documents"))
    assert len(rows) > 400
    decoded = {doc: read_file(path).text for doc, path in paths.items()}
    for doc, start, end in rows:
        found = sources.original(doc, start, end)
        assert found is not None, doc
        raw = decoded[doc]
        assert raw[found.start : found.end] == found.text and found.path == paths[doc]
        first = raw.split("\n")[found.line - 1]
        line_start = sum(len(x) + 1 for x in raw.split("\n")[: found.line - 1])
        assert line_start <= found.start <= line_start + len(first)
        # the span as written cleans to exactly the span the fact was read from
        assert _squeeze(clean_text(found.text).text) == _squeeze(
            cleaned[doc][start:end]
        ), (doc, start, end)


def test_original_keeps_what_cleaning_changed(workspace):
    """Traditional characters with pinyin glosses, full-width punctuation."""
    seeds = {p.stem for p in SEEDS.glob("*.txt")}
    sources = Sources(Workspace(workspace))
    with sqlite3.connect(workspace / "graph.sqlite") as conn:
        rows = conn.execute('SELECT doc, start, "end", text FROM evidence').fetchall()
    originals = [
        (sources.original(d, s, e).text, t) for d, s, e, t in rows if d in seeds
    ]
    assert any(
        re.search(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔù]+\)", o)
        for o, _ in originals
    )  # 業(yè)
    assert any(
        ch in o for o, _ in originals for ch in "們門責與"
    )  # traditional as written
    assert any("，" in o for o, t in originals) and not any(
        "，" in t for _, t in originals
    )


def test_offset_map_skips_deletions_and_follows_replacements():
    raw = "首頁 |\n統(tǒng)一思想，，對安全生產工作再部署\nhttp://example.com/x\n"
    clean = clean_text(raw).text
    mapping = offset_map(clean, raw)
    assert len(mapping) == len(clean) + 1
    assert mapping == sorted(mapping)
    i = clean.index("一思想")
    assert raw[mapping[i] : mapping[i + 3 - 1] + 1] == "一思想"
    j = clean.index("对安全")
    assert raw[mapping[j]] == "對"


def test_changed_or_missing_file_has_no_original(workspace, tmp_path):
    ws_copy = tmp_path / "ws"
    shutil.copytree(workspace, ws_copy)
    with sqlite3.connect(ws_copy / "graph.sqlite") as conn:
        doc, path = conn.execute(
            "SELECT id, path FROM documents ORDER BY id LIMIT 1"
        ).fetchone()
        conn.execute("UPDATE documents SET sha256 = 'stale' WHERE id = ?", (doc,))
    assert Sources(Workspace(ws_copy)).original(doc, 0, 5) is None


def test_who_json_and_csv_cite_file_and_line(workspace):
    runner = CliRunner()
    rows = json.loads(
        runner.invoke(app, ["who", "主体责任", "-w", str(workspace), "--json"]).stdout
    )
    ev = rows[0]["evidence"][0]
    path, line = ev["source"].rsplit(":", 1)
    assert (
        Path(path).is_file()
        and ev["original"] in read_file(path).text.split("\n")[int(line) - 1]
    )
    csv_out = runner.invoke(
        app, ["who", "主体责任", "-w", str(workspace), "--format", "csv"]
    ).stdout
    assert f"{ev['source']} " in csv_out


def test_chain_html_panel_cites_file_and_line(workspace, tmp_path):
    out = tmp_path / "chain.html"
    result = CliRunner().invoke(app, ["chain", "-w", str(workspace), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert re.search(r'"source":"[^"]*002_39b8e9ea33e11d34\.txt:\d+"', page)
    assert '"original":' in page and "http" not in page
