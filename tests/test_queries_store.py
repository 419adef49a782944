"""One contract suite, run over both backends: embedded Oxigraph and a real
``oxigraph serve`` process reached over HTTP."""

from __future__ import annotations

import pytest

from qharmony.ontology.namespaces import XSD
from qharmony.queries.errors import QueryError, StoreUnavailable
from qharmony.queries.results import Term
from qharmony.queries.store import open_store

G = "https://w3id.org/qharmony/graph/doc/test"
DATA = (
    f'<http://ex.org/a> <http://ex.org/name> "Alice" <{G}> .\n'
    f'<http://ex.org/b> <http://ex.org/name> "Bob \\"the\\" builder" <{G}> .\n'
).encode()


@pytest.fixture(params=["embedded", "remote"])
def backend(request, tmp_path):
    if request.param == "embedded":
        store = open_store(tmp_path / "store")
    else:
        store = open_store(request.getfixturevalue("oxigraph_url"))
    store.replace(DATA)
    return store


def test_select_with_bound_parameter(backend):
    res = backend.select("SELECT ?s WHERE { ?s <http://ex.org/name> ?name }", {"name": Term.literal("Alice")})
    assert res.values("s") == ["http://ex.org/a"]


def test_bound_value_cannot_inject(backend):
    evil = Term.literal('Alice" } UNION { ?s ?p ?o } #')
    res = backend.select("SELECT ?s WHERE { ?s <http://ex.org/name> ?name }", {"name": evil})
    assert res.rows == []
    quoted = backend.select(
        "SELECT ?s WHERE { ?s <http://ex.org/name> ?name }", {"name": Term.literal('Bob "the" builder')}
    )
    assert quoted.values("s") == ["http://ex.org/b"]


def test_ask_construct_count(backend):
    assert backend.ask("ASK { <http://ex.org/a> ?p ?o }") is True
    triples = backend.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert len(triples) == 2
    assert backend.count() == 2


def test_row_cap_flags_truncation(backend):
    backend.max_rows = 1
    res = backend.select("SELECT ?s WHERE { ?s ?p ?o }")
    assert len(res.rows) == 1 and res.truncated


def test_syntax_error_is_a_query_error(backend):
    with pytest.raises(QueryError):
        backend.select("SELEC ?s WHERE { ?s ?p ?o }")


def test_replace_swaps_whole_dataset(backend):
    backend.replace(f'<http://ex.org/c> <http://ex.org/name> "Carol" <{G}> .\n'.encode())
    assert backend.select("SELECT ?s WHERE { ?s ?p ?o }").values("s") == ["http://ex.org/c"]


def test_failed_replace_keeps_previous_data(backend):
    with pytest.raises(QueryError):
        backend.replace(b"this is not n-quads\n")
    assert backend.count() == 2


def test_load_into_named_graph_and_dump(backend):
    backend.load(b'<http://ex.org/d> <http://ex.org/name> "Dan" .\n', "nt", graph="http://ex.org/mine")
    assert backend.count() == 3
    assert b"http://ex.org/mine" in backend.dump("nq")


def test_unreachable_endpoint_is_unavailable():
    store = open_store("http://127.0.0.1:9/query", timeout=2)
    with pytest.raises(StoreUnavailable):
        store.select("SELECT * WHERE { ?s ?p ?o }")


def test_bound_parameters_are_visible_to_filters(backend):
    query = "SELECT ?x WHERE { VALUES ?x { 1 2 3 } FILTER(?x > ?least) } ORDER BY ?x"
    rows = backend.select(query, {"least": Term.literal("1", XSD + "integer")}).rows
    assert [r["x"].value for r in rows] == ["2", "3"]
