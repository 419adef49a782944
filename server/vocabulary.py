"""The ontology's documentation pages and downloads (named so as not to shadow the
``ontology`` package)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from qharmony.ontology.namespaces import ONTOLOGY_GRAPH
from qharmony.queries.catalog import run_named
from qharmony.queries.ontology_docs import ontology_index, term_page
from qharmony.queries.serialize import triples_to

from .negotiation import RDF_SUFFIX, wants_rdf
from .render import render
from .store import get_store

bp = Blueprint("vocabulary", __name__)

_DOWNLOADS = {"ttl": "qharmony.ttl", "rdf": "qharmony.rdf", "nt": "qharmony.nt", "jsonld": "qharmony.jsonld"}


def _download(fmt: str) -> Response:
    triples = run_named(get_store(), "graph_triples", {"graph": ONTOLOGY_GRAPH})
    return Response(
        triples_to(triples, fmt),
        mimetype=RDF_SUFFIX[fmt],
        headers={"Vary": "Accept", "Content-Disposition": f"inline; filename={_DOWNLOADS[fmt]}"},
    )


@bp.route("/ontology")
@bp.route("/ontology.<fmt>")
def index(fmt: str | None = None):
    """The term index; the ontology itself as Turtle, RDF/XML, N-Triples or JSON-LD."""
    if fmt in _DOWNLOADS:
        return _download(fmt)
    if fmt not in (None, "json"):
        abort(404, description=f"no ontology format '{fmt}'; try .ttl, .rdf, .nt or .jsonld")
    rdf = None if fmt else wants_rdf(request)
    if rdf:
        return _download(rdf)
    return render(ontology_index(get_store()), "ontology.html", title="Ontology")


@bp.route("/ontology/<local>")
@bp.route("/ontology/<local>.json")
def term(local: str):
    page = term_page(get_store(), local)
    if not page.found:
        abort(404, description=f"the ontology defines no term named '{local}'")
    return render(page, "term.html", title=page.label)
