"""Every SHACL shape in ``ontology/shapes.ttl`` with one conforming and one violating
example. The two differ by the one mistake, so the pair shows the shape is reached
and that it catches what its message says; a shape added without examples fails
``test_every_shape_has_examples``."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import SH

from qharmony.ontology.files import shapes_graph
from qharmony.ontology.validate import validate_graph

PREFIXES = """
@prefix qh: <https://w3id.org/qharmony/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix unit: <http://qudt.org/vocab/unit/> .
@prefix ex: <http://ex.org/> .
"""

#: what the examples lean on: two states and an instrument in force
WORLD = """
ex:us a qh:State ; rdfs:label "United States" ; qh:isoCode "US" .
ex:jp a qh:State ; rdfs:label "Japan" ; qh:isoCode "JP" .
ex:i a qh:LegalInstrument ; rdfs:label "Rule" ; qh:appliesIn ex:us ;
  eli:date_document "2024-09-06"^^xsd:date ; eli:first_date_entry_in_force "2024-09-06"^^xsd:date .
"""

EVIDENCE_DOC = 'ex:d a qh:SourceDocument ; dcterms:title "The rule" ; qh:text "The quantum rule." .\n'

#: shape -> (conforming example, violating example, words of the violation message)
EXAMPLES = {
    "JurisdictionShape": (
        'ex:de a qh:State ; rdfs:label "Germany" ; qh:isoCode "DE" .',
        'ex:de a qh:State ; rdfs:label "Germany" ; qh:isoCode "DEU" .',
        "two-letter ISO 3166 code",
    ),
    "ArrangementShape": (
        'ex:w a qh:Arrangement ; rdfs:label "Pact" ; qh:hasParty ex:us, ex:jp .',
        'ex:w a qh:Arrangement ; rdfs:label "Pact" ; qh:hasParty ex:us .',
        "at least two parties",
    ),
    "LegalInstrumentShape": (
        'ex:j a qh:LegalInstrument ; rdfs:label "Order" ; qh:appliesIn ex:jp ; '
        'eli:date_document "2024-01-01"^^xsd:date ; eli:first_date_entry_in_force "2025-01-01"^^xsd:date .',
        'ex:j a qh:LegalInstrument ; rdfs:label "Order" ; qh:appliesIn ex:jp ; '
        'eli:date_document "2025-01-01"^^xsd:date ; eli:first_date_entry_in_force "2024-01-01"^^xsd:date .',
        "before it was adopted",
    ),
    "ControlEntryShape": (
        'ex:e a qh:ControlEntry ; skos:notation "4A906" ; qh:partOf ex:i .',
        "ex:e a qh:ControlEntry ; qh:partOf ex:i .",
        "needs a code",
    ),
    "ThresholdShape": (
        'ex:t a qh:Threshold ; qh:parameter "physical_qubits" ; qh:comparator ">=" ; '
        'qh:value "34.0"^^xsd:double ; qh:unit unit:NUM .',
        'ex:t a qh:Threshold ; qh:parameter "physical_qubits" ; qh:comparator ">=" ; qh:value "34.0"^^xsd:double .',
        "needs a unit",
    ),
    "TemperatureShape": (
        'ex:t a qh:Threshold ; qh:parameter "temperature" ; qh:comparator "<=" ; '
        'qh:value "4.5"^^xsd:double ; qh:unit unit:K .',
        'ex:t a qh:Threshold ; qh:parameter "temperature" ; qh:comparator "<=" ; '
        'qh:value "4500.0"^^xsd:double ; qh:unit unit:K .',
        "above 1000 K",
    ),
    "ErrorRateShape": (
        'ex:t a qh:Threshold ; qh:parameter "cnot_error" ; qh:comparator "<=" ; '
        'qh:value "0.001"^^xsd:double ; qh:unit unit:UNITLESS .',
        'ex:t a qh:Threshold ; qh:parameter "cnot_error" ; qh:comparator "<=" ; '
        'qh:value "3.0"^^xsd:double ; qh:unit unit:UNITLESS .',
        "cannot exceed 1",
    ),
    "AuthorityShape": (
        'ex:a a qh:Authority ; rdfs:label "Bureau of Industry and Security" .',
        'ex:a a qh:Authority ; skos:notation "BIS" .',
        "authority needs a name",
    ),
    "ControlListShape": (
        'ex:l a qh:ControlList ; rdfs:label "Commerce Control List" .',
        'ex:l a qh:ControlList ; skos:notation "CCL" .',
        "control list needs a name",
    ),
    "EvidenceShape": (
        EVIDENCE_DOC
        + "ex:v a qh:Evidence ; qh:sourceDocument ex:d ; qh:charStart 5 ; qh:charEnd 9 ; qh:confidence 0.9 .",
        EVIDENCE_DOC
        + "ex:v a qh:Evidence ; qh:sourceDocument ex:d ; qh:charStart 9 ; qh:charEnd 5 ; qh:confidence 0.9 .",
        "start before it ends",
    ),
    "MembershipShape": (
        "ex:m a qh:Membership ; qh:member ex:jp ; qh:organisation ex:us ; "
        'qh:since "2020-01-01"^^xsd:date ; qh:until "2021-01-01"^^xsd:date .',
        "ex:m a qh:Membership ; qh:member ex:jp ; qh:organisation ex:us ; "
        'qh:since "2021-01-01"^^xsd:date ; qh:until "2020-01-01"^^xsd:date .',
        "begin before it ends",
    ),
    "IdentifierShape": (
        'ex:i qh:celexNumber "32021R0821" .',
        'ex:i qh:celexNumber "2021/821" .',
        "looks like 32021R0821",
    ),
    "EffectiveMonthShape": (
        'ex:i qh:effectiveMonth "2024-09"^^xsd:gYearMonth .',
        'ex:i qh:effectiveMonth "September 2024" .',
        "written as a year and month",
    ),
    "LicenceExceptionShape": (
        'ex:x a qh:LicenceException ; rdfs:label "IEC" ; qh:measureOf ex:i ; qh:eligibleDestination ex:jp .',
        'ex:x a qh:LicenceException ; rdfs:label "IEC" ; qh:eligibleDestination ex:jp .',
        "must belong to the legal instrument",
    ),
    "ProvisionShape": (
        'ex:p a qh:Provision ; rdfs:label "Section 1" ; qh:partOf ex:i .',
        'ex:p a qh:Provision ; rdfs:label "Section 1" .',
        "provision must belong to a legal instrument",
    ),
    "SourceDocumentShape": (
        'ex:d a qh:SourceDocument ; dcterms:title "The rule" ; qh:text "The text." .',
        'ex:d a qh:SourceDocument ; dcterms:title "The rule" ; qh:text "The text.", "Another text." .',
        "exactly one copy of its text",
    ),
    "ReasonForControlShape": (
        'ex:ns a qh:ReasonForControl ; skos:notation "NS" ; rdfs:label "National security" .',
        'ex:ns a qh:ReasonForControl ; rdfs:label "National security" .',
        "its abbreviation",
    ),
    "CountryGroupShape": (
        'ex:g a qh:CountryGroup ; rdfs:label "Country Group A:1" .',
        'ex:g a qh:CountryGroup ; skos:notation "A:1" .',
        "country group needs a name",
    ),
    "CoverageStatementShape": (
        "ex:c a qh:CoverageStatement ; qh:coverageOf ex:jp ; qh:holdsInstrument ex:i ; qh:completeHolding false .",
        "ex:c a qh:CoverageStatement ; qh:holdsInstrument ex:i ; qh:completeHolding false .",
        "one known jurisdiction",
    ),
    "CompleteHoldingShape": (
        'ex:c a qh:CoverageStatement ; qh:coverageOf ex:jp ; qh:holdingAsOf "2024-09"^^xsd:gYearMonth ; '
        "qh:completeHolding true .",
        "ex:c a qh:CoverageStatement ; qh:coverageOf ex:jp ; qh:completeHolding true .",
        "from which date",
    ),
    "MeasureKindShape": (
        "ex:i qh:measureKind qh:InvestmentScreeningMeasure .",
        "ex:i qh:measureKind qh:Summary .",
        "one kind of measure",
    ),
    "DocumentKindShape": (
        EVIDENCE_DOC + "ex:d qh:documentKind qh:Summary .",
        EVIDENCE_DOC + "ex:d qh:documentKind qh:ExportControlMeasure .",
        "official text, summary or commentary",
    ),
    "ExportScopeShape": (
        'ex:eu a qh:Union ; rdfs:label "EU" ; qh:isoCode "EU" . '
        'ex:i qh:controlsExportsOutOf ex:eu ; qh:exportScopeRule "Article 2(2)" .',
        'ex:eu a qh:Union ; rdfs:label "EU" ; qh:isoCode "EU" . ex:i qh:controlsExportsOutOf ex:eu .',
        "cite the rule",
    ),
}


def _validate(ttl: str):
    return validate_graph(rdflib.Graph().parse(data=PREFIXES + WORLD + ttl, format="turtle"))


def test_every_shape_has_examples():
    graph = shapes_graph()
    named = {
        str(s).rsplit("#", 1)[-1] for s in graph.subjects(rdflib.RDF.type, SH.NodeShape) if isinstance(s, rdflib.URIRef)
    }
    assert len(named) == 23 and named == set(EXAMPLES), f"shapes without examples: {sorted(named - set(EXAMPLES))}"


@pytest.mark.parametrize("shape", sorted(EXAMPLES))
def test_the_conforming_example_conforms(shape):
    report = _validate(EXAMPLES[shape][0])
    assert report.conforms, report.results


@pytest.mark.parametrize("shape", sorted(EXAMPLES))
def test_the_violating_example_breaks_its_shape(shape):
    _, bad, words = EXAMPLES[shape]
    report = _validate(bad)
    assert not report.conforms
    hits = [r for r in report.results if r.shape.endswith("#" + shape)]
    assert hits and any(words in r.message for r in hits), report.results
