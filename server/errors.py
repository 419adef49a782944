"""One handler per error family; each answers in the one error shape of ``render``:
JSON for the API, /sparql and programs, the error page for people."""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import HTTPException

from qharmony.queries.errors import StoreError

from .render import render_error


def register(app: Flask) -> None:
    @app.errorhandler(StoreError)
    def store_error(exc: StoreError):
        return render_error(str(exc), exc.status)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return render_error(exc.description or exc.name, exc.code or 500)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        app.logger.exception("internal error")
        return render_error("internal error: the problem was logged", 500)
