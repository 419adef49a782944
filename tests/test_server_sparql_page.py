"""/sparql for people and for programs: a browser gets the editor page with the
result in it, a program gets data, ``format=`` downloads, and labels for IRIs."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/qharmony/ontology#Arrangement> } ORDER BY ?s"


def test_a_browser_gets_the_page_with_rows_and_a_program_gets_json(client):
    page = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'href="/id/arrangement/wassenaar-arrangement"' in html
    assert ">Wassenaar</a>" in html  # the label, not the IRI
    for accept in ("*/*", "application/sparql-results+json", "application/json, text/html;q=0.5"):
        data = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
        assert data.mimetype == "application/sparql-results+json", accept


def test_a_bad_query_keeps_the_query_on_the_page(client):
    bad = "SELECT ?s WHERE { ?s <x> }"
    page = client.get("/sparql", query_string={"query": bad}, headers={"Accept": BROWSER})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'id="query-error"' in html and "Error 400" in html
    assert "SELECT ?s WHERE { ?s &lt;x&gt; }</textarea>" in html
    program = client.get("/sparql", query_string={"query": bad})
    assert program.status_code == 400 and program.get_json()["ok"] is False


@pytest.mark.parametrize(
    ("query", "fmt", "mimetype"),
    [
        (SELECT, "csv", "text/csv"),
        (SELECT, "tsv", "text/tab-separated-values"),
        (SELECT, "json", "application/sparql-results+json"),
        (ASK, "xml", "application/sparql-results+xml"),
        ("CONSTRUCT WHERE { ?s a <https://w3id.org/qharmony/ontology#Arrangement> }", "nt", "application/n-triples"),
    ],
)
def test_format_overrides_accept_and_downloads(client, query, fmt, mimetype):
    resp = client.get("/sparql", query_string={"query": query, "format": fmt}, headers={"Accept": BROWSER})
    assert resp.status_code == 200 and resp.mimetype == mimetype
    assert resp.headers["Content-Disposition"] == f"attachment; filename=query-results.{fmt}"


def test_a_format_that_does_not_fit_the_query_is_a_clear_400(client):
    resp = client.get("/sparql", query_string={"query": ASK, "format": "csv"})
    assert resp.status_code == 400
    assert "use json, xml" in resp.get_json()["error"]


def test_an_example_loads_into_the_editor_without_running(client):
    page = client.get("/sparql", query_string={"example": "arrangement_parties"}, headers={"Accept": BROWSER})
    html = page.get_data(as_text=True)
    assert "qh:hasParty ?party" in html
    assert 'data-rendered="server"' not in html


def test_labels_for_iris(client):
    wa = "https://w3id.org/qharmony/id/arrangement/wassenaar-arrangement"
    labels = client.get("/api/labels", query_string=[("iri", wa), ("iri", "urn:x:none")]).get_json()
    assert labels == {wa: "Wassenaar"}


def test_an_answer_can_carry_the_labels_of_its_iris(client):
    """The editor asks with labels=1 and names its links from the answer alone; a
    plain SPARQL client gets the standard JSON, without the extra member."""
    wa = "https://w3id.org/qharmony/id/arrangement/wassenaar-arrangement"
    json_accept = {"Accept": "application/sparql-results+json"}
    labelled = client.get("/sparql", query_string={"query": SELECT, "labels": "1"}, headers=json_accept).get_json()
    assert labelled["labels"][wa] == "Wassenaar"
    assert set(labelled["labels"]) <= {b["s"]["value"] for b in labelled["results"]["bindings"]}
    plain = client.get("/sparql", query_string={"query": SELECT}, headers=json_accept).get_json()
    assert set(plain) == {"head", "results"} and plain["results"] == labelled["results"]
    csv = client.get("/sparql", query_string={"query": SELECT, "labels": "1", "format": "csv"})
    assert csv.mimetype == "text/csv" and "Wassenaar" not in csv.get_data(as_text=True)
