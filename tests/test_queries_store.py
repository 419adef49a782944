"""One contract suite, run over both backends: embedded Oxigraph, and the remote
store against real servers reached over HTTP, ``oxigraph serve`` and Virtuoso 7."""

from __future__ import annotations

import time

import pytest

from qharmony.ontology.namespaces import XSD
from qharmony.queries.errors import QueryError, QueryTimeout, StoreError, StoreUnavailable
from qharmony.queries.remote import RemoteStore
from qharmony.queries.results import Term
from qharmony.queries.store import open_store

G = "https://w3id.org/qharmony/graph/doc/test"
DATA = (
    f'<http://ex.org/a> <http://ex.org/name> "Alice" <{G}> .\n'
    f'<http://ex.org/b> <http://ex.org/name> "Bob \\"the\\" builder" <{G}> .\n'
).encode()


@pytest.fixture(params=["embedded", "oxigraph", pytest.param("virtuoso", marks=pytest.mark.slow)])
def backend(request, tmp_path):
    if request.param == "embedded":
        store = open_store(tmp_path / "store")
    else:
        store = request.getfixturevalue("engine_server")(request.param).open()
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


G2 = "https://w3id.org/qharmony/graph/doc/other"


def _reopen_read_only(backend):
    return open_store(backend.location, read_only=True)


def test_update_inserts_and_deletes(backend):
    backend.update(f'INSERT DATA {{ GRAPH <{G2}> {{ <http://ex.org/c> <http://ex.org/name> "Carol" }} }}')
    assert backend.count() == 3
    backend.update(f"DELETE WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}")
    assert backend.count() == 2


def test_the_graph_version_an_answer_cites_follows_every_write(backend):
    """Read once per version stamp on the embedded store: an in-place update, a
    replace and a load must each be seen, or answers would cite the old build."""
    from qharmony.ontology.namespaces import QH
    from qharmony.queries.analysis.answers import version_id
    from qharmony.queries.analysis.version import graph_version

    def record(value: str) -> str:
        return f'<http://ex.org/build> <{QH}contentHash> "{value}" .'

    assert graph_version(backend).content_hash == ""
    backend.update(f"INSERT DATA {{ GRAPH <{G2}> {{ {record('one')} }} }}")
    first = version_id(backend)
    assert graph_version(backend).content_hash == "one"
    backend.update(f"DELETE WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}")
    backend.update(f"INSERT DATA {{ GRAPH <{G2}> {{ {record('two')} }} }}")
    assert graph_version(backend).content_hash == "two"
    assert version_id(backend) != first
    backend.replace(DATA + f"{record('three')[:-1]} <{G2}> .\n".encode())
    assert graph_version(backend).content_hash == "three"
    before = version_id(backend)
    backend.load(b'<http://ex.org/d> <http://ex.org/name> "Dan" .', "nt", G)
    assert version_id(backend) != before
    assert graph_version(backend.snapshot()).content_hash == graph_version(backend).content_hash


def test_bad_update_is_a_query_error_and_changes_nothing(backend):
    with pytest.raises(QueryError):
        backend.update("INSERT DATA { <http://ex.org/c> }")
    assert backend.count() == 2


def test_read_only_store_refuses_every_write(backend):
    reader = _reopen_read_only(backend)
    nt = b'<http://ex.org/d> <http://ex.org/name> "Dan" .\n'
    writes = [
        lambda: reader.update(f'INSERT DATA {{ GRAPH <{G2}> {{ <http://ex.org/c> <http://ex.org/p> "x" }} }}'),
        lambda: reader.load(nt, "nt", graph=G2),
        lambda: reader.replace(b""),
    ]
    for write in writes:
        with pytest.raises(StoreError, match="read-only"):
            write()
    assert reader.count() == 2 and backend.count() == 2
    assert reader.select("SELECT ?s WHERE { ?s ?p ?o }").values("s") != []


def test_a_query_past_the_timeout_is_abandoned_with_a_timeout_error(backend):
    rows = "".join(f'<http://ex.org/s{i}> <http://ex.org/p> "{i}" <{G2}> .\n' for i in range(300))
    backend.load(rows.encode(), "nq")
    backend.timeout = 0.2
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        backend.select("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }")
    assert time.monotonic() - started < 5
    backend.timeout = 30
    assert backend.ask("ASK { <http://ex.org/a> ?p ?o }")


def test_protocol_datasets_choose_the_default_and_named_graphs(backend):
    backend.load(f'<http://ex.org/c> <http://ex.org/name> "Carol" <{G2}> .\n'.encode(), "nq")
    subjects = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    assert backend.query(subjects).values("s") == ["http://ex.org/a", "http://ex.org/b", "http://ex.org/c"]
    assert backend.query(subjects, dataset=([G2], None)).values("s") == ["http://ex.org/c"]
    assert backend.query(subjects, dataset=([G], [])).values("s") == ["http://ex.org/a", "http://ex.org/b"]
    assert backend.query(graphs, dataset=([], [G2])).values("g") == [G2]
    assert backend.query(graphs, dataset=([G], [G, G2])).values("g") == sorted([G, G2])
    assert backend.query(subjects, dataset=([], [G2])).values("s") == []


class _MovesNothing(RemoteStore):
    """An endpoint that accepts the swap and moves nothing: what MOVE SILENT let a
    Virtuoso do while the build reported success."""

    def update(self, update: str) -> None:
        kept = [op for op in update.split(" ;\n") if not op.startswith("MOVE ")]
        if kept:
            super().update(" ;\n".join(kept))


@pytest.mark.parametrize("engine", ["oxigraph", pytest.param("virtuoso", marks=pytest.mark.slow)])
def test_a_swap_that_did_not_happen_fails_loudly(engine_server, engine):
    server = engine_server(engine)
    server.open().replace(DATA)
    store = _MovesNothing(server.query_url, update_url=server.update_url, graph_store_url=server.graph_store_url)
    with pytest.raises(StoreError, match="did not swap the new graphs in: 1 staging graph"):
        store.replace(f'<http://ex.org/c> <http://ex.org/name> "Carol" <{G}> .\n'.encode())
    assert server.open().select("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s", {"g": Term.iri(G)}).values(
        "s"
    ) == ["http://ex.org/a", "http://ex.org/b"]
