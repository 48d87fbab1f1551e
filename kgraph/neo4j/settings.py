"""Where to connect: the ``NEO4J_*`` environment defaults and URI checks."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from kgraph.errors import StoreError

DEFAULT_URI = "bolt://localhost:7687"
DEFAULT_USER = "neo4j"
URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass(frozen=True)
class Where:
    """A database on a server, as messages name it (never the password)."""

    uri: str
    user: str
    database: str | None

    @property
    def db(self) -> str:
        return repr(self.database) if self.database else "(the server's default)"


@dataclass(frozen=True)
class Settings:
    """Connection settings: arguments first, then ``NEO4J_URI``,
    ``NEO4J_USERNAME`` (or ``NEO4J_USER``), ``NEO4J_PASSWORD``,
    ``NEO4J_DATABASE``, then the defaults."""

    uri: str
    user: str
    password: str
    database: str | None

    @classmethod
    def resolve(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
    ) -> Settings:
        env = os.environ
        uri = uri or env.get("NEO4J_URI") or DEFAULT_URI
        user = (
            user or env.get("NEO4J_USERNAME") or env.get("NEO4J_USER") or DEFAULT_USER
        )
        if password is None:
            password = env.get("NEO4J_PASSWORD", "")
        database = database or env.get("NEO4J_DATABASE") or None
        check_uri(uri)
        return cls(uri, user, password, database)

    @property
    def where(self) -> Where:
        return Where(self.uri, self.user, self.database)


def check_uri(uri: str) -> None:
    """Refuse a URI the driver would not take (or would choke on with a
    traceback: ``bolt://[::1``, a port out of range), in one line."""
    scheme = uri.partition("://")[0].lower() if "://" in uri else ""
    if scheme not in URI_SCHEMES:
        raise StoreError(
            f"bad Neo4j URI {uri!r}: use one of {', '.join(s + '://' for s in URI_SCHEMES)}"
        )
    try:
        _ = urlsplit(uri).port
    except ValueError as exc:
        raise StoreError(f"bad Neo4j URI {uri!r}: {exc}") from None
