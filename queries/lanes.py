"""The limits a query evaluated in a worker runs under, the two lanes (the
explorer's own queries and a client's text), and the refusal a busy server gives.

Why apart from the pool (``sandbox``): the server's thin layers (the settings, the
front door, the protocol) name these without starting or holding any worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .errors import StoreError

_LANE: ContextVar[str] = ContextVar("qharmony_query_lane", default="app")


def current_lane() -> str:
    """``public`` inside ``public_queries()``, else ``app``."""
    return _LANE.get()


@contextmanager
def public_queries() -> Iterator[None]:
    """Queries run inside this block are a client's own text (``/sparql``): the
    long-query cap applies to them and, when flagged expensive, they stay off the
    workers reserved for cheap queries. Outside it queries are the explorer's own."""
    token = _LANE.set("public")
    try:
        yield
    finally:
        _LANE.reset(token)


@dataclass(frozen=True)
class Limits:
    """The limits every query evaluated in a worker runs under."""

    timeout: float = 30.0  # wall seconds, then the worker is killed
    cpu_seconds: int = 30  # CPU seconds per query (RLIMIT_CPU)
    memory_mb: int = 2048  # address space a worker may add to its start size (RLIMIT_AS)
    max_rows: int = 10_000  # rows of a SELECT, triples of a CONSTRUCT or DESCRIBE
    max_bytes: int = 50_000_000  # characters of term values in one answer
    workers: int = 16  # most worker processes at once
    long_after: float = 0.5  # a query running longer than this is a long one
    max_long: int = 2  # most long public queries at once; another is stopped
    retry_after: int = 5  # seconds a refused client is told to wait
    reserve: int = 2  # idle workers kept for cheap queries and pages


class ServerBusy(StoreError):
    """Too many long queries at once; the client should retry later."""

    status = 503

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after
