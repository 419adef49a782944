"""The W3C SPARQL 1.1 Protocol query tests (w3c/rdf-tests, sparql/sparql11/protocol),
restated as requests against /sparql, with their test data brought in through
`qharmony load`, over the embedded store and over the remote store on a real Oxigraph
server and a real Virtuoso; then real clients against a running server, and the timeout."""

from __future__ import annotations

import json
import os
import threading
import time
import xml.etree.ElementTree as ET
from urllib.parse import quote

import engines
import pytest
from click.testing import CliRunner

from qharmony.server.app import create_app
from qharmony.server.cli import main

DATA = "http://kasei.us/2009/09/sparql/data/"
DG, NG = "default-graph-uri", "named-graph-uri"


def q(value: str) -> str:
    return quote(value, safe="")


@pytest.fixture(
    scope="module",
    params=[
        "embedded",
        pytest.param("oxigraph", marks=pytest.mark.slow),
        pytest.param("virtuoso", marks=pytest.mark.slow),
    ],
)
def w3c_store(request, tmp_path_factory):
    """The test data in a store: an embedded folder, or a real Oxigraph or Virtuoso
    server behind /sparql (the remote store), loaded through `qharmony load --store`."""
    folder = tmp_path_factory.mktemp("w3c")
    location = str(folder / "store")
    if request.param != "embedded":
        if not engines.available(request.param):
            (pytest.fail if os.environ.get("QHARMONY_REQUIRE_SERVERS") else pytest.skip)(engines.MISSING[request.param])
        if request.param == "virtuoso":
            engine = request.getfixturevalue("virtuoso")
            engines.empty(engine)
        else:
            engine = engines.start_oxigraph(folder / "oxigraph")
            request.addfinalizer(engine.stop)
        location = engine.query_url
    runner = CliRunner()
    for n in range(4):
        path = folder / f"data{n}.nt"
        path.write_text(
            f"<{DATA}data{n}.rdf> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<http://xmlns.com/foaf/0.1/Document> .\n"
        )
        out = runner.invoke(main, ["load", str(path), "--graph", f"{DATA}data{n}.rdf", "--store", location])
        assert out.exit_code == 0, out.output
    return location


@pytest.fixture(scope="module")
def w3c(w3c_store):
    return create_app({"STORE": w3c_store}).test_client()


def boolean(resp) -> bool:
    assert 200 <= resp.status_code < 400, resp.data
    if resp.mimetype == "application/sparql-results+xml":
        node = ET.fromstring(resp.data).find("{http://www.w3.org/2005/sparql-results#}boolean")
        return node.text == "true"
    assert resp.mimetype == "application/sparql-results+json"
    return json.loads(resp.data)["boolean"]


ASK_TWO_DEFAULT = f"ASK {{ <{DATA}data1.rdf> a ?type . <{DATA}data2.rdf> a ?type . }}"
ASK_TWO_NAMED = f"ASK {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}"
SQ = {"content_type": "application/sparql-query"}


def test_query_post_form(w3c):
    resp = w3c.post(
        f"/sparql/?{DG}={q(DATA + 'data0.rdf')}",
        data="query=ASK%20%7B%7D",
        content_type="application/x-www-form-urlencoded",
    )
    assert boolean(resp) is True


def test_query_dataset_default_graphs_get(w3c):
    resp = w3c.get(f"/sparql/?query={q(ASK_TWO_DEFAULT)}&{DG}={q(DATA + 'data1.rdf')}&{DG}={q(DATA + 'data2.rdf')}")
    assert boolean(resp) is True


def test_query_dataset_default_graphs_post(w3c):
    resp = w3c.post(f"/sparql/?{DG}={q(DATA + 'data1.rdf')}&{DG}={q(DATA + 'data2.rdf')}", data=ASK_TWO_DEFAULT, **SQ)
    assert boolean(resp) is True


def test_query_dataset_named_graphs_post(w3c):
    resp = w3c.post(f"/sparql/?{NG}={q(DATA + 'data1.rdf')}&{NG}={q(DATA + 'data2.rdf')}", data=ASK_TWO_NAMED, **SQ)
    assert boolean(resp) is True


def test_query_dataset_named_graphs_get(w3c):
    resp = w3c.get(f"/sparql/?query={q(ASK_TWO_NAMED)}&{NG}={q(DATA + 'data1.rdf')}&{NG}={q(DATA + 'data2.rdf')}")
    assert boolean(resp) is True


def test_query_dataset_full(w3c):
    query = (
        f"ASK {{ <{DATA}data3.rdf> a ?type GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} "
        f"GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}"
    )
    resp = w3c.post(
        f"/sparql/?{DG}={q(DATA + 'data3.rdf')}&{NG}={q(DATA + 'data1.rdf')}&{NG}={q(DATA + 'data2.rdf')}",
        data=query,
        **SQ,
    )
    assert boolean(resp) is True


def test_query_multiple_dataset(w3c):
    # the protocol's dataset wins over FROM; the manifest encodes the second '&'
    query = (
        f"ASK FROM <{DATA}data3.rdf> {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} "
        f"GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}"
    )
    path = f"/sparql/?{NG}={q(DATA + 'data1.rdf' + '&' + NG + '=' + DATA + 'data2.rdf')}"
    assert boolean(w3c.post(path, data=query, **SQ)) is True


def test_query_get(w3c):
    assert boolean(w3c.get(f"/sparql/?query=ASK%20%7B%7D&{DG}={q(DATA + 'data0.rdf')}")) is True


def test_query_post_direct(w3c):
    assert boolean(w3c.post("/sparql/", data="ASK {}", **SQ)) is True


@pytest.mark.parametrize(
    ("query", "media"),
    [
        (
            "SELECT (1 AS ?value) {}",
            {
                "application/sparql-results+xml",
                "application/sparql-results+json",
                "text/tab-separated-values",
                "text/csv",
            },
        ),
        ("ASK {}", {"application/sparql-results+xml", "application/sparql-results+json"}),
        (
            "DESCRIBE <http://example.org/>",
            {"application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json"},
        ),
        (
            "CONSTRUCT { <s> <p> 1 } WHERE {}",
            {"application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json"},
        ),
    ],
)
def test_query_content_types(w3c, query, media):
    resp = w3c.post(f"/sparql/?{DG}={q(DATA + 'data0.rdf')}", data=query, **SQ)
    assert 200 <= resp.status_code < 400 and resp.mimetype in media


def test_every_result_format_on_request(w3c):
    for accept, parse in (
        ("application/sparql-results+xml", ET.fromstring),
        ("text/csv", bytes.decode),
        ("text/tab-separated-values", bytes.decode),
        ("application/sparql-results+json", json.loads),
    ):
        resp = w3c.get("/sparql?query=" + q("SELECT ?s WHERE { ?s a ?t }"), headers={"Accept": accept})
        assert resp.mimetype == accept and parse(resp.data)


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        (
            "put",
            f"/sparql/?query=ASK%20%7B%7D&{DG}={q(DATA + 'data0.rdf')}",
            {"content_type": "application/x-www-form-urlencoded"},
        ),  # bad_query_method
        ("get", "/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", {}),  # bad_multiple_queries
        ("post", "/sparql/", {"data": "ASK {}", "content_type": "text/plain"}),  # wrong media type
        ("post", "/sparql/", {"data": "query=ASK%20%7B%7D"}),  # missing form type
        ("post", "/sparql/", {"data": "ASK {}"}),  # missing direct type
        (
            "post",
            "/sparql/",
            {"data": "ASK {}".encode("utf-16"), "content_type": "application/sparql-query; charset=UTF-16"},
        ),  # non-UTF-8
        ("post", "/sparql/", {"data": "ASK {", **SQ}),  # bad_query_syntax
        ("get", "/sparql/?update=CLEAR%20ALL", {}),  # bad_update_get
        ("post", "/sparql/", {"data": "CLEAR ALL", "content_type": "application/sparql-update"}),
    ],
)
def test_bad_requests_get_a_4xx_with_a_message(w3c, w3c_store, method, path, kwargs):
    resp = getattr(w3c, method)(path, **kwargs)
    assert 400 <= resp.status_code < 500
    assert resp.get_json()["error"]
    assert boolean(w3c.get(f"/sparql?query={q('ASK { ?s ?p ?o }')}")) is True  # nothing lost


def test_service_description_and_cors(w3c):
    import rdflib

    resp = w3c.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=resp.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (None, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    pre = w3c.options("/sparql", headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 204 and "POST" in pre.headers["Access-Control-Allow-Methods"]


@pytest.mark.slow
def test_loaded_graphs_survive_a_build(tmp_path):
    from qharmony.ingest.build import build, sample_corpus
    from qharmony.queries.store import open_store

    mine = tmp_path / "mine.ttl"
    mine.write_text("<http://example.org/x> <http://example.org/p> 1 .\n")
    assert (
        CliRunner()
        .invoke(main, ["load", str(mine), "--graph", "http://example.org/g", "--store", str(tmp_path / "s")])
        .exit_code
        == 0
    )
    build(open_store(tmp_path / "s"), sample_corpus()[:1], reason=False)
    assert open_store(tmp_path / "s").ask("ASK { GRAPH <http://example.org/g> { ?s ?p 1 } }")


@pytest.mark.slow
def test_sparqlwrapper_reads_the_endpoint(live_url):
    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    client = SPARQLWrapper(live_url + "/sparql")
    client.setQuery(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?code WHERE { ?e skos:notation ?code } ORDER BY ?code LIMIT 5"
    )
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert len(rows) == 5
    client.setReturnFormat(XML)
    assert client.query().convert().getElementsByTagName("result")


@pytest.mark.slow
def test_rdflib_sparqlstore_reads_the_endpoint(live_url):
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(live_url + "/sparql"))
    rows = list(graph.query('SELECT ?j WHERE { ?j <https://w3id.org/qharmony/ontology#isoCode> "DE" }'))
    assert rows and str(rows[0][0]).endswith("/jurisdiction/DE")


@pytest.mark.slow
def test_a_slow_query_times_out_while_others_are_served(live_url_short):
    import urllib.error
    import urllib.request

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d }"  # ~10^8 pairs
    results: dict = {}

    def run_slow():
        try:
            urllib.request.urlopen(f"{live_url_short}/sparql?query={q(slow)}", timeout=30)
        except urllib.error.HTTPError as exc:
            results["slow"] = (exc.code, json.loads(exc.read())["error"])

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)
    started = time.perf_counter()
    fast = urllib.request.urlopen(f"{live_url_short}/sparql?query={q('ASK {}')}", timeout=10)
    assert json.loads(fast.read())["boolean"] is True
    assert time.perf_counter() - started < 1.5
    thread.join()
    code, message = results["slow"]
    assert code == 503 and "longer than 2 s" in message
