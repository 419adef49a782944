"""An answer already written in the result format a client asked for.

Why: ``/sparql`` sends most answers on unchanged, so the embedded store's query
workers write them (``encode``, in the worker's process, beside the evaluation) and
hand the server bytes to pass through: the server's one process does no work per
row and unpickles no terms. The formats are those of ``SelectResult`` (one home for
how each looks); graphs (CONSTRUCT, DESCRIBE) stay our own types, written by the
server. Light to import: a worker and ``serve`` import it before anything else.

A worker may also write a ``/sparql`` answer to the client itself (``Delivery``,
``deliver``): the server passes the client's connection with the query, so the
answer goes out as soon as it is evaluated, without a hop back to the server first.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
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


#: the four answers an ASK can have, written once
_BOOLEANS = {
    (fmt, value): Encoded(
        (boolean_xml(value) if fmt == "xml" else json.dumps({"head": {}, "boolean": value})).encode("utf-8"),
        MEDIA[fmt],
        "boolean",
    )
    for fmt in KINDS["boolean"]
    for value in (False, True)
}


def encode(result: QueryResult, wanted: Wanted | None) -> Encoded | QueryResult:
    """The answer written as ``wanted`` says for its kind, or unchanged when its kind
    is not wanted (or is a graph)."""
    fmt = (wanted or {}).get(kind_of(result))
    if fmt is None:
        return result
    if isinstance(result, bool):
        return _BOOLEANS[fmt, result]
    assert isinstance(result, SelectResult)
    writer = {"json": result.to_json_text, "xml": result.to_xml, "csv": result.to_csv, "tsv": result.to_tsv}[fmt]
    return Encoded(writer().encode("utf-8"), MEDIA[fmt], "select", result.truncated)


@dataclass(frozen=True)
class Delivery:
    """What a query worker needs to write a ``/sparql`` answer to the client itself:
    the client connection's file descriptor in the server (it reaches the worker as
    a descriptor of its own, with the query), the head of a 200 answer per result
    kind, split where the body's length goes (``before + length + after``), and
    whether the server wants the body back (to keep the answer). ``write_by`` (the
    system's monotonic clock) is set by the pool as it hands the query over: past it
    the worker writes nothing, so a worker the server stops (never before twice as
    long) has never begun an answer the server then answers again."""

    fd: int
    heads: dict[str, tuple[bytes, bytes]]
    keep: bool = False
    write_by: float = 0.0


#: how a caller offers the client's connection: a function that makes the
#: ``Delivery``, called only when the query goes to a worker (making the heads costs
#: more than evaluating a one-pattern query in the server, which needs none)
Offer = Callable[[], "Delivery | None"]


@dataclass(frozen=True)
class Delivered:
    """An answer (of ``kind``) a worker wrote to the client: ``sent`` of its ``total``
    bytes (head and body) went; ``answer`` is the answer with its body when the
    server still needs it (to keep it, or to send the rest), else None."""

    kind: str
    sent: int
    total: int
    answer: Encoded | None = None

    def __reduce__(self):
        return (Delivered, (self.kind, self.sent, self.total, self.answer))

    def rest(self, head: tuple[bytes, bytes]) -> bytes:
        """What is left to send, given the head the worker wrote."""
        if self.sent >= self.total or self.answer is None:
            return b""
        return written(head, self.answer.body)[self.sent :]


def written(head: tuple[bytes, bytes], body: bytes) -> bytes:
    """An answer as it goes on the wire: its head with the body's length, then the body."""
    before, after = head
    return b"".join((before, str(len(body)).encode("ascii"), after, body))


def deliver(answer, delivery: Delivery, fd: int):
    """Write ``answer`` to the client on ``fd`` when it is a whole answer of a kind
    the delivery has a head for, and there is still time: as much as the connection
    takes at once (a slow reader holds no worker; the server sends the rest). The
    ``Delivered`` account of it, or ``answer`` unchanged when it was not written."""
    if (
        not isinstance(answer, Encoded)
        or answer.truncated
        or answer.kind not in delivery.heads
        or time.monotonic() > delivery.write_by
    ):
        return answer
    data = written(delivery.heads[answer.kind], answer.body)
    try:
        conn = socket.socket(fileno=fd)
        try:
            sent = conn.send(data, socket.MSG_DONTWAIT | socket.MSG_NOSIGNAL)
        finally:
            conn.detach()  # the caller closes the descriptor
    except OSError:  # full, or the client went away: the server finds out as it sends
        sent = 0
    whole = sent >= len(data)
    return Delivered(answer.kind, sent, len(data), None if whole and not delivery.keep else answer)
