"""Evaluating one query on an open pyoxigraph store: the SPARQL dataset it reads,
the caps on its answer, and our own types for what comes back. Shared by the
embedded store and its worker processes, and light to import (no rdflib), so a
worker starts in a few tens of milliseconds."""

from __future__ import annotations

import pyoxigraph as ox

from .errors import QueryError, StoreUnavailable
from .results import QueryResult, SelectResult, Term, Triples
from .screen import screen_query
from .store import Dataset


def _term(node) -> Term:
    if isinstance(node, ox.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, ox.Literal):
        return Term.literal(node.value, node.datatype.value, node.language)
    return Term("literal", str(node))  # RDF-star triple terms: shown as text


def _size(term: Term) -> int:
    return len(term.value) + len(term.datatype or "") + 8


def _collect(result, max_rows: int, max_bytes: int) -> QueryResult:
    """Our own types from pyoxigraph's, cut at ``max_rows`` rows or triples and at
    ``max_bytes`` characters of term values, whichever comes first."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    size = 0
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows: list[dict[str, Term]] = []
        seen: dict = {}  # answers repeat their terms (codes, IRIs, dates): each is made once
        for solution in result:
            if len(rows) >= max_rows or size > max_bytes:
                return SelectResult(names, rows, True)
            row = {}
            for name, value in zip(names, solution, strict=True):
                if value is not None:
                    known = seen.get(value)
                    if known is None:
                        term = _term(value)
                        known = seen[value] = (term, _size(term))
                    row[name] = known[0]
                    size += known[1]
            rows.append(row)
        return SelectResult(names, rows, False)
    triples = Triples()
    for triple in result:
        if len(triples) >= max_rows or size > max_bytes:
            triples.truncated = True
            break
        t = (_term(triple.subject), _term(triple.predicate), _term(triple.object))
        size += sum(_size(x) for x in t)
        triples.append(t)
    return triples


def _dataset_options(dataset: Dataset | None, has_dataset_clause: bool) -> dict:
    """pyoxigraph options for the SPARQL dataset. The protocol's default-graph-uri and
    named-graph-uri win over FROM; FROM wins over our union default graph; a graph that
    does not exist is an empty graph."""
    if dataset is not None and dataset != (None, None):
        default, named = dataset  # named graphs alone leave the default graph empty
        options: dict = {"default_graph": [ox.NamedNode(g) for g in default or []]}
        if named is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named]
        return options
    if has_dataset_clause:
        return {}
    return {"use_default_graph_as_union": True}


def evaluate(store: ox.Store, text: str, dataset: Dataset | None, max_rows: int, max_bytes: int) -> QueryResult:
    """Evaluate one query (already bound and screened) on an open pyoxigraph store."""
    options = _dataset_options(dataset, screen_query(text).has_dataset_clause)
    try:
        return _collect(store.query(text, **options), max_rows, max_bytes)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except OSError as exc:
        raise StoreUnavailable(f"store read failed: {exc}") from exc
    except (ValueError, TypeError) as exc:
        raise QueryError(str(exc)) from exc
