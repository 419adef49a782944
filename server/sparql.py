"""``/sparql``: the SPARQL 1.1 Protocol, query operation, read-only; with a service
description, CORS for browser clients and an editor page for people."""

from __future__ import annotations

import json
import re

import rdflib
from flask import Blueprint, Response, current_app, jsonify, request

from qharmony.ontology.namespaces import TRUNCATED
from qharmony.queries.errors import QueryError, StoreError
from qharmony.queries.results import SelectResult, boolean_xml
from qharmony.queries.sandbox import public_queries
from qharmony.queries.screen import MAX_CHAIN, MAX_DEPTH, MAX_QUERY_CHARS, check_services, screen_query
from qharmony.queries.search import titles
from qharmony.queries.serialize import triples_to
from qharmony.queries.store import Dataset, query_form

from .negotiation import RDF_MEDIA, RDF_SUFFIX, RDFLIB_FORMAT
from .security import content_disposition
from .sparql_page import editor_page, wants_page
from .store import get_store

bp = Blueprint("sparql", __name__)

TABULAR = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
BOOLEAN = {k: v for k, v in TABULAR.items() if v in ("json", "xml")}
FORMATS = "http://www.w3.org/ns/formats/"
_COMMENTS = re.compile(r"^\s*#.*$", re.M)
_ABSOLUTE_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>"{}|^`\\]*$')
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
#: ``format=`` names (a download link) -> media type; they override Accept
FORMAT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    **RDF_SUFFIX,
}


class ProtocolError(StoreError):
    """A request the protocol does not allow; the status says which kind."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(f"give exactly one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


def _graph_uris(name: str) -> list[str] | None:
    """Dataset IRIs from the URL and a form body; a value that carries a second,
    encoded parameter ("...data1.rdf&named-graph-uri=...") is split leniently."""
    values = request.args.getlist(name)
    if request.mimetype == "application/x-www-form-urlencoded":
        values += request.form.getlist(name)
    found: list[str] = []
    for value in values:
        found.extend(v for v in value.split(f"&{name}=") if v)
    for iri in found:
        if not _ABSOLUTE_IRI.match(iri):
            raise ProtocolError(f"'{name}' must be an absolute IRI, got {iri!r}")
    return found or None


def _refuse_updates() -> None:
    """An ``update`` anywhere (URL or form) is refused, whatever else the request holds."""
    in_form = request.mimetype == "application/x-www-form-urlencoded" and "update" in request.form
    if "update" in request.args or in_form or request.mimetype == "application/sparql-update":
        raise ProtocolError("updates are not accepted: this endpoint is read-only", 403)


def _operation() -> tuple[str | None, Dataset]:
    """The query text and protocol dataset of a request, or a ProtocolError."""
    _refuse_updates()
    if request.method == "GET":
        query = _one(request.args.getlist("query"), "query")
    elif request.mimetype == "application/x-www-form-urlencoded":
        query = _one(request.form.getlist("query") + request.args.getlist("query"), "query")
        if query is None:
            raise ProtocolError("the form has no 'query' field")
    elif request.mimetype == "application/sparql-query":
        charset = (request.mimetype_params.get("charset") or "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(f"the query must be sent as UTF-8, not {charset}", 415)
        try:
            query = request.get_data().decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError("the request body is not valid UTF-8") from None
        if request.args.getlist("query"):
            raise ProtocolError("give the query either in the body or in the URL, not both")
    else:
        given = request.mimetype or "no content type"
        raise ProtocolError(
            f"unsupported content type ({given}); POST a query as application/sparql-query "
            "or as the 'query' field of application/x-www-form-urlencoded",
            415,
        )
    return query, (_graph_uris("default-graph-uri"), _graph_uris("named-graph-uri"))


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


def _graph_response(triples: list, media: str, headers: dict[str, str] | None = None) -> Response:
    """CONSTRUCT and DESCRIBE answers; a cut one says so in a header and, in the
    line-based formats, in a comment at the top of the body."""
    body = triples_to(triples, RDF_MEDIA[media])
    headers = dict(headers or {})
    if getattr(triples, "truncated", False):
        headers["X-Qharmony-Truncated"] = "true"
        if media in ("text/turtle", "application/n-triples"):
            body = f"# truncated: this answer was cut at {len(triples):,} triples ({TRUNCATED})\n".encode() + body
    return Response(body, mimetype=media, headers=headers)


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
    if not query_form(query):
        raise QueryError(
            "not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE); updates are refused by this read-only endpoint"
        )
    if not re.match(r"\s*BASE\b", _COMMENTS.sub("", query), re.I):
        # relative IRIs resolve against the endpoint, the base the protocol suggests
        query = f"BASE <{request.base_url}>\n{query}"
    screened = screen_query(query)
    check_services(
        screened.services,
        str(current_app.config.get("SERVICE_ALLOW") or "").split(),
        [request.host_url, request.url_root],
    )
    with public_queries():  # a client's text: the long-query cap and the lanes apply
        return get_store().query(query, dataset=dataset)


def _media(choices: dict[str, str], default: str, form: str) -> tuple[str, dict[str, str]]:
    """The media type to answer with: ``format=`` when given (then as a download),
    else the best match for Accept; and the headers that go with it."""
    name = request.values.get("format", "")
    if not name:
        return request.accept_mimetypes.best_match(list(choices)) or default, {}
    media = FORMAT_MEDIA.get(name)
    if media not in choices:
        allowed = sorted(k for k, v in FORMAT_MEDIA.items() if v in choices)
        raise ProtocolError(f"parameter 'format': {name!r} does not fit a {form} query; use {', '.join(allowed)}")
    return media, {"Content-Disposition": content_disposition(f"query-results.{name}")}


@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
def endpoint():
    query, dataset = _operation()
    if query is None:
        return _describe_service()
    if wants_page(request):
        return editor_page(query, lambda q: _execute(q, dataset), limits_text(current_app.config))
    result = _execute(query, dataset)
    if isinstance(result, list):
        media, headers = _media(RDF_MEDIA, "text/turtle", "CONSTRUCT or DESCRIBE")
        return _graph_response(result, media, headers)
    if isinstance(result, bool):
        media, headers = _media(BOOLEAN, "application/sparql-results+json", "ASK")
        if BOOLEAN[media] == "xml":
            return Response(boolean_xml(result), mimetype="application/sparql-results+xml", headers=headers)
        body = json.dumps({"head": {}, "boolean": result})
        return Response(body, mimetype="application/sparql-results+json", headers=headers)
    assert isinstance(result, SelectResult)
    media, headers = _media(TABULAR, "application/sparql-results+json", "SELECT")
    kind = TABULAR[media]
    if result.truncated:
        headers["X-Qharmony-Truncated"] = "true"
    body, mimetype = {
        "csv": (result.to_csv, "text/csv"),
        "tsv": (result.to_tsv, "text/tab-separated-values"),
        "xml": (result.to_xml, "application/sparql-results+xml"),
        "json": (result.to_json_text, "application/sparql-results+json"),
    }[kind]
    if kind == "json" and request.values.get("labels") in ("1", "true"):
        text = json.dumps({**result.to_json(), "labels": result_labels(result)}, ensure_ascii=False)
    else:
        text = body()
    return Response(text, mimetype=mimetype, headers=headers)


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
