"""Sign-in for reviewers: the public side of the explorer stays anonymous and
read-only; every ``/review`` route but the sign-in form needs a signed-in reviewer.

The session is Flask's signed cookie, scoped to ``/review`` (the public pages never
get it), ``HttpOnly``, ``SameSite=Strict``, and ``Secure`` whenever the request came
over TLS (directly, or through a proxy the app is told to trust: README). Every form
carries a per-session CSRF token, and a post whose ``Origin`` or ``Sec-Fetch-Site``
says it came from another site is refused before the token is even read. Failed
sign-ins are limited per client address and per account name.
"""

from __future__ import annotations

import functools
import hmac
import secrets
import threading
import time
from collections import deque
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeSerializer

from qharmony.queries.review import DecisionError

from .ledger import review_file, session_secret
from .render import render_error, wants_json

SIGNIN_WINDOW = 15 * 60.0
#: a cookie for the whole site that only says "a reviewer signed in here", so the
#: public pages can show the Review link; it grants nothing (the session does)
NAV_COOKIE = "qharmony_reviewer_nav"


class ReviewSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, marked Secure on requests that came over TLS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


class SigninLimit:
    """Failed sign-ins per key (a client address, an account name) in a sliding window."""

    def __init__(self, attempts: int, window: float = SIGNIN_WINDOW):
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        log = self._failures.setdefault(key, deque())
        while log and log[0] <= now - self.window:
            log.popleft()
        return log

    def blocked(self, *keys: str) -> int:
        """Seconds to wait if any key has used up its attempts, else 0."""
        now = time.monotonic()
        with self._lock:
            waits = [
                int(log[0] + self.window - now) + 1
                for log in (self._recent(k, now) for k in keys)
                if len(log) >= self.attempts
            ]
        return max(waits, default=0)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for k in keys:
                self._recent(k, now).append(now)
            if len(self._failures) > 50_000:  # memory stays bounded
                self._failures.pop(next(iter(self._failures)))


def init_app(app: Flask) -> None:
    """Sessions, the CSRF token for templates, and the sign-in limit."""
    app.session_interface = ReviewSessions()
    if not app.config.get("SECRET_KEY"):
        try:
            app.config["SECRET_KEY"] = session_secret(review_file(app.config))
        except DecisionError as exc:
            # the public explorer must serve even where the review file cannot be
            # written; sign-ins then last until the process restarts
            app.logger.warning("review sign-in: %s", exc)
            app.config["SECRET_KEY"] = secrets.token_hex(32)
    app.config.update(
        SESSION_COOKIE_NAME="qharmony_review",
        SESSION_COOKIE_PATH="/review",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
    )
    app.extensions["qharmony.signin"] = SigninLimit(int(app.config["REVIEW_SIGNIN_ATTEMPTS"]))
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["reviewer"] = current_reviewer

    @app.after_request
    def private_when_signed_in(response: Response) -> Response:
        # a page with the Review link differs by cookie: no shared cache may keep it
        if NAV_COOKIE in request.cookies:
            response.vary.add("Cookie")
            response.headers.setdefault("Cache-Control", "private")
        return response


def signin_limit() -> SigninLimit:
    return current_app.extensions["qharmony.signin"]


def csrf_token() -> str:
    """This session's CSRF token, made on first use."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def current_reviewer() -> str:
    return session.get("reviewer", "") if request.path.startswith("/review") else ""


def _nav_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="qharmony-review-nav")


def mark_signed_in(response: Response, name: str) -> Response:
    """Set the site-wide hint that shows the Review link (signed, so a forged one
    shows nothing; it opens nothing either: every review route checks the session)."""
    response.set_cookie(
        NAV_COOKIE,
        _nav_signer().dumps(name),
        max_age=int(current_app.config["PERMANENT_SESSION_LIFETIME"]),
        path="/",
        httponly=True,
        samesite="Strict",
        secure=request.is_secure,
    )
    return response


def mark_signed_out(response: Response) -> Response:
    response.delete_cookie(NAV_COOKIE, path="/")
    return response


def signed_in_hint() -> bool:
    """Whether this browser's reviewer signed in: the session on review pages, the
    signed hint cookie elsewhere (the session cookie is scoped to /review)."""
    if request.path.startswith("/review") and session.get("reviewer"):
        return True
    raw = request.cookies.get(NAV_COOKIE)
    if not raw:
        return False
    try:
        return bool(_nav_signer().loads(raw))
    except BadSignature:
        return False


def _same_origin() -> bool:
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin in (None, ""):
        return True  # older browsers and command-line clients; the token still decides
    here = urlsplit(request.host_url)
    there = urlsplit(origin)
    return (there.scheme, there.netloc) == (here.scheme, here.netloc)


def check_post() -> None:
    """Refuse a cross-site post, or one without this session's CSRF token (403)."""
    if not _same_origin():
        abort(403, description="refused: this form was posted from another site")
    sent = request.form.get("csrf_token", "")
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(403, description="refused: the form's CSRF token is missing or stale; reload the page and try again")


def reviewer_required(view):
    """Only a signed-in reviewer gets past; posts also need the CSRF check."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not session.get("reviewer"):
            if wants_json() or request.method != "GET":
                return render_error("sign in as a reviewer first (/review/login)", 401)
            return redirect(url_for("review.login", next=request.full_path.rstrip("?")))
        if request.method == "POST":
            check_post()
        return view(*args, **kwargs)

    return wrapper


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path of the review pages, never another site."""
    if target and target.startswith("/review") and not target.startswith("//") and "\\" not in target:
        return target
    return "/review"
