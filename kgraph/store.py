"""The embedded store: one SQLite file in a workspace directory.

``kgraph-out/graph.sqlite`` holds the graph (nodes, edges, evidence rows) and
each document's extraction result, keyed by the SHA-256 of its bytes, so a
rebuild re-processes only files that changed.  A build writes a new file next
to the old one and renames it into place: a build killed at any moment leaves
the previous graph intact and loadable.  The graph it replaced stays as
``graph.sqlite.prev``, so one bad write is recoverable.

Nothing is trusted unchecked: every command opens the graph through
:meth:`Workspace.connect`, which checks the format stamp and runs SQLite's
``PRAGMA quick_check`` on each new version of the file; a damaged file is
refused with one line that names the recovery.  A build holds an OS lock on the workspace
(:meth:`Workspace.lock`) from start to end; readers need none.

Queries (:mod:`kgraph.query`) run as indexed SQL against this file, so they do
not pay for loading the whole graph.  Writing a new graph file is
:mod:`kgraph.store_writer`; the per-document cache's JSON form is
:mod:`kgraph.result_json`.  What stays here is one class, :class:`Workspace`
(open, check, lock, read), whose methods share one connection discipline.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import orjson

from kgraph.errors import StoreError
from kgraph.gcpause import gc_paused
from kgraph.lexicon import Lexicon, load_lexicon_texts

if TYPE_CHECKING:
    from kgraph.store_writer import WorkspaceWriter

if TYPE_CHECKING:
    pass

DEFAULT_WORKSPACE = "kgraph-out"
DB_NAME = "graph.sqlite"
PREV_NAME = DB_NAME + ".prev"  # the graph before the last build that changed it
LOCK_NAME = ".build.lock"
CHECKED_NAME = ".graph.sqlite.checked"  # the graph file version that passed quick_check
FORMAT_VERSION = "1"
# In the SQLite header, so a file is known as kgraph's before any table is read.
APPLICATION_ID = 0x6B677270  # "kgrp"

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
-- files that are copies of a document (same sha256, or its text again in other
-- page chrome, see kgraph.dedup): counted once, as that document
CREATE TABLE copies (path TEXT PRIMARY KEY, doc TEXT NOT NULL);
-- near copies' own extraction, so an unchanged one is not extracted again
CREATE TABLE near_copies (
    path TEXT PRIMARY KEY, id TEXT NOT NULL, sha256 TEXT NOT NULL, signature TEXT NOT NULL, result TEXT NOT NULL
);
-- each document's near-duplicate sketch (kgraph.dedup.sketch), space-separated
CREATE TABLE sketches (doc TEXT PRIMARY KEY, hashes TEXT NOT NULL);
"""
INDEX_SQL = """
CREATE INDEX nodes_label_name ON nodes(label, name);
CREATE INDEX nodes_name ON nodes(name);
CREATE INDEX edges_src ON edges(src, type);
CREATE INDEX edges_dst ON edges(dst, type);
CREATE INDEX evidence_edge ON evidence(edge_id);
CREATE INDEX documents_path ON documents(path);
CREATE INDEX edges_type_sector ON edges(type, json_extract(props, '$.sector'));
"""

LIST_ATTRS = ("docs", "rules", "evidence", "dates")


# Graph file versions checked in this process: "path inode size mtime".
_checked: set[str] = set()
# Lock files this process holds (see Workspace.lock).
_held: set[str] = set()


class Workspace:
    """A directory holding the embedded store."""

    def __init__(self, path: str | Path = DEFAULT_WORKSPACE) -> None:
        self.path = Path(path)
        self.db_path = self.path / DB_NAME
        self.prev_path = self.path / PREV_NAME

    def exists(self) -> bool:
        return self.db_path.is_file()

    def connect(self) -> sqlite3.Connection:
        """Read-only connection to the current graph, checked first."""
        self.check()
        try:
            conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        except sqlite3.DatabaseError as exc:
            raise self.damaged(exc) from None
        conn.row_factory = sqlite3.Row
        return conn

    def check(self) -> None:
        """Refuse a graph that is missing, not kgraph's, of another format
        version, or damaged (``PRAGMA quick_check``), in one line naming the
        recovery.

        ``quick_check`` reads every page (a fraction of a second per 100 MB),
        so a file that passed is stamped (inode, size, mtime in
        ``.graph.sqlite.checked``) and not checked again until it changes:
        truncation or bytes written over it change the stamp.
        """
        if not self.exists():
            raise StoreError(
                f"no graph in {self.path}/ yet: run 'kgraph build PATH' first (or pass --workspace)"
            )
        try:
            st = self.db_path.stat()
        except OSError as exc:
            raise StoreError(f"{self.db_path}: cannot read ({exc.strerror})") from None
        stamp = f"{st.st_ino} {st.st_size} {st.st_mtime_ns}"
        key = f"{self.db_path.resolve()} {stamp}"
        if key in _checked:
            return
        if st.st_size == 0:
            raise self.damaged("empty file")
        try:
            with closing(
                sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
            ) as conn:
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                if app_id not in (
                    0,
                    APPLICATION_ID,
                ):  # 0: written before the id was set
                    raise StoreError(
                        f"{self.db_path} is not a kgraph graph (another program's SQLite file)"
                    )
                version = conn.execute(
                    "SELECT value FROM meta WHERE key='format'"
                ).fetchone()
                if version is None or version[0] != FORMAT_VERSION:
                    raise StoreError(
                        f"{self.db_path} was written by another kgraph version: rebuild with 'kgraph build --fresh PATH...'"
                    )
                if self._stamp() != stamp:
                    problems = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
                    if problems != ["ok"]:
                        raise self.damaged(problems[0])
                    self._set_stamp(stamp)
        except sqlite3.DatabaseError as exc:
            raise self.damaged(exc) from None
        _checked.add(key)

    def _stamp(self) -> str | None:
        try:
            return (self.path / CHECKED_NAME).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None

    def _set_stamp(self, stamp: str) -> None:
        """Best effort: a reader without write access checks every time."""
        tmp = self.path / f"{CHECKED_NAME}.{os.getpid()}.tmp"
        try:
            tmp.write_text(stamp + "\n", encoding="ascii")
            os.replace(tmp, self.path / CHECKED_NAME)
        except OSError:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass

    def damaged(self, detail: object) -> StoreError:
        """The one-line error for a graph file that cannot be read, with the way back."""
        detail = short_detail(detail)
        restore = (
            f"restore the previous graph with 'mv {self.prev_path} {self.db_path}', or "
            if self.prev_path.is_file()
            else ""
        )
        return StoreError(
            f"{self.db_path} is damaged ({detail}): {restore}rebuild it with 'kgraph build --fresh PATH...'"
        )

    @contextmanager
    def lock(self, *, wait: bool = False) -> Iterator[None]:
        """Hold the workspace's build lock: ``StoreError`` naming the holder's
        pid if another build holds it, or wait for it with ``wait``.

        A POSIX record lock (``lockf``): it belongs to this process alone, not
        to the workers it forks, and the kernel releases it when the process
        ends, however it ends (a build killed with SIGKILL leaves no lock).
        """
        lock_path = self.path / LOCK_NAME
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise write_error(self, exc) from None
        key = str(lock_path.resolve())
        if key in _held:  # a record lock does not exclude its own process
            raise StoreError(
                f"another build is writing this workspace ({self.path}/, pid {os.getpid()}): let it finish"
            )
        while True:
            try:
                fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise write_error(self, exc) from None
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    os.close(fd)
                    raise write_error(self, exc) from None
                if not wait:
                    holder = (
                        os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    )
                    os.close(fd)
                    raise StoreError(
                        f"another build is writing this workspace ({self.path}/, pid {holder}): let it finish, or pass --wait"
                    ) from None
                fcntl.lockf(fd, fcntl.LOCK_EX)
            # The holder removes the file when done (so a failed build leaves
            # nothing behind); a lock taken on the removed file is no lock.
            try:
                if os.fstat(fd).st_ino == os.stat(lock_path).st_ino:
                    break
            except FileNotFoundError:
                pass
            os.close(fd)
        _held.add(key)
        try:
            try:
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            except OSError as exc:
                raise write_error(self, exc) from None
            yield
        finally:
            _held.discard(key)
            lock_path.unlink(missing_ok=True)  # still holding the lock
            os.close(fd)

    def meta(self, key: str) -> str | None:
        """A value from the graph's meta table (``signature``: what the last build extracted with)."""
        if not self.exists():
            return None
        with self.reading() as conn:
            row = conn.execute(
                "SELECT value FROM meta WHERE key = ?", (key,)
            ).fetchone()
        return row[0] if row else None

    def lexicon(self) -> Lexicon:
        """The ruleset the graph was built with: shipped tables plus the user's
        --lexicon/--rules files as they were at build time."""
        stored = self.meta("user_rules")
        files = [tuple(pair) for pair in json.loads(stored)] if stored else []
        return load_lexicon_texts(files)

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A checked connection, closed after the block; a read that fails
        on the way is the damaged-graph error, not a traceback."""
        with closing(self.connect()) as conn:
            try:
                yield conn
            except sqlite3.DatabaseError as exc:
                raise self.damaged(exc) from None

    def remove_stale_files(self) -> None:
        """Remove what builds killed outright (SIGKILL, power loss) left behind."""
        if self.path.is_dir():
            _remove_stale_temp_files(self.path)

    def remove_own_temp_files(self) -> None:
        """Remove the half-written files of this process (a build that failed
        or was interrupted, even between two statements of its writer)."""
        for tmp in self.path.glob(f".{DB_NAME}*.{os.getpid()}.tmp"):
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass

    def counts(self) -> tuple[int, int]:
        """(nodes, edges) of the current graph."""
        with self.reading() as conn:
            return conn.execute("SELECT count(*) FROM nodes").fetchone()[
                0
            ], conn.execute("SELECT count(*) FROM edges").fetchone()[0]

    # --- the per-document cache ------------------------------------------------
    def cache_index(self) -> dict[str, tuple[str, str, str]]:
        """path → (doc id, sha256, signature) of every document in the current graph."""
        if not self.exists():
            return {}
        with self.reading() as conn:
            return {
                p: (i, h, sig)
                for p, i, h, sig in conn.execute(
                    "SELECT path, id, sha256, signature FROM documents ORDER BY rowid"
                )
            }

    def copies(self) -> dict[str, str]:
        """path → document id of the files that were copies of a document (same bytes)."""
        if not self.exists():
            return {}
        with self.reading() as conn:
            if not conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'copies'"
            ).fetchone():
                return {}  # a graph written before copies were recorded
            return dict(conn.execute("SELECT path, doc FROM copies ORDER BY path"))

    def _has_table(self, conn: sqlite3.Connection, name: str) -> bool:
        return (
            conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
            ).fetchone()
            is not None
        )

    def near_copies(self) -> dict[str, tuple[str, str, str]]:
        """path → (id, sha256, signature) of the files built as near copies of a document."""
        if not self.exists():
            return {}
        with self.reading() as conn:
            if not self._has_table(conn, "near_copies"):
                return {}  # a graph written before near copies were folded
            return {
                p: (i, h, sig)
                for p, i, h, sig in conn.execute(
                    "SELECT path, id, sha256, signature FROM near_copies ORDER BY path"
                )
            }

    def near_copy_json(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(path, result json) of the given near copies, in path order."""
        wanted = sorted(set(paths))
        if not wanted:
            return
        with self.reading() as conn:
            for p in wanted:
                row = conn.execute(
                    "SELECT result FROM near_copies WHERE path = ?", (p,)
                ).fetchone()
                if row is not None:
                    yield p, row[0]

    def sketches(self) -> dict[str, tuple[int, ...]]:
        """document id → its near-duplicate sketch, of the documents that have one stored."""
        if not self.exists():
            return {}
        with self.reading() as conn:
            if not self._has_table(conn, "sketches"):
                return {}
            return {
                d: _parse_sketch(h)
                for d, h in conn.execute("SELECT doc, hashes FROM sketches")
            }

    def cached_json(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(path, result json) of the given paths, one row in memory at a time,
        in the order they were written (so a rebuild of unchanged files
        aggregates them in the same order as the build before it)."""
        wanted = set(paths)
        if not wanted:
            return
        with self.reading() as conn:
            if len(wanted) <= 16:
                rows = (
                    conn.execute(
                        "SELECT path, result FROM documents WHERE path = ?", (p,)
                    ).fetchone()
                    for p in sorted(wanted)
                )
                yield from (tuple(r) for r in rows if r is not None)
                return
            for p, js in conn.execute(
                "SELECT path, result FROM documents ORDER BY rowid"
            ):
                if p in wanted:
                    yield p, js

    # --- reading the graph -------------------------------------------------------
    def load_graph(self) -> nx.MultiDiGraph:
        """The whole graph as networkx, with evidence on every edge."""
        # A graph of 10,000 documents is half a million edges and nearly a
        # million evidence rows, all kept: with the collector running, each
        # burst of them would make it walk the growing graph again.  Rows
        # are unpacked rather than read by column name.
        with self.reading() as conn, gc_paused():
            g: nx.MultiDiGraph[str] = nx.MultiDiGraph()
            g.add_nodes_from(
                (nid, {"label": label, "name": name, **orjson.loads(props)})
                for nid, label, name, props in conn.execute(
                    "SELECT id, label, name, props FROM nodes"
                )
            )
            evidence: dict[int, list] = {}
            for edge_id, doc, sentence, start, end, rule, text in conn.execute(
                'SELECT edge_id, doc, sentence, start, "end", rule, text FROM evidence ORDER BY rowid'
            ):
                row = {
                    "doc": doc,
                    "sentence": sentence,
                    "start": start,
                    "end": end,
                    "rule": rule,
                    "text": text,
                }
                found = evidence.get(edge_id)
                if found is None:
                    evidence[edge_id] = [row]
                else:
                    found.append(row)
            add_edge = g.add_edge
            for eid, src, dst, type_, key, count, props in conn.execute(
                "SELECT id, src, dst, type, key, count, props FROM edges"
            ):
                add_edge(
                    src,
                    dst,
                    key,
                    type=type_,
                    count=count,
                    evidence=evidence.get(eid, []),
                    **orjson.loads(props),
                )
            return g

    def documents(self) -> list[dict]:
        with self.reading() as conn:
            return [
                dict(r)
                for r in conn.execute(
                    "SELECT id, path, sha256, encoding, title FROM documents ORDER BY id"
                )
            ]

    # --- writing -------------------------------------------------------------------
    def writer(self, *, keep_previous: bool = True) -> WorkspaceWriter:
        """A writer for a new graph; its commit keeps the current one as
        ``graph.sqlite.prev`` unless ``keep_previous`` is false."""
        from kgraph.store_writer import WorkspaceWriter

        return WorkspaceWriter(self, keep_previous=keep_previous)


def _parse_sketch(text: str) -> tuple[int, ...]:
    return tuple(int(h) for h in text.split())


def _remove_stale_temp_files(directory: Path) -> None:
    """Half-written graph files of builds that were killed (SIGKILL, power
    loss): their process is gone, so nobody will rename them into place."""
    for tmp in directory.glob(f".{DB_NAME}.*.tmp"):
        try:
            pid = int(tmp.name.split(".")[-2])
        except ValueError:
            continue
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except PermissionError:  # alive, someone else's
            pass


def short_detail(detail: object) -> str:
    """An error's text for a one-line message: first real line, printable, short."""
    lines = [
        ln for ln in str(detail).splitlines() if ln.strip() and not ln.startswith("***")
    ]
    text = " ".join((lines[0] if lines else str(detail)).split())
    text = "".join(c if c.isprintable() and c != "\ufffd" else "?" for c in text)
    return text if len(text) <= 100 else text[:99] + "…"


def write_error(ws: Workspace, exc: BaseException) -> StoreError:
    """One line for a workspace that cannot be written: read-only, full, …"""
    code = getattr(exc, "errno", None)
    text = str(exc).lower()
    if (
        "malformed" in text or "not a database" in text or "could not decode" in text
    ):  # reading the previous graph
        return ws.damaged(exc)
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or "full" in text:
        why = "no space left on the device, or the file size limit reached"
    elif (
        code in (errno.EROFS, errno.EACCES, errno.EPERM)
        or "readonly" in text
        or "read-only" in text
        or "unable to open" in text
    ):
        why = "read-only file system or permission denied"
    else:
        why = getattr(exc, "strerror", None) or str(exc)
    return StoreError(
        f"cannot write the workspace {ws.path}/ ({why}); the previous graph, if any, is unchanged"
    )
