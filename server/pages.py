"""Pages for people, each with a JSON twin: home, entity pages, named queries, search
and the validation report."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, Response, abort, request

from qharmony.ontology.namespaces import ID, QH, compact
from qharmony.queries.catalog import NamedQuery, get_query, list_queries, run_named
from qharmony.queries.entity import EntityPage, entity_page
from qharmony.queries.entry_summary import entry_summary
from qharmony.queries.overview import overview
from qharmony.queries.results import QueryResult, SelectResult
from qharmony.queries.search import search
from qharmony.queries.serialize import triples_to
from qharmony.queries.validation import validation_results

from .cells import column_title, shown_variables, table_rows, threshold_cell
from .diagram import neighbourhood_svg
from .negotiation import RDF_SUFFIX, wants_rdf
from .numbers import whole_number
from .pickers import query_pickers, resolve_params
from .render import render
from .security import safe_href
from .store import get_store

bp = Blueprint("pages", __name__)


def local_link(iri: str) -> str:
    """Entity IRIs of our namespace link to this server's /id/ pages, ontology terms
    to their documentation pages."""
    if iri.startswith(ID):
        return "/id/" + iri[len(ID) :]
    if iri.startswith(QH) and len(iri) > len(QH):
        return "/ontology/" + iri[len(QH) :]
    return safe_href(iri)


@bp.app_template_filter("link")
def _link(iri: str) -> str:
    return local_link(iri)


@bp.app_template_filter("compact")
def _compact(iri: str) -> str:
    return compact(iri)


@bp.app_template_filter("neighbourhood")
def _neighbourhood(page: EntityPage):
    return neighbourhood_svg(page, local_link)


@bp.route("/")
@bp.route("/index.json")
def home():
    return render(overview(get_store()), "home.html")


@dataclass
class EntityView:
    """An entity's statements and evidence, and for a control entry its key facts."""

    page: EntityPage
    summary: dict | None

    def to_json(self) -> dict:
        return {**self.page.to_json(), "summary": self.summary}


def _describe(iri: str, fmt: str) -> Response:
    triples = run_named(get_store(), "describe_resource", {"resource": iri})
    return Response(triples_to(triples, fmt), mimetype=RDF_SUFFIX[fmt], headers={"Vary": "Accept"})


def _exists(iri: str) -> bool:
    return bool(run_named(get_store(), "resource_exists", {"resource": iri}))


@bp.route("/id/<path:rest>")
def entity(rest: str):
    """An entity page; ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf`` and ``.json`` suffixes
    (or the Accept header) ask for the same resource in another format."""
    iri, suffix = ID + rest, None
    base, _, ext = rest.rpartition(".")
    if (
        base
        and (ext in RDF_SUFFIX or ext == "json")
        and not run_named(get_store(), "resource_exists", {"resource": iri})
    ):
        iri, suffix = ID + base, ext
    fmt = suffix if suffix in RDF_SUFFIX else (None if suffix else wants_rdf(request))
    if fmt:
        return _describe(iri, fmt)
    page = entity_page(get_store(), iri)
    if not page.found:
        abort(404, description=f"nothing is known about {compact(iri)}")
    view = EntityView(page, entry_summary(get_store(), iri))
    return render(view, "entity.html", title=page.label)


@dataclass
class Gallery:
    """The named queries and their parameters."""

    queries: list[NamedQuery] = field(default_factory=list)

    def to_json(self) -> list[dict]:
        return [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "parameters": [p.__dict__ for p in q.parameters],
            }
            for q in self.queries
        ]


@bp.route("/queries")
@bp.route("/queries.json")
def queries():
    items = list_queries()
    pickers = {q.name: query_pickers(get_store(), q) for q in items}
    return render(Gallery(items), "queries.html", title="Named queries", pickers=pickers)


@dataclass
class QueryRun:
    """A named query, the parameters it was given, and its answer."""

    query: NamedQuery
    params: dict[str, str]
    result: QueryResult

    def to_json(self) -> dict:
        """SPARQL JSON results for SELECT and ASK; CONSTRUCT as a list of triples."""
        if isinstance(self.result, SelectResult):
            return self.result.to_json()
        if isinstance(self.result, bool):
            return {"head": {}, "boolean": self.result}
        return {"triples": [[t.to_json() for t in triple] for triple in self.result]}

    def to_csv(self) -> str:
        if not isinstance(self.result, SelectResult):
            abort(400, description=f"query '{self.query.name}' is not a SELECT query: CSV needs rows")
        return self.result.to_csv()


@bp.route("/queries/<name>")
@bp.route("/api/queries/<name>")
def run_query(name: str):
    query = get_query(name)
    params = {k: v for k, v in request.args.items() if k != "format"}
    run = QueryRun(query, params, run_named(get_store(), name, resolve_params(get_store(), query, params)))
    api = request.path.startswith("/api/")
    return render(
        run,
        "query.html",
        title=query.title,
        default="json" if api else "html",
        filename=name,
        table=_table(query, run.result),
        pickers=query_pickers(get_store(), query),
    )


def _table(query: NamedQuery, result: QueryResult) -> dict | None:
    """A SELECT result as a person reads it: labelled links, titled columns."""
    if not isinstance(result, SelectResult):
        return None
    given = dict(query.columns)
    columns = shown_variables(result.variables, result.rows)
    table = {
        "variables": columns,
        "titles": {v: column_title(v, given) for v in columns},
        "rows": table_rows(columns, result.rows),
    }
    if {"parameter", "comparator", "value"} <= set(columns):
        # a threshold in legal notation beside its machine columns (which CSV and JSON keep)
        table["variables"] = ["reads", *columns]
        table["titles"]["reads"] = "Threshold"
        for cells, row in zip(table["rows"], result.rows, strict=True):
            cells.insert(0, threshold_cell(row))
    return table


@bp.route("/search")
@bp.route("/search.json")
def search_page():
    args = request.args
    page = args.get("page", "1")
    result = search(
        get_store(),
        args.get("q", ""),
        args.get("kind", ""),
        args.get("jurisdiction", ""),
        page=whole_number(page, 1) or 1,
    )
    return render(result, "search.html", title="Search")


@bp.route("/validation")
@bp.route("/validation.json")
def validation():
    """The last build's SHACL report, grouped by shape, linking to the focus nodes."""
    return render(validation_results(get_store()), "validation.html", title="Validation")
