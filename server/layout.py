"""What every page shares: the navigation (with the current page marked), links that
change one parameter of the current URL, and the footer's facts (graph version, date,
address) that a printed page must carry."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Blueprint, request

from qharmony.queries.analysis.regimes import technologies
from qharmony.queries.analysis.version import graph_version
from qharmony.queries.catalog import NamedQuery, get_query
from qharmony.queries.errors import QueryError, StoreError

from .auth import signed_in_hint
from .matrix_view import cell_state
from .pickers import options, query_pickers
from .present import TYPED_UNITS
from .store import get_store
from .timeline import timeline_for

bp = Blueprint("layout", __name__)

#: (path, label): the main navigation; a page is "current" under its path
NAV = (
    ("/", "Overview"),
    ("/search", "Search"),
    ("/gaps", "Gaps"),
    ("/matrix", "Matrix"),
    ("/determine", "Determine"),
    ("/coverage", "Coverage"),
    ("/treaties", "Treaties"),
    ("/transfer", "Transfer check"),
    ("/changes", "Changes"),
    ("/versions", "Versions"),
    ("/watchlists", "Watch"),
    ("/portfolio", "Portfolio"),
    ("/queries", "Named queries"),
    ("/ontology", "Ontology"),
    ("/validation", "Validation"),
    ("/sparql", "SPARQL"),
)
#: shown after NAV to a browser whose reviewer signed in (``auth.signed_in_hint``)
REVIEW_NAV = (("/review", "Review"),)


def current_section(path: str) -> str:
    """The navigation path the request falls under ('' when none does)."""
    best = ""
    for target, _ in NAV + REVIEW_NAV:
        if target == "/":
            if path in ("/", "/index.json"):
                return "/"
            continue
        if (path == target or path.startswith(target + "/") or path.startswith(target + ".")) and len(target) > len(
            best
        ):
            best = target
    return best


def url_with(**changes: object) -> str:
    """The current path and query with some parameters set (or removed with None); a
    change of anything but ``page`` starts again at page 1."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in changes]
    if "page" not in changes:
        args = [(k, v) for k, v in args if k != "page"]
    for key, value in changes.items():
        if value is not None and value != "":
            args.append((key, str(value)))
    query = urlencode(args)
    return request.path + ("?" + query if query else "")


def _version() -> str:
    try:
        return graph_version(get_store()).content_hash[:16]
    except StoreError:
        return "unavailable"


def _named_query(name: str | None) -> NamedQuery | None:
    try:
        return get_query(name or "")
    except QueryError:
        return None


STATUS_TEXT = {
    400: "That request cannot be answered",
    404: "Not found",
    429: "Too many requests",
    503: "Try again soon",
}


@bp.app_context_processor
def shared() -> dict:
    """Globals of every template; the functions run only when a template calls them."""
    return {
        "nav": NAV + REVIEW_NAV if signed_in_hint() else NAV,
        "current_section": current_section(request.path),
        "url_with": url_with,
        "graph_version": _version,
        "today": date.today().isoformat(),
        "picker_options": lambda kind: options(get_store(), kind),
        "technology_choices": lambda: technologies(get_store()),
        "transfer_parameters": lambda: list(TYPED_UNITS.items()),
        "named_query": _named_query,
        "query_pickers": lambda query: query_pickers(get_store(), query),
        "cell_state": cell_state,
        "timeline_for": lambda iri: timeline_for(get_store(), iri),
        "status_text": lambda status: f"{STATUS_TEXT.get(status, 'Something went wrong')} ({status})",
    }
