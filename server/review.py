"""The review pages: the queue of facts to review, one fact with its history and
the forms to accept, reject, correct or flag it, and the log of every decision.
Each has a JSON twin. Only signed-in reviewers reach them (``auth.py``); a decision
goes to the review file, then into the graph in service at once
(``queries/review_live.py``), and every build applies it again."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import Blueprint, abort, flash, get_flashed_messages, redirect, request, session, url_for

from qharmony.queries.errors import StoreError
from qharmony.queries.review import DecisionError, decision_status, stored_decisions
from qharmony.queries.review_live import live_changes
from qharmony.queries.review_queue import Fact, Filters, fact_by_fingerprint, make_decision, review_queue

from .accounts import authenticate
from .auth import check_post, mark_signed_in, mark_signed_out, reviewer_required, safe_next, signin_limit
from .ledger import add_decisions, all_decisions, review_file
from .render import render, render_error
from .store import get_store

bp = Blueprint("review", __name__, url_prefix="/review")

_FINGERPRINT = re.compile(r"[0-9a-f]{8,64}")
CORRECTION_FIELDS = ("op", "value", "unit", "jurisdiction", "date", "precision")


def _ledger():
    from flask import current_app

    return review_file(current_app.config)


def _decisions() -> list:
    """Every decision: the review file's and those the last build wrote to the graph."""
    known = {d.id: d for d in [*stored_decisions(get_store()), *all_decisions(_ledger())]}
    return list(known.values())


@dataclass
class SignIn:
    next: str
    message: str = ""


@bp.route("/login", methods=["GET", "POST"])
def login():
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render(SignIn(target), "review_login.html", title="Reviewer sign-in")
    check_post()
    name = request.form.get("name", "").strip()
    client = "client:" + (request.remote_addr or "unknown")
    limit = signin_limit()
    wait = limit.blocked(client, "name:" + name)
    if wait:
        response, status = render_error(f"too many failed sign-ins; try again in {wait} s", 429)
        response.headers["Retry-After"] = str(wait)
        return response, status
    account = authenticate(_ledger(), name, request.form.get("password", ""))
    if account is None:
        limit.failed(client, "name:" + name)
        response = render(SignIn(target, "wrong name or password"), "review_login.html", title="Reviewer sign-in")
        response.status_code = 401
        return response
    session.clear()  # a new session on sign-in: no fixation
    session["reviewer"] = account.name
    session.permanent = True
    return mark_signed_in(redirect(target), account.name)


@bp.route("/logout", methods=["POST"])
@reviewer_required
def logout():
    session.clear()
    return mark_signed_out(redirect(url_for("review.login")))


def _filters() -> Filters:
    args = request.args
    raw = args.get("max_confidence", "").strip()
    try:
        max_confidence = float(raw) if raw else None
    except ValueError:
        abort(400, description=f"parameter 'max_confidence' must be a number from 0 to 1, got {raw!r}")
    show = args.get("show", "open")
    if show not in ("open", "decided", "all"):
        abort(400, description=f"parameter 'show' must be open, decided or all, got {show!r}")
    where = (args.get("document", ""), args.get("jurisdiction", ""), args.get("relation", ""))
    return Filters(*where, max_confidence, show)


@bp.route("")
@bp.route("/queue.json")
@reviewer_required
def queue():
    built = {d.id for d in stored_decisions(get_store())}
    data = review_queue(get_store(), _decisions(), _filters())
    data.pending = sum(d.id not in built for d in all_decisions(_ledger()))
    return render(data, "review_queue.html", title="Review queue")


@dataclass
class FactView:
    """One fact, its decisions (latest first), and the messages of the last post."""

    fact: Fact
    messages: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"fact": self.fact.to_json(), "messages": self.messages}


def _fact(fingerprint: str) -> Fact:
    found = fact_by_fingerprint(get_store(), fingerprint)
    if found is None:
        abort(404, description=f"no fact with fingerprint {fingerprint!r} in the graph")
    mine = [d for d in _decisions() if d.fingerprint == fingerprint]
    found.history = [d.to_json() for d in sorted(mine, key=lambda d: (d.at, d.id), reverse=True)]
    return found


@bp.route("/fact/<fingerprint>", methods=["GET", "POST"])
@bp.route("/fact/<fingerprint>.json")
@reviewer_required
def fact(fingerprint: str):
    if not _FINGERPRINT.fullmatch(fingerprint):
        abort(404, description=f"not a fact fingerprint: {fingerprint!r} (hexadecimal, as on the queue)")
    if request.method == "POST":
        form = request.form
        value = {k: form.get(k, "").strip() for k in CORRECTION_FIELDS}
        store = get_store()
        try:
            decision = make_decision(
                store, fingerprint, form.get("action", ""), session["reviewer"], form.get("reason", ""), value
            )
            found = fact_by_fingerprint(store, fingerprint)
            if found is None:
                raise DecisionError(f"no fact with fingerprint {fingerprint!r} in the graph")
            quads, updates = live_changes(found, decision, _decisions())
        except DecisionError as exc:
            abort(400, description=str(exc))
        add_decisions(_ledger(), [decision])  # saved first: every build applies it, whatever happens next
        try:
            store.amend(quads, updates)
            flash(f"{decision.action} recorded for this fact and applied to the graph; every build applies it again")
        except StoreError as exc:
            flash(f"{decision.action} recorded for this fact; the graph shows it after the next build ({exc})")
        return redirect(f"/review/fact/{fingerprint}")
    view = FactView(_fact(fingerprint), list(get_flashed_messages()))
    return render(view, "review_fact.html", title="Review a fact")


@dataclass
class ReviewLog:
    """Every decision, latest first, with what the last build found for it."""

    decisions: list[dict]


@bp.route("/log")
@bp.route("/log.json")
@reviewer_required
def log():
    status = decision_status(get_store())
    rows = [
        {**d.to_json(), "status": status.get(d.id, "not yet built")}
        for d in sorted(_decisions(), key=lambda d: (d.at, d.id), reverse=True)
    ]
    return render(ReviewLog(rows), "review_log.html", title="Review log")
