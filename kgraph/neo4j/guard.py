"""The read-only guard of ``kgraph cypher``: does a statement write?

A lexical check, done by kgraph itself whatever the server enforces (a user's
role may well be allowed to write).
"""

from __future__ import annotations

import re

_WRITE_WORDS = (
    "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "FOREACH",
    "LOAD", "ALTER", "RENAME", "GRANT", "DENY", "REVOKE", "START", "STOP", "TERMINATE",
)  # fmt: skip
_WRITE_RE = re.compile(
    r"(?<![\w.$])(" + "|".join(_WRITE_WORDS) + r")(?![\w])", re.IGNORECASE
)
_WRITE_PROC_RE = re.compile(
    r"\bCALL\s+([\w.]*(?:create|merge|delete|remove|set|drop|refactor|periodic|load|import|write|clear|kill|terminate)[\w.]*)",
    re.IGNORECASE,
)
_STRIP_RE = re.compile(
    r"""//[^\n]*|/\*.*?\*/|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:``|[^`])*`""",
    re.DOTALL,
)


def write_clause(cypher: str) -> str | None:
    """The first clause in ``cypher`` that writes (``CREATE``, ``SET``, a writing
    procedure …), ignoring strings, comments and quoted names; None if none."""
    bare = _STRIP_RE.sub(" ", cypher)
    m = _WRITE_RE.search(bare)
    if m:
        return m.group(1).upper()
    m = _WRITE_PROC_RE.search(bare)
    if m:
        return f"CALL {m.group(1)}"
    return None
