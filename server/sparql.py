"""``/sparql``: the SPARQL 1.1 Protocol, read-only, with an editor for browsers."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request

from qharmony.queries.errors import QueryError
from qharmony.queries.results import SelectResult
from qharmony.queries.serialize import triples_to
from qharmony.queries.store import query_form

from .app import get_store
from .negotiation import RDF_MEDIA

bp = Blueprint("sparql", __name__)

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}


def _query_text() -> str | None:
    if request.method == "GET":
        values = request.args.getlist("query")
    elif request.mimetype == "application/sparql-query":
        try:
            return request.get_data().decode("utf-8")
        except UnicodeDecodeError:
            raise QueryError("the request body is not UTF-8") from None
    elif request.mimetype == "application/x-www-form-urlencoded":
        values = request.form.getlist("query")
        if "update" in request.form:
            raise QueryError("this endpoint is read-only: updates are refused")
    else:
        raise QueryError(
            f"unsupported content type {request.mimetype!r}; use application/sparql-query "
            "or application/x-www-form-urlencoded"
        )
    if len(values) > 1:
        raise QueryError("give exactly one 'query' parameter")
    return values[0] if values else None


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    text = _query_text()
    if text is None:
        return render_template("sparql.html")
    form = query_form(text)
    if not form:
        raise QueryError("not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE); "
                         "updates are refused by this read-only endpoint")
    result = get_store().query(text)
    accept = request.accept_mimetypes
    if isinstance(result, list):
        media = accept.best_match(list(RDF_MEDIA)) or "text/turtle"
        return Response(triples_to(result, RDF_MEDIA[media]), mimetype=media)
    media = accept.best_match(list(SELECT_TYPES)) or "application/sparql-results+json"
    if isinstance(result, bool):
        if SELECT_TYPES[media] != "json":
            media = "application/sparql-results+json"
        return Response(json.dumps({"head": {}, "boolean": result}), mimetype=media)
    assert isinstance(result, SelectResult)
    kind = SELECT_TYPES[media]
    headers = {"X-Qharmony-Truncated": "true"} if result.truncated else {}
    if kind == "csv":
        return Response(result.to_csv(), mimetype="text/csv", headers=headers)
    if kind == "tsv":
        return Response(result.to_tsv(), mimetype="text/tab-separated-values", headers=headers)
    return Response(result.to_json_text(), mimetype="application/sparql-results+json",
                    headers=headers)
