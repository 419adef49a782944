"""Evaluating one query on an open pyoxigraph store: the SPARQL dataset it reads,
the caps on its answer, and our own types for what comes back. Shared by the
embedded store and its worker processes, and light to import (no rdflib), so a
worker starts in a few tens of milliseconds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import QueryError, StoreUnavailable
from .results import QueryResult, SelectResult, Term, Triples
from .screen import CACHED_CHARS, query_tokens, screen_query
from .tsv_answer import rows_from_tsv
from .wire import MEDIA, Encoded, Wanted, encode

if TYPE_CHECKING:  # a worker imports this module at its start: not the store protocol
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


def evaluate(
    store: ox.Store,
    text: str,
    dataset: Dataset | None,
    max_rows: int,
    max_bytes: int,
    shape: TopLevel | None = None,
    whole: bool = False,
) -> QueryResult:
    """Evaluate one query (already bound and screened) on an open pyoxigraph store;
    ``shape``: its ``top_level`` when the caller has read it already. ``whole``: the
    answer is never cut (the analyses' own queries), so a SELECT is read from the TSV
    pyoxigraph writes (``tsv_answer``), not term by term."""
    if whole:
        answer = _evaluated(store, text, dataset, _collect_whole, shape)
        if answer is not None:
            return answer  # else a cell the TSV reader does not know: term by term
    return _evaluated(store, text, dataset, lambda result: _collect(result, max_rows, max_bytes), shape)


def _collect_whole(result) -> QueryResult | None:
    if not isinstance(result, ox.QuerySolutions):
        return _collect(result, 2**62, 2**62)
    variables = [v.value for v in result.variables]
    read = rows_from_tsv(result.serialize(format=ox.QueryResultsFormat.TSV))
    return read if read is not None and read.variables == variables else None


@dataclass(frozen=True)
class TopLevel:
    """What the query as a whole (outside every group) says: its form, its LIMIT if it
    gives a number, whether a VALUES block follows its WHERE clause, and whether it
    names its dataset (FROM). The server reads it and sends it with the query, so a
    worker evaluates without reading the text again."""

    form: str
    limit: int | None
    values: bool
    dataset_clause: bool = False

    def __reduce__(self):
        """Pickled as its fields (it goes with every query to a worker)."""
        return (TopLevel, (self.form, self.limit, self.values, self.dataset_clause))


def top_level(text: str) -> TopLevel:
    """The query's ``TopLevel``, the text screened first (one pass over its tokens,
    kept for the short texts seen last, as the screen keeps them)."""
    return (_kept_top_level if len(text) <= CACHED_CHARS else _top_level)(text)


def _top_level(text: str) -> TopLevel:
    dataset_clause = screen_query(text).has_dataset_clause
    depth, form, limit, values, tokens = 0, "", None, False, list(query_tokens(text))
    for i, (kind, word) in enumerate(tokens):
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif depth == 0 and kind == "name":
            upper = word.upper()
            if not form and upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = upper
            elif upper == "VALUES":
                values = True
            elif upper == "LIMIT" and i + 1 < len(tokens):
                if tokens[i + 1][0] == "number" and tokens[i + 1][1].isdigit() and len(tokens[i + 1][1]) <= 18:
                    limit = int(tokens[i + 1][1])  # longer: no limit a store could reach (int() stops at 4,300 digits)
    return TopLevel(form, limit, values, dataset_clause)


_kept_top_level = lru_cache(maxsize=1024)(_top_level)


def _rows_at_most(body: bytes, rows: int) -> bool:
    """Whether pyoxigraph's JSON answer has at most ``rows`` rows. It writes rows with
    nothing between them, so every boundary is a ``},{`` (a literal may hold more):
    their count bounds the rows from above; only an answer near the bound is parsed."""
    if body.count(b"},{") + 1 <= rows:
        return True
    return len(json.loads(body)["results"]["bindings"]) <= rows


def evaluate_encoded(
    store: ox.Store,
    text: str,
    dataset: Dataset | None,
    wanted: Wanted,
    max_rows: int,
    max_bytes: int,
    shape: TopLevel | None = None,
) -> Encoded | QueryResult:
    """The answer written as ``wanted`` (``wire``). A SELECT asked for as JSON is
    written by pyoxigraph itself, straight from the engine, when its LIMIT keeps it
    within the row cap, or when it has no LIMIT (nor a VALUES block after it) and,
    asked with a LIMIT one past the cap, comes back within it. Past the size cap, or
    at the row cap, it goes the capped way (evaluated again, cut and flagged)."""
    shape = shape or top_level(text)
    if wanted.get("select") == "json" and shape.form == "SELECT":
        bounded = shape.limit is not None and shape.limit <= max_rows
        if bounded or (shape.limit is None and not shape.values):
            asked = text if bounded else f"{text}\nLIMIT {max_rows + 1}"

            def native(result):
                if not isinstance(result, ox.QuerySolutions):
                    return None
                body = result.serialize(format=ox.QueryResultsFormat.JSON)
                if len(body) > max_bytes or not (bounded or _rows_at_most(body, max_rows)):
                    return None
                return Encoded(body, MEDIA["json"], "select")

            try:
                answer = _evaluated(store, asked, dataset, native, shape)
            except QueryError:
                if bounded:
                    raise
                answer = None  # the error is told about the client's own text, below
            if answer is not None:
                return answer
    return encode(evaluate(store, text, dataset, max_rows, max_bytes, shape), wanted)


def _evaluated(store: ox.Store, text: str, dataset: Dataset | None, collect, shape: TopLevel | None = None):
    clause = shape.dataset_clause if shape is not None else screen_query(text).has_dataset_clause
    options = _dataset_options(dataset, clause)
    try:
        return collect(store.query(text, **options))
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except OSError as exc:
        raise StoreUnavailable(f"store read failed: {exc}") from exc
    except (ValueError, TypeError) as exc:
        raise QueryError(str(exc)) from exc
