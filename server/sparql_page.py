"""The /sparql editor page for people: the query kept in the form and in the URL, its
result rendered in the page as a paged table, its error shown beside it.

The page works as a plain form without JavaScript (the server renders the first
page of rows); ``static/sparql.js`` and the bundled CodeMirror editor then run
queries in place. Programs never see this page: it answers only requests that ask
for HTML more than for any result format, and never one with ``format=``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Response, render_template, request

from qharmony.ontology.namespaces import PREFIXES
from qharmony.queries.catalog import list_queries
from qharmony.queries.errors import QueryError, StoreError
from qharmony.queries.ontology_docs import ontology_index
from qharmony.queries.results import QueryResult, SelectResult
from qharmony.queries.serialize import triples_to
from qharmony.queries.store import bind_values

from .cells import table_rows
from .numbers import whole_number
from .sparql_protocol import DATA_MEDIA, wants_page  # noqa: F401 (their home is the protocol's)
from .store import get_store

PAGE_SIZE = 50
TEXT_LINES = 400
COMMON_PREFIXES = ("qh", "qhid", "rdf", "rdfs", "skos", "xsd", "eli", "dcterms")
DEFAULT_BODY = """SELECT ?entry ?code ?label WHERE {
  ?entry qh:controlsTechnology qh:QuantumComputer ;
         skos:notation ?code .
  OPTIONAL { ?entry rdfs:label ?label }
}
ORDER BY ?code
LIMIT 100"""


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    text: str


def prefix_lines(names: tuple[str, ...] | None = None) -> str:
    """PREFIX declarations for the graph's namespaces (all of them, or ``names``)."""
    chosen = names or tuple(PREFIXES)
    return "\n".join(f"PREFIX {p}: <{PREFIXES[p]}>" for p in chosen)


def default_query() -> str:
    return prefix_lines(COMMON_PREFIXES) + "\n" + DEFAULT_BODY


def examples() -> tuple[Example, ...]:
    """Every named query, with its parameters' defaults bound the way the catalog binds
    them, so an example runs as it does under /queries."""
    found = []
    for q in list_queries():
        try:
            text = bind_values(q.text, q.bind({}))
        except QueryError:  # a required parameter without a default: leave it open
            text = q.text
        found.append(Example(q.name, q.title, text))
    return tuple(found)


def example_text(name: str) -> str | None:
    return next((e.text for e in examples() if e.name == name), None)


def completion_words() -> list[str]:
    """Prefixed names offered by the editor's completion: ontology terms and prefixes."""
    try:
        terms = [f"qh:{t['local']}" for t in ontology_index(get_store())]
    except StoreError:
        terms = []
    return sorted(terms) + [f"{p}:" for p in PREFIXES]


def _page_number() -> int:
    raw = request.values.get("page", "1")
    return whole_number(raw, 1) or 1


def _shown(result: QueryResult) -> dict:
    """The server-rendered view of a result: one page of a table, a boolean or text."""
    if isinstance(result, bool):
        return {"kind": "boolean", "value": result}
    if isinstance(result, list):
        lines = triples_to(result, "ttl").decode("utf-8").splitlines()
        return {"kind": "graph", "text": "\n".join(lines[:TEXT_LINES]), "cut": len(lines) > TEXT_LINES}
    assert isinstance(result, SelectResult)
    total = len(result.rows)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(_page_number(), pages)
    start = (page - 1) * PAGE_SIZE
    rows = table_rows(result.variables, result.rows[start : start + PAGE_SIZE])
    return {
        "kind": "table",
        "variables": result.variables,
        "rows": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "first": start + 1 if total else 0,
        "last": start + len(rows),
        "truncated": result.truncated,
    }


def editor_page(
    query: str | None, execute: Callable[[str], QueryResult], limits: str = ""
) -> Response | tuple[Response, int]:
    """The editor with ``query`` (or an example, or the default) and, when a query was
    given, its result or its error; the status is the error's."""
    text = query if query is not None else (example_text(request.values.get("example", "")) or default_query())
    shown, error, status = None, None, 200
    if query is not None and query.strip():
        try:
            shown = _shown(execute(query))
        except StoreError as exc:
            error, status = str(exc), getattr(exc, "status", 400)
    html = render_template(
        "sparql.html",
        text=text,
        ran=query is not None,
        shown=shown,
        error=error,
        status=status,
        examples=examples(),
        prefixes=list(PREFIXES.items()),
        prefix_block=prefix_lines(),
        words=completion_words(),
        limits=limits,
    )
    return Response(html, status=status, headers={"Vary": "Accept"})
