from __future__ import annotations

import shutil

import pytest
import rdflib

from qharmony.ontology.reason import check_ontology
from qharmony.ontology.validate import validate_graph

PREFIXES = """
@prefix qh: <https://w3id.org/qharmony/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix unit: <http://qudt.org/vocab/unit/> .
@prefix ex: <http://ex.org/> .
"""


@pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime for HermiT")
def test_hermit_finds_the_ontology_consistent():
    report = check_ontology()
    assert report.ran and report.consistent and report.unsatisfiable == []


def test_reasoning_degrades_without_java():
    report = check_ontology(java="/nonexistent/java")
    assert not report.ran and report.ok and "could not" in report.message


def _validate(ttl: str):
    return validate_graph(rdflib.Graph().parse(data=PREFIXES + ttl, format="turtle"))


GOOD_INSTRUMENT = """
ex:us a qh:State ; rdfs:label "United States" ; qh:isoCode "US" .
ex:i a qh:LegalInstrument ; rdfs:label "Rule" ; qh:appliesIn ex:us ;
  eli:date_document "2024-09-06"^^xsd:date ; eli:first_date_entry_in_force "2024-09-06"^^xsd:date .
ex:e a qh:ControlEntry ; skos:notation "4A906" ; qh:partOf ex:i ; qh:hasThreshold ex:t .
ex:t a qh:Threshold ; qh:parameter "physical_qubits" ; qh:comparator ">=" ;
  qh:value "34.0"^^xsd:double ; qh:unit unit:NUM .
"""


def test_a_well_formed_instrument_conforms():
    report = _validate(GOOD_INSTRUMENT)
    assert report.conforms, report.results


def test_well_formed_holdings_kinds_and_export_scope_conform():
    report = _validate(
        GOOD_INSTRUMENT
        + """
ex:eu a qh:Union ; qh:isoCode "EU" ; rdfs:label "EU" .
ex:i qh:measureKind qh:ExportControlMeasure ; qh:controlsExportsOutOf ex:eu ; qh:exportScopeRule "Art. 2" .
ex:c a qh:CoverageStatement ; qh:coverageOf ex:us ; qh:holdsInstrument ex:i ;
  qh:holdingAsOf "2024-09"^^xsd:gYearMonth ; qh:completeHolding true .
ex:d a qh:SourceDocument ; <http://purl.org/dc/terms/title> "D" ; qh:text "A summary." ; qh:documentKind qh:Summary .
"""
    )
    assert report.conforms, report.results


@pytest.mark.parametrize(
    "mistake,shape,message",
    [
        ("ex:x a qh:ControlEntry ; qh:partOf ex:i .", "ControlEntryShape", "code"),
        (
            'ex:t2 a qh:Threshold ; qh:parameter "temperature" ; qh:comparator "<=" ; qh:value "4.5"^^xsd:double .',
            "ThresholdShape",
            "unit",
        ),
        (
            'ex:j a qh:LegalInstrument ; rdfs:label "Late" ; qh:appliesIn ex:us ; '
            'eli:date_document "2025-01-01"^^xsd:date ; '
            'eli:first_date_entry_in_force "2024-01-01"^^xsd:date .',
            "LegalInstrumentShape",
            "before it was adopted",
        ),
        ('ex:w a qh:Arrangement ; rdfs:label "Solo" ; qh:hasParty ex:us .', "ArrangementShape", "two parties"),
        ('ex:zz a qh:State ; rdfs:label "Nowhere" ; qh:isoCode "ZZZ" .', "JurisdictionShape", "ISO"),
        (
            'ex:t3 a qh:Threshold ; qh:parameter "cnot_error" ; qh:comparator "<=" ; '
            'qh:value "3.0"^^xsd:double ; qh:unit unit:UNITLESS .',
            "ErrorRateShape",
            "cannot exceed 1",
        ),
        (
            "ex:c1 a qh:CoverageStatement ; qh:completeHolding false .",
            "CoverageStatementShape",
            "one known jurisdiction",
        ),
        (
            "ex:c2 a qh:CoverageStatement ; qh:coverageOf ex:us ; qh:completeHolding true .",
            "CompleteHoldingShape",
            "date",
        ),
        ("ex:i qh:measureKind qh:Summary .", "MeasureKindShape", "one kind of measure"),
        ("ex:d a qh:SourceDocument ; qh:documentKind qh:ExportControlMeasure .", "DocumentKindShape", "official text"),
        (
            'ex:eu a qh:Union ; qh:isoCode "EU" ; rdfs:label "EU" . ex:i qh:controlsExportsOutOf ex:eu .',
            "ExportScopeShape",
            "cite the rule",
        ),
    ],
)
def test_shapes_catch_real_mistakes(mistake, shape, message):
    report = _validate(GOOD_INSTRUMENT + mistake)
    assert not report.conforms
    hits = [r for r in report.results if r.shape.endswith(shape)]
    assert hits and any(message in r.message for r in hits), report.results
