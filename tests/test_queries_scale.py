"""Queries shaped for scale and answers kept per graph version: the analyses are
never cut by the row cap meant for people's queries; rewritten queries give the rows
their earlier shapes gave; an answer kept for one graph version is not served for
another."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from click.testing import CliRunner

from qharmony.ontology.namespaces import entity
from qharmony.queries.analysis import answers
from qharmony.queries.analysis.determine import determine
from qharmony.queries.analysis.entry_rows import read_entry_rows
from qharmony.queries.analysis.gaps import compare_jurisdictions
from qharmony.queries.analysis.matrix import matrix
from qharmony.queries.catalog import get_query
from qharmony.queries.results import Term
from qharmony.queries.store import open_store

DAY = date(2026, 1, 1)

#: the shapes these queries had before they were rewritten for scale
EARLIER = {
    "jurisdictions": """
PREFIX qh: <https://w3id.org/qharmony/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?jurisdiction ?code ?name (COUNT(DISTINCT ?entry) AS ?entries) (COUNT(DISTINCT ?instrument) AS ?instruments)
WHERE {
  ?jurisdiction qh:isoCode ?code .
  OPTIONAL { ?jurisdiction rdfs:label ?name }
  OPTIONAL { ?instrument a qh:LegalInstrument ; qh:appliesIn ?jurisdiction . }
  OPTIONAL { ?entry a qh:ControlEntry ; qh:appliesIn ?jurisdiction . }
}
GROUP BY ?jurisdiction ?code ?name
ORDER BY DESC(?entries) ?code
""",
    "favourable_treatment": """
PREFIX qh: <https://w3id.org/qharmony/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT DISTINCT ?giverCode ?receiverCode ?measure ?measureLabel ?kind ?instrument ?effective ?month ?adopted ?repealed
WHERE {
  {
    ?measure qh:eligibleDestination ?receiver ; qh:measureOf ?instrument .
    BIND("licence exception" AS ?kind)
  } UNION {
    ?instrument qh:exemptDestination ?receiver .
    BIND(?instrument AS ?measure)
    BIND("destination exempt from the licence requirement" AS ?kind)
  }
  ?instrument qh:appliesIn ?giver .
  FILTER NOT EXISTS { ?instrument a qh:ProposedInstrument }
  ?giver qh:isoCode ?giverCode . ?receiver qh:isoCode ?receiverCode .
  OPTIONAL { ?measure rdfs:label ?measureLabel }
  OPTIONAL { ?instrument eli:first_date_entry_in_force ?effective }
  OPTIONAL { ?instrument qh:effectiveMonth ?month }
  OPTIONAL { ?instrument eli:date_document ?adopted }
  OPTIONAL { ?instrument eli:date_no_longer_in_force ?repealed }
}
ORDER BY ?giverCode ?receiverCode
""",
    "not_controlled_statements": """
PREFIX qh: <https://w3id.org/qharmony/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?code ?jurisdiction ?how ?subject ?subjectLabel ?notation ?excluded ?instrument ?instrumentLabel
       ?officialUrl ?effective ?month ?adopted ?attested ?repealed ?proposed ?confidence
WHERE {
  {
    ?subject qh:doesNotControl ?excluded .
    OPTIONAL { ?subject qh:partOf ?part }
    BIND(COALESCE(?part, ?subject) AS ?instrument)
    GRAPH ?g { ?instrument qh:appliesIn ?jurisdiction }
    FILTER(?g != <https://w3id.org/qharmony/graph/inferred>)
    BIND("exclusion" AS ?how)
    OPTIONAL { ?ev rdf:subject ?subject ; rdf:predicate qh:doesNotControl ; rdf:object ?excluded ;
               qh:confidence ?confidence }
  } UNION {
    ?subject qh:noEquivalentIn ?jurisdiction ; qh:controlsTechnology ?excluded ; qh:partOf ?instrument .
    BIND("no equivalent" AS ?how)
    OPTIONAL { ?ev rdf:subject ?subject ; rdf:predicate qh:noEquivalentIn ; rdf:object ?jurisdiction ;
               qh:confidence ?confidence }
  }
  ?jurisdiction qh:isoCode ?code .
  OPTIONAL { ?instrument a qh:ProposedInstrument . BIND(true AS ?proposed) }
  OPTIONAL { ?instrument eli:first_date_entry_in_force ?effective }
  OPTIONAL { ?instrument qh:effectiveMonth ?month }
  OPTIONAL { ?instrument eli:date_document ?adopted }
  OPTIONAL { ?instrument qh:attestedInForceOn ?attested }
  OPTIONAL { ?instrument eli:date_no_longer_in_force ?repealed }
  OPTIONAL { ?instrument rdfs:label ?instrumentLabel }
  OPTIONAL { ?instrument dcterms:source ?officialUrl }
  OPTIONAL { ?subject skos:notation ?notation }
  OPTIONAL { ?subject rdfs:label ?subjectLabel }
}
ORDER BY ?code ?excluded ?subject
""",
}

#: the one query the entry rows were read with before ``analysis.entry_rows`` joined
#: entries, instruments and the technology tree in Python
EARLIER_ENTRY_ROWS = """
PREFIX qh: <https://w3id.org/qharmony/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?code ?jurisdiction ?technology ?entry ?notation ?entryLabel ?controlled ?codeVerified
       ?instrument ?instrumentLabel ?instrumentCode ?officialUrl ?measureKind
       ?effective ?month ?adopted ?attested ?repealed ?proposed ?parent
WHERE {
  ?entry a qh:ControlEntry ; qh:controlsTechnology ?controlled ; qh:appliesIn ?jurisdiction ;
         qh:partOf ?instrument .
  ?instrument a qh:LegalInstrument .
  ?jurisdiction qh:isoCode ?code .
  ?technology rdfs:subClassOf* ?controlled ; qh:technologySlug ?slug .
  OPTIONAL { ?instrument qh:measureKind ?kind }
  BIND(COALESCE(?kind, qh:ExportControlMeasure) AS ?measureKind)
  OPTIONAL { ?instrument qh:appliesIn ?home . GRAPH ?g { ?instrument qh:appliesIn ?home }
             FILTER(?g != <https://w3id.org/qharmony/graph/inferred>) ?home qh:isoCode ?instrumentCode }
  OPTIONAL { ?instrument a qh:ProposedInstrument . BIND(true AS ?proposed) }
  OPTIONAL { ?instrument eli:first_date_entry_in_force ?effective }
  OPTIONAL { ?instrument qh:effectiveMonth ?month }
  OPTIONAL { ?instrument eli:date_document ?adopted }
  OPTIONAL { ?instrument qh:attestedInForceOn ?attested }
  OPTIONAL { ?instrument eli:date_no_longer_in_force ?repealed }
  OPTIONAL { ?instrument dcterms:source ?officialUrl }
  OPTIONAL { ?entry skos:notation ?notation }
  OPTIONAL { ?entry qh:codeVerified ?codeVerified }
  OPTIONAL { ?entry rdfs:label ?entryLabel }
  OPTIONAL { ?entry skos:broader ?parent }
  OPTIONAL { ?instrument rdfs:label ?instrumentLabel }
}
"""


def _rows(result) -> list[str]:
    return sorted(json.dumps({k: v.__dict__ for k, v in row.items()}, sort_keys=True) for row in result.rows)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EARLIER))
def test_rewritten_queries_give_the_rows_their_earlier_shapes_gave(store, name):
    earlier, now = store.select(EARLIER[name]), store.select(get_query(name).text)
    assert now.rows, f"{name} finds nothing on the sample graph, so the comparison would prove nothing"
    assert _rows(now) == _rows(earlier)


@pytest.mark.slow
@pytest.mark.parametrize("bound", [{}, {"jurisdiction": "DE"}, {"jurisdiction": "US"}, {"entry": "US:4A906"}])
def test_entry_rows_joined_in_python_are_the_rows_of_the_one_query(store, bound):
    terms = {
        k: Term.iri(entity("jurisdiction", v) if k == "jurisdiction" else entity("entry", *v.split(":")))
        for k, v in bound.items()
    }
    earlier = store.select(EARLIER_ENTRY_ROWS, terms)
    now = read_entry_rows(store, terms)
    assert now, "no entry rows on the sample graph: the comparison would prove nothing"
    assert sorted(json.dumps({k: v.__dict__ for k, v in r.items()}, sort_keys=True) for r in now) == _rows(earlier)


@pytest.mark.slow
def test_every_entry_at_once_reads_what_the_bound_queries_read(store):
    """all_thresholds, all_entry_facts and all_confidence (read when no place is asked)
    give the rows of entry_thresholds, entry_facts and determination_confidence with no
    place bound; the number of
    hedging sentences is counted once per sentence, not once per place the entry
    applies in, so only whether any hedges is the same."""
    assert _rows(store.select(get_query("all_thresholds").text)) == _rows(
        store.select(get_query("entry_thresholds").text)
    )
    every_entry = store.select(get_query("all_entry_facts").text)
    assert every_entry.rows and _rows(every_entry) == _rows(store.select(get_query("entry_facts").text))

    def hedged(result) -> list[str]:
        rows = [{**r, "hedgedCount": int(r["hedgedCount"].value) > 0} for r in result.rows]
        return sorted(json.dumps({k: getattr(v, "__dict__", v) for k, v in r.items()}, sort_keys=True) for r in rows)

    every, bound = (
        store.select(get_query("all_confidence").text),
        store.select(get_query("determination_confidence").text),
    )
    assert every.rows and any(int(r["hedgedCount"].value) for r in every.rows)
    assert hedged(every) == hedged(bound)


@pytest.mark.slow
def test_home_page_jurisdictions_keep_their_order(store):
    earlier = [r["code"].value for r in store.select(EARLIER["jurisdictions"]).rows]
    assert [r["code"].value for r in store.select(get_query("jurisdictions").text).rows] == earlier


@pytest.fixture()
def own_copy(built_store_path, tmp_path):
    """A copy of the sample store in its own folder: answers kept for it are its own."""
    target = tmp_path / "copy"
    shutil.copytree(built_store_path, target, ignore=shutil.ignore_patterns("answers"))
    answers.forget_memory()
    return target


def _same(a, b) -> bool:
    return json.dumps(a.to_json(), sort_keys=True, default=str) == json.dumps(b.to_json(), sort_keys=True, default=str)


@pytest.mark.slow
def test_analyses_read_past_a_row_cap_set_below_their_size(own_copy):
    full = open_store(own_copy, read_only=True)
    capped = open_store(own_copy, read_only=True, max_rows=5)
    assert capped.select(get_query("entry_facts").text).truncated  # people's queries keep the cap
    expected = [matrix(full, DAY), compare_jurisdictions(full, "US", "JP", DAY), determine(full, "US", None, DAY)]
    answers.forget_memory()
    shutil.rmtree(own_copy / "answers", ignore_errors=True)
    got = [matrix(capped, DAY), compare_jurisdictions(capped, "US", "JP", DAY), determine(capped, "US", None, DAY)]
    assert all(_same(a, b) for a, b in zip(expected, got, strict=True))
    assert sum(len(cell["entries"]) for row in got[0].cells.values() for cell in row.values()) > 5


@pytest.mark.slow
def test_matrix_command_and_page_answer_under_a_small_row_cap(own_copy, monkeypatch):
    from qharmony.server.app import create_app
    from qharmony.server.cli import main

    monkeypatch.setenv("QHARMONY_MAX_ROWS", "5")
    result = CliRunner().invoke(main, ["matrix", "--as-of", "2026-01-01", "--format", "json", "--store", str(own_copy)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["cells"]
    client = create_app({"STORE": str(own_copy), "MAX_ROWS": 5}).test_client()
    page = client.get("/matrix?as_of=2026-01-01&format=json")
    assert page.status_code == 200, page.get_data(as_text=True)
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/qharmony/ontology#ControlEntry> }"
    answer = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert answer.get_json()["truncated"] is True  # /sparql keeps its cap


@pytest.mark.slow
def test_an_answer_is_computed_once_per_graph_version_and_not_served_for_another(own_copy):
    writer = open_store(own_copy)
    first = matrix(writer, DAY)
    assert matrix(writer, DAY) is first  # the same version: served, not computed again
    answers.forget_memory()
    again = matrix(writer, DAY)
    assert again is not first and _same(again, first)  # from the answers folder
    dump = writer.dump("nq")
    us_entry = b"<https://w3id.org/qharmony/id/entry/US/4A906>"
    writer.replace(b"".join(line + b"\n" for line in dump.split(b"\n") if line and us_entry not in line))
    after = matrix(writer, DAY)
    listed = [e["entry"] for cell in after.cells.values() for e in cell.get("US", {}).get("entries", [])]
    before = [e["entry"] for cell in first.cells.values() for e in cell.get("US", {}).get("entries", [])]
    assert us_entry.decode()[1:-1] in before and us_entry.decode()[1:-1] not in listed
    writer.close()


@pytest.mark.slow
def test_a_kept_matrix_read_back_decodes_its_rows_as_they_are_read(own_copy):
    """A restarted process reads a kept matrix without decoding its rows; each row it
    reads is the computed one, and its JSON is the computed answer's."""
    from qharmony.queries.analysis.matrix import PackedRows

    reader = open_store(own_copy, read_only=True)
    computed = matrix(reader, DAY)
    answers.forget_memory()
    kept = matrix(reader, DAY)
    assert isinstance(kept.cells, PackedRows) and not kept.cells._rows
    first = next(iter(computed.cells))
    assert kept.cells[first] == computed.cells[first] and list(kept.cells._rows) == [first]
    assert kept.to_json() == computed.to_json() and kept.rows() == computed.rows()
