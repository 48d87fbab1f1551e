"""Errors a user can act on.

Anything raised as :class:`KgraphError` is printed by the CLI as one line
(``error: …``) with a non-zero exit; anything else is a bug and keeps its
traceback.
"""


class KgraphError(Exception):
    """A problem with the user's input or environment, explained in one line."""

    exit_code = 1


class InputError(KgraphError):
    """A file cannot be read as a speech: missing, empty, binary, undecodable …"""

    exit_code = 2


class StoreError(KgraphError):
    """The workspace or the Neo4j server cannot be used."""

    exit_code = 3
