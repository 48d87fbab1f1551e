"""Driver exceptions → one-line :class:`~kgraph.errors.StoreError` messages."""

from __future__ import annotations

from types import TracebackType
from typing import Literal

from kgraph.errors import StoreError
from kgraph.neo4j.settings import Where


def one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class translate_errors:
    """Context manager: driver exceptions → :class:`StoreError` with one line."""

    def __init__(self, where: Where):
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Literal[False]:
        if exc is None or isinstance(exc, StoreError):
            return False
        mapped = map_driver_error(exc, self.where)
        if mapped is None:
            return False
        raise mapped from exc


def map_driver_error(exc: BaseException, where: Where) -> StoreError | None:
    import neo4j.exceptions as nx

    uri, db = where.uri, where.db
    if isinstance(exc, nx.Neo4jError):
        msg = one_line(exc.message or str(exc))
    else:
        msg = one_line(str(exc) or type(exc).__name__)
    code = getattr(exc, "code", None) or ""
    if isinstance(exc, nx.AuthError) or code.startswith(
        "Neo.ClientError.Security.Unauthorized"
    ):
        return StoreError(
            f"Neo4j rejected the user/password for {uri} (user {where.user!r})"
        )
    if code == "Neo.ClientError.Database.DatabaseNotFound":
        return StoreError(f"Neo4j at {uri} has no database {db}")
    if code == "Neo.ClientError.Security.Forbidden":
        return StoreError(
            f"Neo4j at {uri} refused access to database {db} for user {where.user!r} "
            f"(no such database, or no permission): {msg}"
        )
    if isinstance(exc, nx.UnsupportedServerProduct):
        return StoreError(
            f"Bolt protocol mismatch with {uri}: the server offers no Bolt version this driver speaks "
            f"(kgraph needs Neo4j 4.4 or 5.x)"
        )
    if isinstance(exc, nx.ServiceUnavailable):
        low = msg.lower()
        if "looks like http" in low:
            return StoreError(
                f"{uri} answers HTTP, not Bolt — use the Bolt port (usually 7687)"
            )
        if (
            "protocol version" in low
            or "handshake" in low
            or ("bolt" in low and "version" in low)
        ):
            return StoreError(
                f"Bolt protocol mismatch with {uri} (the server needs Neo4j 4.4+ / Bolt 4.4+): {msg}"
            )
        return StoreError(f"cannot reach Neo4j at {uri}: {msg}")
    if isinstance(exc, nx.ConfigurationError):
        return StoreError(f"bad Neo4j settings for {uri}: {msg}")
    if isinstance(exc, nx.CypherSyntaxError):
        return StoreError(f"Cypher syntax error: {msg}")
    if isinstance(exc, nx.Neo4jError):
        return StoreError(f"Neo4j error {code or type(exc).__name__}: {msg}")
    if isinstance(exc, nx.DriverError):
        return StoreError(
            f"Neo4j driver error talking to {uri}: {type(exc).__name__}: {msg}"
        )
    if isinstance(exc, ValueError) and (
        "uri" in msg.lower() or "scheme" in msg.lower()
    ):
        return StoreError(f"bad Neo4j URI {uri!r}: {msg}")
    if isinstance(exc, OSError):
        return StoreError(f"cannot reach Neo4j at {uri}: {msg}")
    return None
