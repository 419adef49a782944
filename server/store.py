"""The one way the explorer and the command line open the store, from the settings;
and, in the style of Flask's tutorial, ``init_app`` to open it once per app and
``get_store`` for views to reach it.

Blueprints import ``get_store`` from here rather than from ``app``, so the factory can
import the blueprints at the top without an import cycle. Importing this module does
not import Flask: ``serve`` opens the store (and starts its query workers) first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from qharmony.queries.lanes import Limits
from qharmony.queries.store import Store, is_remote, open_store

if TYPE_CHECKING:
    from flask import Flask

_KEY = "qharmony.store"


def query_limits(config: Mapping[str, object]) -> Limits:
    """The limits queries run under when the explorer serves them."""
    return Limits(
        timeout=float(config["TIMEOUT"]),
        cpu_seconds=int(config["QUERY_CPU_SECONDS"]),
        memory_mb=int(config["QUERY_MEMORY_MB"]),
        max_rows=int(config["MAX_ROWS"]),
        max_bytes=int(config["MAX_RESULT_BYTES"]),
        workers=int(config["QUERY_WORKERS"]),
        long_after=float(config["LONG_QUERY_SECONDS"]),
        max_long=int(config["MAX_LONG_QUERIES"]),
        reserve=int(config["RESERVED_WORKERS"]),
    )


def open_configured_store(
    config: Mapping[str, object], *, read_only: bool, isolate: bool = False, warm: bool = True
) -> Store:
    """Open the store the settings name, with their row cap, timeout and URLs;
    ``isolate`` (serving) evaluates every query of an embedded store in a worker
    process under ``query_limits`` (``warm``: its spares started now, else by the
    caller)."""
    location = str(config["STORE"])
    return open_store(
        location,
        read_only=read_only,
        max_rows=int(config["MAX_ROWS"]),
        timeout=float(config["TIMEOUT"]),
        update_url=str(config["STORE_UPDATE_URL"]) if config.get("STORE_UPDATE_URL") else None,
        graph_store_url=str(config["STORE_GRAPH_STORE_URL"]) if config.get("STORE_GRAPH_STORE_URL") else None,
        sandbox=query_limits(config) if isolate and not is_remote(location) else None,
        warm=warm,
    )


def init_app(app: Flask, store: Store | None = None) -> None:
    """Open the app's store once, read-only: the explorer never writes (``store``:
    one the caller opened already with ``open_configured_store(..., isolate=True)``)."""
    app.extensions[_KEY] = store or open_configured_store(app.config, read_only=True, isolate=True)


def app_store(app: Flask) -> Store:
    """The store an app serves (not a snapshot: for the front door, which takes one per request)."""
    return app.extensions[_KEY]


def get_store() -> Store:
    """The one way a view reaches the graph: a snapshot taken at the first query of
    the request, so every query behind one answer reads the same graph version."""
    from flask import current_app, g

    if "qharmony_snapshot" not in g:
        g.qharmony_snapshot = current_app.extensions[_KEY].snapshot()
    return g.qharmony_snapshot
