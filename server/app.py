"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from qharmony.queries.exports import DISCLAIMER

from . import analysis, determination, errors, linkeddata, pages, sparql, store, vocabulary, watch
from .config import load_config


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the explorer from the settings; the store is opened once, read-only."""
    app = Flask(__name__)
    app.config.update(load_config(config))
    store.init_app(app)
    app.jinja_env.globals["disclaimer"] = DISCLAIMER
    app.register_blueprint(pages.bp)
    app.register_blueprint(determination.bp)
    app.register_blueprint(vocabulary.bp)
    app.register_blueprint(analysis.bp)
    app.register_blueprint(linkeddata.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(watch.bp)  # issue 17: versions, diffs, feeds, watchlists, portfolio
    errors.register(app)
    return app
