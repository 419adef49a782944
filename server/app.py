"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, current_app

from qharmony.queries.store import Store, open_store

from .config import load_config


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the explorer; the store is opened once, read-only."""
    app = Flask(__name__)
    app.config.update(load_config(config))
    app.extensions["qharmony.store"] = open_store(
        str(app.config["STORE"]),
        read_only=True,
        max_rows=int(app.config["MAX_ROWS"]),
        timeout=float(app.config["TIMEOUT"]),
        update_url=app.config.get("STORE_UPDATE_URL"),
        graph_store_url=app.config.get("STORE_GRAPH_STORE_URL"),
    )
    from . import analysis, errors, linkeddata, ontology, pages, sparql

    app.register_blueprint(pages.bp)
    app.register_blueprint(ontology.bp)
    app.register_blueprint(analysis.bp)
    app.register_blueprint(linkeddata.bp)
    app.register_blueprint(sparql.bp)
    errors.register(app)
    return app


def get_store() -> Store:
    """The one way a view reaches the graph."""
    return current_app.extensions["qharmony.store"]
