"""The application factory."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

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


def create_app(config: Mapping[str, object] | None = None, store: Store | None = None) -> Flask:
    """Build the explorer from the settings; the store is opened once, read-only
    (or ``store``, opened already from the same settings, is served)."""
    app = Flask(__name__)
    app.config.update(load_config(config))
    store_module.init_app(app, store)
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
    if int(app.config["TRUST_PROXY"]):  # behind a reverse proxy: its client address, scheme and host
        hops = int(app.config["TRUST_PROXY"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.register_blueprint(review.bp)
    app.register_blueprint(watch.bp)  # issue 17: versions, diffs, feeds, watchlists, portfolio
    errors.register(app)
    security.init_app(app)
    return app
