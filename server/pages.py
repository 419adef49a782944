"""Pages for people, each with a JSON twin: home, entity pages, named queries."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request

from qharmony.ontology.namespaces import ID, QH, compact
from qharmony.queries.catalog import get_query, list_queries, run_named
from qharmony.queries.entity import entity_page
from qharmony.queries.entry_summary import entry_summary
from qharmony.queries.overview import overview
from qharmony.queries.results import SelectResult, Term
from qharmony.queries.search import search
from qharmony.queries.serialize import triples_to

from .cells import column_title, shown_variables, table_rows
from .diagram import neighbourhood_svg
from .negotiation import RDF_SUFFIX, wants_json, wants_rdf
from .pickers import query_pickers, resolve_params
from .store import get_store

bp = Blueprint("pages", __name__)


def local_link(iri: str) -> str:
    """Entity IRIs of our namespace link to this server's /id/ pages, ontology terms
    to their documentation pages."""
    if iri.startswith(ID):
        return "/id/" + iri[len(ID) :]
    if iri.startswith(QH) and len(iri) > len(QH):
        return "/ontology/" + iri[len(QH) :]
    return iri


@bp.app_template_filter("link")
def _link(iri: str) -> str:
    return local_link(iri)


@bp.app_template_filter("compact")
def _compact(iri: str) -> str:
    return compact(iri)


@bp.route("/")
@bp.route("/index.json")
def home():
    data = overview(get_store())
    if wants_json(request):
        return jsonify(data.to_json())
    return render_template("home.html", data=data)


def _describe(iri: str, fmt: str) -> Response:
    triples = get_store().construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": Term.iri(iri)})
    return Response(triples_to(triples, fmt), mimetype=RDF_SUFFIX[fmt], headers={"Vary": "Accept"})


def _exists(iri: str) -> bool:
    return get_store().ask("ASK { ?s ?p ?o }", {"s": Term.iri(iri)})


@bp.route("/id/<path:rest>")
def entity(rest: str):
    """An entity page; ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf`` and ``.json`` suffixes
    (or the Accept header) ask for the same resource in another format."""
    iri, suffix = ID + rest, None
    base, _, ext = rest.rpartition(".")
    if base and (ext in RDF_SUFFIX or ext == "json") and not _exists(iri):
        iri, suffix = ID + base, ext
    fmt = suffix if suffix in RDF_SUFFIX else (None if suffix else wants_rdf(request))
    if fmt:
        return _describe(iri, fmt)
    page = entity_page(get_store(), iri)
    if not page.found:
        abort(404, description=f"nothing is known about {compact(iri)}")
    summary = entry_summary(get_store(), iri)
    if suffix == "json" or wants_json(request):
        resp = jsonify({**page.to_json(), "summary": summary})
    else:
        resp = Response(
            render_template("entity.html", page=page, summary=summary, diagram=neighbourhood_svg(page, local_link))
        )
    resp.headers["Vary"] = "Accept"
    return resp


@bp.route("/queries")
def queries():
    items = list_queries()
    if wants_json(request):
        return jsonify(
            [
                {
                    "name": q.name,
                    "title": q.title,
                    "description": q.description,
                    "parameters": [p.__dict__ for p in q.parameters],
                }
                for q in items
            ]
        )
    return render_template(
        "queries.html", queries=items, pickers={q.name: query_pickers(get_store(), q) for q in items}
    )


@bp.route("/queries/<name>")
@bp.route("/api/queries/<name>")
def run_query(name: str):
    query = get_query(name)
    params = {k: v for k, v in request.args.items() if k != "format"}
    result = run_named(get_store(), name, resolve_params(get_store(), query, params))
    if request.path.startswith("/api/") or wants_json(request):
        body = result.to_json() if isinstance(result, SelectResult) else {"boolean": result}
        return jsonify(body)
    if request.args.get("format") == "csv" and isinstance(result, SelectResult):
        return Response(
            result.to_csv(), mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={name}.csv"}
        )
    table = None
    if isinstance(result, SelectResult):
        given = dict(query.columns)
        columns = shown_variables(result.variables, result.rows)
        table = {
            "variables": columns,
            "titles": {v: column_title(v, given) for v in columns},
            "rows": table_rows(columns, result.rows),
        }
    return render_template(
        "query.html",
        query=query,
        params=params,
        result=result,
        table=table,
        pickers=query_pickers(get_store(), query),
    )


@bp.route("/search")
@bp.route("/search.json")
def search_page():
    page = request.args.get("page", "1")
    result = search(
        get_store(),
        request.args.get("q", ""),
        request.args.get("kind", ""),
        request.args.get("jurisdiction", ""),
        page=int(page) if page.isdigit() else 1,
    )
    if wants_json(request):
        return jsonify(result.to_json())
    return render_template("search.html", result=result)


@bp.route("/validation")
@bp.route("/validation.json")
def validation():
    """The last build's SHACL report, grouped by shape, linking to the focus nodes."""
    rows = run_named(get_store(), "validation_results").rows
    groups: dict[str, list[dict]] = {}
    for r in rows:
        shape = r["shape"].value if "shape" in r else "(no shape)"
        groups.setdefault(shape, []).append({k: v.value for k, v in r.items()})
    if wants_json(request):
        return jsonify({"conforms": not rows, "shapes": groups})
    return render_template("validation.html", groups=groups)
