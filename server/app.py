"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask

from qharmony.queries.exports import DISCLAIMER
from qharmony.queries.store import Store

from . import (
    analysis,
    auth,
    determination,
    errors,
    layout,
    linkeddata,
    pages,
    present,
    review,
    security,
    sparql,
    vocabulary,
    watch,
)
from . import store as store_module
from .config import load_config
from .front import Front


def create_app(
    config: Mapping[str, object] | None = None, store: Store | None = None, front: Front | None = None
) -> Flask:
    """Build the explorer from the settings; the store is opened once, read-only
    (or ``store``, opened already from the same settings, is served). Its WSGI
    callable is the front door (``front.py``: ``/sparql`` queries, then the app);
    ``serve`` passes the one it already serves from."""
    app = Flask(__name__)
    app.config.update(load_config(config))
    store_module.init_app(app, store)
    budget = front.budget if front is not None else security.client_budget(app.config)
    app.jinja_env.globals["disclaimer"] = DISCLAIMER
    app.register_blueprint(layout.bp)
    app.register_blueprint(present.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(determination.bp)
    app.register_blueprint(vocabulary.bp)
    app.register_blueprint(analysis.bp)
    app.register_blueprint(linkeddata.bp)
    app.register_blueprint(sparql.bp)
    auth.init_app(app)  # review (issue 16): sign-in for reviewers, the only writers
    app.register_blueprint(review.bp)
    app.register_blueprint(watch.bp)  # issue 17: versions, diffs, feeds, watchlists, portfolio
    errors.register(app)
    security.init_app(app, budget)
    front = front or Front(app.config, store_module.app_store(app), budget)
    front.attach(app.wsgi_app)
    app.wsgi_app = front.stack  # the Host check and proxy headers, then the front door, then Flask
    return app
