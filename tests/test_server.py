"""Integration over the sample graph: the explorer, /sparql and the CLI agree."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qharmony.server.cli import main

# every test here reads the sample graph, built once per session
pytestmark = pytest.mark.slow

US_QC = """
PREFIX qh: <https://w3id.org/qharmony/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?entry ?code WHERE {
  ?entry qh:controlsTechnology qh:QuantumComputer ; skos:notation ?code ;
         qh:appliesIn <https://w3id.org/qharmony/id/jurisdiction/US> .
} ORDER BY ?code
"""


def test_sparql_answers_which_us_entry_controls_quantum_computers(client):
    resp = client.get("/sparql", query_string={"query": US_QC}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200
    codes = [b["code"]["value"] for b in resp.get_json()["results"]["bindings"]]
    assert "4A906" in codes and "4A906.a.1" in codes
    assert not any(c.startswith(("3A904", "4E906")) for c in codes)

    page = client.get("/id/entry/US/4A906.a.1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<mark>34</mark>" in html  # the threshold's span, highlighted in its sentence
    assert "us-bis-quantum-rule-2024" in html


def test_sparql_csv_and_post(client):
    resp = client.post(
        "/sparql", data=US_QC.encode(), content_type="application/sparql-query", headers={"Accept": "text/csv"}
    )
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.get_data(as_text=True).startswith("entry,code\r\n")


def test_sparql_refuses_updates_and_says_why(client, store):
    before = store.count()
    resp = client.post("/sparql", data={"update": "DROP ALL"})
    assert resp.status_code == 403
    assert resp.get_json() == {
        "ok": False,
        "status": 403,
        "error": "updates are not accepted: this endpoint is read-only",
    }
    resp = client.post("/sparql", data="DROP ALL", content_type="application/sparql-update")
    assert resp.status_code == 403
    resp = client.get("/sparql", query_string={"query": "DROP ALL"})
    assert resp.status_code == 400 and store.count() == before


def test_cli_query_and_sparql_give_the_same_rows(client, built_store_path):
    runner = CliRunner()
    out = runner.invoke(
        main,
        [
            "query",
            "entries_controlling",
            "--store",
            str(built_store_path),
            "--param",
            "jurisdiction=US",
            "--format",
            "json",
        ],
    )
    assert out.exit_code == 0, out.output
    cli_rows = json.loads(out.output)["results"]["bindings"]
    api = client.get("/api/queries/entries_controlling", query_string={"jurisdiction": "US"})
    assert api.get_json()["results"]["bindings"] == cli_rows
    assert len(cli_rows) >= 10


def test_entity_page_json_twin_and_turtle(client):
    data = client.get("/id/entry/US/4A906.a.1.json").get_json()
    assert any(s["predicate"].endswith("#controlsTechnology") for s in data["outgoing"])
    assert any(e["span"] == "34" for e in data["evidence"])
    ttl = client.get("/id/entry/US/4A906.a.1", headers={"Accept": "text/turtle"})
    assert ttl.mimetype == "text/turtle" and b"4A906.a.1" in ttl.data
    assert ttl.headers["Vary"] == "Accept"


def test_inferred_statements_are_marked(client):
    data = client.get("/id/entry/US/4A906.a.1.json").get_json()
    applies = [s for s in data["outgoing"] if s["predicate"].endswith("#appliesIn")]
    assert applies and all(s["inferred"] for s in applies)


def test_errors_are_json_for_api_and_pages_for_people(client):
    api = client.get("/api/queries/entries_controlling", query_string={"jurisdiction": "XXX"})
    assert api.status_code == 400 and api.get_json()["ok"] is False
    assert "parameter 'jurisdiction'" in api.get_json()["error"]
    page = client.get("/id/nothing/here")
    assert page.status_code == 404 and b"Traceback" not in page.data
    assert b"nothing is known" in page.data


def test_home_counts(client):
    data = client.get("/index.json").get_json()
    assert data["counts"]["documents"] >= 6 and data["counts"]["entries"] >= 10
    assert {j["code"] for j in data["jurisdictions"]} >= {"US", "EU", "GB", "CA"}


def test_cli_user_errors_have_no_traceback(built_store_path):
    runner = CliRunner()
    out = runner.invoke(main, ["query", "nope", "--store", str(built_store_path)])
    assert out.exit_code == 1
    assert "unknown query 'nope'" in out.output and "Traceback" not in out.output


def test_cli_extract_jsonl(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text(
        "# T\n\nJurisdiction: Canada\nInstrument: Order\nCitation: SOR/2024-112\n\n"
        "## Item 5506 Quantum computers\n\na. Quantum computers with 34 or more qubits.\n",
        encoding="utf-8",
    )
    out = CliRunner().invoke(main, ["extract", str(doc)])
    assert out.exit_code == 0, out.output
    records = [json.loads(line) for line in out.output.splitlines()]
    assert {
        "kind": "relation",
        "type": "controls",
        "subject": "CA:5506.a",
        "object": "quantum_computer",
    }.items() <= next(r for r in records if r.get("subject") == "CA:5506.a" and r["type"] == "controls").items()


def test_ontology_index_lists_classes_and_properties(client):
    page = client.get("/ontology")
    assert page.status_code == 200
    assert b'href="/ontology/QuantumComputer"' in page.data
    terms = client.get("/ontology.json").get_json()
    kinds = {t["kind"] for t in terms}
    assert kinds == {"class", "object property", "datatype property"}
    assert all(t["label"] and t["definition"] for t in terms)


def test_ontology_term_page_has_axioms_usage_and_examples(client):
    data = client.get("/ontology/QuantumComputer.json").get_json()
    assert data["kind"] == "class"
    assert any(r["label"] == "quantum hardware" for r in data["sections"]["superclasses"])
    prop = client.get("/ontology/appliesIn.json").get_json()
    assert prop["uses"] > 0 and prop["examples"]
    assert any(r["label"] == "jurisdiction" for r in prop["sections"]["range"])
    html = client.get("/ontology/sameAgreedText")
    assert b"symmetric" in html.data and b"corresponds to" in html.data
    assert client.get("/ontology/NoSuchTerm").status_code == 404


def test_ontology_downloads_parse_as_rdf(client):
    import rdflib

    for suffix, fmt in (("ttl", "turtle"), ("rdf", "xml")):
        resp = client.get(f"/ontology.{suffix}")
        assert resp.status_code == 200
        graph = rdflib.Graph().parse(data=resp.data, format=fmt)
        assert (
            rdflib.URIRef("https://w3id.org/qharmony/ontology#QuantumComputer"),
            rdflib.RDF.type,
            rdflib.OWL.Class,
        ) in graph
    negotiated = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert negotiated.mimetype == "text/turtle"


def test_void_description_and_dumps(client):
    import rdflib

    resp = client.get("/void", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=resp.data, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    [count] = list(graph.objects(None, void.triples))
    assert int(count) > 5000
    assert (None, void.sparqlEndpoint, None) in graph
    dump = client.get("/dumps/qharmony.nq")
    assert dump.mimetype == "application/n-quads" and dump.data.count(b"\n") == int(count)
    assert client.get("/dumps/qharmony.xyz").status_code == 404


def test_search_finds_codes_and_phrases_with_facets(client):
    hits = client.get("/search.json?q=4A906").get_json()
    assert hits["hits"][0]["iri"].startswith("https://w3id.org/qharmony/id/entry/US/4A906")
    fridge = client.get("/search.json?q=dilution+refrigerator&kind=control+entry").get_json()
    assert {h["jurisdiction"] for h in fridge["hits"]} >= {"US", "DE"}
    assert fridge["facets"]["kind"]["technology"] == 1
    page = client.get("/search?q=%22%29+OR+*")  # FTS5 syntax in user input stays text
    assert page.status_code == 200


def test_validation_page_lists_no_violations_on_the_sample(client):
    assert client.get("/validation.json").get_json() == {"conforms": True, "shapes": {}}
    assert b"conforms to every shape" in client.get("/validation").data
