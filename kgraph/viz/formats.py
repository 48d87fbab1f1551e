"""Which picture format to write, from ``--format`` and the output file's suffix.

A suffix that names no picture format, or one that contradicts ``--format``,
is an error: writing HTML into ``chain.pdf`` (or PNG bytes into ``x.svg``)
gives the user a file that no viewer opens, and they find out later.
"""

from __future__ import annotations

from pathlib import Path

from kgraph.errors import KgraphError

FORMATS = ("html", "svg", "png", "pdf", "dot", "mermaid")
TEXT_FORMATS = ("html", "dot", "mermaid")  # can be printed with --out -
SUFFIX_FORMAT = {
    ".html": "html",
    ".htm": "html",
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".md": "mermaid",
}
FORMAT_SUFFIX = {
    "html": ".html",
    "svg": ".svg",
    "png": ".png",
    "pdf": ".pdf",
    "dot": ".dot",
    "mermaid": ".mmd",
}


class FormatError(KgraphError):
    """The requested picture format and the output file do not agree (a usage error)."""

    exit_code = 2


def picture_format(fmt: str | None, out: Path | str | None) -> str:
    """The format to write ``out`` in; :class:`FormatError` when they cannot agree.

    ``out`` of ``None`` or ``-`` (stdout) and a file without a suffix take
    ``fmt`` (default html).
    """
    if fmt is not None:
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise FormatError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")
    if out is None or str(out) == "-" or not Path(out).suffix:
        return fmt or "html"
    suffix = Path(out).suffix.lower()
    implied = SUFFIX_FORMAT.get(suffix)
    if implied is None:
        known = sorted(set(FORMAT_SUFFIX.values()))
        raise FormatError(
            f"cannot draw a {suffix} file: name the output {', '.join(known[:-1])} or {known[-1]}"
        )
    if fmt is not None and fmt != implied:
        raise FormatError(
            f"--format {fmt} does not match the file name {Path(out).name} ({suffix} is {implied})"
        )
    return implied
