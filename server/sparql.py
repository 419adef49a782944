"""``/sparql``: the SPARQL 1.1 Protocol, query operation, read-only; with a service
description, CORS for browser clients and an editor page for people."""

from __future__ import annotations

import json

import rdflib
from flask import Blueprint, Response, current_app, jsonify, request

from qharmony.queries.lanes import public_queries
from qharmony.queries.results import SelectResult
from qharmony.queries.screen import MAX_CHAIN, MAX_DEPTH, MAX_QUERY_CHARS
from qharmony.queries.search import titles
from qharmony.queries.store import Dataset

from .negotiation import RDF_MEDIA, RDFLIB_FORMAT
from .sparql_page import editor_page
from .sparql_protocol import (  # noqa: F401 (ProtocolError and the tables: their home for callers)
    BOOLEAN,
    FORMAT_MEDIA,
    TABULAR,
    ProtocolError,
    Reply,
    answer,
    content_type,
    operation,
    prepare,
    wants_page,
    write,
)
from .store import get_store

bp = Blueprint("sparql", __name__)

FORMATS = "http://www.w3.org/ns/formats/"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def limits_text(config) -> str:
    """The limits every query runs under, in words: for /sparql and its description."""
    allow = str(config.get("SERVICE_ALLOW") or "").split()
    budget = []
    if int(config["RATE_REQUESTS"]):
        budget.append(f"{int(config['RATE_REQUESTS'])} requests")
    if float(config["RATE_QUERY_SECONDS"]):
        budget.append(f"{float(config['RATE_QUERY_SECONDS']):g} s of query time")
    return (
        f"Each query may run {float(config['TIMEOUT']):g} s and {int(config['QUERY_CPU_SECONDS'])} s of CPU "
        f"in {int(config['QUERY_MEMORY_MB'])} MB; answers stop at {int(config['MAX_ROWS']):,} rows or triples "
        f'and {int(config["MAX_RESULT_BYTES"]):,} characters, and say so ("truncated": true); page with '
        f"LIMIT and OFFSET. At most {int(config['MAX_LONG_QUERIES'])} queries may run longer than "
        f"{float(config['LONG_QUERY_SECONDS']):g} s at once; another is stopped with 503 and Retry-After. "
        + (f"Each client may use {' and '.join(budget)} per minute, then gets 429 with Retry-After. " if budget else "")
        + f"Queries nested more than {MAX_DEPTH} brackets deep, chaining more than {MAX_CHAIN} operators "
        f"or longer than {MAX_QUERY_CHARS:,} characters are refused with 400. "
        + (f"SERVICE may call: {', '.join(allow)}." if allow else "SERVICE (federation) is off.")
    )


def service_description(endpoint: str, limits: str = "") -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.bind("sd", SD)
    service = rdflib.URIRef(endpoint)
    graph.add((service, rdflib.RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
    ):
        graph.add((service, SD.resultFormat, rdflib.URIRef(FORMATS + fmt)))
    dataset = rdflib.BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, rdflib.RDF.type, SD.Dataset))
    default = rdflib.BNode("default")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, rdflib.RDF.type, SD.Graph))
    graph.add(
        (
            service,
            rdflib.RDFS.comment,
            rdflib.Literal(
                "Read-only. The default graph is the union of all named graphs; one named graph "
                "per source document, plus the inferred, ontology, validation and meta graphs. " + limits
            ),
        )
    )
    return graph


def _describe_service() -> Response:
    media = request.accept_mimetypes.best_match(["text/html", *RDF_MEDIA]) or "text/turtle"
    limits = limits_text(current_app.config)
    if media == "text/html":
        return editor_page(None, _execute, limits)
    fmt = RDFLIB_FORMAT[RDF_MEDIA[media]]
    body = service_description(request.base_url, limits).serialize(format=fmt)
    return Response(body, mimetype=media)


@bp.after_request
def cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers.setdefault("Vary", "Accept")
    return response


@bp.route("/api/labels")
def labels():
    """Labels for up to 500 IRIs (``?iri=...&iri=...``), so a result table can show
    names where the query returned IRIs; IRIs without a label are left out."""
    return jsonify(titles(get_store(), request.args.getlist("iri")))


@bp.route("/sparql", methods=["OPTIONS"])
@bp.route("/sparql/", methods=["OPTIONS"])
def preflight():
    return Response(
        status=204,
        headers={
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type, Accept",
            "Access-Control-Max-Age": "86400",
        },
    )


def _execute(query: str, dataset: Dataset = (None, None)):
    """Our own types for a query (the editor page's table, ``labels=1``)."""
    allow = str(current_app.config.get("SERVICE_ALLOW") or "").split()
    text = prepare(query, request.base_url, allow, [request.host_url, request.url_root])
    with public_queries():  # a client's text: the long-query cap and the lanes apply
        return get_store().query(text, dataset=dataset)


def _response(reply: Reply) -> Response:
    return Response(
        reply.body, status=reply.status, headers={"Content-Type": content_type(reply.media), **reply.headers}
    )


@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
def endpoint():
    """What the front door (``front.py``) hands on: the service description, the
    editor page and ``labels=1``; and any query sent past it (HEAD, a test's app)."""
    query, dataset = operation(request)
    if query is None:
        return _describe_service()
    if wants_page(request):
        return editor_page(query, lambda q: _execute(q, dataset), limits_text(current_app.config))
    if request.values.get("labels") not in ("1", "true"):
        return _response(answer(request, get_store(), str(current_app.config.get("SERVICE_ALLOW") or "").split()))
    result = _execute(query, dataset)
    reply = write(result, request)
    if isinstance(result, SelectResult) and reply.media == "application/sparql-results+json":
        reply.body = json.dumps({**result.to_json(), "labels": result_labels(result)}, ensure_ascii=False).encode()
    return _response(reply)


#: most IRIs of one answer that ``labels=1`` looks up (in batches of the index's 500)
MAX_LABELLED = 5000


def result_labels(result: SelectResult) -> dict[str, str]:
    """Labels for the IRIs of an answer, asked for with ``labels=1`` (a qharmony
    extension: a top-level ``labels`` object beside ``head`` and ``results``), so the
    editor shows names with its links without a second request. IRIs without a label
    are left out; a client shows those by prefixed name."""
    iris = list(dict.fromkeys(t.value for row in result.rows for t in row.values() if t.type == "uri"))[:MAX_LABELLED]
    labels: dict[str, str] = {}
    for start in range(0, len(iris), 500):
        labels.update(titles(get_store(), iris[start : start + 500]))
    return labels
