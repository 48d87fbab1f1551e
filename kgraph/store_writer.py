"""Writing a workspace: :class:`WorkspaceWriter` builds the next graph file
beside the current one and renames it into place on commit (the atomic build
of :mod:`kgraph.store`); :meth:`kgraph.store.Workspace.writer` opens one."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from kgraph import schema
from kgraph.graph import edge_props
from kgraph.store import (
    APPLICATION_ID,
    DB_NAME,
    FORMAT_VERSION,
    INDEX_SQL,
    SCHEMA_SQL,
    Workspace,
    _remove_stale_temp_files,
    write_error,
)

if TYPE_CHECKING:
    from kgraph.graph import GraphBuilder

# Rows are batched into one executemany per statement: a build adds a few per
# document, and the statements' order between tables does not matter.  A
# result may come as UTF-8 bytes (as orjson makes it), stored as the same text.
_EVIDENCE = "INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?)"
_EDGES = "INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?)"
_DOCUMENTS = (
    "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TEXT))"
)
_SKETCHES = "INSERT OR REPLACE INTO sketches VALUES (?, ?)"


class WorkspaceWriter:
    """Writes a new graph file beside the old one; :meth:`commit` swaps it in.

    Use as a context manager: leaving the block without ``commit`` (an error,
    Ctrl-C, a signal) removes the half-written file and keeps the old graph.
    """

    def __init__(self, ws: Workspace, *, keep_previous: bool = True) -> None:
        self.ws = ws
        # Rotate the graph being replaced into graph.sqlite.prev?  Not if it
        # could not be read (a --fresh build over a damaged one): the .prev
        # already there is then the one worth keeping.
        self.keep_previous = keep_previous
        self.tmp_path = ws.path / f".{DB_NAME}.{os.getpid()}.tmp"
        self.committed = False
        try:
            ws.path.mkdir(parents=True, exist_ok=True)
            _remove_stale_temp_files(ws.path)
            self.tmp_path.unlink(missing_ok=True)
            self.conn = sqlite3.connect(self.tmp_path)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise write_error(ws, exc) from None
        try:
            # The temp file is thrown away on failure, so durability per statement
            # buys nothing; one fsync at commit is enough.
            self.conn.execute("PRAGMA journal_mode=OFF")
            self.conn.execute("PRAGMA synchronous=OFF")
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.conn.executescript(SCHEMA_SQL)
            self.conn.execute(
                "INSERT INTO meta VALUES ('format', ?)", (FORMAT_VERSION,)
            )
        except (OSError, sqlite3.DatabaseError) as exc:
            self.abort()
            raise write_error(ws, exc) from None
        except BaseException:  # Ctrl-C can land here too: leave nothing behind
            self.abort()
            raise
        # rows waiting for one executemany, per statement
        self._pending: dict[str, list[tuple]] = {
            _EVIDENCE: [],
            _EDGES: [],
            _DOCUMENTS: [],
            _SKETCHES: [],
        }

    def __enter__(self) -> WorkspaceWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            self.abort()

    def carry_over(self, old: Workspace) -> tuple[list, list, int] | None:
        """Start from the previous graph instead of re-aggregating its documents.

        Documents, evidence rows and the edges into document nodes
        (MENTIONED_IN, RECORDED_IN: complete once their document was added) are
        copied in SQL, in storage order.  Returns what a
        :class:`~kgraph.graph.GraphBuilder` needs to go on from there (see
        :meth:`~kgraph.graph.GraphBuilder.resume`): the nodes, the other edges
        with their evidence count, and how many edges were copied.  ``None``
        (and nothing copied) if its edge ids are not 1..n, as a build gives them.
        """
        c = self.conn
        c.execute("ATTACH DATABASE ? AS old", (str(old.db_path),))
        try:
            n, top = c.execute(
                "SELECT count(*), coalesce(max(id), 0) FROM old.edges"
            ).fetchone()
            if n != top:
                return None
            c.execute(
                "INSERT INTO documents SELECT * FROM old.documents ORDER BY rowid"
            )
            c.execute("INSERT INTO evidence SELECT * FROM old.evidence ORDER BY rowid")
            if c.execute(
                "SELECT 1 FROM old.sqlite_master WHERE type = 'table' AND name = 'sketches'"
            ).fetchone():
                c.execute("INSERT INTO sketches SELECT * FROM old.sketches")
            doc_edge = "e.dst IN (SELECT id FROM old.nodes WHERE label = ?)"
            copied = c.execute(
                f"INSERT INTO edges SELECT e.* FROM old.edges e WHERE {doc_edge} ORDER BY e.id",
                (schema.DOCUMENT,),
            ).rowcount
            nodes = [
                (nid, {"label": label, "name": name, **orjson.loads(props)})
                for nid, label, name, props in c.execute(
                    "SELECT id, label, name, props FROM old.nodes ORDER BY rowid"
                )
            ]
            kept = dict(c.execute(
                f"SELECT edge_id, count(*) FROM old.evidence WHERE edge_id IN (SELECT e.id FROM old.edges e WHERE NOT {doc_edge}) GROUP BY edge_id",
                (schema.DOCUMENT,),
            ))  # fmt: skip
            edges = [
                (
                    eid,
                    src,
                    dst,
                    key,
                    {"type": type_, "count": count, **orjson.loads(props)},
                    kept.get(eid, 0),
                )
                for eid, src, dst, type_, key, count, props in c.execute(
                    f"SELECT id, src, dst, type, key, count, props FROM old.edges e WHERE NOT {doc_edge} ORDER BY id",
                    (schema.DOCUMENT,),
                )
            ]
            c.commit()
        finally:
            try:
                c.execute("DETACH DATABASE old")
            except (
                sqlite3.OperationalError
            ):  # a read of it failed mid-statement: that error matters
                pass
        return nodes, edges, copied

    def add_document(
        self,
        path: str,
        doc_id: str,
        sha256: str,
        signature: str,
        encoding: str,
        title: str,
        result_json: str | bytes,
    ) -> None:
        """``result_json`` as text, or as its UTF-8 bytes (stored as the
        same text)."""
        self._insert(
            _DOCUMENTS,
            ((doc_id, path, sha256, signature, encoding, title, result_json),),
        )

    def add_copy(self, path: str, doc_id: str) -> None:
        """Record a file whose bytes are those of document ``doc_id``."""
        self.conn.execute("INSERT OR REPLACE INTO copies VALUES (?, ?)", (path, doc_id))

    def add_near_copy(
        self,
        path: str,
        doc_id: str,
        sha256: str,
        signature: str,
        result_json: str | bytes,
    ) -> None:
        """Keep the extraction of a near copy (recorded with :meth:`add_copy`) for the next build."""
        self.conn.execute(
            "INSERT OR REPLACE INTO near_copies VALUES (?, ?, ?, ?, CAST(? AS TEXT))",
            (path, doc_id, sha256, signature, result_json),
        )

    def add_sketch(self, doc_id: str, hashes: Iterable[int]) -> None:
        self._insert(_SKETCHES, ((doc_id, " ".join(map(str, hashes))),))

    def has_sketch(self, doc_id: str) -> bool:
        self._flush(_SKETCHES)
        return (
            self.conn.execute(
                "SELECT 1 FROM sketches WHERE doc = ?", (doc_id,)
            ).fetchone()
            is not None
        )

    def document_data(self, doc_id: str) -> dict | None:
        """The ``document`` part of a result written so far (for a near-duplicate check)."""
        self._flush(_DOCUMENTS)
        row = self.conn.execute(
            "SELECT result FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        return None if row is None else orjson.loads(row[0])["document"]

    def document_text(self, doc_id: str) -> str | None:
        """The cleaned text of a document written so far."""
        d = self.document_data(doc_id)
        return None if d is None else d["text"]

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def add_evidence(self, rows: list[tuple]) -> None:
        """Evidence rows (edge id, doc, sentence, start, end, rule, text), as
        :class:`~kgraph.graph.GraphBuilder` finds them (its ``evidence_sink``)."""
        self._insert(_EVIDENCE, rows)

    def add_edges(self, rows: list[tuple[int, str, str, str, str, int, str]]) -> None:
        """Finished edges as stored (a GraphBuilder ``edge_sink``); their
        evidence went to :meth:`add_evidence`."""
        self._insert(_EDGES, rows)

    def _insert(self, sql: str, rows: Iterable[tuple]) -> None:
        pending = self._pending[sql]
        pending.extend(rows)
        if len(pending) >= 20_000:
            self._flush()

    def _flush(self, only: str | None = None) -> None:
        """Write the rows waiting (those of statement ``only``)."""
        for sql, rows in self._pending.items():
            if rows and only in (None, sql):
                self.conn.executemany(sql, rows)
                rows.clear()

    def write_builder(self, builder: GraphBuilder) -> None:
        """Write the nodes and edges of a :class:`~kgraph.graph.GraphBuilder`
        whose evidence went to :meth:`add_evidence`."""
        self.conn.executemany(
            "INSERT INTO nodes VALUES (?, ?, ?, ?)",
            (
                (
                    nid,
                    d["label"],
                    d["name"],
                    orjson.dumps(
                        {k: v for k, v in d.items() if k not in ("label", "name")}
                    ).decode(),
                )
                for nid, d in builder.nodes()
            ),
        )
        self.add_edges(
            [
                (i, src, dst, d["type"], key, d["count"], edge_props(d))
                for i, src, dst, key, d in builder.edges()
            ]
        )
        self._flush()

    def commit(self) -> None:
        try:
            self._flush()
            self.conn.executescript(INDEX_SQL)
            self.conn.commit()
            self.conn.close()
            with open(self.tmp_path, "rb+") as fh:
                os.fsync(fh.fileno())
            if self.keep_previous and self.ws.db_path.is_file():
                _keep_previous(self.ws.db_path, self.ws.prev_path)
            os.replace(self.tmp_path, self.ws.db_path)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise write_error(self.ws, exc) from None
        self.committed = True
        st = self.ws.db_path.stat()  # written whole just now: no need to check it again
        self.ws._set_stamp(f"{st.st_ino} {st.st_size} {st.st_mtime_ns}")

    def abort(self) -> None:
        try:
            if hasattr(self, "conn"):
                self.conn.close()
        finally:
            self.tmp_path.unlink(missing_ok=True)


def _keep_previous(db: Path, prev: Path) -> None:
    """Make ``prev`` the graph file ``db`` is now (a hard link: no copy, and
    ``db`` stays in place for readers until the new one replaces it)."""
    tmp = prev.with_name(f".{prev.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(db, tmp)
    except OSError:  # no hard links on this file system
        import shutil

        shutil.copy2(db, tmp)
    os.replace(tmp, prev)
