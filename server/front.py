"""The explorer's front door: the WSGI callable the server runs. It answers SPARQL
queries to ``/sparql`` itself and hands every other request to the Flask app.

Why: a query to ``/sparql`` needs none of Flask's work per request (sessions, routing,
the request and response objects), and none of the pages' code at start: ``serve``
opens the store, starts the front door and listens, then imports the app (Flask,
rdflib, the analyses) in the background; a request for a page waits for it. The
front door applies what the app applies to every answer: the Host check, the
per-client budget (shared with the app), the security and CORS headers, and the
one JSON error shape. A request repeated on the same graph version is answered
from the answers kept for it (``answer_cache``), budget charged all the same. A
query evaluated afresh is written to the client by the query worker itself where
the server offers the connection (``http_server.DIRECT``): the answer goes out
without a hop back to this process first. Importing this module imports neither
Flask nor rdflib.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping

from qharmony.queries.errors import QueryTimeout, StoreError
from qharmony.queries.lanes import ServerBusy
from qharmony.queries.wire import Delivery, Offer

from .answer_cache import AnswerCache
from .http_server import DIRECT, Sent, error_body, status_line
from .security import ADMITTED, SECURITY_HEADERS, ClientBudget, HostCheck
from .sparql_protocol import LightRequest, answer, content_type, wants_page

SPARQL_PATHS = ("/sparql", "/sparql/")
#: seconds a page request waits for the app while ``serve`` is still importing it
STARTING_WAIT = 120.0
#: the cookie that says a reviewer signed in here (``auth.NAV_COOKIE``): answers then
#: differ by cookie, so no shared cache may keep them
NAV_COOKIE = "qharmony_reviewer_nav"
_log = logging.getLogger("qharmony.server.app")


class Front:
    """Answers ``/sparql`` queries; passes the rest to the app once it is attached."""

    def __init__(self, config: Mapping[str, object], store, budget: ClientBudget):
        self.store, self.budget = store, budget
        self.allow = str(config.get("SERVICE_ALLOW") or "").split()
        self.answers = AnswerCache()
        self._inner: Callable | None = None
        self._failed: BaseException | None = None
        self._ready = threading.Event()
        #: set once a request has been answered: ``serve`` starts its spare workers then
        self.answered = threading.Event()
        inner: Callable = self
        if int(config.get("TRUST_PROXY") or 0):  # behind a reverse proxy: its client address, scheme and host
            from werkzeug.middleware.proxy_fix import ProxyFix

            hops = int(config["TRUST_PROXY"])
            inner = ProxyFix(inner, x_for=hops, x_proto=hops, x_host=hops)
        #: the WSGI callable to serve: the Host check, then the proxy's headers, then this
        self.stack = HostCheck(inner)

    def attach(self, app_wsgi: Callable) -> None:
        """The app (its own WSGI callable) is ready: pages are served from now on."""
        self._inner = app_wsgi
        self._ready.set()

    def failed(self, exc: BaseException) -> None:
        """The app could not be built: pages answer 500 (the reason is logged)."""
        self._failed = exc
        self._ready.set()

    def __call__(self, environ: dict, start_response):
        if environ.get("PATH_INFO") in SPARQL_PATHS and environ.get("REQUEST_METHOD") in ("GET", "POST"):
            reply = self._sparql(environ, start_response)
            if reply is not None:
                if not self.answered.is_set():
                    self.answered.set()
                return reply
        self.answered.set()  # a page: the workers and the app are what it waits for
        if self._inner is None and not self._ready.wait(STARTING_WAIT):
            return self._send(start_response, *_error("the explorer is still starting; retry in a few seconds", 503))
        if self._inner is None:
            return self._send(start_response, *_error("internal error: the problem was logged", 500))
        return self._inner(environ, start_response)

    def _sparql(self, environ: dict, start_response):
        """The answer to a query, or None to hand the request to the app (the editor
        page, the service description, ``labels=1``), admitted already."""
        client = environ.get("REMOTE_ADDR") or "unknown"
        refused = self.budget.admit(client)
        if refused:
            why, wait = refused
            message = f"over this client's budget ({why}); retry in {wait} s"
            return self._send(start_response, *_error(message, 429, {"Retry-After": str(wait)}))
        started = time.monotonic()
        direct = environ.get(DIRECT)
        cookies = environ.get("HTTP_COOKIE", "")
        try:
            snapshot = self.store.snapshot()
            version = getattr(snapshot, "version_stamp", None)
            # a GET answered before on this version: what it asks was read then (only
            # answers are kept, never the pages or the service description)
            reply = None
            key = None
            if version is not None and environ.get("REQUEST_METHOD") == "GET":
                key = self.answers.key(version, environ, b"")
                reply = self.answers.get(key)
            if reply is None:
                req = LightRequest(environ)
                if req.args.get("query") is None and req.form.get("query") is None and req.method == "GET":
                    reply = None  # the service description
                elif wants_page(req) or req.values.get("labels") in ("1", "true"):
                    reply = None
                else:
                    if version is not None and req.method == "POST":
                        key = self.answers.key(version, environ, req.get_data())
                    reply = self._answer(req, snapshot, key, direct, cookies)
        except (ServerBusy, QueryTimeout) as exc:
            # where the connection was offered to a worker, it may have written to it
            # already: nothing more may follow on it (every error below closes it too)
            extra = {"Retry-After": str(exc.retry_after)} if isinstance(exc, ServerBusy) else {}
            reply = _error(str(exc), exc.status, {**extra, **_closing(direct)})
        except StoreError as exc:
            reply = _error(str(exc), exc.status, _closing(direct))
        except Exception:
            _log.exception("internal error")
            reply = _error("internal error: the problem was logged", 500, _closing(direct))
        if reply is None:
            environ[ADMITTED] = True  # the app charges its work to the same budget
            return None
        self.budget.charge(client, time.monotonic() - started)
        if isinstance(reply, Sent):
            return reply
        return self._send(start_response, *reply, cookies=cookies)

    def _answer(self, req: LightRequest, snapshot, key, direct, cookies: str):
        """The answer kept for this request on the graph version in service
        (``answer_cache``, under ``key``), else the query's, evaluated now: written by
        the query worker to the client where ``direct`` offers the connection (then
        ``Sent``, with what the worker left to send)."""
        if key is not None and req.method == "POST":
            kept = self.answers.get(key)  # a GET's was looked up already
            if kept is not None:
                return kept
        heads: dict[str, tuple[bytes, bytes]] = {}
        keep = False

        def delivery(query: str, kinds: dict[str, tuple[str, dict[str, str]]]) -> Offer | None:
            nonlocal keep
            keep = key is not None and self.answers.keeps(query)
            if direct is None:
                return None

            def offer() -> Delivery:  # made only for a query that goes to a worker
                for kind, (media, headers) in kinds.items():
                    heads[kind] = direct.head(status_line(200), self._headers(media, headers, cookies))
                return Delivery(direct.fd, heads, keep)

            return offer

        reply = answer(req, snapshot, self.allow, delivery)
        out = (reply.status, reply.media, reply.body, reply.headers)
        if keep and (reply.delivered is None or reply.delivered.answer is not None):
            self.answers.put(key, out)
        if reply.delivered is not None:
            return Sent(reply.delivered.rest(heads[reply.delivered.kind]))
        return out

    @staticmethod
    def _headers(media: str, headers: dict, cookies: str) -> list[tuple[str, str]]:
        """Every header of an answer but its length."""
        out = [("Content-Type", content_type(media)), *headers.items(), ("Access-Control-Allow-Origin", "*")]
        if NAV_COOKIE in cookies:
            out += [("Vary", "Accept, Cookie"), ("Cache-Control", "private")]
        else:
            out.append(("Vary", "Accept"))
        out += SECURITY_HEADERS.items()
        return out

    @classmethod
    def _send(cls, start_response, status: int, media: str, body: bytes, headers: dict, cookies: str = ""):
        out = [("Content-Type", content_type(media)), ("Content-Length", str(len(body)))]
        out += cls._headers(media, headers, cookies)[1:]
        start_response(status_line(status), out)
        return [body]


def _error(message: str, status: int, headers: dict | None = None) -> tuple[int, str, bytes, dict]:
    """The one error shape (``http_server.error_body``)."""
    return status, "application/json", error_body(message, status), dict(headers or {})


def _closing(direct) -> dict[str, str]:
    """The header that ends a connection a query worker may have written to."""
    return {"Connection": "close"} if direct else {}
