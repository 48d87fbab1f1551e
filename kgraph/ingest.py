"""Bytes on disk → text, and the paths given on the command line → files.

:func:`read_file` reads a file once, hashes the raw bytes, rejects what is not
a speech (missing, directory, empty, binary, undecodable, too large) with a
one-line :class:`~kgraph.errors.InputError`, detects the encoding
(:mod:`kgraph.encoding`) and strips HTML and Markdown markup
(:mod:`kgraph.markup`).  :func:`list_inputs` expands the paths given on the
command line, with a reason for every file it will not read.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kgraph import readers
from kgraph.encoding import decode_bytes
from kgraph.errors import InputError
from kgraph.markup import html_to_text, is_blank, looks_like_html, markdown_to_text

__all__ = [
    "INPUT_SUFFIXES",
    "InputListing",
    "RawText",
    "html_to_text",
    "iter_input_files",
    "list_inputs",
    "markdown_to_text",
    "not_read_reason",
    "read_file",
]

# What a directory walk reads; see not_read_reason.
INPUT_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"}) | readers.SUFFIXES
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


@dataclass
class RawText:
    text: str
    encoding: str
    sha256: str
    path: str


# --------------------------------------------------------------------------
# reading


def read_file(path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> RawText:
    """The text of one file; ``max_bytes`` bounds the read (``None``: no limit)."""
    p = Path(path)
    data = _read_bytes(p, max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(
            f"{p}: file is empty" if not data else f"{p}: file contains only whitespace"
        )
    document = readers.read_document(
        p, data
    )  # .docx, .pdf, …: the format's own library
    text, encoding = document if document is not None else decode_bytes(data, p)
    if is_blank(text):  # e.g. UTF-16 spaces, or only a BOM
        raise InputError(f"{p}: file contains only whitespace")
    if document is None and looks_like_html(p, text):
        text = html_to_text(text)
    elif p.suffix.lower() == ".md":
        text = markdown_to_text(text)
    if is_blank(text):
        raise InputError(f"{p}: no text in the file, only markup")
    return RawText(text=text, encoding=encoding, sha256=digest, path=str(p))


def _read_bytes(p: Path, max_bytes: int | None) -> bytes:
    try:
        # stat before opening: opening a FIFO blocks until someone writes to
        # it, and a device (/dev/zero) never ends
        _check_regular(p, os.stat(p))
        # ... and again on what was opened (non-blocking, so a FIFO swapped in
        # meanwhile cannot hang us either)
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            _check_regular(p, st)
            if max_bytes is not None and st.st_size > max_bytes:
                raise InputError(_too_large(p, f"{st.st_size:,} bytes", max_bytes))
            data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror or exc})") from None
    if max_bytes is not None and len(data) > max_bytes:  # grew after stat
        raise InputError(_too_large(p, f"more than {max_bytes:,} bytes", max_bytes))
    return data


def _too_large(p: Path, size: str, limit: int) -> str:
    # A speech is tens of KB; a file of many MB is a dump of many documents
    # and would be extracted as one.
    return f"{p}: file too large to process as one speech ({size}; the limit is {limit:,}): split it, or raise the limit with --max-mb"


def _check_regular(p: Path, st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{p}: is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{p}: not a regular file ({_file_kind(st.st_mode)})")


def _file_kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return name
    return "not a plain file"


# --------------------------------------------------------------------------
# input paths


@dataclass
class InputListing:
    """What the paths given on the command line hold: the files to read, in
    order, and every file that will not be read with the reason, one line each."""

    files: list[Path]
    not_read: list[tuple[str, str]]
    #: each file's path with every link and ``..`` resolved, as walked
    real: dict[Path, Path] = field(default_factory=dict)


def not_read_reason(path: Path) -> str | None:
    """Why a file met in a directory is not read (``None``: it is).

    The one place that decides which file types kgraph reads: a reader for
    a new type adds its suffix to :data:`INPUT_SUFFIXES`.
    """
    suffix = path.suffix.lower()
    if suffix in INPUT_SUFFIXES:
        return None
    readable = " ".join(sorted(INPUT_SUFFIXES))
    return (
        f"not a supported file type ({suffix or 'no suffix'}; kgraph reads {readable})"
    )


def list_inputs(paths: Iterable[str | Path] | str | Path) -> InputListing:
    """Files to process: explicit files as given (whatever their suffix),
    directories expanded.

    Directories are walked recursively in sorted order, keeping the files
    :func:`not_read_reason` accepts and skipping hidden files and
    directories.  Symlinked directories are followed once (a loop is not
    walked twice); a file reached twice is listed once.  A path that does
    not exist, a FIFO or device, a broken link, a link loop, a file of
    another type, a directory that cannot be listed: each goes to
    ``not_read`` with its reason, and the rest is still listed.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    listing = InputListing([], [])
    seen_dirs: set[Path] = set()
    seen_files: set[Path] = set()
    for given in paths:
        _classify(Path(given), seen_dirs, seen_files, listing, walked=False)
    return listing


def iter_input_files(paths: Iterable[str | Path] | str | Path) -> Iterator[Path]:
    """The files of :func:`list_inputs`; a path that does not exist raises
    :class:`InputError`, other files not read are left out."""
    listing = list_inputs(paths)
    for _path, reason in listing.not_read:
        if reason.endswith("no such file or directory"):
            raise InputError(reason)
    yield from listing.files


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    return exc.strerror.lower() if exc.strerror else str(exc)


def _first_time(key: Path, seen: set[Path]) -> bool:
    if key in seen:
        return False
    seen.add(key)
    return True


def _walk(
    directory: Path,
    seen_dirs: set[Path],
    seen_files: set[Path],
    listing: InputListing,
    real_dir: Path,
) -> None:
    if not _first_time(real_dir, seen_dirs):
        return  # a link back to a directory already walked
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as exc:
        listing.not_read.append(
            (
                str(directory),
                f"{directory}: cannot list the directory ({_os_reason(exc)})",
            )
        )
        return
    for entry in entries:
        if not entry.name.startswith("."):
            # an entry that is no link resolves to its directory's resolved
            # path and its name: no lstat per path component per file
            real = None if entry.is_symlink() else real_dir / entry.name
            _classify(
                Path(entry.path), seen_dirs, seen_files, listing, walked=True, real=real
            )


def _classify(
    path: Path,
    seen_dirs: set[Path],
    seen_files: set[Path],
    listing: InputListing,
    *,
    walked: bool,
    real: Path | None = None,
) -> None:
    """Put one path where it belongs: a directory is walked, a regular file
    listed, anything else goes to ``not_read`` with its reason.  A file met
    in a directory (``walked``) must also be of a type kgraph reads; one
    named on the command line is read whatever its suffix."""
    try:
        st = path.stat()  # follows links; never opens (a FIFO would block)
    except FileNotFoundError:
        why = "broken symlink" if path.is_symlink() else "no such file or directory"
        listing.not_read.append((str(path), f"{path}: {why}"))
        return
    except OSError as exc:
        listing.not_read.append((str(path), f"{path}: {_os_reason(exc)}"))
        return
    if stat.S_ISDIR(st.st_mode):
        _walk(path, seen_dirs, seen_files, listing, real or path.resolve())
    elif not stat.S_ISREG(st.st_mode):
        listing.not_read.append(
            (str(path), f"{path}: not a regular file ({_file_kind(st.st_mode)})")
        )
    elif walked and (reason := not_read_reason(path)) is not None:
        listing.not_read.append((str(path), f"{path}: {reason}"))
    elif _first_time(real := real or path.resolve(), seen_files):
        listing.files.append(path)
        listing.real[path] = real
