"""The one way the explorer and the command line open the store, from the settings;
and, in the style of Flask's tutorial, ``init_app`` to open it once per app and
``get_store`` for views to reach it.

Blueprints import ``get_store`` from here rather than from ``app``, so the factory can
import the blueprints at the top without an import cycle.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, current_app

from qharmony.queries.store import Store, open_store

_KEY = "qharmony.store"


def open_configured_store(config: Mapping[str, object], *, read_only: bool) -> Store:
    """Open the store the settings name, with their row cap, timeout and URLs."""
    return open_store(
        str(config["STORE"]),
        read_only=read_only,
        max_rows=int(config["MAX_ROWS"]),
        timeout=float(config["TIMEOUT"]),
        update_url=str(config["STORE_UPDATE_URL"]) if config.get("STORE_UPDATE_URL") else None,
        graph_store_url=str(config["STORE_GRAPH_STORE_URL"]) if config.get("STORE_GRAPH_STORE_URL") else None,
    )


def init_app(app: Flask) -> None:
    """Open the app's store once, read-only: the explorer never writes."""
    app.extensions[_KEY] = open_configured_store(app.config, read_only=True)


def get_store() -> Store:
    """The one way a view reaches the graph."""
    return current_app.extensions[_KEY]
