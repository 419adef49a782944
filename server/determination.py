"""Pages for what the graph knows and does not know: ``/determine`` (each technology's
state in a jurisdiction on a date) and ``/coverage`` (what the graph holds). Each
renders HTML, and with ?format=json|csv|xlsx the same export the CLI writes."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, request

from qharmony.queries.analysis.determine import determine
from qharmony.queries.analysis.holdings import coverage_report
from qharmony.queries.analysis.kinds import EXPORT_CONTROL, MEASURE_KINDS
from qharmony.queries.analysis.vocabulary import (
    UnknownValue,
    resolve_jurisdiction,
    resolve_technology_kind,
    technology_tree,
)

from .analysis import _day, check_parameters
from .render import render
from .store import get_store

bp = Blueprint("determination", __name__)

DETERMINE_PARAMETERS = {
    "j": "the jurisdiction (ISO 3166 code, or EU)",
    "technology": "only this technology kind (default: every kind)",
    "as_of": "the date the answer holds on (default today)",
    "measure": f"the kind of measure to consider ({', '.join(MEASURE_KINDS)}; default {EXPORT_CONTROL})",
}


@dataclass
class DetermineForm:
    """The page before it is given a jurisdiction: what it asks for, and the choices."""

    parameters: dict[str, str]
    technologies: dict[str, str]


def _resolved(fn, *args):
    try:
        return fn(*args)
    except UnknownValue as exc:
        abort(400, description=str(exc))


@bp.route("/determine")
def determine_page():
    check_parameters(DETERMINE_PARAMETERS)
    store = get_store()
    tree = technology_tree(store)
    choices = {t.iri: t.label for t in tree.values()}
    if not request.args.get("j", "").strip():
        return render(
            DetermineForm(DETERMINE_PARAMETERS, choices), "determine.html", title="Determination", technologies=choices
        )
    code = _resolved(resolve_jurisdiction, store, request.args["j"])
    raw = request.args.get("technology", "").strip()
    tech = _resolved(resolve_technology_kind, tree, raw) if raw else None
    measure = request.args.get("measure", EXPORT_CONTROL).strip() or EXPORT_CONTROL
    if measure not in MEASURE_KINDS:
        abort(400, description=f"unknown measure kind '{measure}'; known: {', '.join(MEASURE_KINDS)}")
    result = determine(store, code, tech, _day("as_of"), measure)
    return render(result, "determine.html", title=f"Determination {code} {result.as_of}", technologies=choices)


@bp.route("/coverage")
def coverage_page():
    check_parameters({"j": "only this jurisdiction"})
    store = get_store()
    raw = request.args.get("j", "").strip()
    code = _resolved(resolve_jurisdiction, store, raw) if raw else None
    result = coverage_report(store, code)
    return render(result, "coverage.html", title="Coverage" + (f" {code}" if code else ""))
