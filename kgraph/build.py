"""Build or update a workspace from files: the library behind ``kgraph build``.

>>> from kgraph.build import build_workspace
>>> report = build_workspace(["data/speeches"], "kgraph-out")      # doctest: +SKIP
>>> report.processed, report.reused, report.skipped                 # doctest: +SKIP

Why one module of this size: a build is one transaction — the workspace
lock, the plan (which files are new, changed, copies, deleted), the worker
pool and the atomic write share its state and its failure handling (an
interrupt or a failed write anywhere leaves the previous graph).  The worker
side (``_init_worker`` … ``_terminate_as_interrupt``) is the seam to cut
along if it grows; it is left in place while extraction speed is reworked.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import multiprocessing
import os
import signal
import sqlite3
import stat
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import orjson

from kgraph._version import __version__
from kgraph.dedup import NearDuplicateIndex, sketch
from kgraph.errors import InputError, KgraphError, StoreError
from kgraph.gcpause import freeze_inherited, gc_paused
from kgraph.graph import DocumentGraph, DocumentGrapher, GraphBuilder
from kgraph.ingest import list_inputs
from kgraph.jurisdiction import manifest
from kgraph.lexicon import Lexicon, load_lexicon
from kgraph.model import DocumentResult
from kgraph.result_json import result_to_json_bytes
from kgraph.sentences import CUT
from kgraph.store import Workspace, write_error
from kgraph.store_writer import WorkspaceWriter

Progress = Callable[
    [str, str], None
]  # (event, detail): "start" N, "done" path, "skip" message


@dataclass
class BuildReport:
    workspace: str
    documents: int = 0  # in the graph after the build
    processed: list[str] = field(default_factory=list)  # paths extracted this run
    reused: int = 0  # unchanged files taken from the cache
    skipped: list[tuple[str, str]] = field(
        default_factory=list
    )  # (path, one-line reason)
    not_read: list[tuple[str, str]] = field(
        default_factory=list
    )  # files in the directories not read, (path, reason)
    removed: list[str] = field(
        default_factory=list
    )  # built before, file since deleted from a directory built now
    copies: list[tuple[str, str]] = field(
        default_factory=list
    )  # (path, path of the document it is a copy of)
    near_copies: set[str] = field(
        default_factory=set
    )  # those of the copies that are reposts, not the same bytes
    cut_sentences: int = 0  # stretches without sentence punctuation cut into sentences
    nodes: int = 0
    edges: int = 0
    flagged_spans: int = 0
    bytes_read: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "workspace": self.workspace,
            "documents": self.documents,
            "processed": len(self.processed),
            "reused": self.reused,
            "skipped": [{"path": p, "error": e} for p, e in self.skipped],
            "not_read": [{"path": p, "reason": e} for p, e in self.not_read],
            "removed": self.removed,
            "copies": [
                {"path": p, "same_as": o, "exact": p not in self.near_copies}
                for p, o in self.copies
            ],
            "cut_sentences": self.cut_sentences,
            "nodes": self.nodes,
            "edges": self.edges,
            "flagged_spans": self.flagged_spans,
            "bytes_read": self.bytes_read,
            "seconds": round(self.seconds, 3),
        }


# A speech is tens of KB; a file of many MB is a dump of many documents and
# would be extracted as one (names resolved across all of it), slowly.
DEFAULT_MAX_FILE_BYTES = 8 * 1000 * 1000


# Files whose change can change what a document yields: the whole package's
# code and data (lexicons, cue tables), found by walking it, so a new module or
# data file can never be left out of the signature by hand.
SIGNATURE_SUFFIXES = (".py", ".tsv", ".toml", ".json")


def lexicon_signature(extra: Iterable[str | Path] = ()) -> str:
    """Changes whenever extraction could give a different answer: the kgraph
    version, every code and data file of the package, and any user file."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for f in sorted(package.rglob("*")):
        if f.suffix in SIGNATURE_SUFFIXES and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(package)).encode())
            h.update(f.read_bytes())
    for p in extra:
        try:
            h.update(Path(p).read_bytes())
        except OSError as exc:
            raise InputError(f"{p}: cannot read lexicon ({exc.strerror})") from None
    return h.hexdigest()[:16]


# --- worker side -------------------------------------------------------------------
_LEXICON = None
_GRAPHER: DocumentGrapher | None = None


def _init_worker() -> None:
    # Ctrl-C and SIGTERM are the parent's to handle: it stops the workers.
    # The lexicon is the parent's, inherited by fork.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    gc.enable()  # the parent pauses its own collector while it writes
    freeze_inherited()


def _die_with_parent() -> None:
    """Linux: a worker whose parent is killed (even with SIGKILL) is killed too,
    rather than left running orphaned."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)
    except (OSError, AttributeError):  # not Linux
        pass


class Prepared(NamedTuple):
    """A document as the writing loop takes it.  Everything that can be
    worked out from the document alone is, in the worker that extracted it
    (the writing process is one, and shares the cores with the workers)."""

    js: str | bytes  # the result, as the cache stores it (or its UTF-8)
    text: str  # the cleaned text
    sketch: tuple[int, ...]  # near-duplicate sketch of the text
    doc_id: str
    sha256: str
    encoding: str
    title: str
    place: str | None  # the place's name
    cuts: int  # stretches without sentence punctuation cut into sentences
    flagged: int  # other flagged spans
    graph: DocumentGraph  # its share of the graph, to merge


Extracted = tuple[str, Prepared | None, str | None]  # path, document, error


def _of_result(result: DocumentResult, grapher: DocumentGrapher) -> Prepared:
    d = result.document
    cuts = sum(1 for f in d.flags if f.reason == CUT)
    return Prepared(
        result_to_json_bytes(result),
        d.text,
        sketch(d.text),
        d.id,
        d.sha256,
        d.encoding,
        d.title,
        _place_name({"place": d.place}),
        cuts,
        len(d.flags) - cuts,
        grapher.of_result(result),
    )


def _of_json(js: str, grapher: DocumentGrapher) -> Prepared:
    """A result from the cache as if just extracted."""
    data = orjson.loads(js)
    d = data["document"]
    cuts = sum(1 for f in d["flags"] if f[2] == CUT)
    return Prepared(
        js,
        d["text"],
        sketch(d["text"]),
        d["id"],
        d["sha256"],
        d["encoding"],
        d["title"],
        _place_name(d),
        cuts,
        len(d["flags"]) - cuts,
        grapher.of_data(data),
    )


def _process(job: tuple[str, str, int | None]) -> Extracted:
    """(path, document, error) — errors travel back as text, never as
    tracebacks."""
    from kgraph.pipeline import process_file

    global _GRAPHER
    path, doc_id, max_bytes = job
    if _GRAPHER is None or _GRAPHER.lexicon is not _LEXICON:
        assert _LEXICON is not None
        _GRAPHER = DocumentGrapher(_LEXICON, stored_rows=True)
    try:
        result = process_file(
            path, lexicon=_LEXICON, doc_id=doc_id, max_bytes=max_bytes
        )
        return path, _of_result(result, _GRAPHER), None
    except KgraphError as exc:
        return path, None, str(exc)
    except RecursionError:
        return path, None, f"{path}: too deeply nested to parse"
    except MemoryError:
        return path, None, f"{path}: out of memory while processing"


def _doc_ids(paths: list[str], taken: dict[str, str]) -> dict[str, str]:
    """File stem as document id; a clash gets a short hash of the path."""
    used = set(taken.values())
    ids = {}
    for p in paths:
        if p in taken:
            ids[p] = taken[p]
            continue
        stem = _stem(p)
        doc_id = (
            stem
            if stem not in used
            else f"{stem}~{hashlib.sha1(p.encode()).hexdigest()[:6]}"
        )
        used.add(doc_id)
        ids[p] = doc_id
    return ids


def _stem(path: str) -> str:
    """``Path(path).stem`` with string operations (a build names thousands)."""
    name = path.rsplit(os.sep, 1)[-1]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def _sha256_of(path: str, max_bytes: int | None = None) -> str | None:
    """Of a regular file of at most ``max_bytes``; ``None`` if it cannot be
    read (the worker then says why).  Non-blocking: a FIFO never hangs it."""
    h = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or (
                max_bytes is not None and st.st_size > max_bytes
            ):
                return None
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def find_copies(candidates: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Which documents are copies of another: ``candidates`` are (path,
    sha256 of its bytes, ``None`` if unknown) in order of preference, and the
    first of each group of identical files is the one kept.

    Returns copy path → kept path.  The one place that decides it, so a
    near-duplicate test can be added here.
    """
    first: dict[str, str] = {}
    copies = {}
    for path, sha in candidates:
        if sha is None:
            continue
        if sha in first:
            copies[path] = first[sha]
        else:
            first[sha] = path
    return copies


def resolved(path: str | Path) -> str:
    """A document's identity: its absolute path with every link and ``..``
    resolved, the same whatever directory a build runs in and however the
    path was spelled."""
    return os.path.realpath(path)


def build_workspace(
    paths: Iterable[str | Path],
    workspace: str | Path = "kgraph-out",
    *,
    jobs: int | None = None,
    lexicon_files: Iterable[str | Path] = (),
    fresh: bool = False,
    progress: Progress | None = None,
    max_file_bytes: int | None = DEFAULT_MAX_FILE_BYTES,
    wait: bool = False,
) -> BuildReport:
    """Extract every file under ``paths`` and write the graph into ``workspace``.

    A document is its resolved absolute path (:func:`resolved`), so builds
    from other working directories or other spellings of a path update the
    same documents; a file with the bytes of another is read once and
    recorded as a copy (``report.copies``).  Unchanged files (same bytes,
    same lexicons) are taken from the previous build; documents built before
    from other paths are kept unless ``fresh``, but one whose file no longer
    exists, in a directory in ``paths``, is removed (``report.removed``).
    A file that cannot be read is reported in ``report.skipped`` and the
    batch goes on (so is a file larger than ``max_file_bytes``; ``None`` for
    no limit); files in the directories that are not read at all (other
    types, FIFOs, broken links) are listed in ``report.not_read``.  If nothing
    at all could be read, :class:`InputError` is raised and the previous
    graph is left as it was.

    The build holds the workspace lock throughout: another build running
    raises :class:`StoreError` (or is waited for, with ``wait``).  A previous
    graph that cannot be read is never replaced unless ``fresh``; the one a
    build replaces is kept as ``graph.sqlite.prev``.
    """
    ws = Workspace(workspace)
    with _terminate_as_interrupt(), ws.lock(wait=wait):
        try:
            return _build(
                paths,
                ws,
                jobs=jobs,
                lexicon_files=lexicon_files,
                fresh=fresh,
                progress=progress,
                max_file_bytes=max_file_bytes,
            )
        except BaseException:
            ws.remove_own_temp_files()
            raise


def _build(
    paths: Iterable[str | Path],
    ws: Workspace,
    *,
    jobs: int | None,
    lexicon_files: Iterable[str | Path],
    fresh: bool,
    progress: Progress | None,
    max_file_bytes: int | None,
) -> BuildReport:
    started = time.perf_counter()
    progress = progress or (lambda event, detail: None)
    lexicon_paths = [str(p) for p in lexicon_files]
    lexicon = load_lexicon(lexicon_paths)
    report = BuildReport(workspace=str(ws.path))
    ws.remove_stale_files()
    # Never build over a graph that cannot be read: its documents would be
    # lost without a word.  With --fresh it is replaced, but not kept as .prev.
    sound = ws.exists()
    if sound:
        try:
            ws.check()
        except StoreError:
            if not fresh:
                raise
            sound = False

    paths = list(paths)
    listing = list_inputs(paths)
    named = {str(Path(p)) for p in paths}
    for (
        path,
        reason,
    ) in (
        listing.not_read
    ):  # a path named on the command line is an error, the rest a note
        (report.skipped if path in named else report.not_read).append((path, reason))
    files = list(dict.fromkeys(str(listing.real[p]) for p in listing.files))
    if not files:
        if report.skipped:
            raise InputError(
                "nothing could be built: " + "; ".join(e for _, e in report.skipped[:3])
            )
        raise InputError(
            "no .txt, .md or .html files found in " + ", ".join(map(str, paths))
        )
    roots = [resolved(p) for p in paths if os.path.isdir(p)]
    # A malformed manifest stops the build before anything is written; an
    # edited one re-extracts (its rows are part of what a document yields).
    signature = lexicon_signature([*lexicon_paths, *manifest.check(files)])
    # Only (id, hash, signature) per document is read up front; the cached
    # results are streamed from the old file while the new one is written.
    index = {} if fresh else ws.cache_index()
    migrated = _migrate_relative(index)
    hashes = {p: _sha256_of(p, max_file_bytes) for p in files}
    wanted = set(files)
    reuse = [
        p
        for p in files
        if p in index and index[p][2] == signature and hashes[p] == index[p][1]
    ]
    # Documents built earlier from other paths stay; one whose file no longer
    # exists, in a directory being built now, goes.
    report.removed = sorted(
        p for p in index if p not in wanted and _deleted_under(p, roots)
    )
    others = [p for p in index if p not in wanted and p not in report.removed]
    # Near copies built before (reposts of a document, kept out of the graph)
    # are not extracted again while unchanged, but checked again from their
    # cached result: their source may have changed or gone.
    near_cache = {
        p: v
        for p, v in ({} if fresh or not sound else ws.near_copies()).items()
        if p not in index
    }
    recheck = [
        p
        for p, (_, sha, sig) in near_cache.items()
        if (
            hashes.get(p) == sha and sig == signature
            if p in wanted
            else not _deleted_under(p, roots)
        )
    ]
    from_before = {*reuse, *recheck}  # a set: `in` a list here was quadratic
    new = [p for p in files if p not in from_before]
    # What is in the graph already is preferred as the one copy kept.
    copies = find_copies(
        [(p, hashes[p]) for p in reuse]
        + [(p, index[p][1]) for p in others]
        + [(p, near_cache[p][1]) for p in recheck]
        + [(p, hashes[p]) for p in new]
    )
    report.copies = [(p, copies[p]) for p in files if p in copies]
    reuse_set = {p for p in reuse if p not in copies}
    keep = reuse_set | {p for p in others if p not in copies}
    recheck = [p for p in recheck if p not in copies]
    todo = [p for p in new if p not in copies]
    ids = _doc_ids(
        todo,
        {
            **{p: v[0] for p, v in near_cache.items()},
            **{p: v[0] for p, v in index.items()},
        },
    )
    ids.update((p, near_cache[p][0]) for p in recheck)
    old_copies = {} if fresh or not sound else ws.copies()
    # a near copy's row is decided again when it is checked
    copy_rows = _copy_rows(
        copies,
        {p: d for p, d in old_copies.items() if p not in near_cache},
        keep | set(todo) | set(recheck),
        wanted,
        roots,
        {**{p: v[0] for p, v in index.items()}, **ids},
    )
    report.not_read.sort()

    # Every earlier document stays as it was, aggregated with this lexicon:
    # the graph on disk is this build's up to the new files.
    unchanged = (
        bool(index)
        and not migrated
        and keep == set(index)
        and ws.meta("signature") == signature
    )
    progress("start", str(len(todo)))
    if (
        unchanged
        and not todo
        and {**copy_rows, **{p: old_copies.get(p) for p in recheck}} == old_copies
    ):  # nothing to write
        report.documents = len(index)
        report.reused = len(reuse_set)
        report.copies += [
            (p, _path_of(old_copies[p], index)) for p in recheck if p in wanted
        ]
        report.copies.sort()
        report.near_copies.update(recheck)
        report.nodes, report.edges = ws.counts()
        report.seconds = time.perf_counter() - started
        return report

    plan = _Plan(
        index,
        migrated,
        keep,
        reuse_set,
        todo,
        ids,
        copy_rows,
        unchanged,
        sound,
        recheck,
        near_cache,
        wanted,
    )
    try:
        with gc_paused():
            _write(ws, plan, report, lexicon, signature, jobs, max_file_bytes, progress)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise write_error(ws, exc) from None
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class _Plan:
    """What a build writes, decided before anything is extracted."""

    index: dict[
        str, tuple[str, str, str]
    ]  # path → (doc id, sha256, signature) in the previous graph
    migrated: dict[str, str]  # resolved path → the relative path an older kgraph stored
    keep: set[str]  # documents of the previous graph taken over
    reuse: set[str]  # ... of which listed in this build, unchanged
    todo: list[str]  # files to extract
    ids: dict[str, str]  # their document ids
    copies: dict[str, str]  # copy path → document id, to record
    unchanged: (
        bool  # the previous graph can be gone on from (nothing in it changed or went)
    )
    sound: bool  # the previous graph was read whole: keep it as .prev
    recheck: list[
        str
    ]  # near copies built before, unchanged: checked again from their cached result
    near_cache: dict[
        str, tuple[str, str, str]
    ]  # path → (doc id, sha256, signature) of the near copies built before
    listed: set[str]  # the files this build was asked for


def _write(
    ws: Workspace,
    plan: _Plan,
    report: BuildReport,
    lexicon: Lexicon,
    signature: str,
    jobs: int | None,
    max_file_bytes: int | None,
    progress: Progress,
) -> None:
    index, migrated, reuse = plan.index, plan.migrated, plan.reuse
    back = {old: new for new, old in migrated.items()}

    def cached(
        paths: Iterable[str],
    ) -> Iterator[
        tuple[str, str]
    ]:  # (current path, result json), read under the path stored
        for p, js in ws.cached_json(migrated.get(p, p) for p in paths):
            yield back.get(p, p), js

    # Documents are indexed by their stored sketch; the text of one is read
    # back only when a new document shares most of its sketch.
    sketches = ws.sketches() if plan.keep else {}
    with ws.writer(keep_previous=plan.sound) as out:
        builder = GraphBuilder(
            lexicon, evidence_sink=out.add_evidence, edge_sink=out.add_edges
        )
        near = NearDuplicateIndex(text_of=out.document_text, keep_shingles=False)
        # Nothing earlier changed or went: go on from the previous graph (copied
        # in SQL) rather than re-aggregate every cached document, which is what
        # made adding one speech to 10,000 take as long as half a build.
        state = out.carry_over(ws) if plan.unchanged else None
        if state is not None:
            builder.resume(*state, doc_ids=(v[0] for v in index.values()))
            report.documents += len(index)
            report.reused += len(reuse)
            for doc_id, _, _ in index.values():
                sk = sketches.get(doc_id)
                if sk is None:  # a graph from before sketches were stored: once
                    sk = sketch(out.document_text(doc_id) or "")
                    out.add_sketch(doc_id, sk)
                near.insert(doc_id, sk)
        else:
            for p, kept_js in cached(plan.keep):
                _keep(out, builder, p, index[p], kept_js, report, near, sketches)
                report.reused += p in reuse

        # Near copies built before are checked after the new files, so a
        # source edited since is back in the index when its copies are.
        def rechecked() -> Iterator[tuple[str, Prepared | None, str | None, bool]]:
            for p, js in ws.near_copy_json(plan.recheck):
                yield p, _of_json(js, builder.grapher), None, True

        paths_of = {v[0]: p for p, v in index.items()} | {
            v: p for p, v in plan.ids.items()
        }
        near_of: dict[str, str] = {}  # near copy's document id → its source's
        extracted = _run(plan.todo, plan.ids, lexicon, jobs, max_file_bytes)
        for path, doc, error, from_cache in itertools.chain(
            ((p, doc, e, False) for p, doc, e in extracted), rechecked()
        ):
            if error is not None:
                report.skipped.append((path, error))
                progress("skip", error)
                if path in index:  # keep the last good version rather than lose it
                    for p, old_js in cached([path]):
                        _keep(out, builder, p, index[p], old_js, report, near, sketches)
                continue
            assert doc is not None
            sig = plan.near_cache[path][2] if from_cache else signature
            source = near.check(doc.text, doc.sketch)
            if source is not None and doc.place != _place_name(
                out.document_data(source)
            ):
                source = None  # the same text said of another jurisdiction (a manifest row): its own document
            if (
                source is not None
            ):  # a repost: cached, recorded as a copy, not in the graph
                out.add_near_copy(path, doc.doc_id, doc.sha256, sig, doc.js)
                near_of[doc.doc_id] = source
                if path in plan.listed:
                    report.copies.append((path, paths_of.get(source, source)))
                    report.near_copies.add(path)
            else:
                near.insert(doc.doc_id, doc.sketch)
                out.add_sketch(doc.doc_id, doc.sketch)
                out.add_document(
                    path, doc.doc_id, doc.sha256, sig, doc.encoding, doc.title, doc.js
                )
                builder.add_graph(doc.graph)
                report.documents += 1
            if (
                from_cache
            ):  # not extracted: if not a copy now, its source went or changed
                report.reused += source is None
                continue
            report.processed.append(path)
            report.cut_sentences += doc.cuts
            report.flagged_spans += doc.flagged
            try:
                report.bytes_read += os.path.getsize(path)
            except OSError:
                pass
            progress("done", path)

        if not report.processed and not report.reused and not report.copies:
            # none of the files asked for could be read: leave the graph as it was
            reasons = "; ".join(e for _, e in report.skipped[:3])
            raise InputError(
                f"nothing could be built: {reasons}"
                if reasons
                else "nothing could be built"
            )
        rows = {
            p: near_of.get(doc_id, doc_id) for p, doc_id in plan.copies.items()
        }  # a copy of a near copy is one of its source
        rows.update(
            (p, doc_id)
            for p, doc_id in ((p, near_of.get(plan.ids[p])) for p in plan.ids)
            if doc_id is not None
        )
        for path, doc_id in sorted(rows.items()):
            out.add_copy(path, doc_id)
        report.copies.sort()
        out.set_meta("signature", signature)
        # the user's lexicon/rules files themselves, so queries resolve their aliases
        out.set_meta("user_rules", json.dumps(lexicon.user_files, ensure_ascii=False))
        out.write_builder(builder)
        out.commit()
    report.nodes, report.edges = builder.number_of_nodes(), builder.number_of_edges()


def _copy_rows(
    copies: dict[str, str],
    old: dict[str, str],
    documents: set[str],
    listed: set[str],
    roots: list[str],
    ids: dict[str, str],
) -> dict[str, str]:
    """The copies to record, path → document id: this build's, and the
    earlier ones it did not look at whose document and file are still there."""
    rows = {p: ids[kept] for p, kept in copies.items() if kept in ids}
    doc_ids = {ids[p] for p in documents if p in ids}
    for p, doc_id in old.items():
        if (
            p not in rows
            and p not in listed
            and doc_id in doc_ids
            and not _deleted_under(p, roots)
        ):
            rows[p] = doc_id
    return dict(sorted(rows.items()))


def _place_name(d: dict | None) -> str | None:
    place = (d or {}).get("place")
    return place.get("name") if isinstance(place, dict) else place


def _path_of(doc_id: str, index: dict[str, tuple[str, str, str]]) -> str:
    return next((p for p, v in index.items() if v[0] == doc_id), doc_id)


def _migrate_relative(index: dict[str, tuple[str, str, str]]) -> dict[str, str]:
    """Graphs written before paths were stored resolved hold them relative to
    the directory that build ran in.  One that names, from here, a file
    with the same bytes is the same document: re-keyed by its resolved path.
    The others stay as they are, and are never taken for deleted.  Returns
    new path → path stored."""
    moved = {}
    for p in [p for p in index if not os.path.isabs(p)]:
        real = resolved(p)
        if real not in index and os.path.isfile(p) and _sha256_of(p) == index[p][1]:
            index[real] = index.pop(p)
            moved[real] = p
    return moved


def _deleted_under(path: str, roots: Iterable[str]) -> bool:
    """Is the file at ``path`` (resolved, absolute) gone, and was it inside
    one of the directories ``roots`` (resolved) being built?  A path stored
    relative (by an older kgraph) has no known base: never deleted."""
    if not os.path.isabs(path) or os.path.lexists(path):
        return False
    return any(os.path.commonpath([path, r]) == r for r in roots)


def _keep(
    out: WorkspaceWriter,
    builder: GraphBuilder,
    path: str,
    cached: tuple[str, str, str],
    js: str,
    report: BuildReport,
    near: NearDuplicateIndex,
    sketches: dict[str, tuple[int, ...]],
) -> None:
    """A document from the previous build, taken over unchanged (and indexed
    as a source of near copies, never checked as one: it is in the graph)."""
    doc_id, sha, sig = cached
    data = orjson.loads(js)
    d = data["document"]
    sk = sketches.get(doc_id)
    if sk is None:
        sk = sketch(d["text"])
    out.add_sketch(doc_id, sk)
    near.insert(doc_id, sk)
    if d["path"] != path:  # stored relative by an older kgraph: now resolved
        d["path"] = path
        js = orjson.dumps(data).decode()
    out.add_document(path, doc_id, sha, sig, d["encoding"], d["title"], js)
    builder.add_data(data)
    report.documents += 1


def _run(
    todo: list[str],
    ids: dict[str, str],
    lexicon: Lexicon,
    jobs: int | None,
    max_bytes: int | None = None,
) -> Iterator[Extracted]:
    global _LEXICON, _GRAPHER
    _LEXICON = lexicon  # what _process extracts with, here or in the forked workers
    _GRAPHER = DocumentGrapher(lexicon, stored_rows=True)  # for the writer's sink
    jobs = jobs or os.cpu_count() or 1
    work = [(p, ids[p], max_bytes) for p in todo]
    if jobs <= 1 or len(work) < 4:
        yield from map(_process, work)
        return
    # fork keeps start-up cheap: the lexicon and every table built by the
    # warm-up are shared copy-on-write.  Results come back in input order
    # so builds are deterministic whatever the number of workers, and at most
    # a few chunks per worker are in flight, so a slow file never makes the
    # results behind it pile up in memory.
    _warm_up()
    size = max(1, min(16, len(work) // (jobs * 8) or 1))
    chunks = iter([work[i : i + size] for i in range(0, len(work), size)])
    ctx = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker)
    try:
        pending = deque(
            pool.submit(_process_chunk, c) for c in itertools.islice(chunks, jobs * 4)
        )
        while pending:
            results = pending.popleft().result()
            nxt = next(chunks, None)
            if nxt is not None:
                pending.append(pool.submit(_process_chunk, nxt))
            yield from results
    finally:
        # Interrupted, or the caller gave up: drop the chunks not started and
        # let the few in flight finish (workers ignore Ctrl-C).  Terminating a
        # worker mid-reply leaves half a message in the result pipe, and the
        # executor's thread then blocks on it forever, so the process never exits.
        pool.shutdown(wait=True, cancel_futures=True)


def _process_chunk(jobs: list[tuple[str, str, int | None]]) -> list[Extracted]:
    return [_process(job) for job in jobs]


def _warm_up() -> None:
    """Build every lazily made table (jieba's word list, the OpenCC converter,
    the lexicon, decoder and cleaner regexes) once, before forking, so the workers
    share them instead of each building its own."""
    from kgraph import encoding
    from kgraph.extract import officials
    from kgraph.pipeline import process_text

    encoding.warm_up()
    officials.warm_up()
    result = process_text(
        "市委书记张三强调,各級部門要落實安全生產責任(zé rèn)。",
        "warm-up",
        lexicon=_LEXICON,
    )
    sketch(result.document.text)  # numpy imports more on its first unique()


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so the half-written graph file is removed
    and the workers are stopped (SIGKILL cannot be caught: the next build
    removes what it left behind)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
