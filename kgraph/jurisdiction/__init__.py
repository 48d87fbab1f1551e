"""Where and when a document speaks: its jurisdiction and date.

- :mod:`~kgraph.jurisdiction.gazetteer`: China's administrative divisions (jionlp's table)
- :mod:`~kgraph.jurisdiction.document`: a document's place, with evidence
- :mod:`~kgraph.jurisdiction.dates`: a document's date, with evidence
- :mod:`~kgraph.jurisdiction.manifest`: a user's per-file overrides
"""

from kgraph.jurisdiction.dates import DocDate, document_date
from kgraph.jurisdiction.document import Place, document_place
from kgraph.jurisdiction.manifest import apply as apply_overrides
from kgraph.jurisdiction.manifest import row_for as manifest_row

__all__ = [
    "DocDate",
    "Place",
    "apply_overrides",
    "document_date",
    "document_place",
    "manifest_row",
]
