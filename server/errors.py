"""One handler per error family: JSON for the API and /sparql, a page for people."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from qharmony.queries.errors import StoreError

from .negotiation import wants_json


def _api_request() -> bool:
    return request.path.startswith(("/api/", "/sparql")) or wants_json(request)


def error_response(message: str, status: int):
    if _api_request():
        return jsonify({"ok": False, "error": message, "status": status}), status
    return render_template("error.html", message=message, status=status), status


def register(app: Flask) -> None:
    @app.errorhandler(StoreError)
    def store_error(exc: StoreError):
        return error_response(str(exc), exc.status)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error_response(exc.description or exc.name, exc.code or 500)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        app.logger.exception("internal error")
        return error_response("internal error: the problem was logged", 500)
