"""Attacks on the explorer over a small store loaded as a user would (no build): poisoned
IRIs, headers, bad paths and hosts, protocol datasets, updates, SERVICE, the budget and
loud truncation."""

from __future__ import annotations

import json
import re
import socket
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import pytest

from qharmony.queries.store import open_store
from qharmony.server.app import create_app
from qharmony.server.security import ClientBudget, content_disposition, safe_href, valid_host

ID = "https://w3id.org/qharmony/id/"
G = "https://w3id.org/qharmony/graph/doc/poisoned"
POISON = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{ID}test/poisoned> rdfs:label "Poisoned" ;
    rdfs:seeAlso <javascript:alert(document.domain)> , <http://example.org/fine> ;
    <https://w3id.org/qharmony/ontology#relatedTo> <JaVaScRiPt:alert(2)> .
<javascript:alert(3)> rdfs:seeAlso <{ID}test/poisoned> ; rdfs:label "Referrer" .
"""


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("poison") / "store"
    store = open_store(path)
    store.load(POISON.encode(), "ttl", G)
    rows = "".join(f'<http://ex.org/s{i}> <http://ex.org/p> "{i}" .\n' for i in range(30))
    store.load(rows.encode(), "nt", "http://ex.org/rows")
    store.close()
    return path


def _client(store_path, **config):
    return create_app({"STORE": str(store_path), "RATE_REQUESTS": 0, "RATE_QUERY_SECONDS": 0, **config}).test_client()


@pytest.fixture(scope="module")
def poisoned(store_path):
    return _client(store_path)


def q(text: str) -> str:
    return quote(text, safe="")


def test_safe_href_lets_only_http_https_mailto_and_relative_links_through():
    for ok in ("http://ex.org/a", "https://ex.org/", "mailto:a@ex.org", "/id/x", "x.html", "?a=b", "//ex.org/x"):
        assert safe_href(ok) == ok
    for bad in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "urn:isbn:123",
    ):
        assert safe_href(bad) == "#", bad


def test_a_javascript_iri_never_becomes_a_link_on_the_entity_page(poisoned):
    resp = poisoned.get("/id/test/poisoned")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    hrefs = re.findall(r'href="([^"]*)"', html, re.I)
    assert hrefs and not [h for h in hrefs if "script:" in h.lower()]
    assert "javascript:alert(document.domain)" in html  # still shown, as text
    assert 'href="http://example.org/fine"' in html  # a safe link stays a link


def test_security_headers_on_pages_api_and_errors(poisoned):
    for path in ("/id/test/poisoned", "/sparql?query=ASK%7B%7D", "/nowhere", "/static/style.css"):
        headers = poisoned.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_templates_hold_no_inline_script_or_style_for_the_csp_to_block():
    folder = Path(__file__).parents[1] / "server" / "templates"
    for template in folder.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", text, re.I), template.name


@pytest.mark.parametrize(
    "path", ["/id/a%20b", "/id/a%3Cb%3E", "/treaties/a%20b", "/ontology/a%22b", "/id/x%7By%7D.ttl"]
)
def test_invalid_iri_characters_in_a_path_are_a_404_not_a_500(poisoned, path):
    resp = poisoned.get(path)
    assert resp.status_code == 404


def test_a_host_label_over_63_characters_is_a_400(poisoned):
    resp = poisoned.get("/", headers={"Host": "a" * 64 + ".example"})
    assert resp.status_code == 400 and "Host" in resp.get_json()["error"]
    assert valid_host("a" * 63 + ".example:8321") and not valid_host("a" * 64 + ".example")


def test_download_names_outside_latin_1_use_rfc_6266_filename_star():
    header = content_disposition("gaps-σς-vs-jp.json")
    header.encode("latin-1")  # what a WSGI server must be able to send
    assert "filename*=UTF-8''gaps-%CF%83%CF%82-vs-jp.json" in header
    assert content_disposition("plain.csv") == "attachment; filename=plain.csv"


def test_a_non_absolute_default_graph_uri_is_a_400(poisoned):
    resp = poisoned.get(f"/sparql?query={q('ASK {}')}&default-graph-uri=foo")
    assert resp.status_code == 400 and "absolute IRI" in resp.get_json()["error"]


def test_an_absent_protocol_graph_is_an_empty_graph(poisoned):
    ask = q("ASK { ?s ?p ?o }")
    assert poisoned.get(f"/sparql?query={ask}").get_json()["boolean"] is True
    assert poisoned.get(f"/sparql?query={ask}&default-graph-uri={q('http://absent.example/')}").get_json() == {
        "head": {},
        "boolean": False,
    }
    named = q("ASK { GRAPH ?g { ?s ?p ?o } }")
    assert (
        poisoned.get(f"/sparql?query={named}&named-graph-uri={q('http://absent.example/')}").get_json()["boolean"]
        is False
    )


def test_from_and_from_named_are_honoured(poisoned):
    rows = q("SELECT (COUNT(*) AS ?n) FROM <http://ex.org/rows> WHERE { ?s ?p ?o }")
    assert poisoned.get(f"/sparql?query={rows}").get_json()["results"]["bindings"][0]["n"]["value"] == "30"
    absent = q("ASK FROM <http://absent.example/> { ?s ?p ?o }")
    assert poisoned.get(f"/sparql?query={absent}").get_json()["boolean"] is False
    named = q(f"ASK FROM NAMED <{G}> {{ GRAPH <http://ex.org/rows> {{ ?s ?p ?o }} }}")
    assert poisoned.get(f"/sparql?query={named}").get_json()["boolean"] is False


@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        ("/sparql?update=CLEAR%20ALL", {"data": "ASK {}", "content_type": "application/sparql-query"}),
        ("/sparql?update=", {"data": "query=ASK%20%7B%7D", "content_type": "application/x-www-form-urlencoded"}),
        (
            "/sparql",
            {"data": "query=ASK%20%7B%7D&update=CLEAR%20ALL", "content_type": "application/x-www-form-urlencoded"},
        ),
    ],
)
def test_a_request_carrying_update_anywhere_is_refused(poisoned, path, kwargs):
    resp = poisoned.post(path, **kwargs)
    assert resp.status_code == 403 and "read-only" in resp.get_json()["error"]


class _Listener:
    """A loopback socket that counts the connections made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.accepted = 0
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self):
        self._stop = True
        self.thread.join()
        self.sock.close()


def test_service_makes_no_outbound_connection_by_default(store_path):
    listener = _Listener()
    try:
        query = q(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
        resp = _client(store_path).get(f"/sparql?query={query}")
        assert resp.status_code == 400 and "SERVICE" in resp.get_json()["error"]
        assert listener.accepted == 0
        # the same query with that endpoint allowed does connect: the count can tell
        allowed = _client(store_path, SERVICE_ALLOW=listener.url.rsplit("/", 1)[0] + "/", TIMEOUT=3)
        allowed.get(f"/sparql?query={query}")
        assert listener.accepted >= 1
    finally:
        listener.close()


def test_service_variable_and_loop_back_are_400(store_path):
    client = _client(store_path, SERVICE_ALLOW="http://")
    var = client.get(f"/sparql?query={q('SELECT * { SERVICE ?x { ?s ?p ?o } }')}")
    assert var.status_code == 400 and "variable" in var.get_json()["error"]
    loop = client.get(f"/sparql?query={q('SELECT * { SERVICE <http://localhost/sparql> { ?s ?p ?o } }')}")
    assert loop.status_code == 400 and "back" in loop.get_json()["error"]


def test_past_the_request_budget_the_answer_is_429_with_retry_after(store_path):
    client = create_app({"STORE": str(store_path), "RATE_REQUESTS": 5}).test_client()
    codes = [client.get(f"/sparql?query={q('ASK {}')}").status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    resp = client.get("/id/test/poisoned")
    assert resp.status_code == 429 and int(resp.headers["Retry-After"]) >= 1
    assert "budget" in resp.get_data(as_text=True)
    assert client.get("/static/style.css").status_code == 200  # static files are free
    other = client.get("/sparql?query=ASK%7B%7D", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200  # the budget is per client


def test_the_work_budget_counts_seconds_per_sliding_minute():
    budget = ClientBudget(requests=0, seconds=10)
    assert budget.admit("a", now=0) is None
    budget.charge("a", 11, now=1)
    why, wait = budget.admit("a", now=2)
    assert "10 s" in why and wait == 59
    assert budget.admit("b", now=2) is None
    assert budget.admit("a", now=62) is None


def test_a_cut_answer_says_so_in_the_body(store_path):
    client = _client(store_path, MAX_ROWS=5)
    select = q("SELECT ?s WHERE { ?s <http://ex.org/p> ?o }")
    data = client.get(f"/sparql?query={select}").get_json()
    assert data["truncated"] is True and len(data["results"]["bindings"]) == 5
    assert data["head"]["link"] == ["https://w3id.org/qharmony/limits#truncated"]
    xml = client.get(f"/sparql?query={select}", headers={"Accept": "application/sparql-results+xml"}).data
    link = ET.fromstring(xml).find("{http://www.w3.org/2005/sparql-results#}head/{*}link")
    assert link is not None and link.get("href").endswith("#truncated")
    construct = q("CONSTRUCT WHERE { ?s <http://ex.org/p> ?o }")
    turtle = client.get(f"/sparql?query={construct}", headers={"Accept": "text/turtle"})
    assert turtle.data.startswith(b"# truncated") and turtle.headers["X-Qharmony-Truncated"] == "true"
    describe = client.get(
        f"/sparql?query={q('DESCRIBE ?s WHERE { ?s ?p ?o }')}", headers={"Accept": "application/n-triples"}
    )
    assert describe.data.startswith(b"# truncated") and describe.data.count(b"\n") == 6
    whole = json.loads(_client(store_path).get(f"/sparql?query={select}").data)
    assert "truncated" not in whole and len(whole["results"]["bindings"]) == 30


def test_limits_are_stated_on_the_endpoint_and_in_its_description(poisoned):
    page = poisoned.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Limits" in page and "SERVICE (federation) is off" in page
    turtle = poisoned.get("/sparql", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert "10,000 rows" in turtle and "Retry-After" in turtle


def test_a_cut_named_query_answer_says_so_in_its_json(store_path):
    client = _client(store_path, MAX_ROWS=2)
    data = client.get(f"/api/queries/entity_outgoing?entity={q(ID + 'test/poisoned')}").get_json()
    assert data["truncated"] is True and len(data["results"]["bindings"]) == 2


def test_every_query_of_one_request_reads_one_snapshot(tmp_path):
    from qharmony.server.store import get_store

    path = tmp_path / "swap"
    writer = open_store(path)
    writer.replace(b'<http://ex.org/a> <http://ex.org/v> "old" <http://ex.org/g> .\n')
    app = create_app({"STORE": str(path), "RATE_REQUESTS": 0, "RATE_QUERY_SECONDS": 0})
    try:
        with app.test_request_context("/gaps"):
            first = get_store()
            assert first.ask('ASK { ?s ?p "old" }')
            writer.replace(b'<http://ex.org/a> <http://ex.org/v> "new" <http://ex.org/g> .\n')  # a build lands
            assert get_store() is first and first.ask('ASK { ?s ?p "old" }')
        with app.test_request_context("/gaps"):
            assert get_store().ask('ASK { ?s ?p "new" }')  # the next request sees the new graph
    finally:
        app.extensions["qharmony.store"].close()
        writer.close()
