"""Build or update a workspace from files: the library behind ``kgraph build``.

>>> from kgraph.build import build_workspace
>>> report = build_workspace(["data/speeches"], "kgraph-out")      # doctest: +SKIP
>>> report.processed, report.reused, report.skipped                 # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator

import kgraph
from kgraph.errors import InputError, KgraphError
from kgraph.graph import GraphBuilder
from kgraph.jurisdiction import manifest
from kgraph.ingest import iter_input_files
from kgraph.lexicon import Lexicon, load_lexicon
from kgraph.store import Workspace, result_to_json

Progress = Callable[[str, str], None]  # (event, detail): "start" N, "done" path, "skip" message


@dataclass
class BuildReport:
    workspace: str
    documents: int = 0  # in the graph after the build
    processed: list[str] = field(default_factory=list)  # paths extracted this run
    reused: int = 0  # unchanged files taken from the cache
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line reason)
    removed: list[str] = field(default_factory=list)  # built before, file since deleted from a directory built now
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
            "removed": self.removed,
            "nodes": self.nodes,
            "edges": self.edges,
            "flagged_spans": self.flagged_spans,
            "bytes_read": self.bytes_read,
            "seconds": round(self.seconds, 3),
        }


# A speech is tens of KB; a file of many MB is a dump of many documents and
# would be extracted as one (names resolved across all of it), slowly.
DEFAULT_MAX_FILE_BYTES = 8 * 1000 * 1000


# The code whose change changes what a document yields.
EXTRACTION_CODE = ("ingest.py", "clean.py", "sentences.py", "pipeline.py", "lexicon.py", "model.py", "extract", "jurisdiction")


def lexicon_signature(extra: Iterable[str | Path] = ()) -> str:
    """Changes whenever extraction could give a different answer: the kgraph
    version and extraction code, the shipped lexicons and any user lexicon."""
    h = hashlib.sha256(kgraph.__version__.encode())
    package = Path(kgraph.__file__).parent
    for name in EXTRACTION_CODE:
        for f in sorted((package / name).rglob("*.py")) if (package / name).is_dir() else [package / name]:
            h.update(f.read_bytes())
    root = resources.files("kgraph.lexicons")
    for name in sorted(p.name for p in root.iterdir() if p.name.endswith(".tsv")):
        h.update(root.joinpath(name).read_bytes())
    for p in extra:
        try:
            h.update(Path(p).read_bytes())
        except OSError as exc:
            raise InputError(f"{p}: cannot read lexicon ({exc.strerror})") from None
    return h.hexdigest()[:16]


# --- worker side -------------------------------------------------------------------
_LEXICON = None


def _init_worker() -> None:
    # Ctrl-C and SIGTERM are the parent's to handle: it stops the workers.
    # The lexicon is the parent's, inherited by fork.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()


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


def _process(job: tuple[str, str, int | None]) -> tuple[str, str | None, str | None]:
    """(path, result json, error) — errors travel back as text, never as tracebacks."""
    from kgraph.pipeline import process_file

    path, doc_id, max_bytes = job
    try:
        if max_bytes is not None:
            try:
                size = os.stat(path).st_size
            except OSError:
                size = 0  # read_file reports it
            if size > max_bytes:
                return path, None, (
                    f"{path}: file too large to process as one speech ({size:,} bytes; the limit is {max_bytes:,}): "
                    "split it, or raise the limit with --max-mb"
                )
        result = process_file(path, lexicon=_LEXICON, doc_id=doc_id)
        return path, result_to_json(result), None
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
        stem = Path(p).stem
        doc_id = stem if stem not in used else f"{stem}~{hashlib.sha1(p.encode()).hexdigest()[:6]}"
        used.add(doc_id)
        ids[p] = doc_id
    return ids


def _sha256_of(path: str) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def build_workspace(
    paths: Iterable[str | Path],
    workspace: str | Path = "kgraph-out",
    *,
    jobs: int | None = None,
    lexicon_files: Iterable[str | Path] = (),
    fresh: bool = False,
    progress: Progress | None = None,
    max_file_bytes: int | None = DEFAULT_MAX_FILE_BYTES,
) -> BuildReport:
    """Extract every file under ``paths`` and write the graph into ``workspace``.

    Unchanged files (same bytes, same lexicons) are taken from the previous
    build; documents built before from other paths are kept unless ``fresh``,
    but one whose file has been deleted from a directory in ``paths`` is
    removed (``report.removed``).
    A file that cannot be read is reported in ``report.skipped`` and the batch
    goes on (so is a file larger than ``max_file_bytes``; ``None`` for no
    limit); if nothing at all could be read, :class:`InputError` is raised and
    the previous graph is left as it was.
    """
    with _terminate_as_interrupt():
        return _build(paths, workspace, jobs=jobs, lexicon_files=lexicon_files, fresh=fresh, progress=progress, max_file_bytes=max_file_bytes)


def _build(paths, workspace, *, jobs, lexicon_files, fresh, progress, max_file_bytes) -> BuildReport:
    started = time.perf_counter()
    progress = progress or (lambda event, detail: None)
    lexicon_files = [str(p) for p in lexicon_files]
    lexicon = load_lexicon(lexicon_files)
    ws = Workspace(workspace)
    report = BuildReport(workspace=str(ws.path))

    files = [str(p) for p in iter_input_files(paths)]
    if not files:
        raise InputError("no .txt, .md or .html files found in " + ", ".join(map(str, paths)))
    # A malformed manifest stops the build before anything is written; an
    # edited one re-extracts (its rows are part of what a document yields).
    signature = lexicon_signature([*lexicon_files, *manifest.check(files)])
    # Only (id, hash, signature) per document is read up front; the cached
    # results are streamed from the old file while the new one is written.
    index = {} if fresh else ws.cache_index()
    ids = _doc_ids(files, {p: v[0] for p, v in index.items()})

    todo: list[str] = []
    reuse: set[str] = set()
    for p in files:
        old = index.get(p)
        if old and old[2] == signature and _sha256_of(p) == old[1]:
            reuse.add(p)
        else:
            todo.append(p)
    wanted = set(files)
    # Documents built earlier from other paths stay; one whose file was
    # deleted from a directory being built now goes with it.
    report.removed = sorted(p for p in index if p not in wanted and _deleted_under(p, paths))
    keep = reuse | {p for p in index if p not in wanted and p not in report.removed}
    # Every earlier document stays as it was, aggregated with this lexicon:
    # the graph on disk is this build's up to the new files.
    unchanged = bool(index) and keep == set(index) and ws.meta("signature") == signature
    progress("start", str(len(todo)))
    if unchanged and not todo:  # nothing to write
        ws.remove_stale_files()
        report.documents = len(index)
        report.reused = len(reuse)
        report.nodes, report.edges = ws.counts()
        report.seconds = time.perf_counter() - started
        return report

    with ws.writer() as out:
        builder = GraphBuilder(lexicon, evidence_sink=out.add_evidence, edge_sink=out.add_edge)
        # Nothing earlier changed or went: go on from the previous graph (copied
        # in SQL) rather than re-aggregate every cached document, which is what
        # made adding one speech to 10,000 take as long as half a build.
        state = out.carry_over(ws) if unchanged else None
        if state is not None:
            builder.resume(*state, doc_ids=(v[0] for v in index.values()))
            report.documents += len(index)
            report.reused += len(reuse)
        else:
            for p, js in ws.cached_json(keep):
                _keep(out, builder, p, index[p], js, report)
                report.reused += p in reuse

        for path, js, error in _run(todo, ids, lexicon, jobs, max_file_bytes):
            if error is not None:
                report.skipped.append((path, error))
                progress("skip", error)
                if path in index:  # keep the last good version rather than lose it
                    for p, old_js in ws.cached_json([path]):
                        _keep(out, builder, p, index[p], old_js, report)
                continue
            data = json.loads(js)
            d = data["document"]
            out.add_document(path, d["id"], d["sha256"], signature, d["encoding"], d["title"], js)
            builder.add_data(data)
            report.processed.append(path)
            report.documents += 1
            report.flagged_spans += len(d["flags"])
            try:
                report.bytes_read += os.path.getsize(path)
            except OSError:
                pass
            progress("done", path)

        if not report.processed and not report.reused:
            # none of the files asked for could be read: leave the graph as it was
            reasons = "; ".join(e for _, e in report.skipped[:3])
            raise InputError(f"nothing could be built: {reasons}" if reasons else "nothing could be built")
        out.set_meta("signature", signature)
        out.write_builder(builder)
        out.commit()
    report.nodes, report.edges = builder.number_of_nodes(), builder.number_of_edges()
    report.seconds = time.perf_counter() - started
    return report


def _deleted_under(path: str, roots: Iterable[str | Path]) -> bool:
    """Is ``path`` gone from disk and was it inside one of the directories ``roots``?"""
    if os.path.lexists(path):
        return False
    p = os.path.abspath(path)
    for root in roots:
        r = os.path.abspath(root)
        if os.path.isdir(r) and os.path.commonpath([p, r]) == r:
            return True
    return False


def _keep(out, builder: GraphBuilder, path: str, cached: tuple[str, str, str], js: str, report: BuildReport) -> None:
    """A document from the previous build, taken over unchanged."""
    doc_id, sha, sig = cached
    data = json.loads(js)
    d = data["document"]
    out.add_document(path, doc_id, sha, sig, d["encoding"], d["title"], js)
    builder.add_data(data)
    report.documents += 1


def _run(todo: list[str], ids: dict[str, str], lexicon: Lexicon, jobs: int | None, max_bytes: int | None = None) -> Iterator[tuple[str, str | None, str | None]]:
    global _LEXICON
    _LEXICON = lexicon  # what _process extracts with, here or in the forked workers
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
        pending = deque(pool.submit(_process_chunk, c) for c in itertools.islice(chunks, jobs * 4))
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


def _process_chunk(jobs: list[tuple[str, str, int | None]]) -> list[tuple[str, str | None, str | None]]:
    return [_process(job) for job in jobs]


def _warm_up() -> None:
    """Build every lazily made table (jieba's word list, the OpenCC converter,
    the lexicon and cleaner regexes) once, before forking, so the workers
    share them instead of each building its own."""
    from kgraph.pipeline import process_text

    process_text("市委书记张三强调,各級部門要落實安全生產責任(zé rèn)。", "warm-up", lexicon=_LEXICON)


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
