"""What both readers of a document's text look at: its title-like head
lines, and the snippet of text around a match that is kept as evidence."""

from __future__ import annotations

HEAD_LINES = 4  # title-like lines looked at from the top
TITLE_MAX = 70


def snippet(text: str, start: int, end: int, pad: int = 20) -> str:
    a = max(0, start - pad)
    b = min(len(text), end + pad)
    return text[a:b].replace("\n", " ")


def head_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of the first title-like lines."""
    out, pos = [], 0
    for line in text.split("\n"):
        s = line.strip()
        if s and s != "……":
            out.append((pos + line.index(s), s))
            if len(out) >= HEAD_LINES:
                break
        pos += len(line) + 1
    return [(o, s) for o, s in out if len(s) <= TITLE_MAX]
