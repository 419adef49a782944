"""Pages for watching what changes: the kept graph versions, the diff between two
(``/versions/V1...V2``, JSON twin with ``.json``), Atom feeds for a jurisdiction, a
technology, an arrangement, an entry or everything, and saved watchlists with their
own feed. Each view calls the same library function as the CLI."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, redirect, request

from qharmony.ontology.namespaces import entity
from qharmony.queries.analysis.regimes import technologies
from qharmony.queries.analysis.vocabulary import resolve_technology_kind, technology_tree
from qharmony.queries.dates import parse_day
from qharmony.queries.diff import diff_versions
from qharmony.queries.feeds import MEDIA, Topic, build_feed, to_atom
from qharmony.queries.versions import VersionError, list_versions, read_version, resolve_version
from qharmony.queries.watchlists import WatchlistError, get_watchlist, load_watchlists, save_watchlist

from .config import versions_folder, watchlists_file
from .render import render
from .store import get_store

bp = Blueprint("watch", __name__)


def _folder():
    return versions_folder(current_app.config)


@bp.route("/versions")
@bp.route("/versions.json")
def versions():
    return render(list_versions(_folder()), "versions.html", title="Graph versions")


@bp.route("/versions/<path:spec>")
def version_diff(spec: str):
    spec = spec.removesuffix(".json")
    v1, sep, v2 = spec.partition("...")
    if not sep:
        abort(400, description=f"expected /versions/V1...V2 (hash prefixes, latest, previous or ~N), got {spec!r}")
    try:
        folder = _folder()
        old, new = resolve_version(folder, v1), resolve_version(folder, v2 or "latest")
        result = diff_versions(old, read_version(folder, old), new, read_version(folder, new))
    except VersionError as exc:
        abort(404, description=str(exc))
    return render(result, "diff.html", title=f"Changes {old.short} to {new.short}")


def _today() -> date:
    raw = request.args.get("today", "").strip()
    try:
        return parse_day(raw) if raw else date.today()
    except ValueError as exc:
        abort(400, description=f"parameter 'today': {exc}")


def _feed(topic: Topic) -> Response:
    store = get_store()
    base = request.host_url.rstrip("/")
    feed = build_feed(
        store, _folder(), topic, path=request.path, base=base, today=_today(), technologies=technologies(store)
    )
    if request.args.get("format") == "json":
        return current_app.json.response(feed.to_json())
    return Response(to_atom(feed), mimetype=MEDIA)


def _code(raw: str) -> str:
    code = raw.strip().upper()
    if not (len(code) == 2 and code.isalpha()):
        abort(400, description=f"a jurisdiction is a two-letter ISO code or EU, got {raw!r}")
    return code


def _technology(raw: str) -> str:
    try:
        return resolve_technology_kind(technology_tree(get_store()), raw)
    except ValueError as exc:
        abort(404, description=str(exc))


@bp.route("/feeds/everything.atom")
def feed_everything():
    return _feed(Topic())


@bp.route("/feeds/jurisdiction/<code>.atom")
def feed_jurisdiction(code: str):
    code = _code(code)
    return _feed(Topic(f"jurisdiction {code}", jurisdictions=[code]))


@bp.route("/feeds/technology/<name>.atom")
def feed_technology(name: str):
    return _feed(Topic(f"technology {name}", technologies=[_technology(name)]))


@bp.route("/feeds/arrangement/<slug>.atom")
def feed_arrangement(slug: str):
    return _feed(Topic(f"arrangement {slug}", arrangements=[entity("arrangement", slug)]))


@bp.route("/feeds/entry/<path:code>.atom")
def feed_entry(code: str):
    return _feed(Topic(f"entry {code}", entries=[entity("entry", *code.split("/"))]))


@bp.route("/feeds/watchlist/<key>.atom")
def feed_watchlist(key: str):
    try:
        topic = get_watchlist(watchlists_file(current_app.config), key)
    except WatchlistError as exc:
        abort(404, description=str(exc))
    return _feed(topic)


def _listed(name: str) -> list[str]:
    return [v.strip() for raw in request.values.getlist(name) for v in raw.split(",") if v.strip()]


@bp.route("/watchlists", methods=["GET", "POST"])
def watchlists():
    path = watchlists_file(current_app.config)
    if request.method == "POST":
        topic = Topic(
            request.form.get("name", "").strip() or "watchlist",
            [_code(c) for c in _listed("jurisdiction")],
            [_technology(t) for t in _listed("technology")],
            [entity("entry", *e.split("/")) for e in _listed("entry")],
            [entity("arrangement", a) for a in _listed("arrangement")],
        )
        try:
            key = save_watchlist(path, topic)
        except WatchlistError as exc:
            abort(400, description=str(exc))
        return redirect(f"/watchlists?saved={key}", code=303)
    try:
        lists = load_watchlists(path)
    except WatchlistError as exc:
        abort(500, description=str(exc))
    return render(
        {"watchlists": {k: v.to_json() for k, v in lists.items()}},
        "watchlists.html",
        title="Watchlists",
        saved=request.args.get("saved", ""),
        technologies=technologies(get_store()),
    )


PORTFOLIO_PARAMETERS = {
    "items": "a CSV file (POST, multipart): name, technology, then a column per parameter with its unit",
    "as_of": "the date the answer holds on (default today)",
    "since": "also list entries that came into or out of force from this date",
    "jurisdictions": "comma-separated ISO codes (default US,EU,GB,JP,DE)",
}


@bp.route("/portfolio", methods=["GET", "POST"])
def portfolio():
    """Your own items against the graph; the CSV stays in this request, never stored."""
    from qharmony.queries.analysis.portfolio import check_portfolio, read_items

    if request.method == "GET":
        return render({"parameters": PORTFOLIO_PARAMETERS}, "portfolio.html", title="Portfolio", result=None)
    upload = request.files.get("items")
    text = upload.read().decode("utf-8-sig", errors="replace") if upload and upload.filename else ""
    text = text or request.form.get("csv", "")
    if not text.strip():
        abort(400, description="parameter 'items': upload a CSV file (or paste it into 'csv')")
    name = upload.filename if upload and upload.filename else "items.csv"
    codes = [_code(c) for c in (request.form.get("jurisdictions") or "US,EU,GB,JP,DE").split(",") if c.strip()]
    as_of = _form_day("as_of") or date.today()
    try:
        items = read_items(text, get_store(), name)
    except ValueError as exc:
        abort(400, description=str(exc))
    result = check_portfolio(get_store(), items, as_of, codes, _form_day("since"))
    return render(result, "portfolio.html", title="Portfolio", result=result)


def _form_day(name: str) -> date | None:
    raw = (request.form.get(name) or "").strip()
    try:
        return parse_day(raw) if raw else None
    except ValueError as exc:
        abort(400, description=f"parameter '{name}': {exc}")
