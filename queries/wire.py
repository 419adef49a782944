"""An answer already written in the result format a client asked for.

Why: ``/sparql`` sends most answers on unchanged, so the embedded store's query
workers write them (``encode``, in the worker's process, beside the evaluation) and
hand the server bytes to pass through: the server's one process does no work per
row and unpickles no terms. The formats are those of ``SelectResult`` (one home for
how each looks); graphs (CONSTRUCT, DESCRIBE) stay our own types, written by the
server. Light to import: a worker and ``serve`` import it before anything else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .results import QueryResult, SelectResult, boolean_xml

#: result kinds, and the format names each can be written in
KINDS = {"select": ("json", "xml", "csv", "tsv"), "boolean": ("json", "xml")}
#: format name -> media type of the answer
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}

#: for each kind a client may get, the format name to write it in (a kind missing:
#: leave that kind as our own types, for the server to write or refuse)
Wanted = dict[str, str]


@dataclass(frozen=True)
class Encoded:
    """An answer's body in one format, and what the server says about it."""

    body: bytes
    media: str
    kind: str
    truncated: bool = False

    def __reduce__(self):
        """Pickled as its fields (each answer crosses from a worker): written in
        less than half the time of a dataclass's default."""
        return (Encoded, (self.body, self.media, self.kind, self.truncated))


def kind_of(result: QueryResult) -> str:
    if isinstance(result, bool):
        return "boolean"
    if isinstance(result, SelectResult):
        return "select"
    return "graph"


def encode(result: QueryResult, wanted: Wanted | None) -> Encoded | QueryResult:
    """The answer written as ``wanted`` says for its kind, or unchanged when its kind
    is not wanted (or is a graph)."""
    fmt = (wanted or {}).get(kind_of(result))
    if fmt is None:
        return result
    if isinstance(result, bool):
        if fmt == "xml":
            text = boolean_xml(result)
        else:
            text = json.dumps({"head": {}, "boolean": result})
        return Encoded(text.encode("utf-8"), MEDIA[fmt], "boolean")
    assert isinstance(result, SelectResult)
    writer = {"json": result.to_json_text, "xml": result.to_xml, "csv": result.to_csv, "tsv": result.to_tsv}[fmt]
    return Encoded(writer().encode("utf-8"), MEDIA[fmt], "select", result.truncated)
