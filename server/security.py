"""What keeps a public explorer safe for its users and its neighbours: safe links,
security headers, download names, a check of paths and Host headers before any
view runs, and a per-client budget of requests and query time.

One home for each: templates and the diagram make links through ``safe_href``;
every response gets ``SECURITY_HEADERS``; every download name goes through
``content_disposition``.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import deque
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from qharmony.queries.lanes import ServerBusy

from .http_server import error_body, status_line

if TYPE_CHECKING:
    from flask import Flask

#: Schemes a link may have; anything else (javascript:, data:, vbscript:...) is shown as text.
SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")
_LEADING_CONTROLS = re.compile(r"^[\x00-\x20]+")

#: Only this app's own scripts, styles and images; no framing, no plugins.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

#: Paths whose rest is turned into an IRI: characters an IRI may not hold get a 404.
IRI_PATHS = ("/id/", "/treaties/", "/ontology/")
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_HOST = re.compile(r"^(?:[^\x00-\x20/\\?#@\[\]:]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")


def safe_href(url: str) -> str:
    """``url`` if following it cannot run script: http, https, mailto or relative;
    otherwise ``#`` (the text beside it still shows what the value is)."""
    value = _LEADING_CONTROLS.sub("", _IGNORED_BY_BROWSERS.sub("", url))
    match = _SCHEME.match(value)
    if match and match.group(1).lower() not in SAFE_SCHEMES:
        return "#"
    return url


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """A Content-Disposition header for any file name (RFC 6266): an ASCII
    ``filename`` for old clients and a UTF-8 ``filename*`` that keeps the real name."""
    ascii_name = re.sub(r"[^A-Za-z0-9._\-]", "_", filename) or "download"
    if ascii_name == filename:
        return f"{disposition}; filename={filename}"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def valid_host(host: str) -> bool:
    """A Host header a URL can be built from: a name whose labels IDNA accepts (at
    most 63 characters each), or an IP literal; an optional port."""
    if len(host) > 255 or not _HOST.match(host):
        return False
    name = host.rsplit(":", 1)[0] if not host.startswith("[") else ""
    try:
        name.encode("idna")
    except UnicodeError:
        return False
    return True


class HostCheck:
    """WSGI middleware: a request whose Host header cannot name a URL is answered 400
    before Flask tries to build URLs from it."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST")
        if host is not None and not valid_host(host):
            body = error_body("the Host header is not a valid host name", 400)
            start_response(status_line(400), [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return self.wsgi_app(environ, start_response)


class _Spending:
    """One client's requests and work in the window, with the work's running sum."""

    __slots__ = ("hits", "work", "spent")

    def __init__(self):
        self.hits: deque = deque()
        self.work: deque = deque()
        self.spent = 0.0


class ClientBudget:
    """Requests and seconds of work per client per sliding minute. Memory stays
    bounded: clients idle for a minute are forgotten, and at most ``max_clients``
    are tracked (the oldest dropped first). Each check costs the same however busy
    the client is (a running sum, not a sum per request)."""

    WINDOW = 60.0

    def __init__(self, requests: int, seconds: float, max_clients: int = 50_000):
        self.requests, self.seconds, self.max_clients = requests, seconds, max_clients
        self._log: dict[str, _Spending] = {}
        self._lock = threading.Lock()

    def _entry(self, client: str, now: float) -> _Spending:
        entry = self._log.pop(client, None) or _Spending()
        self._log[client] = entry  # most recent last
        while len(self._log) > self.max_clients:
            self._log.pop(next(iter(self._log)))
        hits, work = entry.hits, entry.work
        while hits and hits[0] <= now - self.WINDOW:
            hits.popleft()
        while work and work[0][0] <= now - self.WINDOW:
            entry.spent -= work.popleft()[1]
        if not work:
            entry.spent = 0.0  # no drift from the subtractions
        return entry

    def admit(self, client: str, now: float | None = None) -> tuple[str, int] | None:
        """None if the client may go on; else why not and the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            entry = self._entry(client, now)
            hits, work = entry.hits, entry.work
            if self.requests and len(hits) >= self.requests:
                wait = hits[0] + self.WINDOW - now
                return f"more than {self.requests} requests in a minute", max(1, math.ceil(wait))
            if self.seconds and entry.spent >= self.seconds:
                wait = work[0][0] + self.WINDOW - now
                return f"more than {self.seconds:g} s of query time in a minute", max(1, math.ceil(wait))
            hits.append(now)
        return None

    def charge(self, client: str, seconds: float, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            entry = self._entry(client, now)
            entry.work.append((now, seconds))
            entry.spent += seconds


def _retry(response, seconds: int):
    from flask import Response

    response, status = response if isinstance(response, tuple) else (response, None)
    response = response if isinstance(response, Response) else Response(response)
    if status:
        response.status_code = status
    response.headers["Retry-After"] = str(seconds)
    return response


def client_budget(config) -> ClientBudget:
    """The per-client budget the settings ask for (one per server: the front door
    and the app's views share it)."""
    return ClientBudget(int(config["RATE_REQUESTS"]), float(config["RATE_QUERY_SECONDS"]))


#: set in the WSGI environ by the front door when it has admitted the request already
ADMITTED = "qharmony.admitted"


def init_app(app: Flask, budget: ClientBudget) -> None:
    """Install the checks, the budget and the headers on an app (the Host check and
    the budget of ``/sparql`` queries are the front door's, ``front.py``)."""
    from flask import Response, g, request

    from .render import render_error  # render uses content_disposition from here

    app.extensions["qharmony.budget"] = budget

    @app.before_request
    def check_request():
        path = unquote(request.path)
        for prefix in IRI_PATHS:
            if path.startswith(prefix) and _NOT_IN_IRI.search(path[len(prefix) :]):
                return render_error(f"not a valid IRI path: {request.path!r} holds characters an IRI may not", 404)
        if request.path.startswith("/static/"):
            return None
        refused = None if request.environ.get(ADMITTED) else budget.admit(request.remote_addr or "unknown")
        if refused:
            why, wait = refused
            return _retry(render_error(f"over this client's budget ({why}); retry in {wait} s", 429), wait)
        g.qharmony_started = time.monotonic()
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        started = g.get("qharmony_started")
        if started is not None:
            budget.charge(request.remote_addr or "unknown", time.monotonic() - started)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(ServerBusy)
    def busy(exc: ServerBusy):
        return _retry(render_error(str(exc), exc.status), exc.retry_after)
