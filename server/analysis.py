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
from qharmony.queries.analysis.matrix import matrix
from qharmony.queries.analysis.regimes import resolve_technology, technologies
from qharmony.queries.analysis.transfer import parse_value, transfer_check
from qharmony.queries.analysis.treaty import treaty_implementation
from qharmony.queries.dates import parse_day
from qharmony.queries.search import resolve_name
from qharmony.queries.treaties import treaty_index

from .matrix_view import STATES, column_groups
from .present import PARAMETERS, TYPED_UNITS
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
    """A jurisdiction's code from a code or a name ("JP", "Japan")."""
    raw = request.args.get(name, "").strip()
    if raw and not (len(raw) == 2 and raw.isalpha()):
        iri = resolve_name(get_store(), raw, "jurisdiction")
        if iri is None:
            abort(
                400, description=f"parameter '{name}': no jurisdiction called {raw!r}; give a code such as US or a name"
            )
        return iri.rsplit("/", 1)[-1]
    return raw.upper()


def _values() -> dict[str, float]:
    """The item's parameters, each from the documented vocabulary with its unit."""
    values = {}
    for raw in request.args.getlist("value"):
        if not raw.strip():
            continue
        name = raw.partition("=")[0].strip()
        if name not in TYPED_UNITS:
            abort(400, description=f"parameter 'value': unknown parameter {name!r}; known: {', '.join(TYPED_UNITS)}")
        unitless = PARAMETERS[name].unit in ("count", "ratio")
        if not unitless and len(raw.partition("=")[2].split()) < 2:
            abort(400, description=f"parameter 'value': {raw.strip()!r} has no unit; {name} takes {TYPED_UNITS[name]}")
        try:
            values[name] = parse_value(raw)[1]
        except ValueError as exc:
            abort(400, description=f"parameter 'value': {exc}")
    return values


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
    a, b = _code("a"), _code("b")
    choices = _choices()
    if not (a and b):
        form = AnalysisForm(GAPS_PARAMETERS, choices, tuple(KINDS))
        return render(form, "gaps.html", title="Gaps", technologies=choices)
    result = compare_jurisdictions(get_store(), a, b, _day("as_of"), _technology())
    return render(result, "gaps.html", title=f"Gaps {a} vs {b}", technologies=choices)


@bp.route("/matrix")
def matrix_page():
    baseline = _code("baseline") or "US"
    result = matrix(get_store(), _day("as_of"), baseline)
    groups = column_groups(get_store(), result.jurisdictions, result.baseline)
    return render(result, "matrix.html", title=f"Matrix {result.as_of}", groups=groups, states=STATES)


@bp.route("/treaties")
@bp.route("/treaties.json")
def treaties():
    return render(treaty_index(get_store()), "treaties.html", title="Treaties and arrangements")


@bp.route("/treaties/<slug>")
def treaty(slug: str):
    result = treaty_implementation(get_store(), entity("arrangement", slug), _day("as_of"))
    if not result.parties:
        abort(404, description=f"no arrangement '{slug}' with agreed controls in the graph")
    return render(result, "treaty.html", title=f"Implementation {slug}")


@bp.route("/transfer")
def transfer():
    choices = _choices()
    if not request.args.get("from"):
        form = AnalysisForm(TRANSFER_PARAMETERS, choices)
        return render(form, "transfer.html", title="Transfer check", technologies=choices)
    values = _values()
    origin, destination = _code("from"), _code("to")
    if not destination:
        abort(400, description="parameter 'to' is required")
    result = transfer_check(get_store(), _technology(required=True), values, origin, destination, _day("as_of"))
    return render(result, "transfer.html", title=f"Transfer {origin} to {destination}", technologies=choices)


@bp.route("/changes")
def change_report():
    since = _day("from", date(date.today().year - 2, 1, 1))
    result = changes(get_store(), since, _day("to"))
    return render(result, "changes.html", title=f"Changes {result.since} to {result.until}")
