"""The embedded store: one SQLite file in a workspace directory.

``kgraph-out/graph.sqlite`` holds the graph (nodes, edges, evidence rows) and
each document's extraction result, keyed by the SHA-256 of its bytes, so a
rebuild re-processes only files that changed.  A build writes a new file next
to the old one and renames it into place: a build killed at any moment leaves
the previous graph intact and loadable.

Queries (:mod:`kgraph.query`) run as indexed SQL against this file, so they do
not pay for loading the whole graph.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import asdict
from pathlib import Path
from typing import Iterator

import networkx as nx

from kgraph.errors import StoreError
from kgraph.model import Document, DocumentResult, Evidence, Fact, Mention, Sentence, Span

DEFAULT_WORKSPACE = "kgraph-out"
DB_NAME = "graph.sqlite"
FORMAT_VERSION = "1"

SCHEMA_SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL, signature TEXT NOT NULL,
    encoding TEXT, title TEXT, result TEXT NOT NULL
);
CREATE TABLE nodes (id TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT NOT NULL, props TEXT NOT NULL);
CREATE TABLE edges (
    id INTEGER PRIMARY KEY, src TEXT NOT NULL, dst TEXT NOT NULL, type TEXT NOT NULL, key TEXT NOT NULL,
    count INTEGER NOT NULL, props TEXT NOT NULL
);
CREATE TABLE evidence (
    edge_id INTEGER NOT NULL, doc TEXT NOT NULL, sentence INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, rule TEXT NOT NULL, text TEXT NOT NULL
);
"""
INDEX_SQL = """
CREATE INDEX nodes_label_name ON nodes(label, name);
CREATE INDEX nodes_name ON nodes(name);
CREATE INDEX edges_src ON edges(src, type);
CREATE INDEX edges_dst ON edges(dst, type);
CREATE INDEX evidence_edge ON evidence(edge_id);
"""

LIST_ATTRS = ("docs", "rules", "evidence")


# --- DocumentResult ⇄ JSON (the per-document cache) -----------------------------
def result_to_json(r: DocumentResult) -> str:
    return json.dumps(
        {
            "document": asdict(r.document),
            "sentences": [(s.start, s.end) for s in r.sentences],
            "mentions": [asdict(m) for m in r.mentions],
            "facts": [
                {"type": f.type, "subject": f.subject, "object": f.object, "evidence": asdict(f.evidence), "attrs": f.attrs}
                for f in r.facts
            ],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def result_from_json(text: str) -> DocumentResult:
    data = json.loads(text)
    d = data["document"]
    d["flags"] = [Span(**s) for s in d["flags"]]
    document = Document(**d)
    sentences = [Sentence(i, s, e, document.text[s:e]) for i, (s, e) in enumerate(data["sentences"])]
    mentions = [Mention(**m) for m in data["mentions"]]
    facts = [
        Fact(f["type"], tuple(f["subject"]), tuple(f["object"]), Evidence(**f["evidence"]), tuple(tuple(a) for a in f["attrs"]))
        for f in data["facts"]
    ]
    return DocumentResult(document, sentences, mentions, facts)


class Workspace:
    """A directory holding the embedded store."""

    def __init__(self, path: str | Path = DEFAULT_WORKSPACE) -> None:
        self.path = Path(path)
        self.db_path = self.path / DB_NAME

    def exists(self) -> bool:
        return self.db_path.is_file()

    def connect(self) -> sqlite3.Connection:
        """Read-only connection to the current graph."""
        if not self.exists():
            raise StoreError(f"no graph in {self.path}/ yet: run 'kgraph build PATH' first (or pass --workspace)")
        try:
            conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
            conn.row_factory = sqlite3.Row
            version = conn.execute("SELECT value FROM meta WHERE key='format'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.db_path} is not a kgraph workspace ({exc})") from None
        if version is None or version[0] != FORMAT_VERSION:
            raise StoreError(f"{self.db_path} was written by another kgraph version: rebuild with 'kgraph build --fresh'")
        return conn

    # --- the per-document cache ------------------------------------------------
    def cached_results(self) -> dict[str, tuple[str, str, str, str]]:
        """path → (doc id, sha256, signature, result json) from the current graph."""
        if not self.exists():
            return {}
        try:
            with self.connect() as conn:
                return {row["path"]: (row["id"], row["sha256"], row["signature"], row["result"]) for row in conn.execute("SELECT * FROM documents")}
        except StoreError:
            return {}

    # --- reading the graph -------------------------------------------------------
    def load_graph(self) -> nx.MultiDiGraph:
        """The whole graph as networkx, with evidence on every edge."""
        conn = self.connect()
        try:
            g = nx.MultiDiGraph()
            for row in conn.execute("SELECT id, label, name, props FROM nodes"):
                g.add_node(row["id"], label=row["label"], name=row["name"], **json.loads(row["props"]))
            evidence: dict[int, list] = {}
            for row in conn.execute('SELECT edge_id, doc, sentence, start, "end", rule, text FROM evidence ORDER BY rowid'):
                evidence.setdefault(row["edge_id"], []).append(
                    {"doc": row["doc"], "sentence": row["sentence"], "start": row["start"], "end": row["end"], "rule": row["rule"], "text": row["text"]}
                )
            for row in conn.execute("SELECT id, src, dst, type, key, count, props FROM edges"):
                props = json.loads(row["props"])
                g.add_edge(row["src"], row["dst"], key=row["key"], type=row["type"], count=row["count"], evidence=evidence.get(row["id"], []), **props)
            return g
        finally:
            conn.close()

    def documents(self) -> list[dict]:
        with self.connect() as conn:
            return [dict(r) for r in conn.execute("SELECT id, path, sha256, encoding, title FROM documents ORDER BY id")]

    # --- writing -------------------------------------------------------------------
    def writer(self) -> "WorkspaceWriter":
        return WorkspaceWriter(self)


class WorkspaceWriter:
    """Writes a new graph file beside the old one; :meth:`commit` swaps it in.

    Use as a context manager: leaving the block without ``commit`` (an error,
    Ctrl-C, a signal) removes the half-written file and keeps the old graph.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        try:
            ws.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create workspace {ws.path}/ ({exc.strerror})") from None
        self.tmp_path = ws.path / f".{DB_NAME}.{os.getpid()}.tmp"
        if self.tmp_path.exists():
            self.tmp_path.unlink()
        self.conn = sqlite3.connect(self.tmp_path)
        # The temp file is thrown away on failure, so durability per statement
        # buys nothing; one fsync at commit is enough.
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.executescript(SCHEMA_SQL)
        self.conn.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT_VERSION,))
        self.committed = False

    def __enter__(self) -> "WorkspaceWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            self.abort()

    def add_document(self, path: str, doc_id: str, sha256: str, signature: str, encoding: str, title: str, result_json: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc_id, path, sha256, signature, encoding, title, result_json),
        )

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def write_graph(self, g: nx.MultiDiGraph) -> None:
        c = self.conn
        c.executemany(
            "INSERT INTO nodes VALUES (?, ?, ?, ?)",
            (
                (nid, d["label"], d["name"], json.dumps({k: v for k, v in d.items() if k not in ("label", "name")}, ensure_ascii=False))
                for nid, d in g.nodes(data=True)
            ),
        )
        ev_rows = []
        for i, (src, dst, key, d) in enumerate(g.edges(keys=True, data=True), 1):
            props = {k: v for k, v in d.items() if k not in ("type", "count", "evidence")}
            c.execute(
                "INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?)",
                (i, src, dst, d["type"], key, d["count"], json.dumps(props, ensure_ascii=False)),
            )
            ev_rows.extend((i, e["doc"], e["sentence"], e["start"], e["end"], e["rule"], e["text"]) for e in d.get("evidence", ()))
            if len(ev_rows) > 50_000:
                c.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?)", ev_rows)
                ev_rows = []
        c.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?)", ev_rows)

    def commit(self) -> None:
        self.conn.executescript(INDEX_SQL)
        self.conn.commit()
        self.conn.close()
        with open(self.tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(self.tmp_path, self.ws.db_path)
        self.committed = True

    def abort(self) -> None:
        try:
            self.conn.close()
        finally:
            self.tmp_path.unlink(missing_ok=True)


def iter_results(ws: Workspace) -> Iterator[DocumentResult]:
    with ws.connect() as conn:
        for row in conn.execute("SELECT result FROM documents ORDER BY id"):
            yield result_from_json(row[0])


def node_props(row: sqlite3.Row) -> dict:
    return {"id": row["id"], "label": row["label"], "name": row["name"], **json.loads(row["props"])}


