"""What differs between engines, read back in the embedded store's spelling (no
server needed: the terms and texts an engine sends)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from qharmony.ontology.namespaces import RDF, XSD
from qharmony.queries.dialect import GENERIC, VIRTUOSO, detect
from qharmony.queries.results import Term


@pytest.mark.parametrize(
    "lexical", ["1", "1.0", "1.5e10", "1E-7", "0.000123", "-0.0", "2.5E-3", "1100.0", "INF", "NaN"]
)
def test_doubles_are_spelled_as_the_embedded_store_spells_them(lexical):
    store = ox.Store()
    store.add(
        ox.Quad(
            ox.NamedNode("http://a"),
            ox.NamedNode("http://b"),
            ox.Literal(lexical, datatype=ox.NamedNode(XSD + "double")),
        )
    )
    embedded = next(iter(store.query("SELECT ?o WHERE { ?s ?p ?o }")))["o"].value
    assert GENERIC.canonical(Term.literal(lexical, XSD + "double")).value == embedded


def test_virtuoso_booleans_and_language_strings():
    assert VIRTUOSO.canonical(Term.literal("1", XSD + "boolean")) == Term.literal("true", XSD + "boolean")
    assert VIRTUOSO.canonical(Term.literal("0", XSD + "boolean")) == Term.literal("false", XSD + "boolean")
    assert VIRTUOSO.canonical(Term.literal("1", XSD + "integer")) == Term.literal("1", XSD + "integer")
    tagged = VIRTUOSO.canonical(Term("literal", "Japan", None, "en"))
    assert (tagged.datatype, tagged.lang) == (RDF + "langString", "en")


def test_the_engine_is_told_by_its_server_header():
    assert detect("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu") is VIRTUOSO
    assert detect("oxigraph/0.5.2") is GENERIC
    assert VIRTUOSO.derive("http://h:8890/sparql", VIRTUOSO.graph_store) == "http://h:8890/sparql-graph-crud"
    assert GENERIC.derive("http://h:7878/query", GENERIC.update) == "http://h:7878/update"


def test_virtuoso_joins_in_written_order_except_over_a_transitive_path():
    plain = "SELECT ?s WHERE { ?s a ?t . OPTIONAL { ?s <http://x/p> ?o } }"
    path = "SELECT ?s WHERE { ?s rdfs:subClassOf* ?t }"
    assert VIRTUOSO.prepare(plain).startswith('DEFINE sql:select-option "order"')
    assert VIRTUOSO.prepare(path) == path
    assert VIRTUOSO.prepare("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").startswith("DEFINE")
    assert GENERIC.prepare(plain) == plain


def test_virtuoso_system_graphs_are_excluded_by_pragma():
    prologue = VIRTUOSO.prologue(["http://www.openlinksw.com/schemas/virtrdf#"])
    assert "DEFINE input:default-graph-exclude <http://www.openlinksw.com/schemas/virtrdf#>" in prologue
    assert "DEFINE input:named-graph-exclude <http://www.openlinksw.com/schemas/virtrdf#>" in prologue
    assert GENERIC.prologue(["http://x"]) == ""
