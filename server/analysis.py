"""Pages for the harmonisation analysis: pairwise gaps, the matrix, treaty
implementation, the transfer check and the change report. Each renders HTML, and
with ?format=json|csv|xlsx the same export the CLI writes."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, render_template, request

from qharmony.ontology.namespaces import ID
from qharmony.queries.changes import changes
from qharmony.queries.exports import DISCLAIMER, MEDIA, export_result
from qharmony.queries.gaps import KINDS, compare_jurisdictions, matrix, treaty_implementation
from qharmony.queries.regimes import parse_day, resolve_technology, technologies
from qharmony.queries.transfer import parse_value, transfer_check

from .negotiation import wants_json
from .store import get_store

bp = Blueprint("analysis", __name__)


def _day(name: str, default: date | None = None) -> date:
    raw = request.args.get(name, "").strip()
    if not raw and default:
        return default
    try:
        return parse_day(raw)
    except ValueError as exc:
        abort(400, description=f"parameter '{name}': {exc}")


def _code(name: str) -> str:
    raw = request.args.get(name, "").strip().upper()
    if raw and not (len(raw) == 2 and raw.isalpha()):
        abort(400, description=f"parameter '{name}' must be a two-letter ISO code or EU, got {raw!r}")
    return raw


def _technology(required: bool = False) -> str | None:
    raw = request.args.get("technology", "").strip()
    if not raw:
        if required:
            abort(400, description="parameter 'technology' is required")
        return None
    try:
        return resolve_technology(get_store(), raw)
    except ValueError as exc:
        abort(400, description=str(exc))


def _respond(result, title: str, template: str, **context):
    fmt = request.args.get("format") or ("json" if wants_json(request) else "html")
    if fmt in MEDIA:
        filename = title.lower().replace(" ", "-")
        return Response(
            export_result(result, fmt, title),
            mimetype=MEDIA[fmt],
            headers={
                "Content-Disposition": f"{'attachment' if fmt != 'json' else 'inline'}; filename={filename}.{fmt}"
            },
        )
    if fmt != "html":
        abort(400, description=f"parameter 'format' must be html, json, csv or xlsx, got {fmt!r}")
    return render_template(template, result=result, title=title, args=request.args, disclaimer=DISCLAIMER, **context)


def _choices() -> dict:
    return {"technologies": technologies(get_store())}


@bp.route("/gaps")
def gaps():
    a, b = _code("a"), _code("b")
    if not (a and b):
        return render_template(
            "gaps.html", result=None, title="Gaps", args=request.args, kinds=KINDS, disclaimer=DISCLAIMER, **_choices()
        )
    result = compare_jurisdictions(get_store(), a, b, _day("as_of"), _technology())
    return _respond(result, f"Gaps {a} vs {b}", "gaps.html", kinds=KINDS, **_choices())


@bp.route("/matrix")
def matrix_page():
    baseline = _code("baseline") or "US"
    result = matrix(get_store(), _day("as_of"), baseline)
    return _respond(result, f"Matrix {result.as_of}", "matrix.html")


@bp.route("/treaties/<slug>")
def treaty(slug: str):
    result = treaty_implementation(get_store(), ID + "arrangement/" + slug, _day("as_of"))
    if not result.parties:
        abort(404, description=f"no arrangement '{slug}' with agreed controls in the graph")
    return _respond(result, f"Implementation {slug}", "treaty.html")


@bp.route("/transfer")
def transfer():
    if not request.args.get("from"):
        return render_template(
            "transfer.html", result=None, title="Transfer check", args=request.args, disclaimer=DISCLAIMER, **_choices()
        )
    values = {}
    for raw in request.args.getlist("value"):
        if raw.strip():
            try:
                name, number = parse_value(raw)
            except ValueError as exc:
                abort(400, description=f"parameter 'value': {exc}")
            values[name] = number
    origin, destination = _code("from"), _code("to")
    if not destination:
        abort(400, description="parameter 'to' is required")
    result = transfer_check(get_store(), _technology(required=True), values, origin, destination, _day("as_of"))
    return _respond(result, f"Transfer {origin} to {destination}", "transfer.html", **_choices())


@bp.route("/changes")
def change_report():
    since = _day("from", date(date.today().year - 2, 1, 1))
    result = changes(get_store(), since, _day("to"))
    return _respond(result, f"Changes {result.since} to {result.until}", "changes.html")
