"""Pages for the harmonisation analysis: pairwise gaps, the matrix, treaty
implementation, the transfer check and the change report. Each renders HTML, and
with ?format=json|csv|xlsx the same export the CLI writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, request

from qharmony.ontology.namespaces import entity
from qharmony.queries.analysis.changes import changes
from qharmony.queries.analysis.gaps import KINDS, compare_jurisdictions
from qharmony.queries.analysis.kinds import EXPORT_CONTROL, MEASURE_KINDS
from qharmony.queries.analysis.matrix import matrix
from qharmony.queries.analysis.regimes import technologies
from qharmony.queries.analysis.transfer import parameter_units, parse_value, transfer_check
from qharmony.queries.analysis.treaty import treaty_implementation
from qharmony.queries.analysis.vocabulary import resolve_jurisdiction, resolve_technology_kind, technology_tree
from qharmony.queries.dates import parse_day
from qharmony.queries.search import resolve_name
from qharmony.queries.treaties import treaty_index

from .matrix_view import STATES, column_groups
from .render import render
from .store import get_store

bp = Blueprint("analysis", __name__)

#: the parameters each page takes; any other is an error, not silently ignored
ALLOWED = {
    "analysis.gaps": {"a", "b", "as_of", "technology", "kind"},
    "analysis.matrix_page": {"as_of", "baseline"},
    "analysis.treaty": {"as_of"},
    "analysis.treaties": set(),
    "analysis.transfer": {"technology", "value", "from", "to", "as_of"},
    "analysis.change_report": {"from", "to"},
}


@bp.before_request
def _known_parameters() -> None:
    allowed = ALLOWED.get(request.endpoint or "")
    unknown = sorted(set(request.args) - (allowed or set()) - {"format"}) if allowed is not None else []
    if unknown:
        abort(400, description=f"unknown parameter '{unknown[0]}'; this page takes {', '.join(sorted(allowed))}")


def _day(name: str, default: date | None = None) -> date:
    raw = request.args.get(name, "").strip()
    if not raw and default:
        return default
    try:
        return parse_day(raw)
    except ValueError as exc:
        abort(400, description=f"parameter '{name}': {exc}")


def _code(name: str) -> str:
    """A jurisdiction parameter by code or name ("JP", "Japan"): known to the graph or
    to ISO 3166, else a 400 naming the value, the known codes and a suggestion (UK -> GB)."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return ""
    if not (len(raw) == 2 and raw.isalpha()):
        iri = resolve_name(get_store(), raw, "jurisdiction")
        if iri is not None:
            raw = iri.rsplit("/", 1)[-1]
    try:
        return resolve_jurisdiction(get_store(), raw)
    except ValueError as exc:
        abort(400, description=f"parameter '{name}': {exc}")


def _measure() -> str:
    """The kind of measure to consider: export controls unless asked."""
    raw = request.args.get("measure", "").strip() or EXPORT_CONTROL
    if raw not in MEASURE_KINDS:
        abort(400, description=f"unknown measure kind '{raw}'; known: {', '.join(MEASURE_KINDS)}")
    return raw


def _technology(required: bool = False) -> str | None:
    raw = request.args.get("technology", "").strip()
    if not raw:
        if required:
            abort(400, description="parameter 'technology' is required")
        return None
    try:
        return resolve_technology_kind(technology_tree(get_store()), raw)
    except ValueError as exc:
        abort(400, description=f"parameter 'technology': {exc}")


#: parameters every analysis page takes besides its own
COMMON_PARAMETERS = {"format": "html, json, csv or xlsx", "measure": "the kind of measure to consider"}


def check_parameters(known) -> None:
    """An unknown parameter is an error naming it and the known ones, not an answer
    that silently ignores what was asked."""
    allowed = [*known, *COMMON_PARAMETERS]
    for name in request.args:
        if name not in allowed:
            abort(400, description=f"unknown parameter '{name}'; known: {', '.join(allowed)}")


def _choices() -> dict[str, str]:
    """Technology kinds for the forms' select, IRI -> label."""
    return technologies(get_store())


@dataclass
class AnalysisForm:
    """An analysis page before it is given its parameters: what it asks for and the
    choices it offers (its JSON twin lets a program discover them)."""

    parameters: dict[str, str]
    technologies: dict[str, str]
    kinds: tuple[str, ...] = ()


GAPS_PARAMETERS = {
    "a": "jurisdiction A (ISO code, or EU)",
    "b": "jurisdiction B",
    "as_of": "the date the answer holds on (default today)",
    "technology": "only this technology kind",
}
TRANSFER_PARAMETERS = {
    "technology": "the kind of item",
    "value": "a parameter of the item, such as cooling_power=700 uW (repeatable)",
    "from": "origin jurisdiction",
    "to": "destination jurisdiction",
    "as_of": "the date of the transfer (default today)",
}


@bp.route("/gaps")
def gaps():
    check_parameters([*GAPS_PARAMETERS, "kind"])
    a, b = _code("a"), _code("b")
    choices = _choices()
    if not (a and b):
        form = AnalysisForm(GAPS_PARAMETERS, choices, tuple(KINDS))
        return render(form, "gaps.html", title="Gaps", technologies=choices)
    result = compare_jurisdictions(get_store(), a, b, _day("as_of"), _technology(), measure_kind=_measure())
    return render(result, "gaps.html", title=f"Gaps {a} vs {b}", technologies=choices)


@bp.route("/matrix")
def matrix_page():
    check_parameters(["as_of", "baseline"])
    baseline = _code("baseline") or "US"
    result = matrix(get_store(), _day("as_of"), baseline, measure_kind=_measure())
    groups = column_groups(get_store(), result.jurisdictions, result.baseline)
    return render(result, "matrix.html", title=f"Matrix {result.as_of}", groups=groups, states=STATES)


@bp.route("/treaties")
@bp.route("/treaties.json")
def treaties():
    return render(treaty_index(get_store()), "treaties.html", title="Treaties and arrangements")


@bp.route("/treaties/<slug>")
def treaty(slug: str):
    check_parameters(["as_of"])
    result = treaty_implementation(get_store(), entity("arrangement", slug), _day("as_of"))
    if not result.parties:
        abort(404, description=f"no arrangement '{slug}' with agreed controls in the graph")
    return render(result, "treaty.html", title=f"Implementation {slug}")


@bp.route("/transfer")
def transfer():
    check_parameters(TRANSFER_PARAMETERS)
    choices = _choices()
    if not request.args.get("from"):
        form = AnalysisForm(TRANSFER_PARAMETERS, choices)
        return render(form, "transfer.html", title="Transfer check", technologies=choices)
    values = {}
    for raw in request.args.getlist("value"):
        if raw.strip():
            try:
                name, number = parse_value(raw, parameter_units(get_store()))
            except ValueError as exc:
                abort(400, description=f"parameter 'value': {exc}")
            values[name] = number
    origin, destination = _code("from"), _code("to")
    if not destination:
        abort(400, description="parameter 'to' is required")
    result = transfer_check(get_store(), _technology(required=True), values, origin, destination, _day("as_of"))
    return render(result, "transfer.html", title=f"Transfer {origin} to {destination}", technologies=choices)


@bp.route("/changes")
def change_report():
    check_parameters(["from", "to"])
    since = _day("from", date(date.today().year - 2, 1, 1))
    result = changes(get_store(), since, _day("to"))
    return render(result, "changes.html", title=f"Changes {result.since} to {result.until}")
