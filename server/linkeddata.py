"""The dataset as linked data: a VoID description and whole-graph dumps."""

from __future__ import annotations

import rdflib
from flask import Blueprint, Response, abort, redirect, request

from qharmony.ontology.namespaces import BASE, ID, ONTOLOGY_IRI
from qharmony.queries.analysis.version import graph_version

from .negotiation import RDF_MEDIA, RDFLIB_FORMAT
from .security import content_disposition
from .store import get_store

bp = Blueprint("linkeddata", __name__)

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DUMPS = {"trig": "application/trig", "nq": "application/n-quads"}


def void_graph(base_url: str, triples: int, content_hash: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.bind("void", VOID)
    graph.bind("dcterms", rdflib.DCTERMS)
    ds = rdflib.URIRef(BASE + "dataset")
    graph.add((ds, rdflib.RDF.type, VOID.Dataset))
    graph.add((ds, rdflib.DCTERMS.title, rdflib.Literal("qharmony: quantum technology export controls", lang="en")))
    graph.add(
        (
            ds,
            rdflib.DCTERMS.description,
            rdflib.Literal(
                "Treaties, regulations and control-list entries that govern quantum technologies, "
                "extracted from regulation texts with the sentence behind every fact.",
                lang="en",
            ),
        )
    )
    graph.add((ds, VOID.sparqlEndpoint, rdflib.URIRef(base_url + "sparql")))
    for fmt in DUMPS:
        graph.add((ds, VOID.dataDump, rdflib.URIRef(f"{base_url}dumps/qharmony.{fmt}")))
    graph.add((ds, VOID.uriSpace, rdflib.Literal(ID)))
    graph.add((ds, VOID.vocabulary, rdflib.URIRef(ONTOLOGY_IRI)))
    graph.add((ds, VOID.triples, rdflib.Literal(triples)))
    graph.add((ds, rdflib.OWL.versionInfo, rdflib.Literal(content_hash)))
    graph.add((ds, VOID.exampleResource, rdflib.URIRef(ID + "entry/US/4A906.a.1")))
    return graph


@bp.route("/.well-known/void")
def well_known():
    return redirect("/void", code=303)


@bp.route("/void")
def void():
    store = get_store()
    media = request.accept_mimetypes.best_match(list(RDF_MEDIA)) or "text/turtle"
    fmt = RDFLIB_FORMAT[RDF_MEDIA[media]]
    graph = void_graph(request.host_url, store.count(), graph_version(store).content_hash)
    return Response(graph.serialize(format=fmt), mimetype=media, headers={"Vary": "Accept"})


@bp.route("/dumps/qharmony.<fmt>")
def dump(fmt: str):
    if fmt not in DUMPS:
        abort(404, description=f"no dump format '{fmt}'; try qharmony.trig or qharmony.nq")
    return Response(
        get_store().dump(fmt),
        mimetype=DUMPS[fmt],
        headers={"Content-Disposition": content_disposition(f"qharmony.{fmt}")},
    )
